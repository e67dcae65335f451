package handlers_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"imageconsole/models"
	"imageconsole/models/i18n"
)

// TestLaunch_EnhancedServices: the wizard offers both built-in components
// ticked, as Tencent Cloud's console does; the choice survives the no-JS
// price update and a refused launch.
func TestLaunch_EnhancedServices(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.signUp("enhanced@example.com")
	ubuntu := commonImageID(t, ts, "Ubuntu", models.ArchX86)
	ticked := func(res *response) string {
		var on []string
		for _, name := range []string{"security", "monitor"} {
			if _, ok := res.doc.Find(`input[type="checkbox"][name="` + name + `"]`).Attr("checked"); ok {
				on = append(on, name)
			}
		}
		return strings.Join(on, ",")
	}
	page := c.get("/instances/new?region=ap-guangzhou&image=" + ubuntu)
	wantStatus(t, page, http.StatusOK)
	if got := ticked(page); got != "security,monitor" {
		t.Errorf("new wizard ticks %q, want both", got)
	}
	form := url.Values{"image": {ubuntu}, "zone": {"ap-guangzhou-3"}, "instance_type": {"S5.MEDIUM4"}, "count": {"1"}, "security": {"yes"}, "quote": {"1"}}
	if got := ticked(c.instancesFollow(c.post("/instances?region=ap-guangzhou", form))); got != "security" {
		t.Errorf("after Update price the wizard ticks %q, want security", got)
	}
	form = url.Values{"image": {ubuntu}, "zone": {"ap-guangzhou-3"}, "instance_type": {"S5.MEDIUM4"}, "count": {"0"}, "monitor": {"yes"}}
	if got := ticked(c.instancesFollow(c.post("/instances?region=ap-guangzhou", form))); got != "monitor" {
		t.Errorf("after a refused launch the wizard ticks %q, want monitor", got)
	}
}

// TestLaunch_RefusalOpensAtTheError: a refused launch sends the browser
// back to the wizard, which opens at the error summary: at the top, with
// the focus, linking to the field's section; the field is marked invalid
// and holds what was typed.
func TestLaunch_RefusalOpensAtTheError(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.signUp("summary@example.com")
	ubuntu := commonImageID(t, ts, "Ubuntu", models.ArchX86)
	c.get("/instances/new?region=ap-guangzhou&image=" + ubuntu)
	res := c.post("/instances?region=ap-guangzhou", url.Values{"image": {ubuntu}, "zone": {"ap-guangzhou-4"},
		"instance_type": {"S5.MEDIUM4"}, "count": {"101"}, "name": {"typed"}})
	wantStatus(t, res, http.StatusSeeOther)
	loc, _ := url.Parse(res.Header.Get("Location"))
	if loc.Path != "/instances/new" || loc.Query().Get("image") != ubuntu {
		t.Fatalf("sent to %q, want the wizard", res.Header.Get("Location"))
	}
	page := c.instancesFollow(res)
	wantStatus(t, page, http.StatusOK)
	summary := page.doc.Find(`#launch-errors[data-testid="error-summary"]`)
	if _, ok := summary.Attr("autofocus"); !ok || summary.Length() != 1 {
		t.Fatalf("no focused error summary: %.600s", page.body)
	}
	if top, form := strings.Index(page.body, `id="launch-errors"`), strings.Index(page.body, `id="launch-form"`); top < 0 || form < top {
		t.Error("the summary is not above the form")
	}
	if href := summary.Find(`a[data-testid="error-link"]`).AttrOr("href", ""); href != "#launch-count" || page.doc.Find(`#launch-count #count`).Length() != 1 {
		t.Errorf("summary links to %q, want #launch-count, the section of the count field", href)
	}
	count := page.doc.Find(`input#count`)
	if count.AttrOr("aria-invalid", "") != "true" || count.AttrOr("value", "") != "101" {
		t.Errorf("count field: aria-invalid %q value %q", count.AttrOr("aria-invalid", ""), count.AttrOr("value", ""))
	}
	if got := page.doc.Find(`input[name="name"]`).AttrOr("value", ""); got != "typed" {
		t.Errorf("name %q, want what was typed", got)
	}
	if got := page.doc.Find(`select[name="zone"] option[selected]`).AttrOr("value", ""); got != "ap-guangzhou-4" {
		t.Errorf("zone %q, want the chosen ap-guangzhou-4", got)
	}
	if code := refusalCode(page.doc.Selection); code != models.CodeRange {
		t.Errorf("code %q, want %s", code, models.CodeRange)
	}
	var n int64
	ts.store.DB().Model(&models.Instance{}).Count(&n)
	if n != 0 {
		t.Errorf("%d instances written", n)
	}
}

