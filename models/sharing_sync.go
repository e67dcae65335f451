package models

import (
	"context"
	"strings"

	"gorm.io/gorm"
)

// SyncedImage is one copy a sync made: its new ID and its region (the API's
// ImageSet entries).
type SyncedImage struct {
	ImageID string
	Region  string
}

// SyncRefusal says in plain words why r can be neither the source nor a
// destination of an image sync (R3), or "" if it can. The console shows it
// next to a disabled region; the API puts it in the error message.
func (r Region) SyncRefusal() string {
	switch {
	case r.Sync:
		return ""
	case r.Area == AreaNorthAmerica:
		return r.Name + " is in North America: regions in North America are never eligible for image sync."
	}
	return "Image sync is offered only among " + SyncRegionNames() + "; " + r.Name + " is not one of them."
}

// SyncRegionNames names the sync regions for messages, read from the one
// region table so a new sync region shows up without touching this file.
func SyncRegionNames() string {
	var names []string
	for _, r := range Regions {
		if r.Sync {
			names = append(names, r.Name)
		}
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// SyncTarget is one region seen as a destination of an image sync from a
// source region: Refusal is nil when the region may receive the copy, or
// the coded error a sync to it is refused with (R3).
type SyncTarget struct {
	Region  Region
	Refusal error
}

// SyncTargets lists every region but source as a destination of a sync
// from source, in table order, each with its R3 refusal. The console shows
// it; SyncImage refuses a destination with the same error.
func SyncTargets(source Region) []SyncTarget {
	var out []SyncTarget
	for _, r := range Regions {
		if r.ID != source.ID {
			out = append(out, SyncTarget{Region: r, Refusal: syncDestinationRefusal(source, r)})
		}
	}
	return out
}

// syncSourceRefusal is R3 for the region an image is synced from.
func syncSourceRefusal(source Region) error {
	if why := source.SyncRefusal(); why != "" {
		return Errorf(CodeInvalidRegionUnavailable, "Images in %s cannot be synced. %s", source.ID, why)
	}
	return nil
}

// syncDestinationRefusal is R3 for one destination of a sync from source.
func syncDestinationRefusal(source, r Region) error {
	switch {
	case syncSourceRefusal(source) != nil:
		return syncSourceRefusal(source)
	case r.ID == source.ID:
		// A copy in the image's own region is no sync: it would be a
		// second image of the same name, which unique names forbid anyway.
		return fieldErr("destinations", CodeUnsupportedRegion, "The image already lives in "+r.ID+": choose other regions.")
	case r.SyncRefusal() != "":
		return fieldErr("destinations", CodeInvalidRegionUnavailable, "Images cannot be synced to "+r.ID+". "+r.SyncRefusal())
	}
	return nil
}

// syncTargets resolves a sync's destinations against R3, duplicates
// collapsed, in the order given.
func syncTargets(source Region, destinations []string) ([]Region, error) {
	ids := nonBlank(destinations)
	if len(ids) == 0 {
		return nil, fieldErr("destinations", CodeMissingParameter, "Choose at least one destination region.")
	}
	var out []Region
	for _, id := range ids {
		r, ok := LookupRegion(id)
		if !ok {
			return nil, fieldErr("destinations", CodeInvalidRegionNotFound, "Region "+quote(id)+" does not exist.")
		}
		if err := syncDestinationRefusal(source, r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// SyncImage copies one of the caller's NORMAL custom images from region to
// other sync regions (R3): SyncImages with one image.
func (s *SharingStore) SyncImage(ctx context.Context, a Actor, region, imageID string, destinations []string, name string, dryRunOnly bool) ([]SyncedImage, error) {
	return s.SyncImages(ctx, a, region, []string{imageID}, destinations, name, dryRunOnly)
}

// SyncImages copies a custom image to other sync regions (R3); the API's
// SyncImages, which names its image in a list that must hold exactly one.
// Each destination gets a new, independent custom image, SYNCING until its
// background task ends. The request counts as one operation of the source
// region (R2), and every check runs inside it, so a refusal is in the
// operation log with its code. It is free (the copies inherit the source's
// billing, nothing more). All destinations or none: each copy is written
// under the R1 hook and the name check of its region inside the one
// transaction, so any refusal rolls every copy back.
func (s *SharingStore) SyncImages(ctx context.Context, a Actor, region string, imageIDs, destinations []string, name string, dryRunOnly bool) ([]SyncedImage, error) {
	var out []SyncedImage
	err := s.counted(ctx, a, region, ActionSyncImages, imageIDs, func(tx *gorm.DB, lim Limits) error {
		out = nil
		if len(imageIDs) != 1 {
			return Errorf(CodeInvalidParameterValue, "Name exactly one image in ImageIds; %d were given.", len(imageIDs))
		}
		source, ok := LookupRegion(region)
		if !ok {
			return Errorf(CodeInvalidRegionNotFound, "Region %s does not exist.", quote(region))
		}
		copyName := strings.TrimSpace(name)
		if copyName != "" {
			in := ImageInput{Region: region, Name: copyName}
			if err := in.validate(); err != nil {
				return err
			}
			copyName = in.Name
		}
		// Sync rights stay with the owner (R5), the source region must be
		// a sync region and the image NORMAL: Image.Check. Locked so a
		// concurrent delete cannot drop the file the copies share.
		src, err := imageFor(tx, a, region, imageIDs[0], OpSync)
		if err != nil {
			return err
		}
		targets, err := syncTargets(source, destinations)
		if err != nil {
			return err
		}
		if copyName == "" {
			copyName = src.Name
		}
		for _, r := range targets {
			cp := syncCopy(src, r.ID, copyName)
			if err := s.insertCustomImage(tx, &cp, lim.CustomImages); err != nil {
				return err
			}
			if err := s.enqueue(tx, TaskImageSync, cp.ID, s.stepDelay(TaskImageSync, progressSteps), ""); err != nil {
				return err
			}
			out = append(out, SyncedImage{ImageID: cp.ID, Region: r.ID})
		}
		return dryRun(dryRunOnly)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// syncCopy is the destination copy of src: the same name and attributes,
// the same billing (R7) and source, made from src, SYNCING from 0 %. It
// shares nothing with src but values, so deleting src leaves it untouched.
func syncCopy(src *Image, region, name string) Image {
	cp := Image{OwnerID: src.OwnerID, Region: region, Name: name, Description: src.Description,
		OsName: src.OsName, Platform: src.Platform, Arch: src.Arch, SizeGiB: src.SizeGiB,
		State: StateSyncing, Source: src.Source, Creator: src.Creator, CloudInit: src.CloudInit,
		Format: src.Format, VirtualSize: src.VirtualSize, SHA256: src.SHA256, BlobKey: src.BlobKey}
	inheritBilling(&cp, src)
	return cp
}
