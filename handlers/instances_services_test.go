package handlers

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"imageconsole/models"
	"imageconsole/models/i18n"
	"imageconsole/views/pages"
)

// TestServiceRows: the detail page names each built-in component in the
// reader's language and says whether the instance runs it; when the
// store does not say, the page shows no section rather than a guess.
func TestServiceRows(t *testing.T) {
	if got := serviceRows(i18n.EN, nil); got != nil {
		t.Errorf("unknown components give %v, want no section", got)
	}
	tests := []struct {
		name    string
		lang    i18n.Lang
		in      models.EnhancedService
		want    string // key=installed, in order
		labels  []string
		install string
	}{
		{"SecurityOnlyEN", i18n.EN, models.EnhancedService{Security: true}, "security=true monitor=false",
			[]string{"Cloud security", "Cloud monitoring"}, "Installed"},
		{"BothZH", i18n.ZH, models.EnhancedService{Security: true, Monitor: true}, "security=true monitor=true",
			[]string{"云安全", "云监控"}, "已安装"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := serviceRows(tt.lang, &tt.in)
			var buf bytes.Buffer
			vm := pages.InstanceDetailPageVM{Services: rows}
			ctx := i18n.WithLang(context.Background(), tt.lang)
			if err := pages.InstanceDetailPage(vm).Render(ctx, &buf); err != nil {
				t.Fatal(err)
			}
			doc, _ := goquery.NewDocumentFromReader(&buf)
			var got []string
			for _, s := range doc.Find(`[data-testid="instance-services"] [data-installed]`).EachIter() {
				got = append(got, strings.TrimPrefix(s.AttrOr("data-testid", ""), "service-")+"="+s.AttrOr("data-installed", ""))
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("services %v, want %s", got, tt.want)
			}
			text := doc.Find(`[data-testid="instance-services"]`).Text()
			for _, w := range append(tt.labels, tt.install) {
				if !strings.Contains(text, w) {
					t.Errorf("the section lacks %q: %s", w, text)
				}
			}
		})
	}
}
