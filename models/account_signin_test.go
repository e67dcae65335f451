package models_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"imageconsole/models"
	"imageconsole/models/storetest"
)

// failures reads the count of a throttle row (0 when there is none).
func failures(t *testing.T, s *models.Store, key string) int {
	t.Helper()
	var row models.SignInThrottle
	if err := s.DB().Where("throttle_key = ?", key).Limit(1).Find(&row).Error; err != nil {
		t.Fatal(err)
	}
	return row.Failures
}

func signIn(s *models.Store, email, password, ip, device string) error {
	_, err := s.SignIn(context.Background(), models.SignInAttempt{Email: email, Password: password, ClientIP: ip, Device: device})
	return err
}

func TestStore_SignInThrottle(t *testing.T) {
	s := storetest.Open(t)
	clock := &storetest.Clock{T: time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)}
	s.Now = clock.Now
	storetest.MustAccount(t, s, "victim@example.com")
	free := models.ThrottleAccount.Free

	t.Run("ErrAccountAddressDelayed", func(t *testing.T) {
		for i := range free {
			if err := signIn(s, "victim@example.com", "wrong-password", "10.0.0.1", ""); err != models.ErrBadCredentials {
				t.Fatalf("attempt %d: %v", i+1, err)
			}
		}
		// Refused before the password is checked, even the right one, and
		// the refusal writes nothing.
		wantCode(t, signIn(s, "Victim@example.com", "password-123", "10.0.0.1", ""), models.CodeTooManySignIns)
		if got := failures(t, s, "acct-ip:victim@example.com|10.0.0.1"); got != free {
			t.Errorf("failures = %d after a refused attempt, want %d", got, free)
		}
		// The delay doubles with each further failure: 1s, 2s, 4s.
		for _, delay := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second} {
			clock.Advance(delay - time.Millisecond)
			wantCode(t, signIn(s, "victim@example.com", "wrong-password", "10.0.0.1", ""), models.CodeTooManySignIns)
			clock.Advance(time.Millisecond)
			if err := signIn(s, "victim@example.com", "wrong-password", "10.0.0.1", ""); err != models.ErrBadCredentials {
				t.Fatalf("after %s: %v", delay, err)
			}
		}
	})
	t.Run("OtherAddressNotLockedOut", func(t *testing.T) {
		if err := signIn(s, "victim@example.com", "password-123", "10.0.0.2", ""); err != nil {
			t.Errorf("the victim from another address: %v", err)
		}
	})
	t.Run("KnownDeviceNotLockedOut", func(t *testing.T) {
		// Same address as the attacker, but a browser the account used before.
		if err := signIn(s, "victim@example.com", "password-123", "10.0.0.1", "device-1"); err != nil {
			t.Errorf("the victim's known device: %v", err)
		}
	})
	t.Run("SuccessGivesItsSlotBack", func(t *testing.T) {
		clock.Advance(time.Hour)
		before := failures(t, s, "acct-ip:victim@example.com|10.0.0.1")
		if err := signIn(s, "victim@example.com", "password-123", "10.0.0.1", ""); err != nil {
			t.Fatal(err)
		}
		if got := failures(t, s, "acct-ip:victim@example.com|10.0.0.1"); got != before {
			t.Errorf("failures %d → %d after a success", before, got)
		}
	})
	t.Run("ErrAddressSlowedNotLocked", func(t *testing.T) {
		for i := range models.ThrottleAddress.Free {
			signIn(s, fmt.Sprintf("nobody%d@example.com", i), "x-password", "10.9.9.9", "")
		}
		wantCode(t, signIn(s, "victim@example.com", "password-123", "10.9.9.9", ""), models.CodeTooManySignIns)
		if err := signIn(s, "victim@example.com", "password-123", "10.9.9.10", ""); err != nil {
			t.Errorf("another address is not throttled: %v", err)
		}
		// However long it goes on, the address waits at most Max.
		for i := range 20 {
			clock.Advance(models.ThrottleAddress.Max)
			if err := signIn(s, fmt.Sprintf("again%d@example.com", i), "x-password", "10.9.9.9", ""); err != models.ErrBadCredentials {
				t.Fatalf("after %s: %v", models.ThrottleAddress.Max, err)
			}
		}
		clock.Advance(models.ThrottleAddress.Max)
		if err := signIn(s, "victim@example.com", "password-123", "10.9.9.9", ""); err != nil {
			t.Errorf("after the longest delay: %v", err)
		}
	})
	t.Run("IdleRowsStartOver", func(t *testing.T) {
		for range free + 1 {
			signIn(s, "victim@example.com", "wrong-password", "10.0.0.3", "")
		}
		clock.Advance(25 * time.Hour)
		for i := range free - 1 {
			if err := signIn(s, "victim@example.com", "wrong-password", "10.0.0.3", ""); err != models.ErrBadCredentials {
				t.Fatalf("attempt %d a day later: %v", i+1, err)
			}
		}
	})
}

