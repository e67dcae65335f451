// Package blob keeps the bytes of imported images, addressed by a key.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Store keeps blobs under keys made of lower-case letters, digits and '-'
// (1 to 64 characters).
type Store interface {
	// Put stores everything r yields under key, replacing any blob there, and
	// returns the number of bytes stored. On error no part of r is kept.
	Put(ctx context.Context, key string, r io.Reader) (n int64, err error)
	// Open returns the blob under key; a missing blob gives an error that
	// matches fs.ErrNotExist.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes the blob under key; a missing blob is not an error.
	Delete(ctx context.Context, key string) error
}

// ErrBadKey is returned for a key outside the allowed alphabet or length.
var ErrBadKey = errors.New("blob: invalid key")

// tempPrefix starts the names of files being written. The dot keeps them
// apart from every valid key, so a half-written file is never opened as a blob.
const tempPrefix = ".put-"

// Dir is a Store keeping each blob as a file named after its key in Root.
type Dir struct {
	Root string
}

var _ Store = (*Dir)(nil)

// NewDir returns a Dir for root, creating the folder (mode 0750) if needed.
func NewDir(root string) (*Dir, error) {
	if err := os.MkdirAll(root, 0o750); err != nil {
		return nil, fmt.Errorf("blob: create %s: %w", root, err)
	}
	return &Dir{Root: root}, nil
}

// Put writes r to a temporary file, flushes it to disk and renames it over
// the key, so a crash leaves either the old blob or the new one, never half of
// one. Cancelling ctx stops the copy.
func (d *Dir) Put(ctx context.Context, key string, r io.Reader) (n int64, err error) {
	if err := checkKey(key); err != nil {
		return 0, err
	}
	f, err := os.CreateTemp(d.Root, tempPrefix+key+"-*")
	if err != nil {
		return 0, fmt.Errorf("blob: put %s: %w", key, err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	if n, err = io.Copy(f, ctxReader{ctx, r}); err != nil {
		return n, fmt.Errorf("blob: put %s: %w", key, err)
	}
	if err = f.Sync(); err != nil {
		return n, fmt.Errorf("blob: put %s: %w", key, err)
	}
	if err = f.Close(); err != nil {
		return n, fmt.Errorf("blob: put %s: %w", key, err)
	}
	if err = os.Rename(f.Name(), d.path(key)); err != nil {
		return n, fmt.Errorf("blob: put %s: %w", key, err)
	}
	if err = d.syncRoot(); err != nil {
		_ = os.Remove(d.path(key))
	}
	return n, err
}

// Open returns the file holding the blob under key.
func (d *Dir) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := os.Open(d.path(key))
	if err != nil {
		return nil, fmt.Errorf("blob: open %s: %w", key, err)
	}
	return f, nil
}

// Delete removes the file holding the blob under key, if there is one.
func (d *Dir) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := os.Remove(d.path(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob: delete %s: %w", key, err)
	}
	return nil
}

func (d *Dir) path(key string) string { return filepath.Join(d.Root, key) }

// syncRoot flushes the folder itself, which makes the rename durable.
func (d *Dir) syncRoot() error {
	dir, err := os.Open(d.Root)
	if err != nil {
		return fmt.Errorf("blob: sync %s: %w", d.Root, err)
	}
	defer dir.Close()
	if err := dir.Sync(); err != nil {
		return fmt.Errorf("blob: sync %s: %w", d.Root, err)
	}
	return nil
}

// checkKey allows only [a-z0-9-]{1,64}: no separators or dots can reach the
// file system, so a key can't escape Root or name a temporary file.
func checkKey(key string) error {
	if len(key) == 0 || len(key) > 64 {
		return fmt.Errorf("%w %q: want 1 to 64 characters", ErrBadKey, key)
	}
	for _, c := range []byte(key) {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return fmt.Errorf("%w %q: only a-z, 0-9 and '-' are allowed", ErrBadKey, key)
		}
	}
	return nil
}

// ctxReader stops a copy once its context is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
