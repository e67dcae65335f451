package models

import (
	"context"
	"errors"
)

// Columns and AllModels are columns and allModels, for the tests of package
// models_test.
var (
	Columns   = columns
	AllModels = allModels
)

// RawStatements are the statements the store sends without GORM, by name.
func RawStatements() map[string]string {
	out := map[string]string{
		"imageSource": imageSourceSQL, "apiKey": apiKeySQL, "enqueue": enqueueSQL, "quotaOverride": quotaOverrideSQL,
	}
	for name, c := range map[string]counter{"imageSlots": imageSlots, "opSlots": opSlots, "instanceSlots": instanceSlots} {
		out[name+".claim"], out[name+".release"] = c.claim, c.release
	}
	return out
}

// FailingWorker is a worker whose every attempt fails, as if the machine
// doing the work kept failing: with it a test makes any task fail for good.
func FailingWorker(s *Store) *Worker {
	return &Worker{Store: s, ID: "failing-worker", attempt: func(context.Context, *Worker, *Task, taskKind) error {
		return errors.New("injected failure")
	}}
}

// TaskOutcome is what the task table says of a kind once it fails for good.
type TaskOutcome struct {
	Kind    string
	Image   bool   // the target is an image (else an instance)
	Failure string // its state afterwards; "" when it returns to its prior state
}

// TaskOutcomes lists every kind of the task table.
func TaskOutcomes() []TaskOutcome {
	var out []TaskOutcome
	for kind, k := range taskKinds {
		o := TaskOutcome{Kind: kind, Image: k.target == targetImage, Failure: k.failure}
		if k.failure == statePrior {
			o.Failure = ""
		}
		out = append(out, o)
	}
	return out
}
