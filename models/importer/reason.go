package importer

import (
	"context"
	"errors"
	"fmt"
	"math"

	"imageconsole/models/i18n"
	"imageconsole/models/imagefmt"
)

// importError is a failure the user can act on: kind is the sentinel it
// matches, id and args the catalogue message shown to the user (in the
// user's language: see ReasonID), cause the technical error behind it (kept
// for logs, never shown).
type importError struct {
	kind  error
	id    string
	args  []any
	cause error
}

func fail(kind, cause error, id string, kv ...any) *importError {
	return &importError{kind: kind, id: id, args: kv, cause: cause}
}

// formatFailure is the failure of a file imagefmt did not accept, with
// imagefmt's own message.
func formatFailure(err error) *importError {
	var fe *imagefmt.Error
	if errors.As(err, &fe) {
		return fail(err, nil, fe.ID, fe.Args...)
	}
	return fail(err, nil, "err.imagefmt.unknown")
}

// Error is the English text and its cause, for logs.
func (e *importError) Error() string {
	reason := i18n.EN.T(e.id, e.args...)
	if e.cause == nil {
		return reason
	}
	return reason + " (" + e.cause.Error() + ")"
}

func (e *importError) Unwrap() []error {
	if e.cause == nil {
		return []error{e.kind}
	}
	return []error{e.kind, e.cause}
}

// Reason returns the English text to show a user for an error from Import,
// such as "the server at example.com answered 404 Not Found" (see ReasonID).
// It returns "" for nil.
func Reason(err error) string {
	if err == nil {
		return ""
	}
	id, kv := ReasonID(err)
	return i18n.EN.T(id, kv...)
}

// ReasonID returns the catalogue message, with its key/value pairs, saying
// why Import failed, to be rendered in the reader's language. Errors that are
// not the user's to fix (a full disk, a bug) get a generic message: internal
// details never reach a user.
func ReasonID(err error) (id string, kv []any) {
	var ie *importError
	switch {
	case errors.As(err, &ie):
		return ie.id, ie.args
	case errors.Is(err, context.Canceled):
		return "err.importer.cancelled", nil
	case errors.Is(err, context.DeadlineExceeded):
		return "err.importer.tooLong", nil
	}
	return "err.importer.internal", nil
}

// formatSize writes a byte count the way people read it: "3.2 GiB", "2 GiB".
func formatSize(n int64) string {
	const units = "KMGTPE"
	if n < 1024 {
		return fmt.Sprintf("%d bytes", n)
	}
	v, i := float64(n)/1024, 0
	for math.Round(v*10)/10 >= 1024 && i < len(units)-1 { // so 1023.99 KiB reads "1 MiB"
		v /= 1024
		i++
	}
	if v == float64(int64(v)) {
		return fmt.Sprintf("%d %ciB", int64(v), units[i])
	}
	return fmt.Sprintf("%.1f %ciB", v, units[i])
}
