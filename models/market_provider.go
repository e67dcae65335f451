package models

import (
	"context"
	"strconv"

	"gorm.io/gorm"
)

// ListingSeries is one of a provider's listings: every version, newest
// first, the live one (approved) if any, its market image and its usage.
type ListingSeries struct {
	Versions []MarketListing
	Live     *MarketListing
	Image    *Image
	Usage    ListingUsage
}

// Latest is the newest version.
func (ls ListingSeries) Latest() MarketListing { return ls.Versions[0] }

// ListingsPage is a page of a provider's listings, newest first.
type ListingsPage struct {
	Rows       []ListingSeries
	Total      int64
	Page, Size int
}

// ProviderListings lists the provider's own listings with their status,
// review comments and usage (providers only).
func (s *MarketStore) ProviderListings(ctx context.Context, a Actor, page, size int) (ListingsPage, error) {
	out := ListingsPage{}
	out.Page, out.Size = clampPage(page, size)
	db := s.db.WithContext(ctx)
	if _, err := requireRole(db, a, RoleProvider); err != nil {
		return out, err
	}
	first := db.Model(&MarketListing{}).Where("provider_id = ? AND seq = 1", a.AccountID)
	if err := first.Count(&out.Total).Error; err != nil {
		return out, err
	}
	var series []string
	if err := first.Order("created_at DESC, id").Offset((out.Page-1)*out.Size).Limit(out.Size).Pluck("series_id", &series).Error; err != nil {
		return out, err
	}
	var versions []MarketListing
	if err := db.Where("provider_id = ? AND series_id IN ?", a.AccountID, series).Order("seq DESC").Find(&versions).Error; err != nil {
		return out, err
	}
	var imageIDs []string
	for _, id := range series {
		ls := ListingSeries{}
		for i := range versions {
			if versions[i].SeriesID == id {
				ls.Versions = append(ls.Versions, versions[i])
			}
		}
		for i := range ls.Versions {
			if ls.Versions[i].Status == ListingApproved {
				ls.Live = &ls.Versions[i]
			}
		}
		if img := seriesImage(ls.Versions); img != "" {
			imageIDs = append(imageIDs, img)
		}
		out.Rows = append(out.Rows, ls)
	}
	return out, s.attachUsage(db, out.Rows, imageIDs)
}

// attachUsage adds each listing's market image and usage.
func (s *MarketStore) attachUsage(db *gorm.DB, rows []ListingSeries, imageIDs []string) error {
	usage, err := marketUsage(db, imageIDs, s.now())
	if err != nil {
		return err
	}
	var images []Image
	if err := db.Where("id IN ?", imageIDs).Find(&images).Error; err != nil {
		return err
	}
	for i := range rows {
		id := seriesImage(rows[i].Versions)
		rows[i].Usage = usage[id]
		for j := range images {
			if images[j].ID == id {
				rows[i].Image = &images[j]
			}
		}
	}
	return nil
}

// ListingDraft is what the publish form starts from: the input prefilled,
// the listing a new version belongs to, and the images it may come from.
type ListingDraft struct {
	Input   ListingInput
	Series  *MarketListing // the latest version, for a new version
	Sources []Image        // the provider's publishable images in the region
}

// NewListingDraft starts a listing from one of the provider's NORMAL custom
// images in region ("" lets the provider pick one).
func (s *MarketStore) NewListingDraft(ctx context.Context, a Actor, region, imageID string) (ListingDraft, error) {
	var d ListingDraft
	db := s.db.WithContext(ctx)
	if _, err := requireRole(db, a, RoleProvider); err != nil {
		return d, err
	}
	if imageID != "" {
		src, err := visibleFor(db, a, region, imageID, OpPublish)
		if err != nil {
			return d, err
		}
		d.Input = ListingInput{SourceImageID: src.ID, Name: src.Name, Description: src.Description, Version: "1.0"}
	}
	var err error
	d.Sources, err = listingSources(db, a, region)
	return d, err
}

// NextVersionDraft starts a new version of one of the provider's listings,
// prefilled from its latest version; the version number is the provider's
// to give.
func (s *MarketStore) NextVersionDraft(ctx context.Context, a Actor, region, listingID string) (ListingDraft, error) {
	var d ListingDraft
	db := s.db.WithContext(ctx)
	if _, err := requireRole(db, a, RoleProvider); err != nil {
		return d, err
	}
	var latest MarketListing
	err := db.Where("series_id = (?) AND provider_id = ?", db.Model(&MarketListing{}).Select("series_id").Where("id = ?", listingID),
		a.AccountID).Order("seq DESC").Limit(1).Find(&latest).Error
	if err != nil {
		return d, err
	}
	if latest.ID == "" {
		return d, E(CodeListingNotFound, "err.market.listingNotFound", "ID", quote(listingID))
	}
	d.Series = &latest
	d.Input = ListingInput{Name: latest.Name, Description: latest.Description, Category: latest.Category,
		HourlyPrice: strconv.FormatFloat(latest.HourlyPrice, 'f', -1, 64), Regions: latest.RegionList(), ReleaseNotes: ""}
	if latest.SourceRegion == region {
		d.Input.SourceImageID = latest.SourceImageID
	}
	d.Sources, err = listingSources(db, a, region)
	return d, err
}

// listingSources are the provider's custom images in region a listing may
// be published from: NORMAL, and not made from a market image.
func listingSources(db *gorm.DB, a Actor, region string) ([]Image, error) {
	var out []Image
	err := db.Where("owner_id = ? AND region = ? AND type = ? AND state = ? AND billing_kind <> ?",
		a.AccountID, region, TypePrivate, StateNormal, BillingMarket).Order("name, id").Limit(MaxPageSize).Find(&out).Error
	return out, err
}
