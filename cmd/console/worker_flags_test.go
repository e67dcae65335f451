package main

import (
	"flag"
	"io"
	"testing"
	"time"
)

func TestWorkerFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    workerConfig
		wantErr bool
	}{
		{"OK/Defaults", nil, workerConfig{Workers: 4, StallTimeout: time.Minute}, false},
		{"OK/Set", []string{"--workers=8", "--worker-share=3", "--import-workers=5", "--import-stall-timeout=200ms"},
			workerConfig{Workers: 8, Share: 3, ImportSlots: 5, StallTimeout: 200 * time.Millisecond}, false},
		{"ErrNoWorkers", []string{"--workers=0"}, workerConfig{}, true},
		{"ErrMoreImportsThanWorkers", []string{"--workers=2", "--import-workers=3"}, workerConfig{}, true},
		{"ErrNegativeShare", []string{"--worker-share=-1"}, workerConfig{}, true},
		{"ErrNoStallTimeout", []string{"--import-stall-timeout=0s"}, workerConfig{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var wc workerConfig
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			registerWorkerFlags(fs, &wc)
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			err := wc.validate()
			if (err != nil) != tt.wantErr {
				t.Fatalf("validate = %v, want error %v", err, tt.wantErr)
			}
			if !tt.wantErr && wc != tt.want {
				t.Errorf("config = %+v, want %+v", wc, tt.want)
			}
		})
	}
}
