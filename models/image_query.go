package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Tabs of the Images page.
const (
	TabCommon = "common"
	TabMarket = "market"
	TabCustom = "custom"
	TabShared = "shared"
)

// Tabs in display order.
var Tabs = []string{TabCommon, TabMarket, TabCustom, TabShared}

// Platforms offered as filters.
var Platforms = []string{"TencentOS", "OpenCloudOS", "CentOS", "Ubuntu", "Debian", "Rocky", "AlmaLinux", "Windows", "Other"}

// Sort orders of image lists.
const (
	SortCreated = "created" // newest first
	SortName    = "name"
)

// MaxSearch bounds a console search string, in characters: longer input is
// refused (the search box says so), never sent to the database as a LIKE
// pattern, which SQLite refuses past 50,000 bytes.
const MaxSearch = 100

// checkSearch refuses a search longer than limit characters, for the field q.
func checkSearch(search string, limit int) error {
	if n := utf8.RuneCountInString(search); n > limit {
		return FieldE("q", CodeInvalidParameterValue, "err.images.search.tooLong", "Length", n, "Max", limit)
	}
	return nil
}

// ImageQuery selects a page of one tab of the Images page.
type ImageQuery struct {
	Region   string
	Tab      string
	Search   string
	Platform string
	Arch     string
	State    string
	Sort     string
	Page     int
	Size     int
}

// Normalize makes any input safe: unknown values fall back to "all". A
// search over MaxSearch is cut to it, and refused with the returned error.
func (q *ImageQuery) Normalize() error {
	if _, ok := LookupRegion(q.Region); !ok {
		q.Region = DefaultRegion
	}
	if !slices.Contains(Tabs, q.Tab) {
		q.Tab = TabCommon
	}
	q.Search = strings.TrimSpace(cleanText(q.Search))
	tooLong := checkSearch(q.Search, MaxSearch)
	if r := []rune(q.Search); len(r) > MaxSearch {
		q.Search = string(r[:MaxSearch])
	}
	if !slices.Contains(Platforms, q.Platform) {
		q.Platform = ""
	}
	if !slices.Contains([]string{ArchX86, ArchARM, ArchI386}, q.Arch) {
		q.Arch = ""
	}
	if !slices.Contains([]string{StateNormal, StateCreating, StateCreateFailed, StateImporting, StateImportFailed, StateSyncing}, q.State) {
		q.State = ""
	}
	if q.Sort != SortName {
		q.Sort = SortCreated
	}
	q.Page, q.Size = clampPage(q.Page, q.Size)
	return tooLong
}

// ImagePage is one page of a tab plus the count of every tab.
type ImagePage struct {
	Query  ImageQuery
	Rows   []Image
	Total  int64
	Counts map[string]int64
}

// tabScope restricts a query to what the account sees in one tab of a region.
// Every branch is scoped by the account: ownership cannot be forgotten.
func tabScope(db *gorm.DB, accountID, region, tab string) *gorm.DB {
	switch tab {
	case TabMarket:
		// Only approved, live listings: a withdrawn one is OFFLINE. A listing
		// limited to some regions is listed only there.
		return db.Where("images.type = ? AND images.state = ?", TypeMarket, StateNormal).Where(marketRegionScope(db, region))
	case TabCustom:
		return db.Where("images.owner_id = ? AND images.region = ? AND images.type = ?", accountID, region, TypePrivate)
	case TabShared:
		// The account's shares drive the lookup, each image then found by its
		// key: with the region and type tested on the outer query, SQLite
		// walked every custom image through the type index instead. CROSS
		// JOIN fixes that join order on SQLite and is a plain join elsewhere.
		shared := db.Session(&gorm.Session{NewDB: true}).Table("image_shares CROSS JOIN images AS shared").
			Select("image_shares.image_id").Where("shared.id = image_shares.image_id AND image_shares.account_id = ? AND shared.region = ? AND shared.type = ?",
			accountID, region, TypePrivate)
		return db.Where("images.id IN (?)", shared)
	default:
		// Deprecated and retired common images leave the catalog; a
		// deprecated one stays launchable by ID (visibleImage does not filter).
		return db.Where("images.type = ? AND images.state = ? AND images.deprecated = ?", TypePublic, StateNormal, false)
	}
}

