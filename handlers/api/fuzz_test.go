package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"
	"time"

	"imageconsole/handlers/api"
	"imageconsole/handlers/api/tc3"
)

// FuzzDecode sends correctly signed requests with arbitrary parameters, as a
// JSON body or a GET query, to every action: the answer is always HTTP 200
// with the JSON envelope and a RequestId, and nothing panics.
func FuzzDecode(f *testing.F) {
	e := newEnv(f)
	u := e.user(f, "fuzz@example.com")
	actions := slices.Sorted(slices.Values(specActions))
	at := func(name string) uint8 { return uint8(slices.Index(actions, name)) }
	f.Add(false, at("DescribeImages"), []byte(`{"Filters":[{"Name":"image-type","Values":["PRIVATE_IMAGE"]}],"Limit":20}`), "")
	f.Add(true, at("DescribeImages"), []byte(nil), "Filters.0.Name=image-name&Filters.0.Values.0=x&Limit=20&Offset=1")
	f.Add(true, at("RunInstances"), []byte(nil), "Placement.Zone=ap-guangzhou-3&InstanceCount=2&LoginSettings.KeepImageLogin=true")
	f.Add(false, at("CreateImage"), []byte(`{"InstanceId":"ins-aaaaaaaa","ImageName":"x","ForcePoweroff":"true"}`), "")
	f.Add(false, at("DescribeImages"), []byte(`{"Limit":1e400,"ImageIds":[null,{"a":[]}]}`), "")
	f.Fuzz(func(t *testing.T, get bool, actionIdx uint8, body []byte, query string) {
		method := http.MethodPost
		ct := "application/json"
		if get {
			method, ct, body = http.MethodGet, "application/x-www-form-urlencoded", nil
		}
		req := httptest.NewRequest(method, "http://example.com/", bytes.NewReader(body))
		req.URL.RawQuery = query
		ts := time.Now().Unix()
		req.Header.Set("Content-Type", ct)
		req.Header.Set("X-TC-Action", actions[int(actionIdx)%len(actions)])
		req.Header.Set("X-TC-Version", api.Version)
		req.Header.Set("X-TC-Region", gz)
		req.Header.Set("X-TC-Timestamp", strconv.FormatInt(ts, 10))
		req.Header.Set("Authorization", tc3.Sign(u.secretID, u.secretKey, "cvm", req.Host, ct, method, query, body, ts))
		rec := httptest.NewRecorder()
		e.handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/json" {
			t.Fatalf("status %d, Content-Type %q", rec.Code, rec.Header().Get("Content-Type"))
		}
		var env struct {
			Response struct {
				Error     *struct{ Code, Message string }
				RequestID string `json:"RequestId"`
			}
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil || env.Response.RequestID == "" {
			t.Fatalf("not an envelope (%v): %.300s", err, rec.Body.String())
		}
		if env.Response.Error != nil && env.Response.Error.Code == "InternalError" {
			t.Fatalf("InternalError for body %q query %q", body, query)
		}
	})
}
