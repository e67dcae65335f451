package models

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"imageconsole/models/blob"
)

// Limits are the configurable defaults of the rules of SPEC.md §4.
type Limits struct {
	CustomImages int // R1, per account per region
	DailyOps     int // R2, per account per region per day
	Shares       int // R4, per image
	Instances    int // R9, per account per region
}

// DefaultLimits are the product page's numbers.
var DefaultLimits = Limits{CustomImages: 10, DailyOps: 5, Shares: 50, Instances: 50}

// Pricing holds the configurable fees of R7.
type Pricing struct {
	WindowsLicensePerVCPU float64 // CNY per vCPU-hour, overseas regions only
}

// DefaultPricing is used unless configured otherwise.
var DefaultPricing = Pricing{WindowsLicensePerVCPU: 0.12}

// Store is the domain: every exported use-case method runs in exactly one
// transaction and returns coded errors.
type Store struct {
	db      *gorm.DB
	Limits  Limits
	Pricing Pricing
	// Now is the clock; tests inject a fixed one.
	Now func() time.Time
	// PasswordCost is the bcrypt cost; tests lower it.
	PasswordCost int
	// Hashing bounds concurrent bcrypt work (password_policy.go).
	Hashing *HashLimiter
	// SessionLifetime ends a console session this long after sign-in;
	// SessionIdle ends it earlier after this long without a request.
	SessionLifetime, SessionIdle time.Duration
	// secrets encrypts API SecretKeys at rest; see SetSecretKeyCipher.
	secrets *secretCipher
	// Observer, if set, is told about refusals and background work.
	Observer Observer
	// Blobs keeps imported image files, under the image ID.
	Blobs blob.Store
	// TaskScale multiplies background task durations; 0 finishes them as
	// soon as a worker runs them.
	TaskScale float64
	// group commits SQLite's transactions together; nil on PostgreSQL.
	group *groupCommit
}

// NewStore wraps an open database.
func NewStore(db *gorm.DB) *Store {
	s := &Store{db: db, Limits: DefaultLimits, Pricing: DefaultPricing, Now: time.Now, PasswordCost: 11, TaskScale: 1,
		Hashing: NewHashLimiter(runtime.GOMAXPROCS(0)/2, time.Second), SessionLifetime: DefaultSessionLifetime, SessionIdle: DefaultSessionIdle}
	if pool, ok := db.ConnPool.(*gatedPool); ok {
		s.group = newGroupCommit(db, pool.gate.wait)
	}
	return s
}

// DB exposes the database to the wiring code (health checks, closing).
func (s *Store) DB() *gorm.DB { return s.db }

// Open connects to a database URL: sqlite://path or postgres://... .
// SQLite gets WAL, a busy timeout, foreign keys and BEGIN IMMEDIATE, so that
// concurrent writers queue instead of failing with "database is locked";
// they queue in Go at the write gate (sqlite_gate.go), connections keep
// their statements prepared (sqlite_conn.go) and checkpoints run in the
// background (sqlite_checkpoint.go).
func Open(url string) (*gorm.DB, error) {
	cfg := &gorm.Config{Logger: logger.Default.LogMode(logger.Silent), NowFunc: func() time.Time { return time.Now().UTC() },
		TranslateError: true}
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return gorm.Open(postgres.Open(url), cfg)
	case strings.HasPrefix(url, "sqlite://"):
		path := strings.TrimPrefix(url, "sqlite://")
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, err
			}
		}
		dsn := "file:" + path + "?_txlock=immediate&_journal_mode=WAL&_busy_timeout=10000&_foreign_keys=on&_synchronous=NORMAL"
		connector := newSQLiteConnector(dsn)
		sqlDB := sql.OpenDB(connector)
		go checkpoint(sqlDB, connector.done)
		db, err := gorm.Open(sqlite.New(sqlite.Config{DSN: dsn, Conn: newGatedPool(sqlDB, 10*time.Second)}), cfg)
		if err != nil {
			sqlDB.Close()
			return nil, err
		}
		// Every open connection may stay idle: database/sql keeps only two
		// by default, and closed the others as soon as a burst of reads
		// had used them, so the next burst reopened them and prepared all
		// their statements anew.
		sqlDB.SetMaxOpenConns(8)
		sqlDB.SetMaxIdleConns(8)
		sqlDB.SetConnMaxIdleTime(time.Minute)
		return db, nil
	default:
		return nil, fmt.Errorf("unsupported database URL %q: use sqlite://PATH or postgres://...", url)
	}
}

