package handlers

import (
	"strings"

	"imageconsole/models"
	"imageconsole/models/i18n"
	"imageconsole/views/pages"
)

// The words of the image pages: labels for the API's codes and values,
// looked up in the catalogue in the reader's language.

// regionLabel is a region's name in l; a region the catalogue does not
// name yet shows its ID.
func regionLabel(l i18n.Lang, id string) string {
	return l.Label("region.", id)
}

// archLabel is the one label of an architecture: the API's "arm_64" and
// our "arm" are both ARM.
func archLabel(l i18n.Lang, arch string) string {
	if arch == "arm_64" || arch == "arm64" {
		arch = models.ArchARM
	}
	return l.Label("images.arch.", arch)
}

// listWords joins names the way l writes a list: "A, B and C", "A、B和C".
func listWords(l i18n.Lang, words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], l.T("images.list.comma")) + l.T("images.list.and") + words[len(words)-1]
}

// syncRegionNames names the regions sync is offered among, in l.
func syncRegionNames(l i18n.Lang) string {
	var names []string
	for _, r := range models.Regions {
		if r.Sync {
			names = append(names, regionLabel(l, r.ID))
		}
	}
	return listWords(l, names)
}

// imageAttributes lists the attributes of the SDK's Image struct, in l.
func imageAttributes(l i18n.Lang, img *models.Image, r models.Region) []pages.Attribute {
	region := regionLabel(l, img.Region)
	if img.Region == "" {
		region = l.T("images.allRegions")
	}
	creatorLabel, creator := l.T("images.attr.creator"), img.Creator
	switch {
	case img.Type == models.TypeMarket:
		// The provider is who made a market image, as the list says.
		creatorLabel, creator = l.T("images.attr.provider"), img.Provider
	case creator == "":
		creator = l.T("images.platformCreator")
	}
	licence := l.Label("images.licence.", img.License)
	if w := models.WindowsLicence(img, r); w != models.LicenceNone {
		licence = l.T("images.licence." + string(w))
	}
	yes := l.T("images.no")
	if img.CloudInit {
		yes = l.T("images.yes")
	}
	attrs := []pages.Attribute{
		{Label: l.T("images.attr.id"), Value: img.ID},
		{Label: l.T("images.attr.type"), Value: l.Label("images.type.", img.Type)},
		{Label: l.T("images.attr.os"), Value: img.OsName},
		{Label: l.T("images.attr.platform"), Value: img.Platform},
		{Label: l.T("images.attr.arch"), Value: archLabel(l, img.Arch)},
		{Label: l.T("images.attr.size"), Value: l.T("images.size", "Size", img.SizeGiB)},
		{Label: l.T("images.attr.source"), Value: l.Label("images.source.", img.Source)},
		{Label: creatorLabel, Value: creator},
		{Label: l.T("images.attr.region"), Value: region},
		{Label: l.T("images.attr.created"), Value: l.Time(img.CreatedAt)},
		{Label: l.T("images.attr.cloudInit"), Value: yes},
		{Label: l.T("images.attr.licence"), Value: licence},
	}
	if img.BaseImageID != "" {
		attrs = append(attrs, pages.Attribute{Label: l.T("images.attr.madeFrom"), Value: img.BaseImageID})
	}
	if img.FailReason != "" {
		attrs = append(attrs, pages.Attribute{Label: l.T("images.attr.failure"), Value: img.FailureText(l)})
	}
	return attrs
}

// imageCost words an image's cost in l. A per-vCPU cost is quoted per
// vCPU: the instance type, chosen at launch, makes the rest. The reason
// follows the same billing chain models priced (ImageCost).
func imageCost(l i18n.Lang, cost models.ImageCost, img *models.Image) (string, string) {
	reason := "images.cost.none"
	switch {
	case img.BillingKind == models.BillingMarket:
		reason = "images.cost.market"
	case img.BillingKind == models.BillingWindows && cost.PerVCPU:
		reason = "images.cost.windowsOverseas"
	case img.BillingKind == models.BillingWindows:
		reason = "images.cost.windowsMainland"
	case img.License == models.LicenseBYOL:
		reason = "images.cost.byol"
	}
	switch {
	case cost.PerHour > 0 && cost.PerVCPU:
		return l.T("images.price.perVCPU", "Price", l.Money(cost.PerHour)), l.T(reason)
	case cost.PerHour > 0:
		return l.T("images.price.perHour", "Price", l.Money(cost.PerHour)), l.T(reason)
	}
	return l.T("images.price.free"), l.T(reason)
}
