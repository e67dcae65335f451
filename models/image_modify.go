package models

import (
	"context"

	"gorm.io/gorm"
)

// ModifyImage renames or re-describes a custom image; nil leaves a field as it is.
func (s *ImageStore) ModifyImage(ctx context.Context, a Actor, region, id string, name, description *string) error {
	in := ImageInput{Region: region, Name: "unchanged"}
	if name != nil {
		in.Name = *name
	}
	if description != nil {
		in.Description = *description
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
		if name != nil {
			if err := checkNameFree(tx, a.AccountID, region, in.Name, img.ID); err != nil {
				return err
			}
			set["name"] = in.Name
		}
		if description != nil {
			set["description"] = in.Description
		}
		if len(set) == 0 {
			return fieldErr("name", CodeMissingParameter, "Give a new name or description.")
		}
		return duplicateName(tx.Model(img).Updates(set).Error, in.Name, region)
	})
}
