package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"imageconsole/models"
)

// TestInstances_ButtonsFromTheRules: a row offers exactly the actions the
// instance allows, and polls only while a task moves it.
func TestInstances_ButtonsFromTheRules(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.signUp("buttons@example.com")
	ids := c.launch(commonImageID(t, ts, "Ubuntu", models.ArchX86), 1)
	ts.drain(t)
	tests := []struct {
		state   string
		buttons string
		busy    bool
	}{
		{models.InstanceRunning, "stop,reboot,terminate", false},
		{models.InstanceStopped, "start,terminate", false},
		{models.InstanceLaunchFailed, "terminate", false},
		{models.InstancePending, "", true},
		{models.InstanceResetting, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.state, func(t *testing.T) {
			ts.store.DB().Model(&models.Instance{}).Where("id = ?", ids[0]).Update("state", tt.state)
			row := c.get("/instances/"+ids[0]+"/row", "HX-Request", "true")
			wantStatus(t, row, http.StatusOK)
			var got []string
			for _, act := range []string{"start", "stop", "reboot", "terminate"} {
				if row.doc.Find(`[data-testid="`+act+`-`+ids[0]+`"]`).Length() == 1 {
					got = append(got, act)
				}
			}
			if strings.Join(got, ",") != tt.buttons {
				t.Errorf("buttons %v, want %s", got, tt.buttons)
			}
			if busy := row.doc.Find(`tr[hx-trigger]`).Length() == 1; busy != tt.busy {
				t.Errorf("polls %v, want %v", busy, tt.busy)
			}
			detail := c.get("/instances/" + ids[0])
			canImage := detail.doc.Find(`[data-testid="create-image-open"]`).Length() == 1
			if wantImage := tt.state == models.InstanceRunning || tt.state == models.InstanceStopped; canImage != wantImage {
				t.Errorf("create image offered %v, want %v", canImage, wantImage)
			}
			if note := detail.doc.Find(`[data-testid="image-note"]`).Text(); !canImage && !strings.Contains(note, "only while RUNNING or STOPPED") {
				t.Errorf("the page does not say why: %q", note)
			}
		})
	}
}

// TestInstances_RefusalsByField: a refused plain post on the instance
// pages goes back (303) to its form's own page, which shows the message
// next to the field it names (or as the page's alert when it names none)
// and what was typed; an htmx row post gets its row with the message; an
// instance that is not the caller's gets the error page. Nothing is
// written either way.
func TestInstances_RefusalsByField(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.signUp("refusals@example.com")
	ubuntu := commonImageID(t, ts, "Ubuntu", models.ArchX86)
	id := c.launch(ubuntu, 1)[0]
	ts.drain(t)
	before := instanceState(t, ts, id)
	// postHX posts as htmx does from a row: the answer is the row.
	postHX := func(path string) *response {
		form := url.Values{"_csrf": {c.csrf}}
		req, _ := http.NewRequest(http.MethodPost, c.srv.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("HX-Request", "true")
		return c.do(req)
	}
	tests := []struct {
		name, page string
		post       func() *response
		status     int
		back       string // the form page a plain post is sent back to
		where      string // the element that holds the message
		code       string
		kept       string // an input that must hold what was typed
	}{
		{"ErrLaunchCount", "/instances/new?region=ap-guangzhou&image=" + ubuntu, func() *response {
			return c.post("/instances?region=ap-guangzhou", url.Values{"image": {ubuntu}, "zone": {"ap-guangzhou-3"},
				"instance_type": {"S5.MEDIUM4"}, "count": {"0"}, "name": {"kept-name"}})
		}, http.StatusSeeOther, "/instances/new", `[data-testid="error-count"]`, models.CodeRange, `input[name="name"][value="kept-name"]`},
		{"ErrCreateImageName", "/instances/" + id, func() *response {
			return c.post("/instances/"+id+"/images?region=ap-guangzhou", url.Values{"name": {""}, "description": {"kept words"}})
		}, http.StatusSeeOther, "/instances/" + id, `[data-testid="error-name"]`, "", `textarea[name="description"]:contains("kept words")`},
		{"ErrResetUnknownImage", "/instances/" + id, func() *response {
			return c.post("/instances/"+id+"/reset?region=ap-guangzhou", url.Values{"image": {"img-zzzzzzzz"}})
		}, http.StatusSeeOther, "/instances/" + id, `[data-testid="error-image"]`, models.CodeInvalidImageIDNotFound, ""},
		{"ErrActionNotAllowed", "/instances?region=ap-guangzhou", func() *response {
			return c.post("/instances/"+id+"/start?region=ap-guangzhou", nil)
		}, http.StatusSeeOther, "/instances", `[data-testid="alert"]`, "", ""},
		{"ErrActionNotAllowedOnDetail", "/instances/" + id, func() *response {
			return c.post("/instances/"+id+"/start?region=ap-guangzhou", url.Values{"from": {"detail"}})
		}, http.StatusSeeOther, "/instances/" + id, `[data-testid="alert"]`, "", ""},
		{"ErrActionNotAllowedRow", "/instances?region=ap-guangzhou", func() *response {
			return postHX("/instances/" + id + "/start?region=ap-guangzhou")
		}, http.StatusUnprocessableEntity, "", `[data-testid="row-error"]`, "", ""},
		{"ErrActionUnknownInstance", "/instances?region=ap-guangzhou", func() *response {
			return c.post("/instances/ins-zzzzzzzz/stop?region=ap-guangzhou", nil)
		}, http.StatusNotFound, "", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.get(tt.page)
			res := tt.post()
			wantStatus(t, res, tt.status)
			if tt.back != "" {
				loc, _ := url.Parse(res.Header.Get("Location"))
				if loc.Path != tt.back {
					t.Fatalf("sent to %q, want the form's page %s", res.Header.Get("Location"), tt.back)
				}
				res = c.instancesFollow(res)
			}
			if tt.where != "" && strings.TrimSpace(res.doc.Find(tt.where).Text()) == "" {
				t.Errorf("no message in %s: %.600s", tt.where, res.body)
			}
			if tt.where == "" && res.doc.Find(`form[data-testid]`).Length() != 0 {
				t.Error("a not-found came back as a form")
			}
			if tt.code != "" {
				if got := refusalCode(res.doc.Selection); got != tt.code {
					t.Errorf("code %q, want %q", got, tt.code)
				}
			}
			if tt.kept != "" && res.doc.Find(tt.kept).Length() != 1 {
				t.Errorf("the typed value is lost: no %s", tt.kept)
			}
			if after := instanceState(t, ts, id); after != before {
				t.Errorf("a refused post wrote: %+v, was %+v", after, before)
			}
			if tt.back != "" {
				// Read once: a reload shows the page as it is now.
				if again := c.get(res.Request.URL.RequestURI()); strings.TrimSpace(again.doc.Find(tt.where).Text()) != "" {
					t.Error("the refusal shows again on reload")
				}
			}
		})
	}
}

