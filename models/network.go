package models

import (
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// The network aggregate (NetworkStore): VPCs and their subnets, security
// groups and their policies, SSH key pairs, and the joins that say which
// instance uses which of them. Every record belongs to one account in one
// region; every query names both, so another account's ID reads as not
// found.

// VPC is a private network of an account in a region.
type VPC struct {
	ID        string    `gorm:"primaryKey;size:12"` // vpc-xxxxxxxx
	OwnerID   string    `gorm:"size:12;not null;index:idx_vpcs_owner,priority:1"`
	Region    string    `gorm:"size:32;not null;index:idx_vpcs_owner,priority:2"`
	Name      string    `gorm:"size:60;not null"`
	CIDR      string    `gorm:"column:cidr_block;size:18;not null"`
	CreatedAt time.Time `gorm:"not null"`
}

// TableName keeps the table name readable (GORM would say v_p_cs).
func (VPC) TableName() string { return "vpcs" }

// Subnet is a CIDR block of a VPC in one zone of the VPC's region.
type Subnet struct {
	ID        string    `gorm:"primaryKey;size:15"` // subnet-xxxxxxxx
	OwnerID   string    `gorm:"size:12;not null;index:idx_subnets_owner,priority:1"`
	Region    string    `gorm:"size:32;not null;index:idx_subnets_owner,priority:2"`
	VpcID     string    `gorm:"size:12;not null;index"`
	Zone      string    `gorm:"size:32;not null"`
	Name      string    `gorm:"size:60;not null"`
	CIDR      string    `gorm:"column:cidr_block;size:18;not null"`
	CreatedAt time.Time `gorm:"not null"`
}

// SecurityGroup is a named, ordered set of firewall policies.
type SecurityGroup struct {
	ID          string    `gorm:"primaryKey;size:11"` // sg-xxxxxxxx
	OwnerID     string    `gorm:"size:12;not null;index:idx_security_groups_owner,priority:1"`
	Region      string    `gorm:"size:32;not null;index:idx_security_groups_owner,priority:2"`
	Name        string    `gorm:"size:60;not null"`
	Description string    `gorm:"size:100;not null;default:''"`
	Version     int       `gorm:"not null;default:0"` // bumped by every policy change
	CreatedAt   time.Time `gorm:"not null"`
}

// SecurityGroupPolicy is one rule of a group, in one direction, at its
// position (PolicyIndex, from 0) among that direction's rules.
type SecurityGroupPolicy struct {
	ID          uint64    `gorm:"primaryKey;autoIncrement"`
	GroupID     string    `gorm:"size:11;not null;index:idx_sg_policies_group,priority:1"`
	Direction   string    `gorm:"size:8;not null;index:idx_sg_policies_group,priority:2"` // Ingress or Egress
	PolicyIndex int       `gorm:"not null;index:idx_sg_policies_group,priority:3"`
	Protocol    string    `gorm:"size:8;not null"`
	Port        string    `gorm:"size:100;not null"`
	CidrBlock   string    `gorm:"size:18;not null"`
	Action      string    `gorm:"size:8;not null"`
	Description string    `gorm:"size:100;not null;default:''"`
	CreatedAt   time.Time `gorm:"not null"`
}

// KeyPair is an SSH public key of an account in a region. The private key
// of a generated pair is returned once, at creation, and never stored.
type KeyPair struct {
	ID          string    `gorm:"primaryKey;size:13"` // skey-xxxxxxxx
	OwnerID     string    `gorm:"size:12;not null;index:idx_key_pairs_owner,priority:1;uniqueIndex:idx_key_pairs_name,priority:1"`
	Region      string    `gorm:"size:32;not null;index:idx_key_pairs_owner,priority:2;uniqueIndex:idx_key_pairs_name,priority:2"`
	Name        string    `gorm:"size:25;not null;uniqueIndex:idx_key_pairs_name,priority:3"` // the database holds the rule too
	Description string    `gorm:"size:60;not null;default:''"`
	PublicKey   string    `gorm:"type:text;not null"`
	ProjectID   int64     `gorm:"not null;default:0"`
	CreatedAt   time.Time `gorm:"not null"`
	// AssociatedInstanceIDs is filled by the queries, not stored here.
	AssociatedInstanceIDs []string `gorm:"-"`
}

// The "in use" joins. A row says an instance uses a key pair, a subnet or
// a security group; the launch writes them, and the termination that
// deletes the instance deletes them (a row whose instance is gone would
// not count anyway).
type (
	// InstanceKeyPair: an instance accepts logins with the key.
	InstanceKeyPair struct {
		InstanceID string `gorm:"primaryKey;size:12"`
		KeyID      string `gorm:"primaryKey;size:13;index"`
	}
	// InstanceSubnet: an instance's network interface is in the subnet,
	// with an address of it no other interface there has.
	InstanceSubnet struct {
		InstanceID string `gorm:"primaryKey;size:12"`
		SubnetID   string `gorm:"size:15;not null;index;uniqueIndex:idx_instance_subnets_ip,priority:1"`
		VpcID      string `gorm:"size:12;not null;index"`
		PrivateIP  string `gorm:"column:private_ip;size:15;not null;default:'';uniqueIndex:idx_instance_subnets_ip,priority:2"`
	}
	// InstanceSecurityGroup: the group's policies apply to the instance.
	InstanceSecurityGroup struct {
		InstanceID string `gorm:"primaryKey;size:12"`
		GroupID    string `gorm:"primaryKey;size:11;index"`
	}
)

// usersOf returns the IDs of the live instances that a join (one of the
// three above) lists for id in column col, sorted.
func usersOf(tx *gorm.DB, join any, col, id string) ([]string, error) {
	var ids []string
	err := tx.Model(&Instance{}).Where("id IN (?)", tx.Model(join).Select("instance_id").Where(col+" = ?", id)).
		Order("id").Pluck("id", &ids).Error
	return ids, err
}

// refuseInUse returns inUse when a live instance uses the resource, so that
// it is not deleted from under the instance.
func refuseInUse(tx *gorm.DB, join any, col, id string, inUse error) error {
	ids, err := usersOf(tx, join, col, id)
	if err == nil && len(ids) > 0 {
		return inUse
	}
	return err
}

// createWithin writes row, a record of model, unless the account already
// holds max of them in region (full). The account's row is locked first,
// so two creates at once cannot both see room for one.
func createWithin(tx *gorm.DB, a Actor, region string, model any, max int, full error, row any) error {
	if err := lockAccount(tx, a.AccountID); err != nil {
		return err
	}
	var n int64
	if err := tx.Model(model).Where("owner_id = ? AND region = ?", a.AccountID, region).Count(&n).Error; err != nil {
		return err
	}
	if n >= int64(max) {
		return full
	}
	return tx.Create(row).Error
}

// networkRef says how a kind of network record is named: its ID prefix
// (which also names its messages, err.network.<prefix>_malformed and
// _not_found), the input field that carries its ID, and the codes of a
// malformed and of an unknown ID.
type networkRef struct {
	prefix, field       string
	malformed, notFound string
}

var (
	refVPC           = networkRef{"vpc", "vpc_id", CodeMalformed, CodeResourceNotFound}
	refSubnet        = networkRef{"subnet", "subnet_id", CodeMalformed, CodeResourceNotFound}
	refSecurityGroup = networkRef{"sg", "security_group_id", CodeSecurityGroupMalformed, CodeSecurityGroupNotFound}
	refKeyPair       = networkRef{"skey", "key_id", CodeKeyPairMalformed, CodeKeyPairNotFound}
)

// own loads the account's record of type T with the ID in the region. A
// malformed ID is refused before any read; a missing record, another
// account's or another region's, is not found.
func own[T any](tx *gorm.DB, a Actor, region string, ref networkRef, id string) (*T, error) {
	if !ValidID(ref.prefix, id) {
		return nil, FieldE(ref.field, ref.malformed, "err.network."+ref.prefix+"_malformed", "ID", quote(id))
	}
	var rec T
	err := tx.Where("id = ? AND owner_id = ? AND region = ?", id, a.AccountID, region).Take(&rec).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, FieldE(ref.field, ref.notFound, "err.network."+ref.prefix+"_not_found", "ID", quote(id))
	}
	if err != nil {
		return nil, err
	}
	return &rec, nil
}

