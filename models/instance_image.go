package models

import "gorm.io/gorm"

// LaunchWarning is a risk the user must accept before instances start from
// an image: the console shows it with a checkbox, and RunInstances refuses
// the launch until LaunchInput.AcknowledgeShared says it was accepted.
type LaunchWarning struct {
	// SharedBy is the account that shared the image.
	SharedBy string
	// Text states the risk in plain words.
	Text string
}

// SharedWarning is the warning a launch from the image needs, nil if none.
// A shared image is another account's work that the platform never
// reviewed, unlike common images (tested by the platform) and market
// images (reviewed by an operator).
func (i *Image) SharedWarning() *LaunchWarning {
	if i.Type != TypeShared {
		return nil
	}
	return &LaunchWarning{SharedBy: i.OwnerID, Text: "This image is shared by account " + i.OwnerID +
		" and has not been reviewed by the platform. Images shared by other users may carry security risks: do not accept images from unknown sources."}
}

// errNotAcknowledged refuses a launch from a shared image whose warning the
// user has not accepted.
func errNotAcknowledged(img *Image) error {
	return FieldE("ack_shared", CodeSharedImageAck, "err.instances.shared_ack", "ID", img.ID, "Owner", img.OwnerID)
}

// Installable reports whether instances can start from the image: only a
// finished image has a disk to install.
func (i *Image) Installable() bool { return i.State == StateNormal }

// CanInstall reports whether a reinstall of the instance accepts img, as
// far as the image row tells (installableImage also checks visibility and a
// market image's regions): the console offers only those images.
func (in *Instance) CanInstall(img *Image) bool {
	it, _ := LookupInstanceType(in.Type)
	return img.Installable() && it.CanRun(img.Arch)
}

// installableImage loads the image an instance of type it in region is
// launched or reinstalled from, and checks that it can be: visible to the
// account in that region (a cancelled share is not found), offered there
// (a market image's regions), NORMAL, and built for an architecture the
// type runs. Launch and reset both use it, so the same image is refused
// with the same code either way. archField names the input the user changes
// to fix an architecture mismatch: the type when launching, the image when
// reinstalling.
func installableImage(tx *gorm.DB, accountID, region string, it InstanceType, imageID, archField string) (*Image, error) {
	img, err := visibleImage(tx, accountID, region, imageID)
	if err != nil {
		return nil, err
	}
	if !img.Installable() {
		return nil, FieldE("image", CodeInvalidImageIDState, "err.instances.image_state", "ID", img.ID, "State", img.State)
	}
	if err := checkMarketRegion(tx, img, region); err != nil {
		return nil, err
	}
	if !it.CanRun(img.Arch) {
		return nil, FieldE(archField, CodeInvalidImageForType, "err.instances.image_arch", "ID", img.ID, "Arch", img.Arch, "Type", it.Type)
	}
	return img, nil
}