// instancesFollow follows a 303 as a browser does (the fragment stays in
// the browser) and returns the page it lands on.
func (c *client) instancesFollow(res *response) *response {
	c.t.Helper()
	if res.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("status = %d, want 303; body: %.400s", res.StatusCode, res.body)
	}
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil {
		c.t.Fatal(err)
	}
	loc.Fragment = ""
	return c.get(loc.RequestURI())
}

// instanceSnapshot is what a refused post must leave as it was.
type instanceSnapshot struct {
	State, ImageID    string
	Instances, Images int64
	Tasks             int64
}

func instanceState(t *testing.T, ts *testServer, id string) instanceSnapshot {
	t.Helper()
	var in models.Instance
	if err := ts.store.DB().Where("id = ?", id).Take(&in).Error; err != nil {
		t.Fatal(err)
	}
	s := instanceSnapshot{State: in.State, ImageID: in.ImageID}
	ts.store.DB().Model(&models.Instance{}).Count(&s.Instances)
	ts.store.DB().Model(&models.Image{}).Where("type = ?", models.TypePrivate).Count(&s.Images)
	ts.store.DB().Model(&models.Task{}).Count(&s.Tasks)
	return s
}

// TestLaunch_FormKeepsItsRegion: the wizard posts to the region it was
// opened for, not the one the session remembers (the region selector may
// have moved it meanwhile), so the launch finds its image.
func TestLaunch_FormKeepsItsRegion(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.signUp("region@example.com")
	ubuntu := commonImageID(t, ts, "Ubuntu", models.ArchX86)
	c.get("/images")
	wantStatus(t, c.post("/region", url.Values{"region": {"ap-shanghai"}, "next": {"/images"}}), http.StatusSeeOther)
	page := c.get("/instances/new?region=ap-guangzhou&image=" + ubuntu)
	action := page.doc.Find(`form[data-testid="launch-form"]`).AttrOr("action", "")
	if !strings.Contains(action, "region=ap-guangzhou") {
		t.Fatalf("the launch form posts to %q", action)
	}
	res := c.post(action, url.Values{"image": {ubuntu}, "zone": {"ap-guangzhou-3"}, "instance_type": {"S5.MEDIUM4"}, "count": {"1"}})
	wantStatus(t, res, http.StatusSeeOther)
	var n int64
	ts.store.DB().Model(&models.Instance{}).Where("region = ?", "ap-guangzhou").Count(&n)
	if n != 1 {
		t.Errorf("%d instances in ap-guangzhou, want 1", n)
	}
}
