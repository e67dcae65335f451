package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"imageconsole/models"
)

// TestPRG_SecretsShownOnce: "Create key" and "Create key pair" redirect
// (a reload cannot make a second one); the page they lead to shows the
// secret once; neither the URL nor the cookie holds it in the clear; a
// reload, or another account's browser with the cookie, does not show it.
func TestPRG_SecretsShownOnce(t *testing.T) {
	tests := []struct {
		name, list, create, secretSel string
		form                          url.Values
		count                         func(*testing.T, *testServer) int64
	}{
		{"OK/APIKey", "/apikeys?region=ap-guangzhou", "/apikeys", `[data-testid="new-secret-key"]`, nil,
			func(t *testing.T, ts *testServer) int64 { return keyCount(t, ts) }},
		{"OK/KeyPair", "/network/keypairs?region=ap-guangzhou", "/network/keypairs?region=ap-guangzhou", `[data-testid="new-private-key"]`,
			url.Values{"name": {"deploy"}}, func(t *testing.T, ts *testServer) int64 { return netRows(t, ts)[4] }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := keyServer(t)
			c := ts.client(t)
			c.signUp("once@example.com")
			c.get(tt.list)
			res := c.post(tt.create, tt.form)
			wantStatus(t, res, http.StatusSeeOther)
			loc := res.Header.Get("Location")
			if loc != tt.list {
				t.Errorf("create redirects to %q, want %q", loc, tt.list)
			}
			if n := tt.count(t, ts); n != 1 {
				t.Fatalf("%d made, want 1", n)
			}
			// The stolen cookie, replayed by another account, shows nothing.
			var once *http.Cookie
			for _, ck := range res.Cookies() {
				if strings.HasSuffix(ck.Name, "_once") {
					once = ck
				}
			}
			if once == nil {
				t.Fatal("no one-time cookie")
			}
			page := c.get(loc)
			secret := strings.TrimSpace(page.doc.Find(tt.secretSel).Text())
			if secret == "" {
				t.Fatalf("the secret is not shown after the redirect: %.300s", page.body)
			}
			if strings.Contains(loc, secret) || strings.Contains(once.Value, secret) || strings.Contains(once.Value, strings.Split(secret, "\n")[0]) {
				t.Error("the secret is readable in the URL or the cookie")
			}
			if got := page.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control %q", got)
			}
			if strings.Contains(c.get(loc).body, secret) {
				t.Error("a reload shows the secret again")
			}
			o := ts.client(t)
			o.signUp("thief@example.com")
			u, _ := url.Parse(ts.URL)
			o.http.Jar.SetCookies(u, []*http.Cookie{{Name: once.Name, Value: once.Value, Path: "/"}})
			if strings.Contains(o.get(loc).body, secret) {
				t.Error("another account's browser was shown the secret")
			}
		})
	}
}

// TestPRG_AccountPassword: the password change redirects with a notice in
// the reader's language, and a reload of the page posts nothing.
func TestPRG_AccountPassword(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.signUp("prg@example.com")
	c.get("/account")
	res := c.post("/account/password", url.Values{"current_password": {"password-123"}, "new_password": {"brand-new-pass"}})
	if loc := res.Header.Get("Location"); loc != "/account?region=ap-guangzhou" {
		t.Fatalf("redirect to %q", loc)
	}
	page := c.follow(res)
	if got := page.doc.Find(`[data-testid="flash"]`).Text(); !strings.Contains(got, "Password changed") {
		t.Errorf("notice %q", got)
	}
	if c.get("/account").doc.Find(`[data-testid="flash"]`).Length() != 0 {
		t.Error("the notice shows again on reload")
	}
	// A refusal goes back to the form's page with the message by its field.
	c.get("/account")
	page = c.follow(c.post("/account/password", url.Values{"current_password": {"wrong-one-22"}, "new_password": {"another-new-pass"}}))
	if page.doc.Find(`[data-testid="error-current_password"]`).Text() == "" {
		t.Error("no message next to the current password")
	}
	if v := page.doc.Find(`input[name="current_password"]`).AttrOr("value", ""); v != "" {
		t.Error("a password came back in the form")
	}
}

