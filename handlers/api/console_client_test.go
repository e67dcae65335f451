package api_test

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// The console seen from the API's tests: the both-faces rule tests drive
// every refusal through a signed-in browser and through the SDK.

// consoleClient is a signed-in browser on the same server.
type consoleClient struct {
	http *http.Client
	base string
	csrf string
}

type page struct {
	*http.Response
	body string
}

func (e *env) console(t *testing.T, email string) *consoleClient {
	t.Helper()
	return e.consoleAs(t, email, "password-123")
}

// consoleAs signs in to the console with a password of one's own (a demo
// account's).
func (e *env) consoleAs(t *testing.T, email, password string) *consoleClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	cc := &consoleClient{http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		base: "http://" + e.endpoint}
	cc.get(t, "/signin")
	if res := cc.post(t, "/signin", url.Values{"email": {email}, "password": {password}}); res.StatusCode != http.StatusSeeOther ||
		strings.HasPrefix(res.Header.Get("Location"), "/signin") {
		t.Fatalf("sign in: %d", res.StatusCode)
	}
	return cc
}

func (cc *consoleClient) get(t *testing.T, path string) page {
	t.Helper()
	res, err := cc.http.Get(cc.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	doc, _ := goquery.NewDocumentFromReader(res.Body)
	if tok, ok := doc.Find(`meta[name="csrf-token"]`).Attr("content"); ok {
		cc.csrf = tok
	}
	html, _ := doc.Html()
	return page{res, html}
}

// post fetches a page first for a fresh CSRF token, then submits the form.
func (cc *consoleClient) post(t *testing.T, path string, form url.Values) page {
	t.Helper()
	cc.get(t, "/images")
	form.Set("_csrf", cc.csrf)
	res, err := cc.http.PostForm(cc.base+path, form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	doc, _ := goquery.NewDocumentFromReader(res.Body)
	html, _ := doc.Html()
	return page{res, html}
}

// refused follows a refused form post the Post/Redirect/Get way: the
// console answers 303 back to the form's own page, which then shows the
// refusal once. It returns that page; ok is false when the post was not
// answered that way.
func (cc *consoleClient) refused(t *testing.T, p page) (shown page, ok bool) {
	t.Helper()
	if p.StatusCode != http.StatusSeeOther {
		return p, false
	}
	shown = cc.get(t, p.Header.Get("Location"))
	return shown, shown.StatusCode == http.StatusOK
}
