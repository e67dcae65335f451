package handlers_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"imageconsole/handlers"
	"imageconsole/handlers/api"
	"imageconsole/models/storetest"
)

// TestObserve_SignatureV1Action: a signature v1 request names its action in
// a parameter, not in X-TC-Action; the metrics count it under that action.
func TestObserve_SignatureV1Action(t *testing.T) {
	s := storetest.Open(t)
	h := handlers.New(s, handlers.Config{SessionKeys: [][]byte{[]byte("0123456789abcdef0123456789abcdef")}, Metrics: handlers.NewMetrics(s)})
	e := h.NewEcho(api.New(s))
	e.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/?Action=DescribeImages", nil))
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("Action=DescribeRegions&Signature=x"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	e.ServeHTTP(httptest.NewRecorder(), r)
	_, body := seriesCount(t, e)
	for _, want := range []string{`method="GET",route="api:DescribeImages"`, `method="POST",route="api:DescribeRegions"`} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s:\n%s", want, grepLines(body, "requests_total"))
		}
	}
}
