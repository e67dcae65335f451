package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
)

// Request body limits by kind of route. Go's multipart parser keeps up to
// 32 MiB of a form in memory and spools the rest of its files to the temp
// dir, so a limit under that means no disk; only the upload goes past it,
// and only for a signed-in user.
const (
	// PublicBodyLimit bounds the body of the routes that need no session
	// (sign-in, sign-up, sign-out): a few short fields.
	PublicBodyLimit = 64 << 10
	// FormBodyLimit bounds the signed-in console's forms.
	FormBodyLimit = 1 << 20
	// UploadBodyLimit bounds the import upload: the file and its form.
	UploadBodyLimit = models.MaxUploadBytes + 1<<20
)

// publicPaths are the route templates served without a session; every
// other route needs one, so a forgotten route fails closed.
var publicPaths = map[string]bool{"/signin": true, "/signup": true, "/signout": true, "/lang": true, "/healthz": true,
	"/metrics": true, "/": true, "/static*": true}

// uploadRoute is the one route whose body may be large.
const uploadRoute = http.MethodPost + " /images/import"

// bodyGate runs before anything reads a request body, in this order: the
// route's size limit, then for routes that need one the session check, and
// only then CSRF (which reads the form to find its token) and the handler.
// A request that matched no route, or a route of another method, has its
// body dropped unread: the answer is a 404 or 405 either way.
type bodyGate struct {
	h *Handler
	// routes holds "METHOD template" of every registered route; filled in
	// by NewEcho once the route table is built, before serving starts.
	routes map[string]bool
}

// limit applies the route's body limit.
func (g *bodyGate) limit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		key := r.Method + " " + c.Path()
		if !g.routes[key] {
			// A copy of the request without its body: the server's own
			// request keeps its length, so that after the answer it
			// drains or drops the unread body itself. Emptying the
			// server's request made it read the rest after it had started
			// waiting for the next request (a panic on keep-alive).
			bodiless := r.WithContext(r.Context())
			bodiless.Body, bodiless.ContentLength = http.NoBody, 0
			c.SetRequest(bodiless)
			return next(c)
		}
		var max int64 = FormBodyLimit
		switch {
		case key == uploadRoute:
			max = UploadBodyLimit
		case publicPaths[c.Path()]:
			max = PublicBodyLimit
		}
		if r.ContentLength > max {
			return echo.ErrStatusRequestEntityTooLarge
		}
		r.Body = http.MaxBytesReader(c.Response(), r.Body, max)
		return next(c)
	}
}

// session checks the session of every route that needs one, before CSRF
// or the handler reads the body.
func (g *bodyGate) session(next echo.HandlerFunc) echo.HandlerFunc {
	withSession := g.h.requireSession(next)
	return func(c echo.Context) error {
		if publicPaths[c.Path()] || !g.routes[c.Request().Method+" "+c.Path()] {
			return next(c)
		}
		return withSession(c)
	}
}

// routeSet lists the registered routes as "METHOD template".
func routeSet(e *echo.Echo) map[string]bool {
	set := map[string]bool{}
	for _, r := range e.Routes() {
		set[r.Method+" "+r.Path] = true
	}
	return set
}
