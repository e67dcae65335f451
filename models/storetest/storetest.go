// Package storetest opens real, migrated stores for tests of every package.
package storetest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"imageconsole/models"
)

// Open returns a migrated, seeded store on a fresh SQLite file in t.TempDir().
func Open(t testing.TB) *models.Store {
	t.Helper()
	db, err := models.Open("sqlite://" + filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	})
	s := models.NewStore(db)
	s.PasswordCost = bcrypt.MinCost
	if err := s.Migrate(); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if err := s.SeedCatalog(context.Background()); err != nil {
		t.Fatalf("seed: %v", err)
	}
	return s
}

// MustAccount creates an account with the password "password-123".
func MustAccount(t testing.TB, s *models.Store, email string) *models.Account {
	t.Helper()
	a, err := s.CreateAccount(context.Background(), models.NewAccount{Email: email, Password: "password-123", Name: email})
	if err != nil {
		t.Fatalf("create account %s: %v", email, err)
	}
	return a
}

// Clock is a settable clock for Store.Now.
type Clock struct{ T time.Time }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { return c.T }

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) { c.T = c.T.Add(d) }