// forUpdate locks the rows a statement reads until the transaction ends
// (SELECT … FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE already
// serialises writers), so that a check and the write it allows cannot
// interleave with another transaction's. Use it on one statement:
// ownVPC(forUpdate(tx), …).
func forUpdate(tx *gorm.DB) *gorm.DB { return tx.Clauses(clause.Locking{Strength: "UPDATE"}) }

// lockAccount locks the account's row: the network writes that count or
// compare an account's records (limits, unique names) queue on it.
func lockAccount(tx *gorm.DB, accountID string) error {
	var acct Account
	err := forUpdate(tx).Select("id").Where("id = ?", accountID).Take(&acct).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return E(CodeAccountNotFound, "err.network.account_not_found", "ID", accountID)
	}
	return err
}

// NetworkQuery is a Describe request of the network aggregate: IDs, or
// filters by name, and a page.
type NetworkQuery struct {
	IDs     []string
	Filters []Filter
	Offset  int
	Limit   int
}

// page applies the query's page (DefaultDescribeLimit unless set, at most
// MaxDescribeLimit) after checking it.
func (q NetworkQuery) page(tx *gorm.DB) (*gorm.DB, error) {
	if len(q.IDs) > MaxListItems {
		return nil, E(CodeValueLimitExceeded, "err.network.ids_limit", "Max", MaxListItems)
	}
	if q.Offset < 0 || q.Offset > maxOffset {
		return nil, E(CodeInvalidParameterValue, "err.network.offset", "Max", maxOffset)
	}
	limit := q.Limit
	if limit == 0 {
		limit = DefaultDescribeLimit
	}
	if limit < 0 || limit > MaxDescribeLimit {
		return nil, E(CodeInvalidParameterValue, "err.network.limit", "Max", MaxDescribeLimit)
	}
	return tx.Offset(q.Offset).Limit(limit), nil
}

// filtered narrows tx by the query's IDs and filters; columns maps each
// accepted filter name to the column it matches exactly.
func (q NetworkQuery) filtered(tx *gorm.DB, cols map[string]string) (*gorm.DB, error) {
	if err := ValidateFilters(q.Filters, func(name string) bool { _, ok := cols[name]; return ok }); err != nil {
		return nil, err
	}
	if len(q.IDs) > 0 {
		tx = tx.Where("id IN ?", q.IDs)
	}
	for _, f := range q.Filters {
		tx = tx.Where(cols[f.Name]+" IN ?", f.Values)
	}
	return tx, nil
}
