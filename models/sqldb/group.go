package sqldb

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"
	"gorm.io/gorm"
)

// groupCommit runs the store's SQLite transactions as group commits. SQLite
// writes one transaction at a time, and a commit writes every page the
// transaction touched to the WAL: for CreateImage (image, task, operation,
// two counters, their indexes) the commit and BEGIN were a third of the
// time the write lock was held. Under concurrent writes, transactions that
// queue while one runs join it: the committer begins one SQLite transaction
// and runs each queued use case in it under a SAVEPOINT of its own, so a use
// case that fails rolls back alone, then commits them all at once. Nobody
// hears of success or refusal before that COMMIT, so a use case is exactly
// as atomic, isolated and durable as in a transaction of its own; they run
// one after another, as they would have queued at the lock. A single writer gets a
// plain transaction, without savepoints.
type groupCommit struct {
	db   *gorm.DB
	wait time.Duration // how long a queued transaction waits, like the write gate

	mu      sync.Mutex
	queue   []*groupJob
	running bool // a committer goroutine is draining the queue
}

// Bounds of one group: enough to share a commit among many requests, few
// enough that the first of them does not wait long for the last.
const (
	groupMaxJobs = 64
	groupMaxTime = 20 * time.Millisecond
)

// groupJob is one use case's transaction.
type groupJob struct {
	ctx   context.Context
	fn    func(tx *gorm.DB) error
	state atomic.Int32 // jobQueued, then jobTaken by the committer or jobAbandoned by its caller
	done  chan groupResult
}

const (
	jobQueued int32 = iota
	jobTaken
	jobAbandoned
)

type groupResult struct {
	err      error
	panicked any
}

func newGroupCommit(db *gorm.DB, wait time.Duration) *groupCommit {
	return &groupCommit{db: db, wait: wait}
}

// run queues fn and returns its outcome once its group has committed (or
// fn has failed and been rolled back).
func (g *groupCommit) run(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	j := &groupJob{ctx: ctx, fn: fn, done: make(chan groupResult, 1)}
	g.mu.Lock()
	g.queue = append(g.queue, j)
	start := !g.running
	g.running = true
	g.mu.Unlock()
	if start {
		go g.drain()
	}
	timer := time.NewTimer(g.wait)
	defer timer.Stop()
	var res groupResult
	select {
	case res = <-j.done:
	case <-ctx.Done():
		if j.state.CompareAndSwap(jobQueued, jobAbandoned) {
			return ctx.Err()
		}
		res = <-j.done // already running: its outcome is what happened
	case <-timer.C:
		if j.state.CompareAndSwap(jobQueued, jobAbandoned) {
			return sqlite3.Error{Code: sqlite3.ErrBusy} // as the write gate answers
		}
		res = <-j.done
	}
	if res.panicked != nil {
		panic(res.panicked)
	}
	return res.err
}

// next pops the next job that its caller still waits for. With stop set
// and the queue empty, the committer is marked as gone, under the same lock
// run checks, so a job queued later starts a new one.
func (g *groupCommit) next(stop bool) *groupJob {
	g.mu.Lock()
	defer g.mu.Unlock()
	for len(g.queue) > 0 {
		j := g.queue[0]
		g.queue[0] = nil
		g.queue = g.queue[1:]
		if j.state.CompareAndSwap(jobQueued, jobTaken) {
			return j
		}
	}
	if stop {
		g.running = false
	}
	return nil
}

// drain commits groups until the queue is empty.
func (g *groupCommit) drain() {
	for j := g.next(true); j != nil; j = g.next(true) {
		g.group(j)
	}
}

// group runs first and whatever queues behind it in one transaction. A
// member hears its outcome, success or refusal, only once the COMMIT that
// decided it is done: a member refused mid-group may have read what the
// members before it wrote, so when that COMMIT fails its refusal rested on
// writes that never happened, and it gets the commit's error like the rest.
func (g *groupCommit) group(first *groupJob) {
	tx := g.db.WithContext(context.Background()).Begin()
	if tx.Error != nil {
		first.done <- groupResult{err: tx.Error}
		return
	}
	if res := first.call(tx); res.err != nil || res.panicked != nil {
		// The first use case needs no savepoint: the whole transaction is
		// its, and its refusal read only what was committed before.
		tx.Rollback()
		first.done <- res
		return
	}
	members := []*groupJob{first}
	outcomes := []groupResult{{}}
	deadline := time.Now().Add(groupMaxTime)
	for len(members) < groupMaxJobs && time.Now().Before(deadline) {
		j := g.next(false)
		if j == nil {
			break
		}
		// A member that fails is rolled back to its savepoint; the others
		// go on.
		res, err := j.callSaved(tx, len(members))
		members, outcomes = append(members, j), append(outcomes, res)
		if err != nil {
			// The savepoint could not be released or rolled back to: SQLite
			// ended the transaction (I/O error, full disk), and the group
			// with it.
			tx.Rollback()
			failGroup(members, err)
			return
		}
	}
	if err := tx.Commit().Error; err != nil {
		tx.Rollback()
		failGroup(members, err)
		return
	}
	for i, j := range members {
		j.done <- outcomes[i]
	}
}

// failGroup tells every member that its transaction did not commit.
func failGroup(members []*groupJob, err error) {
	for _, j := range members {
		j.done <- groupResult{err: err}
	}
}

// call runs the job's use case on tx, catching a panic to hand it to the
// caller's goroutine.
func (j *groupJob) call(tx *gorm.DB) (res groupResult) {
	defer func() {
		if p := recover(); p != nil {
			res = groupResult{panicked: p}
		}
	}()
	return groupResult{err: j.fn(inTx(tx, j.ctx))}
}

// callSaved runs the job under a savepoint and releases it, or rolls back
// to it when the use case fails. The error is the savepoint's own.
func (j *groupJob) callSaved(tx *gorm.DB, n int) (groupResult, error) {
	name := fmt.Sprintf("job%d", n)
	exec := func(stmt string) error {
		_, err := tx.Statement.ConnPool.ExecContext(context.Background(), stmt+name)
		return err
	}
	if err := exec("SAVEPOINT "); err != nil {
		return groupResult{err: err}, err
	}
	res := j.call(tx)
	if res.err != nil || res.panicked != nil {
		if err := exec("ROLLBACK TO "); err != nil {
			return res, err
		}
	}
	if err := exec("RELEASE "); err != nil {
		return res, err
	}
	return res, nil
}
