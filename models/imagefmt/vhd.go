package imagefmt

import (
	"encoding/binary"
)

// VHD footer layout (big-endian), from Microsoft's "Virtual Hard Disk Image
// Format Specification". A fixed VHD is raw data followed by the footer; a
// dynamic one also starts with a copy of it.
const (
	vhdCookie          = "conectix"
	vhdOffFeatures     = 8
	vhdOffVersion      = 12
	vhdOffDataOffset   = 16
	vhdOffCreatorApp   = 28
	vhdOffCreatorHost  = 36
	vhdOffOriginalSize = 40
	vhdOffCurrentSize  = 48
	vhdOffGeometry     = 56
	vhdOffDiskType     = 60
	vhdOffChecksum     = 64
	vhdOffUniqueID     = 68
	vhdTypeFixed       = 2
	vhdTypeDynamic     = 3
	vhdTypeDiff        = 4
)

// DetectFooter reads a VHD footer, the last 512 bytes of a fixed VHD (only the
// last FooterSize bytes of last512 are used), and returns the virtual size it
// announces. It fails with ErrUnsupported when there is no VHD footer.
func DetectFooter(last512 []byte) (Info, error) {
	if len(last512) < FooterSize {
		return Info{}, fail(ErrUnsupported, "err.imagefmt.vhdNoFooterInTail", "Size", len(last512))
	}
	info, _, err := parseVHDFooter(last512[len(last512)-FooterSize:])
	return info, err
}

// detectVHD checks a footer found at either end of a file of totalSize bytes.
// A fixed disk's data precedes its footer, so a shorter file is truncated.
func detectVHD(footer []byte, totalSize int64) (Info, error) {
	info, diskType, err := parseVHDFooter(footer)
	if err != nil {
		return Info{}, err
	}
	if diskType == vhdTypeFixed && totalSize-FooterSize < info.VirtualSize {
		return Info{}, fail(ErrMalformed, "err.imagefmt.vhdTruncated", "Announced", info.VirtualSize,
			"Size", max(totalSize-FooterSize, 0))
	}
	return info, nil
}

func parseVHDFooter(f []byte) (Info, uint32, error) {
	if len(f) < FooterSize || string(f[:len(vhdCookie)]) != vhdCookie {
		return Info{}, 0, fail(ErrUnsupported, "err.imagefmt.vhdNoFooter")
	}
	be := binary.BigEndian
	if be.Uint32(f[vhdOffChecksum:]) != checksum(f[:FooterSize], vhdOffChecksum) {
		return Info{}, 0, fail(ErrMalformed, "err.imagefmt.vhdChecksum")
	}
	diskType := be.Uint32(f[vhdOffDiskType:])
	switch diskType {
	case vhdTypeFixed, vhdTypeDynamic:
	case vhdTypeDiff:
		// A differencing disk only holds changes to a parent VHD file.
		return Info{}, 0, fail(ErrUnsupported, "err.imagefmt.vhdDifferencing")
	default:
		return Info{}, 0, fail(ErrMalformed, "err.imagefmt.vhdDiskType", "Type", diskType)
	}
	info, err := checkSize(VHD, be.Uint64(f[vhdOffCurrentSize:]))
	return info, diskType, err
}

// checksum is the VHD checksum of b: the one's complement of the sum of its
// bytes, leaving out the 4-byte checksum field at skip.
func checksum(b []byte, skip int) uint32 {
	var sum uint32
	for i, c := range b {
		if i < skip || i >= skip+4 {
			sum += uint32(c)
		}
	}
	return ^sum
}
