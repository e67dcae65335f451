package handlers_test

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"imageconsole/models"
	"imageconsole/models/i18n"
	"imageconsole/models/imagefmt"
)

// rawWords are the internal spellings no page of this area may show: API
// action names, image type and source codes, listing statuses, rule IDs.
var rawWords = regexp.MustCompile(`\b(CreateImage|ImportImage|ModifyImageAttribute|DeleteImages|SyncImages|ModifyImageSharePermission|` +
	`ApproveListing|RejectListing|AddCommonImage|SetQuotaOverride|EXTERNAL_IMPORT|CREATE_IMAGE|PRIVATE_IMAGE|PUBLIC_IMAGE|` +
	`PENDING_REVIEW|APPROVED|arm_64|R[1-9])\b`)

// TestPages_NoRawCodes: the operation log, the quotas and the operator's
// pages name actions, statuses, architectures and limits in words, and
// show times in the reader's format, not ISO.
func TestPages_NoRawCodes(t *testing.T) {
	ts := newTestServer(t)
	ts.store.Limits.DailyOps = 50
	user := ts.client(t)
	userID := user.signUp("user@example.com")
	a := models.Actor{AccountID: userID, Via: models.ViaConsole}
	in := models.ImportInput{ImageInput: models.ImageInput{Region: "ap-guangzhou", Name: "disk"}, OsType: "Ubuntu", OsVersion: "24.04", Arch: "arm_64"}
	if _, err := ts.store.ImportUpload(t.Context(), a, in, bytes.NewReader(imagefmt.BuildQCOW2(1<<30))); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.store.ImportUpload(t.Context(), a, in, bytes.NewReader(imagefmt.BuildQCOW2(1<<30))); models.ErrorCode(err) != models.CodeImageNameDuplicate {
		t.Fatalf("second import: %v", err) // a refused operation, logged
	}
	op := ts.client(t)
	op.signInAs("op@example.com", models.RoleOperator)
	op.get("/operator/accounts/" + userID)
	wantStatus(t, op.post("/operator/accounts/"+userID+"/quota", url.Values{"custom_images": {"3"}}), http.StatusSeeOther)

	ops := user.get("/operations?region=ap-guangzhou")
	rows := ops.doc.Find(`[data-testid="operation-row"]`)
	if rows.Length() != 2 {
		t.Fatalf("%d operation rows, want 2", rows.Length())
	}
	if got := rows.First().Find(`[data-testid="action"]`).Text(); got != "Import image" {
		t.Errorf("action %q, want a label", got)
	}
	if got := rows.First().Find(`[data-testid="result-code"]`).Text(); got != models.CodeImageNameDuplicate {
		t.Errorf("a refusal shows code %q", got)
	}
	iso := regexp.MustCompile(`\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}`)
	for path, c := range map[string]*client{"/operations?region=ap-guangzhou": user, "/quotas?region=ap-guangzhou": user,
		"/operator/audit": op, "/operator/accounts": op, "/operator/accounts/" + userID: op, "/operator/catalog": op} {
		page := c.get(path)
		wantStatus(t, page, http.StatusOK)
		// Cells, labels and options; an option's value may be a code.
		text := page.doc.Find("main").Text()
		if m := rawWords.FindString(text); m != "" {
			t.Errorf("%s shows %q: %.200s", path, m, text[max(0, strings.Index(text, m)-80):])
		}
		if m := iso.FindString(text); m != "" {
			t.Errorf("%s shows the ISO time %q", path, m)
		}
	}
}

// TestPages_Chinese: every page of this area renders in Simplified Chinese
// with each text found in the catalogue.
func TestPages_Chinese(t *testing.T) {
	ts := newTestServer(t)
	user, prov, op := ts.client(t), ts.client(t), ts.client(t)
	userID := user.signUp("user@example.com")
	prov.signInAs("prov@example.com", models.RoleProvider)
	op.signInAs("op@example.com", models.RoleOperator)
	// Rows on the pages: an operation and an operator action.
	in := models.ImportInput{ImageInput: models.ImageInput{Region: "ap-guangzhou", Name: "disk"}, OsType: "Ubuntu", OsVersion: "24.04", Arch: "arm_64"}
	if _, err := ts.store.ImportUpload(t.Context(), models.Actor{AccountID: userID, Via: models.ViaConsole}, in, bytes.NewReader(imagefmt.BuildQCOW2(1<<30))); err != nil {
		t.Fatal(err)
	}
	op.get("/operator/accounts/" + userID)
	wantStatus(t, op.post("/operator/accounts/"+userID+"/quota", url.Values{"custom_images": {"3"}}), http.StatusSeeOther)
	before := i18n.Missing()
	zh := []string{"Accept-Language", "zh-CN"}
	for _, p := range []struct {
		c    *client
		path string
		want string
	}{
		{user, "/images/import?region=ap-guangzhou", "开始导入"},
		{user, "/operations?region=ap-guangzhou", "操作日志"},
		{user, "/quotas?region=ap-guangzhou", "今日镜像操作"},
		{prov, "/market/listings", "我的市场商品"},
		{prov, "/market/listings/new?region=ap-guangzhou", "没有可发布的镜像"},
		{op, "/operator/reviews", "市场审核"},
		{op, "/operator/catalog", "公共镜像目录"},
		{op, "/operator/accounts", "账号"},
		{op, "/operator/audit", "调整配额"},
		{op, "/operator/accounts/" + userID, "每地域自定义镜像数"},
		{user, "/operations?region=ap-guangzhou&page=1", "导入镜像"},
	} {
		page := p.c.get(p.path, zh...)
		wantStatus(t, page, http.StatusOK)
		if text := page.doc.Find("main").Text(); !strings.Contains(text, p.want) {
			t.Errorf("%s: no %q in %.200s", p.path, p.want, text)
		}
	}
	if n := i18n.Missing() - before; n != 0 {
		t.Errorf("%d catalogue lookups missed", n)
	}
}

// TestImages_SearchWords: "ubuntu 22" finds Ubuntu 22.04 in the Common tab.
func TestImages_SearchWords(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.signUp("alice@example.com")
	page := c.get("/images?region=ap-guangzhou&tab=common&q=" + url.QueryEscape("ubuntu 22"))
	wantStatus(t, page, http.StatusOK)
	names := page.doc.Find(`[data-testid="image-row"] [data-testid="image-name"]`)
	if names.Length() == 0 || !strings.Contains(names.Text(), "Ubuntu Server 22.04") || strings.Contains(names.Text(), "20.04") {
		t.Errorf("search \"ubuntu 22\" found %q", names.Text())
	}
}
