package imagefmt

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

const mib = 1 << 20

// patch returns a copy of b with fn applied, so table rows can't share bytes.
func patch(b []byte, fn func(b []byte)) []byte {
	c := bytes.Clone(b)
	fn(c)
	return c
}

func be64(off int, v uint64) func([]byte) {
	return func(b []byte) { binary.BigEndian.PutUint64(b[off:], v) }
}

func be32(off int, v uint32) func([]byte) {
	return func(b []byte) { binary.BigEndian.PutUint32(b[off:], v) }
}

func le64(off int, v uint64) func([]byte) {
	return func(b []byte) { binary.LittleEndian.PutUint64(b[off:], v) }
}

// vhdFooterOf returns a footer for size patched by fn, with a fresh checksum.
func vhdFooterOf(size uint64, fn func([]byte)) []byte {
	f := vhdFooter(size, vhdTypeFixed, ^uint64(0))
	fn(f)
	binary.BigEndian.PutUint32(f[vhdOffChecksum:], checksum(f, vhdOffChecksum))
	return f
}

const descriptor = `# Disk DescriptorFile
version=1
createType="twoGbMaxExtentSparse"

# Extent description
RW 4192256 SPARSE "disk-s001.vmdk"
RW 2048 SPARSE "disk-s002.vmdk"
`