// TestRegion_InTheURL: every link of the frame and of the lists names the
// region; a page whose URL names none links its canonical address with the
// region it shows; a network record opens from any selected region.
func TestRegion_InTheURL(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	uin := c.signUp("where@example.com")
	v, err := ts.store.CreateVPC(context.Background(), models.Actor{AccountID: uin, Via: models.ViaConsole}, "ap-shanghai",
		models.VPCInput{Name: "sh", CIDR: "10.0.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	res := c.get("/network/vpcs")
	if got := res.doc.Find(`link[rel="canonical"]`).AttrOr("href", ""); got != "/network/vpcs?region=ap-guangzhou" {
		t.Errorf("canonical %q", got)
	}
	res.doc.Find(`nav a[data-testid^="nav-"]`).Each(func(_ int, a *goquery.Selection) {
		if href := a.AttrOr("href", ""); !strings.Contains(href, "region=ap-guangzhou") {
			t.Errorf("nav link %q names no region", href)
		}
	})
	res = c.get("/network/vpcs?region=ap-shanghai")
	if res.doc.Find(`link[rel="canonical"]`).Length() != 0 {
		t.Error("a URL with its region has a canonical link")
	}
	if href := res.doc.Find(`[data-testid="vpc-row"] a`).AttrOr("href", ""); href != "/network/vpcs/"+v.ID+"?region=ap-shanghai" {
		t.Errorf("row link %q", href)
	}
	// Opened with Guangzhou selected (or no region in the URL), the
	// Shanghai VPC redirects to its own region.
	for _, path := range []string{"/network/vpcs/" + v.ID, "/network/vpcs/" + v.ID + "?region=ap-guangzhou"} {
		res = c.get(path)
		wantStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/network/vpcs/"+v.ID+"?region=ap-shanghai" {
			t.Errorf("%s redirects to %q", path, loc)
		}
	}
	wantStatus(t, c.get("/network/vpcs/"+v.ID+"?region=ap-shanghai"), http.StatusOK)
	// Someone else's record stays not found wherever it is.
	o := ts.client(t)
	o.signUp("nosy@example.com")
	wantStatus(t, o.get("/network/vpcs/"+v.ID), http.StatusNotFound)
	wantStatus(t, o.get("/network/vpcs/"+v.ID+"?region=ap-shanghai"), http.StatusNotFound)
}

// TestQuota_CreateDisabledAtTheLimit: at the limit the create buttons are
// disabled and say why; below it they are not.
func TestQuota_CreateDisabledAtTheLimit(t *testing.T) {
	ts := keyServer(t)
	c := ts.client(t)
	uin := c.signUp("full@example.com")
	a := models.Actor{AccountID: uin, Via: models.ViaConsole}
	for i := range models.MaxAPIKeys {
		res := c.get("/apikeys?region=ap-guangzhou")
		if res.doc.Find(`[data-testid="create-key"][disabled]`).Length() != 0 {
			t.Fatalf("create disabled with %d keys", i)
		}
		if _, _, err := ts.store.CreateAPIKey(context.Background(), uin); err != nil {
			t.Fatal(err)
		}
	}
	res := c.get("/apikeys?region=ap-guangzhou")
	btn := res.doc.Find(`[data-testid="create-key"]`)
	if _, ok := btn.Attr("disabled"); !ok || btn.AttrOr("aria-describedby", "") != "key-full" {
		t.Error("Create key is enabled at the limit")
	}
	if !strings.Contains(res.doc.Find(`#key-full`).Text(), fmt.Sprint(models.MaxAPIKeys)) {
		t.Errorf("reason %q", res.doc.Find(`#key-full`).Text())
	}
	for i := range models.MaxVPCs {
		if _, err := ts.store.CreateVPC(context.Background(), a, "ap-guangzhou", models.VPCInput{Name: fmt.Sprint("v", i), CIDR: "10.0.0.0/16"}); err != nil {
			t.Fatal(err)
		}
	}
	res = c.get("/network/vpcs?region=ap-guangzhou")
	if _, ok := res.doc.Find(`[data-testid="create-vpc"]`).Attr("disabled"); !ok || res.doc.Find(`[data-testid="limit-note"]`).Length() != 1 {
		t.Error("Create VPC is enabled at the limit")
	}
	if _, ok := c.get("/network/vpcs?region=ap-shanghai").doc.Find(`[data-testid="create-vpc"]`).Attr("disabled"); ok {
		t.Error("Create VPC is disabled in a region with none")
	}
}
