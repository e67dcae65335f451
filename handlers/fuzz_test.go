package handlers_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzConsoleQuery sends arbitrary query strings to the pages that read
// parameters: a clean page or a 4xx, never a 500 and never a panic.
func FuzzConsoleQuery(f *testing.F) {
	for _, seed := range []string{"", "tab=custom&page=-1", "q=%ff%fe%00", "platform=Plan9&arch=sparc&sort=drop",
		"region=mars-1&tab=shared&state=SYNCING", "page=99999999999999999999", "log_region=ap-tokyo&action=DeleteImages",
		"image=img-aaaaaaaa&zone=ap-guangzhou-3&instance_type=S5.SMALL2&count=1e9", "q=%25_%5C&tab=market", "a=1&a=2&tab=common&tab=market"} {
		f.Add(seed)
	}
	ts := newTestServer(f)
	c := ts.client(f)
	c.signUp("fuzz@example.com")
	home, _ := http.NewRequest(http.MethodGet, ts.URL, nil)
	cookie := c.http.Jar.Cookies(home.URL)
	f.Fuzz(func(t *testing.T, query string) {
		for _, path := range []string{"/images", "/instances", "/operations", "/quotas", "/instances/quote", "/instances/new", "/images/import"} {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			req.URL.RawQuery = query // as sent, however malformed
			for _, ck := range cookie {
				req.AddCookie(ck)
			}
			for _, hx := range []string{"", "true"} {
				req.Header.Set("HX-Request", hx)
				rec := httptest.NewRecorder()
				ts.echo.ServeHTTP(rec, req)
				if rec.Code >= 500 {
					t.Fatalf("%s?%s answered %d: %.300s", path, query, rec.Code, rec.Body.String())
				}
			}
		}
	})
}
