package main

import (
	"fmt"
	"io"
	"net"
	"strings"
	"unicode/utf8"

	"imageconsole/models"
)

// consoleURL is the address to open in a browser: a listener on every
// interface (":8080", "[::]:8080") is shown as localhost.
func consoleURL(scheme string, addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return scheme + "://" + addr.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return scheme + "://" + net.JoinHostPort(host, port)
}

// printReady writes the block that ends the start-up output once the
// console answers: its address and, in demo mode, the demo logins, boxed
// so that they stand out from the log lines above them.
func printReady(w io.Writer, url string, demo []models.DemoAccount) {
	lines := []string{"imageconsole is ready", "", "Console: " + url}
	if len(demo) > 0 {
		lines = append(lines, "", "Demo logins (email / password):")
		for _, d := range demo {
			lines = append(lines, fmt.Sprintf("  %-22s %-18s %s", d.Email, d.Password, d.Role))
		}
	}
	lines = append(lines, "", "Stop with Ctrl+C.")
	width := 0
	for _, l := range lines {
		width = max(width, utf8.RuneCountInString(l))
	}
	var b strings.Builder
	b.WriteString("\n╔" + strings.Repeat("═", width+2) + "╗\n")
	for _, l := range lines {
		b.WriteString("║ " + l + strings.Repeat(" ", width-utf8.RuneCountInString(l)) + " ║\n")
	}
	b.WriteString("╚" + strings.Repeat("═", width+2) + "╝\n")
	io.WriteString(w, b.String())
}
