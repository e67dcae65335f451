package handlers

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/views/components"
	"imageconsole/views/pages"
)

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

// licenseLabels say what each import license means for the price.
var licenseLabels = map[string]string{models.LicenseTencentCloud: "TencentCloud (platform license)",
	models.LicenseBYOL: "BYOL (bring your own license: no image fee)"}

// archOptions and licenseOptions are the choices models accept.
var archOptions, licenseOptions = func() (archs, licenses []components.Option) {
	for _, a := range models.ImportArchs {
		archs = append(archs, components.Option{Value: a, Label: a})
	}
	for _, l := range models.Licenses {
		licenses = append(licenses, components.Option{Value: l, Label: licenseLabels[l]})
	}
	return archs, licenses
}()

// ShowImport is the import form.
func (h *Handler) ShowImport(c echo.Context) error {
	return h.renderImport(c, http.StatusOK, models.ImportInput{Arch: models.ImportArchX86, License: models.LicenseTencentCloud}, components.FormError{})
}

func (h *Handler) renderImport(c echo.Context, status int, in models.ImportInput, fe components.FormError) error {
	vm := pages.ImportPageVM{Shell: shell(c, "Import image", "images"), Force: in.Force,
		Name: components.FieldVM{Name: "name", Label: "Image name", Type: "text", Value: in.Name, Required: true, MaxLength: models.MaxImageName},
		URL: components.FieldVM{Name: "url", Label: "Image URL (http or https)", Type: "url", Value: in.URL,
			Hint: "For example https://example.com/images/golden.qcow2"},
		File:      components.FieldVM{Name: "file", Label: "Upload a file", Hint: "qcow2, vmdk, vhd or raw disks, up to 2 GiB. The format and the disk size are read from the file."},
		Desc:      components.FieldVM{Name: "description", Label: "Description", Value: in.Description, MaxLength: models.MaxImageDescription},
		OS:        components.FieldVM{Name: "os", Label: "Operating system", Value: in.OsType + "|" + in.OsVersion},
		OSOptions: osOptions, Archs: archOptions, Licenses: licenseOptions,
		Arch:    components.FieldVM{Name: "arch", Label: "Architecture", Value: in.Arch},
		License: components.FieldVM{Name: "license", Label: "License", Value: in.License},
	}
	// One select on the form stands for the OS type and version parameters.
	if fe.Field == "os_type" || fe.Field == "os_version" {
		fe.Field = "os"
	}
	vm.Alert, vm.AlertCode = fe.Place(&vm.Name, &vm.URL, &vm.File, &vm.Desc, &vm.OS, &vm.Arch, &vm.License)
	return Render(c, status, pages.ImportPage(vm))
}

// ImportImage starts an import from a URL or an uploaded file; the store
// stages an upload and removes it again if the import is refused.
func (h *Handler) ImportImage(c echo.Context) error {
	osType, osVersion, _ := strings.Cut(c.FormValue("os"), "|")
	in := models.ImportInput{ImageInput: models.ImageInput{Region: region(c), Name: c.FormValue("name"), Description: c.FormValue("description")},
		OsType: osType, OsVersion: osVersion, Arch: c.FormValue("arch"), URL: strings.TrimSpace(c.FormValue("url")),
		License: c.FormValue("license"), Force: c.FormValue("force") == "true"}
	var id string
	var err error
	if fh, ferr := c.FormFile("file"); ferr == nil && fh.Size > 0 {
		f, oerr := fh.Open()
		if oerr != nil {
			return oerr
		}
		defer f.Close()
		id, err = h.store.ImportUpload(c.Request().Context(), actor(c), in, f)
	} else {
		id, err = h.store.ImportImage(c.Request().Context(), actor(c), in)
	}
	if err != nil {
		return refusal(err, func(status int, fe components.FormError) error { return h.renderImport(c, status, in, fe) })
	}
	return redirect(c, "/images/"+id+"?region="+in.Region+"&flash="+url.QueryEscape("Import started."))
}
