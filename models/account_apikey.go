package models

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"imageconsole/models/sqldb"
)

// MaxAPIKeys is how many API keys one account may hold, as in Tencent Cloud.
const MaxAPIKeys = 2

const (
	secretIDPrefix  = "AKID"
	secretIDRandom  = 32
	secretKeyLength = 40
	alnum           = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
)

// APIKey lets a program call the API as an account. The server must recover
// the SecretKey to compute the TC3 HMAC, so it cannot be hashed: it is kept
// encrypted with the server key (AES-256-GCM), bound to its SecretId.
type APIKey struct {
	SecretID     string     `gorm:"primaryKey;size:36"`
	AccountID    string     `gorm:"size:12;not null;index"`
	Account      *Account   `gorm:"foreignKey:AccountID;constraint:OnDelete:CASCADE"`
	SecretKeyEnc []byte     `gorm:"not null"`
	Enabled      bool       `gorm:"not null"`
	CreatedAt    time.Time  `gorm:"not null"`
	LastUsedAt   *time.Time // recorded at most once a minute
}

// secretCipher seals SecretKeys at rest.
type secretCipher struct{ aead cipher.AEAD }

// ErrNoSecretCipher means the store was not given the server key.
var ErrNoSecretCipher = errors.New("models: no server key for API secrets (SetSecretKeyCipher)")

// SetSecretKeyCipher installs the 32-byte server key that encrypts API
// SecretKeys at rest. Call it once, before serving.
func (s *AccountStore) SetSecretKeyCipher(key []byte) error {
	if len(key) != 32 {
		return fmt.Errorf("models: the server key must be 32 bytes, got %d", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return err
	}
	s.secrets = &secretCipher{aead: aead}
	return nil
}

// seal encrypts a SecretKey; the SecretId is the additional data, so a
// ciphertext copied onto another key's row does not decrypt.
func (c *secretCipher) seal(secretID, secretKey string) []byte {
	nonce := make([]byte, c.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return c.aead.Seal(nonce, nonce, []byte(secretKey), []byte(secretID))
}

func (c *secretCipher) open(secretID string, enc []byte) (string, error) {
	n := c.aead.NonceSize()
	if len(enc) < n {
		return "", errors.New("models: API secret ciphertext too short")
	}
	plain, err := c.aead.Open(nil, enc[:n], enc[n:], []byte(secretID))
	if err != nil {
		return "", fmt.Errorf("models: cannot decrypt API secret %s (wrong server key?): %w", secretID, err)
	}
	return string(plain), nil
}

// BeforeCreate enforces MaxAPIKeys. Locking the account row first makes
// concurrent creations for one account queue on PostgreSQL; on SQLite the
// IMMEDIATE transaction already serialises them.
func (k *APIKey) BeforeCreate(tx *gorm.DB) error {
	var acct Account
	err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Select("id").Where("id = ?", k.AccountID).Take(&acct).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return E(CodeAccountNotFound, "err.account.notFound", "ID", k.AccountID)
	}
	if err != nil {
		return err
	}
	var n int64
	if err := tx.Model(&APIKey{}).Where("account_id = ?", k.AccountID).Count(&n).Error; err != nil {
		return err
	}
	if n >= MaxAPIKeys {
		return E(CodeAccessKeyQuota, "err.apikey.quota", "Max", MaxAPIKeys)
	}
	return nil
}

// CreateAPIKey makes a new enabled key for an account and returns its
// SecretKey: the only time it is ever shown.
func (s *AccountStore) CreateAPIKey(ctx context.Context, accountID string) (secretID, secretKey string, err error) {
	if s.secrets == nil {
		return "", "", ErrNoSecretCipher
	}
	secretID = secretIDPrefix + randomString(secretIDRandom, alnum)
	secretKey = randomString(secretKeyLength, alnum)
	key := APIKey{SecretID: secretID, AccountID: accountID, SecretKeyEnc: s.secrets.seal(secretID, secretKey),
		Enabled: true, CreatedAt: s.now()}
	if err := s.tx(ctx, func(tx *gorm.DB) error { return tx.Create(&key).Error }); err != nil {
		return "", "", err
	}
	return secretID, secretKey, nil
}

// APIKeys lists an account's keys, oldest first.
func (s *AccountStore) APIKeys(ctx context.Context, accountID string) ([]APIKey, error) {
	var keys []APIKey
	err := s.db.WithContext(ctx).Where("account_id = ?", accountID).Order("created_at, secret_id").Find(&keys).Error
	return keys, err
}

func errAPIKeyNotFound(secretID string) error {
	return E(CodeResourceNotFound, "err.apikey.notFound", "ID", secretID)
}

// SetAPIKeyEnabled disables or re-enables one of the account's keys. A
// disabled key is refused at the next request: nothing caches it.
func (s *AccountStore) SetAPIKeyEnabled(ctx context.Context, accountID, secretID string, enabled bool) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&APIKey{}).Where("account_id = ? AND secret_id = ?", accountID, secretID).Update("enabled", enabled)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return errAPIKeyNotFound(secretID)
		}
		return nil
	})
}

