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
