package api_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"

	"imageconsole/models"
)

// mustCustomImages writes n custom images straight to the database (with
// the R1 limit raised), one minute apart, the newest last; every third is arm.
func mustCustomImages(t *testing.T, s *models.Store, owner, region, name string, n int) []models.Image {
	t.Helper()
	imgs := make([]models.Image, n)
	base := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range imgs {
		arch := models.ArchX86
		if i%3 == 0 {
			arch = models.ArchARM
		}
		imgs[i] = models.Image{ID: models.NewID("img"), Type: models.TypePrivate, OwnerID: owner, Region: region,
			Name: fmt.Sprintf("%s-%02d", name, i), Description: "made by a test", OsName: "Ubuntu 22.04", Platform: "Ubuntu",
			Arch: arch, SizeGiB: 20, State: models.StateNormal, Progress: 100, Source: models.SourceCreate, Creator: owner,
			License: models.LicenseTencentCloud, QuotaLimit: 1 << 20, CreatedAt: base.Add(time.Duration(i) * time.Minute)}
	}
	if err := s.DB().CreateInBatches(imgs, 100).Error; err != nil {
		t.Fatal(err)
	}
	return imgs
}

func describe(t *testing.T, c *cvm.Client, build func(r *cvm.DescribeImagesRequest)) (*cvm.DescribeImagesResponseParams, error) {
	t.Helper()
	req := cvm.NewDescribeImagesRequest()
	build(req)
	res, err := c.DescribeImages(req)
	if err != nil {
		return nil, err
	}
	return res.Response, nil
}

func imageIDs(r *cvm.DescribeImagesResponseParams) []string {
	var ids []string
	for _, img := range r.ImageSet {
		ids = append(ids, *img.ImageId)
	}
	return ids
}

func TestAPI_DescribeImages(t *testing.T) {
	e := newEnv(t)
	a := e.user(t, "a@example.com")
	b := e.user(t, "b@example.com")
	own := mustCustomImages(t, e.store, a.id, gz, "a", 30)
	theirs := mustCustomImages(t, e.store, b.id, gz, "b", 2)
	if err := e.store.DB().Create(&models.ImageShare{ImageID: theirs[0].ID, AccountID: a.id}).Error; err != nil {
		t.Fatal(err)
	}
	private := filter("image-type", "PRIVATE_IMAGE")
	for _, method := range methods {
		c := e.client(t, a, opts{method: method, region: gz})
		tests := []struct {
			name      string
			build     func(r *cvm.DescribeImagesRequest)
			wantTotal int64
			wantIDs   []string
		}{
			{"OK/Default", func(r *cvm.DescribeImagesRequest) {}, 36 + 12 + 30 + 1, nil},
			{"OK/FirstPage", func(r *cvm.DescribeImagesRequest) {
				r.Filters = []*cvm.Filter{private}
				r.Limit = common.Uint64Ptr(3)
			}, 30, []string{own[29].ID, own[28].ID, own[27].ID}},
			{"OK/LastPage", func(r *cvm.DescribeImagesRequest) {
				r.Filters = []*cvm.Filter{private}
				r.Offset, r.Limit = common.Uint64Ptr(28), common.Uint64Ptr(100)
			}, 30, []string{own[1].ID, own[0].ID}},
			{"OK/Shared", func(r *cvm.DescribeImagesRequest) {
				r.Filters = []*cvm.Filter{filter("image-type", "SHARED_IMAGE")}
			}, 1, []string{theirs[0].ID}},
			{"OK/ByIDsOnlyVisible", func(r *cvm.DescribeImagesRequest) {
				r.ImageIds = common.StringPtrs([]string{own[5].ID, theirs[0].ID, theirs[1].ID})
			}, 2, []string{own[5].ID, theirs[0].ID}},
			{"OK/ArmType", func(r *cvm.DescribeImagesRequest) {
				r.Filters = []*cvm.Filter{private}
				r.InstanceType = common.StringPtr("SR1.MEDIUM4")
				r.Limit = common.Uint64Ptr(100)
			}, 10, nil},
			{"OK/X86Type", func(r *cvm.DescribeImagesRequest) {
				r.Filters = []*cvm.Filter{private}
				r.InstanceType = common.StringPtr("S5.MEDIUM4")
			}, 20, nil},
			{"OK/NameAndPlatform", func(r *cvm.DescribeImagesRequest) {
				r.Filters = []*cvm.Filter{filter("image-name", "a-1"), filter("platform", "ubuntu"), private}
			}, 10, nil},
			{"OK/TagFiltersAccepted", func(r *cvm.DescribeImagesRequest) {
				r.Filters = []*cvm.Filter{filter("tag-key", "env"), filter("tag:env", "prod")}
			}, 0, nil},
			{"OK/MarketType", func(r *cvm.DescribeImagesRequest) {
				r.Filters = []*cvm.Filter{filter("image-type", "MARKET_IMAGE"), filter("image-state", "NORMAL")}
			}, 12, nil},
		}
		for _, tt := range tests {
			t.Run(method+"/"+tt.name, func(t *testing.T) {
				res, err := describe(t, c, tt.build)
				if err != nil {
					t.Fatal(err)
				}
				if *res.TotalCount != tt.wantTotal {
					t.Errorf("TotalCount %d, want %d", *res.TotalCount, tt.wantTotal)
				}
				if tt.wantIDs != nil && !slices.Equal(imageIDs(res), tt.wantIDs) {
					t.Errorf("page %v, want %v", imageIDs(res), tt.wantIDs)
				}
				if tt.wantIDs == nil && int64(len(res.ImageSet)) != min(tt.wantTotal, 20) && !strings.Contains(tt.name, "Arm") {
					t.Errorf("page has %d images, want %d", len(res.ImageSet), min(tt.wantTotal, 20))
				}
			})
		}
	}
	// The shared image is visible to a only in its own region.
	res, err := describe(t, e.client(t, a, opts{region: "ap-shanghai"}), func(r *cvm.DescribeImagesRequest) {
		r.Filters = []*cvm.Filter{filter("image-type", "SHARED_IMAGE", "PRIVATE_IMAGE")}
	})
	if err != nil || *res.TotalCount != 0 {
		t.Errorf("in Shanghai: %v, %v; want nothing", res, err)
	}
}

