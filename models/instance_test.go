package models_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"imageconsole/models"
)

func TestStore_RunInstances(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	ubuntu := f.commonImage(t, "Ubuntu", models.ArchX86)
	ubuntuArm := f.commonImage(t, "Ubuntu", models.ArchARM)
	t.Run("OK", func(t *testing.T) {
		ids, err := f.s.RunInstances(ctx, f.a, models.LaunchInput{Region: "ap-guangzhou", Zone: "ap-guangzhou-3",
			InstanceType: "S5.SMALL2", ImageID: ubuntu.ID, Count: 3, Name: "web"})
		if err != nil || len(ids) != 3 {
			t.Fatalf("ids %v, err %v", ids, err)
		}
		var names []string
		for _, id := range ids {
			in, _ := f.s.Instance(ctx, f.a.AccountID, id)
			if in.State != models.InstancePending {
				t.Errorf("%s is %s, want PENDING", id, in.State)
			}
			names = append(names, in.Name)
		}
		if sort.Strings(names); strings.Join(names, ",") != "web1,web2,web3" { // the SDK appends 1…n directly
			t.Errorf("names %v, want web1 to web3", names)
		}
		in, _ := f.s.Instance(ctx, f.a.AccountID, ids[1])
		f.drain(t)
		in, _ = f.s.Instance(ctx, f.a.AccountID, ids[1])
		if in.State != models.InstanceRunning {
			t.Errorf("state %s after the launch task, want RUNNING", in.State)
		}
	})
	t.Run("OK/ArmOnSR1", func(t *testing.T) {
		if _, err := f.s.RunInstances(ctx, f.a, models.LaunchInput{Region: "ap-guangzhou", Zone: "ap-guangzhou-3",
			InstanceType: "SR1.MEDIUM4", ImageID: ubuntuArm.ID, Count: 1}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("OK/ClientTokenIdempotent", func(t *testing.T) {
		in := models.LaunchInput{Region: "ap-guangzhou", Zone: "ap-guangzhou-4", InstanceType: "S5.SMALL2", ImageID: ubuntu.ID, Count: 2, ClientToken: "tok-1"}
		first, err := f.s.RunInstances(ctx, f.a, in)
		if err != nil {
			t.Fatal(err)
		}
		before := f.counts(t)
		again, err := f.s.RunInstances(ctx, f.a, in)
		if err != nil || len(again) != 2 || again[0] != first[0] && again[0] != first[1] {
			t.Fatalf("second request gave %v (%v), want %v", again, err, first)
		}
		if after := f.counts(t); after != before {
			t.Errorf("a repeated token wrote: %s → %s", before, after)
		}
	})
	tests := []struct {
		name string
		in   models.LaunchInput
		code string
	}{
		{"ErrArchMismatchArmOnX86", models.LaunchInput{Zone: "ap-guangzhou-3", InstanceType: "S5.SMALL2", ImageID: ubuntuArm.ID, Count: 1}, models.CodeInvalidImageForType},
		{"ErrArchMismatchX86OnArm", models.LaunchInput{Zone: "ap-guangzhou-3", InstanceType: "SR1.LARGE8", ImageID: ubuntu.ID, Count: 1}, models.CodeInvalidImageForType},
		{"ErrZoneOfOtherRegion", models.LaunchInput{Zone: "ap-tokyo-1", InstanceType: "S5.SMALL2", ImageID: ubuntu.ID, Count: 1}, models.CodeInvalidZoneMismatch},
		{"ErrUnknownZone", models.LaunchInput{Zone: "ap-guangzhou-99", InstanceType: "S5.SMALL2", ImageID: ubuntu.ID, Count: 1}, models.CodeZoneNotSupported},
		{"ErrUnknownType", models.LaunchInput{Zone: "ap-guangzhou-3", InstanceType: "X9.HUGE", ImageID: ubuntu.ID, Count: 1}, models.CodeInstanceTypeNotFound},
		{"ErrCountZero", models.LaunchInput{Zone: "ap-guangzhou-3", InstanceType: "S5.SMALL2", ImageID: ubuntu.ID, Count: 0}, models.CodeRange},
		{"ErrCount101", models.LaunchInput{Zone: "ap-guangzhou-3", InstanceType: "S5.SMALL2", ImageID: ubuntu.ID, Count: 101}, models.CodeRange},
		{"ErrImageMissing", models.LaunchInput{Zone: "ap-guangzhou-3", InstanceType: "S5.SMALL2", ImageID: "img-zzzzzzzz", Count: 1}, models.CodeInvalidImageIDNotFound},
		{"ErrImageMalformed", models.LaunchInput{Zone: "ap-guangzhou-3", InstanceType: "S5.SMALL2", ImageID: "ubuntu", Count: 1}, models.CodeInvalidImageIDMalformed},
		{"ErrQuotaAllOrNothing", models.LaunchInput{Zone: "ap-guangzhou-3", InstanceType: "S5.SMALL2", ImageID: ubuntu.ID, Count: 45}, models.CodeInstancesQuota},
		{"ErrChargeType", models.LaunchInput{Zone: "ap-guangzhou-3", InstanceType: "S5.SMALL2", ImageID: ubuntu.ID, Count: 1, ChargeType: "PREPAID"}, models.CodeInvalidParameterValue},
		{"ErrDryRun", models.LaunchInput{Zone: "ap-guangzhou-3", InstanceType: "S5.SMALL2", ImageID: ubuntu.ID, Count: 1, DryRun: true}, models.CodeDryRun},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.Region = "ap-guangzhou"
			before := f.counts(t)
			_, err := f.s.RunInstances(ctx, f.a, tt.in)
			wantCode(t, err, tt.code)
			if after := f.counts(t); after != before {
				t.Errorf("refused launch wrote: %s → %s", before, after)
			}
		})
	}
}

func TestStore_InstanceActions(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	ubuntu := f.commonImage(t, "Ubuntu", models.ArchX86)
	in := f.mustInstance(t, "ap-guangzhou", ubuntu.ID)
	state := func() string {
		got, err := f.s.Instance(ctx, f.a.AccountID, in.ID)
		if err != nil {
			return "gone"
		}
		return got.State
	}
	steps := []struct {
		name       string
		do         func() error
		via, final string
	}{
		{"Reboot", func() error { return f.s.RebootInstances(ctx, f.a, []string{in.ID}) }, models.InstanceRebooting, models.InstanceRunning},
		{"Stop", func() error { return f.s.StopInstances(ctx, f.a, []string{in.ID}) }, models.InstanceStopping, models.InstanceStopped},
		{"Start", func() error { return f.s.StartInstances(ctx, f.a, []string{in.ID}) }, models.InstanceStarting, models.InstanceRunning},
		{"Terminate", func() error { return f.s.TerminateInstances(ctx, f.a, []string{in.ID}) }, models.InstanceTerminating, "gone"},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got := state(); got != st.via {
			t.Errorf("%s: state %s, want %s", st.name, got, st.via)
		}
		f.drain(t)
		if got := state(); got != st.final {
			t.Errorf("%s: state %s after the task, want %s", st.name, got, st.final)
		}
	}
	if u, _ := f.s.QuotaUsage(ctx, f.a.AccountID, "ap-guangzhou"); u.InstancesUsed != 0 {
		t.Errorf("terminated instance still counts: %d", u.InstancesUsed)
	}

	running := f.mustInstance(t, "ap-guangzhou", ubuntu.ID)
	stopped := f.mustInstance(t, "ap-guangzhou", ubuntu.ID)
	f.s.StopInstances(ctx, f.a, []string{stopped.ID})
	f.drain(t)
	other := models.Actor{AccountID: "999999999999", Via: models.ViaAPI}
	errs := []struct {
		name string
		err  func() error
		code string
	}{
		{"ErrStartRunning", func() error { return f.s.StartInstances(ctx, f.a, []string{running.ID}) }, "UnsupportedOperation.InstanceStateRunning"},
		{"ErrStopStopped", func() error { return f.s.StopInstances(ctx, f.a, []string{stopped.ID}) }, "UnsupportedOperation.InstanceStateStopped"},
		{"ErrAllOrNothing", func() error { return f.s.StopInstances(ctx, f.a, []string{running.ID, stopped.ID}) }, "UnsupportedOperation.InstanceStateStopped"},
		{"ErrOtherAccount", func() error { return f.s.StopInstances(ctx, other, []string{running.ID}) }, models.CodeInstanceNotFound},
		{"ErrMalformed", func() error { return f.s.StopInstances(ctx, f.a, []string{"i-1"}) }, models.CodeInstanceMalformed},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			before := f.counts(t)
			wantCode(t, tt.err(), tt.code)
			if after := f.counts(t); after != before {
				t.Errorf("refusal wrote: %s → %s", before, after)
			}
			if got, _ := f.s.Instance(ctx, f.a.AccountID, running.ID); got.State != models.InstanceRunning {
				t.Errorf("running instance is now %s", got.State)
			}
		})
	}
}

