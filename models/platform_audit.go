package models

import (
	"context"
	"encoding/json"
	"time"

	"gorm.io/gorm"
)

// AuditEntry records one operator action: who, what, when, and the target's
// state before and after as JSON. It is written in the same transaction as
// the action, so the log and the change commit or roll back together.
type AuditEntry struct {
	ID         uint      `gorm:"primaryKey"`
	At         time.Time `gorm:"not null;index"`
	OperatorID string    `gorm:"size:12;not null;index"`
	Action     string    `gorm:"size:40;not null"`
	Target     string    `gorm:"size:64;not null"`
	Before     string    `gorm:"type:text;not null;default:''"`
	After      string    `gorm:"type:text;not null;default:''"`
	Via        string    `gorm:"size:8;not null;default:''"`
	RequestID  string    `gorm:"size:40;not null;default:''"`
}

// Audited operator actions.
const (
	AuditApproveListing   = "ApproveListing"
	AuditRejectListing    = "RejectListing"
	AuditAddCommonImage   = "AddCommonImage"
	AuditDeprecateImage   = "DeprecateCommonImage"
	AuditUndeprecateImage = "UndeprecateCommonImage"
	AuditRetireImage      = "RetireCommonImage"
	AuditQuotaOverride    = "SetQuotaOverride"
)

// audit writes an entry inside the action's transaction; nil before or
// after is stored as "" (nothing existed, or nothing remains).
func (s *core) audit(tx *gorm.DB, a Actor, action, target string, before, after any) error {
	e := AuditEntry{At: s.now(), OperatorID: a.AccountID, Action: action, Target: target, Via: a.Via, RequestID: a.RequestID}
	var err error
	if e.Before, err = auditJSON(before); err != nil {
		return err
	}
	if e.After, err = auditJSON(after); err != nil {
		return err
	}
	return tx.Create(&e).Error
}

func auditJSON(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}

// AuditQuery selects a page of the audit log.
type AuditQuery struct {
	Page, Size int
}

// AuditPage is a page of the audit log, newest first.
type AuditPage struct {
	Rows       []AuditEntry
	Total      int64
	Page, Size int
}

// AuditLog lists every operator's actions; only operators may read it.
func (s *PlatformStore) AuditLog(ctx context.Context, a Actor, q AuditQuery) (AuditPage, error) {
	out := AuditPage{}
	out.Page, out.Size = clampPage(q.Page, q.Size)
	db := s.db.WithContext(ctx)
	if _, err := requireRole(db, a, RoleOperator); err != nil {
		return out, err
	}
	list := db.Model(&AuditEntry{})
	if err := list.Count(&out.Total).Error; err != nil {
		return out, err
	}
	err := list.Order("at DESC, id DESC").Offset((out.Page - 1) * out.Size).Limit(out.Size).Find(&out.Rows).Error
	return out, err
}
