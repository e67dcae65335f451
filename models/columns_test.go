package models_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm/schema"

	"imageconsole/models"
	"imageconsole/models/sqldb"
	"imageconsole/models/storetest"
)

// TestColumns: the columns raw SQL names are the ones GORM made the tables
// with, field by field, on the test database.
func TestColumns(t *testing.T) {
	s := storetest.Open(t)
	db := s.DB()
	for _, model := range models.AllModels() {
		sch, err := schema.Parse(model, &sync.Map{}, db.NamingStrategy)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range sch.Fields {
			if f.DBName == "" {
				continue
			}
			if got := models.Columns(model, f.Name); got != f.DBName {
				t.Errorf("%T.%s: column %q, want GORM's %q", model, f.Name, got, f.DBName)
			}
			if !db.Migrator().HasColumn(model, f.DBName) {
				t.Errorf("%T.%s: no column %q in the database", model, f.Name, f.DBName)
			}
		}
	}
	// The mapping raw SQL had to guess before: a word split in the middle.
	if got := models.Columns(&models.Instance{}, "DiskGiB"); !db.Migrator().HasColumn(&models.Instance{}, got) {
		t.Errorf("Instance.DiskGiB: %q is not a column of instances", got)
	}
}

// TestRawStatements: every statement the store sends without GORM compiles
// against the schema AutoMigrate made (EXPLAIN plans it without running
// it), so a column it names that the tables lack fails here.
func TestRawStatements(t *testing.T) {
	s := storetest.Open(t)
	tx := s.DB().WithContext(context.Background())
	for name, q := range models.RawStatements() {
		t.Run(name, func(t *testing.T) {
			args := make([]any, strings.Count(q, "?"))
			if _, err := sqldb.Exec(tx, "EXPLAIN "+q, args...); err != nil {
				t.Errorf("%s: %v\n%s", name, err, q)
			}
		})
	}
}
