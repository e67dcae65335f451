package imagefmt

import (
	"bytes"
	"encoding/binary"
)

// Sectors of the ISO images BuildISO lays out after the 16-sector system area.
const (
	isoSectorPVD = 16 + iota
	isoSectorTerminator
	isoSectorRoot
	isoSectorLPathTable
	isoSectorMPathTable
	isoMinSectors
)

// BuildISO returns an ISO 9660 image of size bytes (rounded up to whole
// 2048-byte sectors, and at least 21 of them) with an empty root directory.
func BuildISO(size int64) []byte {
	sectors := max((uint64(max(size, 0))+isoSector-1)/isoSector, isoMinSectors)
	buf := make([]byte, sectors*isoSector)
	at := func(sector int) []byte { return buf[sector*isoSector : (sector+1)*isoSector] }

	pvd := at(isoSectorPVD)
	pvd[0], pvd[6] = isoTypePrimary, 1
	copy(pvd[1:], isoMagic)
	copy(pvd[8:72], bytes.Repeat([]byte(" "), 64)) // system and volume identifiers
	copy(pvd[40:], "IMAGECONSOLE")
	bothEndian32(pvd[isoOffSpaceSize:], uint32(sectors))
	bothEndian16(pvd[120:], 1) // volume set size
	bothEndian16(pvd[124:], 1) // volume sequence number
	bothEndian16(pvd[isoOffBlockSize:], isoSector)
	bothEndian32(pvd[132:], 10) // path table size: the root entry only
	binary.LittleEndian.PutUint32(pvd[140:], isoSectorLPathTable)
	binary.BigEndian.PutUint32(pvd[148:], isoSectorMPathTable)
	isoDirRecord(pvd[156:], 0)
	copy(pvd[190:813], bytes.Repeat([]byte(" "), 813-190)) // set, publisher, preparer, application, file ids
	for _, off := range []int{813, 830, 847, 864} {        // dates: all unset
		copy(pvd[off:off+16], "0000000000000000")
	}
	pvd[881] = 1 // file structure version

	term := at(isoSectorTerminator)
	term[0], term[6] = isoTypeTerminator, 1
	copy(term[1:], isoMagic)

	root := at(isoSectorRoot)
	isoDirRecord(root, 0)      // "."
	isoDirRecord(root[34:], 1) // ".."

	for _, s := range []int{isoSectorLPathTable, isoSectorMPathTable} {
		pt := at(s)
		pt[0] = 1 // the root's identifier length; its identifier is 0
		if s == isoSectorLPathTable {
			binary.LittleEndian.PutUint32(pt[2:], isoSectorRoot)
			binary.LittleEndian.PutUint16(pt[6:], 1)
		} else {
			binary.BigEndian.PutUint32(pt[2:], isoSectorRoot)
			binary.BigEndian.PutUint16(pt[6:], 1)
		}
	}
	return buf
}

// isoDirRecord writes the 34-byte directory record of the root directory,
// named by the single byte name (0 for "." and the PVD's root, 1 for "..").
func isoDirRecord(b []byte, name byte) {
	b[0] = 34
	bothEndian32(b[2:], isoSectorRoot)
	bothEndian32(b[10:], isoSector)
	b[25] = 2 // a directory
	bothEndian16(b[28:], 1)
	b[32], b[33] = 1, name
}

func bothEndian32(b []byte, v uint32) {
	binary.LittleEndian.PutUint32(b, v)
	binary.BigEndian.PutUint32(b[4:], v)
}

func bothEndian16(b []byte, v uint16) {
	binary.LittleEndian.PutUint16(b, v)
	binary.BigEndian.PutUint16(b[2:], v)
}
