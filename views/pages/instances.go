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
	LaunchHref string
}

// InstanceRowVM is one instance in the table; a busy row polls for its state.
type InstanceRowVM struct {
	CSRF                                    string
	ID, Name, State, Type, Zone, ImageID    string
	OsName, Created, CreatedExact, Error    string
	Busy                                    bool
	CanStop, CanStart, CanReboot, CanDelete bool
}

// InstanceDetailPageVM is the detail screen of one instance.
type InstanceDetailPageVM struct {
	Shell      layouts.Shell
	Row        InstanceRowVM
	Attributes []Attribute
	CanImage   bool
	CanReset   bool
	ImageNote  string // why neither is possible now
	// ImageName and ImageDescription are the create-image form.
	ImageName, ImageDescription components.FieldVM
	Reinstall                   components.FieldVM
	Images                      []components.Option
	Alert                       string
	AlertCode                   string
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
	Quote       QuoteVM
	Alert       string
	AlertCode   string
}

// QuoteVM is the hourly price breakdown shown before a launch.
type QuoteVM struct {
	Instance, Image, Unit, Total, Count, Reason, Error string
}
