package pages

import (
	"imageconsole/views/components"
	"imageconsole/views/layouts"
)

// VPCsPageVM is the VPC list with its create form.
type VPCsPageVM struct {
	Shell            layouts.Shell
	VPCs             []VPCRowVM
	Name, CIDR       components.FieldVM
	Alert, AlertCode string
	// Full: the account holds Max VPCs in the region; create is disabled.
	Max  int
	Full bool
}

// VPCRowVM is one VPC of a list; Href opens it in its region.
type VPCRowVM struct{ ID, Name, CIDR, Created, CreatedExact, Href string }

// VPCPageVM is one VPC with its subnets and the subnet form.
type VPCPageVM struct {
	Shell            layouts.Shell
	VPC              VPCRowVM
	Subnets          []SubnetRowVM
	Name, CIDR, Zone components.FieldVM
	Zones            []components.Option
	Alert, AlertCode string
	ListHref         string
}

// SubnetRowVM is one subnet of a VPC.
type SubnetRowVM struct{ ID, Name, CIDR, Zone, Created, CreatedExact string }

// SecurityGroupsPageVM is the security group list with its create form.
type SecurityGroupsPageVM struct {
	Shell             layouts.Shell
	Groups            []SecurityGroupRowVM
	Name, Description components.FieldVM
	Alert, AlertCode  string
	Max               int
	Full              bool
}

// SecurityGroupRowVM is one security group of a list.
type SecurityGroupRowVM struct{ ID, Name, Description, Created, CreatedExact, Href string }

// SecurityGroupPageVM is one group with its policies and the policy form.
type SecurityGroupPageVM struct {
	Shell                          layouts.Shell
	Group                          SecurityGroupRowVM
	Ingress, Egress                []PolicyRowVM
	Direction, Protocol, Action    components.FieldVM
	Port, CIDR, Description        components.FieldVM
	Directions, Protocols, Actions []components.Option
	Alert, AlertCode               string
	ListHref                       string
}

// PolicyRowVM is one policy of a group.
type PolicyRowVM struct {
	Index                                     int
	Protocol, Port, CIDR, Action, Description string
}

// KeyPairsPageVM is the key pair list with the create and import forms;
// New, right after a creation, carries the private key shown this once.
type KeyPairsPageVM struct {
	Shell                       layouts.Shell
	Keys                        []KeyPairRowVM
	Name, ImportName, PublicKey components.FieldVM
	New                         *NewKeyPairVM
	Alert, AlertCode            string
	Max                         int
	Full                        bool
}

// KeyPairRowVM is one key pair of a list.
type KeyPairRowVM struct {
	ID, Name, Created, CreatedExact, Href string
	Instances                             int
}

// NewKeyPairVM is a key pair just created, with its private key.
type NewKeyPairVM struct{ ID, Name, PrivateKey string }

// KeyPairPageVM is one key pair: its public key and the instances using it.
type KeyPairPageVM struct {
	Shell                                      layouts.Shell
	ID, Name, PublicKey, Created, CreatedExact string
	Instances                                  []string
	Alert, AlertCode                           string
	ListHref, Region                           string
}
