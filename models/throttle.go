package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Sign-in throttling: failures are counted per account and per client
// address in the database, so the limit holds across replicas.
const (
	ThrottleWindow     = 15 * time.Minute
	MaxFailuresAccount = 5
	MaxFailuresAddress = 20
)

// CodeTooManySignIns refuses a sign-in while its account or address is throttled.
const CodeTooManySignIns = "LimitExceeded.SignInAttempts"

// SignInFailure counts failed sign-ins of one key ("acct:<email>" or
// "ip:<address>") in a fixed window.
type SignInFailure struct {
	ThrottleKey string    `gorm:"primaryKey;size:320"`
	WindowStart time.Time `gorm:"not null"`
	Count       int       `gorm:"not null"`
}

// SignIn authenticates a person signing in from a client address, refusing
// while too many recent attempts failed for that account or that address.
func (s *Store) SignIn(ctx context.Context, email, password, clientIP string) (*Account, error) {
	keys := []string{"acct:" + normalEmail(email), "ip:" + clientIP}
	limits := []int{MaxFailuresAccount, MaxFailuresAddress}
	now := s.now()
	for i, key := range keys {
		var f SignInFailure
		if err := s.db.WithContext(ctx).Where("throttle_key = ?", key).Limit(1).Find(&f).Error; err != nil {
			return nil, err
		}
		if f.Count >= limits[i] && now.Sub(f.WindowStart) < ThrottleWindow {
			wait := f.WindowStart.Add(ThrottleWindow).Sub(now).Round(time.Minute)
			return nil, Errorf(CodeTooManySignIns, "Too many failed sign-ins. Try again in %s.", fmt.Sprint(max(wait, time.Minute)))
		}
	}
	acct, err := s.Authenticate(ctx, email, password)
	if err == ErrBadCredentials {
		if err := s.recordFailures(ctx, keys, now); err != nil {
			return nil, err
		}
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, err
	}
	// Success forgives the account's failures, not the address's.
	return acct, s.db.WithContext(ctx).Where("throttle_key = ?", keys[0]).Delete(&SignInFailure{}).Error
}

// recordFailures adds one failure to each key, starting a new window when
// the old one has passed.
func (s *Store) recordFailures(ctx context.Context, keys []string, now time.Time) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		for _, key := range keys {
			if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&SignInFailure{ThrottleKey: key, WindowStart: now}).Error; err != nil {
				return err
			}
			if err := tx.Model(&SignInFailure{}).Where("throttle_key = ? AND window_start <= ?", key, now.Add(-ThrottleWindow)).
				Updates(map[string]any{"window_start": now, "count": 0}).Error; err != nil {
				return err
			}
			if err := tx.Model(&SignInFailure{}).Where("throttle_key = ?", key).UpdateColumn("count", gorm.Expr("count + 1")).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

func normalEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(cleanText(email)))
}
