package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"time"

	"imageconsole/models"
)

// The benchmarked requests: a tab with a filter and a page number, and the
// same question through the API.
const (
	listPath     = "/images?region=" + benchRegion + "&tab=custom&platform=Ubuntu&page=2"
	describeBody = `{"Filters":[{"Name":"platform","Values":["Ubuntu"]}],"Offset":20,"Limit":20}`
)

var listQuery = models.ImageQuery{Region: benchRegion, Tab: models.TabCustom, Platform: "Ubuntu", Page: 2, Size: 20}

var describeInput = models.DescribeImagesInput{Filters: []models.Filter{{Name: "platform", Values: []string{"Ubuntu"}}},
	Offset: 20, Limit: 20}

// scenario is one kind of request, driven at every concurrency: over HTTP
// (req) or in-process (direct).
type scenario struct {
	key, label string
	req        func(conc int) request
	ok         check
	direct     func(conc int) op
	requests   int
	settle     func() error // runs, unmeasured, after each round of the scenario
}

// same is a request that does not depend on the concurrency.
func same(r request) func(int) request { return func(int) request { return r } }

// benchSize seeds a catalog of n custom images and measures every scenario
// and floor on it.
func benchSize(ctx context.Context, o options, bin, dir string, n int, rep *report, logf func(string, ...any)) error {
	dataDir := filepath.Join(dir, fmt.Sprintf("n%d", n))
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return err
	}
	logf("%d images: seeding", n)
	fx, err := seed(ctx, dataDir, n)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	if err := copyFile(filepath.Join(dataDir, "bench.db"), filepath.Join(dataDir, "insert.db")); err != nil {
		return err
	}
	srv, err := startServer(ctx, bin, dataDir)
	if err != nil {
		return err
	}
	defer srv.stop()
	cookie, err := signIn(srv.base)
	if err != nil {
		return err
	}
	fl, err := startFloor(ctx, dataDir, fx)
	if err != nil {
		return err
	}
	defer fl.close()
	if err := fl.compare(srv.base, cookie, fx, logf); err != nil {
		return err
	}
	row := containsMarker(`data-testid="image-row"`)
	reads := []scenario{
		{"list_full", "Images page, full", same(pageRequest(srv.base, listPath, cookie, false)), row, nil, o.Requests, nil},
		{"list_fragment", "Images page, htmx fragment", same(pageRequest(srv.base, listPath, cookie, true)), row, nil, o.Requests, nil},
		{"floor_list", "floor: Images fragment", same(pageRequest(fl.base, listPath, "", false)), row, nil, o.Requests, nil},
		{"detail", "image detail page", same(pageRequest(srv.base, "/images/"+fx.DetailImage+"?region="+benchRegion, cookie, false)),
			containsMarker(fx.DetailImage), nil, o.Requests, nil},
		{"describe", "DescribeImages (API)", same(apiRequest(srv.base, "DescribeImages", fx.SecretID, fx.SecretKey, fixed(describeBody))), apiOK, nil, o.Requests, nil},
		{"floor_describe", "floor: DescribeImages", same(postRequest(fl.base+"/describe", fixed(describeBody))), apiOK, nil, o.Requests, nil},
	}
	createBody := func(conc int) func(int) []byte {
		return func(i int) []byte {
			return fmt.Appendf(nil, `{"InstanceId":%q,"ImageName":"bench-c%d-%07d"}`, fx.Instances[i%len(fx.Instances)], conc, i)
		}
	}
	writes := []scenario{
		{"create", "CreateImage (API, quota-guarded)", func(c int) request {
			return apiRequest(srv.base, "CreateImage", fx.SecretID, fx.SecretKey, createBody(c))
		}, apiOK, nil, o.Creates, fl.drained},
		{"insert", "floor: bare INSERT, one tx (HTTP)", func(c int) request {
			return postRequest(fl.base+"/insert", nil).named(c)
		}, nil, nil, o.Creates, nil},
		{"insert_direct", "bare INSERT, one tx (in-process, no HTTP)", nil, nil, func(c int) op {
			return func(i int, _ *bytes.Buffer) error { return fl.ins.insert(ctx, fmt.Sprintf("direct-c%d-%07d", c, i)) }
		}, o.Creates, nil},
	}
	// Reads first: the writes add images to the bench user's list.
	for _, plan := range [][]scenario{reads, writes} {
		plan = slices.DeleteFunc(plan, func(sc scenario) bool { return !o.runs(sc.key) })
		if err := drivePlan(n, o, plan, rep, logf); err != nil {
			return err
		}
	}
	rep.rss = append(rep.rss, rssAt{n, srv.peakRSS()})
	return nil
}

