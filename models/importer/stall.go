package importer

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// stallFloor is the least a server must send in each stall window to count
// as sending at all: a server that trickles a byte a second is as stuck as
// one that sends nothing, and would otherwise hold a worker for the whole
// time limit. 32 KiB a minute is far below any usable download.
const stallFloor = 32 << 10

// watchdog stops a download whose server stops sending. It checks, once a
// window, that at least stallFloor bytes arrived since the last check (from
// the request on: a server that never answers stalls too); if not, it
// cancels the request's context, which ends a pending connect or read, and
// the import fails with ErrStalled rather than a cut-off or a cancellation.
type watchdog struct {
	window time.Duration
	cancel context.CancelFunc
	read   atomic.Int64 // bytes received so far

	mu    sync.Mutex
	timer *time.Timer
	mark  int64 // read at the last check
	got   int64 // bytes received in the window that stalled
	fired bool
	done  bool
}

// watch returns ctx under a watchdog of the given window; a window of 0 or
// less watches nothing (the returned watchdog is inert).
func watch(ctx context.Context, window time.Duration) (context.Context, *watchdog) {
	ctx, cancel := context.WithCancel(ctx)
	d := &watchdog{window: window, cancel: cancel}
	if window > 0 {
		d.timer = time.AfterFunc(window, d.check)
	}
	return ctx, d
}

// add counts bytes as they arrive.
func (d *watchdog) add(n int) { d.read.Add(int64(n)) }

func (d *watchdog) check() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.done {
		return
	}
	read := d.read.Load()
	if read-d.mark >= stallFloor {
		d.mark = read
		d.timer.Reset(d.window)
		return
	}
	d.fired, d.got = true, read-d.mark
	d.cancel()
}

// stop ends the watch; it must be called once the transfer is over.
func (d *watchdog) stop() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.done = true
	if d.timer != nil {
		d.timer.Stop()
	}
	d.cancel()
}

// err is the stall's failure, or nil if the watchdog did not fire.
func (d *watchdog) err() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	switch {
	case !d.fired:
		return nil
	case d.got == 0:
		return fail(ErrStalled, nil, "err.importer.stalled", "Window", d.window)
	case d.got == 1:
		return fail(ErrStalled, nil, "err.importer.slowOneByte", "Window", d.window)
	}
	return fail(ErrStalled, nil, "err.importer.slow", "Got", formatSize(d.got), "Window", d.window)
}
