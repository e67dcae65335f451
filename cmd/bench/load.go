package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// request builds the i-th request of a scenario.
type request func(i int) (*http.Request, error)

// check validates one response body; nil accepts anything with status 200.
type check func(body []byte) error

// op performs the i-th operation of a scenario; buf is the worker's own.
type op func(i int, buf *bytes.Buffer) error

// result is one scenario at one concurrency.
type result struct {
	Requests int
	Elapsed  time.Duration
	P50, P99 time.Duration
}

// RPS is the throughput.
func (r result) RPS() float64 { return float64(r.Requests) / r.Elapsed.Seconds() }

// newClient is the load generator's HTTP client: keep-alive connections,
// one per worker, no compression, no redirects.
func newClient(conc int) *http.Client {
	return &http.Client{
		Transport: &http.Transport{MaxIdleConns: conc * 2, MaxIdleConnsPerHost: conc * 2,
			DisableCompression: true, IdleConnTimeout: time.Minute},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       time.Minute,
	}
}

// httpOp sends the requests of a scenario with client. Any non-200 answer
// or failed check is an error: a benchmark of refusals measures nothing.
func httpOp(client *http.Client, next request, ok check) op {
	return func(i int, buf *bytes.Buffer) error {
		req, err := next(i)
		if err != nil {
			return err
		}
		err = do(client, req, buf)
		if err == nil && ok != nil {
			err = ok(buf.Bytes())
		}
		if err != nil {
			return fmt.Errorf("%s %s: %w", req.Method, req.URL.RequestURI(), err)
		}
		return nil
	}
}

// drive sends n requests with conc workers after a short warm-up that is
// not measured.
func drive(n, conc int, next request, ok check) (result, error) {
	client := newClient(conc)
	defer client.CloseIdleConnections()
	s := &series{conc: conc, fn: httpOp(client, next, ok)}
	if err := s.warm(n); err != nil {
		return result{}, err
	}
	if err := s.add(n); err != nil {
		return result{}, err
	}
	return s.result(), nil
}

// series accumulates the measured runs of one scenario at one concurrency,
// so that a scenario and its floor can be measured in alternating rounds:
// a machine whose load drifts then affects both alike.
type series struct {
	conc    int
	fn      op
	next    int // index of the next operation: names stay unique
	lat     []time.Duration
	elapsed time.Duration
}

// warm runs a few operations that are not measured.
func (s *series) warm(n int) error {
	w := min(max(n/10, s.conc), 200)
	_, _, err := runOps(w, s.conc, s.next, s.fn)
	s.next += w
	if err != nil {
		return fmt.Errorf("warm-up: %w", err)
	}
	return nil
}

// add measures n more operations.
func (s *series) add(n int) error {
	lat, elapsed, err := runOps(n, s.conc, s.next, s.fn)
	s.next += n
	s.lat = append(s.lat, lat...)
	s.elapsed += elapsed
	return err
}

func (s *series) result() result {
	lat := slices.Sorted(slices.Values(s.lat))
	return result{Requests: len(lat), Elapsed: s.elapsed, P50: percentile(lat, 50), P99: percentile(lat, 99)}
}

// runOps performs operations offset … offset+n-1 with conc workers and
// returns each one's latency and the wall time of the whole run.
func runOps(n, conc, offset int, fn op) ([]time.Duration, time.Duration, error) {
	lat := make([]time.Duration, n)
	var counter atomic.Int64
	var firstErr error
	var once sync.Once
	var failed atomic.Bool
	fail := func(err error) { once.Do(func() { firstErr = err; failed.Store(true) }) }
	var wg sync.WaitGroup
	start := time.Now()
	for range min(conc, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for {
				i := int(counter.Add(1)) - 1
				if i >= n || failed.Load() {
					return
				}
				t0 := time.Now()
				err := fn(offset+i, &buf)
				lat[i] = time.Since(t0)
				if err != nil {
					fail(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return lat, time.Since(start), firstErr
}

// do sends one request and reads the whole body into buf.
func do(client *http.Client, req *http.Request, buf *bytes.Buffer) error {
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	buf.Reset()
	if _, err := io.Copy(buf, res.Body); err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d: %.300s", res.StatusCode, buf.Bytes())
	}
	return nil
}

// percentile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (len(sorted)*p + 99) / 100
	return sorted[min(max(i-1, 0), len(sorted)-1)]
}
