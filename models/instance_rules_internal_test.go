package models

import "testing"

func TestCheckHostName(t *testing.T) {
	for _, tc := range []struct {
		host    string
		windows bool
		ok      bool
	}{
		{"web-1", false, true},
		{"web.example.internal", false, true},
		{"packer-6b0d3055", true, true},
		{"a", false, false},
		{"-web", false, false},
		{"web.", false, false},
		{"web..1", false, false},
		{"web.-1", false, false},
		{"web_1", false, false},
		{"web.1", true, false},
		{"1234", true, false},
		{"1234", false, true},
		{"abcdefghijklmnop", true, false}, // 16 > 15
		{"a234567890a234567890a234567890a234567890a234567890a234567890a", false, false}, // 61 > 60
	} {
		if got := checkHostName(tc.host, tc.windows) == nil; got != tc.ok {
			t.Errorf("checkHostName(%q, windows %v) ok = %v, want %v", tc.host, tc.windows, got, tc.ok)
		}
	}
}

func TestValidPassword(t *testing.T) {
	for _, tc := range []struct {
		password string
		windows  bool
		ok       bool
	}{
		{"Passw0rd", false, true},
		{"password1", false, true},
		{"password", false, false},                         // one class
		{"Pa1", false, false},                              // short
		{"/Passw0rd", false, false},                        // starts with /
		{"Passw0rd\"x", false, false},                      // " is not a symbol of the list
		{"Passw0rd!", true, false},                         // short for Windows
		{"Passw0rdPassw0rd", true, true},                   // three classes
		{"passwordpassword1", true, false},                 // two classes
		{"Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!Aa1!", false, false}, // 32 > 30
	} {
		if got := validPassword(tc.password, tc.windows); got != tc.ok {
			t.Errorf("validPassword(%q, windows %v) = %v, want %v", tc.password, tc.windows, got, tc.ok)
		}
	}
}
