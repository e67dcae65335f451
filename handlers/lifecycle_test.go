package handlers_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"imageconsole/models"
	"imageconsole/models/blob"
	"imageconsole/models/imagefmt"
)

// commonImageID returns a seeded common image.
func commonImageID(t *testing.T, ts *testServer, platform, arch string) string {
	t.Helper()
	var img models.Image
	if err := ts.store.DB().Where("type = ? AND platform = ? AND arch = ?", models.TypePublic, platform, arch).Order("id").First(&img).Error; err != nil {
		t.Fatal(err)
	}
	return img.ID
}

// launch starts n instances through the wizard and returns their IDs.
func (c *client) launch(image string, n int) []string {
	c.t.Helper()
	c.get("/instances/new?region=ap-guangzhou&image=" + image)
	res := c.post("/instances", url.Values{"image": {image}, "zone": {"ap-guangzhou-3"}, "instance_type": {"S5.MEDIUM4"},
		"count": {fmt.Sprint(n)}, "name": {"web"}})
	wantStatus(c.t, res, http.StatusSeeOther)
	var ids []string
	c.get("/instances?region=ap-guangzhou").doc.Find(`[data-testid="instance-row"]`).Each(func(_ int, s *goquery.Selection) {
		ids = append(ids, s.AttrOr("data-instance-id", ""))
	})
	return ids
}

func TestConsole_LaunchAndInstanceActions(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.signUp("ops@example.com")
	ubuntu := commonImageID(t, ts, "Ubuntu", models.ArchX86)

	// The wizard offers only types that can run the image, with prices.
	page := c.get("/instances/new?region=ap-guangzhou&image=" + commonImageID(t, ts, "Ubuntu", models.ArchARM))
	wantStatus(t, page, http.StatusOK)
	if opts := page.doc.Find(`select[name="instance_type"] option`); opts.Length() != 2 || !strings.HasPrefix(opts.First().AttrOr("value", ""), "SR1.") {
		t.Errorf("arm image offers %d types starting %q", opts.Length(), opts.First().AttrOr("value", ""))
	}
	// The price preview follows the choices.
	q := c.get("/instances/quote?region=ap-hongkong&image="+commonImageID(t, ts, "Windows", models.ArchX86)+"&zone=ap-hongkong-2&instance_type=S5.MEDIUM4&count=2", "HX-Request", "true")
	if got := q.doc.Find(`[data-testid="quote-total"]`).Text(); got != "¥1.2480/hour" {
		t.Errorf("quote total %q, want ¥1.2480/hour", got)
	}
	if got := q.doc.Find(`[data-testid="quote-image"]`).Text(); got != "¥0.2400" {
		t.Errorf("quote image %q, want the Windows license ¥0.2400", got)
	}

	ids := c.launch(ubuntu, 2)
	if len(ids) != 2 {
		t.Fatalf("%d instances listed", len(ids))
	}
	row := c.get("/instances/"+ids[0]+"/row", "HX-Request", "true")
	if row.doc.Find(`tr`).AttrOr("data-state", "") != models.InstancePending || row.doc.Find(`tr[hx-trigger]`).Length() != 1 {
		t.Errorf("a pending row must show PENDING and poll: %.300s", row.body)
	}
	ts.drain(t)
	row = c.get("/instances/"+ids[0]+"/row", "HX-Request", "true")
	if row.doc.Find(`tr`).AttrOr("data-state", "") != models.InstanceRunning || row.doc.Find(`tr[hx-trigger]`).Length() != 0 {
		t.Errorf("a running row must show RUNNING and stop polling: %.300s", row.body)
	}

	// htmx: the action answers with the updated row.
	res := c.post("/instances/"+ids[0]+"/stop", nil)
	wantStatus(t, res, http.StatusSeeOther)
	req := httptest.NewRequest(http.MethodPost, ts.URL+"/instances/"+ids[1]+"/reboot", strings.NewReader(url.Values{"_csrf": {c.csrf}}.Encode()))
	req.RequestURI = ""
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	res = c.do(req)
	wantStatus(t, res, http.StatusOK)
	if res.doc.Find(`tr`).AttrOr("data-state", "") != models.InstanceRebooting {
		t.Errorf("htmx reboot answered %.300s", res.body)
	}
	// A refused action shows the rule and its code, and changes nothing.
	res = c.instancesFollow(c.post("/instances/"+ids[0]+"/start", nil)) // STOPPING, not STOPPED yet
	if code := res.doc.Find(`[data-testid="alert-code"]`).Text(); code != "UnsupportedOperation.InstanceStateStopping" {
		t.Errorf("alert code %q", code)
	}
	ts.drain(t)
	res = c.post("/instances/"+ids[0]+"/terminate", nil)
	wantStatus(t, res, http.StatusSeeOther)
	ts.drain(t)
	if row := c.get("/instances/"+ids[0]+"/row", "HX-Request", "true"); strings.TrimSpace(row.body) != "" {
		t.Errorf("a terminated instance's row should vanish, got %.200s", row.body)
	}
	// Another account cannot see or act on the instance.
	other := ts.client(t)
	other.signUp("other@example.com")
	wantStatus(t, other.get("/instances/"+ids[1]), http.StatusNotFound)
	other.get("/instances")
	wantStatus(t, other.post("/instances/"+ids[1]+"/stop", nil), http.StatusNotFound)
	if in, _ := ts.store.Instance(t.Context(), mustAccountID(t, ts, "ops@example.com"), ids[1]); in.State != models.InstanceRunning {
		t.Errorf("another account changed the instance to %s", in.State)
	}
}

