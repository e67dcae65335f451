package api_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"
	vpc "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc/v20170312"

	"imageconsole/models"
)

// sdkEnums are the values the SDK's Instance documentation allows for its
// enumerated fields (InstanceState: the documented instance status table).
var sdkEnums = map[string][]string{
	"InstanceState": {"PENDING", "LAUNCH_FAILED", "RUNNING", "STOPPED", "STARTING", "STOPPING", "REBOOTING", "SHUTDOWN",
		"TERMINATING", "ENTER_RESCUE_MODE", "RESCUE_MODE", "EXIT_RESCUE_MODE", "ENTER_SERVICE_LIVE_MIGRATE",
		"SERVICE_LIVE_MIGRATE", "EXIT_SERVICE_LIVE_MIGRATE"},
	"DiskType": {"LOCAL_BASIC", "LOCAL_SSD", "LOCAL_NVME", "LOCAL_PRO", "CLOUD_BASIC", "CLOUD_SSD", "CLOUD_PREMIUM",
		"CLOUD_BSSD", "CLOUD_HSSD", "CLOUD_TSSD"},
	"InternetChargeType":   {"BANDWIDTH_PREPAID", "TRAFFIC_POSTPAID_BY_HOUR", "BANDWIDTH_POSTPAID_BY_HOUR", "BANDWIDTH_PACKAGE"},
	"RenewFlag":            {"NOTIFY_AND_MANUAL_RENEW", "NOTIFY_AND_AUTO_RENEW", "DISABLE_NOTIFY_AND_MANUAL_RENEW"},
	"InstanceChargeType":   {"PREPAID", "POSTPAID_BY_HOUR", "CDHPAID", "SPOTPAID", "CDCPAID"},
	"RestrictState":        {"NORMAL", "EXPIRED", "PROTECTIVELY_ISOLATED"},
	"StopChargingMode":     {"KEEP_CHARGING", "STOP_CHARGING", "NOT_APPLICABLE"},
	"LatestOperationState": {"SUCCESS", "OPERATING", "FAILED"},
	"IsolatedSource":       {"ARREAR", "EXPIRE", "MANMADE", "NOTISOLATED"},
	"LicenseType":          {"TencentCloud", "BYOL"},
}

// checkEnums fails on an enumerated field outside the SDK's values, and
// on an ExpiredTime or RenewFlag for a pay-by-the-hour instance (the SDK
// documents them as null then).
func checkEnums(t *testing.T, in *cvm.Instance) {
	t.Helper()
	check := func(field string, v *string) {
		if v != nil && !slices.Contains(sdkEnums[field], *v) {
			t.Errorf("%s: %s = %q, not one of the SDK's %v", *in.InstanceId, field, *v, sdkEnums[field])
		}
	}
	check("InstanceState", in.InstanceState)
	check("InstanceChargeType", in.InstanceChargeType)
	check("RenewFlag", in.RenewFlag)
	check("RestrictState", in.RestrictState)
	check("StopChargingMode", in.StopChargingMode)
	check("LatestOperationState", in.LatestOperationState)
	check("IsolatedSource", in.IsolatedSource)
	check("LicenseType", in.LicenseType)
	if in.SystemDisk != nil {
		check("DiskType", in.SystemDisk.DiskType)
	}
	for _, d := range in.DataDisks {
		check("DiskType", d.DiskType)
	}
	if in.InternetAccessible != nil {
		check("InternetChargeType", in.InternetAccessible.InternetChargeType)
	}
	if *in.InstanceChargeType == "POSTPAID_BY_HOUR" && (in.ExpiredTime != nil || in.RenewFlag != nil) {
		t.Errorf("%s: a pay-by-the-hour instance has ExpiredTime %v and RenewFlag %v", *in.InstanceId, in.ExpiredTime, in.RenewFlag)
	}
}

