package handlers

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/views/components"
	"imageconsole/views/pages"
)

// The network pages: VPCs with their subnets, security groups with their
// policies, SSH key pairs. Each is a list with a create form and a detail
// page; the rules are the store's (NetworkStore).

// networkRefusal re-renders a page with the refusal next to its field, or
// as the page's alert; a refusal about the object the page is on (not
// found, not the caller's) is the error page.
func networkRefusal(err error, render func(status int, fe components.FormError) error) error {
	if status := statusOf(models.ErrorCode(err)); status < 500 && status != http.StatusNotFound {
		return render(status, formError(err))
	}
	return err
}

func vpcFields(name, cidr string) (components.FieldVM, components.FieldVM) {
	return components.FieldVM{Name: "name", Label: "Name", Type: "text", Value: name, Required: true, MaxLength: 60},
		components.FieldVM{Name: "cidr_block", Label: "CIDR block", Type: "text", Value: cidr, Required: true, Hint: "For example 10.0.0.0/16"}
}

// ListVPCs is the VPC list.
func (h *Handler) ListVPCs(c echo.Context) error {
	return h.renderVPCs(c, http.StatusOK, "", "", components.FormError{})
}

// CreateVPC creates a VPC and opens it.
func (h *Handler) CreateVPC(c echo.Context) error {
	name, cidr := c.FormValue("name"), c.FormValue("cidr_block")
	v, err := h.store.CreateVPC(c.Request().Context(), actor(c), region(c), models.VPCInput{Name: name, CIDR: cidr})
	if err != nil {
		return networkRefusal(err, func(status int, fe components.FormError) error { return h.renderVPCs(c, status, name, cidr, fe) })
	}
	return redirect(c, "/network/vpcs/"+v.ID+"?flash="+url.QueryEscape("VPC "+v.ID+" created."))
}

func (h *Handler) renderVPCs(c echo.Context, status int, name, cidr string, fe components.FormError) error {
	list, _, err := h.store.VPCs(c.Request().Context(), actor(c), region(c), models.NetworkQuery{Limit: models.MaxDescribeLimit})
	if err != nil {
		return err
	}
	vm := pages.VPCsPageVM{Shell: shell(c, "VPCs", "vpcs")}
	vm.Name, vm.CIDR = vpcFields(name, cidr)
	vm.Alert, vm.AlertCode = fe.Place(&vm.Name, &vm.CIDR)
	for _, v := range list {
		vm.VPCs = append(vm.VPCs, h.vpcRow(v))
	}
	return Render(c, status, pages.VPCsPage(vm))
}

func (h *Handler) vpcRow(v models.VPC) pages.VPCRowVM {
	row := pages.VPCRowVM{ID: v.ID, Name: v.Name, CIDR: v.CIDR}
	row.Created, row.CreatedExact = ago(v.CreatedAt, h.now())
	return row
}

// ShowVPC is one VPC with its subnets.
func (h *Handler) ShowVPC(c echo.Context) error {
	return h.renderVPC(c, http.StatusOK, c.Param("id"), models.SubnetInput{}, components.FormError{})
}

// CreateSubnet adds a subnet to the VPC of the page.
func (h *Handler) CreateSubnet(c echo.Context) error {
	in := models.SubnetInput{VpcID: c.Param("id"), Name: c.FormValue("name"), CIDR: c.FormValue("cidr_block"), Zone: c.FormValue("zone")}
	s, err := h.store.CreateSubnet(c.Request().Context(), actor(c), region(c), in)
	if err != nil {
		return networkRefusal(err, func(status int, fe components.FormError) error { return h.renderVPC(c, status, in.VpcID, in, fe) })
	}
	return redirect(c, "/network/vpcs/"+in.VpcID+"?flash="+url.QueryEscape("Subnet "+s.ID+" created."))
}

// DeleteVPC deletes the VPC of the page; one with subnets is refused there.
func (h *Handler) DeleteVPC(c echo.Context) error {
	id := c.Param("id")
	if err := h.store.DeleteVPC(c.Request().Context(), actor(c), region(c), id); err != nil {
		return networkRefusal(err, func(status int, fe components.FormError) error {
			return h.renderVPC(c, status, id, models.SubnetInput{}, fe)
		})
	}
	return redirect(c, "/network/vpcs?flash="+url.QueryEscape("VPC "+id+" deleted."))
}

