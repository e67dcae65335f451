package models

import (
	"context"
	"encoding/base64"
	"unicode/utf8"

	"gorm.io/gorm"
)

// maxRenamedInstance bounds a name given to an existing instance: the
// SDK's ModifyInstancesAttribute takes at most 60 characters (a launch,
// whose patterns expand, takes 128).
const maxRenamedInstance = 60

// InstanceAttributes are the attributes ModifyInstancesAttribute changes;
// nil leaves one as it is. SecurityGroupIDs replaces the groups.
type InstanceAttributes struct {
	Name                  *string
	HostName              *string
	UserData              *string
	CamRoleName           *string
	SecurityGroupIDs      []string
	DisableAPITermination *bool
}

// ModifyInstancesAttribute changes attributes of the instances, all or
// none, in one transaction: the name, host name, user data, role, security
// groups and termination protection.
func (s *InstanceStore) ModifyInstancesAttribute(ctx context.Context, a Actor, region string, ids []string, attrs InstanceAttributes) error {
	if len(ids) == 0 {
		return FieldE("instance_ids", CodeMissingParameter, "err.instances.ids_missing")
	}
	if len(ids) > MaxPageSize {
		return E(CodeValueLimitExceeded, "err.instances.ids_limit")
	}
	set := map[string]any{"latest_operation": "ModifyInstancesAttribute", "latest_operation_state": "SUCCESS",
		"latest_operation_request_id": a.RequestID, "latest_operation_error_msg": ""}
	if attrs.Name != nil {
		name := cleanText(*attrs.Name)
		if utf8.RuneCountInString(name) > maxRenamedInstance {
			return FieldE("name", CodeInstanceNameTooLong, "err.instances.rename_too_long", "Max", maxRenamedInstance)
		}
		set["name"] = name
	}
	if attrs.UserData != nil {
		if len(*attrs.UserData) > maxUserData {
			return FieldE("user_data", CodeTooLarge, "err.instances.user_data_size", "Max", maxUserData)
		}
		if _, err := base64.StdEncoding.DecodeString(*attrs.UserData); err != nil {
			return FieldE("user_data", CodeUserDataFormat, "err.instances.user_data_base64")
		}
		set["user_data"] = *attrs.UserData
	}
	if attrs.CamRoleName != nil {
		set["cam_role_name"] = *attrs.CamRoleName
	}
	if attrs.DisableAPITermination != nil {
		set["disable_api_termination"] = *attrs.DisableAPITermination
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		for _, id := range dedupe(ids) {
			in, err := ownInstance(forUpdate(tx), a.AccountID, id)
			if err != nil {
				return err
			}
			if in.Region != region {
				return errInstanceNotFound(id)
			}
			if attrs.HostName != nil {
				if err := checkHostName(*attrs.HostName, in.Platform == "Windows"); err != nil {
					return err
				}
				set["host_name"] = *attrs.HostName
			}
			if attrs.SecurityGroupIDs != nil {
				if err := tx.Where("instance_id = ?", in.ID).Delete(&InstanceSecurityGroup{}).Error; err != nil {
					return err
				}
				if err := attachSecurityGroupsAs(tx, a, in, attrs.SecurityGroupIDs, launchRefSecurityGroup); err != nil {
					return err
				}
			}
			if err := tx.Model(in).Updates(set).Error; err != nil {
				return err
			}
		}
		return nil
	})
}
