package models_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"imageconsole/models"
)

// launchNet is a VPC with two subnets (zones 3 and 4 of Guangzhou), a
// security group and a key pair of the fixture's account.
type launchNet struct {
	vpc, sub, sub4, sg, key string
}

func (f *fixture) mustLaunchNet(t *testing.T, a models.Actor, cidr string) launchNet {
	t.Helper()
	ctx := context.Background()
	vpc, err := f.s.CreateVPC(ctx, a, gz, models.VPCInput{Name: "build", CIDR: cidr + ".0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := f.s.CreateSubnet(ctx, a, gz, models.SubnetInput{VpcID: vpc.ID, Name: "s3", CIDR: cidr + ".1.0/28", Zone: "ap-guangzhou-3"})
	if err != nil {
		t.Fatal(err)
	}
	sub4, err := f.s.CreateSubnet(ctx, a, gz, models.SubnetInput{VpcID: vpc.ID, Name: "s4", CIDR: cidr + ".2.0/24", Zone: "ap-guangzhou-4"})
	if err != nil {
		t.Fatal(err)
	}
	sg, err := f.s.CreateSecurityGroup(ctx, a, gz, models.SecurityGroupInput{Name: "build"})
	if err != nil {
		t.Fatal(err)
	}
	kp, _, err := f.s.CreateKeyPair(ctx, a, gz, models.KeyPairInput{Name: "build_" + strings.ReplaceAll(cidr, ".", "_")})
	if err != nil {
		t.Fatal(err)
	}
	return launchNet{vpc: vpc.ID, sub: sub.ID, sub4: sub4.ID, sg: sg.ID, key: kp.ID}
}

// launchRows are the rows a launch writes, to show that a refusal wrote
// nothing.
func (f *fixture) launchRows(t *testing.T) string {
	t.Helper()
	var out []string
	for _, m := range []any{&models.Instance{}, &models.InstanceSubnet{}, &models.InstanceSecurityGroup{},
		&models.InstanceKeyPair{}, &models.Task{}} {
		var n int64
		if err := f.s.DB().Model(m).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprint(n))
	}
	return strings.Join(out, "/")
}

func TestStore_RunInstancesOptions(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	ubuntu := f.commonImage(t, "Ubuntu", models.ArchX86)
	windows := f.commonImage(t, "Windows", models.ArchX86)
	net := f.mustLaunchNet(t, f.a, "10.0")
	other := f.mustActor(t, "other@example.com")
	theirs := f.mustLaunchNet(t, other, "10.1")
	base := func(mod func(in *models.LaunchInput)) models.LaunchInput {
		in := models.LaunchInput{Region: gz, Zone: "ap-guangzhou-3", InstanceType: "S5.MEDIUM4", ImageID: ubuntu.ID, Count: 1, Name: "build"}
		in.VpcID, in.SubnetID = net.vpc, net.sub
		mod(&in)
		return in
	}
	yes, no := true, false

	t.Run("OK", func(t *testing.T) {
		in := base(func(in *models.LaunchInput) {
			in.Count, in.Name, in.HostName = 2, "server_{R:3}", "web-{R:7}"
			in.SecurityGroupIDs, in.KeyIDs = []string{net.sg}, []string{net.key}
			in.SystemDiskType, in.SystemDiskGiB = "CLOUD_SSD", 60
			in.DataDisks = []models.DataDiskInput{{Type: "CLOUD_PREMIUM", SizeGiB: 100, DeleteWithInstance: &no}}
			in.BandwidthOut, in.InternetChargeType = 5, "BANDWIDTH_POSTPAID_BY_HOUR"
			in.UserData = base64.StdEncoding.EncodeToString([]byte("#!/bin/sh\necho hi\n"))
			in.TagSpecs = []models.TagSpec{{ResourceType: "instance", Tags: []models.Tag{{Key: "built-by", Value: "packer"}}}}
			in.DisableAPITermination, in.Enhanced = true, models.EnhancedService{Security: true}
			in.ProjectID = 7
		})
		ids, err := f.s.RunInstances(ctx, models.Actor{AccountID: f.a.AccountID, RequestID: "req-1"}, in)
		if err != nil || len(ids) != 2 {
			t.Fatalf("launch: %v %v", ids, err)
		}
		var names, hosts, ips []string
		for _, id := range ids {
			got, err := f.s.Instance(ctx, f.a.AccountID, id)
			if err != nil {
				t.Fatal(err)
			}
			names, hosts, ips = append(names, got.Name), append(hosts, got.HostName), append(ips, got.Network.PrivateIP)
			disks := got.InstanceDataDisks()
			switch {
			case got.Network.VpcID != net.vpc || got.Network.SubnetID != net.sub:
				t.Errorf("network %+v", got.Network)
			case fmt.Sprint(got.Network.SecurityGroupIDs) != "["+net.sg+"]" || fmt.Sprint(got.Network.KeyIDs) != "["+net.key+"]":
				t.Errorf("groups/keys %+v", got.Network)
			case got.SystemDiskType != "CLOUD_SSD" || got.DiskGiB != 60 || !models.ValidID("disk", got.SystemDiskID):
				t.Errorf("system disk %s %d %s", got.SystemDiskType, got.DiskGiB, got.SystemDiskID)
			case len(disks) != 1 || disks[0].SizeGiB != 100 || disks[0].DeleteWithInstance || !models.ValidID("disk", disks[0].ID):
				t.Errorf("data disks %+v", disks)
			case got.PublicIP == "" || got.BandwidthOut != 5 || got.InternetChargeType != "BANDWIDTH_POSTPAID_BY_HOUR":
				t.Errorf("internet %q %d %s", got.PublicIP, got.BandwidthOut, got.InternetChargeType)
			case len(got.UUID) != 36 || got.ProjectID != 7 || got.LatestOperationRequestID != "req-1":
				t.Errorf("uuid %q project %d request %q", got.UUID, got.ProjectID, got.LatestOperationRequestID)
			case !got.DisableAPITermination || !got.SecurityService || got.MonitorService:
				t.Errorf("protection %v security %v monitor %v", got.DisableAPITermination, got.SecurityService, got.MonitorService)
			case fmt.Sprint(got.InstanceTags()) != "[{built-by packer}]":
				t.Errorf("tags %v", got.InstanceTags())
			}
		}
		sort.Strings(names)
		sort.Strings(hosts)
		sort.Strings(ips)
		if fmt.Sprint(names) != "[server_3 server_4]" || fmt.Sprint(hosts) != "[web-7 web-8]" || fmt.Sprint(ips) != "[10.0.1.2 10.0.1.3]" {
			t.Errorf("names %v hosts %v ips %v", names, hosts, ips)
		}
		// In use: the subnet, group, key and VPC cannot be deleted.
		f.refused(t, models.CodeResourceInUse, func() error { return f.s.DeleteSubnet(ctx, f.a, gz, net.sub) })
		f.refused(t, models.CodeResourceInUse, func() error { return f.s.DeleteSecurityGroup(ctx, f.a, gz, net.sg) })
		f.refused(t, models.CodeKeyPairInUse, func() error { return f.s.DeleteKeyPairs(ctx, f.a, gz, []string{net.key}) })
		f.refused(t, models.CodeResourceInUse, func() error { return f.s.DeleteVPC(ctx, f.a, gz, net.vpc) })
		// Protected: TerminateInstances is refused, nothing changes.
		f.drain(t)
		before := f.launchRows(t)
		wantCode(t, f.s.TerminateInstances(ctx, f.a, ids), models.CodeInstancesProtected)
		if after := f.launchRows(t); after != before {
			t.Fatalf("a refused termination wrote rows: %s -> %s", before, after)
		}
		if got, _ := f.s.Instance(ctx, f.a.AccountID, ids[0]); got.State != models.InstanceRunning {
			t.Fatalf("state %s after a refused termination", got.State)
		}
		if err := f.s.DB().Model(&models.Instance{}).Where("id IN ?", ids).Update("disable_api_termination", false).Error; err != nil {
			t.Fatal(err)
		}
		if err := f.s.TerminateInstances(ctx, f.a, ids); err != nil {
			t.Fatal(err)
		}
		f.drain(t)
		// Gone: the joins are released, the subnet can go.
		if err := f.s.DeleteSubnet(ctx, f.a, gz, net.sub); err != nil {
			t.Fatalf("delete subnet after termination: %v", err)
		}
		if err := f.s.DeleteKeyPairs(ctx, f.a, gz, []string{net.key}); err != nil {
			t.Fatalf("delete key after termination: %v", err)
		}
	})

	net = f.mustLaunchNet(t, f.a, "10.2")
	t.Run("Defaults", func(t *testing.T) {
		ids, err := f.s.RunInstances(ctx, f.a, base(func(in *models.LaunchInput) { in.DefaultEnhanced = true }))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := f.s.Instance(ctx, f.a.AccountID, ids[0])
		want := max(ubuntu.SizeGiB, 20)
		if got.SystemDiskType != models.DefaultDiskType || got.DiskGiB != want || got.PublicIP != "" ||
			got.InternetChargeType != models.DefaultInternetType || got.HostName != "VM-1-2-ubuntu" ||
			!got.SecurityService || !got.MonitorService || len(got.InstanceDataDisks()) != 0 {
			t.Errorf("defaults %+v", got)
		}
	})

	long := strings.Repeat("a", 129)
	for _, tc := range []struct {
		name string
		in   models.LaunchInput
		code string
	}{
		{"ErrNameTooLong", base(func(in *models.LaunchInput) { in.Name = long }), models.CodeInstanceNameTooLong},
		{"ErrVpcMalformed", base(func(in *models.LaunchInput) { in.VpcID = "vpc-x" }), models.CodeVpcIDMalformed},
		{"ErrVpcNotExist", base(func(in *models.LaunchInput) { in.VpcID = theirs.vpc }), models.CodeVpcIDNotExist},
		{"ErrSubnetMissing", base(func(in *models.LaunchInput) { in.SubnetID = "" }), models.CodeMissingParameter},
		{"ErrSubnetMalformed", base(func(in *models.LaunchInput) { in.SubnetID = "subnet-1" }), models.CodeSubnetIDMalformed},
		{"ErrSubnetNotExist", base(func(in *models.LaunchInput) { in.SubnetID = theirs.sub }), models.CodeSubnetNotExist},
		{"ErrSubnetOtherVpc", base(func(in *models.LaunchInput) { in.VpcID = f.mustLaunchNet(t, f.a, "10.3").vpc }), models.CodeVpcSubnetNotMatch},
		{"ErrSubnetZone", base(func(in *models.LaunchInput) { in.SubnetID = net.sub4 }), models.CodeSubnetZoneNotMatch},
		{"ErrSubnetFull", base(func(in *models.LaunchInput) { in.Count = 13 }), models.CodeSubnetFull}, // 13 addresses, one taken
		{"ErrGroupNotFound", base(func(in *models.LaunchInput) { in.SecurityGroupIDs = []string{theirs.sg} }), models.CodeSgIDNotFound},
		{"ErrGroupMalformed", base(func(in *models.LaunchInput) { in.SecurityGroupIDs = []string{"sg-"} }), models.CodeSgIDMalformed},
		{"ErrKeyNotFound", base(func(in *models.LaunchInput) { in.KeyIDs = []string{theirs.key} }), models.CodeLaunchKeyNotFound},
		{"ErrKeyWindows", base(func(in *models.LaunchInput) { in.ImageID, in.KeyIDs = windows.ID, []string{net.key} }), models.CodeKeyPairOnWindows},
		{"ErrPasswordAndKey", base(func(in *models.LaunchInput) { in.Password, in.KeyIDs = "Passw0rd!x", []string{net.key} }), models.CodeParameterCombination},
		{"ErrPasswordWeak", base(func(in *models.LaunchInput) { in.Password = "password" }), models.CodeInvalidPassword},
		{"ErrPasswordWindowsShort", base(func(in *models.LaunchInput) { in.ImageID, in.Password = windows.ID, "Passw0rd!" }), models.CodeInvalidPassword},
		{"ErrKeepImageLoginValue", base(func(in *models.LaunchInput) { in.KeepImageLogin = "yes" }), models.CodeInvalidParameterValue},
		{"ErrKeepImageLoginPublic", base(func(in *models.LaunchInput) { in.KeepImageLogin = "true" }), models.CodeInvalidParameterValue},
		{"ErrDiskType", base(func(in *models.LaunchInput) { in.SystemDiskType = "LOCAL_BASIC" }), models.CodeInvalidParameterValue},
		{"ErrSystemDiskSmall", base(func(in *models.LaunchInput) { in.SystemDiskGiB = 10 }), models.CodeRange},
		{"ErrSystemDiskLarge", base(func(in *models.LaunchInput) { in.SystemDiskGiB = 4096 }), models.CodeRange},
		{"ErrDataDiskStep", base(func(in *models.LaunchInput) { in.DataDisks = []models.DataDiskInput{{SizeGiB: 15}} }), models.CodeRange},
		{"ErrDataDiskSSD", base(func(in *models.LaunchInput) { in.DataDisks = []models.DataDiskInput{{Type: "CLOUD_SSD", SizeGiB: 10}} }), models.CodeCloudSsdTooSmall},
		{"ErrSnapshotMalformed", base(func(in *models.LaunchInput) {
			in.DataDisks = []models.DataDiskInput{{SizeGiB: 50, SnapshotID: "snap"}}
		}), models.CodeSnapshotIDMalformed},
		{"ErrInternetType", base(func(in *models.LaunchInput) { in.InternetChargeType = "BANDWIDTH_PREPAID" }), models.CodeInvalidParameterValue},
		{"ErrBandwidthPackage", base(func(in *models.LaunchInput) { in.BandwidthPackageID = "bwp-12345678" }), models.CodeBandwidthPackage},
		{"ErrBandwidth", base(func(in *models.LaunchInput) { in.BandwidthOut = 101 }), models.CodeRange},
		{"ErrPublicIPWithoutBandwidth", base(func(in *models.LaunchInput) { in.PublicIPAssigned = &yes }), models.CodeParameterCombination},
		{"ErrHostName", base(func(in *models.LaunchInput) { in.HostName = "web..1" }), models.CodeIllegalHostName},
		{"ErrHostNameWindows", base(func(in *models.LaunchInput) { in.ImageID, in.HostName = windows.ID, "1234" }), models.CodeIllegalHostName},
		{"ErrUserData", base(func(in *models.LaunchInput) { in.UserData = "not base64!" }), models.CodeUserDataFormat},
		{"ErrUserDataSize", base(func(in *models.LaunchInput) { in.UserData = strings.Repeat("A", 16<<10+4) }), models.CodeTooLarge},
		{"ErrTagDuplicate", base(func(in *models.LaunchInput) {
			in.TagSpecs = []models.TagSpec{{ResourceType: "instance", Tags: []models.Tag{{Key: "a"}, {Key: "a"}}}}
		}), models.CodeDuplicateTags},
		{"ErrTagReserved", base(func(in *models.LaunchInput) {
			in.TagSpecs = []models.TagSpec{{ResourceType: "instance", Tags: []models.Tag{{Key: "qcloud:x"}}}}
		}), models.CodeTagKeyReserved},
		{"ErrTagKey", base(func(in *models.LaunchInput) {
			in.TagSpecs = []models.TagSpec{{ResourceType: "instance", Tags: []models.Tag{{Key: "a#b"}}}}
		}), models.CodeIllegalTagKey},
		{"ErrTagResource", base(func(in *models.LaunchInput) { in.TagSpecs = []models.TagSpec{{ResourceType: "image"}} }), models.CodeInvalidParameterValue},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := f.launchRows(t)
			_, err := f.s.RunInstances(ctx, f.a, tc.in)
			wantCode(t, err, tc.code)
			if after := f.launchRows(t); after != before {
				t.Fatalf("a refused launch wrote rows: %s -> %s", before, after)
			}
		})
	}
}

