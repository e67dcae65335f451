package models

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
	"golang.org/x/crypto/bcrypt"
)

// Password rules for new and changed passwords (OWASP ASVS 4.0 V2.1, level
// 2). Existing passwords are only compared at sign-in, so accounts made
// under older rules keep working until their owners change them.
const (
	// MinPasswordChars is ASVS 2.1.1: at least 12 characters (runes, so a
	// passphrase in any script counts the same).
	MinPasswordChars = 12
	// minPasswordGuesses refuses what zxcvbn estimates an attacker finds in
	// fewer than a million guesses: its score 0 and 1, "very guessable,
	// protection only from throttled online attacks". That is every entry
	// of its list of the 30,000 most common leaked passwords (xato, with
	// the RockYou and other breach corpora behind it), dictionary words,
	// names, keyboard walks, repeats and sequences, and their l33t and
	// digit-suffixed variants (ASVS 2.1.7).
	minPasswordGuesses = 1e6
)

// checkPasswordLength applies the cheap rules to a password being set;
// field names the form field to blame.
func checkPasswordLength(field, password string) error {
	switch {
	case utf8.RuneCountInString(password) < MinPasswordChars:
		return FieldE(field, CodeInvalidParameterValue, "err.password.tooShort", "Min", MinPasswordChars)
	case len(password) > maxPasswordBytes:
		return FieldE(field, CodeInvalidParameterValue, "err.password.tooLong", "Max", maxPasswordBytes)
	case !utf8.ValidString(password):
		return FieldE(field, CodeInvalidParameterValue, "err.password.notText")
	}
	return nil
}

// checkGuessable refuses a password zxcvbn finds too easy to guess. inputs
// are words of the account (its email and name) that make a password
// guessable to someone who knows the account. The estimate costs tens of
// milliseconds of CPU, like bcrypt, so it runs under the same limiter.
func (s *core) checkGuessable(ctx context.Context, field, password string, inputs ...string) error {
	if err := checkPasswordLength(field, password); err != nil {
		return err
	}
	var words []string
	for _, in := range inputs {
		words = append(words, strings.FieldsFunc(strings.ToLower(in), func(r rune) bool { return strings.ContainsRune("@.+-_ ", r) })...)
	}
	release, err := s.Hashing.Acquire(ctx)
	if err != nil {
		return err
	}
	defer release()
	if zxcvbn.PasswordStrength(password, words).Guesses < minPasswordGuesses {
		return FieldE(field, CodeInvalidParameterValue, "err.password.guessable")
	}
	return nil
}

// CodeHashBusy answers a sign-in, sign-up or password change while every
// password-hashing slot stays busy: the client may try again in a moment.
const CodeHashBusy = "RequestLimitExceeded"

// ErrHashBusy is returned when no hashing slot frees up in time.
var ErrHashBusy = E(CodeHashBusy, "err.password.hashBusy")

// HashLimiter bounds how many bcrypt computations run at once. bcrypt is
// deliberately slow (tens of milliseconds of one core each); without a
// bound, a burst of sign-ins queues for the CPU with every other request
// and all of them wait. With one, a burst waits here, and a request that
// cannot get a slot within Wait is told to try again instead of waiting.
type HashLimiter struct {
	slots chan struct{}
	// Wait is the longest a request waits for a slot.
	Wait time.Duration
}

// NewHashLimiter allows n computations at once.
func NewHashLimiter(n int, wait time.Duration) *HashLimiter {
	return &HashLimiter{slots: make(chan struct{}, max(n, 1)), Wait: wait}
}

// Acquire takes a slot, waiting at most l.Wait; release gives it back.
func (l *HashLimiter) Acquire(ctx context.Context) (release func(), err error) {
	select {
	case l.slots <- struct{}{}:
		return func() { <-l.slots }, nil
	default:
	}
	t := time.NewTimer(l.Wait)
	defer t.Stop()
	select {
	case l.slots <- struct{}{}:
		return func() { <-l.slots }, nil
	case <-t.C:
		return nil, ErrHashBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// hashPassword is bcrypt.GenerateFromPassword under the limiter.
func (s *core) hashPassword(ctx context.Context, password string) ([]byte, error) {
	release, err := s.Hashing.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	return bcrypt.GenerateFromPassword([]byte(password), s.PasswordCost)
}

// passwordMatches is bcrypt.CompareHashAndPassword under the limiter.
func (s *core) passwordMatches(ctx context.Context, hash []byte, password string) (bool, error) {
	release, err := s.Hashing.Acquire(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	return len(password) <= maxPasswordBytes && bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil, nil
}
