package models

import (
	"context"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Filter is one API filter: a filter matches when any of its Values does,
// and a list of filters matches when all of them do.
type Filter struct {
	Name   string
	Values []string
}

// Limits of the API's list parameters.
const (
	MaxFilters           = 10  // filters per request
	MaxFilterValues      = 5   // values per filter
	MaxListItems         = 100 // entries of a list parameter such as ImageIds
	DefaultDescribeLimit = 20
	MaxDescribeLimit     = 100
	maxOffset            = math.MaxInt32
	// MaxFilterValue bounds one filter value, in characters: the longest
	// thing a value matches (a name, 60) with room to spare. Without it a
	// 50,000-character value reached the database as a LIKE pattern that
	// SQLite refuses ("pattern too complex"), an internal error.
	MaxFilterValue = 255
)

// ValidateFilters checks what every API filter list must satisfy: at most
// MaxFilters filters of 1 to MaxFilterValues values each, every name known,
// every value at most MaxFilterValue characters.
func ValidateFilters(filters []Filter, known func(name string) bool) error {
	if len(filters) > MaxFilters {
		return E(CodeFilterLimit, "err.images.filter.tooMany", "Max", MaxFilters, "Count", len(filters))
	}
	for _, f := range filters {
		if !known(f.Name) {
			return FieldE(f.Name, CodeInvalidFilter, "err.images.filter.unknown", "Name", quote(f.Name))
		}
		if len(f.Values) > MaxFilterValues {
			return E(CodeFilterLimit, "err.images.filter.tooManyValues", "Name", f.Name, "Count", len(f.Values), "Max", MaxFilterValues)
		}
		if len(f.Values) == 0 {
			return E(CodeInvalidParameterValue, "err.images.filter.noValue", "Name", f.Name)
		}
		for _, v := range f.Values {
			if n := utf8.RuneCountInString(v); n > MaxFilterValue {
				return FieldE(f.Name, CodeFilterLimit, "err.images.filter.valueTooLong", "Name", f.Name, "Length", n, "Max", MaxFilterValue)
			}
		}
	}
	return nil
}

// quote bounds and quotes user text echoed in a message.
func quote(s string) string {
	if r := []rune(s); len(r) > 64 {
		s = string(r[:64]) + "…"
	}
	return `"` + s + `"`
}

// DescribeImagesInput is a DescribeImages request, in the SDK's terms.
type DescribeImagesInput struct {
	ImageIDs     []string
	Filters      []Filter
	Offset       uint64
	Limit        uint64 // 0 means DefaultDescribeLimit
	InstanceType string
}

// imageKinds maps the API's image types to the tabs whose scope they are.
var imageKinds = []struct{ typ, tab string }{
	{TypePublic, TabCommon}, {TypeMarket, TabMarket}, {TypePrivate, TabCustom}, {TypeShared, TabShared},
}

func knownImageFilter(name string) bool {
	switch name {
	case "image-id", "image-type", "image-name", "platform", "image-state", "image-family", "tag-key", "tag-value":
		return true
	}
	return strings.HasPrefix(name, "tag:") && len(name) > len("tag:")
}

// validate checks the request before any query runs.
func (in *DescribeImagesInput) validate() error {
	if len(in.ImageIDs) > 0 && len(in.Filters) > 0 {
		return E(CodeCoexistImageIDsFilters, "err.images.describe.idsAndFilters")
	}
	if len(in.ImageIDs) > MaxListItems {
		return E(CodeValueLimitExceeded, "err.images.describe.tooManyIds", "Max", MaxListItems, "Count", len(in.ImageIDs))
	}
	if err := ValidateFilters(in.Filters, knownImageFilter); err != nil {
		return err
	}
	ids := in.ImageIDs
	for _, f := range in.Filters {
		switch f.Name {
		case "image-id":
			ids = append(ids[:len(ids):len(ids)], f.Values...)
		case "image-type":
			for _, v := range f.Values {
				if !slices.Contains([]string{TypePublic, TypePrivate, TypeShared, TypeMarket}, v) {
					return E(CodeInvalidParameterValue, "err.images.filter.imageType", "Value", quote(v))
				}
			}
		}
	}
	for _, id := range ids {
		if !ValidID("img", id) {
			return E(CodeInvalidImageIDMalformed, "err.images.id.malformed", "ID", quote(id))
		}
	}
	if in.InstanceType != "" {
		if _, ok := LookupInstanceType(in.InstanceType); !ok {
			return E(CodeInvalidInstanceType, "err.images.describe.instanceType", "Type", quote(in.InstanceType))
		}
	}
	if in.Limit > MaxDescribeLimit {
		return E(CodeValueLimitExceeded, "err.images.describe.limit", "Max", MaxDescribeLimit)
	}
	if in.Offset > maxOffset {
		return E(CodeInvalidParameterValue, "err.images.describe.offset", "Max", maxOffset)
	}
	return nil
}

// DescribeImages is the API's image search: common and market images, the
// account's own custom images in the region (PRIVATE_IMAGE) and custom
// images shared with it there (SHARED_IMAGE), newest first. It returns one
// page and the number of all matches, in one query.
func (s *ImageStore) DescribeImages(ctx context.Context, accountID, region string, in DescribeImagesInput) ([]Image, int64, error) {
	if _, ok := LookupRegion(region); !ok {
		return nil, 0, E(CodeInvalidRegionNotFound, "err.images.region.notFound", "Region", region)
	}
	if err := in.validate(); err != nil {
		return nil, 0, err
	}
	db := s.db.WithContext(ctx)
	query, none := describeScope(db, accountID, region, in)
	if none {
		return []Image{}, 0, nil
	}
	limit := in.Limit
	if limit == 0 {
		limit = DefaultDescribeLimit
	}
	// One statement reads the page and counts all matches (a window over the
	// whole result, before LIMIT); only a page past the end needs a count.
	var page []describedImage
	err := query().Select("images.*, count(*) OVER () AS total_count").Order("images.created_at DESC, images.id").
		Offset(int(in.Offset)).Limit(int(limit)).Find(&page).Error
	if err != nil {
		return nil, 0, err
	}
	var total int64
	if len(page) > 0 {
		total = page[0].TotalCount
	} else if in.Offset > 0 {
		if err := query().Count(&total).Error; err != nil {
			return nil, 0, err
		}
	}
	rows := make([]Image, len(page))
	for i := range page {
		rows[i] = page[i].Image
		seenAs(&rows[i], accountID)
	}
	return rows, total, nil
}

// describedImage is a row of DescribeImages' page: an image and the number
// of all matches of the query.
type describedImage struct {
	Image
	TotalCount int64
}

// describeScope builds the DescribeImages query; none is true when a filter
// can match nothing (the tag filters: images carry no tags yet).
func describeScope(db *gorm.DB, accountID, region string, in DescribeImagesInput) (query func() *gorm.DB, none bool) {
	fresh := func() *gorm.DB { return db.Session(&gorm.Session{NewDB: true}) }
	selected := map[string]bool{TypePublic: true, TypeMarket: true, TypePrivate: true, TypeShared: true}
	var conds []*gorm.DB
	byID := len(in.ImageIDs) > 0
	for _, f := range in.Filters {
		switch f.Name {
		case "image-type":
			for typ := range selected {
				selected[typ] = selected[typ] && slices.Contains(f.Values, typ)
			}
		case "image-id":
			byID = true
			conds = append(conds, fresh().Where("images.id IN ?", f.Values))
		case "image-state":
			conds = append(conds, fresh().Where("images.state IN ?", f.Values))
		case "image-family":
			conds = append(conds, fresh().Where("images.family IN ?", f.Values))
		case "image-name":
			conds = append(conds, anyLike(fresh, "images.name", f.Values))
		case "platform":
			conds = append(conds, anyLike(fresh, "images.platform", f.Values))
		default: // tag-key, tag-value, tag:<key>
			return nil, true
		}
	}
	if len(in.ImageIDs) > 0 {
		conds = append(conds, fresh().Where("images.id IN ?", in.ImageIDs))
	}
	if in.InstanceType != "" {
		it, _ := LookupInstanceType(in.InstanceType)
		var archs []string
		for _, arch := range []string{ArchX86, ArchARM, ArchI386} {
			if it.CanRun(arch) {
				archs = append(archs, arch)
			}
		}
		conds = append(conds, fresh().Where("images.arch IN ?", archs))
	}
	// The visible images are the union of one indexed lookup per kind: an
	// OR of the kinds let SQLite count them by scanning the whole table.
	var kinds []string
	var scopes []any
	for _, k := range imageKinds {
		if !selected[k.typ] {
			continue
		}
		kinds = append(kinds, "?")
		ids := fresh().Model(&Image{}).Select("images.id")
		if k.typ == TypePublic && byID {
			// A deprecated common image leaves the catalog but stays
			// launchable by ID, so a request naming it finds it, with
			// ImageDeprecated true (a pipeline checks its source image so).
			scopes = append(scopes, ids.Where("images.type = ? AND images.state = ?", TypePublic, StateNormal))
			continue
		}
		scopes = append(scopes, tabScope(ids, accountID, region, k.tab))
	}
	if len(scopes) == 0 {
		return nil, true
	}
	visible := "images.id IN (" + strings.Join(kinds, " UNION ALL ") + ")"
	return func() *gorm.DB {
		q := db.Model(&Image{}).Where(visible, scopes...)
		for _, c := range conds {
			q = q.Where(c)
		}
		return q
	}, false
}

// anyLike matches when column contains any of values, ignoring ASCII case
// on every database (SQLite's LIKE ignores it, PostgreSQL's does not).
func anyLike(fresh func() *gorm.DB, column string, values []string) *gorm.DB {
	cond := "LOWER(" + column + ") LIKE LOWER(?) ESCAPE '\\'"
	g := fresh()
	for i, v := range values {
		pattern := "%" + escapeLike(v) + "%"
		if i == 0 {
			g = g.Where(cond, pattern)
		} else {
			g = g.Or(cond, pattern)
		}
	}
	return g
}
