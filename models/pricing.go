package models

// Quote is the hourly price breakdown of launching instances (R7): the
// instance type's price in the region plus the image's own cost.
type Quote struct {
	InstancePerHour float64 // one instance, the type's price in the region
	ImagePerHour    float64 // one instance, the image's cost
	UnitPrice       float64 // one instance, instance + image
	Count           int
	TotalPerHour    float64 // UnitPrice × Count
	ImageReason     string  // why the image costs what it does, in plain words
}

// ImageHourlyCost is what an image adds per instance-hour for an instance of
// type it in region r. The image's billing kind was inherited along its chain
// when it was made, so custom and shared images keep charging for the market
// or Windows image they came from.
func (p Pricing) ImageHourlyCost(img *Image, r Region, it InstanceType) (float64, string) {
	switch img.BillingKind {
	case BillingMarket:
		return roundPrice(img.HourlyPrice), "Market image: the provider's hourly price."
	case BillingWindows:
		if !r.Overseas() {
			return 0, "Windows license is free in mainland regions."
		}
		return roundPrice(p.WindowsLicensePerVCPU * float64(it.CPU)), "Windows license fee in overseas regions, per vCPU."
	}
	if img.License == LicenseBYOL {
		return 0, "Bring your own license: no image fee."
	}
	return 0, "No image fee."
}

// Quote prices count instances of type it from img in region r.
func (p Pricing) Quote(img *Image, r Region, it InstanceType, count int) Quote {
	q := Quote{InstancePerHour: it.HourlyPrice(r), Count: count}
	q.ImagePerHour, q.ImageReason = p.ImageHourlyCost(img, r, it)
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
