package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"imageconsole/models"
	"imageconsole/models/storetest"
)

// postSignIn sends one sign-in form with c's cookies and token, safe to call
// from many goroutines at once; it returns the status.
func (c *client) postSignIn(email, password string) (int, error) {
	form := url.Values{"email": {email}, "password": {password}, "_csrf": {c.csrf}}
	req, _ := http.NewRequest(http.MethodPost, c.srv.URL+"/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	res.Body.Close()
	if res.StatusCode == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/signin") {
		// A refused sign-in goes back to its form (Post/Redirect/Get):
		// report it as the refusal it is, apart from a success.
		return http.StatusUnprocessableEntity, nil
	}
	return res.StatusCode, nil
}

// TestAuth_ParallelGuesses: of many parallel guesses, at most the free
// attempts of the account reach the password check; the rest are told to
// wait (429) before bcrypt runs.
func TestAuth_ParallelGuesses(t *testing.T) {
	ts := newTestServer(t)
	stopClock(ts.store)
	storetest.MustAccount(t, ts.store, "target@example.com")
	free := models.ThrottleAccount.Free
	for _, tt := range []struct {
		name  string
		n     int
		right int // index of the one right password, -1 for none
	}{{"100Wrong", 100, -1}, {"39WrongOneRight", 40, 20}} {
		t.Run(tt.name, func(t *testing.T) {
			ts.store.DB().Where("1 = 1").Delete(&models.SignInThrottle{})
			c := ts.client(t)
			c.get("/signin")
			statuses := map[int]int{}
			var mu sync.Mutex
			var wg sync.WaitGroup
			for i := range tt.n {
				wg.Go(func() {
					pass := "wrong-password"
					if i == tt.right {
						pass = "password-123"
					}
					status, err := c.postSignIn("target@example.com", pass)
					mu.Lock()
					defer mu.Unlock()
					if err != nil {
						t.Error(err)
					}
					statuses[status]++
				})
			}
			wg.Wait()
			// At most free wrong guesses reach bcrypt. The right password,
			// when it is among the first checked, gives its slot back on
			// success (the owner's own sign-ins do not count against them),
			// so one more guess may then be checked: never a wrong one
			// beyond free.
			wrong, checked := statuses[http.StatusUnprocessableEntity], statuses[http.StatusUnprocessableEntity]+statuses[http.StatusSeeOther]
			if wrong > free || statuses[http.StatusTooManyRequests] != tt.n-checked {
				t.Errorf("statuses %v: want at most %d wrong passwords checked and the rest 429", statuses, free)
			}
		})
	}
}

