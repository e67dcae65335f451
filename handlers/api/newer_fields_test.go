package api

import (
	"imageconsole/models/storetest"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestNewerFields_NodeSDK: every request parameter the pinned Node.js SDK
// knows for an action we serve is one the pinned Go SDK models, or is in
// newerFields (accepted and ignored). Without this, a field a newer SDK
// sends would be refused as UnknownParameter.
func TestNewerFields_NodeSDK(t *testing.T) {
	dts := filepath.Join("testdata", "node", "node_modules", "tencentcloud-sdk-nodejs-cvm",
		"tencentcloud", "services", "cvm", "v20170312", "cvm_models.d.ts")
	b, err := os.ReadFile(dts)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the Node.js SDK is not installed (%v): run npm ci --prefix handlers/api/testdata/node", err)
		}
		t.Skipf("the Node.js SDK is not installed (%v); CI=true makes this a failure", err)
	}
	interfaces := regexp.MustCompile(`(?s)export interface (\w+Request) \{(.*?)\n\}`).FindAllStringSubmatch(string(b), -1)
	fields := regexp.MustCompile(`(?m)^\s{4}(\w+)\??:`)
	node := map[string][]string{}
	for _, m := range interfaces {
		for _, f := range fields.FindAllStringSubmatch(m[2], -1) {
			node[m[1]] = append(node[m[1]], f[1])
		}
	}
	checked := 0
	for name, act := range New(storetest.Open(t)).actions {
		if act.productName() != Service {
			continue // the vpc product is another Node.js package
		}
		req := act.request.Elem()
		want, ok := node[name+"Request"]
		if !ok {
			continue // a request without parameters (declared as a type, not an interface)
		}
		checked++
		for _, f := range want {
			if _, ok := req.FieldByName(f); !ok && !isNewerField(req, f) {
				t.Errorf("%s: the Node.js SDK sends %s, which the Go SDK lacks and newerFields does not list", name, f)
			}
		}
	}
	if checked < 20 {
		t.Fatalf("checked %d actions against the Node.js SDK, want every cvm action", checked)
	}
}
