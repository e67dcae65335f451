package handlers

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
)

// TestLaunchInput_EnhancedServices: the wizard's checkboxes become the
// launch's EnhancedService, which the store receives as LaunchInput.
// An unticked box is not posted at all.
func TestLaunchInput_EnhancedServices(t *testing.T) {
	tests := []struct {
		name string
		form url.Values
		want models.EnhancedService
	}{
		{"Both", url.Values{"security": {"yes"}, "monitor": {"yes"}}, models.EnhancedService{Security: true, Monitor: true}},
		{"SecurityOnly", url.Values{"security": {"yes"}}, models.EnhancedService{Security: true}},
		{"MonitorOnly", url.Values{"monitor": {"yes"}}, models.EnhancedService{Monitor: true}},
		{"Neither", url.Values{}, models.EnhancedService{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.form.Set("image", "img-abc12345")
			tt.form.Set("count", "2")
			req := httptest.NewRequest(http.MethodPost, "/instances", strings.NewReader(tt.form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			c := echo.New().NewContext(req, httptest.NewRecorder())
			c.Set(ctxRegion, "ap-guangzhou")
			in := launchInput(c)
			if in.Enhanced != tt.want {
				t.Errorf("Enhanced = %+v, want %+v", in.Enhanced, tt.want)
			}
			if in.ImageID != "img-abc12345" || in.Count != 2 || in.Region != "ap-guangzhou" {
				t.Errorf("the rest of the form is lost: %+v", in)
			}
			// The wizard's URL for these choices keeps them.
			u, _ := url.Parse(launchURL(in))
			if got := (u.Query().Get("security") == "yes"); got != tt.want.Security {
				t.Errorf("launchURL security %q", u.Query().Get("security"))
			}
			if got := (u.Query().Get("monitor") == "yes"); got != tt.want.Monitor {
				t.Errorf("launchURL monitor %q", u.Query().Get("monitor"))
			}
		})
	}
}
