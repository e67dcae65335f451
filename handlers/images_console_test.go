package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"imageconsole/models"
	"imageconsole/models/i18n"
)

// consoleImages is a world for the image pages: A owns a Guangzhou image
// shared with B and synced to Shanghai and Hong Kong (still syncing); C
// sees none of it.
type consoleImages struct {
	ts         *testServer
	a, b, c    *client
	aID, bID   string
	img        models.Image
	copies     []models.SyncedImage
	missingKey int64
}

func newConsoleImages(t *testing.T) *consoleImages {
	t.Helper()
	w := &consoleImages{ts: newTestServer(t), missingKey: i18n.Missing()}
	w.ts.store.Limits.DailyOps = 50
	w.a, w.b, w.c = w.ts.client(t), w.ts.client(t), w.ts.client(t)
	w.aID, w.bID = w.a.signUp("a@example.com"), w.b.signUp("b@example.com")
	w.c.signUp("c@example.com")
	w.img = mustCustomImage(t, w.ts, w.aID, "ap-guangzhou", "golden")
	ctx := t.Context()
	actor := models.Actor{AccountID: w.aID, Via: models.ViaConsole}
	if err := w.ts.store.ShareImage(ctx, actor, "ap-guangzhou", w.img.ID, []string{w.bID}); err != nil {
		t.Fatal(err)
	}
	var err error
	w.copies, err = w.ts.store.SyncImage(ctx, actor, "ap-guangzhou", w.img.ID, []string{"ap-shanghai", "ap-hongkong"}, "", false)
	if err != nil {
		t.Fatal(err)
	}
	// Every text the tests render comes from the catalogue, in both languages.
	t.Cleanup(func() {
		if n := i18n.Missing() - w.missingKey; n != 0 {
			t.Errorf("%d lookups of keys the catalogue lacks: %v", n, i18n.MissingIDs())
		}
	})
	return w
}

func TestImages_OpenFromAnyRegion(t *testing.T) {
	w := newConsoleImages(t)
	tests := []struct {
		name   string
		who    *client
		path   string
		status int
		region string // the region the page shows and acts in
	}{
		{"OK/OwnFromShanghai", w.a, "/images/" + w.img.ID + "?region=ap-shanghai", 200, "ap-guangzhou"},
		{"OK/OwnWithoutRegion", w.a, "/images/" + w.img.ID, 200, "ap-guangzhou"},
		{"OK/CopyFromSource", w.a, "/images/" + w.copies[1].ImageID + "?region=ap-guangzhou", 200, "ap-hongkong"},
		{"OK/SharedFromTokyo", w.b, "/images/" + w.img.ID + "?region=ap-tokyo", 200, "ap-guangzhou"},
		{"OK/CommonStaysInView", w.a, "/images/" + commonImageID(t, w.ts, "Ubuntu", models.ArchX86) + "?region=ap-tokyo", 200, "ap-tokyo"},
		{"ErrNotSharedWithCaller", w.c, "/images/" + w.img.ID + "?region=ap-guangzhou", 404, ""},
		{"ErrMissing", w.a, "/images/img-zzzzzzzz?region=ap-shanghai", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := tt.who.get(tt.path)
			wantStatus(t, res, tt.status)
			if tt.status != 200 {
				return
			}
			if got := res.doc.Find(`select[name="region"] option[selected]`).AttrOr("value", ""); got != tt.region {
				t.Errorf("region in view %q, want %q", got, tt.region)
			}
			// Every form on the page acts in the image's region.
			res.doc.Find(`main form[method="post"]`).Each(func(_ int, f *goquery.Selection) {
				if a := f.AttrOr("action", ""); !strings.HasSuffix(a, "?region="+tt.region) {
					t.Errorf("form %s does not act in %s", a, tt.region)
				}
			})
		})
	}
	// The live status of a copy polls in the copy's region, from anywhere.
	res := w.a.get("/images/"+w.copies[0].ImageID+"/status?region=ap-guangzhou", "HX-Request", "true")
	wantStatus(t, res, http.StatusOK)
	if got := res.doc.Find(`[data-testid="image-status"]`).AttrOr("hx-get", ""); !strings.HasSuffix(got, "?region=ap-shanghai") {
		t.Errorf("copy status polls %q", got)
	}
}

