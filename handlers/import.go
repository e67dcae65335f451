package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/models/i18n"
	"imageconsole/models/imagefmt"
	"imageconsole/views/components"
	"imageconsole/views/pages"
)

// osOptions lists the supported import OS versions as "type|version".
func osOptions(l i18n.Lang) []components.Option {
	var out []components.Option
	for _, o := range models.ImportOSList {
		for _, v := range o.Versions {
			label := o.OsType + " " + v
			switch {
			case v == "-":
				label = l.T("import.os.otherLinux")
			case strings.HasPrefix(v, o.OsType):
				label = v // "Windows Server 2022", not "Windows Windows Server 2022"
			}
			out = append(out, components.Option{Value: o.OsType + "|" + v, Label: label})
		}
	}
	return out
}

// defaultImportOS is the OS the form starts with: the newest Ubuntu, a
// current system, rather than the first of the list (an end-of-life one).
func defaultImportOS() (osType, version string) {
	for _, o := range models.ImportOSList {
		if o.OsType == "Ubuntu" {
			return o.OsType, o.Versions[len(o.Versions)-1]
		}
	}
	o := models.ImportOSList[0]
	return o.OsType, o.Versions[0]
}

// importChoices are the architecture and licence options of the form.
func importChoices(l i18n.Lang) (archs, licenses []components.Option) {
	for _, a := range models.ImportArchs {
		archs = append(archs, components.Option{Value: a, Label: archLabel(l, a)})
	}
	for _, lic := range models.Licenses {
		licenses = append(licenses, components.Option{Value: lic, Label: l.T("import.license." + lic)})
	}
	return archs, licenses
}

// ShowImport is the import form; after a refused post it shows the refusal
// and what was typed (the file has to be chosen again).
func (h *Handler) ShowImport(c echo.Context) error {
	osType, osVersion := defaultImportOS()
	in := models.ImportInput{OsType: osType, OsVersion: osVersion, Arch: models.ImportArchX86, License: models.LicenseTencentCloud}
	f := flash(c)
	if f.Refused.Message != "" {
		in = importInput(f.Value, region(c))
	}
	return h.renderImport(c, http.StatusOK, in, f.Refused)
}

// importInput reads the import form's fields through get.
func importInput(get func(string) string, region string) models.ImportInput {
	osType, osVersion, _ := strings.Cut(get("os"), "|")
	return models.ImportInput{ImageInput: models.ImageInput{Region: region, Name: get("name"), Description: get("description")},
		OsType: osType, OsVersion: osVersion, Arch: get("arch"), URL: strings.TrimSpace(get("url")),
		License: get("license"), Force: get("force") == "true"}
}

func (h *Handler) renderImport(c echo.Context, status int, in models.ImportInput, fe components.FormError) error {
	l := lang(c)
	u, err := h.store.QuotaUsage(c.Request().Context(), account(c).ID, region(c))
	if err != nil {
		return err
	}
	vm := pages.ImportPageVM{Shell: shell(c, l.T("import.title"), "images"), Force: in.Force,
		Name: components.FieldVM{Name: "name", Label: l.T("import.field.name"), Type: "text", Value: in.Name, Required: true, MaxLength: models.MaxImageName},
		URL: components.FieldVM{Name: "url", Label: l.T("import.field.url"), Type: "url", Value: in.URL,
			Hint: l.T("import.field.url.hint")},
		File:    components.FieldVM{Name: "file", Label: l.T("import.field.file"), Hint: l.T("import.field.file.hint", "Formats", imagefmt.FormatList())},
		Desc:    components.FieldVM{Name: "description", Label: l.T("import.field.description"), Value: in.Description, MaxLength: models.MaxImageDescription},
		OS:      components.FieldVM{Name: "os", Label: l.T("import.field.os"), Value: in.OsType + "|" + in.OsVersion},
		Arch:    components.FieldVM{Name: "arch", Label: l.T("import.field.arch"), Value: in.Arch},
		License: components.FieldVM{Name: "license", Label: l.T("import.field.license"), Value: in.License},
	}
	vm.OSOptions = osOptions(l)
	vm.Archs, vm.Licenses = importChoices(l)
	// The store refuses an import over either limit; the form says so first.
	switch {
	case u.ImagesUsed >= u.ImagesLimit:
		vm.Blocked = l.T("import.blocked.images", "Count", u.ImagesLimit)
	case u.OpsUsed >= u.OpsLimit:
		vm.Blocked = l.T("import.blocked.ops", "Count", u.OpsLimit, "Reset", l.Time(u.OpsResetAt))
	}
	// One select on the form stands for the OS type and version parameters.
	if fe.Field == "os_type" || fe.Field == "os_version" {
		fe.Field = "os"
	}
	vm.Alert, vm.AlertCode = fe.Place(&vm.Name, &vm.URL, &vm.File, &vm.Desc, &vm.OS, &vm.Arch, &vm.License)
	return Render(c, status, pages.ImportPage(vm))
}

// ImportImage starts an import from a URL or an uploaded file; the store
// checks an upload's format first and refuses a file that is no disk image
// before anything counts. A refusal goes back to the form (Post/Redirect/Get).
func (h *Handler) ImportImage(c echo.Context) error {
	in := importInput(c.FormValue, region(c))
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
		return h.refuseTo(c, "/images/import?region="+in.Region, err, nil)
	}
	return h.notifyAndRedirect(c, "/images/"+id+"?region="+in.Region, "import.notice.started")
}
