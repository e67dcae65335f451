// Package components holds the small view pieces every page reuses.
package components

import (
	"fmt"
	"net/url"
	"strconv"
)

// FieldVM describes one form input.
type FieldVM struct {
	Name, Label, Type, Value, Error, Hint, Autocomplete string
	Required                                            bool
	MaxLength                                           int
}

// PagerVM describes the position in a paginated list.
type PagerVM struct {
	Page, Size int
	Total      int64
	// Base is the list URL; Href adds the page to its query.
	Base   url.URL
	Target string
}

// HasNext reports whether a next page exists.
func (p PagerVM) HasNext() bool { return int64(p.Page*p.Size) < p.Total }

// Href is the URL of page n.
func (p PagerVM) Href(n int) string {
	u := p.Base
	q := u.Query()
	q.Set("page", strconv.Itoa(n))
	u.RawQuery = q.Encode()
	return u.String()
}

// Summary says which rows are shown.
func (p PagerVM) Summary() string {
	if p.Total == 0 {
		return "No results"
	}
	first := int64((p.Page-1)*p.Size + 1)
	last := int64(p.Page * p.Size)
	if last > p.Total {
		last = p.Total
	}
	if first > p.Total {
		return fmt.Sprintf("Page %d is past the end (%d results)", p.Page, p.Total)
	}
	return fmt.Sprintf("%d–%d of %d", first, last, p.Total)
}

func itoa(n int) string { return strconv.Itoa(n) }

func stateClass(state string) string {
	switch state {
	case "NORMAL", "RUNNING":
		return "bg-emerald-100 text-emerald-800 dark:bg-emerald-900 dark:text-emerald-100"
	case "CREATEFAILED", "IMPORTFAILED", "LAUNCH_FAILED":
		return "bg-red-100 text-red-800 dark:bg-red-900 dark:text-red-100"
	case "STOPPED", "TERMINATED", "SHUTDOWN":
		return "bg-slate-200 text-slate-700 dark:bg-slate-700 dark:text-slate-100"
	default:
		return "bg-amber-100 text-amber-800 dark:bg-amber-900 dark:text-amber-100"
	}
}

func toneClass(tone string) string {
	switch tone {
	case "official":
		return "bg-sky-100 text-sky-800 dark:bg-sky-900 dark:text-sky-100"
	case "reviewed":
		return "bg-violet-100 text-violet-800 dark:bg-violet-900 dark:text-violet-100"
	case "warning":
		return "bg-orange-100 text-orange-800 dark:bg-orange-900 dark:text-orange-100"
	default:
		return "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-200"
	}
}

// widthClass maps a percentage to a Tailwind width class in steps of 10, so
// the bar needs no inline style (the CSP forbids them).
func widthClass(p int) string {
	switch {
	case p >= 100:
		return "w-full"
	case p >= 90:
		return "w-11/12"
	case p >= 80:
		return "w-4/5"
	case p >= 70:
		return "w-8/12"
	case p >= 60:
		return "w-3/5"
	case p >= 50:
		return "w-1/2"
	case p >= 40:
		return "w-2/5"
	case p >= 30:
		return "w-1/3"
	case p >= 20:
		return "w-1/5"
	case p >= 10:
		return "w-1/12"
	default:
		return "w-0"
	}
}

// Option is one choice of a select.
type Option struct {
	Value, Label string
	Disabled     bool
}

// WithErrors puts a refusal's message next to the field it names and
// returns whether one matched (otherwise the page shows it as an alert).
func WithErrors(fields []FieldVM, field, msg string) bool {
	for i := range fields {
		if field != "" && fields[i].Name == field {
			fields[i].Error = msg
			return true
		}
	}
	return false
}
