package api_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"
	vpc "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc/v20170312"
	"golang.org/x/crypto/ssh"

	"imageconsole/handlers/api/tc3"
	"imageconsole/models"
)

// vpcClient is the official VPC SDK client: it signs with the service vpc.
func (e *env) vpcClient(t testing.TB, u user, o opts) *vpc.Client {
	t.Helper()
	c, err := vpc.NewClient(common.NewCredential(u.secretID, u.secretKey), o.region, e.profile(o))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// networkRows counts the network aggregate's rows.
func (e *env) networkRows(t *testing.T) [5]int64 {
	t.Helper()
	return [5]int64{countRows(t, e.store, &models.VPC{}), countRows(t, e.store, &models.Subnet{}),
		countRows(t, e.store, &models.SecurityGroup{}), countRows(t, e.store, &models.SecurityGroupPolicy{}),
		countRows(t, e.store, &models.KeyPair{})}
}

// refusedAPI wants the code from the call and no new network rows.
func (e *env) refusedAPI(t *testing.T, code string, call func() error) {
	t.Helper()
	before := e.networkRows(t)
	wantCode(t, call(), code)
	if after := e.networkRows(t); after != before {
		t.Fatalf("a refusal wrote rows: %v -> %v", before, after)
	}
}

func TestAPI_VPC(t *testing.T) {
	for _, method := range methods {
		t.Run(method, func(t *testing.T) {
			e := newEnv(t)
			u, other := e.user(t, "a@example.com"), e.user(t, "b@example.com")
			c, co := e.vpcClient(t, u, opts{method: method, region: gz}), e.vpcClient(t, other, opts{method: method, region: gz})

			cv := vpc.NewCreateVpcRequest()
			cv.VpcName, cv.CidrBlock = common.StringPtr("prod"), common.StringPtr("10.0.0.0/16")
			res, err := c.CreateVpc(cv)
			if err != nil {
				t.Fatal(err)
			}
			vpcID := *res.Response.Vpc.VpcId
			if !models.ValidID("vpc", vpcID) || *res.Response.Vpc.CidrBlock != "10.0.0.0/16" {
				t.Fatalf("vpc = %+v", res.Response.Vpc)
			}
			subnet := func(cidr, zone string) *vpc.CreateSubnetRequest {
				r := vpc.NewCreateSubnetRequest()
				r.VpcId, r.SubnetName, r.CidrBlock, r.Zone = &vpcID, common.StringPtr("s"), &cidr, &zone
				return r
			}
			sres, err := c.CreateSubnet(subnet("10.0.1.0/24", "ap-guangzhou-3"))
			if err != nil {
				t.Fatal(err)
			}
			subnetID := *sres.Response.Subnet.SubnetId
			if *sres.Response.Subnet.Zone != "ap-guangzhou-3" || *sres.Response.Subnet.VpcId != vpcID {
				t.Fatalf("subnet = %+v", sres.Response.Subnet)
			}

			for _, tc := range []struct {
				name string
				call func() error
				code string
			}{
				{"ErrVPCPublicCIDR", func() error {
					r := vpc.NewCreateVpcRequest()
					r.VpcName, r.CidrBlock = common.StringPtr("x"), common.StringPtr("8.8.0.0/16")
					_, err := c.CreateVpc(r)
					return err
				}, models.CodeRange},
				{"ErrSubnetOutside", func() error { _, err := c.CreateSubnet(subnet("10.9.0.0/24", "ap-guangzhou-3")); return err }, models.CodeSubnetRange},
				{"ErrSubnetOverlap", func() error { _, err := c.CreateSubnet(subnet("10.0.1.128/25", "ap-guangzhou-3")); return err }, models.CodeSubnetConflict},
				{"ErrSubnetZone", func() error { _, err := c.CreateSubnet(subnet("10.0.2.0/24", "ap-shanghai-2")); return err }, models.CodeZoneConflict},
				{"ErrSubnetOtherAccount", func() error { _, err := co.CreateSubnet(subnet("10.0.2.0/24", "ap-guangzhou-3")); return err }, models.CodeResourceNotFound},
				{"ErrDeleteVPCWithSubnets", func() error {
					r := vpc.NewDeleteVpcRequest()
					r.VpcId = &vpcID
					_, err := c.DeleteVpc(r)
					return err
				}, models.CodeResourceInUse},
				{"ErrDeleteOtherAccount", func() error {
					r := vpc.NewDeleteSubnetRequest()
					r.SubnetId = &subnetID
					_, err := co.DeleteSubnet(r)
					return err
				}, models.CodeResourceNotFound},
				{"ErrLimitNotNumber", func() error {
					r := vpc.NewDescribeVpcsRequest()
					r.Limit = common.StringPtr("ten")
					_, err := c.DescribeVpcs(r)
					return err
				}, models.CodeInvalidParameterValue},
			} {
				t.Run(tc.name, func(t *testing.T) { e.refusedAPI(t, tc.code, tc.call) })
			}

			t.Run("Describe", func(t *testing.T) {
				dv, err := c.DescribeVpcs(vpc.NewDescribeVpcsRequest())
				if err != nil || *dv.Response.TotalCount != 1 || *dv.Response.VpcSet[0].VpcId != vpcID {
					t.Fatalf("DescribeVpcs: %v %+v", err, dv)
				}
				dvo, err := co.DescribeVpcs(vpc.NewDescribeVpcsRequest())
				if err != nil || *dvo.Response.TotalCount != 0 {
					t.Fatalf("another account sees VPCs: %v %+v", err, dvo)
				}
				r := vpc.NewDescribeSubnetsRequest()
				r.Filters = []*vpc.Filter{{Name: common.StringPtr("vpc-id"), Values: common.StringPtrs([]string{vpcID})}}
				ds, err := c.DescribeSubnets(r)
				if err != nil || *ds.Response.TotalCount != 1 || *ds.Response.SubnetSet[0].SubnetId != subnetID {
					t.Fatalf("DescribeSubnets: %v %+v", err, ds)
				}
			})
			t.Run("Delete", func(t *testing.T) {
				ds := vpc.NewDeleteSubnetRequest()
				ds.SubnetId = &subnetID
				if _, err := c.DeleteSubnet(ds); err != nil {
					t.Fatal(err)
				}
				dv := vpc.NewDeleteVpcRequest()
				dv.VpcId = &vpcID
				if _, err := c.DeleteVpc(dv); err != nil {
					t.Fatal(err)
				}
			})
		})
	}
}

func TestAPI_SecurityGroups(t *testing.T) {
	e := newEnv(t)
	u, other := e.user(t, "a@example.com"), e.user(t, "b@example.com")
	c, co := e.vpcClient(t, u, opts{region: gz}), e.vpcClient(t, other, opts{region: gz})
	cg := vpc.NewCreateSecurityGroupRequest()
	cg.GroupName, cg.GroupDescription = common.StringPtr("web"), common.StringPtr("front end")
	res, err := c.CreateSecurityGroup(cg)
	if err != nil {
		t.Fatal(err)
	}
	sgID := *res.Response.SecurityGroup.SecurityGroupId
	policies := func(id string, in, out []*vpc.SecurityGroupPolicy) *vpc.CreateSecurityGroupPoliciesRequest {
		r := vpc.NewCreateSecurityGroupPoliciesRequest()
		r.SecurityGroupId = &id
		r.SecurityGroupPolicySet = &vpc.SecurityGroupPolicySet{Ingress: in, Egress: out}
		return r
	}
	pol := func(proto, port, cidr, action string) *vpc.SecurityGroupPolicy {
		return &vpc.SecurityGroupPolicy{Protocol: &proto, Port: &port, CidrBlock: &cidr, Action: &action}
	}
	if _, err := c.CreateSecurityGroupPolicies(policies(sgID, []*vpc.SecurityGroupPolicy{pol("TCP", "22", "10.0.0.0/8", "ACCEPT"),
		pol("TCP", "443", "0.0.0.0/0", "ACCEPT")}, nil)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateSecurityGroupPolicies(policies(sgID, nil, []*vpc.SecurityGroupPolicy{pol("ALL", "ALL", "0.0.0.0/0", "ACCEPT")})); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		call func() error
		code string
	}{
		{"ErrBadPort", func() error {
			_, err := c.CreateSecurityGroupPolicies(policies(sgID, []*vpc.SecurityGroupPolicy{pol("TCP", "70000", "0.0.0.0/0", "ACCEPT")}, nil))
			return err
		}, models.CodeInvalidParameterValue},
		{"ErrBothDirections", func() error {
			p := pol("TCP", "80", "0.0.0.0/0", "ACCEPT")
			_, err := c.CreateSecurityGroupPolicies(policies(sgID, []*vpc.SecurityGroupPolicy{p}, []*vpc.SecurityGroupPolicy{p}))
			return err
		}, models.CodeCoexist},
		{"ErrOtherAccount", func() error {
			_, err := co.CreateSecurityGroupPolicies(policies(sgID, []*vpc.SecurityGroupPolicy{pol("TCP", "80", "0.0.0.0/0", "ACCEPT")}, nil))
			return err
		}, models.CodeSecurityGroupNotFound},
		{"ErrDeleteOtherAccount", func() error {
			r := vpc.NewDeleteSecurityGroupRequest()
			r.SecurityGroupId = &sgID
			_, err := co.DeleteSecurityGroup(r)
			return err
		}, models.CodeSecurityGroupNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) { e.refusedAPI(t, tc.code, tc.call) })
	}
	dp := vpc.NewDescribeSecurityGroupPoliciesRequest()
	dp.SecurityGroupId = &sgID
	pr, err := c.DescribeSecurityGroupPolicies(dp)
	if err != nil {
		t.Fatal(err)
	}
	set := pr.Response.SecurityGroupPolicySet
	if len(set.Ingress) != 2 || *set.Ingress[1].Port != "443" || *set.Ingress[1].PolicyIndex != 1 || len(set.Egress) != 1 || *set.Version != "2" {
		t.Fatalf("policies = %s", pr.ToJsonString())
	}
	dg, err := c.DescribeSecurityGroups(vpc.NewDescribeSecurityGroupsRequest())
	if err != nil || *dg.Response.TotalCount != 1 || *dg.Response.SecurityGroupSet[0].SecurityGroupDesc != "front end" {
		t.Fatalf("DescribeSecurityGroups: %v %+v", err, dg)
	}
	del := vpc.NewDeleteSecurityGroupRequest()
	del.SecurityGroupId = &sgID
	if _, err := c.DeleteSecurityGroup(del); err != nil {
		t.Fatal(err)
	}
}

