package models

import (
	"context"
	"slices"

	"gorm.io/gorm"
)

// Values of ModifyImageSharePermission's Permission parameter, as the SDK spells them.
const (
	PermissionShare  = "SHARE"
	PermissionCancel = "CANCEL"
)

// shareLimitKey carries the R4 limit from the store to ImageShare's hook.
// ImageShare has no limit field (image.go is shared with other work), so the
// limit travels the way GORM documents for hooks: db.Set before Create,
// tx.Get inside the hook.
const shareLimitKey = "imageconsole:share_limit"

// BeforeCreate enforces R4 on the row it guards, so no write path can skip
// it: a share is written only while the image's ShareCount stays within the
// limit. The conditional UPDATE makes the check and the increment one atomic
// step on SQLite and PostgreSQL alike (a count-then-insert is not, under READ
// COMMITTED), and on PostgreSQL it keeps the image row locked until the
// transaction ends. A write path that sets no limit gets the default limit,
// not an unguarded insert, so fixtures that write shares directly stay simple
// and still keep ShareCount honest.
func (sh *ImageShare) BeforeCreate(tx *gorm.DB) error {
	limit := DefaultLimits.Shares
	if v, ok := tx.Get(shareLimitKey); ok {
		limit, _ = v.(int)
	}
	res := tx.Model(&Image{}).Where("id = ? AND share_count + 1 <= ?", sh.ImageID, limit).
		UpdateColumn("share_count", gorm.Expr("share_count + 1"))
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return FieldE("account_ids", CodeOverQuota, "err.share.quota", "Max", limit, "ID", sh.ImageID)
	}
	return nil
}

// AfterDelete gives the image's R4 slot back. GORM hands the hook the value
// deleted, so only a delete by key (what the store does) knows its image; a
// batch delete by condition arrives as an empty value and releases nothing.
func (sh *ImageShare) AfterDelete(tx *gorm.DB) error {
	if sh.ImageID == "" {
		return nil
	}
	return tx.Model(&Image{}).Where("id = ? AND share_count >= 1", sh.ImageID).
		UpdateColumn("share_count", gorm.Expr("share_count - 1")).Error
}

// ModifySharePermission shares (SHARE) or stops sharing (CANCEL) a custom
// image with accounts: the API's ModifyImageSharePermission. Every check
// runs inside the counted operation, so a refused request is in the
// operation log with its code (R2).
func (s *SharingStore) ModifySharePermission(ctx context.Context, a Actor, region, imageID, permission string, accountIDs []string) error {
	return s.counted(ctx, a, region, ActionModifySharePermission, []string{imageID}, func(tx *gorm.DB, lim Limits) error {
		switch permission {
		case PermissionShare:
			return s.share(tx, a, lim, region, imageID, accountIDs)
		case PermissionCancel:
			return unshare(tx, a, region, imageID, accountIDs)
		}
		return FieldE("permission", CodeInvalidParameterValue, "err.share.permissionInvalid")
	})
}

// ShareImage lets master accounts launch instances from one of the caller's
// NORMAL custom images (R4). A request naming several accounts is all or
// nothing; an account named twice counts once.
func (s *SharingStore) ShareImage(ctx context.Context, a Actor, region, imageID string, accountIDs []string) error {
	return s.ModifySharePermission(ctx, a, region, imageID, PermissionShare, accountIDs)
}

// UnshareImage cancels shares of one of the caller's custom images, all or
// none. The recipients lose the image at once for new launches; instances
// they already launched are their own rows and keep running.
func (s *SharingStore) UnshareImage(ctx context.Context, a Actor, region, imageID string, accountIDs []string) error {
	return s.ModifySharePermission(ctx, a, region, imageID, PermissionCancel, accountIDs)
}