// TestAuth_HashingSaturatedPagesStillAnswer: while every hashing slot is
// held and sign-ins queue for one, a signed-in user's page is answered;
// the queued sign-ins get 429 when their wait runs out, not a long hang.
func TestAuth_HashingSaturatedPagesStillAnswer(t *testing.T) {
	ts := newTestServer(t)
	user := ts.client(t)
	user.signUp("busy-user@example.com")
	storetest.MustAccount(t, ts.store, "other@example.com")
	ts.store.Hashing = models.NewHashLimiter(1, 20*time.Second)
	release, err := ts.store.Hashing.Acquire(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	c := ts.client(t)
	c.get("/signin")
	var wg sync.WaitGroup
	// No more than the account's free attempts, so none is throttled and
	// every one queues for the hashing slot.
	n := models.ThrottleAccount.Free
	done := make(chan int, n)
	for i := range n {
		wg.Go(func() {
			status, _ := c.postSignIn("other@example.com", "guess-"+string(rune('a'+i)))
			done <- status
		})
	}
	user.http.Timeout = 10 * time.Second // generous: the page must not queue behind bcrypt
	res := user.get("/images")
	wantStatus(t, res, http.StatusOK)
	if len(done) != 0 {
		release()
		t.Fatal("sign-ins finished while every hashing slot was held")
	}
	release()
	wg.Wait()
	close(done)
	for status := range done {
		if status != http.StatusUnprocessableEntity && status != http.StatusTooManyRequests {
			t.Errorf("a queued sign-in answered %d", status)
		}
	}

	// A wait that runs out is a 429 with a message on the form.
	ts.store.Hashing = models.NewHashLimiter(1, 10*time.Millisecond)
	release, _ = ts.store.Hashing.Acquire(t.Context())
	defer release()
	c.get("/signin")
	res = c.post("/signin", url.Values{"email": {"other@example.com"}, "password": {"password-123"}})
	wantStatus(t, res, http.StatusTooManyRequests)
	if res.doc.Find(`[data-testid="form-error"]`).Text() == "" {
		t.Error("no message says to try again")
	}
}

// TestAuth_KnownDeviceNotLockedOut: an attacker guessing from the same
// address locks himself out, not the owner's browser where the account
// signed in before.
func TestAuth_KnownDeviceNotLockedOut(t *testing.T) {
	ts := newTestServer(t)
	stopClock(ts.store)
	storetest.MustAccount(t, ts.store, "owner@example.com")
	owner := ts.client(t)
	owner.get("/signin")
	wantStatus(t, owner.post("/signin", url.Values{"email": {"owner@example.com"}, "password": {"password-123"}}), http.StatusSeeOther)
	if owner.cookie("ic_device") == nil {
		t.Fatal("no known-device cookie after sign-in")
	}
	owner.get("/images")
	wantStatus(t, owner.post("/signout", nil), http.StatusSeeOther)

	attacker := ts.client(t)
	attacker.get("/signin")
	for range models.ThrottleAccount.Free + 3 {
		attacker.post("/signin", url.Values{"email": {"owner@example.com"}, "password": {"wrong-password"}})
	}
	wantStatus(t, attacker.post("/signin", url.Values{"email": {"owner@example.com"}, "password": {"password-123"}}), http.StatusTooManyRequests)

	owner.get("/signin")
	wantStatus(t, owner.post("/signin", url.Values{"email": {"owner@example.com"}, "password": {"password-123"}}), http.StatusSeeOther)

	// The cookie names its account: it does not help with another one, and
	// a forged one is ignored.
	thief := ts.client(t)
	u, _ := url.Parse(ts.URL)
	thief.http.Jar.SetCookies(u, []*http.Cookie{{Name: "ic_device", Value: "forged", Path: "/"}})
	thief.get("/signin")
	wantStatus(t, thief.post("/signin", url.Values{"email": {"owner@example.com"}, "password": {"password-123"}}), http.StatusTooManyRequests)
}

// TestAuth_CSRFBoundToSession: a token verifies only for the session (or
// pre-session) it was issued to.
func TestAuth_CSRFBoundToSession(t *testing.T) {
	ts := newTestServer(t)
	u, _ := url.Parse(ts.URL)
	t.Run("ErrAttackerChosenCookieAndValue", func(t *testing.T) {
		storetest.MustAccount(t, ts.store, "victim@example.com")
		c := ts.client(t)
		// The pre-session cookie, and the double-submit cookie of Echo's CSRF middleware used before.
		c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "ic_csrf", Value: strings.Repeat("ab", 32), Path: "/"},
			{Name: "_csrf", Value: strings.Repeat("ab", 32), Path: "/"}})
		res := c.postRaw("/signin", url.Values{"email": {"victim@example.com"}, "password": {"password-123"}, "_csrf": {strings.Repeat("ab", 32)}})
		wantStatus(t, res, http.StatusForbidden)
	})
	t.Run("ErrTokenOfAnotherSession", func(t *testing.T) {
		a, b := ts.client(t), ts.client(t)
		a.signUp("a@example.com")
		bID := b.signUp("b@example.com")
		a.get("/apikeys")
		b.get("/apikeys")
		if a.csrf == b.csrf {
			t.Fatal("two sessions have the same token")
		}
		res := b.post("/apikeys", url.Values{"_csrf": {a.csrf}})
		wantStatus(t, res, http.StatusForbidden)
		keys, _ := ts.store.APIKeys(t.Context(), bID)
		if len(keys) != 0 {
			t.Error("a refused request created a key")
		}
	})
	t.Run("RotatesAtSignInAndOut", func(t *testing.T) {
		storetest.MustAccount(t, ts.store, "rot@example.com")
		c := ts.client(t)
		c.get("/signin")
		before := c.csrf
		c.post("/signin", url.Values{"email": {"rot@example.com"}, "password": {"password-123"}})
		c.get("/images")
		signedIn := c.csrf
		c.post("/signout", nil)
		c.get("/signin")
		if before == signedIn || signedIn == c.csrf {
			t.Errorf("tokens %q → %q → %q: want a new one at sign-in and at sign-out", before, signedIn, c.csrf)
		}
		res := c.postRaw("/signin", url.Values{"email": {"rot@example.com"}, "password": {"password-123"}, "_csrf": {signedIn}})
		wantStatus(t, res, http.StatusForbidden)
	})
}

