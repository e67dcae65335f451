// Package tc3 verifies and produces TC3-HMAC-SHA256 signatures, the request
// signing scheme of the Tencent Cloud API 3.0 that the official SDKs use.
package tc3

import (
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"imageconsole/models"
)

// Algorithm is the only signing algorithm accepted in an Authorization header.
const Algorithm = "TC3-HMAC-SHA256"

const (
	terminator = "tc3_request"
	dateLayout = "2006-01-02"
	// maxIDLen bounds the SecretId so that a hostile header cannot make us
	// echo or look up megabytes of text.
	maxIDLen = 128
)

// Authorization is a parsed TC3-HMAC-SHA256 Authorization header.
type Authorization struct {
	SecretID      string
	Date          string   // credential scope date, YYYY-MM-DD
	Service       string   // credential scope service, e.g. "cvm"
	SignedHeaders []string // lower-case header names, in the order they were signed
	Signature     []byte   // the decoded 32-byte HMAC
}

// Parse parses an Authorization header of the form
//
//	TC3-HMAC-SHA256 Credential=<SecretId>/<Date>/<service>/tc3_request, SignedHeaders=content-type;host, Signature=<hex>
//
// Spacing around the separators is tolerated; anything else that is missing,
// repeated or malformed is an AuthFailure.InvalidAuthorization error naming the
// part, and an empty header is AuthFailure.MissingAuthorization.
func Parse(authorization string) (Authorization, error) {
	var a Authorization
	s := strings.TrimSpace(authorization)
	if s == "" {
		return a, models.E(models.CodeAuthMissingAuthorization, "err.auth.missingAuthorization")
	}
	alg, rest := s, ""
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		alg, rest = s[:i], s[i+1:]
	}
	if alg != Algorithm {
		return a, invalid("err.auth.invalid.algorithm", "Alg", strconv.Quote(clip(alg)), "Want", Algorithm)
	}
	fields := map[string]string{}
	for part := range strings.SplitSeq(rest, ",") {
		key, val, ok := strings.Cut(part, "=")
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		if !ok || key == "" {
			return a, invalid("err.auth.invalid.field", "Field", strconv.Quote(clip(strings.TrimSpace(part))))
		}
		switch key {
		case "Credential", "SignedHeaders", "Signature":
		default:
			return a, invalid("err.auth.invalid.unknownField", "Field", strconv.Quote(clip(key)))
		}
		if _, dup := fields[key]; dup {
			return a, invalid("err.auth.invalid.duplicateField", "Field", key)
		}
		fields[key] = val
	}
	for _, key := range []string{"Credential", "SignedHeaders", "Signature"} {
		if fields[key] == "" {
			return a, invalid("err.auth.invalid.missingField", "Field", key)
		}
	}
	if err := a.parseCredential(fields["Credential"]); err != nil {
		return a, err
	}
	if err := a.parseSignedHeaders(fields["SignedHeaders"]); err != nil {
		return a, err
	}
	sig := fields["Signature"]
	b, err := hex.DecodeString(sig)
	if err != nil || len(b) != 32 {
		return a, invalid("err.auth.invalid.signatureHex")
	}
	a.Signature = b
	return a, nil
}

func (a *Authorization) parseCredential(cred string) error {
	parts := strings.Split(cred, "/")
	if len(parts) != 4 {
		return invalid("err.auth.invalid.credential")
	}
	id, date, service, term := parts[0], parts[1], parts[2], parts[3]
	if id == "" || len(id) > maxIDLen || !printable(id) {
		return invalid("err.auth.invalid.credentialSecretID")
	}
	if t, err := time.Parse(dateLayout, date); err != nil || t.Format(dateLayout) != date {
		return invalid("err.auth.invalid.credentialDate", "Date", strconv.Quote(clip(date)))
	}
	if service == "" || !printable(service) {
		return invalid("err.auth.invalid.credentialService")
	}
	if term != terminator {
		return invalid("err.auth.invalid.credentialEnd", "Terminator", terminator)
	}
	a.SecretID, a.Date, a.Service = id, date, service
	return nil
}

// parseSignedHeaders insists on content-type and host: without them a
// signature would not bind the request to our endpoint or its body format.
func (a *Authorization) parseSignedHeaders(list string) error {
	names := strings.Split(list, ";")
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		if !headerName(n) {
			return invalid("err.auth.invalid.signedHeaderName", "Header", strconv.Quote(clip(n)))
		}
		if seen[n] {
			return invalid("err.auth.invalid.signedHeaderTwice", "Header", strconv.Quote(n))
		}
		seen[n] = true
	}
	if !seen["content-type"] || !seen["host"] {
		return invalid("err.auth.invalid.signedHeadersRequired")
	}
	a.SignedHeaders = names
	return nil
}

// headerName reports whether n is a non-empty lower-case HTTP token, as the
// TC3 spec writes signed header names.
func headerName(n string) bool {
	if n == "" {
		return false
	}
	for _, c := range []byte(n) {
		ok := c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
		if !ok {
			return false
		}
	}
	return true
}

// printable reports whether s is visible ASCII without spaces.
func printable(s string) bool {
	for _, c := range []byte(s) {
		if c <= ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}

// clip shortens attacker-controlled text before it goes into an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func invalid(id string, kv ...any) *models.Error {
	return models.E(models.CodeAuthInvalidAuthorization, id, kv...)
}