// DeleteAPIKey deletes one of the account's keys. Another account's key is
// not found, the same as a key that never existed.
func (s *AccountStore) DeleteAPIKey(ctx context.Context, accountID, secretID string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Where("account_id = ? AND secret_id = ?", accountID, secretID).Delete(&APIKey{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return errAPIKeyNotFound(secretID)
		}
		return nil
	})
}

// validSecretID reports whether id has the shape of a SecretId we issue, so
// that garbage never reaches the database.
func validSecretID(id string) bool {
	if len(id) != len(secretIDPrefix)+secretIDRandom || !strings.HasPrefix(id, secretIDPrefix) {
		return false
	}
	for _, c := range id[len(secretIDPrefix):] {
		if !strings.ContainsRune(alnum, c) {
			return false
		}
	}
	return true
}

// APIKeyAuth is what checking a request signed with a key needs of it.
type APIKeyAuth struct {
	SecretID   string
	AccountID  string
	SecretKey  string // decrypted
	LastUsedAt *time.Time
}

// LookupAPIKey returns an enabled key with its SecretKey decrypted; ok is
// false for an unknown, malformed or disabled SecretId.
func (s *AccountStore) LookupAPIKey(ctx context.Context, secretID string) (key APIKeyAuth, ok bool, err error) {
	if s.secrets == nil {
		return key, false, ErrNoSecretCipher
	}
	if !validSecretID(secretID) {
		return key, false, nil
	}
	// Every API request reads its key: one query, without a GORM statement
	// around it, which cost more than the read.
	k := APIKey{SecretID: secretID}
	err = sqldb.QueryRow(s.db.WithContext(ctx), apiKeySQL, secretID).Scan(&k.AccountID, &k.SecretKeyEnc, &k.Enabled, &k.LastUsedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return key, false, nil
	}
	if err != nil || !k.Enabled {
		return key, false, err
	}
	secretKey, err := s.secrets.open(k.SecretID, k.SecretKeyEnc)
	if err != nil {
		return key, false, err
	}
	return APIKeyAuth{SecretID: k.SecretID, AccountID: k.AccountID, SecretKey: secretKey, LastUsedAt: k.LastUsedAt}, true, nil
}

var apiKeySQL = "SELECT " + columns(&APIKey{}, "AccountID", "SecretKeyEnc", "Enabled", "LastUsedAt") +
	" FROM " + table(&APIKey{}) + " WHERE " + columns(&APIKey{}, "SecretID") + " = ?"

// touchInterval is how stale LastUsedAt may get: recording every request
// would turn each API read into a database write.
const touchInterval = time.Minute

// TouchAPIKey records that a key, as LookupAPIKey read it, was just used,
// at most once a minute. What the lookup read skips the write in the common
// case; the conditional UPDATE is the authoritative check, so concurrent
// touches write at most once.
func (s *AccountStore) TouchAPIKey(ctx context.Context, k APIKeyAuth) error {
	now := s.now()
	if k.LastUsedAt != nil && now.Sub(*k.LastUsedAt) < touchInterval {
		return nil
	}
	_, err := s.write(ctx, func(tx *gorm.DB) *gorm.DB {
		return tx.Model(&APIKey{}).Where("secret_id = ? AND (last_used_at IS NULL OR last_used_at < ?)", k.SecretID, now.Add(-touchInterval)).
			Update("last_used_at", now)
	})
	return err
}
