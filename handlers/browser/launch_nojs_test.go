package browser_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"imageconsole/models"
	"imageconsole/models/i18n"
)

// TestLaunchWithoutJavaScript: with JavaScript off the wizard says how to
// see the price (not that it updates live), its Update price button
// reprices the choices on the server, and a refused launch opens at the
// error summary, which has the focus and links to the invalid field.
func TestLaunchWithoutJavaScript(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newTab("alice")
	a.noScript()
	alice := a.signUp("alice@example.com", "Alice Chen")
	ubuntu := e.commonImage(alice, region, "Ubuntu Server 24.04")

	a.open("/instances/new?region=" + region + "&image=" + ubuntu)
	a.waitVisible(sel("quote"))
	if got := a.eval(`getComputedStyle(document.querySelector(` + js(sel("price-note")+" .js-only") + `)).display`); got != "none" {
		t.Errorf("without JavaScript the page still says the price updates live (display %v)", got)
	}
	a.waitVisible(sel("price-note") + " .nojs-only")
	a.waitVisible(sel("quote-submit"))
	// (axe-core cannot run with scripts off: TestLaunchErrorFocus checks
	// the same markup.)

	// Update price: the server prices three instances; nothing launches.
	a.setValue("#count", "3")
	a.fill("#name", "priced")
	a.clickAndLoad(sel("quote-submit"))
	if loc := a.location(); !strings.Contains(loc, "count=3") || strings.Contains(loc, "_csrf") {
		t.Errorf("Update price went to %s", loc)
	}
	r, _ := models.LookupRegion(region)
	plan, err := e.store.QuoteLaunch(context.Background(), alice, models.LaunchInput{Region: region, Zone: r.Zones[0],
		InstanceType: a.attr(`#instance_type option[selected]`, "value"), ImageID: ubuntu, Count: 3})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := a.text(sel("quote-total")), i18n.EN.Money(plan.Quote.TotalPerHour)+"/hour"; got != want {
		t.Errorf("total %q, want %q for three", got, want)
	}
	if got := a.eval(`document.getElementById("name").value`); got != "priced" {
		t.Errorf("the name was lost: %v", got)
	}
	a.shot("nojs-launch-priced")
	if n := e.instances(alice); n != 0 {
		t.Errorf("Update price launched %d instances", n)
	}

	// A refused launch: the page opens at the summary, focused, at the top.
	a.setValue("#count", "0")
	a.clickAndLoad(sel("launch-submit"))
	a.waitVisible(sel("error-summary"))
	a.waitFor("the focus on the error summary", `document.activeElement && document.activeElement.id === "launch-errors"`, 5*time.Second)
	if got := a.eval(`(() => { const r = document.getElementById("launch-errors").getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; })()`); got != true {
		t.Error("the error summary is not in view")
	}
	if got := a.attr(sel("error-link"), "href"); got != "#launch-count" {
		t.Errorf("the summary links to %q", got)
	}
	if got := a.attr("#count", "aria-invalid"); got != "true" {
		t.Errorf("count aria-invalid %q", got)
	}
	a.shotView("nojs-launch-refused")
}

// TestLaunchErrorFocus: with JavaScript the price follows the choices
// live, the built-in components are ticked, and a refused launch comes
// back (Post/Redirect/Get) with the focus on the field to fix; the
// summary at the top links to it.
func TestLaunchErrorFocus(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newTab("alice")
	alice := a.signUp("alice@example.com", "Alice Chen")
	ubuntu := e.commonImage(alice, region, "Ubuntu Server 24.04")

	// Without an image the launch starts at the picker.
	a.open("/instances/new?region=" + region)
	a.waitVisible(sel("launch-picker"))
	a.checkA11y("launch image picker")
	a.clickAndLoad(`[data-testid="pick-image"][data-image-id="` + ubuntu + `"]`)
	a.waitVisible(sel("quote"))
	if a.count(sel("quote-submit")) != 0 && a.eval(`document.querySelector(`+js(sel("quote-submit"))+`)?.getClientRects().length ?? 0`) != float64(0) {
		t.Error("the no-JS Update price button shows with JavaScript")
	}
	if got := a.eval(`document.querySelector('input[name="security"]').checked && document.querySelector('input[name="monitor"]').checked`); got != true {
		t.Error("the built-in components are not ticked by default")
	}
	a.fill("#count", "2")
	a.waitFor("the live price of two", `document.querySelector(`+js(sel("quote"))+`).textContent.includes("× 2")`, 10*time.Second)
	a.checkA11y("launch wizard")

	a.setValue("#count", "101")
	a.clickAndLoad(sel("launch-submit"))
	a.waitVisible(sel("error-summary"))
	if loc := a.location(); !strings.HasPrefix(loc, "/instances/new?") {
		t.Errorf("a refused launch left %s in the address bar", loc)
	}
	// With JavaScript the keyboard goes straight to the field to fix, in
	// view below the sticky header.
	a.waitFor("the focus on the count field, in view", `document.activeElement && document.activeElement.id === "count" && (() => {
		const r = document.getElementById("count").getBoundingClientRect();
		const top = document.querySelector("header")?.getBoundingClientRect().bottom ?? 0;
		return r.top >= top && r.bottom <= innerHeight; })()`, 5*time.Second)
	a.eval(`scrollTo(0, 0)`)
	a.click(sel("error-link"))
	a.waitFor("the link to bring the field into view, below the header", `location.hash === "#launch-count" && (() => {
		const r = document.getElementById("count").getBoundingClientRect();
		const top = document.querySelector("header")?.getBoundingClientRect().bottom ?? 0;
		return r.top >= top && r.bottom <= innerHeight; })()`, 5*time.Second)
	a.checkA11y("launch refused")
	a.shotView("launch-refused")
	if n := e.instances(alice); n != 0 {
		t.Errorf("a refused launch wrote %d instances", n)
	}

	// The same pages in Chinese, as the language switch leaves them.
	a.chinese()
	a.open("/instances/new?region=" + region)
	a.waitVisible(sel("launch-picker"))
	a.shot("launch-picker-zh")
	a.open("/instances/new?region=" + region + "&image=" + ubuntu)
	a.waitVisible(sel("quote"))
	for _, want := range []string{"新建实例", "可用区", "云安全", "云监控", "立即购买", "/小时"} {
		if !strings.Contains(a.text("main"), want) {
			t.Errorf("the Chinese wizard lacks %q", want)
		}
	}
	a.checkA11y("launch wizard in Chinese")
	a.shot("launch-zh")
}

// chinese sets the language cookie the language switch sets.
func (p *tab) chinese() {
	p.t.Helper()
	p.do("choose Chinese", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, network.SetCookie, network.SetCookieParams{Name: "ic_lang", Value: "zh-CN", URL: p.e.url})
		return err
	}))
}

// setValue replaces an input's value as typing would (fill appends to a
// number input in Chromium) and fires input and change.
func (p *tab) setValue(css, value string) {
	p.t.Helper()
	ok := p.eval(`(() => { const el = document.querySelector(` + js(css) + `); if (!el) return false; el.value = ` + js(value) + `;
		el.dispatchEvent(new Event("input", {bubbles: true})); el.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)
	if ok != true {
		p.fatalf("set %s: no such input", css)
	}
}

// instances counts the account's instances in the region.
func (e *env) instances(accountID string) int64 {
	e.t.Helper()
	_, total, err := e.store.Instances(context.Background(), accountID, models.InstanceQuery{Region: region, Limit: 1})
	if err != nil {
		e.t.Fatal(err)
	}
	return total
}
