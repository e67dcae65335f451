package models_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"imageconsole/models"
)

// The states the Go SDK documents (cvm v20170312 models.go): InstanceStatus.
// InstanceState and Image.ImageState. A task must never leave its target
// in any other.
var (
	sdkInstanceStates = []string{"PENDING", "LAUNCH_FAILED", "RUNNING", "STOPPED", "STARTING", "STOPPING", "REBOOTING",
		"SHUTDOWN", "TERMINATING", "ENTER_RESCUE_MODE", "RESCUE_MODE", "EXIT_RESCUE_MODE", "ENTER_SERVICE_LIVE_MIGRATE",
		"SERVICE_LIVE_MIGRATE", "EXIT_SERVICE_LIVE_MIGRATE"}
	sdkImageStates = []string{"CREATING", "NORMAL", "CREATEFAILED", "SYNCING", "IMPORTING", "IMPORTFAILED"}
)

// TestWorker_EveryKindFailsToADocumentedState fails a task of every kind of
// the task table for good and checks where its target ends: the table's
// failure state (or the state before the task), one the SDK documents. A
// new kind without a case here fails the test.
func TestWorker_EveryKindFailsToADocumentedState(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Limits.DailyOps, f.s.Limits.CustomImages = 100, 100
	ubuntu := f.commonImage(t, "Ubuntu", models.ArchX86)
	debian := f.commonImage(t, "Debian", models.ArchX86)
	stopped := func(t *testing.T) models.Instance {
		in := f.mustInstance(t, "ap-guangzhou", ubuntu.ID)
		if err := f.s.StopInstances(ctx, f.a, []string{in.ID}); err != nil {
			t.Fatal(err)
		}
		f.drain(t)
		in.State = models.InstanceStopped
		return in
	}
	// begin puts a target into its kind's transition and returns its ID and
	// the state it had before.
	// want is where each kind must end, as the SDK's states mean it: a
	// launch that never happened did not run; a stop, start, reboot,
	// terminate or reinstall that did not happen left the instance as it
	// was (here STOPPED for the kinds a STOPPED instance allows).
	want := map[string]string{
		models.TaskInstanceLaunch: models.InstanceLaunchFailed, models.TaskInstanceStop: models.InstanceRunning,
		models.TaskInstanceStart: models.InstanceStopped, models.TaskInstanceReboot: models.InstanceRunning,
		models.TaskInstanceTerminate: models.InstanceStopped, models.TaskInstanceReset: models.InstanceStopped,
		models.TaskImageCreate: models.StateCreateFailed, models.TaskImageSync: models.StateCreateFailed,
		models.TaskImageImport: models.StateImportFailed,
	}
	begin := map[string]func(t *testing.T) (string, string, error){
		models.TaskInstanceLaunch: func(t *testing.T) (string, string, error) {
			ids, err := f.s.RunInstances(ctx, f.a, models.LaunchInput{Region: "ap-guangzhou", Zone: "ap-guangzhou-3",
				InstanceType: "S5.SMALL2", ImageID: ubuntu.ID, Count: 1})
			if err != nil {
				return "", "", err
			}
			return ids[0], "", nil
		},
		models.TaskInstanceStop: func(t *testing.T) (string, string, error) {
			in := f.mustInstance(t, "ap-guangzhou", ubuntu.ID)
			return in.ID, in.State, f.s.StopInstances(ctx, f.a, []string{in.ID})
		},
		models.TaskInstanceStart: func(t *testing.T) (string, string, error) {
			in := stopped(t)
			return in.ID, in.State, f.s.StartInstances(ctx, f.a, []string{in.ID})
		},
		models.TaskInstanceReboot: func(t *testing.T) (string, string, error) {
			in := f.mustInstance(t, "ap-guangzhou", ubuntu.ID)
			return in.ID, in.State, f.s.RebootInstances(ctx, f.a, []string{in.ID})
		},
		models.TaskInstanceTerminate: func(t *testing.T) (string, string, error) {
			in := stopped(t)
			return in.ID, in.State, f.s.TerminateInstances(ctx, f.a, []string{in.ID})
		},
		models.TaskInstanceReset: func(t *testing.T) (string, string, error) {
			in := stopped(t)
			return in.ID, in.State, f.s.ResetInstance(ctx, f.a, in.ID, debian.ID)
		},
		models.TaskImageCreate: func(t *testing.T) (string, string, error) {
			in := f.mustInstance(t, "ap-guangzhou", ubuntu.ID)
			id, err := f.s.CreateImage(ctx, f.a, in.ID, models.ImageInput{Region: "ap-guangzhou", Name: "create-fails"})
			return id, "", err
		},
		models.TaskImageSync: func(t *testing.T) (string, string, error) {
			src := f.mustCreateImage(t, "ap-guangzhou", "sync-source")
			set, err := f.s.SyncImage(ctx, f.a, "ap-guangzhou", src.ID, []string{"ap-shanghai"}, "", false)
			if err != nil {
				return "", "", err
			}
			return set[0].ImageID, "", nil
		},
		models.TaskImageImport: func(t *testing.T) (string, string, error) {
			// The address is never fetched: the failing worker fails every attempt first.
			id, err := f.s.ImportImage(ctx, f.a, importInput("import-fails", "http://127.0.0.1:9/disk.qcow2"))
			return id, "", err
		},
	}
	failing := models.FailingWorker(f.s)
	for _, kind := range models.TaskOutcomes() {
		t.Run(kind.Kind, func(t *testing.T) {
			run, ok := begin[kind.Kind]
			if !ok {
				t.Fatalf("task kind %s has no case in this test: add one", kind.Kind)
			}
			id, prior, err := run(t)
			if err != nil {
				t.Fatal(err)
			}
			// Every attempt fails; each retry waits out its backoff.
			for range 20 {
				if n, _ := f.s.PendingTasks(ctx); n == 0 {
					break
				}
				f.clock.Advance(2 * time.Minute)
				failing.RunDue(ctx) // reports each failed attempt but the last
			}
			if n, _ := f.s.PendingTasks(ctx); n != 0 {
				t.Fatalf("%d tasks left after the failures", n)
			}
			table := kind.Failure
			if table == "" {
				table = prior
			}
			got, documented := "", sdkInstanceStates
			if kind.Image {
				var img models.Image
				if err := f.s.DB().Where("id = ?", id).Take(&img).Error; err != nil {
					t.Fatal(err)
				}
				got, documented = img.State, sdkImageStates
				if img.FailReason == "" {
					t.Error("a failed image has no reason")
				}
			} else {
				in, err := f.s.Instance(ctx, f.a.AccountID, id)
				if err != nil {
					t.Fatal(err)
				}
				got = in.State
				if in.LatestOperationState != "FAILED" {
					t.Errorf("LatestOperationState %s, want FAILED", in.LatestOperationState)
				}
			}
			if got != table || got != want[kind.Kind] {
				t.Errorf("state %s after the task failed for good, want %s (the table says %s)", got, want[kind.Kind], table)
			}
			if !slices.Contains(documented, got) {
				t.Errorf("state %s is not one the SDK documents", got)
			}
		})
	}
}

