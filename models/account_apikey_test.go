package models_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"imageconsole/models"
	"imageconsole/models/sqldb"
	"imageconsole/models/storetest"
)

var testServerKey = bytes.Repeat([]byte{7}, 32)

// mustKeyStore is a store with the server key installed.
func mustKeyStore(t *testing.T) *models.Store {
	t.Helper()
	s := storetest.Open(t)
	if err := s.SetSecretKeyCipher(testServerKey); err != nil {
		t.Fatal(err)
	}
	return s
}

func countKeys(t *testing.T, s *models.Store) int64 {
	t.Helper()
	var n int64
	if err := s.DB().Model(&models.APIKey{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestStore_CreateAPIKey(t *testing.T) {
	ctx := context.Background()
	s := mustKeyStore(t)
	a := storetest.MustAccount(t, s, "a@example.com")
	t.Run("OK", func(t *testing.T) {
		id, key, err := s.CreateAPIKey(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(id, "AKID") || len(id) != 36 {
			t.Errorf("SecretId %q, want AKID + 32 characters", id)
		}
		if len(key) < 32 {
			t.Errorf("SecretKey has %d characters, want at least 32", len(key))
		}
		got, ok, err := s.LookupAPIKey(ctx, id)
		gotAcct, gotKey := got.AccountID, got.SecretKey
		if err != nil || !ok || gotAcct != a.ID || gotKey != key {
			t.Errorf("lookup = %q, %q, %v, %v; want %q, the key, true, nil", gotAcct, gotKey, ok, err, a.ID)
		}
		var row models.APIKey
		s.DB().Where("secret_id = ?", id).Take(&row)
		if bytes.Contains(row.SecretKeyEnc, []byte(key)) {
			t.Error("the SecretKey is stored in clear")
		}
	})
	t.Run("OKSecond", func(t *testing.T) {
		if _, _, err := s.CreateAPIKey(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrThirdKey", func(t *testing.T) {
		before := countKeys(t, s)
		_, _, err := s.CreateAPIKey(ctx, a.ID)
		if got := models.ErrorCode(err); got != models.CodeAccessKeyQuota {
			t.Fatalf("code = %q (%v), want %q", got, err, models.CodeAccessKeyQuota)
		}
		if after := countKeys(t, s); after != before {
			t.Errorf("keys %d → %d: a refused creation wrote a row", before, after)
		}
	})
	t.Run("ErrNoAccount", func(t *testing.T) {
		before := countKeys(t, s)
		_, _, err := s.CreateAPIKey(ctx, "100000000000")
		if got := models.ErrorCode(err); got != models.CodeAccountNotFound {
			t.Fatalf("code = %q, want %q", got, models.CodeAccountNotFound)
		}
		if after := countKeys(t, s); after != before {
			t.Errorf("keys %d → %d", before, after)
		}
	})
	t.Run("ErrNoServerKey", func(t *testing.T) {
		bare := models.NewStore(storetest.Open(t).Database()) // no server key set
		bare.PasswordCost = 4
		b := storetest.MustAccount(t, bare, "b@example.com")
		if _, _, err := bare.CreateAPIKey(ctx, b.ID); err != models.ErrNoSecretCipher {
			t.Errorf("err = %v, want ErrNoSecretCipher", err)
		}
	})
}

// TestStore_CreateAPIKey_Concurrent: many creations at once, exactly the
// limit succeeds.
func TestStore_CreateAPIKey_Concurrent(t *testing.T) {
	ctx := context.Background()
	s := mustKeyStore(t)
	a := storetest.MustAccount(t, s, "a@example.com")
	const n = 8
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			_, _, err := s.CreateAPIKey(ctx, a.ID)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	ok := 0
	for err := range errs {
		switch models.ErrorCode(err) {
		case "":
			ok++
		case models.CodeAccessKeyQuota:
		default:
			t.Errorf("unexpected error %v", err)
		}
	}
	if ok != models.MaxAPIKeys || countKeys(t, s) != models.MaxAPIKeys {
		t.Errorf("%d creations succeeded and %d rows exist, want %d", ok, countKeys(t, s), models.MaxAPIKeys)
	}
}

func TestStore_APIKeyLifecycle(t *testing.T) {
	ctx := context.Background()
	s := mustKeyStore(t)
	a := storetest.MustAccount(t, s, "a@example.com")
	b := storetest.MustAccount(t, s, "b@example.com")
	id, _, err := s.CreateAPIKey(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	lookupOK := func() bool {
		_, ok, err := s.LookupAPIKey(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	tests := []struct {
		name     string
		run      func() error
		wantCode string
		wantOK   bool // lookup afterwards
	}{
		{"OKDisable", func() error { return s.SetAPIKeyEnabled(ctx, a.ID, id, false) }, "", false},
		{"ErrOtherAccountEnables", func() error { return s.SetAPIKeyEnabled(ctx, b.ID, id, true) }, models.CodeResourceNotFound, false},
		{"OKEnable", func() error { return s.SetAPIKeyEnabled(ctx, a.ID, id, true) }, "", true},
		{"ErrOtherAccountDeletes", func() error { return s.DeleteAPIKey(ctx, b.ID, id) }, models.CodeResourceNotFound, true},
		{"ErrUnknownKey", func() error { return s.DeleteAPIKey(ctx, a.ID, "AKIDnope") }, models.CodeResourceNotFound, true},
		{"OKDelete", func() error { return s.DeleteAPIKey(ctx, a.ID, id) }, "", false},
		{"ErrDeleteTwice", func() error { return s.DeleteAPIKey(ctx, a.ID, id) }, models.CodeResourceNotFound, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := countKeys(t, s)
			err := tt.run()
			if got := models.ErrorCode(err); got != tt.wantCode {
				t.Fatalf("code = %q (%v), want %q", got, err, tt.wantCode)
			}
			if tt.wantCode != "" && countKeys(t, s) != before {
				t.Errorf("a refused change altered the key count")
			}
			if got := lookupOK(); got != tt.wantOK {
				t.Errorf("lookup ok = %v, want %v", got, tt.wantOK)
			}
		})
	}
	keys, err := s.APIKeys(ctx, a.ID)
	if err != nil || len(keys) != 0 {
		t.Errorf("APIKeys after delete = %v, %v; want none", keys, err)
	}
}

func TestStore_LookupAPIKey_Unknown(t *testing.T) {
	s := mustKeyStore(t)
	for _, id := range []string{"", "AKID", "AKIDxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "nope", strings.Repeat("A", 500)} {
		if _, ok, err := s.LookupAPIKey(context.Background(), id); ok || err != nil {
			t.Errorf("LookupAPIKey(%q) = %v, %v; want false, nil", id, ok, err)
		}
	}
}

// TestStore_APIKey_Reopen: a key is recovered after reopening the database
// with the same server key, and not with another one.
func TestStore_APIKey_Reopen(t *testing.T) {
	ctx := context.Background()
	url := "sqlite://" + filepath.Join(t.TempDir(), "keys.db")
	open := func(serverKey []byte) *models.Store {
		db, err := sqldb.Open(url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		s := models.NewStore(db)
		s.PasswordCost = bcrypt.MinCost
		if err := s.Migrate(); err != nil {
			t.Fatal(err)
		}
		if err := s.SetSecretKeyCipher(serverKey); err != nil {
			t.Fatal(err)
		}
		return s
	}
	s1 := open(testServerKey)
	a := storetest.MustAccount(t, s1, "a@example.com")
	id, key, err := s1.CreateAPIKey(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	s2 := open(testServerKey)
	if got, ok, err := s2.LookupAPIKey(ctx, id); err != nil || !ok || got.AccountID != a.ID || got.SecretKey != key {
		t.Errorf("after reopen: %q, %v, %v; want the same key", got.AccountID, ok, err)
	}
	s3 := open(bytes.Repeat([]byte{8}, 32))
	if _, ok, err := s3.LookupAPIKey(ctx, id); ok || err == nil {
		t.Errorf("another server key: ok = %v, err = %v; want a decryption error", ok, err)
	}
}

func TestStore_TouchAPIKey(t *testing.T) {
	ctx := context.Background()
	s := mustKeyStore(t)
	clock := &storetest.Clock{T: time.Date(2025, 5, 1, 10, 0, 0, 0, time.UTC)}
	s.Now = clock.Now
	a := storetest.MustAccount(t, s, "a@example.com")
	id, _, err := s.CreateAPIKey(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	lastUsed := func() time.Time {
		keys, err := s.APIKeys(ctx, a.ID)
		if err != nil || len(keys) != 1 || keys[0].LastUsedAt == nil {
			t.Fatalf("keys %v, %v: no LastUsedAt", keys, err)
		}
		return keys[0].LastUsedAt.UTC()
	}
	steps := []struct {
		advance time.Duration
		want    time.Time
	}{
		{0, clock.T},
		{30 * time.Second, clock.T}, // within the minute: not written again
		{45 * time.Second, clock.T.Add(75 * time.Second)}, // stale: written
	}
	for _, st := range steps {
		clock.Advance(st.advance)
		k, ok, err := s.LookupAPIKey(ctx, id)
		if err != nil || !ok {
			t.Fatalf("lookup: %v, %v", ok, err)
		}
		if err := s.TouchAPIKey(ctx, k); err != nil {
			t.Fatal(err)
		}
		if got := lastUsed(); !got.Equal(st.want) {
			t.Errorf("after +%v: LastUsedAt = %v, want %v", st.advance, got, st.want)
		}
	}
	if err := s.TouchAPIKey(ctx, models.APIKeyAuth{SecretID: "AKIDunknown"}); err != nil {
		t.Errorf("touching an unknown key: %v", err)
	}
}
