package handlers_test

import (
	"bytes"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"imageconsole/models"
	"imageconsole/models/blob"
	"imageconsole/models/i18n"
	"imageconsole/models/imagefmt"
)

// TestImport_BadUploadRefusedAtOnce: a 39-byte text file is refused at
// once, spending nothing; the browser is sent back to the form (303), which
// shows the formats next to the file field and keeps what was typed.
func TestImport_BadUploadRefusedAtOnce(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	id := c.signUp("alice@example.com")
	c.get("/images/import?region=ap-guangzhou")
	text := []byte("this is not a disk image, just text.\n\n\n")
	if len(text) != 39 {
		t.Fatalf("the test file is %d bytes", len(text))
	}
	res := c.postMultipart("/images/import", map[string]string{"region": "ap-guangzhou", "name": "notes", "description": "kept",
		"os": "Debian|12", "arch": "x86_64", "license": "BYOL"}, text)
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/images/import?region=ap-guangzhou" {
		t.Fatalf("redirected to %q, want the form", loc)
	}
	page := c.get(res.Header.Get("Location"))
	wantStatus(t, page, http.StatusOK)
	msg := page.doc.Find(`[data-testid="error-file"]`).Text()
	if !strings.Contains(msg, imagefmt.FormatList()) || !strings.Contains(msg, "Choose the file again") {
		t.Errorf("file error %q: want the formats listed and the file to be chosen again", msg)
	}
	if got := page.doc.Find(`#name`).AttrOr("value", ""); got != "notes" {
		t.Errorf("name %q, want the typed value back", got)
	}
	if got := page.doc.Find(`#os option[selected]`).AttrOr("value", ""); got != "Debian|12" {
		t.Errorf("OS %q, want the chosen one back", got)
	}
	u, err := ts.store.QuotaUsage(t.Context(), id, "ap-guangzhou")
	if err != nil {
		t.Fatal(err)
	}
	var images, ops int64
	ts.store.DB().Model(&models.Image{}).Where("owner_id = ?", id).Count(&images)
	ts.store.DB().Model(&models.Operation{}).Where("account_id = ?", id).Count(&ops)
	if u.ImagesUsed != 0 || u.OpsUsed != 0 || images != 0 || ops != 0 {
		t.Errorf("a refused upload spent: %d slots, %d operations; %d images, %d log rows", u.ImagesUsed, u.OpsUsed, images, ops)
	}
	if staged, _ := filepath.Glob(filepath.Join(ts.store.Blobs.(*blob.Dir).Root, "upload-*")); len(staged) != 0 {
		t.Errorf("staged uploads left: %v", staged)
	}
	// A reload shows the form as it is now: the refusal was read once.
	if again := c.get("/images/import?region=ap-guangzhou"); again.doc.Find(`[data-testid="error-file"]`).Length() != 0 {
		t.Error("the refusal is shown again on reload")
	}
}

// TestImport_FormDefaults: the form starts on a current OS (not end-of-life
// CentOS 7) and names each architecture once, without raw spellings.
func TestImport_FormDefaults(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.signUp("alice@example.com")
	page := c.get("/images/import?region=ap-guangzhou")
	wantStatus(t, page, http.StatusOK)
	if got := page.doc.Find(`#os option[selected]`).AttrOr("value", ""); got != "Ubuntu|24.04" {
		t.Errorf("default OS %q, want Ubuntu|24.04", got)
	}
	var archs []string
	page.doc.Find(`#arch option`).Each(func(_ int, s *goquery.Selection) { archs = append(archs, s.Text()) })
	if strings.Join(archs, ",") != "x86_64,i386,ARM64" {
		t.Errorf("architectures %v", archs)
	}
	page.doc.Find(`#os option`).Each(func(_ int, s *goquery.Selection) {
		if strings.Contains(s.Text(), "Windows Windows") {
			t.Errorf("OS label %q", s.Text())
		}
	})
	if body := page.doc.Find("main").Text(); strings.Contains(body, "arm_64") || strings.Contains(body, "IMPORTING") {
		t.Errorf("raw codes on the page: %.300s", body)
	}
}

