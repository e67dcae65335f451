// Package sqldb opens the product's databases and runs their transactions:
// SQLite's connection set-up (pragmas, prepared-statement cache, write
// gate, background checkpoints, pool sizes) and PostgreSQL's, kept out of
// the domain package, which sees only Gorm and Tx.
package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	"gorm.io/gorm/schema"
)

// DB is an open database.
type DB struct {
	gorm *gorm.DB
	sql  *sql.DB
	// group commits SQLite's transactions together; nil on PostgreSQL.
	group *groupCommit
}

// Naming is how GORM names the tables and columns of every database Open
// opens (GORM's default), for raw SQL that must name them the same way.
var Naming schema.Namer = schema.NamingStrategy{IdentifierMaxLength: 64}

// pgPoolSize bounds the connections one process keeps to PostgreSQL.
const pgPoolSize = 16

// busyTimeout is how long a SQLite transaction waits for the write lock,
// at the write gate and in SQLite's busy handler alike.
const busyTimeout = 10 * time.Second

// Open connects to a database URL: sqlite://path or postgres://... .
func Open(url string) (*DB, error) {
	cfg := &gorm.Config{Logger: logger.Default.LogMode(logger.Silent), NowFunc: func() time.Time { return time.Now().UTC() },
		TranslateError: true, NamingStrategy: Naming}
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		db, err := gorm.Open(postgres.Open(url), cfg)
		if err != nil {
			return nil, err
		}
		sqlDB, err := db.DB()
		if err != nil {
			return nil, err
		}
		// database/sql keeps two idle connections by default: under 64
		// concurrent requests every other one opened a new PostgreSQL
		// backend and closed it after (cmd/bench: 25 req/s instead of 400).
		// Connections are kept instead, and bounded, so a burst queues here
		// rather than forking backends; several replicas need
		// replicas × pgPoolSize within the server's max_connections.
		sqlDB.SetMaxOpenConns(pgPoolSize)
		sqlDB.SetMaxIdleConns(pgPoolSize)
		sqlDB.SetConnMaxIdleTime(time.Minute)
		return &DB{gorm: db, sql: sqlDB}, nil
	case strings.HasPrefix(url, "sqlite://"):
		return openSQLite(strings.TrimPrefix(url, "sqlite://"), cfg)
	default:
		return nil, fmt.Errorf("unsupported database URL %q: use sqlite://PATH or postgres://...", url)
	}
}

// openSQLite opens a SQLite file with WAL, a busy timeout, foreign keys and
// BEGIN IMMEDIATE, so that concurrent writers queue instead of failing with
// "database is locked"; they queue in Go at the write gate
// (sqlite_gate.go), connections keep their statements prepared
// (sqlite_conn.go) and checkpoints run in the background
// (sqlite_checkpoint.go).
func openSQLite(path string, cfg *gorm.Config) (*DB, error) {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, err
		}
	}
	dsn := "file:" + path + "?_txlock=immediate&_journal_mode=WAL&_busy_timeout=10000&_foreign_keys=on&_synchronous=NORMAL"
	connector := newSQLiteConnector(dsn)
	sqlDB := sql.OpenDB(connector)
	go checkpoint(sqlDB, connector.done)
	pool := newGatedPool(sqlDB, busyTimeout)
	db, err := gorm.Open(sqlite.New(sqlite.Config{DSN: dsn, Conn: pool}), cfg)
	if err != nil {
		sqlDB.Close()
		return nil, err
	}
	// Every open connection may stay idle: database/sql keeps only two by
	// default, and closed the others as soon as a burst of reads had used
	// them, so the next burst reopened them and prepared all their
	// statements anew.
	sqlDB.SetMaxOpenConns(8)
	sqlDB.SetMaxIdleConns(8)
	sqlDB.SetConnMaxIdleTime(time.Minute)
	return &DB{gorm: db, sql: sqlDB, group: newGroupCommit(db, pool.gate.wait)}, nil
}

// Gorm is the database for reads and schema changes.
func (d *DB) Gorm() *gorm.DB { return d.gorm }

// Close closes the connections (and stops SQLite's checkpointer).
func (d *DB) Close() error { return d.sql.Close() }

// Migrate runs fn, the schema changes. On PostgreSQL replicas starting
// together take turns: an advisory lock held for fn's transaction makes the
// changes one replica's at a time. On SQLite the file lock orders writers.
func (d *DB) Migrate(fn func(db *gorm.DB) error) error {
	if d.gorm.Dialector.Name() == "postgres" {
		return d.gorm.Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(727274)").Error; err != nil {
				return err
			}
			return fn(tx)
		})
	}
	return fn(d.gorm)
}

// inTxKey marks the context of a running transaction: one begun inside it
// would wait for itself at SQLite's write gate.
type inTxKey struct{}

// ErrNestedTx is the error of a transaction begun inside another one.
var ErrNestedTx = errors.New("sqldb: a transaction began inside another one")

// Tx runs fn in one transaction bound to ctx. On SQLite it may share the
// database's transaction with other callers (group.go), each under a
// savepoint of its own; it returns only once the transaction that holds
// fn's writes has committed or rolled back.
func (d *DB) Tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if ctx.Value(inTxKey{}) != nil {
		return ErrNestedTx
	}
	if d.group != nil {
		return d.group.run(ctx, fn)
	}
	return d.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return fn(inTx(tx, ctx)) })
}

// inTx is the handle fn gets on its transaction, with ctx marked as inside
// one. GORM would try to begin a transaction of its own around each write
// and fail, as it must inside one, after allocating a session for the
// attempt: skipping the attempt changes nothing else, since every statement
// already runs in the caller's transaction.
func inTx(tx *gorm.DB, ctx context.Context) *gorm.DB {
	ctx = context.WithValue(ctx, inTxKey{}, true)
	return tx.Session(&gorm.Session{Context: ctx, SkipDefaultTransaction: true})
}
