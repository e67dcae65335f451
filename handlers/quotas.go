package handlers

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"imageconsole/views/pages"
)

// ShowQuotas shows the account's usage of R1, R2 and R9 in the region.
func (h *Handler) ShowQuotas(c echo.Context) error {
	u, err := h.store.QuotaUsage(c.Request().Context(), account(c).ID, region(c))
	if err != nil {
		return err
	}
	row := func(key, label, rule string, used, limit int, note string) pages.QuotaRowVM {
		pct := 100
		if limit > 0 {
			pct = min(100, used*100/limit)
		}
		return pages.QuotaRowVM{Key: key, Label: label, Rule: rule, Used: strconv.Itoa(used), Limit: strconv.Itoa(limit),
			Percent: pct, Full: used >= limit, Note: note}
	}
	vm := pages.QuotasPageVM{Shell: shell(c, "Quotas", "quotas"), Rows: []pages.QuotaRowVM{
		row("images", "Custom images", fmt.Sprintf("Each account keeps up to %d custom images per region, whatever their state.", u.ImagesLimit),
			u.ImagesUsed, u.ImagesLimit, "Deleting an image frees its slot."),
		row("operations", "Image operations today", fmt.Sprintf("Up to %d create, import, edit, sync, share and delete operations per region per day, console and API together.", u.OpsLimit),
			u.OpsUsed, u.OpsLimit, "Resets "+until(u.OpsResetAt, h.now())+", at "+u.OpsResetAt.UTC().Format("2006-01-02 15:04 UTC")+" (midnight Asia/Shanghai)."),
		row("instances", "Instances", fmt.Sprintf("Up to %d instances per region; one launch starts 1 to 100.", u.InstancesLimit),
			u.InstancesUsed, u.InstancesLimit, "Terminating an instance frees its slot."),
	}}
	return Render(c, http.StatusOK, pages.QuotasPage(vm))
}
