package main

import (
	"fmt"
	"io"
	"slices"
	"time"
)

// measurement is one scenario at one size and concurrency.
type measurement struct {
	size       int
	key, label string
	conc       int
	res        result
}

type rssAt struct {
	size  int
	bytes int64
}

// report collects measurements and prints the table and the ratios.
type report struct {
	conc []int
	rows []measurement
	rss  []rssAt
}

func (r *report) add(size int, key, label string, conc int, res result) {
	r.rows = append(r.rows, measurement{size, key, label, conc, res})
}

func (r *report) find(size int, key string, conc int) (result, bool) {
	for _, m := range r.rows {
		if m.size == size && m.key == key && m.conc == conc {
			return m.res, true
		}
	}
	return result{}, false
}

// The ratios of the issue. Throughput ratios are taken at the highest
// concurrency on the size closest to 10k images; the latency ratio at the
// lowest concurrency (one request at a time: the work per request, not the
// queue) between the largest and the smallest size.
func (r *report) ratios() (lines []string, notes []string) {
	sizes := r.sizes()
	hi, lo := slices.Max(r.conc), slices.Min(r.conc)
	ref := sizes[0]
	for _, s := range sizes {
		if abs(s-10000) < abs(ref-10000) {
			ref = s
		}
	}
	small, large := sizes[0], sizes[len(sizes)-1]
	rps := func(key string) float64 { m, _ := r.find(ref, key, hi); return m.RPS() }
	p99 := func(size int) float64 {
		m, ok := r.find(size, "list_latency", lo)
		if !ok {
			m, _ = r.find(size, "list_full", lo)
		}
		return m.P99.Seconds()
	}
	add := func(name string, v float64) { lines = append(lines, fmt.Sprintf("RATIO %s %.2f", name, v)) }
	add("list_vs_floor", rps("list_full")/rps("floor_list"))
	add("list_p99_100k_vs_1k", p99(large)/p99(small))
	add("api_describe_vs_floor", rps("describe")/rps("floor_describe"))
	add("create_vs_insert", rps("create")/rps("insert"))
	notes = append(notes,
		fmt.Sprintf("throughput ratios at concurrency %d on %s images; list_p99_100k_vs_1k at concurrency %d, %s over %s images, sizes measured in alternating rounds",
			hi, count(ref), lo, count(large), count(small)),
		"list_vs_floor: the full Images page over the floor's fragment (the floor has no layout); create_vs_insert: CreateImage over a bare INSERT behind the same kind of minimal HTTP handler",
		fmt.Sprintf("for reference, at the same point: htmx fragment over the floor %.2f, bare INSERT over HTTP over in-process %.2f",
			rps("list_fragment")/rps("floor_list"), rps("insert")/rps("insert_direct")))
	return lines, notes
}

func (r *report) sizes() []int {
	var out []int
	for _, m := range r.rows {
		if !slices.Contains(out, m.size) {
			out = append(out, m.size)
		}
	}
	slices.Sort(out)
	return out
}

// print writes the Markdown table (one row per size and scenario, a group
// of columns per concurrency), the peak RSS per size and the ratios.
func (r *report) print(w io.Writer, machine, database string, took time.Duration) {
	fmt.Fprintf(w, "Machine: %s. Database: %s. Bench took %s.\n\n", machine, database, took.Round(time.Second))
	head, rule := "| images | scenario |", "|---:|---|"
	for _, c := range r.conc {
		head += fmt.Sprintf(" req/s c=%d | p50 | p99 |", c)
		rule += "---:|---:|---:|"
	}
	fmt.Fprintln(w, head)
	fmt.Fprintln(w, rule)
	type key struct {
		size int
		key  string
	}
	var seen []key
	for _, m := range r.rows {
		k := key{m.size, m.key}
		if slices.Contains(seen, k) {
			continue
		}
		seen = append(seen, k)
		line := fmt.Sprintf("| %s | %s |", count(m.size), m.label)
		for _, c := range r.conc {
			if res, ok := r.find(m.size, m.key, c); ok {
				line += fmt.Sprintf(" %.0f | %s | %s |", res.RPS(), ms(res.P50), ms(res.P99))
			} else {
				line += " | | |"
			}
		}
		fmt.Fprintln(w, line)
	}
	fmt.Fprintln(w)
	for _, x := range r.rss {
		mb := "n/a"
		if x.bytes >= 0 {
			mb = fmt.Sprintf("%.1f MB", float64(x.bytes)/1e6)
		}
		fmt.Fprintf(w, "Peak RSS of the server (VmHWM) at %s images: %s\n", count(x.size), mb)
	}
	fmt.Fprintln(w)
	lines, notes := r.ratios()
	for _, n := range notes {
		fmt.Fprintln(w, "Note:", n)
	}
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
}

func count(n int) string {
	switch {
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	default:
		return fmt.Sprint(n)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
