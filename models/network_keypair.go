package models

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"strconv"
	"strings"

	"golang.org/x/crypto/ssh"
	"gorm.io/gorm"
)

// Codes of key pairs, as the CVM SDK spells them.
const (
	CodeKeyPairNotFound      = "InvalidKeyPairId.NotFound"
	CodeKeyPairMalformed     = "InvalidKeyPairId.Malformed"
	CodeKeyPairNameDuplicate = "InvalidKeyPairName.Duplicate"
	CodeKeyPairNameEmpty     = "InvalidKeyPairNameEmpty"
	CodeKeyPairNameIllegal   = "InvalidKeyPairNameIncludeIllegalChar"
	CodeKeyPairNameTooLong   = "InvalidKeyPairNameTooLong"
	CodeKeyPairLimit         = "InvalidKeyPair.LimitExceeded"
	CodePublicKeyDuplicate   = "InvalidPublicKey.Duplicate"
	CodePublicKeyMalformed   = "InvalidPublicKey.Malformed"
	// CodeKeyPairInUse refuses to delete a key an instance uses; the CVM
	// SDK lists it among DeleteKeyPairs' codes for a key that cannot go.
	CodeKeyPairInUse = "InvalidParameterValue.KeyPairNotSupported"
	// CodeKeyPairWindows: Windows instances log in with passwords only.
	CodeKeyPairWindows = "UnsupportedOperation.InstanceOsWindows"
)

// Key pair limits.
const (
	MaxKeyPairs       = 100 // per account per region
	maxKeyPairName    = 25
	maxKeyDescription = 60
	maxPublicKey      = 16 << 10
)

// ownKeyPair loads a key pair of the account in the region.
func ownKeyPair(tx *gorm.DB, a Actor, region, id string) (*KeyPair, error) {
	return own[KeyPair](tx, a, region, refKeyPair, id)
}

// checkKeyPairName: 1 to 25 letters, digits and underscores.
func checkKeyPairName(name string) error {
	switch {
	case name == "":
		return fieldErr("name", CodeKeyPairNameEmpty, "Enter a name.")
	case len(name) > maxKeyPairName:
		return fieldErr("name", CodeKeyPairNameTooLong, "The name is longer than 25 characters.")
	}
	for _, c := range name {
		if !(c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return fieldErr("name", CodeKeyPairNameIllegal, "A name holds only letters, digits and underscores.")
		}
	}
	return nil
}

// KeyPairInput is a key pair to create (PublicKey empty: generate one) or
// import.
type KeyPairInput struct {
	Name        string
	Description string
	PublicKey   string
	ProjectID   int64
}

// CreateKeyPair generates an Ed25519 key pair and keeps its public half.
// The private key (OpenSSH PEM) is returned here and never again.
func (s *NetworkStore) CreateKeyPair(ctx context.Context, a Actor, region string, in KeyPairInput) (kp *KeyPair, privateKey string, err error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, "", err
	}
	block, err := ssh.MarshalPrivateKey(priv, in.Name)
	if err != nil {
		return nil, "", err
	}
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		return nil, "", err
	}
	in.PublicKey = strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sshPub)))
	kp, err = s.addKeyPair(ctx, a, region, in)
	if err != nil {
		return nil, "", err
	}
	return kp, string(pem.EncodeToMemory(block)), nil
}

// ImportKeyPair keeps an existing OpenSSH public key ("ssh-ed25519 AAAA…
// comment" or an RSA/ECDSA one).
func (s *NetworkStore) ImportKeyPair(ctx context.Context, a Actor, region string, in KeyPairInput) (*KeyPair, error) {
	if len(in.PublicKey) > maxPublicKey {
		return nil, fieldErr("public_key", CodePublicKeyMalformed, "The public key is too long.")
	}
	parsed, comment, _, rest, err := ssh.ParseAuthorizedKey([]byte(in.PublicKey))
	if err != nil || len(bytes.TrimSpace(rest)) > 0 {
		return nil, fieldErr("public_key", CodePublicKeyMalformed, "The public key is not an OpenSSH public key (a line such as ssh-ed25519 AAAA… user@host).")
	}
	in.PublicKey = strings.TrimSpace(string(ssh.MarshalAuthorizedKey(parsed)))
	if comment = cleanText(strings.TrimSpace(comment)); comment != "" {
		in.PublicKey += " " + comment
	}
	return s.addKeyPair(ctx, a, region, in)
}

