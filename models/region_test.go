package models

import "testing"

func TestRegions_Table(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Regions {
		if seen[r.ID] {
			t.Fatalf("region %s listed twice", r.ID)
		}
		seen[r.ID] = true
		if len(r.Zones) == 0 {
			t.Errorf("region %s has no zones", r.ID)
		}
		for _, z := range r.Zones {
			got, ok := RegionOfZone(z)
			if !ok || got.ID != r.ID {
				t.Errorf("RegionOfZone(%s) = %s, want %s", z, got.ID, r.ID)
			}
		}
	}
	var sync []string
	for _, r := range Regions {
		if r.Sync {
			sync = append(sync, r.ID)
		}
	}
	if len(sync) != 4 {
		t.Errorf("sync regions = %v, want the four of R3", sync)
	}
	if z := Regions[2].Zones; z[len(z)-1] != "ap-beijing-7" {
		t.Errorf("beijing zones = %v", z)
	}
}

func TestInstanceType_CanRun(t *testing.T) {
	tests := []struct {
		typ, arch string
		want      bool
	}{
		{"S5.SMALL2", ArchX86, true},
		{"S5.SMALL2", ArchI386, true},
		{"S5.SMALL2", ArchARM, false},
		{"SA3.MEDIUM4", ArchARM, false},
		{"SR1.MEDIUM4", ArchARM, true},
		{"SR1.LARGE8", ArchX86, false},
		{"SR1.LARGE8", ArchI386, false},
	}
	for _, tt := range tests {
		it, ok := LookupInstanceType(tt.typ)
		if !ok {
			t.Fatalf("type %s missing", tt.typ)
		}
		if got := it.CanRun(tt.arch); got != tt.want {
			t.Errorf("%s.CanRun(%s) = %v, want %v", tt.typ, tt.arch, got, tt.want)
		}
	}
}
