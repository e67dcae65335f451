package models_test

import (
	"context"
	"strings"
	"testing"

	"imageconsole/models"
)

func TestSyncTargets(t *testing.T) {
	tests := []struct {
		source string
		want   string
	}{
		{"ap-guangzhou", "ap-shanghai ap-beijing ap-hongkong"},
		{"ap-hongkong", "ap-guangzhou ap-shanghai ap-beijing"},
		{"ap-chengdu", ""},
		{"na-ashburn", ""},
	}
	for _, tt := range tests {
		t.Run(tt.source, func(t *testing.T) {
			r, _ := models.LookupRegion(tt.source)
			var got []string
			for _, d := range models.SyncTargets(r) {
				if d.Refusal == nil {
					got = append(got, d.Region.ID)
				}
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("SyncTargets(%s) allows %v, want %s", tt.source, got, tt.want)
			}
		})
	}
}

func TestRegion_SyncRefusal(t *testing.T) {
	for _, r := range models.Regions {
		t.Run(r.ID, func(t *testing.T) {
			why := r.SyncRefusal()
			switch {
			case r.Sync && why != "":
				t.Errorf("sync region refused: %q", why)
			case !r.Sync && r.Area == models.AreaNorthAmerica && !strings.Contains(why, "North America"):
				t.Errorf("North American region: %q does not say North America", why)
			case !r.Sync && r.Area != models.AreaNorthAmerica && !strings.Contains(why, "Guangzhou, Shanghai, Beijing and Hong Kong"):
				t.Errorf("%q does not name the sync regions", why)
			}
		})
	}
}

