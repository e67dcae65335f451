package models_test

import (
	"unicode"

	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"imageconsole/models/i18n"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"imageconsole/models"
	"imageconsole/models/blob"
	"imageconsole/models/imagefmt"
)

// imageServer serves generated disk images by path.
func imageServer(t *testing.T, files map[string][]byte) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch b, ok := files[r.URL.Path]; {
		case r.URL.Path == "/truncated.qcow2":
			w.Header().Set("Content-Length", "4194304")
			w.Write(imagefmt.BuildQCOW2(1 << 30)[:1024])
			if hj, ok := w.(http.Hijacker); ok {
				conn, _, _ := hj.Hijack()
				conn.Close()
			}
		case ok:
			w.Write(b)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func importInput(name, url string) models.ImportInput {
	return models.ImportInput{ImageInput: models.ImageInput{Region: "ap-guangzhou", Name: name},
		OsType: "Ubuntu", OsVersion: "22.04", Arch: "x86_64", URL: url}
}

func TestStore_ImportImage_Formats(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Limits.DailyOps = 100
	files := map[string][]byte{
		"/disk.qcow2": imagefmt.BuildQCOW2(40 << 30),
		"/disk.vmdk":  imagefmt.BuildVMDK(8 << 30),
		"/disk.vhd":   imagefmt.BuildVHDFixed(1 << 20),
		"/disk.raw":   imagefmt.BuildRaw(2 << 20),
		"/disk.img":   imagefmt.BuildISO(1 << 20),
		"/page.html":  []byte("<!doctype html><html><body>Not an image</body></html>"),
	}
	srv := imageServer(t, files)
	tests := []struct {
		name, path string
		force      bool
		wantState  string
		wantFormat string
		wantGiB    int
		reason     string
	}{
		{"OK/QCOW2", "/disk.qcow2", false, models.StateNormal, "qcow2", 40, ""},
		{"OK/VMDK", "/disk.vmdk", false, models.StateNormal, "vmdk", 8, ""},
		{"OK/VHD", "/disk.vhd", false, models.StateNormal, "vhd", 1, ""},
		{"OK/RAW", "/disk.raw", false, models.StateNormal, "raw", 1, ""},
		{"OK/ISOWithForce", "/disk.img", true, models.StateNormal, "iso", 1, ""},
		{"ErrISOWithoutForce", "/disk.img", false, models.StateImportFailed, "", 0, "Force"},
		{"ErrUnsupported", "/page.html", false, models.StateImportFailed, "", 0, "HTML"},
		{"ErrNotFound", "/missing.qcow2", false, models.StateImportFailed, "", 0, "404"},
		{"ErrTruncated", "/truncated.qcow2", false, models.StateImportFailed, "", 0, "ended"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := importInput("imp-"+string(rune('a'+i)), srv.URL+tt.path)
			in.Force = tt.force
			id, err := f.s.ImportImage(ctx, f.a, in)
			if err != nil {
				t.Fatal(err)
			}
			f.drain(t)
			img, _ := f.s.Image(ctx, f.a.AccountID, "ap-guangzhou", id)
			if img.State != tt.wantState || img.Format != tt.wantFormat || (tt.wantGiB > 0 && img.SizeGiB != tt.wantGiB) {
				t.Fatalf("state %s format %q size %d GiB (reason %q), want %s %q %d", img.State, img.Format, img.SizeGiB, img.FailReason, tt.wantState, tt.wantFormat, tt.wantGiB)
			}
			if reason := img.FailureText(i18n.EN); !strings.Contains(strings.ToLower(reason), strings.ToLower(tt.reason)) {
				t.Errorf("reason %q does not mention %q", reason, tt.reason)
			}
			if tt.reason != "" && !strings.ContainsFunc(img.FailureText(i18n.ZH), func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
				t.Errorf("reason %q has no Chinese text", img.FailureText(i18n.ZH))
			}
			stored, err := f.s.Blobs.Open(ctx, id)
			if tt.wantState == models.StateImportFailed {
				if err == nil {
					stored.Close()
					t.Error("a failed import left its file in the blob store")
				}
				return
			}
			if err != nil {
				t.Fatalf("blob: %v", err)
			}
			b, _ := io.ReadAll(stored)
			stored.Close()
			sum := sha256.Sum256(files[tt.path])
			if img.SHA256 != hex.EncodeToString(sum[:]) || len(b) != len(files[tt.path]) {
				t.Errorf("stored %d bytes with sha %s, want the served file", len(b), img.SHA256)
			}
		})
	}
}

