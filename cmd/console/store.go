package main

import (
	"path/filepath"

	"imageconsole/models"
	"imageconsole/models/blob"
	"imageconsole/models/sqldb"
)

// openStore opens and migrates the database with the configured limits.
// The caller closes the database when done with the store.
func openStore(c *config) (*models.Store, *sqldb.DB, error) {
	if err := c.validate(); err != nil {
		return nil, nil, err
	}
	db, err := sqldb.Open(c.DB)
	if err != nil {
		return nil, nil, err
	}
	s, err := newStore(c, db)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return s, db, nil
}

// newStore wires the store on db: limits, blobs, the API key cipher, then
// the schema.
func newStore(c *config, db *sqldb.DB) (*models.Store, error) {
	s := models.NewStore(db)
	s.Limits = models.Limits{CustomImages: c.QuotaCustomImages, DailyOps: c.QuotaDailyOps, Shares: c.QuotaShares, Instances: c.QuotaInstances}
	s.TaskScale = c.TaskScale
	var err error
	if c.SessionIdle > 0 {
		s.SessionIdle = c.SessionIdle
	}
	if c.SessionLifetime > 0 {
		s.SessionLifetime = c.SessionLifetime
	}
	if c.HashConcurrency > 0 {
		s.Hashing = models.NewHashLimiter(c.HashConcurrency, s.Hashing.Wait)
	}
	if s.Blobs, err = blob.NewDir(filepath.Join(c.DataDir, "blobs")); err != nil {
		return nil, err
	}
	key, err := loadAPIKeyCipher(c.DataDir)
	if err != nil {
		return nil, err
	}
	if err := s.SetSecretKeyCipher(key); err != nil {
		return nil, err
	}
	if err := s.Migrate(); err != nil {
		return nil, err
	}
	return s, nil
}
