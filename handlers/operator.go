package handlers

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/models/i18n"
	"imageconsole/views/components"
	"imageconsole/views/pages"
)

// ListReviews is the operator's review queue; after a refused decision it
// shows the refusal next to the listing it was about, with the comment.
func (h *Handler) ListReviews(c echo.Context) error {
	l := lang(c)
	f := flash(c)
	page, err := h.store.ReviewQueue(c.Request().Context(), actor(c), atoi(c.QueryParam("page")), 20)
	if err != nil {
		return err
	}
	vm := pages.ReviewsPageVM{Shell: shell(c, l.T("operator.reviews.title"), "reviews"), Failed: f.Value("listing"), Comment: f.Value("comment"),
		Pager: components.PagerVM{Page: page.Page, Size: page.Size, Total: page.Total, Base: url.URL{Path: "/operator/reviews"}}}
	vm.Alert, vm.AlertCode = f.Refused.Place()
	for _, it := range page.Rows {
		ls := it.Listing
		row := pages.ReviewRowVM{ID: ls.ID, Name: ls.Name, Version: ls.Version, LiveVersion: it.LiveVersion, Provider: it.ProviderName,
			ProviderEmail: it.ProviderEmail, Category: categoryLabel(l, ls.Category), Price: l.Money(ls.HourlyPrice),
			Regions: regionsLabel(l, ls.RegionList()), Description: ls.Description, ReleaseNotes: ls.ReleaseNotes,
			SourceImageID: ls.SourceImageID, Submitted: l.Time(ls.CreatedAt),
			Image: l.T("operator.reviews.imageSummary", "OS", ls.OsName, "Arch", archLabel(l, ls.Arch), "Size", ls.SizeGiB)}
		vm.Rows = append(vm.Rows, row)
	}
	return Render(c, http.StatusOK, pages.OperatorReviewsPage(vm))
}

// ApproveListing puts a pending version on the market.
func (h *Handler) ApproveListing(c echo.Context) error {
	err := h.store.ApproveListing(c.Request().Context(), actor(c), c.Param("id"), c.FormValue("comment"))
	return h.decided(c, err, "operator.notice.approved")
}

// RejectListing refuses a pending version with a reason.
func (h *Handler) RejectListing(c echo.Context) error {
	err := h.store.RejectListing(c.Request().Context(), actor(c), c.Param("id"), c.FormValue("comment"))
	return h.decided(c, err, "operator.notice.rejected")
}

func (h *Handler) decided(c echo.Context, err error, done string) error {
	if err != nil {
		return h.refuseTo(c, "/operator/reviews", err, nil)
	}
	return h.notifyAndRedirect(c, "/operator/reviews", done)
}

// ShowCatalog is the operator's common catalog with the add form; after a
// refused post it shows the refusal and what was typed.
func (h *Handler) ShowCatalog(c echo.Context) error {
	in := models.CommonImageInput{Arch: models.ArchX86, SizeGiB: "20", CloudInit: true}
	f := flash(c)
	if f.Refused.Message != "" && f.Form != nil {
		in = commonImageInput(f.Value)
	}
	return h.renderCatalog(c, in, f.Refused)
}

// commonImageInput reads the add form's fields through get.
func commonImageInput(get func(string) string) models.CommonImageInput {
	return models.CommonImageInput{Name: get("name"), OsName: get("os_name"), Platform: get("platform"),
		Arch: get("arch"), SizeGiB: get("size"), CloudInit: get("cloud_init") == "yes"}
}

// AddCommonImage adds an official image to the catalog.
func (h *Handler) AddCommonImage(c echo.Context) error {
	img, err := h.store.AddCommonImage(c.Request().Context(), actor(c), commonImageInput(c.FormValue))
	if err != nil {
		return h.refuseTo(c, "/operator/catalog", err, nil)
	}
	return h.notifyAndRedirect(c, "/operator/catalog", "operator.notice.added", "Name", img.Name, "ID", img.ID)
}

// DeprecateCommonImage hides a common image from the lists, or lists it again.
func (h *Handler) DeprecateCommonImage(c echo.Context) error {
	on := c.FormValue("deprecated") != "false"
	err := h.store.SetCommonImageDeprecated(c.Request().Context(), actor(c), c.Param("id"), on)
	done := "operator.notice.deprecated"
	if !on {
		done = "operator.notice.listed"
	}
	return h.catalogChanged(c, err, done)
}

