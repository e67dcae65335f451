package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/views/components"
)

// The flash is how a form post hands its outcome to the page it redirects
// to (Post/Redirect/Get, refusals included): a short-lived, signed and
// encrypted cookie read once by the next page. It holds catalogue IDs and
// their arguments, never a finished text, so the page shows it in the
// reader's language, and nobody can make the console say their words by
// crafting a link.
type flashCookie struct {
	// Notice is a success message: a catalogue ID and its key/value pairs.
	Notice     string   `json:"n,omitempty"`
	NoticeArgs []string `json:"na,omitempty"`
	// Refusal is a refused form: the store's error, addressed by field, and
	// what the user had typed, so the form comes back filled in.
	Code    string     `json:"c,omitempty"`
	Field   string     `json:"f,omitempty"`
	ErrID   string     `json:"e,omitempty"`
	ErrArgs []string   `json:"ea,omitempty"`
	ErrText string     `json:"et,omitempty"`
	Form    url.Values `json:"v,omitempty"`
}

// Flash is what the page a form redirected to learns of the post.
type Flash struct {
	// Notice is the success message in the reader's language, or "".
	Notice string
	// Refused is the refusal addressed to the form (zero when none).
	Refused components.FormError
	// Form holds the values the refused form was posted with; secrets
	// (passwords, keys, tokens) are never kept.
	Form url.Values
}

// Value returns the posted value of a field of the refused form.
func (f Flash) Value(name string) string { return f.Form.Get(name) }

const (
	ctxFlash      = "ic.flash"
	flashLifetime = 2 * time.Minute
	// maxFlashCookie keeps the cookie under the 4 KB browsers allow; when
	// the typed values do not fit, they are dropped and the error is kept.
	maxFlashCookie = 3500
)

// notify sets the success message the next page shows.
func (h *Handler) notify(c echo.Context, id string, kv ...any) {
	h.writeFlash(c, flashCookie{Notice: id, NoticeArgs: stringArgs(kv)})
}

// notifyAndRedirect is notify and redirect in one step: the end of every
// successful form post.
func (h *Handler) notifyAndRedirect(c echo.Context, to, id string, kv ...any) error {
	h.notify(c, id, kv...)
	return redirect(c, to)
}

// refuseTo answers a refused form post the Post/Redirect/Get way: the
// refusal and the typed values go into the flash and the browser goes back
// to the form's own page (to), whose handler shows them with
// flash(c). An error that is not the form's to show (see formRefusal)
// goes to the error page instead; htmx requests, which do not change the
// address bar, keep getting the form fragment from form (status 422).
func (h *Handler) refuseTo(c echo.Context, to string, err error, form func(status int, fe components.FormError) error) error {
	if !formRefusal(err) {
		return err
	}
	if isFragment(c) && form != nil {
		return form(http.StatusUnprocessableEntity, formError(err, lang(c)))
	}
	fc := flashCookie{Code: models.ErrorCode(err), Field: models.ErrorField(err), ErrText: models.ErrorMessage(err)}
	var e *models.Error
	if errors.As(err, &e) && e.ID != "" {
		fc.ErrID, fc.ErrArgs = e.ID, stringArgs(e.Args)
	}
	if f, ferr := c.FormParams(); ferr == nil {
		fc.Form = keepable(f)
	}
	h.writeFlash(c, fc)
	return redirect(c, to)
}

// flash is the outcome of the post that redirected here (zero if none).
func flash(c echo.Context) Flash {
	f, _ := c.Get(ctxFlash).(Flash)
	return f
}

// readFlash takes the flash cookie of a full-page GET, once: the page
// shows it and a reload shows the page as it is now. htmx fragments
// (polling, pagination) leave it for the page.
func (h *Handler) readFlash(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Request().Method == http.MethodGet && !isFragment(c) {
			c.Set(ctxFlash, h.takeFlash(c))
		}
		return next(c)
	}
}

func (h *Handler) takeFlash(c echo.Context) Flash {
	var f Flash
	ck, err := c.Cookie(h.names.flash)
	if err == nil {
		var fc flashCookie
		if securecookie.DecodeMulti(h.names.flash, ck.Value, &fc, h.devices...) == nil {
			l := lang(c)
			if fc.Notice != "" {
				f.Notice = l.T(fc.Notice, anyArgs(fc.NoticeArgs)...)
			}
			if fc.Code != "" {
				msg := fc.ErrText
				if fc.ErrID != "" {
					msg = l.T(fc.ErrID, anyArgs(fc.ErrArgs)...)
				}
				f.Refused = components.FormError{Field: fc.Field, Message: msg, Code: fc.Code}
				f.Form = fc.Form
			}
		}
		// Read once: a reload shows the page as it is now.
		c.SetCookie(&http.Cookie{Name: h.names.flash, Value: "", Path: "/", MaxAge: -1,
			HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode})
	}
	return f
}

