package pages

import (
	"imageconsole/views/components"
	"imageconsole/views/layouts"
)

// InstancesPageVM is the Instances screen of one region.
type InstancesPageVM struct {
	Shell      layouts.Shell
	Alert      string
	AlertCode  string
	Rows       []InstanceRowVM
	Pager      components.PagerVM
	Total      int64
	LaunchHref string
}

// InstanceRowVM is one instance in the table; a busy row polls for its state.
type InstanceRowVM struct {
	CSRF                                string
	ID, Name, State, StateLabel, Region string
	Type, Zone, ImageID, OsName         string
	Created, CreatedExact, Error        string
	Busy                                bool
	// OnDetail marks the row of the detail page: a plain post of its
	// buttons comes back there instead of to the list.
	OnDetail                                bool
	CanStop, CanStart, CanReboot, CanDelete bool
}

// Href is the instance's detail page. It names the instance's region, so
// the link opens whatever region the selector shows.
func (r InstanceRowVM) Href() string { return "/instances/" + r.ID + "?region=" + r.Region }

// action is the URL a row button posts to.
func (r InstanceRowVM) action(name string) string {
	return "/instances/" + r.ID + "/" + name + "?region=" + r.Region
}

// InstanceDetailPageVM is the detail screen of one instance.
type InstanceDetailPageVM struct {
	Shell      layouts.Shell
	Row        InstanceRowVM
	Attributes []Attribute
	// Services is which built-in components the instance runs.
	Services []ServiceVM
	CanImage bool
	CanReset bool
	// ImageNote says why neither is possible now.
	ImageNote string
	// ImageName and ImageDescription are the create-image form.
	ImageName, ImageDescription components.FieldVM
	Reinstall                   components.FieldVM
	Images                      []components.Option
	Alert                       string
	AlertCode                   string
}

// ServiceVM is one optional built-in component and whether it is installed.
type ServiceVM struct {
	Key, Label, State string
	On                bool
}

// LaunchPickerPageVM is the first step of a launch opened without an
// image: the images the caller can launch in the region.
type LaunchPickerPageVM struct {
	Shell  layouts.Shell
	Groups []LaunchImageGroupVM
}

// LaunchImageGroupVM is one tab's worth of launchable images.
type LaunchImageGroupVM struct {
	Key, Label string
	Images     []LaunchImageVM
}

// LaunchImageVM is one image of the picker, linked to the wizard.
type LaunchImageVM struct {
	ID, Name, Detail, Href string
}

// LaunchPageVM is the launch wizard.
type LaunchPageVM struct {
	Shell       layouts.Shell
	ImageID     string
	ImageName   string
	ImageArch   string
	Images      []components.Option
	Shared      bool
	SharedOwner string
	Warning     string // the risk of a shared image, in the store's words
	// Ack is the checkbox that accepts Warning; its Error is the refusal
	// of a launch that did not.
	Ack         components.FieldVM
	Count, Name components.FieldVM
	Zone        components.FieldVM
	Type        components.FieldVM
	Zones       []components.Option
	Types       []components.Option
	// Security and Monitor are the built-in components to install.
	Security, Monitor bool
	Quote             QuoteVM
	Alert             string
	AlertCode         string
	// Errors is the summary at the top of a refused launch: the message
	// with a link to the field it is about.
	Errors []ErrorLinkVM
}

// ErrorLinkVM is one line of an error summary: the message, its code and
// the id of the input it is about ("" for the form as a whole).
type ErrorLinkVM struct {
	Message, Code, Target string
}

// QuoteVM is the hourly price breakdown shown before a launch.
type QuoteVM struct {
	Instance, Image, Unit, Total, Count, Reason, Error string
}
