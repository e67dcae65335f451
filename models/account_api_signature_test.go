package models_test

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"imageconsole/models"
	"imageconsole/models/sqldb"
	"imageconsole/models/storetest"
)

// openReplica is a second store on the same database with its own
// connections and its own signature cache, as another replica would be.
func openReplica(t *testing.T, url string) *models.Store {
	t.Helper()
	db, err := sqldb.Open(url)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	s := models.NewStore(db)
	if err := s.Migrate(); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return s
}

func signatureRows(t *testing.T, s *models.Store) []models.APISignature {
	t.Helper()
	var rows []models.APISignature
	if err := s.DB().Order("signature").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestStore_UseSignature(t *testing.T) {
	ctx := context.Background()
	clock := &storetest.Clock{T: time.Date(2026, 3, 1, 4, 0, 0, 0, time.UTC)}
	use := func(sig, action, client string) models.SignatureUse {
		return models.SignatureUse{SecretID: "AKIDtest", Signature: sig, Action: action, Client: client,
			ExpiresAt: clock.T.Add(301 * time.Second)}
	}
	url := storetest.URL(t)
	a, b := openReplica(t, url), openReplica(t, url)
	a.Now, b.Now = clock.Now, clock.Now

	t.Run("OK", func(t *testing.T) {
		if err := a.UseSignature(ctx, use("aa01", "DescribeImages", "192.0.2.1")); err != nil {
			t.Fatalf("first use: %v", err)
		}
		// Two different requests in the same second.
		if err := a.UseSignature(ctx, use("aa02", "DescribeImages", "192.0.2.1")); err != nil {
			t.Fatalf("another signature: %v", err)
		}
		// The same client sends the same bytes again (a repeated question,
		// an idempotent retry, the same IDs for another action): the SDK
		// signs no nonce and no action, so this is an honest client.
		for _, store := range []*models.Store{a, b} {
			if err := store.UseSignature(ctx, use("aa01", "DeleteImages", "192.0.2.1")); err != nil {
				t.Fatalf("the same client again: %v", err)
			}
		}
	})
	t.Run("ErrReplayedFromElsewhere", func(t *testing.T) {
		before := signatureRows(t, a)
		for name, store := range map[string]*models.Store{"same store": a, "other replica": b} {
			for _, action := range []string{"DescribeImages", "DeleteImages"} {
				err := store.UseSignature(ctx, use("aa01", action, "198.51.100.9"))
				if got := models.ErrorCode(err); got != models.CodeAuthSignatureFailure {
					t.Errorf("%s, %s from another address: code %q (%v), want %s", name, action, got, err, models.CodeAuthSignatureFailure)
				}
			}
		}
		if after := signatureRows(t, a); len(after) != len(before) || after[0].Client != "192.0.2.1" || after[0].Action != "DescribeImages" {
			t.Errorf("a refused use changed the records: %+v → %+v", before, after)
		}
	})
	t.Run("ErrReplayedOnOtherReplicaFirst", func(t *testing.T) {
		// Recorded by b alone: a has never seen it, its database has.
		if err := b.UseSignature(ctx, use("bb01", "DescribeImages", "192.0.2.1")); err != nil {
			t.Fatal(err)
		}
		if err := a.UseSignature(ctx, use("bb01", "DeleteImages", "198.51.100.9")); models.ErrorCode(err) != models.CodeAuthSignatureFailure {
			t.Errorf("replay on the other replica: %v, want %s", err, models.CodeAuthSignatureFailure)
		}
	})
	t.Run("ExpiredRowsPurged", func(t *testing.T) {
		clock.Advance(10 * time.Minute)
		if err := a.UseSignature(ctx, use("cc01", "DescribeImages", "192.0.2.1")); err != nil {
			t.Fatal(err)
		}
		rows := signatureRows(t, a)
		if len(rows) != 1 || rows[0].Signature != "cc01" {
			t.Errorf("rows after expiry: %+v, want only cc01", rows)
		}
	})
}

// TestStore_UseSignature_Concurrent: of the same signature sent at once from
// two addresses, exactly one address gets through.
func TestStore_UseSignature_Concurrent(t *testing.T) {
	ctx := context.Background()
	url := storetest.URL(t)
	stores := []*models.Store{openReplica(t, url), openReplica(t, url)}
	const n = 16
	errs := make(chan error, n)
	clients := make(chan string, n)
	for i := range n {
		go func() {
			client := []string{"192.0.2.1", "198.51.100.9"}[i%2]
			err := stores[i%2].UseSignature(ctx, models.SignatureUse{SecretID: "AKIDtest", Signature: "dd01", Action: "DeleteImages",
				Client: client, ExpiresAt: time.Now().Add(5 * time.Minute)})
			if err == nil {
				clients <- client
			}
			errs <- err
		}()
	}
	ok := map[string]int{}
	for range n {
		if err := <-errs; err != nil && models.ErrorCode(err) != models.CodeAuthSignatureFailure {
			t.Fatalf("unexpected error: %v", err)
		}
	}
	close(clients)
	for c := range clients {
		ok[c]++
	}
	if len(ok) != 1 || ok["192.0.2.1"]+ok["198.51.100.9"] != n/2 {
		t.Errorf("accepted per address: %v, want all %d of one address and none of the other", ok, n/2)
	}
}

// BenchmarkStore_UseSignature is the cost an API request pays for replay
// protection: "new" records a fresh signature (the database write), "repeat"
// is the same client's repeat (the in-process cache).
func BenchmarkStore_UseSignature(b *testing.B) {
	ctx := context.Background()
	s := storetest.Open(b)
	var n atomic.Int64
	b.Run("new", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				sig := strconv.FormatInt(n.Add(1), 16)
				if err := s.UseSignature(ctx, models.SignatureUse{SecretID: "AKIDbench", Signature: sig, Action: "DescribeImages",
					Client: "192.0.2.1", ExpiresAt: time.Now().Add(5 * time.Minute)}); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("repeat", func(b *testing.B) {
		u := models.SignatureUse{SecretID: "AKIDbench", Signature: "1", Action: "DescribeImages", Client: "192.0.2.1",
			ExpiresAt: time.Now().Add(5 * time.Minute)}
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if err := s.UseSignature(ctx, u); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}
