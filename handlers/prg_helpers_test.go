package handlers_test

import "net/http"

// follow asserts that a form post ended the Post/Redirect/Get way (303)
// and returns the page it redirected to, fetched with the cookie jar as a
// browser would.
func (c *client) follow(res *response) *response {
	c.t.Helper()
	wantStatus(c.t, res, http.StatusSeeOther)
	page := c.get(res.Header.Get("Location"))
	wantStatus(c.t, page, http.StatusOK)
	return page
}
