package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/views/components"
	"imageconsole/views/pages"
)

// ListListings is a provider's listings with status, comments and usage.
func (h *Handler) ListListings(c echo.Context) error {
	return h.renderListings(c, http.StatusOK, components.FormError{})
}

func (h *Handler) renderListings(c echo.Context, status int, fe components.FormError) error {
	page, err := h.store.ProviderListings(c.Request().Context(), actor(c), atoi(c.QueryParam("page")), 20)
	if err != nil {
		return err
	}
	vm := pages.MarketListingsPageVM{Shell: shell(c, "Market listings", "market"),
		Pager: components.PagerVM{Page: page.Page, Size: page.Size, Total: page.Total, Base: url.URL{Path: "/market/listings"}}}
	vm.Alert, vm.AlertCode = fe.Place()
	now := h.now()
	for _, ls := range page.Rows {
		latest := ls.Latest()
		row := pages.ListingRowVM{ID: latest.SeriesID, Name: latest.Name, Version: latest.Version, Status: latest.Status,
			Comment: latest.ReviewComment, Price: money(latest.HourlyPrice), Regions: regionsLabel(latest.RegionList()),
			Launched: fmt.Sprint(ls.Usage.Launched), Running: fmt.Sprint(ls.Usage.Running), Hours: fmt.Sprintf("%.2f", ls.Usage.Hours),
			VersionHref: "/market/listings/" + latest.SeriesID + "/version?region=" + region(c)}
		if ls.Live != nil && ls.Image != nil {
			row.LiveVersion, row.LivePrice = ls.Live.Version, money(ls.Live.HourlyPrice)
			row.ImageID, row.ImageHref = ls.Image.ID, "/images/"+ls.Image.ID
		}
		for _, v := range ls.Versions {
			row.CanWithdraw = row.CanWithdraw || v.Withdrawable()
			hv := pages.ListingVersionVM{Version: v.Version, Status: v.Status, Comment: v.ReviewComment}
			hv.Submitted, hv.SubmittedExact = ago(v.CreatedAt, now)
			row.History = append(row.History, hv)
		}
		vm.Rows = append(vm.Rows, row)
	}
	return Render(c, status, pages.MarketListingsPage(vm))
}

// regionsLabel names a listing's regions; none means all.
func regionsLabel(regions []string) string {
	if len(regions) == 0 {
		return "All regions"
	}
	return strings.Join(regions, ", ")
}

// NewListing is the publish form for one of the provider's custom images.
func (h *Handler) NewListing(c echo.Context) error {
	d, err := h.store.NewListingDraft(c.Request().Context(), actor(c), region(c), c.QueryParam("image"))
	if err != nil {
		return err
	}
	return h.renderListingForm(c, http.StatusOK, d, components.FormError{})
}

// listingInput reads the publish form.
func listingInput(c echo.Context) models.ListingInput {
	form, _ := c.FormParams()
	return models.ListingInput{SourceImageID: c.FormValue("image"), Name: c.FormValue("name"), Description: c.FormValue("description"),
		Category: c.FormValue("category"), Version: c.FormValue("version"), HourlyPrice: c.FormValue("hourly_price"),
		Regions: form["regions"], ReleaseNotes: c.FormValue("release_notes")}
}

// CreateListing submits a new listing for review.
func (h *Handler) CreateListing(c echo.Context) error {
	in := listingInput(c)
	l, err := h.store.PublishListing(c.Request().Context(), actor(c), region(c), in)
	if err != nil {
		return refusal(err, func(status int, fe components.FormError) error {
			d, err := h.store.NewListingDraft(c.Request().Context(), actor(c), region(c), "")
			if err != nil {
				return err
			}
			d.Input = in
			return h.renderListingForm(c, status, d, fe)
		})
	}
	return redirect(c, "/market/listings?flash="+url.QueryEscape(l.Name+" "+l.Version+" was submitted for review."))
}

