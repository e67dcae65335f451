package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/views/components"
	"imageconsole/views/pages"
)

// launchInput reads the wizard's form (or query, for the price preview).
func launchInput(c echo.Context) models.LaunchInput {
	count, err := strconv.Atoi(c.FormValue("count"))
	if err != nil {
		count = 0
	}
	return models.LaunchInput{Region: region(c), Zone: c.FormValue("zone"), InstanceType: c.FormValue("instance_type"),
		ImageID: c.FormValue("image"), Name: c.FormValue("name"), Count: count, AcknowledgeShared: c.FormValue("ack_shared") == "yes"}
}

// NewInstance is the launch wizard for an image of the current region.
func (h *Handler) NewInstance(c echo.Context) error {
	in := models.LaunchInput{Region: region(c), ImageID: c.QueryParam("image"), Count: 1}
	return h.renderLaunch(c, http.StatusOK, in, components.FormError{})
}

// renderLaunch shows the wizard; the image is read to draw it, with the
// warning the store will ask to be accepted. fe goes next to the field it
// names, the acknowledgement checkbox included.
func (h *Handler) renderLaunch(c echo.Context, status int, in models.LaunchInput, fe components.FormError) error {
	img, err := h.store.Image(c.Request().Context(), account(c).ID, in.Region, in.ImageID)
	if err != nil {
		return err
	}
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
	vm := pages.LaunchPageVM{Shell: shell(c, "Launch instances", "instances"), ImageID: img.ID, ImageName: img.Name, ImageArch: img.Arch,
		Images: h.launchImages(c, r.ID, img),
		Zone:   components.FieldVM{Name: "zone", Label: "Availability zone", Value: in.Zone},
		Type: components.FieldVM{Name: "instance_type", Label: "Instance type", Value: in.InstanceType,
			Hint: "Only types that can run a " + img.Arch + " image are offered."},
		Count: components.FieldVM{Name: "count", Label: "Number of instances (1–100)", Type: "number", Value: strconv.Itoa(in.Count), Required: true},
		Name: components.FieldVM{Name: "name", Label: "Name", Type: "text", Value: in.Name, MaxLength: models.MaxInstanceName,
			Hint: "Several instances get -1, -2, … appended."}}
	if img.Region != "" {
		switchRegionTo(&vm.Shell, "/images")
	}
	for _, z := range r.Zones {
		vm.Zones = append(vm.Zones, components.Option{Value: z, Label: z})
	}
	for _, it := range models.InstanceTypes {
		if it.CanRun(img.Arch) {
			vm.Types = append(vm.Types, components.Option{Value: it.Type,
				Label: fmt.Sprintf("%s — %d vCPU, %d GiB — %s/hour", it.Type, it.CPU, it.Memory, money(it.HourlyPrice(r)))})
		}
	}
	fields := []*components.FieldVM{&vm.Count, &vm.Name, &vm.Zone, &vm.Type}
	if w := img.SharedWarning(); w != nil {
		vm.Shared, vm.SharedOwner, vm.Warning = true, w.SharedBy, w.Text
		vm.Ack = components.FieldVM{Name: "ack_shared"}
		fields = append(fields, &vm.Ack) // only a shown checkbox can hold an error
	}
	vm.Alert, vm.AlertCode = fe.Place(fields...)
	vm.Quote = h.quote(c, in)
	return Render(c, status, pages.LaunchPage(vm))
}

// quote prices the wizard's current choices.
func (h *Handler) quote(c echo.Context, in models.LaunchInput) pages.QuoteVM {
	plan, err := h.store.QuoteLaunch(c.Request().Context(), account(c).ID, in)
	if err != nil {
		return pages.QuoteVM{Error: models.ErrorMessage(err)}
	}
	q := plan.Quote
	return pages.QuoteVM{Instance: money(q.InstancePerHour), Image: money(q.ImagePerHour), Unit: money(q.UnitPrice),
		Total: money(q.TotalPerHour) + "/hour", Count: strconv.Itoa(q.Count), Reason: q.ImageReason}
}

// QuoteInstance is the price breakdown fragment the wizard refreshes.
func (h *Handler) QuoteInstance(c echo.Context) error {
	return Render(c, http.StatusOK, pages.LaunchQuote(h.quote(c, launchInput(c))))
}

// LaunchInstances starts the instances. The wizard's checkbox carries the
// acknowledgement a shared image needs; the store decides whether it does.
func (h *Handler) LaunchInstances(c echo.Context) error {
	in := launchInput(c)
	ids, err := h.store.RunInstances(c.Request().Context(), actor(c), in)
	if err != nil {
		return refusal(err, func(status int, fe components.FormError) error { return h.renderLaunch(c, status, in, fe) })
	}
	msg := fmt.Sprintf("Launching %d instance(s).", len(ids))
	return redirect(c, "/instances?region="+in.Region+"&flash="+url.QueryEscape(msg))
}

// launchImages lists the images the wizard can switch to: the current one
// first, then the region's custom and shared images and the catalog.
func (h *Handler) launchImages(c echo.Context, region string, current *models.Image) []components.Option {
	out := []components.Option{{Value: current.ID, Label: current.Name + " (" + current.ID + ")"}}
	for _, tab := range []string{models.TabCustom, models.TabShared, models.TabCommon, models.TabMarket} {
		page, err := h.store.ListImages(c.Request().Context(), account(c).ID, models.ImageQuery{Region: region, Tab: tab, Sort: models.SortName, Size: models.MaxPageSize})
		if err != nil {
			continue // the picker is a convenience; the current image is enough
		}
		for _, img := range page.Rows {
			if img.ID != current.ID && img.Installable() {
				out = append(out, components.Option{Value: img.ID, Label: tabLabels[tab] + ": " + img.Name + " (" + img.ID + ")"})
			}
		}
	}
	return out
}
