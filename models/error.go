package models

import (
	"errors"
	"strings"

	"imageconsole/models/i18n"
)

// Error is a domain error carrying the API error code of the rule that refused (for example
// "ImageQuotaLimitExceeded"). Both faces read the code: the console maps it to an
// HTTP status and a plain-words message, the API returns it verbatim.
type Error struct {
	Code string
	// Message is the English text, for logs and Error(); a reader gets
	// Text(lang), from the catalogue entry ID filled with Args.
	Message string
	ID      string
	Args    []any
	// Field optionally names the input the error is about, so a form can show
	// the message next to that field.
	Field string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// E builds a coded error whose text is the catalogue's id, filled with the
// key/value pairs kv (see package i18n).
func E(code, id string, kv ...any) *Error {
	return &Error{Code: code, ID: id, Args: kv, Message: i18n.EN.T(id, kv...)}
}

// FieldE is E about one input field of a form.
func FieldE(field, code, id string, kv ...any) *Error {
	e := E(code, id, kv...)
	e.Field = field
	return e
}

// Text is the error's message in l.
func (e *Error) Text(l i18n.Lang) string {
	if e.ID == "" {
		return e.Message
	}
	return l.T(e.ID, e.Args...)
}

// ErrorText is the message of err for a reader of l: the coded error's own
// text, or the generic internal-error text (details never reach a user).
func ErrorText(err error, l i18n.Lang) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Text(l)
	}
	return l.T("err.internal")
}

// ErrorCode returns the code of a coded error, "InternalError" for any other
// non-nil error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the message of a coded error, a generic text otherwise:
// internal details never reach a user.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return i18n.EN.T("err.internal")
}

// ErrorField returns the input field a coded error is about, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// withField returns err about the input field: a coded error is copied
// with Field set (its catalogue text kept), any other error is returned as is.
func withField(field string, err error) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	c := *e
	c.Field = field
	return &c
}

// cleanText makes user text storable on every database: invalid UTF-8 and
// NUL bytes (which PostgreSQL refuses in text) are dropped, not an error.
func cleanText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, ""), "\x00", "")
}
