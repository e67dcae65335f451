package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"imageconsole/models/i18n"
)

// TestLanguage_Choice: a first visit follows Accept-Language, the switch
// (a CSRF-protected POST) is remembered in a cookie and wins over the
// header, html lang follows, and next never leaves the site.
func TestLanguage_Choice(t *testing.T) {
	ts := newTestServer(t)
	missing := i18n.Missing()
	tests := []struct {
		name, accept, wantLang, wantText string
	}{
		{"OK/NoHeaderIsEnglish", "", "en", "Sign in to the console"},
		{"OK/ChineseBrowser", "zh-CN,zh;q=0.9,en;q=0.8", "zh-CN", "登录控制台"},
		{"OK/PlainZh", "zh", "zh-CN", "登录控制台"},
		{"OK/EnglishFirst", "en-GB,zh-CN;q=0.5", "en", "Sign in to the console"},
		{"OK/UnknownIsEnglish", "fr-FR", "en", "Sign in to the console"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ts.client(t).get("/signin", "Accept-Language", tt.accept)
			wantStatus(t, res, http.StatusOK)
			if got := res.doc.Find("html").AttrOr("lang", ""); got != tt.wantLang {
				t.Errorf("html lang %q, want %q", got, tt.wantLang)
			}
			if got := res.doc.Find("h1").Text(); got != tt.wantText {
				t.Errorf("h1 %q, want %q", got, tt.wantText)
			}
			if got := res.doc.Find(`[data-testid="lang-select"] option[selected]`).AttrOr("value", ""); got != tt.wantLang {
				t.Errorf("the switch shows %q, want %q", got, tt.wantLang)
			}
		})
	}

	c := ts.client(t)
	c.get("/signin?next=%2Fapikeys", "Accept-Language", "en")
	// Without the CSRF token the switch is refused and nothing is remembered.
	wantStatus(t, c.postRaw("/lang", url.Values{"lang": {"zh-CN"}, "next": {"/signin"}}), http.StatusForbidden)
	if c.cookie("ic_lang") != nil {
		t.Fatal("a refused switch set the cookie")
	}
	res := c.post("/lang", url.Values{"lang": {"zh-CN"}, "next": {"/signin?next=%2Fapikeys"}})
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/signin?next=%2Fapikeys" {
		t.Errorf("switch returns to %q", loc)
	}
	if ck := c.cookie("ic_lang"); ck == nil || ck.Value != "zh-CN" {
		t.Fatalf("cookie %+v", ck)
	}
	// The cookie wins over the browser's header.
	res = c.get("/signin", "Accept-Language", "en")
	if got := res.doc.Find("html").AttrOr("lang", ""); got != "zh-CN" {
		t.Errorf("after the switch html lang %q", got)
	}
	// next never leaves the site; an unknown language is refused.
	for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example"} {
		res = c.post("/lang", url.Values{"lang": {"en"}, "next": {next}})
		if loc := res.Header.Get("Location"); loc != "/images" {
			t.Errorf("next %q: redirect to %q", next, loc)
		}
	}
	wantStatus(t, c.post("/lang", url.Values{"lang": {"xx"}, "next": {"/signin"}}), http.StatusBadRequest)
	if n := i18n.Missing(); n != missing {
		t.Errorf("%d lookups of unknown catalogue IDs", n-missing)
	}
}

// TestLanguage_SignedInPages: the frame, the pages of this area and the
// error page speak the reader's language; region names are localized;
// dates too.
func TestLanguage_SignedInPages(t *testing.T) {
	ts := keyServer(t)
	c := ts.client(t)
	c.signUp("zh@example.com")
	c.get("/account")
	wantStatus(t, c.post("/lang", url.Values{"lang": {"zh-CN"}, "next": {"/account"}}), http.StatusSeeOther)
	missing := i18n.Missing()
	pages := []struct{ path, h1 string }{
		{"/account?region=ap-guangzhou", "账号信息"},
		{"/apikeys?region=ap-guangzhou", "API 密钥"},
		{"/network/vpcs?region=ap-guangzhou", "私有网络"},
		{"/network/security-groups?region=ap-guangzhou", "安全组"},
		{"/network/keypairs?region=ap-guangzhou", "SSH 密钥"},
	}
	for _, p := range pages {
		res := c.get(p.path)
		wantStatus(t, res, http.StatusOK)
		if got := strings.TrimSpace(res.doc.Find("main h1").First().Text()); got != p.h1 {
			t.Errorf("%s: h1 %q, want %q", p.path, got, p.h1)
		}
		if got := res.doc.Find(`[data-testid="nav-images"]`).Text(); !strings.Contains(got, "镜像") {
			t.Errorf("%s: nav %q", p.path, got)
		}
		if got := res.doc.Find(`#region-select option[selected]`).Text(); got != "华南地区（广州）" {
			t.Errorf("%s: region %q", p.path, got)
		}
		if got := res.Header.Get("Content-Language"); got != "zh-CN" {
			t.Errorf("%s: Content-Language %q", p.path, got)
		}
	}
	if got := c.get("/account").doc.Find(`[data-testid="account-created"]`).Text(); !strings.Contains(got, "年") {
		t.Errorf("date %q is not in Chinese", got)
	}
	res := c.get("/no-such-page")
	wantStatus(t, res, http.StatusNotFound)
	if got := res.doc.Find("h1").Text(); got != "页面不存在" || res.doc.Find("html").AttrOr("lang", "") != "zh-CN" {
		t.Errorf("error page %q", got)
	}
	if n := i18n.Missing(); n != missing {
		t.Errorf("%d lookups of unknown catalogue IDs", n-missing)
	}
}
