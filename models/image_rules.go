package models

import "gorm.io/gorm"

// ImageOp is something an account may ask to do with an image.
type ImageOp string

// The operations Image.Check rules on.
const (
	OpLaunch  ImageOp = "launch"
	OpModify  ImageOp = "modify"
	OpDelete  ImageOp = "delete"
	OpShare   ImageOp = "share"
	OpUnshare ImageOp = "unshare"
	OpSync    ImageOp = "sync"
	OpPublish ImageOp = "publish"
)

// Check says whether accountID may do op with the image now: nil, or the
// coded error the store method for op returns. The store methods call it
// on the row they locked, and the console calls it to enable a button or
// say why it is off, so both faces give the same answer.
//
// The image is either a row as stored or as visibleImage returns it to a
// recipient (type SHARED_IMAGE): both are told apart by owner.
func (i *Image) Check(op ImageOp, accountID string) error {
	if op == OpLaunch {
		return i.checkState(op)
	}
	if err := i.checkOwner(op, accountID); err != nil {
		return err
	}
	switch op {
	case OpDelete:
		// A busy image has a task still writing it; a shared one is in
		// use by others, who must lose it explicitly first (R6).
		if i.Busy() {
			return E(CodeInvalidImageIDState, "err.images.delete.busy", "ID", i.ID, "State", i.State)
		}
		if i.ShareCount > 0 {
			return E(CodeInvalidImageIDInShared, "err.images.delete.shared", "ID", i.ID, "Count", i.ShareCount)
		}
	case OpSync:
		if source, _ := LookupRegion(i.Region); syncSourceRefusal(source) != nil {
			return syncSourceRefusal(source)
		}
		return i.checkState(op)
	case OpShare:
		return i.checkState(op)
	case OpPublish:
		if err := i.checkState(op); err != nil {
			return err
		}
		// An image made from a market image carries another provider's
		// software, which only that provider may sell.
		if i.BillingKind == BillingMarket {
			return E(CodeUnsupportedOperation, "err.images.publish.marketBase", "ID", i.ID)
		}
	}
	return nil
}

// checkOwner keeps every operation but launching to the owner of a custom
// image (R5). A recipient learns the image is shared with it, with the
// code of the operation; a common or market image is nobody's to change.
func (i *Image) checkOwner(op ImageOp, accountID string) error {
	if !i.Custom() && i.Type != TypeShared {
		return E(CodeNotBelongToAccount, "err.images.owner.notCustom", "ID", i.ID)
	}
	if i.Type != TypeShared && i.OwnerID == accountID {
		return nil
	}
	code := CodeNotBelongToAccount
	switch op {
	case OpModify:
		code = CodeSharedImageModify
	case OpDelete:
		code = CodeImageIsShared
	}
	return E(code, "err.images.owner.sharedWithYou", "ID", i.ID, "Owner", i.OwnerID)
}

// checkState admits only finished images: one still being made, or one
// that failed, has no content to launch, copy, share or sell.
func (i *Image) checkState(op ImageOp) error {
	if i.State == StateNormal {
		return nil
	}
	switch op {
	case OpLaunch:
		return E(CodeInvalidImageIDState, "err.images.state.launch", "ID", i.ID, "State", i.State)
	case OpShare:
		return E(CodeInvalidImageIDState, "err.images.state.share", "ID", i.ID, "State", i.State)
	case OpSync:
		return E(CodeInvalidImageIDState, "err.images.state.sync", "ID", i.ID, "State", i.State)
	case OpPublish:
		return E(CodeInvalidImageIDState, "err.images.state.publish", "ID", i.ID, "State", i.State)
	}
	return E(CodeInvalidImageIDState, "err.images.state.other", "ID", i.ID, "State", i.State)
}

// Warning is what an account must be told before trusting the image, or "":
// the text of SharedWarning, which the launch asks to be accepted.
func (i *Image) Warning() string {
	if w := i.SharedWarning(); w != nil {
		return w.Text
	}
	return ""
}

// visibleFor loads image id as the actor sees it in region and checks op
// on it: what a read that serves one operation needs.
func visibleFor(tx *gorm.DB, a Actor, region, id string, op ImageOp) (*Image, error) {
	img, err := visibleImage(tx, a.AccountID, region, id)
	if err != nil {
		return nil, err
	}
	if err := img.Check(op, a.AccountID); err != nil {
		return nil, err
	}
	return img, nil
}

// imageFor is visibleFor for a write: it then re-reads the image locked
// until the transaction ends and checks again, so the decision is made on
// a state no other writer can change before the commit. An image op is
// refused on is never locked.
func imageFor(tx *gorm.DB, a Actor, region, id string, op ImageOp) (*Image, error) {
	img, err := visibleFor(tx, a, region, id, op)
	if err != nil {
		return nil, err
	}
	if img, err = lockImage(tx, img.ID); err != nil {
		return nil, err
	}
	if err := img.Check(op, a.AccountID); err != nil {
		return nil, err
	}
	return img, nil
}
