package handlers_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"imageconsole/handlers"
	"imageconsole/models"
	"imageconsole/models/storetest"
)

func TestSecurity_SignInThrottleIgnoresSpoofedForwardedFor(t *testing.T) {
	ts := newTestServer(t)
	stopClock(ts.store)
	storetest.MustAccount(t, ts.store, "target@example.com")
	c := ts.client(t)
	c.get("/signin")
	for i := range models.ThrottleAddress.Free + 1 {
		form := url.Values{"email": {"user" + string(rune('a'+i%26)) + "@example.com"}, "password": {"guess-" + string(rune('a'+i%26))}, "_csrf": {c.csrf}}
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/signin", stringsReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		// A client rotating X-Forwarded-For must not look like many addresses.
		req.Header.Set("X-Forwarded-For", "203.0.113."+string(rune('1'+i%9)))
		c.do(req)
	}
	res := c.post("/signin", url.Values{"email": {"target@example.com"}, "password": {"password-123"}})
	wantStatus(t, res, http.StatusTooManyRequests)
	if msg := res.doc.Find(`[data-testid="form-error"]`).Text(); msg == "" {
		t.Error("no message says why sign-in is refused")
	}
}

func TestSecurity_TrustedProxyForwardedFor(t *testing.T) {
	s := storetest.Open(t)
	_, loopback, _ := net.ParseCIDR("127.0.0.0/8")
	h := handlers.New(s, handlers.Config{SessionKeys: [][]byte{[]byte("0123456789abcdef0123456789abcdef")}, TrustedProxies: []*net.IPNet{loopback}})
	srv := httptest.NewServer(h.NewEcho(nil))
	defer srv.Close()
	ts := &testServer{Server: srv, store: s}
	stopClock(s)
	storetest.MustAccount(t, s, "behind@example.com")
	c := ts.client(t)
	c.get("/signin")
	// Behind a trusted proxy, each forwarded address is throttled on its own.
	for i := range models.ThrottleAddress.Free + 1 {
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/signin", stringsReader(url.Values{"email": {"x" + string(rune('a'+i)) + "@example.com"},
			"password": {"wrong-pass"}, "_csrf": {c.csrf}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", "198.51.100.7")
		c.do(req)
	}
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/signin", stringsReader(url.Values{"email": {"behind@example.com"},
		"password": {"password-123"}, "_csrf": {c.csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", "198.51.100.8")
	wantStatus(t, c.do(req), http.StatusSeeOther)
}

func TestSecurity_PasswordChangeEndsOtherSessions(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.signUp("pw@example.com")
	other := ts.client(t)
	other.get("/signin")
	wantStatus(t, other.post("/signin", url.Values{"email": {"pw@example.com"}, "password": {"password-123"}}), http.StatusSeeOther)

	c.get("/account")
	res := c.follow(c.post("/account/password", url.Values{"current_password": {"wrong-one-1"}, "new_password": {"brand-new-pass"}}))
	if res.doc.Find(`[data-testid="error-current_password"]`).Text() == "" {
		t.Error("no message next to the current password")
	}
	wantStatus(t, other.get("/images"), http.StatusOK)

	c.get("/account")
	wantStatus(t, c.post("/account/password", url.Values{"current_password": {"password-123"}, "new_password": {"brand-new-pass"}}), http.StatusSeeOther)
	wantStatus(t, c.get("/images"), http.StatusOK)
	wantStatus(t, other.get("/images"), http.StatusSeeOther)
}

func TestSecurity_Headers(t *testing.T) {
	ts := newTestServer(t)
	res := ts.client(t).get("/signin")
	for h, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "same-origin",
		"X-Frame-Options":        "DENY",
	} {
		if got := res.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	csp := res.Header.Get("Content-Security-Policy")
	for _, part := range []string{"script-src 'self'", "object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'"} {
		if !containsStr(csp, part) {
			t.Errorf("CSP %q lacks %s", csp, part)
		}
	}
	if res.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS without TLS")
	}
	ck := res.Header.Values("Set-Cookie")
	for _, line := range ck {
		if !containsStr(line, "HttpOnly") || !containsStr(line, "SameSite=Lax") || containsStr(line, "Domain=") {
			t.Errorf("cookie %q lacks HttpOnly/SameSite=Lax or sets Domain", line)
		}
	}
}

