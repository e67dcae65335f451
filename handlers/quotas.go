package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"imageconsole/views/pages"
)

// ShowQuotas shows what the account uses in the region of its custom
// images, its image operations of the day and its instances.
func (h *Handler) ShowQuotas(c echo.Context) error {
	l := lang(c)
	u, err := h.store.QuotaUsage(c.Request().Context(), account(c).ID, region(c))
	if err != nil {
		return err
	}
	row := func(key string, used, limit int, note string) pages.QuotaRowVM {
		pct := 100
		if limit > 0 {
			pct = min(100, used*100/limit)
		}
		return pages.QuotaRowVM{Key: key, Label: l.T("quotas." + key + ".label"), Rule: l.T("quotas."+key+".rule", "Count", limit),
			Used: strconv.Itoa(used), Limit: strconv.Itoa(limit), Percent: pct, Full: used >= limit, Note: note}
	}
	vm := pages.QuotasPageVM{Shell: shell(c, l.T("quotas.title"), "quotas"), Rows: []pages.QuotaRowVM{
		row("images", u.ImagesUsed, u.ImagesLimit, l.T("quotas.images.note")),
		row("operations", u.OpsUsed, u.OpsLimit, l.T("quotas.operations.note", "In", untilIn(l, u.OpsResetAt, h.now()), "At", l.Time(u.OpsResetAt))),
		row("instances", u.InstancesUsed, u.InstancesLimit, l.T("quotas.instances.note")),
	}}
	return Render(c, http.StatusOK, pages.QuotasPage(vm))
}
