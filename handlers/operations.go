package handlers

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/views/components"
	"imageconsole/views/pages"
)

// ListOperations is the operation log, filterable by region and action.
func (h *Handler) ListOperations(c echo.Context) error {
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
	vm := pages.OperationsPageVM{Shell: shell(c, "Operation log", "operations"), Region: q.Region, Action: q.Action,
		Pager: components.PagerVM{Page: page.Page, Size: page.Size, Total: page.Total, Base: url.URL{Path: "/operations", RawQuery: base.Encode()}, Target: ""}}
	vm.Regions = append(vm.Regions, components.Option{Value: "", Label: "All regions"})
	for _, r := range models.Regions {
		vm.Regions = append(vm.Regions, components.Option{Value: r.ID, Label: r.Name})
	}
	vm.Actions = append(vm.Actions, components.Option{Value: "", Label: "All actions"})
	for _, a := range models.CountedActions {
		vm.Actions = append(vm.Actions, components.Option{Value: a, Label: a})
	}
	now := h.now()
	for _, op := range page.Rows {
		r := pages.OperationRowVM{Region: op.Region, Action: op.Action, Targets: op.Targets, Result: op.Result, Via: op.Via,
			RequestID: op.RequestID, OK: op.Result == models.ResultSuccess}
		r.At, r.AtExact = ago(op.At, now)
		vm.Rows = append(vm.Rows, r)
	}
	return Render(c, http.StatusOK, pages.OperationsPage(vm))
}
