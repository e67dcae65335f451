package models

import (
	"context"
	"time"
)

// QuotaUsage is what an account has used of its limits in one region.
type QuotaUsage struct {
	Region         string
	ImagesUsed     int
	ImagesLimit    int
	OpsUsed        int
	OpsLimit       int
	OpsResetAt     time.Time
	InstancesUsed  int
	InstancesLimit int
}

// QuotaUsage reads the counters the quota hooks maintain.
func (s *AccountStore) QuotaUsage(ctx context.Context, accountID, region string) (QuotaUsage, error) {
	db := s.db.WithContext(ctx)
	now := s.now()
	limits, err := s.limitsFor(db, accountID)
	if err != nil {
		return QuotaUsage{}, err
	}
	u := QuotaUsage{Region: region, ImagesLimit: limits.CustomImages, OpsLimit: limits.DailyOps,
		InstancesLimit: limits.Instances, OpsResetAt: OpDayReset(now)}
	var ic ImageCounter
	if err := db.Where("account_id = ? AND region = ?", accountID, region).Limit(1).Find(&ic).Error; err != nil {
		return u, err
	}
	var oc OpCounter
	if err := db.Where("account_id = ? AND region = ? AND day = ?", accountID, region, OpDay(now)).Limit(1).Find(&oc).Error; err != nil {
		return u, err
	}
	var nc InstanceCounter
	if err := db.Where("account_id = ? AND region = ?", accountID, region).Limit(1).Find(&nc).Error; err != nil {
		return u, err
	}
	u.ImagesUsed, u.OpsUsed, u.InstancesUsed = ic.Used, oc.Used, nc.Used
	return u, nil
}
