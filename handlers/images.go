package handlers

import (
	"cmp"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/models/i18n"
	"imageconsole/views/components"
	"imageconsole/views/layouts"
	"imageconsole/views/pages"
)

// ListImages is the Images page: one tab of the current region.
func (h *Handler) ListImages(c echo.Context) error {
	q := models.ImageQuery{Region: region(c), Tab: c.QueryParam("tab"), Search: c.QueryParam("q"),
		Platform: c.QueryParam("platform"), Arch: c.QueryParam("arch"), State: c.QueryParam("state"),
		Sort: c.QueryParam("sort"), Page: atoi(c.QueryParam("page")), Size: 20}
	page, err := h.store.ListImages(c.Request().Context(), account(c).ID, q)
	status, searchErr := searchRefusalIn(err, lang(c))
	if err != nil && searchErr == "" {
		return err
	}
	panel := ImagesPanelVM(page, h.now())
	panel.SearchError = searchErr
	return renderPage(c, status, pages.ImagesPage(pages.ImagesPageVM{Shell: shell(c, t(c, "images.title"), "images"), Panel: panel}), pages.ImagesPanel(panel))
}

// searchRefusal turns a refused search (the field q) into a 422 and the
// message shown next to the search box; any other error is not one.
func searchRefusal(err error) (status int, message string) { return searchRefusalIn(err, i18n.EN) }

// searchRefusalIn is searchRefusal with the message in l.
func searchRefusalIn(err error, l i18n.Lang) (status int, message string) {
	if err != nil && models.ErrorField(err) == "q" && formRefusal(err) {
		return http.StatusUnprocessableEntity, models.ErrorText(err, l)
	}
	return http.StatusOK, ""
}

// tabLabels names the tabs in English for the image pickers of the
// instance pages; the Images page words its tabs from the catalogue.
var tabLabels = map[string]string{models.TabCommon: "Common", models.TabMarket: "Market", models.TabCustom: "Custom", models.TabShared: "Shared"}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0
	}
	return n
}

// imagesURL is the canonical URL of a list view, so links, the pager and
// pushed history all show the same view on reload.
func imagesURL(q models.ImageQuery, tab string) url.URL {
	v := url.Values{}
	v.Set("region", q.Region)
	v.Set("tab", tab)
	if tab == q.Tab {
		for k, val := range map[string]string{"q": q.Search, "platform": q.Platform, "arch": q.Arch, "state": q.State} {
			if val != "" {
				v.Set(k, val)
			}
		}
		if q.Sort != models.SortCreated {
			v.Set("sort", q.Sort)
		}
	}
	return url.URL{Path: "/images", RawQuery: v.Encode()}
}

// imageURL is the page of an image in its region (a global image: in the
// region in view), with an optional dialog to open.
func imageURL(id, region, open string) string {
	v := url.Values{}
	v.Set("region", region)
	if open != "" {
		v.Set("open", open)
	}
	return "/images/" + id + "?" + v.Encode()
}

// ImagesPanelVM is the view model of the Images page's panel (tabs, table
// and pager) for a page of the store's ListImages. It is exported for
// cmd/bench, whose floor renders the same fragment without the framework
// around it; the template words it in the reader's language.
func ImagesPanelVM(p models.ImagePage, _ time.Time) pages.ImagesPanelVM {
	q := p.Query
	vm := pages.ImagesPanelVM{Region: q.Region, Tab: q.Tab, Search: q.Search, Platform: q.Platform, Arch: q.Arch,
		State: q.State, Sort: q.Sort, Platforms: models.Platforms, ShowState: q.Tab == models.TabCustom || q.Tab == models.TabShared,
		ShowPrice: q.Tab == models.TabMarket, Empty: q.Tab,
		Pager: components.PagerVM{Page: q.Page, Size: q.Size, Total: p.Total, Base: imagesURL(q, q.Tab), Target: "#images-panel"}}
	for _, tab := range models.Tabs {
		u := imagesURL(q, tab)
		vm.Tabs = append(vm.Tabs, pages.TabVM{Key: tab, Count: p.Counts[tab], Href: u.String(), Active: tab == q.Tab})
	}
	r, _ := models.LookupRegion(q.Region)
	for i := range p.Rows {
		img := &p.Rows[i]
		if q.Tab == models.TabShared {
			img.Type = models.TypeShared
		}
		vm.Rows = append(vm.Rows, imageRow(img, r))
	}
	return vm
}

