package models_test

import (
	"context"
	"testing"
	"time"

	"imageconsole/models"
	"imageconsole/models/storetest"
)

func TestStore_SignInThrottle(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	clock := &storetest.Clock{T: time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)}
	s.Now = clock.Now
	storetest.MustAccount(t, s, "victim@example.com")

	for i := range models.MaxFailuresAccount {
		if _, err := s.SignIn(ctx, "victim@example.com", "wrong-password", "10.0.0.1"); err != models.ErrBadCredentials {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	// Locked for the account, even with the right password and another address.
	_, err := s.SignIn(ctx, "Victim@example.com", "password-123", "10.0.0.2")
	wantCode(t, err, models.CodeTooManySignIns)
	clock.Advance(models.ThrottleWindow)
	if _, err := s.SignIn(ctx, "victim@example.com", "password-123", "10.0.0.2"); err != nil {
		t.Fatalf("after the window: %v", err)
	}

	// Per address: many accounts from one address.
	for i := range models.MaxFailuresAddress {
		s.SignIn(ctx, "nobody"+string(rune('a'+i))+"@example.com", "x-password", "10.9.9.9")
	}
	_, err = s.SignIn(ctx, "victim@example.com", "password-123", "10.9.9.9")
	wantCode(t, err, models.CodeTooManySignIns)
	if _, err := s.SignIn(ctx, "victim@example.com", "password-123", "10.9.9.10"); err != nil {
		t.Errorf("another address is not throttled: %v", err)
	}
}

func TestStore_ChangePassword(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	a := storetest.MustAccount(t, s, "pw@example.com")
	tok, _ := s.StartSession(ctx, a.ID)
	t.Run("ErrWrongCurrent", func(t *testing.T) {
		wantCode(t, s.ChangePassword(ctx, a.ID, "not-it-123", "new-password-1"), models.CodeAuthFailure)
		if _, err := s.Session(ctx, tok); err != nil {
			t.Error("a refused change ended the session")
		}
	})
	t.Run("ErrNewTooShort", func(t *testing.T) {
		if f := models.ErrorField(s.ChangePassword(ctx, a.ID, "password-123", "short")); f != "new_password" {
			t.Errorf("field %q", f)
		}
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