// packerNetwork creates what Packer's builder creates before its launch:
// a key pair, a VPC, a subnet and a security group with its policies.
func (e *env) packerNetwork(t *testing.T, c *cvm.Client, vc *vpc.Client) (keyID, vpcID, subnetID, sgID string) {
	t.Helper()
	kr := cvm.NewCreateKeyPairRequest()
	kr.KeyName, kr.ProjectId = common.StringPtr("packer_6b0d3055"), common.Int64Ptr(0)
	kp, err := c.CreateKeyPair(kr)
	if err != nil {
		t.Fatal(err)
	}
	vr := vpc.NewCreateVpcRequest()
	vr.VpcName, vr.CidrBlock = common.StringPtr("packer_vpc"), common.StringPtr("172.16.0.0/16")
	v, err := vc.CreateVpc(vr)
	if err != nil {
		t.Fatal(err)
	}
	sr := vpc.NewCreateSubnetRequest()
	sr.VpcId, sr.SubnetName, sr.CidrBlock, sr.Zone = v.Response.Vpc.VpcId, common.StringPtr("packer_subnet"),
		common.StringPtr("172.16.0.0/24"), common.StringPtr("ap-guangzhou-3")
	s, err := vc.CreateSubnet(sr)
	if err != nil {
		t.Fatal(err)
	}
	gr := vpc.NewCreateSecurityGroupRequest()
	gr.GroupName, gr.GroupDescription = common.StringPtr("packer_sg"), common.StringPtr("packer")
	g, err := vc.CreateSecurityGroup(gr)
	if err != nil {
		t.Fatal(err)
	}
	// Packer's policies name neither a protocol nor a port.
	pr := vpc.NewCreateSecurityGroupPoliciesRequest()
	pr.SecurityGroupId = g.Response.SecurityGroup.SecurityGroupId
	pr.SecurityGroupPolicySet = &vpc.SecurityGroupPolicySet{Ingress: []*vpc.SecurityGroupPolicy{
		{CidrBlock: common.StringPtr("0.0.0.0/0"), Action: common.StringPtr("ACCEPT")}}}
	if _, err := vc.CreateSecurityGroupPolicies(pr); err != nil {
		t.Fatal(err)
	}
	return *kp.Response.KeyPair.KeyId, *v.Response.Vpc.VpcId, *s.Response.Subnet.SubnetId, *g.Response.SecurityGroup.SecurityGroupId
}

// packerRun is RunInstances as Packer's step_run_instance sends it, with
// every option it may set.
func packerRun(image, keyID, vpcID, subnetID, sgID string) *cvm.RunInstancesRequest {
	req := cvm.NewRunInstancesRequest()
	req.Placement = &cvm.Placement{Zone: common.StringPtr("ap-guangzhou-3")}
	req.InstanceChargeType, req.ImageId, req.InstanceType = common.StringPtr("POSTPAID_BY_HOUR"), &image, common.StringPtr("S5.MEDIUM4")
	req.SystemDisk = &cvm.SystemDisk{DiskType: common.StringPtr("CLOUD_PREMIUM"), DiskSize: common.Int64Ptr(50)}
	req.DataDisks = []*cvm.DataDisk{{DiskType: common.StringPtr("CLOUD_SSD"), DiskSize: common.Int64Ptr(100)}}
	req.VirtualPrivateCloud = &cvm.VirtualPrivateCloud{VpcId: &vpcID, SubnetId: &subnetID}
	req.InternetAccessible = &cvm.InternetAccessible{PublicIpAssigned: common.BoolPtr(true), InternetMaxBandwidthOut: common.Int64Ptr(1),
		InternetChargeType: common.StringPtr("TRAFFIC_POSTPAID_BY_HOUR")}
	req.InstanceName = common.StringPtr("packer_6b0d3055")
	req.LoginSettings = &cvm.LoginSettings{KeyIds: []*string{&keyID}}
	req.SecurityGroupIds = []*string{&sgID}
	req.ClientToken, req.HostName = req.InstanceName, common.StringPtr("packer-6b0d3055")
	req.UserData = common.StringPtr(base64.StdEncoding.EncodeToString([]byte("#!/bin/sh\n")))
	req.CamRoleName = common.StringPtr("")
	req.TagSpecification = []*cvm.TagSpecification{{ResourceType: common.StringPtr("instance"),
		Tags: []*cvm.Tag{{Key: common.StringPtr("built-by"), Value: common.StringPtr("packer")}}}}
	req.EnhancedService = &cvm.EnhancedService{SecurityService: &cvm.RunSecurityServiceEnabled{Enabled: common.BoolPtr(false)}}
	req.DisableApiTermination = common.BoolPtr(true)
	return req
}

