package handlers

import (
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/views/components"
	"imageconsole/views/pages"
)

// imagePanels builds the owner's share and sync panels of a custom image
// from what models decided: the R4 figures, which operations the image
// allows and why not, and every region with its R3 refusal.
func (h *Handler) imagePanels(c echo.Context, img *models.Image, sh *models.ImageSharing, f imageForms) pages.ImagePanelsVM {
	acct := account(c).ID
	vm := pages.ImagePanelsVM{CSRF: csrfToken(c), ImageID: img.ID, Region: img.Region, ShareLimit: sh.Limit, ShareRemaining: sh.Remaining,
		ShareField:  components.FieldVM{Name: "accounts", Label: "Account IDs (12 digits; several separated by spaces or commas)", Type: "text", Value: f.share},
		SyncName:    components.FieldVM{Name: "name", Label: "Name of the copies (optional)", Type: "text", Value: f.syncName, MaxLength: models.MaxImageName},
		SyncRegions: models.SyncRegionNames()}
	if err := img.Check(models.OpShare, acct); err != nil {
		vm.ShareNote = models.ErrorMessage(err)
	}
	if err := img.Check(models.OpSync, acct); err != nil {
		vm.SyncNote = models.ErrorMessage(err)
	}
	vm.CanShare, vm.CanSync = vm.ShareNote == "", vm.SyncNote == ""
	now := h.now()
	for _, s := range sh.Shares {
		row := pages.ShareRowVM{AccountID: s.AccountID}
		row.Since, row.SinceExact = ago(s.CreatedAt, now)
		vm.Shares = append(vm.Shares, row)
	}
	// The form takes the accounts in one field for the API's list parameter.
	if f.shareErr.Field == "account_ids" {
		f.shareErr.Field = vm.ShareField.Name
	}
	vm.ShareAlert, vm.ShareCode = f.shareErr.Place(&vm.ShareField)
	for _, t := range sh.Targets {
		vm.SyncTargets = append(vm.SyncTargets, pages.SyncTargetVM{ID: t.Region.ID, Name: t.Region.Name, Enabled: t.Refusal == nil,
			Reason: refusalMessage(t.Refusal), Checked: slices.Contains(f.sync, t.Region.ID)})
	}
	vm.SyncAlert, vm.SyncCode = f.syncErr.Place(&vm.SyncName)
	return vm
}

// refusalMessage is a refusal's message, or "" for none.
func refusalMessage(err error) string {
	if err == nil {
		return ""
	}
	return models.ErrorMessage(err)
}

// splitAccounts reads account IDs separated by spaces, commas or new lines.
func splitAccounts(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}

// ShareImage shares the image with one or several accounts, all or none.
func (h *Handler) ShareImage(c echo.Context) error {
	accounts := c.FormValue("accounts")
	err := h.store.ShareImage(c.Request().Context(), actor(c), region(c), c.Param("id"), splitAccounts(accounts))
	if err != nil {
		return refusal(err, func(status int, fe components.FormError) error {
			return h.renderImage(c, status, imageForms{shareErr: fe, share: accounts})
		})
	}
	return redirect(c, "/images/"+c.Param("id")+"?region="+region(c)+"&flash="+url.QueryEscape("Shared."))
}

// UnshareImage cancels one account's share.
func (h *Handler) UnshareImage(c echo.Context) error {
	err := h.store.UnshareImage(c.Request().Context(), actor(c), region(c), c.Param("id"), []string{c.FormValue("account")})
	if err != nil {
		return refusal(err, func(status int, fe components.FormError) error {
			fe.Field = "" // the cancel button has no field: the panel's alert says it
			return h.renderImage(c, status, imageForms{shareErr: fe})
		})
	}
	return redirect(c, "/images/"+c.Param("id")+"?region="+region(c)+"&flash="+url.QueryEscape("Share cancelled."))
}

// SyncImage copies the image to the chosen regions (R3).
func (h *Handler) SyncImage(c echo.Context) error {
	form, _ := c.FormParams()
	dests, name := form["destination"], c.FormValue("name")
	copies, err := h.store.SyncImage(c.Request().Context(), actor(c), region(c), c.Param("id"), dests, name, false)
	if err != nil {
		return refusal(err, func(status int, fe components.FormError) error {
			return h.renderImage(c, status, imageForms{syncErr: fe, sync: dests, syncName: name})
		})
	}
	var parts []string
	for _, cp := range copies {
		parts = append(parts, cp.ImageID+" in "+cp.Region)
	}
	return redirect(c, "/images/"+c.Param("id")+"?region="+region(c)+"&flash="+url.QueryEscape("Syncing: "+strings.Join(parts, ", ")+"."))
}
