package main

import (
	"flag"
	"path/filepath"
	"testing"
	"time"

	"imageconsole/models"
)

// TestRegisterFlags_Sessions: the session timeouts and the hashing bound
// come from flags, then their environment twins, then the defaults.
func TestRegisterFlags_Sessions(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite://" + filepath.Join(dir, "console.db")
	parse := func(args ...string) *models.Store {
		t.Helper()
		var c config
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		registerFlags(fs, &c)
		if err := fs.Parse(append(args, "--db", db, "--data-dir", filepath.Join(dir, "data"))); err != nil {
			t.Fatal(err)
		}
		s, sdb, err := openStore(&c)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { sdb.Close() })
		return s
	}
	if s := parse(); s.SessionIdle != 30*time.Minute || s.SessionLifetime != 12*time.Hour {
		t.Errorf("defaults: idle %s, lifetime %s", s.SessionIdle, s.SessionLifetime)
	}
	t.Setenv("CONSOLE_SESSION_IDLE", "10m")
	if s := parse("--session-lifetime", "2h"); s.SessionIdle != 10*time.Minute || s.SessionLifetime != 2*time.Hour {
		t.Errorf("env and flag: idle %s, lifetime %s", s.SessionIdle, s.SessionLifetime)
	}
	if s := parse("--session-idle", "5m"); s.SessionIdle != 5*time.Minute {
		t.Errorf("the flag beats the environment: idle %s", s.SessionIdle)
	}
}