// TestAPI_DescribeImages_Fields: an image reaches the SDK with every
// attribute in the API's words.
func TestAPI_DescribeImages_Fields(t *testing.T) {
	e := newEnv(t)
	a := e.user(t, "a@example.com")
	b := e.user(t, "b@example.com")
	shared := mustCustomImages(t, e.store, b.id, gz, "b", 1)[0]
	if err := e.store.DB().Create(&models.ImageShare{ImageID: shared.ID, AccountID: a.id}).Error; err != nil {
		t.Fatal(err)
	}
	res, err := describe(t, e.client(t, a, opts{region: gz}), func(r *cvm.DescribeImagesRequest) {
		r.ImageIds = common.StringPtrs([]string{shared.ID})
	})
	if err != nil || len(res.ImageSet) != 1 {
		t.Fatalf("%v, %v", res, err)
	}
	img := res.ImageSet[0]
	got := []string{*img.ImageId, *img.ImageType, *img.CreatedTime, *img.ImageName, *img.ImageDescription, *img.OsName,
		*img.Platform, *img.Architecture, *img.ImageState, *img.ImageSource, *img.ImageCreator, *img.LicenseType,
		fmt.Sprint(*img.ImageSize), fmt.Sprint(*img.SyncPercent), fmt.Sprint(*img.IsSupportCloudinit), fmt.Sprint(len(img.Tags))}
	want := []string{shared.ID, "SHARED_IMAGE", "2025-03-01T00:00:00Z", "b-00", "made by a test", "Ubuntu 22.04",
		"Ubuntu", "arm", "NORMAL", "CREATE_IMAGE", b.id, "TencentCloud", "20", "100", "false", "0"}
	if !slices.Equal(got, want) {
		t.Errorf("image\n got %v\nwant %v", got, want)
	}
	if img.Tags == nil {
		t.Error("Tags is missing, want an empty list")
	}
}

func TestAPI_DescribeImages_Refused(t *testing.T) {
	e := newEnv(t)
	a := e.user(t, "a@example.com")
	eleven := make([]*cvm.Filter, 11)
	for i := range eleven {
		eleven[i] = filter("image-name", "x")
	}
	tests := []struct {
		name  string
		build func(r *cvm.DescribeImagesRequest)
		want  string
	}{
		{"ErrCoexist", func(r *cvm.DescribeImagesRequest) {
			r.ImageIds = common.StringPtrs([]string{"img-aaaaaaaa"})
			r.Filters = []*cvm.Filter{filter("image-name", "x")}
		}, models.CodeCoexistImageIDsFilters},
		{"ErrUnknownFilter", func(r *cvm.DescribeImagesRequest) { r.Filters = []*cvm.Filter{filter("owner-id", "1")} }, models.CodeInvalidFilter},
		{"ErrTooManyFilters", func(r *cvm.DescribeImagesRequest) { r.Filters = eleven }, models.CodeFilterLimit},
		{"ErrTooManyValues", func(r *cvm.DescribeImagesRequest) {
			r.Filters = []*cvm.Filter{filter("image-name", "1", "2", "3", "4", "5", "6")}
		}, models.CodeFilterLimit},
		{"ErrMalformedID", func(r *cvm.DescribeImagesRequest) { r.ImageIds = common.StringPtrs([]string{"img-../../x"}) }, models.CodeInvalidImageIDMalformed},
		{"ErrLimit", func(r *cvm.DescribeImagesRequest) { r.Limit = common.Uint64Ptr(101) }, models.CodeValueLimitExceeded},
		{"ErrInstanceType", func(r *cvm.DescribeImagesRequest) { r.InstanceType = common.StringPtr("Z9.HUGE") }, models.CodeInvalidInstanceType},
	}
	for _, method := range methods {
		c := e.client(t, a, opts{method: method, region: gz})
		for _, tt := range tests {
			t.Run(method+"/"+tt.name, func(t *testing.T) {
				_, err := describe(t, c, tt.build)
				wantCode(t, err, tt.want)
			})
		}
	}
}