// imageRow is one row of the list, with the actions the image allows its
// viewer: launch from any NORMAL image, share, sync and delete the own.
func imageRow(img *models.Image, r models.Region) pages.ImageRowVM {
	region := cmp.Or(img.Region, r.ID)
	row := pages.ImageRowVM{ID: img.ID, Name: img.Name, OsName: img.OsName, Platform: img.Platform, Arch: img.Arch,
		SizeGiB: img.SizeGiB, State: img.State, Progress: img.Progress, Busy: img.Busy(), Created: img.CreatedAt,
		Href: imageURL(img.ID, region, ""), Region: region, Badge: imageBadge(img)}
	switch img.Type {
	case models.TypeMarket:
		row.Provider, row.Price = img.Provider, img.HourlyPrice
		row.Licence = string(models.WindowsLicence(img, r))
	case models.TypeShared:
		row.SharedBy = img.OwnerID
	case models.TypePrivate:
		row.Shared = img.ShareCount > 0
		row.DeleteHref = imageURL(img.ID, region, "delete")
		if img.State == models.StateNormal {
			row.ShareHref, row.SyncHref = imageURL(img.ID, region, "share"), imageURL(img.ID, region, "sync")
		}
	}
	if img.State == models.StateNormal {
		row.LaunchHref = "/instances/new?" + url.Values{"region": {region}, "image": {img.ID}}.Encode()
	}
	return row
}

// imageBadge is an image's trust level: official, reviewed provider, not
// reviewed by the platform (shared), or the viewer's own custom image.
func imageBadge(img *models.Image) string {
	switch img.Type {
	case models.TypePublic:
		return "official"
	case models.TypeMarket:
		return "reviewed"
	case models.TypeShared:
		return "notReviewed"
	}
	return "custom"
}

var badgeTones = map[string]string{"official": "official", "reviewed": "reviewed", "notReviewed": "warning"}

// ShowImage is the image detail page; its sync card polls it for the
// copies alone (the fragment htmx targets at #sync-copies).
func (h *Handler) ShowImage(c echo.Context) error {
	if err := h.inImageRegion(c); err != nil {
		return err
	}
	c.Response().Header().Add("Vary", "HX-Target")
	if isFragment(c) && c.Request().Header.Get("HX-Target") == pages.SyncCopiesID {
		return h.imageCopies(c)
	}
	return h.renderImage(c, http.StatusOK, imageForms{})
}

// inImageRegion makes a custom image's own region the request's region, so
// a link to it opens from whichever region is selected (a sync copy, a
// shared image, a bookmark) and the page and its forms act there. Common
// and market images are global: they show in the region in view.
func (h *Handler) inImageRegion(c echo.Context) error {
	img, err := h.store.LocateImage(c.Request().Context(), account(c).ID, c.Param("id"))
	if err != nil {
		return err
	}
	if img.Region != "" && img.Region != region(c) {
		c.Set(ctxRegion, img.Region)
	}
	return nil
}

// imageForms carries what a refused form on the detail page sent back.
type imageForms struct {
	page     components.FormError // a refusal of no form: the page's alert (delete)
	editErr  components.FormError
	edit     *models.ImageInput
	shareErr components.FormError
	share    string
	syncErr  components.FormError
	sync     []string
	syncName string
}

