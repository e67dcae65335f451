package models

import "context"

// ImageQuota is the account's R1 limit in a region: how many custom images it
// may keep there (DescribeImageQuota). Per-account overrides plug in through
// limitsFor, so the API and the rule read the same number.
func (s *ImageStore) ImageQuota(ctx context.Context, accountID, region string) (int, error) {
	if _, ok := LookupRegion(region); !ok {
		return 0, E(CodeInvalidRegionNotFound, "err.images.region.notFound", "Region", region)
	}
	limits, err := s.limitsFor(s.db.WithContext(ctx), accountID)
	return limits.CustomImages, err
}
