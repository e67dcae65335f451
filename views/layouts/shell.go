// Package layouts holds the page frames every screen renders into.
package layouts

import "encoding/json"

// Shell is the view model of the frame around every signed-in page.
type Shell struct {
	Title       string
	CSRF        string
	AccountID   string
	AccountName string
	Region      string
	Regions     []RegionOption
	// Nav is the active section: images, instances, quotas, operations, apikeys,
	// vpcs, security-groups, keypairs.
	Nav string
	// Path is the current path, where the region selector sends the user,
	// with Keep: the rest of the current query (tab, filters, image); the
	// selector posts them as one path (Here) to /region.
	Path  string
	Keep  []KeepParam
	Flash string
	// URL is the page's own address (path and query), where the language
	// switch comes back to.
	URL string
	// Canonical is the page's address with the region it shows, when the
	// request's URL named none (the region came from the session): the
	// page links to it as canonical and app.js puts it in the address bar,
	// so a copied link reproduces the view.
	Canonical string
	// Role is the account's role (user, provider or operator): it decides
	// which platform sections the navigation offers.
	Role string
}

// KeepParam is a query parameter the region selector carries along.
type KeepParam struct{ Name, Value string }

// RegionOption is one entry of the region selector; Name is in the
// reader's language.
type RegionOption struct {
	ID, Name string
}

// NavItem is one link of the navigation; Label is a catalogue ID.
type NavItem struct {
	Key, Label, Href string
}

// NavItems lists the sections in display order.
func (s Shell) NavItems() []NavItem {
	q := "?region=" + s.Region
	items := []NavItem{
		{"images", "shell.nav.images", "/images" + q},
		{"instances", "shell.nav.instances", "/instances" + q},
		{"quotas", "shell.nav.quotas", "/quotas" + q},
		{"operations", "shell.nav.operations", "/operations" + q},
		{"apikeys", "shell.nav.apikeys", "/apikeys" + q},
		{"vpcs", "shell.nav.vpcs", "/network/vpcs" + q},
		{"security-groups", "shell.nav.security-groups", "/network/security-groups" + q},
		{"keypairs", "shell.nav.keypairs", "/network/keypairs" + q},
	}
	// The platform sections only for their role; the store enforces the
	// roles, this only spares others links that answer 404.
	switch s.Role {
	case "provider":
		items = append(items, NavItem{"market", "shell.nav.market", "/market/listings" + q})
	case "operator":
		items = append(items, NavItem{"reviews", "shell.nav.reviews", "/operator/reviews" + q},
			NavItem{"catalog", "shell.nav.catalog", "/operator/catalog" + q},
			NavItem{"accounts", "shell.nav.accounts", "/operator/accounts" + q},
			NavItem{"audit", "shell.nav.audit", "/operator/audit" + q})
	}
	return items
}

// HXHeaders is the hx-headers value that sends the CSRF token with every htmx request.
func (s Shell) HXHeaders() string {
	b, _ := json.Marshal(map[string]string{"X-CSRF-Token": s.CSRF})
	return string(b)
}

// HTMXConfig configures htmx from a meta tag (no inline script, so the CSP
// can forbid them): 422 validation answers are swapped like successes, other
// errors are not.
const HTMXConfig = `{"allowEval":false,"includeIndicatorStyles":false,"historyCacheSize":0,` +
	`"responseHandling":[{"code":"204","swap":false},{"code":"[23]..","swap":true},` +
	`{"code":"422","swap":true},{"code":"[45]..","swap":false,"error":true}]}`
