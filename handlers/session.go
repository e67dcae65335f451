package handlers

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
)

// Context keys of the request-scoped values set by the middleware.
const (
	ctxSession  = "ic.session"
	ctxToken    = "ic.token"
	ctxRegion   = "ic.region"
	ctxRawToken = "ic.rawtoken"
)

// sessionToken reads the session token from the signed, encrypted cookie,
// once per request (the CSRF check and requireSession both need it).
func (h *Handler) sessionToken(c echo.Context) string {
	if tok, ok := c.Get(ctxRawToken).(string); ok {
		return tok
	}
	tok := ""
	if sess, err := h.cookies.Get(c.Request(), h.names.session); err == nil {
		tok, _ = sess.Values["t"].(string)
	}
	c.Set(ctxRawToken, tok)
	return tok
}

// writeSessionCookie stores a new token (or deletes the cookie for "").
func (h *Handler) writeSessionCookie(c echo.Context, token string) error {
	sess, _ := h.cookies.New(c.Request(), h.names.session)
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
// others go to sign-in and come back afterwards. Signed-in answers are never
// stored by the browser or a proxy (Cache-Control: no-store), so Back after
// sign-out shows nothing of the account. A ?region= in the URL (for a
// form: its region field, or the URL of its page) picks the region of this
// request only: a GET changes no state.
func (h *Handler) requireSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
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
		r := c.QueryParam("region")
		if r == "" && c.Request().Method != http.MethodGet {
			r = c.FormValue("region")
			if r == "" {
				r = refererRegion(c.Request())
			}
		}
		if _, ok := models.LookupRegion(r); ok {
			region = r
		}
		c.Set(ctxSession, ws)
		c.Set(ctxToken, tok)
		c.Set(ctxRegion, region)
		return next(c)
	}
}

// refererRegion is the region of the page a form was posted from: a form
// acts in the region its page showed, whether that came from the URL or
// the session. Only a same-origin page counts.
func refererRegion(r *http.Request) string {
	ref, err := url.Parse(r.Referer())
	if err != nil || ref.Host != r.Host {
		return ""
	}
	return ref.Query().Get("region")
}

// SelectRegion is the region selector: it remembers the region for the
// pages whose URL names none, then shows the page the selector was on, in
// that region.
func (h *Handler) SelectRegion(c echo.Context) error {
	r := c.FormValue("region")
	if err := h.store.SetSessionRegion(c.Request().Context(), c.Get(ctxToken).(string), r); err != nil {
		return err
	}
	u, err := url.Parse(safeNext(c.FormValue("next")))
	if err != nil {
		u = &url.URL{Path: "/images"}
	}
	q := u.Query()
	q.Set("region", r)
	// The page number and a flash message belong to the old region's view.
	q.Del("page")
	q.Del("flash")
	u.RawQuery = q.Encode()
	return redirect(c, u.String())
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

// safeNext accepts only a path of this site as the place to return to after
// sign-in, so the parameter cannot send users to another site: it must
// start with one "/" (not "//", which browsers read as another host), and
// hold only printable ASCII without backslashes, since browsers drop tabs
// and newlines ("/\t/evil.example" becomes "//evil.example") and read "\"
// as "/"; and it must parse. Anything else falls back to the image list.
func safeNext(next string) string {
	const fallback = "/images"
	if len(next) == 0 || next[0] != '/' || len(next) > 2048 || (len(next) > 1 && next[1] == '/') {
		return fallback
	}
	for i := 0; i < len(next); i++ {
		if b := next[i]; b <= ' ' || b >= 0x7f || b == '\\' {
			return fallback
		}
	}
	// And it must parse as a URL with neither scheme nor host (a malformed
	// escape such as "/%" is refused rather than passed on).
	if u, err := url.Parse(next); err != nil || u.Scheme != "" || u.Host != "" {
		return fallback
	}
	return next
}
