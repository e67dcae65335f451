package components

import "testing"

func TestFormError_Place(t *testing.T) {
	tests := []struct {
		name      string
		fe        FormError
		wantAlert string
		wantOn    string // the field that shows the message
	}{
		{"OK/None", FormError{}, "", ""},
		{"OK/OnItsField", FormError{Field: "url", Message: "bad url", Code: "X"}, "", "url"},
		{"OK/NoFieldIsTheAlert", FormError{Message: "refused", Code: "X"}, "refused", ""},
		{"OK/UnknownFieldIsTheAlert", FormError{Field: "destinations", Message: "refused", Code: "X"}, "refused", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name, url := FieldVM{Name: "name"}, FieldVM{Name: "url"}
			alert, code := tt.fe.Place(&name, &url)
			if alert != tt.wantAlert || (alert != "" && code != tt.fe.Code) {
				t.Errorf("alert %q %q, want %q", alert, code, tt.wantAlert)
			}
			for _, f := range []FieldVM{name, url} {
				if on := f.Name == tt.wantOn; on != (f.Error != "") || (on && f.ErrorCode != tt.fe.Code) {
					t.Errorf("field %s: error %q code %q", f.Name, f.Error, f.ErrorCode)
				}
			}
		})
	}
}
