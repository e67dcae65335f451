package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"

	"imageconsole/models"
)

// shownCode is the error code a console page shows: in its alert, or next
// to the field the refusal is about.
func (p page) shownCode() string {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(p.body))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(doc.Find(`[data-testid="alert-code"], [data-testid="error-code"]`).First().Text())
}

// written sums up what a refusal must leave alone: instances and their
// states, images, shares, tasks and successful operations.
func (e *env) written(t *testing.T) string {
	t.Helper()
	var ops int64
	e.store.DB().Model(&models.Operation{}).Where("result = ?", models.ResultSuccess).Count(&ops)
	var states []string
	e.store.DB().Model(&models.Instance{}).Order("id").Pluck("state", &states)
	return fmt.Sprintf("instances=%d %v images=%d shares=%d tasks=%d ops=%d", countRows(t, e.store, &models.Instance{}), states,
		countRows(t, e.store, &models.Image{}), countRows(t, e.store, &models.ImageShare{}), countRows(t, e.store, &models.Task{}), ops)
}

// TestRules_InstancesBothFaces drives every instance rule through the
// console and through the SDK: both get the same code, and neither writes.
func TestRules_InstancesBothFaces(t *testing.T) {
	e := newEnv(t)
	e.store.Limits.DailyOps = 100
	u := e.user(t, "rules@example.com")
	c := e.client(t, u, opts{region: gz})
	cc := e.console(t, "rules@example.com")
	ubuntu, arm := e.commonImage(t, "Ubuntu", models.ArchX86), e.commonImage(t, "Ubuntu", models.ArchARM)
	ids := e.run(t, c, ubuntu, 4)
	running, stopped, stopping, pending := ids[0], ids[1], ids[2], ids[3]
	stop := cvm.NewStopInstancesRequest()
	stop.InstanceIds = common.StringPtrs([]string{stopped})
	if _, err := c.StopInstances(stop); err != nil {
		t.Fatal(err)
	}
	e.drain(t)
	elsewhere := e.createImageIn(t, e.client(t, u, opts{region: "ap-shanghai"}), "ap-shanghai")
	// Left in transition: nothing drains the tasks from here on.
	stop.InstanceIds = common.StringPtrs([]string{stopping})
	if _, err := c.StopInstances(stop); err != nil {
		t.Fatal(err)
	}
	e.store.DB().Model(&models.Instance{}).Where("id = ?", pending).Update("state", models.InstancePending)

	launch := func(image string, count string) (page, error) {
		form := url.Values{"image": {image}, "zone": {"ap-guangzhou-3"}, "instance_type": {"S5.SMALL2"}, "count": {count}}
		p := cc.post(t, "/instances?region="+gz, form)
		r := cvm.NewRunInstancesRequest()
		r.Placement = &cvm.Placement{Zone: common.StringPtr("ap-guangzhou-3")}
		r.InstanceType, r.ImageId = common.StringPtr("S5.SMALL2"), common.StringPtr(image)
		var n int64
		fmt.Sscan(count, &n)
		r.InstanceCount = common.Int64Ptr(n)
		return p, errOf(c.RunInstances(r))
	}
	action := func(path string, call func([]string) error) func() (page, error) {
		return func() (page, error) {
			id := strings.Split(path, "/")[2]
			return cc.post(t, path, url.Values{}), call([]string{id})
		}
	}
	reset := func(id, image string) func() (page, error) {
		return func() (page, error) {
			p := cc.post(t, "/instances/"+id+"/reset", url.Values{"image": {image}})
			r := cvm.NewResetInstanceRequest()
			r.InstanceId, r.ImageId = common.StringPtr(id), common.StringPtr(image)
			return p, errOf(c.ResetInstance(r))
		}
	}
	startCall := func(ids []string) error {
		r := cvm.NewStartInstancesRequest()
		r.InstanceIds = common.StringPtrs(ids)
		return errOf(c.StartInstances(r))
	}
	stopCall := func(ids []string) error {
		r := cvm.NewStopInstancesRequest()
		r.InstanceIds = common.StringPtrs(ids)
		return errOf(c.StopInstances(r))
	}
	rebootCall := func(ids []string) error {
		r := cvm.NewRebootInstancesRequest()
		r.InstanceIds = common.StringPtrs(ids)
		return errOf(c.RebootInstances(r))
	}
	terminateCall := func(ids []string) error {
		r := cvm.NewTerminateInstancesRequest()
		r.InstanceIds = common.StringPtrs(ids)
		return errOf(c.TerminateInstances(r))
	}
	tests := []struct {
		name string
		both func() (page, error)
		code string
	}{
		{"ErrStartRunning", action("/instances/"+running+"/start", startCall), "UnsupportedOperation.InstanceStateRunning"},
		{"ErrStopStopped", action("/instances/"+stopped+"/stop", stopCall), "UnsupportedOperation.InstanceStateStopped"},
		{"ErrRebootStopped", action("/instances/"+stopped+"/reboot", rebootCall), "UnsupportedOperation.InstanceStateStopped"},
		{"ErrTerminatePending", action("/instances/"+pending+"/terminate", terminateCall), "UnsupportedOperation.InstanceStatePending"},
		{"ErrResetStopping", reset(stopping, ubuntu), "UnsupportedOperation.InstanceStateStopping"},
		{"ErrCreateImagePending", func() (page, error) {
			p := cc.post(t, "/instances/"+pending+"/images?region="+gz, url.Values{"name": {"from-pending"}})
			r := cvm.NewCreateImageRequest()
			r.InstanceId, r.ImageName = common.StringPtr(pending), common.StringPtr("from-pending")
			return p, errOf(c.CreateImage(r))
		}, "UnsupportedOperation.InstanceStatePending"},
		{"ErrResetArchMismatch", reset(running, arm), models.CodeInvalidImageForType},
		{"ErrResetImageOfOtherRegion", reset(running, elsewhere), models.CodeInvalidImageIDNotFound},
		{"ErrLaunchArchMismatch", func() (page, error) {
			form := url.Values{"image": {arm}, "zone": {"ap-guangzhou-3"}, "instance_type": {"S5.SMALL2"}, "count": {"1"}}
			p := cc.post(t, "/instances?region="+gz, form)
			r := cvm.NewRunInstancesRequest()
			r.Placement = &cvm.Placement{Zone: common.StringPtr("ap-guangzhou-3")}
			r.InstanceType, r.ImageId, r.InstanceCount = common.StringPtr("S5.SMALL2"), common.StringPtr(arm), common.Int64Ptr(1)
			return p, errOf(c.RunInstances(r))
		}, models.CodeInvalidImageForType},
		{"ErrCountZero", func() (page, error) { return launch(ubuntu, "0") }, models.CodeRange},
		{"ErrCountNegative", func() (page, error) { return launch(ubuntu, "-1") }, models.CodeRange},
		{"ErrCount101", func() (page, error) { return launch(ubuntu, "101") }, models.CodeRange},
		{"ErrCountHuge", func() (page, error) { return launch(ubuntu, "4294967297") }, models.CodeRange},
		{"ErrInstancesQuota", func() (page, error) { return launch(ubuntu, "47") }, models.CodeInstancesQuota},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.written(t)
			p, apiErr := tt.both()
			if got := sdkCode(t, apiErr); got != tt.code {
				t.Errorf("API code %q, want %q", got, tt.code)
			}
			if shown, ok := cc.refused(t, p); !ok || shown.shownCode() != tt.code {
				t.Errorf("console: status %d, then code %q, want 303 to the form showing %q", p.StatusCode, shown.shownCode(), tt.code)
			}
			if after := e.written(t); after != before {
				t.Errorf("a refusal wrote: %s → %s", before, after)
			}
		})
	}
}

