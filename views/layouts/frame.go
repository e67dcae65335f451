package layouts

import (
	"strings"
	"unicode"
)

// RegionName is the current region's name, "Guangzhou", for headings.
func (s Shell) RegionName() string {
	for _, r := range s.Regions {
		if r.ID == s.Region {
			return r.Name
		}
	}
	return s.Region
}

// Initials are the one or two letters of the account avatar.
func (s Shell) Initials() string {
	var out []rune
	for _, w := range strings.Fields(s.AccountName) {
		r := []rune(w)[0]
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			out = append(out, unicode.ToUpper(r))
		}
		if len(out) == 2 {
			break
		}
	}
	if len(out) == 0 {
		return "?"
	}
	return string(out)
}
