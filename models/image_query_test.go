package models_test

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"imageconsole/models"
	"imageconsole/models/storetest"
)

// mustImages writes n custom images for an account straight to the database
// (raising the R1 limit), named name-0000 … with creation times one minute apart.
func mustImages(t *testing.T, s *models.Store, owner, region, name string, n int) []models.Image {
	t.Helper()
	imgs := make([]models.Image, n)
	for i := range imgs {
		platform, arch := "Ubuntu", models.ArchX86
		if i%3 == 0 {
			platform, arch = "Debian", models.ArchARM
		}
		imgs[i] = models.Image{ID: models.NewID("img"), Type: models.TypePrivate, OwnerID: owner, Region: region,
			Name: fmt.Sprintf("%s-%04d", name, i), OsName: platform, Platform: platform, Arch: arch, SizeGiB: 20,
			State: models.StateNormal, Source: models.SourceCreate, Creator: owner, QuotaLimit: 1 << 30,
			CreatedAt: time.Date(2025, 1, 1, 0, i, 0, 0, time.UTC)}
	}
	if err := s.DB().CreateInBatches(imgs, 200).Error; err != nil {
		t.Fatalf("insert images: %v", err)
	}
	return imgs
}

func TestStore_ListImages_Tabs(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	a := storetest.MustAccount(t, s, "a@example.com")
	b := storetest.MustAccount(t, s, "b@example.com")
	mustImages(t, s, a.ID, "ap-guangzhou", "a-gz", 3)
	mustImages(t, s, a.ID, "ap-tokyo", "a-tokyo", 2)
	bImgs := mustImages(t, s, b.ID, "ap-guangzhou", "b-gz", 4)
	if err := s.DB().Create(&models.ImageShare{ImageID: bImgs[0].ID, AccountID: a.ID}).Error; err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, region, tab string
		want              int64
	}{
		{"OK/CommonEverywhere", "ap-tokyo", models.TabCommon, 36},
		{"OK/Market", "ap-guangzhou", models.TabMarket, 12},
		{"OK/CustomGuangzhou", "ap-guangzhou", models.TabCustom, 3},
		{"OK/CustomTokyo", "ap-tokyo", models.TabCustom, 2},
		{"OK/SharedInItsRegion", "ap-guangzhou", models.TabShared, 1},
		{"OK/SharedNotElsewhere", "ap-tokyo", models.TabShared, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := s.ListImages(ctx, a.ID, models.ImageQuery{Region: tt.region, Tab: tt.tab, Size: 100})
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != tt.want || int64(len(p.Rows)) != tt.want || p.Counts[tt.tab] != tt.want {
				t.Errorf("total %d rows %d count %d, want %d", p.Total, len(p.Rows), p.Counts[tt.tab], tt.want)
			}
			for _, img := range p.Rows {
				if tt.tab == models.TabCustom && img.OwnerID != a.ID {
					t.Errorf("custom tab shows %s of %s", img.ID, img.OwnerID)
				}
			}
		})
	}
}

