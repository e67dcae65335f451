package models

import (
	"context"

	"gorm.io/gorm"
)

// ImageAttributes are the attributes ModifyImageAttribute may change; nil
// leaves one as it is.
type ImageAttributes struct {
	Name        *string
	Description *string
	// Family moves the image into a family; "" takes it out of its family.
	Family *string
	// Deprecated withdraws the image from its family (and back): it stays
	// listed and launchable by ID, as a deprecated common image does.
	Deprecated *bool
}

// ModifyImage renames or re-describes a custom image; nil leaves a field as it is.
func (s *ImageStore) ModifyImage(ctx context.Context, a Actor, region, id string, name, description *string) error {
	return s.ModifyImageAttributes(ctx, a, region, id, ImageAttributes{Name: name, Description: description})
}

// ModifyImageAttributes changes the attributes of a custom image the actor
// owns (R5: a recipient may not), as one counted operation (R2).
func (s *ImageStore) ModifyImageAttributes(ctx context.Context, a Actor, region, id string, at ImageAttributes) error {
	in := ImageInput{Region: region, Name: "unchanged"}
	if at.Name != nil {
		in.Name = *at.Name
	}
	if at.Description != nil {
		in.Description = *at.Description
	}
	if at.Family != nil {
		in.Family = *at.Family
	}
	return s.counted(ctx, a, region, ActionModifyImageAttribute, []string{id}, func(tx *gorm.DB, _ Limits) error {
		if err := in.validate(); err != nil {
			return err
		}
		img, err := imageFor(tx, a, region, id, OpModify)
		if err != nil {
			return err
		}
		set := map[string]any{}
		if at.Name != nil {
			if err := checkNameFree(tx, a.AccountID, region, in.Name, img.ID); err != nil {
				return err
			}
			set["name"] = in.Name
		}
		if at.Description != nil {
			set["description"] = in.Description
		}
		if at.Family != nil {
			set["family"] = in.Family
		}
		if at.Deprecated != nil {
			set["deprecated"] = *at.Deprecated
		}
		if len(set) == 0 {
			return FieldE("name", CodeMissingParameter, "err.images.modify.nothing")
		}
		return duplicateName(tx.Model(img).Updates(set).Error, in.Name, region)
	})
}
