package api_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"

	"imageconsole/models"
	"imageconsole/models/imagefmt"
)

// commonImage returns a seeded common image.
func (e *env) commonImage(t *testing.T, platform, arch string) string {
	t.Helper()
	var img models.Image
	if err := e.store.DB().Where("type = ? AND platform = ? AND arch = ?", models.TypePublic, platform, arch).Order("id").First(&img).Error; err != nil {
		t.Fatal(err)
	}
	return img.ID
}

// run launches instances through the SDK and lets them reach RUNNING.
func (e *env) run(t *testing.T, c *cvm.Client, image string, n int64) []string {
	t.Helper()
	req := cvm.NewRunInstancesRequest()
	req.Placement = &cvm.Placement{Zone: common.StringPtr("ap-guangzhou-3")}
	req.InstanceType, req.ImageId, req.InstanceCount = common.StringPtr("S5.MEDIUM4"), common.StringPtr(image), common.Int64Ptr(n)
	res, err := c.RunInstances(req)
	if err != nil {
		t.Fatalf("RunInstances: %v", err)
	}
	e.drain(t)
	return common.StringValues(res.Response.InstanceIdSet)
}

// createImage makes a NORMAL custom image through the SDK.
func (e *env) createImage(t *testing.T, c *cvm.Client, instance, name string) string {
	t.Helper()
	req := cvm.NewCreateImageRequest()
	req.InstanceId, req.ImageName, req.ForcePoweroff = common.StringPtr(instance), common.StringPtr(name), common.StringPtr("true")
	res, err := c.CreateImage(req)
	if err != nil {
		t.Fatalf("CreateImage: %v", err)
	}
	e.drain(t)
	return *res.Response.ImageId
}

