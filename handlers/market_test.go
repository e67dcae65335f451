package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"imageconsole/models"
)

// signInAs creates an account of a role and signs the client in; it returns
// the account ID.
func (c *client) signInAs(email, role string) string {
	c.t.Helper()
	acct, err := c.srv.store.CreateAccount(c.t.Context(), models.NewAccount{Email: email, Password: "password-123", Name: email, Role: role})
	if err != nil {
		c.t.Fatal(err)
	}
	c.get("/signin")
	if res := c.post("/signin", url.Values{"email": {email}, "password": {"password-123"}}); res.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("sign in %s: status %d", email, res.StatusCode)
	}
	return acct.ID
}

// customImage makes a NORMAL custom image in Guangzhou through the console.
func (c *client) customImage(t *testing.T, name string) string {
	t.Helper()
	ids := c.launch(commonImageID(t, c.srv, "Ubuntu", models.ArchX86), 1)
	c.srv.drain(t)
	c.get("/instances/" + ids[0])
	res := c.post("/instances/"+ids[0]+"/images", url.Values{"name": {name}})
	wantStatus(t, res, http.StatusSeeOther)
	c.srv.drain(t)
	return strings.TrimPrefix(strings.SplitN(res.Header.Get("Location"), "?", 2)[0], "/images/")
}

// publishForm is a valid publish form for image.
func publishForm(image, name, price string) url.Values {
	return url.Values{"image": {image}, "name": {name}, "description": {"A web stack"}, "category": {"Web stacks"},
		"version": {"1.0"}, "hourly_price": {price}, "release_notes": {"First."}}
}

// listingOf returns the newest listing named name.
func listingOf(t *testing.T, ts *testServer, name string) models.MarketListing {
	t.Helper()
	var l models.MarketListing
	if err := ts.store.DB().Where("name = ?", name).Order("seq DESC").First(&l).Error; err != nil {
		t.Fatalf("listing %s: %v", name, err)
	}
	return l
}

func marketRows(res *response) []string { return rowIDs(res) }

