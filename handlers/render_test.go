package handlers

import (
	"errors"
	"net/http"
	"testing"

	"imageconsole/models"
	"imageconsole/views/components"
)

func TestRefusal(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		form   bool // back to the form, else the error page
		status int
		field  string
	}{
		{"Form/FieldError", &models.Error{Code: models.CodeTooLarge, Field: "name", Message: "too long"}, true, 422, "name"},
		{"Form/RuleWithoutField", &models.Error{Code: models.CodeInvalidImageIDInShared, Message: "x"}, true, 422, ""},
		{"Form/NotYours", &models.Error{Code: models.CodeNotBelongToAccount, Message: "x"}, true, 422, ""},
		{"Form/QuotaConflict", &models.Error{Code: models.CodeOverQuota, Message: "x"}, true, 422, ""},
		{"Form/NotFoundAboutAField", &models.Error{Code: models.CodeAccountNotFound, Field: "account_ids", Message: "no such account"}, true, 422, "account_ids"},
		{"Page/ThePagesObjectIsGone", &models.Error{Code: models.CodeInvalidImageIDNotFound, Message: "x"}, false, 0, ""},
		{"Page/OtherRole", &models.Error{Code: models.CodeForbiddenRole, Message: "x"}, false, 0, ""},
		{"Page/Internal", errors.New("disk on fire"), false, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *components.FormError
			status := 0
			err := refusal(tt.err, func(st int, fe components.FormError) error {
				got, status = &fe, st
				return nil
			})
			switch {
			case tt.form && (err != nil || got == nil):
				t.Fatalf("went to the error page (%v), want the form", err)
			case !tt.form && (err != tt.err || got != nil):
				t.Fatalf("rendered the form %+v, want the error page", got)
			case tt.form && (status != http.StatusUnprocessableEntity || got.Field != tt.field || got.Code != models.ErrorCode(tt.err)):
				t.Errorf("form: status %d, %+v; want 422 about %q", status, got, tt.field)
			}
		})
	}
}
