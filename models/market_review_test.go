package models_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"imageconsole/models"
)

func TestStore_ReviewListing(t *testing.T) {
	ctx := context.Background()
	m := newMarketFixture(t)
	m.clock.Advance(time.Minute)
	first := m.mustPublish(t, m.prov, listing(m.src.ID, "1.0"))
	m.clock.Advance(time.Minute)
	second := m.mustPublish(t, m.prov, listing(m.src.ID, "1.0"))

	q, err := m.s.ReviewQueue(ctx, m.op, 1, 20)
	if err != nil || q.Total != 2 || q.Rows[0].Listing.ID != first.ID || q.Rows[0].ProviderEmail != "prov@example.com" {
		t.Fatalf("queue %+v, %v: want both, oldest first, with the provider", q, err)
	}

	t.Run("OK/Approve", func(t *testing.T) {
		img := m.mustApprove(t, m.op, first.ID)
		if img.Type != models.TypeMarket || img.State != models.StateNormal || img.BillingKind != models.BillingMarket ||
			img.HourlyPrice != 0.30 || img.Provider != "prov@example.com" || img.OwnerID != m.prov.AccountID || img.Region != "" ||
			img.Source != models.SourceMarket || img.Category != "Web stacks" || img.OsName != m.src.OsName {
			t.Errorf("market image %+v", img)
		}
		p, _ := m.s.ListImages(ctx, m.user.AccountID, models.ImageQuery{Region: "ap-tokyo", Tab: models.TabMarket, Search: img.ID})
		if len(p.Rows) != 1 {
			t.Error("the approved listing is not in the Market tab")
		}
		var l models.MarketListing
		m.s.DB().Where("id = ?", first.ID).Take(&l)
		if l.Status != models.ListingApproved || l.ReviewerID != m.op.AccountID || l.ReviewedAt == nil {
			t.Errorf("listing after approval %+v", l)
		}
	})
	t.Run("OK/Reject", func(t *testing.T) {
		if err := m.s.RejectListing(ctx, m.op, second.ID, "  The description promises a GUI it does not ship. "); err != nil {
			t.Fatal(err)
		}
		var l models.MarketListing
		m.s.DB().Where("id = ?", second.ID).Take(&l)
		if l.Status != models.ListingRejected || l.ReviewComment != "The description promises a GUI it does not ship." || l.MarketImageID != "" {
			t.Errorf("listing after rejection %+v", l)
		}
	})
	t.Run("OK/Audited", func(t *testing.T) {
		page, err := m.s.AuditLog(ctx, m.op, models.AuditQuery{})
		if err != nil || page.Total != 2 {
			t.Fatalf("audit %+v, %v", page, err)
		}
		e := page.Rows[0]
		if e.Action != models.AuditRejectListing || e.OperatorID != m.op.AccountID || e.Target != second.ID ||
			!strings.Contains(e.Before, `"status":"PENDING_REVIEW"`) || !strings.Contains(e.After, `"status":"REJECTED"`) {
			t.Errorf("newest entry %+v", e)
		}
		if page.Rows[1].Action != models.AuditApproveListing || !strings.Contains(page.Rows[1].After, `"market_image_id":"img-`) {
			t.Errorf("approval entry %+v", page.Rows[1])
		}
	})

	pending := m.mustPublish(t, m.prov, listing(m.src.ID, "1.0"))
	approve := func(a models.Actor, id, comment string) error { return m.s.ApproveListing(ctx, a, id, comment) }
	reject := func(a models.Actor, id, comment string) error { return m.s.RejectListing(ctx, a, id, comment) }
	tests := []struct {
		name    string
		call    func(models.Actor, string, string) error
		actor   models.Actor
		id      string
		comment string
		code    string
	}{
		{"ErrApproveAsUser", approve, m.user, pending.ID, "", models.CodeForbiddenRole},
		{"ErrApproveAsProvider", approve, m.prov, pending.ID, "", models.CodeForbiddenRole},
		{"ErrRejectAsProvider", reject, m.prov, pending.ID, "no", models.CodeForbiddenRole},
		{"ErrApproveApproved", approve, m.op, first.ID, "", models.CodeListingState},
		{"ErrApproveRejected", approve, m.op, second.ID, "", models.CodeListingState},
		{"ErrRejectApproved", reject, m.op, first.ID, "late", models.CodeListingState},
		{"ErrUnknown", approve, m.op, "mkt-00000000", "", models.CodeListingNotFound},
		{"ErrRejectWithoutReason", reject, m.op, pending.ID, "   ", models.CodeMissingParameter},
		{"ErrCommentTooLong", approve, m.op, pending.ID, strings.Repeat("c", 501), models.CodeTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := m.platform(t)
			wantCode(t, tt.call(tt.actor, tt.id, tt.comment), tt.code)
			if after := m.platform(t); after != before {
				t.Errorf("refusal wrote:\n%s\n→\n%s", before, after)
			}
		})
	}
	t.Run("ErrQueueAsProvider", func(t *testing.T) {
		_, err := m.s.ReviewQueue(ctx, m.prov, 1, 20)
		wantCode(t, err, models.CodeForbiddenRole)
	})
}

