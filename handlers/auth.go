package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/views/components"
	"imageconsole/views/pages"
)

func csrfToken(c echo.Context) string {
	tok, _ := c.Get("csrf").(string)
	return tok
}

// renderSignIn draws the sign-in form for email; fe is a refused
// attempt's error, which names no field: credentials are refused together.
func (h *Handler) renderSignIn(c echo.Context, status int, email, next string, fe components.FormError) error {
	vm := pages.AuthPageVM{CSRF: csrfToken(c), Next: next,
		Email:    components.FieldVM{Name: "email", Label: "Email", Type: "email", Value: email, Required: true, Autocomplete: "username"},
		Password: components.FieldVM{Name: "password", Label: "Password", Type: "password", Required: true, Autocomplete: "current-password"}}
	vm.Error, _ = fe.Place(&vm.Email, &vm.Password)
	return Render(c, status, pages.SignInPage(vm))
}

// ShowSignIn renders the sign-in form.
func (h *Handler) ShowSignIn(c echo.Context) error {
	return h.renderSignIn(c, http.StatusOK, "", safeNext(c.QueryParam("next")), components.FormError{})
}

// SignIn checks the credentials and starts a fresh session. The store
// throttles the attempt; a browser where this account signed in before is
// throttled apart from strangers (device.go).
func (h *Handler) SignIn(c echo.Context) error {
	email, next := c.FormValue("email"), safeNext(c.FormValue("next"))
	device := h.knownDevice(c, email)
	acct, err := h.store.SignIn(c.Request().Context(), models.SignInAttempt{Email: email, Password: c.FormValue("password"),
		ClientIP: c.RealIP(), Device: device})
	switch code := models.ErrorCode(err); {
	case err == nil:
	case code == models.CodeTooManySignIns || code == models.CodeHashBusy:
		// Not a refusal to correct but a wait: the form again, with 429.
		fe := components.FormError{Message: models.ErrorMessage(err), Code: code}
		return h.renderSignIn(c, http.StatusTooManyRequests, email, next, fe)
	default:
		return refusal(err, func(status int, fe components.FormError) error { return h.renderSignIn(c, status, email, next, fe) })
	}
	if err := h.startSession(c, acct.ID); err != nil {
		return err
	}
	if err := h.rememberDevice(c, acct.Email, device); err != nil {
		return err
	}
	return redirect(c, next)
}

// startSession replaces any old session with a new one. The CSRF token is
// derived from the session token (csrf.go), so it changes too: nothing
// issued before sign-in stays valid after it.
func (h *Handler) startSession(c echo.Context, accountID string) error {
	if old := h.sessionToken(c); old != "" {
		if err := h.store.EndSession(c.Request().Context(), old); err != nil {
			return err
		}
	}
	tok, err := h.store.StartSession(c.Request().Context(), accountID)
	if err != nil {
		return err
	}
	return h.writeSessionCookie(c, tok)
}

// passwordHint states the password rules (models/password_policy.go).
const passwordHint = "12 to 72 characters. Common or easily guessed passwords are refused; a few unrelated words work well."

// renderSignUp draws the sign-up form holding in (its password never
// comes back); fe goes next to the field it names.
func (h *Handler) renderSignUp(c echo.Context, status int, in models.NewAccount, fe components.FormError) error {
	vm := pages.AuthPageVM{CSRF: csrfToken(c),
		Email: components.FieldVM{Name: "email", Label: "Email", Type: "email", Value: in.Email, Required: true, Autocomplete: "username"},
		Name:  components.FieldVM{Name: "name", Label: "Display name", Type: "text", Value: in.Name, MaxLength: 64, Autocomplete: "name"},
		Password: components.FieldVM{Name: "password", Label: "Password", Type: "password", Required: true, Autocomplete: "new-password",
			Hint: passwordHint}}
	vm.Error, _ = fe.Place(&vm.Email, &vm.Name, &vm.Password)
	return Render(c, status, pages.SignUpPage(vm))
}

// ShowSignUp renders the sign-up form.
func (h *Handler) ShowSignUp(c echo.Context) error {
	return h.renderSignUp(c, http.StatusOK, models.NewAccount{}, components.FormError{})
}

// SignUp creates an account and signs it in. The role is never read from
// the form: a sign-up is always a plain user.
func (h *Handler) SignUp(c echo.Context) error {
	in := models.NewAccount{Email: c.FormValue("email"), Name: c.FormValue("name"), Password: c.FormValue("password"), Role: models.RoleUser}
	acct, err := h.store.CreateAccount(c.Request().Context(), in)
	if err != nil {
		in.Password = ""
		return refusal(err, func(status int, fe components.FormError) error { return h.renderSignUp(c, status, in, fe) })
	}
	if err := h.startSession(c, acct.ID); err != nil {
		return err
	}
	if err := h.rememberDevice(c, acct.Email, ""); err != nil {
		return err
	}
	return redirect(c, "/images")
}

// SignOut ends the session on the server and clears the cookie.
func (h *Handler) SignOut(c echo.Context) error {
	if tok := h.sessionToken(c); tok != "" {
		if err := h.store.EndSession(c.Request().Context(), tok); err != nil {
			return err
		}
	}
	if err := h.writeSessionCookie(c, ""); err != nil {
		return err
	}
	return redirect(c, "/signin")
}
