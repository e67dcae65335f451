package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"testing"
	"time"

	"imageconsole/handlers/api"
	"imageconsole/handlers/api/tc3"
	"imageconsole/models"
)

// TestAPI_TC3ScopeAndHost: a TC3 signature is accepted over the Host as
// sent or without its port, with whatever service its scope names (the
// Node.js SDK takes it from its endpoint's first label); a scope naming one
// of our products reaches that product's actions only.
func TestAPI_TC3ScopeAndHost(t *testing.T) {
	e := newEnv(t)
	e.api.SetTestProductAction("DescribeVpcsForTest", "vpc")
	a := e.user(t, "a@example.com")
	hostOnly, _, _ := net.SplitHostPort(e.endpoint)
	cases := []struct {
		name, service, signedHost, action, want string
	}{
		{"CvmAsSent", "cvm", e.endpoint, "DescribeRegions", ""},
		{"CvmWithoutPort", "cvm", hostOnly, "DescribeRegions", ""},
		{"EndpointLabel", "127", hostOnly, "DescribeRegions", ""},
		{"EndpointLabelOtherProduct", "127", hostOnly, "DescribeVpcsForTest", ""},
		{"VpcScopeVpcAction", "vpc", e.endpoint, "DescribeVpcsForTest", ""},
		{"VpcScopeCvmAction", "vpc", e.endpoint, "DescribeRegions", "InvalidAction"},
		{"CvmScopeVpcAction", "cvm", e.endpoint, "DescribeVpcsForTest", "InvalidAction"},
		{"OtherHost", "cvm", "example.com", "DescribeRegions", models.CodeAuthSignatureFailure},
		{"OtherPort", "cvm", hostOnly + ":1", "DescribeRegions", models.CodeAuthSignatureFailure},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := []byte("{}")
			ts := time.Now().Unix()
			req, err := http.NewRequest(http.MethodPost, "http://"+e.endpoint+"/", bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-TC-Action", tc.action)
			req.Header.Set("X-TC-Version", api.Version)
			req.Header.Set("X-TC-Timestamp", strconv.FormatInt(ts, 10))
			req.Header.Set("Authorization", tc3.Sign(a.secretID, a.secretKey, tc.service, tc.signedHost, "application/json", http.MethodPost, "", body, ts))
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			var out raw
			if err := json.Unmarshal(b, &out); err != nil {
				t.Fatalf("not JSON: %s", b)
			}
			if out.code() != tc.want {
				t.Fatalf("code = %q (%s), want %q", out.code(), b, tc.want)
			}
		})
	}
}
