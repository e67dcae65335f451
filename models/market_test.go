package models_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"imageconsole/models"
)

// mustRole creates an account of a role and returns it acting from the console.
func (f *fixture) mustRole(t *testing.T, email, role string) models.Actor {
	t.Helper()
	acct, err := f.s.CreateAccount(context.Background(), models.NewAccount{Email: email, Password: "password-123", Name: email, Role: role})
	if err != nil {
		t.Fatalf("create %s %s: %v", role, email, err)
	}
	return models.Actor{AccountID: acct.ID, Via: models.ViaConsole}
}

// listing is a valid submission of image at version.
func listing(imageID, version string, regions ...string) models.ListingInput {
	return models.ListingInput{SourceImageID: imageID, Name: "Acme Stack", Description: "Nginx and friends",
		Category: "Web stacks", Version: version, HourlyPrice: "0.30", Regions: regions, ReleaseNotes: "First release."}
}

// mustPublish submits a listing and returns it.
func (f *fixture) mustPublish(t *testing.T, prov models.Actor, in models.ListingInput) *models.MarketListing {
	t.Helper()
	l, err := f.s.PublishListing(context.Background(), prov, "ap-guangzhou", in)
	if err != nil {
		t.Fatalf("publish: %v", err)
	}
	return l
}

// mustApprove approves a listing and returns its market image.
func (f *fixture) mustApprove(t *testing.T, op models.Actor, id string) models.Image {
	t.Helper()
	if err := f.s.ApproveListing(context.Background(), op, id, ""); err != nil {
		t.Fatalf("approve %s: %v", id, err)
	}
	var l models.MarketListing
	f.s.DB().Where("id = ?", id).Take(&l)
	var img models.Image
	if err := f.s.DB().Where("id = ?", l.MarketImageID).Take(&img).Error; err != nil {
		t.Fatalf("market image of %s: %v", id, err)
	}
	return img
}

// platform describes everything the provider and operator use cases write,
// for the nothing-written checks of refusals.
func (f *fixture) platform(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	db := f.s.DB()
	var listings []models.MarketListing
	db.Order("id").Find(&listings)
	for _, l := range listings {
		fmt.Fprintf(&b, "listing %s %s %s %s %q|", l.ID, l.Version, l.Status, l.MarketImageID, l.ReviewComment)
	}
	var market []models.Image
	db.Where("type <> ?", models.TypePrivate).Where("type = ? OR state <> ? OR deprecated = ?", models.TypeMarket, models.StateNormal, true).Order("id").Find(&market)
	for _, i := range market {
		fmt.Fprintf(&b, "image %s %s %v %v %q|", i.ID, i.State, i.Deprecated, i.HourlyPrice, i.Name)
	}
	var common, regions, launches, audit, overrides int64
	db.Model(&models.Image{}).Where("type = ?", models.TypePublic).Count(&common)
	db.Model(&models.MarketRegion{}).Count(&regions)
	db.Model(&models.MarketLaunch{}).Count(&launches)
	db.Model(&models.AuditEntry{}).Count(&audit)
	db.Model(&models.QuotaOverride{}).Count(&overrides)
	fmt.Fprintf(&b, "common=%d regions=%d launches=%d audit=%d overrides=%d %s", common, regions, launches, audit, overrides, f.counts(t))
	return b.String()
}

// marketFixture is a provider with a NORMAL custom image, an operator and
// a user.
type marketFixture struct {
	*fixture
	prov, op, user models.Actor
	src            models.Image
}

func newMarketFixture(t *testing.T) *marketFixture {
	t.Helper()
	f := newFixture(t)
	f.s.Limits.DailyOps = 100
	m := &marketFixture{fixture: f, user: f.a}
	m.prov = f.mustRole(t, "prov@example.com", models.RoleProvider)
	m.op = f.mustRole(t, "op@example.com", models.RoleOperator)
	m.src = f.mustImageAs(t, m.prov, "ap-guangzhou", f.commonImage(t, "Ubuntu", models.ArchX86).ID, "acme-golden")
	return m
}

// launch starts one instance of image in region as a.
func (m *marketFixture) launch(a models.Actor, region, imageID string) ([]string, error) {
	r, _ := models.LookupRegion(region)
	return m.s.RunInstances(context.Background(), a, models.LaunchInput{Region: region, Zone: r.Zones[0],
		InstanceType: "S5.MEDIUM4", ImageID: imageID, Count: 1})
}

