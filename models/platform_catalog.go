package models

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// CommonImageInput is an operator's new common image; SizeGiB is the text
// typed in the form.
type CommonImageInput struct {
	Name, OsName, Platform, Arch, SizeGiB string
	CloudInit                             bool
}

// MaxCommonImageGiB bounds a common image's system disk.
const MaxCommonImageGiB = 1024

// validate checks and normalises the input and returns the parsed size.
func (in *CommonImageInput) validate() (int, error) {
	in.Name = strings.TrimSpace(cleanText(in.Name))
	in.OsName = strings.TrimSpace(cleanText(in.OsName))
	if in.OsName == "" {
		in.OsName = in.Name
	}
	switch {
	case in.Name == "":
		return 0, FieldE("name", CodeMissingParameter, "err.platform.nameMissing")
	case len([]rune(in.Name)) > MaxImageName:
		return 0, FieldE("name", CodeTooLarge, "err.platform.nameTooLong", "Max", MaxImageName)
	case len([]rune(in.OsName)) > 128:
		return 0, FieldE("os_name", CodeTooLarge, "err.platform.osNameTooLong", "Max", 128)
	case !slices.Contains(Platforms, in.Platform):
		return 0, FieldE("platform", CodeInvalidParameterValue, "err.platform.platformInvalid")
	case !slices.Contains([]string{ArchX86, ArchARM, ArchI386}, in.Arch):
		return 0, FieldE("arch", CodeInvalidParameterValue, "err.platform.archInvalid")
	}
	size, err := strconv.Atoi(strings.TrimSpace(in.SizeGiB))
	if err != nil || size < 1 || size > MaxCommonImageGiB {
		return 0, FieldE("size", CodeRange, "err.platform.sizeRange", "Max", MaxCommonImageGiB)
	}
	return size, nil
}

// commonAudit is what the audit log keeps of a common image.
func commonAudit(img *Image) map[string]any {
	return map[string]any{"name": img.Name, "platform": img.Platform, "arch": img.Arch, "state": img.State, "deprecated": img.Deprecated}
}

// AddCommonImage adds an official image to the common catalog (operators
// only). Common image names are unique; a Windows image carries the
// overseas license fee (R7).
func (s *PlatformStore) AddCommonImage(ctx context.Context, a Actor, in CommonImageInput) (*Image, error) {
	var img Image
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if _, err := requireRole(tx, a, RoleOperator); err != nil {
			return err
		}
		size, err := in.validate()
		if err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&Image{}).Where("type = ? AND name = ?", TypePublic, in.Name).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return FieldE("name", CodeImageNameDuplicate, "err.platform.nameTaken", "Name", in.Name)
		}
		img = Image{ID: NewID("img"), Type: TypePublic, Name: in.Name, OsName: in.OsName, Platform: in.Platform, Arch: in.Arch,
			SizeGiB: size, State: StateNormal, Progress: 100, Source: SourceOfficial, CloudInit: in.CloudInit,
			License: LicenseTencentCloud, BillingKind: billingForImport(in.Platform, LicenseTencentCloud), CreatedAt: s.now()}
		if err := tx.Create(&img).Error; err != nil {
			return err
		}
		return s.audit(tx, a, AuditAddCommonImage, img.ID, nil, commonAudit(&img))
	})
	if err != nil {
		return nil, err
	}
	return &img, nil
}

// commonForOperator checks that the actor is an operator and locks the
// common image they change; a retired one is refused, as it no longer takes
// part in anything.
func commonForOperator(tx *gorm.DB, a Actor, id string) (*Image, error) {
	if _, err := requireRole(tx, a, RoleOperator); err != nil {
		return nil, err
	}
	if !ValidID("img", id) {
		return nil, E(CodeInvalidImageIDMalformed, "err.platform.imageIDMalformed", "ID", quote(id))
	}
	img, err := lockImage(tx, id)
	if err != nil {
		return nil, err
	}
	if img.Type != TypePublic {
		return nil, E(CodeUnsupportedOperation, "err.platform.notCommon", "ID", id)
	}
	if img.State != StateNormal {
		return nil, E(CodeInvalidImageIDState, "err.platform.retired", "ID", id, "State", img.State)
	}
	return img, nil
}

// SetCommonImageDeprecated deprecates a common image, or brings it back
// (operators only). A deprecated image leaves the lists but stays
// launchable by ID, as users expect from other clouds; asking for the state
// it already has is refused, so the audit log holds only real changes.
func (s *PlatformStore) SetCommonImageDeprecated(ctx context.Context, a Actor, id string, deprecated bool) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		img, err := commonForOperator(tx, a, id)
		if err != nil {
			return err
		}
		if img.Deprecated == deprecated {
			return E(CodeInvalidImageIDState, map[bool]string{true: "err.platform.alreadyDeprecated", false: "err.platform.alreadyListed"}[deprecated], "ID", id)
		}
		before := commonAudit(img)
		if err := tx.Model(img).Update("deprecated", deprecated).Error; err != nil {
			return err
		}
		img.Deprecated = deprecated
		action := AuditDeprecateImage
		if !deprecated {
			action = AuditUndeprecateImage
		}
		return s.audit(tx, a, action, id, before, commonAudit(img))
	})
}

// RetireCommonImage takes a common image out of service (operators only):
// OFFLINE, never listed and never launched again; instances already
// running keep running.
func (s *PlatformStore) RetireCommonImage(ctx context.Context, a Actor, id string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		img, err := commonForOperator(tx, a, id)
		if err != nil {
			return err
		}
		before := commonAudit(img)
		if err := tx.Model(img).Update("state", StateOffline).Error; err != nil {
			return err
		}
		img.State = StateOffline
		return s.audit(tx, a, AuditRetireImage, id, before, commonAudit(img))
	})
}

// CatalogPage is a page of the whole common catalog, retired and
// deprecated images included, by name.
type CatalogPage struct {
	Rows       []Image
	Total      int64
	Page, Size int
}

// CommonCatalog lists every common image for the operator's catalog page.
func (s *PlatformStore) CommonCatalog(ctx context.Context, a Actor, page, size int) (CatalogPage, error) {
	out := CatalogPage{}
	out.Page, out.Size = clampPage(page, size)
	db := s.db.WithContext(ctx)
	if _, err := requireRole(db, a, RoleOperator); err != nil {
		return out, err
	}
	q := db.Model(&Image{}).Where("type = ?", TypePublic)
	if err := q.Count(&out.Total).Error; err != nil {
		return out, err
	}
	err := q.Order("name, id").Offset((out.Page - 1) * out.Size).Limit(out.Size).Find(&out.Rows).Error
	return out, err
}
