package models_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"imageconsole/models"
	"imageconsole/models/imagefmt"
)

// TestStore_ImportUpload_Sniffed: an upload that is not a disk image is
// refused at once, about the file field, and spends nothing: no counted
// operation, no custom-image slot, no image, task or log row, no staged
// file.
func TestStore_ImportUpload_Sniffed(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	gzip := append([]byte("\x1f\x8b\x08\x00"), bytes.Repeat([]byte{1}, 600)...)
	tests := []struct {
		name  string
		data  []byte
		force bool
		code  string
	}{
		{"ErrText39Bytes", []byte("this is not a disk image, just text.\n\n\n"), false, models.CodeInvalidParameterValue},
		{"ErrGzip", gzip, false, models.CodeInvalidParameterValue},
		{"ErrTruncatedRaw", imagefmt.BuildRaw(1 << 20)[:1000], false, models.CodeInvalidParameterValue},
		{"ErrISOWithoutForce", imagefmt.BuildISO(1 << 20), false, models.CodeISOForce},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.counts(t)
			in := importInput("sniffed", "")
			in.Force = tt.force
			id, err := f.s.ImportUpload(ctx, f.a, in, bytes.NewReader(tt.data))
			wantCode(t, err, tt.code)
			if id != "" || models.ErrorField(err) != "file" {
				t.Errorf("id %q, field %q; want no image and the file field", id, models.ErrorField(err))
			}
			if after := f.counts(t); after != before {
				t.Errorf("refusal wrote: %s → %s", before, after)
			}
			var logged int64
			f.s.DB().Model(&models.Operation{}).Where("account_id = ?", f.a.AccountID).Count(&logged)
			if logged != 0 {
				t.Errorf("%d operation log rows, want none: a refused upload is not an operation", logged)
			}
			if n := stagedUploads(t, f); n != 0 {
				t.Errorf("%d staged uploads left", n)
			}
		})
	}
	t.Run("the message lists the formats", func(t *testing.T) {
		_, err := f.s.ImportUpload(ctx, f.a, importInput("sniffed", ""), strings.NewReader("hello"))
		if msg := models.ErrorMessage(err); !strings.Contains(msg, imagefmt.FormatList()) {
			t.Errorf("message %q does not list %q", msg, imagefmt.FormatList())
		}
	})
	t.Run("OK: an ISO with Force", func(t *testing.T) {
		in := importInput("installer", "")
		in.Force = true
		if _, err := f.s.ImportUpload(ctx, f.a, in, bytes.NewReader(imagefmt.BuildISO(1<<20))); err != nil {
			t.Fatal(err)
		}
	})
}