// Migrate creates or updates the schema.
func (s *Store) Migrate() error {
	if s.db.Dialector.Name() == "postgres" {
		// Replicas starting together take turns: an advisory lock held for
		// the transaction makes the schema changes one replica's at a time.
		return s.db.Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(727274)").Error; err != nil {
				return err
			}
			return migrate(tx)
		})
	}
	return migrate(s.db)
}

func migrate(db *gorm.DB) error {
	if err := db.AutoMigrate(allModels()...); err != nil {
		return err
	}
	// Custom image names are unique per account and region (SPEC.md §3); the
	// database holds the rule too, as the last line behind the store's check.
	return db.Exec(`CREATE UNIQUE INDEX IF NOT EXISTS idx_images_custom_name
		ON images (owner_id, region, name) WHERE type = 'PRIVATE_IMAGE'`).Error
}

func allModels() []any {
	return []any{
		&Account{}, &WebSession{}, &Image{}, &ImageShare{},
		&ImageCounter{}, &OpCounter{}, &Operation{},
		&APIKey{},
		&Instance{}, &InstanceCounter{}, &Task{}, &SignInThrottle{},
		&MarketListing{}, &MarketRegion{}, &MarketLaunch{}, &QuotaOverride{}, &AuditEntry{},
	}
}

// tx runs fn in one transaction bound to ctx; on SQLite it may share the
// database's transaction with other use cases (sqlite_group.go), each under
// a savepoint of its own.
func (s *Store) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if s.group != nil {
		return s.group.run(ctx, fn)
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return fn(inTx(tx, ctx)) })
}

// write runs one statement in a transaction of the store's, so that on
// SQLite it joins a group commit rather than taking the write lock on its
// own, and returns the rows it changed.
func (s *Store) write(ctx context.Context, stmt func(tx *gorm.DB) *gorm.DB) (int64, error) {
	var n int64
	err := s.tx(ctx, func(tx *gorm.DB) error {
		res := stmt(tx)
		n = res.RowsAffected
		return res.Error
	})
	return n, err
}

// execRaw runs a statement that no hook guards straight on the connection
// of tx (its transaction): GORM's Exec builds a statement object around it,
// a few kilobytes and microseconds each time, and inside a write those are
// spent while the database's write lock is held. query uses ? placeholders.
func execRaw(tx *gorm.DB, query string, args ...any) (int64, error) {
	res, err := tx.Statement.ConnPool.ExecContext(tx.Statement.Context, rebind(tx, query), args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// queryRow reads one row the way execRaw writes: straight on the
// connection of tx, for hot reads whose GORM statement cost more than the
// query. query uses ? placeholders.
func queryRow(tx *gorm.DB, query string, args ...any) *sql.Row {
	return tx.Statement.ConnPool.QueryRowContext(tx.Statement.Context, rebind(tx, query), args...)
}

// pgQueries caches queries with PostgreSQL's numbered placeholders.
var pgQueries sync.Map

// rebind turns the ? placeholders of query into $1, $2 … on PostgreSQL.
func rebind(tx *gorm.DB, query string) string {
	if tx.Dialector.Name() != "postgres" {
		return query
	}
	if q, ok := pgQueries.Load(query); ok {
		return q.(string)
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	pgQueries.Store(query, b.String())
	return b.String()
}

// now is the store's clock in UTC.
func (s *Store) now() time.Time { return s.Now().UTC() }

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// NewID returns prefix + "-" + 8 random lower-case alphanumerics: IDs are
// random, never sequential, so they reveal nothing about other accounts.
func NewID(prefix string) string {
	return prefix + "-" + randomString(8, idAlphabet)
}

// randomString draws n characters uniformly from alphabet (rejection sampling
// avoids the modulo bias of b % len(alphabet)).
func randomString(n int, alphabet string) string {
	out := make([]byte, 0, n)
	limit := 256 - 256%len(alphabet)
	buf := make([]byte, n*2)
	for len(out) < n {
		if _, err := rand.Read(buf); err != nil {
			panic(err) // crypto/rand never fails on supported platforms
		}
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return string(out)
}

// ValidID reports whether id looks like prefix-xxxxxxxx.
func ValidID(prefix, id string) bool {
	if len(id) != len(prefix)+9 || !strings.HasPrefix(id, prefix+"-") {
		return false
	}
	for _, c := range id[len(prefix)+1:] {
		if !strings.ContainsRune(idAlphabet, c) {
			return false
		}
	}
	return true
}

// roundPrice keeps four decimals, as the cloud's price lists do.
func roundPrice(v float64) float64 {
	return float64(int64(v*10000+0.5)) / 10000
}
