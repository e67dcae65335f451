package handlers

import (
	"bytes"
	"net/http"
	"sync"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
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
