package browser_test

import (
	"strings"
	"testing"

	"imageconsole/models"
)

// TestQuotaAndDailyLimitMessages runs into the custom image quota and the
// daily operations limit, and reads both refusals in plain words with their
// codes, then on the Quotas page.
func TestQuotaAndDailyLimitMessages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(s *models.Store) { s.Limits.CustomImages, s.Limits.DailyOps = 1, 2 })
	a := e.newTab("alice")
	alice := a.signUp("alice@example.com", "Alice Chen")
	only := e.mustImport(alice, region, "only-slot", "golden.qcow2") // operation 1, image 1 of 1

	// R1: no room for a second custom image: Import is disabled and says why.
	a.open("/images/import?region=" + region)
	if got := a.eval(`document.querySelector(` + js(sel("import-submit")) + `).disabled`); got != true {
		a.fatalf("Import enabled with the quota full")
	}
	if got := a.text(sel("import-blocked")); !strings.Contains(got, "1 custom image") {
		t.Errorf("quota message %q", got)
	}
	a.shot("flow-40-quota-images")

	// R2: the second rename of the day is accepted, the third refused.
	a.open("/images/" + only + "?region=" + region)
	a.click(sel("edit-open"))
	a.fill("#name", "renamed-once")
	a.clickAndLoad(sel("edit-submit"))
	if got := a.text(sel("flash")); got != "Image saved." {
		t.Errorf("toast %q", got)
	}
	a.click(sel("edit-open"))
	a.fill("#name", "renamed-twice")
	a.clickAndLoad(sel("edit-submit"))
	if got := a.text(sel("alert-code")); got != models.CodeDailyOps {
		a.fatalf("third operation: code %q", got)
	}
	if got := a.text(sel("alert")); !strings.Contains(got, "resets at") {
		t.Errorf("daily limit message %q", got)
	}
	a.shot("flow-41-daily-limit")

	// The Quotas page shows both limits reached.
	a.open("/quotas?region=" + region)
	for key, want := range map[string]string{"images": "1", "operations": "2"} {
		if got := a.text(sel("quota-"+key) + " " + sel("used")); got != want {
			t.Errorf("quota %s used %q, want %q", key, got, want)
		}
	}
	a.shot("flow-42-quotas")
}