// DeleteSubnet deletes a subnet and returns to its VPC; one in use is
// refused there.
func (h *Handler) DeleteSubnet(c echo.Context) error {
	id := c.Param("id")
	ctx := c.Request().Context()
	list, _, err := h.store.Subnets(ctx, actor(c), region(c), models.NetworkQuery{IDs: []string{id}})
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return models.Errorf(models.CodeResourceNotFound, "Subnet %s does not exist.", id)
	}
	vpcID := list[0].VpcID
	if err := h.store.DeleteSubnet(ctx, actor(c), region(c), id); err != nil {
		return networkRefusal(err, func(status int, fe components.FormError) error {
			return h.renderVPC(c, status, vpcID, models.SubnetInput{}, fe)
		})
	}
	return redirect(c, "/network/vpcs/"+vpcID+"?flash="+url.QueryEscape("Subnet "+id+" deleted."))
}

func (h *Handler) renderVPC(c echo.Context, status int, id string, in models.SubnetInput, fe components.FormError) error {
	v, subnets, err := h.store.VPC(c.Request().Context(), actor(c), region(c), id)
	if err != nil {
		if models.ErrorCode(err) == models.CodeMalformed {
			return models.Errorf(models.CodeResourceNotFound, "VPC %s does not exist.", id)
		}
		return err
	}
	vm := pages.VPCPageVM{Shell: shell(c, v.Name, "vpcs"), VPC: h.vpcRow(*v)}
	switchRegionTo(&vm.Shell, "/network/vpcs")
	vm.Name, vm.CIDR = vpcFields(in.Name, in.CIDR)
	vm.Zone = components.FieldVM{Name: "zone", Label: "Zone", Value: in.Zone}
	r, _ := models.LookupRegion(region(c))
	for _, z := range r.Zones {
		vm.Zones = append(vm.Zones, components.Option{Value: z, Label: z})
	}
	vm.Alert, vm.AlertCode = fe.Place(&vm.Name, &vm.CIDR, &vm.Zone)
	for _, s := range subnets {
		row := pages.SubnetRowVM{ID: s.ID, Name: s.Name, CIDR: s.CIDR, Zone: s.Zone}
		row.Created, row.CreatedExact = ago(s.CreatedAt, h.now())
		vm.Subnets = append(vm.Subnets, row)
	}
	return Render(c, status, pages.VPCPage(vm))
}

// ListSecurityGroups is the security group list.
func (h *Handler) ListSecurityGroups(c echo.Context) error {
	return h.renderSecurityGroups(c, http.StatusOK, models.SecurityGroupInput{}, components.FormError{})
}

// CreateSecurityGroup creates a group and opens it.
func (h *Handler) CreateSecurityGroup(c echo.Context) error {
	in := models.SecurityGroupInput{Name: c.FormValue("name"), Description: c.FormValue("description")}
	g, err := h.store.CreateSecurityGroup(c.Request().Context(), actor(c), region(c), in)
	if err != nil {
		return networkRefusal(err, func(status int, fe components.FormError) error { return h.renderSecurityGroups(c, status, in, fe) })
	}
	return redirect(c, "/network/security-groups/"+g.ID+"?flash="+url.QueryEscape("Security group "+g.ID+" created."))
}

func (h *Handler) renderSecurityGroups(c echo.Context, status int, in models.SecurityGroupInput, fe components.FormError) error {
	list, _, err := h.store.SecurityGroups(c.Request().Context(), actor(c), region(c), models.NetworkQuery{Limit: models.MaxDescribeLimit})
	if err != nil {
		return err
	}
	vm := pages.SecurityGroupsPageVM{Shell: shell(c, "Security groups", "security-groups"),
		Name:        components.FieldVM{Name: "name", Label: "Name", Type: "text", Value: in.Name, Required: true, MaxLength: 60},
		Description: components.FieldVM{Name: "description", Label: "Description", Type: "text", Value: in.Description, MaxLength: 100}}
	vm.Alert, vm.AlertCode = fe.Place(&vm.Name, &vm.Description)
	for _, g := range list {
		vm.Groups = append(vm.Groups, h.groupRow(g))
	}
	return Render(c, status, pages.SecurityGroupsPage(vm))
}

func (h *Handler) groupRow(g models.SecurityGroup) pages.SecurityGroupRowVM {
	row := pages.SecurityGroupRowVM{ID: g.ID, Name: g.Name, Description: g.Description}
	row.Created, row.CreatedExact = ago(g.CreatedAt, h.now())
	return row
}

// ShowSecurityGroup is one group with its policies.
func (h *Handler) ShowSecurityGroup(c echo.Context) error {
	return h.renderSecurityGroup(c, http.StatusOK, c.Param("id"), models.DirectionIngress, models.PolicyInput{}, components.FormError{})
}