// TestPlatform_DoneWhen walks the scenario through the console: a
// provider publishes, an operator approves, a user launches at the
// provider's price; rejected and withdrawn listings are not launchable; a
// deprecated common image is hidden but launchable by ID; a quota override
// changes what the user can do.
func TestPlatform_DoneWhen(t *testing.T) {
	ts := newTestServer(t)
	ts.store.Limits.DailyOps = 50
	prov, op, user := ts.client(t), ts.client(t), ts.client(t)
	prov.signInAs("prov@example.com", models.RoleProvider)
	op.signInAs("op@example.com", models.RoleOperator)
	userID := user.signUp("user@example.com")
	src := prov.customImage(t, "acme-golden")

	// The publish link is on a provider's NORMAL custom image, and only there.
	detail := prov.get("/images/" + src + "?region=ap-guangzhou")
	link, ok := detail.doc.Find(`[data-testid="publish-to-market"]`).Attr("href")
	if !ok {
		t.Fatal("no Publish to market link on the provider's image")
	}
	if n := prov.get("/images/" + commonImageID(t, ts, "Debian", models.ArchX86)).doc.Find(`[data-testid="publish-to-market"]`).Length(); n != 0 {
		t.Error("a common image offers Publish to market")
	}
	mine := user.customImage(t, "users-own")
	if n := user.get("/images/" + mine + "?region=ap-guangzhou").doc.Find(`[data-testid="publish-to-market"]`).Length(); n != 0 {
		t.Error("a plain user is offered Publish to market")
	}
	if n := user.get("/images").doc.Find(`[data-testid="nav-market"], [data-testid="nav-reviews"]`).Length(); n != 0 {
		t.Error("a plain user's navigation offers platform sections")
	}

	// The form is prefilled from the image; a refusal shows the rule next to the field and writes nothing.
	form := prov.get(link)
	wantStatus(t, form, http.StatusOK)
	if got := form.doc.Find(`input[name="name"]`).AttrOr("value", ""); got != "acme-golden" {
		t.Errorf("prefilled name %q", got)
	}
	res := afterRefusal(t, prov, prov.post("/market/listings?region=ap-guangzhou", publishForm(src, "Acme Stack", "cheap")))
	if got := res.doc.Find(`input[name="name"]`).AttrOr("value", ""); got != "Acme Stack" {
		t.Errorf("the refused form lost the name: %q", got)
	}
	if res.doc.Find(`[data-testid="error-hourly_price"]`).Text() == "" {
		t.Errorf("no price error: %.300s", res.doc.Find("main").Text())
	}
	var n int64
	ts.store.DB().Model(&models.MarketListing{}).Count(&n)
	if n != 0 {
		t.Fatal("a refused submission was written")
	}
	wantStatus(t, prov.post("/market/listings?region=ap-guangzhou", publishForm(src, "Acme Stack", "0.30")), http.StatusSeeOther)
	acme := listingOf(t, ts, "Acme Stack")
	page := prov.get("/market/listings")
	if got := page.doc.Find(`[data-testid="listing-row"] [data-testid="listing-status"]`).First().AttrOr("data-status", ""); got != models.ListingPending {
		t.Errorf("status on the provider's page %q", got)
	}
	// Not in the Market tab before the review.
	if ids := marketRows(user.get("/images?region=ap-guangzhou&tab=market&q=Acme")); len(ids) != 0 {
		t.Errorf("a pending listing is listed: %v", ids)
	}

	// The operator approves it from the queue.
	queue := op.get("/operator/reviews")
	if queue.doc.Find(`[data-testid="review-row"][data-listing-id="`+acme.ID+`"]`).Length() != 1 {
		t.Fatalf("the listing is not in the review queue: %.300s", queue.doc.Find("main").Text())
	}
	wantStatus(t, op.post("/operator/reviews/"+acme.ID+"/approve", url.Values{"comment": {"Looks good."}}), http.StatusSeeOther)
	marketImage := listingOf(t, ts, "Acme Stack").MarketImageID

	// The user finds it in the Market tab, labelled, and the wizard quotes the provider's price.
	if ids := marketRows(user.get("/images?region=ap-guangzhou&tab=market&q=Acme")); len(ids) != 1 || ids[0] != marketImage {
		t.Fatalf("Market tab %v, want %s", ids, marketImage)
	}
	wizard := user.get("/instances/new?region=ap-guangzhou&image=" + marketImage)
	if got := wizard.doc.Find(`[data-testid="quote-image"]`).Text(); got != "¥0.3000" {
		t.Errorf("quoted image cost %q, want the provider's ¥0.3000", got)
	}
	user.launch(marketImage, 1)
	ts.drain(t)
	var inst models.Instance
	ts.store.DB().Where("owner_id = ? AND image_id = ?", userID, marketImage).Take(&inst)
	if inst.BillingKind != models.BillingMarket || inst.HourlyPrice != 0.30 {
		t.Errorf("instance billing %s %v", inst.BillingKind, inst.HourlyPrice)
	}
	row := prov.get("/market/listings").doc.Find(`[data-testid="listing-row"]`)
	if row.Find(`[data-testid="listing-launched"]`).Text() != "1" || row.Find(`[data-testid="listing-status"]`).First().AttrOr("data-status", "") != models.ListingApproved {
		t.Errorf("provider's row after a launch: %.300s", row.Text())
	}

	// A rejected listing never reaches the Market tab; the provider reads why.
	wantStatus(t, prov.post("/market/listings?region=ap-guangzhou", publishForm(src, "Bad Stack", "0.10")), http.StatusSeeOther)
	bad := listingOf(t, ts, "Bad Stack")
	res = afterRefusal(t, op, op.post("/operator/reviews/"+bad.ID+"/reject", url.Values{"listing": {bad.ID}, "comment": {" "}}))
	if code := res.doc.Find(`[data-testid="alert-code"]`).Text(); code != models.CodeMissingParameter {
		t.Errorf("reject without a reason: code %q", code)
	}
	wantStatus(t, op.post("/operator/reviews/"+bad.ID+"/reject", url.Values{"comment": {"Ships a cryptominer."}}), http.StatusSeeOther)
	if got := prov.get("/market/listings").doc.Find(`[data-listing-id="` + bad.ID + `"] [data-testid="listing-comment"]`).Text(); got != "Ships a cryptominer." {
		t.Errorf("provider sees comment %q", got)
	}
	if ids := marketRows(user.get("/images?region=ap-guangzhou&tab=market&q=Bad")); len(ids) != 0 || listingOf(t, ts, "Bad Stack").MarketImageID != "" {
		t.Error("a rejected listing reached the market")
	}

	// Withdrawn: gone from the tab, refused at launch; the running instance stays.
	prov.get("/market/listings")
	wantStatus(t, prov.post("/market/listings/"+acme.ID+"/withdraw", nil), http.StatusSeeOther)
	if ids := marketRows(user.get("/images?region=ap-guangzhou&tab=market&q=Acme")); len(ids) != 0 {
		t.Error("a withdrawn listing is still listed")
	}
	user.get("/instances/new?region=ap-guangzhou&image=" + marketImage)
	res = user.instancesFollow(user.post("/instances", url.Values{"image": {marketImage}, "zone": {"ap-guangzhou-3"}, "instance_type": {"S5.MEDIUM4"}, "count": {"1"}}))
	if code := res.doc.Find(`[data-testid="alert-code"]`).Text(); code != models.CodeInvalidImageIDState {
		t.Errorf("launch of a withdrawn listing: code %q", code)
	}
	if in, _ := ts.store.Instance(t.Context(), userID, inst.ID); in == nil || in.State != models.InstanceRunning {
		t.Error("the instance of a withdrawn listing stopped running")
	}

	// Deprecated common image: hidden from the Common tab, launchable by ID.
	debian := commonImageID(t, ts, "Debian", models.ArchX86)
	op.get("/operator/catalog")
	wantStatus(t, op.post("/operator/catalog/"+debian+"/deprecate", url.Values{"deprecated": {"true"}}), http.StatusSeeOther)
	if got := op.get("/operator/catalog").doc.Find(`[data-testid="catalog-row"][data-image-id="`+debian+`"]`).AttrOr("data-deprecated", ""); got != "true" {
		t.Errorf("catalog shows deprecated=%q", got)
	}
	if ids := marketRows(user.get("/images?region=ap-guangzhou&tab=common&q=" + debian)); len(ids) != 0 {
		t.Error("a deprecated image is still in the Common tab")
	}
	before := len(user.launch(debian, 1))

	// A quota override: the user's instance limit drops to what it has.
	op.get("/operator/accounts/" + userID)
	wantStatus(t, op.post("/operator/accounts/"+userID+"/quota", url.Values{"instances": {"3"}}), http.StatusSeeOther)
	if got := user.get("/quotas?region=ap-guangzhou").doc.Find(`[data-testid="quota-instances"] [data-testid="limit"]`).Text(); got != "3" {
		t.Errorf("quota page limit %q, want the override 3", got)
	}
	if before != 3 {
		t.Fatalf("user has %d instances, want 3", before)
	}
	user.get("/instances/new?region=ap-guangzhou&image=" + debian)
	res = user.instancesFollow(user.post("/instances", url.Values{"image": {debian}, "zone": {"ap-guangzhou-3"}, "instance_type": {"S5.MEDIUM4"}, "count": {"1"}}))
	if code := res.doc.Find(`[data-testid="alert-code"]`).Text(); code != models.CodeInstancesQuota {
		t.Errorf("launch over the override: code %q", code)
	}

	// Everything the operator did is in the audit log.
	var actions []string
	for _, s := range op.get("/operator/audit").doc.Find(`[data-testid="audit-action"]`).EachIter() {
		actions = append(actions, s.AttrOr("data-action", ""))
	}
	if strings.Join(actions, ",") != "SetQuotaOverride,DeprecateCommonImage,RejectListing,ApproveListing" {
		t.Errorf("audit log %v", actions)
	}
}

