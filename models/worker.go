package models

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
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
	Log   *slog.Logger
	// attempt, when set, runs in place of every kind's runner: tests use it
	// to make any kind of task fail.
	attempt taskRunner
}

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
	if w.MaxImportBytes == 0 {
		w.MaxImportBytes = 2 << 30
	}
	if w.ID == "" {
		w.ID = NewID("wrk")
	}
}

// Run works until ctx ends, with n goroutines (so a long import does not
// hold up instance transitions).
func (w *Worker) Run(ctx context.Context, n int) {
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
	t, err := w.Store.claim(ctx, w.ID, w.Lease)
	if err != nil || t == nil {
		return false, err
	}
	k, ok := taskKinds[t.Kind]
	if !ok {
		return true, w.Store.finishTask(ctx, t, func(*gorm.DB) error { return nil })
	}
	run := k.run
	if w.attempt != nil {
		run = w.attempt
	}
	err = run(ctx, w, t, k)
	w.Store.observe(func(o Observer) { o.TaskRan(t.Kind, err) })
	if err == nil || errors.Is(err, errLeaseLost) || ctx.Err() != nil {
		return true, nil
	}
	if t.Attempts >= maxAttempts {
		w.Log.Error("background task failed for good", "kind", t.Kind, "target", t.TargetID, "err", err)
		return true, w.Store.failTask(ctx, t, k, "The operation failed repeatedly on the server; try again.")
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
