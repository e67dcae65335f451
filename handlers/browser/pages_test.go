package browser_test

import (
	"context"
	"testing"
	"time"

	"imageconsole/models/storetest"
)

// The main pages, each checked for accessibility and saved as screenshots
// at desktop and phone width in the light and the dark scheme (see tour).
// They are split in three tests so that they run beside the flows.

const region = "ap-guangzhou"

// TestPagesSignedOut: sign-in, sign-up and an error page.
func TestPagesSignedOut(t *testing.T) {
	t.Parallel()
	p := newEnv(t).newTab("visitor")
	for _, pg := range []struct{ name, path string }{{"signin", "/signin"}, {"signup", "/signup"}} {
		p.open(pg.path)
		p.tour("page-" + pg.name)
	}
	p.open("/no-such-page")
	p.glance("page-not-found")
}

// world is a signed-in account with a bit of everything: custom images (one
// failed), an image shared by another account, instances and an API key.
type world struct {
	p                             *tab
	alice, golden, shared, ubuntu string
	instances                     []string
}

func newWorld(t *testing.T) *world {
	e := newEnv(t)
	w := &world{p: e.newTab("alice")}
	w.alice = w.p.signUp("alice@example.com", "Alice Chen")
	bob := storetest.MustAccount(t, e.store, "bob@example.com").ID
	w.ubuntu = e.commonImage(w.alice, region, "Ubuntu")
	w.golden = e.mustImport(w.alice, region, "golden-web-2024", "golden.qcow2")
	e.mustImport(w.alice, region, "broken-upload", "missing.qcow2")
	e.mustShare(w.alice, region, w.golden, bob)
	w.shared = e.mustImport(bob, region, "bob-base-image", "golden.qcow2")
	e.mustShare(bob, region, w.shared, w.alice)
	w.instances = e.mustLaunch(w.alice, region, w.ubuntu, "web", 2)
	e.mustLaunch(w.alice, region, w.golden, "api-server", 1)
	if err := e.store.SetSecretKeyCipher(make([]byte, 32)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.store.CreateAPIKey(context.Background(), w.alice); err != nil {
		t.Fatal(err)
	}
	for _, id := range w.instances {
		e.waitInstance(w.alice, id, "RUNNING")
	}
	return w
}

// mainPage is a page to visit; a glance page is made of the same parts as
// another and gets the shorter check.
type mainPage struct {
	name, path, ready string
	glance            bool
}

func (w *world) visit(pages []mainPage) {
	for _, pg := range pages {
		w.p.open(pg.path)
		w.p.waitVisible(sel(pg.ready))
		if pg.glance {
			w.p.glance("page-" + pg.name)
		} else {
			w.p.tour("page-" + pg.name)
		}
	}
}

// TestPagesImages: the image list in every tab, the detail pages, import.
func TestPagesImages(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.visit([]mainPage{
		{"images-common", "/images?region=" + region + "&tab=common", "image-table", false},
		{"images-market", "/images?region=" + region + "&tab=market", "image-table", true},
		{"images-custom", "/images?region=" + region + "&tab=custom", "image-table", true},
		{"images-shared", "/images?region=" + region + "&tab=shared", "image-table", false},
		{"images-empty", "/images?region=ap-singapore&tab=custom", "empty", true},
		{"image-custom", "/images/" + w.golden + "?region=" + region, "share-panel", false},
		{"image-shared", "/images/" + w.shared + "?region=" + region, "image-warning", false},
		{"image-common", "/images/" + w.ubuntu + "?region=" + region, "image-attributes", true},
		{"import", "/images/import?region=" + region, "import-form", false},
	})
	// A dialog on a phone.
	p := w.p
	p.viewport(phone, "light")
	p.open("/images/" + w.golden + "?region=" + region)
	p.click(sel("share-open"))
	p.waitFor("the share dialog", `document.getElementById("share-dialog").open`, 5*time.Second)
	p.shotView("page-share-dialog-phone-light")
}

// TestPagesCompute: launching, instances, quotas, the log, keys, account.
func TestPagesCompute(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.visit([]mainPage{
		{"launch", "/instances/new?region=" + region + "&image=" + w.golden, "quote", false},
		{"launch-shared", "/instances/new?region=" + region + "&image=" + w.shared, "shared-warning", true},
		{"instances", "/instances?region=" + region, "instance-table", false},
		{"instance", "/instances/" + w.instances[0], "instance-title", false},
		{"quotas", "/quotas?region=" + region, "quota-images", false},
		{"operations", "/operations?region=" + region, "operation-table", false},
		{"apikeys", "/apikeys?region=" + region, "key-table", false},
		{"account", "/account", "account-info", false},
	})
	// A new API key, shown once.
	p := w.p
	p.open("/apikeys?region=" + region)
	p.clickAndLoad(sel("create-key"))
	p.waitVisible(sel("new-key"))
	p.shot("page-apikey-created-desktop-light")
	// Instances on a phone in the dark, and the navigation menu.
	p.viewport(phone, "dark")
	p.open("/instances?region=" + region)
	p.shot("page-instances-phone-dark")
	p.viewport(phone, "light")
	p.open("/images?region=" + region)
	p.click(sel("menu-button"))
	p.waitVisible(sel("nav-instances"))
	p.shotView("page-menu-phone-light")
}
