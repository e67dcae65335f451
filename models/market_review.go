package models

import (
	"context"
	"strings"

	"gorm.io/gorm"
)

// ReviewItem is a version waiting for an operator's decision, with who
// submitted it and the version its listing has live, if any.
type ReviewItem struct {
	Listing       MarketListing
	ProviderName  string
	ProviderEmail string
	LiveVersion   string
}

// ReviewPage is the review queue, oldest submission first.
type ReviewPage struct {
	Rows       []ReviewItem
	Total      int64
	Page, Size int
}

// ReviewQueue lists the versions waiting for review (operators only).
func (s *MarketStore) ReviewQueue(ctx context.Context, a Actor, page, size int) (ReviewPage, error) {
	out := ReviewPage{}
	out.Page, out.Size = clampPage(page, size)
	db := s.db.WithContext(ctx)
	if _, err := requireRole(db, a, RoleOperator); err != nil {
		return out, err
	}
	q := db.Model(&MarketListing{}).Where("status = ?", ListingPending)
	if err := q.Count(&out.Total).Error; err != nil {
		return out, err
	}
	var rows []MarketListing
	if err := q.Order("created_at, id").Offset((out.Page - 1) * out.Size).Limit(out.Size).Find(&rows).Error; err != nil {
		return out, err
	}
	var providers []Account
	var series, providerIDs []string
	for _, l := range rows {
		series, providerIDs = append(series, l.SeriesID), append(providerIDs, l.ProviderID)
	}
	if err := db.Where("id IN ?", providerIDs).Find(&providers).Error; err != nil {
		return out, err
	}
	var live []MarketListing
	if err := db.Where("series_id IN ? AND status = ?", series, ListingApproved).Find(&live).Error; err != nil {
		return out, err
	}
	for _, l := range rows {
		item := ReviewItem{Listing: l}
		for _, p := range providers {
			if p.ID == l.ProviderID {
				item.ProviderName, item.ProviderEmail = p.Name, p.Email
			}
		}
		for _, v := range live {
			if v.SeriesID == l.SeriesID {
				item.LiveVersion = v.Version
			}
		}
		out.Rows = append(out.Rows, item)
	}
	return out, nil
}

// pendingVersion locks a listing's versions for an operator's decision and
// returns the one decided on, refused unless it waits for review.
func pendingVersion(tx *gorm.DB, listingID string) (*MarketListing, []MarketListing, error) {
	versions, err := lockSeries(tx, "", listingID)
	if err != nil {
		return nil, nil, err
	}
	for i := range versions {
		if versions[i].ID == listingID {
			if versions[i].Status != ListingPending {
				return nil, nil, E(CodeListingState, "err.market.notPending", "ID", listingID, "Status", versions[i].Status)
			}
			return &versions[i], versions, nil
		}
	}
	return nil, nil, E(CodeListingNotFound, "err.market.listingNotFound", "ID", quote(listingID))
}

// reviewComment checks an operator's comment; a rejection must give one,
// so the provider learns what to fix.
func reviewComment(comment string, required bool) (string, error) {
	comment = strings.TrimSpace(cleanText(comment))
	if required && comment == "" {
		return "", FieldE("comment", CodeMissingParameter, "err.market.commentMissing")
	}
	if len([]rune(comment)) > MaxReviewComment {
		return "", FieldE("comment", CodeTooLarge, "err.market.commentTooLong", "Max", MaxReviewComment)
	}
	return comment, nil
}

// listingAudit is what the audit log keeps of a listing version.
func listingAudit(l *MarketListing) map[string]any {
	return map[string]any{"status": l.Status, "version": l.Version, "name": l.Name, "hourly_price": l.HourlyPrice,
		"regions": l.Regions, "market_image_id": l.MarketImageID, "review_comment": l.ReviewComment}
}

// ApproveListing puts a pending version on the market (operators only). The
// listing's MARKET_IMAGE is created at its first approval and updated in
// place by later ones, NORMAL again even after a withdrawal; the version
// live until now becomes SUPERSEDED. Instances already running keep the
// price they were launched with.
func (s *MarketStore) ApproveListing(ctx context.Context, a Actor, listingID, comment string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if _, err := requireRole(tx, a, RoleOperator); err != nil {
			return err
		}
		l, versions, err := pendingVersion(tx, listingID)
		if err != nil {
			return err
		}
		if comment, err = reviewComment(comment, false); err != nil {
			return err
		}
		provider, err := accountByID(tx, l.ProviderID)
		if err != nil {
			return err
		}
		before := listingAudit(l)
		imageID, err := s.putMarketImage(tx, l, provider, seriesImage(versions))
		if err != nil {
			return err
		}
		if err := tx.Model(&MarketListing{}).Where("series_id = ? AND status = ?", l.SeriesID, ListingApproved).
			Update("status", ListingSuperseded).Error; err != nil {
			return err
		}
		now := s.now()
		l.Status, l.ReviewComment, l.ReviewerID, l.ReviewedAt, l.MarketImageID = ListingApproved, comment, a.AccountID, &now, imageID
		if err := tx.Model(l).Select("status", "review_comment", "reviewer_id", "reviewed_at", "market_image_id").Updates(l).Error; err != nil {
			return err
		}
		return s.audit(tx, a, AuditApproveListing, l.ID, before, listingAudit(l))
	})
}

// putMarketImage writes the listing's MARKET_IMAGE from an approved
// version: a new global image, or the existing one (imageID) updated. It
// names no base image: the provider's custom image stays private, and the
// listing keeps the lineage.
func (s *MarketStore) putMarketImage(tx *gorm.DB, l *MarketListing, provider *Account, imageID string) (string, error) {
	img := Image{Type: TypeMarket, OwnerID: provider.ID, Name: l.Name, Description: l.Description, OsName: l.OsName,
		Platform: l.Platform, Arch: l.Arch, SizeGiB: l.SizeGiB, State: StateNormal, Progress: 100, Source: SourceMarket,
		Creator: provider.ID, CloudInit: l.CloudInit, License: l.License,
		BillingKind: BillingMarket, HourlyPrice: l.HourlyPrice, Provider: provider.Name, Category: l.Category}
	if imageID == "" {
		img.ID, img.CreatedAt = NewID("img"), s.now()
		if err := tx.Create(&img).Error; err != nil {
			return "", err
		}
	} else {
		img.ID = imageID
		if err := tx.Model(&img).Select("name", "description", "os_name", "platform", "arch",
			"size_gib", "state", "progress", "cloud_init", "license", "billing_kind", "hourly_price",
			"provider", "category").Updates(&img).Error; err != nil {
			return "", err
		}
	}
	return img.ID, setMarketRegions(tx, img.ID, l.RegionList())
}

// RejectListing refuses a pending version with a reason the provider sees
// (operators only). A live earlier version stays on the market.
func (s *MarketStore) RejectListing(ctx context.Context, a Actor, listingID, reason string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if _, err := requireRole(tx, a, RoleOperator); err != nil {
			return err
		}
		l, _, err := pendingVersion(tx, listingID)
		if err != nil {
			return err
		}
		if reason, err = reviewComment(reason, true); err != nil {
			return err
		}
		before := listingAudit(l)
		now := s.now()
		l.Status, l.ReviewComment, l.ReviewerID, l.ReviewedAt = ListingRejected, reason, a.AccountID, &now
		if err := tx.Model(l).Select("status", "review_comment", "reviewer_id", "reviewed_at").Updates(l).Error; err != nil {
			return err
		}
		return s.audit(tx, a, AuditRejectListing, l.ID, before, listingAudit(l))
	})
}
