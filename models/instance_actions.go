package models

import (
	"context"
	"encoding/json"
	"slices"

	"gorm.io/gorm"
)

// instanceAction is a state change of SPEC.md's instance lifecycle: which
// states allow it, the transitional state, the task that ends it and the
// state it ends in ("" deletes the instance).
type instanceAction struct {
	api, verb string
	from      []string
	via       string
	task      string
	to        string
}

var (
	actionStop      = instanceAction{"StopInstances", "stop", []string{InstanceRunning}, InstanceStopping, TaskInstanceStop, InstanceStopped}
	actionStart     = instanceAction{"StartInstances", "start", []string{InstanceStopped}, InstanceStarting, TaskInstanceStart, InstanceRunning}
	actionReboot    = instanceAction{"RebootInstances", "reboot", []string{InstanceRunning}, InstanceRebooting, TaskInstanceReboot, InstanceRunning}
	actionTerminate = instanceAction{"TerminateInstances", "terminate", []string{InstanceRunning, InstanceStopped}, InstanceTerminating, TaskInstanceTerminate, ""}
	actionReset     = instanceAction{"ResetInstance", "be reinstalled", []string{InstanceRunning, InstanceStopped}, InstanceResetting, TaskInstanceReset, InstanceRunning}
	actionLaunch    = instanceAction{"RunInstances", "launch", nil, InstancePending, TaskInstanceLaunch, InstanceRunning}
)

func init() {
	for _, a := range []instanceAction{actionStop, actionStart, actionReboot, actionTerminate, actionReset, actionLaunch} {
		registerTask(a.task, a.finish, a.fail)
	}
}

// apply moves the named instances into the action's transitional state, all
// or none, and schedules the tasks that finish them.
func (s *Store) applyInstanceAction(ctx context.Context, a Actor, act instanceAction, ids []string, payload string) error {
	if len(ids) == 0 {
		return fieldErr("instance_ids", CodeMissingParameter, "Name at least one instance.")
	}
	if len(ids) > MaxPageSize {
		return Errorf(CodeValueLimitExceeded, "At most 100 instances per request.")
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		seen := map[string]bool{}
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			in, err := ownInstance(tx, a.AccountID, id)
			if err != nil {
				return err
			}
			if !slices.Contains(act.from, in.State) {
				return errInstanceState(in, act.verb)
			}
			if err := tx.Model(in).Updates(map[string]any{"state": act.via, "latest_operation": act.api,
				"latest_operation_state": "OPERATING"}).Error; err != nil {
				return err
			}
			if err := s.enqueue(tx, act.task, in.ID, s.stepDelay(act.task, 1), payload); err != nil {
				return err
			}
		}
		return nil
	})
}

// StopInstances stops running instances.
func (s *Store) StopInstances(ctx context.Context, a Actor, ids []string) error {
	return s.applyInstanceAction(ctx, a, actionStop, ids, "")
}

// StartInstances starts stopped instances.
func (s *Store) StartInstances(ctx context.Context, a Actor, ids []string) error {
	return s.applyInstanceAction(ctx, a, actionStart, ids, "")
}

// RebootInstances reboots running instances.
func (s *Store) RebootInstances(ctx context.Context, a Actor, ids []string) error {
	return s.applyInstanceAction(ctx, a, actionReboot, ids, "")
}

// TerminateInstances terminates instances; their quota slots free when done.
func (s *Store) TerminateInstances(ctx context.Context, a Actor, ids []string) error {
	return s.applyInstanceAction(ctx, a, actionTerminate, ids, "")
}

// resetPayload carries the image an instance is reinstalled from.
type resetPayload struct {
	ImageID     string  `json:"image_id"`
	OsName      string  `json:"os_name"`
	Arch        string  `json:"arch"`
	BillingKind string  `json:"billing_kind"`
	HourlyPrice float64 `json:"hourly_price"`
	License     string  `json:"license"`
}

// ResetInstance reinstalls an instance from an image of its region (R8): it
// keeps its ID and reports the new image when done. An empty imageID
// reinstalls the current image.
func (s *Store) ResetInstance(ctx context.Context, a Actor, id, imageID string) error {
	var payload []byte
	err := s.tx(ctx, func(tx *gorm.DB) error {
		in, err := ownInstance(tx, a.AccountID, id)
		if err != nil {
			return err
		}
		if imageID == "" {
			imageID = in.ImageID
		}
		img, err := visibleImage(tx, a.AccountID, in.Region, imageID)
		if err != nil {
			return err
		}
		if err := checkMarketRegion(tx, img, in.Region); err != nil {
			return err
		}
		if img.State != StateNormal {
			return Errorf(CodeInvalidImageIDState, "Image %s is %s: only NORMAL images can be installed.", img.ID, img.State)
		}
		it, _ := LookupInstanceType(in.Type)
		if !it.CanRun(img.Arch) {
			return Errorf(CodeInvalidImageForType, "Image %s is built for %s: %s cannot run it.", img.ID, img.Arch, in.Type)
		}
		payload, err = json.Marshal(resetPayload{img.ID, img.OsName, img.Arch, img.BillingKind, img.HourlyPrice, img.License})
		return err
	})
	if err != nil {
		return err
	}
	return s.applyInstanceAction(ctx, a, actionReset, []string{id}, string(payload))
}

// finish ends the transition: the instance reaches its final state.
func (act instanceAction) finish(ctx context.Context, w *Worker, t *Task) error {
	return w.Store.finishTask(ctx, t, func(tx *gorm.DB) error {
		var in Instance
		if err := tx.Where("id = ?", t.TargetID).Take(&in).Error; err != nil {
			return ignoreNotFound(err)
		}
		if act.to == "" {
			if err := endMarketLaunch(tx, in.ID, w.Store.now()); err != nil {
				return err
			}
			return tx.Delete(&in).Error
		}
		set := map[string]any{"state": act.to, "latest_operation_state": "SUCCESS"}
		if act.task == TaskInstanceReset {
			var p resetPayload
			if err := json.Unmarshal([]byte(t.Payload), &p); err == nil {
				set["image_id"], set["os_name"], set["arch"] = p.ImageID, p.OsName, p.Arch
				set["billing_kind"], set["hourly_price"], set["license"] = p.BillingKind, p.HourlyPrice, p.License
			}
		}
		return tx.Model(&in).Updates(set).Error
	})
}

// fail ends a transition that could not complete: the instance returns to a
// stable state and reports the failure.
func (act instanceAction) fail(ctx context.Context, s *Store, t *Task, _ string) error {
	to := act.to
	if to == "" || act.task == TaskInstanceStop {
		to = InstanceRunning
	}
	if act.task == TaskInstanceStart {
		to = InstanceStopped
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&Instance{}).Where("id = ?", t.TargetID).
			Updates(map[string]any{"state": to, "latest_operation_state": "FAILED"}).Error; err != nil {
			return err
		}
		return tx.Delete(&Task{}, t.ID).Error
	})
}
