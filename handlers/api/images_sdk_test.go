package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"

	"imageconsole/models"
)

// The values the SDK's Image documents (models.go, type Image and
// Snapshot). MARKET_IMAGE is the one extension: the type of a market
// image, which only a caller that asks for images of every type meets.
var (
	sdkImageTypes    = []string{"PUBLIC_IMAGE", "PRIVATE_IMAGE", "SHARED_IMAGE", models.TypeMarket}
	sdkImageStates   = []string{"CREATING", "NORMAL", "CREATEFAILED", "SYNCING", "IMPORTING", "IMPORTFAILED"}
	sdkArchitectures = []string{"x86_64", "arm", "i386"}
	sdkImageSources  = []string{"OFFICIAL", "CREATE_IMAGE", "EXTERNAL_IMPORT"}
	sdkLicenseTypes  = []string{"TencentCloud", "BYOL"}
	sdkDiskUsages    = []string{"SYSTEM_DISK", "DATA_DISK"}
	// Platform is documented by example ("TencentOS, CentOS, Windows,
	// Ubuntu, Debian, Fedora, ..."): those, and the other distributions the
	// catalogue and the import list name.
	sdkPlatforms = []string{"TencentOS", "CentOS", "Windows", "Ubuntu", "Debian", "Fedora",
		"OpenCloudOS", "Rocky", "AlmaLinux", "Other"}
	snapshotID = regexp.MustCompile(`^snap-[0-9a-z]{8}$`)
	imageID    = regexp.MustCompile(`^img-[0-9a-z]{8}$`)
)

// decodeStrict reads an answer's Response into the SDK's response struct,
// refusing any field the SDK does not have.
func decodeStrict(t *testing.T, r raw, into any) {
	t.Helper()
	if r.status != 200 || r.code() != "" {
		t.Fatalf("answer %d %s: %.300s", r.status, r.code(), r.body)
	}
	var env struct{ Response json.RawMessage }
	if err := json.Unmarshal([]byte(r.body), &env); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(env.Response))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		t.Fatalf("the SDK's %T cannot hold %s: %v", into, env.Response, err)
	}
}

// checkSDKImage fails on any field of img that is missing or outside what
// the SDK documents for it.
func checkSDKImage(t *testing.T, img *cvm.Image) {
	t.Helper()
	id := common.StringValues([]*string{img.ImageId})[0]
	bad := func(field string, v any) { t.Errorf("image %s: %s = %v is not a documented value", id, field, v) }
	in := func(field string, p *string, allowed []string) {
		switch {
		case p == nil:
			bad(field, "absent")
		case !slices.Contains(allowed, *p):
			bad(field, *p)
		}
	}
	if !imageID.MatchString(id) {
		bad("ImageId", id)
	}
	in("ImageType", img.ImageType, sdkImageTypes)
	in("ImageState", img.ImageState, sdkImageStates)
	in("Architecture", img.Architecture, sdkArchitectures)
	in("ImageSource", img.ImageSource, sdkImageSources)
	in("LicenseType", img.LicenseType, sdkLicenseTypes)
	in("Platform", img.Platform, sdkPlatforms)
	if img.OsName == nil || *img.OsName == "" {
		bad("OsName", img.OsName)
	}
	if img.ImageName == nil || *img.ImageName == "" || img.ImageDescription == nil || img.ImageCreator == nil {
		bad("ImageName/ImageDescription/ImageCreator", img.ImageName)
	}
	if img.CreatedTime == nil {
		bad("CreatedTime", nil)
	} else if _, err := time.Parse("2006-01-02T15:04:05Z", *img.CreatedTime); err != nil {
		bad("CreatedTime", *img.CreatedTime)
	}
	if img.ImageSize == nil || *img.ImageSize <= 0 {
		bad("ImageSize", img.ImageSize)
	}
	if img.SyncPercent == nil || *img.SyncPercent < 0 || *img.SyncPercent > 100 {
		bad("SyncPercent", img.SyncPercent)
	}
	if img.IsSupportCloudinit == nil || img.ImageFamily == nil || img.ImageDeprecated == nil || img.Tags == nil {
		bad("IsSupportCloudinit/ImageFamily/ImageDeprecated/Tags", "absent")
	}
	if len(img.SnapshotSet) != 1 {
		bad("SnapshotSet", len(img.SnapshotSet))
		return
	}
	snap := img.SnapshotSet[0]
	if snap.SnapshotId == nil || !snapshotID.MatchString(*snap.SnapshotId) {
		bad("SnapshotSet.SnapshotId", snap.SnapshotId)
	}
	in("SnapshotSet.DiskUsage", snap.DiskUsage, sdkDiskUsages)
	if snap.DiskUsage != nil && *snap.DiskUsage != "SYSTEM_DISK" {
		bad("SnapshotSet.DiskUsage (an image here holds its system disk)", *snap.DiskUsage)
	}
	if snap.DiskSize == nil || img.ImageSize == nil || *snap.DiskSize != *img.ImageSize {
		bad("SnapshotSet.DiskSize", snap.DiskSize)
	}
}

