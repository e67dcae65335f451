package models_test

import (
	"strings"
	"testing"

	"imageconsole/models"
)

// The cases of RunInstancesRequest.InstanceName's and HostName's
// documentation, and the edges around them.
func TestLaunchName(t *testing.T) {
	for _, tc := range []struct {
		name    string
		pattern string
		n       int
		ip      string
		want    []string
	}{
		{"OneNoPattern", "server_", 1, "", []string{"server_"}},
		{"SeveralGetSuffix", "server_", 2, "", []string{"server_1", "server_2"}},
		{"PatternOne", "server_{R:3}", 1, "", []string{"server_3"}},
		{"PatternSeveral", "server_{R:3}", 2, "", []string{"server_3", "server_4"}},
		{"Padded", "server_{R:3,F:3}", 2, "", []string{"server_003", "server_004"}},
		{"PaddedOverflow", "app_{R:99,F:2}", 2, "", []string{"app_99", "app_100"}},
		{"PaddingZeroIsNone", "a{R:1,F:0}", 2, "", []string{"a1", "a2"}},
		{"TwoPatterns", "a{R:1}-b{R:10}", 2, "", []string{"a1-b10", "a2-b11"}},
		{"InvalidPatternIsText", "a{}", 2, "", []string{"a{}1", "a{}2"}},
		{"PaddingNineIsText", "a{R:1,F:9}", 2, "", []string{"a{R:1,F:9}1", "a{R:1,F:9}2"}},
		{"IP", "node-{IP}", 1, "10.0.12.8", []string{"node-10.0.12.8"}},
		{"IPAndNumber", "web-{IP}-{R:1}", 2, "10.0.12.8", []string{"web-10.0.12.8-1", "web-10.0.12.8-2"}},
		{"IPUnknownStays", "node-{IP}", 1, "", []string{"node-{IP}"}},
		{"IPIsAPattern", "node-{IP}", 2, "10.0.12.8", []string{"node-10.0.12.8", "node-10.0.12.8"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for i, want := range tc.want {
				if got := models.LaunchName(tc.pattern, i, tc.n, tc.ip); got != want {
					t.Errorf("LaunchName(%q, %d, %d) = %q, want %q", tc.pattern, i, tc.n, got, want)
				}
			}
		})
	}
}

// Names of up to 128 characters, patterns included, are accepted (the
// launch tests refuse 129: ErrNameTooLong).
func TestLaunchNameLimit(t *testing.T) {
	if models.MaxInstanceName != 128 {
		t.Fatalf("MaxInstanceName = %d, want the SDK's 128", models.MaxInstanceName)
	}
	if got := models.LaunchName(strings.Repeat("a", 125)+"{R:1}", 99, 100, ""); len(got) != 128 {
		t.Fatalf("len = %d", len(got))
	}
}
