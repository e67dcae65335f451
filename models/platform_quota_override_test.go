package models_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"imageconsole/models"
)

func TestStore_SetQuotaOverride(t *testing.T) {
	ctx := context.Background()
	m := newMarketFixture(t)
	user := m.user.AccountID
	set := func(in models.QuotaOverrideInput) {
		t.Helper()
		if err := m.s.SetQuotaOverride(ctx, m.op, user, in); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("OK/ReportedByQuotaUsageAndImageQuota", func(t *testing.T) {
		set(models.QuotaOverrideInput{CustomImages: "2", DailyOps: " 7 ", Instances: "1"})
		u, err := m.s.QuotaUsage(ctx, user, "ap-guangzhou")
		if err != nil || u.ImagesLimit != 2 || u.OpsLimit != 7 || u.InstancesLimit != 1 {
			t.Errorf("QuotaUsage %+v, %v; want 2, 7 and 1", u, err)
		}
		if n, err := m.s.ImageQuota(ctx, user, "ap-tokyo"); err != nil || n != 2 {
			t.Errorf("ImageQuota %d, %v; want 2", n, err)
		}
		// Another account keeps the defaults.
		if n, _ := m.s.ImageQuota(ctx, m.prov.AccountID, "ap-tokyo"); n != 10 {
			t.Errorf("provider's ImageQuota %d, want the default 10", n)
		}
	})
	t.Run("OK/R9Override", func(t *testing.T) {
		ubuntu := m.commonImage(t, "Ubuntu", models.ArchX86).ID
		m.mustInstance(t, "ap-guangzhou", ubuntu)
		before := m.platform(t)
		_, err := m.launch(m.user, "ap-guangzhou", ubuntu)
		wantCode(t, err, models.CodeInstancesQuota)
		if after := m.platform(t); after != before {
			t.Errorf("refusal wrote:\n%s\n→\n%s", before, after)
		}
		set(models.QuotaOverrideInput{CustomImages: "2", DailyOps: "7", Instances: "2"})
		if _, err := m.launch(m.user, "ap-guangzhou", ubuntu); err != nil {
			t.Errorf("launch after raising the override: %v", err)
		}
	})
	t.Run("OK/R1AndR2Override", func(t *testing.T) {
		m.drain(t)
		var ins []models.Instance
		m.s.DB().Where("owner_id = ?", user).Find(&ins)
		for i := range 2 {
			if _, err := m.s.CreateImage(ctx, m.a, ins[0].ID, models.ImageInput{Region: "ap-guangzhou", Name: fmt.Sprint("img-", i)}); err != nil {
				t.Fatal(err)
			}
		}
		_, err := m.s.CreateImage(ctx, m.a, ins[0].ID, models.ImageInput{Region: "ap-guangzhou", Name: "third"})
		wantCode(t, err, models.CodeImageQuota)
		set(models.QuotaOverrideInput{CustomImages: "5", DailyOps: "2"})
		_, err = m.s.CreateImage(ctx, m.a, ins[0].ID, models.ImageInput{Region: "ap-guangzhou", Name: "third"})
		wantCode(t, err, models.CodeDailyOps)
	})
	t.Run("OK/R4Override", func(t *testing.T) {
		img := m.mustImageAs(t, m.prov, "ap-guangzhou", m.commonImage(t, "Debian", models.ArchX86).ID, "to-share")
		if err := m.s.SetQuotaOverride(ctx, m.op, m.prov.AccountID, models.QuotaOverrideInput{Shares: "1"}); err != nil {
			t.Fatal(err)
		}
		if err := m.s.ShareImage(ctx, m.prov, "ap-guangzhou", img.ID, []string{user}); err != nil {
			t.Fatal(err)
		}
		err := m.s.ShareImage(ctx, m.prov, "ap-guangzhou", img.ID, []string{m.op.AccountID})
		wantCode(t, err, models.CodeOverQuota)
	})
	t.Run("OK/ClearReturnsToDefaults", func(t *testing.T) {
		set(models.QuotaOverrideInput{})
		if u, _ := m.s.QuotaUsage(ctx, user, "ap-guangzhou"); u.ImagesLimit != 10 || u.OpsLimit != 100 || u.InstancesLimit != 50 {
			t.Errorf("limits after clearing %+v", u)
		}
		var n int64
		m.s.DB().Model(&models.QuotaOverride{}).Where("account_id = ?", user).Count(&n)
		if n != 0 {
			t.Error("an empty override left a row")
		}
	})
	t.Run("OK/Audited", func(t *testing.T) {
		page, _ := m.s.AuditLog(ctx, m.op, models.AuditQuery{Size: 100})
		e := page.Rows[0]
		if e.Action != models.AuditQuotaOverride || e.Target != user || e.After != "" || !strings.Contains(e.Before, `"custom_images":5`) {
			t.Errorf("clearing entry %+v", e)
		}
		first := page.Rows[len(page.Rows)-1]
		if first.Before != "" || first.After != `{"custom_images":2,"daily_ops":7,"instances":1,"shares":null}` {
			t.Errorf("first entry before %q after %q", first.Before, first.After)
		}
	})

	tests := []struct {
		name    string
		actor   models.Actor
		account string
		in      models.QuotaOverrideInput
		code    string
	}{
		{"ErrUser", m.user, user, models.QuotaOverrideInput{Instances: "100"}, models.CodeForbiddenRole},
		{"ErrProvider", m.prov, m.prov.AccountID, models.QuotaOverrideInput{Instances: "100"}, models.CodeForbiddenRole},
		{"ErrUnknownAccount", m.op, "123456789012", models.QuotaOverrideInput{Instances: "1"}, models.CodeAccountNotFound},
		{"ErrNegative", m.op, user, models.QuotaOverrideInput{Instances: "-1"}, models.CodeRange},
		{"ErrText", m.op, user, models.QuotaOverrideInput{DailyOps: "lots"}, models.CodeRange},
		{"ErrTooLarge", m.op, user, models.QuotaOverrideInput{Shares: "100001"}, models.CodeRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := m.platform(t)
			wantCode(t, m.s.SetQuotaOverride(ctx, tt.actor, tt.account, tt.in), tt.code)
			if after := m.platform(t); after != before {
				t.Errorf("refusal wrote:\n%s\n→\n%s", before, after)
			}
		})
	}
}

// An override is read inside the launch's transaction: N launches at once
// against an override of 3 start exactly 3 instances.
func TestStore_R9Override_Concurrent(t *testing.T) {
	ctx := context.Background()
	m := newMarketFixture(t)
	if err := m.s.SetQuotaOverride(ctx, m.op, m.user.AccountID, models.QuotaOverrideInput{Instances: "3"}); err != nil {
		t.Fatal(err)
	}
	ubuntu := m.commonImage(t, "Ubuntu", models.ArchX86).ID
	got := race(12, func(int) error { _, err := m.launch(m.user, "ap-guangzhou", ubuntu); return err })
	if got[""] != 3 || got[models.CodeInstancesQuota] != 9 {
		t.Errorf("results %v, want exactly 3 launched and 9 refused", got)
	}
}