// formsFromFlash is what the post that redirected here was refused with,
// addressed to the form it came from (its "form" field).
func formsFromFlash(c echo.Context) (imageForms, bool) {
	fl := flash(c)
	fe := fl.Refused
	if fe.Message == "" {
		return imageForms{}, false
	}
	switch fl.Value("form") {
	case "edit":
		return imageForms{editErr: fe, edit: &models.ImageInput{Name: fl.Value("name"), Description: fl.Value("description")}}, true
	case "share":
		return imageForms{shareErr: fe, share: fl.Value("accounts")}, true
	case "unshare":
		fe.Field = "" // the cancel button has no field: the panel's alert says it
		return imageForms{shareErr: fe}, true
	case "sync":
		return imageForms{syncErr: fe, sync: fl.Form["destination"], syncName: fl.Value("name")}, true
	}
	return imageForms{page: fe}, true
}

func (h *Handler) renderImage(c echo.Context, status int, f imageForms) error {
	if status == http.StatusOK {
		if fl, ok := formsFromFlash(c); ok {
			f = fl
		}
	}
	acct := account(c)
	v, err := h.store.ImageView(c.Request().Context(), acct.ID, region(c), c.Param("id"))
	if err != nil {
		return err
	}
	img, r, l := v.Image, region(c), lang(c)
	open := c.QueryParam("open")
	vm := pages.ImageDetailPageVM{Shell: shell(c, img.Name, "images"), ID: img.ID, Region: r, Name: img.Name, Description: img.Description,
		Status: imageStatus(img, r), BackLabel: t(c, "images.back"), BackHref: "/images?region=" + r + "&tab=" + tabOf(img),
		CanLaunch: img.Check(models.OpLaunch, acct.ID) == nil, LaunchHref: "/instances/new?region=" + r + "&image=" + img.ID,
		CanEdit: img.Check(models.OpModify, acct.ID) == nil, EditOpen: open == "edit",
		CostTitle: t(c, "images.detail.cost", "Region", regionLabel(l, r))}
	if w := img.SharedWarning(); w != nil {
		vm.Warning = t(c, "images.warning.shared", "Account", w.SharedBy)
	}
	badge := imageBadge(img)
	vm.BadgeLabel, vm.BadgeTone = t(c, "images.badge."+badge), badgeTones[badge]
	if img.Region != "" {
		switchRegionTo(&vm.Shell, "/images", layouts.KeepParam{Name: "tab", Value: tabOf(img)})
	}
	if v.Sharing != nil {
		h.deleteDialog(c, &vm, img, open == "delete")
	}
	edit := f.edit
	if edit == nil {
		edit = &models.ImageInput{Name: img.Name, Description: img.Description}
	}
	vm.EditName = components.FieldVM{Name: "name", Label: t(c, "images.detail.name"), Type: "text", Value: edit.Name, Required: true, MaxLength: models.MaxImageName}
	vm.EditDesc = components.FieldVM{Name: "description", Label: t(c, "images.detail.description"), Value: edit.Description, MaxLength: models.MaxImageDescription}
	vm.Alert, vm.AlertCode = f.editErr.Place(&vm.EditName, &vm.EditDesc)
	if v.Sharing != nil {
		panels, err := h.imagePanels(c, img, v.Sharing, f)
		if err != nil {
			return err
		}
		vm.Extra = pages.ImagePanels(panels)
	} else if f.page.Message == "" {
		// No panels for anyone but the owner: their refusals go to the page.
		f.page = cmp.Or(f.shareErr, f.syncErr)
	}
	if vm.Alert == "" {
		vm.Alert, vm.AlertCode = f.page.Place()
	}
	if acct.Role == models.RoleProvider && img.Check(models.OpPublish, acct.ID) == nil {
		vm.PublishHref = "/market/listings/new?region=" + r + "&image=" + img.ID
	}
	reg, _ := models.LookupRegion(r)
	vm.Attributes = imageAttributes(l, img, reg)
	vm.Cost, vm.CostReason = imageCost(l, v.Cost, img)
	return Render(c, status, pages.ImageDetailPage(vm))
}

