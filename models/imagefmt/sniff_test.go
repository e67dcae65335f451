package imagefmt

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// TestSniffer checks that a file read through a Sniffer, in chunks of any
// size, is identified as DetectFile identifies the whole file.
func TestSniffer(t *testing.T) {
	plain := bytes.Repeat([]byte{0x5a}, 2*mib) // no magic anywhere
	vhdNoTable := append(bytes.Clone(plain), vhdFooterOf(uint64(len(plain)), func([]byte) {})...)
	files := []struct {
		name    string
		data    []byte
		want    Format
		wantErr error
	}{
		{"qcow2", BuildQCOW2(4 * mib), QCOW2, nil},
		{"vmdk", BuildVMDK(4 * mib), VMDK, nil},
		{"fixed vhd", BuildVHDFixed(mib), VHD, nil},
		{"fixed vhd without a partition table", vhdNoTable, VHD, nil},
		{"raw", BuildRaw(mib), RAW, nil},
		{"iso", BuildISO(mib), ISO, nil},
		{"39 bytes of text", []byte("this is not a disk image, just text.\n\n\n"), "", ErrUnsupported},
		{"binary without magic", plain, "", ErrUnsupported},
		{"empty", nil, "", ErrUnsupported},
	}
	readers := map[string]func(io.Reader) io.Reader{
		"one byte at a time": iotest.OneByteReader,
		"half reads":         iotest.HalfReader,
		"whole":              func(r io.Reader) io.Reader { return r },
	}
	for _, f := range files {
		for rname, wrap := range readers {
			if rname == "one byte at a time" && len(f.data) > mib {
				continue // slow, and the chunked readers cover the tail logic
			}
			t.Run(f.name+"/"+rname, func(t *testing.T) {
				s := NewSniffer(wrap(bytes.NewReader(f.data)))
				got, err := io.ReadAll(s)
				if err != nil || !bytes.Equal(got, f.data) {
					t.Fatalf("the sniffer changed the bytes (err %v)", err)
				}
				if s.Size() != int64(len(f.data)) {
					t.Errorf("Size = %d, want %d", s.Size(), len(f.data))
				}
				info, err := s.Detect()
				if f.wantErr != nil {
					if !errors.Is(err, f.wantErr) {
						t.Fatalf("Detect = %v, %v; want %v", info, err, f.wantErr)
					}
					return
				}
				if err != nil || info.Format != f.want {
					t.Fatalf("Detect = %v, %v; want %s", info, err, f.want)
				}
			})
		}
	}
}

func TestFormatList(t *testing.T) {
	if got, want := FormatList(), "qcow2, vmdk, vhd, raw, iso"; got != want {
		t.Errorf("FormatList = %q, want %q", got, want)
	}
}
