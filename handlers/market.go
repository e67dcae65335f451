package handlers

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/models/i18n"
	"imageconsole/views/components"
	"imageconsole/views/pages"
)

// ListListings is a provider's listings with status, comments and usage.
func (h *Handler) ListListings(c echo.Context) error {
	l := lang(c)
	page, err := h.store.ProviderListings(c.Request().Context(), actor(c), atoi(c.QueryParam("page")), 20)
	if err != nil {
		return err
	}
	vm := pages.MarketListingsPageVM{Shell: shell(c, l.T("market.listings.title"), "market"),
		Pager: components.PagerVM{Page: page.Page, Size: page.Size, Total: page.Total, Base: url.URL{Path: "/market/listings"}}}
	vm.Alert, vm.AlertCode = flash(c).Refused.Place()
	for _, ls := range page.Rows {
		latest := ls.Latest()
		row := pages.ListingRowVM{ID: latest.SeriesID, Name: latest.Name, Version: latest.Version, Status: latest.Status,
			StatusLabel: listingStatus(l, latest.Status), Comment: latest.ReviewComment, Price: l.Money(latest.HourlyPrice),
			Regions: regionsLabel(l, latest.RegionList()), Launched: strconv.FormatInt(ls.Usage.Launched, 10),
			Running: strconv.FormatInt(ls.Usage.Running, 10), Hours: strconv.FormatFloat(ls.Usage.Hours, 'f', 2, 64),
			VersionHref: "/market/listings/" + latest.SeriesID + "/version?region=" + region(c)}
		if ls.Live != nil && ls.Image != nil {
			row.LiveVersion, row.LivePrice = ls.Live.Version, l.Money(ls.Live.HourlyPrice)
			row.ImageID, row.ImageHref = ls.Image.ID, "/images/"+ls.Image.ID+"?region="+ls.Image.Region
		}
		for _, v := range ls.Versions {
			row.CanWithdraw = row.CanWithdraw || v.Withdrawable()
			row.History = append(row.History, pages.ListingVersionVM{Version: v.Version, Status: listingStatus(l, v.Status),
				Comment: v.ReviewComment, Submitted: l.Time(v.CreatedAt)})
		}
		vm.Rows = append(vm.Rows, row)
	}
	return Render(c, http.StatusOK, pages.MarketListingsPage(vm))
}

// listingStatus is the reader's name of a listing status.
func listingStatus(l i18n.Lang, status string) string {
	return l.Label("market.status.", status)
}

// categoryLabel is the reader's name of a market category (stored in English).
func categoryLabel(l i18n.Lang, cat string) string {
	return l.Label("market.category.", strings.ReplaceAll(strings.ToLower(cat), " ", "-"))
}

// regionsLabel names a listing's regions; none means all.
func regionsLabel(l i18n.Lang, regions []string) string {
	if len(regions) == 0 {
		return l.T("market.regions.all")
	}
	names := make([]string, len(regions))
	for i, id := range regions {
		names[i] = id
		if r, ok := models.LookupRegion(id); ok {
			names[i] = r.Name
		}
	}
	return strings.Join(names, l.T("market.list.sep"))
}

// NewListing is the publish form for one of the provider's custom images;
// after a refused post it shows the refusal and what was typed.
func (h *Handler) NewListing(c echo.Context) error {
	d, err := h.store.NewListingDraft(c.Request().Context(), actor(c), region(c), c.QueryParam("image"))
	if err != nil {
		return err
	}
	return h.renderListingForm(c, d)
}

// NewListingVersion is the form for a new version of a listing.
func (h *Handler) NewListingVersion(c echo.Context) error {
	d, err := h.store.NextVersionDraft(c.Request().Context(), actor(c), region(c), c.Param("id"))
	if err != nil {
		return err
	}
	return h.renderListingForm(c, d)
}

// listingInput reads the publish form's fields from form.
func listingInput(form url.Values) models.ListingInput {
	return models.ListingInput{SourceImageID: form.Get("image"), Name: form.Get("name"), Description: form.Get("description"),
		Category: form.Get("category"), Version: form.Get("version"), HourlyPrice: form.Get("hourly_price"),
		Regions: form["regions"], ReleaseNotes: form.Get("release_notes")}
}

// CreateListing submits a new listing for review.
func (h *Handler) CreateListing(c echo.Context) error {
	form, _ := c.FormParams()
	l, err := h.store.PublishListing(c.Request().Context(), actor(c), region(c), listingInput(form))
	if err != nil {
		return h.refuseTo(c, "/market/listings/new?region="+region(c), err, nil)
	}
	return h.notifyAndRedirect(c, "/market/listings", "market.notice.submitted", "Name", l.Name, "Version", l.Version)
}

