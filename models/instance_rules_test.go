package models_test

import (
	"context"
	"testing"

	"imageconsole/models"
)

func TestInstance_Check(t *testing.T) {
	allowed := map[models.InstanceAction][]string{
		models.InstanceActionStop:        {models.InstanceRunning},
		models.InstanceActionStart:       {models.InstanceStopped},
		models.InstanceActionReboot:      {models.InstanceRunning},
		models.InstanceActionTerminate:   {models.InstanceRunning, models.InstanceStopped, models.InstanceLaunchFailed},
		models.InstanceActionReset:       {models.InstanceRunning, models.InstanceStopped},
		models.InstanceActionCreateImage: {models.InstanceRunning, models.InstanceStopped},
	}
	states := map[string]string{
		models.InstancePending: "Pending", models.InstanceLaunchFailed: "LaunchFailed", models.InstanceRunning: "Running",
		models.InstanceStopped: "Stopped", models.InstanceStopping: "Stopping", models.InstanceStarting: "Starting",
		models.InstanceRebooting: "Rebooting", models.InstanceTerminating: "Terminating", models.InstanceResetting: "Resetting",
	}
	for act, ok := range allowed {
		for state, spelled := range states {
			t.Run(string(act)+"/"+state, func(t *testing.T) {
				in := &models.Instance{ID: "ins-12345678", State: state}
				want := "UnsupportedOperation.InstanceState" + spelled
				for _, s := range ok {
					if s == state {
						want = ""
					}
				}
				if got := models.ErrorCode(in.Check(act)); got != want {
					t.Errorf("Check = %q, want %q", got, want)
				}
				if in.Allows(act) != (want == "") {
					t.Errorf("Allows = %v, want %v", in.Allows(act), want == "")
				}
			})
		}
	}
	if err := (&models.Instance{State: models.InstanceRunning}).Check("paint"); models.ErrorCode(err) != models.CodeInvalidParameterValue {
		t.Errorf("unknown action: %v", err)
	}
}

// TestStore_RunInstances_SharedImage: the quote carries the shared image's
// warning, and the launch needs it accepted.
func TestStore_RunInstances_SharedImage(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Limits.DailyOps = 100
	img := f.mustCreateImage(t, "ap-guangzhou", "shared")
	b := f.mustActor(t, "b@example.com")
	if err := f.s.ShareImage(ctx, f.a, "ap-guangzhou", img.ID, []string{b.AccountID}); err != nil {
		t.Fatal(err)
	}
	in := models.LaunchInput{Region: "ap-guangzhou", Zone: "ap-guangzhou-3", InstanceType: "S5.SMALL2", ImageID: img.ID, Count: 1}
	plan, err := f.s.QuoteLaunch(ctx, b.AccountID, in)
	if err != nil || plan.Warning == nil || plan.Warning.SharedBy != f.a.AccountID || plan.Warning.Text == "" {
		t.Fatalf("quote of a shared image: warning %+v, err %v", plan.Warning, err)
	}
	if own, _ := f.s.QuoteLaunch(ctx, f.a.AccountID, in); own.Warning != nil {
		t.Errorf("the owner is warned about its own image: %+v", own.Warning)
	}
	t.Run("ErrNotAcknowledged", func(t *testing.T) {
		before := f.counts(t)
		_, err := f.s.RunInstances(ctx, b, in)
		wantCode(t, err, models.CodeSharedImageAck)
		if models.ErrorField(err) != "ack_shared" {
			t.Errorf("field %q, want ack_shared", models.ErrorField(err))
		}
		var n int64
		f.s.DB().Model(&models.Instance{}).Where("owner_id = ?", b.AccountID).Count(&n)
		if after := f.counts(t); after != before || n != 0 {
			t.Errorf("refused launch wrote: %s → %s, %d instances", before, after, n)
		}
	})
	t.Run("OK/Acknowledged", func(t *testing.T) {
		in.AcknowledgeShared = true
		if _, err := f.s.RunInstances(ctx, b, in); err != nil {
			t.Fatal(err)
		}
	})
}

// TestStore_ResetInstance_ImageChecks: a reinstall refuses an image with the
// codes a launch does, in one transaction that writes nothing.
func TestStore_ResetInstance_ImageChecks(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Limits.DailyOps = 100
	ubuntu := f.commonImage(t, "Ubuntu", models.ArchX86)
	arm := f.commonImage(t, "Ubuntu", models.ArchARM)
	in := f.mustInstance(t, "ap-guangzhou", ubuntu.ID)
	creating, err := f.s.CreateImage(ctx, f.a, in.ID, models.ImageInput{Region: "ap-guangzhou", Name: "not-yet"})
	if err != nil {
		t.Fatal(err)
	}
	// Another account's image, shared with f.a and then cancelled.
	b := f.mustActor(t, "b@example.com")
	bInst := f.mustInstanceAs(t, b, "ap-guangzhou", ubuntu.ID)
	f.drain(t)
	theirs, err := f.s.CreateImage(ctx, b, bInst.ID, models.ImageInput{Region: "ap-guangzhou", Name: "theirs"})
	if err != nil {
		t.Fatal(err)
	}
	f.drain(t)
	if err := f.s.ShareImage(ctx, b, "ap-guangzhou", theirs, []string{f.a.AccountID}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.UnshareImage(ctx, b, "ap-guangzhou", theirs, []string{f.a.AccountID}); err != nil {
		t.Fatal(err)
	}
	f.s.DB().Model(&models.Image{}).Where("id = ?", creating).Update("state", models.StateCreating)
	tests := []struct{ name, image, code string }{
		{"ErrNotNormal", creating, models.CodeInvalidImageIDState},
		{"ErrArchMismatch", arm.ID, models.CodeInvalidImageForType},
		{"ErrShareCancelled", theirs, models.CodeInvalidImageIDNotFound},
		{"ErrMalformed", "debian", models.CodeInvalidImageIDMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.counts(t)
			wantCode(t, f.s.ResetInstance(ctx, f.a, in.ID, tt.image), tt.code)
			_, launchErr := f.s.RunInstances(ctx, f.a, models.LaunchInput{Region: "ap-guangzhou", Zone: "ap-guangzhou-3",
				InstanceType: in.Type, ImageID: tt.image, Count: 1})
			wantCode(t, launchErr, tt.code)
			if after := f.counts(t); after != before {
				t.Errorf("refusal wrote: %s → %s", before, after)
			}
			if got, _ := f.s.Instance(ctx, f.a.AccountID, in.ID); got.State != models.InstanceRunning || got.ImageID != ubuntu.ID {
				t.Errorf("refused reinstall left %s with %s", got.State, got.ImageID)
			}
		})
	}
}
