package api

import (
	"strconv"

	vpc "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/vpc/v20170312"

	"imageconsole/models"
)

// vpcActions are the VPC product's actions: same version, signed with the
// service vpc.
func (a *API) vpcActions() map[string]action {
	acts := map[string]action{
		"CreateVpc":                     handle(vpc.NewCreateVpcRequest, a.createVpc),
		"DescribeVpcs":                  handle(vpc.NewDescribeVpcsRequest, a.describeVpcs),
		"DeleteVpc":                     handle(vpc.NewDeleteVpcRequest, a.deleteVpc),
		"CreateSubnet":                  handle(vpc.NewCreateSubnetRequest, a.createSubnet),
		"DescribeSubnets":               handle(vpc.NewDescribeSubnetsRequest, a.describeSubnets),
		"DeleteSubnet":                  handle(vpc.NewDeleteSubnetRequest, a.deleteSubnet),
		"CreateSecurityGroup":           handle(vpc.NewCreateSecurityGroupRequest, a.createSecurityGroup),
		"DescribeSecurityGroups":        handle(vpc.NewDescribeSecurityGroupsRequest, a.describeSecurityGroups),
		"DeleteSecurityGroup":           handle(vpc.NewDeleteSecurityGroupRequest, a.deleteSecurityGroup),
		"CreateSecurityGroupPolicies":   handle(vpc.NewCreateSecurityGroupPoliciesRequest, a.createSecurityGroupPolicies),
		"DescribeSecurityGroupPolicies": handle(vpc.NewDescribeSecurityGroupPoliciesRequest, a.describeSecurityGroupPolicies),
	}
	for name, act := range acts {
		acts[name] = act.inVPC()
	}
	return acts
}

// vpcQuery reads a VPC Describe request: its Offset and Limit are strings.
func vpcQuery(ids []*string, fs []*vpc.Filter, offset, limit *string) (models.NetworkQuery, error) {
	q := models.NetworkQuery{IDs: strs(ids)}
	for _, f := range fs {
		if f != nil {
			q.Filters = append(q.Filters, models.Filter{Name: str(f.Name), Values: strs(f.Values)})
		}
	}
	for _, p := range []struct {
		name string
		in   *string
		out  *int
	}{{"Offset", offset, &q.Offset}, {"Limit", limit, &q.Limit}} {
		if p.in == nil || *p.in == "" {
			continue
		}
		n, err := strconv.Atoi(*p.in)
		if err != nil {
			return q, models.FieldE(p.name, models.CodeInvalidParameterValue, "err.network.whole_number", "Name", p.name)
		}
		*p.out = n
	}
	return q, nil
}

func vpcOut(v *models.VPC) *vpc.Vpc {
	return &vpc.Vpc{VpcId: ptr(v.ID), VpcName: ptr(v.Name), CidrBlock: ptr(v.CIDR), IsDefault: ptr(false),
		EnableMulticast: ptr(false), EnableDhcp: ptr(true), DnsServerSet: []*string{}, DomainName: ptr(""),
		Ipv6CidrBlock: ptr(""), CreatedTime: ptr(v.CreatedAt.UTC().Format(timeLayout)), TagSet: []*vpc.Tag{},
		AssistantCidrSet: []*vpc.AssistantCidr{}}
}

func subnetOut(s *models.Subnet) *vpc.Subnet {
	return &vpc.Subnet{VpcId: ptr(s.VpcID), SubnetId: ptr(s.ID), SubnetName: ptr(s.Name), CidrBlock: ptr(s.CIDR),
		Zone: ptr(s.Zone), IsDefault: ptr(false), EnableBroadcast: ptr(false), Ipv6CidrBlock: ptr(""),
		CreatedTime: ptr(s.CreatedAt.UTC().Format(timeLayout)), TagSet: []*vpc.Tag{}}
}

func securityGroupOut(g *models.SecurityGroup) *vpc.SecurityGroup {
	t := ptr(g.CreatedAt.UTC().Format(timeLayout))
	return &vpc.SecurityGroup{SecurityGroupId: ptr(g.ID), SecurityGroupName: ptr(g.Name), SecurityGroupDesc: ptr(g.Description),
		ProjectId: ptr("0"), IsDefault: ptr(false), CreatedTime: t, UpdateTime: t, TagSet: []*vpc.Tag{}}
}

