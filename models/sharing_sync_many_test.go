package models_test

import (
	"context"
	"fmt"
	"testing"

	"imageconsole/models"
)

// TestStore_SyncImages_Several syncs several images in one request: every
// image gets a copy in every destination, the request counts once, and one
// image that may not be synced refuses the whole request.
func TestStore_SyncImages_Several(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Limits.DailyOps = 100
	web := f.mustCreateImage(t, "ap-guangzhou", "web")
	db := f.mustCreateImage(t, "ap-guangzhou", "db")
	fam := "web"
	if err := f.s.ModifyImageAttributes(ctx, f.a, "ap-guangzhou", web.ID, models.ImageAttributes{Family: &fam}); err != nil {
		t.Fatal(err)
	}

	t.Run("OK", func(t *testing.T) {
		before, _ := f.s.QuotaUsage(ctx, f.a.AccountID, "ap-guangzhou")
		set, err := f.s.SyncImages(ctx, f.a, "ap-guangzhou", []string{web.ID, db.ID, web.ID}, []string{"ap-beijing", "ap-shanghai"}, "", false)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range set {
			cp, err := f.s.Image(ctx, f.a.AccountID, s.Region, s.ImageID)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, fmt.Sprintf("%s:%s:%s", cp.Name, s.Region, cp.Family))
			if cp.SnapshotID == "" || cp.SnapshotID == web.SnapshotID || cp.SnapshotID == db.SnapshotID {
				t.Errorf("copy %s has snapshot %q: want its own", cp.ID, cp.SnapshotID)
			}
		}
		want := fmt.Sprint([]string{"web:ap-beijing:web", "web:ap-shanghai:web", "db:ap-beijing:", "db:ap-shanghai:"})
		if fmt.Sprint(got) != want {
			t.Errorf("copies %v, want %s", got, want)
		}
		// However many images, one request is one operation of the source region.
		if after, _ := f.s.QuotaUsage(ctx, f.a.AccountID, "ap-guangzhou"); after.OpsUsed != before.OpsUsed+1 {
			t.Errorf("ops %d → %d, want +1", before.OpsUsed, after.OpsUsed)
		}
		f.drain(t)
	})

	other := f.mustImageAs(t, f.mustActor(t, "b@example.com"), "ap-guangzhou", f.commonImage(t, "Ubuntu", models.ArchX86).ID, "theirs")
	busyInst := f.mustInstance(t, "ap-guangzhou", f.commonImage(t, "Ubuntu", models.ArchX86).ID)
	busy, err := f.s.CreateImage(ctx, f.a, busyInst.ID, models.ImageInput{Region: "ap-guangzhou", Name: "busy"}) // CREATING: no drain after it
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		images []string
		rename string
		code   string
	}{
		{"ErrOneBusy", []string{web.ID, busy}, "", models.CodeInvalidImageIDState},
		{"ErrOneNotMine", []string{other.ID, db.ID}, "", models.CodeInvalidImageIDNotFound},
		{"ErrOneMalformed", []string{web.ID, "img-BAD"}, "", models.CodeInvalidImageIDMalformed},
		{"ErrNone", []string{" ", ""}, "", models.CodeMissingParameter},
		// Two images renamed alike collide in the destination.
		{"ErrSameNewName", []string{web.ID, db.ID}, "golden", models.CodeImageNameDuplicate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.allCounts(t)
			set, err := f.s.SyncImages(ctx, f.a, "ap-guangzhou", tt.images, []string{"ap-hongkong"}, tt.rename, false)
			wantCode(t, err, tt.code)
			if after := f.allCounts(t); after != before || set != nil {
				t.Errorf("refusal wrote: %s → %s, set %v", before, after, set)
			}
			if u, _ := f.s.QuotaUsage(ctx, f.a.AccountID, "ap-hongkong"); u.ImagesUsed != 0 {
				t.Errorf("Hong Kong holds %d images after a refused sync", u.ImagesUsed)
			}
		})
	}

	t.Run("ErrR1ForTheSecondImage", func(t *testing.T) {
		f.s.Limits.CustomImages = 1
		defer func() { f.s.Limits.CustomImages = 10 }()
		before := f.allCounts(t)
		_, err := f.s.SyncImages(ctx, f.a, "ap-guangzhou", []string{web.ID, db.ID}, []string{"ap-hongkong"}, "", false)
		wantCode(t, err, models.CodeImageQuota)
		if after := f.allCounts(t); after != before {
			t.Errorf("refusal wrote: %s → %s", before, after)
		}
	})
}
