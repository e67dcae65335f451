package api_test

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	sdkerrors "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"

	"imageconsole/handlers/api"
	"imageconsole/models"
)

// hasHan reports whether s holds a Chinese character.
func hasHan(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}

// langCase is a bad request: sent by the raw HTTP path as u (the default
// user when nil), with header overriding the signed request's headers.
type langCase struct {
	name, method, action, query, body string
	u                                 *user
	header                            []string
	want                              string
}

// TestAPI_ErrorLanguage sends each bad request once in Chinese (zh-CN, the
// SDKs' default) and once in English (en-US): the code is the same, the
// message is Chinese (it has Han characters) or English (it has none).
func TestAPI_ErrorLanguage(t *testing.T) {
	e := newEnv(t)
	e.store.Limits.DailyOps = 1000
	e.store.Limits.CustomImages = 1
	e.store.Limits.Shares = 1
	u := e.user(t, "a@example.com")
	b, c := e.user(t, "b@example.com"), e.user(t, "c@example.com")
	e.api.SetTestAction("Explode", func() (any, error) { panic("boom") })
	img := mustCustomImages(t, e.store, u.id, gz, "lang", 1)[0].ID
	busy := mustCustomImages(t, e.store, u.id, "ap-shanghai", "busy", 1)[0].ID
	if err := e.store.DB().Model(&models.Image{}).Where("id = ?", busy).Update("state", models.StateCreating).Error; err != nil {
		t.Fatal(err)
	}
	wrongKey := u
	wrongKey.secretKey = "wrong-secret-key-wrong-secret-key"
	unknownKey := user{secretID: "AKIDnotakey000000000000000000000000", secretKey: "x"}
	share := func(id, perm string, accounts ...string) string {
		body, _ := json.Marshal(map[string]any{"ImageId": id, "Permission": perm, "AccountIds": accounts})
		return string(body)
	}
	importBody := func(osType string) string {
		return `{"Architecture":"x86_64","OsType":"` + osType + `","OsVersion":"22.04","ImageUrl":"http://127.0.0.1:9/d.qcow2","ImageName":"imp"}`
	}
	old := strconv.FormatInt(time.Now().Add(-time.Hour).Unix(), 10)
	huge := `{"InstanceType":"` + strings.Repeat("x", api.MaxBody) + `"}`
	tests := []langCase{
		// The framework: body, types, names, version, action, region.
		{name: "ErrMalformedJSON", body: `{"Limit": `, want: models.CodeInvalidParameter},
		{name: "ErrNotAnObject", body: `[1]`, want: models.CodeInvalidParameter},
		{name: "ErrTrailingJSON", body: `{} {}`, want: models.CodeInvalidParameter},
		{name: "ErrWrongType", body: `{"Limit":"abc"}`, want: models.CodeInvalidParameterValue},
		{name: "ErrWrongTypeNested", body: `{"Filters":[{"Name":"image-name","Values":"x"}]}`, want: models.CodeInvalidParameterValue},
		{name: "ErrUnknownParameter", body: `{"Nope":1}`, want: "UnknownParameter"},
		{name: "ErrListTooLong", body: `{"ImageIds":[` + strings.Repeat(`"img-aaaaaaaa",`, 100) + `"img-aaaaaaaa"]}`, want: models.CodeValueLimitExceeded},
		{name: "ErrTooLarge", body: huge, want: "RequestSizeLimitExceeded"},
		{name: "ErrGetWrongType", method: "GET", query: "Limit=abc", want: models.CodeInvalidParameterValue},
		{name: "ErrGetNotAList", method: "GET", query: "ImageIds.x=img-aaaaaaaa", want: models.CodeInvalidParameterValue},
		{name: "ErrGetRepeated", method: "GET", query: "Limit=1&Limit=2", want: models.CodeInvalidParameter},
		{name: "ErrUnknownAction", action: "NoSuchAction", want: "InvalidAction"},
		{name: "ErrWrongVersion", header: []string{"X-TC-Version", "2017-01-01"}, want: "NoSuchVersion"},
		{name: "ErrUnknownRegion", header: []string{"X-TC-Region", "mars-1"}, want: models.CodeInvalidRegionNotFound},
		{name: "ErrMissingRegion", header: []string{"X-TC-Region", ""}, want: models.CodeMissingParameter},
		{name: "ErrPanic", action: "Explode", want: models.CodeInternal},
		// Signatures, TC3 and v1.
		{name: "ErrNoAuthorization", header: []string{"Authorization", ""}, want: models.CodeAuthMissingAuthorization},
		{name: "ErrNotTC3", header: []string{"Authorization", "TC3-HMAC-SHA1 Credential=x"}, want: models.CodeAuthInvalidAuthorization},
		{name: "ErrMalformedCredential", header: []string{"Authorization",
			"TC3-HMAC-SHA256 Credential=AKID/2026-01-01/cvm, SignedHeaders=content-type;host, Signature=" + strings.Repeat("0", 64)}, want: models.CodeAuthInvalidAuthorization},
		{name: "ErrUnknownField", header: []string{"Authorization", "TC3-HMAC-SHA256 Nonce=1"}, want: models.CodeAuthInvalidAuthorization},
		{name: "ErrSignatureFailure", u: &wrongKey, want: models.CodeAuthSignatureFailure},
		{name: "ErrSecretIdNotFound", u: &unknownKey, want: models.CodeAuthSecretIDNotFound},
		{name: "ErrSignatureExpire", header: []string{"X-TC-Timestamp", old}, want: models.CodeAuthSignatureExpire},
		{name: "ErrV1Unsigned", method: "GET", query: "Action=DescribeRegions&Version=" + api.Version + "&SecretId=AKIDx",
			header: []string{"X-TC-Action", "", "Authorization", ""}, want: models.CodeAuthMissingAuthorization},
		{name: "ErrV1Method", method: "GET", query: "Action=DescribeRegions&Version=" + api.Version + "&SecretId=AKIDx&Nonce=1&Timestamp=1&Signature=abc&SignatureMethod=MD5",
			header: []string{"X-TC-Action", "", "Authorization", ""}, want: models.CodeAuthSignatureFailure},
		// The domain: sharing rules, quotas, not found, wrong state.
		{name: "ErrShareNoAccounts", action: models.ActionModifySharePermission, body: share(img, "SHARE"), want: models.CodeMissingParameter},
		{name: "ErrSharePermission", action: models.ActionModifySharePermission, body: share(img, "MAYBE", b.id), want: models.CodeInvalidParameterValue},
		{name: "ErrShareYourself", action: models.ActionModifySharePermission, body: share(img, "SHARE", u.id), want: models.CodeAccountIsYourself},
		{name: "ErrShareMalformedAccount", action: models.ActionModifySharePermission, body: share(img, "SHARE", "12"), want: models.CodeAccountNotFound},
		{name: "ErrShareUnknownAccount", action: models.ActionModifySharePermission, body: share(img, "SHARE", "100000000001"), want: models.CodeAccountNotFound},
		{name: "ErrShareNotShared", action: models.ActionModifySharePermission, body: share(img, "CANCEL", b.id), want: models.CodeAccountNotFound},
		{name: "ErrShareQuota", action: models.ActionModifySharePermission, body: share(img, "SHARE", b.id, c.id), want: models.CodeOverQuota},
		{name: "ErrImageQuota", action: models.ActionImportImage, body: importBody("Ubuntu"), want: models.CodeImageQuota},
		{name: "ErrImportOsType", action: models.ActionImportImage, body: importBody("Plan9"), want: models.CodeOsTypeUnsupported},
		{name: "ErrImageNotFound", action: models.ActionModifySharePermission, body: share("img-zzzzzzzz", "SHARE", b.id), want: "InvalidImageId.NotFound"},
		{name: "ErrImageWrongState", action: models.ActionModifySharePermission, body: share(busy, "SHARE", b.id),
			header: []string{"X-TC-Region", "ap-shanghai"}, want: models.CodeInvalidImageIDState},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.checkLanguages(t, u, tt)
		})
	}
	t.Run("ErrDailyOps", func(t *testing.T) {
		e.store.Limits.DailyOps = 0
		defer func() { e.store.Limits.DailyOps = 1000 }()
		e.checkLanguages(t, u, langCase{action: models.ActionModifyImageAttribute,
			body: `{"ImageId":"` + img + `","ImageName":"renamed"}`, want: models.CodeDailyOps})
	})
}