// TestStore_SignInThrottleConcurrent: parallel guesses take their slots
// atomically before bcrypt, so at most Free of them are checked.
func TestStore_SignInThrottleConcurrent(t *testing.T) {
	s := storetest.Open(t)
	// What is measured is the throttle: the hashing limiter must not turn
	// away the few attempts that got a slot, however slow bcrypt runs here
	// (the race detector, a busy machine).
	s.Hashing = models.NewHashLimiter(1, time.Minute)
	storetest.MustAccount(t, s, "target@example.com")
	free := models.ThrottleAccount.Free
	run := func(n int, password func(i int) string) (checked, ok, refused int) {
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				err := signIn(s, "target@example.com", password(i), "192.0.2.1", "")
				mu.Lock()
				defer mu.Unlock()
				switch models.ErrorCode(err) {
				case "":
					checked, ok = checked+1, ok+1
				case models.CodeAuthFailure:
					checked++
				case models.CodeTooManySignIns:
					refused++
				default:
					t.Errorf("attempt %d: %v", i, err)
				}
			})
		}
		wg.Wait()
		return
	}
	t.Run("100Wrong", func(t *testing.T) {
		checked, _, refused := run(100, func(int) string { return "wrong-password" })
		if checked != free || refused != 100-free {
			t.Errorf("checked %d, refused %d: want exactly %d checked", checked, refused, free)
		}
		if got := failures(t, s, "acct-ip:target@example.com|192.0.2.1"); got != free {
			t.Errorf("failures = %d, want %d", got, free)
		}
	})
	t.Run("39WrongOneRight", func(t *testing.T) {
		s.DB().Where("1 = 1").Delete(&models.SignInThrottle{})
		checked, _, _ := run(40, func(i int) string {
			if i == 20 {
				return "password-123"
			}
			return "wrong-password"
		})
		if checked > free {
			t.Errorf("%d passwords checked, want at most %d", checked, free)
		}
	})
}

// TestStore_SignInHashingBusy: when no hashing slot frees up in time the
// attempt is answered at once and does not count as a failure.
func TestStore_SignInHashingBusy(t *testing.T) {
	s := storetest.Open(t)
	storetest.MustAccount(t, s, "busy@example.com")
	s.Hashing = models.NewHashLimiter(1, 10*time.Millisecond)
	release, err := s.Hashing.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	wantCode(t, signIn(s, "busy@example.com", "password-123", "192.0.2.9", ""), models.CodeHashBusy)
	if got := failures(t, s, "acct-ip:busy@example.com|192.0.2.9"); got != 0 {
		t.Errorf("failures = %d: an unchecked attempt counted", got)
	}
	release()
	if err := signIn(s, "busy@example.com", "password-123", "192.0.2.9", ""); err != nil {
		t.Errorf("after the slot is free: %v", err)
	}
}

func TestStore_ChangePassword(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	a := storetest.MustAccount(t, s, "pw@example.com")
	tok, _ := s.StartSession(ctx, a.ID)
	hashBefore := func() string {
		acct, _ := s.Account(ctx, a.ID)
		return string(acct.PasswordHash)
	}
	before := hashBefore()
	t.Run("ErrWrongCurrent", func(t *testing.T) {
		wantCode(t, s.ChangePassword(ctx, a.ID, "not-it-123", "new-password-1"), models.CodeAuthFailure)
		if _, err := s.Session(ctx, tok); err != nil {
			t.Error("a refused change ended the session")
		}
	})
	for _, tt := range []struct{ name, next string }{
		{"ErrNewTooShort", "short"},
		{"ErrNew11Chars", "uvq-kjx-wpz"},
		{"ErrNewCommon", "password1234"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if f := models.ErrorField(s.ChangePassword(ctx, a.ID, "password-123", tt.next)); f != "new_password" {
				t.Errorf("field %q", f)
			}
		})
	}
	t.Run("ErrThrottled", func(t *testing.T) {
		for range models.ThrottleAccount.Free - 1 { // one wrong try above
			wantCode(t, s.ChangePassword(ctx, a.ID, "not-it-123", "new-password-1"), models.CodeAuthFailure)
		}
		err := s.ChangePassword(ctx, a.ID, "password-123", "new-password-1")
		wantCode(t, err, models.CodeTooManySignIns)
		if models.ErrorField(err) != "current_password" {
			t.Errorf("field %q", models.ErrorField(err))
		}
		if hashBefore() != before {
			t.Error("a refused change wrote the password")
		}
		s.DB().Where("1 = 1").Delete(&models.SignInThrottle{})
	})
	t.Run("OK", func(t *testing.T) {
		if err := s.ChangePassword(ctx, a.ID, "password-123", "new-password-1"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Session(ctx, tok); err != models.ErrNoSession {
			t.Errorf("old session survived a password change: %v", err)
		}
		if _, err := s.Authenticate(ctx, "pw@example.com", "new-password-1"); err != nil {
			t.Errorf("new password: %v", err)
		}
	})
}
