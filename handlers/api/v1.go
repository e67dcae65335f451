package api

import (
	"mime"
	"net/http"
	"net/url"
	"strings"

	"imageconsole/handlers/api/tc3"
	"imageconsole/models"
)

// Signature v1 (SignMethod "HmacSHA256" or "HmacSHA1" in the SDKs) sends
// every parameter, the common ones (Action, Version, Region, Timestamp,
// Nonce, SecretId, SignatureMethod, Signature, Language) and the action's
// own flattened as a GET's (Filters.0.Name=...), in the query of a GET or
// the form-encoded body of a POST, and no X-TC-* header.

// isV1 reports whether r is not a TC3-HMAC-SHA256 request, which always
// carries X-TC-Action and an Authorization header. Everything the API is
// given that is not TC3 is checked as v1, so that junk gets an AuthFailure.
func isV1(r *http.Request) bool {
	return r.Header.Get("X-TC-Action") == "" && !strings.HasPrefix(r.Header.Get("Authorization"), tc3.Algorithm)
}

// LooksLikeV1 reports whether a request to "/" whose body has not been read
// carries v1 parameters in its query, or is a form POST, where they travel:
// the server sends such requests to the API rather than to the console.
func LooksLikeV1(r *http.Request) bool {
	if r.Method == http.MethodPost && isForm(r) {
		return true
	}
	q := r.URL.Query()
	return q.Has("Action") || q.Has("Signature") || q.Has("SecretId")
}

func isForm(r *http.Request) bool {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return ct == "application/x-www-form-urlencoded"
}

// v1Params reads the parameters of a v1 request: its query for a GET, its
// form-encoded body (already read, within MaxBody) for a POST.
func v1Params(r *http.Request, body []byte) (url.Values, error) {
	raw := r.URL.RawQuery
	if r.Method == http.MethodPost {
		if !isForm(r) {
			return nil, fail(models.CodeAuthMissingAuthorization, "", "err.api.v1NotForm")
		}
		raw = string(body)
	}
	params, err := url.ParseQuery(raw)
	if err != nil {
		return nil, fail(models.CodeAuthInvalidAuthorization, "", "err.api.v1Malformed", "Detail", err.Error())
	}
	return params, nil
}

// authenticateV1 verifies a v1 signature with the account's enabled keys.
func (a *API) authenticateV1(r *http.Request, params url.Values) (string, tc3.Verified, error) {
	path := r.URL.Path
	if path == "" {
		path = "/"
	}
	return a.verify(r, func(lookup func(string) (string, bool)) (tc3.Verified, error) {
		return tc3.CheckV1(r.Method, r.Host, path, params, a.Now(), lookup)
	})
}

// Takes reports whether a request to "/" is for the API rather than the
// console: a TC3 request (X-TC-Action), or one with v1 parameters in its
// query or a form body. The console serves no form POST to "/", and its GET
// "/" (a redirect) carries none of those parameters.
func (a *API) Takes(r *http.Request) bool {
	return r.Header.Get("X-TC-Action") != "" || LooksLikeV1(r)
}
