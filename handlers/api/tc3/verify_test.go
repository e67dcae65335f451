package tc3

import (
	"bytes"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"imageconsole/models"
)

const (
	testID   = "AKIDtest0001"
	testKey  = "test-secret-key"
	testHost = "127.0.0.1:8080"
	jsonCT   = "application/json"
	formCT   = "application/x-www-form-urlencoded"
)

var testNow = time.Unix(1_700_000_000, 0)

func testLookup(id string) (string, bool) {
	if id == testID {
		return testKey, true
	}
	return "", false
}

// signed describes one request: how it is signed and, where they differ,
// how it is sent.
type signed struct {
	id, key, service     string
	method, host, ct     string
	query                string
	body                 []byte
	ts                   int64 // signing time
	sentHost, sentQuery  string
	sentBody             []byte
	sentTS               string
	noTimestamp, unsignd bool
}

func okPOST() signed {
	return signed{id: testID, key: testKey, service: "cvm", method: http.MethodPost, host: testHost, ct: jsonCT,
		body: []byte(`{"Limit":20}`), ts: testNow.Unix()}
}

func okGET() signed {
	return signed{id: testID, key: testKey, service: "cvm", method: http.MethodGet, host: testHost, ct: formCT,
		query: "Filters.0.Name=image-type&Filters.0.Values.0=PRIVATE_IMAGE&Limit=20", ts: testNow.Unix()}
}

// request builds the *http.Request the server would see for s.
func (s signed) request() (*http.Request, []byte) {
	host, query, body := s.host, s.query, s.body
	if s.sentHost != "" {
		host = s.sentHost
	}
	if s.sentQuery != "" {
		query = s.sentQuery
	}
	if s.sentBody != nil {
		body = s.sentBody
	}
	target := "/"
	if query != "" {
		target += "?" + query
	}
	r := httptest.NewRequest(s.method, target, bytes.NewReader(body))
	r.Host = host
	r.Header.Set("Content-Type", s.ct)
	ts := strconv.FormatInt(s.ts, 10)
	if s.sentTS != "" {
		ts = s.sentTS
	}
	if !s.noTimestamp {
		r.Header.Set("X-TC-Timestamp", ts)
	}
	if s.unsignd {
		r.Header.Set("X-TC-Content-SHA256", "UNSIGNED-PAYLOAD")
	}
	r.Header.Set("Authorization", Sign(s.id, s.key, s.service, s.host, s.ct, s.method, s.query, s.body, s.ts))
	return r, body
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name     string
		mutate   func(*signed)
		get      bool
		wantCode string
	}{
		{"OK", nil, false, ""},
		{"OKGET", nil, true, ""},
		{"OKSkewPast300", func(s *signed) { s.ts -= 300 }, false, ""},
		{"OKSkewFuture300", func(s *signed) { s.ts += 300 }, false, ""},
		{"OKMixedCaseHostAsSDK", func(s *signed) { s.host = "API.Example.com:8080" }, false, ""},
		{"OKLowerCasedAsSpec", func(s *signed) { s.host = "api.example.com:8080"; s.sentHost = "API.Example.com:8080" }, false, ""},
		{"ErrExpiredPast", func(s *signed) { s.ts -= 301 }, false, models.CodeAuthSignatureExpire},
		{"ErrExpiredFuture", func(s *signed) { s.ts += 301 }, false, models.CodeAuthSignatureExpire},
		{"ErrWrongKey", func(s *signed) { s.key = "other-key" }, false, models.CodeAuthSignatureFailure},
		{"ErrUnknownID", func(s *signed) { s.id = "AKIDunknown" }, false, models.CodeAuthSecretIDNotFound},
		{"ErrTamperedBody", func(s *signed) { s.sentBody = []byte(`{"Limit":100}`) }, false, models.CodeAuthSignatureFailure},
		{"ErrTamperedHost", func(s *signed) { s.sentHost = "127.0.0.1:8081" }, false, models.CodeAuthSignatureFailure},
		{"ErrTamperedQuery", func(s *signed) { s.sentQuery = "Limit=100" }, true, models.CodeAuthSignatureFailure},
		{"ErrDateMismatch", func(s *signed) { s.sentTS = strconv.FormatInt(s.ts, 10); s.ts += 86400 }, false, models.CodeAuthSignatureFailure},
		{"ErrWrongService", func(s *signed) { s.service = "cbs" }, false, models.CodeAuthSignatureFailure},
		{"ErrMissingTimestamp", func(s *signed) { s.noTimestamp = true }, false, models.CodeAuthInvalidAuthorization},
		{"ErrSignedTimestamp", func(s *signed) { s.sentTS = "+" + strconv.FormatInt(s.ts, 10) }, false, models.CodeAuthInvalidAuthorization},
		{"ErrTextTimestamp", func(s *signed) { s.sentTS = "now" }, false, models.CodeAuthInvalidAuthorization},
		{"ErrUnsignedPayload", func(s *signed) { s.unsignd = true }, false, models.CodeAuthSignatureFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := okPOST()
			if tt.get {
				s = okGET()
			}
			if tt.mutate != nil {
				tt.mutate(&s)
			}
			r, body := s.request()
			id, err := Verify(r, body, "cvm", testNow, testLookup)
			if got := models.ErrorCode(err); got != tt.wantCode {
				t.Fatalf("Verify: got code %q (%v), want %q", got, err, tt.wantCode)
			}
			if err == nil && id != testID {
				t.Errorf("Verify: got SecretId %q, want %q", id, testID)
			}
		})
	}
}

