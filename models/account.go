package models

import (
	"context"
	"errors"
	"net/mail"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
)

// Roles of an account: user (the default), provider (may publish market
// images) and operator (runs the platform).
const (
	RoleUser     = "user"
	RoleProvider = "provider"
	RoleOperator = "operator"
)

// Account is a master account, identified by its 12-digit UIN.
type Account struct {
	ID           string `gorm:"primaryKey;size:12"`
	Email        string `gorm:"size:254;uniqueIndex;not null"`
	Name         string `gorm:"size:64;not null"`
	PasswordHash []byte `gorm:"not null"`
	Role         string `gorm:"size:16;not null;default:user"`
	CreatedAt    time.Time
}

// NewAccount is the input of CreateAccount.
type NewAccount struct {
	Email, Password, Name, Role string
}

// maxPasswordBytes is bcrypt's input limit: longer passwords would be
// silently truncated, so they are refused with a clear message instead.
const maxPasswordBytes = 72

// Validate checks the sign-up input and normalises the email.
func (n *NewAccount) Validate() error {
	n.Email = strings.ToLower(strings.TrimSpace(cleanText(n.Email)))
	n.Name = strings.TrimSpace(cleanText(n.Name))
	if n.Role == "" {
		n.Role = RoleUser
	}
	if a, err := mail.ParseAddress(n.Email); err != nil || a.Address != n.Email || len(n.Email) > 254 {
		return FieldE("email", CodeInvalidParameterValue, "err.account.emailInvalid")
	}
	if n.Name == "" {
		n.Name = strings.SplitN(n.Email, "@", 2)[0]
	}
	if err := checkPasswordLength("password", n.Password); err != nil {
		return err
	}
	if len([]rune(n.Name)) > 64 {
		return FieldE("name", CodeTooLarge, "err.account.nameTooLong")
	}
	switch n.Role {
	case RoleUser, RoleProvider, RoleOperator:
	default:
		return FieldE("role", CodeInvalidParameterValue, "err.account.roleInvalid")
	}
	return nil
}

// CreateAccount signs up a new master account with a random UIN.
func (s *AccountStore) CreateAccount(ctx context.Context, in NewAccount) (*Account, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if err := s.checkGuessable(ctx, "password", in.Password, in.Email, in.Name); err != nil {
		return nil, err
	}
	hash, err := s.hashPassword(ctx, in.Password)
	if err != nil {
		return nil, err
	}
	acct := &Account{Email: in.Email, Name: in.Name, PasswordHash: hash, Role: in.Role}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Account{}).Where("email = ?", in.Email).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return FieldE("email", CodeInvalidParameterValue, "err.account.emailTaken")
		}
		acct.ID = newUIN()
		if err := tx.Create(acct).Error; errors.Is(err, gorm.ErrDuplicatedKey) {
			// Two sign-ups raced past the check above; the index decided.
			return FieldE("email", CodeInvalidParameterValue, "err.account.emailTaken")
		} else if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return acct, nil
}

// newUIN returns a random 12-digit account ID that does not start with 0.
func newUIN() string {
	return randomString(1, "123456789") + randomString(11, "0123456789")
}

// ErrBadCredentials is the one answer for a wrong password and an unknown
// email, so sign-in does not reveal which accounts exist.
var ErrBadCredentials = E(CodeAuthFailure, "err.account.badCredentials")

// dummyHashes are compared against when the email is unknown, so both
// failure paths take the same time: one per cost, matching real hashes.
var dummyHashes sync.Map // cost → []byte

func dummyHash(cost int) []byte {
	if h, ok := dummyHashes.Load(cost); ok {
		return h.([]byte)
	}
	h, _ := bcrypt.GenerateFromPassword([]byte("imageconsole-dummy-password"), cost)
	dummyHashes.Store(cost, h)
	return h
}

// Authenticate checks an email and password, without throttling: SignIn
// is the throttled entry point for people.
func (s *AccountStore) Authenticate(ctx context.Context, email, password string) (*Account, error) {
	email = NormalEmail(email)
	var acct Account
	err := s.db.WithContext(ctx).Where("email = ?", email).Take(&acct).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		if _, err := s.passwordMatches(ctx, dummyHash(s.PasswordCost), password); err != nil {
			return nil, err
		}
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, err
	}
	ok, err := s.passwordMatches(ctx, acct.PasswordHash, password)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrBadCredentials
	}
	return &acct, nil
}

// AccountByEmail finds an account.
func (s *AccountStore) AccountByEmail(ctx context.Context, email string) (*Account, error) {
	var acct Account
	err := s.db.WithContext(ctx).Where("email = ?", strings.ToLower(strings.TrimSpace(cleanText(email)))).Take(&acct).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, E(CodeAccountNotFound, "err.account.emailNotFound", "Email", email)
	}
	return &acct, err
}

// Account finds an account by UIN.
func (s *AccountStore) Account(ctx context.Context, id string) (*Account, error) {
	var acct Account
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&acct).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, E(CodeAccountNotFound, "err.account.notFound", "ID", id)
	}
	return &acct, err
}
