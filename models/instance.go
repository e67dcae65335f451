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
	Name     string `gorm:"size:128;not null"`
	Type     string `gorm:"size:32;not null"`
	CPU      int    `gorm:"not null"`
	Memory   int    `gorm:"not null"`
	ImageID  string `gorm:"size:12;not null"`
	OsName   string `gorm:"size:128;not null"`
	Platform string `gorm:"size:32;not null;default:''"`
	Arch     string `gorm:"size:16;not null"`
	DiskGiB  int    `gorm:"not null;default:20"` // system disk: the image's size
	State    string `gorm:"size:16;not null"`
	// The image's billing, copied at launch (R7): an image made from this
	// instance inherits it even after the original image is gone.
	BillingKind string  `gorm:"size:16;not null;default:''"`
	HourlyPrice float64 `gorm:"not null;default:0"`
	License     string  `gorm:"size:16;not null;default:TencentCloud"`
	// LatestOperation and LatestOperationState report the last action, as the API does.
	LatestOperation      string    `gorm:"size:40;not null;default:''"`
	LatestOperationState string    `gorm:"size:16;not null;default:''"`
	ClientToken          string    `gorm:"size:64;not null;default:'';index"`
	CreatedAt            time.Time `gorm:"not null;index:idx_instances_owner,priority:3"`
	QuotaLimit           int       `gorm:"-"` // R9 limit the BeforeCreate hook enforces
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
		return Errorf(CodeInstancesQuota, "Each account may run %d instances per region; %s has no room for this launch. Terminate instances or launch fewer.", in.QuotaLimit, in.Region)
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
