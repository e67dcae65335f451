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
	return "Image sync is offered only among " + syncRegionNames() + "; " + r.Name + " is not one of them."
}

// SyncDestinations lists the regions an image in source can be synced to:
// the other sync regions, in table order, or none when source is not a
// sync region itself.
func SyncDestinations(source Region) []Region {
	if !source.Sync {
		return nil
	}
	var out []Region
	for _, r := range Regions {
		if r.Sync && r.ID != source.ID {
			out = append(out, r)
		}
	}
	return out
}

// syncRegionNames names the sync regions for messages, read from the one
// region table so a new sync region shows up without touching this file.
func syncRegionNames() string {
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

// syncTargets checks a sync's regions against R3 and resolves the
// destinations, duplicates collapsed, in the order given.
func syncTargets(source Region, destinations []string) ([]Region, error) {
	if why := source.SyncRefusal(); why != "" {
		return nil, Errorf(CodeInvalidRegionUnavailable, "Images in %s cannot be synced. %s", source.ID, why)
	}
	var out []Region
	for _, id := range nonBlank(destinations) {
		r, ok := LookupRegion(id)
		switch {
		case !ok:
			return nil, fieldErr("destinations", CodeInvalidRegionNotFound, "Region "+quote(id)+" does not exist.")
		case r.ID == source.ID:
			// A copy in the image's own region is no sync: it would be a
			// second image of the same name, which unique names forbid anyway.
			return nil, fieldErr("destinations", CodeUnsupportedRegion, "The image already lives in "+r.ID+": choose other regions.")
		case r.SyncRefusal() != "":
			return nil, fieldErr("destinations", CodeInvalidRegionUnavailable, "Images cannot be synced to "+r.ID+". "+r.SyncRefusal())
		}
		out = append(out, r)
	}
	return out, nil
}

// SyncImage copies one of the caller's NORMAL custom images from region to
// other sync regions (R3). Each destination gets a new, independent custom
// image, SYNCING until its background task ends. The request counts as one
// operation of the source region (R2); it is free (the copies inherit the
// source's billing, nothing more). All destinations or none: each copy is
// written under the R1 hook and the name check of its region inside the one
// transaction, so any refusal rolls every copy back.
func (s *Store) SyncImage(ctx context.Context, a Actor, region, imageID string, destinations []string, name string, dryRunOnly bool) ([]SyncedImage, error) {
	source, ok := LookupRegion(region)
	if !ok {
		return nil, Errorf(CodeInvalidRegionNotFound, "Region %s does not exist.", quote(region))
	}
	if len(nonBlank(destinations)) == 0 {
		return nil, fieldErr("destinations", CodeMissingParameter, "Choose at least one destination region.")
	}
	name = strings.TrimSpace(name)
	if name != "" {
		in := ImageInput{Region: region, Name: name}
		if err := in.validate(); err != nil {
			return nil, err
		}
	}
	var out []SyncedImage
	err := s.counted(ctx, a, region, ActionSyncImages, []string{imageID}, func(tx *gorm.DB) error {
		out = nil
		targets, err := syncTargets(source, destinations)
		if err != nil {
			return err
		}
		// Sync rights stay with the owner (R5): a recipient gets not-your-image.
		src, err := ownCustomImage(tx, a, region, imageID, CodeNotBelongToAccount)
		if err != nil {
			return err
		}
		// Locked so a concurrent delete cannot drop the file the copies share.
		if src, err = lockImage(tx, src.ID); err != nil {
			return err
		}
		// Only a finished image has content to copy.
		if src.State != StateNormal {
			return Errorf(CodeInvalidImageIDState, "Image %s is %s: only NORMAL images can be synced.", src.ID, src.State)
		}
		copyName := name
		if copyName == "" {
			copyName = src.Name
		}
		for _, r := range targets {
			cp := syncCopy(src, r.ID, copyName)
			if err := s.insertCustomImage(tx, &cp); err != nil {
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
