package models

import (
	"time"

	"gorm.io/gorm"
)

// MarketLaunch records one instance launched from a market image, for the
// provider's usage figures. Instances are deleted when they terminate, so
// the record outlives them: it is written in RunInstances' transaction and
// closed in the one that finishes the termination, with the store's clock.
// An instance counts for the listing it was launched from until it ends,
// even if it is later reinstalled from another image.
type MarketLaunch struct {
	InstanceID string    `gorm:"primaryKey;size:12"`
	ImageID    string    `gorm:"size:12;not null;index"`
	LaunchedAt time.Time `gorm:"not null"`
	EndedAt    *time.Time
	Seconds    int64 `gorm:"not null;default:0"` // run time, set when the instance ends
}

// ListingUsage is what a listing's users ran: instances launched (ever),
// running now, and instance-hours at the provider's price.
type ListingUsage struct {
	Launched int64
	Running  int64
	Hours    float64
}

// recordMarketLaunches records the instances a launch started from img when
// img is a market image.
func recordMarketLaunches(tx *gorm.DB, img *Image, ids []string, at time.Time) error {
	if img.Type != TypeMarket || len(ids) == 0 {
		return nil
	}
	rows := make([]MarketLaunch, len(ids))
	for i, id := range ids {
		rows[i] = MarketLaunch{InstanceID: id, ImageID: img.ID, LaunchedAt: at}
	}
	return tx.Create(&rows).Error
}

// endMarketLaunch closes the record of an instance that ends at at; an
// instance not launched from a market image has none.
func endMarketLaunch(tx *gorm.DB, instanceID string, at time.Time) error {
	var ml MarketLaunch
	if err := tx.Where("instance_id = ? AND ended_at IS NULL", instanceID).Limit(1).Find(&ml).Error; err != nil || ml.InstanceID == "" {
		return err
	}
	secs := max(int64(at.Sub(ml.LaunchedAt)/time.Second), 0)
	return tx.Model(&MarketLaunch{}).Where("instance_id = ?", instanceID).
		Updates(map[string]any{"ended_at": at, "seconds": secs}).Error
}

// marketUsage sums the usage of market images: ended instances from their
// recorded run time, running ones up to now.
func marketUsage(db *gorm.DB, imageIDs []string, now time.Time) (map[string]ListingUsage, error) {
	out := map[string]ListingUsage{}
	if len(imageIDs) == 0 {
		return out, nil
	}
	var sums []struct {
		ImageID  string
		Launched int64
		Seconds  int64
	}
	if err := db.Model(&MarketLaunch{}).Select("image_id, COUNT(*) AS launched, COALESCE(SUM(seconds), 0) AS seconds").
		Where("image_id IN ?", imageIDs).Group("image_id").Scan(&sums).Error; err != nil {
		return nil, err
	}
	closed := map[string]int64{}
	for _, r := range sums {
		out[r.ImageID] = ListingUsage{Launched: r.Launched}
		closed[r.ImageID] = r.Seconds
	}
	var open []MarketLaunch
	if err := db.Where("image_id IN ? AND ended_at IS NULL", imageIDs).Find(&open).Error; err != nil {
		return nil, err
	}
	for _, ml := range open {
		u := out[ml.ImageID]
		u.Running++
		out[ml.ImageID] = u
		closed[ml.ImageID] += max(int64(now.Sub(ml.LaunchedAt)/time.Second), 0)
	}
	for id, secs := range closed {
		u := out[id]
		u.Hours = float64(secs) / 3600
		out[id] = u
	}
	return out, nil
}
