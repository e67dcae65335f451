package handlers

import (
	"fmt"
	"sort"
	"time"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/views/layouts"
)

// regionOptions is the region selector's list, built once from the table.
var regionOptions = func() []layouts.RegionOption {
	out := make([]layouts.RegionOption, len(models.Regions))
	for i, r := range models.Regions {
		out[i] = layouts.RegionOption{ID: r.ID, Name: r.Name}
	}
	return out
}()

// shell builds the frame's view model for a signed-in page.
func shell(c echo.Context, title, nav string) layouts.Shell {
	a := account(c)
	s := layouts.Shell{Title: title, CSRF: csrfToken(c), AccountID: a.ID, AccountName: a.Name, Role: a.Role,
		Region: region(c), Regions: regionOptions, Nav: nav, Path: c.Request().URL.Path, Flash: flash(c).Notice}
	if c.Request().Method == "GET" {
		for name, vals := range c.QueryParams() {
			// The page number and a flash message belong to the old region's view.
			if name != "region" && name != "page" && name != "flash" && len(vals) > 0 {
				s.Keep = append(s.Keep, layouts.KeepParam{Name: name, Value: vals[0]})
			}
		}
		sort.Slice(s.Keep, func(i, j int) bool { return s.Keep[i].Name < s.Keep[j].Name })
	}
	return s
}

// ago formats a time for people ("5 minutes ago") with the exact UTC time
// for the tooltip.
func ago(t, now time.Time) (string, string) {
	exact := t.UTC().Format("2006-01-02 15:04:05 UTC")
	d := now.Sub(t)
	switch {
	case d < 0:
		return "just now", exact
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

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// money formats an hourly price in CNY.
func money(v float64) string { return fmt.Sprintf("¥%.4f", v) }

// switchRegionTo makes the region selector leave a page that exists in one
// region only (a custom image, an instance) for a list that exists in all.
func switchRegionTo(s *layouts.Shell, path string, keep ...layouts.KeepParam) {
	s.Path, s.Keep = path, keep
}

// until says how far away a future time is ("in 5 hours").
func until(t, now time.Time) string {
	d := t.Sub(now)
	switch {
	case d < time.Minute:
		return "in less than a minute"
	case d < time.Hour:
		return "in " + plural(int(d/time.Minute), "minute")
	default:
		return "in " + plural(int(d/time.Hour), "hour")
	}
}
