package handlers

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// cookieNames are the console's cookie names. Served over HTTPS they carry
// the __Host- prefix: the browser then only accepts them Secure, for Path=/
// and without a Domain, so neither a sibling subdomain nor a plain-HTTP
// page can plant or overwrite them. Browsers refuse such cookies without
// TLS, so plain HTTP (local use) keeps plain names.
type cookieNames struct{ session, csrf, device, lang, flash string }

func namesFor(secure bool) cookieNames {
	n := cookieNames{session: "ic_session", csrf: "ic_csrf", device: "ic_device", lang: "ic_lang", flash: "ic_flash"}
	if secure {
		n = cookieNames{session: "__Host-" + n.session, csrf: "__Host-" + n.csrf, device: "__Host-" + n.device, lang: "__Host-" + n.lang, flash: "__Host-" + n.flash}
	}
	return n
}

// csrf checks the token of every state-changing request. The token is an
// HMAC, under a server key, of what the request is bound to: the session's
// secret token when the browser has one, or else a random pre-session
// value in a cookie of its own (sign-in and sign-up forms). A value chosen
// by an attacker therefore never verifies, a token from another session
// never verifies, and signing in changes the token. Requests the browser
// marks as cross-site are refused outright.
func (h *Handler) csrf(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if strings.HasPrefix(r.URL.Path, "/static/") {
			return next(c)
		}
		want := h.csrfFor(h.csrfBinding(c))
		c.Set("csrf", want)
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
			return next(c)
		}
		if r.Header.Get(echo.HeaderSecFetchSite) == "cross-site" {
			return echo.NewHTTPError(http.StatusForbidden, "cross-site request refused")
		}
		got := r.Header.Get("X-CSRF-Token")
		if got == "" {
			got = c.FormValue("_csrf")
		}
		if !hmac.Equal([]byte(got), []byte(want)) {
			return echo.NewHTTPError(http.StatusForbidden, "invalid CSRF token")
		}
		return next(c)
	}
}

// csrfFor derives the token of a binding.
func (h *Handler) csrfFor(binding string) string {
	m := hmac.New(sha256.New, h.csrfKey)
	m.Write([]byte("csrf\x00" + binding))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// csrfBinding is the session token, or the pre-session value, which it
// creates (and sets as a cookie) when the browser has none.
func (h *Handler) csrfBinding(c echo.Context) string {
	if tok := h.sessionToken(c); tok != "" {
		return "session:" + tok
	}
	if ck, err := c.Cookie(h.names.csrf); err == nil && len(ck.Value) == 64 {
		if _, err := hex.DecodeString(ck.Value); err == nil {
			return "pre:" + ck.Value
		}
	}
	raw := make([]byte, 32)
	_, _ = rand.Read(raw) // crypto/rand never fails on supported platforms
	v := hex.EncodeToString(raw)
	c.SetCookie(&http.Cookie{Name: h.names.csrf, Value: v, Path: "/", MaxAge: 24 * 60 * 60,
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode})
	return "pre:" + v
}
