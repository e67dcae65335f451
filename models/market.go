package models

import (
	"context"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Statuses of a market listing version. A provider submits (PENDING_REVIEW);
// an operator approves or rejects; approving a newer version supersedes the
// live one; the provider may withdraw the listing.
const (
	ListingPending    = "PENDING_REVIEW"
	ListingApproved   = "APPROVED"
	ListingRejected   = "REJECTED"
	ListingWithdrawn  = "WITHDRAWN"
	ListingSuperseded = "SUPERSEDED"
)

// MarketCategories are the categories a listing may be filed under.
var MarketCategories = []string{"Web stacks", "Databases", "Control panels", "AI and developer tools", "Security", "Operating systems", "Other"}

// Limits of a listing's texts and price.
const (
	MaxListingVersion     = 32
	MaxReleaseNotes       = 2000
	MaxReviewComment      = 500
	MaxListingHourlyPrice = 1000.0
)

// MarketListing is one version of a provider's market listing. The versions
// of a listing share SeriesID (the first version's ID) and, once one is
// approved, one MARKET_IMAGE row (MarketImageID): approving a newer version
// updates that image in place, so users keep one entry and usage adds up.
// The source image's attributes are copied at submission, so deleting the
// custom image later does not change what was reviewed.
type MarketListing struct {
	ID            string  `gorm:"primaryKey;size:12"`
	SeriesID      string  `gorm:"size:12;not null;uniqueIndex:idx_listing_seq,priority:1;uniqueIndex:idx_listing_version,priority:1;uniqueIndex:idx_listing_pending,where:status = 'PENDING_REVIEW'"`
	Seq           int     `gorm:"not null;uniqueIndex:idx_listing_seq,priority:2"`
	ProviderID    string  `gorm:"size:12;not null;index"`
	SourceImageID string  `gorm:"size:12;not null"`
	SourceRegion  string  `gorm:"size:32;not null"`
	Name          string  `gorm:"size:128;not null"`
	Description   string  `gorm:"size:1024;not null;default:''"`
	Category      string  `gorm:"size:32;not null"`
	Version       string  `gorm:"size:32;not null;uniqueIndex:idx_listing_version,priority:2"`
	HourlyPrice   float64 `gorm:"not null"`
	// Regions is a comma-separated list of region IDs; "" means all regions.
	Regions       string `gorm:"size:512;not null;default:''"`
	ReleaseNotes  string `gorm:"type:text;not null;default:''"`
	Status        string `gorm:"size:16;not null;index"`
	ReviewComment string `gorm:"size:2048;not null;default:''"`
	ReviewerID    string `gorm:"size:12;not null;default:''"`
	MarketImageID string `gorm:"size:12;not null;default:''"`
	OsName        string `gorm:"size:128;not null"`
	Platform      string `gorm:"size:32;not null"`
	Arch          string `gorm:"size:16;not null"`
	SizeGiB       int    `gorm:"column:size_gib;not null"`
	CloudInit     bool   `gorm:"not null"`
	License       string `gorm:"size:16;not null"`
	CreatedAt     time.Time
	ReviewedAt    *time.Time
}

// RegionList returns the regions the listing is offered in; empty means all.
// Withdrawable reports whether a version may be withdrawn: one in review
// or on the market. Rejected and withdrawn versions are history.
func (l *MarketListing) Withdrawable() bool {
	return l.Status == ListingPending || l.Status == ListingApproved
}

func (l *MarketListing) RegionList() []string {
	if l.Regions == "" {
		return nil
	}
	return strings.Split(l.Regions, ",")
}

// ListingInput is a provider's submission: the source image and what the
// Market tab shows. Price is the text typed in the form.
type ListingInput struct {
	SourceImageID string
	Name          string
	Description   string
	Category      string
	Version       string
	HourlyPrice   string
	Regions       []string
	ReleaseNotes  string
}

// validate checks and normalises the input and returns the parsed price.
func (in *ListingInput) validate() (float64, error) {
	in.Name = strings.TrimSpace(cleanText(in.Name))
	in.Description = strings.TrimSpace(cleanText(in.Description))
	in.Version = strings.TrimSpace(cleanText(in.Version))
	in.ReleaseNotes = strings.TrimSpace(cleanText(in.ReleaseNotes))
	switch {
	case in.SourceImageID == "":
		// A publish form with no image to choose posts none: a form error.
		return 0, FieldE("image", CodeMissingParameter, "market.err.noImage")
	case in.Name == "":
		return 0, FieldE("name", CodeMissingParameter, "err.market.nameMissing")
	case len([]rune(in.Name)) > MaxImageName:
		return 0, FieldE("name", CodeTooLarge, "err.market.nameTooLong", "Max", MaxImageName)
	case len([]rune(in.Description)) > MaxImageDescription:
		return 0, FieldE("description", CodeTooLarge, "err.market.descriptionTooLong", "Max", MaxImageDescription)
	case !slices.Contains(MarketCategories, in.Category):
		return 0, FieldE("category", CodeInvalidParameterValue, "err.market.categoryInvalid")
	case in.Version == "":
		return 0, FieldE("version", CodeMissingParameter, "err.market.versionMissing")
	case len([]rune(in.Version)) > MaxListingVersion:
		return 0, FieldE("version", CodeTooLarge, "err.market.versionTooLong", "Max", MaxListingVersion)
	case len([]rune(in.ReleaseNotes)) > MaxReleaseNotes:
		return 0, FieldE("release_notes", CodeTooLarge, "err.market.notesTooLong", "Max", MaxReleaseNotes)
	}
	price, err := strconv.ParseFloat(strings.TrimSpace(in.HourlyPrice), 64)
	if err != nil || math.IsNaN(price) || price < 0 || price > MaxListingHourlyPrice {
		return 0, FieldE("hourly_price", CodeRange, "err.market.priceRange", "Max", MaxListingHourlyPrice)
	}
	regions, err := listingRegions(in.Regions)
	if err != nil {
		return 0, err
	}
	in.Regions = regions
	return roundPrice(price), nil
}

// listingRegions checks the chosen regions and puts them in table order;
// none chosen means every region.
func listingRegions(chosen []string) ([]string, error) {
	chosen = nonBlank(chosen)
	for _, id := range chosen {
		if _, ok := LookupRegion(id); !ok {
			return nil, FieldE("regions", CodeInvalidRegionNotFound, "err.market.regionNotFound", "Region", quote(id))
		}
	}
	var out []string
	for _, r := range Regions {
		if slices.Contains(chosen, r.ID) {
			out = append(out, r.ID)
		}
	}
	return out, nil
}

// newListing builds a pending version from a checked input and source.
func (s *MarketStore) newListing(a Actor, region string, in ListingInput, price float64, src *Image) MarketListing {
	return MarketListing{ID: NewID("mkt"), ProviderID: a.AccountID, SourceImageID: src.ID, SourceRegion: region,
		Name: in.Name, Description: in.Description, Category: in.Category, Version: in.Version, HourlyPrice: price,
		Regions: strings.Join(in.Regions, ","), ReleaseNotes: in.ReleaseNotes, Status: ListingPending,
		OsName: src.OsName, Platform: src.Platform, Arch: src.Arch, SizeGiB: src.SizeGiB, CloudInit: src.CloudInit,
		License: src.License, CreatedAt: s.now()}
}

// PublishListing submits a new listing for review, from one of the
// provider's NORMAL custom images in region.
func (s *MarketStore) PublishListing(ctx context.Context, a Actor, region string, in ListingInput) (*MarketListing, error) {
	var l MarketListing
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if _, err := requireRole(tx, a, RoleProvider); err != nil {
			return err
		}
		price, err := in.validate()
		if err != nil {
			return err
		}
		src, err := visibleFor(tx, a, region, in.SourceImageID, OpPublish)
		if err != nil {
			return err
		}
		l = s.newListing(a, region, in, price, src)
		l.SeriesID, l.Seq = l.ID, 1
		return tx.Create(&l).Error
	})
	if err != nil {
		return nil, err
	}
	return &l, nil
}

