package models

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"gorm.io/gorm"

	"imageconsole/models/i18n"
)

// InstanceAction is something a user does to an existing instance. The
// store checks it and the console asks it which buttons to show, both from
// instanceRules.
type InstanceAction string

// The actions on an instance.
const (
	InstanceActionStop        InstanceAction = "stop"
	InstanceActionStart       InstanceAction = "start"
	InstanceActionReboot      InstanceAction = "reboot"
	InstanceActionTerminate   InstanceAction = "terminate"
	InstanceActionReset       InstanceAction = "reset"
	InstanceActionCreateImage InstanceAction = "image"
)

// instanceRule is what an action needs and starts: the API action it is
// reported as, the states that allow it, and the task that carries it out
// ("" for an action that leaves the instance as it is). The task's kind
// holds the states it moves the instance through (taskKinds).
type instanceRule struct {
	api, verb string
	from      []string
	task      string
}

var instanceRules = map[InstanceAction]instanceRule{
	InstanceActionStop:        {"StopInstances", "stop", []string{InstanceRunning}, TaskInstanceStop},
	InstanceActionStart:       {"StartInstances", "start", []string{InstanceStopped}, TaskInstanceStart},
	InstanceActionReboot:      {"RebootInstances", "reboot", []string{InstanceRunning}, TaskInstanceReboot},
	InstanceActionReset:       {"ResetInstance", "be reinstalled", []string{InstanceRunning, InstanceStopped}, TaskInstanceReset},
	InstanceActionCreateImage: {"CreateImage", "be imaged", []string{InstanceRunning, InstanceStopped}, ""},
	// An instance whose launch failed can only be terminated: that frees
	// its R9 slot.
	InstanceActionTerminate: {"TerminateInstances", "terminate", []string{InstanceRunning, InstanceStopped, InstanceLaunchFailed}, TaskInstanceTerminate},
}

// Check says whether the instance allows act in its current state: nil, or
// the refusal both faces return (UnsupportedOperation.InstanceState<State>).
func (in *Instance) Check(act InstanceAction) error {
	rule, ok := instanceRules[act]
	if !ok {
		return E(CodeInvalidParameterValue, "err.instances.no_action", "Action", quote(string(act)))
	}
	if !slices.Contains(rule.from, in.State) {
		return E(stateCode(in.State), "err.instances.state", "ID", in.ID, "State", in.State, "Verb", rule.verb, "From", orList(rule.from))
	}
	// Termination protection: the instance cannot be terminated until
	// its owner turns the protection off.
	if act == InstanceActionTerminate && in.DisableAPITermination {
		return E(CodeInstancesProtected, "err.instances.protected", "ID", in.ID)
	}
	return nil
}

// Allows reports whether Check passes: the console offers only the actions
// an instance allows.
func (in *Instance) Allows(act InstanceAction) bool { return in.Check(act) == nil }

// orList spells states for a message: "A", "A or B", "A, B or C".
func orList(states []string) string {
	if len(states) < 2 {
		return strings.Join(states, "")
	}
	return strings.Join(states[:len(states)-1], ", ") + " or " + states[len(states)-1]
}

// instancePayload is what an instance task carries: the state to return to
// if it fails for good, and for a reinstall the image it installs (the
// fields of the reset payloads written before From existed, so those still
// read).
type instancePayload struct {
	From        string  `json:"from,omitempty"`
	ImageID     string  `json:"image_id,omitempty"`
	OsName      string  `json:"os_name,omitempty"`
	Arch        string  `json:"arch,omitempty"`
	BillingKind string  `json:"billing_kind,omitempty"`
	HourlyPrice float64 `json:"hourly_price,omitempty"`
	License     string  `json:"license,omitempty"`
}

// readInstancePayload reads a task's payload; an empty or unreadable one is
// the zero payload.
func readInstancePayload(t *Task) instancePayload {
	var p instancePayload
	_ = json.Unmarshal([]byte(t.Payload), &p)
	return p
}

