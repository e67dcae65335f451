package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Where a request came from, for the operation log.
const (
	ViaConsole = "console"
	ViaAPI     = "api"
)

// The counted actions of R2: each names its API action, and the operation
// log records it under that name whichever face the request came through.
const (
	ActionCreateImage          = "CreateImage"
	ActionImportImage          = "ImportImage"
	ActionModifyImageAttribute = "ModifyImageAttribute"
	ActionDeleteImages         = "DeleteImages"
	ActionSyncImages           = "SyncImages"
	// ActionModifySharePermission covers sharing and cancelling alike: R2
	// counts a share change once per request, whichever way it goes.
	ActionModifySharePermission = "ModifyImageSharePermission"
)

// CountedActions lists the actions of R2 in the order the operation log
// offers them as a filter.
var CountedActions = []string{ActionCreateImage, ActionImportImage, ActionModifyImageAttribute,
	ActionDeleteImages, ActionSyncImages, ActionModifySharePermission}

// limitsFor returns the limits in force for an account: the configured
// defaults with the operator's per-account override merged in, read through
// the caller's transaction, so every rule reads its limit from one place.
// A failed read is an error, never a limit: a database fault must reach the
// user as InternalError, not as a quota refusal.
func (s *core) limitsFor(tx *gorm.DB, accountID string) (Limits, error) {
	o, err := quotaOverride(tx, accountID)
	if err != nil {
		return Limits{}, err
	}
	return o.Apply(s.Limits), nil
}

// AccountLimits are the limits in force for an account, overrides included.
func (s *AccountStore) AccountLimits(ctx context.Context, accountID string) (Limits, error) {
	return s.limitsFor(s.db.WithContext(ctx), accountID)
}

// counted runs a counted operation (R2): fn decides and writes, then the
// operation is logged and counted in the same transaction. A refusal rolls
// everything back and is logged on its own, uncounted. The acting account's
// limits are read once, first, and handed to fn: the use case and the
// operation it logs enforce the same numbers, read under the same lock.
func (s *core) counted(ctx context.Context, a Actor, region, action string, targets []string, fn func(tx *gorm.DB, lim Limits) error) error {
	now := s.now()
	region, list := cleanText(region), cleanText(strings.Join(targets, ","))
	if len(list) > 2000 {
		list = list[:2000] + "…" // the log keeps what fits; the request had more
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		lim, err := s.limitsFor(tx, a.AccountID)
		if err != nil {
			return err
		}
		if err := fn(tx, lim); err != nil {
			return err
		}
		op := Operation{At: now, AccountID: a.AccountID, Region: region, Action: action,
			Targets: list, Result: ResultSuccess, Via: a.Via, RequestID: a.RequestID, Limit: lim.DailyOps}
		return tx.Create(&op).Error
	})
	if err != nil && ErrorCode(err) != CodeDryRun {
		s.observe(func(o Observer) { o.Refused(action, ErrorCode(err)) })
		refused := Operation{At: now, AccountID: a.AccountID, Region: region, Action: action,
			Targets: list, Result: ErrorCode(err), Via: a.Via, RequestID: a.RequestID}
		if logErr := s.db.WithContext(context.WithoutCancel(ctx)).Create(&refused).Error; logErr != nil {
			return err // the refusal itself is what the caller needs to see
		}
	}
	return err
}

// OpQuery selects a page of the operation log.
type OpQuery struct {
	Region string
	Action string
	Page   int
	Size   int
}

// OpPage is a page of the operation log.
type OpPage struct {
	Rows  []Operation
	Total int64
	Page  int
	Size  int
}

// Operations lists the account's own operation log, newest first.
func (s *AccountStore) Operations(ctx context.Context, accountID string, q OpQuery) (OpPage, error) {
	page, size := clampPage(q.Page, q.Size)
	db := s.db.WithContext(ctx).Model(&Operation{}).Where("account_id = ?", accountID)
	if q.Region != "" {
		db = db.Where("region = ?", q.Region)
	}
	if q.Action != "" {
		db = db.Where("action = ?", q.Action)
	}
	out := OpPage{Page: page, Size: size}
	if err := db.Count(&out.Total).Error; err != nil {
		return out, err
	}
	err := db.Order("at DESC, id DESC").Offset((page - 1) * size).Limit(size).Find(&out.Rows).Error
	return out, err
}

// MaxPageSize bounds every list: the cost of a page never grows with the catalog.
const MaxPageSize = 100

func clampPage(page, size int) (int, int) {
	if page < 1 {
		page = 1
	}
	if page > 100000 {
		page = 100000
	}
	if size < 1 {
		size = 20
	}
	if size > MaxPageSize {
		size = MaxPageSize
	}
	return page, size
}

// Operation is one entry of the operation log. An accepted
// operation (Result "Success") is also what R2 counts: its BeforeCreate takes
// a slot of the day's counter in the same transaction as the change it
// records, so the count and the change commit or roll back together.
type Operation struct {
	ID        uint      `gorm:"primaryKey"`
	At        time.Time `gorm:"not null;index:idx_ops_account,priority:3"`
	AccountID string    `gorm:"size:12;not null;index:idx_ops_account,priority:1"`
	Region    string    `gorm:"size:32;not null;index:idx_ops_account,priority:2"`
	Action    string    `gorm:"size:40;not null"`
	Targets   string    `gorm:"size:2048;not null;default:''"`
	Result    string    `gorm:"size:80;not null"` // "Success" or the error code
	Via       string    `gorm:"size:8;not null"`  // console or api
	RequestID string    `gorm:"size:40;not null;default:''"`
	Limit     int       `gorm:"-"` // R2 limit the hook enforces
}

// ResultSuccess marks an accepted operation.
const ResultSuccess = "Success"

// BeforeCreate enforces R2 for accepted operations; refused ones are logged
// without counting.
func (o *Operation) BeforeCreate(tx *gorm.DB) error {
	if o.Result != ResultSuccess {
		return nil
	}
	day := OpDay(o.At)
	ok, err := opSlots.take(tx, 1, o.Limit, o.AccountID, o.Region, day)
	if err != nil {
		return err
	}
	if !ok {
		reset := OpDayReset(o.At)
		return E(CodeDailyOps, "err.quota.dailyOps", "Max", o.Limit, "Region", o.Region,
			"Reset", reset.UTC().Format("2006-01-02 15:04 MST"))
	}
	return nil
}
