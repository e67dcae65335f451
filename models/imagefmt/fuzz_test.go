package imagefmt

import (
	"errors"
	"testing"
)

// FuzzDetect checks that no input makes detection panic, and that every answer
// is either a known format with a plausible size or one of the two sentinel errors.
// Seeds beyond these live in testdata/fuzz/FuzzDetect.
func FuzzDetect(f *testing.F) {
	f.Add(BuildQCOW2(mib)[:qcow2V3HeaderLen], int64(mib))
	f.Add(BuildVMDK(mib)[:vmdkHeaderLen], int64(64<<10))
	f.Add(BuildVHDDynamic(mib)[:FooterSize], int64(2560))
	f.Add(BuildISO(mib)[:isoPVDOffset+isoPVDMinLen], int64(mib))
	f.Add([]byte{}, int64(0))
	f.Fuzz(func(t *testing.T, data []byte, size int64) {
		info, err := Detect(data, size)
		check(t, "Detect", info, err)
		info, err = DetectFile(data, tail(data), size)
		check(t, "DetectFile", info, err)
		info, err = DetectFooter(data)
		check(t, "DetectFooter", info, err)
	})
}

func check(t *testing.T, fn string, info Info, err error) {
	t.Helper()
	if err != nil {
		if !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrMalformed) {
			t.Fatalf("%s: err = %v, want ErrUnsupported or ErrMalformed", fn, err)
		}
		return
	}
	switch info.Format {
	case QCOW2, VMDK, VHD, RAW, ISO:
	default:
		t.Fatalf("%s: format = %q, want a known one", fn, info.Format)
	}
	if info.VirtualSize <= 0 || info.VirtualSize > MaxVirtualSize {
		t.Fatalf("%s: virtual size = %d, want 1..%d", fn, info.VirtualSize, MaxVirtualSize)
	}
}
