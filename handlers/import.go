package handlers

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/views/components"
	"imageconsole/views/pages"
)

// MaxUploadBytes bounds a console upload.
const MaxUploadBytes = 2 << 30

// osOptions lists the supported import OS versions as "type|version".
var osOptions = func() []components.Option {
	var out []components.Option
	for _, o := range models.ImportOSList {
		for _, v := range o.Versions {
			label := o.OsType + " " + v
			if v == "-" {
				label = o.OsType
			}
			out = append(out, components.Option{Value: o.OsType + "|" + v, Label: label})
		}
	}
	return out
}()

// ShowImport is the import form.
func (h *Handler) ShowImport(c echo.Context) error {
	return h.renderImport(c, http.StatusOK, models.ImportInput{Arch: models.ImportArchX86, License: models.LicenseTencentCloud}, nil)
}

func (h *Handler) renderImport(c echo.Context, status int, in models.ImportInput, formErr error) error {
	vm := pages.ImportPageVM{Shell: shell(c, "Import image", "images"), Force: in.Force,
		Fields: []components.FieldVM{
			{Name: "name", Label: "Image name", Type: "text", Value: in.Name, Required: true, MaxLength: models.MaxImageName},
			{Name: "url", Label: "Image URL (http or https)", Type: "url", Value: in.URL, Hint: "For example https://example.com/images/golden.qcow2"},
		},
		Desc:      components.FieldVM{Name: "description", Label: "Description", Value: in.Description, MaxLength: models.MaxImageDescription},
		OS:        components.FieldVM{Name: "os", Label: "Operating system", Value: in.OsType + "|" + in.OsVersion},
		OSOptions: osOptions,
		Arch:      components.FieldVM{Name: "arch", Label: "Architecture", Value: in.Arch},
		License:   components.FieldVM{Name: "license", Label: "License", Value: in.License},
	}
	if formErr != nil {
		field := models.ErrorField(formErr)
		if field == "os_type" || field == "os_version" {
			field = "os"
		}
		fields := append(vm.Fields, vm.Desc, vm.OS, vm.Arch, vm.License)
		if !components.WithErrors(fields, field, models.ErrorMessage(formErr)) {
			vm.Alert, vm.AlertCode = models.ErrorMessage(formErr), models.ErrorCode(formErr)
		}
		vm.Fields, vm.Desc, vm.OS, vm.Arch, vm.License = fields[:2], fields[2], fields[3], fields[4], fields[5]
	}
	return Render(c, status, pages.ImportPage(vm))
}

// ImportImage starts an import from a URL or an uploaded file. An upload
// is staged in the blob store first (no I/O inside the transaction) and
// removed again if the import is refused.
func (h *Handler) ImportImage(c echo.Context) error {
	osType, osVersion, _ := strings.Cut(c.FormValue("os"), "|")
	in := models.ImportInput{ImageInput: models.ImageInput{Region: region(c), Name: c.FormValue("name"), Description: c.FormValue("description")},
		OsType: osType, OsVersion: osVersion, Arch: c.FormValue("arch"), URL: strings.TrimSpace(c.FormValue("url")),
		License: c.FormValue("license"), Force: c.FormValue("force") == "true"}
	if fh, err := c.FormFile("file"); err == nil && fh.Size > 0 {
		if fh.Size > MaxUploadBytes {
			return h.renderImport(c, http.StatusUnprocessableEntity, in, &models.Error{Code: models.CodeTooLarge, Field: "url", Message: "The file is over the 2 GiB upload limit."})
		}
		f, err := fh.Open()
		if err != nil {
			return err
		}
		defer f.Close()
		in.StagedKey = "upload-" + strings.TrimPrefix(models.NewID("up"), "up-")
		if _, err := h.store.Blobs.Put(c.Request().Context(), in.StagedKey, io.LimitReader(f, MaxUploadBytes)); err != nil {
			return err
		}
		in.URL = ""
	}
	id, err := h.store.ImportImage(c.Request().Context(), actor(c), in)
	if err != nil {
		if in.StagedKey != "" {
			_ = h.store.Blobs.Delete(context.WithoutCancel(c.Request().Context()), in.StagedKey)
		}
		if statusOf(models.ErrorCode(err)) >= 500 {
			return err
		}
		return h.renderImport(c, http.StatusUnprocessableEntity, in, err)
	}
	return redirect(c, "/images/"+id+"?region="+in.Region+"&flash="+url.QueryEscape("Import started."))
}