func TestStore_ListImages_SearchFilterSortPage(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	a := storetest.MustAccount(t, s, "a@example.com")
	all := mustImages(t, s, a.ID, "ap-beijing", "golden", 2500)
	mustImages(t, s, storetest.MustAccount(t, s, "z@example.com").ID, "ap-beijing", "other", 500)

	// Walk every page sorted by name: each image exactly once, in order.
	var names []string
	for page := 1; ; page++ {
		p, err := s.ListImages(ctx, a.ID, models.ImageQuery{Region: "ap-beijing", Tab: models.TabCustom, Sort: models.SortName, Page: page, Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != 2500 {
			t.Fatalf("total = %d, want 2500", p.Total)
		}
		if len(p.Rows) == 0 {
			break
		}
		for _, img := range p.Rows {
			names = append(names, img.Name)
		}
	}
	if len(names) != 2500 || !sort.StringsAreSorted(names) {
		t.Fatalf("walked %d names, sorted %v", len(names), sort.StringsAreSorted(names))
	}

	tests := []struct {
		name      string
		q         models.ImageQuery
		wantTotal int64
		wantFirst string
	}{
		{"OK/NewestFirst", models.ImageQuery{}, 2500, "golden-2499"},
		{"OK/SearchSubstring", models.ImageQuery{Search: "den-012"}, 10, "golden-0129"},
		{"OK/SearchByID", models.ImageQuery{Search: all[42].ID}, 1, "golden-0042"},
		{"OK/SearchLikeWildcardsAreLiteral", models.ImageQuery{Search: "%"}, 0, ""},
		{"OK/SearchInvalidUTF8AndNUL", models.ImageQuery{Search: "golden-24\xff\x0099"}, 1, "golden-2499"},
		{"OK/Platform", models.ImageQuery{Platform: "Debian"}, 834, "golden-2499"},
		{"OK/Arch", models.ImageQuery{Arch: models.ArchX86, Sort: models.SortName}, 1666, "golden-0001"},
		{"OK/State", models.ImageQuery{State: models.StateCreating}, 0, ""},
		{"OK/UnknownPlatformMeansAll", models.ImageQuery{Platform: "Plan9"}, 2500, "golden-2499"},
		{"OK/NegativePage", models.ImageQuery{Page: -1}, 2500, "golden-2499"},
		{"OK/PageBeyondEnd", models.ImageQuery{Page: 99999}, 2500, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.q.Region, tt.q.Tab = "ap-beijing", models.TabCustom
			p, err := s.ListImages(ctx, a.ID, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			var first string
			if len(p.Rows) > 0 {
				first = p.Rows[0].Name
			}
			if p.Total != tt.wantTotal || first != tt.wantFirst {
				t.Errorf("total %d first %q, want %d %q", p.Total, first, tt.wantTotal, tt.wantFirst)
			}
			if len(p.Rows) > p.Query.Size {
				t.Errorf("%d rows over page size %d", len(p.Rows), p.Query.Size)
			}
		})
	}
}

func TestStore_SeedCatalog_Idempotent(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t) // seeds once
	var before, accounts int64
	s.DB().Model(&models.Image{}).Count(&before)
	if err := s.SeedCatalog(ctx); err != nil {
		t.Fatal(err)
	}
	var after int64
	s.DB().Model(&models.Image{}).Count(&after)
	s.DB().Model(&models.Account{}).Count(&accounts)
	if before != after || after != 48 || accounts != 4 {
		t.Errorf("images %d → %d (want 48), provider accounts %d (want 4)", before, after, accounts)
	}
}

func TestStore_Image_Visibility(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	a := storetest.MustAccount(t, s, "a@example.com")
	b := storetest.MustAccount(t, s, "b@example.com")
	own := mustImages(t, s, a.ID, "ap-guangzhou", "mine", 1)[0]
	tests := []struct {
		name, who, region, id, wantCode string
	}{
		{"OK/Owner", a.ID, "ap-guangzhou", own.ID, ""},
		{"ErrOtherAccount", b.ID, "ap-guangzhou", own.ID, models.CodeInvalidImageIDNotFound},
		{"ErrOtherRegion", a.ID, "ap-tokyo", own.ID, models.CodeInvalidImageIDNotFound},
		{"ErrMissing", a.ID, "ap-guangzhou", "img-00000000", models.CodeInvalidImageIDNotFound},
		{"ErrMalformed", a.ID, "ap-guangzhou", "img-<x>", models.CodeInvalidImageIDMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Image(ctx, tt.who, tt.region, tt.id)
			if got := models.ErrorCode(err); got != tt.wantCode {
				t.Errorf("code = %q, want %q", got, tt.wantCode)
			}
		})
	}
}

func TestStore_DeprecatedAndOfflineImages(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	common := f.commonImage(t, "Debian", models.ArchX86)
	var market models.Image
	f.s.DB().Where("type = ?", models.TypeMarket).Order("id").First(&market)
	f.s.DB().Model(&models.Image{}).Where("id = ?", common.ID).Update("deprecated", true)
	f.s.DB().Model(&models.Image{}).Where("id = ?", market.ID).Update("state", models.StateOffline)

	listed := func(tab, id string) bool {
		p, err := f.s.ListImages(ctx, f.a.AccountID, models.ImageQuery{Region: "ap-guangzhou", Tab: tab, Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, img := range p.Rows {
			if img.ID == id {
				return true
			}
		}
		return false
	}
	if listed(models.TabCommon, common.ID) || listed(models.TabMarket, market.ID) {
		t.Error("a deprecated common image or an offline listing is still listed")
	}
	// Deprecated: still launchable by ID. Offline: refused.
	f.mustInstance(t, "ap-guangzhou", common.ID)
	_, err := f.s.RunInstances(ctx, f.a, models.LaunchInput{Region: "ap-guangzhou", Zone: "ap-guangzhou-3",
		InstanceType: "S5.SMALL2", ImageID: market.ID, Count: 1})
	wantCode(t, err, models.CodeInvalidImageIDState)
}