// TestAPI_InstanceFields runs an instance the way Packer does and reads
// every field back through the SDK: true values, documented enums only.
func TestAPI_InstanceFields(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "packer@example.com")
	c, vc := e.client(t, u, opts{region: gz}), e.vpcClient(t, u, opts{region: gz})
	ubuntu := e.commonImage(t, "Ubuntu", models.ArchX86)
	keyID, vpcID, subnetID, sgID := e.packerNetwork(t, c, vc)
	other := e.user(t, "other@example.com")
	_, theirVPC, _, _ := e.packerNetwork(t, e.client(t, other, opts{region: gz}), e.vpcClient(t, other, opts{region: gz}))
	res, err := c.RunInstances(packerRun(ubuntu, keyID, vpcID, subnetID, sgID))
	if err != nil {
		t.Fatal(err)
	}
	id := *res.Response.InstanceIdSet[0]
	describe := func() *cvm.Instance {
		t.Helper()
		req := cvm.NewDescribeInstancesRequest()
		req.InstanceIds = []*string{&id}
		out, err := c.DescribeInstances(req)
		if err != nil || len(out.Response.InstanceSet) != 1 {
			t.Fatalf("DescribeInstances: %v", err)
		}
		checkEnums(t, out.Response.InstanceSet[0])
		return out.Response.InstanceSet[0]
	}
	if in := describe(); *in.InstanceState != "PENDING" || *in.LatestOperation != "RunInstances" ||
		*in.LatestOperationRequestId != *res.Response.RequestId {
		t.Fatalf("launching: %s", jsonOf(in))
	}
	e.drain(t)
	in := describe()
	for _, tc := range []struct{ field, got, want string }{
		{"InstanceName", *in.InstanceName, "packer_6b0d3055"},
		{"InstanceState", *in.InstanceState, "RUNNING"},
		{"SystemDisk", words(*in.SystemDisk.DiskType, *in.SystemDisk.DiskSize), "CLOUD_PREMIUM 50"},
		{"DataDisks", words(len(in.DataDisks), *in.DataDisks[0].DiskType, *in.DataDisks[0].DiskSize, *in.DataDisks[0].DeleteWithInstance), "1 CLOUD_SSD 100 true"},
		{"PrivateIpAddresses", words(common.StringValues(in.PrivateIpAddresses)), "[172.16.0.2]"},
		{"PublicIpAddresses", words(len(in.PublicIpAddresses)), "1"},
		{"InternetAccessible", words(*in.InternetAccessible.InternetChargeType, *in.InternetAccessible.InternetMaxBandwidthOut), "TRAFFIC_POSTPAID_BY_HOUR 1"},
		{"VirtualPrivateCloud", words(*in.VirtualPrivateCloud.VpcId, *in.VirtualPrivateCloud.SubnetId), vpcID + " " + subnetID},
		{"SecurityGroupIds", words(common.StringValues(in.SecurityGroupIds)), "[" + sgID + "]"},
		{"LoginSettings.KeyIds", words(common.StringValues(in.LoginSettings.KeyIds)), "[" + keyID + "]"},
		{"Uuid", words(len(*in.Uuid)), "36"},
		{"Placement", words(*in.Placement.Zone, *in.Placement.ProjectId), "ap-guangzhou-3 0"},
		{"Tags", words(*in.Tags[0].Key, *in.Tags[0].Value), "built-by packer"},
		{"DisableApiTermination", words(*in.DisableApiTermination), "true"},
		{"DefaultLogin", words(*in.DefaultLoginUser, *in.DefaultLoginPort), "ubuntu 22"},
		{"InstanceChargeType", *in.InstanceChargeType, "POSTPAID_BY_HOUR"},
		{"StopChargingMode", *in.StopChargingMode, "NOT_APPLICABLE"},
		{"LatestOperationErrorMsg", *in.LatestOperationErrorMsg, ""},
		{"IPv6Addresses", words(in.IPv6Addresses == nil), "false"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %q, want %q", tc.field, tc.got, tc.want)
		}
	}
	var stored models.Instance
	if err := e.store.DB().Take(&stored, "id = ?", id).Error; err != nil {
		t.Fatal(err)
	}
	if stored.HostName != "packer-6b0d3055" || stored.SecurityService || !stored.MonitorService {
		t.Errorf("host %q security %v monitor %v", stored.HostName, stored.SecurityService, stored.MonitorService)
	}

	// The same ClientToken answers with the same instance.
	again, err := c.RunInstances(packerRun(ubuntu, keyID, vpcID, subnetID, sgID))
	if err != nil || *again.Response.InstanceIdSet[0] != id {
		t.Fatalf("repeated ClientToken: %v %v", err, again)
	}

	// Filters by network: they leave out an instance outside it.
	e.run(t, c, ubuntu, 1)
	for _, f := range []struct {
		name, value string
		want        int64
	}{{"vpc-id", vpcID, 1}, {"subnet-id", subnetID, 1}, {"security-group-id", sgID, 1}, {"key-id", keyID, 1},
		{"key-name", "packer_6b0d3055", 1}, {"private-ip-address", "172.16.0.2", 1}, {"instance-charge-type", "POSTPAID_BY_HOUR", 2},
		{"vpc-id", theirVPC, 0}} {
		req := cvm.NewDescribeInstancesRequest()
		req.Filters = []*cvm.Filter{{Name: &f.name, Values: []*string{&f.value}}}
		out, err := c.DescribeInstances(req)
		if err != nil || *out.Response.TotalCount != f.want {
			t.Errorf("filter %s=%s: %v %s, want %d", f.name, f.value, err, out.ToJsonString(), f.want)
		}
	}

	// Packer's detach: a forced unbind leaves the instance RUNNING without the key.
	dis := cvm.NewDisassociateInstancesKeyPairsRequest()
	dis.KeyIds, dis.InstanceIds, dis.ForceStop = []*string{&keyID}, []*string{&id}, common.BoolPtr(true)
	if _, err := c.DisassociateInstancesKeyPairs(dis); err != nil {
		t.Fatal(err)
	}
	if in := describe(); *in.InstanceState != "RUNNING" || len(in.LoginSettings.KeyIds) != 0 || *in.LatestOperation != "DisassociateInstancesKeyPairs" {
		t.Fatalf("after the detach: %s", jsonOf(in))
	}

	// A reinstall is REBOOTING to the SDK.
	reset := cvm.NewResetInstanceRequest()
	reset.InstanceId = &id
	if _, err := c.ResetInstance(reset); err != nil {
		t.Fatal(err)
	}
	if in := describe(); *in.InstanceState != "REBOOTING" || *in.LatestOperation != "ResetInstance" || *in.LatestOperationState != "OPERATING" {
		t.Fatalf("resetting: %s", jsonOf(in))
	}
	req := cvm.NewDescribeInstancesRequest()
	req.Filters = []*cvm.Filter{{Name: common.StringPtr("instance-state"), Values: common.StringPtrs([]string{"REBOOTING"})}}
	if out, err := c.DescribeInstances(req); err != nil || *out.Response.TotalCount != 1 {
		t.Fatalf("instance-state REBOOTING: %v", err)
	}
	e.drain(t)

	// Protected: TerminateInstances is refused with the SDK's code and nothing changes.
	term := cvm.NewTerminateInstancesRequest()
	term.InstanceIds = []*string{&id}
	before := e.written(t)
	wantCode(t, func() error { _, err := c.TerminateInstances(term); return err }(), models.CodeInstancesProtected)
	if after := e.written(t); after != before {
		t.Fatalf("a refused termination wrote: %s -> %s", before, after)
	}
	// ModifyInstancesAttribute turns the protection off (and renames).
	mod := cvm.NewModifyInstancesAttributeRequest()
	mod.InstanceIds, mod.DisableApiTermination, mod.InstanceName = []*string{&id}, common.BoolPtr(false), common.StringPtr("renamed")
	mod.HostName = common.StringPtr("bad_host")
	wantCode(t, func() error { _, err := c.ModifyInstancesAttribute(mod); return err }(), models.CodeIllegalHostName)
	if in := describe(); !*in.DisableApiTermination || *in.InstanceName != "packer_6b0d3055" {
		t.Fatalf("a refused modification changed %s", jsonOf(in))
	}
	mod.HostName = nil
	if _, err := c.ModifyInstancesAttribute(mod); err != nil {
		t.Fatal(err)
	}
	if in := describe(); *in.DisableApiTermination || *in.InstanceName != "renamed" {
		t.Fatalf("after ModifyInstancesAttribute: %s", jsonOf(in))
	}
	if _, err := c.TerminateInstances(term); err != nil {
		t.Fatal(err)
	}
	e.drain(t)
	// Gone: its subnet, group and key may be deleted (Packer's cleanup).
	ds := vpc.NewDeleteSubnetRequest()
	ds.SubnetId = &subnetID
	if _, err := vc.DeleteSubnet(ds); err != nil {
		t.Fatal(err)
	}
	dg := vpc.NewDeleteSecurityGroupRequest()
	dg.SecurityGroupId = &sgID
	if _, err := vc.DeleteSecurityGroup(dg); err != nil {
		t.Fatal(err)
	}
}

