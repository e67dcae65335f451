package handlers

import (
	"net/url"
	"strings"
	"testing"
)

func TestSafeNext(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"/images?tab=market", "/images?tab=market"},
		{"/instances/ins-1?region=ap-tokyo", "/instances/ins-1?region=ap-tokyo"},
		{"/", "/"},
		{"", "/images"},
		{"images", "/images"},
		{"https://evil.example/", "/images"},
		{"//evil.example", "/images"},
		{"/\\evil.example", "/images"},
		{"/\t/evil.example", "/images"}, // browsers drop the tab: //evil.example
		{"/\n/evil.example", "/images"},
		{"/\r/evil.example", "/images"},
		{"/ /evil.example", "/images"},
		{"/images\\..\\..", "/images"},
		{"/\x00", "/images"},
		{"/\x7f", "/images"},
		{"/%", "/images"},
		{"/images?q=%41", "/images?q=%41"},
		{"/caf\u00e9", "/images"},
		{"/" + strings.Repeat("a", 3000), "/images"},
	} {
		if got := safeNext(tt.in); got != tt.want {
			t.Errorf("safeNext(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzSafeNext: whatever comes in, what comes out stays on this site once
// a browser resolves it, with the browser's own clean-up applied first
// (it drops tabs and newlines, reads "\" as "/").
func FuzzSafeNext(f *testing.F) {
	for _, seed := range []string{"/images", "//evil.example", "/\t/evil.example", "/\\evil.example", "https://evil.example",
		"/%2F%2Fevil.example", "/.//evil.example", "/\u3000/evil.example", "/?next=//evil", "\x00/", "/images#//evil"} {
		f.Add(seed)
	}
	base, _ := url.Parse("https://console.example/images")
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if got != next && got != "/images" {
			t.Fatalf("safeNext(%q) = %q: neither the input nor the fallback", next, got)
		}
		browser := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(strings.TrimSpace(got))
		u, err := url.Parse(browser)
		if err != nil {
			t.Fatalf("safeNext(%q) = %q, which does not parse: %v", next, got, err)
		}
		if r := base.ResolveReference(u); r.Scheme != "https" || r.Host != "console.example" || !strings.HasPrefix(got, "/") {
			t.Fatalf("safeNext(%q) = %q leads to %s", next, got, r)
		}
	})
}
