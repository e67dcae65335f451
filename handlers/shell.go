package handlers

import (
	"net/url"
	"sort"
	"time"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/models/i18n"
	"imageconsole/views/layouts"
)

// regionOptions is the region selector's list in each language, built once
// from the region table and the catalogue (region.<id>): the frame reads
// no catalogue and no database per request for it.
var regionOptions = func() map[i18n.Lang][]layouts.RegionOption {
	out := map[i18n.Lang][]layouts.RegionOption{}
	for _, l := range i18n.Langs {
		opts := make([]layouts.RegionOption, len(models.Regions))
		for i, r := range models.Regions {
			opts[i] = layouts.RegionOption{ID: r.ID, Name: l.T("region." + r.ID)}
		}
		out[l] = opts
	}
	return out
}()

// regionName is a region's name in the reader's language ("Guangzhou",
// "华南地区（广州）"); an unknown ID is shown as it is.
func regionName(c echo.Context, id string) string {
	for _, r := range regionOptions[lang(c)] {
		if r.ID == id {
			return r.Name
		}
	}
	return id
}

// shell builds the frame's view model for a signed-in page; title is
// already in the reader's language.
func shell(c echo.Context, title, nav string) layouts.Shell {
	a := account(c)
	r := c.Request()
	s := layouts.Shell{Title: title, CSRF: csrfToken(c), AccountID: a.ID, AccountName: a.Name, Role: a.Role,
		Region: region(c), Regions: regionOptions[lang(c)], Nav: nav, Path: r.URL.Path, Flash: flash(c).Notice,
		URL: r.URL.RequestURI()}
	if r.Method == "GET" {
		q := r.URL.Query()
		for name, vals := range q {
			// The page number and a flash message belong to the old region's view.
			if name != "region" && name != "page" && name != "flash" && len(vals) > 0 {
				s.Keep = append(s.Keep, layouts.KeepParam{Name: name, Value: vals[0]})
			}
		}
		sort.Slice(s.Keep, func(i, j int) bool { return s.Keep[i].Name < s.Keep[j].Name })
		s.Canonical = canonicalURL(r.URL, s.Region)
	}
	return s
}

// canonicalURL is u with the region the page shows, when u names none: the
// region then came from the session, and a link without it would show
// whatever region the next reader's session holds. The list pages answer
// without a redirect (bookmarks, scripts and the tests keep working); the
// frame links the canonical address and app.js puts it in the address bar.
func canonicalURL(u *url.URL, region string) string {
	q := u.Query()
	if q.Get("region") != "" {
		return ""
	}
	q.Set("region", region)
	return (&url.URL{Path: u.Path, RawQuery: q.Encode()}).String()
}

// agoIn formats a time for people in the reader's language ("5 minutes
// ago", "5 分钟前") with the exact time for the tooltip.
func agoIn(l i18n.Lang, t, now time.Time) (string, string) {
	exact := l.Time(t)
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return l.T("shell.time.justNow"), exact
	case d < time.Hour:
		return l.T("shell.time.minutesAgo", "Count", int(d/time.Minute)), exact
	case d < 24*time.Hour:
		return l.T("shell.time.hoursAgo", "Count", int(d/time.Hour)), exact
	case d < 30*24*time.Hour:
		return l.T("shell.time.daysAgo", "Count", int(d/(24*time.Hour))), exact
	default:
		return l.Date(t), exact
	}
}

// agoOf is agoIn in the language of the request.
func agoOf(c echo.Context, t, now time.Time) (string, string) { return agoIn(lang(c), t, now) }

// switchRegionTo makes the region selector leave a page that exists in one
// region only (a custom image, an instance) for a list that exists in all.
func switchRegionTo(s *layouts.Shell, path string, keep ...layouts.KeepParam) {
	s.Path, s.Keep = path, keep
}

// untilIn says how far away a future time is ("in 5 hours", "5 小时后").
func untilIn(l i18n.Lang, t, now time.Time) string {
	d := t.Sub(now)
	switch {
	case d < time.Minute:
		return l.T("shell.time.soon")
	case d < time.Hour:
		return l.T("shell.time.inMinutes", "Count", int(d/time.Minute))
	default:
		return l.T("shell.time.inHours", "Count", int(d/time.Hour))
	}
}