func (h *Handler) writeFlash(c echo.Context, fc flashCookie) {
	v, err := securecookie.EncodeMulti(h.names.flash, fc, h.devices...)
	if err == nil && len(v) > maxFlashCookie {
		fc.Form = nil
		v, err = securecookie.EncodeMulti(h.names.flash, fc, h.devices...)
	}
	if err != nil {
		return // the page still loads; only the message is lost
	}
	c.SetCookie(&http.Cookie{Name: h.names.flash, Value: v, Path: "/", MaxAge: int(flashLifetime / time.Second),
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode})
}

// keepable drops what must never sit in a cookie: the CSRF token and any
// field that holds a secret.
func keepable(f url.Values) url.Values {
	out := url.Values{}
	for k, vs := range f {
		lk := strings.ToLower(k)
		if k == "_csrf" || strings.Contains(lk, "password") || strings.Contains(lk, "secret") ||
			strings.Contains(lk, "private") || strings.Contains(lk, "token") {
			continue
		}
		out[k] = vs
	}
	return out
}

func stringArgs(kv []any) []string {
	out := make([]string, len(kv))
	for i, v := range kv {
		out[i] = fmt.Sprint(v)
	}
	return out
}

func anyArgs(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// A secret shown once: the SecretKey of a new API key, the private key of
// a generated key pair. The create form redirects like every other form
// (Post/Redirect/Get, so a reload cannot create a second key), and the
// page it redirects to shows the secret that one time. The secret must
// reach that page without being written where it would outlive the view:
//   - not in the URL, which browsers keep in history and servers and
//     proxies write to their logs;
//   - not in the plain flash cookie, whose form values drop anything named
//     like a secret on purpose (keepable);
//   - not in this process's memory, which another replica behind the same
//     address does not share, and a restart loses.
//
// So it travels in a cookie of its own, encrypted and authenticated with
// the server's keys (securecookie: AES plus HMAC; the browser holds only
// ciphertext), HttpOnly (no script reads it), Secure under TLS,
// SameSite=Strict, for two minutes at most, and bound to the account that
// created it. The first full-page GET that asks for its kind takes it and
// deletes it in the same answer (marked no-store, so no cache keeps the
// page), so a reload or Back shows the page without the secret.
type onceSecret struct {
	Kind    string `json:"k"` // what it is: apikey or keypair
	Account string `json:"a"` // the account that created it
	ID      string `json:"i"` // the key's ID
	Name    string `json:"n"`
	Secret  string `json:"s"`
	At      int64  `json:"t"` // when it was created (Unix seconds)
}

// secretLifetime is how long a secret waits for its one display.
const secretLifetime = 2 * time.Minute

func (h *Handler) secretCookieName() string { return h.names.flash + "_once" }

// keepSecretOnce hands s to the next page that asks for its kind. It
// reports false when it could not (the page then shows it directly).
func (h *Handler) keepSecretOnce(c echo.Context, s onceSecret) bool {
	s.Account, s.At = account(c).ID, h.now().Unix()
	v, err := securecookie.EncodeMulti(h.secretCookieName(), s, h.devices...)
	if err != nil || len(v) > maxFlashCookie {
		return false
	}
	c.SetCookie(&http.Cookie{Name: h.secretCookieName(), Value: v, Path: "/", MaxAge: int(secretLifetime / time.Second),
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteStrictMode})
	return true
}

// takeSecret returns the secret of kind waiting for this page, once, and
// deletes it; fragments and other pages leave it alone.
func (h *Handler) takeSecret(c echo.Context, kind string) (onceSecret, bool) {
	if c.Request().Method != http.MethodGet || isFragment(c) {
		return onceSecret{}, false
	}
	ck, err := c.Cookie(h.secretCookieName())
	if err != nil {
		return onceSecret{}, false
	}
	var s onceSecret
	ok := securecookie.DecodeMulti(h.secretCookieName(), ck.Value, &s, h.devices...) == nil &&
		s.Kind == kind && s.Account == account(c).ID && h.now().Sub(time.Unix(s.At, 0)) < secretLifetime
	if !ok && s.Kind != "" && s.Kind != kind {
		return onceSecret{}, false // another page's secret: leave it for that page
	}
	c.SetCookie(&http.Cookie{Name: h.secretCookieName(), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteStrictMode})
	return s, ok
}
