package models

import (
	"context"
	"errors"
	"slices"
	"time"

	"gorm.io/gorm"

	"imageconsole/models/sqldb"
)

// Task kinds: every long transition is a durable task row written in the
// same transaction as the state change it completes, so a transitional
// state always has a task that will end it, across crashes and replicas.
const (
	TaskInstanceLaunch    = "instance.launch"
	TaskInstanceStop      = "instance.stop"
	TaskInstanceStart     = "instance.start"
	TaskInstanceReboot    = "instance.reboot"
	TaskInstanceTerminate = "instance.terminate"
	TaskInstanceReset     = "instance.reset"
	TaskImageCreate       = "image.create"
	TaskImageImport       = "image.import"
	TaskImageSync         = "image.sync"
)

// The tables a task's target lives in.
const (
	targetInstance = "instance"
	targetImage    = "image"
)

// Pseudo-states of the task table: the target is deleted, or returns to
// the state it had before the task (kept in the task's payload).
const (
	stateDeleted = "(deleted)"
	statePrior   = "(prior)"
)

// taskRunner makes one attempt at a task of kind k.
type taskRunner func(ctx context.Context, w *Worker, t *Task, k taskKind) error

// taskKind is one kind of background task: how an attempt runs, how long
// the work takes, and the states its target goes through. Every state a
// task leaves behind is one the API documents: a failure never strands a
// target in a transition, nor pretends it succeeded.
type taskKind struct {
	run taskRunner
	// duration is the realistic base duration, multiplied by TaskScale.
	duration time.Duration
	// target is the table of the task's target.
	target string
	// via is the target's state while the task runs.
	via string
	// success is the target's state when the task ends well.
	success string
	// failure is its state once the last attempt failed.
	failure string
}

// taskKinds is every kind of task. A stop that fails leaves the instance
// running and a start stopped; a terminate or a reinstall that fails
// returns the instance to the state it had (a STOPPED one stays STOPPED).
var taskKinds = map[string]taskKind{
	TaskInstanceLaunch:    {runInstanceTask, 6 * time.Second, targetInstance, InstancePending, InstanceRunning, InstanceLaunchFailed},
	TaskInstanceStop:      {runInstanceTask, 3 * time.Second, targetInstance, InstanceStopping, InstanceStopped, InstanceRunning},
	TaskInstanceStart:     {runInstanceTask, 3 * time.Second, targetInstance, InstanceStarting, InstanceRunning, InstanceStopped},
	TaskInstanceReboot:    {runInstanceTask, 3 * time.Second, targetInstance, InstanceRebooting, InstanceRunning, InstanceRunning},
	TaskInstanceTerminate: {runInstanceTask, 3 * time.Second, targetInstance, InstanceTerminating, stateDeleted, statePrior},
	TaskInstanceReset:     {runInstanceTask, 6 * time.Second, targetInstance, InstanceResetting, InstanceRunning, statePrior},
	TaskImageCreate:       {runProgress, 15 * time.Second, targetImage, StateCreating, StateNormal, StateCreateFailed},
	TaskImageSync:         {runProgress, 15 * time.Second, targetImage, StateSyncing, StateNormal, StateCreateFailed},
	// An import takes as long as its download: it has no simulated duration.
	TaskImageImport: {func(ctx context.Context, w *Worker, t *Task, _ taskKind) error { return runImport(ctx, w, t) },
		0, targetImage, StateImporting, StateNormal, StateImportFailed},
}

// progressSteps is how many progress updates a stepped task makes.
const progressSteps = 5

// Task is one piece of durable background work. A worker claims it by
// moving LeaseUntil forward with a conditional UPDATE, so exactly one worker
// of any replica runs it at a time; a worker that dies loses its lease and
// another one takes over.
type Task struct {
	ID       uint   `gorm:"primaryKey"`
	Kind     string `gorm:"size:32;not null"`
	TargetID string `gorm:"size:12;not null;index"`
	// AccountID owns the target; claims count its running tasks so that one
	// account cannot take every worker. Empty (rows from before the column
	// existed) is nobody's and runs under no share.
	AccountID  string    `gorm:"size:12;not null;default:'';index:idx_tasks_account_lease,priority:1"`
	RunAt      time.Time `gorm:"not null;index:idx_tasks_due,priority:1"`
	LeaseOwner string    `gorm:"size:64;not null;default:''"`
	LeaseUntil time.Time `gorm:"not null;index:idx_tasks_due,priority:2;index:idx_tasks_account_lease,priority:2"`
	Attempts   int       `gorm:"not null;default:0"`
	Step       int       `gorm:"not null;default:0"`
	Payload    string    `gorm:"size:4096;not null;default:''"`
	CreatedAt  time.Time
}