// drivePlan measures every scenario of plan at every concurrency, in
// o.Rounds rounds that alternate between them (a scenario next to its
// floor), and records the totals.
func drivePlan(n int, o options, plan []scenario, rep *report, logf func(string, ...any)) error {
	type run struct {
		sc     scenario
		s      *series
		client *http.Client
	}
	var runs []*run
	for _, c := range o.Conc {
		for _, sc := range plan {
			r := &run{sc: sc, s: &series{conc: c}}
			if sc.direct != nil {
				r.s.fn = sc.direct(c)
			} else {
				r.client = newClient(c)
				defer r.client.CloseIdleConnections()
				r.s.fn = httpOp(r.client, sc.req(c), sc.ok)
			}
			runs = append(runs, r)
		}
	}
	for round := range o.Rounds {
		for _, r := range runs {
			per := r.sc.requests / o.Rounds
			if round == o.Rounds-1 {
				per = r.sc.requests - per*(o.Rounds-1)
			}
			err := func() error {
				if round == 0 {
					if err := r.s.warm(r.sc.requests); err != nil {
						return err
					}
				}
				if err := r.s.add(per); err != nil {
					return err
				}
				if r.sc.settle != nil {
					return r.sc.settle()
				}
				return nil
			}()
			if err != nil {
				return fmt.Errorf("%s at concurrency %d: %w", r.sc.label, r.s.conc, err)
			}
		}
	}
	for _, r := range runs {
		res := r.s.result()
		logf("%d images: %-42s c=%-3d %8.0f req/s  p50 %-8s p99 %s", n, r.sc.label, r.s.conc, res.RPS(), ms(res.P50), ms(res.P99))
		rep.add(n, r.sc.key, r.sc.label, r.s.conc, res)
	}
	return nil
}

func fixed(body string) func(int) []byte {
	b := []byte(body)
	return func(int) []byte { return b }
}

// postRequest is an unsigned POST to a floor.
func postRequest(u string, body func(int) []byte) request {
	return func(i int) (*http.Request, error) {
		var r io.Reader
		if body != nil {
			r = bytes.NewReader(body(i))
		}
		return http.NewRequest(http.MethodPost, u, r)
	}
}

// named gives the i-th insert a unique image name.
func (r request) named(conc int) request {
	return func(i int) (*http.Request, error) {
		req, err := r(i)
		if err == nil {
			req.URL.RawQuery = fmt.Sprintf("name=insert-c%d-%07d", conc, i)
		}
		return req, err
	}
}