func TestMarket_ProviderPages(t *testing.T) {
	ts := newTestServer(t)
	ts.store.Limits.DailyOps = 50
	prov, op := ts.client(t), ts.client(t)
	prov.signInAs("prov@example.com", models.RoleProvider)
	op.signInAs("op@example.com", models.RoleOperator)
	if n := prov.get("/images").doc.Find(`[data-testid="nav-market"]`).Length(); n == 0 {
		t.Error("a provider's navigation has no Market listings")
	}
	if res := prov.get("/market/listings"); res.doc.Find(`[data-testid="empty"]`).Length() != 1 {
		t.Errorf("no empty state: %.300s", res.doc.Find("main").Text())
	}
	src := prov.customImage(t, "acme-golden")
	prov.get("/market/listings/new?region=ap-guangzhou&image=" + src)
	form := publishForm(src, "Acme Stack", "0.30")
	form["regions"] = []string{"ap-shanghai"}
	wantStatus(t, prov.post("/market/listings?region=ap-guangzhou", form), http.StatusSeeOther)
	v1 := listingOf(t, ts, "Acme Stack")
	if v1.Regions != "ap-shanghai" {
		t.Errorf("regions %q", v1.Regions)
	}

	// A new version while one waits for review is refused with the rule.
	page := prov.get("/market/listings/" + v1.ID + "/version?region=ap-guangzhou")
	wantStatus(t, page, http.StatusOK)
	if got := page.doc.Find(`input[name="hourly_price"]`).AttrOr("value", ""); got != "0.3" {
		t.Errorf("version form price %q", got)
	}
	if !page.doc.Find(`[data-testid="region-ap-shanghai"]`).Is("[checked]") {
		t.Error("the version form does not keep the regions")
	}
	next := publishForm(src, "Acme Stack", "0.40")
	next.Set("version", "1.1")
	res := afterRefusal(t, prov, prov.post("/market/listings/"+v1.ID+"/version?region=ap-guangzhou", next))
	if code := res.doc.Find(`[data-testid="alert-code"]`).Text(); code != models.CodeListingState {
		t.Errorf("code %q", code)
	}
	op.get("/operator/reviews")
	wantStatus(t, op.post("/operator/reviews/"+v1.ID+"/approve", nil), http.StatusSeeOther)
	wantStatus(t, prov.post("/market/listings/"+v1.ID+"/version?region=ap-guangzhou", next), http.StatusSeeOther)
	row := prov.get("/market/listings").doc.Find(`[data-listing-id="` + v1.ID + `"]`)
	if row.Find(`[data-testid="listing-live"]`).Text() != "1.0" || row.Find(`[data-testid="listing-version"]`).Length() != 2 {
		t.Errorf("row after a new version: %.400s", row.Text())
	}

	// Another provider cannot see or act on the listing.
	other := ts.client(t)
	other.signInAs("other@example.com", models.RoleProvider)
	wantStatus(t, other.get("/market/listings/"+v1.ID+"/version"), http.StatusNotFound)
	other.get("/market/listings")
	wantStatus(t, other.post("/market/listings/"+v1.ID+"/withdraw", nil), http.StatusNotFound)
	if got := listingOf(t, ts, "Acme Stack"); got.Status != models.ListingPending {
		t.Errorf("another provider changed the listing to %s", got.Status)
	}
}