// TestStore_LaunchFailed: a launch that failed for good ends LAUNCH_FAILED,
// keeps its R9 slot, and can only be terminated, which frees it.
func TestStore_LaunchFailed(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	ids, err := f.s.RunInstances(ctx, f.a, models.LaunchInput{Region: "ap-guangzhou", Zone: "ap-guangzhou-3",
		InstanceType: "S5.SMALL2", ImageID: f.commonImage(t, "Ubuntu", models.ArchX86).ID, Count: 1})
	if err != nil {
		t.Fatal(err)
	}
	failing := models.FailingWorker(f.s)
	for n, _ := f.s.PendingTasks(ctx); n > 0; n, _ = f.s.PendingTasks(ctx) {
		f.clock.Advance(2 * time.Minute)
		failing.RunDue(ctx)
	}
	in, _ := f.s.Instance(ctx, f.a.AccountID, ids[0])
	if in.State != models.InstanceLaunchFailed || in.Busy() {
		t.Fatalf("state %s busy %v, want LAUNCH_FAILED and not busy", in.State, in.Busy())
	}
	for _, act := range []models.InstanceAction{models.InstanceActionStart, models.InstanceActionStop, models.InstanceActionReboot, models.InstanceActionReset, models.InstanceActionCreateImage} {
		wantCode(t, in.Check(act), "UnsupportedOperation.InstanceStateLaunchFailed")
	}
	if u, _ := f.s.QuotaUsage(ctx, f.a.AccountID, "ap-guangzhou"); u.InstancesUsed != 1 {
		t.Errorf("a failed launch holds %d slots, want 1 until terminated", u.InstancesUsed)
	}
	if err := f.s.TerminateInstances(ctx, f.a, ids); err != nil {
		t.Fatal(err)
	}
	f.drain(t)
	if u, _ := f.s.QuotaUsage(ctx, f.a.AccountID, "ap-guangzhou"); u.InstancesUsed != 0 {
		t.Errorf("terminated failed launch still holds %d slots", u.InstancesUsed)
	}
}
