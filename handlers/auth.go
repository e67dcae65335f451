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

func signInFields(email string) []components.FieldVM {
	return []components.FieldVM{
		{Name: "email", Label: "Email", Type: "email", Value: email, Required: true, Autocomplete: "username"},
		{Name: "password", Label: "Password", Type: "password", Required: true, Autocomplete: "current-password"},
	}
}

// ShowSignIn renders the sign-in form.
func (h *Handler) ShowSignIn(c echo.Context) error {
	return Render(c, http.StatusOK, pages.SignInPage(pages.AuthPageVM{CSRF: csrfToken(c), Next: safeNext(c.QueryParam("next")),
		Fields: signInFields("")}))
}

// SignIn checks the credentials and starts a fresh session. The store
// throttles the attempt; a browser where this account signed in before is
// throttled apart from strangers (device.go).
func (h *Handler) SignIn(c echo.Context) error {
	email, next := c.FormValue("email"), safeNext(c.FormValue("next"))
	device := h.knownDevice(c, email)
	acct, err := h.store.SignIn(c.Request().Context(), models.SignInAttempt{Email: email, Password: c.FormValue("password"),
		ClientIP: c.RealIP(), Device: device})
	if err != nil {
		status := http.StatusUnprocessableEntity
		switch models.ErrorCode(err) {
		case models.CodeAuthFailure:
		case models.CodeTooManySignIns, models.CodeHashBusy:
			status = http.StatusTooManyRequests
		default:
			return err
		}
		return Render(c, status, pages.SignInPage(pages.AuthPageVM{CSRF: csrfToken(c), Next: next,
			Error: models.ErrorMessage(err), Fields: signInFields(email)}))
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

func signUpFields(in models.NewAccount, err error) []components.FieldVM {
	fields := []components.FieldVM{
		{Name: "email", Label: "Email", Type: "email", Value: in.Email, Required: true, Autocomplete: "username"},
		{Name: "name", Label: "Display name", Type: "text", Value: in.Name, MaxLength: 64, Autocomplete: "name"},
		{Name: "password", Label: "Password", Type: "password", Required: true, Autocomplete: "new-password",
			Hint: passwordHint},
	}
	for i := range fields {
		if fields[i].Name == models.ErrorField(err) {
			fields[i].Error = models.ErrorMessage(err)
		}
	}
	return fields
}

// ShowSignUp renders the sign-up form.
func (h *Handler) ShowSignUp(c echo.Context) error {
	return Render(c, http.StatusOK, pages.SignUpPage(pages.AuthPageVM{CSRF: csrfToken(c), Fields: signUpFields(models.NewAccount{}, nil)}))
}

// SignUp creates an account and signs it in. The role is never read from
// the form: a sign-up is always a plain user.
func (h *Handler) SignUp(c echo.Context) error {
	in := models.NewAccount{Email: c.FormValue("email"), Name: c.FormValue("name"), Password: c.FormValue("password"), Role: models.RoleUser}
	acct, err := h.store.CreateAccount(c.Request().Context(), in)
	if err != nil {
		if models.ErrorField(err) == "" {
			return err
		}
		in.Password = ""
		return Render(c, http.StatusUnprocessableEntity, pages.SignUpPage(pages.AuthPageVM{CSRF: csrfToken(c), Fields: signUpFields(in, err)}))
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
