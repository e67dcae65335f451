package models

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"imageconsole/models/imagefmt"
	"imageconsole/models/importer"
)

// ImportInput is a request to import an external image file: from a URL,
// or from an upload ImportUpload stages in the blob store under stagedKey.
type ImportInput struct {
	ImageInput
	OsType, OsVersion, Arch string
	URL                     string
	Force                   bool
	License                 string
	stagedKey               string
}

// MaxUploadBytes bounds a file uploaded for import.
const MaxUploadBytes = 2 << 30

// importPayload is what the import task needs to run.
type importPayload struct {
	URL       string `json:"url,omitempty"`
	StagedKey string `json:"staged,omitempty"`
	Force     bool   `json:"force,omitempty"`
}

func (in *ImportInput) validate() (ImportOS, error) {
	if err := in.ImageInput.validate(); err != nil {
		return ImportOS{}, err
	}
	if in.License == "" {
		in.License = LicenseTencentCloud
	}
	if !slices.Contains(Licenses, in.License) {
		return ImportOS{}, FieldE("license", CodeInvalidParameterValue, "err.images.import.license")
	}
	os, err := lookupImportOS(in.OsType, in.OsVersion, in.Arch)
	if err != nil {
		return os, err
	}
	if in.stagedKey != "" {
		return os, nil
	}
	u, err := url.Parse(strings.TrimSpace(in.URL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return os, FieldE("url", CodeInvalidURL, "err.images.import.url")
	}
	if strings.HasSuffix(strings.ToLower(u.Path), ".iso") && !in.Force {
		return os, FieldE("url", CodeISOForce, "err.images.import.isoForce")
	}
	return os, nil
}

// ImportImage records an import from a URL and schedules the work: the
// image is IMPORTING until the task has fetched, checked and stored the file.
func (s *ImageStore) ImportImage(ctx context.Context, a Actor, in ImportInput) (string, error) {
	in.stagedKey = ""
	return s.recordImport(ctx, a, in, nil)
}

// ImportUpload imports an uploaded file. The upload is staged in the blob
// store first, outside any transaction, and sniffed as it is written: a file
// that is not a supported disk image is refused there (checkUpload), before
// anything counts. Then the import is recorded in one counted operation
// like ImportImage's. A refused import deletes the staged
// file; an accepted one leaves it to the import task, which deletes it once
// the image is made.
func (s *ImageStore) ImportUpload(ctx context.Context, a Actor, in ImportInput, file io.Reader) (string, error) {
	in.stagedKey, in.URL = "upload-"+strings.TrimPrefix(NewID("up"), "up-"), ""
	sn := imagefmt.NewSniffer(file)
	_, staged := s.Blobs.Put(ctx, in.stagedKey, &capReader{r: sn, left: MaxUploadBytes})
	if errors.Is(staged, errUploadTooLarge) {
		staged = FieldE("file", CodeTooLarge, "err.images.import.uploadTooLarge")
	}
	if staged == nil {
		// A file that is no disk image is refused before anything counts.
		if err := checkUpload(sn, in.Force); err != nil {
			s.deleteStaged(ctx, in.stagedKey)
			return "", err
		}
	}
	id, err := s.recordImport(ctx, a, in, staged)
	if err != nil {
		s.deleteStaged(ctx, in.stagedKey)
	}
	return id, err
}

// recordImport writes an import's image and task. staged is the outcome of
// staging an upload: a failed upload is refused inside the counted
// operation, so it reaches the operation log like any other refusal.
func (s *ImageStore) recordImport(ctx context.Context, a Actor, in ImportInput, staged error) (string, error) {
	payload, _ := json.Marshal(importPayload{URL: strings.TrimSpace(in.URL), StagedKey: in.stagedKey, Force: in.Force})
	var img Image
	err := s.counted(ctx, a, in.Region, ActionImportImage, nil, func(tx *gorm.DB, lim Limits) error {
		if staged != nil {
			return staged
		}
		os, err := in.validate()
		if err != nil {
			return err
		}
		platform := os.OsType
		if platform == "Other Linux" {
			platform = "Other"
		}
		img = Image{OwnerID: a.AccountID, Region: in.Region, Name: in.Name, Description: in.Description, Family: in.Family,
			OsName: strings.TrimSpace(in.OsType + " " + strings.TrimPrefix(in.OsVersion, "-")), Platform: platform,
			Arch: imageArch(in.Arch), State: StateImporting, Source: SourceImport, Creator: a.AccountID,
			CloudInit: os.Family == "Linux", License: in.License, BillingKind: billingForImport(platform, in.License)}
		if err := s.insertCustomImage(tx, &img, lim.CustomImages); err != nil {
			return err
		}
		if err := s.enqueue(tx, TaskImageImport, img.ID, 0, string(payload)); err != nil {
			return err
		}
		return dryRun(in.DryRun)
	})
	return img.ID, err
}

// errUploadTooLarge stops staging an upload past MaxUploadBytes.
var errUploadTooLarge = errors.New("upload over the size limit")

// capReader reads at most left bytes and fails on the byte after, so an
// oversized upload stops being written as soon as it is known to be one.
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.r.Read(p)
	if c.left -= int64(n); c.left < 0 {
		return n, errUploadTooLarge
	}
	return n, err
}

