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
		"ModifyInstancesAttribute": handle(cvm.NewModifyInstancesAttributeRequest, a.modifyInstancesAttribute),
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
	in.LaunchOptions, in.Enhanced = launchOptions(req)
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

// launchOptions reads what RunInstances asks besides the image and type.
// EnhancedService left out keeps the image's default; a service left out
// of it is on, as the SDK documents.
func launchOptions(req *cvm.RunInstancesRequest) (models.LaunchOptions, models.EnhancedService) {
	o := models.LaunchOptions{SecurityGroupIDs: strs(req.SecurityGroupIds)}
	if v := req.VirtualPrivateCloud; v != nil {
		o.VpcID, o.SubnetID = str(v.VpcId), str(v.SubnetId)
	}
	if l := req.LoginSettings; l != nil {
		o.Password, o.KeyIDs, o.KeepImageLogin = str(l.Password), strs(l.KeyIds), str(l.KeepImageLogin)
	}
	if d := req.SystemDisk; d != nil {
		o.SystemDiskType, o.SystemDiskGiB = str(d.DiskType), int(i64(d.DiskSize))
	}
	for _, d := range req.DataDisks {
		if d != nil {
			o.DataDisks = append(o.DataDisks, models.DataDiskInput{Type: str(d.DiskType), SizeGiB: int(i64(d.DiskSize)),
				SnapshotID: str(d.SnapshotId), DeleteWithInstance: d.DeleteWithInstance, Encrypt: boolv(d.Encrypt)})
		}
	}
	if ia := req.InternetAccessible; ia != nil {
		o.InternetChargeType, o.BandwidthOut = str(ia.InternetChargeType), int(i64(ia.InternetMaxBandwidthOut))
		o.PublicIPAssigned, o.BandwidthPackageID = ia.PublicIpAssigned, str(ia.BandwidthPackageId)
	}
	o.HostName, o.UserData, o.CamRoleName = str(req.HostName), str(req.UserData), str(req.CamRoleName)
	o.DisableAPITermination = boolv(req.DisableApiTermination)
	if req.Placement != nil {
		o.ProjectID = i64(req.Placement.ProjectId)
	}
	for _, spec := range req.TagSpecification {
		if spec == nil {
			continue
		}
		ts := models.TagSpec{ResourceType: str(spec.ResourceType)}
		for _, t := range spec.Tags {
			if t != nil {
				ts.Tags = append(ts.Tags, models.Tag{Key: str(t.Key), Value: str(t.Value)})
			}
		}
		o.TagSpecs = append(o.TagSpecs, ts)
	}
	var enhanced models.EnhancedService
	if e := req.EnhancedService; e == nil {
		o.DefaultEnhanced = true
	} else {
		enhanced.Security = e.SecurityService == nil || e.SecurityService.Enabled == nil || *e.SecurityService.Enabled
		enhanced.Monitor = e.MonitorService == nil || e.MonitorService.Enabled == nil || *e.MonitorService.Enabled
	}
	return o, enhanced
}

// describeInstances lists the account's instances in the region.
func (a *API) describeInstances(c *call, req *cvm.DescribeInstancesRequest) (*describeInstancesOut, error) {
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
	out := &describeInstancesOut{InstanceSet: make([]*instanceWire, 0, len(rows)), TotalCount: ptr(total)}
	for i := range rows {
		out.InstanceSet = append(out.InstanceSet, &instanceWire{Instance: *instanceOut(&rows[i]), HostName: ptr(rows[i].HostName)})
	}
	return out, nil
}

// instanceWire is an Instance as the SDKs document it: the pinned Go SDK's
// struct plus HostName, which newer SDKs (the Node.js SDK's Instance) have
// and the pinned one lacks. The Go SDK ignores the field it does not know.
type instanceWire struct {
	cvm.Instance
	HostName *string `json:"HostName,omitnil,omitempty" name:"HostName"`
}

// describeInstancesOut is DescribeInstancesResponseParams with instanceWire.
type describeInstancesOut struct {
	TotalCount  *int64          `json:"TotalCount,omitnil,omitempty" name:"TotalCount"`
	InstanceSet []*instanceWire `json:"InstanceSet,omitnil,omitempty" name:"InstanceSet"`
	RequestId   *string         `json:"RequestId,omitnil,omitempty" name:"RequestId"`
}

