package handlers

import (
	"strings"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/views/components"
	"imageconsole/views/pages"
)

// imagePanels builds the owner's share and sync panels of a custom image
// from what models decided: the R4 figures, which operations the image
// allows and why not, every region with its R3 refusal, and the copies
// earlier syncs made.
func (h *Handler) imagePanels(c echo.Context, img *models.Image, sh *models.ImageSharing, f imageForms) (pages.ImagePanelsVM, error) {
	acct, l, open := account(c).ID, lang(c), c.QueryParam("open")
	vm := pages.ImagePanelsVM{CSRF: csrfToken(c), ImageID: img.ID, Region: img.Region, ShareLimit: sh.Limit, ShareRemaining: sh.Remaining,
		ShareField:  components.FieldVM{Name: "accounts", Label: t(c, "images.share.field"), Type: "text", Value: f.share},
		SyncName:    components.FieldVM{Name: "name", Label: t(c, "images.sync.name"), Type: "text", Value: f.syncName, MaxLength: models.MaxImageName},
		SyncRegions: syncRegionNames(l)}
	if err := img.Check(models.OpShare, acct); err != nil {
		vm.ShareNote = models.ErrorText(err, l)
	}
	if err := img.Check(models.OpSync, acct); err != nil {
		vm.SyncNote = models.ErrorText(err, l)
	}
	vm.CanShare, vm.CanSync = vm.ShareNote == "", vm.SyncNote == ""
	vm.ShareOpen, vm.SyncOpen = open == "share", open == "sync"
	for _, s := range sh.Shares {
		vm.Shares = append(vm.Shares, pages.ShareRowVM{AccountID: s.AccountID, Since: l.Date(s.CreatedAt), SinceExact: l.Time(s.CreatedAt)})
	}
	// The form takes the accounts in one field for the API's list parameter.
	if f.shareErr.Field == "account_ids" {
		f.shareErr.Field = vm.ShareField.Name
	}
	vm.ShareAlert, vm.ShareCode = f.shareErr.Place(&vm.ShareField)
	for _, target := range sh.Targets {
		vm.SyncTargets = append(vm.SyncTargets, pages.SyncTargetVM{ID: target.Region.ID, Name: regionLabel(l, target.Region.ID),
			Enabled: target.Refusal == nil, Reason: h.syncRefusal(c, target), Checked: containsString(f.sync, target.Region.ID)})
	}
	vm.SyncAlert, vm.SyncCode = f.syncErr.Place(&vm.SyncName)
	copies, err := h.syncCopies(c, img)
	vm.Copies = copies
	return vm, err
}

// syncRefusal says in the reader's words why a region is not offered as a
// destination (R3): the region's own refusal, or the store's error.
func (h *Handler) syncRefusal(c echo.Context, target models.SyncTarget) string {
	switch {
	case target.Refusal == nil:
		return ""
	case target.Region.Area == models.AreaNorthAmerica:
		return t(c, "images.sync.northAmerica")
	case !target.Region.Sync:
		return t(c, "images.sync.regionRefused", "Regions", syncRegionNames(lang(c)))
	}
	return models.ErrorText(target.Refusal, lang(c))
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// syncCopies lists img's copies in other regions, each linked to its page
// in its own region.
func (h *Handler) syncCopies(c echo.Context, img *models.Image) (pages.SyncCopiesVM, error) {
	vm := pages.SyncCopiesVM{URL: imageURL(img.ID, img.Region, "")}
	copies, err := h.store.ImageCopies(c.Request().Context(), img)
	if err != nil {
		return vm, err
	}
	for _, cp := range copies {
		vm.Copies = append(vm.Copies, pages.SyncCopyVM{ID: cp.ID, Region: cp.Region, RegionName: regionLabel(lang(c), cp.Region),
			Name: cp.Name, State: cp.State, Progress: cp.Progress, Busy: cp.Busy(), Href: imageURL(cp.ID, cp.Region, "")})
	}
	return vm, nil
}

// imageCopies is the fragment the sync card polls while a copy syncs.
func (h *Handler) imageCopies(c echo.Context) error {
	v, err := h.store.ImageView(c.Request().Context(), account(c).ID, region(c), c.Param("id"))
	if err != nil {
		return err
	}
	if v.Sharing == nil {
		// Only the owner follows the copies.
		return echo.ErrNotFound
	}
	vm, err := h.syncCopies(c, v.Image)
	if err != nil {
		return err
	}
	return Render(c, 200, pages.SyncCopies(vm))
}

// splitAccounts reads account IDs separated by spaces, commas or new lines.
func splitAccounts(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}

// ShareImage shares the image with one or several accounts, all or none.
func (h *Handler) ShareImage(c echo.Context) error {
	accounts := c.FormValue("accounts")
	list := splitAccounts(accounts)
	err := h.store.ShareImage(c.Request().Context(), actor(c), region(c), c.Param("id"), list)
	if err != nil {
		return h.refuseImageForm(c, "share", err, imageForms{share: accounts})
	}
	return h.notifyAndRedirect(c, imagePage(c), "images.notice.shared")
}

// UnshareImage cancels one account's share.
func (h *Handler) UnshareImage(c echo.Context) error {
	acct := c.FormValue("account")
	err := h.store.UnshareImage(c.Request().Context(), actor(c), region(c), c.Param("id"), []string{acct})
	if err != nil {
		return h.refuseImageForm(c, "unshare", err, imageForms{})
	}
	return h.notifyAndRedirect(c, imagePage(c), "images.notice.unshared")
}

// SyncImage copies the image to the chosen regions (R3); the page it
// returns to follows the copies.
func (h *Handler) SyncImage(c echo.Context) error {
	form, _ := c.FormParams()
	dests, name := form["destination"], c.FormValue("name")
	copies, err := h.store.SyncImage(c.Request().Context(), actor(c), region(c), c.Param("id"), dests, name, false)
	if err != nil {
		return h.refuseImageForm(c, "sync", err, imageForms{sync: dests, syncName: name})
	}
	var parts []string
	for _, cp := range copies {
		// The region's ID, as the API and the URLs say it: the copy opens
		// from any region, and the card below links to it.
		parts = append(parts, t(c, "images.notice.copy", "ID", cp.ImageID, "Region", cp.Region))
	}
	return h.notifyAndRedirect(c, imagePage(c), "images.notice.syncing", "Copies", strings.Join(parts, t(c, "images.list.comma")))
}
