package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"imageconsole/models"
)

// mustCustomImage writes a custom image straight to the database.
func mustCustomImage(t *testing.T, ts *testServer, owner, region, name string) models.Image {
	t.Helper()
	img := models.Image{ID: models.NewID("img"), Type: models.TypePrivate, OwnerID: owner, Region: region, Name: name,
		Description: "desc of " + name, OsName: "Ubuntu 22.04", Platform: "Ubuntu", Arch: models.ArchX86, SizeGiB: 20,
		State: models.StateNormal, Source: models.SourceCreate, Creator: owner, QuotaLimit: 1 << 20, CreatedAt: time.Now()}
	if err := ts.store.DB().Create(&img).Error; err != nil {
		t.Fatal(err)
	}
	return img
}

func rowIDs(res *response) []string {
	var ids []string
	res.doc.Find(`[data-testid="image-row"]`).Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("data-image-id")
		ids = append(ids, id)
	})
	return ids
}

func TestImages_TabsPerRegion(t *testing.T) {
	ts := newTestServer(t)
	a := ts.client(t)
	aID := a.signUp("a@example.com")
	b := ts.client(t)
	bID := b.signUp("b@example.com")
	mine := mustCustomImage(t, ts, aID, "ap-guangzhou", "a-golden")
	mustCustomImage(t, ts, aID, "ap-tokyo", "a-tokyo")
	theirs := mustCustomImage(t, ts, bID, "ap-guangzhou", "b-shared")
	ts.store.DB().Create(&models.ImageShare{ImageID: theirs.ID, AccountID: aID})

	tests := []struct {
		name, path string
		wantRows   []string
		wantCounts map[string]string
	}{
		{"OK/Custom", "/images?region=ap-guangzhou&tab=custom", []string{mine.ID}, map[string]string{"common": "36", "market": "12", "custom": "1", "shared": "1"}},
		{"OK/Shared", "/images?region=ap-guangzhou&tab=shared", []string{theirs.ID}, nil},
		{"OK/SharedNotInOtherRegion", "/images?region=ap-shanghai&tab=shared", nil, map[string]string{"custom": "0", "shared": "0"}},
		{"OK/CustomTokyo", "/images?region=ap-tokyo&tab=custom", nil, map[string]string{"custom": "1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := a.get(tt.path)
			wantStatus(t, res, http.StatusOK)
			if tt.wantRows != nil && fmt.Sprint(rowIDs(res)) != fmt.Sprint(tt.wantRows) {
				t.Errorf("rows %v, want %v", rowIDs(res), tt.wantRows)
			}
			for tab, want := range tt.wantCounts {
				if got := res.doc.Find(`[data-testid="count-` + tab + `"]`).Text(); got != want {
					t.Errorf("count %s = %s, want %s", tab, got, want)
				}
			}
		})
	}
	// The shared image is labelled with its owner and as not reviewed.
	res := a.get("/images?region=ap-guangzhou&tab=shared")
	if got := res.doc.Find(`[data-testid="kind-badge"]`).Text(); got != "Not reviewed by the platform" {
		t.Errorf("badge %q", got)
	}
	if !strings.Contains(res.body, "Shared by account "+bID) {
		t.Error("owner's account ID not shown")
	}
	// The region selector remembers the region in the session.
	if got := a.get("/images?tab=custom").doc.Find(`select[name="region"] option[selected]`).AttrOr("value", ""); got != "ap-guangzhou" {
		t.Errorf("remembered region %q", got)
	}
	res = a.get("/images?tab=custom")
	if ids := rowIDs(res); len(ids) != 1 || ids[0] != mine.ID {
		t.Errorf("region not kept: %v", ids)
	}
}