// createImageIn makes a NORMAL custom image in another region.
func (e *env) createImageIn(t *testing.T, c *cvm.Client, region string) string {
	t.Helper()
	r, _ := models.LookupRegion(region)
	req := cvm.NewRunInstancesRequest()
	req.Placement = &cvm.Placement{Zone: common.StringPtr(r.Zones[0])}
	req.InstanceType, req.ImageId, req.InstanceCount = common.StringPtr("S5.MEDIUM4"), common.StringPtr(e.commonImage(t, "Ubuntu", models.ArchX86)), common.Int64Ptr(1)
	res, err := c.RunInstances(req)
	if err != nil {
		t.Fatal(err)
	}
	e.drain(t)
	return e.createImage(t, c, *res.Response.InstanceIdSet[0], "elsewhere")
}

// TestRules_SharedImageAcknowledgement: the console refuses a shared image
// until its warning is accepted; an API caller, who names the image by the
// ID DescribeImages gave as SHARED_IMAGE, has chosen it explicitly.
func TestRules_SharedImageAcknowledgement(t *testing.T) {
	e := newEnv(t)
	e.store.Limits.DailyOps = 100
	owner := e.user(t, "owner@example.com")
	b := e.user(t, "b@example.com")
	oc := e.client(t, owner, opts{region: gz})
	img := e.createImage(t, oc, e.run(t, oc, e.commonImage(t, "Ubuntu", models.ArchX86), 1)[0], "shared")
	share := cvm.NewModifyImageSharePermissionRequest()
	share.ImageId, share.AccountIds, share.Permission = common.StringPtr(img), common.StringPtrs([]string{b.id}), common.StringPtr("SHARE")
	if _, err := oc.ModifyImageSharePermission(share); err != nil {
		t.Fatal(err)
	}
	cc := e.console(t, "b@example.com")
	wizard := cc.get(t, "/instances/new?region="+gz+"&image="+img)
	if !strings.Contains(wizard.body, "shared by account "+owner.id) {
		t.Error("the wizard does not show the store's warning")
	}
	form := url.Values{"image": {img}, "zone": {"ap-guangzhou-3"}, "instance_type": {"S5.SMALL2"}, "count": {"1"}}
	before := e.written(t)
	p := cc.post(t, "/instances?region="+gz, form)
	if shown, ok := cc.refused(t, p); !ok || shown.shownCode() != models.CodeSharedImageAck {
		t.Errorf("console without acknowledgement: %d, then %q", p.StatusCode, shown.shownCode())
	}
	if after := e.written(t); after != before {
		t.Errorf("a refusal wrote: %s → %s", before, after)
	}
	form.Set("ack_shared", "yes")
	if p := cc.post(t, "/instances?region="+gz, form); p.StatusCode != http.StatusSeeOther {
		t.Errorf("console with acknowledgement: %d", p.StatusCode)
	}
	bc := e.client(t, b, opts{region: gz})
	r := cvm.NewRunInstancesRequest()
	r.Placement = &cvm.Placement{Zone: common.StringPtr("ap-guangzhou-3")}
	r.InstanceType, r.ImageId, r.InstanceCount = common.StringPtr("S5.SMALL2"), common.StringPtr(img), common.Int64Ptr(1)
	if _, err := bc.RunInstances(r); err != nil {
		t.Errorf("API launch from a shared image it named: %v", err)
	}

	// A cancelled share: both faces answer not found.
	share.Permission = common.StringPtr("CANCEL")
	if _, err := oc.ModifyImageSharePermission(share); err != nil {
		t.Fatal(err)
	}
	before = e.written(t)
	wantCode(t, errOf(bc.RunInstances(r)), models.CodeInvalidImageIDNotFound)
	if p := cc.post(t, "/instances?region="+gz, form); p.StatusCode != http.StatusNotFound {
		t.Errorf("console launch from a cancelled share: %d, want 404", p.StatusCode)
	}
	if after := e.written(t); after != before {
		t.Errorf("a refusal wrote: %s → %s", before, after)
	}
}

