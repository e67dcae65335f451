package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/views/components"
	"imageconsole/views/pages"
)

// ListReviews is the operator's review queue.
func (h *Handler) ListReviews(c echo.Context) error {
	return h.renderReviews(c, http.StatusOK, components.FormError{}, "", "")
}

// renderReviews draws the queue; failed is the listing whose decision fe
// refused, with the comment that was posted for it.
func (h *Handler) renderReviews(c echo.Context, status int, fe components.FormError, failed, comment string) error {
	page, err := h.store.ReviewQueue(c.Request().Context(), actor(c), atoi(c.QueryParam("page")), 20)
	if err != nil {
		return err
	}
	vm := pages.ReviewsPageVM{Shell: shell(c, "Market reviews", "reviews"), Failed: failed, Comment: comment,
		Pager: components.PagerVM{Page: page.Page, Size: page.Size, Total: page.Total, Base: url.URL{Path: "/operator/reviews"}}}
	vm.Alert, vm.AlertCode = fe.Place()
	now := h.now()
	for _, it := range page.Rows {
		l := it.Listing
		row := pages.ReviewRowVM{ID: l.ID, Name: l.Name, Version: l.Version, LiveVersion: it.LiveVersion, Provider: it.ProviderName,
			ProviderEmail: it.ProviderEmail, Category: l.Category, Price: money(l.HourlyPrice), Regions: regionsLabel(l.RegionList()),
			Description: l.Description, ReleaseNotes: l.ReleaseNotes, SourceImageID: l.SourceImageID,
			Image: fmt.Sprintf("%s · %s · %d GiB", l.OsName, l.Arch, l.SizeGiB)}
		row.Submitted, row.SubmittedExact = ago(l.CreatedAt, now)
		vm.Rows = append(vm.Rows, row)
	}
	return Render(c, status, pages.OperatorReviewsPage(vm))
}

// ApproveListing puts a pending version on the market.
func (h *Handler) ApproveListing(c echo.Context) error {
	err := h.store.ApproveListing(c.Request().Context(), actor(c), c.Param("id"), c.FormValue("comment"))
	return h.decided(c, err, "Approved: the listing is in the Market tab.")
}

// RejectListing refuses a pending version with a reason.
func (h *Handler) RejectListing(c echo.Context) error {
	err := h.store.RejectListing(c.Request().Context(), actor(c), c.Param("id"), c.FormValue("comment"))
	return h.decided(c, err, "Rejected: the provider sees the reason.")
}

func (h *Handler) decided(c echo.Context, err error, done string) error {
	if err != nil {
		return refusal(err, func(status int, fe components.FormError) error {
			return h.renderReviews(c, status, fe, c.Param("id"), c.FormValue("comment"))
		})
	}
	return redirect(c, "/operator/reviews?flash="+url.QueryEscape(done))
}

// ShowCatalog is the operator's common catalog with the add form.
func (h *Handler) ShowCatalog(c echo.Context) error {
	return h.renderCatalog(c, http.StatusOK, models.CommonImageInput{Arch: models.ArchX86, SizeGiB: "20", CloudInit: true}, components.FormError{})
}

// AddCommonImage adds an official image to the catalog.
func (h *Handler) AddCommonImage(c echo.Context) error {
	in := models.CommonImageInput{Name: c.FormValue("name"), OsName: c.FormValue("os_name"), Platform: c.FormValue("platform"),
		Arch: c.FormValue("arch"), SizeGiB: c.FormValue("size"), CloudInit: c.FormValue("cloud_init") == "yes"}
	img, err := h.store.AddCommonImage(c.Request().Context(), actor(c), in)
	if err != nil {
		return refusal(err, func(status int, fe components.FormError) error { return h.renderCatalog(c, status, in, fe) })
	}
	return redirect(c, "/operator/catalog?flash="+url.QueryEscape("Added "+img.Name+" ("+img.ID+")."))
}

// DeprecateCommonImage hides a common image from the lists, or lists it again.
func (h *Handler) DeprecateCommonImage(c echo.Context) error {
	on := c.FormValue("deprecated") != "false"
	err := h.store.SetCommonImageDeprecated(c.Request().Context(), actor(c), c.Param("id"), on)
	done := "Deprecated: hidden from the lists, still launchable by ID."
	if !on {
		done = "Listed again."
	}
	return h.catalogChanged(c, err, done)
}

