package sqldb

import (
	"context"
	"database/sql"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"
	"gorm.io/gorm"
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

// take waits for the gate; a transaction that waits longer than the busy
// timeout fails as SQLite's own would, with "database is locked".
func (g *writeGate) take(ctx context.Context) error {
	timer := time.NewTimer(g.wait)
	defer timer.Stop()
	select {
	case g.slot <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return sqlite3.Error{Code: sqlite3.ErrBusy}
	}
}

func (g *writeGate) leave() { <-g.slot }

// gatedPool is the connection pool GORM uses on SQLite. A transaction takes
// the gate before it takes a connection: one that queued with a connection
// in hand would keep it from the reads of other requests while it waits.
// Every transaction of the product is GORM's, so every one queues here.
type gatedPool struct {
	*sql.DB
	gate *writeGate
}

func newGatedPool(db *sql.DB, wait time.Duration) *gatedPool {
	return &gatedPool{DB: db, gate: &writeGate{slot: make(chan struct{}, 1), wait: wait}}
}

// BeginTx implements gorm.ConnPoolBeginner: the gate, then BEGIN IMMEDIATE
// (the DSN's _txlock) on a connection of the pool.
func (p *gatedPool) BeginTx(ctx context.Context, opts *sql.TxOptions) (gorm.ConnPool, error) {
	if err := p.gate.take(ctx); err != nil {
		return nil, err
	}
	tx, err := p.DB.BeginTx(ctx, opts)
	if err != nil {
		p.gate.leave()
		return nil, err
	}
	return &gatedTx{Tx: tx, gate: p.gate}, nil
}

// GetDBConn implements gorm.GetDBConnector, for gorm.DB.DB().
func (p *gatedPool) GetDBConn() (*sql.DB, error) { return p.DB, nil }

// gatedTx gives the gate back when the transaction ends, once. GORM ends
// every transaction it begins with Commit or Rollback.
type gatedTx struct {
	*sql.Tx
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

func (t *gatedTx) release() { t.once.Do(t.gate.leave) }
