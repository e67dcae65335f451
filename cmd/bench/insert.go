package main

import (
	"context"
	"errors"
	"net/http"
	"time"

	"gorm.io/gorm"

	"imageconsole/models"
)

// insertFloor is the write path's floor: a bare INSERT of the row
// CreateImage writes, in one transaction, through database/sql on a copy of
// the seeded database. It begins on the product's pool, so it queues at the
// same write gate and gets the same BEGIN IMMEDIATE, and it is served by a
// minimal net/http handler, to be driven over loopback like the API.
type insertFloor struct {
	pool gorm.ConnPoolBeginner
	row  models.Image // what CreateImage writes, but for ID, name and time
	stmt string
}

func newInsertFloor(db *gorm.DB, accountID string, inst models.Instance) (*insertFloor, error) {
	pool, ok := db.ConnPool.(gorm.ConnPoolBeginner)
	if !ok {
		return nil, errors.New("the database pool cannot begin transactions")
	}
	return &insertFloor{pool: pool, stmt: insertSQL, row: models.Image{Type: models.TypePrivate, OwnerID: accountID,
		Region: inst.Region, OsName: inst.OsName, Platform: inst.Platform, Arch: inst.Arch, SizeGiB: inst.DiskGiB,
		State: models.StateCreating, Source: models.SourceCreate, Creator: accountID, CloudInit: inst.Platform != "Windows",
		License: inst.License, BaseImageID: inst.ImageID, BillingKind: inst.BillingKind, HourlyPrice: inst.HourlyPrice}}, nil
}

const insertSQL = `INSERT INTO images (id, type, owner_id, region, name, description, os_name, platform, arch, size_gib,
	state, progress, source, creator, cloud_init, license, base_image_id, billing_kind, hourly_price, provider, category,
	fail_reason, share_count, deprecated, format, virtual_size, sha256, blob_key, created_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// insert writes one row named name in its own transaction.
func (f *insertFloor) insert(ctx context.Context, name string) error {
	r := f.row
	conn, err := f.pool.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	tx := conn.(gorm.Tx)
	_, err = tx.ExecContext(ctx, f.stmt, models.NewID("img"), r.Type, r.OwnerID, r.Region, name, r.Description, r.OsName,
		r.Platform, r.Arch, r.SizeGiB, r.State, r.Progress, r.Source, r.Creator, r.CloudInit, r.License, r.BaseImageID,
		r.BillingKind, r.HourlyPrice, r.Provider, r.Category, r.FailReason, r.ShareCount, r.Deprecated, r.Format,
		r.VirtualSize, r.SHA256, r.BlobKey, time.Now().UTC())
	if err != nil {
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
