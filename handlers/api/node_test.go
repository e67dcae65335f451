package api_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"imageconsole/models"
)

// nodeDir holds the pinned Node.js SDK (package-lock.json; `npm ci --prefix
// handlers/api/testdata/node` installs it) and the script that drives it.
const nodeDir = "testdata/node"

// nodeCall is one call for testdata/node/cvm.js and what it answered.
type nodeCall struct {
	Action string `json:"action"`
	Params any    `json:"params"`
}

type nodeAnswer struct {
	Result json.RawMessage
	Error  *struct{ Code, Message, RequestID string } `json:"error"`
}

// nodeSDK finds node and the installed SDK: without them the test is
// skipped on a developer's machine and fails in CI, which installs both.
func nodeSDK(t *testing.T) string {
	t.Helper()
	missing := func(format string, args ...any) {
		if os.Getenv("CI") == "true" {
			t.Fatalf(format, args...)
		}
		t.Skipf(format+" (CI=true makes this a failure)", args...)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node is not installed")
	}
	if _, err := os.Stat(filepath.Join(nodeDir, "node_modules", "tencentcloud-sdk-nodejs-cvm")); err != nil {
		missing("the Node.js SDK is not installed: run npm ci --prefix handlers/api/testdata/node")
	}
	return node
}

// TestNodeSDK drives the official Node.js SDK, configured exactly as its
// README shows (endpoint "host:port", protocol "http://"), with POST and
// GET, TC3-HMAC-SHA256, HmacSHA256 and HmacSHA1 (signature v1), through a launch, an
// image, its sync and its sharing; each answer is checked against the store.
func TestNodeSDK(t *testing.T) {
	node := nodeSDK(t)
	for _, sign := range []string{"TC3-HMAC-SHA256", "HmacSHA256", "HmacSHA1"} {
		for _, method := range methods {
			t.Run(sign+"/"+method, func(t *testing.T) {
				e := newEnv(t)
				e.store.Limits.DailyOps = 100
				a := e.user(t, "a@example.com")
				b := e.user(t, "b@example.com")
				run := func(calls ...nodeCall) []nodeAnswer {
					t.Helper()
					in, _ := json.Marshal(calls)
					cmd := exec.Command(node, "cvm.js", string(in))
					cmd.Dir = nodeDir
					cmd.Env = append(os.Environ(), "ENDPOINT="+e.endpoint, "REQ_METHOD="+method, "SIGN_METHOD="+sign,
						"TENCENTCLOUD_SECRET_ID="+a.secretID, "TENCENTCLOUD_SECRET_KEY="+a.secretKey)
					out, err := cmd.Output()
					if err != nil {
						var stderr []byte
						if ee, ok := err.(*exec.ExitError); ok {
							stderr = ee.Stderr
						}
						t.Fatalf("node cvm.js: %v\n%s", err, stderr)
					}
					var answers []nodeAnswer
					if err := json.Unmarshal(out, &answers); err != nil || len(answers) != len(calls) {
						t.Fatalf("node cvm.js printed %s (%v)", out, err)
					}
					for i, ans := range answers {
						if ans.Error != nil && ans.Error.RequestID == "" {
							t.Errorf("%s: error %s without a RequestId: %s", calls[i].Action, ans.Error.Code, ans.Error.Message)
						}
					}
					return answers
				}
				result := func(ans nodeAnswer, action string, into any) {
					t.Helper()
					if ans.Error != nil {
						t.Fatalf("%s: %s: %s", action, ans.Error.Code, ans.Error.Message)
					}
					if err := json.Unmarshal(ans.Result, into); err != nil {
						t.Fatalf("%s: %v in %s", action, err, ans.Result)
					}
				}
				ubuntu := e.commonImage(t, "Ubuntu", models.ArchX86)
				byID := map[string]any{"Filters": []map[string]any{{"Name": "image-id", "Values": []string{ubuntu}}}}

				ans := run(
					nodeCall{"DescribeRegions", nil},
					nodeCall{"DescribeImages", byID},
					nodeCall{"RunInstances", map[string]any{"Placement": map[string]any{"Zone": "ap-guangzhou-3"},
						"InstanceType": "S5.MEDIUM4", "ImageId": ubuntu, "InstanceCount": 1}},
					nodeCall{"DescribeImages", map[string]any{"ImageIds": []string{"img-aaaaaaaa"}, "Filters": byID["Filters"]}},
				)
				var regions struct{ RegionSet []struct{ Region string } }
				result(ans[0], "DescribeRegions", &regions)
				if len(regions.RegionSet) == 0 {
					t.Fatal("DescribeRegions: no regions")
				}
				var images struct{ ImageSet []struct{ ImageId string } }
				result(ans[1], "DescribeImages", &images)
				if len(images.ImageSet) != 1 || images.ImageSet[0].ImageId != ubuntu {
					t.Fatalf("DescribeImages by image-id %s: %+v", ubuntu, images.ImageSet)
				}
				var launched struct{ InstanceIdSet []string }
				result(ans[2], "RunInstances", &launched)
				if len(launched.InstanceIdSet) != 1 {
					t.Fatalf("RunInstances: %v", launched.InstanceIdSet)
				}
				var ins models.Instance
				if err := e.store.DB().First(&ins, "id = ?", launched.InstanceIdSet[0]).Error; err != nil || ins.OwnerID != a.id || ins.Zone != "ap-guangzhou-3" {
					t.Fatalf("instance %s in the store: %+v, %v", launched.InstanceIdSet[0], ins, err)
				}
				if ans[3].Error == nil || ans[3].Error.Code != models.CodeCoexistImageIDsFilters {
					t.Fatalf("DescribeImages with ImageIds and Filters: %+v, want %s", ans[3].Error, models.CodeCoexistImageIDsFilters)
				}
				e.drain(t)

				ans = run(nodeCall{"CreateImage", map[string]any{"InstanceId": ins.ID, "ImageName": "node golden", "ForcePoweroff": "true"}})
				var created struct{ ImageId string }
				result(ans[0], "CreateImage", &created)
				var img models.Image
				if err := e.store.DB().First(&img, "id = ?", created.ImageId).Error; err != nil || img.OwnerID != a.id || img.Name != "node golden" {
					t.Fatalf("image %s in the store: %+v, %v", created.ImageId, img, err)
				}
				e.drain(t)

				ans = run(
					nodeCall{"SyncImages", map[string]any{"ImageIds": []string{img.ID}, "DestinationRegions": []string{"ap-beijing"}, "ImageSetRequired": true}},
					nodeCall{"ModifyImageSharePermission", map[string]any{"ImageId": img.ID, "AccountIds": []string{b.id}, "Permission": "SHARE"}},
					nodeCall{"DescribeImageSharePermission", map[string]any{"ImageId": img.ID}},
				)
				var synced struct {
					ImageSet []struct{ ImageId, Region string }
				}
				result(ans[0], "SyncImages", &synced)
				if len(synced.ImageSet) != 1 || synced.ImageSet[0].Region != "ap-beijing" {
					t.Fatalf("SyncImages: %+v", synced.ImageSet)
				}
				var copy models.Image
				if err := e.store.DB().First(&copy, "id = ?", synced.ImageSet[0].ImageId).Error; err != nil || copy.OwnerID != a.id || copy.Region != "ap-beijing" {
					t.Fatalf("synced image %s in the store: %+v, %v", synced.ImageSet[0].ImageId, copy, err)
				}
				result(ans[1], "ModifyImageSharePermission", &struct{}{})
				var shares struct{ SharePermissionSet []struct{ AccountId string } }
				result(ans[2], "DescribeImageSharePermission", &shares)
				if !slices.ContainsFunc(shares.SharePermissionSet, func(s struct{ AccountId string }) bool { return s.AccountId == b.id }) {
					t.Fatalf("DescribeImageSharePermission: %+v, want %s", shares.SharePermissionSet, b.id)
				}
			})
		}
	}
}

// TestNodeSDK_README: the README's Node.js set-up is the one TestNodeSDK
// runs, so that what users copy is what is tested.
func TestNodeSDK_README(t *testing.T) {
	setup := func(path string) string {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		start := strings.Index(s, "const { cvm } = require(")
		end := strings.Index(s[max(start, 0):], "\n})\n")
		if start < 0 || end < 0 {
			t.Fatalf("%s has no client set-up", path)
		}
		return s[start : start+end]
	}
	if readme, script := setup("../../README.md"), setup(filepath.Join(nodeDir, "cvm.js")); readme != script {
		t.Fatalf("README.md's Node.js set-up differs from %s:\n%s\n---\n%s", nodeDir, readme, script)
	}
}