// AddSecurityGroupPolicy appends a policy in the chosen direction.
func (h *Handler) AddSecurityGroupPolicy(c echo.Context) error {
	id, dir := c.Param("id"), c.FormValue("direction")
	p := models.PolicyInput{Protocol: c.FormValue("protocol"), Port: c.FormValue("port"), CidrBlock: c.FormValue("cidr_block"),
		Action: c.FormValue("action"), Description: c.FormValue("description")}
	var ingress, egress []models.PolicyInput
	if dir == models.DirectionEgress {
		egress = []models.PolicyInput{p}
	} else {
		dir, ingress = models.DirectionIngress, []models.PolicyInput{p}
	}
	if err := h.store.CreateSecurityGroupPolicies(c.Request().Context(), actor(c), region(c), id, ingress, egress); err != nil {
		return networkRefusal(err, func(status int, fe components.FormError) error {
			return h.renderSecurityGroup(c, status, id, dir, p, fe)
		})
	}
	return redirect(c, "/network/security-groups/"+id+"?flash="+url.QueryEscape("Policy added."))
}

// DeleteSecurityGroup deletes the group of the page; one in use is refused.
func (h *Handler) DeleteSecurityGroup(c echo.Context) error {
	id := c.Param("id")
	if err := h.store.DeleteSecurityGroup(c.Request().Context(), actor(c), region(c), id); err != nil {
		return networkRefusal(err, func(status int, fe components.FormError) error {
			return h.renderSecurityGroup(c, status, id, models.DirectionIngress, models.PolicyInput{}, fe)
		})
	}
	return redirect(c, "/network/security-groups?flash="+url.QueryEscape("Security group "+id+" deleted."))
}

func options(values ...string) []components.Option {
	out := make([]components.Option, len(values))
	for i, v := range values {
		out[i] = components.Option{Value: v, Label: v}
	}
	return out
}

func (h *Handler) renderSecurityGroup(c echo.Context, status int, id, dir string, p models.PolicyInput, fe components.FormError) error {
	g, set, err := h.store.SecurityGroupPolicies(c.Request().Context(), actor(c), region(c), id)
	if err != nil {
		if models.ErrorCode(err) == models.CodeSecurityGroupMalformed || models.ErrorCode(err) == models.CodeSecurityGroupNotFound {
			return models.Errorf(models.CodeResourceNotFound, "Security group %s does not exist.", id)
		}
		return err
	}
	if p.Protocol == "" {
		p.Protocol, p.Action = "TCP", models.PolicyAccept
	}
	vm := pages.SecurityGroupPageVM{Shell: shell(c, g.Name, "security-groups"), Group: h.groupRow(*g),
		Direction:   components.FieldVM{Name: "direction", Label: "Direction", Value: dir},
		Protocol:    components.FieldVM{Name: "protocol", Label: "Protocol", Value: p.Protocol},
		Action:      components.FieldVM{Name: "action", Label: "Action", Value: p.Action},
		Port:        components.FieldVM{Name: "port", Label: "Port", Type: "text", Value: p.Port, Hint: "22, 8000-8010, 80,443 or ALL"},
		CIDR:        components.FieldVM{Name: "cidr_block", Label: "CIDR block", Type: "text", Value: p.CidrBlock, Required: true, Hint: "0.0.0.0/0 for any address"},
		Description: components.FieldVM{Name: "description", Label: "Description", Type: "text", Value: p.Description, MaxLength: 100},
		Directions:  []components.Option{{Value: models.DirectionIngress, Label: "Inbound"}, {Value: models.DirectionEgress, Label: "Outbound"}},
		Protocols:   options("TCP", "UDP", "ICMP", "ICMPV6", "GRE", "ALL"),
		Actions:     options(models.PolicyAccept, models.PolicyDrop)}
	switchRegionTo(&vm.Shell, "/network/security-groups")
	vm.Alert, vm.AlertCode = fe.Place(&vm.Direction, &vm.Protocol, &vm.Port, &vm.CIDR, &vm.Action, &vm.Description)
	rows := func(ps []models.SecurityGroupPolicy) []pages.PolicyRowVM {
		out := make([]pages.PolicyRowVM, len(ps))
		for i, p := range ps {
			out[i] = pages.PolicyRowVM{Index: p.PolicyIndex, Protocol: p.Protocol, Port: p.Port, CIDR: p.CidrBlock, Action: p.Action, Description: p.Description}
		}
		return out
	}
	vm.Ingress, vm.Egress = rows(set.Ingress), rows(set.Egress)
	return Render(c, status, pages.SecurityGroupPage(vm))
}

// ListKeyPairs is the key pair list.
func (h *Handler) ListKeyPairs(c echo.Context) error {
	return h.renderKeyPairs(c, http.StatusOK, keyPairForm{}, nil, components.FormError{})
}

// keyPairForm is what the create or the import form posted.
type keyPairForm struct {
	imported        bool
	name, publicKey string
}

