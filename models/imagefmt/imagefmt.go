// Package imagefmt recognises disk image formats (qcow2, VMDK, VHD, raw and
// ISO) from their leading bytes, and the VHD footer from their last 512 bytes,
// and reads the virtual disk size each format announces.
package imagefmt

import (
	"bytes"
	"errors"
)

// Format names a disk image format as the import API spells it.
type Format string

// The formats Detect recognises.
const (
	QCOW2 Format = "qcow2"
	VMDK  Format = "vmdk"
	VHD   Format = "vhd"
	RAW   Format = "raw"
	ISO   Format = "iso"
)

// HeaderSize is how many leading bytes Detect needs at most: the ISO 9660
// primary volume descriptor sits at 32 KiB, so 64 KiB covers every format.
const HeaderSize = 64 * 1024

// FooterSize is the size of a VHD footer, the trailing bytes DetectFooter reads.
const FooterSize = 512

// MaxVirtualSize is the largest virtual disk size accepted (64 TiB); a header
// claiming more is treated as malformed rather than trusted.
const MaxVirtualSize int64 = 64 << 40

// Sentinel errors; match them with errors.Is. Returned errors wrap one of them
// with a message a user can act on.
var (
	// ErrUnsupported means the bytes are not a disk image format this package knows.
	ErrUnsupported = errors.New("unsupported image format")
	// ErrMalformed means the bytes claim a known format but its header is broken.
	ErrMalformed = errors.New("malformed image")
)

// Info is what detection learns about an image.
type Info struct {
	Format      Format
	VirtualSize int64 // bytes of the disk the image describes
}

// Detect identifies the format of an image of totalSize bytes from its first
// bytes (at most HeaderSize are looked at). A fixed VHD keeps its footer at the
// end of the file, so callers holding the tail should use DetectFile instead.
func Detect(header []byte, totalSize int64) (Info, error) {
	if totalSize < int64(len(header)) {
		header = header[:max(totalSize, 0)]
	}
	if len(header) > HeaderSize {
		header = header[:HeaderSize]
	}
	switch {
	case len(header) == 0:
		return Info{}, fail(ErrUnsupported, "err.imagefmt.empty")
	case bytes.HasPrefix(header, []byte(qcow2Magic)):
		return detectQCOW2(header)
	case bytes.HasPrefix(header, []byte(vmdkMagic)):
		return detectVMDKSparse(header)
	case bytes.HasPrefix(header, []byte(vhdCookie)):
		return detectVHD(header, totalSize)
	case isISO(header):
		return detectISO(header, totalSize)
	case bytes.HasPrefix(header, []byte(vmdkDescriptor)):
		return detectVMDKDescriptor(header)
	case isRaw(header):
		return detectRaw(totalSize)
	}
	return Info{}, fail(ErrUnsupported, describe(header))
}

// DetectFile identifies an image from both ends of the file: the header (its
// first HeaderSize bytes or all of a shorter file) and the footer (its last
// FooterSize bytes). A format with a magic number in the header wins; a header
// that looks raw or unknown is checked for a VHD footer, because a fixed VHD is
// raw disk bytes followed by that footer.
func DetectFile(header, footer []byte, totalSize int64) (Info, error) {
	info, err := Detect(header, totalSize)
	if err == nil && info.Format != RAW {
		return info, nil
	}
	if len(footer) < FooterSize || !bytes.HasPrefix(footer[len(footer)-FooterSize:], []byte(vhdCookie)) {
		return info, err
	}
	return detectVHD(footer[len(footer)-FooterSize:], totalSize)
}

// checkSize rejects sizes no real disk has: a zero size means a corrupt
// header, and one above MaxVirtualSize is more likely garbage than a disk.
func checkSize(f Format, size uint64) (Info, error) {
	if size == 0 {
		return Info{}, fail(ErrMalformed, "err.imagefmt.zeroSize", "Format", f)
	}
	if size > uint64(MaxVirtualSize) {
		return Info{}, fail(ErrMalformed, "err.imagefmt.sizeTooBig", "Format", f, "Size", size)
	}
	return Info{Format: f, VirtualSize: int64(size)}, nil
}

// lookalike is a kind of file users often import by mistake, with advice.
type lookalike struct {
	offset int
	magic  string
	id     string // the catalogue message naming it, with advice
}

// lookalikes are matched in order; the advice names what to do instead.
var lookalikes = []lookalike{
	{0, "\x1f\x8b", "err.imagefmt.gzip"},
	{0, "PK\x03\x04", "err.imagefmt.zip"},
	{0, "\xfd7zXZ\x00", "err.imagefmt.xz"},
	{0, "BZh", "err.imagefmt.bzip2"},
	{0, "(\xb5/\xfd", "err.imagefmt.zstd"},
	{0, "7z\xbc\xaf\x27\x1c", "err.imagefmt.7zip"},
	{257, "ustar", "err.imagefmt.tar"},
}

// describe names the catalogue message saying what an unrecognised file looks like, so the message helps the
// user fix the upload instead of merely refusing it.
func describe(header []byte) string {
	for _, l := range lookalikes {
		if len(header) >= l.offset+len(l.magic) && string(header[l.offset:l.offset+len(l.magic)]) == l.magic {
			return l.id
		}
	}
	text := bytes.ToLower(bytes.TrimLeft(bytes.TrimPrefix(header, []byte("\xef\xbb\xbf")), " \t\r\n"))
	if bytes.HasPrefix(text, []byte("<!doctype html")) || bytes.HasPrefix(text, []byte("<html")) {
		return "err.imagefmt.html"
	}
	if isText(header) {
		return "err.imagefmt.text"
	}
	return "err.imagefmt.unknown"
}

// isText reports whether b looks like printable text (ASCII or UTF-8).
func isText(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' {
			return false
		}
	}
	return true
}
