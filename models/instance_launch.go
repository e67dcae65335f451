package models

import (
	"context"
	"sort"
	"strings"

	"gorm.io/gorm"
)

// MaxLaunchCount is the most instances one launch request may start (R9).
const MaxLaunchCount = 100

// MaxInstanceName bounds an instance name.
const MaxInstanceName = 60

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
		return LaunchPlan{}, Errorf(CodeInvalidRegionNotFound, "Region %s does not exist.", in.Region)
	}
	if !r.HasZone(in.Zone) {
		if _, elsewhere := RegionOfZone(in.Zone); elsewhere {
			return LaunchPlan{}, fieldErr("zone", CodeInvalidZoneMismatch, "Zone "+in.Zone+" is not in region "+r.ID+".")
		}
		return LaunchPlan{}, fieldErr("zone", CodeZoneNotSupported, "Zone "+in.Zone+" does not exist in "+r.ID+".")
	}
	if in.ChargeType != "" && in.ChargeType != ChargePostpaidByHour {
		return LaunchPlan{}, fieldErr("charge_type", CodeInvalidParameterValue, "Instance charge type "+quote(in.ChargeType)+" is not offered: use "+ChargePostpaidByHour+".")
	}
	it, ok := LookupInstanceType(in.InstanceType)
	if !ok {
		return LaunchPlan{}, fieldErr("instance_type", CodeInstanceTypeNotFound, "Instance type "+in.InstanceType+" does not exist.")
	}
	if in.Count < 1 || in.Count > MaxLaunchCount {
		return LaunchPlan{}, fieldErr("count", CodeRange, "Launch between 1 and 100 instances at a time.")
	}
	if len([]rune(in.Name)) > MaxInstanceName {
		return LaunchPlan{}, fieldErr("name", CodeInstanceNameTooLong, "Instance names have at most 60 characters.")
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
		limits, err := s.limitsFor(tx, a.AccountID)
		if err != nil {
			return err
		}
		name := in.Name
		if name == "" {
			name = "Unnamed"
		}
		for i := range in.Count {
			inst := Instance{ID: NewID("ins"), OwnerID: a.AccountID, Region: plan.Region.ID, Zone: in.Zone, Name: name,
				Type: plan.Type.Type, CPU: plan.Type.CPU, Memory: plan.Type.Memory, ImageID: plan.Image.ID, OsName: plan.Image.OsName,
				Platform: plan.Image.Platform, DiskGiB: plan.Image.SizeGiB, Arch: plan.Image.Arch, State: taskKinds[TaskInstanceLaunch].via, BillingKind: plan.Image.BillingKind, HourlyPrice: plan.Image.HourlyPrice,
				License: plan.Image.License, LatestOperation: "RunInstances", LatestOperationState: "OPERATING",
				ClientToken: in.ClientToken, CreatedAt: s.now(), QuotaLimit: limits.Instances}
			if in.Count > 1 && in.Name != "" {
				inst.Name = name + "-" + itoa(i+1)
			}
			if err := tx.Create(&inst).Error; err != nil {
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
			return Errorf(CodeDryRun, "The request would have succeeded; DryRun started nothing.")
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