// SubmitListingVersion submits a new version of one of the provider's
// listings. One version at a time waits for review, and a version string is
// used once per listing; the live version stays live until the new one is
// approved.
func (s *MarketStore) SubmitListingVersion(ctx context.Context, a Actor, region, listingID string, in ListingInput) (*MarketListing, error) {
	var l MarketListing
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if _, err := requireRole(tx, a, RoleProvider); err != nil {
			return err
		}
		versions, err := lockSeries(tx, a.AccountID, listingID)
		if err != nil {
			return err
		}
		price, err := in.validate()
		if err != nil {
			return err
		}
		for _, v := range versions {
			if v.Status == ListingPending {
				return E(CodeListingState, "err.market.versionPending", "Version", v.Version)
			}
			if v.Version == in.Version {
				return FieldE("version", CodeInvalidParameterValue, "err.market.versionTaken", "Version", in.Version)
			}
		}
		src, err := visibleFor(tx, a, region, in.SourceImageID, OpPublish)
		if err != nil {
			return err
		}
		l = s.newListing(a, region, in, price, src)
		l.SeriesID, l.Seq = versions[0].SeriesID, versions[0].Seq+1
		return pendingTaken(tx.Create(&l).Error)
	})
	if err != nil {
		return nil, err
	}
	return &l, nil
}

