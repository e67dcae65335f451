package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
	"imageconsole/views/components"
	"imageconsole/views/pages"
)

func options(values ...string) []components.Option {
	out := make([]components.Option, len(values))
	for i, v := range values {
		out[i] = components.Option{Value: v, Label: v}
	}
	return out
}

// ShowSecurityGroup is one group with its policies in order and the policy
// form; a refused policy or deletion comes back here with what was typed.
func (h *Handler) ShowSecurityGroup(c echo.Context) error {
	id := c.Param("id")
	g, set, err := h.store.SecurityGroupPolicies(c.Request().Context(), actor(c), region(c), id)
	if notFoundCode(err) {
		return h.openIn(c, id, "/network/security-groups/"+id, err)
	}
	if err != nil {
		return err
	}
	f := flash(c)
	p := models.PolicyInput{Protocol: f.Value("protocol"), Port: f.Value("port"), CidrBlock: f.Value("cidr_block"),
		Action: f.Value("action"), Description: f.Value("description")}
	if p.Protocol == "" {
		p.Protocol, p.Action = "TCP", models.PolicyAccept
	}
	dir := f.Value("direction")
	if dir != models.DirectionEgress {
		dir = models.DirectionIngress
	}
	vm := pages.SecurityGroupPageVM{Shell: shell(c, g.Name, "security-groups"), Group: h.groupRow(c, *g),
		ListHref:    inRegion(c, "/network/security-groups"),
		Direction:   components.FieldVM{Name: "direction", Label: t(c, "network.field.direction"), Value: dir},
		Protocol:    components.FieldVM{Name: "protocol", Label: t(c, "network.col.protocol"), Value: p.Protocol},
		Action:      components.FieldVM{Name: "action", Label: t(c, "network.col.action"), Value: p.Action},
		Port:        components.FieldVM{Name: "port", Label: t(c, "network.col.port"), Type: "text", Value: p.Port, Hint: t(c, "network.field.port.hint")},
		CIDR:        components.FieldVM{Name: "cidr_block", Label: t(c, "network.field.cidr"), Type: "text", Value: p.CidrBlock, Required: true, Hint: t(c, "network.field.cidr.any")},
		Description: components.FieldVM{Name: "description", Label: t(c, "network.field.description"), Type: "text", Value: p.Description, MaxLength: 100},
		Directions: []components.Option{{Value: models.DirectionIngress, Label: t(c, "network.direction.in")},
			{Value: models.DirectionEgress, Label: t(c, "network.direction.out")}},
		Protocols: options("TCP", "UDP", "ICMP", "ICMPV6", "GRE", "ALL"),
		Actions: []components.Option{{Value: models.PolicyAccept, Label: t(c, "network.action.accept")},
			{Value: models.PolicyDrop, Label: t(c, "network.action.drop")}}}
	switchRegionTo(&vm.Shell, "/network/security-groups")
	vm.Alert, vm.AlertCode = f.Refused.Place(&vm.Direction, &vm.Protocol, &vm.Port, &vm.CIDR, &vm.Action, &vm.Description)
	rows := func(ps []models.SecurityGroupPolicy) []pages.PolicyRowVM {
		out := make([]pages.PolicyRowVM, len(ps))
		for i, p := range ps {
			action := t(c, "network.action.accept")
			if p.Action == models.PolicyDrop {
				action = t(c, "network.action.drop")
			}
			out[i] = pages.PolicyRowVM{Index: p.PolicyIndex, Protocol: p.Protocol, Port: p.Port, CIDR: p.CidrBlock, Action: action, Description: p.Description}
		}
		return out
	}
	vm.Ingress, vm.Egress = rows(set.Ingress), rows(set.Egress)
	return Render(c, http.StatusOK, pages.SecurityGroupPage(vm))
}
