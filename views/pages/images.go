package pages

import (
	"imageconsole/views/components"
	"imageconsole/views/layouts"
)

// ImagesPageVM is the Images screen.
type ImagesPageVM struct {
	Shell layouts.Shell
	Panel ImagesPanelVM
}

// ImagesPanelVM is the part of the Images screen htmx swaps: tabs, filters,
// table and pager.
type ImagesPanelVM struct {
	Region string
	Tab    string
	Tabs   []TabVM
	Search string
	// SearchError refuses the search (too long); the list is then empty.
	SearchError string
	Platform    string
	Arch        string
	State       string
	Sort        string
	Platforms   []string
	ShowState   bool
	Rows        []ImageRowVM
	Pager       components.PagerVM
	Empty       EmptyVM
}

// EmptyVM is what an empty list says.
type EmptyVM struct{ Title, Text string }

// TabVM is one tab with its count.
type TabVM struct {
	Key, Label, Href string
	Count            int64
	Active           bool
}

// ImageRowVM is one row of an image table.
type ImageRowVM struct {
	ID, Name, OsName, Platform, Arch, Size, State, Created, CreatedExact, Href, Region string
	Progress                                                                           int
	Busy                                                                               bool
	BadgeLabel, BadgeTone, Owner, Price                                                string
}

// Option is a value/label pair for selects.
type Option struct{ Value, Label string }

// ArchOptions are the architecture filter values.
var ArchOptions = []Option{{"", "All architectures"}, {"x86_64", "x86_64"}, {"arm", "arm"}, {"i386", "i386"}}

// StateOptions are the state filter values.
var StateOptions = []Option{{"", "All states"}, {"NORMAL", "NORMAL"}, {"CREATING", "CREATING"}, {"IMPORTING", "IMPORTING"},
	{"SYNCING", "SYNCING"}, {"CREATEFAILED", "CREATEFAILED"}, {"IMPORTFAILED", "IMPORTFAILED"}}

// SortOptions are the sort orders.
var SortOptions = []Option{{"created", "Newest first"}, {"name", "Name A–Z"}}
