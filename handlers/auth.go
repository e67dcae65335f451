package handlers

import (
	"net/http"
	"time"

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

// SignIn checks the credentials and starts a fresh session.
func (h *Handler) SignIn(c echo.Context) error {
	email, next := c.FormValue("email"), safeNext(c.FormValue("next"))
	acct, err := h.store.SignIn(c.Request().Context(), email, c.FormValue("password"), c.RealIP())
	if err != nil {
		status := http.StatusUnprocessableEntity
		switch models.ErrorCode(err) {
		case models.CodeAuthFailure:
		case models.CodeTooManySignIns:
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
	return redirect(c, next)
}

// startSession replaces any old session with a new one and rotates the CSRF
// token, so nothing issued before sign-in stays valid after it.
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
	c.SetCookie(&http.Cookie{Name: "_csrf", Value: "", Path: "/", MaxAge: -1, Expires: time.Unix(0, 0),
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode})
	return h.writeSessionCookie(c, tok)
}

func signUpFields(in models.NewAccount, err error) []components.FieldVM {
	fields := []components.FieldVM{
		{Name: "email", Label: "Email", Type: "email", Value: in.Email, Required: true, Autocomplete: "username"},
		{Name: "name", Label: "Display name", Type: "text", Value: in.Name, MaxLength: 64, Autocomplete: "name"},
		{Name: "password", Label: "Password", Type: "password", Required: true, Autocomplete: "new-password",
			Hint: "8 to 72 characters."},
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
