package models

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"imageconsole/models/sqldb"
)

// ImageInput names and describes a new custom image.
type ImageInput struct {
	Region      string
	Name        string
	Description string
	Family      string // the API's ImageFamily; "" for none
	DryRun      bool
}

// validate checks a name and description against the limits of Image (MaxImageName, MaxImageDescription).
func (in *ImageInput) validate() error {
	in.Name = strings.TrimSpace(cleanText(in.Name))
	in.Description = cleanText(in.Description)
	if in.Name == "" {
		return FieldE("name", CodeMissingParameter, "err.images.name.missing")
	}
	if len([]rune(in.Name)) > MaxImageName {
		return FieldE("name", CodeTooLarge, "err.images.name.tooLong", "Max", MaxImageName)
	}
	if len([]rune(in.Description)) > MaxImageDescription {
		return FieldE("description", CodeTooLarge, "err.images.description.tooLong", "Max", MaxImageDescription)
	}
	if err := checkFamily(in.Family); err != nil {
		return err
	}
	if _, ok := LookupRegion(in.Region); !ok {
		return E(CodeInvalidRegionNotFound, "err.images.region.notFound", "Region", in.Region)
	}
	return nil
}

// checkNameFree enforces unique custom image names per account and region.
// The type is written into the SQL, not bound: only a literal lets the
// planners use the partial index idx_images_custom_name, and without it the
// check reads every image the account has in the region.
func checkNameFree(tx *gorm.DB, owner, region, name, exceptID string) error {
	var n int64
	if err := tx.Model(&Image{}).Where("owner_id = ? AND region = ? AND type = '"+TypePrivate+"' AND name = ? AND id <> ?",
		owner, region, name, exceptID).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return FieldE("name", CodeImageNameDuplicate, "err.images.name.duplicate", "Name", name, "Region", region)
	}
	return nil
}

// insertCustomImage writes a new custom image under the R1 hook. Its name
// is checked by the UNIQUE index idx_images_custom_name alone: a read
// before the insert would hold the write lock for as long again as the
// check the index makes anyway. limit is the owner's R1 limit.
func (s *core) insertCustomImage(tx *gorm.DB, img *Image, limit int) error {
	img.ID = NewID("img")
	img.SnapshotID = NewID("snap")
	img.Type = TypePrivate
	img.CreatedAt = s.now()
	img.QuotaLimit = limit
	return duplicateName(tx.Create(img).Error, img.Name, img.Region)
}

// duplicateName reports a UNIQUE violation on the name index as the coded
// error the rule of unique names gives.
func duplicateName(err error, name, region string) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return FieldE("name", CodeImageNameDuplicate, "err.images.name.duplicate", "Name", name, "Region", region)
	}
	return err
}

// lockImage re-reads an image with its row locked until the transaction
// ends (SELECT … FOR UPDATE on PostgreSQL; SQLite's BEGIN IMMEDIATE already
// serializes writers), so checks on its shares and its deletion cannot
// interleave with another transaction's.
func lockImage(tx *gorm.DB, id string) (*Image, error) {
	var locked Image
	err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id).Take(&locked).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errImageNotFound(id) // deleted meanwhile
	}
	return &locked, err
}

// CreateImage makes a custom image from a running or stopped instance. It
// records the instance's image as its base and inherits its billing (R7).
func (s *ImageStore) CreateImage(ctx context.Context, a Actor, instanceID string, in ImageInput) (string, error) {
	var img Image
	// Input checks run inside the counted operation so that their refusals
	// reach the operation log too (operation.go); they never count.
	err := s.counted(ctx, a, in.Region, ActionCreateImage, []string{instanceID}, func(tx *gorm.DB, lim Limits) error {
		if err := in.validate(); err != nil {
			return err
		}
		inst, err := imageSource(tx, a.AccountID, instanceID)
		if err != nil {
			return err
		}
		if inst.Region != in.Region {
			return errInstanceNotFound(instanceID)
		}
		if err := inst.Check(InstanceActionCreateImage); err != nil {
			return err
		}
		img = NewCustomImage(a.AccountID, inst, in)
		if err := s.insertCustomImage(tx, &img, lim.CustomImages); err != nil {
			return err
		}
		if err := s.enqueue(tx, TaskImageCreate, img.ID, s.stepDelay(TaskImageCreate, progressSteps), ""); err != nil {
			return err
		}
		return dryRun(in.DryRun)
	})
	return img.ID, err
}

