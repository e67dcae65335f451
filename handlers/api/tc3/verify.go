package tc3

import (
	"crypto/hmac"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"imageconsole/models"
)

// MaxSkew is how far X-TC-Timestamp may be from the server clock.
const MaxSkew = 300 * time.Second

// Verify checks the TC3-HMAC-SHA256 signature of r, whose body has already
// been read into body, for the given service (e.g. "cvm"; "" accepts the
// service the credential scope names, whatever it is) at time now. lookup
// returns the SecretKey of a SecretId, ok=false when it is unknown or
// disabled. It returns the SecretId on success and a *models.Error with an
// AuthFailure.* code otherwise.
//
// The canonical request follows the SDK: the method as sent, URI "/", the raw
// query string for GET ("" otherwise), the signed headers in the order the
// Authorization lists them, and the SHA-256 of the raw body (of "" for GET).
// The host may be signed as sent or without its port: the Node.js SDK signs
// the host name alone while it sends Host with the port.
// The caller must therefore ignore the query string of a POST and the body of
// a GET: neither is covered by the signature.
func Verify(r *http.Request, body []byte, service string, now time.Time, lookup func(secretID string) (secretKey string, ok bool)) (secretID string, err error) {
	v, err := Check(r, body, service, now, lookup)
	return v.SecretID, err
}

// Verified describes a request whose signature checked out: what a replay
// cache keys on and how long the signature stays acceptable.
type Verified struct {
	SecretID  string
	Signature []byte // the decoded HMAC
	Timestamp int64  // X-TC-Timestamp (or the Timestamp parameter), Unix seconds
	// Service is the credential scope's service ("cvm", or whatever a client
	// derived from its endpoint); "" for a signature v1, which names none.
	Service string
}

// Expires is when the signature stops being acceptable at any server clock
// within MaxSkew of the signer's.
func (v Verified) Expires() time.Time { return time.Unix(v.Timestamp, 0).Add(MaxSkew + time.Second) }

// Check is Verify returning the verified signature and timestamp too.
func Check(r *http.Request, body []byte, service string, now time.Time, lookup func(secretID string) (secretKey string, ok bool)) (Verified, error) {
	auth, err := Parse(r.Header.Get("Authorization"))
	if err != nil {
		return Verified{}, err
	}
	tsText := r.Header.Get("X-TC-Timestamp")
	ts, ok := parseTimestamp(tsText)
	if !ok {
		return Verified{}, invalid("err.auth.invalid.timestamp")
	}
	// Compare in seconds: a huge timestamp times time.Second would overflow.
	if d, limit := now.Unix()-ts, int64(MaxSkew/time.Second); d > limit || d < -limit {
		return Verified{}, models.E(models.CodeAuthSignatureExpire, "err.auth.expired",
			"Timestamp", ts, "Max", int(MaxSkew.Seconds()))
	}
	if service != "" && auth.Service != service {
		return Verified{}, failure("err.auth.failure.scopeService", "Service", strconv.Quote(service))
	}
	date := time.Unix(ts, 0).UTC().Format(dateLayout)
	if auth.Date != date {
		return Verified{}, failure("err.auth.failure.scopeDate", "Date", date)
	}
	key, ok := lookup(auth.SecretID)
	if !ok {
		return Verified{}, models.E(models.CodeAuthSecretIDNotFound, "err.auth.secretIdNotFound")
	}
	// The SDK's UnsignedPayload option hashes a constant instead of the body;
	// we refuse it so that every accepted body is covered by the signature.
	if r.Header.Get("X-TC-Content-SHA256") == "UNSIGNED-PAYLOAD" {
		return Verified{}, failure("err.auth.failure.unsignedPayload")
	}
	kSigning := signingKey(key, auth.Date, auth.Service)
	query := ""
	if r.URL != nil {
		query = r.URL.RawQuery
	}
	signed := strings.Join(auth.SignedHeaders, ";")
	// Accept the spec's lower-cased values too, so a client that follows the
	// published algorithm works as well as the SDK, which signs values as
	// sent; and the host without its port, which the Node.js SDK signs. Every
	// form is bound to the same request and needs the key. The Go SDK's form
	// is tried first, so that its requests cost one HMAC chain.
	var tried []string
	for _, host := range hosts(r.Host) {
		for _, lower := range []bool{false, true} {
			headers := canonicalHeaders(r, host, auth.SignedHeaders, lower)
			if slices.Contains(tried, headers) {
				continue
			}
			tried = append(tried, headers)
			canonical := canonicalRequest(r.Method, query, headers, signed, body)
			if hmac.Equal(signature(kSigning, tsText, auth.Date, auth.Service, canonical), auth.Signature) {
				return Verified{SecretID: auth.SecretID, Signature: auth.Signature, Timestamp: ts, Service: auth.Service}, nil
			}
		}
	}
	return Verified{}, failure("err.auth.failure.mismatch")
}

// hosts is the Host as sent, then the same host without its port if it has
// one.
func hosts(host string) []string {
	if h, _, err := net.SplitHostPort(host); err == nil && h != "" {
		if strings.HasPrefix(host, "[") {
			h = "[" + h + "]" // an IPv6 literal keeps its brackets, as in a URL's hostname
		}
		return []string{host, h}
	}
	return []string{host}
}

// parseTimestamp accepts only plain decimal digits: strconv.ParseInt would
// also take a sign, and the raw text is what goes into the string to sign.
func parseTimestamp(s string) (int64, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	ts, err := strconv.ParseInt(s, 10, 64)
	return ts, err == nil
}

func failure(id string, kv ...any) *models.Error {
	return models.E(models.CodeAuthSignatureFailure, id, kv...)
}
