package models_test

import (
	"context"
	"testing"

	"imageconsole/models"
)

func TestNetwork_NetworkRegion(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	sh := "ap-shanghai"
	vpc, err := f.s.CreateVPC(ctx, f.a, sh, models.VPCInput{Name: "sh", CIDR: "10.0.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := f.s.CreateSubnet(ctx, f.a, sh, models.SubnetInput{VpcID: vpc.ID, Name: "a", CIDR: "10.0.1.0/24", Zone: "ap-shanghai-2"})
	if err != nil {
		t.Fatal(err)
	}
	sg, err := f.s.CreateSecurityGroup(ctx, f.a, gz, models.SecurityGroupInput{Name: "web"})
	if err != nil {
		t.Fatal(err)
	}
	kp, _, err := f.s.CreateKeyPair(ctx, f.a, "ap-tokyo", models.KeyPairInput{Name: "deploy"})
	if err != nil {
		t.Fatal(err)
	}
	other := f.mustActor(t, "other@example.com")
	tests := []struct {
		name, id   string
		actor      models.Actor
		wantRegion string
		wantCode   string
	}{
		{"OK/VPC", vpc.ID, f.a, sh, ""},
		{"OK/Subnet", sub.ID, f.a, sh, ""},
		{"OK/SecurityGroup", sg.ID, f.a, gz, ""},
		{"OK/KeyPair", kp.ID, f.a, "ap-tokyo", ""},
		{"ErrAnotherAccount", vpc.ID, other, "", models.CodeResourceNotFound},
		{"ErrUnknownID", "vpc-zzzzzzzz", f.a, "", models.CodeResourceNotFound},
		{"ErrNotANetworkID", "img-12345678", f.a, "", models.CodeResourceNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f.s.NetworkRegion(ctx, tt.actor, tt.id)
			if tt.wantCode != "" {
				wantCode(t, err, tt.wantCode)
				return
			}
			if err != nil || got != tt.wantRegion {
				t.Errorf("NetworkRegion(%s) = %q, %v; want %q", tt.id, got, err, tt.wantRegion)
			}
		})
	}
}
