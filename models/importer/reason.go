package importer

import (
	"context"
	"errors"
	"fmt"
	"math"
)

// importError is a failure the user can act on: kind is the sentinel it
// matches, reason the plain-words text shown to the user, cause the technical
// error behind it (kept for logs, never shown).
type importError struct {
	kind   error
	reason string
	cause  error
}

func fail(kind, cause error, format string, args ...any) *importError {
	return &importError{kind: kind, reason: fmt.Sprintf(format, args...), cause: cause}
}

func (e *importError) Error() string {
	if e.cause == nil {
		return e.reason
	}
	return e.reason + " (" + e.cause.Error() + ")"
}

func (e *importError) Unwrap() []error {
	if e.cause == nil {
		return []error{e.kind}
	}
	return []error{e.kind, e.cause}
}

// Reason returns the text to show a user for an error from Import, such as
// "the server at example.com answered 404 Not Found". Errors that are not the
// user's to fix (a full disk, a bug) get a generic text: internal details
// never reach a user. It returns "" for nil.
func Reason(err error) string {
	var ie *importError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &ie):
		return ie.reason
	case errors.Is(err, context.Canceled):
		return "the import was cancelled"
	case errors.Is(err, context.DeadlineExceeded):
		return "the import took too long and was stopped; try again, or use a faster server"
	}
	return "the image could not be stored because of an internal error; try again later"
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
