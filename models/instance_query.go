package models

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

func errInstanceNotFound(id string) error {
	return Errorf(CodeInstanceNotFound, "Instance %s does not exist.", id)
}

func errInstanceMalformed(id string) error {
	return Errorf(CodeInstanceMalformed, "Instance ID %q is malformed: expected ins- followed by 8 lower-case letters or digits.", id)
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

// Instance returns one of the account's instances.
func (s *InstanceStore) Instance(ctx context.Context, accountID, id string) (*Instance, error) {
	return ownInstance(s.db.WithContext(ctx), accountID, id)
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
	"instance-state": "state", "instance-type": "type"}

func (q *InstanceQuery) validate() error {
	if len(q.IDs) > 0 && len(q.Filters) > 0 {
		return Errorf(CodeInvalidParameter, "InstanceIds and Filters cannot be used together.")
	}
	if len(q.IDs) > MaxPageSize {
		return Errorf(CodeValueLimitExceeded, "At most 100 instance IDs per request.")
	}
	for _, id := range q.IDs {
		if !ValidID("ins", id) {
			return Errorf(CodeInstanceMalformed, "Instance ID %s is malformed.", quote(id))
		}
	}
	if err := ValidateFilters(q.Filters, func(n string) bool { _, ok := instanceFilterColumns[n]; return ok }); err != nil {
		return err
	}
	if q.Offset < 0 || q.Limit < 0 || q.Limit > MaxPageSize {
		return Errorf(CodeInvalidParameterValue, "Offset must be 0 or more and Limit between 1 and 100.")
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
	for _, f := range q.Filters {
		if f.Name == "instance-name" {
			db = db.Where(anyLike(func() *gorm.DB { return s.db.Session(&gorm.Session{NewDB: true}) }, "name", f.Values))
			continue
		}
		db = db.Where(instanceFilterColumns[f.Name]+" IN ?", f.Values)
	}
	var total int64
	if err := db.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var out []Instance
	err := db.Order("created_at DESC, id").Offset(int(q.Offset)).Limit(int(q.Limit)).Find(&out).Error
	return out, total, err
}
