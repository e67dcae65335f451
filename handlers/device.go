package handlers

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/labstack/echo/v4"

	"imageconsole/models"
)

// knownDevice returns the device ID of the browser if it signed in to the
// account of email before: the signed cookie set then names the email.
// Attempts from a known device are throttled apart from strangers', so an
// attacker guessing from the same address does not lock the owner out.
func (h *Handler) knownDevice(c echo.Context, email string) string {
	ck, err := c.Cookie(h.names.device)
	if err != nil {
		return ""
	}
	var v map[string]string
	if err := securecookie.DecodeMulti(h.names.device, ck.Value, &v, h.devices...); err != nil {
		return ""
	}
	if v["e"] == "" || v["e"] != models.NormalEmail(email) {
		return ""
	}
	return v["d"]
}

// rememberDevice marks the browser as a known device of the account that
// just signed in, keeping its ID if it had one.
func (h *Handler) rememberDevice(c echo.Context, email, device string) error {
	if device == "" {
		raw := make([]byte, 16)
		_, _ = rand.Read(raw)
		device = hex.EncodeToString(raw)
	}
	v, err := securecookie.EncodeMulti(h.names.device, map[string]string{"e": models.NormalEmail(email), "d": device}, h.devices...)
	if err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: h.names.device, Value: v, Path: "/", MaxAge: int(deviceLifetime / time.Second),
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode})
	return nil
}
