package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // the driver GORM's postgres dialector uses, for CREATE/DROP DATABASE
)

// target is where one catalog size lives: the seeded database the server
// and the read floors use, and the copy of it the insert floor writes to,
// so that both writers start from the same catalog without sharing a lock.
type target struct {
	main, insert string // database URLs for sqldb.Open and the server's --db
	copy         func(ctx context.Context) error
}

// targets makes the databases of every size: SQLite files in the work
// folder by default, or, when db is a postgres:// URL, two fresh databases
// per size on that server, named after its database (the URL's database is
// only used to create and drop them).
type targets struct {
	pg    *sql.DB
	base  *url.URL
	keep  bool
	names []string
}

func newTargets(db string, keep bool) (*targets, error) {
	if db == "" {
		return &targets{keep: keep}, nil
	}
	if !strings.HasPrefix(db, "postgres://") && !strings.HasPrefix(db, "postgresql://") {
		return nil, fmt.Errorf("-db: %q is not a postgres:// URL (SQLite is the default)", db)
	}
	u, err := url.Parse(db)
	if err != nil {
		return nil, fmt.Errorf("-db: %w", err)
	}
	pg, err := sql.Open("pgx", db)
	if err == nil {
		err = pg.Ping()
	}
	if err != nil {
		return nil, fmt.Errorf("-db: %w", err)
	}
	return &targets{pg: pg, base: u, keep: keep}, nil
}

// postgres reports whether the sizes live on PostgreSQL.
func (ts *targets) postgres() bool { return ts.pg != nil }

// name says which database the bench ran on, for the report.
func (ts *targets) name() string {
	if ts.pg == nil {
		return "SQLite (the default: one file, WAL)"
	}
	var version string
	if err := ts.pg.QueryRow("SHOW server_version").Scan(&version); err != nil {
		version = "?"
	}
	return "PostgreSQL " + version + " at " + ts.base.Host
}

// forSize returns the (empty) databases of a catalog of n images whose
// files, if any, go in dataDir.
func (ts *targets) forSize(ctx context.Context, dataDir string, n int) (target, error) {
	if ts.pg == nil {
		main, ins := filepath.Join(dataDir, "bench.db"), filepath.Join(dataDir, "insert.db")
		return target{main: "sqlite://" + main, insert: "sqlite://" + ins,
			copy: func(context.Context) error { return copySQLite(main, ins) }}, nil
	}
	db := strings.TrimPrefix(ts.base.Path, "/")
	main, ins := fmt.Sprintf("%s_n%d", db, n), fmt.Sprintf("%s_n%d_insert", db, n)
	for _, name := range []string{main, ins} {
		if _, err := ts.pg.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(name)+" WITH (FORCE)"); err != nil {
			return target{}, err
		}
	}
	if _, err := ts.pg.ExecContext(ctx, "CREATE DATABASE "+quoteIdent(main)); err != nil {
		return target{}, err
	}
	ts.names = append(ts.names, main, ins)
	return target{main: ts.urlOf(main), insert: ts.urlOf(ins),
		// A template copy is exact (rows, indexes, statistics) and needs no
		// connection to the seeded database, which seeding has closed.
		copy: func(ctx context.Context) error {
			_, err := ts.pg.ExecContext(ctx, "CREATE DATABASE "+quoteIdent(ins)+" TEMPLATE "+quoteIdent(main))
			return err
		}}, nil
}

func (ts *targets) urlOf(db string) string {
	u := *ts.base
	u.Path = "/" + db
	return u.String()
}

// close drops the databases made (unless -keep) and disconnects.
func (ts *targets) close() {
	if ts.pg == nil {
		return
	}
	if !ts.keep {
		for _, name := range ts.names {
			_, _ = ts.pg.Exec("DROP DATABASE IF EXISTS " + quoteIdent(name) + " WITH (FORCE)")
		}
	}
	ts.pg.Close()
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// copySQLite copies a closed SQLite database with its write-ahead log, if
// one is left (a checkpoint still running when the last connection closed
// leaves the newest pages there), so the copy opens to the same data.
func copySQLite(from, to string) error {
	if err := copyFile(from, to); err != nil {
		return err
	}
	os.Remove(to + "-wal")
	os.Remove(to + "-shm")
	if _, err := os.Stat(from + "-wal"); err != nil {
		return nil
	}
	return copyFile(from+"-wal", to+"-wal")
}
