package handlers

import (
	"bytes"
	"net/http"
	"sync"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/models/i18n"
	"imageconsole/views/components"
)

// renderBuffers recycles Render's buffers: growing a fresh one to the size
// of a page (tens of kilobytes) on every request was most of a page's
// allocations. Buffers grown past maxPooledBuffer are left to the GC.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledBuffer = 1 << 20

// Render renders a component into a buffer first, then writes the status
// and the body: a template error becomes a clean 500, never half a page.
func Render(c echo.Context, status int, component templ.Component) error {
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooledBuffer {
			buf.Reset()
			renderBuffers.Put(buf)
		}
	}()
	if err := component.Render(c.Request().Context(), buf); err != nil {
		return err
	}
	// HTMLBlob copies the bytes into the response before the buffer goes back.
	return c.HTMLBlob(status, buf.Bytes())
}

// isFragment reports whether htmx asked for a fragment: a plain htmx request,
// not a boosted navigation or a history restore (those need the full page).
func isFragment(c echo.Context) bool {
	h := c.Request().Header
	return h.Get("HX-Request") == "true" && h.Get("HX-Boosted") != "true" && h.Get("HX-History-Restore-Request") != "true"
}

// renderPage sends the fragment to htmx and the full page to everyone else.
func renderPage(c echo.Context, status int, full, fragment templ.Component) error {
	if isFragment(c) {
		return Render(c, status, fragment)
	}
	return Render(c, status, full)
}

// redirect sends a browser to url after a form post; htmx gets HX-Redirect.
func redirect(c echo.Context, url string) error {
	if isFragment(c) {
		c.Response().Header().Set("HX-Redirect", url)
		return c.NoContent(http.StatusNoContent)
	}
	return c.Redirect(http.StatusSeeOther, url)
}

// formRefusal reports whether a refused form post goes back to the form.
// An internal error is never the user's to fix, and a not-found about no
// field of the form means the object the page is about is gone, malformed
// or not the caller's: those get the error page. Every other refusal,
// a not-found about a field included (an unknown account to share with),
// is the user's to correct on the form.
func formRefusal(err error) bool {
	status := statusOf(models.ErrorCode(err))
	return status < 500 && (status != http.StatusNotFound || models.ErrorField(err) != "")
}

// formError addresses a refusal to the form by the field it names, in the
// reader's language.
func formError(err error, l i18n.Lang) components.FormError {
	if err == nil {
		return components.FormError{}
	}
	return components.FormError{Field: models.ErrorField(err), Message: models.ErrorText(err, l), Code: models.ErrorCode(err)}
}
