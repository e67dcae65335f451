package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"imageconsole/models/sqldb"
)

// Sign-in throttling. Every password check first takes a slot of one or
// more throttle rows in one atomic statement, as the quota counters do, and
// only then runs bcrypt: of 100 parallel guesses, at most Free reach the
// password check, on any number of replicas sharing the database.
//
// A row counts the attempts of one key that did not succeed. The first
// Free pass at once; after that each attempt must wait for the row's
// delay, which starts at Base and doubles with every further attempt up to
// Max. A success gives its own slot back. Rows idle for a day start over.
//
// The keys are chosen so that an attacker slows himself, not his victim:
//   - account+address: guesses at one account from one address. The victim
//     signing in from anywhere else is not affected.
//   - address: guesses at any accounts from one address, with a short cap,
//     so a shared NAT is slowed for a minute at worst, never locked out.
//   - known device: a browser where the account signed in before carries a
//     signed cookie naming that account; its attempts count on a row of
//     their own instead of the two above, so the owner's usual browser
//     signs in whatever strangers do from the same address.
//   - password change: the current-password check of one account.
type ThrottlePolicy struct {
	Free int
	Base time.Duration
	Max  time.Duration
}

// The policies of the throttled checks.
var (
	ThrottleAccount = ThrottlePolicy{Free: 5, Base: time.Second, Max: 15 * time.Minute}
	ThrottleAddress = ThrottlePolicy{Free: 20, Base: time.Second, Max: time.Minute}
)

// throttleForget is how long a row must be idle before it starts over.
const throttleForget = 24 * time.Hour

// CodeTooManySignIns refuses a password check while its key is throttled.
const CodeTooManySignIns = "LimitExceeded.SignInAttempts"

// SignInThrottle is one throttle row; times are Unix milliseconds, so the
// arithmetic of the claim statement is the same on SQLite and PostgreSQL.
type SignInThrottle struct {
	ThrottleKey string `gorm:"primaryKey;size:400"`
	Failures    int    `gorm:"not null"`
	DelayMS     int64  `gorm:"not null"` // the delay the last attempt set
	NextAt      int64  `gorm:"not null"` // when the next attempt may start
}

// throttleClaim takes a slot of a row: allowed while fewer than Free
// attempts are counted or the delay has passed. The delay expression
// doubles the last one once Free is reached. SET sees the old row, so the
// expression is written out twice.
var throttleClaim = func() string {
	m := &SignInThrottle{}
	t, key, failures, delayMS, nextAt := table(m), columns(m, "ThrottleKey"), columns(m, "Failures"), columns(m, "DelayMS"), columns(m, "NextAt")
	stale := t + "." + nextAt + " <= CAST(? AS BIGINT)"
	delay := fmt.Sprintf("CASE WHEN %[2]s OR %[1]s.%[3]s + 1 < CAST(? AS INTEGER) THEN 0 "+
		"WHEN %[1]s.%[4]s = 0 THEN CAST(? AS BIGINT) "+
		"WHEN %[1]s.%[4]s * 2 > CAST(? AS BIGINT) THEN CAST(? AS BIGINT) ELSE %[1]s.%[4]s * 2 END", t, stale, failures, delayMS)
	return fmt.Sprintf("INSERT INTO %[1]s (%[4]s, %[5]s, %[6]s, %[7]s) VALUES (?, 1, ?, ?) "+
		"ON CONFLICT (%[4]s) DO UPDATE SET %[5]s = CASE WHEN %[2]s THEN 1 ELSE %[1]s.%[5]s + 1 END, "+
		"%[6]s = %[3]s, %[7]s = CAST(? AS BIGINT) + %[3]s "+
		"WHERE %[1]s.%[5]s < CAST(? AS INTEGER) OR %[1]s.%[7]s <= CAST(? AS BIGINT)", t, stale, delay, key, failures, delayMS, nextAt)
}()

// throttleGiveBack is giveBack's statement.
var throttleGiveBack = "UPDATE " + table(&SignInThrottle{}) + " SET " + columns(&SignInThrottle{}, "Failures") + " = " +
	columns(&SignInThrottle{}, "Failures") + " - 1 WHERE " + columns(&SignInThrottle{}, "ThrottleKey") + " = ? AND " +
	columns(&SignInThrottle{}, "Failures") + " > 0"