// Key pairs change on STOPPED instances, or RUNNING ones with ForceStop;
// binding replaces the keys bound before.
func TestStore_InstanceKeyPairs(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	net := f.mustLaunchNet(t, f.a, "10.0")
	kp2, _, err := f.s.CreateKeyPair(ctx, f.a, gz, models.KeyPairInput{Name: "second"})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := f.s.RunInstances(ctx, f.a, models.LaunchInput{Region: gz, Zone: "ap-guangzhou-3", InstanceType: "S5.MEDIUM4",
		ImageID: f.commonImage(t, "Ubuntu", models.ArchX86).ID, Count: 1, LaunchOptions: models.LaunchOptions{KeyIDs: []string{net.key}}})
	if err != nil {
		t.Fatal(err)
	}
	keys := func() string {
		in, err := f.s.Instance(ctx, f.a.AccountID, ids[0])
		if err != nil {
			t.Fatal(err)
		}
		return in.State + fmt.Sprint(in.Network.KeyIDs)
	}
	f.refused(t, "UnsupportedOperation.InstanceStatePending", func() error {
		return f.s.DisassociateInstancesKeyPairs(ctx, f.a, gz, []string{net.key}, ids, true)
	})
	f.drain(t)
	f.refused(t, "UnsupportedOperation.InstanceStateRunning", func() error {
		return f.s.DisassociateInstancesKeyPairs(ctx, f.a, gz, []string{net.key}, ids, false)
	})
	if err := f.s.DisassociateInstancesKeyPairs(ctx, f.a, gz, []string{net.key}, ids, true); err != nil {
		t.Fatal(err)
	}
	if got := keys(); got != "RUNNING[]" {
		t.Fatalf("after a forced unbind: %s", got)
	}
	if err := f.s.StopInstances(ctx, f.a, ids); err != nil {
		t.Fatal(err)
	}
	f.drain(t)
	if err := f.s.AssociateInstancesKeyPairs(ctx, f.a, gz, []string{net.key}, ids, false); err != nil {
		t.Fatal(err)
	}
	if err := f.s.AssociateInstancesKeyPairs(ctx, f.a, gz, []string{kp2.ID}, ids, false); err != nil {
		t.Fatal(err)
	}
	if got := keys(); got != "STOPPED["+kp2.ID+"]" {
		t.Fatalf("after binding a second key: %s, want only %s", got, kp2.ID)
	}
}