// addKeyPair checks and writes a new key pair: unique name and unique key
// per account and region, at most MaxKeyPairs.
func (s *NetworkStore) addKeyPair(ctx context.Context, a Actor, region string, in KeyPairInput) (*KeyPair, error) {
	if err := checkKeyPairName(in.Name); err != nil {
		return nil, err
	}
	if len([]rune(in.Description)) > maxKeyDescription {
		return nil, fieldErr("description", CodeInvalidParameterValue, "The description is longer than 60 characters.")
	}
	kp := &KeyPair{ID: NewID("skey"), OwnerID: a.AccountID, Region: region, Name: in.Name, Description: cleanText(in.Description),
		PublicKey: in.PublicKey, ProjectID: in.ProjectID, CreatedAt: s.now()}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockAccount(tx, a.AccountID); err != nil {
			return err
		}
		var mine []KeyPair
		if err := tx.Where("owner_id = ? AND region = ?", a.AccountID, region).Find(&mine).Error; err != nil {
			return err
		}
		if len(mine) >= MaxKeyPairs {
			return Errorf(CodeKeyPairLimit, "An account holds at most %d key pairs per region.", MaxKeyPairs)
		}
		body := keyBody(kp.PublicKey)
		for _, k := range mine {
			if k.Name == kp.Name {
				return fieldErr("name", CodeKeyPairNameDuplicate, "A key pair named "+quote(kp.Name)+" exists already.")
			}
			if keyBody(k.PublicKey) == body {
				return fieldErr("public_key", CodePublicKeyDuplicate, "This public key is key pair "+k.ID+" already.")
			}
		}
		return tx.Create(kp).Error
	})
	if err != nil {
		return nil, err
	}
	return kp, nil
}

// keyBody is a public key without its comment: two keys are the same key
// whatever they are called.
func keyBody(pub string) string {
	f := strings.Fields(pub)
	if len(f) < 2 {
		return pub
	}
	return f[0] + " " + f[1]
}

// DeleteKeyPairs deletes key pairs, all or none; a key an instance uses is
// refused.
func (s *NetworkStore) DeleteKeyPairs(ctx context.Context, a Actor, region string, ids []string) error {
	if len(ids) == 0 {
		return fieldErr("key_id", CodeMissingParameter, "Name at least one key pair.")
	}
	if len(ids) > MaxListItems {
		return Errorf(CodeKeyPairLimit, "At most %d key pairs per request.", MaxListItems)
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		for _, id := range dedupe(ids) {
			kp, err := ownKeyPair(forUpdate(tx), a, region, id)
			if err != nil {
				return err
			}
			if err := refuseInUse(tx, &InstanceKeyPair{}, "key_id", kp.ID,
				Errorf(CodeKeyPairInUse, "Key pair %s is used by an instance; disassociate it first.", kp.ID)); err != nil {
				return err
			}
			if err := tx.Where("key_id = ?", kp.ID).Delete(&InstanceKeyPair{}).Error; err != nil {
				return err
			}
			if err := tx.Delete(kp).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// KeyPairs lists the account's key pairs in the region with the instances
// using each. Filters: key-id, key-name, project-id.
func (s *NetworkStore) KeyPairs(ctx context.Context, a Actor, region string, q NetworkQuery) ([]KeyPair, int64, error) {
	var out []KeyPair
	var total int64
	// project-id is a number: its values are matched as numbers, the
	// other filters as text.
	var projects []int64
	var textFilters []Filter
	for _, f := range q.Filters {
		if f.Name != "project-id" {
			textFilters = append(textFilters, f)
			continue
		}
		for _, v := range f.Values {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, 0, &Error{Code: CodeInvalidParameterValue, Field: f.Name, Message: "The filter project-id takes project numbers; " + quote(v) + " is not one."}
			}
			projects = append(projects, n)
		}
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := ValidateFilters(q.Filters, func(name string) bool {
			return name == "key-id" || name == "key-name" || name == "project-id"
		}); err != nil {
			return err
		}
		text := q
		text.Filters = textFilters
		base, err := text.filtered(tx.Model(&KeyPair{}).Where("owner_id = ? AND region = ?", a.AccountID, region),
			map[string]string{"key-id": "id", "key-name": "name"})
		if err != nil {
			return err
		}
		if projects != nil {
			base = base.Where("project_id IN ?", projects)
		}
		if err := base.Session(&gorm.Session{}).Count(&total).Error; err != nil {
			return err
		}
		paged, err := q.page(base)
		if err != nil {
			return err
		}
		if err := paged.Order("created_at, id").Find(&out).Error; err != nil {
			return err
		}
		for i := range out {
			if out[i].AssociatedInstanceIDs, err = usersOf(tx, &InstanceKeyPair{}, "key_id", out[i].ID); err != nil {
				return err
			}
		}
		return nil
	})
	return out, total, err
}

// KeyPair returns one key pair of the account with the instances using it.
func (s *NetworkStore) KeyPair(ctx context.Context, a Actor, region, id string) (*KeyPair, error) {
	var kp *KeyPair
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if kp, err = ownKeyPair(tx, a, region, id); err != nil {
			return err
		}
		kp.AssociatedInstanceIDs, err = usersOf(tx, &InstanceKeyPair{}, "key_id", kp.ID)
		return err
	})
	return kp, err
}

