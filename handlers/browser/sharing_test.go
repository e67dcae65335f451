package browser_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"imageconsole/models"
)

var syncedCopy = regexp.MustCompile(`(img-[a-z0-9]{8}) in ap-shanghai`)

// TestShareAndSync shares a custom image with a second account, who sees it
// only in its region, with a warning before launching from it; then the
// owner syncs it to another region and watches the copy arrive.
func TestShareAndSync(t *testing.T) {
	t.Parallel()
	// A slower clock than the other tests, so the copy's progress shows.
	e := newEnv(t, func(s *models.Store) { s.TaskScale = 2 * taskScale })
	a := e.newTab("alice")
	alice := a.signUp("alice@example.com", "Alice Chen")
	b := e.newTab("bob")
	bob := b.signUp("bob@example.com", "Bob Li")
	golden := e.mustImport(alice, region, "golden-web", "golden.qcow2")

	// Alice shares it with Bob from a dialog.
	a.open("/images/" + golden + "?region=" + region)
	a.click(sel("share-open"))
	a.waitFor("the share dialog", `document.getElementById("share-dialog").matches(":modal") && document.activeElement.id === "accounts"`, 5*time.Second)
	a.fill("#accounts", bob)
	a.shotView("flow-30-share-dialog")
	a.clickAndLoad(sel("share-submit"))
	if got := a.text(sel("flash")); got != "Shared." {
		t.Errorf("toast %q", got)
	}
	if got := a.text(sel("share-count")); got != "1 / 50" {
		t.Errorf("share count %q", got)
	}
	if got := a.text(sel("share-row")); !strings.Contains(got, bob) {
		t.Errorf("share list %q", got)
	}
	a.shot("flow-31-shared")

	// Bob finds it in his Shared tab, marked as not reviewed...
	b.open("/images?region=" + region + "&tab=shared")
	row := `[data-image-id="` + golden + `"]`
	b.waitVisible(row)
	if got := b.text(row + " " + sel("kind-badge")); got != "Not reviewed by the platform" {
		t.Errorf("Bob's badge %q", got)
	}
	b.shot("flow-32-bob-shared-tab")
	// ...and only in its region: the region selector keeps the tab.
	b.chooseAndLoad("#region-select", "ap-shanghai")
	if loc := b.location(); !strings.Contains(loc, "region=ap-shanghai") || !strings.Contains(loc, "tab=shared") {
		t.Errorf("region switch went to %s", loc)
	}
	if b.count(sel("image-row")) != 0 || b.count(sel("empty")) != 1 {
		t.Error("Bob sees shared images in Shanghai")
	}
	b.shot("flow-33-bob-shared-tab-shanghai")

	// Launching from it needs Bob's explicit acknowledgement.
	b.open("/images/" + golden + "?region=" + region)
	b.waitVisible(sel("image-warning"))
	b.clickAndLoad(sel("launch-from-image"))
	b.waitVisible(sel("shared-warning"))
	b.clickAndLoad(sel("launch-submit"))
	if b.text(sel("error-ack_shared")) == "" {
		b.fatalf("launched without the acknowledgement")
	}
	b.shot("flow-34-launch-shared-warning")
	b.click(sel("ack-shared"))
	b.clickAndLoad(sel("launch-submit"))
	b.waitVisible(sel("instance-row"))

	// Alice syncs the image to Shanghai and watches the copy arrive.
	a.open("/images/" + golden + "?region=" + region)
	a.click(sel("sync-open"))
	a.click(sel("sync-target-ap-shanghai") + " input")
	a.shotView("flow-35-sync-dialog")
	a.clickAndLoad(sel("sync-submit"))
	m := syncedCopy.FindStringSubmatch(a.text(sel("flash")))
	if m == nil {
		a.fatalf("toast %q names no copy", a.text(sel("flash")))
	}
	a.open("/images?region=ap-shanghai&tab=custom")
	status := `[data-image-id="` + m[1] + `"] ` + sel("image-status")
	a.markPage()
	if got := a.attr(status, "data-state"); got != models.StateSyncing && got != models.StateNormal {
		t.Errorf("the copy is %s", got)
	}
	a.shotProgress(status, "flow-36-sync-progress")
	a.waitState(status, models.StateNormal, 30*time.Second)
	a.requireSamePage("sync")
	a.shot("flow-37-synced")
}