func mustAccountID(t *testing.T, ts *testServer, email string) string {
	t.Helper()
	a, err := ts.store.AccountByEmail(t.Context(), email)
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}

func TestConsole_CustomImageLifecycle(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.signUp("img@example.com")
	ids := c.launch(commonImageID(t, ts, "Debian", models.ArchX86), 1)
	ts.drain(t)

	// Create from the instance: CREATING with progress, then NORMAL.
	c.get("/instances/" + ids[0])
	res := c.post("/instances/"+ids[0]+"/images", url.Values{"name": {"golden"}, "description": {"base"}})
	wantStatus(t, res, http.StatusSeeOther)
	imgPath := res.Header.Get("Location")
	detail := c.get(imgPath)
	if st := detail.doc.Find(`[data-testid="image-status"]`); st.AttrOr("data-state", "") != models.StateCreating || st.AttrOr("hx-trigger", "") == "" {
		t.Errorf("new image status %q polling %q", st.AttrOr("data-state", ""), st.AttrOr("hx-trigger", ""))
	}
	id := strings.TrimPrefix(strings.SplitN(imgPath, "?", 2)[0], "/images/")
	ts.drain(t)
	st := c.get("/images/"+id+"/status?region=ap-guangzhou", "HX-Request", "true").doc.Find(`[data-testid="image-status"]`)
	if st.AttrOr("data-state", "") != models.StateNormal || st.AttrOr("hx-trigger", "") != "" {
		t.Errorf("finished image status %q, still polling %q", st.AttrOr("data-state", ""), st.AttrOr("hx-trigger", ""))
	}

	// Duplicate name: the message next to the field, nothing written.
	c.get("/instances/" + ids[0])
	res = c.instancesFollow(c.post("/instances/"+ids[0]+"/images", url.Values{"name": {"golden"}}))
	if msg := res.doc.Find(`[data-testid="error-name"]`).Text(); !strings.Contains(msg, "already have an image named golden") {
		t.Errorf("name error %q", msg)
	}

	// Rename, then delete.
	c.get("/images/" + id + "?region=ap-guangzhou")
	wantStatus(t, c.post("/images/"+id+"/edit", url.Values{"name": {"golden-v2"}, "description": {"v2"}}), http.StatusSeeOther)
	if got := c.get("/images/" + id + "?region=ap-guangzhou").doc.Find(`[data-testid="image-title"]`).Text(); got != "golden-v2" {
		t.Errorf("title after rename %q", got)
	}
	wantStatus(t, c.post("/images/"+id+"/delete", nil), http.StatusSeeOther)
	wantStatus(t, c.get("/images/"+id+"?region=ap-guangzhou"), http.StatusNotFound)

	// Quotas and the log reflect it: create, rename, delete = 3 operations.
	q := c.get("/quotas?region=ap-guangzhou")
	if got := q.doc.Find(`[data-testid="quota-operations"] [data-testid="used"]`).Text(); got != "3" {
		t.Errorf("operations used %q, want 3", got)
	}
	if got := q.doc.Find(`[data-testid="quota-images"] [data-testid="used"]`).Text(); got != "0" {
		t.Errorf("images used %q, want 0", got)
	}
	log := c.get("/operations?log_region=ap-guangzhou")
	if n := log.doc.Find(`[data-testid="operation-row"]`).Length(); n != 4 {
		t.Errorf("%d log rows, want 3 accepted and 1 refused", n)
	}
	if n := c.get("/operations?action=DeleteImages").doc.Find(`[data-testid="operation-row"]`).Length(); n != 1 {
		t.Errorf("%d DeleteImages rows, want 1", n)
	}
}