// AssociateKeyPairs lets the key pairs log in to the instances (every pair
// with every instance), all or nothing. The launch calls it in its own
// transaction through associateKeyPairs.
func (s *NetworkStore) AssociateKeyPairs(ctx context.Context, a Actor, region string, keyIDs, instanceIDs []string) error {
	return s.tx(ctx, func(tx *gorm.DB) error { return associateKeyPairs(tx, a, region, keyIDs, instanceIDs, true) })
}

// DisassociateKeyPairs removes the key pairs from the instances.
func (s *NetworkStore) DisassociateKeyPairs(ctx context.Context, a Actor, region string, keyIDs, instanceIDs []string) error {
	return s.tx(ctx, func(tx *gorm.DB) error { return associateKeyPairs(tx, a, region, keyIDs, instanceIDs, false) })
}

func associateKeyPairs(tx *gorm.DB, a Actor, region string, keyIDs, instanceIDs []string, add bool) error {
	if len(keyIDs) == 0 {
		return fieldErr("key_id", CodeMissingParameter, "Name at least one key pair.")
	}
	if len(instanceIDs) == 0 {
		return fieldErr("instance_id", CodeMissingParameter, "Name at least one instance.")
	}
	if len(keyIDs) > MaxListItems || len(instanceIDs) > MaxListItems {
		return Errorf(CodeValueLimitExceeded, "At most %d key pairs and %d instances per request.", MaxListItems, MaxListItems)
	}
	var keys []*KeyPair
	for _, id := range dedupe(keyIDs) {
		kp, err := ownKeyPair(forUpdate(tx), a, region, id)
		if err != nil {
			return err
		}
		keys = append(keys, kp)
	}
	for _, id := range dedupe(instanceIDs) {
		in, err := ownInstance(tx, a.AccountID, id)
		if err != nil {
			return err
		}
		if in.Region != region {
			return errInstanceNotFound(id)
		}
		if add && in.Platform == "Windows" {
			return Errorf(CodeKeyPairWindows, "Instance %s runs Windows, which logs in with a password, not a key pair.", in.ID)
		}
		for _, kp := range keys {
			row := &InstanceKeyPair{InstanceID: in.ID, KeyID: kp.ID}
			if add {
				err = tx.Save(row).Error
			} else {
				err = tx.Where("instance_id = ? AND key_id = ?", in.ID, kp.ID).Delete(&InstanceKeyPair{}).Error
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}