func (a *API) createVpc(c *call, req *vpc.CreateVpcRequest) (*vpc.CreateVpcResponseParams, error) {
	v, err := a.store.CreateVPC(c.ctx, c.actor, c.region.ID, models.VPCInput{Name: str(req.VpcName), CIDR: str(req.CidrBlock)})
	if err != nil {
		return nil, err
	}
	return &vpc.CreateVpcResponseParams{Vpc: vpcOut(v)}, nil
}

func (a *API) describeVpcs(c *call, req *vpc.DescribeVpcsRequest) (*vpc.DescribeVpcsResponseParams, error) {
	q, err := vpcQuery(req.VpcIds, req.Filters, req.Offset, req.Limit)
	if err != nil {
		return nil, err
	}
	list, total, err := a.store.VPCs(c.ctx, c.actor, c.region.ID, q)
	if err != nil {
		return nil, err
	}
	set := make([]*vpc.Vpc, len(list))
	for i := range list {
		set[i] = vpcOut(&list[i])
	}
	return &vpc.DescribeVpcsResponseParams{TotalCount: ptr(uint64(total)), VpcSet: set}, nil
}

func (a *API) deleteVpc(c *call, req *vpc.DeleteVpcRequest) (*vpc.DeleteVpcResponseParams, error) {
	if err := a.store.DeleteVPC(c.ctx, c.actor, c.region.ID, str(req.VpcId)); err != nil {
		return nil, err
	}
	return &vpc.DeleteVpcResponseParams{}, nil
}

func (a *API) createSubnet(c *call, req *vpc.CreateSubnetRequest) (*vpc.CreateSubnetResponseParams, error) {
	s, err := a.store.CreateSubnet(c.ctx, c.actor, c.region.ID, models.SubnetInput{VpcID: str(req.VpcId),
		Name: str(req.SubnetName), CIDR: str(req.CidrBlock), Zone: str(req.Zone)})
	if err != nil {
		return nil, err
	}
	return &vpc.CreateSubnetResponseParams{Subnet: subnetOut(s)}, nil
}

func (a *API) describeSubnets(c *call, req *vpc.DescribeSubnetsRequest) (*vpc.DescribeSubnetsResponseParams, error) {
	q, err := vpcQuery(req.SubnetIds, req.Filters, req.Offset, req.Limit)
	if err != nil {
		return nil, err
	}
	list, total, err := a.store.Subnets(c.ctx, c.actor, c.region.ID, q)
	if err != nil {
		return nil, err
	}
	set := make([]*vpc.Subnet, len(list))
	for i := range list {
		set[i] = subnetOut(&list[i])
	}
	return &vpc.DescribeSubnetsResponseParams{TotalCount: ptr(uint64(total)), SubnetSet: set}, nil
}

func (a *API) deleteSubnet(c *call, req *vpc.DeleteSubnetRequest) (*vpc.DeleteSubnetResponseParams, error) {
	if err := a.store.DeleteSubnet(c.ctx, c.actor, c.region.ID, str(req.SubnetId)); err != nil {
		return nil, err
	}
	return &vpc.DeleteSubnetResponseParams{}, nil
}

func (a *API) createSecurityGroup(c *call, req *vpc.CreateSecurityGroupRequest) (*vpc.CreateSecurityGroupResponseParams, error) {
	g, err := a.store.CreateSecurityGroup(c.ctx, c.actor, c.region.ID, models.SecurityGroupInput{Name: str(req.GroupName),
		Description: str(req.GroupDescription)})
	if err != nil {
		return nil, err
	}
	return &vpc.CreateSecurityGroupResponseParams{SecurityGroup: securityGroupOut(g)}, nil
}

func (a *API) describeSecurityGroups(c *call, req *vpc.DescribeSecurityGroupsRequest) (*vpc.DescribeSecurityGroupsResponseParams, error) {
	q, err := vpcQuery(req.SecurityGroupIds, req.Filters, req.Offset, req.Limit)
	if err != nil {
		return nil, err
	}
	list, total, err := a.store.SecurityGroups(c.ctx, c.actor, c.region.ID, q)
	if err != nil {
		return nil, err
	}
	set := make([]*vpc.SecurityGroup, len(list))
	for i := range list {
		set[i] = securityGroupOut(&list[i])
	}
	return &vpc.DescribeSecurityGroupsResponseParams{TotalCount: ptr(uint64(total)), SecurityGroupSet: set}, nil
}

