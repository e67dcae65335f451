package browser_test

import (
	"context"
	"testing"

	"imageconsole/models"
)

// TestPagesPlatform: the provider's and the operator's pages, with a
// listing submitted for review and approved.
func TestPagesPlatform(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	for _, a := range []models.NewAccount{
		{Email: "provider@example.com", Name: "Stack Vendor", Role: models.RoleProvider, Password: password},
		{Email: "operator@example.com", Name: "Platform Ops", Role: models.RoleOperator, Password: password},
	} {
		if _, err := e.store.CreateAccount(ctx, a); err != nil {
			t.Fatalf("create %s: %v", a.Email, err)
		}
	}
	provider := e.accountID("provider@example.com")
	source := e.mustImport(provider, region, "lamp-stack", "golden.qcow2")
	if _, err := e.store.PublishListing(ctx, console(provider), region, models.ListingInput{SourceImageID: source,
		Name: "LAMP stack", Description: "Apache, MySQL and PHP, ready to serve.", Category: "Web stacks", Version: "1.0",
		HourlyPrice: "0.12", Regions: []string{region, "ap-shanghai"}, ReleaseNotes: "First release."}); err != nil {
		t.Fatalf("publish: %v", err)
	}

	op := e.newTab("operator")
	op.signIn("operator@example.com")
	op.open("/operator/reviews?region=" + region)
	op.waitVisible(sel("review-row"))
	op.tour("page-operator-reviews")
	op.clickAndLoad(sel("approve"))
	for _, pg := range []struct{ name, path, ready string }{
		{"operator-catalog", "/operator/catalog?region=" + region, "catalog-table"},
		{"operator-accounts", "/operator/accounts?region=" + region, "account-table"},
		{"operator-audit", "/operator/audit?region=" + region, "audit-table"},
	} {
		op.open(pg.path)
		op.waitVisible(sel(pg.ready))
		op.glance("page-" + pg.name)
	}

	pr := e.newTab("provider")
	pr.signIn("provider@example.com")
	pr.open("/market/listings?region=" + region)
	pr.waitVisible(sel("listing-table"))
	pr.tour("page-market-listings")
	pr.open("/market/listings/new?region=" + region + "&image=" + source)
	pr.waitVisible(sel("listing-form"))
	pr.glance("page-market-new-listing")
}
