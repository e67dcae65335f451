package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/views/components"
	"imageconsole/views/pages"
)

// The network pages: VPCs with their subnets, security groups with their
// policies, SSH key pairs (network_keypairs.go). Each is a list with a
// create form and a detail page; the rules are the store's (NetworkStore).
// Every form ends the Post/Redirect/Get way: a success goes to the page of
// what it made (or the list) with a notice, a refusal back to the form's
// page with the message by the field (refuseTo). Every URL names its
// region, and a detail page opens from any selected region (openIn).

// inRegion is path in the region in view.
func inRegion(c echo.Context, path string) string { return path + "?region=" + region(c) }

// openIn answers a detail page whose record is not in the region in view
// (err, from the store's read, says not found): when the account holds it
// in another region, the browser goes to the same page in that region, so
// a link opens whatever region the reader had selected. Otherwise the
// not-found stands.
func (h *Handler) openIn(c echo.Context, id, path string, err error) error {
	r, lerr := h.store.NetworkRegion(c.Request().Context(), actor(c), id)
	if lerr != nil || r == region(c) {
		return models.E(models.CodeResourceNotFound, "err.network.resource_not_found", "ID", id)
	}
	return c.Redirect(http.StatusSeeOther, path+"?region="+r)
}

// refuseNet is refuseTo for the network forms, except that when the
// record of the page (id: the VPC, group or key pair in the URL; "" for a
// list) is missing or another account's, the answer is the not-found page
// at once, as for any page about something the reader cannot see, rather
// than a redirect to such a page. Only refusals pay for the extra read.
func (h *Handler) refuseNet(c echo.Context, to string, err error, id string) error {
	if statusOf(models.ErrorCode(err)) == http.StatusNotFound {
		return err
	}
	if id != "" {
		if r, lerr := h.store.NetworkRegion(c.Request().Context(), actor(c), id); lerr != nil || r != region(c) {
			return models.E(models.CodeResourceNotFound, "err.network.resource_not_found", "ID", id)
		}
	}
	return h.refuseTo(c, to, err, nil)
}

// notFoundCode reports whether err says the record of a detail page is
// missing or malformed (the store's codes differ by kind).
func notFoundCode(err error) bool {
	switch models.ErrorCode(err) {
	case models.CodeMalformed, models.CodeResourceNotFound, models.CodeSecurityGroupMalformed, models.CodeSecurityGroupNotFound,
		models.CodeKeyPairMalformed, models.CodeKeyPairNotFound:
		return true
	}
	return false
}

func vpcFields(c echo.Context, name, cidr string) (components.FieldVM, components.FieldVM) {
	return components.FieldVM{Name: "name", Label: t(c, "network.field.name"), Type: "text", Value: name, Required: true, MaxLength: 60},
		components.FieldVM{Name: "cidr_block", Label: t(c, "network.field.cidr"), Type: "text", Value: cidr, Required: true,
			Hint: t(c, "network.vpc.cidr.hint")}
}

// ListVPCs is the VPC list with the create form; a refused create comes
// back here with what was typed.
func (h *Handler) ListVPCs(c echo.Context) error {
	list, total, err := h.store.VPCs(c.Request().Context(), actor(c), region(c), models.NetworkQuery{Limit: models.MaxDescribeLimit})
	if err != nil {
		return err
	}
	f := flash(c)
	vm := pages.VPCsPageVM{Shell: shell(c, t(c, "network.vpcs.title"), "vpcs"), Max: models.MaxVPCs, Full: total >= models.MaxVPCs}
	vm.Name, vm.CIDR = vpcFields(c, f.Value("name"), f.Value("cidr_block"))
	vm.Alert, vm.AlertCode = f.Refused.Place(&vm.Name, &vm.CIDR)
	for _, v := range list {
		vm.VPCs = append(vm.VPCs, h.vpcRow(c, v))
	}
	return Render(c, http.StatusOK, pages.VPCsPage(vm))
}