func TestStore_SyncImage(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Limits.DailyOps = 100
	var market models.Image
	if err := f.s.DB().Where("type = ?", models.TypeMarket).Order("id").First(&market).Error; err != nil {
		t.Fatal(err)
	}
	common := f.commonImage(t, "Ubuntu", models.ArchX86)
	src := f.mustImageAs(t, f.a, "ap-guangzhou", market.ID, "golden")
	desc := "release 1"
	if err := f.s.ModifyImage(ctx, f.a, "ap-guangzhou", src.ID, nil, &desc); err != nil {
		t.Fatal(err)
	}
	src.Description = desc

	t.Run("OK", func(t *testing.T) {
		before, _ := f.s.QuotaUsage(ctx, f.a.AccountID, "ap-guangzhou")
		set, err := f.s.SyncImage(ctx, f.a, "ap-guangzhou", src.ID, []string{"ap-shanghai", "ap-beijing", "ap-hongkong", "ap-shanghai"}, "", false)
		if err != nil {
			t.Fatal(err)
		}
		if len(set) != 3 || set[0].Region != "ap-shanghai" || set[1].Region != "ap-beijing" || set[2].Region != "ap-hongkong" {
			t.Fatalf("image set %+v: want one copy each in Shanghai, Beijing, Hong Kong", set)
		}
		// One operation, counted in the source region only (R2).
		if after, _ := f.s.QuotaUsage(ctx, f.a.AccountID, "ap-guangzhou"); after.OpsUsed != before.OpsUsed+1 {
			t.Errorf("source region ops %d → %d, want +1", before.OpsUsed, after.OpsUsed)
		}
		for _, s := range set {
			u, _ := f.s.QuotaUsage(ctx, f.a.AccountID, s.Region)
			if u.OpsUsed != 0 || u.ImagesUsed != 1 {
				t.Errorf("%s: ops %d, images %d; want 0 and 1", s.Region, u.OpsUsed, u.ImagesUsed)
			}
			cp, err := f.s.Image(ctx, f.a.AccountID, s.Region, s.ImageID)
			if err != nil {
				t.Fatal(err)
			}
			if cp.ID == src.ID || cp.State != models.StateSyncing || cp.Progress != 0 || cp.Type != models.TypePrivate {
				t.Errorf("copy %s: id %s state %s progress %d; want a new SYNCING image at 0", s.Region, cp.ID, cp.State, cp.Progress)
			}
			same := cp.Name == src.Name && cp.Description == src.Description && cp.OsName == src.OsName &&
				cp.Platform == src.Platform && cp.Arch == src.Arch && cp.SizeGiB == src.SizeGiB && cp.CloudInit == src.CloudInit &&
				cp.License == src.License && cp.BillingKind == src.BillingKind && cp.HourlyPrice == src.HourlyPrice &&
				cp.Source == src.Source && cp.OwnerID == src.OwnerID && cp.BaseImageID == src.ID
			if !same {
				t.Errorf("copy %+v\ndiffers from source %+v", cp, src)
			}
		}
		f.drain(t)
		for _, s := range set {
			cp, _ := f.s.Image(ctx, f.a.AccountID, s.Region, s.ImageID)
			if cp.State != models.StateNormal || cp.Progress != 100 {
				t.Errorf("copy in %s after the task: %s %d%%", s.Region, cp.State, cp.Progress)
			}
		}
		if got, _ := f.s.Image(ctx, f.a.AccountID, "ap-guangzhou", src.ID); got.State != models.StateNormal {
			t.Errorf("source became %s", got.State)
		}
	})

	t.Run("OK/NewName", func(t *testing.T) {
		set, err := f.s.SyncImage(ctx, f.a, "ap-guangzhou", src.ID, []string{"ap-beijing"}, "  golden-2 ", false)
		if err != nil {
			t.Fatal(err)
		}
		if cp, _ := f.s.Image(ctx, f.a.AccountID, "ap-beijing", set[0].ImageID); cp.Name != "golden-2" {
			t.Errorf("copy named %q, want golden-2", cp.Name)
		}
	})

	cd := f.mustImageAs(t, f.a, "ap-chengdu", common.ID, "chengdu")
	na := f.mustImageAs(t, f.a, "na-ashburn", common.ID, "virginia")
	lent := f.mustImageAs(t, f.a, "ap-guangzhou", common.ID, "lent")
	b := f.mustActor(t, "b@example.com")
	if err := f.s.ShareImage(ctx, f.a, "ap-guangzhou", lent.ID, []string{b.AccountID}); err != nil {
		t.Fatal(err)
	}
	busyInst := f.mustInstance(t, "ap-guangzhou", common.ID)
	busy, err := f.s.CreateImage(ctx, f.a, busyInst.ID, models.ImageInput{Region: "ap-guangzhou", Name: "busy"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		actor  models.Actor
		region string
		image  string
		dst    []string
		rename string
		dry    bool
		code   string
		says   string // the message must name why
	}{
		{"ErrUnknownSourceRegion", f.a, "ap-mars", src.ID, []string{"ap-beijing"}, "", false, models.CodeInvalidRegionNotFound, ""},
		{"ErrSourceNotSyncRegion", f.a, "ap-chengdu", cd.ID, []string{"ap-beijing"}, "", false, models.CodeInvalidRegionUnavailable, "Hong Kong"},
		{"ErrSourceNorthAmerica", f.a, "na-ashburn", na.ID, []string{"ap-beijing"}, "", false, models.CodeInvalidRegionUnavailable, "North America"},
		{"ErrUnknownDestination", f.a, "ap-guangzhou", src.ID, []string{"ap-shanghai", "ap-mars"}, "x", false, models.CodeInvalidRegionNotFound, ""},
		{"ErrDestinationNotSyncRegion", f.a, "ap-guangzhou", src.ID, []string{"ap-tokyo"}, "x", false, models.CodeInvalidRegionUnavailable, "Hong Kong"},
		{"ErrDestinationNorthAmerica", f.a, "ap-guangzhou", src.ID, []string{"na-siliconvalley"}, "x", false, models.CodeInvalidRegionUnavailable, "North America"},
		{"ErrDestinationIsSource", f.a, "ap-guangzhou", src.ID, []string{"ap-shanghai", "ap-guangzhou"}, "x", false, models.CodeUnsupportedRegion, ""},
		{"ErrNoDestinations", f.a, "ap-guangzhou", src.ID, []string{" "}, "", false, models.CodeMissingParameter, ""},
		{"ErrNameTooLong", f.a, "ap-guangzhou", src.ID, []string{"ap-shanghai"}, strings.Repeat("n", 61), false, models.CodeTooLarge, ""},
		{"ErrNameDuplicate", f.a, "ap-guangzhou", src.ID, []string{"ap-beijing"}, "", false, models.CodeImageNameDuplicate, ""},
		{"ErrNotNormal", f.a, "ap-guangzhou", busy, []string{"ap-beijing"}, "x", false, models.CodeInvalidImageIDState, ""},
		{"ErrSharedWithMe", b, "ap-guangzhou", lent.ID, []string{"ap-beijing"}, "", false, models.CodeNotBelongToAccount, ""},
		{"ErrCommonImage", f.a, "ap-guangzhou", common.ID, []string{"ap-beijing"}, "x", false, models.CodeNotBelongToAccount, ""},
		{"ErrOtherRegion", f.a, "ap-beijing", src.ID, []string{"ap-shanghai"}, "x", false, models.CodeInvalidImageIDNotFound, ""},
		{"ErrDryRun", f.a, "ap-guangzhou", src.ID, []string{"ap-beijing", "ap-shanghai"}, "fresh", true, models.CodeDryRun, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.allCounts(t)
			set, err := f.s.SyncImage(ctx, tt.actor, tt.region, tt.image, tt.dst, tt.rename, tt.dry)
			wantCode(t, err, tt.code)
			if !strings.Contains(models.ErrorMessage(err), tt.says) {
				t.Errorf("message %q does not say %q", models.ErrorMessage(err), tt.says)
			}
			if after := f.allCounts(t); after != before || set != nil {
				t.Errorf("refusal wrote: %s → %s, set %v", before, after, set)
			}
		})
	}

	t.Run("OK/DeletingTheSourceKeepsTheCopies", func(t *testing.T) {
		copies, _ := f.s.ListImages(ctx, f.a.AccountID, models.ImageQuery{Region: "ap-hongkong", Tab: models.TabCustom})
		if err := f.s.DeleteImages(ctx, f.a, "ap-guangzhou", []string{src.ID}); err != nil {
			t.Fatal(err)
		}
		if copies.Total != 1 {
			t.Fatalf("%d copies in Hong Kong, want 1", copies.Total)
		}
		cp, err := f.s.Image(ctx, f.a.AccountID, "ap-hongkong", copies.Rows[0].ID)
		if err != nil || cp.State != models.StateNormal || cp.BillingKind != models.BillingMarket {
			t.Errorf("copy after deleting the source: %+v, %v", cp, err)
		}
	})
}

