package handlers

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/views/components"
	"imageconsole/views/pages"
)

// launchInput reads the wizard's form (or query, for the price preview).
// The built-in components come from their checkboxes: an unticked box is
// not sent.
func launchInput(c echo.Context) models.LaunchInput {
	count, err := strconv.Atoi(c.FormValue("count"))
	if err != nil {
		count = 0
	}
	return models.LaunchInput{Region: region(c), Zone: c.FormValue("zone"), InstanceType: c.FormValue("instance_type"),
		ImageID: c.FormValue("image"), Name: c.FormValue("name"), Count: count, AcknowledgeShared: c.FormValue("ack_shared") == "yes",
		Enhanced: models.EnhancedService{Security: c.FormValue("security") == "yes", Monitor: c.FormValue("monitor") == "yes"}}
}

// wizardInput is what the wizard shows: the choices its URL carries (a
// link, or the no-JavaScript "Update price"), else the defaults, one
// instance with both components ticked as Tencent Cloud's console does;
// a refused launch's typed values override both.
func wizardInput(c echo.Context) models.LaunchInput {
	in := launchInput(c)
	if c.QueryParam("count") == "" {
		in.Count = 1
	}
	in.Enhanced.Security = c.QueryParam("security") != "no"
	in.Enhanced.Monitor = c.QueryParam("monitor") != "no"
	if f := flash(c); f.Form != nil {
		in.Zone, in.InstanceType, in.Name = f.Value("zone"), f.Value("instance_type"), f.Value("name")
		in.Count, _ = strconv.Atoi(f.Value("count"))
		in.Enhanced = models.EnhancedService{Security: f.Value("security") == "yes", Monitor: f.Value("monitor") == "yes"}
	}
	return in
}

// launchURL is the wizard showing in's choices.
func launchURL(in models.LaunchInput) string {
	yesNo := map[bool]string{true: "yes", false: "no"}
	q := url.Values{"region": {in.Region}, "image": {in.ImageID}, "zone": {in.Zone}, "instance_type": {in.InstanceType},
		"count": {strconv.Itoa(in.Count)}, "name": {in.Name},
		"security": {yesNo[in.Enhanced.Security]}, "monitor": {yesNo[in.Enhanced.Monitor]}}
	return "/instances/new?" + q.Encode()
}

// NewInstance is the launch wizard for an image of the current region;
// without an image it is the step before: the images to launch from.
func (h *Handler) NewInstance(c echo.Context) error {
	if c.QueryParam("image") == "" {
		return h.launchPicker(c)
	}
	f := flash(c)
	return h.renderLaunch(c, wizardInput(c), f.Refused)
}

// renderLaunch shows the wizard with the price of in's choices; the image
// is read to draw it, with the warning the store will ask to be accepted.
// fe goes next to the field it names, the acknowledgement checkbox
// included, and into the summary at the top, which links to that field.
func (h *Handler) renderLaunch(c echo.Context, in models.LaunchInput, fe components.FormError) error {
	img, err := h.store.Image(c.Request().Context(), account(c).ID, in.Region, in.ImageID)
	if err != nil {
		return err
	}
	l := lang(c)
	r, _ := models.LookupRegion(in.Region)
	if in.Zone == "" {
		in.Zone = r.Zones[0]
	}
	if in.InstanceType == "" {
		for _, it := range models.InstanceTypes {
			if it.CanRun(img.Arch) {
				in.InstanceType = it.Type
				break
			}
		}
	}
	images, err := h.launchImages(c, r.ID, img)
	if err != nil {
		return err
	}
	vm := pages.LaunchPageVM{Shell: shell(c, l.T("instances.launch.title"), "instances"), ImageID: img.ID, ImageName: img.Name, ImageArch: img.Arch,
		Images:   images,
		Security: in.Enhanced.Security, Monitor: in.Enhanced.Monitor,
		Zone: components.FieldVM{Name: "zone", Label: l.T("instances.col.zone"), Value: in.Zone},
		Type: components.FieldVM{Name: "instance_type", Label: l.T("instances.col.type"), Value: in.InstanceType,
			Hint: l.T("instances.launch.typeHint", "Arch", img.Arch)},
		Count: components.FieldVM{Name: "count", Label: l.T("instances.launch.count"), Type: "number", Value: strconv.Itoa(in.Count), Required: true},
		Name: components.FieldVM{Name: "name", Label: l.T("instances.launch.name"), Type: "text", Value: in.Name, MaxLength: models.MaxInstanceName,
			Hint: l.T("instances.launch.nameHint")}}
	for _, z := range r.Zones {
		vm.Zones = append(vm.Zones, components.Option{Value: z, Label: z})
	}
	for _, it := range models.InstanceTypes {
		if it.CanRun(img.Arch) {
			vm.Types = append(vm.Types, components.Option{Value: it.Type, Label: l.T("instances.launch.typeOption",
				"Type", it.Type, "CPU", it.CPU, "Memory", it.Memory, "Price", l.Money(it.HourlyPrice(r)))})
		}
	}
	fields := []*components.FieldVM{&vm.Count, &vm.Name, &vm.Zone, &vm.Type}
	if w := img.SharedWarning(); w != nil {
		vm.Shared, vm.SharedOwner, vm.Warning = true, w.SharedBy, w.Text
		vm.Ack = components.FieldVM{Name: "ack_shared"}
		fields = append(fields, &vm.Ack) // only a shown checkbox can hold an error
	}
	vm.Alert, vm.AlertCode = fe.Place(fields...)
	vm.Errors = errorSummary(vm.Alert, vm.AlertCode, fields)
	vm.Quote = h.quote(c, in)
	return Render(c, http.StatusOK, pages.LaunchPage(vm))
}

