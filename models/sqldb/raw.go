package sqldb

import (
	"database/sql"
	"fmt"
	"strings"
	"sync"

	"gorm.io/gorm"
)

// Exec runs a statement that no hook guards straight on the connection of
// tx (its transaction): GORM's Exec builds a statement object around it, a
// few kilobytes and microseconds each time, and inside a write those are
// spent while the database's write lock is held. query uses ? placeholders.
func Exec(tx *gorm.DB, query string, args ...any) (int64, error) {
	res, err := tx.Statement.ConnPool.ExecContext(tx.Statement.Context, rebind(tx, query), args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// QueryRow reads one row the way Exec writes: straight on the connection
// of tx, for hot reads whose GORM statement costs more than the query.
// query uses ? placeholders.
func QueryRow(tx *gorm.DB, query string, args ...any) *sql.Row {
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
