package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"imageconsole/models/storetest"
)

func TestAuth_SignUpSignInSignOut(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.signUp("user@example.com")
	res := c.get("/images")
	wantStatus(t, res, http.StatusOK)
	if got := res.doc.Find(`[data-testid="account"]`).Text(); !strings.Contains(got, "Tester") {
		t.Errorf("top bar shows %q, want the account name", got)
	}
	wantStatus(t, c.post("/signout", nil), http.StatusSeeOther)
	res = c.get("/images")
	wantStatus(t, res, http.StatusSeeOther)

	c.get("/signin")
	res = c.post("/signin", url.Values{"email": {"USER@example.com"}, "password": {"password-123"}, "next": {"/images?tab=market"}})
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/images?tab=market" {
		t.Errorf("redirect to %q, want back to next", loc)
	}
}

func TestAuth_SignInErrors(t *testing.T) {
	ts := newTestServer(t)
	storetest.MustAccount(t, ts.store, "known@example.com")
	var msgs []string
	for _, tt := range []struct{ name, email, pass string }{
		{"ErrWrongPassword", "known@example.com", "wrong-password"},
		{"ErrUnknownEmail", "unknown@example.com", "password-123"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := ts.client(t)
			c.get("/signin")
			res := c.follow(c.post("/signin", url.Values{"email": {tt.email}, "password": {tt.pass}}))
			msgs = append(msgs, res.doc.Find(`[data-testid="form-error"]`).Text())
			if c.cookie("ic_session") != nil {
				t.Error("a failed sign-in set a session cookie")
			}
		})
	}
	if len(msgs) != 2 || msgs[0] == "" || msgs[0] != msgs[1] {
		t.Errorf("messages %q: wrong password and unknown email must read the same", msgs)
	}
}

func TestAuth_SignUpErrors(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.get("/signup")
	res := c.follow(c.post("/signup", url.Values{"email": {"not-an-email"}, "password": {"password-123"}, "role": {"operator"}}))
	if res.doc.Find(`[data-testid="error-email"]`).Text() == "" {
		t.Error("no message next to the email field")
	}
	res = c.post("/signup", url.Values{"email": {"ok@example.com"}, "password": {"password-123"}, "role": {"operator"}})
	wantStatus(t, res, http.StatusSeeOther)
	acct, _ := ts.store.AccountByEmail(t.Context(), "ok@example.com")
	if acct.Role != "user" {
		t.Errorf("role = %s: sign-up must not take the role from the form", acct.Role)
	}
}

func TestAuth_SessionFixationAndCopiedCookie(t *testing.T) {
	ts := newTestServer(t)
	storetest.MustAccount(t, ts.store, "fix@example.com")
	c := ts.client(t)
	c.get("/signin")
	c.post("/signin", url.Values{"email": {"fix@example.com"}, "password": {"password-123"}})
	first := c.cookie("ic_session")
	csrfBefore := c.cookie("_csrf")
	if first == nil {
		t.Fatal("no session cookie after sign-in")
	}
	// Signing in again in the same browser issues a new session.
	c.get("/signin")
	c.post("/signin", url.Values{"email": {"fix@example.com"}, "password": {"password-123"}})
	second := c.cookie("ic_session")
	if second == nil || second.Value == first.Value {
		t.Fatal("session cookie did not change at sign-in")
	}
	if csrfAfter := c.cookie("_csrf"); csrfBefore != nil && csrfAfter != nil && csrfAfter.Value == csrfBefore.Value {
		t.Error("CSRF token did not rotate at sign-in")
	}
	// A copy of the cookie taken before sign-out stops working after it.
	thief := ts.client(t)
	u, _ := url.Parse(ts.URL)
	thief.http.Jar.SetCookies(u, []*http.Cookie{{Name: "ic_session", Value: second.Value, Path: "/"}})
	wantStatus(t, thief.get("/images"), http.StatusOK)
	c.get("/images")
	wantStatus(t, c.post("/signout", nil), http.StatusSeeOther)
	wantStatus(t, thief.get("/images"), http.StatusSeeOther)
	// The first session ended at the second sign-in.
	old := ts.client(t)
	old.http.Jar.SetCookies(u, []*http.Cookie{{Name: "ic_session", Value: first.Value, Path: "/"}})
	wantStatus(t, old.get("/images"), http.StatusSeeOther)
}

func TestAuth_CSRF(t *testing.T) {
	ts := newTestServer(t)
	storetest.MustAccount(t, ts.store, "csrf@example.com")
	c := ts.client(t)
	c.get("/signin")
	res := c.postRaw("/signin", url.Values{"email": {"csrf@example.com"}, "password": {"password-123"}})
	wantStatus(t, res, http.StatusForbidden)
	res = c.postRaw("/signin", url.Values{"email": {"csrf@example.com"}, "password": {"password-123"}, "_csrf": {"forged"}})
	wantStatus(t, res, http.StatusForbidden)
	if c.cookie("ic_session") != nil {
		t.Error("a refused request still signed in")
	}
	// htmx sends the token as a header.
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/signin", strings.NewReader(url.Values{"email": {"csrf@example.com"}, "password": {"password-123"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", c.csrf)
	wantStatus(t, c.do(req), http.StatusSeeOther)
}

func TestAuth_RedirectWhenSignedOut(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	for _, path := range []string{"/images", "/images?tab=custom&region=ap-tokyo", "/images/img-abcdefgh", "/instances", "/quotas", "/operations", "/apikeys"} {
		res := c.get(path)
		wantStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/signin?next="+url.QueryEscape(path) {
			t.Errorf("%s redirects to %q", path, loc)
		}
	}
	res := c.get("/images", "HX-Request", "true")
	wantStatus(t, res, http.StatusNoContent)
	if res.Header.Get("HX-Redirect") == "" {
		t.Error("htmx request got no HX-Redirect")
	}
	// next never leaves the site.
	c.get("/signin?next=//evil.example")
	if v, _ := c.get("/signin?next=//evil.example").doc.Find(`[data-testid="signin-form"] input[name="next"]`).Attr("value"); v != "/images" {
		t.Errorf("next = %q, want /images", v)
	}
}