// TestAPI_RunInstancesRefusals: each option's refusal has the SDK's code
// and starts nothing.
func TestAPI_RunInstancesRefusals(t *testing.T) {
	e := newEnv(t)
	u, other := e.user(t, "a@example.com"), e.user(t, "b@example.com")
	c, vc := e.client(t, u, opts{region: gz}), e.vpcClient(t, u, opts{region: gz})
	ubuntu := e.commonImage(t, "Ubuntu", models.ArchX86)
	keyID, vpcID, subnetID, sgID := e.packerNetwork(t, c, vc)
	theirKey, theirVpc, theirSubnet, theirSg := e.packerNetwork(t, e.client(t, other, opts{region: gz}), e.vpcClient(t, other, opts{region: gz}))
	for _, tc := range []struct {
		name string
		mod  func(r *cvm.RunInstancesRequest)
		code string
	}{
		{"ErrVpcNotExist", func(r *cvm.RunInstancesRequest) { r.VirtualPrivateCloud.VpcId = &theirVpc }, models.CodeVpcIDNotExist},
		{"ErrSubnetNotExist", func(r *cvm.RunInstancesRequest) { r.VirtualPrivateCloud.SubnetId = &theirSubnet }, models.CodeSubnetNotExist},
		{"ErrSubnetZone", func(r *cvm.RunInstancesRequest) { r.Placement.Zone = common.StringPtr("ap-guangzhou-4") }, models.CodeSubnetZoneNotMatch},
		{"ErrGroup", func(r *cvm.RunInstancesRequest) { r.SecurityGroupIds = []*string{&theirSg} }, models.CodeSgIDNotFound},
		{"ErrKey", func(r *cvm.RunInstancesRequest) { r.LoginSettings.KeyIds = []*string{&theirKey} }, models.CodeLaunchKeyNotFound},
		{"ErrPassword", func(r *cvm.RunInstancesRequest) {
			r.LoginSettings = &cvm.LoginSettings{Password: common.StringPtr("short")}
		}, models.CodeInvalidPassword},
		{"ErrKeepImageLogin", func(r *cvm.RunInstancesRequest) {
			r.LoginSettings = &cvm.LoginSettings{KeepImageLogin: common.StringPtr("TRUE")}
		}, models.CodeInvalidParameterValue},
		{"ErrDiskType", func(r *cvm.RunInstancesRequest) { r.SystemDisk.DiskType = common.StringPtr("SSD") }, models.CodeInvalidParameterValue},
		{"ErrDiskSize", func(r *cvm.RunInstancesRequest) { r.SystemDisk.DiskSize = common.Int64Ptr(5000) }, models.CodeRange},
		{"ErrInternet", func(r *cvm.RunInstancesRequest) {
			r.InternetAccessible.InternetMaxBandwidthOut = common.Int64Ptr(0)
		}, models.CodeParameterCombination},
		{"ErrHostName", func(r *cvm.RunInstancesRequest) { r.HostName = common.StringPtr("packer_6b0d") }, models.CodeIllegalHostName},
		{"ErrUserData", func(r *cvm.RunInstancesRequest) { r.UserData = common.StringPtr("%%%") }, models.CodeUserDataFormat},
		{"ErrTags", func(r *cvm.RunInstancesRequest) {
			r.TagSpecification[0].Tags = append(r.TagSpecification[0].Tags, r.TagSpecification[0].Tags[0])
		}, models.CodeDuplicateTags},
		{"ErrNameTooLong", func(r *cvm.RunInstancesRequest) {
			r.InstanceName = common.StringPtr(string(make([]byte, 0)) + fmt.Sprintf("%0129d", 0))
		}, models.CodeInstanceNameTooLong},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := packerRun(ubuntu, keyID, vpcID, subnetID, sgID)
			req.ClientToken = nil
			tc.mod(req)
			before := e.written(t) + fmt.Sprint(countRows(t, e.store, &models.InstanceSubnet{}), countRows(t, e.store, &models.InstanceKeyPair{}))
			_, err := c.RunInstances(req)
			wantCode(t, err, tc.code)
			if after := e.written(t) + fmt.Sprint(countRows(t, e.store, &models.InstanceSubnet{}), countRows(t, e.store, &models.InstanceKeyPair{})); after != before {
				t.Fatalf("a refused launch wrote: %s -> %s", before, after)
			}
		})
	}
}

