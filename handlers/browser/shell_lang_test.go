package browser_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestShell_LanguageSwitch: the switch in the top bar changes the language
// of the page it is on, keeps the page (and its region), is remembered
// across pages and sign-out, and works on the sign-in page too.
func TestShell_LanguageSwitch(t *testing.T) {
	t.Parallel()
	p := newEnv(t).newTab("lang")
	p.signUp("lang@example.com", "Lang Tester")
	// A URL without its region gets the region it shows in the address bar.
	p.open("/network/vpcs")
	if got := p.location(); got != "/network/vpcs?region=ap-guangzhou" {
		t.Errorf("the address bar shows %q", got)
	}
	p.open("/network/vpcs?region=ap-shanghai")
	if got := p.attr("html", "lang"); got != "en" {
		t.Fatalf("html lang %q before the switch", got)
	}
	p.chooseAndLoad(`header `+sel("lang-select"), "zh-CN")
	if got := p.location(); got != "/network/vpcs?region=ap-shanghai" {
		t.Errorf("after the switch the tab is at %q", got)
	}
	if got := p.attr("html", "lang"); got != "zh-CN" {
		t.Errorf("html lang %q", got)
	}
	if got := p.text("main h1"); got != "私有网络" {
		t.Errorf("h1 %q", got)
	}
	if got := p.text(sel("nav-images")); got != "镜像" {
		t.Errorf("nav %q", got)
	}
	if got := p.text(`#region-select option:checked`); got != "华东地区（上海）" {
		t.Errorf("region %q", got)
	}
	// Remembered on another page; on a phone the switches sit in the
	// account menu and the top bar fits the screen.
	p.viewport(phone, "light")
	p.open("/apikeys?region=ap-shanghai")
	if got := p.text("main h1"); got != "API 密钥" {
		t.Errorf("apikeys h1 %q", got)
	}
	if p.eval(`document.documentElement.scrollWidth <= window.innerWidth`) != true {
		t.Error("the page is wider than the phone's screen")
	}
	p.click(sel("account-menu"))
	p.waitVisible(sel("menu-switches"))
	p.shotView("shell-menu-switches-phone-zh-CN")
	p.chooseAndLoad(sel("menu-switches")+" "+sel("lang-select"), "en")
	if got := p.text("main h1"); got != "API keys" {
		t.Errorf("after the switch in the phone menu: h1 %q", got)
	}
	p.chooseAndLoad(sel("menu-switches")+" "+sel("lang-select"), "zh-CN")
	p.viewport(desktop, "light")
	p.click(sel("account-menu"))
	p.clickAndLoad(sel("sign-out"))
	if got := p.text("main h1"); got != "登录控制台" {
		t.Errorf("sign-in h1 %q", got)
	}
	p.checkA11y("signin (zh-CN)")
	// And back to English from the sign-in page.
	p.chooseAndLoad(sel("lang-select"), "en")
	if got := p.text("main h1"); got != "Sign in to the console" || !strings.HasPrefix(p.location(), "/signin") {
		t.Errorf("after switching back: %q at %s", got, p.location())
	}
}

// TestShell_DarkMode: the theme switch forces light or dark over the
// system's scheme, is remembered across pages, and "system" follows the
// system again.
func TestShell_DarkMode(t *testing.T) {
	t.Parallel()
	p := newEnv(t).newTab("theme")
	p.signUp("theme@example.com", "Theme Tester")
	p.open("/account")
	bg := func() string { s, _ := p.eval(`getComputedStyle(document.body).backgroundColor`).(string); return s }
	// becomes waits for the background to become want: a colour change
	// takes effect at a later frame (even a reduced-motion transition).
	becomes := func(what, want string) {
		p.t.Helper()
		p.waitFor(what, `getComputedStyle(document.body).backgroundColor === `+js(want), 5*time.Second)
	}
	light := bg()
	p.choose(`header `+sel("theme-select"), "dark")
	if got := p.attr("html", "class"); !strings.Contains(got, "dark") {
		t.Fatalf("html class %q after choosing dark", got)
	}
	p.waitFor("a dark background", `getComputedStyle(document.body).backgroundColor !== `+js(light), 5*time.Second)
	dark := bg()
	// Remembered on the next page, set before the page paints (the class
	// is there as soon as the document is).
	p.open("/apikeys")
	if got := p.attr("html", "class"); !strings.Contains(got, "dark") {
		t.Errorf("the next page is not dark: class %q", got)
	}
	becomes("the next page dark", dark)
	if got, _ := p.eval(`document.querySelector("header [data-theme-select]").value`).(string); got != "dark" {
		t.Errorf("the switch shows %q", got)
	}
	p.axe("apikeys (forced dark)", axeContrast)
	// Forced light wins over a dark system; "system" follows it again.
	p.viewport(desktop, "dark")
	p.choose(`header `+sel("theme-select"), "light")
	becomes("forced light on a dark system", light)
	p.choose(`header `+sel("theme-select"), "system")
	// Chromium repaints an emulated scheme reliably only on a load.
	p.do("reload", chromedp.Reload(), chromedp.WaitReady(chromedp.CSS("body")))
	if got := p.attr("html", "class"); strings.Contains(got, "light") || strings.Contains(got, "dark") {
		t.Errorf("html class %q under the system theme", got)
	}
	becomes("the system's dark", dark)
	p.viewport(desktop, "light")
}

// TestShell_LanguageWithoutJavaScript: without JavaScript the language
// switch has its own button, and the theme switch (which needs script to
// remember the choice) is not offered.
func TestShell_LanguageWithoutJavaScript(t *testing.T) {
	t.Parallel()
	p := newEnv(t).newTab("nojs-lang")
	p.noScript()
	p.open("/signup")
	if got := p.eval(`getComputedStyle(document.querySelector(` + js(sel("theme-select")) + `).parentElement).display`); got != "none" {
		t.Errorf("the theme switch shows without JavaScript (display %v)", got)
	}
	p.choose(sel("lang-select"), "zh-CN")
	p.clickAndLoad(sel("lang-submit"))
	if got := p.text("main h1"); got != "注册账号" || p.location() != "/signup" {
		t.Errorf("after the switch: %q at %s", got, p.location())
	}
}
