package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"imageconsole/models"
)

// TestConsole_SearchTooLong: a search far over its limit is refused with a
// 422 and a message by the search box, never a 500, on a full page and on
// an htmx request alike.
func TestConsole_SearchTooLong(t *testing.T) {
	ts := newTestServer(t)
	op := ts.client(t)
	op.signInAs("op@example.com", models.RoleOperator)
	huge := url.QueryEscape(strings.Repeat("a", 50001))
	tests := []struct {
		name, path string
		headers    []string
		want       int
		wantError  bool
	}{
		{"OK/Images", "/images?region=ap-guangzhou&q=ubuntu", nil, http.StatusOK, false},
		{"OK/ImagesAtLimit", "/images?region=ap-guangzhou&q=" + strings.Repeat("a", models.MaxSearch), nil, http.StatusOK, false},
		{"ErrImagesTooLong", "/images?region=ap-guangzhou&q=" + huge, nil, http.StatusUnprocessableEntity, true},
		{"ErrImagesTooLongHTMX", "/images?region=ap-guangzhou&q=" + huge, []string{"HX-Request", "true"}, http.StatusUnprocessableEntity, true},
		{"ErrImagesJustOver", "/images?region=ap-guangzhou&q=" + strings.Repeat("é", models.MaxSearch+1), nil, http.StatusUnprocessableEntity, true},
		{"OK/Accounts", "/operator/accounts?q=op@", nil, http.StatusOK, false},
		{"ErrAccountsTooLong", "/operator/accounts?q=" + huge, nil, http.StatusUnprocessableEntity, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := op.get(tt.path, tt.headers...)
			wantStatus(t, res, tt.want)
			msg := res.doc.Find(`[data-testid="search-error"]`).Text()
			if tt.wantError != (msg != "") || (tt.wantError && !strings.Contains(msg, "at most")) {
				t.Errorf("search error %q, want one: %v", msg, tt.wantError)
			}
			if tt.wantError && res.doc.Find(`[data-testid="image-row"], [data-testid="account-row"]`).Length() != 0 {
				t.Error("a refused search still listed rows")
			}
		})
	}
}
