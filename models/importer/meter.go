package importer

import (
	"crypto/sha256"
	"errors"
	"hash"
	"io"

	"imageconsole/models/imagefmt"
)

// progressStep is the reporting interval while the expected size is unknown.
const progressStep = 256 << 10

// meter is the reader handed to the blob store: it counts, hashes, keeps the
// head and tail that format detection needs, reports progress, and stops the
// copy as soon as the body breaks a limit. Its first failure is kept in err,
// because a store may wrap or replace the error it gets back.
type meter struct {
	in       input
	max      int64 // Options.MaxBytes; 0 or less: no limit
	progress func(read, expected int64)
	step     int64
	dog      *watchdog // counts arrivals; a read it cut off is a stall

	n        int64
	reported int64
	hash     hash.Hash
	head     []byte
	tail     tail
	eof      bool
	err      error
}

func newMeter(in input, opt Options) *meter {
	step := int64(progressStep)
	if in.expected > 0 {
		step = max(in.expected/100, 1)
	}
	return &meter{
		in: in, max: opt.MaxBytes, progress: opt.Progress, step: step,
		hash: sha256.New(), head: make([]byte, 0, imagefmt.HeaderSize),
	}
}

func (m *meter) Read(p []byte) (int, error) {
	if m.err != nil {
		return 0, m.err
	}
	if limit := m.limit(); limit >= 0 && int64(len(p)) > limit-m.n+1 {
		p = p[:limit-m.n+1] // read at most one byte past the limit
	}
	n, err := m.in.body.Read(p)
	if m.dog != nil {
		m.dog.add(n)
	}
	switch {
	case m.max > 0 && m.n+int64(n) > m.max:
		m.err = fail(ErrTooLarge, nil, m.in.id("err.importer.tooLarge"), "Max", formatSize(m.max))
		return 0, m.err
	case m.in.expected >= 0 && m.n+int64(n) > m.in.expected:
		m.err = fail(ErrTruncated, nil, m.in.id("err.importer.sentMore"),
			"Size", formatSize(m.in.expected))
		return 0, m.err
	}
	m.add(p[:n])
	switch {
	case errors.Is(err, io.EOF):
		m.eof = true
	case err != nil:
		m.err = m.cutOff(err)
		if m.dog != nil {
			if stalled := m.dog.err(); stalled != nil {
				m.err = stalled
			}
		}
		return n, m.err
	}
	return n, err
}

// limit is the most bytes the body may yield, -1 for no limit.
func (m *meter) limit() int64 {
	switch {
	case m.max > 0 && m.in.expected >= 0:
		return min(m.max, m.in.expected)
	case m.max > 0:
		return m.max
	}
	return m.in.expected
}

func (m *meter) add(p []byte) {
	m.n += int64(len(p))
	m.hash.Write(p)
	if room := imagefmt.HeaderSize - len(m.head); room > 0 {
		m.head = append(m.head, p[:min(room, len(p))]...)
	}
	m.tail.add(p)
	if m.progress != nil && m.n-m.reported >= m.step {
		m.reported = m.n
		m.progress(m.n, m.in.expected)
	}
}

// cutOff describes a body that broke off: an unexpected EOF when the server
// closes early, or any other read error mid-transfer.
func (m *meter) cutOff(err error) error {
	if m.in.expected >= 0 {
		return fail(ErrTruncated, err, m.in.id("err.importer.endedEarly"),
			"Got", formatSize(m.n), "Size", formatSize(m.in.expected))
	}
	return fail(ErrTruncated, err, m.in.id("err.importer.brokeOff"), "Got", formatSize(m.n))
}

// finish makes the last progress report, read == expected, once all bytes are in.
func (m *meter) finish() {
	if m.progress != nil && (m.reported != m.n || m.in.expected < 0 || m.n == 0) {
		m.reported = m.n
		m.progress(m.n, m.n)
	}
}

// tail keeps the last imagefmt.FooterSize bytes seen, where a VHD keeps its footer.
type tail struct {
	buf []byte
}

func (t *tail) add(p []byte) {
	const size = imagefmt.FooterSize
	if len(p) >= size {
		t.buf = append(t.buf[:0], p[len(p)-size:]...)
		return
	}
	if keep := size - len(p); len(t.buf) > keep {
		t.buf = t.buf[:copy(t.buf, t.buf[len(t.buf)-keep:])]
	}
	t.buf = append(t.buf, p...)
}

func (t *tail) bytes() []byte { return t.buf }
