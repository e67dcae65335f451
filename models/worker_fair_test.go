package models_test

import (
	"context"
	"imageconsole/models/i18n"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"imageconsole/models"
	"imageconsole/models/storetest"
)

// stalledServer answers every request with the first byte of a 1 MiB body,
// then sends nothing until the client gives up or the test ends. It records
// how many downloads it served at once, at most.
type stalledServer struct {
	URL          string
	running, max atomic.Int32
}

func newStalledServer(t *testing.T) *stalledServer {
	t.Helper()
	s := &stalledServer{}
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := s.running.Add(1)
		defer s.running.Add(-1)
		for m := s.max.Load(); n > m && !s.max.CompareAndSwap(m, n); m = s.max.Load() {
		}
		w.Header().Set("Content-Length", "1048576")
		_, _ = w.Write([]byte{0})
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	s.URL = srv.URL + "/disk.qcow2"
	return s
}

// runWorkers runs replicas workers of n goroutines each, like replicas of
// the console on one database, until the test ends.
func runWorkers(t *testing.T, s *models.Store, replicas, n int, edit func(*models.Worker)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := range replicas {
		w := &models.Worker{Store: s, ID: "replica-" + string(rune('a'+i)), Poll: 10 * time.Millisecond, ImportAllowNetworks: storetest.Loopback}
		edit(w)
		wg.Add(1)
		go func() { defer wg.Done(); w.Run(ctx, n) }()
	}
	t.Cleanup(func() { cancel(); wg.Wait() })
}

// waitFor polls cond until it holds or a bound far above any task's normal
// time passes (task scale 0: normal is milliseconds).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting after 30 s for %s", what)
		}
	}
}

// TestWorker_Fairness: an account whose imports hang cannot hold more than
// its share of the workers, on one replica or several, so another account's
// short tasks finish in their normal time meanwhile.
func TestWorker_Fairness(t *testing.T) {
	for _, tt := range []struct {
		name           string
		replicas, size int
	}{{"OneReplica", 1, 4}, {"ThreeReplicas", 3, 4}} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			f := newFixture(t)
			f.s.Limits.DailyOps = 100
			b := f.mustActor(t, "b@example.com")
			base := f.commonImage(t, "Ubuntu", models.ArchX86)
			toImage := f.mustInstanceAs(t, b, "ap-guangzhou", base.ID)
			toStop := f.mustInstanceAs(t, b, "ap-guangzhou", base.ID)
			srv := newStalledServer(t)
			// A starts more imports than one replica has workers.
			var imports []string
			for i := range tt.size + 2 {
				id, err := f.s.ImportImage(ctx, f.a, importInput("stalled-"+string(rune('a'+i)), srv.URL))
				if err != nil {
					t.Fatal(err)
				}
				imports = append(imports, id)
			}
			const share = 2
			runWorkers(t, f.s, tt.replicas, tt.size, func(w *models.Worker) { w.AccountShare, w.ImportStallTimeout = share, time.Hour })
			waitFor(t, "A's imports to reach the server", func() bool { return srv.running.Load() >= share })

			imgID, err := f.s.CreateImage(ctx, b, toImage.ID, models.ImageInput{Region: "ap-guangzhou", Name: "while-a-stalls"})
			if err != nil {
				t.Fatal(err)
			}
			if err := f.s.StopInstances(ctx, b, []string{toStop.ID}); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "B's CreateImage and StopInstances", func() bool {
				img, _ := f.s.Image(ctx, b.AccountID, "ap-guangzhou", imgID)
				in, _ := f.s.Instance(ctx, b.AccountID, toStop.ID)
				return img != nil && img.State == models.StateNormal && in != nil && in.State == models.InstanceStopped
			})
			if got := srv.max.Load(); got != share {
				t.Errorf("A's imports downloading at once peaked at %d, want exactly its share %d", got, share)
			}
			for _, id := range imports {
				if img, _ := f.s.Image(ctx, f.a.AccountID, "ap-guangzhou", id); img == nil || img.State != models.StateImporting {
					t.Errorf("A's import %s is no longer IMPORTING (%+v): the test did not run while A stalled", id, img)
				}
			}
		})
	}
}

// TestWorker_ImportStall: imports whose server stops sending fail with the
// reason once the stall timeout passes, freeing their workers; meanwhile
// and afterwards another account's work goes on.
func TestWorker_ImportStall(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.s.Limits.DailyOps = 100
	b := f.mustActor(t, "b@example.com")
	base := f.commonImage(t, "Ubuntu", models.ArchX86)
	toImage := f.mustInstanceAs(t, b, "ap-guangzhou", base.ID)
	srv := newStalledServer(t)
	var imports []string
	for i := range 6 {
		id, err := f.s.ImportImage(ctx, f.a, importInput("stalled-"+string(rune('a'+i)), srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		imports = append(imports, id)
	}
	runWorkers(t, f.s, 1, 4, func(w *models.Worker) { w.ImportStallTimeout = 200 * time.Millisecond })
	imgID, err := f.s.CreateImage(ctx, b, toImage.ID, models.ImageInput{Region: "ap-guangzhou", Name: "beside-a-stall"})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "every import to fail and B's image to be ready", func() bool {
		n, _ := f.s.PendingTasks(ctx)
		return n == 0
	})
	for _, id := range imports {
		img, _ := f.s.Image(ctx, f.a.AccountID, "ap-guangzhou", id)
		if reason := img.FailureText(i18n.EN); img.State != models.StateImportFailed || !strings.Contains(reason, "in 200ms") {
			t.Errorf("import %s: state %s reason %q, want %s naming the 200ms stall", id, img.State, reason, models.StateImportFailed)
		}
	}
	if img, _ := f.s.Image(ctx, b.AccountID, "ap-guangzhou", imgID); img.State != models.StateNormal {
		t.Errorf("B's image is %s, want %s", img.State, models.StateNormal)
	}
	if blob, err := f.s.Blobs.Open(ctx, imports[0]); err == nil {
		blob.Close()
		t.Error("a stalled import left its partial file in the blob store")
	}
}
