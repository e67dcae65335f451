package models

import (
	"errors"
	"io"
	"strings"
	"testing"
)

func TestCapReader(t *testing.T) {
	tests := []struct {
		name string
		body string
		err  error
	}{
		{"OK/UnderTheCap", "abc", nil},
		{"OK/AtTheCap", "abcd", nil},
		{"ErrOverTheCap", "abcde", errUploadTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := io.ReadAll(&capReader{r: strings.NewReader(tt.body), left: 4})
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if tt.err == nil && string(got) != tt.body {
				t.Errorf("read %q, want %q", got, tt.body)
			}
		})
	}
}
