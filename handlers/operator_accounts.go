package handlers

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/views/components"
	"imageconsole/views/pages"
)

// ListAccounts is the platform view of accounts with their usage.
func (h *Handler) ListAccounts(c echo.Context) error {
	page, err := h.store.PlatformAccounts(c.Request().Context(), actor(c), c.QueryParam("q"), atoi(c.QueryParam("page")), 50)
	status, searchErr := searchRefusal(err)
	if err != nil && searchErr == "" {
		return err
	}
	base := url.Values{}
	if page.Search != "" {
		base.Set("q", page.Search)
	}
	vm := pages.AccountsPageVM{Shell: shell(c, "Accounts", "accounts"), Search: page.Search, SearchError: searchErr,
		Pager: components.PagerVM{Page: page.Page, Size: page.Size, Total: page.Total, Base: url.URL{Path: "/operator/accounts", RawQuery: base.Encode()}}}
	for _, r := range page.Rows {
		vm.Rows = append(vm.Rows, pages.AccountRowVM{ID: r.Account.ID, Email: r.Account.Email, Name: r.Account.Name, Role: r.Account.Role,
			Images: strconv.FormatInt(r.CustomImages, 10), Instances: strconv.FormatInt(r.Instances, 10),
			Override: overrideSummary(r.Override), Href: "/operator/accounts/" + r.Account.ID})
	}
	return Render(c, status, pages.OperatorAccountsPage(vm))
}

// limitRules are the overridable rules, in the order of the rules R1-R9 (README, Architecture).
var limitRules = []struct {
	key, label string
	get        func(models.Limits) int
	override   func(models.QuotaOverride) *int
	form       func(models.QuotaOverrideInput) string
	// field is the rule's input on the override form.
	field func(*pages.AccountQuotaPageVM) *components.FieldVM
}{
	{"custom_images", "R1 custom images per region", func(l models.Limits) int { return l.CustomImages },
		func(o models.QuotaOverride) *int { return o.CustomImages }, func(in models.QuotaOverrideInput) string { return in.CustomImages },
		func(vm *pages.AccountQuotaPageVM) *components.FieldVM { return &vm.CustomImages }},
	{"daily_ops", "R2 operations per region per day", func(l models.Limits) int { return l.DailyOps },
		func(o models.QuotaOverride) *int { return o.DailyOps }, func(in models.QuotaOverrideInput) string { return in.DailyOps },
		func(vm *pages.AccountQuotaPageVM) *components.FieldVM { return &vm.DailyOps }},
	{"shares", "R4 accounts per shared image", func(l models.Limits) int { return l.Shares },
		func(o models.QuotaOverride) *int { return o.Shares }, func(in models.QuotaOverrideInput) string { return in.Shares },
		func(vm *pages.AccountQuotaPageVM) *components.FieldVM { return &vm.Shares }},
	{"instances", "R9 instances per region", func(l models.Limits) int { return l.Instances },
		func(o models.QuotaOverride) *int { return o.Instances }, func(in models.QuotaOverrideInput) string { return in.Instances },
		func(vm *pages.AccountQuotaPageVM) *components.FieldVM { return &vm.Instances }},
}

// overrideSummary lists an override's limits, "Defaults" for none.
func overrideSummary(o models.QuotaOverride) string {
	var parts []string
	for _, r := range limitRules {
		if v := r.override(o); v != nil {
			parts = append(parts, strings.SplitN(r.label, " ", 2)[0]+" "+strconv.Itoa(*v))
		}
	}
	if len(parts) == 0 {
		return "Defaults"
	}
	return strings.Join(parts, ", ")
}

// ShowPlatformAccount is one account's limits, usage and override form.
func (h *Handler) ShowPlatformAccount(c echo.Context) error {
	return h.renderPlatformAccount(c, http.StatusOK, nil, components.FormError{})
}

// SetQuotaOverride saves an account's quota override.
func (h *Handler) SetQuotaOverride(c echo.Context) error {
	in := models.QuotaOverrideInput{CustomImages: c.FormValue("custom_images"), DailyOps: c.FormValue("daily_ops"),
		Shares: c.FormValue("shares"), Instances: c.FormValue("instances")}
	if err := h.store.SetQuotaOverride(c.Request().Context(), actor(c), c.Param("id"), in); err != nil {
		return refusal(err, func(status int, fe components.FormError) error { return h.renderPlatformAccount(c, status, &in, fe) })
	}
	return redirect(c, "/operator/accounts/"+c.Param("id")+"?flash="+url.QueryEscape("Quota override saved: it applies from the next request."))
}

// renderPlatformAccount draws the account with its override form: in, when
// not nil, is what was posted, and fe goes next to the limit it names.
func (h *Handler) renderPlatformAccount(c echo.Context, status int, in *models.QuotaOverrideInput, fe components.FormError) error {
	d, err := h.store.OperatorAccount(c.Request().Context(), actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	vm := pages.AccountQuotaPageVM{Shell: shell(c, d.Account.Email, "accounts"), ID: d.Account.ID, Email: d.Account.Email,
		Name: d.Account.Name, Role: d.Account.Role}
	fields := make([]*components.FieldVM, 0, len(limitRules))
	for _, r := range limitRules {
		row := pages.LimitRowVM{Key: r.key, Label: r.label, Default: strconv.Itoa(r.get(d.Defaults)), Override: "—",
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
		*f = components.FieldVM{Name: r.key, Label: r.label, Type: "text", Value: value, Hint: "Empty: the default, " + row.Default + "."}
		fields = append(fields, f)
	}
	vm.Alert, vm.AlertCode = fe.Place(fields...)
	for _, u := range d.Usage {
		vm.Usage = append(vm.Usage, pages.RegionUsageVM{Region: u.Region, Images: ratio(u.ImagesUsed, u.ImagesLimit),
			Ops: ratio(u.OpsUsed, u.OpsLimit), Instances: ratio(u.InstancesUsed, u.InstancesLimit)})
	}
	return Render(c, status, pages.OperatorAccountPage(vm))
}

func ratio(used, limit int) string { return strconv.Itoa(used) + " / " + strconv.Itoa(limit) }