func TestImages_SyncCopiesLive(t *testing.T) {
	w := newConsoleImages(t)
	page := w.a.get("/images/" + w.img.ID + "?region=ap-guangzhou")
	card := page.doc.Find(`[data-testid="sync-panel"] [data-testid="sync-copies"]`)
	if card.AttrOr("data-live", "") != "true" || card.AttrOr("hx-get", "") != "/images/"+w.img.ID+"?region=ap-guangzhou" {
		t.Errorf("the copies card does not poll while copies sync: live %q, hx-get %q", card.AttrOr("data-live", ""), card.AttrOr("hx-get", ""))
	}
	var got []string
	card.Find(`[data-testid="sync-copy"]`).Each(func(_ int, s *goquery.Selection) {
		got = append(got, s.AttrOr("data-region", "")+" "+s.AttrOr("data-state", "")+" "+s.Find(`[data-testid="sync-copy-link"]`).AttrOr("href", ""))
	})
	want := []string{"ap-shanghai SYNCING /images/" + w.copies[0].ImageID + "?region=ap-shanghai",
		"ap-hongkong SYNCING /images/" + w.copies[1].ImageID + "?region=ap-hongkong"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("copies %v, want %v", got, want)
	}
	if card.Find(`[data-testid="progress"]`).Length() != 2 {
		t.Error("syncing copies show no progress")
	}
	// Once the copies are done, the fragment says so and stops polling.
	w.ts.drain(t)
	frag := w.a.get("/images/"+w.img.ID+"?region=ap-guangzhou", "HX-Request", "true", "HX-Target", "sync-copies")
	wantStatus(t, frag, http.StatusOK)
	done := frag.doc.Find(`[data-testid="sync-copies"]`)
	if strings.Contains(frag.body, "<html") {
		t.Error("the poll got the whole page")
	}
	if _, polls := done.Attr("hx-get"); polls || done.Find(`[data-testid="sync-copy"][data-state="NORMAL"]`).Length() != 2 {
		t.Errorf("after the sync: polling %v, %d NORMAL copies", polls, done.Find(`[data-testid="sync-copy"][data-state="NORMAL"]`).Length())
	}
	// Only the owner follows the copies.
	if frag := w.b.get("/images/"+w.img.ID+"?region=ap-guangzhou", "HX-Request", "true", "HX-Target", "sync-copies"); frag.StatusCode != http.StatusNotFound {
		t.Errorf("a recipient polls the copies: status %d", frag.StatusCode)
	}
	// A copy has no copies of its own.
	cp := w.a.get("/images/" + w.copies[0].ImageID + "?region=ap-shanghai")
	if cp.doc.Find(`[data-testid="sync-copies-empty"]`).Length() != 1 {
		t.Error("a copy's card does not say it has no copies")
	}
}

func TestImages_RefusalsArePostRedirectGet(t *testing.T) {
	w := newConsoleImages(t)
	page := "/images/" + w.img.ID + "?region=ap-guangzhou"
	tests := []struct {
		name, action string
		form         url.Values
		where        string // the element that shows the refusal
		code         string
		keep         string // a typed value the form shows again
		keepSel      string
		anchor       string // where the page opens: at the refused form
	}{
		{"ErrShareUnknownAccount", "share", url.Values{"accounts": {"123456789012"}}, `[data-testid="error-accounts"]`, models.CodeAccountNotFound,
			"123456789012", `[data-testid="share-form"] input[name="accounts"]`, "#share"},
		{"ErrSyncNorthAmerica", "sync", url.Values{"destination": {"na-ashburn"}, "name": {"keep-me"}}, `[data-testid="sync-panel"] [data-testid="alert-code"]`,
			models.CodeInvalidRegionUnavailable, "keep-me", `[data-testid="sync-form"] input[name="name"]`, "#sync"},
		{"ErrEditName", "edit", url.Values{"name": {strings.Repeat("n", models.MaxImageName+1)}, "description": {"typed"}}, `[data-testid="error-name"]`,
			"", "typed", `[data-testid="edit-image-form"] textarea[name="description"]`, "#edit-dialog"},
		{"ErrDeleteShared", "delete", nil, `[data-testid="alert-code"]`, models.CodeInvalidImageIDInShared, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w.a.get(page)
			res := w.a.post("/images/"+w.img.ID+"/"+tt.action+"?region=ap-guangzhou", tt.form)
			got := followRefusal(t, w.a, res, page+tt.anchor)
			if tt.anchor != "" && got.doc.Find(tt.anchor).Length() != 1 {
				t.Errorf("the page has no %s to open at", tt.anchor)
			}
			el := got.doc.Find(tt.where)
			if el.Length() == 0 {
				t.Fatalf("the page does not show the refusal at %s", tt.where)
			}
			if tt.code != "" && !strings.Contains(el.Text()+el.AttrOr("data-code", ""), tt.code) {
				t.Errorf("refusal %q, want code %s", el.Text(), tt.code)
			}
			if tt.keepSel != "" {
				v := got.doc.Find(tt.keepSel)
				if val := v.AttrOr("value", strings.TrimSpace(v.Text())); val != tt.keep {
					t.Errorf("typed value %q not kept, got %q", tt.keep, val)
				}
			}
			// A reload shows the page as it is: no error, nothing resubmitted.
			again := w.a.get(page)
			if again.doc.Find(tt.where).Length() != 0 && tt.action != "delete" {
				t.Error("the refusal shows again on reload")
			}
		})
	}
	// Nothing was written by the refusals: still one share, two copies, the old name.
	img, err := w.ts.store.Image(t.Context(), w.aID, "ap-guangzhou", w.img.ID)
	if err != nil || img.ShareCount != 1 || img.Name != "golden" {
		t.Errorf("after refusals: %+v, %v", img, err)
	}
	// A success ends on the page too, with the notice in the reader's words.
	res := w.a.post("/images/"+w.img.ID+"/unshare?region=ap-guangzhou", url.Values{"account": {w.bID}})
	wantStatus(t, res, http.StatusSeeOther)
	if res.Header.Get("Location") != page {
		t.Errorf("unshare went to %q", res.Header.Get("Location"))
	}
	if got := w.a.get(page).body; !strings.Contains(got, "Share cancelled.") {
		t.Error("no notice after the unshare")
	}
}

