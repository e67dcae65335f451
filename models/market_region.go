package models

import (
	"slices"
	"strings"

	"gorm.io/gorm"
)

// MarketRegion limits a market image to a region. An image with no rows is
// offered everywhere (the seeded listings, and listings that chose no
// region); one with rows only in those regions. A child table keeps the
// images table, which every list reads, as it is.
type MarketRegion struct {
	ImageID string `gorm:"primaryKey;size:12"`
	Region  string `gorm:"primaryKey;size:32"`
}

// marketRegionScope matches the market images offered in region: those
// limited to no region and those limited to region among others.
func marketRegionScope(db *gorm.DB, region string) *gorm.DB {
	fresh := func() *gorm.DB { return db.Session(&gorm.Session{NewDB: true}) }
	return fresh().Where("images.id NOT IN (?)", fresh().Model(&MarketRegion{}).Select("image_id")).
		Or("images.id IN (?)", fresh().Model(&MarketRegion{}).Select("image_id").Where("region = ?", region))
}

// checkMarketRegion refuses to launch a market image outside the regions
// its listing chose; other images pass.
func checkMarketRegion(tx *gorm.DB, img *Image, region string) error {
	if img.Type != TypeMarket {
		return nil
	}
	var regions []string
	if err := tx.Model(&MarketRegion{}).Where("image_id = ?", img.ID).Order("region").Pluck("region", &regions).Error; err != nil {
		return err
	}
	if len(regions) == 0 || slices.Contains(regions, region) {
		return nil
	}
	return E(CodeInvalidRegionUnavailable, "err.market.regionUnavailable", "ID", img.ID, "Regions", strings.Join(regions, ", "), "Region", region)
}

// setMarketRegions replaces a market image's regions; none means all.
func setMarketRegions(tx *gorm.DB, imageID string, regions []string) error {
	if err := tx.Where("image_id = ?", imageID).Delete(&MarketRegion{}).Error; err != nil {
		return err
	}
	for _, r := range regions {
		if err := tx.Create(&MarketRegion{ImageID: imageID, Region: r}).Error; err != nil {
			return err
		}
	}
	return nil
}
