package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"gorm.io/gorm"

	"imageconsole/models"
)

// insertFloor is the write path's floor: a bare INSERT of the row
// CreateImage writes, in one transaction, through database/sql on a copy of
// the seeded database. It begins on the product's pool, so on SQLite it
// queues at the same write gate and gets the same BEGIN IMMEDIATE, and it
// is served by a minimal net/http handler, to be driven over loopback like
// the API. The row is models.NewCustomImage's and the statement the one
// GORM builds for it, without hooks; only ID, name and time change.
type insertFloor struct {
	begin                func(context.Context) (gorm.Tx, error)
	stmt                 string
	vars                 []any
	idAt, nameAt, timeAt int // where the ID, name and time go in vars
}

func newInsertFloor(db *gorm.DB, accountID string, inst models.Instance) (*insertFloor, error) {
	f := &insertFloor{}
	switch pool := db.ConnPool.(type) {
	case gorm.ConnPoolBeginner: // SQLite's gated pool
		f.begin = func(ctx context.Context) (gorm.Tx, error) {
			conn, err := pool.BeginTx(ctx, nil)
			if err != nil {
				return nil, err
			}
			return conn.(gorm.Tx), nil
		}
	case gorm.TxBeginner: // *sql.DB on PostgreSQL
		f.begin = func(ctx context.Context) (gorm.Tx, error) { return pool.BeginTx(ctx, nil) }
	default:
		return nil, errors.New("the database pool cannot begin transactions")
	}
	// Marked values find their places among the statement's arguments.
	const id, name = "img-floorid0", "\x00floor-name"
	at := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	row := models.NewCustomImage(accountID, &inst, models.ImageInput{Region: inst.Region, Name: name})
	row.ID, row.Type, row.CreatedAt = id, models.TypePrivate, at
	st := db.Session(&gorm.Session{DryRun: true, SkipHooks: true}).Create(&row).Statement
	if st.Error != nil {
		return nil, st.Error
	}
	f.stmt, f.vars = st.SQL.String(), st.Vars
	f.idAt = slices.IndexFunc(f.vars, func(v any) bool { return v == id })
	f.nameAt = slices.IndexFunc(f.vars, func(v any) bool { return v == name })
	f.timeAt = slices.IndexFunc(f.vars, func(v any) bool { t, ok := v.(time.Time); return ok && t.Equal(at) })
	if f.idAt < 0 || f.nameAt < 0 || f.timeAt < 0 {
		return nil, fmt.Errorf("the INSERT GORM builds lacks the ID, name or time: %s %v", f.stmt, f.vars)
	}
	return f, nil
}

// insert writes one row named name in its own transaction.
func (f *insertFloor) insert(ctx context.Context, name string) error {
	vars := slices.Clone(f.vars)
	vars[f.idAt], vars[f.nameAt], vars[f.timeAt] = models.NewID("img"), name, time.Now().UTC()
	tx, err := f.begin(ctx)
	if err != nil {
		return err
	}
	if _, err = tx.ExecContext(ctx, f.stmt, vars...); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// ServeHTTP is POST /insert?name=N.
func (f *insertFloor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := f.insert(r.Context(), r.URL.Query().Get("name")); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"ok":true}`))
}
