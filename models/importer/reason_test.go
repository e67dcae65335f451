package importer

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode"

	"imageconsole/models/i18n"
	"imageconsole/models/imagefmt"
)

func TestReason(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"Nil", nil, ""},
		{"ImportError", fail(ErrHTTPStatus, errors.New("detail"), "err.importer.status", "Host", "h", "Status", "404 Not Found"), "the server at h answered 404 Not Found"},
		{"Wrapped", fmt.Errorf("job 7: %w", fail(ErrTooLarge, nil, "err.importer.tooLarge.upload", "Max", "2 GiB")), "the upload went past the 2 GiB import limit"},
		{"Canceled", fmt.Errorf("import stopped: %w", context.Canceled), "the import was cancelled"},
		{"Deadline", context.DeadlineExceeded, "the import took too long and was stopped; try again, or use a faster server"},
		{"Internal", errors.New("blob: put img: no space left on device"), "the image could not be stored because of an internal error; try again later"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Reason(tt.err); got != tt.want {
				t.Errorf("Reason = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestImportError_Is(t *testing.T) {
	cause := errors.New("connection refused")
	err := fail(ErrUnreachable, cause, "err.importer.refused", "Host", "h")
	for _, target := range []error{ErrUnreachable, cause} {
		if !errors.Is(err, target) {
			t.Errorf("errors.Is(err, %v) = false, want true", target)
		}
	}
	if errors.Is(err, ErrTooLarge) {
		t.Errorf("errors.Is(err, ErrTooLarge) = true, want false")
	}
	if got, want := err.Error(), "the server at h refused the connection; check the URL and that the server is running (connection refused)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// TestReasonID checks that a reason is a catalogue message that reads in
// both languages: the worker stores the ID, the reader picks the language.
func TestReasonID(t *testing.T) {
	before := i18n.Missing()
	for _, err := range []error{
		fail(ErrHTTPStatus, nil, statusHint(404), "Host", "h", "Status", "404 Not Found"),
		formatFailure(fmt.Errorf("wrapped: %w", &imagefmt.Error{Kind: imagefmt.ErrUnsupported, ID: "err.imagefmt.html"})),
		context.Canceled, errors.New("disk full"),
	} {
		id, kv := ReasonID(err)
		en, zh := i18n.EN.T(id, kv...), i18n.ZH.T(id, kv...)
		if en == id || zh == en || !strings.ContainsFunc(zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Errorf("%v: id %s reads %q / %q, want an English and a Chinese text", err, id, en, zh)
		}
	}
	if i18n.Missing() != before {
		t.Error("a reason ID is missing from the catalogue")
	}
}

func TestFormatSize(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0 bytes"},
		{1023, "1023 bytes"},
		{1024, "1 KiB"},
		{1536, "1.5 KiB"},
		{mib - 1, "1.0 MiB"},
		{mib, "1 MiB"},
		{2 << 30, "2 GiB"},
		{3435973837, "3.2 GiB"},
		{64 << 40, "64 TiB"},
	}
	for _, tt := range tests {
		if got := formatSize(tt.n); got != tt.want {
			t.Errorf("formatSize(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
