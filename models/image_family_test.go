package models_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"imageconsole/models"
)

func ptr[T any](v T) *T { return &v }

func TestStore_ModifyImageAttributes_Family(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Limits.DailyOps = 100
	img := f.mustCreateImage(t, "ap-guangzhou", "golden")

	t.Run("OK", func(t *testing.T) {
		err := f.s.ModifyImageAttributes(ctx, f.a, "ap-guangzhou", img.ID, models.ImageAttributes{Family: ptr("business-daily-update"), Deprecated: ptr(true)})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := f.s.Image(ctx, f.a.AccountID, "ap-guangzhou", img.ID)
		if got.Family != "business-daily-update" || !got.Deprecated || got.Name != "golden" {
			t.Errorf("after the change: family %q deprecated %v name %q", got.Family, got.Deprecated, got.Name)
		}
		if err := f.s.ModifyImageAttributes(ctx, f.a, "ap-guangzhou", img.ID, models.ImageAttributes{Family: ptr(""), Deprecated: ptr(false)}); err != nil {
			t.Fatal(err)
		}
		if got, _ := f.s.Image(ctx, f.a.AccountID, "ap-guangzhou", img.ID); got.Family != "" || got.Deprecated {
			t.Errorf("after clearing: family %q deprecated %v", got.Family, got.Deprecated)
		}
	})

	b := f.mustActor(t, "b@example.com")
	if err := f.s.ShareImage(ctx, f.a, "ap-guangzhou", img.ID, []string{b.AccountID}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		actor  models.Actor
		family string
		code   string
	}{
		{"ErrStartsWithDigit", f.a, "1abc", models.CodeInvalidImageFamily},
		{"ErrSpace", f.a, "daily update", models.CodeInvalidImageFamily},
		{"ErrTooLong", f.a, "a" + strings.Repeat("b", models.MaxImageFamily), models.CodeInvalidImageFamily},
		{"ErrNonASCII", f.a, "镜像族", models.CodeInvalidImageFamily},
		{"ErrSharedWithMe", b, "daily", models.CodeSharedImageModify},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.allCounts(t)
			err := f.s.ModifyImageAttributes(ctx, tt.actor, "ap-guangzhou", img.ID, models.ImageAttributes{Family: &tt.family})
			wantCode(t, err, tt.code)
			if after := f.allCounts(t); after != before {
				t.Errorf("refusal wrote: %s → %s", before, after)
			}
			if got, _ := f.s.Image(ctx, f.a.AccountID, "ap-guangzhou", img.ID); got.Family != "" {
				t.Errorf("family became %q", got.Family)
			}
		})
	}
}