// NewCustomImage is the row CreateImage writes for an image of inst made
// by owner, before insertCustomImage gives it its ID, type and creation
// time: it copies the instance's system and billing (R7) and records the
// instance's image as its base. cmd/bench inserts the same row as the floor
// CreateImage is measured against.
func NewCustomImage(owner string, inst *Instance, in ImageInput) Image {
	return Image{OwnerID: owner, Region: in.Region, Name: in.Name, Description: in.Description, Family: in.Family, OsName: inst.OsName,
		Platform: inst.Platform, Arch: inst.Arch, SizeGiB: inst.DiskGiB, State: StateCreating, Source: SourceCreate,
		Creator: owner, CloudInit: inst.Platform != "Windows",
		BaseImageID: inst.ImageID, BillingKind: inst.BillingKind, HourlyPrice: inst.HourlyPrice, License: inst.License}
}

// imageSource reads what CreateImage copies from one of the account's
// instances. It is ownInstance narrowed to those columns and read without a
// GORM statement: the write lock is held meanwhile, and building and
// scanning the statement cost more than running it.
func imageSource(tx *gorm.DB, accountID, id string) (*Instance, error) {
	if !ValidID("ins", id) {
		return nil, errInstanceMalformed(id)
	}
	in := Instance{ID: id, OwnerID: accountID}
	err := sqldb.QueryRow(tx, imageSourceSQL, id, accountID).
		Scan(&in.Region, &in.State, &in.ImageID, &in.OsName, &in.Platform, &in.Arch, &in.DiskGiB, &in.BillingKind, &in.HourlyPrice, &in.License)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errInstanceNotFound(id)
	}
	return &in, err
}

var imageSourceSQL = "SELECT " + columns(&Instance{}, "Region", "State", "ImageID", "OsName", "Platform", "Arch",
	"DiskGiB", "BillingKind", "HourlyPrice", "License") + " FROM " + table(&Instance{}) +
	" WHERE " + columns(&Instance{}, "ID") + " = ? AND " + columns(&Instance{}, "OwnerID") + " = ?"

// dryRun ends a DryRun request after all its checks passed: the error rolls
// the transaction back, so nothing is written.
func dryRun(on bool) error {
	if on {
		return E(CodeDryRun, "err.images.dryRun")
	}
	return nil
}

// runProgress advances a stepped image task: Progress grows by equal steps
// and the image takes the kind's success state at the last one.
func runProgress(ctx context.Context, w *Worker, t *Task, k taskKind) error {
	s := w.Store
	if t.Step+1 >= progressSteps || s.TaskScale == 0 {
		return s.finishTask(ctx, t, func(tx *gorm.DB) error {
			return tx.Model(&Image{}).Where("id = ? AND state = ?", t.TargetID, k.via).
				Updates(map[string]any{"state": k.success, "progress": 100}).Error
		})
	}
	progress := (t.Step + 1) * 100 / progressSteps
	return s.stepTask(ctx, t, s.scaledDelay(k.duration, progressSteps), func(tx *gorm.DB) error {
		return tx.Model(&Image{}).Where("id = ? AND state = ?", t.TargetID, k.via).Update("progress", progress).Error
	})
}

// finishFailedImage ends an image task that failed for a reason retrying
// cannot fix (a bad file, a damaged request): the image takes the failed
// state at once, with a reason the user can act on.
func (s *core) finishFailedImage(ctx context.Context, t *Task, failed, reason string) error {
	return s.finishTask(ctx, t, func(tx *gorm.DB) error {
		return tx.Model(&Image{}).Where("id = ?", t.TargetID).
			Updates(map[string]any{"state": failed, "fail_reason": reason}).Error
	})
}
