package api

import (
	"errors"
	"strings"

	"imageconsole/models"
)

// Codes of the framework itself; the store's codes live in models.
const (
	codeInvalidAction    = "InvalidAction"
	codeNoSuchVersion    = "NoSuchVersion"
	codeRequestSize      = "RequestSizeLimitExceeded"
	codeUnknownParameter = "UnknownParameter"
)

// localized is an error of the framework with its Chinese message; it
// unwraps to the *models.Error every caller reads the code from.
type localized struct {
	err *models.Error
	zh  string
}

func (l *localized) Error() string { return l.err.Error() }
func (l *localized) Unwrap() error { return l.err }

// fail builds a framework error about field (may be "") in both languages.
func fail(code, field, en, zh string) error {
	return &localized{err: &models.Error{Code: code, Message: en, Field: field}, zh: zh}
}

// zhByCode are the Chinese messages of errors the framework does not build
// itself: the signature checks of tc3 and internal errors.
var zhByCode = map[string]string{
	models.CodeAuthSignatureExpire:      "签名过期：X-TC-Timestamp 与服务器时间相差超过五分钟。",
	models.CodeAuthSecretIDNotFound:     "密钥不存在或已被禁用，请到控制台检查密钥。",
	models.CodeAuthSignatureFailure:     "签名错误，请检查 SecretKey 与签名算法。",
	models.CodeAuthInvalidAuthorization: "请求头部的 Authorization 不符合 TC3-HMAC-SHA256 标准。",
	models.CodeAuthMissingAuthorization: "请求头部缺少 Authorization。",
	models.CodeInternal:                 "内部错误，请稍后重试。",
}

// message picks the error's message in the requested language: Chinese for
// the framework's errors when asked, the store's English message otherwise.
func message(err error, lang string) string {
	if lang == "zh-CN" {
		var l *localized
		if errors.As(err, &l) {
			return l.zh
		}
		if zh, ok := zhByCode[models.ErrorCode(err)]; ok {
			return zh
		}
	}
	return models.ErrorMessage(err)
}

// quote bounds and quotes client text echoed in a message.
func quote(s string) string {
	if r := []rune(s); len(r) > 64 {
		s = string(r[:64]) + "…"
	}
	return `"` + strings.ToValidUTF8(s, "�") + `"`
}