// TestRules_LimitsOutageBothFaces: when the limits cannot be read, both
// faces answer an internal error (500, InternalError), never a quota
// refusal, and nothing is written.
func TestRules_LimitsOutageBothFaces(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "outage@example.com")
	c := e.client(t, u, opts{region: gz})
	cc := e.console(t, "outage@example.com")
	ubuntu := e.commonImage(t, "Ubuntu", models.ArchX86)
	ins := e.run(t, c, ubuntu, 1)[0]
	// The table the limits are read from is gone: its reads fail as in an outage.
	if err := e.store.DB().Exec("ALTER TABLE quota_overrides RENAME TO quota_overrides_away").Error; err != nil {
		t.Fatal(err)
	}
	before := e.written(t)
	if p := cc.post(t, "/instances/"+ins+"/images?region="+gz, url.Values{"name": {"x"}}); p.StatusCode != http.StatusInternalServerError {
		t.Errorf("console create image: %d, want 500", p.StatusCode)
	}
	form := url.Values{"image": {ubuntu}, "zone": {"ap-guangzhou-3"}, "instance_type": {"S5.SMALL2"}, "count": {"1"}}
	if p := cc.post(t, "/instances?region="+gz, form); p.StatusCode != http.StatusInternalServerError {
		t.Errorf("console launch: %d, want 500", p.StatusCode)
	}
	if p := cc.get(t, "/quotas?region="+gz); p.StatusCode != http.StatusInternalServerError {
		t.Errorf("console quotas: %d, want 500", p.StatusCode)
	}
	create := cvm.NewCreateImageRequest()
	create.InstanceId, create.ImageName = common.StringPtr(ins), common.StringPtr("x")
	wantCode(t, errOf(c.CreateImage(create)), models.CodeInternal)
	run := cvm.NewRunInstancesRequest()
	run.Placement = &cvm.Placement{Zone: common.StringPtr("ap-guangzhou-3")}
	run.InstanceType, run.ImageId = common.StringPtr("S5.SMALL2"), common.StringPtr(ubuntu)
	wantCode(t, errOf(c.RunInstances(run)), models.CodeInternal)
	wantCode(t, errOf(c.DescribeImageQuota(cvm.NewDescribeImageQuotaRequest())), models.CodeInternal)
	if after := e.written(t); after != before {
		t.Errorf("an outage wrote: %s → %s", before, after)
	}

	// The whole database closed under the next request: the same answers.
	sqlDB, err := e.store.DB().DB()
	if err != nil {
		t.Fatal(err)
	}
	sqlDB.Close()
	if p := cc.get(t, "/instances?region="+gz); p.StatusCode != http.StatusInternalServerError {
		t.Errorf("console with the database closed: %d, want 500", p.StatusCode)
	}
	wantCode(t, errOf(c.RunInstances(run)), models.CodeInternal)
}

// TestRules_ChargeType: the one billing mode is the store's rule; the
// console has no choice to make, the API is refused any other mode.
func TestRules_ChargeType(t *testing.T) {
	e := newEnv(t)
	c := e.client(t, e.user(t, "charge@example.com"), opts{region: gz})
	r := cvm.NewRunInstancesRequest()
	r.Placement = &cvm.Placement{Zone: common.StringPtr("ap-guangzhou-3")}
	r.InstanceType, r.ImageId = common.StringPtr("S5.SMALL2"), common.StringPtr(e.commonImage(t, "Ubuntu", models.ArchX86))
	r.InstanceChargeType = common.StringPtr("PREPAID")
	wantCode(t, errOf(c.RunInstances(r)), models.CodeInvalidParameterValue)
	if n := countRows(t, e.store, &models.Instance{}); n != 0 {
		t.Errorf("a refused launch wrote %d instances", n)
	}
	r.InstanceChargeType = common.StringPtr(models.ChargePostpaidByHour)
	if _, err := c.RunInstances(r); err != nil {
		t.Fatal(err)
	}
}
