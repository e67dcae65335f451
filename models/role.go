package models

import (
	"errors"

	"gorm.io/gorm"
)

// requireRole loads the acting account inside the caller's transaction and
// refuses it unless it has role. Provider and operator use cases start
// here, so the rule holds for every face, not only where the console hides
// a button. An unknown account gets the same answer as a wrong role.
func requireRole(tx *gorm.DB, a Actor, role string) (*Account, error) {
	var acct Account
	err := tx.Where("id = ?", a.AccountID).Take(&acct).Error
	if errors.Is(err, gorm.ErrRecordNotFound) || (err == nil && acct.Role != role) {
		return nil, E(CodeForbiddenRole, "err.role.forbidden", "Role", role)
	}
	if err != nil {
		return nil, err
	}
	return &acct, nil
}
