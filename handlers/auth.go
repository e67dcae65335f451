package handlers

import (
	"net/http"
	"net/url"

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
	vm := pages.AuthPageVM{CSRF: csrfToken(c), Next: next, Here: c.Request().URL.RequestURI(),
		Email:    components.FieldVM{Name: "email", Label: t(c, "auth.field.email"), Type: "email", Value: email, Required: true, Autocomplete: "username"},
		Password: components.FieldVM{Name: "password", Label: t(c, "auth.field.password"), Type: "password", Required: true, Autocomplete: "current-password"}}
	vm.Error, _ = fe.Place(&vm.Email, &vm.Password)
	return Render(c, status, pages.SignInPage(vm))
}

// signInURL is the sign-in page that returns to next afterwards.
func signInURL(next string) string {
	if next == "/images" {
		return "/signin"
	}
	return "/signin?next=" + url.QueryEscape(next)
}

// ShowSignIn renders the sign-in form, with the refusal of the last
// attempt when it redirected here (the email filled in again).
func (h *Handler) ShowSignIn(c echo.Context) error {
	f := flash(c)
	return h.renderSignIn(c, http.StatusOK, f.Value("email"), safeNext(c.QueryParam("next")), f.Refused)
}

// SignIn checks the credentials and starts a fresh session. The store
// throttles the attempt; a browser where this account signed in before is
// throttled apart from strangers (device.go). Wrong credentials go back to
// the sign-in page (Post/Redirect/Get); a throttled attempt is not a
// refusal to correct but a wait, and answers 429 with the form at once.
func (h *Handler) SignIn(c echo.Context) error {
	email, next := c.FormValue("email"), safeNext(c.FormValue("next"))
	device := h.knownDevice(c, email)
	acct, err := h.store.SignIn(c.Request().Context(), models.SignInAttempt{Email: email, Password: c.FormValue("password"),
		ClientIP: c.RealIP(), Device: device})
	switch code := models.ErrorCode(err); {
	case err == nil:
	case code == models.CodeTooManySignIns || code == models.CodeHashBusy:
		fe := components.FormError{Message: models.ErrorText(err, lang(c)), Code: code}
		return h.renderSignIn(c, http.StatusTooManyRequests, email, next, fe)
	default:
		return h.refuseTo(c, signInURL(next), err, nil)
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

// passwordField is a password input with the password rules as its hint
// (models/password_policy.go).
func passwordField(c echo.Context, name, labelID, autocomplete string) components.FieldVM {
	return components.FieldVM{Name: name, Label: t(c, labelID), Type: "password", Required: true, Autocomplete: autocomplete,
		Hint: t(c, "auth.password.hint")}
}

// renderSignUp draws the sign-up form holding in (its password never
// comes back); fe goes next to the field it names.
func (h *Handler) renderSignUp(c echo.Context, status int, in models.NewAccount, fe components.FormError) error {
	vm := pages.AuthPageVM{CSRF: csrfToken(c), Here: c.Request().URL.RequestURI(),
		Email:    components.FieldVM{Name: "email", Label: t(c, "auth.field.email"), Type: "email", Value: in.Email, Required: true, Autocomplete: "username"},
		Name:     components.FieldVM{Name: "name", Label: t(c, "auth.field.name"), Type: "text", Value: in.Name, MaxLength: 64, Autocomplete: "name"},
		Password: passwordField(c, "password", "auth.field.password", "new-password")}
	vm.Error, _ = fe.Place(&vm.Email, &vm.Name, &vm.Password)
	return Render(c, status, pages.SignUpPage(vm))
}

// ShowSignUp renders the sign-up form, with the refusal of the last
// attempt when it redirected here (email and name filled in again).
func (h *Handler) ShowSignUp(c echo.Context) error {
	f := flash(c)
	return h.renderSignUp(c, http.StatusOK, models.NewAccount{Email: f.Value("email"), Name: f.Value("name")}, f.Refused)
}

// SignUp creates an account and signs it in. The role is never read from
// the form: a sign-up is always a plain user. A refusal goes back to the
// sign-up page (Post/Redirect/Get) with what was typed, the password
// excepted.
func (h *Handler) SignUp(c echo.Context) error {
	in := models.NewAccount{Email: c.FormValue("email"), Name: c.FormValue("name"), Password: c.FormValue("password"), Role: models.RoleUser}
	acct, err := h.store.CreateAccount(c.Request().Context(), in)
	if err != nil {
		return h.refuseTo(c, "/signup", err, nil)
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