// instanceOut is an instance as DescribeInstances reports it: every field
// of the SDK's Instance that has a meaning here. A pay-by-the-hour
// instance has no RenewFlag and no ExpiredTime (the SDK documents null).
func instanceOut(in *models.Instance) *cvm.Instance {
	user, port := in.DefaultLogin()
	privateIPs, publicIPs := []string{}, []string{}
	if in.Network.PrivateIP != "" {
		privateIPs = append(privateIPs, in.Network.PrivateIP)
	}
	if in.PublicIP != "" {
		publicIPs = append(publicIPs, in.PublicIP)
	}
	var vpcOut *cvm.VirtualPrivateCloud
	if in.Network.VpcID != "" {
		vpcOut = &cvm.VirtualPrivateCloud{VpcId: ptr(in.Network.VpcID), SubnetId: ptr(in.Network.SubnetID),
			AsVpcGateway: ptr(false), PrivateIpAddresses: ptrs(privateIPs), Ipv6AddressCount: ptr(uint64(0))}
	}
	disks := make([]*cvm.DataDisk, 0)
	for _, d := range in.InstanceDataDisks() {
		dd := &cvm.DataDisk{DiskId: ptr(d.ID), DiskType: ptr(d.Type), DiskSize: ptr(int64(d.SizeGiB)),
			DeleteWithInstance: ptr(d.DeleteWithInstance), Encrypt: ptr(d.Encrypt)}
		if d.SnapshotID != "" {
			dd.SnapshotId = ptr(d.SnapshotID)
		}
		disks = append(disks, dd)
	}
	tags := make([]*cvm.Tag, 0)
	for _, t := range in.InstanceTags() {
		tags = append(tags, &cvm.Tag{Key: ptr(t.Key), Value: ptr(t.Value)})
	}
	stopCharging := "NOT_APPLICABLE"
	if in.State == models.InstanceStopped {
		stopCharging = "KEEP_CHARGING"
	}
	return &cvm.Instance{InstanceId: ptr(in.ID), Uuid: ptr(in.UUID), InstanceName: ptr(in.Name),
		InstanceType: ptr(in.Type), CPU: ptr(int64(in.CPU)), Memory: ptr(int64(in.Memory)),
		Placement: &cvm.Placement{Zone: ptr(in.Zone), ProjectId: ptr(in.ProjectID), HostIds: []*string{}},
		ImageId:   ptr(in.ImageID), OsName: ptr(in.OsName), RestrictState: ptr("NORMAL"), IsolatedSource: ptr("NOTISOLATED"),
		InstanceState: ptr(in.APIState()), InstanceChargeType: ptr(models.ChargePostpaidByHour), StopChargingMode: ptr(stopCharging),
		SystemDisk: &cvm.SystemDisk{DiskType: ptr(in.SystemDiskType), DiskId: ptr(in.SystemDiskID), DiskSize: ptr(int64(in.DiskGiB))},
		DataDisks:  disks, PrivateIpAddresses: ptrs(privateIPs), PublicIpAddresses: ptrs(publicIPs),
		InternetAccessible: &cvm.InternetAccessible{InternetChargeType: ptr(in.InternetChargeType),
			InternetMaxBandwidthOut: ptr(int64(in.BandwidthOut)), InternetServiceProvider: ptr("BGP")},
		VirtualPrivateCloud: vpcOut, SecurityGroupIds: ptrs(in.Network.SecurityGroupIDs),
		LoginSettings: &cvm.LoginSettings{KeyIds: ptrs(in.Network.KeyIDs)},
		CreatedTime:   ptr(in.CreatedAt.UTC().Format(timeLayout)), LatestOperation: ptr(in.LatestOperation),
		LatestOperationState: ptr(in.LatestOperationState), LatestOperationRequestId: ptr(in.LatestOperationRequestID),
		LatestOperationErrorMsg: ptr(in.LatestOperationErrorMsg), LicenseType: ptr(in.License), Tags: tags,
		DisableApiTermination: ptr(in.DisableAPITermination), DefaultLoginUser: ptr(user), DefaultLoginPort: ptr(int64(port)),
		CamRoleName: ptr(in.CamRoleName), DisasterRecoverGroupId: ptr(""), HpcClusterId: ptr(""), DedicatedClusterId: ptr(""),
		IPv6Addresses: []*string{}, PublicIPv6Addresses: []*string{}, RdmaIpAddresses: []*string{}}
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

// modifyInstancesAttribute changes names, host names, user data, roles,
// security groups and termination protection. A new host name takes
// effect at once (AutoReboot has nothing to wait for here).
func (a *API) modifyInstancesAttribute(c *call, req *cvm.ModifyInstancesAttributeRequest) (*cvm.ModifyInstancesAttributeResponseParams, error) {
	attrs := models.InstanceAttributes{Name: req.InstanceName, HostName: req.HostName, UserData: req.UserData,
		CamRoleName: req.CamRoleName, DisableAPITermination: req.DisableApiTermination}
	if req.SecurityGroups != nil {
		attrs.SecurityGroupIDs = strs(req.SecurityGroups)
	}
	return &cvm.ModifyInstancesAttributeResponseParams{}, a.store.ModifyInstancesAttribute(c.ctx, c.actor, c.region.ID, strs(req.InstanceIds), attrs)
}
