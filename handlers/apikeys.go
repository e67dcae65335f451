package handlers

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/views/components"
	"imageconsole/views/pages"
)

// ListAPIKeys is the API keys page.
func (h *Handler) ListAPIKeys(c echo.Context) error {
	return h.renderAPIKeys(c, http.StatusOK, nil, components.FormError{})
}

// CreateAPIKey makes a key and shows its SecretKey, this once. The answer is
// the page itself, not a redirect, so the secret is never kept anywhere.
func (h *Handler) CreateAPIKey(c echo.Context) error {
	acct := account(c)
	id, key, err := h.store.CreateAPIKey(c.Request().Context(), acct.ID)
	if err != nil {
		return refusal(err, func(status int, fe components.FormError) error { return h.renderAPIKeys(c, status, nil, fe) })
	}
	return h.renderAPIKeys(c, http.StatusOK, &pages.NewAPIKeyVM{AccountID: acct.ID, SecretID: id, SecretKey: key}, components.FormError{})
}

// DisableAPIKey stops a key from working; its next request is refused.
func (h *Handler) DisableAPIKey(c echo.Context) error {
	return h.setAPIKeyEnabled(c, false, "disabled")
}

// EnableAPIKey lets a disabled key work again.
func (h *Handler) EnableAPIKey(c echo.Context) error {
	return h.setAPIKeyEnabled(c, true, "enabled")
}

func (h *Handler) setAPIKeyEnabled(c echo.Context, enabled bool, done string) error {
	id := c.Param("id")
	if err := h.store.SetAPIKeyEnabled(c.Request().Context(), account(c).ID, id, enabled); err != nil {
		return err
	}
	return redirect(c, "/apikeys?flash="+url.QueryEscape("API key "+id+" "+done+"."))
}

// DeleteAPIKey deletes a key for good.
func (h *Handler) DeleteAPIKey(c echo.Context) error {
	id := c.Param("id")
	if err := h.store.DeleteAPIKey(c.Request().Context(), account(c).ID, id); err != nil {
		return err
	}
	return redirect(c, "/apikeys?flash="+url.QueryEscape("API key "+id+" deleted."))
}

func (h *Handler) renderAPIKeys(c echo.Context, status int, created *pages.NewAPIKeyVM, fe components.FormError) error {
	keys, err := h.store.APIKeys(c.Request().Context(), account(c).ID)
	if err != nil {
		return err
	}
	vm := pages.APIKeysPageVM{Shell: shell(c, "API keys", "apikeys"), Max: models.MaxAPIKeys, New: created, Endpoint: c.Request().Host}
	vm.Alert, vm.AlertCode = fe.Place()
	now := h.now()
	for _, k := range keys {
		row := pages.APIKeyRowVM{SecretID: k.SecretID, Enabled: k.Enabled, LastUsed: "Never"}
		row.Created, row.CreatedExact = ago(k.CreatedAt, now)
		if k.LastUsedAt != nil {
			row.LastUsed, row.LastUsedExact = ago(*k.LastUsedAt, now)
		}
		vm.Keys = append(vm.Keys, row)
	}
	// A page that may carry a SecretKey must not be kept by any cache.
	c.Response().Header().Set("Cache-Control", "no-store")
	return Render(c, status, pages.APIKeysPage(vm))
}
