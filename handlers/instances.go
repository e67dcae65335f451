package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/models/i18n"
	"imageconsole/views/components"
	"imageconsole/views/pages"
)

func (h *Handler) instanceRow(c echo.Context, in *models.Instance) pages.InstanceRowVM {
	l := lang(c)
	return pages.InstanceRowVM{CSRF: csrfToken(c), ID: in.ID, Name: in.Name, State: in.State, StateLabel: instanceStateLabel(l, in.State),
		Region: in.Region, Type: in.Type, Zone: in.Zone, ImageID: in.ImageID, OsName: in.OsName, Busy: in.Busy(),
		Created: l.Time(in.CreatedAt), CreatedExact: in.CreatedAt.UTC().Format(time.RFC3339),
		CanStop: in.Allows(models.InstanceActionStop), CanReboot: in.Allows(models.InstanceActionReboot),
		CanStart: in.Allows(models.InstanceActionStart), CanDelete: in.Allows(models.InstanceActionTerminate)}
}

// instanceStateLabel names a state in the reader's words ("Running",
// "运行中"); a state the catalogue does not know shows as its code.
func instanceStateLabel(l i18n.Lang, state string) string {
	return l.Label("instances.state.", state)
}

// instancesURL is the list of a region's instances.
func instancesURL(region string) string { return "/instances?region=" + url.QueryEscape(region) }

// instanceURL is an instance's detail page; it names the instance's
// region so that it opens from any region the selector shows.
func instanceURL(in *models.Instance) string {
	return "/instances/" + in.ID + "?region=" + url.QueryEscape(in.Region)
}

// ListInstances is the Instances page of the current region; a refused
// plain row action shows here as the list's alert.
func (h *Handler) ListInstances(c echo.Context) error {
	page := max(atoi(c.QueryParam("page")), 1)
	const size = 20
	rows, total, err := h.store.Instances(c.Request().Context(), account(c).ID, models.InstanceQuery{Region: region(c), Offset: int64((page - 1) * size), Limit: size})
	if err != nil {
		return err
	}
	vm := pages.InstancesPageVM{Shell: shell(c, t(c, "instances.list.title"), "instances"), Total: total,
		LaunchHref: "/instances/new?region=" + url.QueryEscape(region(c)),
		Pager:      components.PagerVM{Page: page, Size: size, Total: total, Base: url.URL{Path: "/instances", RawQuery: "region=" + region(c)}}}
	vm.Alert, vm.AlertCode = flash(c).Refused.Place()
	for i := range rows {
		vm.Rows = append(vm.Rows, h.instanceRow(c, &rows[i]))
	}
	return Render(c, http.StatusOK, pages.InstancesPage(vm))
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

// instanceNotices is the success message of each row action.
var instanceNotices = map[string]string{"stop": "instances.notice.stop", "start": "instances.notice.start",
	"reboot": "instances.notice.reboot", "terminate": "instances.notice.terminate"}

// InstanceAction runs stop, start, reboot or terminate on one instance.
// htmx swaps the row (with a refusal on it); a plain form post goes back
// to the page it came from, the list or the detail page, the
// Post/Redirect/Get way.
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
	back := instancesURL(region(c))
	if c.FormValue("from") == "detail" {
		back = "/instances/" + url.PathEscape(id) + "?region=" + url.QueryEscape(region(c))
	}
	if err := do(); err != nil {
		return h.refuseTo(c, back, err, func(status int, fe components.FormError) error {
			return h.renderInstanceRow(c, status, id, fe)
		})
	}
	if !isFragment(c) {
		return h.notifyAndRedirect(c, back, instanceNotices[c.Param("action")], "ID", id)
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

// ShowInstance is the instance detail page. It opens from any selected
// region (the instance's own becomes the page's), and shows a refused
// create-image or reinstall form with the error next to the field and
// what was typed.
func (h *Handler) ShowInstance(c echo.Context) error {
	f := flash(c)
	in := models.ImageInput{Name: f.Value("name"), Description: f.Value("description")}
	return h.renderInstance(c, f.Refused, in, f.Value("image"))
}

// renderInstance draws the detail page with its create-image and reinstall
// forms holding what was posted; fe goes next to the field it names.
func (h *Handler) renderInstance(c echo.Context, fe components.FormError, in models.ImageInput, resetImage string) error {
	inst, err := h.store.Instance(c.Request().Context(), account(c).ID, c.Param("id"))
	if err != nil {
		return err
	}
	l := lang(c)
	vm := pages.InstanceDetailPageVM{Shell: shell(c, inst.Name, "instances"), Row: h.instanceRow(c, inst),
		CanImage: inst.Allows(models.InstanceActionCreateImage), CanReset: inst.Allows(models.InstanceActionReset),
		ImageName: components.FieldVM{Name: "name", Label: l.T("instances.image.name"), Type: "text", Value: in.Name,
			Required: true, MaxLength: models.MaxImageName},
		ImageDescription: components.FieldVM{Name: "description", Label: l.T("instances.image.description"), Value: in.Description,
			MaxLength: models.MaxImageDescription},
		Reinstall:  components.FieldVM{Name: "image", Label: l.T("instances.reset.image"), Value: resetImage},
		Attributes: instanceAttributes(l, inst),
		Services:   serviceRows(l, installedServices(inst)),
	}
	vm.Row.OnDetail = true
	if err := inst.Check(models.InstanceActionCreateImage); err != nil {
		vm.ImageNote = models.ErrorText(err, l) // the rule, in the store's words
	}
	vm.Shell.Region = inst.Region
	switchRegionTo(&vm.Shell, "/instances")
	if vm.Images, err = h.reinstallOptions(c, inst); err != nil {
		return err
	}
	vm.Alert, vm.AlertCode = fe.Place(&vm.ImageName, &vm.ImageDescription, &vm.Reinstall)
	return Render(c, http.StatusOK, pages.InstanceDetailPage(vm))
}

// instanceAttributes is the detail page's list of facts, in the reader's
// words.
func instanceAttributes(l i18n.Lang, in *models.Instance) []pages.Attribute {
	op := l.Label("instances.op.", in.LatestOperation)
	if id := "instances.opState." + in.LatestOperationState; in.LatestOperationState != "" && i18n.Has(id) {
		op = l.T("instances.detail.operationValue", "Operation", op, "State", l.T(id))
	}
	return []pages.Attribute{{Label: l.T("instances.detail.id"), Value: in.ID}, {Label: l.T("instances.detail.region"), Value: in.Region},
		{Label: l.T("instances.col.zone"), Value: in.Zone},
		{Label: l.T("instances.col.type"), Value: l.T("instances.detail.typeValue", "Type", in.Type, "CPU", in.CPU, "Memory", in.Memory)},
		{Label: l.T("instances.detail.billing"), Value: l.T("instances.charge.POSTPAID_BY_HOUR")},
		{Label: l.T("instances.col.image"), Value: in.ImageID}, {Label: l.T("instances.detail.os"), Value: in.OsName},
		{Label: l.T("instances.detail.arch"), Value: in.Arch},
		{Label: l.T("instances.detail.operation"), Value: op},
		{Label: l.T("instances.col.created"), Value: l.Time(in.CreatedAt)}}
}

// installedServices is the one place the console reads which built-in
// components an instance runs: nil while the store does not record them,
// and the page then shows no section rather than a guess. Merged with ha
// (Instance.SecurityService and MonitorService), the body becomes
//
//	return &models.EnhancedService{Security: in.SecurityService, Monitor: in.MonitorService}
func installedServices(in *models.Instance) *models.EnhancedService {
	return &models.EnhancedService{Security: in.SecurityService, Monitor: in.MonitorService}
}

// serviceRows is the services section of the detail page, empty when
// the instance's components are not known.
func serviceRows(l i18n.Lang, s *models.EnhancedService) []pages.ServiceVM {
	if s == nil {
		return nil
	}
	state := func(on bool) string {
		if on {
			return l.T("instances.services.installed")
		}
		return l.T("instances.services.notInstalled")
	}
	return []pages.ServiceVM{
		{Key: "security", Label: l.T("instances.services.security"), On: s.Security, State: state(s.Security)},
		{Key: "monitor", Label: l.T("instances.services.monitor"), On: s.Monitor, State: state(s.Monitor)},
	}
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
				out = append(out, components.Option{Value: img.ID, Label: imageOptionLabel(lang(c), tab, &img)})
			}
		}
	}
	return out, nil
}

