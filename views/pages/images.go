package pages

import (
	"time"

	"imageconsole/views/components"
	"imageconsole/views/layouts"
)

// ImagesPageVM is the Images screen.
type ImagesPageVM struct {
	Shell layouts.Shell
	Panel ImagesPanelVM
}

// ImagesPanelVM is the part of the Images screen htmx swaps: tabs, filters,
// table and pager. Texts are catalogue IDs the template looks up in the
// reader's language.
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
	// ShowPrice adds the price column (the Market tab).
	ShowPrice bool
	Rows      []ImageRowVM
	Pager     components.PagerVM
	// Empty is the tab's key: the empty state's texts are images.empty.<Empty>.*.
	Empty string
}

// TabVM is one tab with its count.
type TabVM struct {
	Key, Href string
	Count     int64
	Active    bool
}

// ImageRowVM is one row of an image table.
type ImageRowVM struct {
	ID, Name, OsName, Platform, Arch, State, Href, Region string
	SizeGiB, Progress                                     int
	Busy                                                  bool
	Created                                               time.Time
	// Badge is the trust level (official, reviewed, warning, custom);
	// Provider names a market image's provider, SharedBy the account
	// that shared a shared image.
	Badge, Provider, SharedBy string
	// Price is a market image's hourly price; Licence, for a Windows
	// image, says how its licence is paid in the region (a catalogue key
	// suffix of images.licence.*).
	Price   float64
	Licence string
	// Shared marks a custom image shared with other accounts.
	Shared bool
	// The row's actions: links to the forms that do them.
	LaunchHref, ShareHref, SyncHref, DeleteHref string
}

// Option is a value/label pair for selects; Label is a catalogue ID.
type Option struct{ Value, Label string }

// ArchOptions are the architecture filter values.
var ArchOptions = []Option{{"", "images.filter.allArchs"}, {"x86_64", "images.arch.x86_64"}, {"arm", "images.arch.arm"}, {"i386", "images.arch.i386"}}

// StateOptions are the state filter values.
var StateOptions = []Option{{"", "images.filter.allStates"}, {"NORMAL", "images.state.NORMAL"}, {"CREATING", "images.state.CREATING"},
	{"IMPORTING", "images.state.IMPORTING"}, {"SYNCING", "images.state.SYNCING"}, {"CREATEFAILED", "images.state.CREATEFAILED"},
	{"IMPORTFAILED", "images.state.IMPORTFAILED"}}

// SortOptions are the sort orders.
var SortOptions = []Option{{"created", "images.sort.created"}, {"name", "images.sort.name"}}
