package models_test

import (
	"context"
	"slices"
	"testing"

	"imageconsole/models"
	"imageconsole/models/storetest"
)

// TestStore_ListImages_SearchWords: a search matches word by word, in any
// order and case, across the name, platform and OS name.
func TestStore_ListImages_SearchWords(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t)
	a := storetest.MustAccount(t, s, "a@example.com")
	tests := []struct {
		search string
		want   string // a name the results must hold; "" for none at all
	}{
		{"ubuntu 22", "Ubuntu Server 22.04 LTS 64-bit"},
		{"22 UBUNTU", "Ubuntu Server 22.04 LTS 64-bit"},
		{"  Ubuntu   22.04 ", "Ubuntu Server 22.04 LTS 64-bit"},
		{"ubuntu 99", ""},
		{"ubuntu %", ""},
	}
	for _, tt := range tests {
		t.Run(tt.search, func(t *testing.T) {
			p, err := s.ListImages(ctx, a.ID, models.ImageQuery{Region: "ap-guangzhou", Tab: models.TabCommon, Search: tt.search, Size: 100})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, img := range p.Rows {
				names = append(names, img.Name)
			}
			if tt.want == "" {
				if len(names) != 0 {
					t.Errorf("found %v, want nothing", names)
				}
				return
			}
			if !slices.Contains(names, tt.want) {
				t.Errorf("found %v, want %q among them", names, tt.want)
			}
			for _, n := range names {
				if n == "Ubuntu Server 20.04 LTS 64-bit" || n == "Ubuntu Server 24.04 LTS 64-bit" {
					t.Errorf("found %q: every word must match", n)
				}
			}
		})
	}
}
