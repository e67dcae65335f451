package importer

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"imageconsole/models/imagefmt"
)

// hang sends the status line and the first sent bytes of a 1 MiB body
// (none: not even headers when sent is nil), then sends nothing more until
// the client gives up.
func hang(sent []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if sent != nil {
			w.Header().Set("Content-Length", "1048576")
			_, _ = w.Write(sent)
			w.(http.Flusher).Flush()
		}
		<-r.Context().Done()
	}
}

// trickle sends a byte every 10 ms: something always arrives, far too
// little to ever finish.
func trickle(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Length", "1048576")
	for {
		select {
		case <-r.Context().Done():
			return
		case <-time.After(10 * time.Millisecond):
			_, _ = w.Write([]byte{0})
			w.(http.Flusher).Flush()
		}
	}
}

func TestImport_Stall(t *testing.T) {
	const window = 200 * time.Millisecond
	tests := []struct {
		name       string
		handler    http.HandlerFunc
		wantErr    error
		wantReason string
	}{
		{"OK/FastServer", file(imagefmt.BuildRaw(mib)), nil, ""},
		{"ErrNoAnswer", hang(nil), ErrStalled, "the server stopped sending data for 200ms"},
		{"ErrStopsAfterOneByte", hang([]byte{0}), ErrStalled, "the server sent only 1 byte in 200ms, too slow"},
		{"ErrTrickle", trickle, ErrStalled, "too slow to import from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := MustStore(t)
			// The test's own bound is generous: only a missing stall
			// detection comes near it.
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			_, err := Import(ctx, Source{URL: MustServe(t, tt.handler)}, store, "img", Options{StallTimeout: window, Client: loopback})
			if ctx.Err() != nil {
				t.Fatalf("the import was still waiting after a minute: no stall detected")
			}
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("err = %v, want errors.Is %v", err, tt.wantErr)
			}
			if reason := Reason(err); !strings.Contains(reason, tt.wantReason) {
				t.Errorf("Reason = %q, want it to contain %q", reason, tt.wantReason)
			}
			if b := stored(t, store, "img"); tt.wantErr != nil && b != nil {
				t.Errorf("a %d-byte blob was left behind", len(b))
			}
		})
	}
}
