package handlers_test

import (
	"bytes"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"imageconsole/handlers"
	"imageconsole/handlers/api"
	"imageconsole/models/storetest"
)

func TestObserve_HealthzMetricsLogs(t *testing.T) {
	s := storetest.Open(t)
	m := handlers.NewMetrics(s)
	s.Observer = m
	var logs bytes.Buffer
	h := handlers.New(s, handlers.Config{SessionKeys: [][]byte{[]byte("0123456789abcdef0123456789abcdef")}, Metrics: m,
		Log: slog.New(slog.NewJSONHandler(&logs, nil))})
	srv := httptest.NewServer(h.NewEcho(nil))
	defer srv.Close()

	res, err := http.Get(srv.URL + "/healthz")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("healthz: %v %v", res, err)
	}
	http.Get(srv.URL + "/signin")
	http.Get(srv.URL + "/images/img-12345678")
	m.Refused("CreateImage", "ImageQuotaLimitExceeded")

	// A request is counted after its answer is written, which may come after
	// the client has its answer: poll briefly until every line is there.
	want := []string{
		`imageconsole_http_requests_total{method="GET",route="/signin",status="200"} 2`, // one direct, one after the redirect,
		`imageconsole_http_requests_total{method="GET",route="/images/:id",status="303"} 1`,
		`imageconsole_refusals_total{action="CreateImage",code="ImageQuotaLimitExceeded"} 1`,
		`imageconsole_background_tasks_pending 0`,
	}
	var body bytes.Buffer
	missing := want
	for deadline := time.Now().Add(3 * time.Second); len(missing) > 0 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		res, err = http.Get(srv.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body.Reset()
		body.ReadFrom(res.Body)
		res.Body.Close()
		missing = nil
		for _, w := range want {
			if !strings.Contains(body.String(), w) {
				missing = append(missing, w)
			}
		}
	}
	for _, w := range missing {
		t.Errorf("metrics lack %s in\n%s", w, grepLines(body.String(), "requests_total"))
	}
	if !strings.Contains(logs.String(), `"route":"/signin"`) || !strings.Contains(logs.String(), `"request_id":"`) {
		t.Errorf("request log lines lack route or request ID: %.300s", logs.String())
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// seriesCount is the number of request series /metrics shows.
func seriesCount(t *testing.T, h http.Handler) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	n := 0
	for _, l := range strings.Split(rec.Body.String(), "\n") {
		if strings.HasPrefix(l, "imageconsole_http_") {
			n++
		}
	}
	return n, rec.Body.String()
}

// TestObserve_MetricsBounded: what a client chooses (API action, method,
// path) cannot add series: 10,000 random ones leave the count unchanged.
func TestObserve_MetricsBounded(t *testing.T) {
	s := storetest.Open(t)
	m := handlers.NewMetrics(s)
	h := handlers.New(s, handlers.Config{SessionKeys: [][]byte{[]byte("0123456789abcdef0123456789abcdef")}, Metrics: m})
	e := h.NewEcho(api.New(s))
	rnd := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		b := make([]byte, 4+rnd.IntN(12))
		for i := range b {
			b[i] = letters[rnd.IntN(len(letters))]
		}
		return string(b)
	}
	send := func(n int) {
		for i := 0; i < n; i++ {
			var r *http.Request
			switch i % 3 {
			case 0: // an API request with an unknown action
				r = httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{}"))
				r.Header.Set("X-TC-Action", word())
			case 1: // an unknown method
				r = httptest.NewRequest(http.MethodGet, "/images", nil)
				r.Method = strings.ToUpper(word())
			default: // an unknown path
				r = httptest.NewRequest(http.MethodGet, "/"+word()+"/"+word(), nil)
			}
			e.ServeHTTP(httptest.NewRecorder(), r)
		}
	}
	send(30)
	seriesCount(t, e) // /metrics counts itself from its first answer on
	before, _ := seriesCount(t, e)
	send(10000)
	after, body := seriesCount(t, e)
	if after != before {
		t.Errorf("%d request series after 10,000 random requests, %d before:\n%s", after, before, grepLines(body, "requests_total"))
	}
	for _, want := range []string{`route="api:other"`, `method="other"`, `route="/*"`} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s:\n%s", want, grepLines(body, "requests_total"))
		}
	}
}

// TestObserve_MetricsToken: with a token /metrics answers only to it; with
// MetricsElsewhere the console does not serve it at all.
func TestObserve_MetricsToken(t *testing.T) {
	s := storetest.Open(t)
	m := handlers.NewMetrics(s)
	key := [][]byte{[]byte("0123456789abcdef0123456789abcdef")}
	get := func(h http.Handler, auth string) int {
		r := httptest.NewRequest(http.MethodGet, "/metrics", nil)
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec.Code
	}
	withToken := handlers.New(s, handlers.Config{SessionKeys: key, Metrics: m, MetricsToken: "s3cret-token"}).NewEcho(nil)
	for auth, want := range map[string]int{"": http.StatusUnauthorized, "Bearer wrong": http.StatusUnauthorized,
		"Bearer s3cret-token": http.StatusOK} {
		if got := get(withToken, auth); got != want {
			t.Errorf("Authorization %q: status %d, want %d", auth, got, want)
		}
	}
	elsewhere := handlers.New(s, handlers.Config{SessionKeys: key, Metrics: m, MetricsElsewhere: true}).NewEcho(nil)
	if got := get(elsewhere, ""); got != http.StatusNotFound && got != http.StatusSeeOther {
		t.Errorf("the console answered /metrics with %d although it is served elsewhere", got)
	}
	if got := get(m.Handler(""), ""); got != http.StatusOK {
		t.Errorf("the separate listener's handler answered %d", got)
	}
}
