package models_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"imageconsole/models"
)

func TestStore_ShareImage(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Limits.DailyOps = 100
	img := f.mustCreateImage(t, "ap-guangzhou", "shared")
	b := f.mustActor(t, "b@example.com")
	c := f.mustActor(t, "c@example.com")
	d := f.mustActor(t, "d@example.com")
	e := f.mustActor(t, "e@example.com")
	common := f.commonImage(t, "Debian", models.ArchX86)
	busyInst := f.mustInstance(t, "ap-guangzhou", common.ID)
	busy, err := f.s.CreateImage(ctx, f.a, busyInst.ID, models.ImageInput{Region: "ap-guangzhou", Name: "busy"})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("OK", func(t *testing.T) {
		// An account named twice in one request is one share.
		if err := f.s.ShareImage(ctx, f.a, "ap-guangzhou", img.ID, []string{b.AccountID, c.AccountID, " " + b.AccountID}); err != nil {
			t.Fatal(err)
		}
		shares, err := f.s.ImageShares(ctx, f.a.AccountID, "ap-guangzhou", img.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := f.s.Image(ctx, f.a.AccountID, "ap-guangzhou", img.ID)
		if len(shares) != 2 || got.ShareCount != 2 {
			t.Errorf("%d shares, ShareCount %d; want 2 and 2", len(shares), got.ShareCount)
		}
		seen, err := f.s.Image(ctx, b.AccountID, "ap-guangzhou", img.ID)
		if err != nil || seen.Type != models.TypeShared {
			t.Errorf("recipient sees %+v, %v; want a SHARED_IMAGE", seen, err)
		}
	})

	tests := []struct {
		name     string
		actor    models.Actor
		region   string
		image    string
		accounts []string
		code     string
	}{
		{"ErrYourself", f.a, "ap-guangzhou", img.ID, []string{f.a.AccountID}, models.CodeAccountIsYourself},
		{"ErrMalformedAccount", f.a, "ap-guangzhou", img.ID, []string{"12345"}, models.CodeAccountNotFound},
		{"ErrUnknownAccount", f.a, "ap-guangzhou", img.ID, []string{"000000000000"}, models.CodeAccountNotFound},
		{"ErrAlreadyShared", f.a, "ap-guangzhou", img.ID, []string{b.AccountID}, models.CodeAccountAlreadyExists},
		{"ErrAllOrNothingBadAccount", f.a, "ap-guangzhou", img.ID, []string{d.AccountID, "not-an-account"}, models.CodeAccountNotFound},
		{"ErrAllOrNothingAlreadyShared", f.a, "ap-guangzhou", img.ID, []string{d.AccountID, c.AccountID}, models.CodeAccountAlreadyExists},
		{"ErrRecipientShares", b, "ap-guangzhou", img.ID, []string{d.AccountID}, models.CodeNotBelongToAccount},
		{"ErrStranger", d, "ap-guangzhou", img.ID, []string{e.AccountID}, models.CodeInvalidImageIDNotFound},
		{"ErrCommonImage", f.a, "ap-guangzhou", common.ID, []string{d.AccountID}, models.CodeNotBelongToAccount},
		{"ErrNotNormal", f.a, "ap-guangzhou", busy, []string{d.AccountID}, models.CodeInvalidImageIDState},
		{"ErrOtherRegion", f.a, "ap-shanghai", img.ID, []string{d.AccountID}, models.CodeInvalidImageIDNotFound},
		{"ErrNoAccounts", f.a, "ap-guangzhou", img.ID, []string{" "}, models.CodeMissingParameter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.allCounts(t)
			wantCode(t, f.s.ShareImage(ctx, tt.actor, tt.region, tt.image, tt.accounts), tt.code)
			if after := f.allCounts(t); after != before {
				t.Errorf("refusal wrote: %s → %s", before, after)
			}
		})
	}

	t.Run("ErrPermission", func(t *testing.T) {
		before := f.allCounts(t)
		err := f.s.ModifySharePermission(ctx, f.a, "ap-guangzhou", img.ID, "READ", []string{d.AccountID})
		wantCode(t, err, models.CodeInvalidParameterValue)
		if after := f.allCounts(t); after != before {
			t.Errorf("refusal wrote: %s → %s", before, after)
		}
	})

	t.Run("ErrOverQuota", func(t *testing.T) {
		f.s.Limits.Shares = 3 // two used: one slot left
		defer func() { f.s.Limits.Shares = models.DefaultLimits.Shares }()
		before := f.allCounts(t)
		wantCode(t, f.s.ShareImage(ctx, f.a, "ap-guangzhou", img.ID, []string{d.AccountID, e.AccountID}), models.CodeOverQuota)
		if after := f.allCounts(t); after != before {
			t.Errorf("refusal wrote: %s → %s", before, after)
		}
		if err := f.s.ShareImage(ctx, f.a, "ap-guangzhou", img.ID, []string{d.AccountID}); err != nil {
			t.Fatalf("the last slot: %v", err)
		}
		before = f.allCounts(t)
		wantCode(t, f.s.ShareImage(ctx, f.a, "ap-guangzhou", img.ID, []string{e.AccountID}), models.CodeOverQuota)
		if after := f.allCounts(t); after != before {
			t.Errorf("refusal wrote: %s → %s", before, after)
		}
	})
}