func TestStore_ListingVersions(t *testing.T) {
	ctx := context.Background()
	m := newMarketFixture(t)
	v1 := m.mustPublish(t, m.prov, listing(m.src.ID, "1.0"))
	img := m.mustApprove(t, m.op, v1.ID)
	old := m.mustInstanceAs(t, m.user, "ap-guangzhou", img.ID)
	src2 := m.mustImageAs(t, m.prov, "ap-guangzhou", m.commonImage(t, "Debian", models.ArchX86).ID, "acme-golden-2")

	v2in := listing(src2.ID, "1.1")
	v2in.HourlyPrice, v2in.Name = "0.45", "Acme Stack 1.1"
	v2, err := m.s.SubmitListingVersion(ctx, m.prov, "ap-guangzhou", v1.ID, v2in)
	if err != nil {
		t.Fatal(err)
	}
	if v2.SeriesID != v1.ID || v2.Seq != 2 || v2.Status != models.ListingPending {
		t.Errorf("version 2 %+v", v2)
	}
	if got, _ := m.s.Image(ctx, m.user.AccountID, "ap-guangzhou", img.ID); got.HourlyPrice != 0.30 || got.State != models.StateNormal {
		t.Error("a pending version changed the live listing")
	}

	tests := []struct {
		name  string
		actor models.Actor
		id    string
		edit  func(*models.ListingInput)
		code  string
	}{
		{"ErrPendingExists", m.prov, v1.ID, func(in *models.ListingInput) { in.Version = "1.2" }, models.CodeListingState},
		{"ErrUser", m.user, v1.ID, nil, models.CodeForbiddenRole},
		{"ErrOtherProvider", m.mustRole(t, "p2@example.com", models.RoleProvider), v1.ID, nil, models.CodeListingNotFound},
		{"ErrUnknown", m.prov, "mkt-zzzzzzzz", nil, models.CodeListingNotFound},
		{"ErrInvalidInput", m.prov, v1.ID, func(in *models.ListingInput) { in.HourlyPrice = "" }, models.CodeRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := listing(m.src.ID, "9.9")
			if tt.edit != nil {
				tt.edit(&in)
			}
			before := m.platform(t)
			_, err := m.s.SubmitListingVersion(ctx, tt.actor, "ap-guangzhou", tt.id, in)
			wantCode(t, err, tt.code)
			if after := m.platform(t); after != before {
				t.Errorf("refusal wrote:\n%s\n→\n%s", before, after)
			}
		})
	}

	t.Run("OK/ApproveUpdatesInPlace", func(t *testing.T) {
		got := m.mustApprove(t, m.op, v2.ID)
		if got.ID != img.ID || got.HourlyPrice != 0.45 || got.Name != "Acme Stack 1.1" || got.OsName != src2.OsName {
			t.Errorf("market image after version 2: %+v; want %s updated", got, img.ID)
		}
		var first models.MarketListing
		m.s.DB().Where("id = ?", v1.ID).Take(&first)
		if first.Status != models.ListingSuperseded {
			t.Errorf("version 1 is %s, want SUPERSEDED", first.Status)
		}
		// R7: the running instance keeps the price it was launched with.
		if in, _ := m.s.Instance(ctx, m.user.AccountID, old.ID); in.HourlyPrice != 0.30 || in.State != models.InstanceRunning {
			t.Errorf("old instance %+v", in)
		}
	})
	t.Run("ErrDuplicateVersion", func(t *testing.T) {
		before := m.platform(t)
		_, err := m.s.SubmitListingVersion(ctx, m.prov, "ap-guangzhou", v2.ID, listing(m.src.ID, "1.0"))
		wantCode(t, err, models.CodeInvalidParameterValue)
		if after := m.platform(t); after != before {
			t.Errorf("refusal wrote:\n%s\n→\n%s", before, after)
		}
	})
	t.Run("OK/RejectedVersionKeepsLiveOne", func(t *testing.T) {
		v3, err := m.s.SubmitListingVersion(ctx, m.prov, "ap-guangzhou", v1.ID, listing(m.src.ID, "2.0"))
		if err != nil {
			t.Fatal(err)
		}
		if err := m.s.RejectListing(ctx, m.op, v3.ID, "broken"); err != nil {
			t.Fatal(err)
		}
		if got, _ := m.s.Image(ctx, m.user.AccountID, "", img.ID); got.State != models.StateNormal || got.HourlyPrice != 0.45 {
			t.Errorf("live image after a rejected version: %+v", got)
		}
	})
}

