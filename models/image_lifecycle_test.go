package models_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"imageconsole/models"
)

func TestStore_CreateImage(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Limits.DailyOps = 100
	var market models.Image
	f.s.DB().Where("type = ?", models.TypeMarket).Order("id").First(&market)
	in := f.mustInstance(t, "ap-guangzhou", market.ID)

	t.Run("OK", func(t *testing.T) {
		id, err := f.s.CreateImage(ctx, f.a, in.ID, models.ImageInput{Region: "ap-guangzhou", Name: "golden", Description: "v1"})
		if err != nil {
			t.Fatal(err)
		}
		img, _ := f.s.Image(ctx, f.a.AccountID, "ap-guangzhou", id)
		if img.State != models.StateCreating || img.BaseImageID != market.ID || img.BillingKind != models.BillingMarket || img.HourlyPrice != market.HourlyPrice {
			t.Errorf("image %+v: want CREATING, based on %s, billed as market", img, market.ID)
		}
		f.drain(t)
		img, _ = f.s.Image(ctx, f.a.AccountID, "ap-guangzhou", id)
		if img.State != models.StateNormal || img.Progress != 100 {
			t.Errorf("state %s progress %d after the task", img.State, img.Progress)
		}
	})
	other := models.Actor{AccountID: "999999999999", Via: models.ViaConsole}
	stopping := f.mustInstance(t, "ap-guangzhou", market.ID)
	f.s.StopInstances(ctx, f.a, []string{stopping.ID})
	tests := []struct {
		name     string
		actor    models.Actor
		instance string
		in       models.ImageInput
		code     string
	}{
		{"ErrNameTooLong", f.a, in.ID, models.ImageInput{Name: strings.Repeat("n", 61)}, models.CodeTooLarge},
		{"ErrNameMissing", f.a, in.ID, models.ImageInput{Name: "  "}, models.CodeMissingParameter},
		{"ErrDescriptionTooLong", f.a, in.ID, models.ImageInput{Name: "x", Description: strings.Repeat("d", 257)}, models.CodeTooLarge},
		{"ErrNameDuplicate", f.a, in.ID, models.ImageInput{Name: "golden"}, models.CodeImageNameDuplicate},
		{"ErrInstanceBusy", f.a, stopping.ID, models.ImageInput{Name: "busy"}, "UnsupportedOperation.InstanceStateStopping"},
		{"ErrOtherAccountsInstance", other, in.ID, models.ImageInput{Name: "theirs"}, models.CodeInstanceNotFound},
		{"ErrInstanceInOtherRegion", f.a, in.ID, models.ImageInput{Name: "x", Region: "ap-shanghai"}, models.CodeInstanceNotFound},
		{"ErrDryRun", f.a, in.ID, models.ImageInput{Name: "dry", DryRun: true}, models.CodeDryRun},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.in.Region == "" {
				tt.in.Region = "ap-guangzhou"
			}
			before := f.counts(t)
			_, err := f.s.CreateImage(ctx, tt.actor, tt.instance, tt.in)
			wantCode(t, err, tt.code)
			if after := f.counts(t); after != before {
				t.Errorf("refusal wrote: %s → %s", before, after)
			}
		})
	}
}