func TestStore_UnshareImage(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Limits.DailyOps = 100
	img := f.mustCreateImage(t, "ap-guangzhou", "shared")
	b := f.mustActor(t, "b@example.com")
	c := f.mustActor(t, "c@example.com")
	d := f.mustActor(t, "d@example.com")
	if err := f.s.ModifySharePermission(ctx, f.a, "ap-guangzhou", img.ID, models.PermissionShare, []string{b.AccountID, c.AccountID}); err != nil {
		t.Fatal(err)
	}
	running := f.mustInstanceAs(t, b, "ap-guangzhou", img.ID)

	tests := []struct {
		name     string
		actor    models.Actor
		accounts []string
		code     string
	}{
		{"ErrNotShared", f.a, []string{d.AccountID}, models.CodeAccountNotFound},
		{"ErrAllOrNothing", f.a, []string{b.AccountID, d.AccountID}, models.CodeAccountNotFound},
		{"ErrYourself", f.a, []string{f.a.AccountID}, models.CodeAccountIsYourself},
		{"ErrMalformedAccount", f.a, []string{"x"}, models.CodeAccountNotFound},
		{"ErrRecipientCancels", b, []string{b.AccountID}, models.CodeNotBelongToAccount},
		{"ErrNoAccounts", f.a, nil, models.CodeMissingParameter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.allCounts(t)
			wantCode(t, f.s.UnshareImage(ctx, tt.actor, "ap-guangzhou", img.ID, tt.accounts), tt.code)
			if after := f.allCounts(t); after != before {
				t.Errorf("refusal wrote: %s → %s", before, after)
			}
		})
	}
	t.Run("ErrDeleteWhileShared", func(t *testing.T) {
		wantCode(t, f.s.DeleteImages(ctx, f.a, "ap-guangzhou", []string{img.ID}), models.CodeInvalidImageIDInShared)
	})

	t.Run("OK", func(t *testing.T) {
		if err := f.s.ModifySharePermission(ctx, f.a, "ap-guangzhou", img.ID, models.PermissionCancel, []string{b.AccountID}); err != nil {
			t.Fatal(err)
		}
		got, _ := f.s.Image(ctx, f.a.AccountID, "ap-guangzhou", img.ID)
		shares, _ := f.s.ImageShares(ctx, f.a.AccountID, "ap-guangzhou", img.ID)
		if got.ShareCount != 1 || len(shares) != 1 || shares[0].AccountID != c.AccountID {
			t.Errorf("ShareCount %d, shares %+v; want only %s left", got.ShareCount, shares, c.AccountID)
		}
		_, err := f.s.Image(ctx, b.AccountID, "ap-guangzhou", img.ID)
		wantCode(t, err, models.CodeInvalidImageIDNotFound)
		_, err = f.s.RunInstances(ctx, b, models.LaunchInput{Region: "ap-guangzhou", Zone: "ap-guangzhou-3",
			InstanceType: "S5.MEDIUM4", ImageID: img.ID, Count: 1})
		wantCode(t, err, models.CodeInvalidImageIDNotFound)
		// The instance launched before the cancel is the recipient's own and keeps running.
		inst, err := f.s.Instance(ctx, b.AccountID, running.ID)
		if err != nil || inst.State != models.InstanceRunning || inst.ImageID != img.ID {
			t.Errorf("launched instance after the cancel: %+v, %v; want RUNNING from %s", inst, err, img.ID)
		}
	})

	t.Run("OK/DeleteAfterEveryShareCancelled", func(t *testing.T) {
		if err := f.s.UnshareImage(ctx, f.a, "ap-guangzhou", img.ID, []string{c.AccountID}); err != nil {
			t.Fatal(err)
		}
		if err := f.s.DeleteImages(ctx, f.a, "ap-guangzhou", []string{img.ID}); err != nil {
			t.Fatalf("delete after every share was cancelled: %v", err)
		}
		if inst, err := f.s.Instance(ctx, b.AccountID, running.ID); err != nil || inst.State != models.InstanceRunning {
			t.Errorf("recipient's instance after the image was deleted: %+v, %v", inst, err)
		}
	})
}

