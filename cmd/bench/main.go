// Command bench measures imageconsole end to end: it builds the server,
// seeds catalogs of several sizes, drives the server over loopback with a
// Go load generator and compares it with floors, minimal handlers in this
// tool that answer the same requests with the same SQL and the same views
// but none of the framework layers. `make bench` runs it; see README.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// options are the bench's flags.
type options struct {
	Sizes    []int
	Conc     []int
	Requests int
	Creates  int
	Rounds   int
	Dir      string
	Keep     bool
	Profile  string
	DB       string          // a postgres:// URL to run on PostgreSQL; empty is SQLite
	Server   string          // a console binary to run instead of building one
	Only     map[string]bool // scenario keys to run; empty runs all
}

// runs reports whether scenario key is selected.
func (o options) runs(key string) bool { return len(o.Only) == 0 || o.Only[key] }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	dir := o.Dir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "imageconsole-bench-"); err != nil {
			return err
		}
		if !o.Keep {
			defer os.RemoveAll(dir)
		}
	}
	logf := func(format string, a ...any) { fmt.Fprintf(stderr, "bench: "+format+"\n", a...) }
	ts, err := newTargets(o.DB, o.Keep)
	if err != nil {
		return err
	}
	defer ts.close()
	if o.Profile != "" {
		return profile(ctx, o, dir, ts, logf)
	}
	bin := o.Server
	if bin == "" {
		logf("building the server")
		if bin, err = buildServer(ctx, dir); err != nil {
			return err
		}
	}
	start := time.Now()
	rep := &report{conc: o.Conc}
	if err := benchSizes(ctx, o, bin, dir, ts, rep, logf); err != nil {
		return err
	}
	rep.print(stdout, machine(), ts.name(), time.Since(start))
	return nil
}

// benchSizes measures every size in three phases: the reads of each size
// against its floors; the Images page one request at a time, the sizes in
// alternating rounds (the latency that should not grow with the catalog,
// compared under the same conditions); then the writes of each size, which
// add images to the bench user's list, and its server's peak RSS.
func benchSizes(ctx context.Context, o options, bin, dir string, ts *targets, rep *report, logf func(string, ...any)) error {
	var runs []*sizeRun
	defer func() {
		for _, sr := range runs {
			sr.close()
		}
	}()
	for _, n := range o.Sizes {
		sr, err := startSize(ctx, bin, dir, n, ts, logf)
		if err != nil {
			return fmt.Errorf("%d images: %w", n, err)
		}
		runs = append(runs, sr)
		if err := drivePlan(o, o.Conc, onSize(o, n, sr.reads(o)), rep, logf); err != nil {
			return err
		}
	}
	if o.runs("list_full") {
		var plan []entry
		for _, sr := range runs {
			sc := sr.listScenario(o, false)
			sc.key, sc.label = "list_latency", "Images page, full (sizes alternating)"
			plan = append(plan, entry{sr.n, sc})
		}
		if err := drivePlan(o, []int{slices.Min(o.Conc)}, plan, rep, logf); err != nil {
			return err
		}
	}
	for _, sr := range runs {
		if err := drivePlan(o, o.Conc, onSize(o, sr.n, sr.writes(ctx, o)), rep, logf); err != nil {
			return err
		}
		rep.rss = append(rep.rss, rssAt{sr.n, sr.srv.peakRSS()})
	}
	return nil
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	var sizes, conc, only string
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&sizes, "sizes", "1000,10000,100000", "catalog sizes: custom images seeded, comma-separated")
	fs.StringVar(&conc, "conc", "1,64", "concurrencies, comma-separated; ratios use the highest, latency ratios the lowest")
	fs.IntVar(&o.Requests, "requests", 2000, "measured requests per scenario and concurrency (after a short warm-up)")
	fs.IntVar(&o.Creates, "creates", 0, "measured CreateImage requests per concurrency (default: -requests)")
	fs.IntVar(&o.Rounds, "rounds", 10, "rounds in which a scenario and its floor alternate (load that drifts then hits both alike)")
	fs.StringVar(&o.Dir, "dir", "", "work folder (default: a temporary folder, removed at the end)")
	fs.BoolVar(&o.Keep, "keep", false, "keep the temporary work folder")
	fs.StringVar(&only, "only", "", "run only these scenarios (comma-separated keys: list_full, list_fragment, floor_list, detail, describe, floor_describe, create, insert); ratios need all")
	fs.StringVar(&o.DB, "db", "", "a postgres:// URL: run on PostgreSQL, in two fresh databases per size named after the URL's database (dropped at the end unless -keep); default SQLite files in the work folder")
	fs.StringVar(&o.Server, "server", "", "run this console binary instead of building ./cmd/console (to compare two builds with the same floors)")
	fs.StringVar(&o.Profile, "profile", "", "instead of the bench, run the console in-process on the first size and write CPU profiles of each scenario at the highest concurrency into this folder")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	var err error
	if o.Sizes, err = ints(sizes); err != nil {
		return o, fmt.Errorf("-sizes: %w", err)
	}
	if o.Conc, err = ints(conc); err != nil {
		return o, fmt.Errorf("-conc: %w", err)
	}
	o.Only = map[string]bool{}
	for _, k := range strings.Split(only, ",") {
		if k = strings.TrimSpace(k); k != "" {
			o.Only[k] = true
		}
	}
	if o.Requests < 1 {
		return o, fmt.Errorf("-requests must be positive")
	}
	if o.Creates == 0 {
		o.Creates = o.Requests
	}
	o.Rounds = min(max(o.Rounds, 1), o.Requests, o.Creates)
	return o, nil
}

func ints(list string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a positive number", part)
		}
		out = append(out, n)
	}
	return out, nil
}

// machine describes where the bench ran, for the report.
func machine() string {
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	mem := "unknown memory"
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
				mem = fmt.Sprintf("%.1f GiB RAM", kb/(1<<20))
			}
		}
	}
	return fmt.Sprintf("%d CPUs (%s), %s, %s", runtime.NumCPU(), model, mem, runtime.Version())
}