func TestStore_WithdrawListing(t *testing.T) {
	ctx := context.Background()
	m := newMarketFixture(t)
	v1 := m.mustPublish(t, m.prov, listing(m.src.ID, "1.0"))
	img := m.mustApprove(t, m.op, v1.ID)
	running := m.mustInstanceAs(t, m.user, "ap-guangzhou", img.ID)
	v2, err := m.s.SubmitListingVersion(ctx, m.prov, "ap-guangzhou", v1.ID, listing(m.src.ID, "1.1"))
	if err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		name  string
		actor models.Actor
		id    string
		code  string
	}{
		{"ErrUser", m.user, v1.ID, models.CodeForbiddenRole},
		{"ErrOperator", m.op, v1.ID, models.CodeForbiddenRole},
		{"ErrOtherProvider", m.mustRole(t, "p2@example.com", models.RoleProvider), v1.ID, models.CodeListingNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := m.platform(t)
			wantCode(t, m.s.WithdrawListing(ctx, tt.actor, tt.id), tt.code)
			if after := m.platform(t); after != before {
				t.Errorf("refusal wrote:\n%s\n→\n%s", before, after)
			}
		})
	}

	t.Run("OK", func(t *testing.T) {
		if err := m.s.WithdrawListing(ctx, m.prov, v2.ID); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{v1.ID, v2.ID} {
			var l models.MarketListing
			m.s.DB().Where("id = ?", id).Take(&l)
			if l.Status != models.ListingWithdrawn {
				t.Errorf("version %s is %s, want WITHDRAWN", l.Version, l.Status)
			}
		}
		_, err := m.launch(m.user, "ap-guangzhou", img.ID)
		wantCode(t, err, models.CodeInvalidImageIDState)
		p, _ := m.s.ListImages(ctx, m.user.AccountID, models.ImageQuery{Region: "ap-guangzhou", Tab: models.TabMarket, Search: img.ID})
		if len(p.Rows) != 0 {
			t.Error("a withdrawn listing is still in the Market tab")
		}
		if in, _ := m.s.Instance(ctx, m.user.AccountID, running.ID); in.State != models.InstanceRunning || in.HourlyPrice != 0.30 {
			t.Errorf("running instance after withdrawal: %+v", in)
		}
	})
	t.Run("ErrAlreadyWithdrawn", func(t *testing.T) {
		before := m.platform(t)
		wantCode(t, m.s.WithdrawListing(ctx, m.prov, v1.ID), models.CodeListingState)
		if after := m.platform(t); after != before {
			t.Errorf("refusal wrote:\n%s\n→\n%s", before, after)
		}
	})
	t.Run("OK/NewVersionRelists", func(t *testing.T) {
		v3, err := m.s.SubmitListingVersion(ctx, m.prov, "ap-guangzhou", v1.ID, listing(m.src.ID, "2.0"))
		if err != nil {
			t.Fatal(err)
		}
		if got := m.mustApprove(t, m.op, v3.ID); got.ID != img.ID || got.State != models.StateNormal {
			t.Errorf("relisted image %+v", got)
		}
		if _, err := m.launch(m.user, "ap-guangzhou", img.ID); err != nil {
			t.Errorf("launch after relisting: %v", err)
		}
	})
}
