//go:build linux

package handlers_test

import (
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
)

// bigForm is a streamed multipart body of n bytes (one file field of
// zeros), generated as it is read, so the test holds none of it; read
// counts the bytes the client has taken from it.
type bigForm struct {
	head, tail []byte
	n, off     int64
	read       *atomic.Int64
}

const formBoundary = "limits-test-boundary"

func newBigForm(n int64, read *atomic.Int64) *bigForm {
	return &bigForm{n: n, read: read,
		head: []byte("--" + formBoundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"disk.raw\"\r\n" +
			"Content-Type: application/octet-stream\r\n\r\n"),
		tail: []byte("\r\n--" + formBoundary + "--\r\n")}
}

func (b *bigForm) size() int64 { return int64(len(b.head)) + b.n + int64(len(b.tail)) }

func (b *bigForm) Read(p []byte) (int, error) {
	total := b.size()
	if b.off >= total {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), total-b.off))
	for i := range n {
		switch at := b.off + int64(i); {
		case at < int64(len(b.head)):
			p[i] = b.head[at]
		case at >= int64(len(b.head))+b.n:
			p[i] = b.tail[at-int64(len(b.head))-b.n]
		default:
			p[i] = 0
		}
	}
	b.off += int64(n)
	b.read.Add(int64(n))
	return n, nil
}

// watchWrites reports whether anything was created in or written to dir
// between the call and done (inotify: files that are spooled and removed
// again at the end of the request leave no trace otherwise).
func watchWrites(t *testing.T, dir string) (done func() bool) {
	t.Helper()
	fd, err := syscall.InotifyInit1(syscall.IN_NONBLOCK | syscall.IN_CLOEXEC)
	if err != nil {
		t.Fatalf("inotify: %v", err)
	}
	if _, err := syscall.InotifyAddWatch(fd, dir, syscall.IN_CREATE|syscall.IN_MODIFY); err != nil {
		t.Fatalf("inotify watch: %v", err)
	}
	return func() bool {
		defer syscall.Close(fd)
		buf := make([]byte, 4096)
		n, err := syscall.Read(fd, buf)
		return err == nil && n > 0
	}
}

func dirBytes(t *testing.T, dir string) int64 {
	var total int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				total += info.Size()
			}
		}
		return nil
	})
	return total
}

// TestLimits_NothingSpooled: 100 MiB bodies sent to the sign-in form, an
// unknown path, a signed-in form route and the upload without a session are
// refused without a byte reaching the temp dir (where Go's multipart parser
// spools files) and without the server reading more than its limit.
func TestLimits_NothingSpooled(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.get("/signin") // a CSRF cookie and token, as an attacker would fetch first
	spool, err := os.MkdirTemp("", "spool-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(spool)
	t.Setenv("TMPDIR", spool) // os.TempDir, and so mime/multipart, read it at each call
	const size = 100 << 20
	tests := []struct {
		name      string
		path      string
		chunked   bool // no Content-Length: the limit must cut the stream
		withToken bool
		want      int
	}{
		{"SignInDeclared", "/signin", false, false, http.StatusRequestEntityTooLarge},
		{"SignInStreamed", "/signin", true, false, http.StatusForbidden},
		{"SignInStreamedWithToken", "/signin", true, true, http.StatusSeeOther},
		{"UnknownPath", "/no/such/page", true, true, http.StatusNotFound},
		{"FormWithoutSession", "/images/img-12345678/delete", true, false, http.StatusSeeOther},
		{"FormWithoutSessionDeclared", "/apikeys", false, false, http.StatusRequestEntityTooLarge},
		{"UploadWithoutSession", "/images/import", true, false, http.StatusSeeOther},
		{"UploadWithoutSessionDeclared", "/images/import", false, true, http.StatusSeeOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var read atomic.Int64
			body := newBigForm(size, &read)
			req, err := http.NewRequest(http.MethodPost, ts.URL+tt.path, body)
			if err != nil {
				t.Fatal(err)
			}
			req.ContentLength = body.size()
			if tt.chunked {
				req.ContentLength = -1
			}
			req.Header.Set("Content-Type", "multipart/form-data; boundary="+formBoundary)
			if tt.withToken {
				req.Header.Set("X-CSRF-Token", c.csrf)
			}
			written := watchWrites(t, spool)
			res, err := c.http.Do(req)
			switch {
			case err != nil && tt.chunked && (errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)):
				// The server answered and closed without reading the rest;
				// the client, still writing, may see only the reset.
			case err != nil:
				t.Fatalf("request: %v", err)
			default:
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != tt.want {
					t.Errorf("status = %d, want %d", res.StatusCode, tt.want)
				}
			}
			if written() {
				t.Errorf("something was written to the temp dir")
			}
			if n := dirBytes(t, spool); n != 0 {
				t.Errorf("%d bytes in the temp dir, want 0", n)
			}
			// The client may have pushed a few socket buffers' worth more
			// than the server read, never the whole body.
			if n := read.Load(); n > 16<<20 {
				t.Errorf("the server took %d MiB of the body", n>>20)
			}
		})
	}
}

// TestLimits_PublicRoutes: the gate asks no session of the public routes,
// and one of everything else.
func TestLimits_PublicRoutes(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	for path, want := range map[string]int{"/static/css/app.css": http.StatusOK, "/signin": http.StatusOK, "/signup": http.StatusOK,
		"/healthz": http.StatusOK, "/": http.StatusSeeOther, "/images": http.StatusSeeOther, "/apikeys": http.StatusSeeOther,
		"/no/such/page": http.StatusNotFound} {
		res, err := c.http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("GET %s without a session: %d, want %d", path, res.StatusCode, want)
		}
	}
}

// TestLimits_UnreadBodyKeepAlive: posts with bodies to a path no route
// serves, one after another on one keep-alive connection, are all answered.
// The gate once emptied the server's own request, and the server then read
// the rest of the body after it had started waiting for the next request:
// a panic that dropped the connection.
func TestLimits_UnreadBodyKeepAlive(t *testing.T) {
	ts := newTestServer(t)
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 1}}
	defer client.CloseIdleConnections()
	body := strings.Repeat("field=value&", 300)
	for i := range 30 {
		res, err := client.Post(ts.URL+"/no/such/page", "application/x-www-form-urlencoded", strings.NewReader(body))
		if err != nil {
			t.Fatalf("post %d: %v", i, err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
			t.Fatalf("post %d: status %d, want 403 or 404", i, res.StatusCode)
		}
	}
}
