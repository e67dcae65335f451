package imagefmt

import (
	"encoding/binary"
	"fmt"
)

// The Build* functions make small but complete images for tests in this and
// other packages: each is a valid empty disk of the given virtual size that
// Detect recognises. Sizes are meant to be small (a few MiB); sizes outside
// 1..MaxVirtualSize still produce a header claiming that size, for negative tests.

// BuildQCOW2 returns an empty qcow2 version 3 image: header, one-cluster
// refcount table and block, and an all-zero L1 table, with the smallest cluster
// size whose single-cluster L1 table covers virtualSize.
func BuildQCOW2(virtualSize int64) []byte {
	size := uint64(virtualSize)
	bits := uint32(9)
	for bits < 21 && qcow2L1Entries(size, bits) > 1<<(bits-3) {
		bits++
	}
	cs := uint64(1) << bits
	l1 := min(qcow2L1Entries(size, bits), cs/8)
	buf := make([]byte, 4*cs)
	be := binary.BigEndian
	copy(buf, qcow2Magic)
	be.PutUint32(buf[qcow2OffVersion:], 3)
	be.PutUint32(buf[qcow2OffClusterBits:], bits)
	be.PutUint64(buf[qcow2OffSize:], size)
	be.PutUint32(buf[36:], uint32(l1)) // l1_size
	be.PutUint64(buf[40:], 3*cs)       // l1_table_offset: cluster 3
	be.PutUint64(buf[48:], cs)         // refcount_table_offset: cluster 1
	be.PutUint32(buf[56:], 1)          // refcount_table_clusters
	be.PutUint32(buf[96:], 4)          // refcount_order: 16-bit refcounts
	be.PutUint32(buf[qcow2OffHeaderLen:], qcow2V3HeaderLen)
	be.PutUint64(buf[cs:], 2*cs) // the refcount block is cluster 2
	for i := range uint64(4) {   // clusters 0-3 are in use once each
		be.PutUint16(buf[2*cs+2*i:], 1)
	}
	return buf
}

// qcow2L1Entries is how many L1 entries a disk needs: each points to an L2
// table of cluster/8 entries, each mapping one cluster.
func qcow2L1Entries(size uint64, bits uint32) uint64 {
	perL2 := uint64(1) << (2*bits - 3)
	n := size / perL2
	if size%perL2 != 0 {
		n++
	}
	return n
}

// BuildVMDK returns an empty monolithicSparse VMDK: the sparse extent header,
// the embedded descriptor and an all-zero grain directory (no grain tables
// allocated yet), padded to a whole grain. virtualSize is rounded up to sectors.
func BuildVMDK(virtualSize int64) []byte {
	const grain, gtes = 128, 512 // sectors per grain, entries per grain table
	capacity := (uint64(virtualSize) + vmdkSector - 1) / vmdkSector
	desc := vmdkDescriptorText(capacity)
	descSectors := (uint64(len(desc)) + vmdkSector - 1) / vmdkSector
	gdEntries := (capacity + grain*gtes - 1) / (grain * gtes)
	gdOffset := 1 + descSectors
	gdSectors := max((gdEntries*4+vmdkSector-1)/vmdkSector, 1)
	overhead := (gdOffset + gdSectors + grain - 1) / grain * grain

	buf := make([]byte, overhead*vmdkSector)
	le := binary.LittleEndian
	copy(buf, vmdkMagic)
	le.PutUint32(buf[vmdkOffVersion:], 1)
	le.PutUint32(buf[vmdkOffFlags:], 1) // the newline test bytes below are valid
	le.PutUint64(buf[vmdkOffCapacity:], capacity)
	le.PutUint64(buf[vmdkOffGrainSize:], grain)
	le.PutUint64(buf[vmdkOffDescOffset:], 1)
	le.PutUint64(buf[vmdkOffDescSize:], descSectors)
	le.PutUint32(buf[vmdkOffNumGTEs:], gtes)
	le.PutUint64(buf[vmdkOffGDOffset:], gdOffset)
	le.PutUint64(buf[vmdkOffOverhead:], overhead)
	copy(buf[vmdkOffNewlineTest:], "\n \r\n")
	copy(buf[vmdkSector:], desc)
	return buf
}

func vmdkDescriptorText(capacity uint64) string {
	cylinders := min(capacity/(16*63), 16383)
	return fmt.Sprintf(`# Disk DescriptorFile
version=1
CID=fffffffe
parentCID=ffffffff
createType="monolithicSparse"

# Extent description
RW %d SPARSE "disk.vmdk"

# The Disk Data Base
#DDB

ddb.virtualHWVersion = "4"
ddb.adapterType = "ide"
ddb.geometry.cylinders = "%d"
ddb.geometry.heads = "16"
ddb.geometry.sectors = "63"
`, capacity, cylinders)
}

// BuildRaw returns a raw disk of size bytes (rounded up to whole sectors, at
// least one) holding an MBR with one Linux partition over the rest of the disk.
func BuildRaw(size int64) []byte {
	sectors := max((uint64(max(size, 0))+511)/512, 1)
	buf := make([]byte, sectors*512)
	if sectors > 1 {
		entry := buf[446:462]
		entry[4] = 0x83 // partition type: Linux
		binary.LittleEndian.PutUint32(entry[8:], 1)
		binary.LittleEndian.PutUint32(entry[12:], uint32(min(sectors-1, 1<<32-1)))
	}
	buf[mbrSigOffset], buf[mbrSigOffset+1] = 0x55, 0xaa
	return buf
}
