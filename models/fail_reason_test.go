package models

import (
	"strings"
	"testing"

	"imageconsole/models/i18n"
)

func TestImage_FailureText(t *testing.T) {
	long := strings.Repeat("h", 500)
	tests := []struct {
		name, stored, en, zh string
	}{
		{"OK/Stored", storedReason("err.importer.status", "Host", "example.com", "Status", "404 Not Found"),
			"the server at example.com answered 404 Not Found", "example.com 上的服务器返回 404 Not Found"},
		{"OK/NoArgs", storedReason("err.task.failedRepeatedly"), "The operation failed repeatedly on the server; try again.", "该操作在服务端多次失败，请重试。"},
		{"OK/LegacyText", "the import was cancelled", "the import was cancelled", "the import was cancelled"},
		{"OK/None", "", "", ""},
		{"OK/UnknownID", `{"id":"err.gone"}`, `{"id":"err.gone"}`, `{"id":"err.gone"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := &Image{FailReason: tt.stored}
			if got := img.FailureText(i18n.EN); got != tt.en {
				t.Errorf("en: %q, want %q", got, tt.en)
			}
			if got := img.FailureText(i18n.ZH); got != tt.zh {
				t.Errorf("zh-CN: %q, want %q", got, tt.zh)
			}
		})
	}
	// A long argument (a host name, a line of a damaged file) is cut so the
	// reference fits the 512-character column.
	if s := storedReason("err.importer.dns", "Host", long); len([]rune(s)) > 512 {
		t.Errorf("stored reason is %d characters, over the column's 512", len([]rune(s)))
	}
}