// TestStore_SyncImage_R1 checks R1 for every destination: all or none.
func TestStore_SyncImage_R1(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Limits.DailyOps = 100
	f.s.Limits.CustomImages = 2
	src := f.mustCreateImage(t, "ap-guangzhou", "golden")
	f.mustCreateImage(t, "ap-beijing", "b1")
	f.mustCreateImage(t, "ap-beijing", "b2")

	t.Run("ErrSecondDestinationFull", func(t *testing.T) {
		before := f.allCounts(t)
		_, err := f.s.SyncImage(ctx, f.a, "ap-guangzhou", src.ID, []string{"ap-shanghai", "ap-beijing", "ap-hongkong"}, "", false)
		wantCode(t, err, models.CodeImageQuota)
		if after := f.allCounts(t); after != before {
			t.Errorf("refusal wrote: %s → %s", before, after)
		}
		if u, _ := f.s.QuotaUsage(ctx, f.a.AccountID, "ap-shanghai"); u.ImagesUsed != 0 {
			t.Errorf("Shanghai holds %d images after a refused sync, want 0", u.ImagesUsed)
		}
	})
	t.Run("OK/WithRoomEverywhere", func(t *testing.T) {
		f.s.Limits.CustomImages = 3
		set, err := f.s.SyncImage(ctx, f.a, "ap-guangzhou", src.ID, []string{"ap-shanghai", "ap-beijing", "ap-hongkong"}, "", false)
		if err != nil || len(set) != 3 {
			t.Fatalf("sync with room: %v, %v", set, err)
		}
	})
}
