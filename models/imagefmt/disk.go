package imagefmt

import (
	"encoding/binary"
)

// ISO 9660 layout: volume descriptors start at sector 16 (of 2048 bytes); the
// primary one has type 1 and stores its numbers in both byte orders.
const (
	isoSector         = 2048
	isoPVDOffset      = 16 * isoSector
	isoMagic          = "CD001"
	isoOffSpaceSize   = 80  // uint32 little-endian, then big-endian
	isoOffBlockSize   = 128 // uint16 little-endian, then big-endian
	isoPVDMinLen      = isoOffBlockSize + 4
	isoTypePrimary    = 1
	isoTypeTerminator = 255
)

// Raw disk markers: the MBR boot signature and the GPT header signature.
const (
	mbrSigOffset = 510
	gptSigOffset = 512
	gptSignature = "EFI PART"
)

func isISO(h []byte) bool {
	return len(h) >= isoPVDOffset+1+len(isoMagic) &&
		string(h[isoPVDOffset+1:isoPVDOffset+1+len(isoMagic)]) == isoMagic
}

// detectISO takes the file size as the virtual size. When the primary volume
// descriptor is there, a file shorter than the volume it announces is refused
// as truncated, which the size alone would not reveal.
func detectISO(h []byte, totalSize int64) (Info, error) {
	pvd := h[isoPVDOffset:]
	if pvd[0] == isoTypePrimary && len(pvd) >= isoPVDMinLen {
		blocks := uint64(binary.LittleEndian.Uint32(pvd[isoOffSpaceSize:]))
		blockSize := uint64(binary.LittleEndian.Uint16(pvd[isoOffBlockSize:]))
		if volume := blocks * blockSize; volume > uint64(totalSize) {
			return Info{}, fail(ErrMalformed, "err.imagefmt.isoTruncated", "Volume", volume, "Size", totalSize)
		}
	}
	return checkSize(ISO, uint64(totalSize))
}

// isRaw is the rule for accepting a raw disk: it must carry a partition table,
// an MBR boot signature or a GPT header. Without one, any file would pass as
// a "raw disk", and a wrong upload would only show up when the VM fails to boot.
func isRaw(h []byte) bool {
	if len(h) >= mbrSigOffset+2 && h[mbrSigOffset] == 0x55 && h[mbrSigOffset+1] == 0xaa {
		return true
	}
	return len(h) >= gptSigOffset+len(gptSignature) && string(h[gptSigOffset:gptSigOffset+len(gptSignature)]) == gptSignature
}

// detectRaw takes the file size as the disk size; a disk is made of 512-byte
// sectors, so any other size means a cut-off file.
func detectRaw(totalSize int64) (Info, error) {
	if totalSize%512 != 0 {
		return Info{}, fail(ErrMalformed, "err.imagefmt.rawPartialSector", "Size", totalSize)
	}
	return checkSize(RAW, uint64(totalSize))
}
