package models_test

import (
	"context"
	"strings"
	"testing"

	"imageconsole/models"
)

func TestStore_AddCommonImage(t *testing.T) {
	ctx := context.Background()
	m := newMarketFixture(t)
	in := func(edit func(*models.CommonImageInput)) models.CommonImageInput {
		v := models.CommonImageInput{Name: "Windows Server 2025 Datacenter", Platform: "Windows", Arch: models.ArchX86, SizeGiB: "50"}
		if edit != nil {
			edit(&v)
		}
		return v
	}

	t.Run("OK", func(t *testing.T) {
		img, err := m.s.AddCommonImage(ctx, m.op, in(nil))
		if err != nil {
			t.Fatal(err)
		}
		if img.Type != models.TypePublic || img.State != models.StateNormal || img.SizeGiB != 50 || img.Source != models.SourceOfficial ||
			img.BillingKind != models.BillingWindows || img.OsName != img.Name {
			t.Errorf("image %+v", img)
		}
		p, _ := m.s.ListImages(ctx, m.user.AccountID, models.ImageQuery{Region: "ap-guangzhou", Tab: models.TabCommon, Search: img.ID})
		if len(p.Rows) != 1 {
			t.Error("the new image is not in the Common tab")
		}
		page, _ := m.s.AuditLog(ctx, m.op, models.AuditQuery{})
		if page.Total != 1 || page.Rows[0].Action != models.AuditAddCommonImage || page.Rows[0].Before != "" || !strings.Contains(page.Rows[0].After, `"platform":"Windows"`) {
			t.Errorf("audit %+v", page.Rows)
		}
	})
	tests := []struct {
		name  string
		actor models.Actor
		edit  func(*models.CommonImageInput)
		code  string
	}{
		{"ErrUser", m.user, nil, models.CodeForbiddenRole},
		{"ErrProvider", m.prov, nil, models.CodeForbiddenRole},
		{"ErrDuplicateName", m.op, nil, models.CodeImageNameDuplicate},
		{"ErrNameMissing", m.op, func(v *models.CommonImageInput) { v.Name = "" }, models.CodeMissingParameter},
		{"ErrNameTooLong", m.op, func(v *models.CommonImageInput) { v.Name = strings.Repeat("n", 61) }, models.CodeTooLarge},
		{"ErrPlatform", m.op, func(v *models.CommonImageInput) { v.Name, v.Platform = "x", "Plan9" }, models.CodeInvalidParameterValue},
		{"ErrArch", m.op, func(v *models.CommonImageInput) { v.Name, v.Arch = "x", "riscv" }, models.CodeInvalidParameterValue},
		{"ErrSize", m.op, func(v *models.CommonImageInput) { v.Name, v.SizeGiB = "x", "0" }, models.CodeRange},
		{"ErrSizeText", m.op, func(v *models.CommonImageInput) { v.Name, v.SizeGiB = "x", "big" }, models.CodeRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := m.platform(t)
			_, err := m.s.AddCommonImage(ctx, tt.actor, in(tt.edit))
			wantCode(t, err, tt.code)
			if after := m.platform(t); after != before {
				t.Errorf("refusal wrote:\n%s\n→\n%s", before, after)
			}
		})
	}
}