// imageOptionLabel is an image in a select: its tab, name and ID.
func imageOptionLabel(l i18n.Lang, tab string, img *models.Image) string {
	return l.T("instances.imageOption", "Tab", imageTabLabel(l, tab), "Name", img.Name, "ID", img.ID)
}

// imageTabLabel names an image tab in the reader's words.
func imageTabLabel(l i18n.Lang, tab string) string {
	return l.Label("images.tab.", tab)
}

// CreateImageFromInstance makes a custom image from the instance, in the
// region the form names: the detail page posts the instance's own. A
// refusal goes back to the detail page, to the form.
func (h *Handler) CreateImageFromInstance(c echo.Context) error {
	in := models.ImageInput{Region: region(c), Name: c.FormValue("name"), Description: c.FormValue("description")}
	id, err := h.store.CreateImage(c.Request().Context(), actor(c), c.Param("id"), in)
	if err != nil {
		back := "/instances/" + url.PathEscape(c.Param("id")) + "?region=" + url.QueryEscape(in.Region) + "#image-dialog"
		return h.refuseTo(c, back, err, nil)
	}
	return h.notifyAndRedirect(c, "/images/"+id+"?region="+url.QueryEscape(in.Region), "instances.notice.imageCreating", "ID", id)
}

// ResetInstance reinstalls the instance from the chosen image (R8).
func (h *Handler) ResetInstance(c echo.Context) error {
	id := url.PathEscape(c.Param("id"))
	err := h.store.ResetInstance(c.Request().Context(), actor(c), c.Param("id"), c.FormValue("image"))
	if err != nil {
		return h.refuseTo(c, "/instances/"+id+"?region="+url.QueryEscape(region(c))+"#reset-dialog", err, nil)
	}
	return h.notifyAndRedirect(c, "/instances/"+id+"?region="+url.QueryEscape(region(c)), "instances.notice.reset", "ID", c.Param("id"))
}