// TestAPI_ImagesAsTheSDKDocuments reads every image each account can see,
// of every kind and state, through DescribeImages and
// DescribeImageFromFamily, decoded strictly into the SDK's structs: every
// value is one the SDK documents, and the family fields are the stored ones.
func TestAPI_ImagesAsTheSDKDocuments(t *testing.T) {
	e := newEnv(t)
	e.store.Limits.DailyOps = 100
	a := e.user(t, "a@example.com")
	b := e.user(t, "b@example.com")
	ca := e.client(t, a, opts{region: gz})
	golden := e.createImage(t, ca, e.run(t, ca, e.commonImage(t, "Ubuntu", models.ArchX86), 1)[0], "golden")
	mod := cvm.NewModifyImageAttributeRequest()
	mod.ImageId, mod.ImageFamily = common.StringPtr(golden), common.StringPtr("business-daily-update")
	if _, err := ca.ModifyImageAttribute(mod); err != nil {
		t.Fatal(err)
	}
	share := cvm.NewModifyImageSharePermissionRequest()
	share.ImageId, share.Permission, share.AccountIds = common.StringPtr(golden), common.StringPtr("SHARE"), common.StringPtrs([]string{b.id})
	if _, err := ca.ModifyImageSharePermission(share); err != nil {
		t.Fatal(err)
	}
	// One image left CREATING, one SYNCING: the states in between are documented too.
	cr := cvm.NewCreateImageRequest()
	cr.InstanceId, cr.ImageName = common.StringPtr(e.run(t, ca, e.commonImage(t, "CentOS", models.ArchX86), 1)[0]), common.StringPtr("busy")
	if _, err := ca.CreateImage(cr); err != nil {
		t.Fatal(err)
	}
	sync := cvm.NewSyncImagesRequest()
	sync.ImageIds, sync.DestinationRegions = common.StringPtrs([]string{golden}), common.StringPtrs([]string{"ap-beijing"})
	if _, err := ca.SyncImages(sync); err != nil {
		t.Fatal(err)
	}

	seen := map[string]bool{}
	for _, u := range []user{a, b} {
		for _, region := range []string{gz, "ap-beijing"} {
			for offset := 0; ; offset += 100 {
				r := e.rawRequestIn(t, u, region, "DescribeImages", fmt.Sprintf(`{"Limit":100,"Offset":%d}`, offset))
				var res cvm.DescribeImagesResponseParams
				decodeStrict(t, r, &res)
				for _, img := range res.ImageSet {
					checkSDKImage(t, img)
					seen[*img.ImageType+"/"+*img.ImageState] = true
					var row models.Image
					if err := e.store.DB().First(&row, "id = ?", *img.ImageId).Error; err != nil {
						t.Fatal(err)
					}
					if *img.ImageFamily != row.Family || *img.ImageDeprecated != row.Deprecated ||
						*img.SnapshotSet[0].SnapshotId != row.SystemSnapshot() || *img.ImageSize != int64(row.SizeGiB) {
						t.Errorf("image %s answered family %q deprecated %v snapshot %s; stored %q %v %s", row.ID,
							*img.ImageFamily, *img.ImageDeprecated, *img.SnapshotSet[0].SnapshotId, row.Family, row.Deprecated, row.SystemSnapshot())
					}
				}
				if offset+100 >= int(*res.TotalCount) {
					break
				}
			}
		}
	}
	for _, want := range []string{"PUBLIC_IMAGE/NORMAL", "MARKET_IMAGE/NORMAL", "PRIVATE_IMAGE/NORMAL", "PRIVATE_IMAGE/CREATING",
		"PRIVATE_IMAGE/SYNCING", "SHARED_IMAGE/NORMAL"} {
		if !seen[want] {
			t.Errorf("no %s image was read: the test covers less than it says (saw %v)", want, seen)
		}
	}

	for _, tt := range []struct {
		name   string
		u      user
		family string
		want   string // "" for no image
		typ    string
	}{
		{"Owner", a, "business-daily-update", golden, "PRIVATE_IMAGE"},
		{"Recipient", b, "business-daily-update", golden, "SHARED_IMAGE"},
		{"Empty", a, "nobody-uses-this", "", ""},
	} {
		t.Run("DescribeImageFromFamily/"+tt.name, func(t *testing.T) {
			r := e.rawRequestIn(t, tt.u, gz, "DescribeImageFromFamily", `{"ImageFamily":"`+tt.family+`"}`)
			var res cvm.DescribeImageFromFamilyResponseParams
			decodeStrict(t, r, &res)
			if tt.want == "" {
				if res.Image != nil {
					t.Fatalf("family %s answered %+v, want no image", tt.family, res.Image)
				}
				return
			}
			if res.Image == nil || *res.Image.ImageId != tt.want || *res.Image.ImageType != tt.typ {
				t.Fatalf("family %s answered %+v, want %s as %s", tt.family, res.Image, tt.want, tt.typ)
			}
			checkSDKImage(t, res.Image)
		})
	}
}