// noLease is the LeaseUntil of a task nobody holds.
var noLease = time.Unix(0, 0).UTC()

// stepDelay is the wait before each of a stepped task's steps.
func (s *core) stepDelay(kind string, steps int) time.Duration {
	return s.scaledDelay(taskKinds[kind].duration, steps)
}

// scaledDelay divides a task's scaled duration into steps.
func (s *core) scaledDelay(total time.Duration, steps int) time.Duration {
	d := time.Duration(float64(total) * s.TaskScale)
	if steps > 1 {
		d /= time.Duration(steps)
	}
	return d
}

// enqueue schedules a task inside the caller's transaction. It is a plain
// INSERT: tasks have no hooks, and GORM's Create would read the new ID back
// while the write lock is held, for nobody (workers find tasks by query).
// The task's account is its target's owner, read in the same statement (two
// primary-key lookups: a target is an image or an instance, never both).
func (s *core) enqueue(tx *gorm.DB, kind, target string, delay time.Duration, payload string) error {
	now := s.now()
	_, err := sqldb.Exec(tx, enqueueSQL, kind, target, target, target, now.Add(delay), noLease, payload, now)
	return err
}

var enqueueSQL = "INSERT INTO " + table(&Task{}) + " (" + columns(&Task{}, "Kind", "TargetID", "AccountID", "RunAt", "LeaseOwner",
	"LeaseUntil", "Attempts", "Step", "Payload", "CreatedAt") + ") VALUES (?, ?, COALESCE(" +
	"(SELECT " + columns(&Image{}, "OwnerID") + " FROM " + table(&Image{}) + " WHERE " + columns(&Image{}, "ID") + " = ?), " +
	"(SELECT " + columns(&Instance{}, "OwnerID") + " FROM " + table(&Instance{}) + " WHERE " + columns(&Instance{}, "ID") + " = ?), ''), " +
	"?, '', ?, 0, 0, ?, ?)"

// errLeaseLost means another worker took the task over; the current one
// must not write its result.
var errLeaseLost = errors.New("task lease lost")

// slowKinds are the tasks that hold a worker for long: an import streams a
// file from a server the user chose, for up to half an hour. Every other
// task is a few short writes (its duration is a wait before it is due).
var slowKinds = []string{TaskImageImport}

// isSlow reports whether a kind of task is one of slowKinds.
func isSlow(kind string) bool { return slices.Contains(slowKinds, kind) }

// claimRule is what one claim may take, so background work stays fair:
//   - share: an account whose tasks hold this many live leases (across every
//     worker of every replica) gets no more until one ends, so one account
//     cannot keep every worker busy and others' tasks wait behind it;
//   - slow: whether the worker may take a slow task (an import) at all; the
//     worker withholds it once its process runs its quota of imports, so a
//     short task (create, stop, start…) always finds a free worker, however
//     many accounts import at once.
//
// Tasks with no account (rows older than the column) run under no share.
type claimRule struct {
	share int
	slow  bool
}

// claimLock serialises claims on PostgreSQL: the share counts leases of
// other rows, which a row lock on the candidate cannot protect.
const claimLock = 727275

// claim takes the next due task that the rule allows, or returns nil. The
// choice and the lease are made in one transaction that no other claim
// interleaves with (SQLite's write lock, PostgreSQL's advisory lock), so the
// share holds across replicas. An idle poll reads first, without either lock.
func (s *core) claim(ctx context.Context, owner string, lease time.Duration, rule claimRule) (*Task, error) {
	if t, err := nextTask(s.db.WithContext(ctx), s.now(), rule); t == nil || err != nil {
		return nil, err
	}
	var claimed *Task
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if tx.Dialector.Name() == "postgres" {
			if _, err := sqldb.Exec(tx, "SELECT pg_advisory_xact_lock(?)", claimLock); err != nil {
				return err
			}
		}
		now := s.now()
		t, err := nextTask(tx, now, rule)
		if t == nil || err != nil {
			return err
		}
		res := tx.Model(&Task{}).Where("id = ? AND lease_until <= ?", t.ID, now).
			Updates(map[string]any{"lease_owner": owner, "lease_until": now.Add(lease), "attempts": gorm.Expr("attempts + 1")})
		if res.Error != nil || res.RowsAffected != 1 {
			return res.Error
		}
		t.LeaseOwner, t.LeaseUntil, t.Attempts = owner, now.Add(lease), t.Attempts+1
		claimed = t
		return nil
	})
	return claimed, err
}

