package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"imageconsole/models"
)

const gzRegion = "ap-guangzhou"

// netRows counts the network aggregate's rows.
func netRows(t *testing.T, ts *testServer) [5]int64 {
	t.Helper()
	var out [5]int64
	for i, m := range []any{&models.VPC{}, &models.Subnet{}, &models.SecurityGroup{}, &models.SecurityGroupPolicy{}, &models.KeyPair{}} {
		if err := ts.store.DB().Model(m).Count(&out[i]).Error; err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// launched is one RUNNING instance of the account, made through the store.
func launched(t *testing.T, ts *testServer, uin string) models.Instance {
	t.Helper()
	var img models.Image
	if err := ts.store.DB().Where("type = ? AND platform = ? AND arch = ?", models.TypePublic, "Ubuntu", models.ArchX86).Order("id").First(&img).Error; err != nil {
		t.Fatal(err)
	}
	a := models.Actor{AccountID: uin, Via: models.ViaConsole}
	ids, err := ts.store.RunInstances(context.Background(), a, models.LaunchInput{Region: gzRegion, Zone: "ap-guangzhou-3",
		InstanceType: "S5.MEDIUM4", ImageID: img.ID, Count: 1, Name: "web"})
	if err != nil {
		t.Fatal(err)
	}
	ts.drain(t)
	in, err := ts.store.Instance(context.Background(), uin, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	return *in
}

func TestNetwork_VPCPages(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	uin := c.signUp("net@example.com")
	res := c.get("/network/vpcs")
	wantStatus(t, res, http.StatusOK)
	if res.doc.Find(`[data-testid="empty"]`).Length() != 1 || res.doc.Find(`[data-testid="nav-vpcs"]`).Length() == 0 {
		t.Fatal("no empty state or no nav entry")
	}

	// A public block is refused next to its field, nothing written.
	before := netRows(t, ts)
	res = c.post("/network/vpcs", url.Values{"name": {"prod"}, "cidr_block": {"8.8.0.0/16"}})
	res = c.follow(res)
	if got := res.doc.Find(`[data-testid="error-cidr_block"]`).AttrOr("data-code", ""); got != models.CodeRange {
		t.Fatalf("cidr error code %q", got)
	}
	if netRows(t, ts) != before {
		t.Fatal("a refused VPC was written")
	}

	res = c.post("/network/vpcs", url.Values{"name": {"prod"}, "cidr_block": {"10.0.0.0/16"}})
	wantStatus(t, res, http.StatusSeeOther)
	loc := res.Header.Get("Location")
	vpcID := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/network/vpcs/")
	if !models.ValidID("vpc", vpcID) {
		t.Fatalf("redirect %q", loc)
	}
	res = c.get("/network/vpcs")
	if got := res.doc.Find(`[data-testid="vpc-row"]`).AttrOr("data-id", ""); got != vpcID {
		t.Fatalf("list row %q", got)
	}

	// Subnets: an overlap is refused at the field; a good one is listed.
	c.get("/network/vpcs/" + vpcID)
	res = c.post("/network/vpcs/"+vpcID+"/subnets", url.Values{"name": {"a"}, "cidr_block": {"10.0.1.0/24"}, "zone": {"ap-guangzhou-3"}})
	wantStatus(t, res, http.StatusSeeOther)
	before = netRows(t, ts)
	res = c.post("/network/vpcs/"+vpcID+"/subnets", url.Values{"name": {"b"}, "cidr_block": {"10.0.1.0/25"}, "zone": {"ap-guangzhou-3"}})
	res = c.follow(res)
	if got := res.doc.Find(`[data-testid="error-cidr_block"]`).AttrOr("data-code", ""); got != models.CodeSubnetConflict {
		t.Fatalf("overlap code %q", got)
	}
	if netRows(t, ts) != before {
		t.Fatal("a refused subnet was written")
	}
	res = c.get("/network/vpcs/" + vpcID)
	row := res.doc.Find(`[data-testid="subnet-row"]`)
	subnetID := row.AttrOr("data-id", "")
	if row.Length() != 1 || !strings.Contains(row.Text(), "ap-guangzhou-3") {
		t.Fatalf("subnet rows: %q", row.Text())
	}

	// Deleting the VPC with a subnet is refused on its page.
	res = c.post("/network/vpcs/"+vpcID+"/delete", nil)
	res = c.follow(res)
	if refusalCode(res.doc.Selection) != models.CodeResourceInUse {
		t.Fatalf("delete refusal %q", refusalCode(res.doc.Selection))
	}
	// A subnet in use by an instance is refused too.
	in := launched(t, ts, uin)
	if err := ts.store.AttachSubnet(context.Background(), models.Actor{AccountID: uin}, gzRegion, in.ID, subnetID); err != nil {
		t.Fatal(err)
	}
	res = c.post("/network/subnets/"+subnetID+"/delete", nil)
	res = c.follow(res)
	if refusalCode(res.doc.Selection) != models.CodeResourceInUse {
		t.Fatalf("subnet delete refusal %q", refusalCode(res.doc.Selection))
	}

	// Another account sees none of it.
	o := ts.client(t)
	o.signUp("other@example.com")
	wantStatus(t, o.get("/network/vpcs/"+vpcID), http.StatusNotFound)
	o.get("/network/vpcs")
	wantStatus(t, o.post("/network/vpcs/"+vpcID+"/delete", nil), http.StatusNotFound)
	wantStatus(t, o.post("/network/subnets/"+subnetID+"/delete", nil), http.StatusNotFound)
	if o.get("/network/vpcs").doc.Find(`[data-testid="vpc-row"]`).Length() != 0 {
		t.Fatal("another account's VPC is listed")
	}

	// Once free, the subnet and then the VPC go.
	if err := ts.store.TerminateInstances(context.Background(), models.Actor{AccountID: uin, Via: models.ViaConsole}, []string{in.ID}); err != nil {
		t.Fatal(err)
	}
	ts.drain(t)
	wantStatus(t, c.post("/network/subnets/"+subnetID+"/delete", nil), http.StatusSeeOther)
	wantStatus(t, c.post("/network/vpcs/"+vpcID+"/delete", nil), http.StatusSeeOther)
	if n := netRows(t, ts); n[0] != 0 || n[1] != 0 {
		t.Fatalf("rows left: %v", n)
	}
}

func TestNetwork_SecurityGroupPages(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	uin := c.signUp("sg@example.com")
	c.get("/network/security-groups")
	res := c.post("/network/security-groups", url.Values{"name": {"web"}, "description": {"front"}})
	wantStatus(t, res, http.StatusSeeOther)
	page := strings.SplitN(res.Header.Get("Location"), "?", 2)[0]
	sgID := strings.TrimPrefix(page, "/network/security-groups/")
	c.get(page)
	res = c.post(page+"/policies", url.Values{"direction": {"Ingress"}, "protocol": {"TCP"}, "port": {"22"}, "cidr_block": {"10.0.0.0/8"}, "action": {"ACCEPT"}})
	wantStatus(t, res, http.StatusSeeOther)
	before := netRows(t, ts)
	res = c.post(page+"/policies", url.Values{"direction": {"Egress"}, "protocol": {"TCP"}, "port": {"99999"}, "cidr_block": {"0.0.0.0/0"}, "action": {"ACCEPT"}})
	res = c.follow(res)
	if got := res.doc.Find(`[data-testid="error-port"]`).AttrOr("data-code", ""); got != models.CodeInvalidParameterValue {
		t.Fatalf("port code %q", got)
	}
	if netRows(t, ts) != before {
		t.Fatal("a refused policy was written")
	}
	res = c.get(page)
	if rows := res.doc.Find(`[data-testid="ingress-row"]`); rows.Length() != 1 || !strings.Contains(rows.Text(), "10.0.0.0/8") {
		t.Fatalf("ingress rows %q", rows.Text())
	}
	if res.doc.Find(`[data-testid="egress-none"]`).Length() != 1 {
		t.Fatal("no empty egress")
	}

	in := launched(t, ts, uin)
	if err := ts.store.AttachSecurityGroups(context.Background(), models.Actor{AccountID: uin}, gzRegion, in.ID, []string{sgID}); err != nil {
		t.Fatal(err)
	}
	res = c.post(page+"/delete", nil)
	res = c.follow(res)
	if refusalCode(res.doc.Selection) != models.CodeResourceInUse {
		t.Fatalf("delete refusal %q", refusalCode(res.doc.Selection))
	}
	o := ts.client(t)
	o.signUp("other@example.com")
	wantStatus(t, o.get(page), http.StatusNotFound)
	o.get("/network/security-groups")
	wantStatus(t, o.post(page+"/delete", nil), http.StatusNotFound)
}

func TestNetwork_KeyPairPages(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	uin := c.signUp("keys@example.com")
	c.get("/network/keypairs")

	// Create: the private key is shown once, uncached, and it is real.
	res := c.follow(c.post("/network/keypairs", url.Values{"name": {"deploy"}}))
	priv := res.doc.Find(`[data-testid="new-private-key"]`).Text()
	signer, err := ssh.ParsePrivateKey([]byte(priv))
	if err != nil {
		t.Fatalf("the shown private key does not parse: %v", err)
	}
	if got := res.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q", got)
	}
	res = c.get("/network/keypairs")
	if strings.Contains(res.body, "PRIVATE KEY") {
		t.Fatal("the private key is shown again")
	}
	keyID := res.doc.Find(`[data-testid="key-pair-row"]`).AttrOr("data-id", "")
	detail := c.get("/network/keypairs/" + keyID)
	wantStatus(t, detail, http.StatusOK)
	if got := strings.TrimSpace(detail.doc.Find(`[data-testid="public-key"]`).Text()); got != strings.TrimSpace(string(ssh.MarshalAuthorizedKey(signer.PublicKey()))) {
		t.Fatalf("public key %q does not match the private key", got)
	}

	// Import: a malformed key is refused at its field; a duplicate name at the name.
	before := netRows(t, ts)
	res = c.post("/network/keypairs/import", url.Values{"name": {"laptop"}, "public_key": {"ssh-rsa nonsense"}})
	res = c.follow(res)
	if got := res.doc.Find(`[data-testid="error-public_key"]`).AttrOr("data-code", ""); got != models.CodePublicKeyMalformed {
		t.Fatalf("public key code %q", got)
	}
	res = c.post("/network/keypairs", url.Values{"name": {"deploy"}})
	res = c.follow(res)
	if got := res.doc.Find(`[data-testid="error-name"]`).AttrOr("data-code", ""); got != models.CodeKeyPairNameDuplicate {
		t.Fatalf("duplicate name code %q: %s", got, res.doc.Find("form").Text())
	}
	if netRows(t, ts) != before {
		t.Fatal("a refused key pair was written")
	}

	// In use: deleting is refused on its page.
	in := launched(t, ts, uin)
	if err := ts.store.AssociateKeyPairs(context.Background(), models.Actor{AccountID: uin}, gzRegion, []string{keyID}, []string{in.ID}); err != nil {
		t.Fatal(err)
	}
	c.get("/network/keypairs/" + keyID)
	res = c.post("/network/keypairs/"+keyID+"/delete", nil)
	res = c.follow(res)
	if refusalCode(res.doc.Selection) != models.CodeKeyPairInUse || res.doc.Find(`[data-testid="key-instance"]`).Text() != in.ID {
		t.Fatalf("delete refusal %q", refusalCode(res.doc.Selection))
	}
	o := ts.client(t)
	o.signUp("other@example.com")
	wantStatus(t, o.get("/network/keypairs/"+keyID), http.StatusNotFound)
	o.get("/network/keypairs")
	wantStatus(t, o.post("/network/keypairs/"+keyID+"/delete", nil), http.StatusNotFound)

	if err := ts.store.DisassociateKeyPairs(context.Background(), models.Actor{AccountID: uin}, gzRegion, []string{keyID}, []string{in.ID}); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, c.post("/network/keypairs/"+keyID+"/delete", nil), http.StatusSeeOther)
}

// ownedIDs are one network record of each kind of an account.
type ownedIDs struct{ vpc, subnet, group, key string }

func ownedNetwork(t *testing.T, ts *testServer, uin string) ownedIDs {
	t.Helper()
	ctx, a := context.Background(), models.Actor{AccountID: uin, Via: models.ViaConsole}
	v, err := ts.store.CreateVPC(ctx, a, gzRegion, models.VPCInput{Name: "owned", CIDR: "10.0.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	s, err := ts.store.CreateSubnet(ctx, a, gzRegion, models.SubnetInput{VpcID: v.ID, Name: "owned", CIDR: "10.0.0.0/24", Zone: "ap-guangzhou-3"})
	if err != nil {
		t.Fatal(err)
	}
	g, err := ts.store.CreateSecurityGroup(ctx, a, gzRegion, models.SecurityGroupInput{Name: "owned"})
	if err != nil {
		t.Fatal(err)
	}
	k, _, err := ts.store.CreateKeyPair(ctx, a, gzRegion, models.KeyPairInput{Name: "owned"})
	if err != nil {
		t.Fatal(err)
	}
	return ownedIDs{v.ID, s.ID, g.ID, k.ID}
}
