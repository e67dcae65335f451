package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"imageconsole/models/i18n"
)

const (
	ctxLang = "ic.lang"
	// langLifetime is how long the language switch is remembered.
	langLifetime = 365 * 24 * time.Hour
)

// language picks the language of every console page: the one the reader
// chose with the language switch (a cookie), else the first of the
// browser's Accept-Language preferences the console speaks, else English.
// It travels in the request's context, where templates read it
// (i18n.T(ctx, …)), and in Content-Language.
func (h *Handler) language(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		l := i18n.Default
		if ck, err := c.Cookie(h.names.lang); err == nil {
			if cl, ok := i18n.Parse(ck.Value); ok {
				l = cl
			}
		} else {
			l = i18n.FromAcceptLanguage(c.Request().Header.Get("Accept-Language"))
		}
		c.Set(ctxLang, l)
		r := c.Request()
		c.SetRequest(r.WithContext(i18n.WithLang(r.Context(), l)))
		hd := c.Response().Header()
		hd.Set("Content-Language", string(l))
		hd.Add("Vary", "Accept-Language")
		return next(c)
	}
}

// lang is the language of the request's reader.
func lang(c echo.Context) i18n.Lang {
	if l, ok := c.Get(ctxLang).(i18n.Lang); ok {
		return l
	}
	return i18n.Default
}

// t is the catalogue's text of id in the reader's language.
func t(c echo.Context, id string, kv ...any) string { return lang(c).T(id, kv...) }

// SelectLanguage is the language switch: it remembers the choice for a
// year and shows the page the switch was on again.
func (h *Handler) SelectLanguage(c echo.Context) error {
	l, ok := i18n.Parse(c.FormValue("lang"))
	if !ok {
		return echo.NewHTTPError(http.StatusBadRequest, "unknown language")
	}
	c.SetCookie(&http.Cookie{Name: h.names.lang, Value: string(l), Path: "/", MaxAge: int(langLifetime / time.Second),
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode})
	return redirect(c, safeNext(c.FormValue("next")))
}