// userImportErrors are the failures that are the file's or the URL's fault:
// the image fails at once with the reason. Anything else is retried.
var userImportErrors = []error{importer.ErrBadURL, importer.ErrUnreachable, importer.ErrHTTPStatus, importer.ErrTooLarge,
	importer.ErrTruncated, importer.ErrUnsupported, importer.ErrMalformed, importer.ErrISONeedsForce, importer.ErrStalled}

// runImport does the real work outside any transaction: stream, hash,
// detect, store; progress and lease heartbeats go in their own short writes.
func runImport(ctx context.Context, w *Worker, t *Task) error {
	s := w.Store
	var p importPayload
	if err := json.Unmarshal([]byte(t.Payload), &p); err != nil {
		return s.finishFailedImage(ctx, t, StateImportFailed, storedReason("err.importer.requestDamaged"))
	}
	src := importer.Source{URL: p.URL, Size: -1}
	if p.StagedKey != "" {
		body, err := w.Store.Blobs.Open(ctx, p.StagedKey)
		if err != nil {
			return s.finishFailedImage(ctx, t, StateImportFailed, storedReason("err.importer.uploadGone"))
		}
		defer body.Close()
		src.Body = body
	}
	var mu sync.Mutex
	var last time.Time
	lastPct := -1
	res, err := importer.Import(ctx, src, w.Store.Blobs, t.TargetID, importer.Options{Client: w.HTTP, MaxBytes: w.MaxImportBytes,
		AllowISO: p.Force, StallTimeout: w.ImportStallTimeout, Progress: func(read, expected int64) {
			mu.Lock()
			defer mu.Unlock()
			pct := 0
			if expected > 0 {
				pct = int(read * 99 / expected)
			}
			if pct == lastPct || time.Since(last) < 300*time.Millisecond && pct < 99 {
				return
			}
			last, lastPct = time.Now(), pct
			_ = s.extendLease(ctx, t, w.Lease)
			s.db.WithContext(ctx).Model(&Image{}).Where("id = ? AND state = ?", t.TargetID, StateImporting).Update("progress", pct)
		}})
	if err != nil {
		for _, userErr := range userImportErrors {
			if errors.Is(err, userErr) {
				w.Log.Info("import failed", "image", t.TargetID, "err", err)
				if err := s.finishFailedImage(ctx, t, StateImportFailed, storedImportReason(err)); err != nil {
					return err
				}
				s.deleteStaged(ctx, p.StagedKey)
				return nil
			}
		}
		return err
	}
	err = s.finishTask(ctx, t, func(tx *gorm.DB) error {
		return tx.Model(&Image{}).Where("id = ? AND state = ?", t.TargetID, StateImporting).Updates(map[string]any{
			"state": StateNormal, "progress": 100, "format": string(res.Format), "virtual_size": res.VirtualSize,
			"sha256": res.SHA256, "blob_key": t.TargetID, "size_gib": max(1, (res.VirtualSize+(1<<30)-1)>>30)}).Error
	})
	if err == nil {
		s.deleteStaged(ctx, p.StagedKey)
	}
	return err
}

// deleteStaged removes an upload once its import has ended either way.
func (s *core) deleteStaged(ctx context.Context, key string) {
	if key != "" {
		_ = s.Blobs.Delete(context.WithoutCancel(ctx), key)
	}
}
