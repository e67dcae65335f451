// Package storetest opens real, migrated stores for tests of every package.
package storetest

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the postgres driver for schema set-up

	"golang.org/x/crypto/bcrypt"

	"imageconsole/models"
	"imageconsole/models/blob"
	"imageconsole/models/sqldb"
)

// Open returns a migrated, seeded store on a fresh database: a SQLite file
// in t.TempDir(), or, when CONSOLE_TEST_DB holds a postgres:// URL, a new
// schema of its own on that server, so tests stay independent.
func Open(t testing.TB) *models.Store {
	t.Helper()
	db, err := sqldb.Open(URL(t))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	s := models.NewStore(db)
	s.PasswordCost = bcrypt.MinCost
	if s.Blobs, err = blob.NewDir(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSecretKeyCipher([]byte("storetest-api-secret-key-32bytes")); err != nil {
		t.Fatal(err)
	}
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

// PostgresURL is the server the suites also run on, from CONSOLE_TEST_DB.
func PostgresURL() string {
	if u := os.Getenv("CONSOLE_TEST_DB"); strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://") {
		return u
	}
	return ""
}

// URL returns a database URL for one test: a SQLite file in t.TempDir(), or
// a fresh PostgreSQL schema (dropped afterwards) when CONSOLE_TEST_DB is set.
func URL(t testing.TB) string {
	t.Helper()
	base := PostgresURL()
	if base == "" {
		return "sqlite://" + filepath.Join(t.TempDir(), "test.db")
	}
	return NewSchema(t, base)
}

// NewSchema creates a schema on a PostgreSQL server and returns a URL whose
// connections use it; the schema is dropped when the test ends.
func NewSchema(t testing.TB, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	schema := "t_" + strings.ReplaceAll(models.NewID("s"), "-", "_")
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