// RetireCommonImage takes a common image out of service.
func (h *Handler) RetireCommonImage(c echo.Context) error {
	err := h.store.RetireCommonImage(c.Request().Context(), actor(c), c.Param("id"))
	return h.catalogChanged(c, err, "Retired: it can no longer be launched.")
}

func (h *Handler) catalogChanged(c echo.Context, err error, done string) error {
	if err != nil {
		return refusal(err, func(status int, fe components.FormError) error {
			return h.renderCatalog(c, status, models.CommonImageInput{Arch: models.ArchX86, SizeGiB: "20"}, fe)
		})
	}
	back := url.Values{"page": {c.QueryParam("page")}, "flash": {c.Param("id") + ": " + done}}
	return redirect(c, "/operator/catalog?"+back.Encode())
}

// renderCatalog draws the catalog with the add form holding in; fe goes
// next to the field it names.
func (h *Handler) renderCatalog(c echo.Context, status int, in models.CommonImageInput, fe components.FormError) error {
	page, err := h.store.CommonCatalog(c.Request().Context(), actor(c), atoi(c.QueryParam("page")), 50)
	if err != nil {
		return err
	}
	vm := pages.CatalogPageVM{Shell: shell(c, "Common catalog", "catalog"), CloudInit: in.CloudInit,
		Pager: components.PagerVM{Page: page.Page, Size: page.Size, Total: page.Total, Base: url.URL{Path: "/operator/catalog"}}}
	vm.Name = components.FieldVM{Name: "name", Label: "Name", Type: "text", Value: in.Name, Required: true, MaxLength: models.MaxImageName}
	vm.OsName = components.FieldVM{Name: "os_name", Label: "Operating system (defaults to the name)", Type: "text", Value: in.OsName, MaxLength: 128}
	vm.Platform = components.FieldVM{Name: "platform", Label: "Platform", Value: in.Platform}
	vm.Arch = components.FieldVM{Name: "arch", Label: "Architecture", Value: in.Arch}
	vm.Size = components.FieldVM{Name: "size", Label: "System disk (GiB)", Type: "number", Value: in.SizeGiB, Required: true}
	vm.Alert, vm.AlertCode = fe.Place(&vm.Name, &vm.OsName, &vm.Platform, &vm.Arch, &vm.Size)
	for _, p := range models.Platforms {
		vm.Platforms = append(vm.Platforms, components.Option{Value: p, Label: p})
	}
	for _, a := range []string{models.ArchX86, models.ArchARM, models.ArchI386} {
		vm.Archs = append(vm.Archs, components.Option{Value: a, Label: a})
	}
	for _, img := range page.Rows {
		vm.Rows = append(vm.Rows, pages.CatalogRowVM{ID: img.ID, Name: img.Name, Platform: img.Platform, Arch: img.Arch,
			Size: fmt.Sprintf("%d GiB", img.SizeGiB), State: img.State, Deprecated: img.Deprecated, Retired: img.State == models.StateOffline})
	}
	return Render(c, status, pages.OperatorCatalogPage(vm))
}

// ListAudit is the operators' audit log.
func (h *Handler) ListAudit(c echo.Context) error {
	page, err := h.store.AuditLog(c.Request().Context(), actor(c), models.AuditQuery{Page: atoi(c.QueryParam("page")), Size: 50})
	if err != nil {
		return err
	}
	vm := pages.AuditPageVM{Shell: shell(c, "Audit log", "audit"),
		Pager: components.PagerVM{Page: page.Page, Size: page.Size, Total: page.Total, Base: url.URL{Path: "/operator/audit"}}}
	now := h.now()
	for _, e := range page.Rows {
		row := pages.AuditRowVM{Operator: e.OperatorID, Action: e.Action, Target: e.Target, Before: orDash(e.Before), After: orDash(e.After)}
		row.At, row.AtExact = ago(e.At, now)
		vm.Rows = append(vm.Rows, row)
	}
	return Render(c, http.StatusOK, pages.OperatorAuditPage(vm))
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}
