package importer

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"imageconsole/models/imagefmt"
)

// loopback lets the tests' servers on 127.0.0.1 through the guard, as
// --import-allow-networks 127.0.0.1/32 does for a local test.
var loopback = NewClient([]*net.IPNet{{IP: net.IPv4(127, 0, 0, 1), Mask: net.CIDRMask(32, 32)}})

// local fetches with the loopback client unless the test chose one.
func local(opt Options) Options {
	if opt.Client == nil {
		opt.Client = loopback
	}
	return opt
}

func TestPublicAddress(t *testing.T) {
	tests := []struct {
		addr string
		want bool
	}{
		{"93.184.215.14", true},
		{"8.8.8.8", true},
		{"2606:4700::1111", true},
		{"127.0.0.1", false},
		{"127.8.9.10", false},
		{"::1", false},
		{"::ffff:127.0.0.1", false},
		{"10.1.2.3", false},
		{"172.16.0.1", false},
		{"172.31.255.254", false},
		{"192.168.1.1", false},
		{"fd00::1", false},
		{"fd00:ec2::254", false}, // a cloud metadata service over IPv6
		{"169.254.169.254", false},
		{"fe80::1", false},
		{"0.0.0.0", false},
		{"::", false},
		{"100.64.0.1", false},
		{"100.127.255.254", false},
		{"224.0.0.1", false},
		{"ff02::1", false},
		{"255.255.255.255", false},
		{"240.0.0.1", false},
		{"198.18.0.1", false},
		{"64:ff9b::a00:1", false},  // NAT64 of 10.0.0.1
		{"64:ff9b::808:808", true}, // NAT64 of 8.8.8.8
		{"2002:7f00:1::1", false},  // 6to4 of 127.0.0.1
		{"2001:0:4136:e378::1", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			if got := publicAddress(netip.MustParseAddr(tt.addr)); got != tt.want {
				t.Errorf("publicAddress(%s) = %v, want %v", tt.addr, got, tt.want)
			}
		})
	}
}

func TestAllowedAddress(t *testing.T) {
	_, lan, _ := net.ParseCIDR("10.20.0.0/16")
	allow := []*net.IPNet{lan}
	for addr, want := range map[string]bool{"10.20.3.4": true, "::ffff:10.20.3.4": true, "10.21.0.1": false, "127.0.0.1": false, "1.1.1.1": true} {
		if got := allowedAddress(netip.MustParseAddr(addr), allow); got != want {
			t.Errorf("allowedAddress(%s) = %v, want %v", addr, got, want)
		}
	}
}

// counting serves an image and counts the requests that reached it.
func counting(n *atomic.Int32, answer http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		answer(w, r)
	}
}

// TestImport_InternalAddresses: without an allow-list an import reaches no
// loopback address, by IP, by name or through a redirect from an allowed
// server; the reason says the address is not allowed and nothing of what the
// target would have answered.
func TestImport_InternalAddresses(t *testing.T) {
	secret := "internal-secret-page"
	var hits atomic.Int32
	internal := httptest.NewServer(counting(&hits, func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, secret, http.StatusTeapot)
	}))
	defer internal.Close()
	port := internal.Listener.Addr().(*net.TCPAddr).Port

	// 127.0.0.2 is loopback too, outside the allowed 127.0.0.1/32.
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("no 127.0.0.2 on this machine: %v", err)
	}
	other := httptest.NewUnstartedServer(counting(&hits, status(http.StatusTeapot)))
	other.Listener.Close()
	other.Listener = ln
	other.Start()
	defer other.Close()
	redirector := httptest.NewServer(http.RedirectHandler(other.URL+"/disk.qcow2", http.StatusFound))
	defer redirector.Close()
	var loops atomic.Int32
	var loopSrv *httptest.Server
	loopSrv = httptest.NewServer(counting(&loops, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, loopSrv.URL+r.URL.Path+"x", http.StatusFound)
	}))
	defer loopSrv.Close()

	tests := []struct {
		name       string
		url        string
		opt        Options
		wantReason string
	}{
		{"ErrLoopbackIP", internal.URL + "/disk.qcow2", Options{}, "is not allowed"},
		{"ErrLoopbackName", "http://localhost:" + strconv.Itoa(port) + "/disk.qcow2", Options{}, "is not allowed"},
		{"ErrMappedLoopback", "http://[::ffff:127.0.0.1]:" + strconv.Itoa(port) + "/disk.qcow2", Options{}, "is not allowed"},
		{"ErrRedirectToInternal", redirector.URL + "/disk.qcow2", local(Options{}), "is not allowed"},
		{"ErrRedirectLoop", loopSrv.URL + "/disk", local(Options{}), "redirected more than 5 times"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits.Store(0)
			store := MustStore(t)
			_, err := Import(context.Background(), Source{URL: tt.url}, store, "img", tt.opt)
			if !errors.Is(err, ErrUnreachable) {
				t.Fatalf("err = %v, want ErrUnreachable", err)
			}
			reason := Reason(err)
			if !strings.Contains(reason, tt.wantReason) {
				t.Errorf("Reason = %q, want it to contain %q", reason, tt.wantReason)
			}
			for _, leak := range []string{secret, "418", "Teapot", "127.0.0.2"} {
				if strings.Contains(reason, leak) {
					t.Errorf("Reason %q tells %q about the refused target", reason, leak)
				}
			}
			if n := hits.Load(); n != 0 {
				t.Errorf("the internal server got %d requests, want 0", n)
			}
			if store.puts != 0 {
				t.Errorf("Put called %d times, want 0", store.puts)
			}
		})
	}
	if n := loops.Load(); n != MaxRedirects+1 {
		t.Errorf("the redirect loop was followed %d times, want %d", n, MaxRedirects+1)
	}
}

// TestImport_AllowNetworks: a network the operator allows is fetched from.
func TestImport_AllowNetworks(t *testing.T) {
	raw := imagefmt.BuildRaw(mib)
	_, all, _ := net.ParseCIDR("127.0.0.0/8")
	res, err := Import(context.Background(), Source{URL: MustServe(t, file(raw))}, MustStore(t), "img",
		Options{Client: NewClient([]*net.IPNet{all})})
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	if res.Size != int64(len(raw)) {
		t.Errorf("size = %d, want %d", res.Size, len(raw))
	}
}
