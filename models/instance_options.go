package models

import (
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Codes of RunInstances' options, as the CVM SDK spells them.
const (
	CodeParameterCombination = "InvalidParameterCombination"
	CodeVpcIDMalformed       = "InvalidParameterValue.VpcIdMalformed"
	CodeVpcIDNotExist        = "InvalidParameterValue.VpcIdNotExist"
	CodeSubnetIDMalformed    = "InvalidParameterValue.SubnetIdMalformed"
	CodeSubnetNotExist       = "InvalidParameterValue.SubnetNotExist"
	CodeVpcSubnetNotMatch    = "InvalidParameterValue.VpcIdSubnetIdNotMatch"
	CodeSubnetZoneNotMatch   = "InvalidParameterValue.SubnetIdZoneIdNotMatch"
	CodeSubnetFull           = "FailedOperation.NoAvailableIpAddressCountInSubnet"
	CodeSgIDMalformed        = "InvalidSgId.Malformed"
	CodeSgIDNotFound         = "InvalidSecurityGroupId.NotFound"
	CodeLaunchKeyNotFound    = "InvalidParameterValue.KeyPairNotFound"
	CodeKeyPairOnWindows     = "UnsupportedOperation.KeyPairUnsupportedWindows"
	CodeInvalidPassword      = "InvalidParameterValue.InvalidPassword"
	CodeIllegalHostName      = "InvalidParameterValue.IllegalHostName"
	CodeUserDataFormat       = "InvalidParameterValue.InvalidUserDataFormat"
	CodeSnapshotIDMalformed  = "InvalidParameterValue.SnapshotIdMalformed"
	CodeCloudSsdTooSmall     = "InvalidParameterValue.CloudSsdDataDiskSizeTooSmall"
	CodeBandwidthPackage     = "UnsupportedOperation.BandwidthPackageIdNotSupported"
	CodeDuplicateTags        = "InvalidParameterValue.DuplicateTags"
	CodeIllegalTagKey        = "FailedOperation.IllegalTagKey"
	CodeIllegalTagValue      = "FailedOperation.IllegalTagValue"
	CodeTagKeyReserved       = "FailedOperation.TagKeyReserved"
	CodeTagQuota             = "InvalidParameterValue.TagQuotaLimitExceeded"
	CodeInstancesProtected   = "UnsupportedOperation.InstancesProtected"
)

// Disk types offered: the cloud disks. Local disks come only with
// local-disk instance types, which are not sold here.
var cloudDiskTypes = []string{"CLOUD_BASIC", "CLOUD_PREMIUM", "CLOUD_SSD", "CLOUD_BSSD", "CLOUD_HSSD", "CLOUD_TSSD"}

// Internet charge types of a pay-by-the-hour instance. BANDWIDTH_PREPAID
// goes with prepaid instances and BANDWIDTH_PACKAGE with bandwidth
// packages, neither of which exists here.
var internetChargeTypes = []string{"TRAFFIC_POSTPAID_BY_HOUR", "BANDWIDTH_POSTPAID_BY_HOUR"}

// Limits of the launch options, the cloud's defaults.
const (
	DefaultDiskType     = "CLOUD_PREMIUM"
	DefaultInternetType = "TRAFFIC_POSTPAID_BY_HOUR"
	minSystemDisk       = 20
	maxSystemDisk       = 2048
	minDataDisk         = 10
	minSSDDataDisk      = 20
	maxDataDisk         = 32000
	dataDiskStep        = 10
	maxDataDisks        = 20
	maxBandwidthOut     = 100 // Mbps
	maxUserData         = 16 << 10
	maxTags             = 50
	maxTagKey           = 127
	maxTagValue         = 255
)

// DataDiskInput is a data disk to attach at launch.
type DataDiskInput struct {
	Type       string
	SizeGiB    int
	SnapshotID string
	// DeleteWithInstance: nil is the cloud's default, true.
	DeleteWithInstance *bool
	Encrypt            bool
}

// DataDisk is a data disk of an instance.
type DataDisk struct {
	ID                 string `json:"id"`
	Type               string `json:"type"`
	SizeGiB            int    `json:"size"`
	SnapshotID         string `json:"snapshot_id,omitempty"`
	DeleteWithInstance bool   `json:"delete_with_instance"`
	Encrypt            bool   `json:"encrypt"`
}

// Tag is a key and value attached to a resource.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// TagSpec is the tags for one resource type of a launch: "instance" tags
// the instances; "disk" (their cloud disks) is accepted and not kept.
type TagSpec struct {
	ResourceType string
	Tags         []Tag
}

// InstanceNetwork is where an instance is and who logs in to it, read from
// the network joins.
type InstanceNetwork struct {
	VpcID, SubnetID, PrivateIP string
	SecurityGroupIDs, KeyIDs   []string
}

// LaunchOptions is what RunInstances may ask besides the image and type.
// The zero value is the cloud's defaults: no VPC, no public address, a
// system disk of the image's size.
type LaunchOptions struct {
	VpcID, SubnetID  string
	SecurityGroupIDs []string
	KeyIDs           []string
	// Password is the login password (never kept); KeepImageLogin is
	// "true", "false" or "" as the SDK sends it.
	Password       string
	KeepImageLogin string
	SystemDiskType string
	SystemDiskGiB  int // 0: the image's size
	DataDisks      []DataDiskInput
	// InternetChargeType "" is DefaultInternetType; BandwidthOut in Mbps;
	// PublicIPAssigned nil means "yes when BandwidthOut > 0".
	InternetChargeType string
	BandwidthOut       int
	PublicIPAssigned   *bool
	BandwidthPackageID string
	HostName           string
	UserData           string
	TagSpecs           []TagSpec
	ProjectID          int64
	CamRoleName        string
	// DisableAPITermination protects the instances from termination.
	DisableAPITermination bool
	// DefaultEnhanced says EnhancedService was not given: public images
	// then run both agents, other images neither (they keep their own).
	DefaultEnhanced bool
}

// launchSettings is LaunchOptions checked against the image and type,
// ready to be written on each instance.
type launchSettings struct {
	systemDiskType, systemDiskID string
	systemDiskGiB                int
	dataDisks                    []DataDisk
	internetType                 string
	bandwidth                    int
	publicIP                     bool
	tags                         string
	keepImageLogin               bool
	enhanced                     EnhancedService
}

// settle checks the options that need no database read and works out the
// defaults. Rules follow the CVM SDK's field documentation.
func (o *LaunchOptions) settle(img *Image, enhanced EnhancedService) (launchSettings, error) {
	out := launchSettings{enhanced: enhanced}
	if o.DefaultEnhanced {
		public := img.Type == TypePublic
		out.enhanced = EnhancedService{Security: public, Monitor: public}
	}
	if err := o.settleLogin(img, &out); err != nil {
		return out, err
	}
	if err := o.settleDisks(img, &out); err != nil {
		return out, err
	}
	if err := o.settleInternet(&out); err != nil {
		return out, err
	}
	if len(o.UserData) > maxUserData {
		return out, FieldE("user_data", CodeTooLarge, "err.instances.user_data_size", "Max", maxUserData)
	}
	if _, err := base64.StdEncoding.DecodeString(o.UserData); err != nil {
		return out, FieldE("user_data", CodeUserDataFormat, "err.instances.user_data_base64")
	}
	tags, err := instanceTags(o.TagSpecs)
	if err != nil {
		return out, err
	}
	b, _ := json.Marshal(tags)
	out.tags = string(b)
	if o.ProjectID < 0 {
		return out, FieldE("project_id", CodeInvalidParameterValue, "err.instances.project_id")
	}
	return out, nil
}

// settleLogin: a password, key pairs, or the image's own login, one of
// them at most; Windows takes no key pairs.
func (o *LaunchOptions) settleLogin(img *Image, out *launchSettings) error {
	switch o.KeepImageLogin {
	case "", "false":
	case "true":
		out.keepImageLogin = true
	default:
		return FieldE("keep_image_login", CodeInvalidParameterValue, "err.instances.keep_image_login")
	}
	given := 0
	for _, set := range []bool{o.Password != "", len(o.KeyIDs) > 0, out.keepImageLogin} {
		if set {
			given++
		}
	}
	if given > 1 {
		return FieldE("login", CodeParameterCombination, "err.instances.login_combination")
	}
	if out.keepImageLogin && img.Type == TypePublic {
		return FieldE("keep_image_login", CodeInvalidParameterValue, "err.instances.keep_image_login_public")
	}
	windows := img.Platform == "Windows"
	if len(o.KeyIDs) > 0 && windows {
		return FieldE("key_id", CodeKeyPairOnWindows, "err.instances.keys_windows")
	}
	if o.Password != "" && !validPassword(o.Password, windows) {
		if windows {
			return FieldE("password", CodeInvalidPassword, "err.instances.password_windows")
		}
		return FieldE("password", CodeInvalidPassword, "err.instances.password_linux")
	}
	return nil
}

// passwordSpecials are the symbols a login password may hold.
const passwordSpecials = "()`~!@#$%^&*-+=|{}[]:;',.?/"

// validPassword: Linux 8–30 characters of at least two of lower case,
// upper case, digits and passwordSpecials, not starting with "/";
// Windows 12–30 characters of at least three.
func validPassword(p string, windows bool) bool {
	min, classes := 8, 2
	if windows {
		min, classes = 12, 3
	}
	if len(p) < min || len(p) > 30 || (!windows && p[0] == '/') {
		return false
	}
	var has [4]bool
	for _, c := range p {
		switch {
		case c >= 'a' && c <= 'z':
			has[0] = true
		case c >= 'A' && c <= 'Z':
			has[1] = true
		case c >= '0' && c <= '9':
			has[2] = true
		case strings.ContainsRune(passwordSpecials, c):
			has[3] = true
		default:
			return false
		}
	}
	n := 0
	for _, h := range has {
		if h {
			n++
		}
	}
	return n >= classes
}

// settleDisks: cloud disk types only; a system disk of 20–2048 GiB and no
// smaller than the image; up to 20 data disks of 10–32000 GiB in steps of
// 10 (CLOUD_SSD from 20).
func (o *LaunchOptions) settleDisks(img *Image, out *launchSettings) error {
	out.systemDiskType = o.SystemDiskType
	if out.systemDiskType == "" {
		out.systemDiskType = DefaultDiskType
	}
	if !slices.Contains(cloudDiskTypes, out.systemDiskType) {
		return FieldE("system_disk_type", CodeInvalidParameterValue, "err.instances.disk_type", "DiskType", out.systemDiskType)
	}
	out.systemDiskGiB = o.SystemDiskGiB
	if out.systemDiskGiB == 0 {
		out.systemDiskGiB = max(img.SizeGiB, minSystemDisk)
	}
	if out.systemDiskGiB < max(img.SizeGiB, minSystemDisk) || out.systemDiskGiB > maxSystemDisk {
		return FieldE("system_disk_size", CodeRange, "err.instances.system_disk_size", "Min", max(img.SizeGiB, minSystemDisk), "Max", maxSystemDisk)
	}
	out.systemDiskID = NewID("disk")
	if len(o.DataDisks) > maxDataDisks {
		return FieldE("data_disks", CodeInvalidParameterValue, "err.instances.data_disks_count", "Max", maxDataDisks)
	}
	for _, d := range o.DataDisks {
		disk := DataDisk{ID: NewID("disk"), Type: d.Type, SizeGiB: d.SizeGiB, SnapshotID: d.SnapshotID, DeleteWithInstance: true, Encrypt: d.Encrypt}
		if disk.Type == "" {
			disk.Type = DefaultDiskType
		}
		if d.DeleteWithInstance != nil {
			disk.DeleteWithInstance = *d.DeleteWithInstance
		}
		if !slices.Contains(cloudDiskTypes, disk.Type) {
			return FieldE("data_disks", CodeInvalidParameterValue, "err.instances.disk_type", "DiskType", disk.Type)
		}
		if disk.Type == "CLOUD_SSD" && disk.SizeGiB < minSSDDataDisk {
			return FieldE("data_disks", CodeCloudSsdTooSmall, "err.instances.ssd_data_disk", "Min", minSSDDataDisk)
		}
		if disk.SizeGiB < minDataDisk || disk.SizeGiB > maxDataDisk || disk.SizeGiB%dataDiskStep != 0 {
			return FieldE("data_disks", CodeRange, "err.instances.data_disk_size", "Min", minDataDisk, "Max", maxDataDisk, "Step", dataDiskStep)
		}
		if disk.SnapshotID != "" && !ValidID("snap", disk.SnapshotID) {
			return FieldE("data_disks", CodeSnapshotIDMalformed, "err.instances.snapshot_id", "ID", disk.SnapshotID)
		}
		out.dataDisks = append(out.dataDisks, disk)
	}
	return nil
}

// settleInternet: a pay-by-the-hour charge type, 0–100 Mbps out, and a
// public address only with bandwidth (by default whenever there is some).
func (o *LaunchOptions) settleInternet(out *launchSettings) error {
	if o.BandwidthPackageID != "" || o.InternetChargeType == "BANDWIDTH_PACKAGE" {
		return FieldE("internet_charge_type", CodeBandwidthPackage, "err.instances.bandwidth_package")
	}
	out.internetType = o.InternetChargeType
	if out.internetType == "" {
		out.internetType = DefaultInternetType
	}
	if !slices.Contains(internetChargeTypes, out.internetType) {
		return FieldE("internet_charge_type", CodeInvalidParameterValue, "err.instances.internet_charge_type", "Type", out.internetType)
	}
	if o.BandwidthOut < 0 || o.BandwidthOut > maxBandwidthOut {
		return FieldE("bandwidth", CodeRange, "err.instances.bandwidth", "Max", maxBandwidthOut)
	}
	out.bandwidth = o.BandwidthOut
	out.publicIP = o.BandwidthOut > 0
	if o.PublicIPAssigned != nil {
		if *o.PublicIPAssigned && o.BandwidthOut == 0 {
			return FieldE("bandwidth", CodeParameterCombination, "err.instances.public_ip_no_bandwidth")
		}
		out.publicIP = *o.PublicIPAssigned
	}
	return nil
}

// reservedTagPrefixes start the keys the cloud keeps for itself.
var reservedTagPrefixes = []string{"qcloud", "tencent", "project"}

// instanceTags checks the tag specifications and returns the instance's:
// at most 50 tags, unique keys of 1–127 characters and values of up to
// 255, letters, digits, spaces and + - = . _ : / @ ( ) [ ] （ ）【 】.
func instanceTags(specs []TagSpec) ([]Tag, error) {
	var out []Tag
	for _, spec := range specs {
		if spec.ResourceType != "instance" && spec.ResourceType != "disk" {
			return nil, FieldE("tags", CodeInvalidParameterValue, "err.instances.tag_resource_type", "Type", spec.ResourceType)
		}
		keys := map[string]bool{}
		for _, t := range spec.Tags {
			switch {
			case t.Key == "" || utf8.RuneCountInString(t.Key) > maxTagKey || !tagText(t.Key):
				return nil, FieldE("tags", CodeIllegalTagKey, "err.instances.tag_key", "Key", t.Key)
			case utf8.RuneCountInString(t.Value) > maxTagValue || !tagText(t.Value):
				return nil, FieldE("tags", CodeIllegalTagValue, "err.instances.tag_value", "Key", t.Key)
			case keys[t.Key]:
				return nil, FieldE("tags", CodeDuplicateTags, "err.instances.tag_duplicate", "Key", t.Key)
			}
			for _, p := range reservedTagPrefixes {
				if strings.HasPrefix(strings.ToLower(t.Key), p) {
					return nil, FieldE("tags", CodeTagKeyReserved, "err.instances.tag_reserved", "Key", t.Key)
				}
			}
			keys[t.Key] = true
		}
		if len(spec.Tags) > maxTags {
			return nil, FieldE("tags", CodeTagQuota, "err.instances.tag_quota", "Max", maxTags)
		}
		if spec.ResourceType == "instance" {
			out = append(out, spec.Tags...)
		}
	}
	if out == nil {
		out = []Tag{}
	}
	return out, nil
}

func tagText(s string) bool {
	for _, c := range s {
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) && !strings.ContainsRune(" +-=._:/@()[]（）【】", c) {
			return false
		}
	}
	return true
}

// InstanceTags are the instance's tags.
func (in *Instance) InstanceTags() []Tag {
	var out []Tag
	_ = json.Unmarshal([]byte(in.Tags), &out)
	if out == nil {
		out = []Tag{}
	}
	return out
}

// InstanceDataDisks are the instance's data disks.
func (in *Instance) InstanceDataDisks() []DataDisk {
	var out []DataDisk
	_ = json.Unmarshal([]byte(in.DataDisks), &out)
	if out == nil {
		out = []DataDisk{}
	}
	return out
}

// DefaultLogin is the user and port a new instance of the image accepts
// logins on: Administrator over RDP on Windows; root over SSH elsewhere,
// ubuntu on Ubuntu.
func (in *Instance) DefaultLogin() (user string, port int) {
	switch {
	case in.Platform == "Windows":
		return "Administrator", 3389
	case in.Platform == "Ubuntu":
		return "ubuntu", 22
	}
	return "root", 22
}
