package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strings"

	"gorm.io/gorm"
)

// MaxLaunchCount is the most instances one launch request may start (R9).
const MaxLaunchCount = 100

// ChargePostpaidByHour is the one billing mode offered: by the hour, after use.
const ChargePostpaidByHour = "POSTPAID_BY_HOUR"

// LaunchInput is a request to start instances from an image.
type LaunchInput struct {
	Region, Zone, InstanceType, ImageID, Name string
	Count                                     int
	// ChargeType is how the instances are billed; "" is ChargePostpaidByHour.
	ChargeType string
	// ClientToken makes a launch idempotent: the same token returns the
	// instances the first request started.
	ClientToken string
	DryRun      bool
	// AcknowledgeShared says the user accepted the plan's Warning: a
	// launch from a shared image is refused without it.
	AcknowledgeShared bool
	// Enhanced is the optional built-in security components to install
	// (RunInstances' EnhancedService; the launch wizard's checkboxes).
	Enhanced EnhancedService
	// LaunchOptions is the rest of what RunInstances may ask: network,
	// login, disks, public address, host name, user data, tags, protection.
	LaunchOptions
}

// EnhancedService is the optional built-in components an instance runs:
// the security hardening agent (Cloud Workload Protection) and the
// monitoring agent (Cloud Monitor).
type EnhancedService struct {
	Security bool
	Monitor  bool
}

// LaunchPlan is a validated launch: where, what and for how much.
type LaunchPlan struct {
	Region Region
	Type   InstanceType
	Image  *Image
	Quote  Quote
	// Warning is the risk to accept before launching, nil if none.
	Warning *LaunchWarning
}

// planLaunch checks everything about a launch except the instance quota.
func (s *InstanceStore) planLaunch(tx *gorm.DB, accountID string, in LaunchInput) (LaunchPlan, error) {
	r, ok := LookupRegion(in.Region)
	if !ok {
		return LaunchPlan{}, E(CodeInvalidRegionNotFound, "err.instances.region_not_found", "Region", in.Region)
	}
	if !r.HasZone(in.Zone) {
		if _, elsewhere := RegionOfZone(in.Zone); elsewhere {
			return LaunchPlan{}, FieldE("zone", CodeInvalidZoneMismatch, "err.instances.zone_mismatch", "Zone", in.Zone, "Region", r.ID)
		}
		return LaunchPlan{}, FieldE("zone", CodeZoneNotSupported, "err.instances.zone_not_found", "Zone", in.Zone, "Region", r.ID)
	}
	if in.ChargeType != "" && in.ChargeType != ChargePostpaidByHour {
		return LaunchPlan{}, FieldE("charge_type", CodeInvalidParameterValue, "err.instances.charge_type", "Type", quote(in.ChargeType), "Offered", ChargePostpaidByHour)
	}
	it, ok := LookupInstanceType(in.InstanceType)
	if !ok {
		return LaunchPlan{}, FieldE("instance_type", CodeInstanceTypeNotFound, "err.instances.type_not_found", "Type", in.InstanceType)
	}
	if in.Count < 1 || in.Count > MaxLaunchCount {
		return LaunchPlan{}, FieldE("count", CodeRange, "err.instances.count")
	}
	if err := checkInstanceName(in.Name); err != nil {
		return LaunchPlan{}, err
	}
	img, err := installableImage(tx, accountID, r.ID, it, in.ImageID, "instance_type")
	if err != nil {
		return LaunchPlan{}, err
	}
	return LaunchPlan{Region: r, Type: it, Image: img, Quote: s.Pricing.Quote(img, r, it, in.Count), Warning: img.SharedWarning()}, nil
}

// QuoteLaunch prices a launch without starting anything (the wizard's
// breakdown and InquiryPriceRunInstances), with the warning the launch will
// need accepted. It does not ask for the acknowledgement itself.
func (s *InstanceStore) QuoteLaunch(ctx context.Context, accountID string, in LaunchInput) (LaunchPlan, error) {
	return s.planLaunch(s.db.WithContext(ctx), accountID, in)
}

