package main

import (
	"net/http"
	"path/filepath"
	"testing"
)

// TestServe_MetricsAddrAndToken: with --metrics-addr the console's address
// no longer serves /metrics; the separate address does, to the token only.
func TestServe_MetricsAddrAndToken(t *testing.T) {
	dir := t.TempDir()
	addr, metricsAddr := freeAddr(t), freeAddr(t)
	start(t, addr, "--db", "sqlite://"+filepath.Join(dir, "console.db"), "--data-dir", filepath.Join(dir, "data"),
		"--metrics-addr", metricsAddr, "--metrics-token", "metrics-test-token")
	get := func(url, token string) int {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	for _, tt := range []struct {
		url, token string
		want       int
	}{
		{"http://" + addr + "/metrics", "metrics-test-token", http.StatusNotFound},
		{"http://" + metricsAddr + "/metrics", "", http.StatusUnauthorized},
		{"http://" + metricsAddr + "/metrics", "wrong", http.StatusUnauthorized},
		{"http://" + metricsAddr + "/metrics", "metrics-test-token", http.StatusOK},
	} {
		if got := get(tt.url, tt.token); got != tt.want {
			t.Errorf("GET %s with token %q: %d, want %d", tt.url, tt.token, got, tt.want)
		}
	}
}
