package layouts

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"
)

func itoa(n int) string { return strconv.Itoa(n) }

// RegionName is the current region's name in the reader's language
// ("Guangzhou", "华南地区（广州）"), for headings.
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

// NavGroup is a heading of the navigation (Label, a catalogue ID) with its
// sections.
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
	groups := []NavGroup{{Label: "shell.nav.group.cvm"}, {Label: "shell.nav.group.platform"}}
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

// switchClass styles the language and theme selects for the dark top bar
// of the console or the light page of sign-in.
func switchClass(tone string) string {
	if tone == "dark" {
		return "rounded-md border border-slate-700 bg-slate-800 py-1 pl-2 pr-7 text-xs font-medium text-white focus:border-blue-400 focus:outline-none focus:ring-2 focus:ring-blue-400/40"
	}
	return "rounded-md border border-slate-300 bg-white py-1 pl-2 pr-7 text-xs font-medium text-slate-700 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100"
}

func switchButtonClass(tone string) string {
	if tone == "dark" {
		return "border border-slate-600 bg-slate-800 text-white"
	}
	return "btn-secondary"
}
