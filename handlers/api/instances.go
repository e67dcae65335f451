package api

import (
	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"

	"imageconsole/models"
)

func (a *API) instanceActions() map[string]action {
	return map[string]action{
		"RunInstances":             handle(cvm.NewRunInstancesRequest, a.runInstances),
		"DescribeInstances":        handle(cvm.NewDescribeInstancesRequest, a.describeInstances),
		"StartInstances":           handle(cvm.NewStartInstancesRequest, a.startInstances),
		"StopInstances":            handle(cvm.NewStopInstancesRequest, a.stopInstances),
		"RebootInstances":          handle(cvm.NewRebootInstancesRequest, a.rebootInstances),
		"TerminateInstances":       handle(cvm.NewTerminateInstancesRequest, a.terminateInstances),
		"ResetInstance":            handle(cvm.NewResetInstanceRequest, a.resetInstance),
		"InquiryPriceRunInstances": handle(cvm.NewInquiryPriceRunInstancesRequest, a.inquiryPriceRunInstances),
	}
}

// launchInput reads the parameters RunInstances and its price inquiry share.
func launchInput(c *call, placement *cvm.Placement, chargeType, instanceType, imageID *string, count *int64, name *string) models.LaunchInput {
	in := models.LaunchInput{Region: c.region.ID, InstanceType: str(instanceType), ImageID: str(imageID), Name: str(name),
		Count: 1, ChargeType: str(chargeType)}
	if placement != nil {
		in.Zone = str(placement.Zone)
	}
	if count != nil { // the SDK's default is 1; any value given is the store's to check
		in.Count = int(*count)
	}
	return in
}

// runInstances starts 1–100 instances, idempotent by ClientToken.
func (a *API) runInstances(c *call, req *cvm.RunInstancesRequest) (*cvm.RunInstancesResponseParams, error) {
	in := launchInput(c, req.Placement, req.InstanceChargeType, req.InstanceType, req.ImageId, req.InstanceCount, req.InstanceName)
	in.ClientToken, in.DryRun = str(req.ClientToken), boolv(req.DryRun)
	// The SDK has no field for the console's shared-image checkbox. An API
	// caller names the image by its ID, after DescribeImages reported it as
	// a SHARED_IMAGE of another account: that explicit choice is the
	// acknowledgement the console asks a user to tick.
	in.AcknowledgeShared = true
	ids, err := a.store.RunInstances(c.ctx, c.actor, in)
	if err != nil {
		return nil, err
	}
	return &cvm.RunInstancesResponseParams{InstanceIdSet: ptrs(ids)}, nil
}

// inquiryPriceRunInstances prices a launch with the same rules as the console (R7).
func (a *API) inquiryPriceRunInstances(c *call, req *cvm.InquiryPriceRunInstancesRequest) (*cvm.InquiryPriceRunInstancesResponseParams, error) {
	in := launchInput(c, req.Placement, req.InstanceChargeType, req.InstanceType, req.ImageId, req.InstanceCount, req.InstanceName)
	plan, err := a.store.QuoteLaunch(c.ctx, c.actor.AccountID, in)
	if err != nil {
		return nil, err
	}
	return &cvm.InquiryPriceRunInstancesResponseParams{Price: &cvm.Price{
		InstancePrice:  &cvm.ItemPrice{UnitPrice: ptr(plan.Quote.TotalPerHour), ChargeUnit: ptr("HOUR")},
		BandwidthPrice: &cvm.ItemPrice{UnitPrice: ptr(0.0), ChargeUnit: ptr("HOUR")},
	}}, nil
}

// describeInstances lists the account's instances in the region.
func (a *API) describeInstances(c *call, req *cvm.DescribeInstancesRequest) (*cvm.DescribeInstancesResponseParams, error) {
	q := models.InstanceQuery{Region: c.region.ID, IDs: strs(req.InstanceIds), Filters: filters(req.Filters)}
	if req.Offset != nil {
		q.Offset = *req.Offset
	}
	if req.Limit != nil {
		q.Limit = *req.Limit
	}
	rows, total, err := a.store.Instances(c.ctx, c.actor.AccountID, q)
	if err != nil {
		return nil, err
	}
	out := &cvm.DescribeInstancesResponseParams{InstanceSet: make([]*cvm.Instance, 0, len(rows)), TotalCount: ptr(total)}
	for _, in := range rows {
		out.InstanceSet = append(out.InstanceSet, &cvm.Instance{InstanceId: ptr(in.ID), InstanceName: ptr(in.Name),
			InstanceType: ptr(in.Type), CPU: ptr(int64(in.CPU)), Memory: ptr(int64(in.Memory)),
			Placement: &cvm.Placement{Zone: ptr(in.Zone)}, ImageId: ptr(in.ImageID), OsName: ptr(in.OsName),
			InstanceState: ptr(in.State), InstanceChargeType: ptr(models.ChargePostpaidByHour),
			CreatedTime: ptr(in.CreatedAt.UTC().Format(timeLayout)), LatestOperation: ptr(in.LatestOperation),
			LatestOperationState: ptr(in.LatestOperationState), LicenseType: ptr(in.License), Tags: []*cvm.Tag{}})
	}
	return out, nil
}

func (a *API) startInstances(c *call, req *cvm.StartInstancesRequest) (*cvm.StartInstancesResponseParams, error) {
	return &cvm.StartInstancesResponseParams{}, a.store.StartInstances(c.ctx, c.actor, strs(req.InstanceIds))
}

func (a *API) stopInstances(c *call, req *cvm.StopInstancesRequest) (*cvm.StopInstancesResponseParams, error) {
	return &cvm.StopInstancesResponseParams{}, a.store.StopInstances(c.ctx, c.actor, strs(req.InstanceIds))
}

func (a *API) rebootInstances(c *call, req *cvm.RebootInstancesRequest) (*cvm.RebootInstancesResponseParams, error) {
	return &cvm.RebootInstancesResponseParams{}, a.store.RebootInstances(c.ctx, c.actor, strs(req.InstanceIds))
}

func (a *API) terminateInstances(c *call, req *cvm.TerminateInstancesRequest) (*cvm.TerminateInstancesResponseParams, error) {
	return &cvm.TerminateInstancesResponseParams{}, a.store.TerminateInstances(c.ctx, c.actor, strs(req.InstanceIds))
}

// resetInstance reinstalls an instance from an image of its region (R8).
func (a *API) resetInstance(c *call, req *cvm.ResetInstanceRequest) (*cvm.ResetInstanceResponseParams, error) {
	return &cvm.ResetInstanceResponseParams{}, a.store.ResetInstance(c.ctx, c.actor, str(req.InstanceId), str(req.ImageId))
}
