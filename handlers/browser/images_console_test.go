package browser_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"imageconsole/models"
)

// TestImagesTabsKeyboardAndScrollbar chooses an image tab with the
// keyboard: the focus stays on the chosen tab after htmx swaps the panel.
// The tab strip has no scrollbar, on a laptop or a phone.
func TestImagesTabsKeyboardAndScrollbar(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newTab("alice")
	a.signUp("alice@example.com", "Alice Chen")
	a.open("/images?region=" + region + "&tab=common")
	a.markPage()
	a.eval(`document.querySelector('[data-testid="tab-market"]').focus()`)
	a.key(kb.Enter)
	a.waitFor("the Market tab", `location.search.includes("tab=market") && document.querySelector('[data-testid="tab-market"]').getAttribute("aria-selected") === "true"`, 10*time.Second)
	a.requireSamePage("the tab change")
	a.waitFor("the focus on the Market tab", `document.activeElement && document.activeElement.dataset.testid === "tab-market"`, 5*time.Second)
	// The arrow keys go on from there.
	a.key(kb.ArrowRight)
	if id := a.eval(`document.activeElement.dataset.testid`); id != "tab-custom" {
		t.Errorf("after ArrowRight the focus is on %v, want tab-custom", id)
	}
	for _, v := range []viewport{desktop, phone} {
		a.viewport(v, "light")
		a.open("/images?region=" + region)
		got := a.eval(`(() => { const s = document.querySelector('[role="tablist"]');
			return [s.scrollHeight - s.clientHeight, s.offsetHeight - s.clientHeight]; })()`)
		if parts, _ := got.([]any); len(parts) != 2 || parts[0] != 0.0 || parts[1] != 0.0 {
			t.Errorf("%s: the tab strip overflows or shows a scrollbar (content−box, scrollbar): %v", v.name, got)
		}
	}
}

// TestImagesCopyAndSyncCard copies an image's ID with its button, then
// syncs the image and watches the copies arrive on the source's own page,
// live, each linked to its page in its region, which opens from the
// source's region; axe stays clean on the pages on the way.
func TestImagesCopyAndSyncCard(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(s *models.Store) { s.TaskScale = 2 * taskScale })
	a := e.newTab("alice")
	alice := a.signUp("alice@example.com", "Alice Chen")
	golden := e.mustImport(alice, region, "golden-web", "golden.qcow2")

	// The copy button in the list copies the ID and says so. The test
	// stands in for the system clipboard, which a headless browser without
	// a user gesture may refuse.
	a.open("/images?region=" + region + "&tab=custom")
	row := `[data-image-id="` + golden + `"] `
	a.checkA11y("the custom images list")
	a.eval(`navigator.clipboard.writeText = (s) => { window.__copied = s; return Promise.resolve(); }`)
	a.click(row + sel("copy-id"))
	a.waitFor("the copy button to say Copied", `document.querySelector(`+js(row+sel("copy-id"))+`).hasAttribute("data-copy-done")`, 5*time.Second)
	if got := a.text(row + sel("copy-id")); got != "Copied" {
		t.Errorf("copy button says %q", got)
	}
	if clip := a.eval(`window.__copied`); clip != golden {
		t.Errorf("copied %v, want %s", clip, golden)
	}

	// The row's menu leads to the sync form, open on the image's page.
	a.click(row + sel("row-actions") + " summary")
	a.waitVisible(row + sel("row-sync"))
	a.clickAndLoad(row + sel("row-sync"))
	a.waitFor("the sync dialog", `document.getElementById("sync-dialog").matches(":modal")`, 5*time.Second)

	// Sync to Shanghai and Hong Kong from there.
	a.click(sel("sync-target-ap-shanghai") + " input")
	a.click(sel("sync-target-ap-hongkong") + " input")
	a.clickAndLoad(sel("sync-submit"))
	if loc := a.location(); loc != "/images/"+golden+"?region="+region {
		t.Errorf("after the sync the page is %s", loc)
	}
	copies := `[data-testid="sync-copies"]`
	if a.count(copies+" "+sel("sync-copy")) != 2 || a.attr(copies, "data-live") != "true" {
		t.Fatalf("the sync card lists %d copies, live %q", a.count(copies+" "+sel("sync-copy")), a.attr(copies, "data-live"))
	}
	a.markPage()
	a.checkA11y("an image with copies syncing")
	a.waitFor("every copy to be NORMAL and the polling to stop", `document.querySelector(`+js(copies)+`).dataset.live === "false" &&
		document.querySelectorAll(`+js(copies+` [data-testid="sync-copy"][data-state="NORMAL"]`)+`).length === 2`, 40*time.Second)
	a.requireSamePage("the sync card")
	a.shot("images-sync-card")

	// A copy's link opens its page in its region, from the source's.
	href := a.attr(copies+` [data-region="ap-hongkong"] `+sel("sync-copy-link"), "href")
	if !strings.HasSuffix(href, "?region=ap-hongkong") {
		t.Errorf("copy link %q", href)
	}
	a.clickAndLoad(copies + ` [data-region="ap-hongkong"] ` + sel("sync-copy-link"))
	if a.count(sel("image-title")) != 1 || a.eval(`document.querySelector("#region-select").value`) != "ap-hongkong" {
		t.Errorf("the copy's page did not open in Hong Kong: %s", a.location())
	}
	a.checkA11y("a sync copy")
}

// TestImagesChinese walks the image pages in Chinese: the headings are
// Chinese and axe stays clean.
func TestImagesChinese(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newTab("alice")
	alice := a.signUp("alice@example.com", "Alice Chen")
	golden := e.mustImport(alice, region, "golden-web", "golden.qcow2")
	a.do("choose Chinese", chromedp.Evaluate[chromedp.Void](`(() => { const tok = document.querySelector('meta[name="csrf-token"]').content;
		return fetch("/lang", {method: "POST", headers: {"Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": tok},
			body: "lang=zh-CN&next=/images&_csrf=" + encodeURIComponent(tok)}); })()`, chromedp.EvalAwaitPromise))
	a.open("/images?region=" + region + "&tab=custom")
	if got := a.text("main h1"); got != "镜像" {
		t.Errorf("heading %q", got)
	}
	a.checkA11y("the custom images list in Chinese")
	a.open("/images/" + golden + "?region=" + region)
	if got := a.text("#sync-title"); got != "同步到其他地域" {
		t.Errorf("sync card title %q", got)
	}
	a.checkA11y("an image in Chinese")
	a.shot("images-detail-zh")
}
