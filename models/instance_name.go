package models

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxInstanceName bounds an instance name as given, patterns included.
const MaxInstanceName = 128

// namePattern is a numbering pattern of RunInstances' InstanceName and
// HostName: {R:x} counts from x, {R:x,F:y} also pads to y digits (0–8).
// Anything else in braces is plain text.
var namePattern = regexp.MustCompile(`\{R:(\d{1,9})(?:,F:([0-8]))?\}`)

// LaunchName is the name of the i-th (from 0) of n instances a launch
// starts, as the cloud spells it: each {R:x[,F:y]} pattern becomes x+i
// (zero-padded to y digits); a name without a pattern gets i+1 appended
// directly when n > 1 ("server_" → "server_1", "server_2"). ip replaces
// {IP} when given (host names only; the addresses differ, so no suffix is
// added); an empty ip leaves {IP} as it is.
func LaunchName(name string, i, n int, ip string) string {
	out := name
	numbered := false // a pattern makes each name unique: no suffix then
	if ip != "" && strings.Contains(out, "{IP}") {
		out, numbered = strings.ReplaceAll(out, "{IP}", ip), true
	}
	out = namePattern.ReplaceAllStringFunc(out, func(m string) string {
		numbered = true
		sub := namePattern.FindStringSubmatch(m)
		start, _ := strconv.Atoi(sub[1])
		width := 0
		if sub[2] != "" {
			width, _ = strconv.Atoi(sub[2])
		}
		s := strconv.Itoa(start + i)
		if len(s) < width {
			s = strings.Repeat("0", width-len(s)) + s
		}
		return s
	})
	if !numbered && n > 1 {
		out += strconv.Itoa(i + 1)
	}
	return out
}

// checkInstanceName refuses a name longer than MaxInstanceName characters
// (patterns counted as written).
func checkInstanceName(name string) error {
	if utf8.RuneCountInString(name) > MaxInstanceName {
		return FieldE("name", CodeInstanceNameTooLong, "err.instances.name_too_long", "Max", MaxInstanceName)
	}
	return nil
}

// Host name rules: Linux 2–60 characters in dot-separated segments of
// letters, digits and hyphens; Windows 2–15 letters, digits and hyphens,
// not all digits. Neither a dot nor a hyphen starts or ends the name, and
// none follows another.
const (
	maxLinuxHostName   = 60
	maxWindowsHostName = 15
)

// checkHostName applies the rules to a host name once its patterns are
// expanded.
func checkHostName(host string, windows bool) error {
	bad := func() error {
		return FieldE("host_name", CodeIllegalHostName, "err.instances.host_name", "HostName", host)
	}
	max := maxLinuxHostName
	if windows {
		max = maxWindowsHostName
	}
	if len(host) < 2 || len(host) > max {
		return bad()
	}
	first, last := host[0], host[len(host)-1]
	if first == '.' || first == '-' || last == '.' || last == '-' {
		return bad()
	}
	digits := true
	for i := 0; i < len(host); i++ {
		c := host[i]
		switch {
		case c == '.' && windows:
			return bad()
		case c == '.' || c == '-':
			if p := host[i-1]; p == '.' || p == '-' {
				return bad()
			}
			digits = false
		case c >= '0' && c <= '9':
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
			digits = false
		default:
			return bad()
		}
	}
	if windows && digits {
		return bad()
	}
	return nil
}
