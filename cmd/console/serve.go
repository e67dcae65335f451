package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"imageconsole/handlers"
	"imageconsole/handlers/api"
	"imageconsole/models"
)

// serve runs the console until SIGINT or SIGTERM, then shuts down gracefully.
func serve(args []string) error {
	var c config
	var wc workerConfig
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	registerFlags(fs, &c)
	registerWorkerFlags(fs, &wc)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := wc.validate(); err != nil {
		return err
	}
	slog.SetDefault(slog.New(slog.NewJSONHandler(os.Stderr, nil)))
	tuneGC()
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return err
	}
	s, db, err := openStore(&c)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := s.SeedCatalog(ctx); err != nil {
		return fmt.Errorf("seed catalog: %w", err)
	}
	var demo []models.DemoAccount
	if c.Demo {
		if demo, err = s.SeedDemo(ctx); err != nil {
			return fmt.Errorf("seed demo accounts: %w", err)
		}
	}
	keys, err := sessionKeys(c.SessionKey, c.DataDir)
	if err != nil {
		return err
	}
	// The worker's name is stable across restarts of this replica, so the
	// tasks a killed predecessor held are released at once, not after
	// their leases run out.
	host, _ := os.Hostname()
	allow, err := parseCIDRs("--import-allow-networks", c.ImportAllowNetworks)
	if err != nil {
		return err
	}
	worker := &models.Worker{Store: s, ID: host + "/" + c.Addr, ImportAllowNetworks: allow,
		AccountShare: wc.Share, ImportSlots: wc.ImportSlots, ImportStallTimeout: wc.StallTimeout}
	if n, err := s.ReleaseLeases(ctx, worker.ID); err != nil {
		return err
	} else if n > 0 {
		slog.Info("resuming background work left by a previous run", "tasks", n)
	}
	workersDone := make(chan struct{})
	go func() { worker.Run(ctx, wc.Workers); close(workersDone) }()
	proxies, err := parseCIDRs("--trusted-proxies", c.TrustedProxies)
	if err != nil {
		return err
	}
	metrics := handlers.NewMetrics(s)
	s.Observer = metrics
	h := handlers.New(s, handlers.Config{SessionKeys: keys, Metrics: metrics, Log: slog.Default(), TrustedProxies: proxies,
		Secure: c.TLSCert != "", MetricsToken: c.MetricsToken, MetricsElsewhere: c.MetricsAddr != ""})
	e := h.NewEcho(api.New(s))
	srv := &http.Server{Addr: c.Addr, Handler: e, ReadHeaderTimeout: 10 * time.Second}
	// Listen first, so that the ready message is printed only once the
	// address takes connections.
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	errc := make(chan error, 2)
	go func() {
		if c.TLSCert != "" {
			errc <- srv.ServeTLS(ln, c.TLSCert, c.TLSKey)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	metricsSrv := serveMetrics(&c, metrics, errc)
	slog.Info("imageconsole listening", "addr", ln.Addr().String(), "tls", c.TLSCert != "")
	scheme := "http"
	if c.TLSCert != "" {
		scheme = "https"
	}
	printReady(os.Stdout, consoleURL(scheme, ln.Addr()), demo)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	slog.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if metricsSrv != nil {
		_ = metricsSrv.Shutdown(shutdown)
	}
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	<-workersDone // ctx is done: workers finish their current step and stop
	return db.Close()
}

// serveMetrics serves /metrics on --metrics-addr, if set, so that it can
// be bound where only the monitoring network reaches; nil otherwise.
func serveMetrics(c *config, metrics *handlers.Metrics, errc chan<- error) *http.Server {
	if c.MetricsAddr == "" {
		return nil
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics.Handler(c.MetricsToken))
	srv := &http.Server{Addr: c.MetricsAddr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
			errc <- fmt.Errorf("metrics listener: %w", err)
		}
	}()
	slog.Info("metrics listening", "addr", c.MetricsAddr)
	return srv
}

// workerConfig is how background work is shared out (see models.Worker).
type workerConfig struct {
	Workers, Share, ImportSlots int
	StallTimeout                time.Duration
}

func registerWorkerFlags(fs *flag.FlagSet, wc *workerConfig) {
	fs.IntVar(&wc.Workers, "workers", envInt("CONSOLE_WORKERS", 4), "background workers of this process (CONSOLE_WORKERS)")
	fs.IntVar(&wc.Share, "worker-share", envInt("CONSOLE_WORKER_SHARE", 0), "most background tasks one account runs at once, across replicas; 0: half of --workers, at least 1 (CONSOLE_WORKER_SHARE)")
	fs.IntVar(&wc.ImportSlots, "import-workers", envInt("CONSOLE_IMPORT_WORKERS", 0), "most imports this process runs at once; 0: --workers minus 1, at least 1 (CONSOLE_IMPORT_WORKERS)")
	fs.DurationVar(&wc.StallTimeout, "import-stall-timeout", envDuration("CONSOLE_IMPORT_STALL_TIMEOUT", models.DefaultImportStallTimeout), "an import fails when its server sends under 32 KiB in this long (CONSOLE_IMPORT_STALL_TIMEOUT)")
}

func (wc *workerConfig) validate() error {
	switch {
	case wc.Workers < 1:
		return fmt.Errorf("--workers must be at least 1")
	case wc.Share < 0 || wc.ImportSlots < 0:
		return fmt.Errorf("--worker-share and --import-workers must not be negative")
	case wc.ImportSlots > wc.Workers:
		return fmt.Errorf("--import-workers must not exceed --workers")
	case wc.StallTimeout <= 0:
		return fmt.Errorf("--import-stall-timeout must be positive")
	}
	return nil
}

// sessionKeys derives the cookie hash and block keys from the configured
// key, or from a random key generated once and kept under the data dir, so
// sessions survive restarts and replicas can share the key.
func sessionKeys(configured, dataDir string) ([][]byte, error) {
	secret := []byte(configured)
	if configured == "" {
		path := filepath.Join(dataDir, "session.key")
		b, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			raw := make([]byte, 32)
			if _, err := rand.Read(raw); err != nil {
				return nil, err
			}
			b = []byte(hex.EncodeToString(raw))
			if err := os.WriteFile(path, b, 0o600); err != nil {
				return nil, err
			}
		} else if err != nil {
			return nil, err
		}
		secret = b
	}
	if len(secret) < 16 {
		return nil, fmt.Errorf("--session-key must be at least 16 characters")
	}
	hash := sha256.Sum256(append([]byte("imageconsole/hash/"), secret...))
	block := sha256.Sum256(append([]byte("imageconsole/block/"), secret...))
	return [][]byte{hash[:], block[:]}, nil
}

// parseCIDRs reads a comma-separated list of networks; a bare address is
// one host.
func parseCIDRs(flagName, list string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, part := range strings.Split(list, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			if ip := net.ParseIP(part); ip != nil && ip.To4() != nil {
				part += "/32"
			} else {
				part += "/128"
			}
		}
		_, n, err := net.ParseCIDR(part)
		if err != nil {
			return nil, fmt.Errorf("%s: %q is not a network: %w", flagName, part, err)
		}
		out = append(out, n)
	}
	return out, nil
}

// tuneGC lets the heap grow to three times what is live before a collection,
// unless GOGC says otherwise. The console's live heap is small (tens of
// megabytes at 100k images), so at Go's default of twice a burst of API
// writes spent a fifth of its CPU collecting; see README.md, Performance.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
}
