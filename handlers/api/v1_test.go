package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"

	"imageconsole/handlers/api"
	"imageconsole/handlers/api/tc3"
	"imageconsole/models"
)

// v1Client is the Go SDK signing with signature v1 (HmacSHA256 or HmacSHA1).
func (e *env) v1Client(t *testing.T, u user, method, sign string) *cvm.Client {
	t.Helper()
	cpf := e.profile(opts{method: method})
	cpf.SignMethod = sign
	c, err := cvm.NewClient(common.NewCredential(u.secretID, u.secretKey), gz, cpf)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestAPI_SignatureV1 drives the Go SDK with SignMethod HmacSHA256 and
// HmacSHA1, POST (form body) and GET (query): the same actions, the same
// store, the same answers as TC3.
func TestAPI_SignatureV1(t *testing.T) {
	for _, sign := range []string{tc3.HmacSHA256, tc3.HmacSHA1} {
		for _, method := range methods {
			t.Run(sign+"/"+method, func(t *testing.T) {
				e := newEnv(t)
				e.store.Limits.DailyOps = 100
				a := e.user(t, "a@example.com")
				c := e.v1Client(t, a, method, sign)

				regions, err := c.DescribeRegions(cvm.NewDescribeRegionsRequest())
				if err != nil || len(regions.Response.RegionSet) == 0 || *regions.Response.RequestId == "" {
					t.Fatalf("DescribeRegions: %v", err)
				}
				ubuntu := e.commonImage(t, "Ubuntu", models.ArchX86)
				di := cvm.NewDescribeImagesRequest()
				di.Filters = []*cvm.Filter{{Name: common.StringPtr("image-id"), Values: common.StringPtrs([]string{ubuntu})}}
				images, err := c.DescribeImages(di)
				if err != nil {
					t.Fatalf("DescribeImages: %v", err)
				}
				if n := len(images.Response.ImageSet); n != 1 || *images.Response.ImageSet[0].ImageId != ubuntu {
					t.Fatalf("DescribeImages with a filter: %d images, want %s", n, ubuntu)
				}
				ins := e.run(t, c, ubuntu, 2)
				if len(ins) != 2 {
					t.Fatalf("RunInstances made %v", ins)
				}
				img := e.createImage(t, c, ins[0], "golden v1") // a space: form-encoded as + or %20
				var got models.Image
				if err := e.store.DB().First(&got, "id = ?", img).Error; err != nil || got.OwnerID != a.id || got.Name != "golden v1" {
					t.Fatalf("image %s in the store: %+v, %v", img, got, err)
				}
				// An error is the same envelope, code and RequestId included.
				bad := cvm.NewDescribeImagesRequest()
				bad.ImageIds = common.StringPtrs([]string{"img-aaaaaaaa"})
				bad.Filters = di.Filters
				wantCode(t, errOf(c.DescribeImages(bad)), models.CodeCoexistImageIDsFilters)
			})
		}
	}
}

// TestAPI_SignatureV1Refusals sends v1 requests the SDK would not: each is
// refused with its AuthFailure code and nothing is written.
func TestAPI_SignatureV1Refusals(t *testing.T) {
	e := newEnv(t)
	a := e.user(t, "a@example.com")
	ubuntu := e.commonImage(t, "Ubuntu", models.ArchX86)
	valid := func() url.Values {
		return url.Values{"Action": {"RunInstances"}, "Version": {api.Version}, "Region": {gz},
			"Timestamp": {strconv.FormatInt(time.Now().Unix(), 10)}, "Nonce": {"42"}, "SecretId": {a.secretID},
			"SignatureMethod": {tc3.HmacSHA256}, "Placement.Zone": {"ap-guangzhou-3"}, "InstanceType": {"S5.SMALL2"},
			"ImageId": {ubuntu}}
	}
	sign := func(p url.Values, key string) url.Values {
		p.Set("Signature", tc3.SignV1(key, p.Get("SignatureMethod"), http.MethodPost, e.endpoint, "/", p))
		return p
	}
	cases := []struct {
		name   string
		params url.Values
		want   string
	}{
		{"WrongKey", sign(valid(), "not-the-key"), models.CodeAuthSignatureFailure},
		{"AlteredAfterSigning", func() url.Values { p := sign(valid(), a.secretKey); p.Set("InstanceType", "S5.MEDIUM4"); return p }(), models.CodeAuthSignatureFailure},
		{"AddedAfterSigning", func() url.Values { p := sign(valid(), a.secretKey); p.Set("InstanceCount", "9"); return p }(), models.CodeAuthSignatureFailure},
		{"UnknownSecretId", func() url.Values { p := valid(); p.Set("SecretId", "AKIDnobody"); return sign(p, a.secretKey) }(), models.CodeAuthSecretIDNotFound},
		{"Expired", func() url.Values {
			p := valid()
			p.Set("Timestamp", strconv.FormatInt(time.Now().Add(-10*time.Minute).Unix(), 10))
			return sign(p, a.secretKey)
		}(), models.CodeAuthSignatureExpire},
		{"NoSignature", valid(), models.CodeAuthMissingAuthorization},
		{"NoNonce", func() url.Values { p := valid(); p.Del("Nonce"); return sign(p, a.secretKey) }(), models.CodeAuthMissingAuthorization},
		{"UnknownMethod", func() url.Values { p := valid(); p.Set("SignatureMethod", "HmacMD5"); return sign(p, a.secretKey) }(), models.CodeAuthSignatureFailure},
		{"SHA1SignatureAsSHA256", func() url.Values {
			p := valid()
			p.Set("SignatureMethod", tc3.HmacSHA1)
			p = sign(p, a.secretKey)
			p.Set("SignatureMethod", tc3.HmacSHA256)
			return p
		}(), models.CodeAuthSignatureFailure},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := countRows(t, e.store, &models.Instance{})
			res := e.post(t, "application/x-www-form-urlencoded", tc.params.Encode())
			if res.code() != tc.want {
				t.Fatalf("code = %q (%s), want %q", res.code(), res.body, tc.want)
			}
			if after := countRows(t, e.store, &models.Instance{}); after != before {
				t.Fatalf("%d instances written", after-before)
			}
		})
	}
	// The same request correctly signed launches; the replay guard covers
	// v1 too: the same bytes from another address are refused.
	p := sign(valid(), a.secretKey)
	if res := e.postFrom(t, p.Encode(), "127.0.0.1"); res.code() != "" {
		t.Fatalf("valid v1 request: %s", res.body)
	}
	if res := e.postFrom(t, p.Encode(), "127.0.0.2"); res.code() != models.CodeAuthSignatureFailure {
		t.Fatalf("replayed from elsewhere: code = %q (%s), want %s", res.code(), res.body, models.CodeAuthSignatureFailure)
	}
	if n := countRows(t, e.store, &models.Instance{}); n != 1 {
		t.Fatalf("%d instances, want 1", n)
	}
}

