package models_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"imageconsole/models"
	"imageconsole/models/storetest"
)

func TestStore_DescribeImages(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	a := storetest.MustAccount(t, s, "a@example.com")
	b := storetest.MustAccount(t, s, "b@example.com")
	own := mustImages(t, s, a.ID, "ap-guangzhou", "a-gz", 6) // 0 and 3 are Debian arm
	mustImages(t, s, a.ID, "ap-tokyo", "a-tokyo", 2)
	theirs := mustImages(t, s, b.ID, "ap-guangzhou", "b-gz", 3)
	if err := s.DB().Create(&models.ImageShare{ImageID: theirs[1].ID, AccountID: a.ID}).Error; err != nil {
		t.Fatal(err)
	}
	f := func(name string, values ...string) models.Filter { return models.Filter{Name: name, Values: values} }
	tests := []struct {
		name      string
		region    string
		in        models.DescribeImagesInput
		wantTotal int64
		wantIDs   []string // the page, when given
		wantType  string   // every row's type, when given
	}{
		{"OK/Everything", "ap-guangzhou", models.DescribeImagesInput{Limit: 100}, 36 + 12 + 6 + 1, nil, ""},
		{"OK/Private", "ap-guangzhou", models.DescribeImagesInput{Filters: []models.Filter{f("image-type", "PRIVATE_IMAGE")}},
			6, []string{own[5].ID, own[4].ID, own[3].ID, own[2].ID, own[1].ID, own[0].ID}, models.TypePrivate},
		{"OK/Shared", "ap-guangzhou", models.DescribeImagesInput{Filters: []models.Filter{f("image-type", "SHARED_IMAGE")}},
			1, []string{theirs[1].ID}, models.TypeShared},
		{"OK/SharedOnlyInItsRegion", "ap-shanghai", models.DescribeImagesInput{Filters: []models.Filter{f("image-type", "SHARED_IMAGE", "PRIVATE_IMAGE")}}, 0, nil, ""},
		{"OK/MarketAndPublic", "ap-tokyo", models.DescribeImagesInput{Filters: []models.Filter{f("image-type", "MARKET_IMAGE", "PUBLIC_IMAGE")}}, 48, nil, ""},
		{"OK/TypeFiltersAND", "ap-guangzhou", models.DescribeImagesInput{Filters: []models.Filter{f("image-type", "PUBLIC_IMAGE", "PRIVATE_IMAGE"), f("image-type", "PRIVATE_IMAGE")}}, 6, nil, models.TypePrivate},
		{"OK/NameSubstringAnyCase", "ap-guangzhou", models.DescribeImagesInput{Filters: []models.Filter{f("image-name", "A-GZ-000")}}, 6, nil, ""},
		{"OK/NameValuesOR", "ap-guangzhou", models.DescribeImagesInput{Filters: []models.Filter{f("image-name", "a-gz-0001", "b-gz-0001")}}, 2, nil, ""},
		{"OK/NameLikeIsLiteral", "ap-guangzhou", models.DescribeImagesInput{Filters: []models.Filter{f("image-name", "a_gz%")}}, 0, nil, ""},
		{"OK/PlatformAndType", "ap-guangzhou", models.DescribeImagesInput{Filters: []models.Filter{f("platform", "debi"), f("image-type", "PRIVATE_IMAGE")}},
			2, []string{own[3].ID, own[0].ID}, models.TypePrivate},
		{"OK/State", "ap-guangzhou", models.DescribeImagesInput{Filters: []models.Filter{f("image-state", "CREATING")}}, 0, nil, ""},
		{"OK/ImageIDFilter", "ap-guangzhou", models.DescribeImagesInput{Filters: []models.Filter{f("image-id", own[0].ID, theirs[0].ID)}}, 1, []string{own[0].ID}, ""},
		{"OK/TagsMatchNothing", "ap-guangzhou", models.DescribeImagesInput{Filters: []models.Filter{f("tag:env", "prod")}}, 0, nil, ""},
		{"OK/ImageIdsVisibleOnly", "ap-guangzhou", models.DescribeImagesInput{ImageIDs: []string{own[4].ID, theirs[0].ID, theirs[1].ID, "img-zzzzzzzz"}},
			2, []string{own[4].ID, theirs[1].ID}, ""},
		{"OK/ArmTypeRunsArmOnly", "ap-guangzhou", models.DescribeImagesInput{InstanceType: "SR1.MEDIUM4", Filters: []models.Filter{f("image-type", "PRIVATE_IMAGE")}}, 2, nil, ""},
		{"OK/X86TypeRunsX86Only", "ap-guangzhou", models.DescribeImagesInput{InstanceType: "S5.MEDIUM4", Filters: []models.Filter{f("image-type", "PRIVATE_IMAGE")}}, 4, nil, ""},
		{"OK/Page", "ap-guangzhou", models.DescribeImagesInput{Offset: 2, Limit: 2, Filters: []models.Filter{f("image-type", "PRIVATE_IMAGE")}},
			6, []string{own[3].ID, own[2].ID}, ""},
		{"OK/PastTheEnd", "ap-guangzhou", models.DescribeImagesInput{Offset: 500}, 55, []string{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, total, err := s.DescribeImages(ctx, a.ID, tt.region, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if total != tt.wantTotal {
				t.Errorf("total = %d, want %d", total, tt.wantTotal)
			}
			var ids []string
			for _, r := range rows {
				ids = append(ids, r.ID)
				if tt.wantType != "" && r.Type != tt.wantType {
					t.Errorf("%s has type %s, want %s", r.ID, r.Type, tt.wantType)
				}
			}
			if tt.wantIDs != nil && fmt.Sprint(ids) != fmt.Sprint(tt.wantIDs) {
				t.Errorf("page = %v, want %v", ids, tt.wantIDs)
			}
			if tt.wantIDs == nil && int64(len(rows)) != min(total, 20) && tt.in.Limit == 0 {
				t.Errorf("page has %d rows of %d, want the default 20", len(rows), total)
			}
		})
	}
}

func TestStore_DescribeImages_Refused(t *testing.T) {
	s := storetest.Open(t)
	a := storetest.MustAccount(t, s, "a@example.com")
	f := func(name string, values ...string) models.Filter { return models.Filter{Name: name, Values: values} }
	many := make([]models.Filter, 11)
	for i := range many {
		many[i] = f("image-name", "x")
	}
	tests := []struct {
		name, region string
		in           models.DescribeImagesInput
		want         string
	}{
		{"ErrCoexist", "ap-guangzhou", models.DescribeImagesInput{ImageIDs: []string{"img-aaaaaaaa"}, Filters: []models.Filter{f("image-name", "x")}}, models.CodeCoexistImageIDsFilters},
		{"ErrUnknownFilter", "ap-guangzhou", models.DescribeImagesInput{Filters: []models.Filter{f("owner", "x")}}, models.CodeInvalidFilter},
		{"ErrEmptyTagKey", "ap-guangzhou", models.DescribeImagesInput{Filters: []models.Filter{f("tag:", "x")}}, models.CodeInvalidFilter},
		{"ErrTooManyFilters", "ap-guangzhou", models.DescribeImagesInput{Filters: many}, models.CodeFilterLimit},
		{"ErrTooManyValues", "ap-guangzhou", models.DescribeImagesInput{Filters: []models.Filter{f("image-name", "1", "2", "3", "4", "5", "6")}}, models.CodeFilterLimit},
		{"ErrNoValues", "ap-guangzhou", models.DescribeImagesInput{Filters: []models.Filter{f("image-name")}}, models.CodeInvalidParameterValue},
		{"ErrMalformedID", "ap-guangzhou", models.DescribeImagesInput{ImageIDs: []string{"img-AAAAAAAA"}}, models.CodeInvalidImageIDMalformed},
		{"ErrMalformedIDFilter", "ap-guangzhou", models.DescribeImagesInput{Filters: []models.Filter{f("image-id", "ins-aaaaaaaa")}}, models.CodeInvalidImageIDMalformed},
		{"ErrTooManyIDs", "ap-guangzhou", models.DescribeImagesInput{ImageIDs: strings.Fields(strings.Repeat("img-aaaaaaaa ", 101))}, models.CodeValueLimitExceeded},
		{"ErrImageType", "ap-guangzhou", models.DescribeImagesInput{Filters: []models.Filter{f("image-type", "PRIVATE")}}, models.CodeInvalidParameterValue},
		{"ErrInstanceType", "ap-guangzhou", models.DescribeImagesInput{InstanceType: "X9.HUGE"}, models.CodeInvalidInstanceType},
		{"ErrLimit", "ap-guangzhou", models.DescribeImagesInput{Limit: 101}, models.CodeValueLimitExceeded},
		{"ErrOffset", "ap-guangzhou", models.DescribeImagesInput{Offset: 1 << 40}, models.CodeInvalidParameterValue},
		{"ErrRegion", "mars-1", models.DescribeImagesInput{}, models.CodeInvalidRegionNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := s.DescribeImages(context.Background(), a.ID, tt.region, tt.in)
			if got := models.ErrorCode(err); got != tt.want {
				t.Errorf("code = %q (%v), want %q", got, err, tt.want)
			}
		})
	}
}

func TestStore_ImageQuota(t *testing.T) {
	s := storetest.Open(t)
	s.Limits.CustomImages = 7
	tests := []struct {
		name, region string
		want         int
		wantCode     string
	}{
		{"OK", "ap-guangzhou", 7, ""},
		{"ErrRegion", "mars-1", 0, models.CodeInvalidRegionNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.ImageQuota(context.Background(), "100000000001", tt.region)
			if got != tt.want || models.ErrorCode(err) != tt.wantCode {
				t.Errorf("ImageQuota = %d, %v; want %d, code %q", got, err, tt.want, tt.wantCode)
			}
		})
	}
}
