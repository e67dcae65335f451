package handlers

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/models/i18n"
	"imageconsole/views/components"
	"imageconsole/views/pages"
)

// ListOperations is the operation log, filterable by region and action.
func (h *Handler) ListOperations(c echo.Context) error {
	l := lang(c)
	q := models.OpQuery{Region: c.QueryParam("log_region"), Action: c.QueryParam("action"), Page: atoi(c.QueryParam("page")), Size: 25}
	if _, ok := models.LookupRegion(q.Region); !ok {
		q.Region = ""
	}
	if !slices.Contains(models.CountedActions, q.Action) {
		q.Action = ""
	}
	page, err := h.store.Operations(c.Request().Context(), account(c).ID, q)
	if err != nil {
		return err
	}
	base := url.Values{"region": {region(c)}, "log_region": {q.Region}, "action": {q.Action}}
	vm := pages.OperationsPageVM{Shell: shell(c, l.T("ops.title"), "operations"), Region: q.Region, Action: q.Action,
		Pager: components.PagerVM{Page: page.Page, Size: page.Size, Total: page.Total, Base: url.URL{Path: "/operations", RawQuery: base.Encode()}, Target: ""}}
	vm.Regions = append(vm.Regions, components.Option{Value: "", Label: l.T("market.regions.all")})
	for _, r := range models.Regions {
		vm.Regions = append(vm.Regions, components.Option{Value: r.ID, Label: r.Name})
	}
	vm.Actions = append(vm.Actions, components.Option{Value: "", Label: l.T("ops.actions.all")})
	for _, a := range models.CountedActions {
		vm.Actions = append(vm.Actions, components.Option{Value: a, Label: opAction(l, a)})
	}
	for _, op := range page.Rows {
		r := pages.OperationRowVM{At: l.Time(op.At), Region: regionName(c, op.Region), Action: opAction(l, op.Action), Targets: op.Targets,
			Via: opVia(l, op.Via), RequestID: op.RequestID, OK: op.Result == models.ResultSuccess}
		if r.OK {
			r.Result = l.T("ops.result.success")
		} else {
			r.Result, r.Code = l.T("ops.result.refused"), op.Result
		}
		vm.Rows = append(vm.Rows, r)
	}
	return Render(c, http.StatusOK, pages.OperationsPage(vm))
}

// opVia names where a request came from: the console or the API.
func opVia(l i18n.Lang, via string) string {
	return l.Label("ops.via.", via)
}

// opAction is the reader's name of a counted action.
func opAction(l i18n.Lang, action string) string {
	return l.Label("ops.action.", action)
}
