package api

import (
	"strings"

	"imageconsole/models"
	"imageconsole/models/i18n"
)

// Codes of the framework itself; the store's codes live in models.
const (
	codeInvalidAction    = "InvalidAction"
	codeNoSuchVersion    = "NoSuchVersion"
	codeRequestSize      = "RequestSizeLimitExceeded"
	codeUnknownParameter = "UnknownParameter"
)

// fail builds a framework error about field (may be ""): its text is the
// catalogue's id filled with the key/value pairs kv, in both languages.
func fail(code, field, id string, kv ...any) error {
	return models.FieldE(field, code, id, kv...)
}

// message is the error's text in the language X-TC-Language (or a v1
// request's Language parameter) names: Chinese for zh-CN, the SDKs'
// default; English when the header is absent or names a language we do
// not speak. Internal errors get the generic text (models.ErrorText).
func message(err error, header string) string {
	l, ok := i18n.Parse(header)
	if !ok {
		l = i18n.EN
	}
	return models.ErrorText(err, l)
}

// quote bounds and quotes client text echoed in a message.
func quote(s string) string {
	if r := []rune(s); len(r) > 64 {
		s = string(r[:64]) + "…"
	}
	return `"` + strings.ToValidUTF8(s, "�") + `"`
}