func TestImages_FragmentOrFullPage(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.signUp("frag@example.com")
	tests := []struct {
		name     string
		headers  []string
		wantFull bool
	}{
		{"OK/Plain", nil, true},
		{"OK/HTMX", []string{"HX-Request", "true"}, false},
		{"OK/Boosted", []string{"HX-Request", "true", "HX-Boosted", "true"}, true},
		{"OK/HistoryRestore", []string{"HX-Request", "true", "HX-History-Restore-Request", "true"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := c.get("/images?tab=market&platform=Ubuntu", tt.headers...)
			wantStatus(t, res, http.StatusOK)
			full := strings.Contains(res.body, "<html")
			if full != tt.wantFull {
				t.Errorf("full page = %v, want %v", full, tt.wantFull)
			}
			if res.doc.Find(`#images-panel`).Length() != 1 {
				t.Error("no images panel")
			}
			if !strings.Contains(strings.Join(res.Header.Values("Vary"), ","), "HX-Request") {
				t.Error("missing Vary: HX-Request")
			}
			if n := len(rowIDs(res)); n != 5 {
				t.Errorf("%d Ubuntu market rows, want 5", n)
			}
		})
	}
}

func TestImages_EscapesNames(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	id := c.signUp("xss@example.com")
	img := mustCustomImage(t, ts, id, "ap-guangzhou", `<script>alert("x")</script>`)
	for _, path := range []string{"/images?region=ap-guangzhou&tab=custom", "/images/" + img.ID + "?region=ap-guangzhou"} {
		res := c.get(path)
		wantStatus(t, res, http.StatusOK)
		if strings.Contains(res.body, `<script>alert`) {
			t.Errorf("%s renders the name as markup", path)
		}
		if !strings.Contains(res.body, `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`) {
			t.Errorf("%s does not show the escaped name", path)
		}
		if res.doc.Find("script").Length() != 3 {
			t.Errorf("%s has %d script tags, want only theme.js, htmx and app.js", path, res.doc.Find("script").Length())
		}
	}
}

func TestImages_Detail(t *testing.T) {
	ts := newTestServer(t)
	a := ts.client(t)
	aID := a.signUp("a@example.com")
	b := ts.client(t)
	b.signUp("b@example.com")
	mine := mustCustomImage(t, ts, aID, "ap-guangzhou", "mine")
	var win models.Image
	ts.store.DB().Where("type = ? AND platform = ?", models.TypePublic, "Windows").First(&win)
	var market models.Image
	ts.store.DB().Where("type = ?", models.TypeMarket).Order("id").First(&market)

	tests := []struct {
		name, path string
		status     int
		badge      string
		cost       string
	}{
		{"OK/Own", "/images/" + mine.ID + "?region=ap-guangzhou", 200, "Custom", "Free"},
		{"OK/WindowsMainlandFree", "/images/" + win.ID + "?region=ap-guangzhou", 200, "Official — tested by the platform", "Free"},
		{"OK/WindowsOverseasLicense", "/images/" + win.ID + "?region=ap-hongkong", 200, "Official — tested by the platform", "¥0.1200 per vCPU per hour"},
		{"OK/Market", "/images/" + market.ID + "?region=ap-guangzhou", 200, "Reviewed provider", fmt.Sprintf("¥%.4f per hour", market.HourlyPrice)},
		{"OK/OtherRegionOpensInItsOwn", "/images/" + mine.ID + "?region=ap-tokyo", 200, "Custom", "Free"},
		{"ErrMissing", "/images/img-zzzzzzzz?region=ap-guangzhou", 404, "", ""},
		{"ErrMalformed", "/images/..%2f..%2fetc?region=ap-guangzhou", 404, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := a.get(tt.path)
			wantStatus(t, res, tt.status)
			if tt.status != 200 {
				if res.doc.Find(`[data-testid="error-page"]`).Length() != 1 {
					t.Error("no styled error page")
				}
				return
			}
			if got := res.doc.Find(`[data-testid="kind-badge"]`).First().Text(); got != tt.badge {
				t.Errorf("badge %q, want %q", got, tt.badge)
			}
			if got := res.doc.Find(`[data-testid="image-cost"]`).Text(); got != tt.cost {
				t.Errorf("cost %q, want %q", got, tt.cost)
			}
		})
	}
	// Another account gets the same 404 as for an ID that does not exist.
	other := b.get("/images/" + mine.ID + "?region=ap-guangzhou")
	missing := b.get("/images/img-zzzzzzzz?region=ap-guangzhou")
	wantStatus(t, other, 404)
	if other.doc.Find("main").Text() != missing.doc.Find("main").Text() {
		t.Error("the 404 for another account's image differs from a missing one")
	}
}

