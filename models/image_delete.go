package models

import (
	"context"
	"strings"

	"gorm.io/gorm"
)

// DeleteImages deletes custom images, all or none. Shared images are refused
// until every share is cancelled (R6); busy images until they settle.
func (s *ImageStore) DeleteImages(ctx context.Context, a Actor, region string, ids []string) error {
	return s.deleteImages(ctx, a, region, ids, false)
}

// DryRunDeleteImages makes every check of DeleteImages and deletes nothing.
func (s *ImageStore) DryRunDeleteImages(ctx context.Context, a Actor, region string, ids []string) error {
	return s.deleteImages(ctx, a, region, ids, true)
}

func (s *ImageStore) deleteImages(ctx context.Context, a Actor, region string, ids []string, dry bool) error {
	var blobs []string
	err := s.counted(ctx, a, region, ActionDeleteImages, ids, func(tx *gorm.DB, _ Limits) error {
		blobs = blobs[:0]
		if len(ids) == 0 {
			return FieldE("image_ids", CodeMissingParameter, "err.images.delete.noImage")
		}
		if len(ids) > MaxPageSize {
			return E(CodeValueLimitExceeded, "err.images.delete.tooMany", "Max", 100)
		}
		for _, id := range dedupe(ids) {
			// Busy and shared images are refused (R6): see Image.Check.
			img, err := imageFor(tx, a, region, id, OpDelete)
			if err != nil {
				return err
			}
			if err := tx.Delete(img).Error; err != nil {
				return err
			}
			if img.BlobKey != "" {
				blobs = append(blobs, img.BlobKey)
			}
		}
		return dryRun(dry)
	})
	if err == nil {
		s.deleteUnreferencedBlobs(context.WithoutCancel(ctx), blobs)
	}
	return err
}

// deleteUnreferencedBlobs removes files no image refers to any more (sync
// copies share their source's file). Files go after the commit: no I/O
// inside the transaction, and a crash here leaves an orphan file, never an
// image without its file.
func (s *core) deleteUnreferencedBlobs(ctx context.Context, keys []string) {
	for _, key := range keys {
		var n int64
		if err := s.db.WithContext(ctx).Model(&Image{}).Where("blob_key = ?", key).Count(&n).Error; err == nil && n == 0 && s.Blobs != nil {
			_ = s.Blobs.Delete(ctx, key)
		}
	}
}

func dedupe(ids []string) []string {
	seen := map[string]bool{}
	out := ids[:0:0]
	for _, id := range ids {
		id = strings.TrimSpace(id)
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
