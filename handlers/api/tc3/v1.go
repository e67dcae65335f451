package tc3

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"imageconsole/models"
)

// The signature methods of signature v1, the API's older scheme that both
// SDKs still offer (SignMethod "HmacSHA256" or "HmacSHA1"): the parameters,
// common ones included, travel in the query (GET) or a form body (POST) and
// the signature is one of them.
const (
	HmacSHA256 = "HmacSHA256"
	HmacSHA1   = "HmacSHA1"
)

// V1Params are the common parameters of a v1 request that the signature
// itself needs; every other parameter is signed but not interpreted here.
var V1Params = []string{"SecretId", "Signature", "Timestamp", "Nonce"}

// CheckV1 verifies the v1 signature of a request whose parameters (query or
// form body, already parsed) are params, sent with method to host and path,
// at time now. The string signed is
//
//	METHOD + host + path + "?" + k1=v1&k2=v2...
//
// over every parameter but Signature, sorted by name, values as decoded (not
// URL-encoded), and Signature is its base64 HMAC-SHA256 or HMAC-SHA1 (as
// SignatureMethod says; HmacSHA1 when absent) keyed by the SecretKey. The
// host is accepted as sent or without its port. Errors are *models.Error
// with an AuthFailure.* code; lookup is as for Check.
func CheckV1(method, host, path string, params url.Values, now time.Time, lookup func(secretID string) (secretKey string, ok bool)) (Verified, error) {
	for name, vs := range params {
		if len(vs) > 1 {
			return Verified{}, failure("err.auth.failure.paramTwice", "Name", strconv.Quote(clip(name)))
		}
	}
	for _, name := range V1Params {
		if params.Get(name) == "" {
			return Verified{}, models.E(models.CodeAuthMissingAuthorization, "err.auth.v1Missing",
				"Params", strings.Join(V1Params, ", "), "Name", name)
		}
	}
	id := params.Get("SecretId")
	if len(id) > maxIDLen || !printable(id) {
		return Verified{}, invalid("err.auth.invalid.secretID")
	}
	var mac func() hash.Hash
	switch params.Get("SignatureMethod") {
	case HmacSHA256:
		mac = sha256.New
	case HmacSHA1, "":
		mac = sha1.New
	default:
		return Verified{}, failure("err.auth.failure.method", "A", HmacSHA256, "B", HmacSHA1)
	}
	sig, err := base64.StdEncoding.DecodeString(params.Get("Signature"))
	if err != nil || len(sig) != mac().Size() {
		return Verified{}, failure("err.auth.failure.base64")
	}
	ts, ok := parseTimestamp(params.Get("Timestamp"))
	if !ok {
		return Verified{}, failure("err.auth.failure.timestamp")
	}
	if d, limit := now.Unix()-ts, int64(MaxSkew/time.Second); d > limit || d < -limit {
		return Verified{}, models.E(models.CodeAuthSignatureExpire, "err.auth.expired",
			"Timestamp", ts, "Max", int(MaxSkew.Seconds()))
	}
	key, ok := lookup(id)
	if !ok {
		return Verified{}, models.E(models.CodeAuthSecretIDNotFound, "err.auth.secretIdNotFound")
	}
	query := v1Query(params)
	for _, h := range hosts(host) {
		m := hmac.New(mac, []byte(key))
		m.Write([]byte(method + h + path + "?" + query))
		if hmac.Equal(m.Sum(nil), sig) {
			return Verified{SecretID: id, Signature: sig, Timestamp: ts}, nil
		}
	}
	return Verified{}, failure("err.auth.failure.mismatch")
}

// v1Query is the sorted k=v&... list of every parameter but Signature.
func v1Query(params url.Values) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		if k != "Signature" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(params.Get(k))
	}
	return b.String()
}

// SignV1 returns the Signature parameter a v1 client computes for params
// (Signature itself left out) with the given method (HmacSHA256 or
// HmacSHA1). Tests use it for the requests the SDKs would never send.
func SignV1(secretKey, signatureMethod, method, host, path string, params url.Values) string {
	mac := sha1.New
	if signatureMethod == HmacSHA256 {
		mac = sha256.New
	}
	m := hmac.New(mac, []byte(secretKey))
	m.Write([]byte(method + host + path + "?" + v1Query(params)))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}