func TestStore_ImportImage_Validation(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	tests := []struct {
		name string
		edit func(*models.ImportInput)
		code string
	}{
		{"ErrBadScheme", func(in *models.ImportInput) { in.URL = "ftp://example.com/disk.qcow2" }, models.CodeInvalidURL},
		{"ErrNoHost", func(in *models.ImportInput) { in.URL = "http:///disk.qcow2" }, models.CodeInvalidURL},
		{"ErrISOByName", func(in *models.ImportInput) { in.URL = "http://example.com/setup.ISO" }, models.CodeISOForce},
		{"ErrOsType", func(in *models.ImportInput) { in.OsType = "BeOS" }, models.CodeOsTypeUnsupported},
		{"ErrOsVersion", func(in *models.ImportInput) { in.OsVersion = "4.10" }, models.CodeOsVersionUnsupported},
		{"ErrArch", func(in *models.ImportInput) { in.Arch = "sparc" }, models.CodeInvalidParameterValue},
		{"ErrLicense", func(in *models.ImportInput) { in.License = "GPL" }, models.CodeInvalidParameterValue},
		{"ErrDryRun", func(in *models.ImportInput) { in.DryRun = true }, models.CodeDryRun},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := importInput("v", "http://example.com/disk.qcow2")
			tt.edit(&in)
			before := f.counts(t)
			_, err := f.s.ImportImage(ctx, f.a, in)
			wantCode(t, err, tt.code)
			if after := f.counts(t); after != before {
				t.Errorf("refusal wrote: %s → %s", before, after)
			}
		})
	}
}

func TestStore_ImportImage_Upload(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	disk := imagefmt.BuildQCOW2(10 << 30)
	in := importInput("uploaded", "")
	in.License = models.LicenseBYOL
	id, err := f.s.ImportUpload(ctx, f.a, in, strings.NewReader(string(disk)))
	if err != nil {
		t.Fatal(err)
	}
	if n := stagedUploads(t, f); n != 1 {
		t.Fatalf("%d staged uploads, want 1", n)
	}
	f.drain(t)
	img, _ := f.s.Image(ctx, f.a.AccountID, "ap-guangzhou", id)
	if img.State != models.StateNormal || img.SizeGiB != 10 || img.License != models.LicenseBYOL {
		t.Errorf("got %s %d GiB %s (%s)", img.State, img.SizeGiB, img.License, img.FailReason)
	}
	if n := stagedUploads(t, f); n != 0 {
		t.Error("the staged upload was not removed")
	}

	t.Run("ErrRefusedDeletesStaged", func(t *testing.T) {
		before := f.counts(t)
		in := importInput("uploaded", "") // the name is taken
		_, err := f.s.ImportUpload(ctx, f.a, in, strings.NewReader(string(disk)))
		wantCode(t, err, models.CodeImageNameDuplicate)
		if after := f.counts(t); after != before {
			t.Errorf("refusal wrote: %s → %s", before, after)
		}
		if n := stagedUploads(t, f); n != 0 {
			t.Errorf("%d staged uploads left by a refused import", n)
		}
		page, _ := f.s.Operations(ctx, f.a.AccountID, models.OpQuery{Action: models.ActionImportImage, Size: 1})
		if len(page.Rows) != 1 || page.Rows[0].Result != models.CodeImageNameDuplicate {
			t.Errorf("the refusal is not in the operation log: %+v", page.Rows)
		}
	})
}

// stagedUploads counts the uploads waiting in the blob store.
func stagedUploads(t *testing.T, f *fixture) int {
	t.Helper()
	entries, err := os.ReadDir(f.s.Blobs.(*blob.Dir).Root)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "upload-") {
			n++
		}
	}
	return n
}

