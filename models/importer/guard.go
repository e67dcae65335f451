package importer

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// ErrAddressNotAllowed: the URL (or a redirect) leads to an address of the
// host's own networks: loopback, private, link-local (the cloud metadata
// service among them), shared, multicast or reserved. Imports may reach only
// public addresses unless the operator allows a network.
var ErrAddressNotAllowed = errors.New("import address not allowed")

// MaxRedirects is how many redirects an import follows; each hop is checked
// like the first address.
const MaxRedirects = 5

// blocked are the networks an import may not connect to. netip's own
// predicates cover loopback, RFC 1918 and fc00::/7, link-local unicast
// (169.254.0.0/16 with the metadata service at 169.254.169.254, fe80::/10),
// multicast and the unspecified address; these are the rest.
var blocked = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // carrier-grade NAT, shared address space
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and the broadcast address
	netip.MustParsePrefix("64:ff9b:1::/48"),  // local-use NAT64
	netip.MustParsePrefix("100::/64"),        // discard-only
	netip.MustParsePrefix("2001::/32"),       // Teredo: hides an IPv4 address
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("fec0::/10"),       // deprecated site-local
}

// Networks that embed an IPv4 address: the embedded one decides.
var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour = netip.MustParsePrefix("2002::/16")
)

// publicAddress reports whether an import may connect to a.
func publicAddress(a netip.Addr) bool {
	a = a.Unmap()
	switch {
	case !a.IsValid(), a.IsLoopback(), a.IsPrivate(), a.IsLinkLocalUnicast(), a.IsLinkLocalMulticast(),
		a.IsInterfaceLocalMulticast(), a.IsMulticast(), a.IsUnspecified():
		return false
	case nat64.Contains(a):
		b := a.As16()
		return publicAddress(netip.AddrFrom4([4]byte(b[12:16])))
	case sixToFour.Contains(a):
		b := a.As16()
		return publicAddress(netip.AddrFrom4([4]byte(b[2:6])))
	}
	for _, p := range blocked {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// allowedAddress reports whether an import may connect to a: a public
// address, or one in a network the operator allowed.
func allowedAddress(a netip.Addr, allow []*net.IPNet) bool {
	for _, n := range allow {
		if n.Contains(net.IP(a.Unmap().AsSlice())) {
			return true
		}
	}
	return publicAddress(a)
}

// NewClient returns the HTTP client imports fetch with. Its dialer checks
// every address it connects to, after DNS resolution and for every
// redirect, so neither a name that resolves to an internal address nor a
// redirect to one gets through; allow lists the networks an operator opens
// anyway (a local test server on 127.0.0.1, a mirror on the LAN). It uses
// no proxy from the environment: a proxy would make the connection on the
// client's behalf, past the check.
func NewClient(allow []*net.IPNet) *http.Client {
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second,
		Control: func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || !allowedAddress(ap.Addr(), allow) {
				return ErrAddressNotAllowed
			}
			return nil
		}}
	transport := &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          4,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: time.Minute,
	}
	return &http.Client{Transport: transport, Timeout: 30 * time.Minute,
		CheckRedirect: func(_ *http.Request, via []*http.Request) error {
			if len(via) > MaxRedirects {
				return errTooManyRedirects
			}
			return nil
		}}
}

var errTooManyRedirects = fmt.Errorf("more than %d redirects", MaxRedirects)
