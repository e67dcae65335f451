package api_test

import (
	"context"
	"testing"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"

	"imageconsole/models"
)

// An operator's quota override reaches the API: DescribeImageQuota reports
// it, RunInstances enforces it, and market images follow their listing.
func TestAPI_QuotaOverrideAndMarketListing(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	u := e.user(t, "api@example.com")
	op, err := e.store.CreateAccount(ctx, models.NewAccount{Email: "op@example.com", Password: "password-123", Role: models.RoleOperator})
	if err != nil {
		t.Fatal(err)
	}
	opActor := models.Actor{AccountID: op.ID, Via: models.ViaConsole}
	if err := e.store.SetQuotaOverride(ctx, opActor, u.id, models.QuotaOverrideInput{CustomImages: "4", Instances: "1"}); err != nil {
		t.Fatal(err)
	}
	c := e.client(t, u, opts{region: gz})
	res, err := c.DescribeImageQuota(cvm.NewDescribeImageQuotaRequest())
	if err != nil {
		t.Fatal(err)
	}
	if got := *res.Response.ImageNumQuota; got != 4 {
		t.Errorf("ImageNumQuota %d, want the override 4", got)
	}

	var debian models.Image
	e.store.DB().Where("type = ? AND platform = ? AND arch = ?", models.TypePublic, "Debian", models.ArchX86).Order("id").First(&debian)
	run := func() error {
		req := cvm.NewRunInstancesRequest()
		req.ImageId = common.StringPtr(debian.ID)
		req.InstanceType = common.StringPtr("S5.SMALL2")
		req.Placement = &cvm.Placement{Zone: common.StringPtr("ap-guangzhou-3")}
		_, err := c.RunInstances(req)
		return err
	}
	if err := run(); err != nil {
		t.Fatal(err)
	}
	wantCode(t, run(), models.CodeInstancesQuota)

	// A market listing offered in Shanghai only: not described in Guangzhou,
	// refused there, described in Shanghai.
	prov, err := e.store.CreateAccount(ctx, models.NewAccount{Email: "prov@example.com", Password: "password-123", Role: models.RoleProvider})
	if err != nil {
		t.Fatal(err)
	}
	src := models.Image{ID: models.NewID("img"), Type: models.TypePrivate, OwnerID: prov.ID, Region: gz, Name: "src", OsName: "Debian 12",
		Platform: "Debian", Arch: models.ArchX86, SizeGiB: 20, State: models.StateNormal, Source: models.SourceCreate, QuotaLimit: 10}
	if err := e.store.DB().Create(&src).Error; err != nil {
		t.Fatal(err)
	}
	l, err := e.store.PublishListing(ctx, models.Actor{AccountID: prov.ID}, gz, models.ListingInput{SourceImageID: src.ID, Name: "Stack",
		Category: "Databases", Version: "1", HourlyPrice: "0.2", Regions: []string{"ap-shanghai"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.ApproveListing(ctx, opActor, l.ID, ""); err != nil {
		t.Fatal(err)
	}
	e.store.DB().Where("id = ?", l.ID).Take(l)
	describe := func(region string) int {
		req := cvm.NewDescribeImagesRequest()
		req.ImageIds = common.StringPtrs([]string{l.MarketImageID})
		res, err := e.client(t, u, opts{region: region}).DescribeImages(req)
		if err != nil {
			t.Fatal(err)
		}
		return len(res.Response.ImageSet)
	}
	if describe(gz) != 0 || describe("ap-shanghai") != 1 {
		t.Errorf("described in Guangzhou %d, Shanghai %d; want 0 and 1", describe(gz), describe("ap-shanghai"))
	}
	if err := e.store.SetQuotaOverride(ctx, opActor, u.id, models.QuotaOverrideInput{}); err != nil {
		t.Fatal(err)
	}
	debian.ID = l.MarketImageID
	wantCode(t, run(), models.CodeInvalidRegionUnavailable)
}