// postFrom sends a form POST to "/" from a local address (127.0.0.x).
func (e *env) postFrom(t *testing.T, body, from string) raw {
	t.Helper()
	client := &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{
		LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}}).DialContext}}
	res, err := client.Post("http://"+e.endpoint+"/", "application/x-www-form-urlencoded", strings.NewReader(body))
	if err != nil {
		t.Skipf("cannot send from %s on this machine: %v", from, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	out := raw{status: res.StatusCode, body: string(b)}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("answer is not JSON: %v: %.300s", err, b)
	}
	return out
}

// post sends a raw POST to "/" and reads the JSON envelope.
func (e *env) post(t *testing.T, contentType, body string) raw {
	t.Helper()
	return e.do(t, http.MethodPost, "/", contentType, body)
}

// do sends a raw request without X-TC-* headers and insists on the API's
// answer: HTTP 200, JSON, a RequestId.
func (e *env) do(t *testing.T, method, target, contentType, body string) raw {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+e.endpoint+target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	out := raw{status: res.StatusCode, contentType: res.Header.Get("Content-Type"), body: string(b)}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: HTTP %d (%s), want 200 and the JSON envelope", method, target, res.StatusCode, b)
	}
	if err := json.NewDecoder(bytes.NewReader(b)).Decode(&out); err != nil {
		t.Fatalf("%s %s: answer is not JSON: %v: %.300s", method, target, err, b)
	}
	if out.Response.RequestID == "" {
		t.Fatalf("%s %s: no RequestId in %s", method, target, b)
	}
	return out
}

// TestAPI_JunkWithAPIParameters: whatever reaches "/" with API parameters
// gets the API's JSON envelope with an AuthFailure code, never the
// console's HTML, 403 or redirect; "/" without them is still the console.
func TestAPI_JunkWithAPIParameters(t *testing.T) {
	e := newEnv(t)
	form := "application/x-www-form-urlencoded"
	cases := []struct {
		name, method, target, contentType, body string
	}{
		{"GETActionOnly", http.MethodGet, "/?Action=DescribeImages", "", ""},
		{"GETNoSecretId", http.MethodGet, "/?Action=DescribeImages&Version=2017-03-12&Signature=abc%3D&Timestamp=1&Nonce=1", "", ""},
		{"GETSecretIdOnly", http.MethodGet, "/?SecretId=AKIDx", "", ""},
		{"GETBadSignature", http.MethodGet, "/?Action=DescribeImages&SecretId=AKIDx&Signature=%%%", "", ""},
		{"POSTFormBadSignature", http.MethodPost, "/", form, "Action=DescribeImages&Version=2017-03-12&SecretId=AKIDx&Timestamp=1&Nonce=2&Signature=bad"},
		{"POSTFormNoSecretId", http.MethodPost, "/", form, "Action=DescribeImages&Signature=bad"},
		{"POSTFormEmpty", http.MethodPost, "/", form + "; charset=utf-8", ""},
		{"POSTFormMalformed", http.MethodPost, "/", form, "Action=%zz;"},
		{"POSTJSONWithQueryAction", http.MethodPost, "/?Action=DescribeImages", "application/json", "{}"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := e.do(t, tc.method, tc.target, tc.contentType, tc.body)
			if !strings.HasPrefix(res.code(), models.CodeAuthFailure+".") {
				t.Fatalf("code = %q (%s), want AuthFailure.*", res.code(), res.body)
			}
		})
	}
	// The console's "/" is untouched for a browser.
	req, _ := http.NewRequest(http.MethodGet, "http://"+e.endpoint+"/?tab=x", nil)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/images" {
		t.Fatalf("GET / = %d %q, want 303 to /images", res.StatusCode, res.Header.Get("Location"))
	}
}

// TestAPI_FormBodyLimit: a v1 form body is read within the API's limit.
func TestAPI_FormBodyLimit(t *testing.T) {
	e := newEnv(t)
	res := e.post(t, "application/x-www-form-urlencoded", "Action=DescribeImages&Pad="+strings.Repeat("x", api.MaxBody))
	if res.code() != "RequestSizeLimitExceeded" {
		t.Fatalf("code = %q, want RequestSizeLimitExceeded", res.code())
	}
}
