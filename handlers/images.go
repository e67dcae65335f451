package handlers

import (
	"cmp"
	"fmt"
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
	status, searchErr := searchRefusal(err)
	if err != nil && searchErr == "" {
		return err
	}
	panel := ImagesPanelVM(page, h.now())
	panel.SearchError = searchErr
	return renderPage(c, status, pages.ImagesPage(pages.ImagesPageVM{Shell: shell(c, "Images", "images"), Panel: panel}), pages.ImagesPanel(panel))
}

// searchRefusal turns a refused search (the field q) into a 422 and the
// message shown next to the search box; any other error is not one.
func searchRefusal(err error) (status int, message string) {
	if err != nil && models.ErrorField(err) == "q" && formRefusal(err) {
		return http.StatusUnprocessableEntity, models.ErrorMessage(err)
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

var tabLabels = map[string]string{models.TabCommon: "Common", models.TabMarket: "Market", models.TabCustom: "Custom", models.TabShared: "Shared"}

var emptyStates = map[string]pages.EmptyVM{
	models.TabCommon: {Title: "No common image matches", Text: "Clear the search or filters to see every official image."},
	models.TabMarket: {Title: "No market image matches", Text: "Clear the search or filters to see every reviewed listing."},
	models.TabCustom: {Title: "No custom images in this region yet", Text: "Create one from an instance or import an image file: it appears here."},
	models.TabShared: {Title: "Nothing is shared with you in this region", Text: "Images other accounts share with you appear here, in the region they live in."},
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

// ImagesPanelVM is the view model of the Images page's panel (tabs, table
// and pager) for a page of the store's ListImages, with times told from now.
// It is exported for cmd/bench, whose floor renders the same fragment
// without the framework around it.
func ImagesPanelVM(p models.ImagePage, now time.Time) pages.ImagesPanelVM {
	q := p.Query
	vm := pages.ImagesPanelVM{Region: q.Region, Tab: q.Tab, Search: q.Search, Platform: q.Platform, Arch: q.Arch,
		State: q.State, Sort: q.Sort, Platforms: models.Platforms, ShowState: q.Tab == models.TabCustom || q.Tab == models.TabShared,
		Empty: emptyStates[q.Tab],
		Pager: components.PagerVM{Page: q.Page, Size: q.Size, Total: p.Total, Base: imagesURL(q, q.Tab), Target: "#images-panel"}}
	for _, tab := range models.Tabs {
		u := imagesURL(q, tab)
		vm.Tabs = append(vm.Tabs, pages.TabVM{Key: tab, Label: tabLabels[tab], Count: p.Counts[tab], Href: u.String(), Active: tab == q.Tab})
	}
	for i := range p.Rows {
		img := &p.Rows[i]
		if q.Tab == models.TabShared {
			img.Type = models.TypeShared
		}
		row := pages.ImageRowVM{ID: img.ID, Name: img.Name, OsName: img.OsName, Platform: img.Platform, Arch: img.Arch,
			Size: fmt.Sprintf("%d GiB", img.SizeGiB), State: img.State, Progress: img.Progress, Busy: img.Busy(),
			Href: "/images/" + img.ID + "?region=" + q.Region, Region: q.Region}
		row.Created, row.CreatedExact = ago(img.CreatedAt, now)
		row.BadgeLabel, row.BadgeTone, row.Owner = imageBadge(img)
		vm.Rows = append(vm.Rows, row)
	}
	return vm
}

// imageBadge labels an image with its trust level: official, reviewed provider, or not reviewed (shared).
func imageBadge(img *models.Image) (label, tone, owner string) {
	switch img.Type {
	case models.TypePublic:
		return "Official — tested by the platform", "official", ""
	case models.TypeMarket:
		return "Reviewed provider", "reviewed", img.Provider
	case models.TypeShared:
		return "Not reviewed by the platform", "warning", "Shared by account " + img.OwnerID
	default:
		return "Custom", "", ""
	}
}

// ShowImage is the image detail page.
func (h *Handler) ShowImage(c echo.Context) error {
	return h.renderImage(c, http.StatusOK, imageForms{})
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

func (h *Handler) renderImage(c echo.Context, status int, f imageForms) error {
	acct := account(c)
	v, err := h.store.ImageView(c.Request().Context(), acct.ID, region(c), c.Param("id"))
	if err != nil {
		return err
	}
	img, r := v.Image, region(c)
	vm := pages.ImageDetailPageVM{Shell: shell(c, img.Name, "images"), ID: img.ID, Name: img.Name, Description: img.Description,
		Status: imageStatus(img, r), BackLabel: "Images", BackHref: "/images?region=" + r + "&tab=" + tabOf(img),
		CanLaunch: img.Check(models.OpLaunch, acct.ID) == nil, LaunchHref: "/instances/new?region=" + r + "&image=" + img.ID,
		CanEdit: img.Check(models.OpModify, acct.ID) == nil, Warning: img.Warning()}
	vm.BadgeLabel, vm.BadgeTone, _ = imageBadge(img)
	if img.Region != "" {
		switchRegionTo(&vm.Shell, "/images", layouts.KeepParam{Name: "tab", Value: tabOf(img)})
	}
	if v.Sharing != nil {
		// The owner sees the delete button, off with the reason while R6 or
		// a running task forbids it.
		vm.ShowDelete, vm.DeleteNote = true, "Deleting frees a custom image slot in "+r+"."
		if err := img.Check(models.OpDelete, acct.ID); err != nil {
			vm.DeleteRefusal = models.ErrorMessage(err)
		}
	}
	edit := f.edit
	if edit == nil {
		edit = &models.ImageInput{Name: img.Name, Description: img.Description}
	}
	vm.EditName = components.FieldVM{Name: "name", Label: "Name", Type: "text", Value: edit.Name, Required: true, MaxLength: models.MaxImageName}
	vm.EditDesc = components.FieldVM{Name: "description", Label: "Description", Value: edit.Description, MaxLength: models.MaxImageDescription}
	vm.Alert, vm.AlertCode = f.editErr.Place(&vm.EditName, &vm.EditDesc)
	if v.Sharing != nil {
		vm.Extra = pages.ImagePanels(h.imagePanels(c, img, v.Sharing, f))
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
	vm.Attributes = imageAttributes(img)
	vm.Cost, vm.CostReason = imageCost(v.Cost)
	return Render(c, status, pages.ImageDetailPage(vm))
}

func imageStatus(img *models.Image, region string) pages.ImageStatusVM {
	return pages.ImageStatusVM{ID: img.ID, Region: region, State: img.State, Progress: img.Progress, Busy: img.Busy(), FailReason: img.FailureText(i18n.EN)}
}

// ImageStatus is the fragment a busy image polls.
func (h *Handler) ImageStatus(c echo.Context) error {
	img, err := h.store.Image(c.Request().Context(), account(c).ID, region(c), c.Param("id"))
	if err != nil {
		return err
	}
	return Render(c, http.StatusOK, pages.ImageStatus(imageStatus(img, region(c))))
}

// EditImage renames or re-describes a custom image (a counted operation).
func (h *Handler) EditImage(c echo.Context) error {
	name, desc := c.FormValue("name"), c.FormValue("description")
	err := h.store.ModifyImage(c.Request().Context(), actor(c), region(c), c.Param("id"), &name, &desc)
	if err != nil {
		return refusal(err, func(status int, fe components.FormError) error {
			return h.renderImage(c, status, imageForms{editErr: fe, edit: &models.ImageInput{Name: name, Description: desc}})
		})
	}
	return redirect(c, "/images/"+c.Param("id")+"?region="+region(c)+"&flash="+url.QueryEscape("Image saved."))
}

// DeleteImage deletes a custom image (a counted operation).
func (h *Handler) DeleteImage(c echo.Context) error {
	err := h.store.DeleteImages(c.Request().Context(), actor(c), region(c), []string{c.Param("id")})
	if err != nil {
		return refusal(err, func(status int, fe components.FormError) error { return h.renderImage(c, status, imageForms{page: fe}) })
	}
	return redirect(c, "/images?region="+region(c)+"&tab=custom&flash="+url.QueryEscape("Image "+c.Param("id")+" deleted."))
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

// imageAttributes lists the attributes of the SDK's Image struct, in its words.
func imageAttributes(img *models.Image) []pages.Attribute {
	region := img.Region
	if region == "" {
		region = "All regions"
	}
	creator := img.Creator
	if creator == "" {
		creator = "Platform"
	}
	attrs := []pages.Attribute{
		{Label: "Image ID", Value: img.ID},
		{Label: "Type", Value: img.Type},
		{Label: "Operating system", Value: img.OsName},
		{Label: "Platform", Value: img.Platform},
		{Label: "Architecture", Value: img.Arch},
		{Label: "Size", Value: fmt.Sprintf("%d GiB", img.SizeGiB)},
		{Label: "Source", Value: img.Source},
		{Label: "Creator", Value: creator},
		{Label: "Region", Value: region},
		{Label: "Created", Value: img.CreatedAt.UTC().Format("2006-01-02T15:04:05Z")},
		{Label: "Supports cloud-init", Value: yesNo(img.CloudInit)},
		{Label: "License", Value: img.License},
	}
	if img.BaseImageID != "" {
		attrs = append(attrs, pages.Attribute{Label: "Made from", Value: img.BaseImageID})
	}
	if img.FailReason != "" {
		attrs = append(attrs, pages.Attribute{Label: "Failure reason", Value: img.FailureText(i18n.EN)})
	}
	return attrs
}

func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

// imageCost words an image's cost (R7). A per-vCPU cost is quoted per
// vCPU: the instance type, chosen at launch, makes the rest.
func imageCost(cost models.ImageCost) (string, string) {
	switch {
	case cost.PerHour > 0 && cost.PerVCPU:
		return money(cost.PerHour) + " per vCPU per hour", cost.Reason
	case cost.PerHour > 0:
		return money(cost.PerHour) + " per hour", cost.Reason
	}
	return "Free", cost.Reason
}
