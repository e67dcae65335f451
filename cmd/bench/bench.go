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
	"imageconsole/models/sqldb"
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

// sizeRun is one catalog size: its seeded database, its server and floors.
type sizeRun struct {
	n      int
	fx     fixture
	srv    *server
	fl     *floorServer
	cookie string
}

// startSize seeds a catalog of n custom images, starts the server and the
// floors on it and checks that the floors answer what the server answers.
func startSize(ctx context.Context, bin, dir string, n int, ts *targets, logf func(string, ...any)) (*sizeRun, error) {
	dataDir := filepath.Join(dir, fmt.Sprintf("n%d", n))
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, err
	}
	tg, err := ts.forSize(ctx, dataDir, n)
	if err != nil {
		return nil, err
	}
	logf("%d images: seeding", n)
	fx, err := seed(ctx, dataDir, tg.main, n)
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	if err := tg.copy(ctx); err != nil {
		return nil, err
	}
	sr := &sizeRun{n: n, fx: fx}
	if sr.srv, err = startServer(ctx, bin, dataDir, tg.main); err != nil {
		return nil, err
	}
	if sr.cookie, err = signIn(sr.srv.base); err == nil {
		sr.fl, err = startFloor(ctx, tg, fx)
	}
	if err == nil {
		err = sr.fl.compare(sr.srv.base, sr.cookie, fx, logf)
	}
	if err != nil {
		sr.close()
		return nil, err
	}
	return sr, nil
}

func (sr *sizeRun) close() {
	if sr.fl != nil {
		sr.fl.close()
	}
	sr.srv.stop()
}

// listScenario is the Images request as a signed-in user.
func (sr *sizeRun) listScenario(o options, fragment bool) scenario {
	key, label := "list_full", "Images page, full"
	if fragment {
		key, label = "list_fragment", "Images page, htmx fragment"
	}
	return scenario{key, label, same(pageRequest(sr.srv.base, listPath, sr.cookie, fragment)),
		containsMarker(`data-testid="image-row"`), nil, o.Requests, nil}
}

// reads are the read scenarios and their floors, each next to its floor.
func (sr *sizeRun) reads(o options) []scenario {
	fx, base, fl := sr.fx, sr.srv.base, sr.fl
	return []scenario{
		sr.listScenario(o, false),
		sr.listScenario(o, true),
		{"floor_list", "floor: Images fragment", same(pageRequest(fl.base, listPath, "", false)),
			containsMarker(`data-testid="image-row"`), nil, o.Requests, nil},
		{"detail", "image detail page", same(pageRequest(base, "/images/"+fx.DetailImage+"?region="+benchRegion, sr.cookie, false)),
			containsMarker(fx.DetailImage), nil, o.Requests, nil},
		{"describe", "DescribeImages (API)", same(apiRequest(base, "DescribeImages", fx.SecretID, fx.SecretKey, fixed(describeBody))), apiOK, nil, o.Requests, nil},
		{"floor_describe", "floor: DescribeImages", same(postRequest(fl.base+"/describe", fixed(describeBody))), apiOK, nil, o.Requests, nil},
	}
}

// writes are CreateImage and the bare inserts it is compared with.
func (sr *sizeRun) writes(ctx context.Context, o options) []scenario {
	fx, base, fl := sr.fx, sr.srv.base, sr.fl
	createBody := func(conc int) func(int) []byte {
		return func(i int) []byte {
			return fmt.Appendf(nil, `{"InstanceId":%q,"ImageName":"bench-c%d-%07d"}`, fx.Instances[i%len(fx.Instances)], conc, i)
		}
	}
	return []scenario{
		{"create", "CreateImage (API, quota-guarded)", func(c int) request {
			return apiRequest(base, "CreateImage", fx.SecretID, fx.SecretKey, createBody(c))
		}, apiOK, nil, o.Creates, fl.drained},
		{"insert", "floor: bare INSERT, one tx (HTTP)", func(c int) request {
			return postRequest(fl.base+"/insert", nil).named(c)
		}, nil, nil, o.Creates, nil},
		{"insert_direct", "bare INSERT, one tx (in-process, no HTTP)", nil, nil, func(c int) op {
			return func(i int, _ *bytes.Buffer) error { return fl.ins.insert(ctx, fmt.Sprintf("direct-c%d-%07d", c, i)) }
		}, o.Creates, nil},
	}
}

// entry is a scenario on one catalog size.
type entry struct {
	size int
	sc   scenario
}

// onSize puts the selected scenarios of plan on one size.
func onSize(o options, n int, plan []scenario) []entry {
	var out []entry
	for _, sc := range plan {
		if o.runs(sc.key) {
			out = append(out, entry{n, sc})
		}
	}
	return out
}

// drivePlan measures every entry of plan at every concurrency of conc, in
// o.Rounds rounds that alternate between them (a scenario next to its
// floor, or one size next to another), and records the totals.
func drivePlan(o options, conc []int, plan []entry, rep *report, logf func(string, ...any)) error {
	type run struct {
		entry
		s *series
	}
	var runs []*run
	for _, c := range conc {
		for _, e := range plan {
			r := &run{entry: e, s: &series{conc: c}}
			if e.sc.direct != nil {
				r.s.fn = e.sc.direct(c)
			} else {
				client := newClient(c)
				defer client.CloseIdleConnections()
				r.s.fn = httpOp(client, e.sc.req(c), e.sc.ok)
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
			if err := measureRound(r.s, r.sc, round == 0, per); err != nil {
				return fmt.Errorf("%d images, %s at concurrency %d: %w", r.size, r.sc.label, r.s.conc, err)
			}
		}
	}
	for _, r := range runs {
		res := r.s.result()
		logf("%d images: %-42s c=%-3d %8.0f req/s  p50 %-8s p99 %s", r.size, r.sc.label, r.s.conc, res.RPS(), ms(res.P50), ms(res.P99))
		rep.add(r.size, r.sc.key, r.sc.label, r.s.conc, res)
	}
	return nil
}

// measureRound adds per measured operations to s, after the warm-up in the
// first round, and lets the scenario settle afterwards.
func measureRound(s *series, sc scenario, first bool, per int) error {
	if first {
		if err := s.warm(sc.requests); err != nil {
			return err
		}
	}
	if err := s.add(per); err != nil {
		return err
	}
	if sc.settle != nil {
		return sc.settle()
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
// floor) with the product's Open, so driver, pragmas and pool are the
// product's, captures the SQL the product sends for the two read requests,
// and serves.
func startFloor(ctx context.Context, tg target, fx fixture) (*floorServer, error) {
	gsql, err := sqldb.Open(tg.main)
	if err != nil {
		return nil, err
	}
	isql, err := sqldb.Open(tg.insert)
	if err != nil {
		gsql.Close()
		return nil, err
	}
	closeAll := func() { gsql.Close(); isql.Close() }
	gdb, idb := gsql.Gorm(), isql.Gorm()
	rec, err := newRecorder(gdb)
	if err != nil {
		closeAll()
		return nil, err
	}
	store := models.NewStore(gsql)
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