func TestConsole_QuotaRefusals(t *testing.T) {
	ts := newTestServer(t)
	ts.store.Limits.CustomImages = 1
	c := ts.client(t)
	c.signUp("quota@example.com")
	ids := c.launch(commonImageID(t, ts, "Debian", models.ArchX86), 1)
	ts.drain(t)
	c.get("/instances/" + ids[0])
	wantStatus(t, c.post("/instances/"+ids[0]+"/images", url.Values{"name": {"one"}}), http.StatusSeeOther)
	c.get("/instances/" + ids[0])
	res := c.instancesFollow(c.post("/instances/"+ids[0]+"/images", url.Values{"name": {"two"}}))
	if code := res.doc.Find(`[data-testid="alert-code"]`).Text(); code != models.CodeImageQuota {
		t.Errorf("code %q", code)
	}
	if msg := res.doc.Find(`[data-testid="alert"]`).Text(); !strings.Contains(msg, "custom images per region") {
		t.Errorf("message %q does not state the rule", msg)
	}
	// R2: the sixth operation of the day.
	ts.store.Limits.CustomImages = 10
	for i := range 4 {
		c.get("/instances/" + ids[0])
		wantStatus(t, c.post("/instances/"+ids[0]+"/images", url.Values{"name": {fmt.Sprint("ok-", i)}}), http.StatusSeeOther)
	}
	c.get("/instances/" + ids[0])
	res = c.instancesFollow(c.post("/instances/"+ids[0]+"/images", url.Values{"name": {"sixth"}}))
	if code := res.doc.Find(`[data-testid="alert-code"]`).Text(); code != models.CodeDailyOps {
		t.Errorf("code %q", code)
	}
	var n int64
	ts.store.DB().Model(&models.Image{}).Where("name = ?", "sixth").Count(&n)
	if n != 0 {
		t.Error("the refused image was written")
	}
}

func TestConsole_Import(t *testing.T) {
	files := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/disk.vmdk" {
			w.Write(imagefmt.BuildVMDK(4 << 30))
			return
		}
		http.NotFound(w, r)
	}))
	defer files.Close()
	ts := newTestServer(t)
	c := ts.client(t)
	c.signUp("import@example.com")
	form := c.get("/images/import?region=ap-guangzhou")
	wantStatus(t, form, http.StatusOK)
	if form.doc.Find(`select[name="os"] option`).Length() < 10 {
		t.Error("the OS list is not offered")
	}

	// From a URL.
	res := c.postMultipart("/images/import", map[string]string{"name": "from-url", "os": "Ubuntu|22.04", "arch": "x86_64",
		"license": "TencentCloud", "url": files.URL + "/disk.vmdk"}, nil)
	wantStatus(t, res, http.StatusSeeOther)
	// From an upload.
	res = c.postMultipart("/images/import", map[string]string{"name": "from-upload", "os": "Debian|12", "arch": "x86_64", "license": "BYOL"},
		imagefmt.BuildQCOW2(2<<30))
	wantStatus(t, res, http.StatusSeeOther)
	// A bad URL: message next to the field.
	res = c.postMultipart("/images/import", map[string]string{"name": "bad", "os": "Debian|12", "arch": "x86_64", "url": "ftp://x/y"}, nil)
	wantStatus(t, res, http.StatusSeeOther)
	res = c.get(res.Header.Get("Location"))
	if res.doc.Find(`[data-testid="error-url"]`).Text() == "" {
		t.Errorf("no URL error: %.300s", res.doc.Find("main").Text())
	}
	// Unsupported OS version: message next to the OS field.
	res = c.postMultipart("/images/import", map[string]string{"name": "bad", "os": "Debian|9", "arch": "x86_64", "url": files.URL + "/disk.vmdk"}, nil)
	wantStatus(t, res, http.StatusSeeOther)
	res = c.get(res.Header.Get("Location"))
	if res.doc.Find(`[data-testid="error-os"]`).Text() == "" {
		t.Error("no OS error")
	}
	// A refused upload leaves no staged file behind.
	res = c.postMultipart("/images/import", map[string]string{"name": "bad", "os": "Debian|9", "arch": "x86_64"}, imagefmt.BuildQCOW2(1<<30))
	wantStatus(t, res, http.StatusSeeOther)
	if staged, _ := filepath.Glob(filepath.Join(ts.store.Blobs.(*blob.Dir).Root, "upload-*")); len(staged) != 1 {
		t.Errorf("staged uploads %v: want only the accepted one, waiting for its task", staged)
	}
	ts.drain(t)
	list := c.get("/images?region=ap-guangzhou&tab=custom&sort=name")
	var states []string
	list.doc.Find(`[data-testid="image-row"]`).Each(func(_ int, s *goquery.Selection) {
		states = append(states, s.Find(`[data-testid="image-name"]`).Text()+"="+s.Find(`[data-testid="image-status"]`).AttrOr("data-state", ""))
	})
	if fmt.Sprint(states) != "[from-upload=NORMAL from-url=NORMAL]" {
		t.Errorf("imports ended as %v", states)
	}
}

// postMultipart submits a multipart form with an optional file.
func (c *client) postMultipart(path string, fields map[string]string, file []byte) *response {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("_csrf", c.csrf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if file != nil {
		fw, _ := mw.CreateFormFile("file", "disk.qcow2")
		fw.Write(file)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}
