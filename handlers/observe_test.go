package handlers_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"imageconsole/handlers"
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
