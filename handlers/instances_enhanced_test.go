package handlers_test

import (
	"net/http"
	"net/url"
	"testing"

	"imageconsole/models"
)

// TestLaunch_EnhancedServicesReachTheInstance: the wizard's choice of
// built-in components is stored on the instance and shown on its page.
func TestLaunch_EnhancedServicesReachTheInstance(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	c.signUp("agents@example.com")
	ubuntu := commonImageID(t, ts, "Ubuntu", models.ArchX86)
	c.get("/instances/new?region=ap-guangzhou&image=" + ubuntu)
	wantStatus(t, c.post("/instances?region=ap-guangzhou", url.Values{"image": {ubuntu}, "zone": {"ap-guangzhou-3"},
		"instance_type": {"S5.MEDIUM4"}, "count": {"1"}, "security": {"yes"}}), http.StatusSeeOther)
	var in models.Instance
	if err := ts.store.DB().Take(&in).Error; err != nil {
		t.Fatal(err)
	}
	if !in.SecurityService || in.MonitorService {
		t.Errorf("stored security %v monitor %v, want true false", in.SecurityService, in.MonitorService)
	}
	page := c.get("/instances/" + in.ID)
	for key, want := range map[string]string{"security": "true", "monitor": "false"} {
		if got := page.doc.Find(`[data-testid="service-`+key+`"]`).AttrOr("data-installed", ""); got != want {
			t.Errorf("service %s installed = %q, want %q", key, got, want)
		}
	}
}