func TestDetect(t *testing.T) {
	gpt := patch(BuildRaw(mib), func(b []byte) {
		b[510], b[511] = 0, 0
		copy(b[512:], gptSignature)
	})
	hybridISO := patch(BuildISO(mib), func(b []byte) { b[510], b[511] = 0x55, 0xaa })
	tests := []struct {
		name    string
		data    []byte
		size    int64 // 0: len(data)
		want    Info
		wantErr error
		wantMsg string // part of the error message
	}{
		{name: "qcow2 v3", data: BuildQCOW2(mib), want: Info{QCOW2, mib}},
		{name: "qcow2 v2", data: patch(BuildQCOW2(3*mib), be32(4, 2)), want: Info{QCOW2, 3 * mib}},
		{name: "qcow2 64 TiB", data: BuildQCOW2(MaxVirtualSize), want: Info{QCOW2, MaxVirtualSize}},
		{name: "vmdk sparse", data: BuildVMDK(mib), want: Info{VMDK, mib}},
		{name: "vmdk descriptor", data: []byte(descriptor), want: Info{VMDK, (4192256 + 2048) * 512}},
		{name: "vhd dynamic", data: BuildVHDDynamic(5 * mib), want: Info{VHD, 5 * mib}},
		{name: "raw mbr", data: BuildRaw(mib), want: Info{RAW, mib}},
		{name: "raw gpt", data: gpt, want: Info{RAW, mib}},
		{name: "iso", data: BuildISO(100 << 10), want: Info{ISO, 100 << 10}},
		{name: "hybrid iso with mbr", data: hybridISO, want: Info{ISO, mib}},
		{name: "header shorter than file", data: BuildRaw(mib)[:HeaderSize], size: 8 * mib, want: Info{RAW, 8 * mib}},

		{name: "ErrEmpty", data: nil, wantErr: ErrUnsupported, wantMsg: "empty"},
		{name: "ErrHTML", data: []byte("\n  <!DOCTYPE html><html><body>Download</body></html>"), wantErr: ErrUnsupported, wantMsg: "HTML page"},
		{name: "ErrGzip", data: []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00"), wantErr: ErrUnsupported, wantMsg: "gzip archive"},
		{name: "ErrZip", data: []byte("PK\x03\x04\x14\x00"), wantErr: ErrUnsupported, wantMsg: "zip archive"},
		{name: "ErrTar", data: patch(make([]byte, 1024), func(b []byte) { copy(b[257:], "ustar\x0000") }), wantErr: ErrUnsupported, wantMsg: "tar archive"},
		{name: "ErrText", data: []byte("hello, world\n"), wantErr: ErrUnsupported, wantMsg: "plain text"},
		{name: "ErrZeros", data: make([]byte, 4096), wantErr: ErrUnsupported, wantMsg: "supported formats are qcow2, vmdk, vhd, iso and raw"},
		{name: "ErrQCOW2Truncated", data: BuildQCOW2(mib)[:16], wantErr: ErrMalformed, wantMsg: "truncated"},
		{name: "ErrQCOW2V3Truncated", data: BuildQCOW2(mib)[:80], wantErr: ErrMalformed, wantMsg: "truncated"},
		{name: "ErrQCOW2ZeroSize", data: patch(BuildQCOW2(mib), be64(24, 0)), wantErr: ErrMalformed, wantMsg: "0 bytes"},
		{name: "ErrQCOW2TooBig", data: patch(BuildQCOW2(mib), be64(24, 1<<46+1)), wantErr: ErrMalformed, wantMsg: "64 TiB"},
		{name: "ErrQCOW2Version1", data: patch(BuildQCOW2(mib), be32(4, 1)), wantErr: ErrUnsupported, wantMsg: "version 1"},
		{name: "ErrQCOW2Backing", data: patch(BuildQCOW2(mib), be64(8, 512)), wantErr: ErrUnsupported, wantMsg: "backing file"},
		{name: "ErrQCOW2Encrypted", data: patch(BuildQCOW2(mib), be32(32, 1)), wantErr: ErrUnsupported, wantMsg: "encrypted"},
		{name: "ErrQCOW2ClusterBits", data: patch(BuildQCOW2(mib), be32(20, 40)), wantErr: ErrMalformed, wantMsg: "cluster size"},
		{name: "ErrVMDKTruncated", data: BuildVMDK(mib)[:10], wantErr: ErrMalformed, wantMsg: "truncated"},
		{name: "ErrVMDKZeroSize", data: patch(BuildVMDK(mib), le64(12, 0)), wantErr: ErrMalformed, wantMsg: "0 bytes"},
		{name: "ErrVMDKTooBig", data: patch(BuildVMDK(mib), le64(12, 1<<60)), wantErr: ErrMalformed, wantMsg: "64 TiB"},
		{name: "ErrVMDKGrain", data: patch(BuildVMDK(mib), le64(20, 100)), wantErr: ErrMalformed, wantMsg: "grain size"},
		{name: "ErrVMDKNoExtents", data: []byte("# Disk DescriptorFile\nversion=1\n"), wantErr: ErrMalformed, wantMsg: "no extents"},
		{name: "ErrVMDKBadExtent", data: []byte("# Disk DescriptorFile\nRW lots SPARSE \"a.vmdk\"\n"), wantErr: ErrMalformed, wantMsg: "sector count"},
		{name: "ErrVHDChecksum", data: patch(BuildVHDDynamic(mib), be64(vhdOffCurrentSize, 2*mib)), wantErr: ErrMalformed, wantMsg: "checksum"},
		{name: "ErrVHDDifferencing", data: vhdFooterOf(mib, be32(vhdOffDiskType, vhdTypeDiff)), wantErr: ErrUnsupported, wantMsg: "differencing"},
		{name: "ErrVHDFixedTruncated", data: vhdFooterOf(mib, func([]byte) {}), wantErr: ErrMalformed, wantMsg: "truncated"},
		{name: "ErrISOTruncated", data: BuildISO(mib)[:HeaderSize], wantErr: ErrMalformed, wantMsg: "truncated"},
		{name: "ErrRawOddSize", data: BuildRaw(mib)[:mib-100], wantErr: ErrMalformed, wantMsg: "512-byte sectors"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			size := tt.size
			if size == 0 {
				size = int64(len(tt.data))
			}
			got, err := Detect(head(tt.data), size)
			checkResult(t, got, err, tt.want, tt.wantErr, tt.wantMsg)
		})
	}
}

