package api_test

import (
	"testing"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"

	"imageconsole/models"
)

// TestAPI_AuthzEveryActionWithAnID: another account's key gets not-found for
// every action that takes an image or instance ID, and nothing changes.
func TestAPI_AuthzEveryActionWithAnID(t *testing.T) {
	e := newEnv(t)
	owner := e.user(t, "owner@example.com")
	attacker := e.user(t, "attacker@example.com")
	co := e.client(t, owner, opts{region: gz})
	ins := e.run(t, co, e.commonImage(t, "Ubuntu", models.ArchX86), 1)[0]
	img := e.createImage(t, co, ins, "owned")
	c := e.client(t, attacker, opts{region: gz})
	images, instances, shares, ops := countRows(t, e.store, &models.Image{}), countRows(t, e.store, &models.Instance{}),
		countRows(t, e.store, &models.ImageShare{}), countRows(t, e.store, &models.Operation{})

	imgIDs, insIDs := common.StringPtrs([]string{img}), common.StringPtrs([]string{ins})
	placement := &cvm.Placement{Zone: common.StringPtr("ap-guangzhou-3")}
	tests := []struct {
		action string
		call   func() error
		code   string
	}{
		{"ModifyImageAttribute", func() error {
			r := cvm.NewModifyImageAttributeRequest()
			r.ImageId, r.ImageName = common.StringPtr(img), common.StringPtr("pwned")
			return errOf(c.ModifyImageAttribute(r))
		}, models.CodeInvalidImageIDNotFound},
		{"DeleteImages", func() error {
			r := cvm.NewDeleteImagesRequest()
			r.ImageIds = imgIDs
			return errOf(c.DeleteImages(r))
		}, models.CodeInvalidImageIDNotFound},
		{"SyncImages", func() error {
			r := cvm.NewSyncImagesRequest()
			r.ImageIds, r.DestinationRegions = imgIDs, common.StringPtrs([]string{"ap-beijing"})
			return errOf(c.SyncImages(r))
		}, models.CodeInvalidImageIDNotFound},
		{"ModifyImageSharePermission", func() error {
			r := cvm.NewModifyImageSharePermissionRequest()
			r.ImageId, r.AccountIds, r.Permission = common.StringPtr(img), common.StringPtrs([]string{attacker.id}), common.StringPtr("SHARE")
			return errOf(c.ModifyImageSharePermission(r))
		}, models.CodeInvalidImageIDNotFound},
		{"DescribeImageSharePermission", func() error {
			r := cvm.NewDescribeImageSharePermissionRequest()
			r.ImageId = common.StringPtr(img)
			return errOf(c.DescribeImageSharePermission(r))
		}, models.CodeInvalidImageIDNotFound},
		{"RunInstances", func() error {
			r := cvm.NewRunInstancesRequest()
			r.Placement, r.InstanceType, r.ImageId = placement, common.StringPtr("S5.SMALL2"), common.StringPtr(img)
			return errOf(c.RunInstances(r))
		}, models.CodeInvalidImageIDNotFound},
		{"InquiryPriceRunInstances", func() error {
			r := cvm.NewInquiryPriceRunInstancesRequest()
			r.Placement, r.InstanceType, r.ImageId = placement, common.StringPtr("S5.SMALL2"), common.StringPtr(img)
			return errOf(c.InquiryPriceRunInstances(r))
		}, models.CodeInvalidImageIDNotFound},
		{"CreateImage", func() error {
			r := cvm.NewCreateImageRequest()
			r.InstanceId, r.ImageName = common.StringPtr(ins), common.StringPtr("stolen")
			return errOf(c.CreateImage(r))
		}, models.CodeInstanceNotFound},
		{"StartInstances", func() error {
			r := cvm.NewStartInstancesRequest()
			r.InstanceIds = insIDs
			return errOf(c.StartInstances(r))
		}, models.CodeInstanceNotFound},
		{"StopInstances", func() error {
			r := cvm.NewStopInstancesRequest()
			r.InstanceIds = insIDs
			return errOf(c.StopInstances(r))
		}, models.CodeInstanceNotFound},
		{"RebootInstances", func() error {
			r := cvm.NewRebootInstancesRequest()
			r.InstanceIds = insIDs
			return errOf(c.RebootInstances(r))
		}, models.CodeInstanceNotFound},
		{"TerminateInstances", func() error {
			r := cvm.NewTerminateInstancesRequest()
			r.InstanceIds = insIDs
			return errOf(c.TerminateInstances(r))
		}, models.CodeInstanceNotFound},
		{"ResetInstance", func() error {
			r := cvm.NewResetInstanceRequest()
			r.InstanceId = common.StringPtr(ins)
			return errOf(c.ResetInstance(r))
		}, models.CodeInstanceNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.action, func(t *testing.T) { wantCode(t, tt.call(), tt.code) })
	}
	// Reads of someone else's IDs find nothing.
	di := cvm.NewDescribeImagesRequest()
	di.ImageIds = imgIDs
	if res, err := c.DescribeImages(di); err != nil || *res.Response.TotalCount != 0 {
		t.Errorf("DescribeImages of another account's image: %v %v", res, err)
	}
	din := cvm.NewDescribeInstancesRequest()
	din.InstanceIds = insIDs
	if res, err := c.DescribeInstances(din); err != nil || *res.Response.TotalCount != 0 {
		t.Errorf("DescribeInstances of another account's instance: %v %v", res, err)
	}
	if countRows(t, e.store, &models.Image{}) != images || countRows(t, e.store, &models.Instance{}) != instances ||
		countRows(t, e.store, &models.ImageShare{}) != shares {
		t.Error("another account's requests wrote rows")
	}
	var okOps int64
	e.store.DB().Model(&models.Operation{}).Where("result = ?", models.ResultSuccess).Count(&okOps)
	if okOps != 1 { // the owner's own CreateImage
		t.Errorf("%d accepted operations (of %d logged), want only the owner's", okOps, ops)
	}
	if got, _ := e.store.Instance(t.Context(), owner.id, ins); got.State != models.InstanceRunning {
		t.Errorf("owner's instance is %s", got.State)
	}
}
