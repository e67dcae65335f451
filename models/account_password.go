package models

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

// ChangePassword sets a new password after checking the current one, and
// ends every session of the account: a copied cookie stops working the
// moment the password changes. The current-password check is throttled
// like sign-in (a stolen session must not become a password oracle), so
// it takes a slot first, in its own transaction; bcrypt then runs outside
// any transaction, and the change commits in one more, which writes only
// if the hash is still the one that was checked.
func (s *AccountStore) ChangePassword(ctx context.Context, accountID, current, next string) error {
	var acct Account
	if err := s.db.WithContext(ctx).Where("id = ?", accountID).Take(&acct).Error; err != nil {
		return err
	}
	if err := s.checkGuessable(ctx, "new_password", next, acct.Email, acct.Name); err != nil {
		return err
	}
	key := []throttleKey{{"password:" + accountID, ThrottleAccount}}
	if err := s.takeAll(ctx, key); err != nil {
		return withField("current_password", err)
	}
	ok, err := s.passwordMatches(ctx, acct.PasswordHash, current)
	if err != nil {
		return errors.Join(err, s.giveBackAll(context.WithoutCancel(ctx), key))
	}
	if !ok {
		return FieldE("current_password", CodeAuthFailure, "err.password.currentWrong")
	}
	hash, err := s.hashPassword(ctx, next)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&Account{}).Where("id = ? AND password_hash = ?", accountID, acct.PasswordHash).Update("password_hash", hash)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return FieldE("current_password", CodeAuthFailure, "err.password.changedMeanwhile")
		}
		if err := giveBack(tx, key[0].key); err != nil {
			return err
		}
		return tx.Where("account_id = ?", accountID).Delete(&WebSession{}).Error
	})
}
