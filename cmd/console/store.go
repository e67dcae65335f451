package main

import (
	"imageconsole/models"
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
	if err := s.Migrate(); err != nil {
		return nil, err
	}
	return s, nil
}
