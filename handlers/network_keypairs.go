package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/views/components"
	"imageconsole/views/pages"
)

// ListKeyPairs is the key pair list with the create and import forms.
// Right after a creation it shows the private key, this once (takeSecret);
// after a refusal, the refusal on the form that was posted (only the
// import form posts a public key).
func (h *Handler) ListKeyPairs(c echo.Context) error {
	var created *pages.NewKeyPairVM
	if s, ok := h.takeSecret(c, "keypair"); ok {
		created = &pages.NewKeyPairVM{ID: s.ID, Name: s.Name, PrivateKey: s.Secret}
	}
	return h.renderKeyPairs(c, created)
}

func (h *Handler) renderKeyPairs(c echo.Context, created *pages.NewKeyPairVM) error {
	list, total, err := h.store.KeyPairs(c.Request().Context(), actor(c), region(c), models.NetworkQuery{Limit: models.MaxDescribeLimit})
	if err != nil {
		return err
	}
	f := flash(c)
	vm := pages.KeyPairsPageVM{Shell: shell(c, t(c, "network.kps.title"), "keypairs"), New: created,
		Max: models.MaxKeyPairs, Full: total >= models.MaxKeyPairs,
		Name: components.FieldVM{Name: "name", Label: t(c, "network.field.name"), Type: "text", Required: true, MaxLength: 25,
			Hint: t(c, "network.kp.name.hint")},
		ImportName: components.FieldVM{Name: "name", Label: t(c, "network.field.name"), Type: "text", Required: true, MaxLength: 25},
		PublicKey: components.FieldVM{Name: "public_key", Label: t(c, "network.field.publicKey"), Type: "text", Required: true,
			Hint: t(c, "network.kp.publicKey.hint")}}
	if _, imported := f.Form["public_key"]; imported {
		vm.ImportName.Value, vm.PublicKey.Value = f.Value("name"), f.Value("public_key")
		vm.Alert, vm.AlertCode = f.Refused.Place(&vm.ImportName, &vm.PublicKey)
	} else {
		vm.Name.Value = f.Value("name")
		vm.Alert, vm.AlertCode = f.Refused.Place(&vm.Name)
	}
	for _, k := range list {
		row := pages.KeyPairRowVM{ID: k.ID, Name: k.Name, Instances: len(k.AssociatedInstanceIDs), Href: inRegion(c, "/network/keypairs/"+k.ID)}
		row.Created, row.CreatedExact = agoOf(c, k.CreatedAt, h.now())
		vm.Keys = append(vm.Keys, row)
	}
	// A page that may carry a private key must not be kept by any cache.
	c.Response().Header().Set("Cache-Control", "no-store")
	return Render(c, http.StatusOK, pages.KeyPairsPage(vm))
}

// CreateKeyPair generates a key pair and goes back to the list, which
// shows its private key this once (keepSecretOnce): a reload does not
// create a second pair, and the key is never in a URL.
func (h *Handler) CreateKeyPair(c echo.Context) error {
	kp, priv, err := h.store.CreateKeyPair(c.Request().Context(), actor(c), region(c), models.KeyPairInput{Name: c.FormValue("name")})
	if err != nil {
		return h.refuseNet(c, inRegion(c, "/network/keypairs"), err, "")
	}
	if !h.keepSecretOnce(c, onceSecret{Kind: "keypair", ID: kp.ID, Name: kp.Name, Secret: priv}) {
		// The key could not be handed on: show it in this answer, the
		// only other place it can be seen once.
		return h.renderKeyPairs(c, &pages.NewKeyPairVM{ID: kp.ID, Name: kp.Name, PrivateKey: priv})
	}
	return h.notifyAndRedirect(c, inRegion(c, "/network/keypairs"), "network.kp.created", "ID", kp.ID)
}

// ImportKeyPair keeps a public key the user has.
func (h *Handler) ImportKeyPair(c echo.Context) error {
	kp, err := h.store.ImportKeyPair(c.Request().Context(), actor(c), region(c), models.KeyPairInput{Name: c.FormValue("name"), PublicKey: c.FormValue("public_key")})
	if err != nil {
		return h.refuseNet(c, inRegion(c, "/network/keypairs"), err, "")
	}
	return h.notifyAndRedirect(c, inRegion(c, "/network/keypairs"), "network.kp.imported", "ID", kp.ID)
}

// ShowKeyPair is one key pair: its public key and the instances using it.
func (h *Handler) ShowKeyPair(c echo.Context) error {
	id := c.Param("id")
	kp, err := h.store.KeyPair(c.Request().Context(), actor(c), region(c), id)
	if notFoundCode(err) {
		return h.openIn(c, id, "/network/keypairs/"+id, err)
	}
	if err != nil {
		return err
	}
	vm := pages.KeyPairPageVM{Shell: shell(c, kp.Name, "keypairs"), ID: kp.ID, Name: kp.Name, PublicKey: kp.PublicKey,
		Instances: kp.AssociatedInstanceIDs, ListHref: inRegion(c, "/network/keypairs"), Region: region(c)}
	switchRegionTo(&vm.Shell, "/network/keypairs")
	vm.Created, vm.CreatedExact = agoOf(c, kp.CreatedAt, h.now())
	vm.Alert, vm.AlertCode = flash(c).Refused.Place()
	return Render(c, http.StatusOK, pages.KeyPairPage(vm))
}

// DeleteKeyPair deletes the key pair of the page; one in use is refused.
func (h *Handler) DeleteKeyPair(c echo.Context) error {
	id := c.Param("id")
	if err := h.store.DeleteKeyPairs(c.Request().Context(), actor(c), region(c), []string{id}); err != nil {
		return h.refuseNet(c, inRegion(c, "/network/keypairs/"+id), err, id)
	}
	return h.notifyAndRedirect(c, inRegion(c, "/network/keypairs"), "network.kp.deleted", "ID", id)
}