// share writes ShareImage's shares. The image row stays locked until the
// transaction ends (imageFor), so share changes of one image run one after
// another and the already-shared check reads committed state.
func (s *SharingStore) share(tx *gorm.DB, a Actor, lim Limits, region, imageID string, accountIDs []string) error {
	ids, err := shareRequest(accountIDs)
	if err != nil {
		return err
	}
	img, err := imageFor(tx, a, region, imageID, OpShare)
	if err != nil {
		return err
	}
	var known, shared []string
	if err := tx.Model(&Account{}).Where("id IN ?", ids).Pluck("id", &known).Error; err != nil {
		return err
	}
	if err := tx.Model(&ImageShare{}).Where("image_id = ? AND account_id IN ?", img.ID, ids).Pluck("account_id", &shared).Error; err != nil {
		return err
	}
	for _, id := range ids {
		if err := checkRecipient(a, img.ID, id, slices.Contains(known, id), slices.Contains(shared, id)); err != nil {
			return err
		}
	}
	limit, now := lim.Shares, s.now()
	for _, id := range ids {
		// The UNIQUE primary key (image_id, account_id) is the last line
		// against a duplicate the checks above missed.
		if err := tx.Set(shareLimitKey, limit).Create(&ImageShare{ImageID: img.ID, AccountID: id, CreatedAt: now}).Error; err != nil {
			return err
		}
	}
	return nil
}

// unshare deletes UnshareImage's shares.
func unshare(tx *gorm.DB, a Actor, region, imageID string, accountIDs []string) error {
	ids, err := shareRequest(accountIDs)
	if err != nil {
		return err
	}
	img, err := imageFor(tx, a, region, imageID, OpUnshare)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := checkAccountID(a, id); err != nil {
			return err
		}
		// Delete by key so AfterDelete releases exactly this share's slot;
		// the explicit WHERE keeps the delete to one row whatever the value holds.
		res := tx.Where("image_id = ? AND account_id = ?", img.ID, id).Delete(&ImageShare{ImageID: img.ID, AccountID: id})
		if res.Error != nil {
			return res.Error
		}
		// The SDK has no "not shared" code; InvalidAccountId.NotFound is
		// its closest: there is no such recipient of this image.
		if res.RowsAffected != 1 {
			return FieldE("account_ids", CodeAccountNotFound, "err.share.notShared", "ID", img.ID, "Account", id)
		}
	}
	return nil
}

// ImageShares lists the accounts a custom image is shared with, newest
// first. Only the owner may see them: a recipient does not learn who else
// received the image.
func (s *SharingStore) ImageShares(ctx context.Context, accountID, region, imageID string) ([]ImageShare, error) {
	db := s.db.WithContext(ctx)
	img, err := visibleFor(db, Actor{AccountID: accountID}, region, imageID, OpUnshare)
	if err != nil {
		return nil, err
	}
	return imageShares(db, img.ID)
}

// shareRequest checks the shape of a request's account list and collapses
// duplicates: naming an account twice is one share.
func shareRequest(accountIDs []string) ([]string, error) {
	ids := nonBlank(accountIDs)
	if len(ids) == 0 {
		return nil, FieldE("account_ids", CodeMissingParameter, "err.share.accountsMissing")
	}
	// A bound on the list keeps one request's work small; 100 is the API's
	// usual list limit and twice the default share limit.
	if len(ids) > MaxListItems {
		return nil, FieldE("account_ids", CodeValueLimitExceeded, "err.share.tooManyAccounts", "Max", MaxListItems)
	}
	return ids, nil
}

// checkAccountID refuses the caller's own account and a malformed ID: the
// owner's rights are not a share, and a malformed ID names nobody.
func checkAccountID(a Actor, id string) error {
	switch {
	case id == a.AccountID:
		return FieldE("account_ids", CodeAccountIsYourself, "err.share.yourself", "Account", id)
	case !validUIN(id):
		return FieldE("account_ids", CodeAccountNotFound, "err.share.accountMalformed", "Account", quote(id))
	}
	return nil
}

// checkRecipient applies R4's per-account rules, first refusal first: yourself,
// unknown account, already shared. exists and
// shared say whether the account exists and already has the image.
func checkRecipient(a Actor, imageID, id string, exists, shared bool) error {
	if err := checkAccountID(a, id); err != nil {
		return err
	}
	switch {
	case !exists:
		return FieldE("account_ids", CodeAccountNotFound, "err.account.notFound", "ID", id)
	case shared:
		return FieldE("account_ids", CodeAccountAlreadyExists, "err.share.alreadyShared", "ID", imageID, "Account", id)
	}
	return nil
}

// validUIN reports whether id has the form of an account ID: 12 digits.
func validUIN(id string) bool {
	if len(id) != 12 {
		return false
	}
	for _, c := range id {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// nonBlank trims and dedupes a list parameter and drops blank entries: a
// form's empty line names nothing, so it is not an error of its own.
func nonBlank(list []string) []string {
	var out []string
	for _, v := range dedupe(list) {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}