// take claims a slot of key under p at now, reporting whether it was free.
func (p ThrottlePolicy) take(tx *gorm.DB, key string, now time.Time) (bool, error) {
	ms, base, maxMS := now.UnixMilli(), p.Base.Milliseconds(), p.Max.Milliseconds()
	stale := ms - throttleForget.Milliseconds()
	first := int64(0)
	if p.Free <= 1 {
		first = base
	}
	delayArgs := []any{stale, p.Free, base, maxMS, maxMS}
	args := []any{key, first, ms + first, stale}
	args = append(args, delayArgs...)
	args = append(append(args, ms), delayArgs...)
	args = append(args, p.Free, ms)
	n, err := sqldb.Exec(tx, throttleClaim, args...)
	return n == 1, err
}

// giveBack returns a slot taken for an attempt that was not made (the
// hashing limiter was busy) or that succeeded. Once the count is back
// under Free, the next claim also clears the delay.
func giveBack(tx *gorm.DB, key string) error {
	_, err := sqldb.Exec(tx, throttleGiveBack, key)
	return err
}

// throttleKey is one key with the policy that limits it.
type throttleKey struct {
	key    string
	policy ThrottlePolicy
}

// takeAll claims a slot of every key in one transaction: all or none.
func (s *AccountStore) takeAll(ctx context.Context, keys []throttleKey) error {
	now := s.now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		for _, k := range keys {
			ok, err := k.policy.take(tx, k.key, now)
			if err != nil {
				return err
			}
			if !ok {
				return errThrottled
			}
		}
		return nil
	})
	if !errors.Is(err, errThrottled) {
		return err
	}
	// Outside the refused transaction: read how long the wait is, for the message.
	wait := time.Second
	for _, k := range keys {
		var row SignInThrottle
		if err := s.db.WithContext(ctx).Where(columns(&SignInThrottle{}, "ThrottleKey")+" = ?", k.key).Limit(1).Find(&row).Error; err != nil {
			return err
		}
		wait = max(wait, time.UnixMilli(row.NextAt).Sub(now))
	}
	return tooManySignIns(wait)
}

// tooManySignIns says the wait the way people do: "5 seconds", "2 minutes".
func tooManySignIns(d time.Duration) error {
	if d < time.Minute {
		return E(CodeTooManySignIns, "err.signin.tooManySeconds", "N", max(1, int((d+time.Second-1)/time.Second)))
	}
	return E(CodeTooManySignIns, "err.signin.tooManyMinutes", "N", int((d+time.Minute-1)/time.Minute))
}

var errThrottled = E(CodeTooManySignIns, "err.signin.throttled")

// SignInAttempt is one person's try at signing in.
type SignInAttempt struct {
	Email, Password, ClientIP string
	// Device is the ID of a known device: the browser carries a signed
	// cookie, set at an earlier sign-in of this same email, naming it.
	Device string
}

func (a SignInAttempt) keys() []throttleKey {
	email := NormalEmail(a.Email)
	if a.Device != "" {
		return []throttleKey{{"dev:" + a.Device + "|" + email, ThrottleAccount}}
	}
	return []throttleKey{{"acct-ip:" + email + "|" + a.ClientIP, ThrottleAccount}, {"ip:" + a.ClientIP, ThrottleAddress}}
}

// SignIn authenticates a person: it takes a throttle slot for the attempt,
// then checks the password under the hashing limiter, then forgets the
// attempt if it succeeded. Three short transactions rather than one, so no
// transaction is held open across bcrypt; each is atomic on its own, and
// the slot is taken before the check, which is what bounds guessing.
func (s *AccountStore) SignIn(ctx context.Context, a SignInAttempt) (*Account, error) {
	keys := a.keys()
	if err := s.takeAll(ctx, keys); err != nil {
		return nil, err
	}
	acct, err := s.Authenticate(ctx, a.Email, a.Password)
	switch {
	case err == ErrBadCredentials:
		return nil, err // the slot stays taken: this is what the delay counts
	case err != nil:
		// Not checked (hashing busy, cancelled): the attempt does not count.
		return nil, errors.Join(err, s.giveBackAll(context.WithoutCancel(ctx), keys))
	}
	// Success gives the slot back rather than clearing the row: parallel
	// guesses that started before it stay counted, so no burst gets more
	// than Free checks. The browser now holds a known-device cookie, so its
	// owner's next sign-ins count on a row of their own anyway.
	return acct, s.giveBackAll(ctx, keys)
}

// giveBackAll returns a slot of every key in one transaction.
func (s *AccountStore) giveBackAll(ctx context.Context, keys []throttleKey) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		for _, k := range keys {
			if err := giveBack(tx, k.key); err != nil {
				return err
			}
		}
		return nil
	})
}

// NormalEmail is an email as accounts store it: trimmed, lower case.
func NormalEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(cleanText(email)))
}
