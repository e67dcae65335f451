package handlers_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"imageconsole/models"
)

// keyServer is a test server whose store has the server key installed.
func keyServer(t *testing.T) *testServer {
	t.Helper()
	ts := newTestServer(t)
	if err := ts.store.SetSecretKeyCipher(bytes.Repeat([]byte{9}, 32)); err != nil {
		t.Fatal(err)
	}
	return ts
}

func keyCount(t *testing.T, ts *testServer) int64 {
	t.Helper()
	var n int64
	if err := ts.store.DB().Model(&models.APIKey{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAPIKeys_Lifecycle(t *testing.T) {
	ts := keyServer(t)
	c := ts.client(t)
	uin := c.signUp("keys@example.com")
	ctx := context.Background()

	res := c.get("/apikeys")
	wantStatus(t, res, http.StatusOK)
	if res.doc.Find(`[data-testid="empty"]`).Length() != 1 {
		t.Error("no empty state before the first key")
	}
	if got := res.doc.Find(`[data-testid="key-count"]`).Text(); got != "0 of 2 keys" {
		t.Errorf("key count %q", got)
	}

	// Create: the SecretKey is shown once, with a copy button, never cached.
	// Post/Redirect/Get: the list shows the secret once, and the URL never
	// holds it.
	res = c.post("/apikeys", nil)
	if loc := res.Header.Get("Location"); loc != "/apikeys?region=ap-guangzhou" {
		t.Errorf("create redirects to %q", loc)
	}
	res = c.follow(res)
	id := res.doc.Find(`[data-testid="new-secret-id"]`).Text()
	secret := res.doc.Find(`[data-testid="new-secret-key"]`).Text()
	got, ok, err := ts.store.LookupAPIKey(ctx, id)
	gotAcct, gotKey := got.AccountID, got.SecretKey
	if err != nil || !ok || gotAcct != uin || gotKey != secret {
		t.Fatalf("the shown key %q/%q does not work: %v %v", id, secret, ok, err)
	}
	if res.doc.Find(`button[data-copy="new-secret-key"]`).Length() != 1 {
		t.Error("no copy button for the SecretKey")
	}
	if got := res.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", got)
	}
	res = c.get("/apikeys")
	if strings.Contains(res.body, secret) {
		t.Fatal("the SecretKey is shown again")
	}
	if got := res.doc.Find(`[data-testid="key-row"]`).AttrOr("data-secret-id", ""); got != id {
		t.Errorf("row %q, want %q", got, id)
	}
	if got := res.doc.Find(`[data-testid="last-used"]`).Text(); got != "Never" {
		t.Errorf("last used %q, want Never", got)
	}

	// The third key is refused next to the form, and nothing is written.
	c.follow(c.post("/apikeys", nil))
	res = c.follow(c.post("/apikeys", nil))
	if msg := res.doc.Find(`[data-testid="alert"]`).Text(); !strings.Contains(msg, "2 API keys") || refusalCode(res.doc.Selection) != models.CodeAccessKeyQuota {
		t.Errorf("refusal message %q", msg)
	}
	if res.doc.Find(`[data-testid="new-key"]`).Length() != 0 || keyCount(t, ts) != 2 {
		t.Errorf("a refused create wrote a key (%d keys)", keyCount(t, ts))
	}

	steps := []struct {
		name, path string
		headers    []string
		wantStatus int
		wantOK     bool   // the key still authenticates
		wantState  string // the row's status, "" when the row is gone
	}{
		{"OKDisable", "/apikeys/" + id + "/disable", nil, http.StatusSeeOther, false, "Disabled"},
		{"OKEnable", "/apikeys/" + id + "/enable", nil, http.StatusSeeOther, true, "Enabled"},
		{"OKDisableWithHTMX", "/apikeys/" + id + "/disable", []string{"HX-Request", "true"}, http.StatusNoContent, false, "Disabled"},
		{"OKDelete", "/apikeys/" + id + "/delete", nil, http.StatusSeeOther, false, ""},
		{"ErrDeleteTwice", "/apikeys/" + id + "/delete", nil, http.StatusNotFound, false, ""},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			form := url.Values{"_csrf": {c.csrf}}
			req, _ := http.NewRequest(http.MethodPost, ts.URL+st.path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for i := 0; i+1 < len(st.headers); i += 2 {
				req.Header.Set(st.headers[i], st.headers[i+1])
			}
			res := c.do(req)
			wantStatus(t, res, st.wantStatus)
			if st.wantStatus == http.StatusSeeOther && res.Header.Get("Location") != "/apikeys?region=ap-guangzhou" {
				t.Errorf("Location %q", res.Header.Get("Location"))
			}
			if st.wantStatus == http.StatusNoContent && res.Header.Get("HX-Redirect") == "" {
				t.Error("no HX-Redirect for htmx")
			}
			if _, ok, _ := ts.store.LookupAPIKey(ctx, id); ok != st.wantOK {
				t.Errorf("key works = %v, want %v", ok, st.wantOK)
			}
			row := c.get("/apikeys").doc.Find(`[data-secret-id="` + id + `"]`)
			if got := row.Find(`[data-testid="key-status"]`).Text(); got != st.wantState {
				t.Errorf("status %q, want %q", got, st.wantState)
			}
		})
	}
}

func TestAPIKeys_Refused(t *testing.T) {
	ts := keyServer(t)
	a := ts.client(t)
	aID := a.signUp("a@example.com")
	b := ts.client(t)
	b.signUp("b@example.com")
	id, _, err := ts.store.CreateAPIKey(context.Background(), aID)
	if err != nil {
		t.Fatal(err)
	}
	res := a.get("/apikeys")
	if confirm := res.doc.Find(`[data-testid="delete-key"]`).AttrOr("data-confirm", ""); !strings.Contains(confirm, id) {
		t.Errorf("delete asks no confirmation: %q", confirm)
	}
	b.get("/apikeys")
	tests := []struct {
		name string
		c    *client
		path string
		form url.Values
		want int
	}{
		{"ErrOtherAccountDisables", b, "/apikeys/" + id + "/disable", nil, http.StatusNotFound},
		{"ErrOtherAccountDeletes", b, "/apikeys/" + id + "/delete", nil, http.StatusNotFound},
		{"ErrNoCSRF", a, "/apikeys/" + id + "/delete", url.Values{"_csrf": {"forged"}}, http.StatusForbidden},
		{"ErrCreateNoCSRF", a, "/apikeys", url.Values{"_csrf": {"forged"}}, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := keyCount(t, ts)
			wantStatus(t, tt.c.post(tt.path, tt.form), tt.want)
			if keyCount(t, ts) != before {
				t.Error("a refused request changed the keys")
			}
			if _, ok, _ := ts.store.LookupAPIKey(context.Background(), id); !ok {
				t.Error("a refused request disabled the key")
			}
		})
	}
}
