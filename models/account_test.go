package models_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"imageconsole/models"
	"imageconsole/models/storetest"
)

func TestStore_CreateAccount(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	t.Run("OK", func(t *testing.T) {
		a, err := s.CreateAccount(ctx, models.NewAccount{Email: " Ann@Example.com ", Password: "long-enough-pass"})
		if err != nil {
			t.Fatal(err)
		}
		if len(a.ID) != 12 || a.ID[0] == '0' || strings.Trim(a.ID, "0123456789") != "" {
			t.Errorf("UIN %q is not 12 digits", a.ID)
		}
		if a.Email != "ann@example.com" || a.Name != "ann" || a.Role != models.RoleUser {
			t.Errorf("got %+v", a)
		}
		if string(a.PasswordHash) == "long-enough-pass" {
			t.Error("password stored in clear")
		}
	})
	tests := []struct {
		name  string
		in    models.NewAccount
		field string
	}{
		{"ErrEmailInvalid", models.NewAccount{Email: "nope", Password: "long-enough-pass"}, "email"},
		{"ErrEmailTaken", models.NewAccount{Email: "ANN@example.com", Password: "long-enough-pass"}, "email"},
		{"ErrPasswordShort", models.NewAccount{Email: "b@example.com", Password: "short"}, "password"},
		{"ErrPassword11Chars", models.NewAccount{Email: "b@example.com", Password: "uvq-kjx-wpz"}, "password"},
		{"ErrPasswordCommon", models.NewAccount{Email: "b@example.com", Password: "passwordpassword"}, "password"},
		{"ErrPasswordCommonWithDigits", models.NewAccount{Email: "b@example.com", Password: "password1234"}, "password"},
		{"ErrPasswordKeyboardWalk", models.NewAccount{Email: "b@example.com", Password: "qwertyuiopas"}, "password"},
		{"ErrPasswordIsTheEmail", models.NewAccount{Email: "zanzibar.quokka@example.com", Password: "zanzibarquokka"}, "password"},
		{"ErrPasswordOver72Bytes", models.NewAccount{Email: "b@example.com", Password: strings.Repeat("é", 37)}, "password"},
		{"ErrNameTooLong", models.NewAccount{Email: "b@example.com", Password: "long-enough-pass", Name: strings.Repeat("n", 65)}, "name"},
		{"ErrRole", models.NewAccount{Email: "b@example.com", Password: "long-enough-pass", Role: "root"}, "role"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before int64
			s.DB().Model(&models.Account{}).Count(&before)
			_, err := s.CreateAccount(ctx, tt.in)
			if got := models.ErrorField(err); got != tt.field {
				t.Fatalf("field = %q (err %v), want %q", got, err, tt.field)
			}
			var after int64
			s.DB().Model(&models.Account{}).Count(&after)
			if after != before {
				t.Errorf("accounts %d → %d: a refused sign-up wrote a row", before, after)
			}
		})
	}
}

func TestStore_Authenticate(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	storetest.MustAccount(t, s, "carol@example.com")
	if _, err := s.Authenticate(ctx, "Carol@Example.com", "password-123"); err != nil {
		t.Fatalf("OK: %v", err)
	}
	_, wrongPass := s.Authenticate(ctx, "carol@example.com", "password-124")
	_, unknown := s.Authenticate(ctx, "nobody@example.com", "password-123")
	if wrongPass == nil || unknown == nil || wrongPass.Error() != unknown.Error() {
		t.Errorf("wrong password %v and unknown email %v must give the same error", wrongPass, unknown)
	}
}

func TestStore_Sessions(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	a := storetest.MustAccount(t, s, "dave@example.com")
	tok1, err := s.StartSession(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	tok2, _ := s.StartSession(ctx, a.ID)
	if tok1 == tok2 {
		t.Fatal("two sign-ins got the same token")
	}
	ws, err := s.Session(ctx, tok1)
	if err != nil || ws.Account.Email != "dave@example.com" || ws.Region != models.DefaultRegion {
		t.Fatalf("session = %+v, %v", ws, err)
	}
	if err := s.SetSessionRegion(ctx, tok1, "ap-tokyo"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSessionRegion(ctx, tok1, "mars-1"); models.ErrorCode(err) != models.CodeInvalidRegionNotFound {
		t.Errorf("unknown region: %v", err)
	}
	if ws, _ := s.Session(ctx, tok1); ws.Region != "ap-tokyo" {
		t.Errorf("region = %s", ws.Region)
	}
	if err := s.EndSession(ctx, tok1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(ctx, tok1); err != models.ErrNoSession {
		t.Errorf("ended session still works: %v", err)
	}
	if _, err := s.Session(ctx, tok2); err != nil {
		t.Errorf("other session ended too: %v", err)
	}
}

// TestStore_SessionTimeouts: a session ends after SessionIdle without a
// request, and after SessionLifetime however active it is.
func TestStore_SessionTimeouts(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	clock := &storetest.Clock{T: time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)}
	s.Now, s.SessionIdle, s.SessionLifetime = clock.Now, 30*time.Minute, 2*time.Hour
	a := storetest.MustAccount(t, s, "idle@example.com")
	t.Run("ErrIdle", func(t *testing.T) {
		tok, _ := s.StartSession(ctx, a.ID)
		clock.Advance(29 * time.Minute)
		if _, err := s.Session(ctx, tok); err != nil {
			t.Fatalf("29 minutes idle: %v", err)
		}
		clock.Advance(29 * time.Minute) // active 29 minutes ago: still live
		if _, err := s.Session(ctx, tok); err != nil {
			t.Fatalf("a request restarts the idle time: %v", err)
		}
		clock.Advance(30 * time.Minute)
		if _, err := s.Session(ctx, tok); err != models.ErrNoSession {
			t.Errorf("30 minutes idle: %v, want ErrNoSession", err)
		}
	})
	t.Run("ErrLifetime", func(t *testing.T) {
		tok, _ := s.StartSession(ctx, a.ID)
		for range 6 { // a request every 20 minutes, up to 1h40
			if _, err := s.Session(ctx, tok); err != nil {
				t.Fatalf("at %s: %v", clock.T, err)
			}
			clock.Advance(20 * time.Minute)
		}
		if _, err := s.Session(ctx, tok); err != models.ErrNoSession {
			t.Errorf("past the lifetime: %v, want ErrNoSession", err)
		}
	})
}