// rawRequestIn is a POST of body to action in a region, read without the SDK.
func (e *env) rawRequestIn(t *testing.T, u user, region, action, body string) raw {
	t.Helper()
	return e.rawRequest(t, u, "POST", action, "", []byte(body), "X-TC-Region", region)
}

// TestAPI_ImageFamily drives the family through the SDK, POST and GET:
// ModifyImageAttribute sets it (and refuses a malformed one, writing
// nothing), the image-family filter finds it, DescribeImageFromFamily
// answers with the newest usable member.
func TestAPI_ImageFamily(t *testing.T) {
	for _, method := range methods {
		t.Run(method, func(t *testing.T) {
			e := newEnv(t)
			e.store.Limits.DailyOps = 100
			a := e.user(t, "a@example.com")
			c := e.client(t, a, opts{method: method, region: gz})
			ins := e.run(t, c, e.commonImage(t, "Ubuntu", models.ArchX86), 1)[0]
			v1 := e.createImage(t, c, ins, "web-v1")
			v2 := e.createImage(t, c, ins, "web-v2")
			for _, id := range []string{v1, v2} {
				mod := cvm.NewModifyImageAttributeRequest()
				mod.ImageId, mod.ImageFamily = common.StringPtr(id), common.StringPtr("web")
				if _, err := c.ModifyImageAttribute(mod); err != nil {
					t.Fatal(err)
				}
			}
			// v2 was made second but within the same second: make its age explicit.
			e.store.DB().Model(&models.Image{}).Where("id = ?", v1).Update("created_at", time.Now().Add(-time.Hour))

			got, err := describe(t, c, func(r *cvm.DescribeImagesRequest) { r.Filters = []*cvm.Filter{filter("image-family", "web")} })
			if err != nil {
				t.Fatal(err)
			}
			if ids := imageIDs(got); !slices.Equal(ids, []string{v2, v1}) {
				t.Errorf("image-family web lists %v, want %v", ids, []string{v2, v1})
			}
			fam := cvm.NewDescribeImageFromFamilyRequest()
			fam.ImageFamily = common.StringPtr("web")
			res, err := c.DescribeImageFromFamily(fam)
			if err != nil || res.Response.Image == nil || *res.Response.Image.ImageId != v2 {
				t.Fatalf("DescribeImageFromFamily web: %+v, %v; want %s", res, err, v2)
			}
			dep := cvm.NewModifyImageAttributeRequest()
			dep.ImageId, dep.ImageDeprecated = common.StringPtr(v2), common.BoolPtr(true)
			if _, err := c.ModifyImageAttribute(dep); err != nil {
				t.Fatal(err)
			}
			if res, err := c.DescribeImageFromFamily(fam); err != nil || res.Response.Image == nil || *res.Response.Image.ImageId != v1 {
				t.Fatalf("DescribeImageFromFamily web with v2 deprecated: %+v, %v; want %s", res, err, v1)
			}

			before := e.written(t)
			bad := cvm.NewModifyImageAttributeRequest()
			bad.ImageId, bad.ImageFamily = common.StringPtr(v1), common.StringPtr("web family!")
			_, err = c.ModifyImageAttribute(bad)
			wantCode(t, err, models.CodeInvalidImageFamily)
			if after := e.written(t); after != before {
				t.Errorf("refusal wrote: %s → %s", before, after)
			}
			var row models.Image
			e.store.DB().First(&row, "id = ?", v1)
			if row.Family != "web" {
				t.Errorf("family became %q", row.Family)
			}

			// CreateImage puts the new image in a family at once.
			cr := cvm.NewCreateImageRequest()
			cr.InstanceId, cr.ImageName, cr.ImageFamily = common.StringPtr(ins), common.StringPtr("web-v3"), common.StringPtr("web family!")
			_, err = c.CreateImage(cr)
			wantCode(t, err, models.CodeInvalidImageFamily)
			if after := e.written(t); after != before {
				t.Errorf("refusal wrote: %s → %s", before, after)
			}
			cr.ImageFamily = common.StringPtr("web")
			made, err := c.CreateImage(cr)
			if err != nil {
				t.Fatal(err)
			}
			e.drain(t)
			if res, err := c.DescribeImageFromFamily(fam); err != nil || res.Response.Image == nil || *res.Response.Image.ImageId != *made.Response.ImageId {
				t.Fatalf("DescribeImageFromFamily web after CreateImage: %+v, %v; want %s", res, err, *made.Response.ImageId)
			}
		})
	}
}