// TestAPI_InstanceNames: the SDK's naming of several instances.
func TestAPI_InstanceNames(t *testing.T) {
	e := newEnv(t)
	c := e.client(t, e.user(t, "names@example.com"), opts{region: gz})
	ubuntu := e.commonImage(t, "Ubuntu", models.ArchX86)
	for _, tc := range []struct {
		name  string
		count int64
		want  string
	}{
		{"server_", 2, "[server_1 server_2]"},
		{"server_{R:3}", 2, "[server_3 server_4]"},
		{"server_{R:3}", 1, "[server_3]"},
		{fmt.Sprintf("%0128d", 0)[:120] + "-{R:1}", 1, "[" + fmt.Sprintf("%0128d", 0)[:120] + "-1]"},
	} {
		req := cvm.NewRunInstancesRequest()
		req.Placement = &cvm.Placement{Zone: common.StringPtr("ap-guangzhou-3")}
		req.InstanceType, req.ImageId, req.InstanceCount = common.StringPtr("S5.MEDIUM4"), &ubuntu, &tc.count
		req.InstanceName = &tc.name
		res, err := c.RunInstances(req)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		d := cvm.NewDescribeInstancesRequest()
		d.InstanceIds = res.Response.InstanceIdSet
		out, err := c.DescribeInstances(d)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, in := range out.Response.InstanceSet {
			names = append(names, *in.InstanceName)
		}
		slices.Sort(names)
		if got := fmt.Sprint(names); got != tc.want {
			t.Errorf("%q × %d: %s, want %s", tc.name, tc.count, got, tc.want)
		}
	}
}

