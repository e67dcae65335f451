package models

import (
	"context"
	"strings"

	"gorm.io/gorm"
)

// NetworkRegion returns the region of the account's VPC, subnet, security
// group or key pair id (told apart by its prefix), so that a link to one
// opens from whatever region the reader has selected. Another account's
// record, or an ID of no network kind, is not found.
func (s *NetworkStore) NetworkRegion(ctx context.Context, a Actor, id string) (string, error) {
	var model any
	switch {
	case strings.HasPrefix(id, "vpc-"):
		model = &VPC{}
	case strings.HasPrefix(id, "subnet-"):
		model = &Subnet{}
	case strings.HasPrefix(id, "sg-"):
		model = &SecurityGroup{}
	case strings.HasPrefix(id, "skey-"):
		model = &KeyPair{}
	default:
		return "", E(CodeResourceNotFound, "err.network.resource_not_found", "ID", id)
	}
	var region string
	err := s.tx(ctx, func(tx *gorm.DB) error {
		return tx.Model(model).Where("id = ? AND owner_id = ?", id, a.AccountID).Limit(1).Pluck("region", &region).Error
	})
	if err == nil && region == "" {
		err = E(CodeResourceNotFound, "err.network.resource_not_found", "ID", id)
	}
	return region, err
}
