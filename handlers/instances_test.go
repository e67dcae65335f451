package handlers_test

import (
	"net/http"
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
