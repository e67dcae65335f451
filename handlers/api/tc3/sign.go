package tc3

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Sign returns the Authorization header value the official SDK would send for
// a request with these parts, signed at Unix time ts. It signs content-type
// and host, exactly as the SDK does. Tests and the load generator use it.
func Sign(secretID, secretKey, service, host, contentType, method, rawQuery string, body []byte, ts int64) string {
	date := time.Unix(ts, 0).UTC().Format(dateLayout)
	headers := "content-type:" + contentType + "\nhost:" + host + "\n"
	signed := "content-type;host"
	canonical := canonicalRequest(method, rawQuery, headers, signed, body)
	tsText := strconv.FormatInt(ts, 10)
	sig := signature(signingKey(secretKey, date, service), tsText, date, service, canonical)
	return Algorithm + " Credential=" + secretID + "/" + date + "/" + service + "/" + terminator +
		", SignedHeaders=" + signed + ", Signature=" + hex.EncodeToString(sig)
}

// canonicalRequest builds the TC3 canonical request. headers is the block of
// "name:value\n" lines. Like the SDK (common v1.3.211, sendWithSignatureV3),
// only GET signs its query string and GET signs an empty payload; the URI is
// always "/".
func canonicalRequest(method, rawQuery, headers, signedHeaders string, body []byte) string {
	query, payload := "", body
	if method == http.MethodGet {
		query, payload = rawQuery, nil
	}
	sum := sha256.Sum256(payload)
	return method + "\n/\n" + query + "\n" + headers + "\n" + signedHeaders + "\n" + hex.EncodeToString(sum[:])
}

// canonicalHeaders builds the "name:value\n" block for the signed header
// names, in the order given. host stands for r.Host (net/http moves the Host
// header there), as sent or without its port. With lower set the values are lower-cased as the
// TC3 spec describes; without it they are kept as sent, which is what the SDK
// signs (it never lower-cases values).
func canonicalHeaders(r *http.Request, host string, names []string, lower bool) string {
	var b strings.Builder
	for _, n := range names {
		v := host
		if n != "host" {
			v = strings.Join(r.Header.Values(n), ",")
		}
		v = strings.TrimSpace(v)
		if lower {
			v = strings.ToLower(v)
		}
		b.WriteString(n)
		b.WriteByte(':')
		b.WriteString(v)
		b.WriteByte('\n')
	}
	return b.String()
}

// signingKey derives kSigning = HMAC(HMAC(HMAC("TC3"+key, date), service), "tc3_request").
func signingKey(secretKey, date, service string) []byte {
	k := hmacSHA256([]byte("TC3"+secretKey), date)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, terminator)
}

// signature signs the string-to-sign of a canonical request with kSigning.
func signature(kSigning []byte, timestamp, date, service, canonical string) []byte {
	sum := sha256.Sum256([]byte(canonical))
	toSign := Algorithm + "\n" + timestamp + "\n" + date + "/" + service + "/" + terminator + "\n" + hex.EncodeToString(sum[:])
	return hmacSHA256(kSigning, toSign)
}

func hmacSHA256(key []byte, msg string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	return h.Sum(nil)
}