// drained waits until the server's workers have run every background task
// (CreateImage queues one per image), so that their catch-up does not run
// during the next measurement: the floors are measured on an idle server.
func (fs *floorServer) drained() error {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var n int64
		if err := fs.read.db.QueryRow("SELECT count(*) FROM tasks").Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%d background tasks still pending after 2 minutes", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// floorServer serves the floors on their own loopback port.
type floorServer struct {
	base  string
	srv   *http.Server
	read  *floor
	ins   *insertFloor
	close func()
}

// startFloor opens the seeded database (read floors) and its copy (insert
// floor) with the product's Open, so pragmas and pool are the product's,
// captures the SQL the product sends for the two read requests, and serves.
func startFloor(ctx context.Context, dataDir string, fx fixture) (*floorServer, error) {
	gdb, err := models.Open("sqlite://" + filepath.Join(dataDir, "bench.db"))
	if err != nil {
		return nil, err
	}
	idb, err := models.Open("sqlite://" + filepath.Join(dataDir, "insert.db"))
	if err != nil {
		closeDB(gdb)
		return nil, err
	}
	closeAll := func() { closeDB(gdb); closeDB(idb) }
	rec, err := newRecorder(gdb)
	if err != nil {
		closeAll()
		return nil, err
	}
	store := models.NewStore(gdb)
	f := &floor{accountID: fx.AccountID}
	if f.list, err = rec.capture(func() error { _, err := store.ListImages(ctx, fx.AccountID, listQuery); return err }); err != nil {
		closeAll()
		return nil, err
	}
	if f.describe, err = rec.capture(func() error {
		_, _, err := store.DescribeImages(ctx, fx.AccountID, benchRegion, describeInput)
		return err
	}); err != nil {
		closeAll()
		return nil, err
	}
	if f.db, err = gdb.DB(); err != nil {
		closeAll()
		return nil, err
	}
	var inst models.Instance
	if err := gdb.Where("id = ?", fx.Instances[0]).Take(&inst).Error; err != nil {
		closeAll()
		return nil, err
	}
	ins, err := newInsertFloor(idb, fx.AccountID, inst)
	if err != nil {
		closeAll()
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/", f.routes())
	mux.Handle("POST /insert", ins)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		closeAll()
		return nil, err
	}
	fs := &floorServer{base: "http://" + l.Addr().String(), srv: &http.Server{Handler: mux}, read: f, ins: ins}
	go fs.srv.Serve(l)
	fs.close = func() { fs.srv.Close(); closeAll() }
	return fs, nil
}

// compare checks that the floors answer what the product answers: the
// same fragment byte for byte, the same DescribeImages result.
func (fs *floorServer) compare(base, cookie string, fx fixture, logf func(string, ...any)) error {
	get := func(req request) ([]byte, error) {
		r, err := req(0)
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		err = do(http.DefaultClient, r, &buf)
		return buf.Bytes(), err
	}
	product, err := get(pageRequest(base, listPath, cookie, true))
	if err != nil {
		return err
	}
	floor, err := get(pageRequest(fs.base, listPath, "", false))
	if err != nil {
		return err
	}
	if !bytes.Equal(product, floor) {
		at := 0
		for at < min(len(product), len(floor)) && product[at] == floor[at] {
			at++
		}
		logf("WARNING: the floor's Images fragment differs from the console's at byte %d: %q vs %q", at,
			product[max(at-40, 0):min(at+40, len(product))], floor[max(at-40, 0):min(at+40, len(floor))])
	}
	api, err := get(apiRequest(base, "DescribeImages", fx.SecretID, fx.SecretKey, fixed(describeBody)))
	if err != nil {
		return err
	}
	bare, err := get(postRequest(fs.base+"/describe", fixed(describeBody)))
	if err != nil {
		return err
	}
	if a, b := describeIDs(api), describeIDs(bare); !slices.Equal(a, b) || len(a) < 2 {
		logf("WARNING: the floor's DescribeImages answer differs from the API's: %v vs %v", a, b)
	}
	return nil
}

// describeIDs is the TotalCount and image IDs of a DescribeImages answer.
func describeIDs(body []byte) []string {
	var env struct {
		Response struct {
			TotalCount int64
			ImageSet   []struct{ ImageId string }
		}
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil
	}
	out := []string{fmt.Sprint(env.Response.TotalCount)}
	for _, img := range env.Response.ImageSet {
		out = append(out, img.ImageId)
	}
	return out
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o600)
}
