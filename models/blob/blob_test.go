package blob

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func MustNewDir(t *testing.T) *Dir {
	t.Helper()
	d, err := NewDir(filepath.Join(t.TempDir(), "blobs", "nested"))
	if err != nil {
		t.Fatalf("NewDir: %v", err)
	}
	return d
}

func MustPut(t *testing.T, d *Dir, key, data string) {
	t.Helper()
	if _, err := d.Put(context.Background(), key, strings.NewReader(data)); err != nil {
		t.Fatalf("Put(%q): %v", key, err)
	}
}

// read returns the blob under key, or "" and the error.
func read(d *Dir, key string) (string, error) {
	rc, err := d.Open(context.Background(), key)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	return string(b), err
}

// names lists the files in the store's folder, temporary ones included.
func names(t *testing.T, d *Dir) []string {
	t.Helper()
	entries, err := os.ReadDir(d.Root)
	if err != nil {
		t.Fatalf("ReadDir: %v", err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// failingReader yields some bytes, then fails.
type failingReader struct {
	data io.Reader
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.data.Read(p)
	if err == io.EOF {
		return n, f.err
	}
	return n, err
}

func TestNewDir(t *testing.T) {
	d := MustNewDir(t)
	fi, err := os.Stat(d.Root)
	if err != nil {
		t.Fatalf("Stat: %v", err)
	}
	if got, want := fi.Mode().Perm(), fs.FileMode(0o750); !fi.IsDir() || got != want {
		t.Errorf("mode = %v (dir %v), want a directory with %v", got, fi.IsDir(), want)
	}
}

func TestDir_Put(t *testing.T) {
	big := strings.Repeat("0123456789abcdef", 100_000)
	tests := []struct {
		name string
		key  string
		data string
	}{
		{"OK", "img-1", "hello"},
		{"Empty", "empty", ""},
		{"Large", "big", big},
		{"LongestKey", strings.Repeat("a", 64), "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := MustNewDir(t)
			n, err := d.Put(context.Background(), tt.key, strings.NewReader(tt.data))
			if err != nil {
				t.Fatalf("Put: %v", err)
			}
			if n != int64(len(tt.data)) {
				t.Errorf("n = %d, want %d", n, len(tt.data))
			}
			got, err := read(d, tt.key)
			if err != nil || got != tt.data {
				t.Errorf("read = %d bytes, %v; want %d bytes", len(got), err, len(tt.data))
			}
			if got, want := names(t, d), []string{tt.key}; !slices.Equal(got, want) {
				t.Errorf("files = %q, want %q", got, want)
			}
		})
	}
}

func TestDir_PutReplaces(t *testing.T) {
	d := MustNewDir(t)
	MustPut(t, d, "img", "old")
	MustPut(t, d, "img", "new")
	if got, err := read(d, "img"); err != nil || got != "new" {
		t.Errorf("read = %q, %v; want %q", got, err, "new")
	}
}

func TestDir_PutFails(t *testing.T) {
	errBoom := errors.New("boom")
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name    string
		ctx     context.Context
		r       io.Reader
		wantErr error
	}{
		{"ErrReader", context.Background(), &failingReader{strings.NewReader(strings.Repeat("x", 100_000)), errBoom}, errBoom},
		{"ErrCanceled", canceled, strings.NewReader("data"), context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := MustNewDir(t)
			MustPut(t, d, "other", "kept")
			_, err := d.Put(tt.ctx, "img", tt.r)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if got, want := names(t, d), []string{"other"}; !slices.Equal(got, want) {
				t.Errorf("files = %q, want %q: no blob and no temporary file", got, want)
			}
		})
	}
}

func TestDir_PutFailsKeepsOldBlob(t *testing.T) {
	d := MustNewDir(t)
	MustPut(t, d, "img", "old")
	_, err := d.Put(context.Background(), "img", &failingReader{strings.NewReader("new"), io.ErrUnexpectedEOF})
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err = %v, want io.ErrUnexpectedEOF", err)
	}
	if got, err := read(d, "img"); err != nil || got != "old" {
		t.Errorf("read = %q, %v; want %q", got, err, "old")
	}
}

func TestDir_BadKeys(t *testing.T) {
	d := MustNewDir(t)
	MustPut(t, d, "ok", "x")
	ctx := context.Background()
	for _, key := range []string{"", "../escape", "a/b", "UPPER", "dot.ted", ".put-ok", "spa ce", "ünï", strings.Repeat("a", 65)} {
		t.Run(key, func(t *testing.T) {
			if _, err := d.Put(ctx, key, strings.NewReader("x")); !errors.Is(err, ErrBadKey) {
				t.Errorf("Put err = %v, want ErrBadKey", err)
			}
			if _, err := d.Open(ctx, key); !errors.Is(err, ErrBadKey) {
				t.Errorf("Open err = %v, want ErrBadKey", err)
			}
			if err := d.Delete(ctx, key); !errors.Is(err, ErrBadKey) {
				t.Errorf("Delete err = %v, want ErrBadKey", err)
			}
		})
	}
	if got, want := names(t, d), []string{"ok"}; !slices.Equal(got, want) {
		t.Errorf("files = %q, want %q", got, want)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(d.Root), "escape")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a file escaped Root: stat err = %v", err)
	}
}

func TestDir_OpenMissing(t *testing.T) {
	d := MustNewDir(t)
	if _, err := d.Open(context.Background(), "missing"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("err = %v, want fs.ErrNotExist", err)
	}
}

func TestDir_Delete(t *testing.T) {
	d := MustNewDir(t)
	MustPut(t, d, "img", "data")
	for i := range 2 { // the second delete finds nothing and must still succeed
		if err := d.Delete(context.Background(), "img"); err != nil {
			t.Fatalf("Delete #%d: %v", i+1, err)
		}
	}
	if _, err := d.Open(context.Background(), "img"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open after Delete: err = %v, want fs.ErrNotExist", err)
	}
}