// NewListingVersion is the form for a new version of a listing.
func (h *Handler) NewListingVersion(c echo.Context) error {
	d, err := h.store.NextVersionDraft(c.Request().Context(), actor(c), region(c), c.Param("id"))
	if err != nil {
		return err
	}
	return h.renderListingForm(c, http.StatusOK, d, components.FormError{})
}

// CreateListingVersion submits a new version of a listing for review.
func (h *Handler) CreateListingVersion(c echo.Context) error {
	in := listingInput(c)
	l, err := h.store.SubmitListingVersion(c.Request().Context(), actor(c), region(c), c.Param("id"), in)
	if err != nil {
		return refusal(err, func(status int, fe components.FormError) error {
			d, err := h.store.NextVersionDraft(c.Request().Context(), actor(c), region(c), c.Param("id"))
			if err != nil {
				return err
			}
			d.Input = in
			return h.renderListingForm(c, status, d, fe)
		})
	}
	return redirect(c, "/market/listings?flash="+url.QueryEscape(l.Name+" "+l.Version+" was submitted for review."))
}

// WithdrawListing takes a listing off the market.
func (h *Handler) WithdrawListing(c echo.Context) error {
	if err := h.store.WithdrawListing(c.Request().Context(), actor(c), c.Param("id")); err != nil {
		return refusal(err, func(status int, fe components.FormError) error { return h.renderListings(c, status, fe) })
	}
	return redirect(c, "/market/listings?flash="+url.QueryEscape("Listing withdrawn: running instances keep running, new launches are refused."))
}

func (h *Handler) renderListingForm(c echo.Context, status int, d models.ListingDraft, fe components.FormError) error {
	in := d.Input
	vm := pages.MarketFormPageVM{Shell: shell(c, "Publish to market", "market"), Heading: "Publish to market",
		Action: "/market/listings?region=" + region(c), CancelHref: "/market/listings",
		Source:      components.FieldVM{Name: "image", Label: "Custom image in " + region(c), Value: in.SourceImageID},
		Name:        components.FieldVM{Name: "name", Label: "Listing name", Type: "text", Value: in.Name, Required: true, MaxLength: models.MaxImageName},
		Description: components.FieldVM{Name: "description", Label: "Description", Value: in.Description, MaxLength: models.MaxImageDescription},
		Category:    components.FieldVM{Name: "category", Label: "Category", Value: in.Category},
		Version:     components.FieldVM{Name: "version", Label: "Version", Type: "text", Value: in.Version, Required: true, MaxLength: models.MaxListingVersion},
		Price: components.FieldVM{Name: "hourly_price", Label: "Hourly price (CNY per instance-hour)", Type: "text", Value: in.HourlyPrice, Required: true,
			Hint: "Users pay it on top of the instance price (R7); instances keep the price they were launched with."},
		ReleaseNotes: components.FieldVM{Name: "release_notes", Label: "Release notes", Value: in.ReleaseNotes, MaxLength: models.MaxReleaseNotes}}
	if d.Series != nil {
		vm.Heading = "New version of " + d.Series.Name
		vm.Series = d.Series.SeriesID
		vm.Action = "/market/listings/" + d.Series.SeriesID + "/version?region=" + region(c)
	}
	for _, img := range d.Sources {
		vm.Sources = append(vm.Sources, components.Option{Value: img.ID, Label: img.Name + " (" + img.ID + ")"})
	}
	for _, cat := range models.MarketCategories {
		vm.Categories = append(vm.Categories, components.Option{Value: cat, Label: cat})
	}
	for _, r := range models.Regions {
		vm.Regions = append(vm.Regions, pages.RegionChoiceVM{ID: r.ID, Name: r.Name, Checked: slices.Contains(in.Regions, r.ID)})
	}
	// The regions are a group of checkboxes: their message has its own place.
	if fe.Field == "regions" {
		vm.RegionsError, fe = fe.Message, components.FormError{}
	}
	vm.Alert, vm.AlertCode = fe.Place(&vm.Source, &vm.Name, &vm.Description, &vm.Category, &vm.Version, &vm.Price, &vm.ReleaseNotes)
	return Render(c, status, pages.MarketFormPage(vm))
}
