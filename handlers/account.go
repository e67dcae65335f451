package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/views/components"
	"imageconsole/views/pages"
)

// ShowAccount is the account page; a refused password change comes back
// here (Post/Redirect/Get) with its message next to the field.
func (h *Handler) ShowAccount(c echo.Context) error {
	a := account(c)
	l := lang(c)
	vm := pages.AccountPageVM{Shell: shell(c, t(c, "account.title"), ""), Email: a.Email, Role: roleName(c, a.Role), Created: l.Date(a.CreatedAt),
		Current: components.FieldVM{Name: "current_password", Label: t(c, "account.password.current"), Type: "password", Required: true,
			Autocomplete: "current-password"},
		New: passwordField(c, "new_password", "account.password.new", "new-password")}
	vm.Alert, vm.AlertCode = flash(c).Refused.Place(&vm.Current, &vm.New)
	return Render(c, http.StatusOK, pages.AccountPage(vm))
}

// roleName names an account's role in the reader's language.
func roleName(c echo.Context, role string) string {
	switch role {
	case models.RoleProvider:
		return t(c, "account.role.provider")
	case models.RoleOperator:
		return t(c, "account.role.operator")
	}
	return t(c, "account.role.user")
}

// ChangePassword sets a new password. The store ends every session of the
// account; this browser gets a fresh one so the user stays signed in.
// Either way the browser goes back to the account page (Post/Redirect/Get):
// a reload never posts the passwords again.
func (h *Handler) ChangePassword(c echo.Context) error {
	a := account(c)
	to := "/account?region=" + region(c)
	if err := h.store.ChangePassword(c.Request().Context(), a.ID, c.FormValue("current_password"), c.FormValue("new_password")); err != nil {
		return h.refuseTo(c, to, err, nil)
	}
	if err := h.startSession(c, a.ID); err != nil {
		return err
	}
	return h.notifyAndRedirect(c, to, "account.password.changed")
}