func TestAPI_ImageLifecycle(t *testing.T) {
	for _, method := range methods {
		t.Run(method, func(t *testing.T) {
			e := newEnv(t)
			e.store.Limits.DailyOps = 100
			a := e.user(t, "a@example.com")
			b := e.user(t, "b@example.com")
			ca := e.client(t, a, opts{method: method, region: gz})
			cb := e.client(t, b, opts{method: method, region: gz})

			ins := e.run(t, ca, e.commonImage(t, "Ubuntu", models.ArchX86), 1)
			img := e.createImage(t, ca, ins[0], "golden")

			mod := cvm.NewModifyImageAttributeRequest()
			mod.ImageId, mod.ImageName, mod.ImageDescription = common.StringPtr(img), common.StringPtr("golden-v2"), common.StringPtr("second")
			if _, err := ca.ModifyImageAttribute(mod); err != nil {
				t.Fatal(err)
			}
			sync := cvm.NewSyncImagesRequest()
			sync.ImageIds, sync.DestinationRegions, sync.ImageSetRequired = common.StringPtrs([]string{img}), common.StringPtrs([]string{"ap-beijing", "ap-hongkong"}), common.BoolPtr(true)
			sres, err := ca.SyncImages(sync)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(sres.Response.ImageSet); n != 2 || *sres.Response.ImageSet[0].Region != "ap-beijing" {
				t.Errorf("ImageSet %v", sres.Response.ImageSet)
			}
			share := cvm.NewModifyImageSharePermissionRequest()
			share.ImageId, share.AccountIds, share.Permission = common.StringPtr(img), common.StringPtrs([]string{b.id}), common.StringPtr("SHARE")
			if _, err := ca.ModifyImageSharePermission(share); err != nil {
				t.Fatal(err)
			}
			dsp := cvm.NewDescribeImageSharePermissionRequest()
			dsp.ImageId = common.StringPtr(img)
			perm, err := ca.DescribeImageSharePermission(dsp)
			if err != nil || len(perm.Response.SharePermissionSet) != 1 || *perm.Response.SharePermissionSet[0].AccountId != b.id {
				t.Fatalf("share permission %v %v", perm, err)
			}

			// B sees it as SHARED_IMAGE and can only launch from it.
			di := cvm.NewDescribeImagesRequest()
			di.ImageIds = common.StringPtrs([]string{img})
			got, err := cb.DescribeImages(di)
			if err != nil || *got.Response.TotalCount != 1 || *got.Response.ImageSet[0].ImageType != models.TypeShared {
				t.Fatalf("B describes %v %v", got, err)
			}
			bins := e.run(t, cb, img, 1)
			mod.ImageName = common.StringPtr("stolen")
			wantCode(t, errOf(cb.ModifyImageAttribute(mod)), models.CodeSharedImageModify)
			del := cvm.NewDeleteImagesRequest()
			del.ImageIds = common.StringPtrs([]string{img})
			wantCode(t, errOf(cb.DeleteImages(del)), models.CodeImageIsShared)
			wantCode(t, errOf(cb.SyncImages(sync)), models.CodeNotBelongToAccount)
			// R6: the owner cannot delete while shared.
			wantCode(t, errOf(ca.DeleteImages(del)), models.CodeInvalidImageIDInShared)
			share.Permission = common.StringPtr("CANCEL")
			if _, err := ca.ModifyImageSharePermission(share); err != nil {
				t.Fatal(err)
			}
			// B's instance keeps running; new launches are refused.
			din := cvm.NewDescribeInstancesRequest()
			din.InstanceIds = common.StringPtrs(bins)
			if r, err := cb.DescribeInstances(din); err != nil || *r.Response.InstanceSet[0].InstanceState != models.InstanceRunning {
				t.Errorf("B's instance after cancel: %v %v", r, err)
			}
			rq := cvm.NewRunInstancesRequest()
			rq.Placement = &cvm.Placement{Zone: common.StringPtr("ap-guangzhou-3")}
			rq.InstanceType, rq.ImageId = common.StringPtr("S5.SMALL2"), common.StringPtr(img)
			wantCode(t, errOf(cb.RunInstances(rq)), models.CodeInvalidImageIDNotFound)
			del.DryRun = common.BoolPtr(true)
			wantCode(t, errOf(ca.DeleteImages(del)), models.CodeDryRun)
			// A fresh request: the SDK keeps a GET request's flattened
			// parameters in the request object between calls.
			del = cvm.NewDeleteImagesRequest()
			del.ImageIds = common.StringPtrs([]string{img})
			if _, err := ca.DeleteImages(del); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// errOf keeps the error of an SDK call.
func errOf[T any](_ T, err error) error { return err }

func TestAPI_InstanceActions(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "ops@example.com")
	c := e.client(t, u, opts{region: gz})
	ubuntu := e.commonImage(t, "Ubuntu", models.ArchX86)

	// InquiryPrice: the same figures as the console (R7).
	q := cvm.NewInquiryPriceRunInstancesRequest()
	q.Placement = &cvm.Placement{Zone: common.StringPtr("ap-hongkong-2")}
	q.InstanceType, q.ImageId, q.InstanceCount = common.StringPtr("S5.MEDIUM4"), common.StringPtr(e.commonImage(t, "Windows", models.ArchX86)), common.Int64Ptr(2)
	hk := e.client(t, u, opts{region: "ap-hongkong", method: "GET"})
	price, err := hk.InquiryPriceRunInstances(q)
	if err != nil || *price.Response.Price.InstancePrice.UnitPrice != 1.248 || *price.Response.Price.InstancePrice.ChargeUnit != "HOUR" {
		t.Fatalf("price %v %v", price, err)
	}

	// ClientToken: the same token returns the same instances.
	req := cvm.NewRunInstancesRequest()
	req.Placement = &cvm.Placement{Zone: common.StringPtr("ap-guangzhou-3")}
	req.InstanceType, req.ImageId, req.InstanceCount, req.ClientToken = common.StringPtr("S5.SMALL2"), common.StringPtr(ubuntu), common.Int64Ptr(2), common.StringPtr("pipeline-42")
	first, err := c.RunInstances(req)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.RunInstances(req)
	if err != nil || fmt.Sprint(common.StringValues(again.Response.InstanceIdSet)) != fmt.Sprint(common.StringValues(first.Response.InstanceIdSet)) {
		t.Errorf("token reuse gave %v, want %v (%v)", again.Response.InstanceIdSet, first.Response.InstanceIdSet, err)
	}
	e.drain(t)
	ids := common.StringValues(first.Response.InstanceIdSet)

	din := cvm.NewDescribeInstancesRequest()
	din.Filters = []*cvm.Filter{{Name: common.StringPtr("instance-state"), Values: common.StringPtrs([]string{"RUNNING"})}}
	din.Limit = common.Int64Ptr(1)
	list, err := c.DescribeInstances(din)
	if err != nil || *list.Response.TotalCount != 2 || len(list.Response.InstanceSet) != 1 {
		t.Fatalf("DescribeInstances %v %v", list, err)
	}
	if in := list.Response.InstanceSet[0]; *in.CPU != 1 || *in.Placement.Zone != "ap-guangzhou-3" || *in.ImageId != ubuntu || *in.LatestOperationState != "SUCCESS" {
		t.Errorf("instance fields %+v", in)
	}
	stop := cvm.NewStopInstancesRequest()
	stop.InstanceIds = common.StringPtrs(ids)
	if _, err := c.StopInstances(stop); err != nil {
		t.Fatal(err)
	}
	wantCode(t, errOf(c.StopInstances(stop)), "UnsupportedOperation.InstanceStateStopping")
	e.drain(t)
	start := cvm.NewStartInstancesRequest()
	start.InstanceIds = common.StringPtrs(ids[:1])
	if _, err := c.StartInstances(start); err != nil {
		t.Fatal(err)
	}
	e.drain(t)
	reboot := cvm.NewRebootInstancesRequest()
	reboot.InstanceIds = common.StringPtrs(ids[:1])
	if _, err := c.RebootInstances(reboot); err != nil {
		t.Fatal(err)
	}
	e.drain(t)
	reset := cvm.NewResetInstanceRequest()
	reset.InstanceId, reset.ImageId = common.StringPtr(ids[0]), common.StringPtr(e.commonImage(t, "Debian", models.ArchX86))
	if _, err := c.ResetInstance(reset); err != nil {
		t.Fatal(err)
	}
	e.drain(t)
	din = cvm.NewDescribeInstancesRequest()
	din.InstanceIds = common.StringPtrs(ids[:1])
	if got, _ := c.DescribeInstances(din); *got.Response.InstanceSet[0].ImageId != *reset.ImageId {
		t.Errorf("reset kept image %s", *got.Response.InstanceSet[0].ImageId)
	}
	term := cvm.NewTerminateInstancesRequest()
	term.InstanceIds = common.StringPtrs(ids)
	if _, err := c.TerminateInstances(term); err != nil {
		t.Fatal(err)
	}
	e.drain(t)
	if got, _ := c.DescribeInstances(cvm.NewDescribeInstancesRequest()); *got.Response.TotalCount != 0 {
		t.Errorf("%d instances left after terminate", *got.Response.TotalCount)
	}
	din.Filters = []*cvm.Filter{{Name: common.StringPtr("zone"), Values: common.StringPtrs([]string{"x"})}}
	wantCode(t, errOf(c.DescribeInstances(din)), models.CodeInvalidParameter)
	din.InstanceIds, din.Filters = nil, []*cvm.Filter{{Name: common.StringPtr("color"), Values: common.StringPtrs([]string{"x"})}}
	wantCode(t, errOf(c.DescribeInstances(din)), models.CodeInvalidFilter)
}

// TestAPI_Refusals: the rules answer with their error codes through the SDK,
// and write nothing.
func TestAPI_Refusals(t *testing.T) {
	e := newEnv(t)
	e.store.Limits.DailyOps = 100
	u := e.user(t, "rules@example.com")
	other := e.user(t, "other@example.com")
	c := e.client(t, u, opts{region: gz})
	ubuntu := e.commonImage(t, "Ubuntu", models.ArchX86)
	ins := e.run(t, c, ubuntu, 1)
	img := e.createImage(t, c, ins[0], "taken")

	run := func(zone, typ, image string, n int64, dry bool) error {
		r := cvm.NewRunInstancesRequest()
		r.Placement = &cvm.Placement{Zone: common.StringPtr(zone)}
		r.InstanceType, r.ImageId, r.InstanceCount = common.StringPtr(typ), common.StringPtr(image), common.Int64Ptr(n)
		if dry {
			r.DryRun = common.BoolPtr(true)
		}
		return errOf(c.RunInstances(r))
	}
	create := func(name string) error {
		r := cvm.NewCreateImageRequest()
		r.InstanceId, r.ImageName = common.StringPtr(ins[0]), common.StringPtr(name)
		return errOf(c.CreateImage(r))
	}
	sync := func(dest ...string) error {
		r := cvm.NewSyncImagesRequest()
		r.ImageIds, r.DestinationRegions = common.StringPtrs([]string{img}), common.StringPtrs(dest)
		return errOf(c.SyncImages(r))
	}
	share := func(accounts ...string) error {
		r := cvm.NewModifyImageSharePermissionRequest()
		r.ImageId, r.AccountIds, r.Permission = common.StringPtr(img), common.StringPtrs(accounts), common.StringPtr("SHARE")
		return errOf(c.ModifyImageSharePermission(r))
	}
	tests := []struct {
		name string
		call func() error
		code string
	}{
		{"ErrDuplicateName", func() error { return create("taken") }, models.CodeImageNameDuplicate},
		{"ErrNameTooLong", func() error { return create(strings.Repeat("n", 61)) }, models.CodeTooLarge},
		{"ErrForcePoweroffNotAString", func() error {
			r := cvm.NewCreateImageRequest()
			r.InstanceId, r.ImageName, r.ForcePoweroff = common.StringPtr(ins[0]), common.StringPtr("x"), common.StringPtr("yes")
			return errOf(c.CreateImage(r))
		}, models.CodeInvalidParameterValue},
		{"ErrArchMismatch", func() error { return run("ap-guangzhou-3", "SR1.MEDIUM4", ubuntu, 1, false) }, models.CodeInvalidImageForType},
		{"ErrZoneOfOtherRegion", func() error { return run("ap-tokyo-1", "S5.SMALL2", ubuntu, 1, false) }, models.CodeInvalidZoneMismatch},
		{"ErrInstanceQuota", func() error { return run("ap-guangzhou-3", "S5.SMALL2", ubuntu, 50, false) }, models.CodeInstancesQuota},
		{"ErrCountRange", func() error { return run("ap-guangzhou-3", "S5.SMALL2", ubuntu, 101, false) }, models.CodeRange},
		{"ErrRunDryRun", func() error { return run("ap-guangzhou-3", "S5.SMALL2", ubuntu, 1, true) }, models.CodeDryRun},
		{"ErrSyncNorthAmerica", func() error { return sync("na-siliconvalley") }, models.CodeInvalidRegionUnavailable},
		{"ErrSyncToSelf", func() error { return sync(gz) }, models.CodeUnsupportedRegion},
		{"ErrSyncUnknownRegion", func() error { return sync("mars-1") }, models.CodeInvalidRegionNotFound},
		{"ErrShareSelf", func() error { return share(u.id) }, models.CodeAccountIsYourself},
		{"ErrShareAllOrNothing", func() error { return share(other.id, "100000000009") }, models.CodeAccountNotFound},
		{"ErrPermission", func() error {
			r := cvm.NewModifyImageSharePermissionRequest()
			r.ImageId, r.AccountIds, r.Permission = common.StringPtr(img), common.StringPtrs([]string{other.id}), common.StringPtr("MAYBE")
			return errOf(c.ModifyImageSharePermission(r))
		}, models.CodeInvalidParameterValue},
		{"ErrImport", func() error {
			r := cvm.NewImportImageRequest()
			r.Architecture, r.OsType, r.OsVersion, r.ImageUrl, r.ImageName = common.StringPtr("x86_64"), common.StringPtr("Ubuntu"),
				common.StringPtr("22.04"), common.StringPtr("ftp://example.com/disk.qcow2"), common.StringPtr("imp")
			return errOf(c.ImportImage(r))
		}, models.CodeInvalidURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			images, instances, shares := countRows(t, e.store, &models.Image{}), countRows(t, e.store, &models.Instance{}), countRows(t, e.store, &models.ImageShare{})
			wantCode(t, tt.call(), tt.code)
			if countRows(t, e.store, &models.Image{}) != images || countRows(t, e.store, &models.Instance{}) != instances || countRows(t, e.store, &models.ImageShare{}) != shares {
				t.Error("a refusal wrote rows")
			}
		})
	}
	// R1 through the API.
	e.store.Limits.CustomImages = 1
	wantCode(t, create("second"), models.CodeImageQuota)
}

// TestAPI_DailyLimitSharedWithConsole: R2 is one counter for both faces.
func TestAPI_DailyLimitSharedWithConsole(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "both@example.com")
	c := e.client(t, u, opts{region: gz})
	ins := e.run(t, c, e.commonImage(t, "Ubuntu", models.ArchX86), 1)
	img := e.createImage(t, c, ins[0], "counted") // 1

	console := e.console(t, "both@example.com")
	for i := range 3 { // 2–4 in the console
		res := console.post(t, "/images/"+img+"/edit?region="+gz, url.Values{"name": {fmt.Sprint("name-", i)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("console edit %d: %d", i, res.StatusCode)
		}
	}
	mod := cvm.NewModifyImageAttributeRequest()
	mod.ImageId, mod.ImageDescription = common.StringPtr(img), common.StringPtr("fifth")
	if _, err := c.ModifyImageAttribute(mod); err != nil { // 5 through the API
		t.Fatal(err)
	}
	res := console.post(t, "/images/"+img+"/edit?region="+gz, url.Values{"name": {"sixth"}})
	if shown, ok := console.refused(t, res); !ok || !strings.Contains(shown.body, models.CodeDailyOps) {
		t.Errorf("the console's sixth operation: %d, then no %s on the form", res.StatusCode, models.CodeDailyOps)
	}
	wantCode(t, errOf(c.ModifyImageAttribute(mod)), models.CodeDailyOps)
	var ops []models.Operation
	e.store.DB().Where("account_id = ? AND result = ?", u.id, models.ResultSuccess).Order("id").Find(&ops)
	if len(ops) != 5 || ops[0].Via != models.ViaAPI || ops[1].Via != models.ViaConsole || ops[0].RequestID == "" {
		t.Errorf("operation log %+v", ops)
	}
}

func TestAPI_ImportAndShareLimit(t *testing.T) {
	files := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(imagefmt.BuildQCOW2(20 << 30))
	}))
	defer files.Close()
	e := newEnv(t)
	e.store.Limits.Shares = 1
	u := e.user(t, "imp@example.com")
	b := e.user(t, "b@example.com")
	d := e.user(t, "d@example.com")
	c := e.client(t, u, opts{region: gz, method: "GET"})
	r := cvm.NewImportImageRequest()
	r.Architecture, r.OsType, r.OsVersion, r.ImageUrl, r.ImageName, r.LicenseType = common.StringPtr("x86_64"), common.StringPtr("Ubuntu"),
		common.StringPtr("22.04"), common.StringPtr(files.URL+"/golden.qcow2"), common.StringPtr("imported"), common.StringPtr("BYOL")
	res, err := c.ImportImage(r)
	if err != nil {
		t.Fatal(err)
	}
	id := *res.Response.ImageId
	e.drain(t)
	di := cvm.NewDescribeImagesRequest()
	di.Filters = []*cvm.Filter{{Name: common.StringPtr("image-id"), Values: common.StringPtrs([]string{id})}}
	got, err := c.DescribeImages(di)
	if err != nil || *got.Response.ImageSet[0].ImageState != models.StateNormal || *got.Response.ImageSet[0].ImageSize != 20 ||
		*got.Response.ImageSet[0].ImageSource != models.SourceImport || *got.Response.ImageSet[0].LicenseType != models.LicenseBYOL {
		t.Fatalf("imported image %+v %v", got.Response.ImageSet, err)
	}
	share := cvm.NewModifyImageSharePermissionRequest()
	share.ImageId, share.AccountIds, share.Permission = common.StringPtr(id), common.StringPtrs([]string{b.id}), common.StringPtr("SHARE")
	if _, err := c.ModifyImageSharePermission(share); err != nil {
		t.Fatal(err)
	}
	share = cvm.NewModifyImageSharePermissionRequest()
	share.ImageId, share.AccountIds, share.Permission = common.StringPtr(id), common.StringPtrs([]string{d.id}), common.StringPtr("SHARE")
	wantCode(t, errOf(c.ModifyImageSharePermission(share)), models.CodeOverQuota)
	if n := countRows(t, e.store, &models.ImageShare{}); n != 1 {
		t.Errorf("%d shares, want 1", n)
	}
}