// CreateKeyPair generates a key pair and shows its private key, this once:
// the answer is the page itself, never a redirect, and is not cached.
func (h *Handler) CreateKeyPair(c echo.Context) error {
	form := keyPairForm{name: c.FormValue("name")}
	kp, priv, err := h.store.CreateKeyPair(c.Request().Context(), actor(c), region(c), models.KeyPairInput{Name: form.name})
	if err != nil {
		return networkRefusal(err, func(status int, fe components.FormError) error { return h.renderKeyPairs(c, status, form, nil, fe) })
	}
	return h.renderKeyPairs(c, http.StatusOK, keyPairForm{}, &pages.NewKeyPairVM{ID: kp.ID, Name: kp.Name, PrivateKey: priv}, components.FormError{})
}

// ImportKeyPair keeps a public key the user has.
func (h *Handler) ImportKeyPair(c echo.Context) error {
	form := keyPairForm{imported: true, name: c.FormValue("name"), publicKey: c.FormValue("public_key")}
	kp, err := h.store.ImportKeyPair(c.Request().Context(), actor(c), region(c), models.KeyPairInput{Name: form.name, PublicKey: form.publicKey})
	if err != nil {
		return networkRefusal(err, func(status int, fe components.FormError) error { return h.renderKeyPairs(c, status, form, nil, fe) })
	}
	return redirect(c, "/network/keypairs?flash="+url.QueryEscape("Key pair "+kp.ID+" imported."))
}

func (h *Handler) renderKeyPairs(c echo.Context, status int, form keyPairForm, created *pages.NewKeyPairVM, fe components.FormError) error {
	list, _, err := h.store.KeyPairs(c.Request().Context(), actor(c), region(c), models.NetworkQuery{Limit: models.MaxDescribeLimit})
	if err != nil {
		return err
	}
	vm := pages.KeyPairsPageVM{Shell: shell(c, "SSH key pairs", "keypairs"), New: created,
		Name:       components.FieldVM{Name: "name", Label: "Name", Type: "text", Required: true, MaxLength: 25, Hint: "Letters, digits and underscores"},
		ImportName: components.FieldVM{Name: "name", Label: "Name", Type: "text", Required: true, MaxLength: 25},
		PublicKey:  components.FieldVM{Name: "public_key", Label: "Public key", Type: "text", Required: true, Hint: "ssh-ed25519 AAAA… or ssh-rsa AAAA…"}}
	// The refusal goes to the form that was posted.
	if form.imported {
		vm.ImportName.Value, vm.PublicKey.Value = form.name, form.publicKey
		vm.Alert, vm.AlertCode = fe.Place(&vm.ImportName, &vm.PublicKey)
	} else {
		vm.Name.Value = form.name
		vm.Alert, vm.AlertCode = fe.Place(&vm.Name)
	}
	for _, k := range list {
		row := pages.KeyPairRowVM{ID: k.ID, Name: k.Name, Instances: len(k.AssociatedInstanceIDs)}
		row.Created, row.CreatedExact = ago(k.CreatedAt, h.now())
		vm.Keys = append(vm.Keys, row)
	}
	// A page that may carry a private key must not be kept by any cache.
	c.Response().Header().Set("Cache-Control", "no-store")
	return Render(c, status, pages.KeyPairsPage(vm))
}

// ShowKeyPair is one key pair.
func (h *Handler) ShowKeyPair(c echo.Context) error {
	return h.renderKeyPair(c, http.StatusOK, c.Param("id"), components.FormError{})
}

// DeleteKeyPair deletes the key pair of the page; one in use is refused.
func (h *Handler) DeleteKeyPair(c echo.Context) error {
	id := c.Param("id")
	if err := h.store.DeleteKeyPairs(c.Request().Context(), actor(c), region(c), []string{id}); err != nil {
		return networkRefusal(err, func(status int, fe components.FormError) error { return h.renderKeyPair(c, status, id, fe) })
	}
	return redirect(c, "/network/keypairs?flash="+url.QueryEscape("Key pair "+id+" deleted."))
}

func (h *Handler) renderKeyPair(c echo.Context, status int, id string, fe components.FormError) error {
	kp, err := h.store.KeyPair(c.Request().Context(), actor(c), region(c), id)
	if err != nil {
		if models.ErrorCode(err) == models.CodeKeyPairMalformed || models.ErrorCode(err) == models.CodeKeyPairNotFound {
			return models.Errorf(models.CodeResourceNotFound, "Key pair %s does not exist.", id)
		}
		return err
	}
	vm := pages.KeyPairPageVM{Shell: shell(c, kp.Name, "keypairs"), ID: kp.ID, Name: kp.Name, PublicKey: kp.PublicKey,
		Instances: kp.AssociatedInstanceIDs}
	switchRegionTo(&vm.Shell, "/network/keypairs")
	vm.Created, vm.CreatedExact = ago(kp.CreatedAt, h.now())
	vm.Alert, vm.AlertCode = fe.Place()
	return Render(c, status, pages.KeyPairPage(vm))
}
