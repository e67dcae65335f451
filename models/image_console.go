package models

import (
	"context"
	"slices"
	"strings"
)

// LocateImage reads image id as accountID may see it, whatever region the
// caller has selected: a common or market image (global), one of the
// account's custom images, or one shared with it. The console uses it to
// open an image's page in the image's own region, so that a link to a
// custom image or a sync copy works from any region. Another account's
// image that is not shared with the caller is not found, like a missing one.
func (s *ImageStore) LocateImage(ctx context.Context, accountID, id string) (*Image, error) {
	return visibleImage(s.db.WithContext(ctx), accountID, "", id)
}

// ImageCopies lists the copies a sync made of src, its owner's images in
// the other regions, in the order of the region table (a sync makes at
// most one copy per region and call; newer syncs come after older ones). A sync copy records src as its base
// image (syncCopy); an image made from an instance also records the
// instance's image as its base, but an instance lives in its image's
// region, so only a sync puts a child of src in another region.
func (s *ImageStore) ImageCopies(ctx context.Context, src *Image) ([]Image, error) {
	var out []Image
	if !src.Custom() {
		return out, nil
	}
	// Only base_image_id is in the query: with the other conditions there
	// SQLite's planner picked the type index and read every custom image
	// (the detail page fell from 700 to 30 requests a second at 100k).
	// The children of one custom image are few; the rest is filtered here.
	var children []Image
	err := s.db.WithContext(ctx).Where("base_image_id = ?", src.ID).Find(&children).Error
	for _, c := range children {
		if c.OwnerID == src.OwnerID && c.Type == TypePrivate && c.Region != src.Region {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b Image) int {
		if !a.CreatedAt.Equal(b.CreatedAt) {
			return a.CreatedAt.Compare(b.CreatedAt)
		}
		if d := regionIndex(a.Region) - regionIndex(b.Region); d != 0 {
			return d
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, err
}

// Licence says how a Windows image is licensed for an instance in a region.
type Licence string

// The licences of a Windows image.
const (
	// LicenceNone: not a Windows image, nothing to say.
	LicenceNone Licence = ""
	// LicenceFreeMainland: the platform's Windows licence costs nothing in
	// mainland regions.
	LicenceFreeMainland Licence = "free-mainland"
	// LicenceCharged: overseas, the platform's licence is charged per vCPU
	// on top of the instance.
	LicenceCharged Licence = "charged"
	// LicenceInPrice: a market image carries the licence in the provider's
	// hourly price; no Windows fee is added, overseas or not.
	LicenceInPrice Licence = "in-price"
	// LicenceBYOL: the user brings their own licence; the platform charges
	// none.
	LicenceBYOL Licence = "byol"
)

// WindowsLicence says how img is licensed in r, from the same billing
// chain ImageCost prices (R7): a market image's price includes whatever
// licence its provider ships, a platform Windows image pays the licence
// overseas only, and a BYOL image pays none.
func WindowsLicence(img *Image, r Region) Licence {
	if img.Platform != "Windows" {
		return LicenceNone
	}
	switch {
	case img.BillingKind == BillingMarket:
		return LicenceInPrice
	case img.License == LicenseBYOL:
		return LicenceBYOL
	case img.BillingKind == BillingWindows && r.Overseas():
		return LicenceCharged
	}
	return LicenceFreeMainland
}

// regionIndex is r's place in the region table (-1 if it is not there).
func regionIndex(id string) int {
	return slices.IndexFunc(Regions, func(r Region) bool { return r.ID == id })
}
