package models

import (
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"imageconsole/models/sqldb"
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

// counter is a quota counter table: one row per key, holding how many
// slots are used. take and give are single statements, so a quota check and
// its increment are one atomic step on SQLite and PostgreSQL alike, and on
// PostgreSQL the row stays locked until the transaction ends.
type counter struct {
	claim, release string
}

// newCounter builds the statements of the counter table of model, keyed by
// its fields keys and counting in its field Used.
func newCounter(model any, keys ...string) counter {
	tbl, used, cols := table(model), columns(model, "Used"), columns(model, keys...)
	marks := strings.Repeat("?, ", len(keys))
	where := strings.ReplaceAll(cols, ", ", " = ? AND ") + " = ?"
	return counter{
		// An upsert: the first claim creates the row, later ones add to it
		// only while the sum stays within the limit (the DO UPDATE's WHERE).
		claim: fmt.Sprintf("INSERT INTO %[1]s (%[2]s, %[4]s) VALUES (%[3]s?) ON CONFLICT (%[2]s) DO UPDATE "+
			"SET %[4]s = %[1]s.%[4]s + excluded.%[4]s WHERE %[1]s.%[4]s + excluded.%[4]s <= ?", tbl, cols, marks, used),
		release: fmt.Sprintf("UPDATE %[1]s SET %[3]s = %[3]s - ? WHERE %[2]s AND %[3]s >= ?", tbl, where, used),
	}
}

// The counter tables of R1, R2 and R9.
var (
	imageSlots    = newCounter(&ImageCounter{}, "AccountID", "Region")
	opSlots       = newCounter(&OpCounter{}, "AccountID", "Region", "Day")
	instanceSlots = newCounter(&InstanceCounter{}, "AccountID", "Region")
)

// take adds n to the row of key if the result stays within limit, and
// reports whether it did.
func (c counter) take(tx *gorm.DB, n, limit int, key ...any) (bool, error) {
	if n > limit {
		return false, nil // a new row would start above the limit
	}
	changed, err := sqldb.Exec(tx, c.claim, append(append(key, n), limit)...)
	return changed == 1, err
}

// give returns n slots to the row of key, never going below zero.
func (c counter) give(tx *gorm.DB, n int, key ...any) error {
	_, err := sqldb.Exec(tx, c.release, append(append([]any{n}, key...), n)...)
	return err
}

// BeforeCreate enforces R1: a custom image is written only while the account
// has a free slot in its region. The store sets QuotaLimit; a write path that
// forgets it is refused (limit 0) rather than let through.
func (i *Image) BeforeCreate(tx *gorm.DB) error {
	if i.Type != TypePrivate {
		return nil
	}
	ok, err := imageSlots.take(tx, 1, i.QuotaLimit, i.OwnerID, i.Region)
	if err != nil {
		return err
	}
	if !ok {
		return E(CodeImageQuota, "err.quota.customImages", "Max", i.QuotaLimit, "Region", i.Region)
	}
	return nil
}

// AfterDelete frees the image's R1 slot: deleting frees exactly one.
func (i *Image) AfterDelete(tx *gorm.DB) error {
	if i.Type != TypePrivate {
		return nil
	}
	return imageSlots.give(tx, 1, i.OwnerID, i.Region)
}
