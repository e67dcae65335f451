package sqldb

import (
	"context"
	"database/sql/driver"
	"strings"
	"sync"

	"github.com/mattn/go-sqlite3"
)

// sqliteConnector opens the driver's connections wrapped in sqliteConn,
// with the WAL settings of sqlite_checkpoint.go.
type sqliteConnector struct {
	dsn  string
	drv  *sqlite3.SQLiteDriver
	done chan struct{} // closed with the database: stops the checkpointer
	once sync.Once
}

func newSQLiteConnector(dsn string) *sqliteConnector {
	return &sqliteConnector{dsn: dsn, drv: &sqlite3.SQLiteDriver{}, done: make(chan struct{})}
}

// Connect implements driver.Connector.
func (c *sqliteConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	sc := conn.(*sqlite3.SQLiteConn)
	if _, err := sc.Exec(walPragmas, nil); err != nil {
		sc.Close()
		return nil, err
	}
	return &sqliteConn{SQLiteConn: sc, stmts: stmtCache{}}, nil
}

// Driver implements driver.Connector.
func (c *sqliteConnector) Driver() driver.Driver { return c.drv }

// Close is called by sql.DB.Close.
func (c *sqliteConnector) Close() error {
	c.once.Do(func() { close(c.done) })
	return nil
}

// sqliteConn is a SQLite connection that runs statements without the
// driver's per-row goroutines and keeps them prepared; everything else is
// the driver's own.
type sqliteConn struct {
	*sqlite3.SQLiteConn
	stmts stmtCache
}

// Close finalizes the cached statements, then closes the connection.
func (c *sqliteConn) Close() error {
	c.stmts.close()
	return c.SQLiteConn.Close()
}

// BeginTx begins on a context that is never cancelled, for the reason
// QueryContext gives; database/sql still rolls the transaction back if its
// own context ends.
func (c *sqliteConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return c.SQLiteConn.BeginTx(context.WithoutCancel(ctx), opts)
}

// QueryContext runs a query on a context that is never cancelled. Given a
// cancellable one, the driver hands every row to a new goroutine so that it
// could interrupt SQLite mid-row; under load each hand-off waits its turn on
// the CPU while the pooled connection stays held, and requests queue for
// connections. database/sql still stops a cancelled query between rows, and
// a single row of the product's queries takes microseconds.
func (c *sqliteConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ctx = context.WithoutCancel(ctx)
	cs, err := c.stmts.get(c.SQLiteConn, query, args)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.SQLiteConn.QueryContext(ctx, query, args)
	}
	return cs.query(ctx, args)
}

// ExecContext runs a statement on a context that is never cancelled, for
// the reason QueryContext gives.
func (c *sqliteConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ctx = context.WithoutCancel(ctx)
	if !cacheableExec(query) {
		return c.SQLiteConn.ExecContext(ctx, query, args)
	}
	cs, err := c.stmts.get(c.SQLiteConn, query, args)
	if err != nil {
		return nil, err
	}
	if cs == nil {
		return c.SQLiteConn.ExecContext(ctx, query, args)
	}
	return cs.ExecContext(ctx, args)
}

// maxCachedStmts bounds the prepared statements one connection keeps.
const maxCachedStmts = 64

// stmtCache keeps a connection's prepared statements by SQL text. Without
// it the driver compiles every statement anew and throws it away: on the
// images table (many columns, several indexes) sqlite3_prepare was a quarter
// to a third of the time spent in SQLite, and inside write transactions,
// where every microsecond holds the write lock. database/sql uses a
// connection from one goroutine at a time, so the cache needs no lock.
type stmtCache map[string]*cachedStmt

type cachedStmt struct {
	*sqlite3.SQLiteStmt
	busy bool // its rows are still open: the next user prepares its own
}

// get returns the cached statement for query, preparing it if needed, or
// nil when the query must take the driver's own path: text that may hold
// several statements, named arguments or a number of them the statement
// does not take (the driver reports that), or a statement whose rows are
// still being read.
func (sc stmtCache) get(conn *sqlite3.SQLiteConn, query string, args []driver.NamedValue) (*cachedStmt, error) {
	if strings.Contains(query, ";") {
		return nil, nil
	}
	for _, a := range args {
		if a.Name != "" {
			return nil, nil
		}
	}
	cs, ok := sc[query]
	if !ok {
		var err error
		if cs, err = sc.prepare(conn, query); err != nil {
			return nil, err
		}
	}
	if cs.busy || cs.NumInput() != len(args) {
		return nil, nil
	}
	return cs, nil
}

// prepare compiles query and keeps it, making room if the cache is full.
func (sc stmtCache) prepare(conn *sqlite3.SQLiteConn, query string) (*cachedStmt, error) {
	if len(sc) >= maxCachedStmts {
		for q, cs := range sc {
			if !cs.busy {
				cs.Close()
				delete(sc, q)
				break
			}
		}
	}
	s, err := conn.Prepare(query)
	if err != nil {
		return nil, err
	}
	cs := &cachedStmt{SQLiteStmt: s.(*sqlite3.SQLiteStmt)}
	sc[query] = cs
	return cs, nil
}

// close finalizes every statement, before the connection closes.
func (sc stmtCache) close() {
	for q, cs := range sc {
		cs.Close()
		delete(sc, q)
	}
}

// query runs a cached statement; its rows reset it when closed, which
// frees it for the next query.
func (cs *cachedStmt) query(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	rows, err := cs.QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	cs.busy = true
	return &cachedRows{SQLiteRows: rows.(*sqlite3.SQLiteRows), stmt: cs}, nil
}

// cachedRows are the rows of a cached statement.
type cachedRows struct {
	*sqlite3.SQLiteRows
	stmt *cachedStmt
}

// Close resets the statement (the driver does, for a statement it did not
// prepare itself) and gives it back to the cache.
func (r *cachedRows) Close() error {
	err := r.SQLiteRows.Close()
	r.stmt.busy = false
	return err
}

// cacheableExec reports whether a statement run by Exec can stay prepared:
// a write that returns no rows runs to completion. One that returns rows
// (a SELECT, a PRAGMA, RETURNING) would be left mid-way by Exec, holding
// its locks, so it takes the driver's path, which finalizes it.
func cacheableExec(query string) bool {
	q := strings.ToUpper(strings.TrimSpace(query))
	for _, verb := range []string{"INSERT", "UPDATE", "DELETE"} {
		if strings.HasPrefix(q, verb) {
			return !strings.Contains(q, "RETURNING")
		}
	}
	return false
}