// Launches at once into one subnet each get an address of their own.
func TestStore_RunInstancesPrivateIPsConcurrent(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	net := f.mustLaunchNet(t, f.a, "10.0")
	img := f.commonImage(t, "Ubuntu", models.ArchX86).ID
	const n = 8
	errs := make(chan error, n)
	for range n {
		go func() {
			_, err := f.s.RunInstances(ctx, f.a, models.LaunchInput{Region: gz, Zone: "ap-guangzhou-3", InstanceType: "S5.MEDIUM4",
				ImageID: img, Count: 1, LaunchOptions: models.LaunchOptions{VpcID: net.vpc, SubnetID: net.sub}})
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	var ips []string
	if err := f.s.DB().Model(&models.InstanceSubnet{}).Where("subnet_id = ?", net.sub).Distinct().Pluck("private_ip", &ips).Error; err != nil {
		t.Fatal(err)
	}
	if len(ips) != n {
		t.Fatalf("%d distinct addresses for %d instances: %v", len(ips), n, ips)
	}
}

// A launch that failed for good says so in LatestOperationErrorMsg; the
// next operation clears it.
func TestStore_LatestOperationErrorMsg(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	ids, err := f.s.RunInstances(ctx, f.a, models.LaunchInput{Region: gz, Zone: "ap-guangzhou-3",
		InstanceType: "S5.SMALL2", ImageID: f.commonImage(t, "Ubuntu", models.ArchX86).ID, Count: 1})
	if err != nil {
		t.Fatal(err)
	}
	failing := models.FailingWorker(f.s)
	for n, _ := f.s.PendingTasks(ctx); n > 0; n, _ = f.s.PendingTasks(ctx) {
		f.clock.Advance(2 * time.Minute)
		failing.RunDue(ctx)
	}
	in, _ := f.s.Instance(ctx, f.a.AccountID, ids[0])
	if in.State != models.InstanceLaunchFailed || in.LatestOperationState != "FAILED" || in.LatestOperationErrorMsg == "" {
		t.Fatalf("state %s/%s, message %q", in.State, in.LatestOperationState, in.LatestOperationErrorMsg)
	}
	if err := f.s.TerminateInstances(ctx, models.Actor{AccountID: f.a.AccountID, RequestID: "req-2"}, ids); err != nil {
		t.Fatal(err)
	}
	in, _ = f.s.Instance(ctx, f.a.AccountID, ids[0])
	if in.LatestOperationErrorMsg != "" || in.LatestOperationRequestID != "req-2" {
		t.Fatalf("after TerminateInstances: message %q request %q", in.LatestOperationErrorMsg, in.LatestOperationRequestID)
	}
}
