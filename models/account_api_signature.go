package models

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"time"

	"gorm.io/gorm"

	"imageconsole/models/sqldb"
)

// APISignature is a signature the API accepted, kept until it expires so
// that the same signed request is not accepted again: not replayed as it
// was, nor re-aimed at another action (the official SDK signs neither the
// action nor a nonce, only the host, content type, body and timestamp). The
// table is shared, so a replay sent to another replica is refused too.
type APISignature struct {
	SecretID  string    `gorm:"primaryKey;size:64"`
	Signature string    `gorm:"primaryKey;size:64"` // hex
	Action    string    `gorm:"size:64;not null"`
	Client    string    `gorm:"size:64;not null"` // the client address that sent it first
	ExpiresAt time.Time `gorm:"not null;index"`
}

// SignatureUse is one accepted API request, about to run.
type SignatureUse struct {
	SecretID, Signature, Action string
	// Client is the client's address, to which a signature is bound.
	Client string
	// ExpiresAt is when the signature would be refused as expired anyway.
	ExpiresAt time.Time
}

// replays reports whether u, whose signature was first accepted as prev,
// must be refused: when it comes from another address. The official SDK
// signs the host, content type, body and timestamp, but neither the action
// nor a nonce, so the same client sends one signature twice whenever it
// sends the same parameters twice in one second: the same question again,
// an idempotent retry with the same ClientToken, a write retried once what
// refused it is fixed, or two actions on the same IDs (DescribeImages, then
// DeleteImages). On the wire that is exactly what re-sending a captured
// request looks like; where it comes from is what tells them apart.
func (u SignatureUse) replays(prev APISignature) bool {
	return prev.Client != u.Client
}

func errReplayed(u SignatureUse, prev APISignature) error {
	if prev.Action != u.Action {
		return E(CodeAuthSignatureFailure, "err.signature.resentAsOtherAction")
	}
	return E(CodeAuthSignatureFailure, "err.signature.replayed")
}

// UseSignature records the signature of an accepted API request, refusing
// one that was already used (AuthFailure.SignatureFailure). Expired records
// are deleted about once a minute, in the same transaction.
func (s *AccountStore) UseSignature(ctx context.Context, u SignatureUse) error {
	c := s.signatureCache()
	now := s.now()
	if prev, ok := c.get(u.SecretID+"/"+u.Signature, now); ok {
		if u.replays(prev) {
			return errReplayed(u, prev)
		}
		return nil
	}
	row := APISignature{SecretID: u.SecretID, Signature: u.Signature, Action: u.Action, Client: u.Client, ExpiresAt: u.ExpiresAt.UTC()}
	prev, first := row, false
	err := s.tx(ctx, func(tx *gorm.DB) error {
		prev, first = row, false // a group commit may run fn again
		if c.purgeDue(now) {
			if _, err := sqldb.Exec(tx, signaturePurgeSQL, now.UTC()); err != nil {
				return err
			}
		}
		n, err := sqldb.Exec(tx, signatureInsertSQL, row.SecretID, row.Signature, row.Action, row.Client, row.ExpiresAt)
		if err != nil || n == 1 {
			first = n == 1
			return err
		}
		err = sqldb.QueryRow(tx, signatureReadSQL, row.SecretID, row.Signature).Scan(&prev.Action, &prev.Client, &prev.ExpiresAt)
		if errors.Is(err, sql.ErrNoRows) { // purged between the two statements: it had expired
			prev, first = row, true
			return nil
		}
		return err
	})
	if err != nil {
		return err
	}
	c.put(u.SecretID+"/"+u.Signature, prev, now)
	if !first && u.replays(prev) {
		return errReplayed(u, prev)
	}
	return nil
}

// The statements of UseSignature, their names from GORM's mapping of APISignature.
var (
	signaturePurgeSQL  = "DELETE FROM " + table(&APISignature{}) + " WHERE " + columns(&APISignature{}, "ExpiresAt") + " < ?"
	signatureInsertSQL = "INSERT INTO " + table(&APISignature{}) + " (" +
		columns(&APISignature{}, "SecretID", "Signature", "Action", "Client", "ExpiresAt") + ") VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
	signatureReadSQL = "SELECT " + columns(&APISignature{}, "Action", "Client", "ExpiresAt") + " FROM " + table(&APISignature{}) +
		" WHERE " + columns(&APISignature{}, "SecretID") + " = ? AND " + columns(&APISignature{}, "Signature") + " = ?"
)

// signatureCache keeps the signatures this process has recorded, so that a
// repeated read costs no database round trip; the table stays the authority
// (a miss goes to it). Bounded: when full of unexpired entries, new ones
// are not cached.
type signatureCache struct {
	mu        sync.Mutex
	entries   map[string]APISignature
	lastPurge time.Time // of the table
	lastSweep time.Time // of the map
}

const (
	signatureCacheMax = 100_000
	signaturePurge    = time.Minute
)

func (s *core) signatureCache() *signatureCache {
	s.sigOnce.Do(func() { s.sigs = &signatureCache{entries: map[string]APISignature{}} })
	return s.sigs
}

func (c *signatureCache) get(key string, now time.Time) (APISignature, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if ok && now.After(e.ExpiresAt) {
		return APISignature{}, false
	}
	return e, ok
}

func (c *signatureCache) put(key string, e APISignature, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= signatureCacheMax || now.Sub(c.lastSweep) > signaturePurge {
		c.lastSweep = now
		for k, v := range c.entries {
			if now.After(v.ExpiresAt) {
				delete(c.entries, k)
			}
		}
	}
	if len(c.entries) < signatureCacheMax {
		c.entries[key] = e
	}
}

// purgeDue reports whether this process should delete expired rows now,
// and if so marks it done.
func (c *signatureCache) purgeDue(now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if now.Sub(c.lastPurge) < signaturePurge {
		return false
	}
	c.lastPurge = now
	return true
}
