package api_test

import (
	"slices"
	"testing"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"

	"imageconsole/models"
)

// TestAPI_Catalog drives every read action of the catalog through the
// official SDK, by POST and by GET.
func TestAPI_Catalog(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "a@example.com")
	for _, method := range methods {
		c := e.client(t, u, opts{method: method, region: gz})
		t.Run(method+"/DescribeRegions", func(t *testing.T) {
			res, err := e.client(t, u, opts{method: method}).DescribeRegions(cvm.NewDescribeRegionsRequest())
			if err != nil {
				t.Fatal(err)
			}
			r := res.Response
			if *r.TotalCount != uint64(len(models.Regions)) || len(r.RegionSet) != len(models.Regions) {
				t.Fatalf("TotalCount %d, %d regions; want %d", *r.TotalCount, len(r.RegionSet), len(models.Regions))
			}
			if got := r.RegionSet[0]; *got.Region != gz || *got.RegionName != "Guangzhou" || *got.RegionState != "AVAILABLE" {
				t.Errorf("first region %s %s %s", *got.Region, *got.RegionName, *got.RegionState)
			}
			if r.RequestId == nil || len(*r.RequestId) != 36 {
				t.Errorf("RequestId %v is not a uuid", r.RequestId)
			}
		})
		t.Run(method+"/DescribeZones", func(t *testing.T) {
			res, err := c.DescribeZones(cvm.NewDescribeZonesRequest())
			if err != nil {
				t.Fatal(err)
			}
			var zones []string
			for _, z := range res.Response.ZoneSet {
				zones = append(zones, *z.Zone)
				if *z.ZoneState != "AVAILABLE" || *z.ZoneId == "" {
					t.Errorf("zone %s: state %s, id %q", *z.Zone, *z.ZoneState, *z.ZoneId)
				}
			}
			r, _ := models.LookupRegion(gz)
			if !slices.Equal(zones, r.Zones) || *res.Response.TotalCount != uint64(len(r.Zones)) {
				t.Errorf("zones %v (TotalCount %d), want %v", zones, *res.Response.TotalCount, r.Zones)
			}
			if got := *res.Response.ZoneSet[0].ZoneName; got != "Guangzhou Zone 3" {
				t.Errorf("ZoneName %q", got)
			}
		})
		t.Run(method+"/DescribeImportImageOs", func(t *testing.T) {
			res, err := c.DescribeImportImageOs(cvm.NewDescribeImportImageOsRequest())
			if err != nil {
				t.Fatal(err)
			}
			r := res.Response
			if got := common.StringValues(r.ImportImageOsListSupported.Windows); !slices.Equal(got, []string{"Windows"}) {
				t.Errorf("Windows %v", got)
			}
			if got := common.StringValues(r.ImportImageOsListSupported.Linux); !slices.Contains(got, "CentOS") || len(got) != len(models.ImportOSList)-1 {
				t.Errorf("Linux %v", got)
			}
			if len(r.ImportImageOsVersionSet) != len(models.ImportOSList) {
				t.Fatalf("%d version sets, want %d", len(r.ImportImageOsVersionSet), len(models.ImportOSList))
			}
			v := r.ImportImageOsVersionSet[0]
			if *v.OsName != "CentOS" || !slices.Equal(common.StringValues(v.OsVersions), []string{"7", "8"}) ||
				!slices.Equal(common.StringValues(v.Architecture), []string{"x86_64", "arm_64"}) {
				t.Errorf("first version set %s %v %v", *v.OsName, common.StringValues(v.OsVersions), common.StringValues(v.Architecture))
			}
		})
		t.Run(method+"/DescribeImageQuota", func(t *testing.T) {
			res, err := c.DescribeImageQuota(cvm.NewDescribeImageQuotaRequest())
			if err != nil {
				t.Fatal(err)
			}
			if got := *res.Response.ImageNumQuota; got != int64(e.store.Limits.CustomImages) {
				t.Errorf("ImageNumQuota %d, want %d", got, e.store.Limits.CustomImages)
			}
		})
		t.Run(method+"/DescribeInstanceTypeConfigs", func(t *testing.T) {
			tests := []struct {
				name    string
				filters []*cvm.Filter
				want    int
			}{
				{"All", nil, 4 * len(models.InstanceTypes)},
				{"ArmFamilyInTwoZones", []*cvm.Filter{filter("instance-family", "SR1"), filter("zone", "ap-guangzhou-3", "ap-guangzhou-4")}, 4},
				{"ZoneOfAnotherRegion", []*cvm.Filter{filter("zone", "ap-tokyo-1")}, 0},
			}
			for _, tt := range tests {
				req := cvm.NewDescribeInstanceTypeConfigsRequest()
				req.Filters = tt.filters
				res, err := c.DescribeInstanceTypeConfigs(req)
				if err != nil {
					t.Fatalf("%s: %v", tt.name, err)
				}
				if got := len(res.Response.InstanceTypeConfigSet); got != tt.want {
					t.Errorf("%s: %d configs, want %d", tt.name, got, tt.want)
				}
			}
			req := cvm.NewDescribeInstanceTypeConfigsRequest()
			req.Filters = []*cvm.Filter{filter("cpu", "2")}
			_, err := c.DescribeInstanceTypeConfigs(req)
			wantCode(t, err, models.CodeInvalidFilter)
		})
		t.Run(method+"/DescribeZoneInstanceConfigInfos", func(t *testing.T) {
			req := cvm.NewDescribeZoneInstanceConfigInfosRequest()
			req.Filters = []*cvm.Filter{filter("instance-type", "S5.SMALL2"), filter("zone", "ap-hongkong-2")}
			res, err := e.client(t, u, opts{method: method, region: "ap-hongkong"}).DescribeZoneInstanceConfigInfos(req)
			if err != nil {
				t.Fatal(err)
			}
			items := res.Response.InstanceTypeQuotaSet
			if len(items) != 1 {
				t.Fatalf("%d items, want 1", len(items))
			}
			it, _ := models.LookupInstanceType("S5.SMALL2")
			hk, _ := models.LookupRegion("ap-hongkong")
			got := items[0]
			if *got.Price.UnitPrice != it.HourlyPrice(hk) || *got.Price.ChargeUnit != "HOUR" || *got.InstanceChargeType != "POSTPAID_BY_HOUR" {
				t.Errorf("price %v %s %s, want %v HOUR POSTPAID_BY_HOUR", *got.Price.UnitPrice, *got.Price.ChargeUnit, *got.InstanceChargeType, it.HourlyPrice(hk))
			}
			if *got.Cpu != 1 || *got.Memory != 2 || *got.Status != "SELL" {
				t.Errorf("cpu %d memory %d status %s", *got.Cpu, *got.Memory, *got.Status)
			}
		})
	}
}

func filter(name string, values ...string) *cvm.Filter {
	return &cvm.Filter{Name: common.StringPtr(name), Values: common.StringPtrs(values)}
}
