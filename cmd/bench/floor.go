package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"

	"imageconsole/models"
	"imageconsole/views/components"
	"imageconsole/views/pages"
)

// floor is the fastest this stack can answer the benchmarked requests:
// net/http, database/sql on the same database file with the product's
// pragmas and pool, the SQL the product sends (captured from GORM), and the
// same templ component or SDK response struct, without Echo, GORM,
// sessions, CSRF, signatures or the layout.
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
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := pages.ImagesPanel(panelVM(q, counts, rows, time.Now())).Render(r.Context(), &buf); err != nil {
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
		out.ImageSet = append(out.ImageSet, &cvm.Image{ImageId: ptr(img.ID), OsName: ptr(img.OsName), ImageType: ptr(img.Type),
			CreatedTime: ptr(img.CreatedAt.UTC().Format("2006-01-02T15:04:05Z")), ImageName: ptr(img.Name),
			ImageDescription: ptr(img.Description), ImageSize: ptr(int64(img.SizeGiB)), Architecture: ptr(img.Arch),
			ImageState: ptr(img.State), Platform: ptr(img.Platform), ImageCreator: ptr(img.Creator),
			ImageSource: ptr(img.Source), SyncPercent: ptr(int64(img.Progress)), IsSupportCloudinit: ptr(img.CloudInit),
			LicenseType: ptr(img.License), Tags: []*cvm.Tag{}})
	}
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
	case "created_at":
		return &img.CreatedAt
	}
	return skip
}

// panelVM builds the table fragment's view model the way the console's
// ListImages handler does.
func panelVM(q models.ImageQuery, counts []int64, rows []models.Image, now time.Time) pages.ImagesPanelVM {
	total := int64(0)
	for i, tab := range models.Tabs {
		if tab == q.Tab && i < len(counts) {
			total = counts[i]
		}
	}
	if len(counts) > len(models.Tabs) {
		total = counts[len(models.Tabs)] // the filtered count
	}
	vm := pages.ImagesPanelVM{Region: q.Region, Tab: q.Tab, Search: q.Search, Platform: q.Platform, Arch: q.Arch,
		State: q.State, Sort: q.Sort, Platforms: models.Platforms, ShowState: q.Tab == models.TabCustom || q.Tab == models.TabShared,
		Empty: pages.EmptyVM{Title: "No custom images in this region yet", Text: "Create one from an instance or import an image file: it appears here."},
		Pager: components.PagerVM{Page: q.Page, Size: q.Size, Total: total, Base: imagesURL(q, q.Tab), Target: "#images-panel"}}
	labels := map[string]string{models.TabCommon: "Common", models.TabMarket: "Market", models.TabCustom: "Custom", models.TabShared: "Shared"}
	for i, tab := range models.Tabs {
		u := imagesURL(q, tab)
		vm.Tabs = append(vm.Tabs, pages.TabVM{Key: tab, Label: labels[tab], Count: counts[i], Href: u.String(), Active: tab == q.Tab})
	}
	for i := range rows {
		img := &rows[i]
		if q.Tab == models.TabShared {
			img.Type = models.TypeShared
		}
		row := pages.ImageRowVM{ID: img.ID, Name: img.Name, OsName: img.OsName, Platform: img.Platform, Arch: img.Arch,
			Size: fmt.Sprintf("%d GiB", img.SizeGiB), State: img.State, Progress: img.Progress, Busy: img.Busy(),
			Href: "/images/" + img.ID + "?region=" + q.Region, Region: q.Region}
		row.Created, row.CreatedExact = ago(img.CreatedAt, now)
		row.BadgeLabel, row.BadgeTone, row.Owner = badge(img)
		vm.Rows = append(vm.Rows, row)
	}
	return vm
}

func imagesURL(q models.ImageQuery, tab string) url.URL {
	v := url.Values{}
	v.Set("region", q.Region)
	v.Set("tab", tab)
	if tab == q.Tab {
		for k, val := range map[string]string{"q": q.Search, "platform": q.Platform, "arch": q.Arch, "state": q.State} {
			if val != "" {
				v.Set(k, val)
			}
		}
		if q.Sort != models.SortCreated {
			v.Set("sort", q.Sort)
		}
	}
	return url.URL{Path: "/images", RawQuery: v.Encode()}
}

func badge(img *models.Image) (label, tone, owner string) {
	switch img.Type {
	case models.TypePublic:
		return "Official — tested by the platform", "official", ""
	case models.TypeMarket:
		return "Reviewed provider", "reviewed", img.Provider
	case models.TypeShared:
		return "Not reviewed by the platform", "warning", "Shared by account " + img.OwnerID
	default:
		return "Custom", "", ""
	}
}

func ago(t, now time.Time) (string, string) {
	exact := t.UTC().Format("2006-01-02 15:04:05 UTC")
	d := now.Sub(t)
	plural := func(n int, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return strconv.Itoa(n) + " " + unit + "s"
	}
	switch {
	case d < time.Minute:
		return "just now", exact
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute") + " ago", exact
	case d < 24*time.Hour:
		return plural(int(d/time.Hour), "hour") + " ago", exact
	case d < 30*24*time.Hour:
		return plural(int(d/(24*time.Hour)), "day") + " ago", exact
	default:
		return t.UTC().Format("2006-01-02"), exact
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func ptr[T any](v T) *T { return &v }
