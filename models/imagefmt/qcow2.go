package imagefmt

import (
	"encoding/binary"
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
		return Info{}, fail(ErrMalformed, "err.imagefmt.qcow2HeaderTruncated", "Got", len(h), "Want", qcow2V2HeaderLen)
	}
	be := binary.BigEndian
	version := be.Uint32(h[qcow2OffVersion:])
	if version != 2 && version != 3 {
		return Info{}, fail(ErrUnsupported, "err.imagefmt.qcow2Version", "Version", version)
	}
	if version == 3 {
		if len(h) < qcow2V3HeaderLen {
			return Info{}, fail(ErrMalformed, "err.imagefmt.qcow2V3HeaderTruncated", "Got", len(h), "Want", qcow2V3HeaderLen)
		}
		if n := be.Uint32(h[qcow2OffHeaderLen:]); n < qcow2V3HeaderLen {
			return Info{}, fail(ErrMalformed, "err.imagefmt.qcow2V3HeaderShort", "Got", n, "Want", qcow2V3HeaderLen)
		}
	}
	// Cluster sizes outside 512 B..2 MiB are not allowed by the qcow2 spec.
	if bits := be.Uint32(h[qcow2OffClusterBits:]); bits < 9 || bits > 21 {
		return Info{}, fail(ErrMalformed, "err.imagefmt.qcow2ClusterBits", "Bits", bits)
	}
	// An image with a backing file holds only the differences to another
	// file, and an encrypted one can't be read without its key: neither boots alone.
	if be.Uint64(h[qcow2OffBackingFile:]) != 0 {
		return Info{}, fail(ErrUnsupported, "err.imagefmt.qcow2Backing")
	}
	if be.Uint32(h[qcow2OffCrypt:]) != 0 {
		return Info{}, fail(ErrUnsupported, "err.imagefmt.qcow2Encrypted")
	}
	return checkSize(QCOW2, be.Uint64(h[qcow2OffSize:]))
}