// launchSections maps the wizard's fields to the section that holds them,
// the target of the error summary's links.
var launchSections = map[string]string{"zone": "launch-where", "instance_type": "launch-where",
	"count": "launch-count", "name": "launch-count", "ack_shared": "launch-shared"}

// errorSummary lists a refused form's errors for the top of the page: the
// form's own alert, or each field's message with a link to its section.
func errorSummary(alert, code string, fields []*components.FieldVM) []pages.ErrorLinkVM {
	var out []pages.ErrorLinkVM
	if alert != "" {
		out = append(out, pages.ErrorLinkVM{Message: alert, Code: code})
	}
	for _, f := range fields {
		if f.Error != "" {
			out = append(out, pages.ErrorLinkVM{Message: f.Error, Code: f.ErrorCode, Target: launchSections[f.Name]})
		}
	}
	return out
}

// quote prices the wizard's current choices.
func (h *Handler) quote(c echo.Context, in models.LaunchInput) pages.QuoteVM {
	l := lang(c)
	plan, err := h.store.QuoteLaunch(c.Request().Context(), account(c).ID, in)
	if err != nil {
		return pages.QuoteVM{Error: models.ErrorText(err, l)}
	}
	q := plan.Quote
	return pages.QuoteVM{Instance: l.Money(q.InstancePerHour), Image: l.Money(q.ImagePerHour), Unit: l.Money(q.UnitPrice),
		Total: l.Money(q.TotalPerHour) + l.T("instances.quote.perHour"), Count: strconv.Itoa(q.Count), Reason: l.T(q.ImageReasonID)}
}

// QuoteInstance is the price breakdown fragment the wizard refreshes.
func (h *Handler) QuoteInstance(c echo.Context) error {
	return Render(c, http.StatusOK, pages.LaunchQuote(h.quote(c, launchInput(c))))
}

// LaunchInstances starts the instances. The wizard's checkbox carries the
// acknowledgement a shared image needs; the store decides whether it does.
// Its "Update price" button (shown without JavaScript) posts the same form
// with quote set: the answer is the wizard again, priced for the choices.
// A refusal goes back to the wizard, which opens at the error.
func (h *Handler) LaunchInstances(c echo.Context) error {
	in := launchInput(c)
	if c.FormValue("quote") != "" {
		return redirect(c, launchURL(in))
	}
	ids, err := h.store.RunInstances(c.Request().Context(), actor(c), in)
	if err != nil {
		// The summary is at the top, where the page opens, and takes the
		// focus (autofocus): no fragment, which would scroll it under the
		// sticky header.
		return h.refuseTo(c, launchURL(in), err, nil)
	}
	return h.notifyAndRedirect(c, instancesURL(in.Region), "instances.notice.launching", "Count", len(ids))
}

// launchImages lists the images the wizard can switch to: the current one
// first, then the region's custom and shared images and the catalog.
func (h *Handler) launchImages(c echo.Context, region string, current *models.Image) ([]components.Option, error) {
	out := []components.Option{{Value: current.ID, Label: lang(c).T("instances.currentImage", "Name", current.Name, "ID", current.ID)}}
	for _, tab := range launchTabs {
		imgs, err := h.launchable(c, region, tab)
		if err != nil {
			return nil, err
		}
		for _, img := range imgs {
			if img.ID != current.ID {
				out = append(out, components.Option{Value: img.ID, Label: imageOptionLabel(lang(c), tab, &img)})
			}
		}
	}
	return out, nil
}

// launchTabs are the image tabs a launch can start from, in the order the
// wizard offers them.
var launchTabs = []string{models.TabCustom, models.TabShared, models.TabCommon, models.TabMarket}

// launchable is a tab's images of the region that can be launched now
// (the store still checks the launch itself). A failed read is the page's
// error, not an empty list that would say there is nothing to launch.
func (h *Handler) launchable(c echo.Context, region, tab string) ([]models.Image, error) {
	page, err := h.store.ListImages(c.Request().Context(), account(c).ID, models.ImageQuery{Region: region, Tab: tab, Sort: models.SortName, Size: models.MaxPageSize})
	if err != nil {
		return nil, err
	}
	var out []models.Image
	for _, img := range page.Rows {
		if img.Installable() {
			out = append(out, img)
		}
	}
	return out, nil
}
