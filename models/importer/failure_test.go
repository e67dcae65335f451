package importer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"imageconsole/models/imagefmt"
)

// cutOff announces a size, then sends only part and closes the connection.
// With announced 0 it sends a chunked body and drops it before the last chunk.
func cutOff(data []byte, announced int) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return // the client then sees an empty 200, which fails the test
		}
		defer conn.Close()
		if announced > 0 {
			fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n", announced)
			_, _ = buf.Write(data)
		} else {
			fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n", len(data))
			_, _ = buf.Write(data)
		}
		_ = buf.Flush()
	}
}

func status(code int) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "no", code) }
}

// closedURL is the address of a server that is no longer listening.
func closedURL() string {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	return srv.URL
}

// noSuchHost fails every dial the way a lookup of an unknown name does.
var noSuchHost = &http.Client{Transport: &http.Transport{
	DialContext: func(_ context.Context, _, addr string) (net.Conn, error) {
		host, _, _ := net.SplitHostPort(addr)
		return nil, &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}}
	},
}}

func TestImport_Failures(t *testing.T) {
	raw := imagefmt.BuildRaw(mib)
	html := []byte("<!DOCTYPE html><html><body><a href=disk.qcow2>Download</a></body></html>")
	tlsSrv := httptest.NewTLSServer(file(raw))
	defer tlsSrv.Close()
	tests := []struct {
		name       string
		source     func(t *testing.T) Source
		opt        Options
		wantErr    error
		wantReason string
		wantNoPut  bool // fails before anything reaches the store
	}{
		{"ErrFTP", link("ftp://example.com/disk.qcow2"), Options{}, ErrBadURL, "ftp:// links are not supported", true},
		{"ErrFile", link("file:///etc/passwd"), Options{}, ErrBadURL, "file:// links are not supported", true},
		{"ErrNoScheme", link("example.com/disk.qcow2"), Options{}, ErrBadURL, "no scheme", true},
		{"ErrNoHost", link("http:///disk.qcow2"), Options{}, ErrBadURL, "no host name", true},
		{"ErrNoURL", link(""), Options{}, ErrBadURL, "no URL was given", true},
		{"ErrBadURL", link("http://[::1"), Options{}, ErrBadURL, "not valid", true},
		{"ErrRefused", link(closedURL()), Options{}, ErrUnreachable, "refused the connection", true},
		{"ErrNoSuchHost", link("http://image.invalid/disk"), Options{Client: noSuchHost}, ErrUnreachable, "image.invalid could not be resolved", true},
		{"ErrUntrustedTLS", link(tlsSrv.URL), Options{}, ErrUnreachable, "TLS certificate", true},
		{"Err404", served(status(404)), Options{}, ErrHTTPStatus, "answered 404 Not Found; check", true},
		{"Err403", served(status(403)), Options{}, ErrHTTPStatus, "answered 403 Forbidden; the link needs a login", true},
		{"Err503", served(status(503)), Options{}, ErrHTTPStatus, "answered 503 Service Unavailable", true},
		{"ErrTooLargeDeclared", served(file(imagefmt.BuildRaw(3 * mib))), Options{MaxBytes: 2 * mib}, ErrTooLarge, "the file is 3 MiB, over the 2 MiB import limit", true},
		{"ErrTooLargeChunked", served(chunked(imagefmt.BuildRaw(3 * mib))), Options{MaxBytes: 2 * mib}, ErrTooLarge, "the download went past the 2 MiB import limit", false},
		{"ErrTooLargeUpload", body(raw, -1), Options{MaxBytes: 64 << 10}, ErrTooLarge, "the upload went past the 64 KiB import limit", false},
		{"ErrTruncated", served(cutOff(raw, 4*mib)), Options{}, ErrTruncated, "the download ended after 1 MiB of the 4 MiB announced", false},
		{"ErrTruncatedChunked", served(cutOff(raw, 0)), Options{}, ErrTruncated, "the download broke off after 1 MiB", false},
		{"ErrUploadShort", body(raw, 2*mib), Options{}, ErrTruncated, "the upload ended after 1 MiB of the 2 MiB announced", false},
		{"ErrUploadLong", body(raw, mib/2), Options{}, ErrTruncated, "the upload sent more than the 512 KiB it announced", false},
		{"ErrUploadBroken", readErr(raw[:mib/4]), Options{}, ErrTruncated, "the upload broke off after 256 KiB", false},
		{"ErrHTML", served(file(html)), Options{}, ErrUnsupported, "HTML page", false},
		{"ErrEmpty", body(nil, -1), Options{}, ErrUnsupported, "the file is empty", false},
		{"ErrMalformed", served(file(zeroSizeQCOW2())), Options{}, ErrMalformed, "disk size of 0 bytes", false},
		{"ErrISO", served(file(imagefmt.BuildISO(mib))), Options{}, ErrISONeedsForce, "import it again with Force", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := MustStore(t)
			got, err := Import(context.Background(), tt.source(t), store, "img", local(tt.opt))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want errors.Is %v", err, tt.wantErr)
			}
			if reason := Reason(err); !strings.Contains(reason, tt.wantReason) {
				t.Errorf("Reason = %q, want it to contain %q", reason, tt.wantReason)
			}
			if got != (Result{}) {
				t.Errorf("result = %+v, want the zero Result", got)
			}
			if b := stored(t, store, "img"); b != nil {
				t.Errorf("a %d-byte blob was left behind", len(b))
			}
			if tt.wantNoPut && store.puts != 0 {
				t.Errorf("Put called %d times, want 0", store.puts)
			}
		})
	}
}

func TestImport_DeleteFails(t *testing.T) {
	store := MustStore(t)
	store.deleteErr = errors.New("disk on fire")
	_, err := Import(context.Background(), Source{Body: strings.NewReader("plain text"), Size: -1}, store, "img", Options{})
	if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("err = %v, want ErrUnsupported mentioning the failed delete", err)
	}
	if got, want := Reason(err), "unsupported image format: the file is plain text"; !strings.HasPrefix(got, want) {
		t.Errorf("Reason = %q, want it to start with %q", got, want)
	}
}

func link(u string) func(*testing.T) Source {
	return func(*testing.T) Source { return Source{URL: u} }
}

func served(h http.HandlerFunc) func(*testing.T) Source {
	return func(t *testing.T) Source { return Source{URL: MustServe(t, h)} }
}

func body(data []byte, size int64) func(*testing.T) Source {
	return func(*testing.T) Source { return Source{Body: bytes.NewReader(data), Size: size} }
}

// readErr yields data, then fails the way a dropped upload connection does.
func readErr(data []byte) func(*testing.T) Source {
	return func(*testing.T) Source {
		return Source{Body: &failAfter{bytes.NewReader(data)}, Size: -1}
	}
}

type failAfter struct{ r *bytes.Reader }

func (f *failAfter) Read(p []byte) (int, error) {
	if f.r.Len() == 0 {
		return 0, errors.New("connection reset by peer")
	}
	return f.r.Read(p)
}

func zeroSizeQCOW2() []byte {
	b := imagefmt.BuildQCOW2(mib)
	clear(b[24:32]) // the virtual size field
	return b
}