func TestImages_BadParamsNever500(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.signUp("bad@example.com")
	long := strings.Repeat("x", 2048)
	for _, q := range []string{"page=-1", "page=abc", "page=99999999999999999999", "platform=Plan9", "arch=sparc",
		"tab=nope", "sort=drop", "region=mars-1", "state=%00", "q=" + long, "q=%25%5F%27%22", "q=%ff%fe"} {
		res := c.get("/images?" + q)
		// A search over the limit is refused (422, said by the search box).
		want := http.StatusOK
		if q == "q="+long {
			want = http.StatusUnprocessableEntity
		}
		wantStatus(t, res, want)
		if res.doc.Find(`#images-panel`).Length() != 1 {
			t.Errorf("%s: no images panel", q)
		}
	}
	res := c.get("/images?q=" + long)
	if v, _ := res.doc.Find(`#image-search`).Attr("value"); len(v) != models.MaxSearch {
		t.Errorf("search kept %d characters, want %d", len(v), models.MaxSearch)
	}
}

func TestImages_PaginationLinks(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.signUp("page@example.com")
	res := c.get("/images?region=ap-beijing&tab=common&sort=name")
	if n := len(rowIDs(res)); n != 20 {
		t.Fatalf("first page has %d rows", n)
	}
	next, ok := res.doc.Find(`[data-testid="next-page"]`).Attr("href")
	if !ok || !strings.Contains(next, "page=2") || !strings.Contains(next, "sort=name") || !strings.Contains(next, "region=ap-beijing") {
		t.Fatalf("next link %q does not keep the view", next)
	}
	res2 := c.get(next)
	if n := len(rowIDs(res2)); n != 16 {
		t.Errorf("second page has %d rows, want 16", n)
	}
	if res2.doc.Find(`[data-testid="next-page"]`).Length() != 0 {
		t.Error("last page links to a next page")
	}
}

func TestImages_RegionSwitchKeepsTheView(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	id := c.signUp("switch@example.com")
	res := c.get("/images?region=ap-tokyo&tab=market&platform=Ubuntu&page=2")
	form := res.doc.Find(`form[data-autosubmit]`).First()
	if form.AttrOr("action", "") != "/region" || form.AttrOr("method", "") != "post" {
		t.Errorf("region form is %s %q, want a POST to /region", form.AttrOr("method", ""), form.AttrOr("action", ""))
	}
	next := form.Find(`input[name="next"]`).AttrOr("value", "")
	res = c.post("/region", url.Values{"region": {"ap-beijing"}, "next": {next}})
	wantStatus(t, res, http.StatusSeeOther)
	u, _ := url.Parse(res.Header.Get("Location"))
	if q := u.Query(); u.Path != "/images" || q.Get("tab") != "market" || q.Get("platform") != "Ubuntu" || q.Has("page") || q.Get("region") != "ap-beijing" {
		t.Errorf("switched to %s: want the same tab and filters in Beijing, not the page", u)
	}
	// A custom image lives in one region: switching goes to the list.
	img := mustCustomImage(t, ts, id, "ap-tokyo", "tokyo-only")
	res = c.get("/images/" + img.ID + "?region=ap-tokyo")
	if next := res.doc.Find(`form[data-autosubmit] input[name="next"]`).AttrOr("value", ""); !strings.HasPrefix(next, "/images?") && next != "/images" {
		t.Errorf("region form on a custom image returns to %q", next)
	}
}
