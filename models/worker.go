package models

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"

	"imageconsole/models/importer"
)

// maxAttempts is how often a task is tried before its target is moved to a
// final failed state: nothing is ever left in a transition.
const maxAttempts = 5

// Worker runs background tasks. Any number of workers, in any number of
// processes, may run against one database.
type Worker struct {
	Store *Store
	// ID names the worker in task leases; unique per process.
	ID string
	// HTTP fetches import URLs; by default importer.NewClient, which
	// connects only to public addresses and ImportAllowNetworks.
	HTTP *http.Client
	// ImportAllowNetworks are internal networks imports may fetch from
	// anyway (the operator's --import-allow-networks).
	ImportAllowNetworks []*net.IPNet
	// MaxImportBytes limits an imported file.
	MaxImportBytes int64
	// Poll is how long an idle worker waits before looking again.
	Poll time.Duration
	// Lease is how long a claim lasts without a heartbeat.
	Lease time.Duration
	// attempt, when set, runs in place of every kind's runner: tests use it
	// to make any kind of task fail.
	attempt taskRunner
	// AccountShare is the most tasks one account may have running at once,
	// counted across every worker of every replica; 0 means half of Run's
	// workers, at least 1.
	AccountShare int
	// ImportSlots is the most imports this process runs at once; 0 means
	// all of Run's workers but one, at least 1.
	ImportSlots int
	// ImportStallTimeout fails an import whose server sends (next to)
	// nothing for this long; 0 means DefaultImportStallTimeout.
	ImportStallTimeout time.Duration
	Log                *slog.Logger

	// importSlots holds a token per running import; see claimRule.
	importSlots chan struct{}
}

// DefaultImportStallTimeout is how long an import waits for data before it
// fails: long enough for a slow server to recover from a hiccup, short
// enough that a server that stopped sending frees its worker in a minute.
const DefaultImportStallTimeout = time.Minute

// maxTaskRun caps one attempt of any task: an import's download included,
// nothing holds a worker and its lease for longer.
const maxTaskRun = 30 * time.Minute

func (w *Worker) defaults() {
	if w.Poll == 0 {
		w.Poll = 250 * time.Millisecond
	}
	if w.Lease == 0 {
		w.Lease = 20 * time.Second
	}
	if w.Log == nil {
		w.Log = slog.Default()
	}
	if w.HTTP == nil {
		w.HTTP = importer.NewClient(w.ImportAllowNetworks)
	}
	if w.ImportStallTimeout == 0 {
		w.ImportStallTimeout = DefaultImportStallTimeout
	}
	if w.importSlots == nil {
		w.share(1)
	}
	if w.MaxImportBytes == 0 {
		w.MaxImportBytes = 2 << 30
	}
	if w.ID == "" {
		w.ID = NewID("wrk")
	}
}

// share sets the fairness limits for n workers, where not configured: one
// account gets half of them, imports all but one (see claimRule).
func (w *Worker) share(n int) {
	if w.AccountShare <= 0 {
		w.AccountShare = max(1, n/2)
	}
	if w.ImportSlots <= 0 {
		w.ImportSlots = max(1, n-1)
	}
	w.importSlots = make(chan struct{}, w.ImportSlots)
}

// Run works until ctx ends, with n goroutines (so a long import does not
// hold up instance transitions).
func (w *Worker) Run(ctx context.Context, n int) {
	if w.importSlots == nil {
		w.share(max(n, 1))
	}
	w.defaults()
	var wg sync.WaitGroup
	for range max(n, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				ran, err := w.RunOne(ctx)
				if err != nil && ctx.Err() == nil {
					w.Log.Error("background task", "err", err)
				}
				if !ran {
					select {
					case <-ctx.Done():
					case <-time.After(w.Poll):
					}
				}
			}
		}()
	}
	wg.Wait()
}

// RunOne claims and runs one due task; it reports whether there was one.
func (w *Worker) RunOne(ctx context.Context) (bool, error) {
	w.defaults()
	t, release, err := w.claim(ctx)
	if err != nil || t == nil {
		return false, err
	}
	defer release()
	k, ok := taskKinds[t.Kind]
	if !ok {
		return true, w.Store.finishTask(ctx, t, func(*gorm.DB) error { return nil })
	}
	run := k.run
	if w.attempt != nil {
		run = w.attempt
	}
	err = w.runHeld(ctx, t, k, run)
	w.Store.observe(func(o Observer) { o.TaskRan(t.Kind, err) })
	if err == nil || errors.Is(err, errLeaseLost) || ctx.Err() != nil {
		return true, nil
	}
	if t.Attempts >= maxAttempts {
		w.Log.Error("background task failed for good", "kind", t.Kind, "target", t.TargetID, "err", err)
		return true, w.Store.failTask(ctx, t, k, storedReason("err.task.failedRepeatedly"))
	}
	return true, errors.Join(err, w.Store.retryTask(ctx, t))
}

// RunDue runs tasks until none is due: tests and task scale 0 use it to
// finish background work without sleeping.
func (w *Worker) RunDue(ctx context.Context) (int, error) {
	n := 0
	for ; n < 100000; n++ {
		ran, err := w.RunOne(ctx)
		if err != nil {
			return n, err
		}
		if !ran {
			break
		}
	}
	return n, nil
}

// claim takes a task under the fairness rule: a slow task only while this
// process has an import slot free. A slot taken for a slow task is freed by
// release, when the task ends; otherwise it is given back at once.
func (w *Worker) claim(ctx context.Context) (t *Task, release func(), err error) {
	slot := false
	select {
	case w.importSlots <- struct{}{}:
		slot = true
	default:
	}
	free := func() {
		if slot {
			<-w.importSlots
		}
	}
	t, err = w.Store.claim(ctx, w.ID, w.Lease, claimRule{share: w.AccountShare, slow: slot})
	if t == nil || !isSlow(t.Kind) {
		free()
		return t, func() {}, err
	}
	return t, free, err
}

// runHeld runs one attempt while keeping its lease: a heartbeat extends it
// every third of Lease, so a long task is not taken over while it runs, and
// the attempt is stopped when the lease is lost anyway (another worker owns
// the task now) or after maxTaskRun. A short task ends before the first beat
// and costs no write.
func (w *Worker) runHeld(ctx context.Context, t *Task, k taskKind, run taskRunner) error {
	runCtx, cancel := context.WithTimeout(ctx, maxTaskRun)
	defer cancel()
	var lost atomic.Bool
	done, stopped := make(chan struct{}), make(chan struct{})
	beat := time.NewTicker(max(w.Lease/3, time.Millisecond))
	go func() {
		defer close(stopped)
		defer beat.Stop()
		for {
			select {
			case <-done:
				return
			case <-runCtx.Done():
				return
			case <-beat.C:
				if err := w.Store.extendLease(runCtx, t, w.Lease); errors.Is(err, errLeaseLost) {
					lost.Store(true)
					cancel()
					return
				}
			}
		}
	}()
	err := run(runCtx, w, t, k)
	close(done)
	<-stopped
	if err != nil && lost.Load() {
		return errLeaseLost
	}
	return err
}
