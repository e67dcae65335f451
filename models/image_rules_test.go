package models

import (
	"strings"
	"testing"
)

func TestImage_Check(t *testing.T) {
	const owner, other = "100000000001", "100000000002"
	custom := func(mod func(i *Image)) *Image {
		i := &Image{ID: "img-custom01", Type: TypePrivate, OwnerID: owner, Region: "ap-guangzhou", State: StateNormal}
		if mod != nil {
			mod(i)
		}
		return i
	}
	recipientView := custom(func(i *Image) { i.Type = TypeShared })
	common := &Image{ID: "img-common01", Type: TypePublic, State: StateNormal}
	tests := []struct {
		name    string
		img     *Image
		op      ImageOp
		account string
		code    string
	}{
		{"OK/Share", custom(nil), OpShare, owner, ""},
		{"OK/SyncFromSyncRegion", custom(nil), OpSync, owner, ""},
		{"OK/DeleteUnshared", custom(nil), OpDelete, owner, ""},
		{"OK/ModifyWhileShared", custom(func(i *Image) { i.ShareCount = 2 }), OpModify, owner, ""},
		{"OK/ModifyBusy", custom(func(i *Image) { i.State = StateSyncing }), OpModify, owner, ""},
		{"OK/UnshareFailed", custom(func(i *Image) { i.State = StateCreateFailed }), OpUnshare, owner, ""},
		{"OK/RecipientLaunches", recipientView, OpLaunch, other, ""},
		{"OK/CommonLaunches", common, OpLaunch, other, ""},
		{"OK/Publish", custom(nil), OpPublish, owner, ""},
		{"ErrShareNotNormal", custom(func(i *Image) { i.State = StateCreating }), OpShare, owner, CodeInvalidImageIDState},
		{"ErrSyncNotNormal", custom(func(i *Image) { i.State = StateImportFailed }), OpSync, owner, CodeInvalidImageIDState},
		{"ErrSyncFromNonSyncRegion", custom(func(i *Image) { i.Region = "ap-chengdu" }), OpSync, owner, CodeInvalidRegionUnavailable},
		{"ErrLaunchNotNormal", custom(func(i *Image) { i.State = StateCreating }), OpLaunch, owner, CodeInvalidImageIDState},
		{"ErrLaunchOffline", &Image{ID: "img-common02", Type: TypeMarket, State: StateOffline}, OpLaunch, owner, CodeInvalidImageIDState},
		{"ErrDeleteShared", custom(func(i *Image) { i.ShareCount = 1 }), OpDelete, owner, CodeInvalidImageIDInShared},
		{"ErrDeleteBusy", custom(func(i *Image) { i.State = StateImporting }), OpDelete, owner, CodeInvalidImageIDState},
		{"ErrRecipientModifies", recipientView, OpModify, other, CodeSharedImageModify},
		{"ErrRecipientDeletes", recipientView, OpDelete, other, CodeImageIsShared},
		{"ErrRecipientShares", recipientView, OpShare, other, CodeNotBelongToAccount},
		{"ErrRecipientSyncs", recipientView, OpSync, other, CodeNotBelongToAccount},
		{"ErrLockedRowOfAnother", custom(nil), OpUnshare, other, CodeNotBelongToAccount},
		{"ErrCommonModified", common, OpModify, owner, CodeNotBelongToAccount},
		{"ErrCommonShared", common, OpShare, owner, CodeNotBelongToAccount},
		{"ErrPublishMarketCopy", custom(func(i *Image) { i.BillingKind = BillingMarket }), OpPublish, owner, CodeUnsupportedOperation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ErrorCode(tt.img.Check(tt.op, tt.account)); got != tt.code {
				t.Errorf("Check(%s) = %q, want %q", tt.op, got, tt.code)
			}
		})
	}
}

func TestImage_Warning(t *testing.T) {
	shared := &Image{ID: "img-custom01", Type: TypeShared, OwnerID: "100000000001"}
	if w := shared.Warning(); w == "" || !strings.Contains(w, "100000000001") {
		t.Errorf("shared image warning %q does not name the owner", w)
	}
	if w := (&Image{Type: TypePrivate}).Warning(); w != "" {
		t.Errorf("own image warns: %q", w)
	}
}
