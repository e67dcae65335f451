package models

import (
	"context"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
)

// ChangePassword sets a new password after checking the current one, and
// ends every session of the account in the same transaction: a copied
// cookie stops working the moment the password changes.
func (s *Store) ChangePassword(ctx context.Context, accountID, current, next string) error {
	probe := NewAccount{Email: "x@example.com", Password: next}
	if err := probe.Validate(); err != nil {
		return fieldErr("new_password", ErrorCode(err), ErrorMessage(err))
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(next), s.PasswordCost)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		var acct Account
		if err := tx.Where("id = ?", accountID).Take(&acct).Error; err != nil {
			return err
		}
		if len(current) > maxPasswordBytes || bcrypt.CompareHashAndPassword(acct.PasswordHash, []byte(current)) != nil {
			return fieldErr("current_password", CodeAuthFailure, "The current password is not correct.")
		}
		if err := tx.Model(&acct).Update("password_hash", hash).Error; err != nil {
			return err
		}
		return tx.Where("account_id = ?", accountID).Delete(&WebSession{}).Error
	})
}