func TestStore_ImageShares(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Limits.DailyOps = 100
	img := f.mustCreateImage(t, "ap-guangzhou", "shared")
	b := f.mustActor(t, "b@example.com")
	c := f.mustActor(t, "c@example.com")
	d := f.mustActor(t, "d@example.com")
	for _, who := range []models.Actor{b, c} {
		if err := f.s.ShareImage(ctx, f.a, "ap-guangzhou", img.ID, []string{who.AccountID}); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(time.Minute)
	}

	t.Run("OK/NewestFirst", func(t *testing.T) {
		shares, err := f.s.ImageShares(ctx, f.a.AccountID, "ap-guangzhou", img.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(shares) != 2 || shares[0].AccountID != c.AccountID || shares[1].AccountID != b.AccountID ||
			!shares[0].CreatedAt.After(shares[1].CreatedAt) {
			t.Errorf("shares %+v; want %s then %s", shares, c.AccountID, b.AccountID)
		}
	})
	t.Run("ErrRecipient", func(t *testing.T) {
		_, err := f.s.ImageShares(ctx, b.AccountID, "ap-guangzhou", img.ID)
		wantCode(t, err, models.CodeNotBelongToAccount)
	})
	t.Run("ErrStranger", func(t *testing.T) {
		_, err := f.s.ImageShares(ctx, d.AccountID, "ap-guangzhou", img.ID)
		wantCode(t, err, models.CodeInvalidImageIDNotFound)
	})
}

// TestStore_SharedImage_R5 checks what a recipient may and may not do.
func TestStore_SharedImage_R5(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Limits.DailyOps = 100
	var market models.Image
	if err := f.s.DB().Where("type = ?", models.TypeMarket).Order("id").First(&market).Error; err != nil {
		t.Fatal(err)
	}
	img := f.mustImageAs(t, f.a, "ap-guangzhou", market.ID, "golden")
	b := f.mustActor(t, "b@example.com")
	c := f.mustActor(t, "c@example.com")
	if err := f.s.ShareImage(ctx, f.a, "ap-guangzhou", img.ID, []string{b.AccountID}); err != nil {
		t.Fatal(err)
	}

	t.Run("OK/VisibleOnlyInItsRegion", func(t *testing.T) {
		here, _ := f.s.ListImages(ctx, b.AccountID, models.ImageQuery{Region: "ap-guangzhou", Tab: models.TabShared})
		there, _ := f.s.ListImages(ctx, b.AccountID, models.ImageQuery{Region: "ap-shanghai", Tab: models.TabShared})
		if here.Total != 1 || here.Rows[0].ID != img.ID || there.Total != 0 {
			t.Errorf("shared tab: %d in its region, %d in another; want 1 and 0", here.Total, there.Total)
		}
		_, err := f.s.Image(ctx, b.AccountID, "ap-shanghai", img.ID)
		wantCode(t, err, models.CodeInvalidImageIDNotFound)
		_, err = f.s.RunInstances(ctx, b, models.LaunchInput{Region: "ap-shanghai", Zone: "ap-shanghai-2",
			InstanceType: "S5.MEDIUM4", ImageID: img.ID, Count: 1})
		wantCode(t, err, models.CodeInvalidImageIDNotFound)
	})

	t.Run("OK/DerivedImageIsTheRecipients", func(t *testing.T) {
		ownerUse, _ := f.s.QuotaUsage(ctx, f.a.AccountID, "ap-guangzhou")
		inst := f.mustInstanceAs(t, b, "ap-guangzhou", img.ID)
		if inst.OwnerID != b.AccountID || inst.BillingKind != models.BillingMarket {
			t.Errorf("instance owner %s billing %q; want %s and market", inst.OwnerID, inst.BillingKind, b.AccountID)
		}
		id, err := f.s.CreateImage(ctx, b, inst.ID, models.ImageInput{Region: "ap-guangzhou", Name: "mine"})
		if err != nil {
			t.Fatal(err)
		}
		f.drain(t)
		got, err := f.s.Image(ctx, b.AccountID, "ap-guangzhou", id)
		if err != nil {
			t.Fatal(err)
		}
		if got.OwnerID != b.AccountID || got.Type != models.TypePrivate || got.BaseImageID != img.ID ||
			got.BillingKind != models.BillingMarket || got.HourlyPrice != market.HourlyPrice {
			t.Errorf("derived image %+v: want b's own custom image, based on %s, billed as market", got, img.ID)
		}
		bUse, _ := f.s.QuotaUsage(ctx, b.AccountID, "ap-guangzhou")
		ownerAfter, _ := f.s.QuotaUsage(ctx, f.a.AccountID, "ap-guangzhou")
		if bUse.ImagesUsed != 1 || ownerAfter.ImagesUsed != ownerUse.ImagesUsed {
			t.Errorf("R1 slots: recipient %d, owner %d → %d; the recipient's slot, not the owner's", bUse.ImagesUsed, ownerUse.ImagesUsed, ownerAfter.ImagesUsed)
		}
	})

	name := "renamed"
	refused := []struct {
		name string
		call func() error
		code string
	}{
		{"ErrRename", func() error { return f.s.ModifyImage(ctx, b, "ap-guangzhou", img.ID, &name, nil) }, models.CodeSharedImageModify},
		{"ErrRedescribe", func() error { return f.s.ModifyImage(ctx, b, "ap-guangzhou", img.ID, nil, &name) }, models.CodeSharedImageModify},
		{"ErrShare", func() error { return f.s.ShareImage(ctx, b, "ap-guangzhou", img.ID, []string{c.AccountID}) }, models.CodeNotBelongToAccount},
		{"ErrCancel", func() error { return f.s.UnshareImage(ctx, b, "ap-guangzhou", img.ID, []string{b.AccountID}) }, models.CodeNotBelongToAccount},
		{"ErrSync", func() error {
			_, err := f.s.SyncImage(ctx, b, "ap-guangzhou", img.ID, []string{"ap-beijing"}, "", false)
			return err
		}, models.CodeNotBelongToAccount},
		{"ErrDelete", func() error { return f.s.DeleteImages(ctx, b, "ap-guangzhou", []string{img.ID}) }, models.CodeImageIsShared},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			before := f.allCounts(t)
			wantCode(t, tt.call(), tt.code)
			if after := f.allCounts(t); after != before {
				t.Errorf("refusal wrote: %s → %s", before, after)
			}
		})
	}
}

