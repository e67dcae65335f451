package models

import (
	"context"

	"gorm.io/gorm"
)

// ImageView is one image as an account sees it on its detail page: the
// image (SHARED_IMAGE to a recipient), what it costs in the region, and,
// for the owner of a custom image, its sharing and sync. What the account
// may do with it is Image.Check; what it must be warned of, Image.Warning.
type ImageView struct {
	Image   *Image
	Cost    ImageCost
	Sharing *ImageSharing // nil unless the account owns the custom image
}

// ImageSharing is the owner's view of a custom image's shares (R4) and of
// the regions it may be synced to (R3).
type ImageSharing struct {
	Shares    []ImageShare // newest first
	Limit     int          // the R4 limit in force for the owner
	Remaining int          // how many more accounts the image may be shared with
	Targets   []SyncTarget // every other region, each with its refusal
}

// ImageView reads image id as accountID sees it in region. It reads
// without a transaction, like every page: the figures are a snapshot, and
// each action re-checks them under its own lock.
func (s *ImageStore) ImageView(ctx context.Context, accountID, region, id string) (ImageView, error) {
	db := s.db.WithContext(ctx)
	img, err := visibleImage(db, accountID, region, id)
	if err != nil {
		return ImageView{}, err
	}
	r, ok := LookupRegion(region)
	if !ok {
		return ImageView{}, E(CodeInvalidRegionNotFound, "err.images.region.notFound", "Region", quote(region))
	}
	v := ImageView{Image: img, Cost: s.Pricing.ImageCost(img, r)}
	if img.checkOwner(OpShare, accountID) != nil {
		return v, nil
	}
	shares, err := imageShares(db, img.ID)
	if err != nil {
		return v, err
	}
	lim, err := s.limitsFor(db, accountID)
	if err != nil {
		return v, err
	}
	limit := lim.Shares
	v.Sharing = &ImageSharing{Shares: shares, Limit: limit, Remaining: max(0, limit-img.ShareCount), Targets: SyncTargets(r)}
	return v, nil
}

// imageShares lists an image's recipients, newest first.
func imageShares(db *gorm.DB, imageID string) ([]ImageShare, error) {
	var out []ImageShare
	err := db.Where("image_id = ?", imageID).Order("created_at DESC, account_id").Find(&out).Error
	return out, err
}
