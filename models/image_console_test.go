package models_test

import (
	"context"
	"testing"

	"imageconsole/models"
)

func TestImageStore_LocateImage(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Limits.DailyOps = 100
	common := f.commonImage(t, "Ubuntu", models.ArchX86)
	mine := f.mustImageAs(t, f.a, "ap-guangzhou", common.ID, "mine")
	b := f.mustActor(t, "b@example.com")
	c := f.mustActor(t, "c@example.com")
	if err := f.s.ShareImage(ctx, f.a, "ap-guangzhou", mine.ID, []string{b.AccountID}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, account, id    string
		wantRegion, wantType string
		wantCode             string
	}{
		{"OK/Own", f.a.AccountID, mine.ID, "ap-guangzhou", models.TypePrivate, ""},
		{"OK/SharedWithMe", b.AccountID, mine.ID, "ap-guangzhou", models.TypeShared, ""},
		{"OK/Common", c.AccountID, common.ID, "", models.TypePublic, ""},
		{"ErrNotShared", c.AccountID, mine.ID, "", "", models.CodeInvalidImageIDNotFound},
		{"ErrMissing", f.a.AccountID, "img-zzzzzzzz", "", "", models.CodeInvalidImageIDNotFound},
		{"ErrMalformed", f.a.AccountID, "nope", "", "", models.CodeInvalidImageIDMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := f.s.LocateImage(ctx, tt.account, tt.id)
			if tt.wantCode != "" {
				wantCode(t, err, tt.wantCode)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if img.Region != tt.wantRegion || img.Type != tt.wantType {
				t.Errorf("located %s in %q as %s, want %q as %s", img.ID, img.Region, img.Type, tt.wantRegion, tt.wantType)
			}
		})
	}
}

func TestImageStore_ImageCopies(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Limits.DailyOps = 100
	common := f.commonImage(t, "Ubuntu", models.ArchX86)
	src := f.mustImageAs(t, f.a, "ap-guangzhou", common.ID, "golden")
	other := f.mustImageAs(t, f.a, "ap-guangzhou", common.ID, "other")
	// A child of src in its own region (made from an instance of src) is
	// no sync copy.
	child := f.mustImageAs(t, f.a, "ap-guangzhou", src.ID, "child")
	set, err := f.s.SyncImage(ctx, f.a, "ap-guangzhou", src.ID, []string{"ap-shanghai", "ap-hongkong"}, "", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.SyncImage(ctx, f.a, "ap-guangzhou", other.ID, []string{"ap-beijing"}, "", false); err != nil {
		t.Fatal(err)
	}

	t.Run("OK/InFlight", func(t *testing.T) {
		copies, err := f.s.ImageCopies(ctx, &src)
		if err != nil {
			t.Fatal(err)
		}
		if len(copies) != 2 {
			t.Fatalf("%d copies, want the 2 of the sync (not %s nor other's copy)", len(copies), child.ID)
		}
		for i, cp := range copies {
			if cp.ID != set[i].ImageID || cp.Region != set[i].Region || cp.State != models.StateSyncing {
				t.Errorf("copy %d: %s in %s %s, want %s in %s SYNCING", i, cp.ID, cp.Region, cp.State, set[i].ImageID, set[i].Region)
			}
		}
	})
	t.Run("OK/Done", func(t *testing.T) {
		f.drain(t)
		copies, _ := f.s.ImageCopies(ctx, &src)
		for _, cp := range copies {
			if cp.State != models.StateNormal || cp.Progress != 100 {
				t.Errorf("copy in %s after the task: %s %d%%", cp.Region, cp.State, cp.Progress)
			}
		}
	})
	t.Run("OK/NotCustom", func(t *testing.T) {
		if copies, err := f.s.ImageCopies(ctx, &common); err != nil || len(copies) != 0 {
			t.Errorf("a common image has copies %v (%v)", copies, err)
		}
	})
}

func TestWindowsLicence(t *testing.T) {
	gz, _ := models.LookupRegion("ap-guangzhou")
	hk, _ := models.LookupRegion("ap-hongkong")
	win := models.Image{Platform: "Windows", BillingKind: models.BillingWindows, License: models.LicenseTencentCloud}
	market := models.Image{Platform: "Windows", BillingKind: models.BillingMarket, License: models.LicenseTencentCloud, HourlyPrice: 0.15}
	byol := models.Image{Platform: "Windows", License: models.LicenseBYOL}
	linux := models.Image{Platform: "Ubuntu", BillingKind: models.BillingMarket}
	tests := []struct {
		name   string
		img    models.Image
		region models.Region
		want   models.Licence
	}{
		{"PlatformMainland", win, gz, models.LicenceFreeMainland},
		{"PlatformOverseas", win, hk, models.LicenceCharged},
		{"MarketOverseas", market, hk, models.LicenceInPrice},
		{"MarketMainland", market, gz, models.LicenceInPrice},
		{"BYOLOverseas", byol, hk, models.LicenceBYOL},
		{"NotWindows", linux, hk, models.LicenceNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := models.WindowsLicence(&tt.img, tt.region); got != tt.want {
				t.Errorf("WindowsLicence = %q, want %q", got, tt.want)
			}
			// The licence agrees with what the image costs (R7).
			cost := models.DefaultPricing.ImageCost(&tt.img, tt.region)
			if charged := tt.want == models.LicenceCharged; charged != (cost.PerVCPU && cost.PerHour > 0) {
				t.Errorf("licence %q but cost %+v", tt.want, cost)
			}
		})
	}
}