// TestSecurity_NoStoreOnSignedInPages: every signed-in page, and the
// redirect of a signed-out request, tells the browser to keep no copy, so
// Back after sign-out shows nothing.
func TestSecurity_NoStoreOnSignedInPages(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	id := c.signUp("nostore@example.com")
	img := mustCustomImage(t, ts, id, "ap-guangzhou", "kept")
	public := map[string]bool{"/": true, "/signin": true, "/signup": true, "/healthz": true, "/metrics": true, "/*": true, "/static*": true}
	n := 0
	for _, rt := range ts.echo.Routes() {
		if rt.Method != http.MethodGet || public[rt.Path] {
			continue
		}
		n++
		path := strings.NewReplacer(":id", img.ID).Replace(rt.Path)
		if got := c.get(path).Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("GET %s: Cache-Control %q, want no-store", path, got)
		}
	}
	if n < 15 {
		t.Fatalf("only %d signed-in pages found", n)
	}
	c.post("/signout", nil)
	if got := c.get("/operator/accounts").Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("signed out: Cache-Control %q", got)
	}
}

// TestSecurity_RegionByPostOnly: ?region= shows that region without
// writing the session; the selector's POST remembers it.
func TestSecurity_RegionByPostOnly(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.signUp("region@example.com")
	selected := func(res *response) string {
		return res.doc.Find(`[data-testid="region-select"] option[selected]`).AttrOr("value", "")
	}
	if got := selected(c.get("/images?region=ap-tokyo")); got != "ap-tokyo" {
		t.Errorf("?region=ap-tokyo shows %q", got)
	}
	if got := selected(c.get("/account")); got != models.DefaultRegion {
		t.Errorf("after a GET with ?region=, a page without it shows %q: the GET wrote the session", got)
	}
	t.Run("ErrUnknownRegion", func(t *testing.T) {
		wantStatus(t, c.post("/region", url.Values{"region": {"mars-1"}, "next": {"/images"}}), http.StatusBadRequest)
		if got := selected(c.get("/account")); got != models.DefaultRegion {
			t.Errorf("a refused switch wrote %q", got)
		}
	})
	t.Run("ErrForeignNext", func(t *testing.T) {
		c.get("/account")
		res := c.post("/region", url.Values{"region": {"ap-shanghai"}, "next": {"//evil.example/x"}})
		if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/images?") {
			t.Errorf("redirect to %q", loc)
		}
	})
	c.get("/account")
	res := c.post("/region", url.Values{"region": {"ap-tokyo"}, "next": {"/operations?page=3"}})
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/operations?region=ap-tokyo" {
		t.Errorf("redirect to %q", loc)
	}
	if got := selected(c.get("/account")); got != "ap-tokyo" {
		t.Errorf("after the POST, /account shows %q", got)
	}
}

