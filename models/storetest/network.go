package storetest

import "net"

// Loopback is the allow-list of tests whose image servers listen on
// 127.0.0.1: imports refuse internal addresses unless a network is allowed
// (models.Worker.ImportAllowNetworks, the --import-allow-networks flag).
var Loopback = []*net.IPNet{{IP: net.IPv4(127, 0, 0, 1).To4(), Mask: net.CIDRMask(32, 32)}}
