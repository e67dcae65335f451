package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
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
	panel := h.imagesPanel(c, page)
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

func (h *Handler) imagesPanel(c echo.Context, p models.ImagePage) pages.ImagesPanelVM {
	q := p.Query
	vm := pages.ImagesPanelVM{Region: q.Region, Tab: q.Tab, Search: q.Search, Platform: q.Platform, Arch: q.Arch,
		State: q.State, Sort: q.Sort, Platforms: models.Platforms, ShowState: q.Tab == models.TabCustom || q.Tab == models.TabShared,
		Empty: emptyStates[q.Tab],
		Pager: components.PagerVM{Page: q.Page, Size: q.Size, Total: p.Total, Base: imagesURL(q, q.Tab), Target: "#images-panel"}}
	for _, tab := range models.Tabs {
		u := imagesURL(q, tab)
		vm.Tabs = append(vm.Tabs, pages.TabVM{Key: tab, Label: tabLabels[tab], Count: p.Counts[tab], Href: u.String(), Active: tab == q.Tab})
	}
	now := h.now()
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

// imageBadge labels an image with its trust level (SPEC.md §3).
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
	editErr  error
	edit     *models.ImageInput
	shareErr error
	share    string
	syncErr  error
	sync     []string
	syncName string
}

func (h *Handler) renderImage(c echo.Context, status int, f imageForms) error {
	formErr, edit := f.editErr, f.edit
	img, err := h.store.Image(c.Request().Context(), account(c).ID, region(c), c.Param("id"))
	if err != nil {
		return err
	}
	r, _ := models.LookupRegion(region(c))
	vm := pages.ImageDetailPageVM{Shell: shell(c, img.Name, "images"), ID: img.ID, Name: img.Name, Description: img.Description,
		Status: imageStatus(img, r.ID), BackLabel: "Images", BackHref: "/images?region=" + r.ID + "&tab=" + tabOf(img),
		CanLaunch: img.State == models.StateNormal, LaunchHref: "/instances/new?region=" + r.ID + "&image=" + img.ID,
		CanEdit: img.Custom(), CanDelete: img.Custom(), DeleteNote: "Deleting frees a custom image slot in " + r.ID + "."}
	vm.BadgeLabel, vm.BadgeTone, _ = imageBadge(img)
	if img.Region != "" {
		switchRegionTo(&vm.Shell, "/images", layouts.KeepParam{Name: "tab", Value: tabOf(img)})
	}
	if img.Type == models.TypeShared {
		vm.Warning = "Shared by account " + img.OwnerID + ". Images shared by other users are not reviewed by the platform and may carry security risks: do not accept images from unknown sources."
	}
	if edit == nil {
		edit = &models.ImageInput{Name: img.Name, Description: img.Description}
	}
	vm.EditFields = []components.FieldVM{
		{Name: "name", Label: "Name", Type: "text", Value: edit.Name, Required: true, MaxLength: models.MaxImageName},
		{Name: "description", Label: "Description", Value: edit.Description, MaxLength: models.MaxImageDescription},
	}
	if formErr != nil && !components.WithErrors(vm.EditFields, models.ErrorField(formErr), models.ErrorMessage(formErr)) {
		vm.Alert, vm.AlertCode = models.ErrorMessage(formErr), models.ErrorCode(formErr)
	}
	if img.Custom() {
		panels, err := h.imagePanels(c, img, f)
		if err != nil {
			return err
		}
		vm.Extra = pages.ImagePanels(panels)
	}
	if img.Custom() && img.State == models.StateNormal && account(c).Role == models.RoleProvider {
		vm.PublishHref = "/market/listings/new?region=" + r.ID + "&image=" + img.ID
	}
	vm.Attributes = imageAttributes(img)
	vm.Cost, vm.CostReason = imageCost(h.store.Pricing, img, r)
	return Render(c, status, pages.ImageDetailPage(vm))
}

func imageStatus(img *models.Image, region string) pages.ImageStatusVM {
	return pages.ImageStatusVM{ID: img.ID, Region: region, State: img.State, Progress: img.Progress, Busy: img.Busy(), FailReason: img.FailReason}
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
		if refusedOrPage(err) {
			return err
		}
		return h.renderImage(c, http.StatusUnprocessableEntity, imageForms{editErr: err, edit: &models.ImageInput{Name: name, Description: desc}})
	}
	return redirect(c, "/images/"+c.Param("id")+"?region="+region(c)+"&flash="+url.QueryEscape("Image saved."))
}

// DeleteImage deletes a custom image (a counted operation).
func (h *Handler) DeleteImage(c echo.Context) error {
	err := h.store.DeleteImages(c.Request().Context(), actor(c), region(c), []string{c.Param("id")})
	if err != nil {
		if refusedOrPage(err) {
			return err
		}
		return h.renderImage(c, http.StatusUnprocessableEntity, imageForms{editErr: err})
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

// imageAttributes lists the attributes of SPEC.md §3 in the API's words.
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
		attrs = append(attrs, pages.Attribute{Label: "Failure reason", Value: img.FailReason})
	}
	return attrs
}

func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

// imageCost says what the image adds to an instance's hourly price in a
// region, with the reason (R7). The Windows fee depends on vCPUs, so it is
// given per vCPU.
func imageCost(p models.Pricing, img *models.Image, r models.Region) (string, string) {
	oneVCPU := models.InstanceType{CPU: 1}
	cost, reason := p.ImageHourlyCost(img, r, oneVCPU)
	switch {
	case img.BillingKind == models.BillingWindows && cost > 0:
		return money(cost) + " per vCPU per hour", reason
	case cost > 0:
		return money(cost) + " per hour", reason
	}
	return "Free", reason
}
