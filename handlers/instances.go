package handlers

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/views/components"
	"imageconsole/views/pages"
)

func (h *Handler) instanceRow(c echo.Context, in *models.Instance) pages.InstanceRowVM {
	r := pages.InstanceRowVM{CSRF: csrfToken(c), ID: in.ID, Name: in.Name, State: in.State, Type: in.Type, Zone: in.Zone,
		ImageID: in.ImageID, OsName: in.OsName, Busy: in.Busy(),
		CanStop: in.Allows(models.InstanceActionStop), CanReboot: in.Allows(models.InstanceActionReboot),
		CanStart: in.Allows(models.InstanceActionStart), CanDelete: in.Allows(models.InstanceActionTerminate)}
	r.Created, r.CreatedExact = ago(in.CreatedAt, h.now())
	return r
}

// ListInstances is the Instances page of the current region.
func (h *Handler) ListInstances(c echo.Context) error {
	return h.renderInstances(c, http.StatusOK, components.FormError{})
}

// renderInstances draws the list; fe is a refused action's error, which
// the list has no field for and shows as its alert.
func (h *Handler) renderInstances(c echo.Context, status int, fe components.FormError) error {
	page := max(atoi(c.QueryParam("page")), 1)
	const size = 20
	rows, total, err := h.store.Instances(c.Request().Context(), account(c).ID, models.InstanceQuery{Region: region(c), Offset: int64((page - 1) * size), Limit: size})
	if err != nil {
		return err
	}
	vm := pages.InstancesPageVM{Shell: shell(c, "Instances", "instances"),
		LaunchHref: "/images?region=" + region(c),
		Pager:      components.PagerVM{Page: page, Size: size, Total: total, Base: url.URL{Path: "/instances", RawQuery: "region=" + region(c)}, Target: ""}}
	vm.Alert, vm.AlertCode = fe.Place()
	for i := range rows {
		vm.Rows = append(vm.Rows, h.instanceRow(c, &rows[i]))
	}
	return Render(c, status, pages.InstancesPage(vm))
}

// InstanceRow is the fragment a busy row polls; a terminated instance
// answers with nothing, which removes the row.
func (h *Handler) InstanceRow(c echo.Context) error {
	in, err := h.store.Instance(c.Request().Context(), account(c).ID, c.Param("id"))
	if models.ErrorCode(err) == models.CodeInstanceNotFound && isFragment(c) {
		return c.HTML(http.StatusOK, "") // htmx swaps the row away
	}
	if err != nil {
		return err
	}
	return Render(c, http.StatusOK, pages.InstanceRow(h.instanceRow(c, in)))
}

// InstanceAction runs stop, start, reboot or terminate on one instance.
func (h *Handler) InstanceAction(c echo.Context) error {
	ctx, id := c.Request().Context(), c.Param("id")
	actions := map[string]func() error{
		"stop":      func() error { return h.store.StopInstances(ctx, actor(c), []string{id}) },
		"start":     func() error { return h.store.StartInstances(ctx, actor(c), []string{id}) },
		"reboot":    func() error { return h.store.RebootInstances(ctx, actor(c), []string{id}) },
		"terminate": func() error { return h.store.TerminateInstances(ctx, actor(c), []string{id}) },
	}
	do, ok := actions[c.Param("action")]
	if !ok {
		return echo.ErrNotFound
	}
	if err := do(); err != nil {
		// A refused action comes back on the row htmx swaps, or on the
		// list for a plain form post.
		return refusal(err, func(status int, fe components.FormError) error {
			if !isFragment(c) {
				return h.renderInstances(c, status, fe)
			}
			return h.renderInstanceRow(c, status, id, fe)
		})
	}
	if !isFragment(c) {
		return redirect(c, "/instances?region="+region(c))
	}
	return h.renderInstanceRow(c, http.StatusOK, id, components.FormError{})
}

// renderInstanceRow draws one row after an action, with the action's
// refusal, if any, on it.
func (h *Handler) renderInstanceRow(c echo.Context, status int, id string, fe components.FormError) error {
	in, err := h.store.Instance(c.Request().Context(), account(c).ID, id)
	if err != nil {
		return err
	}
	row := h.instanceRow(c, in)
	if msg, code := fe.Place(); msg != "" {
		row.Error = fmt.Sprintf("%s (%s)", msg, code)
	}
	return Render(c, status, pages.InstanceRow(row))
}

// ShowInstance is the instance detail page.
func (h *Handler) ShowInstance(c echo.Context) error {
	return h.renderInstance(c, http.StatusOK, components.FormError{}, models.ImageInput{}, "")
}

