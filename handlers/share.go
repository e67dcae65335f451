package handlers

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/views/components"
	"imageconsole/views/pages"
)

// imagePanels builds the owner's share and sync panels of a custom image.
func (h *Handler) imagePanels(c echo.Context, img *models.Image, f imageForms) (pages.ImagePanelsVM, error) {
	limits, err := h.store.AccountLimits(c.Request().Context(), account(c).ID)
	if err != nil {
		return pages.ImagePanelsVM{}, err
	}
	vm := pages.ImagePanelsVM{CSRF: csrfToken(c), ImageID: img.ID, Region: img.Region, ShareLimit: limits.Shares,
		CanShare: img.State == models.StateNormal, ShareNote: "Only a NORMAL image can be shared.",
		ShareField: components.FieldVM{Name: "accounts", Label: "Account IDs (12 digits; several separated by spaces or commas)", Type: "text", Value: f.share},
		SyncName:   components.FieldVM{Name: "name", Label: "Name of the copies (optional)", Type: "text", Value: f.syncName, MaxLength: models.MaxImageName}}
	shares, err := h.store.ImageShares(c.Request().Context(), account(c).ID, img.Region, img.ID)
	if err != nil {
		return vm, err
	}
	now := h.now()
	for _, sh := range shares {
		row := pages.ShareRowVM{AccountID: sh.AccountID}
		row.Since, row.SinceExact = ago(sh.CreatedAt, now)
		vm.Shares = append(vm.Shares, row)
	}
	if f.shareErr != nil {
		vm.ShareAlert, vm.ShareCode = models.ErrorMessage(f.shareErr), models.ErrorCode(f.shareErr)
	}
	source, _ := models.LookupRegion(img.Region)
	switch {
	case source.SyncRefusal() != "":
		vm.SyncNote = source.SyncRefusal()
	case img.State != models.StateNormal:
		vm.SyncNote = "Only a NORMAL image can be synced."
	default:
		vm.CanSync = true
	}
	for _, r := range models.Regions {
		if r.ID == img.Region {
			continue
		}
		t := pages.SyncTargetVM{ID: r.ID, Name: r.Name, Reason: r.SyncRefusal(), Checked: slices.Contains(f.sync, r.ID)}
		t.Enabled = t.Reason == ""
		vm.SyncTargets = append(vm.SyncTargets, t)
	}
	if f.syncErr != nil {
		vm.SyncAlert, vm.SyncCode = models.ErrorMessage(f.syncErr), models.ErrorCode(f.syncErr)
	}
	return vm, nil
}

// splitAccounts reads account IDs separated by spaces, commas or new lines.
func splitAccounts(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}

// refusedOrPage decides how a refused form on a detail page is answered: a
// missing or foreign object and internal errors get the error page, rule
// refusals go back to the form.
func refusedOrPage(err error) bool {
	code := models.ErrorCode(err)
	return statusOf(code) >= 500 || code == models.CodeInvalidImageIDNotFound || code == models.CodeInvalidImageIDMalformed
}

// ShareImage shares the image with one or several accounts, all or none.
func (h *Handler) ShareImage(c echo.Context) error {
	accounts := c.FormValue("accounts")
	err := h.store.ShareImage(c.Request().Context(), actor(c), region(c), c.Param("id"), splitAccounts(accounts))
	if err != nil {
		if refusedOrPage(err) {
			return err
		}
		return h.renderImage(c, http.StatusUnprocessableEntity, imageForms{shareErr: err, share: accounts})
	}
	return redirect(c, "/images/"+c.Param("id")+"?region="+region(c)+"&flash="+url.QueryEscape("Shared."))
}

// UnshareImage cancels one account's share.
func (h *Handler) UnshareImage(c echo.Context) error {
	err := h.store.UnshareImage(c.Request().Context(), actor(c), region(c), c.Param("id"), []string{c.FormValue("account")})
	if err != nil {
		if refusedOrPage(err) {
			return err
		}
		return h.renderImage(c, http.StatusUnprocessableEntity, imageForms{shareErr: err})
	}
	return redirect(c, "/images/"+c.Param("id")+"?region="+region(c)+"&flash="+url.QueryEscape("Share cancelled."))
}

// SyncImage copies the image to the chosen regions (R3).
func (h *Handler) SyncImage(c echo.Context) error {
	form, _ := c.FormParams()
	dests, name := form["destination"], c.FormValue("name")
	copies, err := h.store.SyncImage(c.Request().Context(), actor(c), region(c), c.Param("id"), dests, name, false)
	if err != nil {
		if refusedOrPage(err) {
			return err
		}
		return h.renderImage(c, http.StatusUnprocessableEntity, imageForms{syncErr: err, sync: dests, syncName: name})
	}
	var parts []string
	for _, cp := range copies {
		parts = append(parts, cp.ImageID+" in "+cp.Region)
	}
	return redirect(c, "/images/"+c.Param("id")+"?region="+region(c)+"&flash="+url.QueryEscape("Syncing: "+strings.Join(parts, ", ")+"."))
}