// CreateListingVersion submits a new version of a listing for review.
func (h *Handler) CreateListingVersion(c echo.Context) error {
	form, _ := c.FormParams()
	l, err := h.store.SubmitListingVersion(c.Request().Context(), actor(c), region(c), c.Param("id"), listingInput(form))
	if err != nil {
		return h.refuseTo(c, "/market/listings/"+url.PathEscape(c.Param("id"))+"/version?region="+region(c), err, nil)
	}
	return h.notifyAndRedirect(c, "/market/listings", "market.notice.submitted", "Name", l.Name, "Version", l.Version)
}

// WithdrawListing takes a listing off the market.
func (h *Handler) WithdrawListing(c echo.Context) error {
	if err := h.store.WithdrawListing(c.Request().Context(), actor(c), c.Param("id")); err != nil {
		return h.refuseTo(c, "/market/listings", err, nil)
	}
	return h.notifyAndRedirect(c, "/market/listings", "market.notice.withdrawn")
}

func (h *Handler) renderListingForm(c echo.Context, d models.ListingDraft) error {
	l := lang(c)
	f := flash(c)
	if f.Refused.Message != "" {
		d.Input = listingInput(f.Form)
	}
	in := d.Input
	vm := pages.MarketFormPageVM{Shell: shell(c, l.T("market.form.title"), "market"), Heading: l.T("market.form.title"),
		Action: "/market/listings?region=" + region(c), CancelHref: "/market/listings", RegionName: regionName(c, region(c)),
		Source:      components.FieldVM{Name: "image", Label: l.T("market.form.image", "Region", regionName(c, region(c))), Value: in.SourceImageID},
		Name:        components.FieldVM{Name: "name", Label: l.T("market.form.name"), Type: "text", Value: in.Name, Required: true, MaxLength: models.MaxImageName},
		Description: components.FieldVM{Name: "description", Label: l.T("market.form.description"), Value: in.Description, MaxLength: models.MaxImageDescription},
		Category:    components.FieldVM{Name: "category", Label: l.T("market.form.category"), Value: in.Category},
		Version:     components.FieldVM{Name: "version", Label: l.T("market.form.version"), Type: "text", Value: in.Version, Required: true, MaxLength: models.MaxListingVersion},
		Price: components.FieldVM{Name: "hourly_price", Label: l.T("market.form.price"), Type: "text", Value: in.HourlyPrice, Required: true,
			Hint: l.T("market.form.price.hint")},
		ReleaseNotes: components.FieldVM{Name: "release_notes", Label: l.T("market.form.releaseNotes"), Value: in.ReleaseNotes, MaxLength: models.MaxReleaseNotes}}
	if d.Series != nil {
		vm.Heading = l.T("market.form.versionOf", "Name", d.Series.Name)
		vm.Series = d.Series.SeriesID
		vm.Action = "/market/listings/" + d.Series.SeriesID + "/version?region=" + region(c)
	}
	for _, img := range d.Sources {
		vm.Sources = append(vm.Sources, components.Option{Value: img.ID, Label: img.Name + " (" + img.ID + ")"})
	}
	for _, cat := range models.MarketCategories {
		vm.Categories = append(vm.Categories, components.Option{Value: cat, Label: categoryLabel(l, cat)})
	}
	for _, r := range models.Regions {
		vm.Regions = append(vm.Regions, pages.RegionChoiceVM{ID: r.ID, Name: r.Name, Checked: slices.Contains(in.Regions, r.ID)})
	}
	vm.ImportHref, vm.CustomHref = "/images/import?region="+region(c), "/images?region="+region(c)+"&tab=custom"
	fe := f.Refused
	// The regions are a group of checkboxes: their message has its own place.
	if fe.Field == "regions" {
		vm.RegionsError, fe = fe.Message, components.FormError{}
	}
	fields := []*components.FieldVM{&vm.Name, &vm.Description, &vm.Category, &vm.Version, &vm.Price, &vm.ReleaseNotes}
	if len(vm.Sources) > 0 { // without a choice the page shows no form, only the alert
		fields = append(fields, &vm.Source)
	}
	vm.Alert, vm.AlertCode = fe.Place(fields...)
	return Render(c, http.StatusOK, pages.MarketFormPage(vm))
}
