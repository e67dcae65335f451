package models_test

import (
	"context"
	"fmt"
	"testing"

	"imageconsole/models"
)

// breakOverrides makes every read of the quota overrides fail, as an
// outage of the database would, while the rest of the schema still works.
func breakOverrides(t *testing.T, s *models.Store) {
	t.Helper()
	if err := s.DB().Exec("ALTER TABLE quota_overrides RENAME TO quota_overrides_away").Error; err != nil {
		t.Fatal(err)
	}
}

// TestStore_LimitsReadFails: when the limits cannot be read, every use case
// that needs them fails with InternalError, never with a quota refusal,
// and writes nothing.
func TestStore_LimitsReadFails(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Limits.DailyOps = 100
	ubuntu := f.commonImage(t, "Ubuntu", models.ArchX86)
	in := f.mustInstance(t, "ap-guangzhou", ubuntu.ID)
	img := f.mustCreateImage(t, "ap-guangzhou", "golden")
	b := f.mustActor(t, "b@example.com")
	breakOverrides(t, f.s)
	calls := []struct {
		name string
		call func() error
	}{
		{"CreateImage", func() error {
			_, err := f.s.CreateImage(ctx, f.a, in.ID, models.ImageInput{Region: "ap-guangzhou", Name: "more"})
			return err
		}},
		{"ImportImage", func() error {
			_, err := f.s.ImportImage(ctx, f.a, importInput("imp", "http://127.0.0.1:9/disk.qcow2"))
			return err
		}},
		{"SyncImage", func() error {
			_, err := f.s.SyncImage(ctx, f.a, "ap-guangzhou", img.ID, []string{"ap-beijing"}, "", false)
			return err
		}},
		{"ShareImage", func() error { return f.s.ShareImage(ctx, f.a, "ap-guangzhou", img.ID, []string{b.AccountID}) }},
		{"ModifyImage", func() error {
			name := "renamed"
			return f.s.ModifyImage(ctx, f.a, "ap-guangzhou", img.ID, &name, nil)
		}},
		{"RunInstances", func() error {
			_, err := f.s.RunInstances(ctx, f.a, models.LaunchInput{Region: "ap-guangzhou", Zone: "ap-guangzhou-3",
				InstanceType: "S5.SMALL2", ImageID: ubuntu.ID, Count: 1})
			return err
		}},
		{"QuotaUsage", func() error { _, err := f.s.QuotaUsage(ctx, f.a.AccountID, "ap-guangzhou"); return err }},
		{"ImageQuota", func() error { _, err := f.s.ImageQuota(ctx, f.a.AccountID, "ap-guangzhou"); return err }},
		{"AccountLimits", func() error { _, err := f.s.AccountLimits(ctx, f.a.AccountID); return err }},
	}
	rows := func() string {
		var images, instances, shares, ops int64
		db := f.s.DB()
		db.Model(&models.Image{}).Count(&images)
		db.Model(&models.Instance{}).Count(&instances)
		db.Model(&models.ImageShare{}).Count(&shares)
		db.Model(&models.Operation{}).Where("result = ?", models.ResultSuccess).Count(&ops)
		return fmt.Sprint(images, instances, shares, ops)
	}
	for _, tt := range calls {
		t.Run("ErrInternal/"+tt.name, func(t *testing.T) {
			before := rows()
			wantCode(t, tt.call(), models.CodeInternal)
			if after := rows(); after != before {
				t.Errorf("wrote: %s → %s", before, after)
			}
		})
	}
}
