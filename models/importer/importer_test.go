package importer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"imageconsole/models/blob"
	"imageconsole/models/imagefmt"
)

const mib = 1 << 20

// spyStore is a blob.Dir that counts Put calls and can fail Delete.
type spyStore struct {
	*blob.Dir
	puts      int
	deleteErr error
}

func (s *spyStore) Put(ctx context.Context, key string, r io.Reader) (int64, error) {
	s.puts++
	return s.Dir.Put(ctx, key, r)
}

func (s *spyStore) Delete(ctx context.Context, key string) error {
	if s.deleteErr != nil {
		return s.deleteErr
	}
	return s.Dir.Delete(ctx, key)
}

func MustStore(t *testing.T) *spyStore {
	t.Helper()
	d, err := blob.NewDir(t.TempDir())
	if err != nil {
		t.Fatalf("NewDir: %v", err)
	}
	return &spyStore{Dir: d}
}

// MustServe serves h on 127.0.0.1 for the length of the test.
func MustServe(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// file serves data with a Content-Length.
func file(data []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(len(data)))
		_, _ = w.Write(data)
	}
}

// chunked serves data without a Content-Length, in flushed 32 KiB chunks.
func chunked(data []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		for b := data; len(b) > 0; b = b[min(len(b), 32<<10):] {
			if _, err := w.Write(b[:min(len(b), 32<<10)]); err != nil {
				return
			}
			w.(http.Flusher).Flush()
		}
	}
}

func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// stored returns the blob under key, nil if there is none.
func stored(t *testing.T, s blob.Store, key string) []byte {
	t.Helper()
	rc, err := s.Open(context.Background(), key)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("ReadAll: %v", err)
	}
	return b
}

func TestImport(t *testing.T) {
	tests := []struct {
		name        string
		data        []byte
		source      func(t *testing.T, data []byte) Source
		opt         Options
		wantFormat  imagefmt.Format
		wantVirtual int64
	}{
		{"qcow2", imagefmt.BuildQCOW2(10 * mib), fromURL(file), Options{}, imagefmt.QCOW2, 10 * mib},
		{"vmdk", imagefmt.BuildVMDK(3 * mib), fromURL(file), Options{}, imagefmt.VMDK, 3 * mib},
		{"vhd fixed", imagefmt.BuildVHDFixed(mib), fromURL(file), Options{}, imagefmt.VHD, mib},
		{"vhd dynamic", imagefmt.BuildVHDDynamic(5 * mib), fromURL(file), Options{}, imagefmt.VHD, 5 * mib},
		{"raw", imagefmt.BuildRaw(2 * mib), fromURL(file), Options{}, imagefmt.RAW, 2 * mib},
		{"iso with AllowISO", imagefmt.BuildISO(mib), fromURL(file), Options{AllowISO: true}, imagefmt.ISO, mib},
		{"vhd fixed chunked", imagefmt.BuildVHDFixed(mib), fromURL(chunked), Options{}, imagefmt.VHD, mib},
		{"at the size limit", imagefmt.BuildRaw(mib), fromURL(chunked), Options{MaxBytes: mib}, imagefmt.RAW, mib},
		{"upload of known size", imagefmt.BuildQCOW2(mib), upload(0), Options{}, imagefmt.QCOW2, mib},
		{"upload of unknown size", imagefmt.BuildVHDFixed(mib), upload(-1), Options{}, imagefmt.VHD, mib},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := MustStore(t)
			got, err := Import(context.Background(), tt.source(t, tt.data), store, "img-1", local(tt.opt))
			if err != nil {
				t.Fatalf("Import: %v", err)
			}
			want := Result{Format: tt.wantFormat, VirtualSize: tt.wantVirtual, Size: int64(len(tt.data)), SHA256: digest(tt.data)}
			if got != want {
				t.Errorf("got %+v, want %+v", got, want)
			}
			if b := stored(t, store, "img-1"); !bytes.Equal(b, tt.data) {
				t.Errorf("stored %d bytes, want the %d imported", len(b), len(tt.data))
			}
		})
	}
}

// fromURL serves the data with handler h and imports from its URL.
func fromURL(h func([]byte) http.HandlerFunc) func(*testing.T, []byte) Source {
	return func(t *testing.T, data []byte) Source {
		return Source{URL: MustServe(t, h(data)) + "/disk.img"}
	}
}

// upload imports the data as a body of the given size; 0 means its real size.
func upload(size int64) func(*testing.T, []byte) Source {
	return func(_ *testing.T, data []byte) Source {
		if size == 0 {
			size = int64(len(data))
		}
		return Source{Body: bytes.NewReader(data), Size: size}
	}
}

func TestImport_Progress(t *testing.T) {
	type call struct{ read, expected int64 }
	data := imagefmt.BuildRaw(3 * mib)
	tests := []struct {
		name         string
		handler      http.HandlerFunc
		wantExpected int64 // before the last call
		maxCalls     int
	}{
		{"known size: every 1%", file(data), int64(len(data)), 101},
		{"unknown size: every 256 KiB", chunked(data), -1, len(data)/(256<<10) + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls []call
			opt := Options{Progress: func(read, expected int64) { calls = append(calls, call{read, expected}) }}
			if _, err := Import(context.Background(), Source{URL: MustServe(t, tt.handler)}, MustStore(t), "img", local(opt)); err != nil {
				t.Fatalf("Import: %v", err)
			}
			if len(calls) < 2 || len(calls) > tt.maxCalls {
				t.Fatalf("%d calls, want 2..%d", len(calls), tt.maxCalls)
			}
			for i, c := range calls[:len(calls)-1] {
				if c.expected != tt.wantExpected || (i > 0 && c.read <= calls[i-1].read) {
					t.Fatalf("call %d = %+v after %+v, want rising reads and expected %d", i, c, calls[max(i-1, 0)], tt.wantExpected)
				}
			}
			if got, want := calls[len(calls)-1], (call{int64(len(data)), int64(len(data))}); got != want {
				t.Errorf("last call = %+v, want %+v", got, want)
			}
		})
	}
}

func TestImport_Cancel(t *testing.T) {
	data := imagefmt.BuildRaw(4 * mib)
	link := MustServe(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(len(data)))
		_, _ = w.Write(data[:mib])
		w.(http.Flusher).Flush()
		<-r.Context().Done() // hold the rest back until the client gives up
	}))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	store := MustStore(t)
	opt := Options{Progress: func(read, _ int64) { cancel() }}
	_, err := Import(ctx, Source{URL: link}, store, "img", local(opt))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if got, want := Reason(err), "the import was cancelled"; got != want {
		t.Errorf("Reason = %q, want %q", got, want)
	}
	if b := stored(t, store, "img"); b != nil {
		t.Errorf("a %d-byte blob was left behind", len(b))
	}
}