func TestStore_DescribeImageFromFamily(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Limits.DailyOps = 100
	inFamily := func(a models.Actor, region, name, family string) models.Image {
		t.Helper()
		img := f.mustImageAs(t, a, region, f.commonImage(t, "Ubuntu", models.ArchX86).ID, name)
		if err := f.s.ModifyImageAttributes(ctx, a, region, img.ID, models.ImageAttributes{Family: &family}); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(time.Minute)
		return img
	}
	b := f.mustActor(t, "b@example.com")
	c := f.mustActor(t, "c@example.com")
	v1 := inFamily(f.a, "ap-guangzhou", "web-v1", "web")
	v2 := inFamily(f.a, "ap-guangzhou", "web-v2", "web")
	inFamily(f.a, "ap-beijing", "web-bj", "web") // newer, but in another region
	inFamily(c, "ap-guangzhou", "web-c", "web")  // newer, but another account's and not shared
	theirs := inFamily(b, "ap-guangzhou", "base-v1", "base")
	if err := f.s.ShareImage(ctx, b, "ap-guangzhou", theirs.ID, []string{f.a.AccountID}); err != nil {
		t.Fatal(err)
	}

	newest := func(t *testing.T, family string) *models.Image {
		t.Helper()
		img, err := f.s.DescribeImageFromFamily(ctx, f.a.AccountID, "ap-guangzhou", family)
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	t.Run("OK/Newest", func(t *testing.T) {
		if got := newest(t, "web"); got == nil || got.ID != v2.ID {
			t.Fatalf("newest of web = %+v, want %s", got, v2.ID)
		}
	})
	t.Run("OK/SharedWithMe", func(t *testing.T) {
		if got := newest(t, "base"); got == nil || got.ID != theirs.ID || got.Type != models.TypeShared {
			t.Fatalf("newest of base = %+v, want %s as SHARED_IMAGE", got, theirs.ID)
		}
	})
	t.Run("OK/DeprecatedIsSkipped", func(t *testing.T) {
		if err := f.s.ModifyImageAttributes(ctx, f.a, "ap-guangzhou", v2.ID, models.ImageAttributes{Deprecated: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		if got := newest(t, "web"); got == nil || got.ID != v1.ID {
			t.Fatalf("newest of web with v2 deprecated = %+v, want %s", got, v1.ID)
		}
	})
	t.Run("OK/BusyIsSkipped", func(t *testing.T) {
		inst := f.mustInstance(t, "ap-guangzhou", f.commonImage(t, "Ubuntu", models.ArchX86).ID)
		id, err := f.s.CreateImage(ctx, f.a, inst.ID, models.ImageInput{Region: "ap-guangzhou", Name: "web-v3", Family: "web"})
		if err != nil {
			t.Fatal(err)
		}
		if got := newest(t, "web"); got == nil || got.ID != v1.ID {
			t.Fatalf("newest of web with %s CREATING = %+v, want %s", id, got, v1.ID)
		}
		f.drain(t)
		if got := newest(t, "web"); got == nil || got.ID != id {
			t.Fatalf("newest of web once %s is NORMAL = %+v", id, got)
		}
	})
	t.Run("OK/NoImage", func(t *testing.T) {
		if got := newest(t, "nothing-here"); got != nil {
			t.Fatalf("an empty family answered %+v", got)
		}
	})
	t.Run("ErrMissing", func(t *testing.T) {
		_, err := f.s.DescribeImageFromFamily(ctx, f.a.AccountID, "ap-guangzhou", "")
		wantCode(t, err, models.CodeMissingParameter)
	})
	t.Run("ErrMalformed", func(t *testing.T) {
		_, err := f.s.DescribeImageFromFamily(ctx, f.a.AccountID, "ap-guangzhou", "-web")
		wantCode(t, err, models.CodeInvalidImageFamily)
	})
}

// TestStore_DescribeImages_DeprecatedByID: a deprecated common image leaves
// the listing but is found by its ID, as deprecated, since it can still be
// launched by ID.
func TestStore_DescribeImages_DeprecatedByID(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	old := f.commonImage(t, "CentOS", models.ArchX86)
	if err := f.s.DB().Model(&models.Image{}).Where("id = ?", old.ID).Update("deprecated", true).Error; err != nil {
		t.Fatal(err)
	}
	find := func(in models.DescribeImagesInput) []models.Image {
		t.Helper()
		rows, _, err := f.s.DescribeImages(ctx, f.a.AccountID, "ap-guangzhou", in)
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	for name, in := range map[string]models.DescribeImagesInput{
		"ImageIds":       {ImageIDs: []string{old.ID}},
		"image-id":       {Filters: []models.Filter{{Name: "image-id", Values: []string{old.ID}}}},
		"image-id+other": {Filters: []models.Filter{{Name: "image-id", Values: []string{old.ID}}, {Name: "image-type", Values: []string{models.TypePublic}}}},
	} {
		t.Run("OK/"+name, func(t *testing.T) {
			if rows := find(in); len(rows) != 1 || rows[0].ID != old.ID || !rows[0].Deprecated {
				t.Errorf("found %+v, want %s, deprecated", rows, old.ID)
			}
		})
	}
	t.Run("OK/NotListed", func(t *testing.T) {
		for _, img := range find(models.DescribeImagesInput{Filters: []models.Filter{{Name: "platform", Values: []string{"CentOS"}}}, Limit: 100}) {
			if img.ID == old.ID {
				t.Errorf("deprecated %s is listed", old.ID)
			}
		}
	})
}
