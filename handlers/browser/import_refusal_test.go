package browser_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"imageconsole/models"
	"imageconsole/models/imagefmt"
)

// TestImportRefusesBadUpload: a 39-byte text file chosen in a real browser
// is refused at once, back on the form's own address with the formats next
// to the file field and the typed name kept, and nothing is spent.
func TestImportRefusesBadUpload(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := e.newTab("alice")
	alice := a.signUp("alice@example.com", "Alice Chen")
	notes := filepath.Join(t.TempDir(), "notes.qcow2")
	if err := os.WriteFile(notes, []byte("this is not a disk image, just text.\n\n\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	a.open("/images/import?region=" + region)
	a.fill("#name", "from-notes")
	a.choose("#os", "Debian|12")
	a.do("choose the file", chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{notes}))
	a.clickAndLoad(sel("import-submit"))
	if loc := a.location(); loc != "/images/import?region="+region {
		t.Errorf("address after the refusal %q, want the form's own", loc)
	}
	msg := a.text(sel("error-file"))
	if !strings.Contains(msg, imagefmt.FormatList()) || !strings.Contains(msg, "Choose the file again") {
		a.fatalf("file error %q", msg)
	}
	if got := a.eval(`document.querySelector("#name").value`); got != "from-notes" {
		t.Errorf("name after the refusal %v", got)
	}
	if got := a.attr("#file", "aria-invalid"); got != "true" {
		t.Errorf("file input aria-invalid %q", got)
	}
	a.checkA11y("import-refused-upload")
	a.shot("flow-22-import-bad-upload")
	u, err := e.store.QuotaUsage(t.Context(), alice, region)
	if err != nil {
		t.Fatal(err)
	}
	if u.ImagesUsed != 0 || u.OpsUsed != 0 {
		t.Errorf("a refused upload spent %d slots and %d operations", u.ImagesUsed, u.OpsUsed)
	}
}

// TestImportDisabledWhenFull: with the custom-image quota used up, the
// Import button is disabled and the reason stands next to it.
func TestImportDisabledWhenFull(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(s *models.Store) { s.Limits.CustomImages = 1 })
	a := e.newTab("alice")
	alice := a.signUp("alice@example.com", "Alice Chen")
	e.mustImport(alice, region, "only-slot", "golden.qcow2")
	a.open("/images/import?region=" + region)
	a.waitVisible(sel("import-form"))
	if got := a.eval(`document.querySelector(` + js(sel("import-submit")) + `).disabled`); got != true {
		a.fatalf("Import enabled with the quota full")
	}
	if got := a.text(sel("import-blocked")); !strings.Contains(got, "1 custom image") {
		t.Errorf("reason %q", got)
	}
	a.checkA11y("import-blocked")
	a.shot("flow-23-import-blocked")
}
