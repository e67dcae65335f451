package models

import (
	"context"
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Codes of security groups, as the VPC SDK spells them.
const (
	CodeSecurityGroupNotFound  = "InvalidSecurityGroupID.NotFound"
	CodeSecurityGroupMalformed = "InvalidSecurityGroupID.Malformed"
	CodeCoexist                = "InvalidParameter.Coexist"
	CodePolicyLimit            = "LimitExceeded.SecurityGroupPolicySet"
	CodeDuplicatePolicy        = "UnsupportedOperation.DuplicatePolicy"
	CodeSecurityGroupLimit     = "LimitExceeded"
)

// Security group limits, the cloud's defaults.
const (
	MaxSecurityGroups  = 50  // per account per region
	MaxPoliciesPerWay  = 100 // per group and direction
	maxSGDescription   = 100
	DirectionIngress   = "Ingress"
	DirectionEgress    = "Egress"
	PolicyAccept       = "ACCEPT"
	PolicyDrop         = "DROP"
	policyPortAll      = "ALL"
	maxPortListEntries = 15
)

// policyProtocols are the protocols a policy names; only TCP and UDP take
// ports.
var policyProtocols = map[string]bool{"TCP": true, "UDP": true, "ICMP": true, "ICMPV6": true, "GRE": true, "ALL": true}

// ownSecurityGroup loads a security group of the account in the region.
func ownSecurityGroup(tx *gorm.DB, a Actor, region, id string) (*SecurityGroup, error) {
	return own[SecurityGroup](tx, a, region, refSecurityGroup, id)
}

// SecurityGroupInput is a new security group.
type SecurityGroupInput struct {
	Name        string
	Description string
}

// CreateSecurityGroup creates an empty group (it lets nothing in until a
// policy says so).
func (s *NetworkStore) CreateSecurityGroup(ctx context.Context, a Actor, region string, in SecurityGroupInput) (*SecurityGroup, error) {
	if err := checkNetworkName("name", in.Name); err != nil {
		return nil, err
	}
	if utf8.RuneCountInString(in.Description) > maxSGDescription {
		return nil, FieldE("description", CodeNameTooLong, "err.network.description_too_long", "Max", maxSGDescription)
	}
	sg := &SecurityGroup{ID: NewID("sg"), OwnerID: a.AccountID, Region: region, Name: cleanText(in.Name),
		Description: cleanText(in.Description), CreatedAt: s.now()}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		return createWithin(tx, a, region, &SecurityGroup{}, MaxSecurityGroups,
			E(CodeSecurityGroupLimit, "err.network.security_group_limit", "Max", MaxSecurityGroups), sg)
	})
	if err != nil {
		return nil, err
	}
	return sg, nil
}

// DeleteSecurityGroup deletes a group no instance uses (ResourceInUse
// otherwise), with its policies.
func (s *NetworkStore) DeleteSecurityGroup(ctx context.Context, a Actor, region, id string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		sg, err := ownSecurityGroup(forUpdate(tx), a, region, id)
		if err != nil {
			return err
		}
		if err := refuseInUse(tx, &InstanceSecurityGroup{}, "group_id", sg.ID,
			E(CodeResourceInUse, "err.network.security_group_in_use", "ID", sg.ID)); err != nil {
			return err
		}
		if err := tx.Where("group_id = ?", sg.ID).Delete(&SecurityGroupPolicy{}).Error; err != nil {
			return err
		}
		return tx.Delete(sg).Error
	})
}

