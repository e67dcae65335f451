// Package importer streams an external disk image, from an http(s) URL or an
// upload, into the blob store while hashing it, then detects its format and
// virtual size. Every failure leaves no blob behind and carries a
// reason a user can act on; see Reason.
package importer

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"imageconsole/models/blob"
	"imageconsole/models/imagefmt"
)

// Sentinel errors; Import's errors match one of them with errors.Is.
var (
	// ErrBadURL: the URL is not an http(s) URL with a host.
	ErrBadURL = errors.New("bad import URL")
	// ErrUnreachable: the server could not be resolved, connected to or spoken to.
	ErrUnreachable = errors.New("image server unreachable")
	// ErrHTTPStatus: the server answered with a status other than 2xx.
	ErrHTTPStatus = errors.New("image server refused the download")
	// ErrTooLarge: the file is over Options.MaxBytes.
	ErrTooLarge = errors.New("image too large")
	// ErrTruncated: the body ended before (or went on past) the size it announced,
	// or broke off with a read error.
	ErrTruncated = errors.New("image transfer truncated")
	// ErrUnsupported: the file is not a disk image format we know.
	ErrUnsupported = imagefmt.ErrUnsupported
	// ErrMalformed: the file claims a known format but its header is broken.
	ErrMalformed = imagefmt.ErrMalformed
	// ErrISONeedsForce: the file is an ISO image and Options.AllowISO is off.
	ErrISONeedsForce = errors.New("ISO image import needs force")
	// ErrStalled: the server sent (next to) nothing for Options.StallTimeout.
	ErrStalled = errors.New("image server stalled")
)

// Source is where an image comes from: a URL to fetch, or an uploaded Body.
type Source struct {
	URL  string
	Body io.Reader
	Size int64 // Body's length in bytes; -1 (or 0) when unknown
}

// Options tune one import.
type Options struct {
	Client   *http.Client // fetches URL sources; nil means http.DefaultClient
	MaxBytes int64        // largest file accepted; 0 or less means no limit
	AllowISO bool         // accept ISO images (the Force flag of ImportImage)
	// StallTimeout fails a URL import that receives less than 32 KiB in
	// any window this long, from the request on (see watchdog); 0 or less
	// waits as long as Client allows.
	StallTimeout time.Duration
	// Progress, if set, is called as bytes arrive: at most once per 1% of the
	// expected size (per 256 KiB while it is unknown, with expected -1), and
	// once at the end with read == expected.
	Progress func(read, expected int64)
}

// Result describes an imported image.
type Result struct {
	Format      imagefmt.Format
	VirtualSize int64  // bytes of the disk the image describes
	Size        int64  // bytes of the file itself
	SHA256      string // hex digest of the file
}

// Import copies src into blobs under key and identifies it. The key should be
// fresh: on any failure Import deletes whatever is stored under it.
func Import(ctx context.Context, src Source, blobs blob.Store, key string, opt Options) (Result, error) {
	res, err := importTo(ctx, src, blobs, key, opt)
	if err != nil {
		// The context may be done already; the leftover must go regardless.
		if delErr := blobs.Delete(context.WithoutCancel(ctx), key); delErr != nil {
			err = fmt.Errorf("%w (removing the partial blob failed too: %v)", err, delErr)
		}
		return Result{}, err
	}
	return res, nil
}

func importTo(ctx context.Context, src Source, blobs blob.Store, key string, opt Options) (Result, error) {
	// Only a download is watched: an upload is read from the console's own
	// staging, which a cancelled context would not interrupt anyway.
	window := opt.StallTimeout
	if src.URL == "" {
		window = 0
	}
	fetchCtx, dog := watch(ctx, window)
	defer dog.stop()
	in, err := open(fetchCtx, src, opt.Client)
	if err != nil {
		if stalled := dog.err(); stalled != nil {
			return Result{}, stalled
		}
		return Result{}, err
	}
	defer in.body.Close()
	// A declared size over the limit fails before a byte is read.
	if opt.MaxBytes > 0 && in.expected > opt.MaxBytes {
		return Result{}, fail(ErrTooLarge, nil, "err.importer.fileTooLarge",
			"Size", formatSize(in.expected), "Max", formatSize(opt.MaxBytes))
	}
	m := newMeter(in, opt)
	m.dog = dog
	_, putErr := blobs.Put(ctx, key, m)
	switch {
	case ctx.Err() != nil:
		return Result{}, fmt.Errorf("import stopped: %w", ctx.Err())
	case m.err != nil:
		return Result{}, m.err
	case putErr != nil:
		return Result{}, fmt.Errorf("storing the image: %w", putErr)
	case !m.eof:
		return Result{}, errors.New("storing the image: the blob store stopped reading before the end")
	case in.expected >= 0 && m.n < in.expected:
		return Result{}, fail(ErrTruncated, nil, in.id("err.importer.endedEarly"),
			"Got", formatSize(m.n), "Size", formatSize(in.expected))
	}
	m.finish()

	info, err := imagefmt.DetectFile(m.head, m.tail.bytes(), m.n)
	if err != nil {
		return Result{}, formatFailure(err)
	}
	if info.Format == imagefmt.ISO && !opt.AllowISO {
		return Result{}, fail(ErrISONeedsForce, nil, "err.importer.isoNeedsForce")
	}
	return Result{
		Format:      info.Format,
		VirtualSize: info.VirtualSize,
		Size:        m.n,
		SHA256:      hex.EncodeToString(m.hash.Sum(nil)),
	}, nil
}