// checkLanguages sends tt in zh-CN and in en-US and compares the answers.
func (e *env) checkLanguages(t *testing.T, u user, tt langCase) {
	t.Helper()
	if tt.u != nil {
		u = *tt.u
	}
	if tt.method == "" {
		tt.method = "POST"
	}
	if tt.action == "" {
		tt.action = "DescribeImages"
	}
	var messages [2]string
	for i, lang := range []string{"zh-CN", "en-US"} {
		res := e.rawRequest(t, u, tt.method, tt.action, tt.query, []byte(tt.body), append(tt.header, "X-TC-Language", lang)...)
		if res.code() != tt.want {
			t.Fatalf("%s: code %q, want %q: %.300s", lang, res.code(), tt.want, res.body)
		}
		messages[i] = res.Response.Error.Message
	}
	zh, en := messages[0], messages[1]
	if hasHan(en) || en == "" {
		t.Errorf("en-US message %q: want English", en)
	}
	if !hasHan(zh) {
		t.Errorf("zh-CN message %q: want Chinese", zh)
	}
	if strings.Contains(zh+en, "<no value>") || strings.Contains(zh+en, "err.") {
		t.Errorf("a message lacks its values or its text: %q / %q", zh, en)
	}
}

// TestAPI_ErrorLanguageSDK: the official Go SDK sends zh-CN unless told
// otherwise, and reads the same code in both languages.
func TestAPI_ErrorLanguageSDK(t *testing.T) {
	if got := profile.NewClientProfile().Language; got != "zh-CN" {
		t.Fatalf("the SDK's default language is %q; this test assumes zh-CN", got)
	}
	e := newEnv(t)
	e.store.Limits.DailyOps = 1000
	u := e.user(t, "a@example.com")
	wrongKey := u
	wrongKey.secretKey = "wrong-secret-key-wrong-secret-key"
	img := mustCustomImages(t, e.store, u.id, gz, "lang", 1)[0].ID
	tests := []struct {
		name   string
		u      user
		region string
		call   func(c *cvm.Client) error
		want   string
	}{
		{"ErrSignatureFailure", wrongKey, gz, func(c *cvm.Client) error {
			_, err := c.DescribeZones(cvm.NewDescribeZonesRequest())
			return err
		}, models.CodeAuthSignatureFailure},
		{"ErrUnknownRegion", u, "mars-1", func(c *cvm.Client) error {
			_, err := c.DescribeImages(cvm.NewDescribeImagesRequest())
			return err
		}, models.CodeInvalidRegionNotFound},
		{"ErrShareMalformedAccount", u, gz, func(c *cvm.Client) error {
			req := cvm.NewModifyImageSharePermissionRequest()
			req.ImageId, req.Permission, req.AccountIds = &img, common.StringPtr("SHARE"), []*string{common.StringPtr("12")}
			_, err := c.ModifyImageSharePermission(req)
			return err
		}, models.CodeAccountNotFound},
		{"ErrImportOsType", u, gz, func(c *cvm.Client) error {
			req := cvm.NewImportImageRequest()
			req.Architecture, req.OsType, req.OsVersion = common.StringPtr("x86_64"), common.StringPtr("Plan9"), common.StringPtr("1")
			req.ImageUrl, req.ImageName = common.StringPtr("http://127.0.0.1:9/d.qcow2"), common.StringPtr("imp")
			_, err := c.ImportImage(req)
			return err
		}, models.CodeOsTypeUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var messages [2]string
			for i, lang := range []string{"zh-CN", "en-US"} {
				err := tt.call(e.client(t, tt.u, opts{region: tt.region, lang: lang}))
				var se *sdkerrors.TencentCloudSDKError
				if !errors.As(err, &se) || se.GetCode() != tt.want {
					t.Fatalf("%s: %v, want code %s", lang, err, tt.want)
				}
				messages[i] = se.GetMessage()
			}
			if !hasHan(messages[0]) || hasHan(messages[1]) {
				t.Errorf("messages %q (zh-CN) / %q (en-US): want Chinese then English", messages[0], messages[1])
			}
		})
	}
}

// TestAPI_ErrorLanguageDefault: a request that names no language, or one we
// do not speak, is answered in English, as before the catalogue.
func TestAPI_ErrorLanguageDefault(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "a@example.com")
	for _, lang := range []string{"", "fr-FR", "!!"} {
		res := e.rawRequest(t, u, "POST", "DescribeImages", "", []byte(`{"Nope":1}`), "X-TC-Language", lang)
		if res.code() != "UnknownParameter" || hasHan(res.Response.Error.Message) {
			t.Errorf("X-TC-Language %q: %s %q, want UnknownParameter in English", lang, res.code(), res.Response.Error.Message)
		}
	}
	// A v1 request names its language in the Language parameter.
	res := e.rawRequest(t, u, "GET", "", "Action=DescribeRegions&Version="+api.Version+"&SecretId=AKIDx&Language=zh-CN", nil,
		"X-TC-Action", "", "Authorization", "")
	if res.code() != models.CodeAuthMissingAuthorization || !hasHan(res.Response.Error.Message) {
		t.Errorf("v1 Language=zh-CN: %s %q, want Chinese", res.code(), res.Response.Error.Message)
	}
}