func TestAPI_KeyPairs(t *testing.T) {
	e := newEnv(t)
	u, other := e.user(t, "a@example.com"), e.user(t, "b@example.com")
	c, co := e.client(t, u, opts{region: gz}), e.client(t, other, opts{region: gz})
	ck := cvm.NewCreateKeyPairRequest()
	ck.KeyName, ck.ProjectId = common.StringPtr("deploy"), common.Int64Ptr(0)
	res, err := c.CreateKeyPair(ck)
	if err != nil {
		t.Fatal(err)
	}
	kp := res.Response.KeyPair
	signer, err := ssh.ParsePrivateKey([]byte(*kp.PrivateKey))
	if err != nil || strings.TrimSpace(string(ssh.MarshalAuthorizedKey(signer.PublicKey()))) != *kp.PublicKey {
		t.Fatalf("the private key does not match the public key: %v", err)
	}
	keyID := *kp.KeyId
	ik := cvm.NewImportKeyPairRequest()
	ik.KeyName, ik.ProjectId, ik.PublicKey = common.StringPtr("laptop"), common.Int64Ptr(0), common.StringPtr(*kp.PublicKey+"x")
	e.refusedAPI(t, models.CodePublicKeyMalformed, func() error { _, err := c.ImportKeyPair(ik); return err })
	ik.PublicKey = kp.PublicKey
	e.refusedAPI(t, models.CodePublicKeyDuplicate, func() error { _, err := c.ImportKeyPair(ik); return err })
	ik.KeyName = common.StringPtr("deploy")
	e.refusedAPI(t, models.CodeKeyPairNameDuplicate, func() error { _, err := c.ImportKeyPair(ik); return err })

	instances := e.run(t, c, e.commonImage(t, "Ubuntu", models.ArchX86), 1)
	assoc := cvm.NewAssociateInstancesKeyPairsRequest()
	assoc.KeyIds, assoc.InstanceIds = common.StringPtrs([]string{keyID}), common.StringPtrs(instances)
	e.refusedAPI(t, models.CodeKeyPairNotFound, func() error { _, err := co.AssociateInstancesKeyPairs(assoc); return err })
	// A running instance needs ForceStop (the SDK's rule).
	e.refusedAPI(t, "UnsupportedOperation.InstanceStateRunning", func() error { _, err := c.AssociateInstancesKeyPairs(assoc); return err })
	assoc.ForceStop = common.BoolPtr(true)
	if _, err := c.AssociateInstancesKeyPairs(assoc); err != nil {
		t.Fatal(err)
	}
	dk, err := c.DescribeKeyPairs(cvm.NewDescribeKeyPairsRequest())
	if err != nil || *dk.Response.TotalCount != 1 || dk.Response.KeyPairSet[0].PrivateKey != nil ||
		len(dk.Response.KeyPairSet[0].AssociatedInstanceIds) != 1 || *dk.Response.KeyPairSet[0].AssociatedInstanceIds[0] != instances[0] {
		t.Fatalf("DescribeKeyPairs: %v %s", err, dk.ToJsonString())
	}
	if dko, err := co.DescribeKeyPairs(cvm.NewDescribeKeyPairsRequest()); err != nil || *dko.Response.TotalCount != 0 {
		t.Fatalf("another account sees key pairs: %v", err)
	}
	del := cvm.NewDeleteKeyPairsRequest()
	del.KeyIds = common.StringPtrs([]string{keyID})
	e.refusedAPI(t, models.CodeKeyPairInUse, func() error { _, err := c.DeleteKeyPairs(del); return err })
	dis := cvm.NewDisassociateInstancesKeyPairsRequest()
	dis.KeyIds, dis.InstanceIds, dis.ForceStop = assoc.KeyIds, assoc.InstanceIds, common.BoolPtr(true)
	if _, err := c.DisassociateInstancesKeyPairs(dis); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteKeyPairs(del); err != nil {
		t.Fatal(err)
	}
}

// A scope that names one of the products reaches that product's actions
// only: a VPC action signed with the scope cvm, or a CVM one with vpc, does
// not exist there (InvalidAction), as on the real endpoints.
func TestAPI_ServiceScope(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "a@example.com")
	for _, tc := range []struct{ action, service, want string }{
		{"DescribeVpcs", "vpc", ""},
		{"DescribeVpcs", "cvm", "InvalidAction"},
		{"DescribeKeyPairs", "cvm", ""},
		{"DescribeKeyPairs", "vpc", "InvalidAction"},
	} {
		t.Run(tc.action+"/"+tc.service, func(t *testing.T) {
			body, ts := []byte("{}"), time.Now().Unix()
			got := e.rawRequest(t, u, "POST", tc.action, "", body, "X-TC-Timestamp", strconv.FormatInt(ts, 10), "Authorization",
				tc3.Sign(u.secretID, u.secretKey, tc.service, e.endpoint, "application/json", "POST", "", body, ts))
			if got.code() != tc.want {
				t.Fatalf("code = %q, want %q (%s)", got.code(), tc.want, got.body)
			}
		})
	}
}