// TestAPI_NewerSDKFields: a documented parameter the pinned SDK lacks is
// accepted and ignored; an unknown one is still refused.
func TestAPI_NewerSDKFields(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "node@example.com")
	ubuntu := e.commonImage(t, "Ubuntu", models.ArchX86)
	body := func(extra string) []byte {
		return []byte(`{"Placement":{"Zone":"ap-guangzhou-3"},"InstanceType":"S5.MEDIUM4","ImageId":"` + ubuntu + `",` + extra + `}`)
	}
	if r := e.rawRequest(t, u, "POST", "RunInstances", "", body(`"PartitionNumber":2`)); r.code() != "" {
		t.Fatalf("PartitionNumber: %s", r.body)
	}
	get := "Placement.Zone=ap-guangzhou-3&InstanceType=S5.MEDIUM4&ImageId=" + ubuntu
	if r := e.rawRequest(t, u, "GET", "RunInstances", get+"&PartitionNumber=2&NetworkInterfaces.0.SubnetId=x", nil); r.code() != "" {
		t.Fatalf("GET with PartitionNumber and NetworkInterfaces: %s", r.body)
	}
	before := e.written(t)
	if r := e.rawRequest(t, u, "GET", "RunInstances", get+"&Bogus=2", nil); r.code() != "UnknownParameter" {
		t.Fatalf("GET Bogus: %s", r.body)
	}
	if r := e.rawRequest(t, u, "POST", "RunInstances", "", body(`"Bogus":2`)); r.code() != "UnknownParameter" {
		t.Fatalf("Bogus: %s", r.body)
	}
	if after := e.written(t); after != before {
		t.Fatalf("a refused launch wrote: %s -> %s", before, after)
	}
}

// words spells values with spaces between them all.
func words(v ...any) string { return strings.TrimSuffix(fmt.Sprintln(v...), "\n") }

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
