package models

import "imageconsole/models/i18n"

// Quote is the hourly price breakdown of launching instances (R7): the
// instance type's price in the region plus the image's own cost.
type Quote struct {
	InstancePerHour float64 // one instance, the type's price in the region
	ImagePerHour    float64 // one instance, the image's cost
	UnitPrice       float64 // one instance, instance + image
	Count           int
	TotalPerHour    float64 // UnitPrice × Count
	ImageReason     string  // why the image costs what it does, in plain words (English)
	ImageReasonID   string  // the same, as a catalogue ID for the reader's language
}

// ImageCost is what an image adds to each instance-hour in a region, and
// why. A Windows license is charged per vCPU, so its cost depends on the
// instance type: PerVCPU says so, and PerHour is then the rate per vCPU.
type ImageCost struct {
	PerHour float64
	PerVCPU bool
	Reason  string // the billing chain's answer in plain words (English)
	// ReasonID is Reason's catalogue ID: a page shows lang.T(ReasonID).
	ReasonID string
}

// imageCost is an ImageCost whose reason is the catalogue's id.
func imageCost(perHour float64, perVCPU bool, id string) ImageCost {
	return ImageCost{PerHour: perHour, PerVCPU: perVCPU, Reason: i18n.EN.T(id), ReasonID: id}
}

// ImageCost prices img in region r independently of any instance type. The
// image's billing kind was inherited along its chain when it was made, so
// custom and shared images keep charging for the market or Windows image
// they came from (R7).
func (p Pricing) ImageCost(img *Image, r Region) ImageCost {
	switch img.BillingKind {
	case BillingMarket:
		return imageCost(roundPrice(img.HourlyPrice), false, "pricing.reason.market")
	case BillingWindows:
		if !r.Overseas() {
			return imageCost(0, false, "pricing.reason.windowsMainland")
		}
		return imageCost(p.WindowsLicensePerVCPU, true, "pricing.reason.windowsOverseas")
	}
	if img.License == LicenseBYOL {
		return imageCost(0, false, "pricing.reason.byol")
	}
	return imageCost(0, false, "pricing.reason.free")
}

// For is the cost per instance-hour for an instance of type it.
func (c ImageCost) For(it InstanceType) float64 {
	if c.PerVCPU {
		return roundPrice(c.PerHour * float64(it.CPU))
	}
	return c.PerHour
}

// Quote prices count instances of type it from img in region r.
func (p Pricing) Quote(img *Image, r Region, it InstanceType, count int) Quote {
	q := Quote{InstancePerHour: it.HourlyPrice(r), Count: count}
	cost := p.ImageCost(img, r)
	q.ImagePerHour, q.ImageReason, q.ImageReasonID = cost.For(it), cost.Reason, cost.ReasonID
	q.UnitPrice = roundPrice(q.InstancePerHour + q.ImagePerHour)
	q.TotalPerHour = roundPrice(q.UnitPrice * float64(count))
	return q
}

// inheritBilling copies what a new image charges from the image it is made
// from, so the chain is resolved once, at creation, and survives deletions.
func inheritBilling(dst, base *Image) {
	dst.BillingKind = base.BillingKind
	dst.HourlyPrice = base.HourlyPrice
	dst.License = base.License
	dst.BaseImageID = base.ID
}

// billingForImport decides what an imported image charges: BYOL is free, a
// Windows image under the platform's license pays the Windows fee.
func billingForImport(platform, license string) string {
	if license != LicenseBYOL && platform == "Windows" {
		return BillingWindows
	}
	return BillingFree
}
