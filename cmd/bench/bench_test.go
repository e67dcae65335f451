package main

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"testing"
)

// TestBench_Smoke runs the whole bench at a tiny size (build, seed, sign in,
// every scenario and floor, the report), so that it keeps working between
// the runs of `make bench` that measure for real.
func TestBench_Smoke(t *testing.T) {
	var stdout, stderr bytes.Buffer
	args := []string{"-sizes", "100,200", "-requests", "30", "-dir", t.TempDir()}
	if err := run(t.Context(), args, &stdout, &stderr); err != nil {
		t.Fatalf("bench: %v\n%s", err, stderr.String())
	}
	if strings.Contains(stderr.String(), "WARNING") {
		t.Errorf("the floors answer differently from the product:\n%s", stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{"| images | scenario |", "Peak RSS of the server (VmHWM) at 200 images"} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	ratios := map[string]float64{}
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "RATIO" {
			v, err := strconv.ParseFloat(f[2], 64)
			if err != nil {
				t.Errorf("%q: %v", line, err)
			}
			ratios[f[1]] = v
		}
	}
	for _, name := range []string{"list_vs_floor", "list_p99_100k_vs_1k", "api_describe_vs_floor", "create_vs_insert"} {
		v, ok := ratios[name]
		if !ok || !(v > 0) || math.IsInf(v, 0) {
			t.Errorf("RATIO %s = %v (printed: %v), want a positive number", name, v, ok)
		}
	}
	if len(ratios) != 4 {
		t.Errorf("%d RATIO lines, want 4:\n%s", len(ratios), out)
	}
}
