package models

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"imageconsole/models/sqldb"
)

// QuotaOverride is an operator's per-account replacement of the configured
// limits of R1, R2, R4 and R9; nil keeps the default.
// limitsFor merges it, so every rule, the quota page and the API read the
// overridden number.
type QuotaOverride struct {
	AccountID    string `gorm:"primaryKey;size:12"`
	CustomImages *int
	DailyOps     *int
	Shares       *int
	Instances    *int
	UpdatedAt    time.Time
}

// Apply returns l with the override's limits in place of the defaults.
func (o QuotaOverride) Apply(l Limits) Limits {
	for _, p := range []struct {
		v   *int
		dst *int
	}{{o.CustomImages, &l.CustomImages}, {o.DailyOps, &l.DailyOps}, {o.Shares, &l.Shares}, {o.Instances, &l.Instances}} {
		if p.v != nil {
			*p.dst = *p.v
		}
	}
	return l
}

// Empty reports whether the override changes nothing.
func (o QuotaOverride) Empty() bool {
	return o.CustomImages == nil && o.DailyOps == nil && o.Shares == nil && o.Instances == nil
}

// MaxQuotaOverride bounds an override: generous, but a typo of extra zeros
// is caught.
const MaxQuotaOverride = 100000

// QuotaOverrideInput is the operator's form: each limit as typed, "" for
// the default.
type QuotaOverrideInput struct {
	CustomImages, DailyOps, Shares, Instances string
}

// parse turns the form into an override, naming the field of a bad value.
func (in QuotaOverrideInput) parse(accountID string) (QuotaOverride, error) {
	o := QuotaOverride{AccountID: accountID}
	for _, f := range []struct {
		name, text string
		dst        **int
	}{{"custom_images", in.CustomImages, &o.CustomImages}, {"daily_ops", in.DailyOps, &o.DailyOps},
		{"shares", in.Shares, &o.Shares}, {"instances", in.Instances, &o.Instances}} {
		text := strings.TrimSpace(f.text)
		if text == "" {
			continue
		}
		n, err := strconv.Atoi(text)
		if err != nil || n < 0 || n > MaxQuotaOverride {
			return o, FieldE(f.name, CodeRange, "err.platform.quotaOverrideRange", "Max", MaxQuotaOverride)
		}
		*f.dst = &n
	}
	return o, nil
}

// quotaOverride reads an account's override; none is the empty override.
// Every counted operation reads it while holding the write lock, so it is
// one query without a GORM statement around it.
func quotaOverride(tx *gorm.DB, accountID string) (QuotaOverride, error) {
	o := QuotaOverride{AccountID: accountID}
	err := sqldb.QueryRow(tx, quotaOverrideSQL, accountID).
		Scan(&o.CustomImages, &o.DailyOps, &o.Shares, &o.Instances, &o.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return QuotaOverride{AccountID: accountID}, nil
	}
	return o, err
}

var quotaOverrideSQL = "SELECT " + columns(&QuotaOverride{}, "CustomImages", "DailyOps", "Shares", "Instances", "UpdatedAt") +
	" FROM " + table(&QuotaOverride{}) + " WHERE " + columns(&QuotaOverride{}, "AccountID") + " = ?"

// SetQuotaOverride replaces an account's override (operators only); an
// input with every field empty returns the account to the defaults. The
// change applies to the next request: usage above a lowered limit stays,
// and only new work is refused.
func (s *PlatformStore) SetQuotaOverride(ctx context.Context, a Actor, accountID string, in QuotaOverrideInput) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if _, err := requireRole(tx, a, RoleOperator); err != nil {
			return err
		}
		if _, err := accountByID(tx, accountID); err != nil {
			return err
		}
		next, err := in.parse(accountID)
		if err != nil {
			return err
		}
		prev, err := quotaOverride(tx, accountID)
		if err != nil {
			return err
		}
		if next.Empty() {
			err = tx.Where("account_id = ?", accountID).Delete(&QuotaOverride{}).Error
		} else {
			next.UpdatedAt = s.now()
			err = tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(&next).Error
		}
		if err != nil {
			return err
		}
		return s.audit(tx, a, AuditQuotaOverride, accountID, overrideAudit(prev), overrideAudit(next))
	})
}

// overrideAudit is what the audit log keeps of an override: the limits
// only, nil when there is none.
func overrideAudit(o QuotaOverride) any {
	if o.Empty() {
		return nil
	}
	return map[string]*int{"custom_images": o.CustomImages, "daily_ops": o.DailyOps, "shares": o.Shares, "instances": o.Instances}
}

// accountByID loads an account inside a transaction.
func accountByID(tx *gorm.DB, id string) (*Account, error) {
	var acct Account
	err := tx.Where("id = ?", id).Limit(1).Find(&acct).Error
	if err == nil && acct.ID == "" {
		return nil, E(CodeAccountNotFound, "err.account.notFound", "ID", quote(id))
	}
	return &acct, err
}
