package imagefmt

import (
	"encoding/binary"
	"fmt"
)

// qcow2 header layout (big-endian), from the QEMU qcow2 specification.
const (
	qcow2Magic          = "QFI\xfb"
	qcow2V2HeaderLen    = 72
	qcow2V3HeaderLen    = 104
	qcow2OffVersion     = 4
	qcow2OffBackingFile = 8
	qcow2OffClusterBits = 20
	qcow2OffSize        = 24
	qcow2OffCrypt       = 32
	qcow2OffHeaderLen   = 100
)

func detectQCOW2(h []byte) (Info, error) {
	if len(h) < qcow2V2HeaderLen {
		return Info{}, fmt.Errorf("%w: the qcow2 header is truncated (%d of %d bytes)", ErrMalformed, len(h), qcow2V2HeaderLen)
	}
	be := binary.BigEndian
	version := be.Uint32(h[qcow2OffVersion:])
	if version != 2 && version != 3 {
		return Info{}, fmt.Errorf("%w: qcow2 version %d; convert it to qcow2 version 2 or 3 with qemu-img convert", ErrUnsupported, version)
	}
	if version == 3 {
		if len(h) < qcow2V3HeaderLen {
			return Info{}, fmt.Errorf("%w: the qcow2 v3 header is truncated (%d of %d bytes)", ErrMalformed, len(h), qcow2V3HeaderLen)
		}
		if n := be.Uint32(h[qcow2OffHeaderLen:]); n < qcow2V3HeaderLen {
			return Info{}, fmt.Errorf("%w: the qcow2 v3 header length is %d, below the minimum %d", ErrMalformed, n, qcow2V3HeaderLen)
		}
	}
	// Cluster sizes outside 512 B..2 MiB are not allowed by the qcow2 spec.
	if bits := be.Uint32(h[qcow2OffClusterBits:]); bits < 9 || bits > 21 {
		return Info{}, fmt.Errorf("%w: the qcow2 cluster size 2^%d is out of range", ErrMalformed, bits)
	}
	// An image with a backing file holds only the differences to another
	// file, and an encrypted one can't be read without its key: neither boots alone.
	if be.Uint64(h[qcow2OffBackingFile:]) != 0 {
		return Info{}, fmt.Errorf("%w: the qcow2 image depends on a backing file; flatten it first with qemu-img convert", ErrUnsupported)
	}
	if be.Uint32(h[qcow2OffCrypt:]) != 0 {
		return Info{}, fmt.Errorf("%w: the qcow2 image is encrypted; decrypt it first with qemu-img convert", ErrUnsupported)
	}
	return checkSize(QCOW2, be.Uint64(h[qcow2OffSize:]))
}
