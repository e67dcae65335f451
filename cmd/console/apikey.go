package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"imageconsole/models"
)

// apikeyCmd is `console apikey create --email E`: it prints the new key, the
// only time its SecretKey is shown.
func apikeyCmd(args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("usage: console apikey create --email E")
	}
	var c config
	var email string
	fs := flag.NewFlagSet("apikey create", flag.ContinueOnError)
	registerFlags(fs, &c)
	fs.StringVar(&email, "email", "", "email of the account the key belongs to")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if email == "" {
		return fmt.Errorf("--email is required")
	}
	s, db, err := openStore(&c)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx := context.Background()
	acct, err := s.AccountByEmail(ctx, email)
	if err != nil {
		return fmt.Errorf("%s", models.ErrorMessage(err))
	}
	id, key, err := s.CreateAPIKey(ctx, acct.ID)
	if err != nil {
		return fmt.Errorf("%s", models.ErrorMessage(err))
	}
	_, err = fmt.Fprintf(stdout, "AccountId: %s\nSecretId: %s\nSecretKey: %s\n", acct.ID, id, key)
	return err
}

// loadAPIKeyCipher returns the 32-byte server key that encrypts API
// SecretKeys at rest, kept hex-encoded in dataDir/api.key (mode 0600). It is
// generated once; O_EXCL makes two processes starting together agree on one.
func loadAPIKeyCipher(dataDir string) ([]byte, error) {
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, err
	}
	path := filepath.Join(dataDir, "api.key")
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	switch {
	case err == nil:
		_, werr := f.WriteString(hex.EncodeToString(raw) + "\n")
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return nil, fmt.Errorf("write %s: %w", path, werr)
		}
		return raw, nil
	case !errors.Is(err, os.ErrExist):
		return nil, err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("%s must hold 64 hex digits (a 32-byte key)", path)
	}
	return key, nil
}