func TestImages_Words(t *testing.T) {
	w := newConsoleImages(t)
	w.ts.drain(t)
	var market models.Image
	w.ts.store.DB().Where("type = ? AND platform = ?", models.TypeMarket, "Windows").First(&market)
	paths := []string{"/images?region=ap-guangzhou&tab=custom", "/images?region=ap-hongkong&tab=market", "/images?region=ap-guangzhou&tab=common",
		"/images/" + w.img.ID + "?region=ap-guangzhou", "/images/" + market.ID + "?region=ap-hongkong", "/images/" + w.copies[0].ImageID}
	raw := regexp.MustCompile(`\bR[0-9]\b|PRIVATE_IMAGE|PUBLIC_IMAGE|MARKET_IMAGE|CREATE_IMAGE|EXTERNAL_IMPORT|arm_64|\(s\)|\d{4}-\d\d-\d\dT\d\d:\d\d`)
	for _, l := range []string{"en", "zh-CN"} {
		for _, p := range paths {
			res := w.a.get(p, "Accept-Language", l)
			wantStatus(t, res, http.StatusOK)
			if m := raw.FindString(res.doc.Find("main").Text()); m != "" {
				t.Errorf("%s (%s) shows %q", p, l, m)
			}
		}
	}
	// The delete refusal counts the accounts in real words.
	if got := w.a.get("/images/" + w.img.ID + "?region=ap-guangzhou").doc.Find(`[data-testid="delete-refusal"]`).Text(); !strings.Contains(got, "shared with 1 account:") {
		t.Errorf("delete refusal %q", got)
	}
	ctx := t.Context()
	c := w.ts.client(t)
	cID := c.signUp("d@example.com")
	w.ts.store.ShareImage(ctx, models.Actor{AccountID: w.aID, Via: models.ViaConsole}, "ap-guangzhou", w.img.ID, []string{cID})
	if got := w.a.get("/images/" + w.img.ID + "?region=ap-guangzhou").doc.Find(`[data-testid="delete-refusal"]`).Text(); !strings.Contains(got, "shared with 2 accounts:") {
		t.Errorf("delete refusal %q", got)
	}
	// A market image names its provider, not an account number, and a
	// Windows one overseas says its licence is in the price.
	detail := w.a.get("/images/" + market.ID + "?region=ap-hongkong")
	attrs := detail.doc.Find(`[data-testid="image-attributes"]`).Text()
	if !strings.Contains(attrs, "Provider"+market.Provider) || !strings.Contains(attrs, "Windows licence included in the provider's price") {
		t.Errorf("market attributes %q", attrs)
	}
	list := w.a.get("/images?region=ap-hongkong&tab=market&platform=Windows")
	row := list.doc.Find(`[data-image-id="` + market.ID + `"]`)
	if p := row.Find(`[data-testid="image-price"]`).Text(); !strings.Contains(p, "per hour") || !strings.Contains(p, "licence included") {
		t.Errorf("market price cell %q", p)
	}
}

