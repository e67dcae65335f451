package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/views/pages"
)

// apiKeysURL is the API keys page in the region in view.
func apiKeysURL(c echo.Context) string { return "/apikeys?region=" + region(c) }

// ListAPIKeys is the API keys page. Right after "Create key" it shows the
// new key's SecretKey, this once (takeSecret); after a refused create, the
// refusal.
func (h *Handler) ListAPIKeys(c echo.Context) error {
	var created *pages.NewAPIKeyVM
	if s, ok := h.takeSecret(c, "apikey"); ok {
		created = &pages.NewAPIKeyVM{AccountID: s.Account, SecretID: s.ID, SecretKey: s.Secret}
	}
	return h.renderAPIKeys(c, created)
}

// CreateAPIKey makes a key and goes back to the list (Post/Redirect/Get:
// a reload does not make a second key), which shows its SecretKey once.
func (h *Handler) CreateAPIKey(c echo.Context) error {
	acct := account(c)
	id, key, err := h.store.CreateAPIKey(c.Request().Context(), acct.ID)
	if err != nil {
		return h.refuseTo(c, apiKeysURL(c), err, nil)
	}
	if !h.keepSecretOnce(c, onceSecret{Kind: "apikey", ID: id, Secret: key}) {
		// The secret could not be handed on: show it in this answer, the
		// only other place it can be seen once.
		return h.renderAPIKeys(c, &pages.NewAPIKeyVM{AccountID: acct.ID, SecretID: id, SecretKey: key})
	}
	return h.notifyAndRedirect(c, apiKeysURL(c), "apikeys.created", "ID", id)
}

// DisableAPIKey stops a key from working; its next request is refused.
func (h *Handler) DisableAPIKey(c echo.Context) error {
	return h.setAPIKeyEnabled(c, false, "apikeys.disabled")
}

// EnableAPIKey lets a disabled key work again.
func (h *Handler) EnableAPIKey(c echo.Context) error {
	return h.setAPIKeyEnabled(c, true, "apikeys.enabled")
}

func (h *Handler) setAPIKeyEnabled(c echo.Context, enabled bool, done string) error {
	id := c.Param("id")
	if err := h.store.SetAPIKeyEnabled(c.Request().Context(), account(c).ID, id, enabled); err != nil {
		return err
	}
	return h.notifyAndRedirect(c, apiKeysURL(c), done, "ID", id)
}

// DeleteAPIKey deletes a key for good.
func (h *Handler) DeleteAPIKey(c echo.Context) error {
	id := c.Param("id")
	if err := h.store.DeleteAPIKey(c.Request().Context(), account(c).ID, id); err != nil {
		return err
	}
	return h.notifyAndRedirect(c, apiKeysURL(c), "apikeys.deleted", "ID", id)
}

func (h *Handler) renderAPIKeys(c echo.Context, created *pages.NewAPIKeyVM) error {
	keys, err := h.store.APIKeys(c.Request().Context(), account(c).ID)
	if err != nil {
		return err
	}
	vm := pages.APIKeysPageVM{Shell: shell(c, t(c, "apikeys.title"), "apikeys"), Max: models.MaxAPIKeys, New: created, Endpoint: c.Request().Host}
	vm.Alert, vm.AlertCode = flash(c).Refused.Place()
	// At the limit the create button is disabled and says why, instead of
	// offering a click that can only be refused.
	vm.Full = len(keys) >= models.MaxAPIKeys
	l, now := lang(c), h.now()
	for _, k := range keys {
		row := pages.APIKeyRowVM{SecretID: k.SecretID, Enabled: k.Enabled, LastUsed: l.T("apikeys.never")}
		row.Created, row.CreatedExact = agoIn(l, k.CreatedAt, now)
		if k.LastUsedAt != nil {
			row.LastUsed, row.LastUsedExact = agoIn(l, *k.LastUsedAt, now)
		}
		vm.Keys = append(vm.Keys, row)
	}
	// A page that may carry a SecretKey must not be kept by any cache.
	c.Response().Header().Set("Cache-Control", "no-store")
	return Render(c, http.StatusOK, pages.APIKeysPage(vm))
}
