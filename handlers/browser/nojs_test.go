package browser_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"imageconsole/models/storetest"
)

// noScript turns JavaScript off in the tab, as some people browse.
func (p *tab) noScript() {
	p.t.Helper()
	p.do("disable JavaScript", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
}

// TestWithoutJavaScript uses the console with JavaScript off: forms post,
// dialogs are plain sections of the page, menus still open, toasts stay.
func TestWithoutJavaScript(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newTab("alice")
	a.noScript()
	alice := a.signUp("alice@example.com", "Alice Chen")
	bob := storetest.MustAccount(t, e.store, "bob@example.com").ID
	golden := e.mustImport(alice, region, "golden-web", "golden.qcow2")

	// The filter form has its own button.
	a.fill("#image-search", "Ubuntu")
	a.clickAndLoad(sel("image-filters") + ` button[type="submit"]`)
	if loc := a.location(); !strings.Contains(loc, "q=Ubuntu") {
		t.Errorf("filtering went to %s", loc)
	}
	// The region selector has a Switch button.
	a.choose("#region-select", "ap-beijing")
	a.clickAndLoad(sel("region-form") + ` button[type="submit"]`)
	if loc := a.location(); !strings.Contains(loc, "region=ap-beijing") || !strings.Contains(loc, "q=Ubuntu") {
		t.Errorf("the region switch went to %s", loc)
	}

	// The share form is part of the page; cancelling a share needs no dialog.
	a.open("/images/" + golden + "?region=" + region)
	a.waitVisible(sel("share-form"))
	a.waitVisible(sel("sync-form"))
	a.waitVisible(sel("edit-image-form"))
	if got := a.eval(`getComputedStyle(document.querySelector(` + js(sel("share-open")) + `)).display`); got != "none" {
		t.Errorf("the button that opens the share dialog shows without JavaScript (display %v)", got)
	}
	a.shot("nojs-image-detail")
	a.fill("#accounts", bob)
	a.clickAndLoad(sel("share-submit"))
	if got := a.text(sel("flash")); got != "Shared." {
		t.Errorf("message %q", got)
	}
	a.clickAndLoad(sel("unshare"))
	if got := a.text(sel("flash")); got != "Share cancelled." {
		t.Errorf("message %q", got)
	}
	a.shot("nojs-share-cancelled")

	// The account menu is a <details>: signing out works.
	a.click(sel("account-menu"))
	a.clickAndLoad(sel("sign-out"))
	a.waitVisible(sel("signin-form"))
}
