package imagefmt

import "encoding/binary"

// vhdBlockSize is the data block size of dynamic VHDs built here (the usual 2 MiB).
const vhdBlockSize = 2 << 20

// BuildVHDFixed returns a fixed VHD: virtualSize bytes of zeros (rounded up to
// whole sectors) followed by the footer. Keep virtualSize small in tests.
func BuildVHDFixed(virtualSize int64) []byte {
	size := (uint64(max(virtualSize, 0)) + 511) / 512 * 512
	buf := make([]byte, size, size+FooterSize)
	return append(buf, vhdFooter(size, vhdTypeFixed, ^uint64(0))...)
}

// BuildVHDDynamic returns an empty dynamic VHD: a copy of the footer, the
// dynamic disk header, a block allocation table with no block allocated, and
// the footer.
func BuildVHDDynamic(virtualSize int64) []byte {
	const headerOffset, batOffset = FooterSize, FooterSize + 1024
	size := uint64(virtualSize)
	blocks := size / vhdBlockSize
	if size%vhdBlockSize != 0 {
		blocks++
	}
	batBytes := (blocks*4 + 511) / 512 * 512
	footer := vhdFooter(size, vhdTypeDynamic, headerOffset)

	buf := make([]byte, batOffset+batBytes, batOffset+batBytes+FooterSize)
	copy(buf, footer)
	h := buf[headerOffset:batOffset]
	be := binary.BigEndian
	copy(h, "cxsparse")
	be.PutUint64(h[8:], ^uint64(0))       // data offset: unused
	be.PutUint64(h[16:], batOffset)       // table offset
	be.PutUint32(h[24:], 0x00010000)      // header version
	be.PutUint32(h[28:], uint32(blocks))  // max table entries
	be.PutUint32(h[32:], vhdBlockSize)    // block size
	be.PutUint32(h[36:], checksum(h, 36)) // over the 1024-byte header
	for i := batOffset; i < len(buf); i++ {
		buf[i] = 0xff // every BAT entry 0xFFFFFFFF: block not allocated
	}
	return append(buf, footer...)
}

// vhdFooter builds a footer for a disk of size bytes.
func vhdFooter(size uint64, diskType uint32, dataOffset uint64) []byte {
	f := make([]byte, FooterSize)
	be := binary.BigEndian
	copy(f, vhdCookie)
	be.PutUint32(f[vhdOffFeatures:], 2) // the "reserved" bit the spec requires set
	be.PutUint32(f[vhdOffVersion:], 0x00010000)
	be.PutUint64(f[vhdOffDataOffset:], dataOffset)
	// Creator "win " (Hyper-V) tells readers such as qemu to take the disk size
	// from the current-size field, as Detect does, rather than from the geometry.
	copy(f[vhdOffCreatorApp:], "win ")
	be.PutUint32(f[vhdOffCreatorApp+4:], 0x00010000)
	copy(f[vhdOffCreatorHost:], "Wi2k")
	be.PutUint64(f[vhdOffOriginalSize:], size)
	be.PutUint64(f[vhdOffCurrentSize:], size)
	be.PutUint32(f[vhdOffGeometry:], vhdGeometry(size))
	be.PutUint32(f[vhdOffDiskType:], diskType)
	copy(f[vhdOffUniqueID:], "imageconsole-vhd")
	be.PutUint32(f[vhdOffChecksum:], checksum(f, vhdOffChecksum))
	return f
}

// vhdGeometry is the cylinders/heads/sectors-per-track triple of the VHD
// specification's appendix, packed as the footer stores it.
func vhdGeometry(size uint64) uint32 {
	total := min(size/512, 65535*16*255)
	var spt, heads, cth uint64
	if total >= 65535*16*63 {
		spt, heads = 255, 16
		cth = total / spt
	} else {
		spt = 17
		cth = total / spt
		heads = max((cth+1023)/1024, 4)
		if cth >= heads*1024 || heads > 16 {
			spt, heads = 31, 16
			cth = total / spt
		}
		if cth >= heads*1024 {
			spt, heads = 63, 16
			cth = total / spt
		}
	}
	return uint32(cth/heads)<<16 | uint32(heads)<<8 | uint32(spt)
}
