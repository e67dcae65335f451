package models

import (
	"context"
	"slices"
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
	switch {
	case source.Sync:
		return nil
	case source.Area == AreaNorthAmerica:
		return E(CodeInvalidRegionUnavailable, "err.images.sync.source.northAmerica", "Region", source.ID, "Name", source.Name)
	}
	return E(CodeInvalidRegionUnavailable, "err.images.sync.source.notOffered", "Region", source.ID, "Name", source.Name,
		"Regions", SyncRegionNames())
}

// syncDestinationRefusal is R3 for one destination of a sync from source.
func syncDestinationRefusal(source, r Region) error {
	switch {
	case syncSourceRefusal(source) != nil:
		return syncSourceRefusal(source)
	case r.ID == source.ID:
		// A copy in the image's own region is no sync: it would be a
		// second image of the same name, which unique names forbid anyway.
		return FieldE("destinations", CodeUnsupportedRegion, "err.images.sync.sameRegion", "Region", r.ID)
	case r.Sync:
		return nil
	case r.Area == AreaNorthAmerica:
		return FieldE("destinations", CodeInvalidRegionUnavailable, "err.images.sync.destination.northAmerica", "Region", r.ID, "Name", r.Name)
	}
	return FieldE("destinations", CodeInvalidRegionUnavailable, "err.images.sync.destination.notOffered", "Region", r.ID, "Name", r.Name,
		"Regions", SyncRegionNames())
}

// syncTargets resolves a sync's destinations against R3, duplicates
// collapsed, in the order given.
func syncTargets(source Region, destinations []string) ([]Region, error) {
	ids := nonBlank(destinations)
	if len(ids) == 0 {
		return nil, FieldE("destinations", CodeMissingParameter, "err.images.sync.noDestination")
	}
	var out []Region
	for _, id := range ids {
		r, ok := LookupRegion(id)
		if !ok {
			return nil, FieldE("destinations", CodeInvalidRegionNotFound, "err.images.region.notFound", "Region", quote(id))
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

// SyncImages copies custom images to other sync regions (R3); the API's
// SyncImages. Each image gets, in each destination, a new, independent
// custom image, SYNCING until its background task ends; the copies come
// back image by image in the order asked, each in destination order.
//
// The request counts as one operation of the source region (R2), however
// many images and destinations it names: one request is one decision of
// the account's, as deleting several images at once is. Every check runs
// inside it, so a refusal is in the operation log with its code. It is
// free (the copies inherit their source's billing, nothing more).
//
// All or nothing: every image is checked (owner, state, region) before any
// copy is written, and each copy is written under the R1 hook and the name
// check of its region inside the one transaction, so one bad image or one
// full region refuses the whole request and writes nothing.
func (s *SharingStore) SyncImages(ctx context.Context, a Actor, region string, imageIDs, destinations []string, name string, dryRunOnly bool) ([]SyncedImage, error) {
	var out []SyncedImage
	ids := nonBlank(imageIDs)
	err := s.counted(ctx, a, region, ActionSyncImages, imageIDs, func(tx *gorm.DB, lim Limits) error {
		out = nil
		switch {
		case len(ids) == 0:
			return FieldE("images", CodeMissingParameter, "err.images.sync.noImage")
		case len(ids) > MaxListItems:
			return FieldE("images", CodeValueLimitExceeded, "err.images.sync.tooManyImages", "Max", MaxListItems, "Count", len(ids))
		}
		source, ok := LookupRegion(region)
		if !ok {
			return E(CodeInvalidRegionNotFound, "err.images.region.notFound", "Region", quote(region))
		}
		copyName := strings.TrimSpace(name)
		if copyName != "" {
			in := ImageInput{Region: region, Name: copyName}
			if err := in.validate(); err != nil {
				return err
			}
			copyName = in.Name
		}
		srcs, err := syncSources(tx, a, region, ids)
		if err != nil {
			return err
		}
		targets, err := syncTargets(source, destinations)
		if err != nil {
			return err
		}
		for _, id := range ids {
			src := srcs[id]
			named := copyName
			if named == "" {
				named = src.Name
			}
			for _, r := range targets {
				cp := syncCopy(src, r.ID, named)
				if err := s.insertCustomImage(tx, &cp, lim.CustomImages); err != nil {
					return err
				}
				if err := s.enqueue(tx, TaskImageSync, cp.ID, s.stepDelay(TaskImageSync, progressSteps), ""); err != nil {
					return err
				}
				out = append(out, SyncedImage{ImageID: cp.ID, Region: r.ID})
			}
		}
		return dryRun(dryRunOnly)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// syncSources loads and locks the images of a sync, each checked by
// Image.Check: sync rights stay with the owner (R5), the source region must
// be a sync region and the image NORMAL. Locked so a concurrent delete
// cannot drop the file the copies share; in ID order, so two syncs of the
// same images cannot each hold one lock the other waits for.
func syncSources(tx *gorm.DB, a Actor, region string, ids []string) (map[string]*Image, error) {
	out := make(map[string]*Image, len(ids))
	for _, id := range slices.Sorted(slices.Values(ids)) {
		img, err := imageFor(tx, a, region, id, OpSync)
		if err != nil {
			return nil, err
		}
		out[id] = img
	}
	return out, nil
}

// syncCopy is the destination copy of src: the same name and attributes,
// the same billing (R7) and source, made from src, SYNCING from 0 %. It
// shares nothing with src but values, so deleting src leaves it untouched.
func syncCopy(src *Image, region, name string) Image {
	cp := Image{OwnerID: src.OwnerID, Region: region, Name: name, Description: src.Description,
		OsName: src.OsName, Platform: src.Platform, Arch: src.Arch, SizeGiB: src.SizeGiB,
		Family: src.Family, State: StateSyncing, Source: src.Source, Creator: src.Creator, CloudInit: src.CloudInit,
		Format: src.Format, VirtualSize: src.VirtualSize, SHA256: src.SHA256, BlobKey: src.BlobKey}
	inheritBilling(&cp, src)
	return cp
}