// TestImport_LimitFullDisablesSubmit: with the custom-image quota or the
// day's operations used up, the Import button is disabled and says why.
func TestImport_LimitFullDisablesSubmit(t *testing.T) {
	tests := []struct {
		name   string
		limits func(*models.Limits)
		why    string
	}{
		{"ImagesFull", func(l *models.Limits) { l.CustomImages = 1 }, "custom image"},
		{"OperationsFull", func(l *models.Limits) { l.DailyOps = 1 }, "operation"},
		{"OK", func(*models.Limits) {}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := newTestServer(t)
			tt.limits(&ts.store.Limits)
			c := ts.client(t)
			id := c.signUp("alice@example.com")
			in := models.ImportInput{ImageInput: models.ImageInput{Region: "ap-guangzhou", Name: "first"}, OsType: "Ubuntu", OsVersion: "22.04", Arch: "x86_64"}
			if _, err := ts.store.ImportUpload(t.Context(), models.Actor{AccountID: id, Via: models.ViaConsole}, in, bytes.NewReader(imagefmt.BuildQCOW2(1<<30))); err != nil {
				t.Fatal(err)
			}
			page := c.get("/images/import?region=ap-guangzhou")
			btn := page.doc.Find(`[data-testid="import-submit"]`)
			_, disabled := btn.Attr("disabled")
			why := page.doc.Find(`[data-testid="import-blocked"]`).Text()
			if tt.why == "" {
				if disabled || why != "" {
					t.Errorf("disabled %v (%q) with room left", disabled, why)
				}
				return
			}
			if !disabled || !strings.Contains(why, tt.why) || btn.AttrOr("aria-describedby", "") != "import-blocked" {
				t.Errorf("disabled %v, reason %q: want disabled and %q", disabled, why, tt.why)
			}
			// The store still refuses a post made anyway.
			res := c.postMultipart("/images/import", map[string]string{"region": "ap-guangzhou", "name": "second", "os": "Ubuntu|22.04", "arch": "x86_64"},
				imagefmt.BuildQCOW2(1<<30))
			wantStatus(t, res, http.StatusSeeOther)
			if code := refusalCode(c.get(res.Header.Get("Location")).doc.Selection); code != models.CodeImageQuota && code != models.CodeDailyOps {
				t.Errorf("a post over the limit: code %q", code)
			}
		})
	}
}

// TestImport_Chinese: the form renders in Simplified Chinese with every
// text found in the catalogue.
func TestImport_Chinese(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.signUp("alice@example.com")
	before := i18n.Missing()
	page := c.get("/images/import?region=ap-guangzhou", "Accept-Language", "zh-CN,zh;q=0.9")
	wantStatus(t, page, http.StatusOK)
	main := page.doc.Find("main").Text()
	for _, want := range []string{"导入镜像", "开始导入", "操作系统", "支持的格式"} {
		if !strings.Contains(main, want) {
			t.Errorf("no %q on the Chinese page", want)
		}
	}
	if strings.Contains(main, "Start import") {
		t.Error("English text on the Chinese page")
	}
	if i18n.Missing() != before {
		t.Errorf("%d catalogue lookups missed", i18n.Missing()-before)
	}
}

// afterRefusal asserts a refused form post answered the Post/Redirect/Get
// way (303 to a page of the console) and opens that page, where the
// refusal is shown.
func afterRefusal(t *testing.T, c *client, res *response) *response {
	t.Helper()
	wantStatus(t, res, http.StatusSeeOther)
	loc := res.Header.Get("Location")
	if !strings.HasPrefix(loc, "/") {
		t.Fatalf("a refusal redirected to %q", loc)
	}
	page := c.get(loc)
	wantStatus(t, page, http.StatusOK)
	return page
}
