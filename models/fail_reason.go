package models

import (
	"encoding/json"
	"fmt"
	"strings"

	"imageconsole/models/i18n"
	"imageconsole/models/importer"
)

// A failed image keeps why it failed in its fail_reason column, and the
// reader may speak another language than the worker that wrote it: so the
// column stores the catalogue reference (the message ID and its arguments,
// as JSON), not a text, and FailureText renders it in the reader's
// language. Rows written before the catalogue hold a plain English text,
// which FailureText shows as it is.
type storedFailure struct {
	ID   string   `json:"id"`
	Args []string `json:"args,omitempty"`
}

// maxReasonArg bounds each argument (a host name, a line of a damaged
// file) so that the whole reference fits the 512-character column.
const maxReasonArg = 96

// storedReason encodes the catalogue message id with its key/value pairs
// kv for the fail_reason column.
func storedReason(id string, kv ...any) string {
	f := storedFailure{ID: id}
	for _, v := range kv {
		s := fmt.Sprint(v)
		if r := []rune(s); len(r) > maxReasonArg {
			s = string(r[:maxReasonArg]) + "…"
		}
		f.Args = append(f.Args, s)
	}
	b, _ := json.Marshal(f) // a struct of strings always encodes
	return string(b)
}

// storedImportReason is storedReason for an error of importer.Import.
func storedImportReason(err error) string {
	id, kv := importer.ReasonID(err)
	return storedReason(id, kv...)
}

// FailureText is why the image failed, in l; "" when it did not.
func (img *Image) FailureText(l i18n.Lang) string {
	return failureText(img.FailReason, l)
}

func failureText(stored string, l i18n.Lang) string {
	var f storedFailure
	if !strings.HasPrefix(stored, `{"id":`) || json.Unmarshal([]byte(stored), &f) != nil || !i18n.Has(f.ID) {
		return stored
	}
	kv := make([]any, len(f.Args))
	for i, a := range f.Args {
		kv[i] = a
	}
	return l.T(f.ID, kv...)
}
