package models_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"imageconsole/models"
)

const gz = "ap-guangzhou"

// networkCounts are the rows of the network aggregate, to show that a
// refusal wrote nothing.
func (f *fixture) networkCounts(t *testing.T) string {
	t.Helper()
	var out []string
	for _, m := range []any{&models.VPC{}, &models.Subnet{}, &models.SecurityGroup{}, &models.SecurityGroupPolicy{},
		&models.KeyPair{}, &models.InstanceKeyPair{}} {
		var n int64
		if err := f.s.DB().Model(m).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprint(n))
	}
	return strings.Join(out, "/")
}

// refused runs fn, wants the code and no change in the network rows.
func (f *fixture) refused(t *testing.T, code string, fn func() error) {
	t.Helper()
	before := f.networkCounts(t)
	wantCode(t, fn(), code)
	if after := f.networkCounts(t); after != before {
		t.Fatalf("a refusal wrote rows: %s -> %s", before, after)
	}
}

func TestNetwork_VPCsAndSubnets(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	vpc, err := f.s.CreateVPC(ctx, f.a, gz, models.VPCInput{Name: "prod", CIDR: "10.0.0.0/16"})
	if err != nil || !models.ValidID("vpc", vpc.ID) {
		t.Fatalf("create vpc: %v %+v", err, vpc)
	}
	sub, err := f.s.CreateSubnet(ctx, f.a, gz, models.SubnetInput{VpcID: vpc.ID, Name: "a", CIDR: "10.0.1.0/24", Zone: "ap-guangzhou-3"})
	if err != nil || !models.ValidID("subnet", sub.ID) || sub.VpcID != vpc.ID {
		t.Fatalf("create subnet: %v %+v", err, sub)
	}
	other := f.mustActor(t, "other@example.com")

	t.Run("ErrVPC", func(t *testing.T) {
		for _, tc := range []struct{ name, cidr, code string }{
			{"", "10.0.0.0/16", models.CodeMissingParameter},
			{strings.Repeat("n", 61), "10.0.0.0/16", models.CodeNameTooLong},
			{"x", "10.0.0.1/16", models.CodeMalformed},
			{"x", "nonsense", models.CodeMalformed},
			{"x", "8.8.0.0/16", models.CodeRange},     // public
			{"x", "10.0.0.0/8", models.CodeRange},     // wider than /12
			{"x", "10.0.0.0/29", models.CodeRange},    // narrower than /28
			{"x", "172.32.0.0/16", models.CodeRange},  // just outside 172.16/12
			{"x", "192.168.0.0/15", models.CodeRange}, // wider than 192.168/16
		} {
			t.Run(tc.cidr, func(t *testing.T) {
				f.refused(t, tc.code, func() error {
					_, err := f.s.CreateVPC(ctx, f.a, gz, models.VPCInput{Name: tc.name, CIDR: tc.cidr})
					return err
				})
			})
		}
	})
	t.Run("ErrSubnet", func(t *testing.T) {
		for _, tc := range []struct {
			desc string
			in   models.SubnetInput
			as   models.Actor
			code string
		}{
			{"outside", models.SubnetInput{VpcID: vpc.ID, Name: "s", CIDR: "10.1.0.0/24", Zone: "ap-guangzhou-3"}, f.a, models.CodeSubnetRange},
			{"wider", models.SubnetInput{VpcID: vpc.ID, Name: "s", CIDR: "10.0.0.0/15", Zone: "ap-guangzhou-3"}, f.a, models.CodeSubnetRange},
			{"too narrow", models.SubnetInput{VpcID: vpc.ID, Name: "s", CIDR: "10.0.9.0/29", Zone: "ap-guangzhou-3"}, f.a, models.CodeSubnetRange},
			{"overlap", models.SubnetInput{VpcID: vpc.ID, Name: "s", CIDR: "10.0.0.0/23", Zone: "ap-guangzhou-3"}, f.a, models.CodeSubnetConflict},
			{"same", models.SubnetInput{VpcID: vpc.ID, Name: "s", CIDR: "10.0.1.0/24", Zone: "ap-guangzhou-4"}, f.a, models.CodeSubnetConflict},
			{"zone of another region", models.SubnetInput{VpcID: vpc.ID, Name: "s", CIDR: "10.0.2.0/24", Zone: "ap-beijing-1"}, f.a, models.CodeZoneConflict},
			{"malformed vpc", models.SubnetInput{VpcID: "vpc-1", Name: "s", CIDR: "10.0.2.0/24", Zone: "ap-guangzhou-3"}, f.a, models.CodeMalformed},
			{"another account's vpc", models.SubnetInput{VpcID: vpc.ID, Name: "s", CIDR: "10.0.2.0/24", Zone: "ap-guangzhou-3"}, other, models.CodeResourceNotFound},
		} {
			t.Run(tc.desc, func(t *testing.T) {
				f.refused(t, tc.code, func() error {
					_, err := f.s.CreateSubnet(ctx, tc.as, gz, tc.in)
					return err
				})
			})
		}
		t.Run("another region", func(t *testing.T) {
			f.refused(t, models.CodeResourceNotFound, func() error {
				_, err := f.s.CreateSubnet(ctx, f.a, "ap-beijing", models.SubnetInput{VpcID: vpc.ID, Name: "s", CIDR: "10.0.2.0/24", Zone: "ap-beijing-1"})
				return err
			})
		})
	})
	t.Run("Isolation", func(t *testing.T) {
		if list, n, err := f.s.VPCs(ctx, other, gz, models.NetworkQuery{}); err != nil || n != 0 || len(list) != 0 {
			t.Fatalf("another account sees %d VPCs (%v)", n, err)
		}
		if list, n, err := f.s.VPCs(ctx, f.a, "ap-beijing", models.NetworkQuery{}); err != nil || n != 0 || len(list) != 0 {
			t.Fatalf("another region shows %d VPCs (%v)", n, err)
		}
		f.refused(t, models.CodeResourceNotFound, func() error { return f.s.DeleteVPC(ctx, other, gz, vpc.ID) })
		f.refused(t, models.CodeResourceNotFound, func() error { return f.s.DeleteSubnet(ctx, other, gz, sub.ID) })
	})
	t.Run("Describe", func(t *testing.T) {
		list, n, err := f.s.Subnets(ctx, f.a, gz, models.NetworkQuery{Filters: []models.Filter{{Name: "vpc-id", Values: []string{vpc.ID}}}})
		if err != nil || n != 1 || list[0].ID != sub.ID || list[0].Zone != "ap-guangzhou-3" {
			t.Fatalf("subnets = %+v %d %v", list, n, err)
		}
		_, _, err = f.s.VPCs(ctx, f.a, gz, models.NetworkQuery{Filters: []models.Filter{{Name: "nope", Values: []string{"x"}}}})
		wantCode(t, err, models.CodeInvalidFilter)
		_, subs, err := f.s.VPC(ctx, f.a, gz, vpc.ID)
		if err != nil || len(subs) != 1 {
			t.Fatalf("vpc detail: %v %v", subs, err)
		}
	})
	t.Run("ErrDeleteVPCWithSubnets", func(t *testing.T) {
		f.refused(t, models.CodeResourceInUse, func() error { return f.s.DeleteVPC(ctx, f.a, gz, vpc.ID) })
	})
	t.Run("ErrDeleteSubnetInUse", func(t *testing.T) {
		in := f.mustInstance(t, gz, f.commonImage(t, "Ubuntu", models.ArchX86).ID)
		// mustInstance launches in the region's first zone.
		s2, err := f.s.CreateSubnet(ctx, f.a, gz, models.SubnetInput{VpcID: vpc.ID, Name: "b", CIDR: "10.0.2.0/24", Zone: in.Zone})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.s.AttachSubnet(ctx, f.a, gz, in.ID, s2.ID); err != nil {
			t.Fatal(err)
		}
		f.refused(t, models.CodeResourceInUse, func() error { return f.s.DeleteSubnet(ctx, f.a, gz, s2.ID) })
		// Once the instance is gone the subnet is free.
		if err := f.s.TerminateInstances(ctx, f.a, []string{in.ID}); err != nil {
			t.Fatal(err)
		}
		f.drain(t)
		if err := f.s.DeleteSubnet(ctx, f.a, gz, s2.ID); err != nil {
			t.Fatalf("delete after terminate: %v", err)
		}
	})
	t.Run("Delete", func(t *testing.T) {
		if err := f.s.DeleteSubnet(ctx, f.a, gz, sub.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.s.DeleteVPC(ctx, f.a, gz, vpc.ID); err != nil {
			t.Fatal(err)
		}
		f.refused(t, models.CodeResourceNotFound, func() error { return f.s.DeleteVPC(ctx, f.a, gz, vpc.ID) })
	})
	t.Run("ErrVPCLimit", func(t *testing.T) {
		for i := 0; i < models.MaxVPCs; i++ {
			if _, err := f.s.CreateVPC(ctx, f.a, gz, models.VPCInput{Name: "v", CIDR: "10.0.0.0/16"}); err != nil {
				t.Fatal(err)
			}
		}
		f.refused(t, models.CodeVpcLimit, func() error {
			_, err := f.s.CreateVPC(ctx, f.a, gz, models.VPCInput{Name: "v", CIDR: "10.0.0.0/16"})
			return err
		})
	})
}

func TestNetwork_SecurityGroups(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	sg, err := f.s.CreateSecurityGroup(ctx, f.a, gz, models.SecurityGroupInput{Name: "web", Description: "front"})
	if err != nil || !models.ValidID("sg", sg.ID) {
		t.Fatalf("create: %v %+v", err, sg)
	}
	ssh := models.PolicyInput{Protocol: "tcp", Port: "22", CidrBlock: "10.0.0.0/8", Action: "accept"}
	if err := f.s.CreateSecurityGroupPolicies(ctx, f.a, gz, sg.ID, []models.PolicyInput{ssh,
		{Protocol: "TCP", Port: "80,443", CidrBlock: "0.0.0.0/0", Action: "ACCEPT"}}, nil); err != nil {
		t.Fatal(err)
	}
	first := 0
	if err := f.s.CreateSecurityGroupPolicies(ctx, f.a, gz, sg.ID, []models.PolicyInput{
		{Protocol: "ICMP", CidrBlock: "192.168.1.7", Action: "DROP", PolicyIndex: &first}}, nil); err != nil {
		t.Fatal(err)
	}
	other := f.mustActor(t, "other@example.com")

	t.Run("Order", func(t *testing.T) {
		_, set, err := f.s.SecurityGroupPolicies(ctx, f.a, gz, sg.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range set.Ingress {
			got = append(got, fmt.Sprintf("%d:%s/%s/%s/%s", p.PolicyIndex, p.Protocol, p.Port, p.CidrBlock, p.Action))
		}
		want := "0:ICMP/ALL/192.168.1.7/32/DROP 1:TCP/22/10.0.0.0/8/ACCEPT 2:TCP/80,443/0.0.0.0/0/ACCEPT"
		if strings.Join(got, " ") != want || set.Version != 2 || len(set.Egress) != 0 {
			t.Fatalf("policies = %s (version %d), want %s", strings.Join(got, " "), set.Version, want)
		}
	})
	t.Run("ErrPolicy", func(t *testing.T) {
		big := 9
		for _, tc := range []struct {
			desc string
			p    models.PolicyInput
			code string
		}{
			{"protocol", models.PolicyInput{Protocol: "SCTP", CidrBlock: "0.0.0.0/0", Action: "ACCEPT"}, models.CodeInvalidParameterValue},
			{"action", models.PolicyInput{Protocol: "TCP", Port: "22", CidrBlock: "0.0.0.0/0", Action: "ALLOW"}, models.CodeInvalidParameterValue},
			{"port 0", models.PolicyInput{Protocol: "TCP", Port: "0", CidrBlock: "0.0.0.0/0", Action: "ACCEPT"}, models.CodeInvalidParameterValue},
			{"port range reversed", models.PolicyInput{Protocol: "TCP", Port: "90-80", CidrBlock: "0.0.0.0/0", Action: "ACCEPT"}, models.CodeInvalidParameterValue},
			{"port too big", models.PolicyInput{Protocol: "UDP", Port: "65536", CidrBlock: "0.0.0.0/0", Action: "ACCEPT"}, models.CodeInvalidParameterValue},
			{"icmp port", models.PolicyInput{Protocol: "ICMP", Port: "22", CidrBlock: "0.0.0.0/0", Action: "ACCEPT"}, models.CodeInvalidParameterValue},
			{"cidr", models.PolicyInput{Protocol: "TCP", Port: "22", CidrBlock: "10.0.0.1/8", Action: "ACCEPT"}, models.CodeMalformed},
			{"no cidr", models.PolicyInput{Protocol: "TCP", Port: "22", Action: "ACCEPT"}, models.CodeMissingParameter},
			{"duplicate", ssh, models.CodeDuplicatePolicy},
			{"index", models.PolicyInput{Protocol: "TCP", Port: "25", CidrBlock: "0.0.0.0/0", Action: "ACCEPT", PolicyIndex: &big}, models.CodeRange},
		} {
			t.Run(tc.desc, func(t *testing.T) {
				f.refused(t, tc.code, func() error {
					return f.s.CreateSecurityGroupPolicies(ctx, f.a, gz, sg.ID, []models.PolicyInput{tc.p}, nil)
				})
			})
		}
		t.Run("both directions", func(t *testing.T) {
			f.refused(t, models.CodeCoexist, func() error {
				return f.s.CreateSecurityGroupPolicies(ctx, f.a, gz, sg.ID, []models.PolicyInput{ssh}, []models.PolicyInput{ssh})
			})
		})
		t.Run("another account", func(t *testing.T) {
			p := models.PolicyInput{Protocol: "TCP", Port: "25", CidrBlock: "0.0.0.0/0", Action: "ACCEPT"}
			f.refused(t, models.CodeSecurityGroupNotFound, func() error {
				return f.s.CreateSecurityGroupPolicies(ctx, other, gz, sg.ID, []models.PolicyInput{p}, nil)
			})
		})
	})
	t.Run("ErrDeleteInUse", func(t *testing.T) {
		in := f.mustInstance(t, gz, f.commonImage(t, "Ubuntu", models.ArchX86).ID)
		if err := f.s.AttachSecurityGroups(ctx, f.a, gz, in.ID, []string{sg.ID}); err != nil {
			t.Fatal(err)
		}
		f.refused(t, models.CodeResourceInUse, func() error { return f.s.DeleteSecurityGroup(ctx, f.a, gz, sg.ID) })
		f.refused(t, models.CodeSecurityGroupNotFound, func() error { return f.s.DeleteSecurityGroup(ctx, other, gz, sg.ID) })
		f.refused(t, models.CodeSecurityGroupMalformed, func() error { return f.s.DeleteSecurityGroup(ctx, f.a, gz, "sg-1") })
		if err := f.s.TerminateInstances(ctx, f.a, []string{in.ID}); err != nil {
			t.Fatal(err)
		}
		f.drain(t)
		if err := f.s.DeleteSecurityGroup(ctx, f.a, gz, sg.ID); err != nil {
			t.Fatal(err)
		}
		var n int64
		f.s.DB().Model(&models.SecurityGroupPolicy{}).Count(&n)
		if n != 0 {
			t.Fatalf("%d policies outlived their group", n)
		}
	})
}

func TestNetwork_KeyPairs(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	kp, priv, err := f.s.CreateKeyPair(ctx, f.a, gz, models.KeyPairInput{Name: "deploy"})
	if err != nil || !models.ValidID("skey", kp.ID) {
		t.Fatalf("create: %v %+v", err, kp)
	}
	// The private key is real and matches the public key kept.
	signer, err := ssh.ParsePrivateKey([]byte(priv))
	if err != nil {
		t.Fatalf("private key: %v", err)
	}
	if got := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(signer.PublicKey()))); got != kp.PublicKey {
		t.Fatalf("public key %q does not match the private key's %q", kp.PublicKey, got)
	}
	pub2 := mustKey(t)
	imported, err := f.s.ImportKeyPair(ctx, f.a, gz, models.KeyPairInput{Name: "laptop", PublicKey: pub2 + " me@laptop\n"})
	if err != nil || imported.PublicKey != pub2+" me@laptop" {
		t.Fatalf("import: %v %+v", err, imported)
	}
	other := f.mustActor(t, "other@example.com")

	t.Run("Err", func(t *testing.T) {
		pub3 := mustKey(t)
		for _, tc := range []struct {
			desc string
			in   models.KeyPairInput
			code string
		}{
			{"empty name", models.KeyPairInput{PublicKey: pub3}, models.CodeKeyPairNameEmpty},
			{"long name", models.KeyPairInput{Name: strings.Repeat("k", 26), PublicKey: pub3}, models.CodeKeyPairNameTooLong},
			{"illegal name", models.KeyPairInput{Name: "my key", PublicKey: pub3}, models.CodeKeyPairNameIllegal},
			{"duplicate name", models.KeyPairInput{Name: "deploy", PublicKey: pub3}, models.CodeKeyPairNameDuplicate},
			{"duplicate key", models.KeyPairInput{Name: "again", PublicKey: pub2 + " another-comment"}, models.CodePublicKeyDuplicate},
			{"malformed key", models.KeyPairInput{Name: "bad", PublicKey: "ssh-ed25519 AAAAnotbase64"}, models.CodePublicKeyMalformed},
			{"private key", models.KeyPairInput{Name: "bad", PublicKey: priv}, models.CodePublicKeyMalformed},
		} {
			t.Run(tc.desc, func(t *testing.T) {
				f.refused(t, tc.code, func() error {
					_, err := f.s.ImportKeyPair(ctx, f.a, gz, tc.in)
					return err
				})
			})
		}
		// The same name is fine for another account, and in another region.
		if _, err := f.s.ImportKeyPair(ctx, other, gz, models.KeyPairInput{Name: "deploy", PublicKey: pub3}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.s.CreateKeyPair(ctx, f.a, "ap-beijing", models.KeyPairInput{Name: "deploy"}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("Filters", func(t *testing.T) {
		for _, tc := range []struct {
			f    models.Filter
			want int64
			code string
		}{
			{models.Filter{Name: "key-name", Values: []string{"deploy"}}, 1, ""},
			{models.Filter{Name: "project-id", Values: []string{"0"}}, 2, ""},
			{models.Filter{Name: "project-id", Values: []string{"7"}}, 0, ""},
			{models.Filter{Name: "project-id", Values: []string{"x"}}, 0, models.CodeInvalidParameterValue},
			{models.Filter{Name: "owner", Values: []string{"x"}}, 0, models.CodeInvalidFilter},
		} {
			_, n, err := f.s.KeyPairs(ctx, f.a, gz, models.NetworkQuery{Filters: []models.Filter{tc.f}})
			wantCode(t, err, tc.code)
			if n != tc.want {
				t.Errorf("%v: %d key pairs, want %d", tc.f, n, tc.want)
			}
		}
	})
	t.Run("Isolation", func(t *testing.T) {
		f.refused(t, models.CodeKeyPairNotFound, func() error { return f.s.DeleteKeyPairs(ctx, other, gz, []string{kp.ID}) })
		f.refused(t, models.CodeKeyPairNotFound, func() error { return f.s.DeleteKeyPairs(ctx, f.a, "ap-beijing", []string{kp.ID}) })
		f.refused(t, models.CodeKeyPairMalformed, func() error { return f.s.DeleteKeyPairs(ctx, f.a, gz, []string{"skey-1"}) })
		list, n, err := f.s.KeyPairs(ctx, other, gz, models.NetworkQuery{})
		if err != nil || n != 1 || list[0].ID == kp.ID {
			t.Fatalf("other's list: %+v %d %v", list, n, err)
		}
	})
	t.Run("InUse", func(t *testing.T) {
		in := f.mustInstance(t, gz, f.commonImage(t, "Ubuntu", models.ArchX86).ID)
		f.refused(t, models.CodeKeyPairNotFound, func() error {
			return f.s.AssociateKeyPairs(ctx, other, gz, []string{kp.ID}, []string{in.ID})
		})
		theirs, _, err := f.s.KeyPairs(ctx, other, gz, models.NetworkQuery{})
		if err != nil {
			t.Fatal(err)
		}
		f.refused(t, models.CodeInstanceNotFound, func() error {
			return f.s.AssociateKeyPairs(ctx, other, gz, []string{theirs[0].ID}, []string{in.ID})
		})
		if err := f.s.AssociateKeyPairs(ctx, f.a, gz, []string{kp.ID, imported.ID}, []string{in.ID}); err != nil {
			t.Fatal(err)
		}
		got, err := f.s.KeyPair(ctx, f.a, gz, kp.ID)
		if err != nil || len(got.AssociatedInstanceIDs) != 1 || got.AssociatedInstanceIDs[0] != in.ID {
			t.Fatalf("associated: %+v %v", got, err)
		}
		win := f.mustInstance(t, gz, f.commonImage(t, "Windows", models.ArchX86).ID)
		f.refused(t, models.CodeKeyPairWindows, func() error {
			return f.s.AssociateKeyPairs(ctx, f.a, gz, []string{kp.ID}, []string{win.ID})
		})
		// All or none: the free key is not deleted either.
		f.refused(t, models.CodeKeyPairInUse, func() error { return f.s.DeleteKeyPairs(ctx, f.a, gz, []string{imported.ID, kp.ID}) })
		if err := f.s.DisassociateKeyPairs(ctx, f.a, gz, []string{kp.ID}, []string{in.ID}); err != nil {
			t.Fatal(err)
		}
		if err := f.s.DeleteKeyPairs(ctx, f.a, gz, []string{kp.ID}); err != nil {
			t.Fatal(err)
		}
		f.refused(t, models.CodeKeyPairInUse, func() error { return f.s.DeleteKeyPairs(ctx, f.a, gz, []string{imported.ID}) })
	})
}

// mustKey makes an Ed25519 public key in the authorized_keys format.
func mustKey(t *testing.T) string {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k)))
}
