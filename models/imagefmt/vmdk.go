package imagefmt

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"math/bits"
	"strconv"
	"strings"
)

// VMDK sparse extent header layout (little-endian), from VMware's "Virtual
// Disk Format 5.0"; sizes are counted in 512-byte sectors.
const (
	vmdkMagic          = "KDMV" // 0x564d444b little-endian
	vmdkDescriptor     = "# Disk DescriptorFile"
	vmdkHeaderLen      = 512
	vmdkOffVersion     = 4
	vmdkOffFlags       = 8
	vmdkOffCapacity    = 12
	vmdkOffGrainSize   = 20
	vmdkOffDescOffset  = 28
	vmdkOffDescSize    = 36
	vmdkOffNumGTEs     = 44
	vmdkOffGDOffset    = 56
	vmdkOffOverhead    = 64
	vmdkOffNewlineTest = 73
	vmdkSector         = 512
)

func detectVMDKSparse(h []byte) (Info, error) {
	if len(h) < vmdkOffDescOffset {
		return Info{}, fail(ErrMalformed, "err.imagefmt.vmdkHeaderTruncated", "Got", len(h), "Want", vmdkHeaderLen)
	}
	le := binary.LittleEndian
	if v := le.Uint32(h[vmdkOffVersion:]); v < 1 || v > 3 {
		return Info{}, fail(ErrUnsupported, "err.imagefmt.vmdkVersion", "Version", v)
	}
	if g := le.Uint64(h[vmdkOffGrainSize:]); bits.OnesCount64(g) != 1 {
		return Info{}, fail(ErrMalformed, "err.imagefmt.vmdkGrain", "Grain", g)
	}
	return sectorsToInfo(VMDK, le.Uint64(h[vmdkOffCapacity:]))
}

// detectVMDKDescriptor reads a text descriptor: its size is the sum of the
// sector counts of its extent lines ("RW 4192256 SPARSE "disk-s001.vmdk"").
// Every access mode counts, because a read-only extent is still part of the disk.
func detectVMDKDescriptor(h []byte) (Info, error) {
	var sectors uint64
	extents := 0
	sc := bufio.NewScanner(bytes.NewReader(h))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 3 || (f[0] != "RW" && f[0] != "RDONLY" && f[0] != "NOACCESS") {
			continue
		}
		n, err := strconv.ParseUint(f[1], 10, 64)
		if err != nil {
			return Info{}, fail(ErrMalformed, "err.imagefmt.vmdkExtentLine", "Line", strconv.Quote(sc.Text()))
		}
		if sectors+n < sectors {
			return checkSize(VMDK, 1<<63)
		}
		sectors += n
		extents++
	}
	if extents == 0 {
		return Info{}, fail(ErrMalformed, "err.imagefmt.vmdkNoExtents")
	}
	return sectorsToInfo(VMDK, sectors)
}

func sectorsToInfo(f Format, sectors uint64) (Info, error) {
	if sectors > uint64(MaxVirtualSize)/vmdkSector {
		return checkSize(f, uint64(MaxVirtualSize)+1)
	}
	return checkSize(f, sectors*vmdkSector)
}
