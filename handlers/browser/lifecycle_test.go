package browser_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"

	"imageconsole/models"
)

// TestLaunchAndCreateImage launches instances from the catalog and watches
// them start, terminates one after a confirmation, and makes a custom image
// of the other, watching its progress bar until it is NORMAL.
func TestLaunchAndCreateImage(t *testing.T) {
	t.Parallel()
	// A slower clock than the other tests, so the image's progress shows.
	e := newEnv(t, func(s *models.Store) { s.TaskScale = 2 * taskScale })
	a := e.newTab("alice")
	a.signUp("alice@example.com", "Alice Chen")

	// From the catalog to the launch wizard.
	a.fill("#image-search", "Ubuntu Server 24.04")
	a.choose("#image-arch", "x86_64")
	a.waitFor("the x86 Ubuntu images", `location.search.includes("arch=x86_64") && document.querySelectorAll(`+js(sel("image-row"))+`).length > 0`, 10*time.Second)
	a.clickAndLoad(sel("image-link"))
	a.clickAndLoad(sel("launch-from-image"))
	a.waitVisible(sel("quote"))

	// The price follows the choices.
	a.fill("#count", "2")
	a.waitFor("the price of two", `document.querySelector(`+js(sel("quote"))+`).textContent.includes("× 2")`, 10*time.Second)
	a.fill("#name", "web")
	a.shot("flow-10-launch")
	a.clickAndLoad(sel("launch-submit"))

	// The instances start; the page follows them without a reload.
	if got := a.text(sel("flash")); got != "Launching 2 instances." {
		t.Errorf("toast %q", got)
	}
	a.markPage()
	a.waitFor("two RUNNING instances", `(() => { const rows = document.querySelectorAll(`+js(sel("instance-row"))+`);
		return rows.length === 2 && [...rows].every(r => r.dataset.state === "RUNNING"); })()`, 30*time.Second)
	a.requireSamePage("instances starting")
	a.shot("flow-11-instances-running")
	a.waitFor("the toast to dismiss itself", `!document.querySelector(`+js(sel("flash"))+`)`, 10*time.Second)

	// Terminate asks first, in a dialog; Cancel keeps the instance.
	victim := a.attr(sel("instance-row"), "data-instance-id")
	a.click(sel("terminate-" + victim))
	a.waitFor("the confirmation", `document.getElementById("confirm-dialog").open`, 5*time.Second)
	if msg := a.text("#confirm-message"); !strings.Contains(msg, victim) {
		t.Errorf("confirmation says %q", msg)
	}
	a.checkA11y("confirmation dialog")
	a.shotView("flow-12-confirm-terminate")
	a.click(sel("confirm-cancel"))
	a.waitFor("the dialog to close and focus to return", `!document.getElementById("confirm-dialog").open
		&& document.activeElement.dataset.testid === "terminate-`+victim+`"`, 5*time.Second)
	a.click(sel("terminate-" + victim))
	a.click(sel("confirm-ok"))
	a.waitFor("the terminated row to go", `!document.getElementById("row-`+victim+`")`, 30*time.Second)
	a.requireSamePage("terminate")

	// Create an image from the other instance, in a dialog that keeps the
	// keyboard inside and gives focus back when it closes.
	a.clickAndLoad(sel("instance-link"))
	a.click(sel("create-image-open"))
	a.waitFor("the dialog, focus on its first field", `document.getElementById("image-dialog").matches(":modal")
		&& document.activeElement.id === "name"`, 5*time.Second)
	for range 6 {
		a.key(kb.Tab)
	}
	if a.eval(`document.getElementById("image-dialog").contains(document.activeElement)`) != true {
		t.Error("Tab left the dialog")
	}
	a.key(kb.Escape)
	a.waitFor("Escape to close it and focus to return", `!document.getElementById("image-dialog").open
		&& document.activeElement.dataset.testid === "create-image-open"`, 5*time.Second)
	a.click(sel("create-image-open"))
	a.fill("#name", "golden-web")
	a.checkA11y("create image dialog")
	a.shotView("flow-13-create-image-dialog")
	a.clickAndLoad(sel("create-image-submit"))

	// The detail page shows the progress bar until the image is NORMAL.
	if got := a.text(sel("image-title")); got != "golden-web" {
		t.Errorf("title %q", got)
	}
	a.markPage()
	a.shotProgress(sel("image-status"), "flow-14-image-creating")
	a.waitState(sel("image-status"), models.StateNormal, 30*time.Second)
	a.requireSamePage("image creation")
	a.shot("flow-15-image-normal")
}

// TestImportFromURL imports an image from a URL: a refused address is
// explained next to the field, a good one ends NORMAL in the Custom tab.
func TestImportFromURL(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newTab("alice")
	a.signUp("alice@example.com", "Alice Chen")
	a.click(sel("import-link"))
	a.waitVisible(sel("import-form"))
	a.fill("#name", "golden-import")
	a.fill("#url", "ftp://files.example.com/golden.qcow2")
	a.choose("#os", "Ubuntu|22.04")
	a.clickAndLoad(sel("import-submit"))
	if a.text(sel("error-url")) == "" {
		a.fatalf("no message next to the URL field")
	}
	a.shot("flow-20-import-refused")
	a.fill("#url", imageURL("golden.qcow2"))
	a.clickAndLoad(sel("import-submit"))
	if got := a.text(sel("flash")); got != "Import started." {
		t.Errorf("toast %q", got)
	}
	a.waitState(sel("image-status"), models.StateNormal, 30*time.Second)
	a.shot("flow-21-imported")
	a.open("/images?region=ap-guangzhou&tab=custom")
	if got := a.text(sel("image-name")); got != "golden-import" {
		t.Errorf("the Custom tab lists %q", got)
	}
}