// TestAuth_PasswordRules: sign-up and password change refuse short and
// common passwords, with the message next to the field.
func TestAuth_PasswordRules(t *testing.T) {
	ts := newTestServer(t)
	for _, pass := range []string{"password", "short-pw-11", "password1234", "qwertyuiop12"} {
		c := ts.client(t)
		c.get("/signup")
		res := c.follow(c.post("/signup", url.Values{"email": {"rules@example.com"}, "password": {pass}}))
		if res.doc.Find(`[data-testid="error-password"]`).Text() == "" {
			t.Errorf("sign-up with %q: no message next to the password", pass)
		}
	}
	if _, err := ts.store.AccountByEmail(t.Context(), "rules@example.com"); err == nil {
		t.Error("a refused sign-up created the account")
	}
	c := ts.client(t)
	c.signUp("rules@example.com")
	c.get("/account")
	res := c.follow(c.post("/account/password", url.Values{"current_password": {"password-123"}, "new_password": {"password1234"}}))
	if res.doc.Find(`[data-testid="error-new_password"]`).Text() == "" {
		t.Error("change to a common password: no message next to the field")
	}
}

// TestSecurity_PasswordChangeThrottled: a stolen session cannot try
// current passwords at will.
func TestSecurity_PasswordChangeThrottled(t *testing.T) {
	ts := newTestServer(t)
	stopClock(ts.store)
	c := ts.client(t)
	c.signUp("guessed@example.com")
	for range models.ThrottleAccount.Free {
		c.get("/account")
		c.follow(c.post("/account/password", url.Values{"current_password": {"wrong-guess-1"}, "new_password": {"brand-new-pass"}}))
	}
	c.get("/account")
	res := c.follow(c.post("/account/password", url.Values{"current_password": {"password-123"}, "new_password": {"brand-new-pass"}}))
	if res.doc.Find(`[data-testid="error-current_password"]`).Text() == "" {
		t.Error("no message next to the current password")
	}
	if _, err := ts.store.Authenticate(t.Context(), "guessed@example.com", "password-123"); err != nil {
		t.Error("a throttled change changed the password")
	}
}

// TestSecurity_IdleTimeout: a session unused for SessionIdle signs out.
func TestSecurity_IdleTimeout(t *testing.T) {
	ts := newTestServer(t)
	clock := stopClock(ts.store)
	c := ts.client(t)
	c.signUp("idle@example.com")
	clock.Advance(ts.store.SessionIdle - time.Minute)
	wantStatus(t, c.get("/images"), http.StatusOK)
	clock.Advance(ts.store.SessionIdle)
	wantStatus(t, c.get("/images"), http.StatusSeeOther)
}

// TestSecurity_FormActsInTheRegionOfItsPage: a form whose action names no
// region acts in the region of its region field or of the page it was
// posted from, not in the one the session remembers.
func TestSecurity_FormActsInTheRegionOfItsPage(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	id := c.signUp("refer@example.com")
	img := mustCustomImage(t, ts, id, "ap-guangzhou", "golden")
	c.get("/account")
	wantStatus(t, c.post("/region", url.Values{"region": {"ap-beijing"}, "next": {"/images"}}), http.StatusSeeOther)
	page := ts.URL + "/images/" + img.ID + "?region=ap-guangzhou"
	c.get("/images/" + img.ID + "?region=ap-guangzhou")
	for _, tt := range []struct {
		name, referer, field string
		want                 int
	}{
		{"ErrOtherSiteReferer", "https://evil.example/images/" + img.ID + "?region=ap-guangzhou", "", http.StatusNotFound},
		{"PageReferer", page, "", http.StatusSeeOther},
		{"RegionField", "", "ap-guangzhou", http.StatusSeeOther},
	} {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{"_csrf": {c.csrf}, "name": {"renamed"}}
			if tt.field != "" {
				form.Set("region", tt.field)
			}
			req, _ := http.NewRequest(http.MethodPost, ts.URL+"/images/"+img.ID+"/edit", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Referer", tt.referer)
			wantStatus(t, c.do(req), tt.want)
		})
	}
}
