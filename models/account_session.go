package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"gorm.io/gorm"
)

// The default session limits follow NIST SP 800-63B at AAL2 (which ASVS
// level 2 points to): sign in again after 12 hours, or after 30 minutes
// without a request. Store.SessionLifetime and Store.SessionIdle override them.
const (
	DefaultSessionLifetime = 12 * time.Hour
	DefaultSessionIdle     = 30 * time.Minute
)

// WebSession is the server-side record of a console sign-in. The cookie holds
// only a random token; the table keeps its hash, so signing out (deleting the
// row) makes a copied cookie useless and a leaked table reveals no tokens.
type WebSession struct {
	ID        string `gorm:"primaryKey;size:64"` // hex SHA-256 of the token
	AccountID string `gorm:"size:12;not null;index"`
	Account   Account
	Region    string `gorm:"size:32;not null"`
	CreatedAt time.Time
	ExpiresAt time.Time `gorm:"not null"`
	// LastSeenAt is when the session last served a request, to the minute
	// (see touchEvery); the idle timeout counts from it. Rows from before
	// the column existed hold NULL and count as idle.
	LastSeenAt *time.Time
}

// touchEvery is how stale LastSeenAt may get before a request writes it:
// one write a minute per active session, not one per request.
const touchEvery = time.Minute

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// StartSession creates a fresh session for a signed-in account and returns
// its token. A new token at every sign-in prevents session fixation.
func (s *AccountStore) StartSession(ctx context.Context, accountID string) (string, error) {
	token := randomString(43, idAlphabet+"ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	now := s.now()
	ws := WebSession{ID: hashToken(token), AccountID: accountID, Region: DefaultRegion, CreatedAt: now, ExpiresAt: now.Add(s.SessionLifetime), LastSeenAt: &now}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		// Expired rows of this account go at the same time, so the table stays small.
		if err := tx.Where("account_id = ? AND expires_at < ?", accountID, now).Delete(&WebSession{}).Error; err != nil {
			return err
		}
		return tx.Create(&ws).Error
	})
	return token, err
}

// ErrNoSession means the token names no live session.
var ErrNoSession = E(CodeAuthFailure, "err.session.ended")

// Session resolves a token to its live session and account: one that has
// neither outlived SessionLifetime nor been idle for SessionIdle. Using it
// counts as activity.
func (s *AccountStore) Session(ctx context.Context, token string) (*WebSession, error) {
	if token == "" {
		return nil, ErrNoSession
	}
	var ws WebSession
	now := s.now()
	// One query per request: the account comes joined, not preloaded by a second.
	err := s.db.WithContext(ctx).Joins("Account").
		Where("web_sessions.id = ? AND web_sessions.expires_at > ? AND web_sessions.last_seen_at > ?",
			hashToken(token), now, now.Add(-s.SessionIdle)).Take(&ws).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, err
	}
	if now.Sub(*ws.LastSeenAt) >= min(touchEvery, s.SessionIdle/2) {
		if _, err := s.write(ctx, func(tx *gorm.DB) *gorm.DB {
			return tx.Model(&WebSession{}).Where("id = ?", ws.ID).UpdateColumn("last_seen_at", now)
		}); err != nil {
			return nil, err
		}
		ws.LastSeenAt = &now
	}
	return &ws, nil
}

// SetSessionRegion remembers the region the user works in.
func (s *AccountStore) SetSessionRegion(ctx context.Context, token, region string) error {
	if _, ok := LookupRegion(region); !ok {
		return E(CodeInvalidRegionNotFound, "err.session.regionNotFound", "Region", region)
	}
	return s.db.WithContext(ctx).Model(&WebSession{}).Where("id = ?", hashToken(token)).Update("region", region).Error
}

// EndSession signs a session out on the server.
func (s *AccountStore) EndSession(ctx context.Context, token string) error {
	return s.db.WithContext(ctx).Where("id = ?", hashToken(token)).Delete(&WebSession{}).Error
}
