package models

import (
	"context"
	"sort"
	"strings"
)

// MaxAccountSearch bounds the accounts search: the longest email address.
const MaxAccountSearch = 254

// AccountUsage is one account of the platform view: who it is, what it
// holds across regions and whether an operator overrode its limits.
type AccountUsage struct {
	Account      Account
	CustomImages int64
	Instances    int64
	Override     QuotaOverride
}

// AccountsPage is a page of the platform's accounts, oldest first.
type AccountsPage struct {
	Rows       []AccountUsage
	Total      int64
	Search     string
	Page, Size int
}

// PlatformAccounts lists the accounts with their usage (operators only);
// search matches an email part or an exact account ID, and is refused over
// MaxAccountSearch characters (the page then shows the search cut to that).
func (s *PlatformStore) PlatformAccounts(ctx context.Context, a Actor, search string, page, size int) (AccountsPage, error) {
	out := AccountsPage{Search: strings.TrimSpace(cleanText(search))}
	out.Page, out.Size = clampPage(page, size)
	db := s.db.WithContext(ctx)
	if _, err := requireRole(db, a, RoleOperator); err != nil {
		return out, err
	}
	if err := checkSearch(out.Search, MaxAccountSearch); err != nil {
		out.Search = string([]rune(out.Search)[:MaxAccountSearch])
		return out, err
	}
	q := db.Model(&Account{})
	if out.Search != "" {
		q = q.Where("(LOWER(email) LIKE LOWER(?) ESCAPE '\\' OR id = ?)", "%"+escapeLike(out.Search)+"%", out.Search)
	}
	if err := q.Count(&out.Total).Error; err != nil {
		return out, err
	}
	var accounts []Account
	if err := q.Order("created_at, id").Offset((out.Page - 1) * out.Size).Limit(out.Size).Find(&accounts).Error; err != nil {
		return out, err
	}
	ids := make([]string, len(accounts))
	for i, acct := range accounts {
		ids[i] = acct.ID
	}
	type count struct {
		OwnerID string
		N       int64
	}
	var images, instances []count
	if err := db.Model(&Image{}).Select("owner_id, COUNT(*) AS n").Where("type = ? AND owner_id IN ?", TypePrivate, ids).
		Group("owner_id").Scan(&images).Error; err != nil {
		return out, err
	}
	if err := db.Model(&Instance{}).Select("owner_id, COUNT(*) AS n").Where("owner_id IN ?", ids).
		Group("owner_id").Scan(&instances).Error; err != nil {
		return out, err
	}
	var overrides []QuotaOverride
	if err := db.Where("account_id IN ?", ids).Find(&overrides).Error; err != nil {
		return out, err
	}
	for _, acct := range accounts {
		row := AccountUsage{Account: acct, Override: QuotaOverride{AccountID: acct.ID}}
		for _, c := range images {
			if c.OwnerID == acct.ID {
				row.CustomImages = c.N
			}
		}
		for _, c := range instances {
			if c.OwnerID == acct.ID {
				row.Instances = c.N
			}
		}
		for _, o := range overrides {
			if o.AccountID == acct.ID {
				row.Override = o
			}
		}
		out.Rows = append(out.Rows, row)
	}
	return out, nil
}

// AccountDetail is one account for an operator: its override, the limits
// in force and the defaults, and its usage in every region it uses.
type AccountDetail struct {
	Account  Account
	Override QuotaOverride
	Limits   Limits
	Defaults Limits
	Usage    []QuotaUsage
}

// OperatorAccount shows one account's limits and usage (operators only).
func (s *PlatformStore) OperatorAccount(ctx context.Context, a Actor, accountID string) (AccountDetail, error) {
	var d AccountDetail
	db := s.db.WithContext(ctx)
	if _, err := requireRole(db, a, RoleOperator); err != nil {
		return d, err
	}
	acct, err := accountByID(db, accountID)
	if err != nil {
		return d, err
	}
	if d.Override, err = quotaOverride(db, accountID); err != nil {
		return d, err
	}
	d.Account, d.Defaults = *acct, s.Limits
	d.Limits = d.Override.Apply(s.Limits)
	now := s.now()
	usage := map[string]*QuotaUsage{}
	at := func(region string) *QuotaUsage {
		if usage[region] == nil {
			usage[region] = &QuotaUsage{Region: region, ImagesLimit: d.Limits.CustomImages, OpsLimit: d.Limits.DailyOps,
				InstancesLimit: d.Limits.Instances, OpsResetAt: OpDayReset(now)}
		}
		return usage[region]
	}
	var ic []ImageCounter
	var oc []OpCounter
	var nc []InstanceCounter
	if err := db.Where("account_id = ? AND used > 0", accountID).Find(&ic).Error; err != nil {
		return d, err
	}
	if err := db.Where("account_id = ? AND day = ? AND used > 0", accountID, OpDay(now)).Find(&oc).Error; err != nil {
		return d, err
	}
	if err := db.Where("account_id = ? AND used > 0", accountID).Find(&nc).Error; err != nil {
		return d, err
	}
	for _, c := range ic {
		at(c.Region).ImagesUsed = c.Used
	}
	for _, c := range oc {
		at(c.Region).OpsUsed = c.Used
	}
	for _, c := range nc {
		at(c.Region).InstancesUsed = c.Used
	}
	for _, u := range usage {
		d.Usage = append(d.Usage, *u)
	}
	sort.Slice(d.Usage, func(i, j int) bool { return d.Usage[i].Region < d.Usage[j].Region })
	return d, nil
}