// ListImages returns a page of one tab with the counts of all tabs: one
// statement counts every tab (and the filtered list), one reads the page.
func (s *ImageStore) ListImages(ctx context.Context, accountID string, q ImageQuery) (ImagePage, error) {
	refused := q.Normalize()
	out := ImagePage{Query: q, Counts: map[string]int64{}}
	if refused != nil {
		return out, refused
	}
	db := s.db.WithContext(ctx)
	base := func(tab string) *gorm.DB {
		return tabScope(db.Session(&gorm.Session{NewDB: true}).Model(&Image{}), accountID, q.Region, tab)
	}
	scopes := make([]*gorm.DB, 0, len(Tabs)+1)
	for _, tab := range Tabs {
		scopes = append(scopes, base(tab))
	}
	filtered := q.Search != "" || q.Platform != "" || q.Arch != "" || (q.State != "" && (q.Tab == TabCustom || q.Tab == TabShared))
	if filtered {
		scopes = append(scopes, listFilters(base(q.Tab), q))
	}
	n, err := countAll(db, scopes)
	if err != nil {
		return out, err
	}
	for i, tab := range Tabs {
		out.Counts[tab] = n[i]
	}
	out.Total = out.Counts[q.Tab]
	if filtered {
		out.Total = n[len(Tabs)]
	}
	order := "images.created_at DESC, images.id"
	if q.Sort == SortName {
		order = "images.name, images.id"
	}
	err = listFilters(base(q.Tab), q).Order(order).Offset((q.Page - 1) * q.Size).Limit(q.Size).Find(&out.Rows).Error
	return out, err
}

// listFilters narrows a tab to the search and filters of q.
func listFilters(list *gorm.DB, q ImageQuery) *gorm.DB {
	list = searchImages(list, q.Search)
	if q.Platform != "" {
		list = list.Where("images.platform = ?", q.Platform)
	}
	if q.Arch != "" {
		list = list.Where("images.arch = ?", q.Arch)
	}
	if q.State != "" && (q.Tab == TabCustom || q.Tab == TabShared) {
		list = list.Where("images.state = ?", q.State)
	}
	return list
}

// countAll counts the rows of several scopes in one statement of scalar
// subqueries: one round trip instead of one per scope.
func countAll(db *gorm.DB, scopes []*gorm.DB) ([]int64, error) {
	cols := make([]string, len(scopes))
	args := make([]any, len(scopes))
	n := make([]int64, len(scopes))
	dest := make([]any, len(scopes))
	for i, sc := range scopes {
		cols[i] = fmt.Sprintf("(?) AS n%d", i)
		args[i] = sc.Select("count(*)")
		dest[i] = &n[i]
	}
	return n, db.Raw("SELECT "+strings.Join(cols, ", "), args...).Row().Scan(dest...)
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// ErrImageNotFound is the one answer for an image that does not exist and
// one the account may not see: it does not reveal which is the case.
func errImageNotFound(id string) error {
	return E(CodeInvalidImageIDNotFound, "err.images.id.notFound", "ID", id)
}

// visibleImage loads an image the account may use in a region: common and
// market images anywhere, its own custom images, and custom images shared
// with it in their own region (R5). The region "" skips the region check.
func visibleImage(tx *gorm.DB, accountID, region, id string) (*Image, error) {
	if !ValidID("img", id) {
		return nil, E(CodeInvalidImageIDMalformed, "err.images.id.malformed", "ID", strconv.Quote(id))
	}
	var img Image
	err := tx.Where("id = ?", id).Take(&img).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, errImageNotFound(id)
	}
	if err != nil {
		return nil, err
	}
	if !img.Custom() {
		return &img, nil
	}
	if region != "" && img.Region != region {
		return nil, errImageNotFound(id)
	}
	if img.OwnerID == accountID {
		return &img, nil
	}
	var n int64
	if err := tx.Model(&ImageShare{}).Where("image_id = ? AND account_id = ?", id, accountID).Count(&n).Error; err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, errImageNotFound(id)
	}
	img.Type = TypeShared
	return &img, nil
}

// Image returns an image the account may see in a region.
func (s *ImageStore) Image(ctx context.Context, accountID, region, id string) (*Image, error) {
	return visibleImage(s.db.WithContext(ctx), accountID, region, id)
}
