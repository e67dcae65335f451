package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"time"

	"imageconsole/handlers"
	"imageconsole/handlers/api"
	"imageconsole/models"
	"imageconsole/models/blob"
	"imageconsole/models/sqldb"
)

// profile runs the console in-process, wired as cmd/console's serve wires
// it (metrics, request log, workers, API), on the first size, and writes a
// CPU profile of every scenario at the highest concurrency into o.Profile:
// `go tool pprof -top o.Profile/list_full.pprof`; the floors too, for
// comparison. The product itself never serves pprof.
func profile(ctx context.Context, o options, dir string, ts *targets, logf func(string, ...any)) error {
	n, conc := o.Sizes[0], slices.Max(o.Conc)
	dataDir := filepath.Join(dir, fmt.Sprintf("profile-n%d", n))
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return err
	}
	if err := os.MkdirAll(o.Profile, 0o750); err != nil {
		return err
	}
	tg, err := ts.forSize(ctx, dataDir, n)
	if err != nil {
		return err
	}
	logf("%d images: seeding", n)
	fx, err := seed(ctx, dataDir, tg.main, n)
	if err == nil {
		err = tg.copy(ctx)
	}
	if err != nil {
		return err
	}
	db, err := sqldb.Open(tg.main)
	if err != nil {
		return err
	}
	defer db.Close()
	s := models.NewStore(db)
	s.Limits = models.Limits{CustomImages: 100000000, DailyOps: 100000000, Shares: 50, Instances: 100000}
	s.TaskScale = 0
	if s.Blobs, err = blob.NewDir(filepath.Join(dataDir, "blobs")); err != nil {
		return err
	}
	if err := s.SetSecretKeyCipher(fx.ServerKey); err != nil {
		return err
	}
	if err := s.Migrate(); err != nil {
		return err
	}
	logFile, err := os.Create(filepath.Join(dataDir, "server.log"))
	if err != nil {
		return err
	}
	defer logFile.Close()
	log := slog.New(slog.NewJSONHandler(logFile, nil))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go (&models.Worker{Store: s, Log: log}).Run(ctx, 4)
	metrics := handlers.NewMetrics(s)
	s.Observer = metrics
	key := []byte("bench-session-key-0123456789abcdef")
	h := handlers.New(s, handlers.Config{SessionKeys: [][]byte{key, key[:32]}, Metrics: metrics, Log: log})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h.NewEcho(api.New(s))}
	go srv.Serve(l)
	defer srv.Close()
	base := "http://" + l.Addr().String()
	cookie, err := signIn(base)
	if err != nil {
		return err
	}
	fl, err := startFloor(ctx, tg, fx)
	if err != nil {
		return err
	}
	defer fl.close()
	createBody := func(i int) []byte {
		return fmt.Appendf(nil, `{"InstanceId":%q,"ImageName":"profile-%07d"}`, fx.Instances[i%len(fx.Instances)], i)
	}
	plan := []scenario{
		{"list_full", "Images page, full", same(pageRequest(base, listPath, cookie, false)), nil, nil, o.Requests, nil},
		{"list_fragment", "Images page, htmx fragment", same(pageRequest(base, listPath, cookie, true)), nil, nil, o.Requests, nil},
		{"floor_list", "floor: Images fragment", same(pageRequest(fl.base, listPath, "", false)), nil, nil, o.Requests, nil},
		{"detail", "image detail page", same(pageRequest(base, "/images/"+fx.DetailImage+"?region="+benchRegion, cookie, false)), nil, nil, o.Requests, nil},
		{"describe", "DescribeImages (API)", same(apiRequest(base, "DescribeImages", fx.SecretID, fx.SecretKey, fixed(describeBody))), apiOK, nil, o.Requests, nil},
		{"floor_describe", "floor: DescribeImages", same(postRequest(fl.base+"/describe", fixed(describeBody))), apiOK, nil, o.Requests, nil},
		{"create", "CreateImage (API)", same(apiRequest(base, "CreateImage", fx.SecretID, fx.SecretKey, createBody)), apiOK, nil, o.Creates, nil},
	}
	plan = slices.DeleteFunc(plan, func(sc scenario) bool { return !o.runs(sc.key) })
	// Where requests wait rather than run (pool, locks): the block profile is
	// cumulative, so compare a scenario's with -base of the one before.
	runtime.SetBlockProfileRate(int(10 * time.Microsecond))
	defer runtime.SetBlockProfileRate(0)
	for _, sc := range plan {
		path := filepath.Join(o.Profile, sc.key+".pprof")
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		err = pprof.StartCPUProfile(f)
		var res result
		if err == nil {
			res, err = drive(sc.requests, conc, sc.req(conc), sc.ok)
			pprof.StopCPUProfile()
		}
		err = errors.Join(err, f.Close(), writeProfile("block", filepath.Join(o.Profile, sc.key+".block")))
		if err != nil {
			return fmt.Errorf("%s: %w", sc.label, err)
		}
		logf("%-30s c=%d %8.0f req/s  p50 %s  p99 %s  -> %s", sc.label, conc, res.RPS(), ms(res.P50), ms(res.P99), path)
	}
	return nil
}

// writeProfile writes the named runtime profile (cumulative) to path.
func writeProfile(name, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	return errors.Join(pprof.Lookup(name).WriteTo(f, 0), f.Close())
}
