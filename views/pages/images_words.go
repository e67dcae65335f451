package pages

import (
	"context"

	"imageconsole/models/i18n"
)

// regionName is a region's name in the reader's language; a region the
// catalogue does not name yet shows its ID.
func regionName(ctx context.Context, id string) string {
	return i18n.FromContext(ctx).Label("region.", id)
}

// archLabel is the one label of an architecture ("arm" and the API's
// "arm_64" are both ARM).
func archLabel(ctx context.Context, arch string) string {
	if arch == "arm_64" || arch == "arm64" {
		arch = "arm"
	}
	return i18n.FromContext(ctx).Label("images.arch.", arch)
}

// badgeTone is the colour of a trust badge.
func badgeTone(badge string) string {
	switch badge {
	case "official", "reviewed":
		return badge
	case "notReviewed":
		return "warning"
	}
	return ""
}
