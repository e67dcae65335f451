package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"imageconsole/models"
)

// TestConsole_ProductLifecycle walks the product page's figure with two
// accounts: A creates an image, syncs it, shares it with B; B sees it only
// in its region, is warned, launches from it and cannot modify it; A cannot
// delete it until the share is cancelled; then B loses it.
func TestConsole_ProductLifecycle(t *testing.T) {
	ts := newTestServer(t)
	ts.store.Limits.DailyOps = 50
	a := ts.client(t)
	a.signUp("a@example.com")
	b := ts.client(t)
	bID := b.signUp("b@example.com")

	ids := a.launch(commonImageID(t, ts, "Ubuntu", models.ArchX86), 1)
	ts.drain(t)
	a.get("/instances/" + ids[0])
	res := a.post("/instances/"+ids[0]+"/images", url.Values{"name": {"golden"}})
	wantStatus(t, res, http.StatusSeeOther)
	imgID := strings.TrimPrefix(strings.SplitN(res.Header.Get("Location"), "?", 2)[0], "/images/")
	ts.drain(t)

	// Sync: the dialog offers the other three sync regions; others are disabled with a reason.
	page := a.get("/images/" + imgID + "?region=ap-guangzhou")
	var enabled []string
	page.doc.Find(`[data-testid="sync-form"] input[name="destination"]`).Each(func(_ int, s *goquery.Selection) {
		if _, off := s.Attr("disabled"); !off {
			enabled = append(enabled, s.AttrOr("value", ""))
		}
	})
	if strings.Join(enabled, ",") != "ap-shanghai,ap-beijing,ap-hongkong" {
		t.Errorf("enabled destinations %v", enabled)
	}
	if reason := page.doc.Find(`[data-testid="sync-target-na-ashburn"]`).Text(); !strings.Contains(reason, "North America") {
		t.Errorf("North America is not named as the reason: %q", reason)
	}
	res = a.post("/images/"+imgID+"/sync", url.Values{"destination": {"ap-beijing"}})
	wantStatus(t, res, http.StatusSeeOther)
	ts.drain(t)
	if n := len(rowIDs(a.get("/images?region=ap-beijing&tab=custom"))); n != 1 {
		t.Errorf("%d images in Beijing after sync, want the copy", n)
	}
	// A refused sync says why and writes nothing.
	a.get("/images/" + imgID + "?region=ap-guangzhou")
	res = a.post("/images/"+imgID+"/sync", url.Values{"destination": {"na-ashburn"}})
	res = followRefusal(t, a, res, "/images/"+imgID+"?region=ap-guangzhou#sync")
	if code := res.doc.Find(`[data-testid="sync-panel"] [data-testid="alert-code"]`).Text(); code != models.CodeInvalidRegionUnavailable {
		t.Errorf("sync to Virginia: code %q", code)
	}

	// Share with B (and refusals: yourself, unknown account).
	a.get("/images/" + imgID + "?region=ap-guangzhou")
	res = a.post("/images/"+imgID+"/share", url.Values{"accounts": {bID + ", 123456789012"}})
	res = followRefusal(t, a, res, "/images/"+imgID+"?region=ap-guangzhou#share")
	if code := refusalCode(res.doc.Find(`[data-testid="share-panel"]`)); code != models.CodeAccountNotFound {
		t.Errorf("share with an unknown account: code %q", code)
	}
	if n := res.doc.Find(`[data-testid="share-row"]`).Length(); n != 0 {
		t.Errorf("all-or-nothing share left %d recipients", n)
	}
	res = a.post("/images/"+imgID+"/share", url.Values{"accounts": {bID}})
	wantStatus(t, res, http.StatusSeeOther)
	page = a.get("/images/" + imgID + "?region=ap-guangzhou")
	if got := page.doc.Find(`[data-testid="share-count"]`).Text(); got != "1 / 50" {
		t.Errorf("share count %q", got)
	}
	if got := page.doc.Find(`[data-testid="share-remaining"]`).Text(); !strings.Contains(got, "49 more") {
		t.Errorf("share remaining %q, want 49 more", got)
	}
	// R6, said before anyone tries: the delete button is off, with the reason.
	if _, off := page.doc.Find(`button[data-testid="delete-image"]`).Attr("disabled"); !off ||
		!strings.Contains(page.doc.Find(`[data-testid="delete-refusal"]`).Text(), "cancel every share") {
		t.Error("the delete button of a shared image is not off with the reason")
	}

	// B sees it in Guangzhou only, with the warning, and can launch after acknowledging.
	if ids := rowIDs(b.get("/images?region=ap-guangzhou&tab=shared")); len(ids) != 1 || ids[0] != imgID {
		t.Errorf("B's shared tab in Guangzhou: %v", ids)
	}
	if n := len(rowIDs(b.get("/images?region=ap-beijing&tab=shared"))); n != 0 {
		t.Errorf("B sees %d shared images in Beijing", n)
	}
	detail := b.get("/images/" + imgID + "?region=ap-guangzhou")
	if detail.doc.Find(`[data-testid="image-warning"]`).Length() != 1 || detail.doc.Find(`[data-testid="edit-image-form"], [data-testid="delete-image-form"], [data-testid="share-panel"]`).Length() != 0 {
		t.Error("B's view must warn and offer no edit, delete or share")
	}
	b.get("/instances/new?region=ap-guangzhou&image=" + imgID)
	launch := url.Values{"image": {imgID}, "zone": {"ap-guangzhou-4"}, "instance_type": {"S5.SMALL2"}, "count": {"1"}}
	res = b.instancesFollow(b.post("/instances", launch))
	if res.doc.Find(`[data-testid="error-ack_shared"]`).Text() == "" {
		t.Error("no acknowledgement demanded")
	}
	launch.Set("ack_shared", "yes")
	wantStatus(t, b.post("/instances", launch), http.StatusSeeOther)
	ts.drain(t)
	// B cannot rename or delete it.
	b.get("/images?region=ap-guangzhou")
	res = b.post("/images/"+imgID+"/edit", url.Values{"name": {"mine-now"}})
	res = followRefusal(t, b, res, "/images/"+imgID+"?region=ap-guangzhou")
	if code := res.doc.Find(`[data-testid="alert-code"]`).Text(); code != models.CodeSharedImageModify {
		t.Errorf("B renaming: code %q", code)
	}

	// A cannot delete it while shared (R6).
	a.get("/images/" + imgID + "?region=ap-guangzhou")
	res = a.post("/images/"+imgID+"/delete", nil)
	res = followRefusal(t, a, res, "/images/"+imgID+"?region=ap-guangzhou")
	if code := res.doc.Find(`[data-testid="alert-code"]`).Text(); code != models.CodeInvalidImageIDInShared {
		t.Errorf("delete while shared: code %q", code)
	}
	// A cancels; B loses the image, but its instance keeps running.
	a.get("/images/" + imgID + "?region=ap-guangzhou")
	wantStatus(t, a.post("/images/"+imgID+"/unshare", url.Values{"account": {bID}}), http.StatusSeeOther)
	if n := len(rowIDs(b.get("/images?region=ap-guangzhou&tab=shared"))); n != 0 {
		t.Errorf("B still sees %d shared images", n)
	}
	wantStatus(t, b.get("/instances/new?region=ap-guangzhou&image="+imgID), http.StatusNotFound)
	if rows := b.get("/instances?region=ap-guangzhou").doc.Find(`[data-testid="instance-row"][data-state="RUNNING"]`).Length(); rows != 1 {
		t.Errorf("B's instance from the shared image: %d running", rows)
	}
	a.get("/images/" + imgID + "?region=ap-guangzhou")
	wantStatus(t, a.post("/images/"+imgID+"/delete", nil), http.StatusSeeOther)
	// The Beijing copy survives the source's deletion.
	if n := len(rowIDs(a.get("/images?region=ap-beijing&tab=custom"))); n != 1 {
		t.Errorf("the copy did not survive: %d", n)
	}
}

// followRefusal checks that a refused form post went back to the form's
// own page (Post/Redirect/Get) and returns that page as the browser then
// shows it, with the refusal.
func followRefusal(t *testing.T, c *client, res *response, formPage string) *response {
	t.Helper()
	wantStatus(t, res, http.StatusSeeOther)
	if got := res.Header.Get("Location"); got != formPage {
		t.Fatalf("refused post went to %q, want the form's page %q", got, formPage)
	}
	page := c.get(formPage)
	wantStatus(t, page, http.StatusOK)
	return page
}
