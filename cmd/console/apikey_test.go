package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestRun_APIKeyCreate(t *testing.T) {
	dir := t.TempDir()
	common := []string{"--db", "sqlite://" + filepath.Join(dir, "console.db"), "--data-dir", filepath.Join(dir, "data")}
	var out bytes.Buffer
	if err := run(append([]string{"user", "add", "--email", "cli@example.com", "--password", "password-123"}, common...), &out); err != nil {
		t.Fatal(err)
	}
	uin := strings.TrimPrefix(strings.TrimSpace(out.String()), "AccountId: ")

	want := regexp.MustCompile(`^AccountId: ` + uin + "\nSecretId: (AKID[A-Za-z0-9]{32})\nSecretKey: ([A-Za-z0-9]{32,})\n$")
	keyFile := filepath.Join(dir, "data", "api.key")
	var serverKey []byte
	for i := range 2 {
		out.Reset()
		if err := run(append([]string{"apikey", "create", "--email", "cli@example.com"}, common...), &out); err != nil {
			t.Fatalf("create %d: %v", i, err)
		}
		if !want.MatchString(out.String()) {
			t.Fatalf("output %q, want the three Key: value lines", out.String())
		}
		b, err := os.ReadFile(keyFile)
		if err != nil {
			t.Fatal(err)
		}
		if serverKey != nil && !bytes.Equal(b, serverKey) {
			t.Error("the server key changed between runs")
		}
		serverKey = b
	}
	if fi, err := os.Stat(keyFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("api.key mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"ErrThirdKey", []string{"apikey", "create", "--email", "cli@example.com"}, "2 API keys"},
		{"ErrUnknownEmail", []string{"apikey", "create", "--email", "nobody@example.com"}, "No account"},
		{"ErrNoEmail", []string{"apikey", "create"}, "--email"},
		{"ErrUsage", []string{"apikey", "list"}, "usage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out.Reset()
			err := run(append(tt.args, common...), &out)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want it to mention %q", err, tt.want)
			}
			if out.Len() != 0 {
				t.Errorf("stdout %q, want nothing", out.String())
			}
		})
	}
}
