package handlers_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"

	"imageconsole/handlers"
	"imageconsole/models"
	"imageconsole/models/storetest"
)

// testServer is the real route table on an httptest server.
type testServer struct {
	*httptest.Server
	store *models.Store
	echo  *echo.Echo
}

func newTestServer(t testing.TB) *testServer {
	t.Helper()
	s := storetest.Open(t)
	s.TaskScale = 0
	h := handlers.New(s, handlers.Config{SessionKeys: [][]byte{[]byte("0123456789abcdef0123456789abcdef"), []byte("0123456789abcdef0123456789abcdef")}})
	e := h.NewEcho(nil)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &testServer{Server: srv, store: s, echo: e}
}

// client is a browser-like client: a cookie jar, no automatic redirects.
type client struct {
	t    testing.TB
	srv  *testServer
	http *http.Client
	csrf string
}

func (ts *testServer) client(t testing.TB) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, srv: ts, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type response struct {
	*http.Response
	body string
	doc  *goquery.Document
}

func (c *client) do(req *http.Request) *response {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	html := string(b)
	if strings.HasPrefix(strings.TrimSpace(html), "<tr") {
		// A table row fragment: the HTML parser drops a <tr> outside a table.
		html = "<table><tbody>" + html + "</tbody></table>"
	}
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(html))
	if tok, ok := doc.Find(`meta[name="csrf-token"]`).Attr("content"); ok {
		c.csrf = tok
	}
	return &response{Response: res, body: string(b), doc: doc}
}

// get fetches a path; headers come in pairs.
func (c *client) get(path string, headers ...string) *response {
	req, _ := http.NewRequest(http.MethodGet, c.srv.URL+path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.do(req)
}

// post submits a form with the CSRF token the last page carried.
func (c *client) post(path string, form url.Values) *response {
	if form == nil {
		form = url.Values{}
	}
	if form.Get("_csrf") == "" && c.csrf != "" {
		form.Set("_csrf", c.csrf)
	}
	return c.postRaw(path, form)
}

// postRaw submits a form exactly as given.
func (c *client) postRaw(path string, form url.Values) *response {
	req, _ := http.NewRequest(http.MethodPost, c.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// signUp creates an account through the form and returns its UIN.
func (c *client) signUp(email string) string {
	c.t.Helper()
	c.get("/signup")
	res := c.post("/signup", url.Values{"email": {email}, "password": {"password-123"}, "name": {"Tester"}})
	if res.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("sign up %s: status %d: %s", email, res.StatusCode, res.body)
	}
	acct, err := c.srv.store.AccountByEmail(c.t.Context(), email)
	if err != nil {
		c.t.Fatal(err)
	}
	return acct.ID
}

func (c *client) cookie(name string) *http.Cookie {
	u, _ := url.Parse(c.srv.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

func wantStatus(t testing.TB, res *response, want int) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("status = %d, want %d; body: %.400s", res.StatusCode, want, res.body)
	}
}

// drain runs every due background task, as the server's workers would.
func (ts *testServer) drain(t *testing.T) {
	t.Helper()
	w := &models.Worker{Store: ts.store, ID: "handler-test", ImportAllowNetworks: storetest.Loopback}
	if _, err := w.RunDue(t.Context()); err != nil {
		t.Fatalf("background tasks: %v", err)
	}
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }

func containsStr(s, sub string) bool { return strings.Contains(s, sub) }

// refusalCode is the code of the refusal shown in sel: the form's alert,
// or the message next to the field it is about.
func refusalCode(sel *goquery.Selection) string {
	if code := sel.Find(`[data-testid="alert-code"]`).First().Text(); code != "" {
		return code
	}
	return sel.Find(`.field-error[data-code]`).First().AttrOr("data-code", "")
}

// stopClock fixes the store's clock, so that throttle delays, which start
// at a second, do not run out while a test makes its attempts.
func stopClock(s *models.Store) *storetest.Clock {
	clock := &storetest.Clock{T: time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)}
	s.Now = clock.Now
	return clock
}
