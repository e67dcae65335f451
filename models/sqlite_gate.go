package models

import (
	"context"
	"database/sql/driver"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"
)

// SQLite lets one transaction write at a time. A BEGIN IMMEDIATE that finds
// the lock taken is retried by SQLite's busy handler, which sleeps 1, 2,
// 5, 10 … 100 ms between tries: under concurrent writes the lock sits idle
// while the waiters sleep, and throughput collapses. writeGate queues this
// process's transactions in Go instead, so the next one starts the moment
// the previous one ends. Other processes on the same file still meet the
// busy handler, as before.
type writeGate struct {
	slot chan struct{}
	wait time.Duration // how long a transaction waits, like _busy_timeout
}

// gatedConnector opens SQLite connections whose transactions pass the gate.
type gatedConnector struct {
	dsn  string
	gate *writeGate
	drv  *sqlite3.SQLiteDriver
}

func newGatedConnector(dsn string, wait time.Duration) *gatedConnector {
	return &gatedConnector{dsn: dsn, gate: &writeGate{slot: make(chan struct{}, 1), wait: wait}, drv: &sqlite3.SQLiteDriver{}}
}

// Connect implements driver.Connector.
func (c *gatedConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &gatedConn{SQLiteConn: conn.(*sqlite3.SQLiteConn), gate: c.gate}, nil
}

// Driver implements driver.Connector.
func (c *gatedConnector) Driver() driver.Driver { return c.drv }

// gatedConn is a SQLite connection whose transactions take the gate first;
// everything else is the driver's own.
type gatedConn struct {
	*sqlite3.SQLiteConn
	gate *writeGate
}

// BeginTx waits for the gate, then begins (BEGIN IMMEDIATE, from the DSN).
// A transaction that waits longer than the busy timeout fails as SQLite's
// own would, with "database is locked".
func (c *gatedConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	timer := time.NewTimer(c.gate.wait)
	defer timer.Stop()
	select {
	case c.gate.slot <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-timer.C:
		return nil, sqlite3.Error{Code: sqlite3.ErrBusy}
	}
	tx, err := c.SQLiteConn.BeginTx(ctx, opts)
	if err != nil {
		<-c.gate.slot
		return nil, err
	}
	return &gatedTx{Tx: tx, gate: c.gate}, nil
}

// gatedTx gives the gate back when the transaction ends, once.
type gatedTx struct {
	driver.Tx
	gate *writeGate
	once sync.Once
}

func (t *gatedTx) Commit() error {
	defer t.release()
	return t.Tx.Commit()
}

func (t *gatedTx) Rollback() error {
	defer t.release()
	return t.Tx.Rollback()
}

func (t *gatedTx) release() { t.once.Do(func() { <-t.gate.slot }) }