// TestMarket_PublishWithoutImage: a provider with no publishable image sees
// why and how to get one, and no form; a post made anyway comes back to the
// page with the refusal, not to a not-found page.
func TestMarket_PublishWithoutImage(t *testing.T) {
	ts := newTestServer(t)
	prov := ts.client(t)
	prov.signInAs("prov@example.com", models.RoleProvider)
	page := prov.get("/market/listings/new?region=ap-guangzhou")
	wantStatus(t, page, http.StatusOK)
	if page.doc.Find(`[data-testid="listing-form"]`).Length() != 0 || page.doc.Find(`[data-testid="submit-listing"]`).Length() != 0 {
		t.Error("the publish form is shown with no image to publish")
	}
	if !strings.Contains(page.doc.Find(`[data-testid="no-source"]`).Text(), "No image to publish") {
		t.Errorf("no explanation: %.300s", page.doc.Find("main").Text())
	}
	if href := page.doc.Find(`[data-testid="no-source-import"]`).AttrOr("href", ""); !strings.HasPrefix(href, "/images/import") {
		t.Errorf("the way to an image links to %q", href)
	}
	res := afterRefusal(t, prov, prov.post("/market/listings?region=ap-guangzhou", publishForm("", "Acme Stack", "0.30")))
	if code := refusalCode(res.doc.Selection); code != models.CodeMissingParameter {
		t.Errorf("posting without an image: code %q", code)
	}
	var n int64
	ts.store.DB().Model(&models.MarketListing{}).Count(&n)
	if n != 0 {
		t.Error("a listing without an image was written")
	}
}
