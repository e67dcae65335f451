package main

import (
	"path/filepath"

	"imageconsole/models"
	"imageconsole/models/blob"
)

// openStore opens and migrates the database with the configured limits.
func openStore(c *config) (*models.Store, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	db, err := models.Open(c.DB)
	if err != nil {
		return nil, err
	}
	s := models.NewStore(db)
	s.Limits = models.Limits{CustomImages: c.QuotaCustomImages, DailyOps: c.QuotaDailyOps, Shares: c.QuotaShares, Instances: c.QuotaInstances}
	s.TaskScale = c.TaskScale
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
