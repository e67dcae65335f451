package handlers

import (
	"errors"
	"testing"

	"imageconsole/models"
	"imageconsole/models/i18n"
)

// TestRefusal: which refusals go back to their form (the rest get the
// error page), addressed to the field they name.
func TestRefusal(t *testing.T) {
	tests := []struct {
		name  string
		err   error
		form  bool // back to the form, else the error page
		field string
	}{
		{"Form/FieldError", &models.Error{Code: models.CodeTooLarge, Field: "name", Message: "too long"}, true, "name"},
		{"Form/RuleWithoutField", &models.Error{Code: models.CodeInvalidImageIDInShared, Message: "x"}, true, ""},
		{"Form/NotYours", &models.Error{Code: models.CodeNotBelongToAccount, Message: "x"}, true, ""},
		{"Form/QuotaConflict", &models.Error{Code: models.CodeOverQuota, Message: "x"}, true, ""},
		{"Form/NotFoundAboutAField", &models.Error{Code: models.CodeAccountNotFound, Field: "account_ids", Message: "no such account"}, true, "account_ids"},
		{"Page/ThePagesObjectIsGone", &models.Error{Code: models.CodeInvalidImageIDNotFound, Message: "x"}, false, ""},
		{"Page/OtherRole", &models.Error{Code: models.CodeForbiddenRole, Message: "x"}, false, ""},
		{"Page/Internal", errors.New("disk on fire"), false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formRefusal(tt.err); got != tt.form {
				t.Fatalf("formRefusal = %v, want %v (true: back to the form)", got, tt.form)
			}
			if !tt.form {
				return
			}
			fe := formError(tt.err, i18n.EN)
			if fe.Field != tt.field || fe.Code != models.ErrorCode(tt.err) || fe.Message == "" {
				t.Errorf("form error %+v; want one about %q", fe, tt.field)
			}
		})
	}
}