func TestStore_DeprecateAndRetireCommonImage(t *testing.T) {
	ctx := context.Background()
	m := newMarketFixture(t)
	debian := m.commonImage(t, "Debian", models.ArchX86)
	rocky := m.commonImage(t, "Rocky", models.ArchX86)
	listed := func(id string) bool {
		p, err := m.s.ListImages(ctx, m.user.AccountID, models.ImageQuery{Region: "ap-guangzhou", Tab: models.TabCommon, Search: id})
		if err != nil {
			t.Fatal(err)
		}
		return len(p.Rows) == 1
	}

	t.Run("OK/Deprecate", func(t *testing.T) {
		if err := m.s.SetCommonImageDeprecated(ctx, m.op, debian.ID, true); err != nil {
			t.Fatal(err)
		}
		if listed(debian.ID) {
			t.Error("a deprecated image is still listed")
		}
		// Hidden, but launchable by ID, as users expect from other clouds.
		if _, err := m.launch(m.user, "ap-guangzhou", debian.ID); err != nil {
			t.Errorf("launch a deprecated image by ID: %v", err)
		}
	})
	t.Run("OK/Undeprecate", func(t *testing.T) {
		if err := m.s.SetCommonImageDeprecated(ctx, m.op, debian.ID, false); err != nil {
			t.Fatal(err)
		}
		if !listed(debian.ID) {
			t.Error("an undeprecated image is not listed")
		}
	})
	t.Run("OK/Retire", func(t *testing.T) {
		running := m.mustInstanceAs(t, m.user, "ap-guangzhou", rocky.ID)
		if err := m.s.RetireCommonImage(ctx, m.op, rocky.ID); err != nil {
			t.Fatal(err)
		}
		if listed(rocky.ID) {
			t.Error("a retired image is still listed")
		}
		_, err := m.launch(m.user, "ap-guangzhou", rocky.ID)
		wantCode(t, err, models.CodeInvalidImageIDState)
		if in, _ := m.s.Instance(ctx, m.user.AccountID, running.ID); in.State != models.InstanceRunning {
			t.Errorf("instance of a retired image is %s", in.State)
		}
	})
	t.Run("OK/Audited", func(t *testing.T) {
		page, _ := m.s.AuditLog(ctx, m.op, models.AuditQuery{})
		var actions []string
		for _, e := range page.Rows {
			actions = append(actions, e.Action)
		}
		if strings.Join(actions, ",") != "RetireCommonImage,UndeprecateCommonImage,DeprecateCommonImage" {
			t.Errorf("audit actions %v", actions)
		}
		if e := page.Rows[0]; !strings.Contains(e.Before, `"state":"NORMAL"`) || !strings.Contains(e.After, `"state":"OFFLINE"`) {
			t.Errorf("retire entry before %s after %s", e.Before, e.After)
		}
	})

	var market models.Image
	m.s.DB().Where("type = ?", models.TypeMarket).Order("id").First(&market)
	deprecate := func(a models.Actor, id string) error { return m.s.SetCommonImageDeprecated(ctx, a, id, true) }
	undeprecate := func(a models.Actor, id string) error { return m.s.SetCommonImageDeprecated(ctx, a, id, false) }
	retire := func(a models.Actor, id string) error { return m.s.RetireCommonImage(ctx, a, id) }
	tests := []struct {
		name  string
		call  func(models.Actor, string) error
		actor models.Actor
		id    string
		code  string
	}{
		{"ErrDeprecateAsUser", deprecate, m.user, debian.ID, models.CodeForbiddenRole},
		{"ErrRetireAsProvider", retire, m.prov, debian.ID, models.CodeForbiddenRole},
		{"ErrAlreadyListed", undeprecate, m.op, debian.ID, models.CodeInvalidImageIDState},
		{"ErrRetireRetired", retire, m.op, rocky.ID, models.CodeInvalidImageIDState},
		{"ErrDeprecateRetired", deprecate, m.op, rocky.ID, models.CodeInvalidImageIDState},
		{"ErrMarketImage", deprecate, m.op, market.ID, models.CodeUnsupportedOperation},
		{"ErrCustomImage", retire, m.op, m.src.ID, models.CodeUnsupportedOperation},
		{"ErrUnknown", retire, m.op, "img-00000000", models.CodeInvalidImageIDNotFound},
		{"ErrMalformed", deprecate, m.op, "img-X", models.CodeInvalidImageIDMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := m.platform(t)
			wantCode(t, tt.call(tt.actor, tt.id), tt.code)
			if after := m.platform(t); after != before {
				t.Errorf("refusal wrote:\n%s\n→\n%s", before, after)
			}
		})
	}
	t.Run("ErrCatalogAsUser", func(t *testing.T) {
		_, err := m.s.CommonCatalog(ctx, m.user, 1, 20)
		wantCode(t, err, models.CodeForbiddenRole)
	})
	t.Run("OK/CatalogListsEverything", func(t *testing.T) {
		page, err := m.s.CommonCatalog(ctx, m.op, 1, 100)
		if err != nil || page.Total != 36 {
			t.Fatalf("catalog %d images, %v; want all 36, the retired one included", page.Total, err)
		}
	})
}

func TestStore_PlatformAccounts(t *testing.T) {
	ctx := context.Background()
	m := newMarketFixture(t)
	m.mustInstance(t, "ap-guangzhou", m.commonImage(t, "Debian", models.ArchX86).ID)
	m.mustInstance(t, "ap-shanghai", m.commonImage(t, "Debian", models.ArchX86).ID)
	if err := m.s.SetQuotaOverride(ctx, m.op, m.user.AccountID, models.QuotaOverrideInput{Instances: "3"}); err != nil {
		t.Fatal(err)
	}

	page, err := m.s.PlatformAccounts(ctx, m.op, "", 1, 20)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]models.AccountUsage{}
	for _, r := range page.Rows {
		byID[r.Account.ID] = r
	}
	if u := byID[m.user.AccountID]; u.Instances != 2 || u.CustomImages != 0 || u.Override.Instances == nil || *u.Override.Instances != 3 {
		t.Errorf("user row %+v", u)
	}
	if p := byID[m.prov.AccountID]; p.Instances != 1 || p.CustomImages != 1 || !p.Override.Empty() || p.Account.Role != models.RoleProvider {
		t.Errorf("provider row %+v", p)
	}
	if page, _ := m.s.PlatformAccounts(ctx, m.op, "PROV@", 1, 20); page.Total != 1 || page.Rows[0].Account.ID != m.prov.AccountID {
		t.Errorf("search by email part: %+v", page.Rows)
	}
	if page, _ := m.s.PlatformAccounts(ctx, m.op, m.user.AccountID, 1, 20); page.Total != 1 {
		t.Errorf("search by ID: %d rows", page.Total)
	}

	d, err := m.s.OperatorAccount(ctx, m.op, m.user.AccountID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Limits.Instances != 3 || d.Defaults.Instances != 50 || len(d.Usage) != 2 || d.Usage[0].Region != "ap-guangzhou" ||
		d.Usage[0].InstancesUsed != 1 || d.Usage[0].InstancesLimit != 3 {
		t.Errorf("detail %+v", d)
	}
	for _, tt := range []struct {
		name string
		call func() error
		code string
	}{
		{"ErrListAsUser", func() error { _, err := m.s.PlatformAccounts(ctx, m.user, "", 1, 20); return err }, models.CodeForbiddenRole},
		{"ErrDetailAsProvider", func() error { _, err := m.s.OperatorAccount(ctx, m.prov, m.user.AccountID); return err }, models.CodeForbiddenRole},
		{"ErrAuditAsProvider", func() error { _, err := m.s.AuditLog(ctx, m.prov, models.AuditQuery{}); return err }, models.CodeForbiddenRole},
		{"ErrUnknownAccount", func() error { _, err := m.s.OperatorAccount(ctx, m.op, "123456789012"); return err }, models.CodeAccountNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.call(), tt.code) })
	}
}