// CreateVPC creates a VPC and opens it.
func (h *Handler) CreateVPC(c echo.Context) error {
	v, err := h.store.CreateVPC(c.Request().Context(), actor(c), region(c), models.VPCInput{Name: c.FormValue("name"), CIDR: c.FormValue("cidr_block")})
	if err != nil {
		return h.refuseNet(c, inRegion(c, "/network/vpcs"), err, "")
	}
	return h.notifyAndRedirect(c, inRegion(c, "/network/vpcs/"+v.ID), "network.vpc.created", "ID", v.ID)
}

func (h *Handler) vpcRow(c echo.Context, v models.VPC) pages.VPCRowVM {
	row := pages.VPCRowVM{ID: v.ID, Name: v.Name, CIDR: v.CIDR, Href: inRegion(c, "/network/vpcs/"+v.ID)}
	row.Created, row.CreatedExact = agoOf(c, v.CreatedAt, h.now())
	return row
}

// ShowVPC is one VPC with its subnets and the subnet form; a refused
// subnet, or a refused deletion, comes back here.
func (h *Handler) ShowVPC(c echo.Context) error {
	id := c.Param("id")
	v, subnets, err := h.store.VPC(c.Request().Context(), actor(c), region(c), id)
	if notFoundCode(err) {
		return h.openIn(c, id, "/network/vpcs/"+id, err)
	}
	if err != nil {
		return err
	}
	f := flash(c)
	vm := pages.VPCPageVM{Shell: shell(c, v.Name, "vpcs"), VPC: h.vpcRow(c, *v), ListHref: inRegion(c, "/network/vpcs")}
	switchRegionTo(&vm.Shell, "/network/vpcs")
	vm.Name, vm.CIDR = vpcFields(c, f.Value("name"), f.Value("cidr_block"))
	vm.Zone = components.FieldVM{Name: "zone", Label: t(c, "network.field.zone"), Value: f.Value("zone")}
	r, _ := models.LookupRegion(region(c))
	for _, z := range r.Zones {
		vm.Zones = append(vm.Zones, components.Option{Value: z, Label: z})
	}
	vm.Alert, vm.AlertCode = f.Refused.Place(&vm.Name, &vm.CIDR, &vm.Zone)
	for _, s := range subnets {
		row := pages.SubnetRowVM{ID: s.ID, Name: s.Name, CIDR: s.CIDR, Zone: s.Zone}
		row.Created, row.CreatedExact = agoOf(c, s.CreatedAt, h.now())
		vm.Subnets = append(vm.Subnets, row)
	}
	return Render(c, http.StatusOK, pages.VPCPage(vm))
}

// CreateSubnet adds a subnet to the VPC of the page.
func (h *Handler) CreateSubnet(c echo.Context) error {
	in := models.SubnetInput{VpcID: c.Param("id"), Name: c.FormValue("name"), CIDR: c.FormValue("cidr_block"), Zone: c.FormValue("zone")}
	page := inRegion(c, "/network/vpcs/"+in.VpcID)
	s, err := h.store.CreateSubnet(c.Request().Context(), actor(c), region(c), in)
	if err != nil {
		return h.refuseNet(c, page, err, in.VpcID)
	}
	return h.notifyAndRedirect(c, page, "network.subnet.created", "ID", s.ID)
}

// DeleteVPC deletes the VPC of the page; one with subnets is refused there.
func (h *Handler) DeleteVPC(c echo.Context) error {
	id := c.Param("id")
	if err := h.store.DeleteVPC(c.Request().Context(), actor(c), region(c), id); err != nil {
		return h.refuseNet(c, inRegion(c, "/network/vpcs/"+id), err, id)
	}
	return h.notifyAndRedirect(c, inRegion(c, "/network/vpcs"), "network.vpc.deleted", "ID", id)
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
		return models.E(models.CodeResourceNotFound, "err.network.subnet_not_found", "ID", id)
	}
	page := inRegion(c, "/network/vpcs/"+list[0].VpcID)
	if err := h.store.DeleteSubnet(ctx, actor(c), region(c), id); err != nil {
		return h.refuseNet(c, page, err, list[0].VpcID)
	}
	return h.notifyAndRedirect(c, page, "network.subnet.deleted", "ID", id)
}

