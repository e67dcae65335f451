package handlers

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
)

// Context keys of the request-scoped values set by the middleware.
const (
	ctxSession = "ic.session"
	ctxToken   = "ic.token"
	ctxRegion  = "ic.region"
)

// sessionToken reads the session token from the signed, encrypted cookie.
func (h *Handler) sessionToken(c echo.Context) string {
	sess, err := h.cookies.Get(c.Request(), sessionCookie)
	if err != nil {
		return ""
	}
	tok, _ := sess.Values["t"].(string)
	return tok
}

// writeSessionCookie stores a new token (or deletes the cookie for "").
func (h *Handler) writeSessionCookie(c echo.Context, token string) error {
	sess, _ := h.cookies.New(c.Request(), sessionCookie)
	opts := *h.cookies.Options
	sess.Options = &opts
	if token == "" {
		sess.Options.MaxAge = -1
	} else {
		sess.Values["t"] = token
	}
	return sess.Save(c.Request(), c.Response())
}

// requireSession lets a request through only with a live server-side session;
// others go to sign-in and come back afterwards.
func (h *Handler) requireSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		tok := h.sessionToken(c)
		ws, err := h.store.Session(c.Request().Context(), tok)
		if err != nil {
			if err != models.ErrNoSession {
				return err
			}
			back := c.Request().URL.RequestURI()
			if c.Request().Method != http.MethodGet {
				back = "/images"
			}
			return redirect(c, "/signin?next="+url.QueryEscape(back))
		}
		region := ws.Region
		if r := c.QueryParam("region"); r != "" && r != region {
			if _, ok := models.LookupRegion(r); ok {
				if err := h.store.SetSessionRegion(c.Request().Context(), tok, r); err != nil {
					return err
				}
				region = r
			}
		}
		c.Set(ctxSession, ws)
		c.Set(ctxToken, tok)
		c.Set(ctxRegion, region)
		return next(c)
	}
}

// account returns the signed-in account.
func account(c echo.Context) *models.Account {
	return &c.Get(ctxSession).(*models.WebSession).Account
}

// region returns the region the user works in.
func region(c echo.Context) string { return c.Get(ctxRegion).(string) }

// actor identifies the signed-in account for the store's use cases.
func actor(c echo.Context) models.Actor {
	return models.Actor{AccountID: account(c).ID, Via: models.ViaConsole, RequestID: c.Response().Header().Get(echo.HeaderXRequestID)}
}

// safeNext accepts only a local path as the place to return to after
// sign-in, so the parameter cannot send users to another site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return "/images"
	}
	return next
}
