package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"imageconsole/models"
)

func TestOperator_CatalogPage(t *testing.T) {
	ts := newTestServer(t)
	op := ts.client(t)
	op.signInAs("op@example.com", models.RoleOperator)
	page := op.get("/operator/catalog")
	wantStatus(t, page, http.StatusOK)
	if n := page.doc.Find(`[data-testid="catalog-row"]`).Length(); n != 36 {
		t.Errorf("%d catalog rows, want the 36 seeded common images", n)
	}
	for _, key := range []string{"reviews", "catalog", "accounts", "audit"} {
		if page.doc.Find(`[data-testid="nav-`+key+`"]`).Length() == 0 {
			t.Errorf("an operator's navigation has no %s", key)
		}
	}

	form := url.Values{"name": {"Ubuntu Server 26.04 LTS 64-bit"}, "platform": {"Ubuntu"}, "arch": {"x86_64"}, "size": {"0"}, "cloud_init": {"yes"}}
	res := afterRefusal(t, op, op.post("/operator/catalog", form))
	if res.doc.Find(`[data-testid="error-size"]`).Text() == "" {
		t.Errorf("no size error: %.300s", res.doc.Find("main").Text())
	}
	if got := res.doc.Find(`input[name="name"]`).AttrOr("value", ""); got != form.Get("name") {
		t.Errorf("the form lost the name: %q", got)
	}
	form.Set("size", "20")
	wantStatus(t, op.post("/operator/catalog", form), http.StatusSeeOther)
	var img models.Image
	ts.store.DB().Where("type = ? AND name = ?", models.TypePublic, form.Get("name")).Take(&img)
	user := ts.client(t)
	user.signUp("user@example.com")
	if ids := rowIDs(user.get("/images?region=ap-guangzhou&tab=common&q=26.04")); len(ids) != 1 || ids[0] != img.ID {
		t.Errorf("the added image in the Common tab: %v", ids)
	}

	// Retire: the row stays in the catalog, OFFLINE and without actions.
	op.get("/operator/catalog")
	wantStatus(t, op.post("/operator/catalog/"+img.ID+"/retire", nil), http.StatusSeeOther)
	row := op.get("/operator/catalog?page=1").doc.Find(`[data-testid="catalog-row"][data-image-id="` + img.ID + `"]`)
	if row.AttrOr("data-state", "") != models.StateOffline || row.Find(`[data-testid="retire"]`).Length() != 0 {
		t.Errorf("retired row %.300s", row.Text())
	}
	res = afterRefusal(t, op, op.post("/operator/catalog/"+img.ID+"/retire", nil))
	if code := res.doc.Find(`[data-testid="alert-code"]`).Text(); code != models.CodeInvalidImageIDState {
		t.Errorf("retiring twice: code %q", code)
	}
	wantStatus(t, op.post("/operator/catalog/img-00000000/retire", nil), http.StatusNotFound)
}

func TestOperator_AccountsAndOverride(t *testing.T) {
	ts := newTestServer(t)
	op := ts.client(t)
	op.signInAs("op@example.com", models.RoleOperator)
	user := ts.client(t)
	userID := user.signUp("user@example.com")
	user.launch(commonImageID(t, ts, "Debian", models.ArchX86), 2)

	list := op.get("/operator/accounts?q=user@")
	wantStatus(t, list, http.StatusOK)
	row := list.doc.Find(`[data-testid="account-row"]`)
	if row.Length() != 1 || row.AttrOr("data-account-id", "") != userID || row.Find(`[data-testid="instances"]`).Text() != "2" ||
		row.Find(`[data-testid="override"]`).Text() != "Defaults" {
		t.Errorf("account rows %.400s", row.Text())
	}

	op.get("/operator/accounts/" + userID)
	res := afterRefusal(t, op, op.post("/operator/accounts/"+userID+"/quota", url.Values{"custom_images": {"many"}}))
	if got := res.doc.Find(`input[name="custom_images"]`).AttrOr("value", ""); got != "many" {
		t.Errorf("the refused form lost the value: %q", got)
	}
	if res.doc.Find(`[data-testid="error-custom_images"]`).Text() == "" {
		t.Error("no error next to the custom images field")
	}
	wantStatus(t, op.post("/operator/accounts/"+userID+"/quota", url.Values{"custom_images": {"3"}, "shares": {"7"}}), http.StatusSeeOther)
	detail := op.get("/operator/accounts/" + userID)
	if got := detail.doc.Find(`[data-testid="limit-custom_images"] [data-testid="effective"]`).Text(); got != "3" {
		t.Errorf("effective R1 limit %q", got)
	}
	if got := detail.doc.Find(`[data-testid="limit-instances"] [data-testid="effective"]`).Text(); got != "50" {
		t.Errorf("effective R9 limit %q, want the default", got)
	}
	if got := detail.doc.Find(`input[name="shares"]`).AttrOr("value", ""); got != "7" {
		t.Errorf("form shows shares %q", got)
	}
	if n := detail.doc.Find(`[data-testid="usage-row"]`).Length(); n != 1 {
		t.Errorf("%d usage rows, want Guangzhou only", n)
	}
	if got := op.get("/operator/accounts?q=" + userID).doc.Find(`[data-testid="override"]`).Text(); got != "Custom images per region: 3, Accounts per shared image: 7" {
		t.Errorf("override summary %q", got)
	}
	if got := user.get("/quotas?region=ap-guangzhou").doc.Find(`[data-testid="quota-images"] [data-testid="limit"]`).Text(); got != "3" {
		t.Errorf("the user's quota page shows R1 limit %q, want the override", got)
	}
	wantStatus(t, op.get("/operator/accounts/123456789012"), http.StatusNotFound)

	audit := op.get("/operator/audit")
	if audit.doc.Find(`[data-testid="audit-row"]`).Length() != 1 || audit.doc.Find(`[data-testid="audit-target"]`).Text() != userID ||
		audit.doc.Find(`[data-testid="audit-before"]`).Text() != "—" || !strings.Contains(audit.doc.Find(`[data-testid="audit-after"]`).Text(), `"custom_images":3`) {
		t.Errorf("audit page %.500s", audit.doc.Find("main").Text())
	}
}

func TestDemo_SeedsProviderAndOperator(t *testing.T) {
	ts := newTestServer(t)
	if _, err := ts.store.SeedDemo(t.Context()); err != nil {
		t.Fatal(err)
	}
	for email, role := range map[string]string{"provider@example.com": models.RoleProvider, "operator@example.com": models.RoleOperator,
		"alice@example.com": models.RoleUser} {
		a, err := ts.store.AccountByEmail(t.Context(), email)
		if err != nil || a.Role != role {
			t.Errorf("%s: %+v, %v; want role %s", email, a, err, role)
		}
	}
	// The demo operator signs in and reaches the review queue.
	c := ts.client(t)
	c.get("/signin")
	wantStatus(t, c.post("/signin", url.Values{"email": {"operator@example.com"}, "password": {"operator-demo-pass"}}), http.StatusSeeOther)
	wantStatus(t, c.get("/operator/reviews"), http.StatusOK)
}
