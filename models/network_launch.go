package models

import (
	"crypto/rand"
	"encoding/binary"
	"net/netip"
	"sort"

	"gorm.io/gorm"
)

// How RunInstances names the network records it is given: the CVM SDK's
// codes, which differ from the VPC product's own.
var (
	launchRefVPC           = networkRef{"vpc", "vpc_id", CodeVpcIDMalformed, CodeVpcIDNotExist}
	launchRefSubnet        = networkRef{"subnet", "subnet_id", CodeSubnetIDMalformed, CodeSubnetNotExist}
	launchRefSecurityGroup = networkRef{"sg", "security_group_id", CodeSgIDMalformed, CodeSgIDNotFound}
	launchRefKeyPair       = networkRef{"skey", "key_id", CodeKeyPairMalformed, CodeLaunchKeyNotFound}
)

// launchSubnet puts a new instance in the subnet of the VPC: both named,
// the caller's, the subnet in that VPC and in the instance's zone. The
// subnet's row stays locked until the launch ends, so that two launches
// cannot take the same address.
func launchSubnet(tx *gorm.DB, a Actor, inst *Instance, vpcID, subnetID string) error {
	if vpcID == "" {
		return FieldE("vpc_id", CodeMissingParameter, "err.instances.vpc_missing")
	}
	if subnetID == "" {
		return FieldE("subnet_id", CodeMissingParameter, "err.instances.subnet_missing")
	}
	vpc, err := own[VPC](tx, a, inst.Region, launchRefVPC, vpcID)
	if err != nil {
		return err
	}
	sub, err := own[Subnet](forUpdate(tx), a, inst.Region, launchRefSubnet, subnetID)
	if err != nil {
		return err
	}
	if sub.VpcID != vpc.ID {
		return FieldE("subnet_id", CodeVpcSubnetNotMatch, "err.instances.subnet_not_in_vpc", "Subnet", sub.ID, "Vpc", vpc.ID)
	}
	if sub.Zone != inst.Zone {
		return FieldE("subnet_id", CodeSubnetZoneNotMatch, "err.instances.subnet_zone", "Subnet", sub.ID, "SubnetZone", sub.Zone, "Zone", inst.Zone)
	}
	ip, err := allocatePrivateIP(tx, sub)
	if err != nil {
		return err
	}
	inst.Network.VpcID, inst.Network.SubnetID, inst.Network.PrivateIP = vpc.ID, sub.ID, ip
	return tx.Save(&InstanceSubnet{InstanceID: inst.ID, SubnetID: sub.ID, VpcID: sub.VpcID, PrivateIP: ip}).Error
}

// allocatePrivateIP returns the lowest address of the subnet no instance
// holds. The network address, the gateway (the first host) and the
// broadcast address are never given out. The caller holds the subnet's
// lock; a UNIQUE index on (subnet, address) is the last line.
func allocatePrivateIP(tx *gorm.DB, sub *Subnet) (string, error) {
	var used []string
	if err := tx.Model(&InstanceSubnet{}).Where("subnet_id = ?", sub.ID).Pluck("private_ip", &used).Error; err != nil {
		return "", err
	}
	taken := map[string]bool{}
	for _, ip := range used {
		taken[ip] = true
	}
	p := netip.MustParsePrefix(sub.CIDR)
	addr := p.Addr().Next().Next() // after the network address and the gateway
	for ; p.Contains(addr) && p.Contains(addr.Next()); addr = addr.Next() {
		if !taken[addr.String()] {
			return addr.String(), nil
		}
	}
	return "", E(CodeSubnetFull, "err.instances.subnet_full", "Subnet", sub.ID)
}

// attachSecurityGroupsAs applies the caller's groups of the instance's
// region to it; ref names the codes of a bad ID.
func attachSecurityGroupsAs(tx *gorm.DB, a Actor, inst *Instance, groupIDs []string, ref networkRef) error {
	for _, id := range dedupe(groupIDs) {
		sg, err := own[SecurityGroup](forUpdate(tx), a, inst.Region, ref, id)
		if err != nil {
			return err
		}
		if err := tx.Save(&InstanceSecurityGroup{InstanceID: inst.ID, GroupID: sg.ID}).Error; err != nil {
			return err
		}
		inst.Network.SecurityGroupIDs = append(inst.Network.SecurityGroupIDs, sg.ID)
	}
	return nil
}

// publicPool is where public addresses come from: 198.18.0.0/15, a block
// reserved for testing that no real host on the Internet holds.
var publicPool = netip.MustParsePrefix("198.18.0.0/15")

// publicIP gives the instance a public address when the launch asks for
// one: a random free address of publicPool.
func publicIP(tx *gorm.DB, in LaunchInput, inst *Instance) (string, error) {
	if inst.BandwidthOut == 0 || (in.PublicIPAssigned != nil && !*in.PublicIPAssigned) {
		return "", nil
	}
	base := binary.BigEndian.Uint32(publicPool.Addr().AsSlice())
	size := uint32(1) << (32 - publicPool.Bits())
	for range 16 {
		var b [4]byte
		_, _ = rand.Read(b[:])
		n := binary.BigEndian.Uint32(b[:])%(size-2) + 1
		var ip [4]byte
		binary.BigEndian.PutUint32(ip[:], base+n)
		addr := netip.AddrFrom4(ip).String()
		var count int64
		if err := tx.Model(&Instance{}).Where("public_ip = ?", addr).Count(&count).Error; err != nil {
			return "", err
		}
		if count == 0 {
			return addr, nil
		}
	}
	return "", E(CodeInternal, "err.internal")
}

// loadNetworks fills the Network of each instance from the joins.
func loadNetworks(tx *gorm.DB, list []Instance) error {
	if len(list) == 0 {
		return nil
	}
	ids := make([]string, len(list))
	at := map[string]*Instance{}
	for i := range list {
		ids[i] = list[i].ID
		at[list[i].ID] = &list[i]
		list[i].Network = InstanceNetwork{SecurityGroupIDs: []string{}, KeyIDs: []string{}}
	}
	var subnets []InstanceSubnet
	if err := tx.Where("instance_id IN ?", ids).Find(&subnets).Error; err != nil {
		return err
	}
	for _, s := range subnets {
		n := &at[s.InstanceID].Network
		n.VpcID, n.SubnetID, n.PrivateIP = s.VpcID, s.SubnetID, s.PrivateIP
	}
	var groups []InstanceSecurityGroup
	if err := tx.Where("instance_id IN ?", ids).Order("group_id").Find(&groups).Error; err != nil {
		return err
	}
	for _, g := range groups {
		n := &at[g.InstanceID].Network
		n.SecurityGroupIDs = append(n.SecurityGroupIDs, g.GroupID)
	}
	var keys []InstanceKeyPair
	if err := tx.Where("instance_id IN ?", ids).Order("key_id").Find(&keys).Error; err != nil {
		return err
	}
	for _, k := range keys {
		n := &at[k.InstanceID].Network
		n.KeyIDs = append(n.KeyIDs, k.KeyID)
	}
	for i := range list {
		sort.Strings(list[i].Network.SecurityGroupIDs)
	}
	return nil
}

// releaseNetworks deletes an instance's joins when it is gone: its address
// returns to the subnet and its groups, keys and subnet may be deleted.
func releaseNetworks(tx *gorm.DB, instanceID string) error {
	for _, join := range []any{&InstanceSubnet{}, &InstanceSecurityGroup{}, &InstanceKeyPair{}} {
		if err := tx.Where("instance_id = ?", instanceID).Delete(join).Error; err != nil {
			return err
		}
	}
	return nil
}