// RunInstances starts Count instances, all or none (R9). A launch whose
// plan carries a Warning needs in.AcknowledgeShared.
func (s *InstanceStore) RunInstances(ctx context.Context, a Actor, in LaunchInput) ([]string, error) {
	in.Name = strings.TrimSpace(cleanText(in.Name))
	var ids []string
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if in.ClientToken != "" {
			// Launches of one account and region take turns while a token is
			// checked, so two replicas given the same token start one set.
			if err := lockInstanceCounter(tx, a.AccountID, in.Region); err != nil {
				return err
			}
			var prior []Instance
			if err := tx.Where("owner_id = ? AND client_token = ?", a.AccountID, in.ClientToken).Order("id").Find(&prior).Error; err != nil {
				return err
			}
			if len(prior) > 0 {
				for _, p := range prior {
					ids = append(ids, p.ID)
				}
				return nil
			}
		}
		plan, err := s.planLaunch(tx, a.AccountID, in)
		if err != nil {
			return err
		}
		if plan.Warning != nil && !in.AcknowledgeShared {
			return errNotAcknowledged(plan.Image)
		}
		set, err := in.settle(plan.Image, in.Enhanced)
		if err != nil {
			return err
		}
		limits, err := s.limitsFor(tx, a.AccountID)
		if err != nil {
			return err
		}
		for i := range in.Count {
			inst := s.newInstance(a, in, plan, set, i)
			inst.QuotaLimit = limits.Instances
			if err := tx.Create(inst).Error; err != nil {
				return err
			}
			if err := placeInstance(tx, a, inst, in, i); err != nil {
				return err
			}
			if err := s.enqueue(tx, TaskInstanceLaunch, inst.ID, s.stepDelay(TaskInstanceLaunch, 1), ""); err != nil {
				return err
			}
			ids = append(ids, inst.ID)
		}
		if err := recordMarketLaunches(tx, plan.Image, ids, s.now()); err != nil {
			return err
		}
		if in.DryRun {
			return E(CodeDryRun, "err.instances.dry_run")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Sorted, so a repeated ClientToken answers with the very same list.
	sort.Strings(ids)
	return ids, nil
}

// newInstance is the i-th instance of a launch, not yet written.
func (s *InstanceStore) newInstance(a Actor, in LaunchInput, plan LaunchPlan, set launchSettings, i int) *Instance {
	name := LaunchName(in.Name, i, in.Count, "")
	if in.Name == "" {
		name = "Unnamed"
	}
	disks := set.dataDisks
	if len(disks) > 0 { // every instance has disks of its own
		disks = make([]DataDisk, len(set.dataDisks))
		for j, d := range set.dataDisks {
			d.ID = NewID("disk")
			disks[j] = d
		}
	}
	dataDisks, _ := json.Marshal(disks)
	systemDiskID := set.systemDiskID
	if i > 0 {
		systemDiskID = NewID("disk")
	}
	return &Instance{ID: NewID("ins"), OwnerID: a.AccountID, Region: plan.Region.ID, Zone: in.Zone, Name: name,
		Type: plan.Type.Type, CPU: plan.Type.CPU, Memory: plan.Type.Memory, ImageID: plan.Image.ID, OsName: plan.Image.OsName,
		Platform: plan.Image.Platform, DiskGiB: set.systemDiskGiB, Arch: plan.Image.Arch, State: taskKinds[TaskInstanceLaunch].via,
		BillingKind: plan.Image.BillingKind, HourlyPrice: plan.Image.HourlyPrice, License: plan.Image.License,
		LatestOperation: "RunInstances", LatestOperationState: "OPERATING", LatestOperationRequestID: a.RequestID,
		ClientToken: in.ClientToken, CreatedAt: s.now(), UUID: newUUID(), ProjectID: in.ProjectID,
		SystemDiskType: set.systemDiskType, SystemDiskID: systemDiskID, DataDisks: string(dataDisks),
		InternetChargeType: set.internetType, BandwidthOut: set.bandwidth, UserData: in.UserData, Tags: set.tags,
		CamRoleName: in.CamRoleName, PasswordSet: in.Password != "", KeepImageLogin: set.keepImageLogin,
		DisableAPITermination: in.DisableAPITermination, SecurityService: set.enhanced.Security, MonitorService: set.enhanced.Monitor}
}

// placeInstance writes what a new instance uses, in the launch's
// transaction: its subnet and private address, its security groups and
// key pairs (the joins that keep them from being deleted under it), then
// its public address and host name.
func placeInstance(tx *gorm.DB, a Actor, inst *Instance, in LaunchInput, i int) error {
	if in.VpcID != "" || in.SubnetID != "" {
		if err := launchSubnet(tx, a, inst, in.VpcID, in.SubnetID); err != nil {
			return err
		}
	}
	if err := attachSecurityGroupsAs(tx, a, inst, in.SecurityGroupIDs, launchRefSecurityGroup); err != nil {
		return err
	}
	for _, id := range dedupe(in.KeyIDs) {
		kp, err := own[KeyPair](tx, a, inst.Region, launchRefKeyPair, id)
		if err != nil {
			return err
		}
		if err := tx.Save(&InstanceKeyPair{InstanceID: inst.ID, KeyID: kp.ID}).Error; err != nil {
			return err
		}
	}
	set := map[string]any{}
	if ip, err := publicIP(tx, in, inst); err != nil {
		return err
	} else if ip != "" {
		set["public_ip"] = ip
	}
	host := LaunchName(in.HostName, i, in.Count, inst.Network.PrivateIP)
	if in.HostName == "" {
		host = defaultHostName(inst)
	}
	if err := checkHostName(host, inst.Platform == "Windows"); err != nil {
		return err
	}
	set["host_name"] = host
	return tx.Model(inst).Updates(set).Error
}

// defaultHostName is the cloud's: VM-<the address's last two numbers>-<os>,
// or VM-<the instance's ID> without an address.
func defaultHostName(inst *Instance) string {
	os := strings.ToLower(inst.Platform)
	if os == "windows" || os == "" || os == "other" {
		os = ""
	}
	base := "VM-" + strings.TrimPrefix(inst.ID, "ins-")
	if ip := inst.Network.PrivateIP; ip != "" {
		parts := strings.Split(ip, ".")
		base = "VM-" + parts[2] + "-" + parts[3]
	}
	if os != "" {
		base += "-" + os
	}
	if inst.Platform == "Windows" && len(base) > maxWindowsHostName {
		base = base[:maxWindowsHostName]
	}
	return base
}

// newUUID is a random (version 4) UUID: the instance's global ID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
