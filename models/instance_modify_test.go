package models_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"imageconsole/models"
)

func TestStore_ModifyInstancesAttribute(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	net := f.mustLaunchNet(t, f.a, "10.0")
	in := f.mustInstance(t, gz, f.commonImage(t, "Ubuntu", models.ArchX86).ID)
	other := f.mustActor(t, "other@example.com")
	theirs := f.mustLaunchNet(t, other, "10.1")
	str := func(s string) *string { return &s }
	on := true
	state := func() string {
		got, err := f.s.Instance(ctx, f.a.AccountID, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(got.Name, got.HostName, got.DisableAPITermination, got.Network.SecurityGroupIDs, got.UserData)
	}
	for _, tc := range []struct {
		name  string
		attrs models.InstanceAttributes
		code  string
	}{
		{"ErrNameTooLong", models.InstanceAttributes{Name: str(strings.Repeat("a", 61))}, models.CodeInstanceNameTooLong},
		{"ErrHostName", models.InstanceAttributes{HostName: str("-web")}, models.CodeIllegalHostName},
		{"ErrUserData", models.InstanceAttributes{UserData: str("%")}, models.CodeUserDataFormat},
		{"ErrGroup", models.InstanceAttributes{SecurityGroupIDs: []string{theirs.sg}, DisableAPITermination: &on}, models.CodeSgIDNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := state()
			wantCode(t, f.s.ModifyInstancesAttribute(ctx, f.a, gz, []string{in.ID}, tc.attrs), tc.code)
			if after := state(); after != before {
				t.Fatalf("a refusal changed the instance: %s -> %s", before, after)
			}
		})
	}
	t.Run("OK", func(t *testing.T) {
		err := f.s.ModifyInstancesAttribute(ctx, f.a, gz, []string{in.ID}, models.InstanceAttributes{Name: str("renamed"),
			HostName: str("web-1"), SecurityGroupIDs: []string{net.sg}, DisableAPITermination: &on, UserData: str("")})
		if err != nil {
			t.Fatal(err)
		}
		if got := state(); got != fmt.Sprint("renamed", "web-1", true, []string{net.sg}, "") {
			t.Fatalf("after the change: %s", got)
		}
		wantCode(t, f.s.TerminateInstances(ctx, f.a, []string{in.ID}), models.CodeInstancesProtected)
	})
}