// TestWorker_RecoversAbandonedTask: a worker that died holding a task loses
// it when its lease runs out, and another worker finishes the work.
func TestWorker_RecoversAbandonedTask(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	srv := imageServer(t, map[string][]byte{"/disk.qcow2": imagefmt.BuildQCOW2(1 << 30)})
	id, err := f.s.ImportImage(ctx, f.a, importInput("crash", srv.URL+"/disk.qcow2"))
	if err != nil {
		t.Fatal(err)
	}
	// A worker claimed it, then the process was killed.
	f.s.DB().Model(&models.Task{}).Where("target_id = ?", id).
		Updates(map[string]any{"lease_owner": "dead-worker", "lease_until": f.clock.T.Add(20 * time.Second), "attempts": 1})
	f.drain(t)
	if img, _ := f.s.Image(ctx, f.a.AccountID, "ap-guangzhou", id); img.State != models.StateImporting {
		t.Fatalf("state %s while the lease is held, want IMPORTING", img.State)
	}
	f.clock.Advance(21 * time.Second)
	f.drain(t)
	if img, _ := f.s.Image(ctx, f.a.AccountID, "ap-guangzhou", id); img.State != models.StateNormal {
		t.Errorf("state %s after the lease expired, want NORMAL", img.State)
	}
	if n, _ := f.s.PendingTasks(ctx); n != 0 {
		t.Errorf("%d tasks left", n)
	}
}

// failingBlobs is a blob store whose writes always fail (a full disk).
type failingBlobs struct{}

func (failingBlobs) Put(context.Context, string, io.Reader) (int64, error) {
	return 0, errors.New("disk full")
}
func (failingBlobs) Open(context.Context, string) (io.ReadCloser, error) {
	return nil, errors.New("disk full")
}
func (failingBlobs) Delete(context.Context, string) error { return nil }

// TestWorker_GivesUpWithFinalState: work that keeps failing for internal
// reasons is retried, then ends in a failed state, never stuck.
func TestWorker_GivesUpWithFinalState(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Blobs = failingBlobs{}
	srv := imageServer(t, map[string][]byte{"/disk.qcow2": imagefmt.BuildQCOW2(1 << 30)})
	id, err := f.s.ImportImage(ctx, f.a, importInput("doomed", srv.URL+"/disk.qcow2"))
	if err != nil {
		t.Fatal(err)
	}
	for range 10 {
		f.w.RunOne(ctx)
		f.clock.Advance(2 * time.Minute)
	}
	img, _ := f.s.Image(ctx, f.a.AccountID, "ap-guangzhou", id)
	if img.State != models.StateImportFailed || img.FailReason == "" {
		t.Errorf("state %s reason %q, want IMPORTFAILED with a reason", img.State, img.FailReason)
	}
	if n, _ := f.s.PendingTasks(ctx); n != 0 {
		t.Errorf("%d tasks left", n)
	}
}

// TestStore_SyncCopiesShareTheImportedFile: a sync copy refers to its
// source's file, which goes only when the last image using it is deleted.
func TestStore_SyncCopiesShareTheImportedFile(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Limits.DailyOps = 100
	srv := imageServer(t, map[string][]byte{"/disk.qcow2": imagefmt.BuildQCOW2(1 << 30)})
	id, err := f.s.ImportImage(ctx, f.a, importInput("shared-file", srv.URL+"/disk.qcow2"))
	if err != nil {
		t.Fatal(err)
	}
	f.drain(t)
	copies, err := f.s.SyncImage(ctx, f.a, "ap-guangzhou", id, []string{"ap-beijing"}, "", false)
	if err != nil {
		t.Fatal(err)
	}
	f.drain(t)
	exists := func() bool {
		r, err := f.s.Blobs.Open(ctx, id)
		if err == nil {
			r.Close()
		}
		return err == nil
	}
	if err := f.s.DeleteImages(ctx, f.a, "ap-guangzhou", []string{id}); err != nil {
		t.Fatal(err)
	}
	if !exists() {
		t.Fatal("deleting the source removed the file its copy still uses")
	}
	if err := f.s.DeleteImages(ctx, f.a, "ap-beijing", []string{copies[0].ImageID}); err != nil {
		t.Fatal(err)
	}
	if exists() {
		t.Error("the file outlived the last image using it")
	}
}
