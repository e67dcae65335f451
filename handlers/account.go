package handlers

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/views/components"
	"imageconsole/views/pages"
)

// ShowAccount is the account page.
func (h *Handler) ShowAccount(c echo.Context) error {
	return h.renderAccount(c, http.StatusOK, components.FormError{})
}

func (h *Handler) renderAccount(c echo.Context, status int, fe components.FormError) error {
	a := account(c)
	vm := pages.AccountPageVM{Shell: shell(c, "Account", ""), Email: a.Email, Role: a.Role, Created: a.CreatedAt.UTC().Format("2006-01-02"),
		Current: components.FieldVM{Name: "current_password", Label: "Current password", Type: "password", Required: true, Autocomplete: "current-password"},
		New: components.FieldVM{Name: "new_password", Label: "New password", Type: "password", Required: true, Autocomplete: "new-password",
			Hint: passwordHint}}
	vm.Alert, vm.AlertCode = fe.Place(&vm.Current, &vm.New)
	return Render(c, status, pages.AccountPage(vm))
}

// ChangePassword sets a new password. The store ends every session of the
// account; this browser gets a fresh one so the user stays signed in.
func (h *Handler) ChangePassword(c echo.Context) error {
	a := account(c)
	err := h.store.ChangePassword(c.Request().Context(), a.ID, c.FormValue("current_password"), c.FormValue("new_password"))
	switch code := models.ErrorCode(err); {
	case err == nil:
	case code == models.CodeTooManySignIns || code == models.CodeHashBusy:
		return h.renderAccount(c, http.StatusTooManyRequests, formError(err))
	default:
		return refusal(err, func(status int, fe components.FormError) error { return h.renderAccount(c, status, fe) })
	}
	if err := h.startSession(c, a.ID); err != nil {
		return err
	}
	return redirect(c, "/account?flash="+url.QueryEscape("Password changed. Other browsers were signed out."))
}
