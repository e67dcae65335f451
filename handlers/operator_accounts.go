package handlers

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/models/i18n"
	"imageconsole/views/components"
	"imageconsole/views/pages"
)

// ListAccounts is the platform view of accounts with their usage.
func (h *Handler) ListAccounts(c echo.Context) error {
	l := lang(c)
	page, err := h.store.PlatformAccounts(c.Request().Context(), actor(c), c.QueryParam("q"), atoi(c.QueryParam("page")), 50)
	status, searchErr := searchRefusal(err)
	if err != nil && searchErr == "" {
		return err
	}
	if searchErr != "" {
		searchErr = models.ErrorText(err, l)
	}
	base := url.Values{}
	if page.Search != "" {
		base.Set("q", page.Search)
	}
	vm := pages.AccountsPageVM{Shell: shell(c, l.T("operator.accounts.title"), "accounts"), Search: page.Search, SearchError: searchErr,
		Pager: components.PagerVM{Page: page.Page, Size: page.Size, Total: page.Total, Base: url.URL{Path: "/operator/accounts", RawQuery: base.Encode()}}}
	for _, r := range page.Rows {
		vm.Rows = append(vm.Rows, pages.AccountRowVM{ID: r.Account.ID, Email: r.Account.Email, Name: r.Account.Name, Role: roleLabel(l, r.Account.Role),
			Images: strconv.FormatInt(r.CustomImages, 10), Instances: strconv.FormatInt(r.Instances, 10),
			Override: overrideSummary(l, r.Override), Href: "/operator/accounts/" + r.Account.ID})
	}
	return Render(c, status, pages.OperatorAccountsPage(vm))
}

// roleLabel is the reader's name of an account role.
func roleLabel(l i18n.Lang, role string) string {
	return l.Label("operator.role.", role)
}

// limitRules are the overridable limits: custom images per region, image
// operations per region per day, accounts per shared image and instances
// per region. Each is named in words; the rule numbers are internal.
var limitRules = []struct {
	key, label string
	get        func(models.Limits) int
	override   func(models.QuotaOverride) *int
	form       func(models.QuotaOverrideInput) string
	// field is the rule's input on the override form.
	field func(*pages.AccountQuotaPageVM) *components.FieldVM
}{
	{"custom_images", "operator.limit.customImages", func(l models.Limits) int { return l.CustomImages },
		func(o models.QuotaOverride) *int { return o.CustomImages }, func(in models.QuotaOverrideInput) string { return in.CustomImages },
		func(vm *pages.AccountQuotaPageVM) *components.FieldVM { return &vm.CustomImages }},
	{"daily_ops", "operator.limit.dailyOps", func(l models.Limits) int { return l.DailyOps },
		func(o models.QuotaOverride) *int { return o.DailyOps }, func(in models.QuotaOverrideInput) string { return in.DailyOps },
		func(vm *pages.AccountQuotaPageVM) *components.FieldVM { return &vm.DailyOps }},
	{"shares", "operator.limit.shares", func(l models.Limits) int { return l.Shares },
		func(o models.QuotaOverride) *int { return o.Shares }, func(in models.QuotaOverrideInput) string { return in.Shares },
		func(vm *pages.AccountQuotaPageVM) *components.FieldVM { return &vm.Shares }},
	{"instances", "operator.limit.instances", func(l models.Limits) int { return l.Instances },
		func(o models.QuotaOverride) *int { return o.Instances }, func(in models.QuotaOverrideInput) string { return in.Instances },
		func(vm *pages.AccountQuotaPageVM) *components.FieldVM { return &vm.Instances }},
}

// overrideSummary lists an override's limits, "Defaults" for none.
func overrideSummary(l i18n.Lang, o models.QuotaOverride) string {
	var parts []string
	for _, r := range limitRules {
		if v := r.override(o); v != nil {
			parts = append(parts, l.T("operator.override.part", "Limit", l.T(r.label), "Value", *v))
		}
	}
	if len(parts) == 0 {
		return l.T("operator.override.none")
	}
	return strings.Join(parts, l.T("market.list.sep"))
}

// ShowPlatformAccount is one account's limits, usage and override form;
// after a refused post it shows the refusal and what was typed.
func (h *Handler) ShowPlatformAccount(c echo.Context) error {
	f := flash(c)
	var in *models.QuotaOverrideInput
	if f.Refused.Message != "" && f.Form != nil {
		in = quotaOverrideInput(f.Value)
	}
	return h.renderPlatformAccount(c, in, f.Refused)
}

// quotaOverrideInput reads the override form's fields through get.
func quotaOverrideInput(get func(string) string) *models.QuotaOverrideInput {
	return &models.QuotaOverrideInput{CustomImages: get("custom_images"), DailyOps: get("daily_ops"),
		Shares: get("shares"), Instances: get("instances")}
}

// SetQuotaOverride saves an account's quota override.
func (h *Handler) SetQuotaOverride(c echo.Context) error {
	back := "/operator/accounts/" + url.PathEscape(c.Param("id"))
	if err := h.store.SetQuotaOverride(c.Request().Context(), actor(c), c.Param("id"), *quotaOverrideInput(c.FormValue)); err != nil {
		return h.refuseTo(c, back, err, nil)
	}
	return h.notifyAndRedirect(c, back, "operator.notice.override")
}

// renderPlatformAccount draws the account with its override form: in, when
// not nil, is what was posted, and fe goes next to the limit it names.
func (h *Handler) renderPlatformAccount(c echo.Context, in *models.QuotaOverrideInput, fe components.FormError) error {
	l := lang(c)
	d, err := h.store.OperatorAccount(c.Request().Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	vm := pages.AccountQuotaPageVM{Shell: shell(c, d.Account.Email, "accounts"), ID: d.Account.ID, Email: d.Account.Email,
		Name: d.Account.Name, Role: roleLabel(l, d.Account.Role)}
	fields := make([]*components.FieldVM, 0, len(limitRules))
	for _, r := range limitRules {
		row := pages.LimitRowVM{Key: r.key, Label: l.T(r.label), Default: strconv.Itoa(r.get(d.Defaults)), Override: "—",
			Effective: strconv.Itoa(r.get(d.Limits))}
		value := ""
		if v := r.override(d.Override); v != nil {
			row.Override, value = strconv.Itoa(*v), strconv.Itoa(*v)
		}
		if in != nil {
			value = r.form(*in)
		}
		vm.Limits = append(vm.Limits, row)
		f := r.field(&vm)
		*f = components.FieldVM{Name: r.key, Label: l.T(r.label), Type: "text", Value: value, Hint: l.T("operator.override.hint", "Default", row.Default)}
		fields = append(fields, f)
	}
	vm.Alert, vm.AlertCode = fe.Place(fields...)
	for _, u := range d.Usage {
		vm.Usage = append(vm.Usage, pages.RegionUsageVM{Region: regionName(c, u.Region), Images: ratio(u.ImagesUsed, u.ImagesLimit),
			Ops: ratio(u.OpsUsed, u.OpsLimit), Instances: ratio(u.InstancesUsed, u.InstancesLimit)})
	}
	return Render(c, http.StatusOK, pages.OperatorAccountPage(vm))
}

func ratio(used, limit int) string { return strconv.Itoa(used) + " / " + strconv.Itoa(limit) }
