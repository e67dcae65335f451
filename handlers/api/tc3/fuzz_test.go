package tc3

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"imageconsole/models"
)

// checkCoded fails unless err is nil or a *models.Error with an AuthFailure code.
func checkCoded(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var me *models.Error
	if !errors.As(err, &me) {
		t.Fatalf("got %T %v, want a *models.Error", err, err)
	}
	if !strings.HasPrefix(me.Code, "AuthFailure.") {
		t.Fatalf("got code %q, want an AuthFailure code", me.Code)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("TC3-HMAC-SHA256 Credential=AKIDx/2024-01-02/cvm/tc3_request, SignedHeaders=content-type;host, Signature=" + goodSig)
	f.Add("TC3-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=;, Signature==")
	f.Add("")
	f.Fuzz(func(t *testing.T, header string) {
		a, err := Parse(header)
		checkCoded(t, err)
		if err == nil && (a.SecretID == "" || len(a.Signature) != 32 || len(a.SignedHeaders) < 2) {
			t.Fatalf("Parse(%q) accepted an incomplete header: %+v", header, a)
		}
	})
}

func FuzzVerify(f *testing.F) {
	body := []byte(`{"Limit":20}`)
	ts := testNow.Unix()
	f.Add(Sign(testID, testKey, "cvm", testHost, jsonCT, "POST", "", body, ts), "1700000000", testHost, jsonCT, "POST", "", body)
	f.Add(Sign(testID, testKey, "cvm", testHost, formCT, "GET", "Limit=20", nil, ts), "1700000000", testHost, formCT, "GET", "Limit=20", []byte(nil))
	f.Add("TC3-HMAC-SHA256 Credential=AKIDtest0001/2023-11-14/cvm/tc3_request, SignedHeaders=content-type;host;x-y, Signature="+goodSig, "99999999999999999", "", "", "PUT", "%zz", []byte("x"))
	f.Fuzz(func(t *testing.T, auth, timestamp, host, contentType, method, rawQuery string, body []byte) {
		r := &http.Request{Method: method, Host: host, URL: &url.URL{Path: "/", RawQuery: rawQuery}, Header: http.Header{}}
		r.Header.Set("Authorization", auth)
		r.Header.Set("X-TC-Timestamp", timestamp)
		r.Header.Set("Content-Type", contentType)
		id, err := Verify(r, body, "cvm", testNow, testLookup)
		checkCoded(t, err)
		if err == nil && id != testID {
			t.Fatalf("Verify accepted SecretId %q", id)
		}
	})
}

// FuzzCheckV1: any v1 parameters are refused with a coded error or accepted
// only for the test key, never a panic.
func FuzzCheckV1(f *testing.F) {
	f.Add(v1Request(HmacSHA256, testHost, nil).Encode(), "POST", testHost)
	f.Add(v1Request(HmacSHA1, "127.0.0.1", nil).Encode(), "GET", testHost)
	f.Add("SecretId=x&Signature=AA%3D%3D&Timestamp=99999999999999999&Nonce=1&SignatureMethod=HmacSHA1", "POST", "[::1")
	f.Fuzz(func(t *testing.T, query, method, host string) {
		p, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		v, err := CheckV1(method, host, "/", p, testNow, testLookup)
		checkCoded(t, err)
		if err == nil && v.SecretID != testID {
			t.Fatalf("CheckV1 accepted SecretId %q", v.SecretID)
		}
	})
}
