package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"imageconsole/models"
)

func TestRun_UserAddRole(t *testing.T) {
	dir := t.TempDir()
	common := []string{"--db", "sqlite://" + filepath.Join(dir, "console.db"), "--data-dir", filepath.Join(dir, "data")}
	var out bytes.Buffer
	for _, tt := range []struct{ email, role, want string }{
		{"plain@example.com", "", models.RoleUser},
		{"prov@example.com", "provider", models.RoleProvider},
		{"op@example.com", "operator", models.RoleOperator},
	} {
		out.Reset()
		args := []string{"user", "add", "--email", tt.email, "--password", "password-123"}
		if tt.role != "" {
			args = append(args, "--role", tt.role)
		}
		if err := run(append(args, common...), &out); err != nil {
			t.Fatalf("%s: %v", tt.email, err)
		}
		if !regexp.MustCompile(`^AccountId: \d{12}\n$`).MatchString(out.String()) {
			t.Errorf("output %q, want one AccountId line", out.String())
		}
		s, db, err := openStore(&config{DB: common[1], DataDir: common[3]})
		if err != nil {
			t.Fatal(err)
		}
		acct, err := s.AccountByEmail(context.Background(), tt.email)
		if err != nil || acct.Role != tt.want || "AccountId: "+acct.ID+"\n" != out.String() {
			t.Errorf("%s: %+v, %v; want role %s", tt.email, acct, err, tt.want)
		}
		db.Close()
	}
	t.Run("ErrUnknownRole", func(t *testing.T) {
		out.Reset()
		err := run(append([]string{"user", "add", "--email", "admin@example.com", "--password", "password-123", "--role", "admin"}, common...), &out)
		if err == nil || !strings.Contains(err.Error(), "Role must be") || out.Len() != 0 {
			t.Errorf("err %v, stdout %q; want the role refused and nothing printed", err, out.String())
		}
	})
}