// RetireCommonImage takes a common image out of service.
func (h *Handler) RetireCommonImage(c echo.Context) error {
	err := h.store.RetireCommonImage(c.Request().Context(), actor(c), c.Param("id"))
	return h.catalogChanged(c, err, "operator.notice.retired")
}

func (h *Handler) catalogChanged(c echo.Context, err error, done string) error {
	back := "/operator/catalog"
	if p := atoi(c.QueryParam("page")); p > 1 {
		back += "?page=" + strconv.Itoa(p)
	}
	if err != nil {
		return h.refuseTo(c, back, err, nil)
	}
	return h.notifyAndRedirect(c, back, done, "ID", c.Param("id"))
}

// renderCatalog draws the catalog with the add form holding in; fe goes
// next to the field it names.
func (h *Handler) renderCatalog(c echo.Context, in models.CommonImageInput, fe components.FormError) error {
	l := lang(c)
	page, err := h.store.CommonCatalog(c.Request().Context(), actor(c), atoi(c.QueryParam("page")), 50)
	if err != nil {
		return err
	}
	vm := pages.CatalogPageVM{Shell: shell(c, l.T("operator.catalog.title"), "catalog"), CloudInit: in.CloudInit,
		Pager: components.PagerVM{Page: page.Page, Size: page.Size, Total: page.Total, Base: url.URL{Path: "/operator/catalog"}}}
	vm.Name = components.FieldVM{Name: "name", Label: l.T("operator.catalog.field.name"), Type: "text", Value: in.Name, Required: true, MaxLength: models.MaxImageName}
	vm.OsName = components.FieldVM{Name: "os_name", Label: l.T("operator.catalog.field.os"), Type: "text", Value: in.OsName, MaxLength: 128}
	vm.Platform = components.FieldVM{Name: "platform", Label: l.T("operator.catalog.field.platform"), Value: in.Platform}
	vm.Arch = components.FieldVM{Name: "arch", Label: l.T("operator.catalog.field.arch"), Value: in.Arch}
	vm.Size = components.FieldVM{Name: "size", Label: l.T("operator.catalog.field.size"), Type: "number", Value: in.SizeGiB, Required: true}
	vm.Alert, vm.AlertCode = fe.Place(&vm.Name, &vm.OsName, &vm.Platform, &vm.Arch, &vm.Size)
	for _, p := range models.Platforms {
		vm.Platforms = append(vm.Platforms, components.Option{Value: p, Label: platformLabel(l, p)})
	}
	for _, a := range []string{models.ArchX86, models.ArchARM, models.ArchI386} {
		vm.Archs = append(vm.Archs, components.Option{Value: a, Label: archLabel(l, a)})
	}
	for _, img := range page.Rows {
		vm.Rows = append(vm.Rows, pages.CatalogRowVM{ID: img.ID, Name: img.Name, Platform: platformLabel(l, img.Platform), Arch: archLabel(l, img.Arch),
			Size: l.T("operator.gib", "Size", img.SizeGiB), State: img.State, Deprecated: img.Deprecated, Retired: img.State == models.StateOffline})
	}
	return Render(c, http.StatusOK, pages.OperatorCatalogPage(vm))
}

// platformLabel names a platform; only "Other" is a word to translate.
func platformLabel(l i18n.Lang, p string) string {
	if p == "Other" {
		return l.T("operator.platform.other")
	}
	return p
}

// ListAudit is the operators' audit log.
func (h *Handler) ListAudit(c echo.Context) error {
	l := lang(c)
	page, err := h.store.AuditLog(c.Request().Context(), actor(c), models.AuditQuery{Page: atoi(c.QueryParam("page")), Size: 50})
	if err != nil {
		return err
	}
	vm := pages.AuditPageVM{Shell: shell(c, l.T("operator.audit.title"), "audit"),
		Pager: components.PagerVM{Page: page.Page, Size: page.Size, Total: page.Total, Base: url.URL{Path: "/operator/audit"}}}
	for _, e := range page.Rows {
		vm.Rows = append(vm.Rows, pages.AuditRowVM{At: l.Time(e.At), Operator: e.OperatorID, Action: auditAction(l, e.Action), Code: e.Action,
			Target: e.Target, Before: orDash(e.Before), After: orDash(e.After)})
	}
	return Render(c, http.StatusOK, pages.OperatorAuditPage(vm))
}

// auditAction is the reader's name of an audited action.
func auditAction(l i18n.Lang, action string) string {
	return l.Label("operator.audit.action.", action)
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}
