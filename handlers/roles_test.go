package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"imageconsole/handlers"
	"imageconsole/models"
)

// platformState describes everything a provider or operator route writes.
func platformState(t *testing.T, ts *testServer) string {
	t.Helper()
	db := ts.store.DB()
	var b strings.Builder
	var listings []models.MarketListing
	db.Order("id").Find(&listings)
	for _, l := range listings {
		fmt.Fprintf(&b, "listing %s %s %s %s|", l.ID, l.Version, l.Status, l.MarketImageID)
	}
	var images []models.Image
	db.Where("type IN ? AND (state <> ? OR deprecated = ? OR type = ?)", []string{models.TypePublic, models.TypeMarket},
		models.StateNormal, true, models.TypeMarket).Order("id").Find(&images)
	for _, i := range images {
		fmt.Fprintf(&b, "image %s %s %v %v|", i.ID, i.State, i.Deprecated, i.HourlyPrice)
	}
	var common, overrides, audit int64
	db.Model(&models.Image{}).Where("type = ?", models.TypePublic).Count(&common)
	db.Model(&models.QuotaOverride{}).Count(&overrides)
	db.Model(&models.AuditEntry{}).Count(&audit)
	fmt.Fprintf(&b, "common=%d overrides=%d audit=%d", common, overrides, audit)
	return b.String()
}