func TestImages_ListAffordances(t *testing.T) {
	w := newConsoleImages(t)
	w.ts.drain(t)
	mustCustomImage(t, w.ts, w.aID, "ap-guangzhou", "plain")
	res := w.a.get("/images?region=ap-guangzhou&tab=custom")
	shared := res.doc.Find(`[data-image-id="` + w.img.ID + `"]`)
	if shared.Find(`[data-testid="shared-marker"]`).Length() != 1 || res.doc.Find(`[data-testid="shared-marker"]`).Length() != 1 {
		t.Error("the shared marker is not on the shared image only")
	}
	for action, want := range map[string]string{"row-share": "open=share", "row-sync": "open=sync", "row-delete": "open=delete", "row-launch": "/instances/new?"} {
		if href := shared.Find(`[data-testid="`+action+`"]`).AttrOr("href", ""); !strings.Contains(href, want) || !strings.Contains(href, "region=ap-guangzhou") {
			t.Errorf("%s links to %q", action, href)
		}
	}
	if shared.Find(`button[data-testid="copy-id"][data-copy="id-`+w.img.ID+`"]`).Length() != 1 || strings.TrimSpace(shared.Find(`#id-`+w.img.ID).Text()) != w.img.ID {
		t.Error("no copy button for the ID")
	}
	// The row action opens the dialog on the detail page.
	detail := w.a.get("/images/" + w.img.ID + "?region=ap-guangzhou&open=sync")
	if _, open := detail.doc.Find(`dialog#sync-dialog`).Attr("data-open-on-load"); !open {
		t.Error("open=sync does not open the sync dialog")
	}
	// The Market tab has a price column; the others do not.
	if n := w.a.get("/images?region=ap-guangzhou&tab=market").doc.Find(`[data-testid="image-price"]`).Length(); n == 0 {
		t.Error("no price column on the Market tab")
	}
	if n := res.doc.Find(`[data-testid="image-price"]`).Length(); n != 0 {
		t.Error("a price column on the Custom tab")
	}
}

func TestImages_Chinese(t *testing.T) {
	w := newConsoleImages(t)
	// A first visit asks in Chinese; then the switch is remembered.
	res := w.a.get("/images?region=ap-guangzhou&tab=custom", "Accept-Language", "zh-CN,zh;q=0.9")
	if h1 := strings.TrimSpace(res.doc.Find("main h1").First().Text()); h1 != "镜像" {
		t.Errorf("heading %q, want 镜像", h1)
	}
	if tab := res.doc.Find(`[data-testid="tab-custom"]`).Text(); !strings.Contains(tab, "自定义镜像") {
		t.Errorf("custom tab %q", tab)
	}
	w.a.post("/lang", url.Values{"lang": {"zh-CN"}, "next": {"/images"}})
	detail := w.a.get("/images/" + w.img.ID + "?region=ap-guangzhou")
	// States are named, not shown as codes: the image and its copies.
	detail.doc.Find(`[data-testid="state"]`).Each(func(_ int, s *goquery.Selection) {
		if want := map[string]string{"NORMAL": "正常", "SYNCING": "同步中"}[s.AttrOr("data-state", "")]; s.Text() != want {
			t.Errorf("state %s shown as %q, want %q", s.AttrOr("data-state", ""), s.Text(), want)
		}
	})
	if detail.doc.Find(`[data-testid="state"]`).Length() < 2 {
		t.Error("the detail page shows no state badges")
	}
	for sel, want := range map[string]string{"#attributes-title": "基本信息", "#share-title": "共享", "#sync-title": "同步到其他地域"} {
		if got := strings.TrimSpace(detail.doc.Find(sel).Text()); !strings.HasPrefix(got, want) {
			t.Errorf("%s = %q, want %s", sel, got, want)
		}
	}
	if got := detail.doc.Find(`[data-testid="delete-refusal"]`).Text(); !strings.Contains(got, "1 个账号") {
		t.Errorf("delete refusal in Chinese %q", got)
	}
	if got := detail.doc.Find(`[data-testid="sync-copy"]`).First().Text(); !strings.Contains(got, "上海") {
		t.Errorf("copy region in Chinese %q", got)
	}
	// The recipient's warning is in the reader's language too.
	if got := w.b.get("/images/"+w.img.ID+"?region=ap-guangzhou", "Accept-Language", "zh-CN").doc.Find(`[data-testid="image-warning"]`).Text(); !strings.Contains(got, "未经平台审核") {
		t.Errorf("shared warning in Chinese %q", got)
	}
	// A refused share comes back in Chinese, next to the field.
	w.a.get("/images/" + w.img.ID + "?region=ap-guangzhou")
	back := followRefusal(t, w.a, w.a.post("/images/"+w.img.ID+"/share?region=ap-guangzhou", url.Values{"accounts": {"123456789012"}}),
		"/images/"+w.img.ID+"?region=ap-guangzhou#share")
	if back.doc.Find(`[data-testid="error-accounts"]`).Length() != 1 {
		t.Error("the refused share is not next to the field")
	}
	if notice := w.a.get("/images/" + w.img.ID + "?region=ap-guangzhou").doc.Find(`[data-testid="share-dialog-title"], #share-dialog-title`).Text(); notice != "共享镜像" {
		t.Errorf("share dialog title %q", notice)
	}
}
