package models

import (
	"fmt"
	"strings"
	"sync"

	"gorm.io/gorm/schema"

	"imageconsole/models/sqldb"
)

// parsedModels caches the schemas that table and columns parse.
var parsedModels sync.Map

// parseModel parses model the way GORM does on every database sqldb opens.
// It panics on a model GORM cannot parse: the raw statements are built
// when the package loads, so a mistake fails every test at once.
func parseModel(model any) *schema.Schema {
	sch, err := schema.Parse(model, &parsedModels, sqldb.Naming)
	if err != nil {
		panic(fmt.Sprintf("models: parse %T: %v", model, err))
	}
	return sch
}

// table is model's table name, for raw SQL.
func table(model any) string { return parseModel(model).Table }

// columns is the comma-separated list of the columns GORM maps the named
// Go fields of model to. Raw SQL names its columns through it, never by
// hand: GORM derives some names in ways nobody guesses (it splits DiskGiB
// into disk, gi and b), and a field whose mapping changes takes the SQL
// with it. It
// panics on a field model lacks, for the reason parseModel gives.
func columns(model any, fields ...string) string {
	sch := parseModel(model)
	cols := make([]string, len(fields))
	for i, name := range fields {
		f := sch.LookUpField(name)
		if f == nil || f.DBName == "" {
			panic(fmt.Sprintf("models: %T has no column for field %s", model, name))
		}
		cols[i] = f.DBName
	}
	return strings.Join(cols, ", ")
}