func TestVerify_MissingAuthorization(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/", nil)
	r.Header.Set("X-TC-Timestamp", strconv.FormatInt(testNow.Unix(), 10))
	_, err := Verify(r, nil, "cvm", testNow, testLookup)
	if got := models.ErrorCode(err); got != models.CodeAuthMissingAuthorization {
		t.Fatalf("got code %q, want %q", got, models.CodeAuthMissingAuthorization)
	}
}

// TestVerify_GETIgnoresBody pins the SDK's rule that GET signs an empty
// payload, so a body on a GET is not covered (and must not be used).
func TestVerify_GETIgnoresBody(t *testing.T) {
	s := okGET()
	s.sentBody = []byte("ignored")
	r, body := s.request()
	if _, err := Verify(r, body, "cvm", testNow, testLookup); err != nil {
		t.Fatalf("Verify: got %v, want nil", err)
	}
}

// TestVerify_ExtraSignedHeaders checks that headers beyond content-type and
// host are bound in the order the Authorization lists them.
func TestVerify_ExtraSignedHeaders(t *testing.T) {
	names := []string{"content-type", "host", "x-tc-action"}
	build := func(action string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/", nil)
		r.Host = testHost
		r.Header.Set("Content-Type", jsonCT)
		r.Header.Set("X-TC-Action", " DescribeImages ")
		r.Header.Set("X-TC-Timestamp", strconv.FormatInt(testNow.Unix(), 10))
		date := testNow.UTC().Format(dateLayout)
		canonical := canonicalRequest(r.Method, "", canonicalHeaders(r, r.Host, names, true), "content-type;host;x-tc-action", nil)
		sig := signature(signingKey(testKey, date, "cvm"), r.Header.Get("X-TC-Timestamp"), date, "cvm", canonical)
		r.Header.Set("Authorization", Algorithm+" Credential="+testID+"/"+date+"/cvm/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature="+hex.EncodeToString(sig))
		r.Header.Set("X-TC-Action", action)
		return r
	}
	if _, err := Verify(build("DescribeImages"), nil, "cvm", testNow, testLookup); err != nil {
		t.Fatalf("OK: got %v, want nil", err)
	}
	_, err := Verify(build("DeleteImages"), nil, "cvm", testNow, testLookup)
	if got := models.ErrorCode(err); got != models.CodeAuthSignatureFailure {
		t.Fatalf("ErrTamperedAction: got code %q, want %q", got, models.CodeAuthSignatureFailure)
	}
}