// TestSecurity_CrossSitePostsRefused: every mutating route refuses a request
// from another site, even one carrying a valid token.
func TestSecurity_CrossSitePostsRefused(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	id := c.signUp("xsite@example.com")
	img := mustCustomImage(t, ts, id, "ap-guangzhou", "target")
	before := snapshot(t, ts, id)
	var mutating []string
	for _, rt := range ts.echo.Routes() {
		if rt.Method == http.MethodPost {
			path := strings.NewReplacer(":id", img.ID, ":action", "stop").Replace(rt.Path)
			mutating = append(mutating, path)
		}
	}
	if len(mutating) < 15 {
		t.Fatalf("only %d mutating routes found", len(mutating))
	}
	for _, path := range mutating {
		for name, hdr := range map[string][2]string{
			"SecFetchSiteCrossSite": {"Sec-Fetch-Site", "cross-site"},
			"ForeignOrigin":         {"Origin", "https://evil.example"},
			"NullOrigin":            {"Origin", "null"},
		} {
			t.Run(name+path, func(t *testing.T) {
				c.get("/images")
				req, _ := http.NewRequest(http.MethodPost, ts.URL+path, stringsReader(url.Values{"_csrf": {c.csrf}, "name": {"x"}}.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set(hdr[0], hdr[1])
				wantStatus(t, c.do(req), http.StatusForbidden)
			})
		}
	}
	if after := snapshot(t, ts, id); after != before {
		t.Errorf("a cross-site request changed something:\n%s\n→\n%s", before, after)
	}
	// The same origin is fine.
	c.get("/images")
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/images/"+img.ID+"/edit?region=ap-guangzhou", stringsReader(url.Values{"_csrf": {c.csrf}, "name": {"ok"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	wantStatus(t, c.do(req), http.StatusSeeOther)
}

// TestSecurity_TLSCookiesAndHSTS: served over TLS, cookies are Secure and
// __Host- prefixed, and every page carries HSTS.
func TestSecurity_TLSCookiesAndHSTS(t *testing.T) {
	s := storetest.Open(t)
	storetest.MustAccount(t, s, "tls@example.com")
	h := handlers.New(s, handlers.Config{SessionKeys: [][]byte{[]byte("0123456789abcdef0123456789abcdef")}, Secure: true})
	srv := httptest.NewTLSServer(h.NewEcho(nil))
	defer srv.Close()
	ts := &testServer{Server: srv, store: s}
	c := ts.client(t)
	c.http.Transport = srv.Client().Transport
	res := c.get("/signin")
	if hsts := res.Header.Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") {
		t.Errorf("HSTS = %q", hsts)
	}
	res = c.post("/signin", url.Values{"email": {"tls@example.com"}, "password": {"password-123"}})
	wantStatus(t, res, http.StatusSeeOther)
	found := false
	for _, line := range res.Header.Values("Set-Cookie") {
		// Every cookie is __Host- prefixed: Secure, Path=/, no Domain.
		if !strings.HasPrefix(line, "__Host-") {
			t.Errorf("cookie %q lacks the __Host- prefix", line)
		}
		for _, attr := range []string{"Secure", "HttpOnly", "SameSite=Lax", "Path=/"} {
			if !strings.Contains(line, attr) {
				t.Errorf("cookie %q lacks %s", line, attr)
			}
		}
		if strings.Contains(line, "Domain=") {
			t.Errorf("cookie %q sets a Domain", line)
		}
		found = found || strings.HasPrefix(line, "__Host-ic_session=")
	}
	if !found {
		t.Error("no session cookie at sign-in")
	}
	if c.cookie("ic_session") != nil || c.cookie("ic_csrf") != nil {
		t.Error("an unprefixed cookie over TLS")
	}
}