func TestStore_PublishListing(t *testing.T) {
	ctx := context.Background()
	m := newMarketFixture(t)
	other := m.mustRole(t, "other-prov@example.com", models.RoleProvider)
	var seeded models.Image
	m.s.DB().Where("type = ?", models.TypeMarket).Order("id").First(&seeded)
	resold := m.mustImageAs(t, m.prov, "ap-guangzhou", seeded.ID, "resold")
	busyInst := m.mustInstanceAs(t, m.prov, "ap-guangzhou", m.commonImage(t, "Debian", models.ArchX86).ID)
	busy, err := m.s.CreateImage(ctx, m.prov, busyInst.ID, models.ImageInput{Region: "ap-guangzhou", Name: "busy"})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("OK", func(t *testing.T) {
		in := listing(m.src.ID, "1.0", "ap-shanghai", "ap-guangzhou", " ")
		in.HourlyPrice = " 0.123456 "
		l, err := m.s.PublishListing(ctx, m.prov, "ap-guangzhou", in)
		if err != nil {
			t.Fatal(err)
		}
		if l.Status != models.ListingPending || l.SeriesID != l.ID || !models.ValidID("mkt", l.ID) || l.MarketImageID != "" {
			t.Errorf("listing %+v: want a pending first version without a market image", l)
		}
		if l.Regions != "ap-guangzhou,ap-shanghai" || l.HourlyPrice != 0.1235 {
			t.Errorf("regions %q price %v: want table order and four decimals", l.Regions, l.HourlyPrice)
		}
		if l.OsName != m.src.OsName || l.Arch != m.src.Arch || l.SizeGiB != m.src.SizeGiB || l.SourceRegion != "ap-guangzhou" {
			t.Errorf("source attributes not copied: %+v", l)
		}
	})

	long := strings.Repeat("n", 61)
	tests := []struct {
		name   string
		actor  models.Actor
		region string
		edit   func(*models.ListingInput)
		code   string
	}{
		{"ErrUser", m.user, "ap-guangzhou", nil, models.CodeForbiddenRole},
		{"ErrOperator", m.op, "ap-guangzhou", nil, models.CodeForbiddenRole},
		{"ErrUnknownAccount", models.Actor{AccountID: "999999999999"}, "ap-guangzhou", nil, models.CodeForbiddenRole},
		{"ErrNameMissing", m.prov, "ap-guangzhou", func(in *models.ListingInput) { in.Name = " " }, models.CodeMissingParameter},
		{"ErrNameTooLong", m.prov, "ap-guangzhou", func(in *models.ListingInput) { in.Name = long }, models.CodeTooLarge},
		{"ErrDescriptionTooLong", m.prov, "ap-guangzhou", func(in *models.ListingInput) { in.Description = strings.Repeat("d", 257) }, models.CodeTooLarge},
		{"ErrCategory", m.prov, "ap-guangzhou", func(in *models.ListingInput) { in.Category = "Toys" }, models.CodeInvalidParameterValue},
		{"ErrVersionMissing", m.prov, "ap-guangzhou", func(in *models.ListingInput) { in.Version = "" }, models.CodeMissingParameter},
		{"ErrVersionTooLong", m.prov, "ap-guangzhou", func(in *models.ListingInput) { in.Version = strings.Repeat("9", 33) }, models.CodeTooLarge},
		{"ErrReleaseNotesTooLong", m.prov, "ap-guangzhou", func(in *models.ListingInput) { in.ReleaseNotes = strings.Repeat("r", 2001) }, models.CodeTooLarge},
		{"ErrPriceText", m.prov, "ap-guangzhou", func(in *models.ListingInput) { in.HourlyPrice = "cheap" }, models.CodeRange},
		{"ErrPriceNegative", m.prov, "ap-guangzhou", func(in *models.ListingInput) { in.HourlyPrice = "-0.1" }, models.CodeRange},
		{"ErrPriceNaN", m.prov, "ap-guangzhou", func(in *models.ListingInput) { in.HourlyPrice = "NaN" }, models.CodeRange},
		{"ErrPriceTooHigh", m.prov, "ap-guangzhou", func(in *models.ListingInput) { in.HourlyPrice = "1000.01" }, models.CodeRange},
		{"ErrUnknownRegion", m.prov, "ap-guangzhou", func(in *models.ListingInput) { in.Regions = []string{"ap-mars"} }, models.CodeInvalidRegionNotFound},
		{"ErrOtherProvidersImage", other, "ap-guangzhou", nil, models.CodeInvalidImageIDNotFound},
		{"ErrImageInOtherRegion", m.prov, "ap-shanghai", nil, models.CodeInvalidImageIDNotFound},
		{"ErrCommonImage", m.prov, "ap-guangzhou", func(in *models.ListingInput) { in.SourceImageID = seeded.ID }, models.CodeNotBelongToAccount},
		{"ErrNotNormal", m.prov, "ap-guangzhou", func(in *models.ListingInput) { in.SourceImageID = busy }, models.CodeInvalidImageIDState},
		{"ErrMadeFromMarketImage", m.prov, "ap-guangzhou", func(in *models.ListingInput) { in.SourceImageID = resold.ID }, models.CodeUnsupportedOperation},
		{"ErrMalformedImage", m.prov, "ap-guangzhou", func(in *models.ListingInput) { in.SourceImageID = "img-1" }, models.CodeInvalidImageIDMalformed},
		{"ErrNoImage", m.prov, "ap-guangzhou", func(in *models.ListingInput) { in.SourceImageID = "" }, models.CodeMissingParameter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := listing(m.src.ID, "2.0")
			if tt.edit != nil {
				tt.edit(&in)
			}
			before := m.platform(t)
			_, err := m.s.PublishListing(ctx, tt.actor, tt.region, in)
			wantCode(t, err, tt.code)
			if after := m.platform(t); after != before {
				t.Errorf("refusal wrote:\n%s\n→\n%s", before, after)
			}
		})
	}
}

