package api_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	sdkerrors "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"

	"imageconsole/models"
)

func TestAPI_Signature(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "a@example.com")
	wrongKey := u
	wrongKey.secretKey = "not-the-secret-key-at-all-0123456789"
	unknown := u
	unknown.secretID = "AKID" + strings.Repeat("x", 32)
	tests := []struct {
		name string
		u    user
		skew time.Duration
		want string
	}{
		{"OK", u, 0, ""},
		{"OKSmallSkew", u, 4 * time.Minute, ""},
		{"ErrSignature", wrongKey, 0, models.CodeAuthSignatureFailure},
		{"ErrExpired", u, 10 * time.Minute, models.CodeAuthSignatureExpire},
		{"ErrFromTheFuture", u, -10 * time.Minute, models.CodeAuthSignatureExpire},
		{"ErrUnknownKey", unknown, 0, models.CodeAuthSecretIDNotFound},
	}
	for _, method := range methods {
		for _, tt := range tests {
			t.Run(method+"/"+tt.name, func(t *testing.T) {
				e.skew.Store(int64(tt.skew))
				defer e.skew.Store(0)
				_, err := e.client(t, tt.u, opts{method: method, region: gz}).DescribeZones(cvm.NewDescribeZonesRequest())
				wantCode(t, err, tt.want)
			})
		}
	}
}

// TestAPI_KeyLifecycle: a disabled or deleted key is refused at its very
// next request, and a successful request records when the key was used.
func TestAPI_KeyLifecycle(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	u := e.user(t, "a@example.com")
	c := e.client(t, u, opts{region: gz})
	call := func() error {
		_, err := c.DescribeImageQuota(cvm.NewDescribeImageQuotaRequest())
		return err
	}
	steps := []struct {
		name   string
		change func() error
		want   string
	}{
		{"OK", func() error { return nil }, ""},
		{"ErrDisabled", func() error { return e.store.SetAPIKeyEnabled(ctx, u.id, u.secretID, false) }, models.CodeAuthSecretIDNotFound},
		{"OKEnabledAgain", func() error { return e.store.SetAPIKeyEnabled(ctx, u.id, u.secretID, true) }, ""},
		{"ErrDeleted", func() error { return e.store.DeleteAPIKey(ctx, u.id, u.secretID) }, models.CodeAuthSecretIDNotFound},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if err := st.change(); err != nil {
				t.Fatal(err)
			}
			wantCode(t, call(), st.want)
		})
	}
	v := e.user(t, "b@example.com")
	if _, err := e.client(t, v, opts{region: gz}).DescribeZones(cvm.NewDescribeZonesRequest()); err != nil {
		t.Fatal(err)
	}
	keys, err := e.store.APIKeys(ctx, v.id)
	if err != nil || len(keys) != 1 || keys[0].LastUsedAt == nil {
		t.Errorf("LastUsedAt not recorded: %+v, %v", keys, err)
	}
}

// TestAPI_Language: the SDK's default language is zh-CN; framework errors
// answer in Chinese then, and in English for en-US.
func TestAPI_Language(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "a@example.com")
	u.secretKey = "wrong-secret-key-wrong-secret-key"
	tests := []struct {
		name, lang, region, want string
	}{
		{"English", "en-US", gz, "Signature verification failed"},
		{"Chinese", "zh-CN", gz, "签名验证失败"},
		{"ChineseRegion", "zh-CN", "mars-1", "地域"},
		{"EnglishRegion", "en-US", "mars-1", "does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.client(t, u, opts{lang: tt.lang, region: tt.region}).DescribeZones(cvm.NewDescribeZonesRequest())
			var se *sdkerrors.TencentCloudSDKError
			if !errors.As(err, &se) || !strings.Contains(se.GetMessage(), tt.want) {
				t.Errorf("message %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
