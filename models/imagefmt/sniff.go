package imagefmt

import (
	"io"
	"strings"
)

// Formats are the formats Detect recognises, in the order a message
// listing them names them.
var Formats = []Format{QCOW2, VMDK, VHD, RAW, ISO}

// FormatList names the supported formats for a message: "qcow2, vmdk, vhd,
// raw, iso".
func FormatList() string {
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

// Sniffer passes a file through while keeping what DetectFile needs: its
// first HeaderSize bytes, its last FooterSize bytes and its length. A file
// can so be checked as it is copied, without a second read.
type Sniffer struct {
	r    io.Reader
	head []byte
	tail []byte
	n    int64
}

// NewSniffer wraps r.
func NewSniffer(r io.Reader) *Sniffer { return &Sniffer{r: r} }

// Read reads from the wrapped reader and remembers the head and the tail.
func (s *Sniffer) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	b := p[:n]
	if room := HeaderSize - len(s.head); room > 0 {
		s.head = append(s.head, b[:min(room, len(b))]...)
	}
	s.keepTail(b)
	s.n += int64(n)
	return n, err
}

func (s *Sniffer) keepTail(b []byte) {
	if len(b) >= FooterSize {
		s.tail = append(s.tail[:0], b[len(b)-FooterSize:]...)
		return
	}
	if keep := FooterSize - len(b); len(s.tail) > keep {
		s.tail = s.tail[:copy(s.tail, s.tail[len(s.tail)-keep:])]
	}
	s.tail = append(s.tail, b...)
}

// Size is how many bytes went through.
func (s *Sniffer) Size() int64 { return s.n }

// Detect identifies what went through, as DetectFile does.
func (s *Sniffer) Detect() (Info, error) { return DetectFile(s.head, s.tail, s.n) }
