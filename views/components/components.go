// Package components holds the small view pieces every page reuses.
package components

import (
	"net/url"
	"strconv"

	"imageconsole/models/i18n"
)

// FieldVM describes one form input. ErrorCode is the code of the refusal
// whose message Error shows, kept on the message for tests and tools.
type FieldVM struct {
	Name, Label, Type, Value, Error, ErrorCode, Hint, Autocomplete string
	Required                                                       bool
	MaxLength                                                      int
}

// describedBy lists the ids of the hint and error that describe the field
// whose element id is id.
func (f FieldVM) describedBy(id string) string {
	switch {
	case f.Hint != "" && f.Error != "":
		return id + "-hint " + id + "-error"
	case f.Error != "":
		return id + "-error"
	case f.Hint != "":
		return id + "-hint"
	}
	return ""
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

// Summary says which rows are shown, in l.
func (p PagerVM) Summary(l i18n.Lang) string {
	if p.Total == 0 {
		return l.T("shell.pager.none")
	}
	first := int64((p.Page-1)*p.Size + 1)
	last := int64(p.Page * p.Size)
	if last > p.Total {
		last = p.Total
	}
	if first > p.Total {
		return l.T("shell.pager.past", "Page", p.Page, "Total", p.Total)
	}
	return l.T("shell.pager.range", "First", first, "Last", last, "Total", p.Total)
}

// Crumb is one step of a breadcrumb trail; the last one is the current page.
type Crumb struct{ Label, Href string }

func itoa(n int) string { return strconv.Itoa(n) }

// stateTone groups the image and instance states by what they mean to the
// user: ready, failed, idle, or on the way somewhere.
func stateTone(state string) string {
	switch state {
	case "NORMAL", "RUNNING":
		return "ok"
	case "CREATEFAILED", "IMPORTFAILED", "LAUNCH_FAILED":
		return "fail"
	case "STOPPED", "TERMINATED", "SHUTDOWN", "OFFLINE":
		return "idle"
	}
	return "busy"
}

func stateClass(state string) string {
	switch stateTone(state) {
	case "ok":
		return "bg-emerald-50 text-emerald-800 ring-emerald-600/30 dark:bg-emerald-500/10 dark:text-emerald-300 dark:ring-emerald-400/30"
	case "fail":
		return "bg-red-50 text-red-800 ring-red-600/30 dark:bg-red-500/10 dark:text-red-300 dark:ring-red-400/30"
	case "idle":
		return "bg-slate-100 text-slate-700 ring-slate-500/30 dark:bg-slate-500/15 dark:text-slate-300 dark:ring-slate-400/30"
	}
	return "bg-blue-50 text-blue-800 ring-blue-600/30 dark:bg-blue-500/10 dark:text-blue-300 dark:ring-blue-400/30"
}

func stateDotClass(state string) string {
	switch stateTone(state) {
	case "ok":
		return "bg-emerald-600 dark:bg-emerald-400"
	case "fail":
		return "bg-red-600 dark:bg-red-400"
	case "idle":
		return "bg-slate-500 dark:bg-slate-400"
	}
	return "animate-pulse bg-blue-600 dark:bg-blue-400"
}

func toneClass(tone string) string {
	switch tone {
	case "official":
		return "bg-sky-50 text-sky-800 ring-sky-600/30 dark:bg-sky-500/10 dark:text-sky-300 dark:ring-sky-400/30"
	case "reviewed":
		return "bg-violet-50 text-violet-800 ring-violet-600/30 dark:bg-violet-500/10 dark:text-violet-300 dark:ring-violet-400/30"
	case "warning":
		return "bg-amber-50 text-amber-900 ring-amber-600/40 dark:bg-amber-500/10 dark:text-amber-200 dark:ring-amber-400/30"
	}
	return "bg-slate-100 text-slate-700 ring-slate-500/30 dark:bg-slate-500/15 dark:text-slate-300 dark:ring-slate-400/30"
}

func toneIcon(tone string) string {
	switch tone {
	case "official":
		return "shield"
	case "reviewed":
		return "badge"
	case "warning":
		return "warning"
	}
	return "cube"
}

// Option is one choice of a select.
type Option struct {
	Value, Label string
	Disabled     bool
}

// FormError is a refused form's message and code, addressed by name to
// the input it is about. With no Field, or one the form does not have, it
// is the form's alert.
type FormError struct{ Field, Message, Code string }

// Place puts the message next to the field of fields it names and returns
// the alert and its code when none of them has that name.
func (e FormError) Place(fields ...*FieldVM) (alert, code string) {
	if e.Message == "" {
		return "", ""
	}
	for _, f := range fields {
		if e.Field != "" && f.Name == e.Field {
			f.Error, f.ErrorCode = e.Message, e.Code
			return "", ""
		}
	}
	return e.Message, e.Code
}
