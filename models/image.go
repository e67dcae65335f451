package models

import "time"

// Image types (the API's ImageType; MARKET_IMAGE is our extension).
const (
	TypePublic  = "PUBLIC_IMAGE"
	TypeMarket  = "MARKET_IMAGE"
	TypePrivate = "PRIVATE_IMAGE"
	TypeShared  = "SHARED_IMAGE" // how a private image looks to an account it is shared with
)

// Image states: CREATING, IMPORTING and SYNCING end in NORMAL or a failed state.
const (
	StateCreating     = "CREATING"
	StateNormal       = "NORMAL"
	StateCreateFailed = "CREATEFAILED"
	StateImporting    = "IMPORTING"
	StateImportFailed = "IMPORTFAILED"
	StateSyncing      = "SYNCING"
	// StateOffline is a retired common image or a withdrawn market listing:
	// never listed, never launched; instances already running keep running.
	StateOffline = "OFFLINE"
)

// Image sources.
const (
	SourceOfficial = "OFFICIAL"
	SourceCreate   = "CREATE_IMAGE"
	SourceImport   = "EXTERNAL_IMPORT"
	SourceMarket   = "MARKET"
)

// Architectures.
const (
	ArchX86  = "x86_64"
	ArchARM  = "arm"
	ArchI386 = "i386"
)

// Licenses.
const (
	LicenseTencentCloud = "TencentCloud"
	LicenseBYOL         = "BYOL"
)

// Licenses are the licenses an imported image may declare.
var Licenses = []string{LicenseTencentCloud, LicenseBYOL}

// Billing kinds: what an image ultimately charges for, inherited along the
// chain instance → image → base image, so a copy keeps charging after its
// ancestors are deleted (R7).
const (
	BillingFree    = ""
	BillingWindows = "windows" // license fee per vCPU-hour in overseas regions
	BillingMarket  = "market"  // the provider's hourly price
)

// Name and description limits, as the real API has them.
const (
	MaxImageName        = 60
	MaxImageDescription = 256
)

// Image is a common, market or custom image. Common and market images are
// global (Region ""); a custom image lives in one region and has one owner.
// idx_images_owner_created finds an account's custom images in a region,
// newest first, without walking the custom images of every other account.
type Image struct {
	ID          string `gorm:"primaryKey;size:12"`
	Type        string `gorm:"size:16;not null;index:idx_images_type_name,priority:1;index:idx_images_type_created,priority:1;index:idx_images_owner_created,priority:3"`
	OwnerID     string `gorm:"size:12;not null;default:'';index:idx_images_owner_created,priority:1"`
	Region      string `gorm:"size:32;not null;default:'';index:idx_images_owner_created,priority:2"`
	Name        string `gorm:"size:128;not null;index:idx_images_type_name,priority:2"`
	Description string `gorm:"size:1024;not null;default:''"`
	OsName      string `gorm:"size:128;not null"`
	Platform    string `gorm:"size:32;not null"`
	Arch        string `gorm:"size:16;not null"`
	SizeGiB     int    `gorm:"column:size_gib;not null"`
	State       string `gorm:"size:16;not null"`
	Progress    int    `gorm:"not null;default:0"` // 0–100 while CREATING/IMPORTING/SYNCING
	Source      string `gorm:"size:16;not null"`
	Creator     string `gorm:"size:12;not null;default:''"`
	CloudInit   bool   `gorm:"not null"`
	License     string `gorm:"size:16;not null;default:TencentCloud"`
	// BaseImageID is the image this one was made from (create or sync);
	// indexed for the source image's list of its sync copies.
	BaseImageID string  `gorm:"size:12;not null;default:'';index"`
	BillingKind string  `gorm:"size:16;not null;default:''"`
	HourlyPrice float64 `gorm:"not null;default:0"` // market: the provider's price
	Provider    string  `gorm:"size:64;not null;default:''"`
	Category    string  `gorm:"size:32;not null;default:''"`
	FailReason  string  `gorm:"size:512;not null;default:''"`
	ShareCount  int     `gorm:"not null;default:0"`
	// Deprecated common images are hidden from lists but still launchable
	// by ID, as users expect from other clouds. An owner may deprecate a
	// custom image too (ModifyImageAttribute): it stays listed and
	// launchable, but its family no longer offers it.
	Deprecated bool `gorm:"not null;default:false"`
	// Family groups the versions of one image (the API's ImageFamily):
	// DescribeImageFromFamily answers with the newest usable member.
	Family string `gorm:"size:60;not null;default:''"`
	// SnapshotID is the image's system-disk snapshot (the API's SnapshotSet);
	// "" for rows written before the column, see SystemSnapshot.
	SnapshotID string `gorm:"size:16;not null;default:''"`
	// Imported images: the detected format, the disk's virtual size in bytes
	// and the SHA-256 of the file kept in the blob store under the image ID.
	Format      string `gorm:"size:8;not null;default:''"`
	VirtualSize int64  `gorm:"not null;default:0"`
	SHA256      string `gorm:"size:64;not null;default:''"`
	// BlobKey names the imported file in the blob store; sync copies share
	// their source's file, which is deleted with the last image using it.
	BlobKey    string    `gorm:"size:64;not null;default:'';index"`
	CreatedAt  time.Time `gorm:"not null;index:idx_images_type_created,priority:2;index:idx_images_owner_created,priority:4"`
	QuotaLimit int       `gorm:"-"` // R1 limit the BeforeCreate hook enforces; set by the store
}

// SystemSnapshot is the ID of the image's system-disk snapshot, the one
// disk an image holds here. Rows that have none recorded (catalog images,
// images from before the column) get one derived from the image ID: stable
// across reads and unique per image, like a recorded one.
func (i *Image) SystemSnapshot() string {
	if i.SnapshotID != "" {
		return i.SnapshotID
	}
	return seedID("snap", "image/"+i.ID)
}

// Custom reports whether the image is a custom (private) image.
func (i *Image) Custom() bool { return i.Type == TypePrivate }

// Busy reports whether a background transition is under way.
func (i *Image) Busy() bool {
	return i.State == StateCreating || i.State == StateImporting || i.State == StateSyncing
}

// ImageShare grants one master account the right to launch from a custom image.
type ImageShare struct {
	ImageID   string `gorm:"primaryKey;size:12"`
	AccountID string `gorm:"primaryKey;size:12;index"`
	CreatedAt time.Time
}
