package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"imageconsole/models"
)

// TestAuthz_EveryRouteWithAnID walks every console route that takes an ID
// with another account's session: each answers 404, as for an ID that does
// not exist, and nothing of the owner's changes.
func TestAuthz_EveryRouteWithAnID(t *testing.T) {
	ts := newTestServer(t)
	ts.store.Limits.DailyOps = 50
	owner := ts.client(t)
	ownerID := owner.signUp("owner@example.com")
	ins := owner.launch(commonImageID(t, ts, "Ubuntu", models.ArchX86), 1)[0]
	ts.drain(t)
	img := mustCustomImage(t, ts, ownerID, "ap-guangzhou", "owned")
	owner.get("/apikeys")
	owner.post("/apikeys", nil)
	var key models.APIKey
	ts.store.DB().Where("account_id = ?", ownerID).First(&key)

	net := ownedNetwork(t, ts, ownerID)

	attacker := ts.client(t)
	attacker.signUp("attacker@example.com")
	before := snapshot(t, ts, ownerID)

	routes := []struct{ method, path string }{
		{"GET", "/images/" + img.ID},
		{"GET", "/images/" + img.ID + "/status"},
		{"POST", "/images/" + img.ID + "/edit"},
		{"POST", "/images/" + img.ID + "/delete"},
		{"POST", "/images/" + img.ID + "/share"},
		{"POST", "/images/" + img.ID + "/unshare"},
		{"POST", "/images/" + img.ID + "/sync"},
		{"GET", "/instances/" + ins},
		{"GET", "/instances/" + ins + "/row"},
		{"POST", "/instances/" + ins + "/images"},
		{"POST", "/instances/" + ins + "/reset"},
		{"POST", "/instances/" + ins + "/stop"},
		{"POST", "/instances/" + ins + "/start"},
		{"POST", "/instances/" + ins + "/reboot"},
		{"POST", "/instances/" + ins + "/terminate"},
		{"POST", "/apikeys/" + key.SecretID + "/disable"},
		{"POST", "/apikeys/" + key.SecretID + "/enable"},
		{"POST", "/apikeys/" + key.SecretID + "/delete"},
		{"GET", "/instances/new?image=" + img.ID},
		{"GET", "/network/vpcs/" + net.vpc},
		{"POST", "/network/vpcs/" + net.vpc + "/subnets"},
		{"POST", "/network/vpcs/" + net.vpc + "/delete"},
		{"POST", "/network/subnets/" + net.subnet + "/delete"},
		{"GET", "/network/security-groups/" + net.group},
		{"POST", "/network/security-groups/" + net.group + "/policies"},
		{"POST", "/network/security-groups/" + net.group + "/delete"},
		{"GET", "/network/keypairs/" + net.key},
		{"POST", "/network/keypairs/" + net.key + "/delete"},
	}
	covered := map[string]bool{}
	for _, r := range routes {
		t.Run(r.method+" "+r.path, func(t *testing.T) {
			var res *response
			if r.method == "GET" {
				res = attacker.get(r.path + sep(r.path) + "region=ap-guangzhou")
			} else {
				attacker.get("/images")
				res = attacker.post(r.path+"?region=ap-guangzhou", url.Values{"name": {"pwned"}, "description": {"pwned"},
					"accounts": {"100000000001"}, "account": {"100000000001"}, "destination": {"ap-beijing"}, "image": {img.ID}})
			}
			wantStatus(t, res, http.StatusNotFound)
		})
		covered[r.method+" "+pattern(r.path)] = true
	}
	if after := snapshot(t, ts, ownerID); after != before {
		t.Errorf("another account changed the owner's resources:\n%s\n→\n%s", before, after)
	}
	// Every route with a path parameter is in the walk; the provider and
	// operator routes are walked by TestRoles_EveryPlatformRoute, with other
	// roles and another provider.
	for _, rt := range ts.echo.Routes() {
		if strings.Contains(rt.Path, ":") && !covered[rt.Method+" "+rt.Path] && !platformRoute(rt.Path) {
			t.Errorf("route %s %s takes an ID but is not walked here", rt.Method, rt.Path)
		}
	}
}

// pattern turns a concrete path back into its route pattern.
func pattern(path string) string {
	path = strings.SplitN(path, "?", 2)[0]
	parts := strings.Split(path, "/")
	for i, p := range parts {
		switch {
		case strings.HasPrefix(p, "img-"), strings.HasPrefix(p, "ins-"), strings.HasPrefix(p, "AKID"),
			strings.HasPrefix(p, "vpc-"), strings.HasPrefix(p, "subnet-"), strings.HasPrefix(p, "sg-"), strings.HasPrefix(p, "skey-"):
			parts[i] = ":id"
		case i == 3 && parts[1] == "instances" && contains([]string{"stop", "start", "reboot", "terminate"}, p):
			parts[i] = ":action"
		}
	}
	return strings.Join(parts, "/")
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func sep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}

// snapshot describes everything of an account a refused request must not change.
func snapshot(t *testing.T, ts *testServer, accountID string) string {
	t.Helper()
	var imgs []models.Image
	var ins []models.Instance
	var keys []models.APIKey
	var shares, ops int64
	db := ts.store.DB()
	db.Where("owner_id = ?", accountID).Order("id").Find(&imgs)
	db.Where("owner_id = ?", accountID).Order("id").Find(&ins)
	db.Where("account_id = ?", accountID).Order("secret_id").Find(&keys)
	db.Model(&models.ImageShare{}).Count(&shares)
	db.Model(&models.Operation{}).Where("account_id = ?", accountID).Count(&ops)
	var b strings.Builder
	for _, i := range imgs {
		fmt.Fprintf(&b, "image %s %s %q %q %s\n", i.ID, i.Region, i.Name, i.Description, i.State)
	}
	for _, i := range ins {
		fmt.Fprintf(&b, "instance %s %s %s\n", i.ID, i.State, i.ImageID)
	}
	for _, k := range keys {
		fmt.Fprintf(&b, "key %s %v\n", k.SecretID, k.Enabled)
	}
	fmt.Fprintf(&b, "shares %d ops %d network %v", shares, ops, netRows(t, ts))
	return b.String()
}

// TestAuthz_NoMassAssignment: owner, region and type never come from a form.
func TestAuthz_NoMassAssignment(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	id := c.signUp("mass@example.com")
	img := mustCustomImage(t, ts, id, "ap-guangzhou", "mine")
	c.get("/images")
	res := c.post("/images/"+img.ID+"/edit?region=ap-guangzhou", url.Values{"name": {"renamed"}, "description": {"d"},
		"owner_id": {"100000000001"}, "region": {"ap-tokyo"}, "type": {"PUBLIC_IMAGE"}, "state": {"NORMAL"}, "OwnerID": {"100000000001"}})
	wantStatus(t, res, http.StatusSeeOther)
	var got models.Image
	ts.store.DB().Where("id = ?", img.ID).Take(&got)
	if got.Name != "renamed" || got.OwnerID != id || got.Region != "ap-guangzhou" || got.Type != models.TypePrivate {
		t.Errorf("image after edit: owner %s region %s type %s name %s", got.OwnerID, got.Region, got.Type, got.Name)
	}
}