func (a *API) deleteSecurityGroup(c *call, req *vpc.DeleteSecurityGroupRequest) (*vpc.DeleteSecurityGroupResponseParams, error) {
	if err := a.store.DeleteSecurityGroup(c.ctx, c.actor, c.region.ID, str(req.SecurityGroupId)); err != nil {
		return nil, err
	}
	return &vpc.DeleteSecurityGroupResponseParams{}, nil
}

// policiesIn reads the SDK's policies; address and service templates and
// IPv6 blocks are not served.
func policiesIn(ps []*vpc.SecurityGroupPolicy) ([]models.PolicyInput, error) {
	out := make([]models.PolicyInput, 0, len(ps))
	for _, p := range ps {
		if p == nil {
			continue
		}
		if p.ServiceTemplate != nil || p.AddressTemplate != nil || str(p.Ipv6CidrBlock) != "" {
			return nil, models.FieldE("SecurityGroupPolicySet", models.CodeUnsupportedOperation, "err.network.policy_templates")
		}
		in := models.PolicyInput{Protocol: str(p.Protocol), Port: str(p.Port), CidrBlock: str(p.CidrBlock),
			Action: str(p.Action), Description: str(p.PolicyDescription)}
		if p.PolicyIndex != nil {
			in.PolicyIndex = ptr(int(*p.PolicyIndex))
		}
		out = append(out, in)
	}
	return out, nil
}

func (a *API) createSecurityGroupPolicies(c *call, req *vpc.CreateSecurityGroupPoliciesRequest) (*vpc.CreateSecurityGroupPoliciesResponseParams, error) {
	set := req.SecurityGroupPolicySet
	if set == nil {
		return nil, models.FieldE("SecurityGroupPolicySet", models.CodeMissingParameter, "err.network.policy_set_missing")
	}
	ingress, err := policiesIn(set.Ingress)
	if err != nil {
		return nil, err
	}
	egress, err := policiesIn(set.Egress)
	if err != nil {
		return nil, err
	}
	if err := a.store.CreateSecurityGroupPolicies(c.ctx, c.actor, c.region.ID, str(req.SecurityGroupId), ingress, egress); err != nil {
		return nil, err
	}
	return &vpc.CreateSecurityGroupPoliciesResponseParams{}, nil
}

func policiesOut(groupID string, ps []models.SecurityGroupPolicy) []*vpc.SecurityGroupPolicy {
	out := make([]*vpc.SecurityGroupPolicy, len(ps))
	for i, p := range ps {
		out[i] = &vpc.SecurityGroupPolicy{PolicyIndex: ptr(int64(p.PolicyIndex)), Protocol: ptr(p.Protocol), Port: ptr(p.Port),
			CidrBlock: ptr(p.CidrBlock), Ipv6CidrBlock: ptr(""), SecurityGroupId: ptr(groupID), Action: ptr(p.Action),
			PolicyDescription: ptr(p.Description), ModifyTime: ptr(p.CreatedAt.UTC().Format(timeLayout))}
	}
	return out
}

func (a *API) describeSecurityGroupPolicies(c *call, req *vpc.DescribeSecurityGroupPoliciesRequest) (*vpc.DescribeSecurityGroupPoliciesResponseParams, error) {
	if len(req.Filters) > 0 {
		return nil, models.FieldE("Filters", models.CodeUnsupportedOperation, "err.network.policy_filters")
	}
	g, set, err := a.store.SecurityGroupPolicies(c.ctx, c.actor, c.region.ID, str(req.SecurityGroupId))
	if err != nil {
		return nil, err
	}
	return &vpc.DescribeSecurityGroupPoliciesResponseParams{SecurityGroupPolicySet: &vpc.SecurityGroupPolicySet{
		Version: ptr(strconv.Itoa(set.Version)), Ingress: policiesOut(g.ID, set.Ingress), Egress: policiesOut(g.ID, set.Egress)}}, nil
}