// TestLaunch_PickerWithoutImage: /instances/new without an image is the
// step before the wizard: the region's launchable images, the caller's
// custom ones included, each linked to a wizard that opens.
func TestLaunch_PickerWithoutImage(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.signUp("picker@example.com")
	ubuntu := commonImageID(t, ts, "Ubuntu", models.ArchX86)
	id := c.launch(ubuntu, 1)[0]
	ts.drain(t)
	c.get("/instances/" + id)
	res := c.post("/instances/"+id+"/images?region=ap-guangzhou", url.Values{"name": {"golden"}})
	wantStatus(t, res, http.StatusSeeOther)
	imgID := strings.TrimPrefix(strings.Split(res.Header.Get("Location"), "?")[0], "/images/")
	ts.drain(t)

	list := c.get("/instances?region=ap-guangzhou")
	href := list.doc.Find(`[data-testid="launch-link"]`).AttrOr("href", "")
	page := c.get(href)
	wantStatus(t, page, http.StatusOK)
	links := map[string]string{}
	for _, s := range page.doc.Find(`[data-testid="pick-image"]`).EachIter() {
		links[s.AttrOr("data-image-id", "")] = s.AttrOr("href", "")
	}
	for _, want := range []string{ubuntu, imgID} {
		l, ok := links[want]
		if !ok {
			t.Errorf("the picker (%s) does not offer %s: %v", href, want, links)
			continue
		}
		u, _ := url.Parse(l)
		if u.Path != "/instances/new" || u.Query().Get("image") != want || u.Query().Get("region") != "ap-guangzhou" {
			t.Errorf("%s links to %q", want, l)
		}
		wizard := c.get(l)
		wantStatus(t, wizard, http.StatusOK)
		if wizard.doc.Find(`form[data-testid="launch-form"] input[name="image"]`).AttrOr("value", "") != want {
			t.Errorf("%s: the wizard is for another image", want)
		}
	}
}

// TestLaunch_NoJSQuote: without JavaScript the wizard's "Update price"
// button posts the form with quote set; the answer is the wizard again,
// with the choices in its URL and the price computed for them, and
// nothing launched. The page says how the price updates either way.
func TestLaunch_NoJSQuote(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	acct := c.signUp("nojs@example.com")
	windows := commonImageID(t, ts, "Windows", models.ArchX86)
	page := c.get("/instances/new?region=ap-hongkong&image=" + windows)
	if !strings.Contains(page.body, `data-testid="quote-submit"`) || !strings.Contains(page.body, `form="launch-form" name="quote"`) {
		t.Fatal("no Update price button for the launch form")
	}
	if page.doc.Find(`[data-testid="price-note"] .js-only`).Length() != 1 || page.doc.Find(`[data-testid="price-note"] .nojs-only`).Length() != 1 {
		t.Error("the price note does not tell the live and the no-JS ways apart")
	}
	res := c.post("/instances?region=ap-hongkong", url.Values{"image": {windows}, "zone": {"ap-hongkong-3"},
		"instance_type": {"S5.MEDIUM4"}, "count": {"3"}, "name": {"priced"}, "quote": {"1"}})
	wantStatus(t, res, http.StatusSeeOther)
	q, _ := url.Parse(res.Header.Get("Location"))
	if q.Path != "/instances/new" || q.Query().Get("count") != "3" || q.Query().Get("instance_type") != "S5.MEDIUM4" || q.Query().Has("_csrf") {
		t.Errorf("Update price sent to %q", res.Header.Get("Location"))
	}
	priced := c.instancesFollow(res)
	plan, err := ts.store.QuoteLaunch(t.Context(), acct, models.LaunchInput{Region: "ap-hongkong", Zone: "ap-hongkong-3",
		InstanceType: "S5.MEDIUM4", ImageID: windows, Count: 3})
	if err != nil {
		t.Fatal(err)
	}
	want := i18n.EN.Money(plan.Quote.TotalPerHour) + "/hour"
	if got := priced.doc.Find(`[data-testid="quote-total"]`).Text(); got != want {
		t.Errorf("total %q, want %q (3 instances)", got, want)
	}
	if got := priced.doc.Find(`[data-testid="quote-count"]`).Text(); !strings.Contains(got, "3") {
		t.Errorf("count %q", got)
	}
	if got := priced.doc.Find(`input[name="name"]`).AttrOr("value", ""); got != "priced" {
		t.Errorf("name %q not kept", got)
	}
	var n int64
	ts.store.DB().Model(&models.Instance{}).Count(&n)
	if n != 0 {
		t.Errorf("Update price launched %d instances", n)
	}
}

// TestInstances_Plurals: counts use the catalogue's plural forms, never
// "instance(s)", in both languages.
func TestInstances_Plurals(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.signUp("plurals@example.com")
	ubuntu := commonImageID(t, ts, "Ubuntu", models.ArchX86)
	tests := []struct {
		launch         int
		notice, listed string
	}{
		{1, "Launching 1 instance.", "1 instance"},
		{2, "Launching 2 instances.", "3 instances"},
	}
	for _, tt := range tests {
		c.get("/instances/new?region=ap-guangzhou&image=" + ubuntu)
		res := c.post("/instances?region=ap-guangzhou", url.Values{"image": {ubuntu}, "zone": {"ap-guangzhou-3"},
			"instance_type": {"S5.MEDIUM4"}, "count": {strconv.Itoa(tt.launch)}})
		list := c.instancesFollow(res)
		if got := strings.TrimSpace(list.doc.Find(`[data-testid="flash"]`).Text()); !strings.Contains(got, tt.notice) {
			t.Errorf("notice %q, want %q", got, tt.notice)
		}
		if got := list.doc.Find(`[data-testid="instance-count"]`).Text(); got != tt.listed {
			t.Errorf("count %q, want %q", got, tt.listed)
		}
		if strings.Contains(list.body, "(s)") {
			t.Error("the page says (s)")
		}
	}
	c.post("/lang", url.Values{"lang": {"zh-CN"}, "next": {"/instances"}})
	if got := c.get("/instances?region=ap-guangzhou").doc.Find(`[data-testid="instance-count"]`).Text(); got != "共 3 台实例" {
		t.Errorf("zh-CN count %q", got)
	}
}

