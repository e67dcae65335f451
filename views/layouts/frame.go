package layouts

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"
)

func itoa(n int) string { return strconv.Itoa(n) }

// RegionName is the current region's name, "Guangzhou", for headings.
func (s Shell) RegionName() string {
	for _, r := range s.Regions {
		if r.ID == s.Region {
			return r.Name
		}
	}
	return s.Region
}

// Here is where the region selector returns to: Path with the Keep
// parameters (the selector's POST adds the region).
func (s Shell) Here() string {
	q := url.Values{}
	for _, k := range s.Keep {
		q.Add(k.Name, k.Value)
	}
	if len(q) == 0 {
		return s.Path
	}
	return s.Path + "?" + q.Encode()
}

// NavGroup is a heading of the navigation with its sections.
type NavGroup struct {
	Label string
	Items []NavItem
}

// consoleSections are the sections every account has; the others (the
// platform side for providers and operators) are grouped apart.
var consoleSections = map[string]bool{"images": true, "instances": true, "quotas": true, "operations": true, "apikeys": true,
	"vpcs": true, "security-groups": true, "keypairs": true}

// NavGroups splits NavItems into the console's own sections and the
// platform sections, keeping their order.
func (s Shell) NavGroups() []NavGroup {
	groups := []NavGroup{{Label: "Cloud Virtual Machine"}, {Label: "Platform"}}
	for _, n := range s.NavItems() {
		if consoleSections[n.Key] {
			groups[0].Items = append(groups[0].Items, n)
		} else {
			groups[1].Items = append(groups[1].Items, n)
		}
	}
	if len(groups[1].Items) == 0 {
		return groups[:1]
	}
	return groups
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
