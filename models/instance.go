package models

import (
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Instance states; the -ING ones (and PENDING) are transitions run by
// background tasks, LAUNCH_FAILED is where a launch that failed for good ends.
const (
	InstancePending      = "PENDING"
	InstanceLaunchFailed = "LAUNCH_FAILED"
	InstanceRunning      = "RUNNING"
	InstanceStopping     = "STOPPING"
	InstanceStopped      = "STOPPED"
	InstanceStarting     = "STARTING"
	InstanceRebooting    = "REBOOTING"
	InstanceTerminating  = "TERMINATING"
	InstanceResetting    = "RESETTING" // reinstalling from an image (R8)
)

// Instance is a (simulated) virtual machine of one account in one zone.
type Instance struct {
	ID       string `gorm:"primaryKey;size:12"`
	OwnerID  string `gorm:"size:12;not null;index:idx_instances_owner,priority:1"`
	Region   string `gorm:"size:32;not null;index:idx_instances_owner,priority:2"`
	Zone     string `gorm:"size:32;not null"`
	Name     string `gorm:"size:160;not null"` // up to 128 given, plus a launch's number
	Type     string `gorm:"size:32;not null"`
	CPU      int    `gorm:"not null"`
	Memory   int    `gorm:"not null"`
	ImageID  string `gorm:"size:12;not null"`
	OsName   string `gorm:"size:128;not null"`
	Platform string `gorm:"size:32;not null;default:''"`
	Arch     string `gorm:"size:16;not null"`
	DiskGiB  int    `gorm:"not null;default:20"` // system disk size: asked for, else the image's
	State    string `gorm:"size:16;not null"`
	// The image's billing, copied at launch (R7): an image made from this
	// instance inherits it even after the original image is gone.
	BillingKind string  `gorm:"size:16;not null;default:''"`
	HourlyPrice float64 `gorm:"not null;default:0"`
	License     string  `gorm:"size:16;not null;default:TencentCloud"`
	// LatestOperation and LatestOperationState report the last action, as the API does.
	LatestOperation      string `gorm:"size:40;not null;default:''"`
	LatestOperationState string `gorm:"size:16;not null;default:''"`
	ClientToken          string `gorm:"size:64;not null;default:'';index"`
	// LatestOperationRequestID is the API request (or console action) that
	// started the latest operation; LatestOperationErrorMsg why it failed.
	LatestOperationRequestID string `gorm:"size:64;not null;default:''"`
	LatestOperationErrorMsg  string `gorm:"size:255;not null;default:''"`
	// What RunInstances was asked for besides the image and type (see
	// LaunchOptions for the rules).
	UUID               string `gorm:"column:uuid;size:36;not null;default:''"`
	ProjectID          int64  `gorm:"not null;default:0"`
	HostName           string `gorm:"size:64;not null;default:''"`
	SystemDiskType     string `gorm:"size:16;not null;default:'CLOUD_PREMIUM'"`
	SystemDiskID       string `gorm:"size:13;not null;default:''"`
	DataDisks          string `gorm:"type:text;not null;default:''"` // JSON list of DataDisk
	InternetChargeType string `gorm:"size:32;not null;default:''"`
	BandwidthOut       int    `gorm:"not null;default:0"` // Mbps; 0: no public traffic
	PublicIP           string `gorm:"size:15;not null;default:''"`
	UserData           string `gorm:"type:text;not null;default:''"` // base64, as given
	Tags               string `gorm:"type:text;not null;default:''"` // JSON list of Tag
	CamRoleName        string `gorm:"size:128;not null;default:''"`
	PasswordSet        bool   `gorm:"not null;default:false"` // the password itself is never kept
	KeepImageLogin     bool   `gorm:"not null;default:false"`
	// DisableAPITermination protects the instance from TerminateInstances.
	DisableAPITermination bool `gorm:"column:disable_api_termination;not null;default:false"`
	// SecurityService and MonitorService: the built-in agents it runs.
	SecurityService bool `gorm:"not null;default:false"`
	MonitorService  bool `gorm:"not null;default:false"`
	// Filled by the queries from the network joins, not stored here.
	Network    InstanceNetwork `gorm:"-"`
	CreatedAt  time.Time       `gorm:"not null;index:idx_instances_owner,priority:3"`
	QuotaLimit int             `gorm:"-"` // R9 limit the BeforeCreate hook enforces
}

// InstanceCounter counts an account's instances in a region (R9).
type InstanceCounter struct {
	AccountID string `gorm:"primaryKey;size:12"`
	Region    string `gorm:"primaryKey;size:32"`
	Used      int    `gorm:"not null;default:0"`
}

// BeforeCreate enforces R9. A batch launch creates its instances in one
// transaction, so the batch is all or nothing.
func (in *Instance) BeforeCreate(tx *gorm.DB) error {
	ok, err := instanceSlots.take(tx, 1, in.QuotaLimit, in.OwnerID, in.Region)
	if err != nil {
		return err
	}
	if !ok {
		return E(CodeInstancesQuota, "err.instances.quota", "Limit", in.QuotaLimit, "Region", in.Region)
	}
	return nil
}

// AfterDelete frees the instance's R9 slot.
func (in *Instance) AfterDelete(tx *gorm.DB) error {
	return instanceSlots.give(tx, 1, in.OwnerID, in.Region)
}

// Busy reports whether a transition is under way: the instance is in the
// state a task moves it through.
func (in *Instance) Busy() bool {
	for _, k := range taskKinds {
		if k.target == targetInstance && k.via == in.State {
			return true
		}
	}
	return false
}

// stateCode spells a state as the API's UnsupportedOperation.InstanceState<State>
// codes do: LAUNCH_FAILED is InstanceStateLaunchFailed.
func stateCode(state string) string {
	if state == "" {
		return ""
	}
	var b strings.Builder
	for _, word := range strings.Split(state, "_") {
		if word != "" {
			b.WriteString(word[:1] + strings.ToLower(word[1:]))
		}
	}
	return "UnsupportedOperation.InstanceState" + b.String()
}

// lockInstanceCounter creates the account's R9 counter row for the region if
// needed and locks it until the transaction ends (FOR UPDATE on PostgreSQL;
// SQLite's BEGIN IMMEDIATE already serializes writers).
func lockInstanceCounter(tx *gorm.DB, accountID, region string) error {
	row := InstanceCounter{AccountID: accountID, Region: region}
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
		return err
	}
	return tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("account_id = ? AND region = ?", accountID, region).Take(&row).Error
}