func TestStore_MarketRegions(t *testing.T) {
	ctx := context.Background()
	m := newMarketFixture(t)
	img := m.mustApprove(t, m.op, m.mustPublish(t, m.prov, listing(m.src.ID, "1.0", "ap-shanghai", "ap-tokyo")).ID)
	listed := func(region string) bool {
		p, err := m.s.ListImages(ctx, m.user.AccountID, models.ImageQuery{Region: region, Tab: models.TabMarket, Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Rows {
			if r.ID == img.ID {
				return p.Counts[models.TabMarket] == 13
			}
		}
		return false
	}
	if !listed("ap-shanghai") || !listed("ap-tokyo") || listed("ap-guangzhou") {
		t.Errorf("listed in Shanghai %v, Tokyo %v, Guangzhou %v; want the two chosen regions only (13 market images there)",
			listed("ap-shanghai"), listed("ap-tokyo"), listed("ap-guangzhou"))
	}
	rows, _, err := m.s.DescribeImages(ctx, m.user.AccountID, "ap-guangzhou", models.DescribeImagesInput{ImageIDs: []string{img.ID}})
	if err != nil || len(rows) != 0 {
		t.Errorf("DescribeImages in Guangzhou: %d rows, %v; want none", len(rows), err)
	}
	t.Run("ErrLaunchOutsideRegions", func(t *testing.T) {
		before := m.platform(t)
		_, err := m.launch(m.user, "ap-guangzhou", img.ID)
		wantCode(t, err, models.CodeInvalidRegionUnavailable)
		if after := m.platform(t); after != before {
			t.Errorf("refusal wrote:\n%s\n→\n%s", before, after)
		}
	})
	t.Run("OK/LaunchInRegion", func(t *testing.T) {
		if _, err := m.launch(m.user, "ap-shanghai", img.ID); err != nil {
			t.Fatal(err)
		}
	})
}

func TestStore_MarketPriceAndUsage(t *testing.T) {
	ctx := context.Background()
	m := newMarketFixture(t)
	v1 := m.mustPublish(t, m.prov, listing(m.src.ID, "1.0"))
	img := m.mustApprove(t, m.op, v1.ID)

	// R7: the quote and the instance carry the provider's price.
	r, _ := models.LookupRegion("ap-guangzhou")
	plan, err := m.s.QuoteLaunch(ctx, m.user.AccountID, models.LaunchInput{Region: r.ID, Zone: r.Zones[0], InstanceType: "S5.MEDIUM4", ImageID: img.ID, Count: 2})
	if err != nil || plan.Quote.ImagePerHour != 0.30 || plan.Quote.Count != 2 {
		t.Fatalf("quote %+v, %v: want the provider's 0.30 per instance", plan.Quote, err)
	}
	a := m.mustInstanceAs(t, m.user, "ap-guangzhou", img.ID)
	m.mustInstanceAs(t, m.user, "ap-guangzhou", img.ID)
	if a.BillingKind != models.BillingMarket || a.HourlyPrice != 0.30 {
		t.Errorf("instance billing %s %v", a.BillingKind, a.HourlyPrice)
	}
	// A DryRun launch records nothing.
	_, err = m.s.RunInstances(ctx, m.user, models.LaunchInput{Region: r.ID, Zone: r.Zones[0], InstanceType: "S5.MEDIUM4", ImageID: img.ID, Count: 1, DryRun: true})
	wantCode(t, err, models.CodeDryRun)

	m.clock.Advance(2 * time.Hour)
	if err := m.s.TerminateInstances(ctx, m.user, []string{a.ID}); err != nil {
		t.Fatal(err)
	}
	m.drain(t)
	m.clock.Advance(time.Hour)
	page, err := m.s.ProviderListings(ctx, m.prov, 1, 20)
	if err != nil || len(page.Rows) != 1 {
		t.Fatalf("listings %+v, %v", page, err)
	}
	u := page.Rows[0].Usage
	// One instance ran 2 hours and ended; the other has run 3 hours so far.
	if u.Launched != 2 || u.Running != 1 || u.Hours != 5 {
		t.Errorf("usage %+v, want 2 launched, 1 running, 5 hours", u)
	}
	if ls := page.Rows[0]; ls.Live == nil || ls.Live.ID != v1.ID || ls.Image == nil || ls.Image.ID != img.ID || ls.Latest().ID != v1.ID {
		t.Errorf("series %+v", ls)
	}
	t.Run("ErrAsUser", func(t *testing.T) {
		_, err := m.s.ProviderListings(ctx, m.user, 1, 20)
		wantCode(t, err, models.CodeForbiddenRole)
	})
}

func TestStore_ListingDrafts(t *testing.T) {
	ctx := context.Background()
	m := newMarketFixture(t)
	d, err := m.s.NewListingDraft(ctx, m.prov, "ap-guangzhou", m.src.ID)
	if err != nil || d.Input.Name != m.src.Name || d.Input.SourceImageID != m.src.ID || len(d.Sources) != 1 {
		t.Fatalf("draft %+v, %v", d, err)
	}
	v1 := m.mustPublish(t, m.prov, listing(m.src.ID, "1.0", "ap-tokyo"))
	d, err = m.s.NextVersionDraft(ctx, m.prov, "ap-guangzhou", v1.ID)
	if err != nil || d.Series == nil || d.Series.ID != v1.ID || d.Input.HourlyPrice != "0.3" || d.Input.Version != "" ||
		strings.Join(d.Input.Regions, ",") != "ap-tokyo" || d.Input.SourceImageID != m.src.ID {
		t.Fatalf("version draft %+v, %v", d, err)
	}
	for _, tt := range []struct {
		name string
		call func() error
		code string
	}{
		{"ErrUserNewDraft", func() error { _, err := m.s.NewListingDraft(ctx, m.user, "ap-guangzhou", ""); return err }, models.CodeForbiddenRole},
		{"ErrUserVersionDraft", func() error { _, err := m.s.NextVersionDraft(ctx, m.user, "ap-guangzhou", v1.ID); return err }, models.CodeForbiddenRole},
		{"ErrOtherProvider", func() error {
			_, err := m.s.NextVersionDraft(ctx, m.mustRole(t, "p2@example.com", models.RoleProvider), "ap-guangzhou", v1.ID)
			return err
		}, models.CodeListingNotFound},
		{"ErrNotPublishable", func() error {
			_, err := m.s.NewListingDraft(ctx, m.prov, "ap-guangzhou", m.commonImage(t, "Debian", models.ArchX86).ID)
			return err
		}, models.CodeNotBelongToAccount},
	} {
		t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.call(), tt.code) })
	}
}
