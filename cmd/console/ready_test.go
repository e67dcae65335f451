package main

import (
	"net"
	"strings"
	"testing"
	"time"

	"imageconsole/models"
)

func TestConsoleURL(t *testing.T) {
	tests := []struct{ name, addr, want string }{
		{"OK/AnyInterface4", "0.0.0.0:8080", "http://localhost:8080"},
		{"OK/AnyInterface6", "[::]:8080", "http://localhost:8080"},
		{"OK/Loopback", "127.0.0.1:9000", "http://127.0.0.1:9000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr, err := net.ResolveTCPAddr("tcp", tt.addr)
			if err != nil {
				t.Fatal(err)
			}
			if got := consoleURL("http", addr); got != tt.want {
				t.Errorf("consoleURL = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPrintReady(t *testing.T) {
	var b strings.Builder
	printReady(&b, "http://localhost:8080", models.DemoAccounts)
	out := b.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.HasPrefix(lines[0], "╔") || !strings.HasPrefix(lines[len(lines)-1], "╚") {
		t.Fatalf("not a box:\n%s", out)
	}
	width := len([]rune(lines[0]))
	for _, l := range lines {
		if len([]rune(l)) != width {
			t.Errorf("ragged line %q (width %d, want %d)", l, len([]rune(l)), width)
		}
	}
	for _, want := range []string{"Console: http://localhost:8080", models.DemoAccounts[0].Email, models.DemoAccounts[0].Password} {
		if !strings.Contains(out, want) {
			t.Errorf("ready block lacks %q:\n%s", want, out)
		}
	}
}

// TestServe_ReadyMessageLast: the real server, started in demo mode, ends
// its start-up output with the ready block (address and demo logins),
// printed once it answers.
func TestServe_ReadyMessageLast(t *testing.T) {
	addr := freeAddr(t)
	s := start(t, addr, "--data-dir", t.TempDir(), "--demo")
	var out string
	waitFor(t, 10*time.Second, "the ready block", func() bool {
		out = s.logs.String()
		return strings.Contains(out, "╚")
	})
	box := out[strings.LastIndex(out, "╔"):]
	for _, want := range []string{"imageconsole is ready", "Console: http://" + addr, models.DemoAccounts[0].Email, "Stop with Ctrl+C."} {
		if !strings.Contains(box, want) {
			t.Errorf("ready block lacks %q:\n%s", want, box)
		}
	}
	if rest := strings.TrimSpace(out[strings.LastIndex(out, "╝")+len("╝"):]); strings.Contains(rest, "Demo") || strings.Contains(rest, "Console:") {
		t.Errorf("the address or the logins are not last: %q", rest)
	}
}