// renderInstance draws the detail page with its create-image and reinstall
// forms holding what was posted; fe goes next to the field it names.
func (h *Handler) renderInstance(c echo.Context, status int, fe components.FormError, in models.ImageInput, resetImage string) error {
	inst, err := h.store.Instance(c.Request().Context(), account(c).ID, c.Param("id"))
	if err != nil {
		return err
	}
	vm := pages.InstanceDetailPageVM{Shell: shell(c, inst.Name, "instances"), Row: h.instanceRow(c, inst),
		CanImage: inst.Allows(models.InstanceActionCreateImage), CanReset: inst.Allows(models.InstanceActionReset),
		ImageName:        components.FieldVM{Name: "name", Label: "Image name", Type: "text", Value: in.Name, Required: true, MaxLength: models.MaxImageName},
		ImageDescription: components.FieldVM{Name: "description", Label: "Description", Value: in.Description, MaxLength: models.MaxImageDescription},
		Reinstall:        components.FieldVM{Name: "image", Label: "Image", Value: resetImage},
		Attributes: []pages.Attribute{{Label: "Instance ID", Value: inst.ID}, {Label: "Region", Value: inst.Region},
			{Label: "Zone", Value: inst.Zone}, {Label: "Type", Value: fmt.Sprintf("%s (%d vCPU, %d GiB)", inst.Type, inst.CPU, inst.Memory)},
			{Label: "Image", Value: inst.ImageID}, {Label: "Operating system", Value: inst.OsName}, {Label: "Architecture", Value: inst.Arch},
			{Label: "Latest operation", Value: inst.LatestOperation + " " + inst.LatestOperationState},
			{Label: "Created", Value: inst.CreatedAt.UTC().Format("2006-01-02T15:04:05Z")}},
	}
	if err := inst.Check(models.InstanceActionCreateImage); err != nil {
		vm.ImageNote = models.ErrorMessage(err) // the rule, in the store's words
	}
	if inst.Region != region(c) {
		vm.Shell.Region = inst.Region
	}
	switchRegionTo(&vm.Shell, "/instances")
	if vm.Images, err = h.reinstallOptions(c, inst); err != nil {
		return err
	}
	vm.Alert, vm.AlertCode = fe.Place(&vm.ImageName, &vm.ImageDescription, &vm.Reinstall)
	return Render(c, status, pages.InstanceDetailPage(vm))
}

// reinstallOptions lists the images an instance can be reinstalled from:
// the account's custom and shared images of its region, then the common
// images, each one the instance can install.
func (h *Handler) reinstallOptions(c echo.Context, inst *models.Instance) ([]components.Option, error) {
	var out []components.Option
	for _, tab := range []string{models.TabCustom, models.TabShared, models.TabCommon} {
		page, err := h.store.ListImages(c.Request().Context(), account(c).ID, models.ImageQuery{Region: inst.Region, Tab: tab, Sort: models.SortName, Size: models.MaxPageSize})
		if err != nil {
			return nil, err
		}
		for _, img := range page.Rows {
			if inst.CanInstall(&img) {
				out = append(out, components.Option{Value: img.ID, Label: tabLabels[tab] + ": " + img.Name + " (" + img.ID + ")"})
			}
		}
	}
	return out, nil
}

// CreateImageFromInstance makes a custom image from the instance, in the
// region the form names: the detail page posts the instance's own.
func (h *Handler) CreateImageFromInstance(c echo.Context) error {
	in := models.ImageInput{Region: region(c), Name: c.FormValue("name"), Description: c.FormValue("description")}
	id, err := h.store.CreateImage(c.Request().Context(), actor(c), c.Param("id"), in)
	if err != nil {
		return refusal(err, func(status int, fe components.FormError) error { return h.renderInstance(c, status, fe, in, "") })
	}
	return redirect(c, "/images/"+id+"?region="+in.Region+"&flash="+url.QueryEscape("Image creation started."))
}

// ResetInstance reinstalls the instance from the chosen image (R8).
func (h *Handler) ResetInstance(c echo.Context) error {
	err := h.store.ResetInstance(c.Request().Context(), actor(c), c.Param("id"), c.FormValue("image"))
	if err != nil {
		return refusal(err, func(status int, fe components.FormError) error {
			return h.renderInstance(c, status, fe, models.ImageInput{}, c.FormValue("image"))
		})
	}
	return redirect(c, "/instances/"+c.Param("id")+"?flash="+url.QueryEscape("Reinstall started."))
}
