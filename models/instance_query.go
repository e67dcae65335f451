package models

import (
	"context"
	"errors"
	"slices"
	"strconv"

	"gorm.io/gorm"
)

func errInstanceNotFound(id string) error {
	return E(CodeInstanceNotFound, "err.instances.not_found", "ID", id)
}

func errInstanceMalformed(id string) error {
	return E(CodeInstanceMalformed, "err.instances.malformed", "ID", strconv.Quote(id))
}

// ownInstance loads an instance of the account; another account's instance
// is reported as not found.
func ownInstance(tx *gorm.DB, accountID, id string) (*Instance, error) {
	if !ValidID("ins", id) {
		return nil, errInstanceMalformed(id)
	}
	var in Instance
	err := tx.Where("id = ? AND owner_id = ?", id, accountID).Take(&in).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errInstanceNotFound(id)
	}
	return &in, err
}

// Instance returns one of the account's instances with its network.
func (s *InstanceStore) Instance(ctx context.Context, accountID, id string) (*Instance, error) {
	in, err := ownInstance(s.db.WithContext(ctx), accountID, id)
	if err != nil {
		return nil, err
	}
	list := []Instance{*in}
	if err := loadNetworks(s.db.WithContext(ctx), list); err != nil {
		return nil, err
	}
	return &list[0], nil
}

// APIState is the state as the CVM API documents it: a reinstall, which
// the console names RESETTING, is reported as REBOOTING (the instance's
// operating system restarts from the new disk) with LatestOperation
// ResetInstance telling the two apart.
func (in *Instance) APIState() string {
	if in.State == InstanceResetting {
		return InstanceRebooting
	}
	return in.State
}

// InstanceQuery selects a page of instances: Filters of DescribeInstances
// (zone, instance-id, instance-name, instance-state, instance-type; AND
// between filters, OR between values) or a list of IDs.
type InstanceQuery struct {
	Region  string
	IDs     []string
	Filters []Filter
	Offset  int64
	Limit   int64
}

var instanceFilterColumns = map[string]string{"zone": "zone", "instance-id": "id", "instance-name": "name",
	"instance-state": "state", "instance-type": "type", "public-ip-address": "public_ip", "project-id": "project_id",
	"instance-charge-type": "'" + ChargePostpaidByHour + "'"}

// instanceJoinFilters are the filters answered by a network join: the join
// and its column.
var instanceJoinFilters = map[string]struct {
	join any
	col  string
}{
	"vpc-id": {&InstanceSubnet{}, "vpc_id"}, "subnet-id": {&InstanceSubnet{}, "subnet_id"},
	"private-ip-address": {&InstanceSubnet{}, "private_ip"}, "security-group-id": {&InstanceSecurityGroup{}, "group_id"},
	"key-id": {&InstanceKeyPair{}, "key_id"},
}

func (q *InstanceQuery) validate() error {
	if len(q.IDs) > 0 && len(q.Filters) > 0 {
		return E(CodeInvalidParameter, "err.instances.ids_and_filters")
	}
	if len(q.IDs) > MaxPageSize {
		return E(CodeValueLimitExceeded, "err.instances.query_ids_limit")
	}
	for _, id := range q.IDs {
		if !ValidID("ins", id) {
			return E(CodeInstanceMalformed, "err.instances.query_malformed", "ID", quote(id))
		}
	}
	if err := ValidateFilters(q.Filters, func(n string) bool {
		_, col := instanceFilterColumns[n]
		_, join := instanceJoinFilters[n]
		return col || join || n == "key-name"
	}); err != nil {
		return err
	}
	if q.Offset < 0 || q.Limit < 0 || q.Limit > MaxPageSize {
		return E(CodeInvalidParameterValue, "err.instances.page")
	}
	if q.Limit == 0 {
		q.Limit = 20
	}
	return nil
}

// Instances lists the account's instances in a region, newest first, with
// the number of all matches.
func (s *InstanceStore) Instances(ctx context.Context, accountID string, q InstanceQuery) ([]Instance, int64, error) {
	if err := q.validate(); err != nil {
		return nil, 0, err
	}
	db := s.db.WithContext(ctx).Model(&Instance{}).Where("owner_id = ? AND region = ?", accountID, q.Region)
	if len(q.IDs) > 0 {
		db = db.Where("id IN ?", q.IDs)
	}
	fresh := func() *gorm.DB { return s.db.WithContext(ctx).Session(&gorm.Session{NewDB: true}) }
	for _, f := range q.Filters {
		values := f.Values
		switch {
		case f.Name == "instance-name":
			db = db.Where(anyLike(fresh, "name", f.Values))
			continue
		case f.Name == "instance-state" && slices.Contains(values, InstanceRebooting):
			// A reinstall is reported as REBOOTING (APIState).
			values = append(slices.Clone(values), InstanceResetting)
		case f.Name == "project-id":
			var ns []int64
			for _, v := range values {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil {
					return nil, 0, FieldE(f.Name, CodeInvalidParameterValue, "err.instances.project_filter", "Value", quote(v))
				}
				ns = append(ns, n)
			}
			db = db.Where("project_id IN ?", ns)
			continue
		}
		if f.Name == "key-name" {
			keys := fresh().Model(&KeyPair{}).Select("id").Where("owner_id = ? AND name IN ?", accountID, values)
			db = db.Where("id IN (?)", fresh().Model(&InstanceKeyPair{}).Select("instance_id").Where("key_id IN (?)", keys))
			continue
		}
		if j, ok := instanceJoinFilters[f.Name]; ok {
			db = db.Where("id IN (?)", fresh().Model(j.join).Select("instance_id").Where(j.col+" IN ?", values))
			continue
		}
		db = db.Where(instanceFilterColumns[f.Name]+" IN ?", values)
	}
	var total int64
	if err := db.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []Instance
	if err := db.Order("created_at DESC, id").Offset(int(q.Offset)).Limit(int(q.Limit)).Find(&out).Error; err != nil {
		return nil, 0, err
	}
	return out, total, loadNetworks(s.db.WithContext(ctx), out)
}
