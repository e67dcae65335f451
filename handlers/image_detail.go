package handlers

import (
	"cmp"
	"net/http"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/models/i18n"
	"imageconsole/views/components"
	"imageconsole/views/layouts"
	"imageconsole/views/pages"
)

// The image detail page and its forms (edit, delete; share and sync are in
// share.go). Every form posts to its page's region and ends the
// Post/Redirect/Get way, back on the page, refusals included.

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
		Status: imageStatus(img, r, lang(c)), BackLabel: t(c, "images.back"), BackHref: "/images?region=" + r + "&tab=" + tabOf(img),
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

func imageStatus(img *models.Image, region string, l i18n.Lang) pages.ImageStatusVM {
	return pages.ImageStatusVM{ID: img.ID, Region: region, State: img.State, Progress: img.Progress, Busy: img.Busy(), FailReason: img.FailureText(l)}
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
	return Render(c, http.StatusOK, pages.ImageStatus(imageStatus(img, region(c), lang(c))))
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
	// The page opens at the refused form: without JavaScript its dialog is
	// shown in place, further down the page.
	// (An edit refused for no field, such as a shared image's, is the
	// page's alert at the top.)
	anchor := map[string]string{"share": "#share", "unshare": "#share", "sync": "#sync"}[form]
	if form == "edit" && models.ErrorField(err) != "" {
		anchor = "#edit-dialog"
	}
	return h.refuseTo(c, imagePage(c)+anchor, err, func(status int, fe components.FormError) error {
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