func TestStore_R4_Concurrent(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Limits.DailyOps = 1000
	img := f.mustCreateImage(t, "ap-guangzhou", "popular")
	accounts := make([]string, 60)
	for i := range accounts {
		accounts[i] = f.mustActor(t, fmt.Sprintf("r%02d@example.com", i)).AccountID
	}
	got := race(len(accounts), func(i int) error {
		return f.s.ShareImage(ctx, f.a, "ap-guangzhou", img.ID, []string{accounts[i]})
	})
	if got[""] != 50 || got[models.CodeOverQuota] != 10 {
		t.Errorf("results %v, want exactly 50 shared and 10 refused", got)
	}
	var rows int64
	f.s.DB().Model(&models.ImageShare{}).Where("image_id = ?", img.ID).Count(&rows)
	after, _ := f.s.Image(ctx, f.a.AccountID, "ap-guangzhou", img.ID)
	if rows != 50 || after.ShareCount != 50 {
		t.Errorf("%d share rows, ShareCount %d; want 50 and 50", rows, after.ShareCount)
	}
}

// TestStore_ShareImage_SameAccountConcurrent: requests naming the same
// account at once give one share and AlreadyExists, never a raw UNIQUE error.
func TestStore_ShareImage_SameAccountConcurrent(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Limits.DailyOps = 1000
	img := f.mustCreateImage(t, "ap-guangzhou", "popular")
	b := f.mustActor(t, "b@example.com")
	got := race(10, func(int) error { return f.s.ShareImage(ctx, f.a, "ap-guangzhou", img.ID, []string{b.AccountID}) })
	after, _ := f.s.Image(ctx, f.a.AccountID, "ap-guangzhou", img.ID)
	if got[""] != 1 || got[models.CodeAccountAlreadyExists] != 9 || after.ShareCount != 1 {
		t.Errorf("results %v, ShareCount %d; want 1 shared, 9 AlreadyExists, ShareCount 1", got, after.ShareCount)
	}
}