// nextTask finds the first due, unleased task the rule allows: its account
// holds fewer than rule.share live leases, and it is not slow unless
// rule.slow. The accounts at their share are read once, not per row.
func nextTask(db *gorm.DB, now time.Time, rule claimRule) (*Task, error) {
	full := db.Session(&gorm.Session{NewDB: true}).Model(&Task{}).Select("account_id").
		Where("lease_until > ? AND account_id <> ''", now).Group("account_id").Having("COUNT(*) >= ?", max(rule.share, 1))
	q := db.Where("run_at <= ? AND lease_until <= ?", now, now).Where("account_id = '' OR account_id NOT IN (?)", full)
	if !rule.slow {
		q = q.Where("kind NOT IN ?", slowKinds)
	}
	var t Task
	err := q.Order("run_at, id").Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// holdsLease checks, inside a transaction, that the worker still owns the
// task, and locks the row on PostgreSQL until the transaction ends.
func holdsLease(tx *gorm.DB, t *Task) error {
	res := tx.Model(&Task{}).Where("id = ? AND lease_owner = ?", t.ID, t.LeaseOwner).Update("lease_owner", t.LeaseOwner)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return errLeaseLost
	}
	return nil
}

// finishTask applies a task's final effect and deletes the task, atomically.
func (s *core) finishTask(ctx context.Context, t *Task, effect func(tx *gorm.DB) error) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := holdsLease(tx, t); err != nil {
			return err
		}
		if err := effect(tx); err != nil {
			return err
		}
		return tx.Delete(&Task{}, t.ID).Error
	})
}

// failTask ends a task whose last attempt failed: its target takes the
// kind's failure state, the task is deleted, both at once.
func (s *core) failTask(ctx context.Context, t *Task, k taskKind, reason string) error {
	return s.finishTask(ctx, t, func(tx *gorm.DB) error {
		if k.target == targetImage {
			return tx.Model(&Image{}).Where("id = ?", t.TargetID).
				Updates(map[string]any{"state": k.failure, "fail_reason": reason}).Error
		}
		state := k.failure
		if state == statePrior {
			// Tasks scheduled before the payload kept the prior state
			// return to RUNNING, as they always did.
			if state = readInstancePayload(t).From; state == "" {
				state = InstanceRunning
			}
		}
		return tx.Model(&Instance{}).Where("id = ?", t.TargetID).Updates(map[string]any{"state": state,
			"latest_operation_state": "FAILED", "latest_operation_error_msg": operationFailed()}).Error
	})
}

// stepTask applies an intermediate effect and schedules the next step.
func (s *core) stepTask(ctx context.Context, t *Task, delay time.Duration, effect func(tx *gorm.DB) error) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := holdsLease(tx, t); err != nil {
			return err
		}
		if err := effect(tx); err != nil {
			return err
		}
		return tx.Model(&Task{}).Where("id = ?", t.ID).Updates(map[string]any{"step": t.Step + 1, "run_at": s.now().Add(delay),
			"lease_owner": "", "lease_until": noLease, "attempts": 0}).Error
	})
}

// extendLease keeps a long-running task (an import) claimed.
func (s *core) extendLease(ctx context.Context, t *Task, lease time.Duration) error {
	n, err := s.write(ctx, func(tx *gorm.DB) *gorm.DB {
		return tx.Model(&Task{}).Where("id = ? AND lease_owner = ?", t.ID, t.LeaseOwner).Update("lease_until", s.now().Add(lease))
	})
	if err != nil {
		return err
	}
	if n != 1 {
		return errLeaseLost
	}
	return nil
}

// retryTask releases a failed attempt with a backoff.
func (s *core) retryTask(ctx context.Context, t *Task) error {
	backoff := time.Duration(1<<min(t.Attempts, 6)) * time.Second
	_, err := s.write(ctx, func(tx *gorm.DB) *gorm.DB {
		return tx.Model(&Task{}).Where("id = ? AND lease_owner = ?", t.ID, t.LeaseOwner).
			Updates(map[string]any{"run_at": s.now().Add(backoff), "lease_owner": "", "lease_until": noLease})
	})
	return err
}

// PendingTasks counts tasks not yet finished (for tests and metrics).
func (s *core) PendingTasks(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&Task{}).Count(&n).Error
	return n, err
}

// ignoreNotFound treats a vanished target as nothing left to do.
func ignoreNotFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	return err
}

// ReleaseLeases frees the tasks a worker of this name still holds. A
// process calls it at start: its previous incarnation died holding them, so
// they are picked up at once rather than when their leases run out.
func (s *core) ReleaseLeases(ctx context.Context, owner string) (int64, error) {
	res := s.db.WithContext(ctx).Model(&Task{}).Where("lease_owner = ?", owner).
		Updates(map[string]any{"lease_owner": "", "lease_until": noLease})
	return res.RowsAffected, res.Error
}