func TestStore_ResetInstance(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Limits.DailyOps = 100
	ubuntu := f.commonImage(t, "Ubuntu", models.ArchX86)
	backup := f.mustCreateImage(t, "ap-guangzhou", "backup")
	in := f.mustInstance(t, "ap-guangzhou", ubuntu.ID)
	elsewhere := f.mustCreateImage(t, "ap-shanghai", "elsewhere")
	arm := f.commonImage(t, "Ubuntu", models.ArchARM)

	t.Run("OK/FromCustomImage", func(t *testing.T) {
		if err := f.s.ResetInstance(ctx, f.a, in.ID, backup.ID); err != nil {
			t.Fatal(err)
		}
		got, _ := f.s.Instance(ctx, f.a.AccountID, in.ID)
		if got.State != models.InstanceResetting || got.ImageID != ubuntu.ID {
			t.Errorf("during reset: %s with %s", got.State, got.ImageID)
		}
		f.drain(t)
		got, _ = f.s.Instance(ctx, f.a.AccountID, in.ID)
		if got.State != models.InstanceRunning || got.ImageID != backup.ID || got.ID != in.ID {
			t.Errorf("after reset: %s %s with %s", got.ID, got.State, got.ImageID)
		}
	})
	tests := []struct {
		name, image, code string
	}{
		{"ErrImageOfOtherRegion", elsewhere.ID, models.CodeInvalidImageIDNotFound},
		{"ErrArchMismatch", arm.ID, models.CodeInvalidImageForType},
		{"ErrMissingImage", "img-zzzzzzzz", models.CodeInvalidImageIDNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.counts(t)
			wantCode(t, f.s.ResetInstance(ctx, f.a, in.ID, tt.image), tt.code)
			if after := f.counts(t); after != before {
				t.Errorf("refusal wrote: %s → %s", before, after)
			}
		})
	}
	t.Run("ErrWrongState", func(t *testing.T) {
		f.s.StopInstances(ctx, f.a, []string{in.ID})
		wantCode(t, f.s.ResetInstance(ctx, f.a, in.ID, ""), "UnsupportedOperation.InstanceStateStopping")
	})
}