// changeInstances checks act on the named instances and moves them into its
// task's transitional state, all or none, scheduling the tasks that finish
// them: one transaction. prepare, if set, checks the rest of the request
// against each instance and fills its task's payload.
func (s *InstanceStore) changeInstances(ctx context.Context, a Actor, act InstanceAction, ids []string, prepare func(tx *gorm.DB, in *Instance, p *instancePayload) error) error {
	if len(ids) == 0 {
		return FieldE("instance_ids", CodeMissingParameter, "err.instances.ids_missing")
	}
	if len(ids) > MaxPageSize {
		return E(CodeValueLimitExceeded, "err.instances.ids_limit")
	}
	rule := instanceRules[act]
	if rule.task == "" {
		return E(CodeInvalidParameterValue, "err.instances.no_task", "Action", quote(string(act)))
	}
	via := taskKinds[rule.task].via
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
			if err := in.Check(act); err != nil {
				return err
			}
			p := instancePayload{From: in.State}
			if prepare != nil {
				if err := prepare(tx, in, &p); err != nil {
					return err
				}
			}
			payload, err := json.Marshal(p)
			if err != nil {
				return err
			}
			if err := tx.Model(in).Updates(map[string]any{"state": via, "latest_operation": rule.api,
				"latest_operation_state": "OPERATING", "latest_operation_request_id": a.RequestID,
				"latest_operation_error_msg": ""}).Error; err != nil {
				return err
			}
			if err := s.enqueue(tx, rule.task, in.ID, s.stepDelay(rule.task, 1), string(payload)); err != nil {
				return err
			}
		}
		return nil
	})
}

// StopInstances stops running instances.
func (s *InstanceStore) StopInstances(ctx context.Context, a Actor, ids []string) error {
	return s.changeInstances(ctx, a, InstanceActionStop, ids, nil)
}

// StartInstances starts stopped instances.
func (s *InstanceStore) StartInstances(ctx context.Context, a Actor, ids []string) error {
	return s.changeInstances(ctx, a, InstanceActionStart, ids, nil)
}

// RebootInstances reboots running instances.
func (s *InstanceStore) RebootInstances(ctx context.Context, a Actor, ids []string) error {
	return s.changeInstances(ctx, a, InstanceActionReboot, ids, nil)
}

// TerminateInstances terminates instances; their quota slots free when done.
func (s *InstanceStore) TerminateInstances(ctx context.Context, a Actor, ids []string) error {
	return s.changeInstances(ctx, a, InstanceActionTerminate, ids, nil)
}

// ResetInstance reinstalls an instance from an image of its region (R8): it
// keeps its ID and reports the new image when done. An empty imageID
// reinstalls the current image. The state and the image are checked and the
// reinstall scheduled in one transaction, so neither can change in between.
func (s *InstanceStore) ResetInstance(ctx context.Context, a Actor, id, imageID string) error {
	return s.changeInstances(ctx, a, InstanceActionReset, []string{id}, func(tx *gorm.DB, in *Instance, p *instancePayload) error {
		if imageID == "" {
			imageID = in.ImageID
		}
		it, _ := LookupInstanceType(in.Type)
		img, err := installableImage(tx, a.AccountID, in.Region, it, imageID, "image")
		if err != nil {
			return onImageField(err)
		}
		p.ImageID, p.OsName, p.Arch = img.ID, img.OsName, img.Arch
		p.BillingKind, p.HourlyPrice, p.License = img.BillingKind, img.HourlyPrice, img.License
		return nil
	})
}

// onImageField addresses a reinstall's unknown or malformed image to the
// image input: the image is the user's choice, so its not-found is for them
// to correct, unlike the instance's own, which means the page is gone.
func onImageField(err error) error {
	var e *Error
	if errors.As(err, &e) && e.Field == "" && (e.Code == CodeInvalidImageIDNotFound || e.Code == CodeInvalidImageIDMalformed) {
		f := *e
		f.Field = "image"
		return &f
	}
	return err
}

// runInstanceTask ends an instance transition well: the instance takes its
// kind's success state (or is deleted), and a reinstall's new image.
func runInstanceTask(ctx context.Context, w *Worker, t *Task, k taskKind) error {
	return w.Store.finishTask(ctx, t, func(tx *gorm.DB) error {
		var in Instance
		if err := tx.Where("id = ?", t.TargetID).Take(&in).Error; err != nil {
			return ignoreNotFound(err)
		}
		if k.success == stateDeleted {
			if err := endMarketLaunch(tx, in.ID, w.Store.now()); err != nil {
				return err
			}
			if err := releaseNetworks(tx, in.ID); err != nil {
				return err
			}
			return tx.Delete(&in).Error
		}
		set := map[string]any{"state": k.success, "latest_operation_state": "SUCCESS"}
		if p := readInstancePayload(t); p.ImageID != "" {
			set["image_id"], set["os_name"], set["arch"] = p.ImageID, p.OsName, p.Arch
			set["billing_kind"], set["hourly_price"], set["license"] = p.BillingKind, p.HourlyPrice, p.License
		}
		return tx.Model(&in).Updates(set).Error
	})
}

// operationFailed is the LatestOperationErrorMsg of an instance whose
// operation failed for good: the cause stays in the logs (internal details
// never reach a user), the reader learns what to do.
func operationFailed() string { return i18n.EN.T("err.instances.operation_failed") }
