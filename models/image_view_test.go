package models_test

import (
	"context"
	"strings"
	"testing"

	"imageconsole/models"
)

// TestStore_RefusalsLogged: a share or sync refused by any check, the
// request's shape included, is in the operation log with its code (R2),
// uncounted, and nothing else was written.
func TestStore_RefusalsLogged(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Limits.DailyOps = 100
	img := f.mustCreateImage(t, "ap-guangzhou", "logged")
	tests := []struct {
		name   string
		call   func() error
		action string
		code   string
	}{
		{"ErrShareNoAccounts", func() error { return f.s.ShareImage(ctx, f.a, "ap-guangzhou", img.ID, nil) },
			models.ActionModifySharePermission, models.CodeMissingParameter},
		{"ErrShareYourself", func() error { return f.s.ShareImage(ctx, f.a, "ap-guangzhou", img.ID, []string{f.a.AccountID}) },
			models.ActionModifySharePermission, models.CodeAccountIsYourself},
		{"ErrPermission", func() error {
			return f.s.ModifySharePermission(ctx, f.a, "ap-guangzhou", img.ID, "READ", []string{"100000000009"})
		}, models.ActionModifySharePermission, models.CodeInvalidParameterValue},
		{"ErrSyncNoDestination", func() error {
			_, err := f.s.SyncImage(ctx, f.a, "ap-guangzhou", img.ID, nil, "", false)
			return err
		}, models.ActionSyncImages, models.CodeMissingParameter},
		{"ErrSyncNameTooLong", func() error {
			_, err := f.s.SyncImage(ctx, f.a, "ap-guangzhou", img.ID, []string{"ap-beijing"}, strings.Repeat("n", 61), false)
			return err
		}, models.ActionSyncImages, models.CodeTooLarge},
		{"ErrSyncOneOfTwoMissing", func() error {
			_, err := f.s.SyncImages(ctx, f.a, "ap-guangzhou", []string{img.ID, "img-nope0000"}, []string{"ap-beijing"}, "", false)
			return err
		}, models.ActionSyncImages, models.CodeInvalidImageIDNotFound},
		{"ErrSyncNorthAmerica", func() error {
			_, err := f.s.SyncImage(ctx, f.a, "ap-guangzhou", img.ID, []string{"na-ashburn"}, "", false)
			return err
		}, models.ActionSyncImages, models.CodeInvalidRegionUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.counts(t)
			wantCode(t, tt.call(), tt.code)
			if after := f.counts(t); after != before {
				t.Errorf("refusal wrote: %s → %s", before, after)
			}
			page, err := f.s.Operations(ctx, f.a.AccountID, models.OpQuery{Action: tt.action, Size: 1})
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Rows) != 1 || page.Rows[0].Result != tt.code {
				t.Errorf("latest %s in the log: %+v, want one refused with %s", tt.action, page.Rows, tt.code)
			}
		})
	}
}

func TestStore_ImageView(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Limits.DailyOps = 100
	f.s.Limits.Shares = 3
	img := f.mustCreateImage(t, "ap-guangzhou", "viewed")
	b := f.mustActor(t, "b@example.com")
	if err := f.s.ShareImage(ctx, f.a, "ap-guangzhou", img.ID, []string{b.AccountID}); err != nil {
		t.Fatal(err)
	}

	t.Run("OK/Owner", func(t *testing.T) {
		v, err := f.s.ImageView(ctx, f.a.AccountID, "ap-guangzhou", img.ID)
		if err != nil {
			t.Fatal(err)
		}
		sh := v.Sharing
		if sh == nil || len(sh.Shares) != 1 || sh.Limit != 3 || sh.Remaining != 2 {
			t.Fatalf("sharing %+v, want one share, limit 3, 2 remaining", sh)
		}
		refusals := map[string]string{}
		for _, tg := range sh.Targets {
			refusals[tg.Region.ID] = models.ErrorCode(tg.Refusal)
		}
		if _, ok := refusals["ap-guangzhou"]; ok {
			t.Error("the source region is offered as a target")
		}
		for region, want := range map[string]string{"ap-beijing": "", "ap-hongkong": "", "ap-chengdu": models.CodeInvalidRegionUnavailable,
			"na-ashburn": models.CodeInvalidRegionUnavailable} {
			if refusals[region] != want {
				t.Errorf("target %s refused with %q, want %q", region, refusals[region], want)
			}
		}
		if v.Image.Check(models.OpDelete, f.a.AccountID) == nil {
			t.Error("a shared image may be deleted")
		}
	})
	t.Run("OK/Recipient", func(t *testing.T) {
		v, err := f.s.ImageView(ctx, b.AccountID, "ap-guangzhou", img.ID)
		if err != nil {
			t.Fatal(err)
		}
		if v.Sharing != nil || v.Image.Warning() == "" || v.Cost.Reason == "" {
			t.Errorf("recipient view %+v: want no sharing, a warning and a cost", v)
		}
	})
	t.Run("ErrStranger", func(t *testing.T) {
		c := f.mustActor(t, "c@example.com")
		_, err := f.s.ImageView(ctx, c.AccountID, "ap-guangzhou", img.ID)
		wantCode(t, err, models.CodeInvalidImageIDNotFound)
	})
}
