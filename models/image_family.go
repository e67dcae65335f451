package models

import (
	"context"
	"regexp"
)

// CodeInvalidImageFamily is the SDK's code for a family name of the wrong
// form ("Invalid format of image family name").
const CodeInvalidImageFamily = "InvalidParameterValue.InvalidImageFamily"

// MaxImageFamily bounds a family name, like an image name.
const MaxImageFamily = 60

// familyPattern is the form of a family name. The SDK documents the field
// only by its example ("business-daily-update") and its format error, so
// we keep to what every client can put in a filter or a URL unescaped: a
// letter, then letters, digits, '.', '_' or '-', at most MaxImageFamily.
var familyPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._-]{0,59}$`)

// checkFamily refuses a family name of the wrong form; "" (no family) is
// allowed where a family may be cleared.
func checkFamily(family string) error {
	if family == "" || familyPattern.MatchString(family) {
		return nil
	}
	return FieldE("family", CodeInvalidImageFamily, "err.images.family.invalid", "Family", quote(family), "Max", MaxImageFamily)
}

// DescribeImageFromFamily returns the newest usable image of a family that
// the account sees in the region (the images DescribeImages lists there):
// NORMAL and not deprecated, newest first. No such image is no error: the
// API answers with no image (nil).
func (s *ImageStore) DescribeImageFromFamily(ctx context.Context, accountID, region, family string) (*Image, error) {
	if _, ok := LookupRegion(region); !ok {
		return nil, E(CodeInvalidRegionNotFound, "err.images.region.notFound", "Region", region)
	}
	if family == "" {
		return nil, FieldE("family", CodeMissingParameter, "err.images.family.missing")
	}
	if err := checkFamily(family); err != nil {
		return nil, err
	}
	db := s.db.WithContext(ctx)
	in := DescribeImagesInput{Filters: []Filter{{Name: "image-family", Values: []string{family}},
		{Name: "image-state", Values: []string{StateNormal}}}}
	query, none := describeScope(db, accountID, region, in)
	if none {
		return nil, nil
	}
	var rows []Image
	err := query().Where("images.deprecated = ?", false).Order("images.created_at DESC, images.id").Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	img := &rows[0]
	seenAs(img, accountID)
	return img, nil
}

// seenAs turns a custom image of another account, which the account sees
// only because it is shared with it, into the SHARED_IMAGE it is to it.
func seenAs(img *Image, accountID string) {
	if img.Type == TypePrivate && img.OwnerID != accountID {
		img.Type = TypeShared
	}
}
