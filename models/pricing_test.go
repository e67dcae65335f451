package models

import "testing"

func TestPricing_Quote(t *testing.T) {
	p := Pricing{WindowsLicensePerVCPU: 0.12}
	gz, _ := LookupRegion("ap-guangzhou")
	hk, _ := LookupRegion("ap-hongkong")
	s5 := mustType(t, "S5.MEDIUM4") // 2 vCPU
	linux := &Image{ID: "img-linux001", Type: TypePublic}
	windows := &Image{ID: "img-windows1", Type: TypePublic, BillingKind: BillingWindows}
	market := &Image{ID: "img-market01", Type: TypeMarket, BillingKind: BillingMarket, HourlyPrice: 0.5}
	customOfMarket := &Image{ID: "img-custom01", Type: TypePrivate}
	inheritBilling(customOfMarket, market)
	customOfCustomOfMarket := &Image{ID: "img-custom02", Type: TypePrivate}
	inheritBilling(customOfCustomOfMarket, customOfMarket)
	customOfWindows := &Image{ID: "img-custom03", Type: TypePrivate}
	inheritBilling(customOfWindows, windows)
	sharedOfWindows := *customOfWindows
	sharedOfWindows.Type = TypeShared
	byol := &Image{ID: "img-import01", Type: TypePrivate, Platform: "Windows", License: LicenseBYOL, BillingKind: billingForImport("Windows", LicenseBYOL)}
	importedWin := &Image{ID: "img-import02", Type: TypePrivate, Platform: "Windows", BillingKind: billingForImport("Windows", LicenseTencentCloud)}

	tests := []struct {
		name      string
		img       *Image
		region    Region
		count     int
		wantImage float64
		wantTotal float64
	}{
		{"OK/CommonLinux", linux, hk, 1, 0, 0.384},
		{"OK/CommonWindowsMainland", windows, gz, 1, 0, 0.32},
		{"OK/CommonWindowsOverseas", windows, hk, 1, 0.24, 0.624},
		{"OK/Market", market, gz, 1, 0.5, 0.82},
		{"OK/MarketCount3", market, gz, 3, 0.5, 2.46},
		{"OK/CustomOfMarket", customOfMarket, gz, 1, 0.5, 0.82},
		{"OK/CustomOfCustomOfMarket", customOfCustomOfMarket, gz, 1, 0.5, 0.82},
		{"OK/CustomOfWindowsOverseas", customOfWindows, hk, 1, 0.24, 0.624},
		{"OK/SharedOfWindowsOverseas", &sharedOfWindows, hk, 2, 0.24, 1.248},
		{"OK/ImportedBYOL", byol, hk, 1, 0, 0.384},
		{"OK/ImportedWindowsLicensed", importedWin, hk, 1, 0.24, 0.624},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := p.Quote(tt.img, tt.region, s5, tt.count)
			if q.ImagePerHour != tt.wantImage || q.TotalPerHour != tt.wantTotal {
				t.Errorf("image %.4f total %.4f, want %.4f and %.4f (%+v)", q.ImagePerHour, q.TotalPerHour, tt.wantImage, tt.wantTotal, q)
			}
		})
	}
}

func mustType(t *testing.T, name string) InstanceType {
	t.Helper()
	it, ok := LookupInstanceType(name)
	if !ok {
		t.Fatalf("no instance type %s", name)
	}
	return it
}

func TestPricing_ImageCost(t *testing.T) {
	p := Pricing{WindowsLicensePerVCPU: 0.12}
	gz, _ := LookupRegion("ap-guangzhou")
	hk, _ := LookupRegion("ap-hongkong")
	tests := []struct {
		name    string
		img     *Image
		region  Region
		perHour float64
		perVCPU bool
		on8vCPU float64
	}{
		{"OK/Free", &Image{Type: TypePublic}, hk, 0, false, 0},
		{"OK/WindowsMainland", &Image{Type: TypePublic, BillingKind: BillingWindows}, gz, 0, false, 0},
		{"OK/WindowsOverseasPerVCPU", &Image{Type: TypePublic, BillingKind: BillingWindows}, hk, 0.12, true, 0.96},
		{"OK/MarketFlat", &Image{Type: TypeMarket, BillingKind: BillingMarket, HourlyPrice: 0.5}, hk, 0.5, false, 0.5},
		{"OK/BYOL", &Image{Type: TypePrivate, License: LicenseBYOL}, hk, 0, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := p.ImageCost(tt.img, tt.region)
			if c.PerHour != tt.perHour || c.PerVCPU != tt.perVCPU || c.Reason == "" {
				t.Errorf("ImageCost = %+v, want %.4f per vCPU %v with a reason", c, tt.perHour, tt.perVCPU)
			}
			if got := c.For(InstanceType{CPU: 8}); got != tt.on8vCPU {
				t.Errorf("on 8 vCPU: %.4f, want %.4f", got, tt.on8vCPU)
			}
		})
	}
}
