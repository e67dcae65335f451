package tc3

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strconv"
	"testing"

	"imageconsole/models"
)

// v1Request returns a v1 request's parameters as the SDKs send them, signed over
// signedHost with method (HmacSHA256 or HmacSHA1) unless edit changes them
// afterwards.
func v1Request(method, signedHost string, edit func(p url.Values)) url.Values {
	p := url.Values{"Action": {"DescribeImages"}, "Version": {"2017-03-12"}, "Region": {"ap-guangzhou"},
		"Timestamp": {strconv.FormatInt(testNow.Unix(), 10)}, "Nonce": {"11886"}, "SecretId": {testID},
		"SignatureMethod": {method}, "Filters.0.Name": {"image-name"}, "Filters.0.Values.0": {"a b&c=d"}, "Language": {""}}
	p.Set("Signature", SignV1(testKey, method, "POST", signedHost, "/", p))
	if edit != nil {
		edit(p)
	}
	return p
}

func TestCheckV1(t *testing.T) {
	// The string to sign, written out, for the SDKs' documented example form.
	p := v1Request(HmacSHA256, testHost, nil)
	mac := hmac.New(sha256.New, []byte(testKey))
	mac.Write([]byte("POST127.0.0.1:8080/?Action=DescribeImages&Filters.0.Name=image-name&Filters.0.Values.0=a b&c=d&Language=&Nonce=11886&Region=ap-guangzhou&SecretId=AKIDtest0001&SignatureMethod=HmacSHA256&Timestamp=1700000000&Version=2017-03-12"))
	if got, want := p.Get("Signature"), base64.StdEncoding.EncodeToString(mac.Sum(nil)); got != want {
		t.Fatalf("SignV1 = %s, want %s", got, want)
	}
	cases := []struct {
		name   string
		host   string // as sent
		params url.Values
		want   string
	}{
		{"HmacSHA256", testHost, v1Request(HmacSHA256, testHost, nil), ""},
		{"HmacSHA1", testHost, v1Request(HmacSHA1, testHost, nil), ""},
		{"NoMethodIsSHA1", testHost, v1Request(HmacSHA1, testHost, func(p url.Values) {
			p.Del("SignatureMethod")
			p.Set("Signature", SignV1(testKey, HmacSHA1, "POST", testHost, "/", p))
		}), ""},
		{"HostWithoutPort", testHost, v1Request(HmacSHA256, "127.0.0.1", nil), ""},
		{"IPv6WithoutPort", "[::1]:8080", v1Request(HmacSHA256, "[::1]", nil), ""},
		{"ErrOtherHost", testHost, v1Request(HmacSHA256, "example.com", nil), models.CodeAuthSignatureFailure},
		{"ErrOtherPort", testHost, v1Request(HmacSHA256, "127.0.0.1:9090", nil), models.CodeAuthSignatureFailure},
		{"ErrValueChanged", testHost, v1Request(HmacSHA256, testHost, func(p url.Values) { p.Set("Filters.0.Values.0", "x") }), models.CodeAuthSignatureFailure},
		{"ErrParamAdded", testHost, v1Request(HmacSHA256, testHost, func(p url.Values) { p.Set("Limit", "1") }), models.CodeAuthSignatureFailure},
		{"ErrRepeated", testHost, v1Request(HmacSHA256, testHost, func(p url.Values) { p.Add("Nonce", "1") }), models.CodeAuthSignatureFailure},
		{"ErrNotBase64", testHost, v1Request(HmacSHA256, testHost, func(p url.Values) { p.Set("Signature", "%%") }), models.CodeAuthSignatureFailure},
		{"ErrSHA1LengthAsSHA256", testHost, v1Request(HmacSHA1, testHost, func(p url.Values) { p.Set("SignatureMethod", HmacSHA256) }), models.CodeAuthSignatureFailure},
		{"ErrNoSignature", testHost, v1Request(HmacSHA256, testHost, func(p url.Values) { p.Del("Signature") }), models.CodeAuthMissingAuthorization},
		{"ErrNoTimestamp", testHost, v1Request(HmacSHA256, testHost, func(p url.Values) { p.Del("Timestamp") }), models.CodeAuthMissingAuthorization},
		{"ErrSignedTimestampNotDigits", testHost, v1Request(HmacSHA256, testHost, func(p url.Values) {
			p.Set("Timestamp", "+1700000000")
			p.Set("Signature", SignV1(testKey, HmacSHA256, "POST", testHost, "/", p))
		}), models.CodeAuthSignatureFailure},
		{"ErrExpired", testHost, v1Request(HmacSHA256, testHost, func(p url.Values) {
			p.Set("Timestamp", strconv.FormatInt(testNow.Unix()-301, 10))
			p.Set("Signature", SignV1(testKey, HmacSHA256, "POST", testHost, "/", p))
		}), models.CodeAuthSignatureExpire},
		{"ErrUnknownKey", testHost, v1Request(HmacSHA256, testHost, func(p url.Values) {
			p.Set("SecretId", "AKIDother")
			p.Set("Signature", SignV1(testKey, HmacSHA256, "POST", testHost, "/", p))
		}), models.CodeAuthSecretIDNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, err := CheckV1("POST", tc.host, "/", tc.params, testNow, testLookup)
			if got := models.ErrorCode(err); got != tc.want {
				t.Fatalf("code = %q (%v), want %q", got, err, tc.want)
			}
			if err == nil && (v.SecretID != testID || v.Timestamp != testNow.Unix() || len(v.Signature) == 0) {
				t.Fatalf("verified = %+v", v)
			}
		})
	}
	// The method is signed: the same parameters sent as a GET do not verify.
	if _, err := CheckV1("GET", testHost, "/", v1Request(HmacSHA256, testHost, nil), testNow, testLookup); models.ErrorCode(err) != models.CodeAuthSignatureFailure {
		t.Fatalf("POST signature sent as GET: %v", err)
	}
}
