package main

import (
	"fmt"
	"slices"
	"sync"

	"gorm.io/gorm"
)

// statement is one SQL statement GORM sent, with its arguments and the
// type of the value it was read into (*int64 for a count, *[]models.Image
// for a page of images).
type statement struct {
	SQL  string
	Vars []any
	Dest string
}

// recorder captures the statements GORM runs on a database while on.
type recorder struct {
	mu   sync.Mutex
	on   bool
	list []statement
}

// newRecorder hooks into db's query and row callbacks, after the statement
// has run, so what it records is exactly what the product sends.
func newRecorder(db *gorm.DB) (*recorder, error) {
	r := &recorder{}
	hook := func(tx *gorm.DB) {
		r.mu.Lock()
		defer r.mu.Unlock()
		// A subquery is built by a dry run of its own: not a statement sent.
		if r.on && tx.Error == nil && !tx.DryRun {
			r.list = append(r.list, statement{SQL: tx.Statement.SQL.String(), Vars: slices.Clone(tx.Statement.Vars),
				Dest: fmt.Sprintf("%T", tx.Statement.Dest)})
		}
	}
	if err := db.Callback().Query().After("gorm:query").Register("bench:capture", hook); err != nil {
		return nil, err
	}
	if err := db.Callback().Row().After("gorm:row").Register("bench:capture", hook); err != nil {
		return nil, err
	}
	return r, nil
}

// capture returns the statements fn makes GORM run.
func (r *recorder) capture(fn func() error) ([]statement, error) {
	r.mu.Lock()
	r.on, r.list = true, nil
	r.mu.Unlock()
	err := fn()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.on = false
	return r.list, err
}
