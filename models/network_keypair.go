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
		return FieldE("name", CodeKeyPairNameEmpty, "err.network.name_empty")
	case len(name) > maxKeyPairName:
		return FieldE("name", CodeKeyPairNameTooLong, "err.network.key_name_too_long", "Max", maxKeyPairName)
	}
	for _, c := range name {
		if !(c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return FieldE("name", CodeKeyPairNameIllegal, "err.network.key_name_illegal")
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
		return nil, FieldE("public_key", CodePublicKeyMalformed, "err.network.public_key_too_long")
	}
	parsed, comment, _, rest, err := ssh.ParseAuthorizedKey([]byte(in.PublicKey))
	if err != nil || len(bytes.TrimSpace(rest)) > 0 {
		return nil, FieldE("public_key", CodePublicKeyMalformed, "err.network.public_key_malformed")
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
		return nil, FieldE("description", CodeInvalidParameterValue, "err.network.description_too_long", "Max", maxKeyDescription)
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
			return E(CodeKeyPairLimit, "err.network.key_pair_limit", "Max", MaxKeyPairs)
		}
		body := keyBody(kp.PublicKey)
		for _, k := range mine {
			if k.Name == kp.Name {
				return FieldE("name", CodeKeyPairNameDuplicate, "err.network.key_name_duplicate", "Name", quote(kp.Name))
			}
			if keyBody(k.PublicKey) == body {
				return FieldE("public_key", CodePublicKeyDuplicate, "err.network.public_key_duplicate", "ID", k.ID)
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
		return FieldE("key_id", CodeMissingParameter, "err.network.key_ids_missing")
	}
	if len(ids) > MaxListItems {
		return E(CodeKeyPairLimit, "err.network.key_delete_limit", "Max", MaxListItems)
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		for _, id := range dedupe(ids) {
			kp, err := ownKeyPair(forUpdate(tx), a, region, id)
			if err != nil {
				return err
			}
			if err := refuseInUse(tx, &InstanceKeyPair{}, "key_id", kp.ID,
				E(CodeKeyPairInUse, "err.network.key_in_use", "ID", kp.ID)); err != nil {
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
				return nil, 0, FieldE(f.Name, CodeInvalidParameterValue, "err.network.project_filter", "Value", quote(v))
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

// AssociateKeyPairs binds the key pairs to the instances (every pair with
// every instance), all or nothing, stopping running instances as needed
// (the console's choice): AssociateInstancesKeyPairs with forceStop.
func (s *NetworkStore) AssociateKeyPairs(ctx context.Context, a Actor, region string, keyIDs, instanceIDs []string) error {
	return s.AssociateInstancesKeyPairs(ctx, a, region, keyIDs, instanceIDs, true)
}

// DisassociateKeyPairs unbinds the key pairs, stopping running instances
// as needed.
func (s *NetworkStore) DisassociateKeyPairs(ctx context.Context, a Actor, region string, keyIDs, instanceIDs []string) error {
	return s.DisassociateInstancesKeyPairs(ctx, a, region, keyIDs, instanceIDs, true)
}

// AssociateInstancesKeyPairs binds the key pairs to the instances, which
// then accept logins with those keys only (a key bound before stops
// working, as the cloud's SSH configuration is rewritten). A STOPPED
// instance is bound as it is; a RUNNING one only with forceStop, which
// stops it, binds and starts it again; Windows instances take no keys.
func (s *NetworkStore) AssociateInstancesKeyPairs(ctx context.Context, a Actor, region string, keyIDs, instanceIDs []string, forceStop bool) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		return changeInstanceKeys(tx, a, region, keyIDs, instanceIDs, forceStop, true)
	})
}

// DisassociateInstancesKeyPairs unbinds the key pairs from the instances,
// with the same state rules as AssociateInstancesKeyPairs.
func (s *NetworkStore) DisassociateInstancesKeyPairs(ctx context.Context, a Actor, region string, keyIDs, instanceIDs []string, forceStop bool) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		return changeInstanceKeys(tx, a, region, keyIDs, instanceIDs, forceStop, false)
	})
}

// keyChangeStates are the states a key change accepts: STOPPED, and
// RUNNING when the caller accepts a forced stop and start. The simulated
// stop, rewrite and start take no time, so the instance is back in its
// state when the call returns.
func keyChangeAllowed(in *Instance, forceStop bool) error {
	switch {
	case in.State == InstanceStopped, in.State == InstanceRunning && forceStop:
		return nil
	case in.State == InstanceRunning:
		return E(stateCode(in.State), "err.instances.keys_need_stop", "ID", in.ID)
	}
	return E(stateCode(in.State), "err.instances.state", "ID", in.ID, "State", in.State, "Verb", "change its key pairs",
		"From", orList([]string{InstanceRunning, InstanceStopped}))
}

func changeInstanceKeys(tx *gorm.DB, a Actor, region string, keyIDs, instanceIDs []string, forceStop, add bool) error {
	if len(keyIDs) == 0 {
		return FieldE("key_id", CodeMissingParameter, "err.network.key_ids_missing")
	}
	if len(instanceIDs) == 0 {
		return FieldE("instance_id", CodeMissingParameter, "err.network.instance_ids_missing")
	}
	if len(keyIDs) > MaxListItems || len(instanceIDs) > MaxListItems {
		return E(CodeValueLimitExceeded, "err.network.key_change_limit", "Max", MaxListItems)
	}
	var keys []*KeyPair
	for _, id := range dedupe(keyIDs) {
		kp, err := ownKeyPair(forUpdate(tx), a, region, id)
		if err != nil {
			return err
		}
		keys = append(keys, kp)
	}
	api := "DisassociateInstancesKeyPairs"
	if add {
		api = "AssociateInstancesKeyPairs"
	}
	for _, id := range dedupe(instanceIDs) {
		in, err := ownInstance(forUpdate(tx), a.AccountID, id)
		if err != nil {
			return err
		}
		if in.Region != region {
			return errInstanceNotFound(id)
		}
		if in.Platform == "Windows" {
			return E(CodeKeyPairWindows, "err.network.keys_windows", "ID", in.ID)
		}
		if err := keyChangeAllowed(in, forceStop); err != nil {
			return err
		}
		if add { // the keys bound before stop working
			if err := tx.Where("instance_id = ?", in.ID).Delete(&InstanceKeyPair{}).Error; err != nil {
				return err
			}
		}
		for _, kp := range keys {
			if add {
				err = tx.Save(&InstanceKeyPair{InstanceID: in.ID, KeyID: kp.ID}).Error
			} else {
				err = tx.Where("instance_id = ? AND key_id = ?", in.ID, kp.ID).Delete(&InstanceKeyPair{}).Error
			}
			if err != nil {
				return err
			}
		}
		if err := tx.Model(in).Updates(map[string]any{"latest_operation": api, "latest_operation_state": "SUCCESS",
			"latest_operation_request_id": a.RequestID, "latest_operation_error_msg": ""}).Error; err != nil {
			return err
		}
	}
	return nil
}