// TestInstances_Chinese: with Chinese chosen, every instance page speaks
// Tencent Cloud's console Chinese (states, billing, components, dates,
// prices), and no text is missing from the catalogue.
func TestInstances_Chinese(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.signUp("zh@example.com")
	ubuntu := commonImageID(t, ts, "Ubuntu", models.ArchX86)
	id := c.launch(ubuntu, 1)[0]
	ts.drain(t)
	c.post("/lang", url.Values{"lang": {"zh-CN"}, "next": {"/instances"}})
	before := i18n.Missing()
	pages := []struct {
		path  string
		wants []string
	}{
		{"/instances?region=ap-guangzhou", []string{"实例", "新建实例", "运行中", "可用区", "机型", "关机", "销毁", "年"}},
		{"/instances/" + id + "?region=ap-guangzhou", []string{"基本信息", "按量计费", "制作镜像", "重装系统", "创建实例（成功）", "年"}},
		{"/instances/new?region=ap-guangzhou&image=" + ubuntu, []string{"新建实例", "可用区", "云安全", "云监控", "立即购买", "元", "/小时", "更新费用"}},
		{"/instances/new?region=ap-guangzhou", []string{"选择镜像", "公共镜像"}},
	}
	for _, p := range pages {
		res := c.get(p.path)
		wantStatus(t, res, http.StatusOK)
		if lang := res.Header.Get("Content-Language"); lang != "zh-CN" {
			t.Errorf("%s: Content-Language %q", p.path, lang)
		}
		main := res.doc.Find("main").Text()
		for _, w := range p.wants {
			if !strings.Contains(main, w) && !strings.Contains(res.body, w) {
				t.Errorf("%s lacks %q", p.path, w)
			}
		}
		for _, english := range []string{"Launch instances", "Instance type", "Availability zone", "/hour", "RUNNING"} {
			if strings.Contains(main, english) {
				t.Errorf("%s still says %q", p.path, english)
			}
		}
	}
	if got := i18n.Missing(); got != before {
		t.Errorf("%d catalogue lookups missed", got-before)
	}
}

// TestInstances_LinksCarryTheirRegion: every instance link names the
// instance's region, and an instance opens whatever region is selected;
// a created image's page is reached with its region in the URL.
func TestInstances_LinksCarryTheirRegion(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.signUp("links@example.com")
	ubuntu := commonImageID(t, ts, "Ubuntu", models.ArchX86)
	id := c.launch(ubuntu, 1)[0]
	ts.drain(t)
	list := c.get("/instances?region=ap-guangzhou")
	if href := list.doc.Find(`[data-testid="instance-link"]`).AttrOr("href", ""); href != "/instances/"+id+"?region=ap-guangzhou" {
		t.Errorf("instance link %q does not name its region", href)
	}
	wantStatus(t, c.post("/region", url.Values{"region": {"ap-shanghai"}, "next": {"/instances"}}), http.StatusSeeOther)
	for _, path := range []string{"/instances/" + id, "/instances/" + id + "?region=ap-shanghai", "/instances/" + id + "?region=ap-guangzhou"} {
		res := c.get(path)
		wantStatus(t, res, http.StatusOK)
		if got := res.doc.Find(`[data-testid="instance-title"]`).Text(); got == "" {
			t.Errorf("%s: no instance", path)
		}
		if action := res.doc.Find(`form[data-testid="create-image-form"]`).AttrOr("action", ""); !strings.Contains(action, "region=ap-guangzhou") {
			t.Errorf("%s: create-image posts to %q, not the instance's region", path, action)
		}
	}
	res := c.post("/instances/"+id+"/images?region=ap-guangzhou", url.Values{"name": {"from-anywhere"}})
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/images/img-") || !strings.HasSuffix(loc, "?region=ap-guangzhou") {
		t.Errorf("the new image's page %q does not name its region", loc)
	}
}

// TestLaunch_PickerReadFails: when the image lists cannot be read the
// picker is an error page, not an empty list saying there is nothing to
// launch.
func TestLaunch_PickerReadFails(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.signUp("outage@example.com")
	wantStatus(t, c.get("/instances/new?region=ap-guangzhou"), http.StatusOK)
	if err := ts.store.DB().Exec("ALTER TABLE images RENAME TO images_away").Error; err != nil {
		t.Fatal(err)
	}
	wantStatus(t, c.get("/instances/new?region=ap-guangzhou"), http.StatusInternalServerError)
}
