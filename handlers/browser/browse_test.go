package browser_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"
)

// TestSignUpBrowseAndSignOut signs up two people, browses the four image
// tabs and filters them in place, and signs out.
func TestSignUpBrowseAndSignOut(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newTab("alice")
	a.open("/signup")
	a.shot("flow-01-signup")
	alice := a.signUp("alice@example.com", "Alice Chen")
	b := e.newTab("bob")
	bob := b.signUp("bob@example.com", "Bob Li")
	if len(alice) != 12 || len(bob) != 12 || alice == bob {
		t.Fatalf("account IDs %q and %q", alice, bob)
	}

	// The account menu says who is signed in; Escape closes it.
	a.click(sel("account-menu"))
	a.waitVisible(sel("account"))
	if got := a.text(sel("account")); !strings.Contains(got, "Alice Chen") || !strings.Contains(got, alice) {
		t.Errorf("account menu shows %q", got)
	}
	a.key(kb.Escape)
	a.waitFor("the menu to close", `!document.querySelector("details[data-menu][open]")`, 5*time.Second)

	// The tabs swap the list in place, each with its own URL.
	a.markPage()
	for _, tt := range []struct {
		tab   string
		empty bool
	}{{"market", false}, {"custom", true}, {"shared", true}, {"common", false}} {
		a.click(sel("tab-" + tt.tab))
		a.waitFor("the "+tt.tab+" tab", `document.querySelector(`+js(sel("tab-"+tt.tab))+`).getAttribute("aria-selected") === "true"
			&& location.search.includes("tab=`+tt.tab+`")`, 10*time.Second)
		if got := a.count(sel("empty")) == 1; got != tt.empty {
			t.Errorf("%s tab: empty state shown = %v, want %v", tt.tab, got, tt.empty)
		}
		if tt.tab == "custom" {
			a.shot("flow-02-images-custom-empty")
		}
	}
	all := a.count(sel("image-row"))

	// The table header stays under the top bar while the list scrolls.
	a.eval(`window.scrollTo(0, 800)`)
	a.waitFor("the sticky table header", `(() => { const th = document.querySelector(`+js(sel("image-table")+" th")+`).getBoundingClientRect();
		const bar = document.querySelector("header").getBoundingClientRect(); return window.scrollY > 0 && Math.abs(th.top - bar.bottom) < 2; })()`, 5*time.Second)
	a.eval(`window.scrollTo(0, 0)`)

	// Search and architecture narrow the list, still without a reload.
	a.fill("#image-search", "Ubuntu")
	a.waitFor("the search", `location.search.includes("q=Ubuntu") && document.querySelectorAll(`+js(sel("image-row"))+`).length > 0
		&& [...document.querySelectorAll(`+js(sel("image-name"))+`)].every(n => n.textContent.includes("Ubuntu"))`, 10*time.Second)
	a.choose("#image-arch", "arm")
	a.waitFor("the arm filter", `location.search.includes("arch=arm") && document.querySelectorAll(`+js(sel("image-row"))+`).length > 0
		&& [...document.querySelectorAll(`+js(sel("image-name"))+`)].every(n => n.textContent.includes("Ubuntu") && n.textContent.includes("Arm"))`, 10*time.Second)
	if n := a.count(sel("image-row")); n >= all {
		t.Errorf("filtering left %d of %d rows", n, all)
	}
	a.requireSamePage("tabs and filters")
	a.shot("flow-03-images-filtered")

	// A search that matches nothing says so and offers to clear the filters.
	a.fill("#image-search", "no-such-image")
	// Typing fires searches as it goes: wait for the last one to land, or
	// the click may hit a link that a late swap is about to replace.
	a.waitFor("the search for no-such-image", `location.search.includes("no-such-image")
		&& document.querySelector(".htmx-request") === null && document.querySelector(`+js(sel("clear-filters"))+`) !== null`, 10*time.Second)
	a.waitVisible(sel("clear-filters"))
	a.shot("flow-04-images-no-match")
	a.clickAndLoad(sel("clear-filters"))
	if n := a.count(sel("image-row")); n != all {
		t.Errorf("after clearing the filters: %d rows, want %d", n, all)
	}

	// Sign out: back to sign-in, and the console asks to sign in again.
	a.click(sel("account-menu"))
	a.clickAndLoad(sel("sign-out"))
	a.waitVisible(sel("signin-form"))
	a.open("/images?region=ap-guangzhou")
	if loc := a.location(); !strings.HasPrefix(loc, "/signin?next=") {
		t.Errorf("after sign out /images shows %s", loc)
	}
	a.shot("flow-05-signed-out")
}
