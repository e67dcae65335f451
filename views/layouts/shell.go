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
	// Role is the account's role (user, provider or operator): it decides
	// which platform sections the navigation offers.
	Role string
}

// KeepParam is a query parameter the region selector carries along.
type KeepParam struct{ Name, Value string }

// RegionOption is one entry of the region selector.
type RegionOption struct {
	ID, Name string
}

// NavItem is one link of the navigation.
type NavItem struct {
	Key, Label, Href string
}

// NavItems lists the sections in display order.
func (s Shell) NavItems() []NavItem {
	q := "?region=" + s.Region
	items := []NavItem{
		{"images", "Images", "/images" + q},
		{"instances", "Instances", "/instances" + q},
		{"quotas", "Quotas", "/quotas" + q},
		{"operations", "Operation log", "/operations" + q},
		{"apikeys", "API keys", "/apikeys" + q},
		{"vpcs", "VPCs", "/network/vpcs" + q},
		{"security-groups", "Security groups", "/network/security-groups" + q},
		{"keypairs", "SSH key pairs", "/network/keypairs" + q},
	}
	// The platform sections only for their role; the store enforces the
	// roles, this only spares others links that answer 404.
	switch s.Role {
	case "provider":
		items = append(items, NavItem{"market", "Market listings", "/market/listings" + q})
	case "operator":
		items = append(items, NavItem{"reviews", "Market reviews", "/operator/reviews" + q},
			NavItem{"catalog", "Common catalog", "/operator/catalog" + q},
			NavItem{"accounts", "Accounts", "/operator/accounts" + q},
			NavItem{"audit", "Audit log", "/operator/audit" + q})
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