// TestAPI_SyncImagesSeveral syncs two images in one SyncImages: ImageSet
// names every (image, region) pair; one image that may not be synced
// refuses the whole request, which writes nothing.
func TestAPI_SyncImagesSeveral(t *testing.T) {
	e := newEnv(t)
	e.store.Limits.DailyOps = 100
	a := e.user(t, "a@example.com")
	c := e.client(t, a, opts{region: gz})
	ins := e.run(t, c, e.commonImage(t, "Ubuntu", models.ArchX86), 1)[0]
	web, db := e.createImage(t, c, ins, "web"), e.createImage(t, c, ins, "db")

	req := cvm.NewSyncImagesRequest()
	req.ImageIds, req.DestinationRegions = common.StringPtrs([]string{web, db}), common.StringPtrs([]string{"ap-beijing", "ap-shanghai"})
	req.ImageSetRequired = common.BoolPtr(true)
	res, err := c.SyncImages(req)
	if err != nil {
		t.Fatal(err)
	}
	var pairs []string
	for _, s := range res.Response.ImageSet {
		var row models.Image
		if err := e.store.DB().First(&row, "id = ?", *s.ImageId).Error; err != nil || row.Region != *s.Region {
			t.Fatalf("ImageSet entry %s in %s: stored %+v, %v", *s.ImageId, *s.Region, row, err)
		}
		pairs = append(pairs, row.Name+"@"+row.Region)
	}
	if want := []string{"web@ap-beijing", "web@ap-shanghai", "db@ap-beijing", "db@ap-shanghai"}; !slices.Equal(pairs, want) {
		t.Errorf("ImageSet %v, want %v", pairs, want)
	}
	var ops []models.Operation
	e.store.DB().Where("action = ?", models.ActionSyncImages).Find(&ops)
	if len(ops) != 1 || ops[0].Targets != web+","+db || ops[0].Region != gz {
		t.Errorf("operation log %+v: want one SyncImages in %s naming both images", ops, gz)
	}
	e.drain(t)

	before := e.written(t)
	req.ImageIds = common.StringPtrs([]string{web, "img-00000000"})
	req.DestinationRegions = common.StringPtrs([]string{"ap-hongkong"})
	_, err = c.SyncImages(req)
	wantCode(t, err, models.CodeInvalidImageIDNotFound)
	if after := e.written(t); after != before {
		t.Errorf("refusal wrote: %s → %s", before, after)
	}
}
