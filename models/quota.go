package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ImageCounter counts an account's custom images in a region (R1). The hook
// that guards Image creation moves it with a conditional UPDATE, which is
// atomic on SQLite and PostgreSQL alike: a count-then-insert is not, under
// READ COMMITTED.
type ImageCounter struct {
	AccountID string `gorm:"primaryKey;size:12"`
	Region    string `gorm:"primaryKey;size:32"`
	Used      int    `gorm:"not null;default:0"`
}

// OpCounter counts an account's accepted operations in a region on one
// calendar day of Asia/Shanghai (R2).
type OpCounter struct {
	AccountID string `gorm:"primaryKey;size:12"`
	Region    string `gorm:"primaryKey;size:32"`
	Day       string `gorm:"primaryKey;size:10"` // YYYY-MM-DD in Asia/Shanghai
	Used      int    `gorm:"not null;default:0"`
}

// shanghai is the time zone of the daily operation limit's day boundary.
var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600) // no DST in China: a fixed zone is exact
	}
	return loc
}()

// OpDay is the R2 calendar day of t.
func OpDay(t time.Time) string { return t.In(shanghai).Format("2006-01-02") }

// OpDayReset is when the R2 day containing t ends (midnight Asia/Shanghai).
func OpDayReset(t time.Time) time.Time {
	l := t.In(shanghai)
	return time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, shanghai)
}

// claimSlot adds n to a counter row if the result stays within limit. It
// creates the row first if needed; the UPDATE's WHERE makes the check and the
// increment one atomic step, and on PostgreSQL the updated row stays locked
// until the transaction ends.
func claimSlot(tx *gorm.DB, row any, where map[string]any, n, limit int) (bool, error) {
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(row).Error; err != nil {
		return false, err
	}
	res := tx.Model(row).Where(where).Where("used + ? <= ?", n, limit).
		UpdateColumn("used", gorm.Expr("used + ?", n))
	return res.RowsAffected == 1, res.Error
}

// releaseSlot gives n slots back, never going below zero.
func releaseSlot(tx *gorm.DB, row any, where map[string]any, n int) error {
	return tx.Model(row).Where(where).Where("used >= ?", n).
		UpdateColumn("used", gorm.Expr("used - ?", n)).Error
}

// BeforeCreate enforces R1: a custom image is written only while the account
// has a free slot in its region. The store sets QuotaLimit; a write path that
// forgets it is refused (limit 0) rather than let through.
func (i *Image) BeforeCreate(tx *gorm.DB) error {
	if i.Type != TypePrivate {
		return nil
	}
	ok, err := claimSlot(tx, &ImageCounter{AccountID: i.OwnerID, Region: i.Region},
		map[string]any{"account_id": i.OwnerID, "region": i.Region}, 1, i.QuotaLimit)
	if err != nil {
		return err
	}
	if !ok {
		return Errorf(CodeImageQuota, "Each account may keep %d custom images per region; %s is full. Delete an image first.", i.QuotaLimit, i.Region)
	}
	return nil
}

// AfterDelete frees the image's R1 slot: deleting frees exactly one.
func (i *Image) AfterDelete(tx *gorm.DB) error {
	if i.Type != TypePrivate {
		return nil
	}
	return releaseSlot(tx, &ImageCounter{}, map[string]any{"account_id": i.OwnerID, "region": i.Region}, 1)
}

// Operation is one entry of the operation log (SPEC.md §6). An accepted
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
	ok, err := claimSlot(tx, &OpCounter{AccountID: o.AccountID, Region: o.Region, Day: day},
		map[string]any{"account_id": o.AccountID, "region": o.Region, "day": day}, 1, o.Limit)
	if err != nil {
		return err
	}
	if !ok {
		reset := OpDayReset(o.At)
		return &Error{Code: CodeDailyOps, Message: fmt.Sprintf(
			"Each account may make %d image operations per region per day; the limit for %s resets at %s (midnight Asia/Shanghai).",
			o.Limit, o.Region, reset.UTC().Format("2006-01-02 15:04 MST"))}
	}
	return nil
}