// pendingTaken reports the loser of two concurrent submissions (the partial
// UNIQUE index allows one pending version per listing) as the coded error.
func pendingTaken(err error) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return E(CodeListingState, "err.market.otherPending")
	}
	return err
}

// WithdrawListing takes a listing off the market: its pending and approved
// versions become WITHDRAWN and its market image goes OFFLINE, so new
// launches are refused while running instances keep their copied billing.
func (s *MarketStore) WithdrawListing(ctx context.Context, a Actor, listingID string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if _, err := requireRole(tx, a, RoleProvider); err != nil {
			return err
		}
		versions, err := lockSeries(tx, a.AccountID, listingID)
		if err != nil {
			return err
		}
		var ids []string
		for _, v := range versions {
			if v.Withdrawable() {
				ids = append(ids, v.ID)
			}
		}
		if len(ids) == 0 {
			return E(CodeListingState, "err.market.nothingToWithdraw", "ID", listingID)
		}
		if err := tx.Model(&MarketListing{}).Where("id IN ?", ids).Update("status", ListingWithdrawn).Error; err != nil {
			return err
		}
		if img := seriesImage(versions); img != "" {
			return tx.Model(&Image{}).Where("id = ? AND type = ?", img, TypeMarket).Update("state", StateOffline).Error
		}
		return nil
	})
}

// lockSeries loads every version of the listing that listingID belongs to,
// newest first, with the rows locked until the transaction ends (SELECT …
// FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE already serializes
// writers), so decisions on one listing run one after another. A provider
// ("" for an operator) sees only its own listings: another's is not found.
func lockSeries(tx *gorm.DB, providerID, listingID string) ([]MarketListing, error) {
	var l MarketListing
	q := tx.Where("id = ?", listingID)
	if providerID != "" {
		q = q.Where("provider_id = ?", providerID)
	}
	if err := q.Limit(1).Find(&l).Error; err != nil {
		return nil, err
	}
	if l.ID == "" {
		return nil, E(CodeListingNotFound, "err.market.listingNotFound", "ID", quote(listingID))
	}
	var versions []MarketListing
	err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("series_id = ?", l.SeriesID).Order("seq DESC").Find(&versions).Error
	return versions, err
}

// seriesImage is the market image of a listing's versions, "" before the
// first approval.
func seriesImage(versions []MarketListing) string {
	for _, v := range versions {
		if v.MarketImageID != "" {
			return v.MarketImageID
		}
	}
	return ""
}