// SecurityGroups lists the account's groups in the region. Filters:
// security-group-id, security-group-name.
func (s *NetworkStore) SecurityGroups(ctx context.Context, a Actor, region string, q NetworkQuery) ([]SecurityGroup, int64, error) {
	var out []SecurityGroup
	var total int64
	err := s.tx(ctx, func(tx *gorm.DB) error {
		base, err := q.filtered(tx.Model(&SecurityGroup{}).Where("owner_id = ? AND region = ?", a.AccountID, region),
			map[string]string{"security-group-id": "id", "security-group-name": "name"})
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

// PolicyInput is one policy of a request.
type PolicyInput struct {
	Protocol    string
	Port        string
	CidrBlock   string
	Action      string
	Description string
	// PolicyIndex, if set, is the position the policy takes (0 first);
	// unset, it goes last.
	PolicyIndex *int
}

// PolicySet is a group's policies in both directions, in order.
type PolicySet struct {
	Version int
	Ingress []SecurityGroupPolicy
	Egress  []SecurityGroupPolicy
}

// validate normalises a policy: protocol upper-case, Port "ALL" for
// protocols without ports, a single address as a /32.
func (p *PolicyInput) validate() error {
	p.Protocol = strings.ToUpper(strings.TrimSpace(p.Protocol))
	if p.Protocol == "" {
		// The cloud reads a policy without a protocol as one for every
		// protocol; Packer's builder opens its temporary group that way.
		p.Protocol = "ALL"
	}
	p.Action = strings.ToUpper(strings.TrimSpace(p.Action))
	p.Port = strings.TrimSpace(p.Port)
	if !policyProtocols[p.Protocol] {
		return FieldE("protocol", CodeInvalidParameterValue, "err.network.policy_protocol", "Protocol", quote(p.Protocol))
	}
	if p.Action != PolicyAccept && p.Action != PolicyDrop {
		return FieldE("action", CodeInvalidParameterValue, "err.network.policy_action")
	}
	if utf8.RuneCountInString(p.Description) > maxSGDescription {
		return FieldE("description", CodeNameTooLong, "err.network.description_too_long", "Max", maxSGDescription)
	}
	p.Description = cleanText(p.Description)
	if p.Port == "" || strings.EqualFold(p.Port, policyPortAll) {
		p.Port = policyPortAll
	} else if p.Protocol != "TCP" && p.Protocol != "UDP" {
		return FieldE("port", CodeInvalidParameterValue, "err.network.policy_port_protocol")
	} else if !validPorts(p.Port) {
		return FieldE("port", CodeInvalidParameterValue, "err.network.policy_port", "Port", quote(p.Port))
	}
	cidr := strings.TrimSpace(p.CidrBlock)
	if cidr == "" {
		return FieldE("cidr_block", CodeMissingParameter, "err.network.policy_cidr_missing")
	}
	if a, err := netip.ParseAddr(cidr); err == nil && a.Is4() {
		cidr += "/32"
	}
	block, err := parseCIDR("cidr_block", cidr)
	if err != nil {
		return err
	}
	p.CidrBlock = block.String()
	return nil
}

// validPorts accepts a port, a range lo-hi (lo < hi) or a list of ports.
func validPorts(s string) bool {
	port := func(s string) (int, bool) {
		n, err := strconv.Atoi(s)
		return n, err == nil && n >= 1 && n <= 65535 && strconv.Itoa(n) == s
	}
	if lo, hi, ok := strings.Cut(s, "-"); ok {
		a, okA := port(lo)
		b, okB := port(hi)
		return okA && okB && a < b
	}
	parts := strings.Split(s, ",")
	if len(parts) > maxPortListEntries {
		return false
	}
	for _, p := range parts {
		if _, ok := port(p); !ok {
			return false
		}
	}
	return true
}

// CreateSecurityGroupPolicies adds policies in one direction (a request
// naming both is refused, as the cloud does). Each goes last, or at its
// PolicyIndex; a policy equal to one the group has is refused.
func (s *NetworkStore) CreateSecurityGroupPolicies(ctx context.Context, a Actor, region, id string, ingress, egress []PolicyInput) error {
	if len(ingress) > 0 && len(egress) > 0 {
		return E(CodeCoexist, "err.network.policy_coexist")
	}
	dir, policies := DirectionIngress, ingress
	if len(egress) > 0 {
		dir, policies = DirectionEgress, egress
	}
	if len(policies) == 0 {
		return FieldE("protocol", CodeMissingParameter, "err.network.policies_missing")
	}
	for i := range policies {
		if err := policies[i].validate(); err != nil {
			return err
		}
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		sg, err := ownSecurityGroup(forUpdate(tx), a, region, id)
		if err != nil {
			return err
		}
		var have []SecurityGroupPolicy
		if err := tx.Where("group_id = ? AND direction = ?", sg.ID, dir).Order("policy_index").Find(&have).Error; err != nil {
			return err
		}
		if len(have)+len(policies) > MaxPoliciesPerWay {
			id := "err.network.policy_limit_ingress"
			if dir == DirectionEgress {
				id = "err.network.policy_limit_egress"
			}
			return E(CodePolicyLimit, id, "Max", MaxPoliciesPerWay)
		}
		for _, p := range policies {
			rec := SecurityGroupPolicy{GroupID: sg.ID, Direction: dir, Protocol: p.Protocol, Port: p.Port,
				CidrBlock: p.CidrBlock, Action: p.Action, Description: p.Description, CreatedAt: s.now()}
			for _, h := range have {
				if h.Protocol == rec.Protocol && h.Port == rec.Port && h.CidrBlock == rec.CidrBlock && h.Action == rec.Action {
					return E(CodeDuplicatePolicy, "err.network.policy_duplicate", "Policy", rec.Protocol+" "+rec.Port+" "+rec.CidrBlock+" "+rec.Action)
				}
			}
			at := len(have)
			if p.PolicyIndex != nil {
				if *p.PolicyIndex < 0 || *p.PolicyIndex > len(have) {
					return FieldE("policy_index", CodeRange, "err.network.policy_index", "Max", len(have))
				}
				at = *p.PolicyIndex
			}
			have = append(have[:at], append([]SecurityGroupPolicy{rec}, have[at:]...)...)
		}
		// Rewrite the direction's order: the positions are what the cloud
		// reports as PolicyIndex.
		for i := range have {
			have[i].PolicyIndex = i
		}
		if err := tx.Where("group_id = ? AND direction = ?", sg.ID, dir).Delete(&SecurityGroupPolicy{}).Error; err != nil {
			return err
		}
		for i := range have {
			have[i].ID = 0
		}
		if err := tx.Create(&have).Error; err != nil {
			return err
		}
		return tx.Model(sg).Update("version", sg.Version+1).Error
	})
}

// SecurityGroupPolicies returns a group's policies.
func (s *NetworkStore) SecurityGroupPolicies(ctx context.Context, a Actor, region, id string) (*SecurityGroup, PolicySet, error) {
	var sg *SecurityGroup
	var set PolicySet
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if sg, err = ownSecurityGroup(tx, a, region, id); err != nil {
			return err
		}
		var all []SecurityGroupPolicy
		if err := tx.Where("group_id = ?", sg.ID).Order("direction, policy_index").Find(&all).Error; err != nil {
			return err
		}
		set.Version = sg.Version
		for _, p := range all {
			if p.Direction == DirectionIngress {
				set.Ingress = append(set.Ingress, p)
			} else {
				set.Egress = append(set.Egress, p)
			}
		}
		return nil
	})
	return sg, set, err
}

// AttachSecurityGroups records that the groups apply to an instance of the
// account, so that they cannot be deleted under it; the launch calls it.
func (s *NetworkStore) AttachSecurityGroups(ctx context.Context, a Actor, region, instanceID string, groupIDs []string) error {
	return s.tx(ctx, func(tx *gorm.DB) error { return attachSecurityGroups(tx, a, region, instanceID, groupIDs) })
}

func attachSecurityGroups(tx *gorm.DB, a Actor, region, instanceID string, groupIDs []string) error {
	in, err := ownInstance(tx, a.AccountID, instanceID)
	if err != nil {
		return err
	}
	if in.Region != region {
		return errInstanceNotFound(instanceID)
	}
	for _, id := range dedupe(groupIDs) {
		sg, err := ownSecurityGroup(forUpdate(tx), a, region, id)
		if err != nil {
			return err
		}
		if err := tx.Save(&InstanceSecurityGroup{InstanceID: in.ID, GroupID: sg.ID}).Error; err != nil {
			return err
		}
	}
	return nil
}