// TestRoles_EveryPlatformRoute hits every provider and operator route as an
// account of another role: each answers 404, as for a page that does not
// exist, and nothing changes. The forms are valid, so only the role check
// stands between them and a change.
func TestRoles_EveryPlatformRoute(t *testing.T) {
	ts := newTestServer(t)
	ts.store.Limits.DailyOps = 50
	prov, op, user := ts.client(t), ts.client(t), ts.client(t)
	prov.signInAs("prov@example.com", models.RoleProvider)
	op.signInAs("op@example.com", models.RoleOperator)
	userID := user.signUp("user@example.com")
	src := prov.customImage(t, "acme-golden")
	userImage := user.customImage(t, "user-golden")
	prov.get("/market/listings")
	wantStatus(t, prov.post("/market/listings?region=ap-guangzhou", publishForm(src, "Live Stack", "0.30")), http.StatusSeeOther)
	live := listingOf(t, ts, "Live Stack")
	op.get("/operator/reviews")
	wantStatus(t, op.post("/operator/reviews/"+live.ID+"/approve", nil), http.StatusSeeOther)
	wantStatus(t, prov.post("/market/listings?region=ap-guangzhou", publishForm(src, "Pending Stack", "0.30")), http.StatusSeeOther)
	pending := listingOf(t, ts, "Pending Stack")
	debian := commonImageID(t, ts, "Debian", models.ArchX86)

	version := publishForm(src, "Live Stack", "0.50")
	version.Set("version", "9.0")
	providerRoutes := []struct {
		method, path string
		form         url.Values
	}{
		{"GET", "/market/listings", nil},
		{"GET", "/market/listings/new?image=" + src, nil},
		{"POST", "/market/listings", publishForm(src, "Sneaky", "0.10")},
		{"GET", "/market/listings/" + live.ID + "/version", nil},
		{"POST", "/market/listings/" + live.ID + "/version", version},
		{"POST", "/market/listings/" + live.ID + "/withdraw", nil},
	}
	operatorRoutes := []struct {
		method, path string
		form         url.Values
	}{
		{"GET", "/operator/reviews", nil},
		{"POST", "/operator/reviews/" + pending.ID + "/approve", url.Values{"comment": {"ok"}}},
		{"POST", "/operator/reviews/" + pending.ID + "/reject", url.Values{"comment": {"no"}}},
		{"GET", "/operator/catalog", nil},
		{"POST", "/operator/catalog", url.Values{"name": {"Sneaky OS"}, "platform": {"Ubuntu"}, "arch": {"x86_64"}, "size": {"20"}}},
		{"POST", "/operator/catalog/" + debian + "/deprecate", url.Values{"deprecated": {"true"}}},
		{"POST", "/operator/catalog/" + debian + "/retire", nil},
		{"GET", "/operator/accounts", nil},
		{"GET", "/operator/accounts/" + userID, nil},
		{"POST", "/operator/accounts/" + userID + "/quota", url.Values{"instances": {"500"}}},
		{"GET", "/operator/audit", nil},
	}
	// A provider trying its own image through the user's image: the user
	// may not publish even its own NORMAL custom image.
	userPublish := publishForm(userImage, "User Stack", "0.10")

	before := platformState(t, ts)
	covered := map[string]bool{}
	hit := func(t *testing.T, c *client, method, path string, form url.Values) {
		t.Helper()
		var res *response
		if method == "GET" {
			res = c.get(inGuangzhou(path))
		} else {
			c.get("/images")
			own := url.Values{} // a copy: post adds this client's CSRF token
			for k, v := range form {
				own[k] = v
			}
			res = c.post(inGuangzhou(path), own)
		}
		wantStatus(t, res, http.StatusNotFound)
		if strings.Contains(res.body, "Live Stack") || strings.Contains(res.body, "Pending Stack") {
			t.Error("the 404 page shows platform data")
		}
	}
	for _, r := range providerRoutes {
		covered[r.method+" "+routePattern(r.path)] = true
		t.Run("User/"+r.method+" "+r.path, func(t *testing.T) { hit(t, user, r.method, r.path, r.form) })
		t.Run("Operator/"+r.method+" "+r.path, func(t *testing.T) { hit(t, op, r.method, r.path, r.form) })
	}
	t.Run("User/POST /market/listings own image", func(t *testing.T) { hit(t, user, "POST", "/market/listings", userPublish) })
	// Another provider is refused every route that names the listing.
	other := ts.client(t)
	other.signInAs("other@example.com", models.RoleProvider)
	for _, r := range providerRoutes {
		if strings.Contains(r.path, live.ID) {
			t.Run("OtherProvider/"+r.method+" "+r.path, func(t *testing.T) { hit(t, other, r.method, r.path, r.form) })
		}
	}
	for _, r := range operatorRoutes {
		covered[r.method+" "+routePattern(r.path)] = true
		t.Run("User/"+r.method+" "+r.path, func(t *testing.T) { hit(t, user, r.method, r.path, r.form) })
		t.Run("Provider/"+r.method+" "+r.path, func(t *testing.T) { hit(t, prov, r.method, r.path, r.form) })
	}
	if after := platformState(t, ts); after != before {
		t.Errorf("another role changed the platform:\n%s\n→\n%s", before, after)
	}
	// The walk covers every platform route of the route table.
	h := handlers.New(ts.store, handlers.Config{SessionKeys: [][]byte{[]byte("0123456789abcdef0123456789abcdef")}})
	for _, rt := range h.NewEcho(nil).Routes() {
		if platformRoute(rt.Path) && !covered[rt.Method+" "+rt.Path] {
			t.Errorf("route %s %s is not walked here", rt.Method, rt.Path)
		}
	}
}

// platformRoute reports whether a route pattern is a provider or operator page.
func platformRoute(path string) bool {
	return strings.HasPrefix(path, "/market/") || strings.HasPrefix(path, "/operator/")
}

// inGuangzhou adds the region to a path.
func inGuangzhou(path string) string {
	if strings.Contains(path, "?") {
		return path + "&region=ap-guangzhou"
	}
	return path + "?region=ap-guangzhou"
}

// routePattern turns a concrete platform path back into its route pattern.
func routePattern(path string) string {
	parts := strings.Split(strings.SplitN(path, "?", 2)[0], "/")
	for i, p := range parts {
		if strings.HasPrefix(p, "mkt-") || strings.HasPrefix(p, "img-") || (len(p) == 12 && strings.Trim(p, "0123456789") == "") {
			parts[i] = ":id"
		}
	}
	return strings.Join(parts, "/")
}
