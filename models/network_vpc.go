package models

import (
	"context"
	"net/netip"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Codes of the VPC product, as its SDK spells them.
const (
	CodeMalformed      = "InvalidParameterValue.Malformed"
	CodeSubnetRange    = "InvalidParameterValue.SubnetRange"
	CodeSubnetConflict = "InvalidParameterValue.SubnetConflict"
	CodeZoneConflict   = "InvalidParameterValue.ZoneConflict"
	CodeNameTooLong    = "InvalidParameterValue.TooLong"
	CodeResourceInUse  = "ResourceInUse"
	CodeVpcLimit       = "VpcLimitExceeded"
	CodeSubnetLimit    = "LimitExceeded"
)

// Network limits, the cloud's defaults.
const (
	MaxVPCs          = 20  // per account per region
	MaxSubnetsPerVPC = 100 // per VPC
	maxNetworkName   = 60  // VPC, subnet and security group names, in characters
	vpcMinPrefix     = 12  // the widest VPC block, /12
	networkMaxPrefix = 28  // the narrowest VPC or subnet block, /28
)

// privateBlocks are the RFC 1918 ranges a VPC's CIDR must lie in.
var privateBlocks = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
}

// parseCIDR reads an IPv4 block written in its canonical form (the
// network address, no host bits).
func parseCIDR(field, s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil || !p.Addr().Is4() || p != p.Masked() {
		return netip.Prefix{}, FieldE(field, CodeMalformed, "err.network.cidr_malformed", "CIDR", quote(s))
	}
	return p, nil
}

// checkNetworkName validates a VPC, subnet or security group name.
func checkNetworkName(field, name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return FieldE(field, CodeMissingParameter, "err.network.name_empty")
	case utf8.RuneCountInString(name) > maxNetworkName:
		return FieldE(field, CodeNameTooLong, "err.network.name_too_long", "Max", maxNetworkName)
	}
	return nil
}

// ownVPC loads a VPC of the account in the region.
func ownVPC(tx *gorm.DB, a Actor, region, id string) (*VPC, error) {
	return own[VPC](tx, a, region, refVPC, id)
}

// ownSubnet loads a subnet of the account in the region.
func ownSubnet(tx *gorm.DB, a Actor, region, id string) (*Subnet, error) {
	return own[Subnet](tx, a, region, refSubnet, id)
}

// VPCInput is a new VPC.
type VPCInput struct {
	Name string
	CIDR string
}

// CreateVPC creates a VPC. Its block must be private (RFC 1918) and
// between /12 and /28; an account holds at most MaxVPCs per region.
func (s *NetworkStore) CreateVPC(ctx context.Context, a Actor, region string, in VPCInput) (*VPC, error) {
	if err := checkNetworkName("name", in.Name); err != nil {
		return nil, err
	}
	p, err := parseCIDR("cidr_block", in.CIDR)
	if err != nil {
		return nil, err
	}
	private := false
	for _, b := range privateBlocks {
		private = private || (b.Contains(p.Addr()) && p.Bits() >= b.Bits())
	}
	if !private || p.Bits() < vpcMinPrefix || p.Bits() > networkMaxPrefix {
		return nil, FieldE("cidr_block", CodeRange, "err.network.vpc_cidr_range")
	}
	vpc := &VPC{ID: NewID("vpc"), OwnerID: a.AccountID, Region: region, Name: cleanText(in.Name), CIDR: p.String(), CreatedAt: s.now()}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		return createWithin(tx, a, region, &VPC{}, MaxVPCs,
			E(CodeVpcLimit, "err.network.vpc_limit", "Max", MaxVPCs), vpc)
	})
	if err != nil {
		return nil, err
	}
	return vpc, nil
}

// DeleteVPC deletes an empty VPC: one that still has subnets is refused
// (ResourceInUse).
func (s *NetworkStore) DeleteVPC(ctx context.Context, a Actor, region, id string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		vpc, err := ownVPC(forUpdate(tx), a, region, id)
		if err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&Subnet{}).Where("vpc_id = ?", vpc.ID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return E(CodeResourceInUse, "err.network.vpc_has_subnets", "ID", vpc.ID, "Count", n)
		}
		return tx.Delete(vpc).Error
	})
}

// VPCs lists the account's VPCs in the region, oldest first, and how many
// match. Filters: vpc-id, vpc-name, cidr-block.
func (s *NetworkStore) VPCs(ctx context.Context, a Actor, region string, q NetworkQuery) ([]VPC, int64, error) {
	var out []VPC
	var total int64
	err := s.tx(ctx, func(tx *gorm.DB) error {
		base, err := q.filtered(tx.Model(&VPC{}).Where("owner_id = ? AND region = ?", a.AccountID, region),
			map[string]string{"vpc-id": "id", "vpc-name": "name", "cidr-block": "cidr_block"})
		if err != nil {
			return err
		}
		if err := base.Session(&gorm.Session{}).Count(&total).Error; err != nil {
			return err
		}
		paged, err := q.page(base)
		if err != nil {
			return err
		}
		return paged.Order("created_at, id").Find(&out).Error
	})
	return out, total, err
}

// VPC returns one VPC of the account with its subnets.
func (s *NetworkStore) VPC(ctx context.Context, a Actor, region, id string) (*VPC, []Subnet, error) {
	var vpc *VPC
	var subnets []Subnet
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if vpc, err = ownVPC(tx, a, region, id); err != nil {
			return err
		}
		return tx.Where("vpc_id = ?", vpc.ID).Order("created_at, id").Find(&subnets).Error
	})
	return vpc, subnets, err
}

