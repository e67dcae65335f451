package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"

	"imageconsole/handlers"
	"imageconsole/handlers/api"
	"imageconsole/models"
	"imageconsole/views/pages"
)

// floor is the fastest this stack can answer the benchmarked requests:
// net/http, database/sql on the same database with the product's driver,
// pragmas and pool, the SQL the product sends (captured from GORM), the
// console's own view model (handlers.ImagesPanelVM) and templ component or
// the SDK response struct, without Echo, GORM, sessions, CSRF, signatures
// or the layout.
type floor struct {
	db        *sql.DB
	accountID string
	list      []statement // what Store.ListImages runs for the Images request
	describe  []statement // what Store.DescribeImages runs for the API request
}

func (f *floor) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /images", f.listImages)
	mux.HandleFunc("POST /describe", f.describeImages)
	return mux
}

// listImages answers the Images request with the table fragment.
func (f *floor) listImages(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	q := models.ImageQuery{Region: v.Get("region"), Tab: v.Get("tab"), Search: v.Get("q"), Platform: v.Get("platform"),
		Arch: v.Get("arch"), State: v.Get("state"), Sort: v.Get("sort"), Page: atoi(v.Get("page")), Size: 20}
	q.Normalize()
	counts, rows, err := f.run(r.Context(), f.list)
	var page models.ImagePage
	if err == nil {
		page, err = imagePage(q, counts, rows)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := pages.ImagesPanel(handlers.ImagesPanelVM(page, time.Now())).Render(r.Context(), &buf); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.Write(buf.Bytes())
}

// describeImages answers the DescribeImages request in the API envelope.
func (f *floor) describeImages(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var req cvm.DescribeImagesRequest
	if err == nil {
		err = json.Unmarshal(body, &req)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	counts, rows, err := f.run(r.Context(), f.describe)
	if err != nil || len(counts) == 0 {
		http.Error(w, fmt.Sprint("describe: ", err), http.StatusInternalServerError)
		return
	}
	total := counts[0]
	out := &cvm.DescribeImagesResponseParams{TotalCount: &total, ImageSet: make([]*cvm.Image, 0, len(rows)),
		RequestId: ptr(uuid.NewString())}
	for i := range rows {
		img := &rows[i]
		if img.Type == models.TypePrivate && img.OwnerID != f.accountID {
			img.Type = models.TypeShared
		}
		out.ImageSet = append(out.ImageSet, api.SDKImage(img))
	}
	// The plainest encoder: as fast as the API's, which also keeps the empty
	// lists this one drops (README.md, Performance).
	b, err := json.Marshal(map[string]any{"Response": out})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}

// run executes captured statements: counts come back in order (a statement
// of several counts gives one per column), the page as images (and a count
// when the page carries one, as total_count).
func (f *floor) run(ctx context.Context, list []statement) ([]int64, []models.Image, error) {
	var counts []int64
	var rows []models.Image
	for _, st := range list {
		if strings.HasPrefix(st.Dest, "*[]models.") {
			var err error
			var total *int64
			if rows, total, err = f.images(ctx, st); err != nil {
				return nil, nil, err
			}
			if total != nil {
				counts = append(counts, *total)
			}
			continue
		}
		n, err := f.ints(ctx, st)
		if err != nil {
			return nil, nil, err
		}
		counts = append(counts, n...)
	}
	return counts, rows, nil
}

// ints reads the first row of a statement as integers.
func (f *floor) ints(ctx context.Context, st statement) ([]int64, error) {
	rs, err := f.db.QueryContext(ctx, st.SQL, st.Vars...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	cols, err := rs.Columns()
	if err != nil {
		return nil, err
	}
	out := make([]int64, len(cols))
	dest := make([]any, len(cols))
	for i := range out {
		dest[i] = &out[i]
	}
	if rs.Next() {
		if err := rs.Scan(dest...); err != nil {
			return nil, err
		}
	}
	return out, rs.Err()
}

// images reads a page of images, keeping the columns the views use, and
// the total_count column if the statement has one.
func (f *floor) images(ctx context.Context, st statement) ([]models.Image, *int64, error) {
	rs, err := f.db.QueryContext(ctx, st.SQL, st.Vars...)
	if err != nil {
		return nil, nil, err
	}
	defer rs.Close()
	cols, err := rs.Columns()
	if err != nil {
		return nil, nil, err
	}
	var out []models.Image
	var img models.Image
	var skip sql.RawBytes
	var n int64
	var total *int64
	dest := make([]any, len(cols))
	for i, c := range cols {
		dest[i] = imageField(&img, c, &skip)
		if c == "total_count" {
			dest[i], total = &n, &n
		}
	}
	for rs.Next() {
		img = models.Image{}
		if err := rs.Scan(dest...); err != nil {
			return nil, nil, err
		}
		out = append(out, img)
	}
	return out, total, rs.Err()
}

func imageField(img *models.Image, col string, skip *sql.RawBytes) any {
	switch col {
	case "id":
		return &img.ID
	case "type":
		return &img.Type
	case "owner_id":
		return &img.OwnerID
	case "region":
		return &img.Region
	case "name":
		return &img.Name
	case "description":
		return &img.Description
	case "os_name":
		return &img.OsName
	case "platform":
		return &img.Platform
	case "arch":
		return &img.Arch
	case "size_gib":
		return &img.SizeGiB
	case "state":
		return &img.State
	case "progress":
		return &img.Progress
	case "source":
		return &img.Source
	case "creator":
		return &img.Creator
	case "cloud_init":
		return &img.CloudInit
	case "license":
		return &img.License
	case "provider":
		return &img.Provider
	case "share_count":
		return &img.ShareCount
	case "hourly_price":
		return &img.HourlyPrice
	case "created_at":
		return &img.CreatedAt
	}
	return skip
}

// imagePage is what Store.ListImages returns, from the results of its
// statements: the count of every tab, then the filtered count if any.
func imagePage(q models.ImageQuery, counts []int64, rows []models.Image) (models.ImagePage, error) {
	if len(counts) < len(models.Tabs) {
		return models.ImagePage{}, fmt.Errorf("%d counts for %d tabs", len(counts), len(models.Tabs))
	}
	p := models.ImagePage{Query: q, Rows: rows, Counts: map[string]int64{}}
	for i, tab := range models.Tabs {
		p.Counts[tab] = counts[i]
	}
	p.Total = p.Counts[q.Tab]
	if len(counts) > len(models.Tabs) {
		p.Total = counts[len(models.Tabs)]
	}
	return p, nil
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func ptr[T any](v T) *T { return &v }