// ListSecurityGroups is the security group list with the create form.
func (h *Handler) ListSecurityGroups(c echo.Context) error {
	list, total, err := h.store.SecurityGroups(c.Request().Context(), actor(c), region(c), models.NetworkQuery{Limit: models.MaxDescribeLimit})
	if err != nil {
		return err
	}
	f := flash(c)
	vm := pages.SecurityGroupsPageVM{Shell: shell(c, t(c, "network.sgs.title"), "security-groups"),
		Max: models.MaxSecurityGroups, Full: total >= models.MaxSecurityGroups,
		Name: components.FieldVM{Name: "name", Label: t(c, "network.field.name"), Type: "text", Value: f.Value("name"), Required: true, MaxLength: 60},
		Description: components.FieldVM{Name: "description", Label: t(c, "network.field.description"), Type: "text", Value: f.Value("description"),
			MaxLength: 100}}
	vm.Alert, vm.AlertCode = f.Refused.Place(&vm.Name, &vm.Description)
	for _, g := range list {
		vm.Groups = append(vm.Groups, h.groupRow(c, g))
	}
	return Render(c, http.StatusOK, pages.SecurityGroupsPage(vm))
}

// CreateSecurityGroup creates a group and opens it.
func (h *Handler) CreateSecurityGroup(c echo.Context) error {
	in := models.SecurityGroupInput{Name: c.FormValue("name"), Description: c.FormValue("description")}
	g, err := h.store.CreateSecurityGroup(c.Request().Context(), actor(c), region(c), in)
	if err != nil {
		return h.refuseNet(c, inRegion(c, "/network/security-groups"), err, "")
	}
	return h.notifyAndRedirect(c, inRegion(c, "/network/security-groups/"+g.ID), "network.sg.created", "ID", g.ID)
}

func (h *Handler) groupRow(c echo.Context, g models.SecurityGroup) pages.SecurityGroupRowVM {
	row := pages.SecurityGroupRowVM{ID: g.ID, Name: g.Name, Description: g.Description, Href: inRegion(c, "/network/security-groups/"+g.ID)}
	row.Created, row.CreatedExact = agoOf(c, g.CreatedAt, h.now())
	return row
}

// AddSecurityGroupPolicy appends a policy in the chosen direction.
func (h *Handler) AddSecurityGroupPolicy(c echo.Context) error {
	id := c.Param("id")
	p := models.PolicyInput{Protocol: c.FormValue("protocol"), Port: c.FormValue("port"), CidrBlock: c.FormValue("cidr_block"),
		Action: c.FormValue("action"), Description: c.FormValue("description")}
	var ingress, egress []models.PolicyInput
	if c.FormValue("direction") == models.DirectionEgress {
		egress = []models.PolicyInput{p}
	} else {
		ingress = []models.PolicyInput{p}
	}
	page := inRegion(c, "/network/security-groups/"+id)
	if err := h.store.CreateSecurityGroupPolicies(c.Request().Context(), actor(c), region(c), id, ingress, egress); err != nil {
		return h.refuseNet(c, page, err, id)
	}
	return h.notifyAndRedirect(c, page, "network.policy.added")
}

// DeleteSecurityGroup deletes the group of the page; one in use is refused.
func (h *Handler) DeleteSecurityGroup(c echo.Context) error {
	id := c.Param("id")
	if err := h.store.DeleteSecurityGroup(c.Request().Context(), actor(c), region(c), id); err != nil {
		return h.refuseNet(c, inRegion(c, "/network/security-groups/"+id), err, id)
	}
	return h.notifyAndRedirect(c, inRegion(c, "/network/security-groups"), "network.sg.deleted", "ID", id)
}