func TestDetectFile(t *testing.T) {
	fixed := BuildVHDFixed(mib)
	mbrVHD := patch(fixed, func(b []byte) { b[510], b[511] = 0x55, 0xaa })
	tests := []struct {
		name    string
		data    []byte
		size    int64 // 0: len(data)
		want    Info
		wantErr error
		wantMsg string
	}{
		{name: "vhd fixed", data: fixed, want: Info{VHD, mib}},
		{name: "vhd fixed whose data has an mbr", data: mbrVHD, want: Info{VHD, mib}},
		{name: "vhd dynamic", data: BuildVHDDynamic(3 * mib), want: Info{VHD, 3 * mib}},
		{name: "qcow2", data: BuildQCOW2(mib), want: Info{QCOW2, mib}},
		{name: "raw", data: BuildRaw(mib), want: Info{RAW, mib}},
		{name: "ErrVHDFixedMissingData", data: append(bytes.Clone(fixed[:4096]), fixed[len(fixed)-FooterSize:]...), wantErr: ErrMalformed, wantMsg: "truncated"},
		{name: "ErrUnknown", data: make([]byte, 8192), wantErr: ErrUnsupported, wantMsg: "not a disk image"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			size := tt.size
			if size == 0 {
				size = int64(len(tt.data))
			}
			got, err := DetectFile(head(tt.data), tail(tt.data), size)
			checkResult(t, got, err, tt.want, tt.wantErr, tt.wantMsg)
		})
	}
}

func TestDetectFooter(t *testing.T) {
	tests := []struct {
		name    string
		data    []byte
		want    Info
		wantErr error
	}{
		{name: "fixed", data: tail(BuildVHDFixed(2 * mib)), want: Info{VHD, 2 * mib}},
		{name: "longer tail", data: BuildVHDFixed(4096), want: Info{VHD, 4096}},
		{name: "ErrNoCookie", data: tail(BuildRaw(mib)), wantErr: ErrUnsupported},
		{name: "ErrShort", data: []byte("conectix"), wantErr: ErrUnsupported},
		{name: "ErrZeroSize", data: vhdFooterOf(0, func([]byte) {}), wantErr: ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DetectFooter(tt.data)
			checkResult(t, got, err, tt.want, tt.wantErr, "")
		})
	}
}

func TestBuilders(t *testing.T) {
	tests := []struct {
		name    string
		build   func(int64) []byte
		size    int64
		want    Info
		wantLen int
	}{
		{"qcow2 small clusters", BuildQCOW2, mib, Info{QCOW2, mib}, 4 * 512},
		{"qcow2 default clusters", BuildQCOW2, 1 << 40, Info{QCOW2, 1 << 40}, 4 * 64 << 10},
		{"vmdk rounds up to sectors", BuildVMDK, 3*mib + 100, Info{VMDK, 3*mib + 512}, 64 << 10},
		{"vhd fixed", BuildVHDFixed, mib, Info{VHD, mib}, mib + FooterSize},
		{"vhd dynamic", BuildVHDDynamic, 5 * mib, Info{VHD, 5 * mib}, 3*FooterSize + 1024},
		{"raw", BuildRaw, mib, Info{RAW, mib}, mib},
		{"raw of one sector", BuildRaw, 0, Info{RAW, 512}, 512},
		{"iso at least 21 sectors", BuildISO, 2048, Info{ISO, 21 * isoSector}, 21 * isoSector},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.build(tt.size)
			if len(b) != tt.wantLen {
				t.Errorf("len = %d, want %d", len(b), tt.wantLen)
			}
			got, err := DetectFile(head(b), tail(b), int64(len(b)))
			if err != nil {
				t.Fatalf("DetectFile: %v", err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func head(b []byte) []byte { return b[:min(len(b), HeaderSize)] }

func tail(b []byte) []byte { return b[max(len(b)-FooterSize, 0):] }

func checkResult(t *testing.T, got Info, err error, want Info, wantErr error, wantMsg string) {
	t.Helper()
	if wantErr != nil {
		if !errors.Is(err, wantErr) {
			t.Fatalf("err = %v, want errors.Is %v", err, wantErr)
		}
		if !strings.Contains(err.Error(), wantMsg) {
			t.Errorf("err = %q, want it to mention %q", err, wantMsg)
		}
		return
	}
	if err != nil {
		t.Fatalf("err = %v, want nil", err)
	}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}