func TestStore_ImageQuota_R1(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Limits.DailyOps = 100
	for i := range 10 {
		f.mustCreateImage(t, "ap-guangzhou", "img-"+string(rune('a'+i)))
	}
	in := f.mustInstance(t, "ap-guangzhou", f.commonImage(t, "Debian", models.ArchX86).ID)
	before := f.counts(t)
	_, err := f.s.CreateImage(ctx, f.a, in.ID, models.ImageInput{Region: "ap-guangzhou", Name: "eleventh"})
	wantCode(t, err, models.CodeImageQuota)
	if after := f.counts(t); after != before {
		t.Errorf("refusal wrote: %s → %s", before, after)
	}
	_, err = f.s.ImportImage(ctx, f.a, models.ImportInput{ImageInput: models.ImageInput{Region: "ap-guangzhou", Name: "imp"},
		OsType: "Ubuntu", OsVersion: "22.04", Arch: "x86_64", URL: "http://127.0.0.1:1/disk.qcow2"})
	wantCode(t, err, models.CodeImageQuota)
	// Another region has its own ten.
	f.mustCreateImage(t, "ap-beijing", "elsewhere")
	// Deleting frees exactly one slot.
	var one models.Image
	f.s.DB().Where("owner_id = ? AND region = ?", f.a.AccountID, "ap-guangzhou").First(&one)
	if err := f.s.DeleteImages(ctx, f.a, "ap-guangzhou", []string{one.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.CreateImage(ctx, f.a, in.ID, models.ImageInput{Region: "ap-guangzhou", Name: "replacement"}); err != nil {
		t.Fatalf("after a delete: %v", err)
	}
	_, err = f.s.CreateImage(ctx, f.a, in.ID, models.ImageInput{Region: "ap-guangzhou", Name: "twelfth"})
	wantCode(t, err, models.CodeImageQuota)
}

func TestStore_DailyOps_R2(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	img := f.mustCreateImage(t, "ap-guangzhou", "ops") // op 1
	for i := range 4 {                                 // ops 2–5
		desc := strings.Repeat("x", i)
		if err := f.s.ModifyImage(ctx, f.a, "ap-guangzhou", img.ID, nil, &desc); err != nil {
			t.Fatalf("op %d: %v", i+2, err)
		}
	}
	before := f.counts(t)
	name := "sixth"
	err := f.s.ModifyImage(ctx, f.a, "ap-guangzhou", img.ID, &name, nil)
	wantCode(t, err, models.CodeDailyOps)
	if !strings.Contains(models.ErrorMessage(err), "resets at") {
		t.Errorf("message %q does not say when the limit resets", models.ErrorMessage(err))
	}
	if after := f.counts(t); after != before {
		t.Errorf("refusal wrote: %s → %s", before, after)
	}
	if got, _ := f.s.Image(ctx, f.a.AccountID, "ap-guangzhou", img.ID); got.Name != "ops" {
		t.Errorf("refused rename applied: %s", got.Name)
	}
	// Reads never count; another region has its own five.
	if _, err := f.s.ListImages(ctx, f.a.AccountID, models.ImageQuery{Region: "ap-guangzhou", Tab: models.TabCustom}); err != nil {
		t.Fatal(err)
	}
	f.mustCreateImage(t, "ap-shanghai", "other-region")
	// The refusal is in the operation log, uncounted.
	page, _ := f.s.Operations(ctx, f.a.AccountID, models.OpQuery{Region: "ap-guangzhou"})
	if page.Total != 6 || page.Rows[0].Result != models.CodeDailyOps {
		t.Errorf("log has %d entries, newest %q; want 6 with the refusal first", page.Total, page.Rows[0].Result)
	}
	// The day ends at midnight Asia/Shanghai (16:00 UTC).
	f.clock.T = time.Date(2026, 3, 1, 15, 59, 0, 0, time.UTC)
	wantCode(t, f.s.ModifyImage(ctx, f.a, "ap-guangzhou", img.ID, &name, nil), models.CodeDailyOps)
	f.clock.T = time.Date(2026, 3, 1, 16, 0, 0, 0, time.UTC)
	if err := f.s.ModifyImage(ctx, f.a, "ap-guangzhou", img.ID, &name, nil); err != nil {
		t.Errorf("after midnight Asia/Shanghai: %v", err)
	}
}

func TestStore_ModifyAndDeleteImages(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Limits.DailyOps = 100
	a := f.mustCreateImage(t, "ap-guangzhou", "a")
	b := f.mustCreateImage(t, "ap-guangzhou", "b")
	busyInst := f.mustInstance(t, "ap-guangzhou", f.commonImage(t, "Debian", models.ArchX86).ID)
	busy, _ := f.s.CreateImage(ctx, f.a, busyInst.ID, models.ImageInput{Region: "ap-guangzhou", Name: "busy"})
	recipient := models.Actor{AccountID: "888888888888", Via: models.ViaConsole}
	f.s.DB().Create(&models.ImageShare{ImageID: b.ID, AccountID: recipient.AccountID})
	common := f.commonImage(t, "Debian", models.ArchX86)
	dup, long := "b", strings.Repeat("n", 61)
	newName := "renamed"

	modify := []struct {
		name   string
		actor  models.Actor
		id     string
		rename *string
		code   string
	}{
		{"ErrDuplicate", f.a, a.ID, &dup, models.CodeImageNameDuplicate},
		{"ErrTooLong", f.a, a.ID, &long, models.CodeTooLarge},
		{"ErrSharedWithMe", recipient, b.ID, &newName, models.CodeSharedImageModify},
		{"ErrCommon", f.a, common.ID, &newName, models.CodeNotBelongToAccount},
		{"ErrOtherRegion", f.a, a.ID, &newName, models.CodeInvalidImageIDNotFound},
	}
	for _, tt := range modify {
		t.Run("Modify/"+tt.name, func(t *testing.T) {
			region := "ap-guangzhou"
			if tt.name == "ErrOtherRegion" {
				region = "ap-tokyo"
			}
			before := f.counts(t)
			wantCode(t, f.s.ModifyImage(ctx, tt.actor, region, tt.id, tt.rename, nil), tt.code)
			if after := f.counts(t); after != before {
				t.Errorf("refusal wrote: %s → %s", before, after)
			}
		})
	}
	if err := f.s.ModifyImage(ctx, f.a, "ap-guangzhou", a.ID, &newName, nil); err != nil {
		t.Fatalf("rename: %v", err)
	}

	del := []struct {
		name  string
		actor models.Actor
		ids   []string
		code  string
	}{
		{"ErrInShared", f.a, []string{b.ID}, models.CodeInvalidImageIDInShared},
		{"ErrAllOrNothing", f.a, []string{a.ID, b.ID}, models.CodeInvalidImageIDInShared},
		{"ErrBusy", f.a, []string{busy}, models.CodeInvalidImageIDState},
		{"ErrRecipient", recipient, []string{b.ID}, models.CodeImageIsShared},
		{"ErrCommon", f.a, []string{common.ID}, models.CodeNotBelongToAccount},
		{"ErrNone", f.a, nil, models.CodeMissingParameter},
	}
	for _, tt := range del {
		t.Run("Delete/"+tt.name, func(t *testing.T) {
			before := f.counts(t)
			wantCode(t, f.s.DeleteImages(ctx, tt.actor, "ap-guangzhou", tt.ids), tt.code)
			if after := f.counts(t); after != before {
				t.Errorf("refusal wrote: %s → %s", before, after)
			}
		})
	}
	// Cancelled through the store, which gives the R4 slot back: R6 reads
	// the image's share count.
	if err := f.s.UnshareImage(ctx, f.a, "ap-guangzhou", b.ID, []string{recipient.AccountID}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.DeleteImages(ctx, f.a, "ap-guangzhou", []string{a.ID, b.ID}); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if _, err := f.s.Image(ctx, f.a.AccountID, "ap-guangzhou", a.ID); models.ErrorCode(err) != models.CodeInvalidImageIDNotFound {
		t.Errorf("deleted image still there: %v", err)
	}
}