// deleteDialog sets up the owner's delete button: off, with the reason,
// while a share (R6) or a running task forbids it; else a confirmation
// that says what deleting does.
func (h *Handler) deleteDialog(c echo.Context, vm *pages.ImageDetailPageVM, img *models.Image, open bool) {
	vm.ShowDelete, vm.DeleteOpen = true, open
	vm.DeleteConfirm = t(c, "images.detail.deleteConfirm", "ID", img.ID)
	accounts := t(c, "images.accounts", "Count", img.ShareCount)
	if img.ShareCount > 0 {
		vm.DeleteNotes = append(vm.DeleteNotes, t(c, "images.detail.deleteShared", "Accounts", accounts))
	}
	vm.DeleteNotes = append(vm.DeleteNotes, t(c, "images.detail.deleteNote", "Region", regionLabel(lang(c), img.Region)),
		t(c, "images.detail.deleteCopies"))
	if err := img.Check(models.OpDelete, account(c).ID); err != nil {
		vm.DeleteRefusal = models.ErrorText(err, lang(c))
		if img.ShareCount > 0 && models.ErrorCode(err) == models.CodeInvalidImageIDInShared {
			vm.DeleteRefusal = t(c, "images.detail.deleteShared", "Accounts", accounts)
		}
	}
}

func imageStatus(img *models.Image, region string) pages.ImageStatusVM {
	return pages.ImageStatusVM{ID: img.ID, Region: region, State: img.State, Progress: img.Progress, Busy: img.Busy(), FailReason: img.FailReason}
}

// ImageStatus is the fragment a busy image polls.
func (h *Handler) ImageStatus(c echo.Context) error {
	if err := h.inImageRegion(c); err != nil {
		return err
	}
	img, err := h.store.Image(c.Request().Context(), account(c).ID, region(c), c.Param("id"))
	if err != nil {
		return err
	}
	return Render(c, http.StatusOK, pages.ImageStatus(imageStatus(img, region(c))))
}

// imagePage is the detail page of the image a form posts about: where a
// refusal goes back to and a success returns to.
func imagePage(c echo.Context) string { return imageURL(c.Param("id"), region(c), "") }

// EditImage renames or re-describes a custom image (a counted operation).
func (h *Handler) EditImage(c echo.Context) error {
	name, desc := c.FormValue("name"), c.FormValue("description")
	err := h.store.ModifyImage(c.Request().Context(), actor(c), region(c), c.Param("id"), &name, &desc)
	if err != nil {
		return h.refuseImageForm(c, "edit", err, imageForms{edit: &models.ImageInput{Name: name, Description: desc}})
	}
	return h.notifyAndRedirect(c, imagePage(c), "images.notice.saved")
}

// refuseImageForm sends a refused form of the detail page back to the
// page (Post/Redirect/Get), the form named so the page puts the message
// next to the right field; htmx posts get the page with status 422.
func (h *Handler) refuseImageForm(c echo.Context, form string, err error, f imageForms) error {
	if formRefusal(err) {
		if ps, perr := c.FormParams(); perr == nil {
			ps.Set("form", form) // kept in the flash with the typed values
		}
	}
	return h.refuseTo(c, imagePage(c), err, func(status int, fe components.FormError) error {
		switch form {
		case "edit":
			f.editErr = fe
		case "share":
			f.shareErr = fe
		case "unshare":
			fe.Field = ""
			f.shareErr = fe
		case "sync":
			f.syncErr = fe
		default:
			f.page = fe
		}
		return h.renderImage(c, status, f)
	})
}

// DeleteImage deletes a custom image (a counted operation).
func (h *Handler) DeleteImage(c echo.Context) error {
	err := h.store.DeleteImages(c.Request().Context(), actor(c), region(c), []string{c.Param("id")})
	if err != nil {
		return h.refuseImageForm(c, "delete", err, imageForms{})
	}
	return h.notifyAndRedirect(c, "/images?region="+region(c)+"&tab=custom", "images.notice.deleted", "ID", c.Param("id"))
}

func tabOf(img *models.Image) string {
	switch img.Type {
	case models.TypeMarket:
		return models.TabMarket
	case models.TypePrivate:
		return models.TabCustom
	case models.TypeShared:
		return models.TabShared
	}
	return models.TabCommon
}