// SubnetInput is a new subnet.
type SubnetInput struct {
	VpcID string
	Name  string
	CIDR  string
	Zone  string
}

// CreateSubnet creates a subnet in a VPC: its block lies inside the VPC's
// (no wider than it, no narrower than /28), overlaps no sibling's, and its
// zone belongs to the region.
func (s *NetworkStore) CreateSubnet(ctx context.Context, a Actor, region string, in SubnetInput) (*Subnet, error) {
	if err := checkNetworkName("name", in.Name); err != nil {
		return nil, err
	}
	p, err := parseCIDR("cidr_block", in.CIDR)
	if err != nil {
		return nil, err
	}
	if r, _ := LookupRegion(region); !r.HasZone(in.Zone) {
		return nil, FieldE("zone", CodeZoneConflict, "err.network.subnet_zone", "Zone", quote(in.Zone), "Region", region)
	}
	sub := &Subnet{ID: NewID("subnet"), OwnerID: a.AccountID, Region: region, Zone: in.Zone, Name: cleanText(in.Name),
		CIDR: p.String(), CreatedAt: s.now()}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		// The VPC's lock queues concurrent subnets of one VPC, so that two
		// overlapping blocks cannot both pass the check.
		vpc, err := ownVPC(forUpdate(tx), a, region, in.VpcID)
		if err != nil {
			return err
		}
		sub.VpcID = vpc.ID
		block := netip.MustParsePrefix(vpc.CIDR)
		if !block.Contains(p.Addr()) || p.Bits() < block.Bits() || p.Bits() > networkMaxPrefix {
			return FieldE("cidr_block", CodeSubnetRange, "err.network.subnet_range", "CIDR", vpc.CIDR)
		}
		var siblings []Subnet
		if err := tx.Where("vpc_id = ?", vpc.ID).Find(&siblings).Error; err != nil {
			return err
		}
		if len(siblings) >= MaxSubnetsPerVPC {
			return E(CodeSubnetLimit, "err.network.subnet_limit", "Max", MaxSubnetsPerVPC)
		}
		for _, sib := range siblings {
			if netip.MustParsePrefix(sib.CIDR).Overlaps(p) {
				return FieldE("cidr_block", CodeSubnetConflict, "err.network.subnet_conflict", "ID", sib.ID, "CIDR", sib.CIDR)
			}
		}
		return tx.Create(sub).Error
	})
	if err != nil {
		return nil, err
	}
	return sub, nil
}

// DeleteSubnet deletes a subnet no instance uses (ResourceInUse otherwise).
func (s *NetworkStore) DeleteSubnet(ctx context.Context, a Actor, region, id string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		sub, err := ownSubnet(forUpdate(tx), a, region, id)
		if err != nil {
			return err
		}
		if err := refuseInUse(tx, &InstanceSubnet{}, "subnet_id", sub.ID,
			E(CodeResourceInUse, "err.network.subnet_in_use", "ID", sub.ID)); err != nil {
			return err
		}
		return tx.Delete(sub).Error
	})
}

// Subnets lists the account's subnets in the region. Filters: subnet-id,
// subnet-name, vpc-id, zone, cidr-block.
func (s *NetworkStore) Subnets(ctx context.Context, a Actor, region string, q NetworkQuery) ([]Subnet, int64, error) {
	var out []Subnet
	var total int64
	err := s.tx(ctx, func(tx *gorm.DB) error {
		base, err := q.filtered(tx.Model(&Subnet{}).Where("owner_id = ? AND region = ?", a.AccountID, region),
			map[string]string{"subnet-id": "id", "subnet-name": "name", "vpc-id": "vpc_id", "zone": "zone", "cidr-block": "cidr_block"})
		if err != nil {
			return err
		}
		if err := base.Session(&gorm.Session{}).Count(&total).Error; err != nil {
			return err
		}
		paged, err := q.page(base)
		if err != nil {
			return err
		}
		return paged.Order("created_at, id").Find(&out).Error
	})
	return out, total, err
}

// AttachSubnet records that an instance of the account is in a subnet
// (and its VPC), so that the subnet cannot be deleted under it; the launch
// calls it once it places an instance.
func (s *NetworkStore) AttachSubnet(ctx context.Context, a Actor, region, instanceID, subnetID string) error {
	return s.tx(ctx, func(tx *gorm.DB) error { return attachSubnet(tx, a, region, instanceID, subnetID) })
}

func attachSubnet(tx *gorm.DB, a Actor, region, instanceID, subnetID string) error {
	in, err := ownInstance(tx, a.AccountID, instanceID)
	if err != nil {
		return err
	}
	if in.Region != region {
		return errInstanceNotFound(instanceID)
	}
	sub, err := ownSubnet(forUpdate(tx), a, region, subnetID)
	if err != nil {
		return err
	}
	if sub.Zone != in.Zone {
		return FieldE("subnet_id", CodeZoneConflict, "err.network.subnet_zone_conflict", "Subnet", sub.ID, "SubnetZone", sub.Zone, "Zone", in.Zone)
	}
	// A move to another subnet gives up the old address first.
	if err := tx.Where("instance_id = ?", in.ID).Delete(&InstanceSubnet{}).Error; err != nil {
		return err
	}
	ip, err := allocatePrivateIP(tx, sub)
	if err != nil {
		return err
	}
	return tx.Create(&InstanceSubnet{InstanceID: in.ID, SubnetID: sub.ID, VpcID: sub.VpcID, PrivateIP: ip}).Error
}
