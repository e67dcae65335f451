package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	sdkerrors "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"

	"imageconsole/handlers"
	"imageconsole/handlers/api"
	"imageconsole/handlers/api/tc3"
	"imageconsole/models"
	"imageconsole/models/storetest"
)

// env is a real server (the console's route table with the API in front)
// on a migrated, seeded store.
type env struct {
	store    *models.Store
	api      *api.API
	endpoint string       // host:port
	handler  http.Handler // the same server, for in-process requests
	skew     atomic.Int64
}

func newEnv(t testing.TB) *env {
	t.Helper()
	s := storetest.Open(t)
	if err := s.SetSecretKeyCipher(bytes.Repeat([]byte{1}, 32)); err != nil {
		t.Fatal(err)
	}
	s.TaskScale = 0
	e := &env{store: s, api: api.New(s)}
	// The API's clock is the real time plus a skew a test may set, so that the
	// SDK's real timestamps can be made to look expired.
	e.api.Now = func() time.Time { return time.Now().Add(time.Duration(e.skew.Load())) }
	h := handlers.New(s, handlers.Config{SessionKeys: [][]byte{bytes.Repeat([]byte{2}, 32), bytes.Repeat([]byte{3}, 32)}})
	e.handler = h.NewEcho(e.api)
	srv := httptest.NewServer(e.handler)
	t.Cleanup(srv.Close)
	e.endpoint = strings.TrimPrefix(srv.URL, "http://")
	return e
}

// user is an account with an API key.
type user struct {
	id, secretID, secretKey string
}

func (e *env) user(t testing.TB, email string) user {
	t.Helper()
	acct := storetest.MustAccount(t, e.store, email)
	id, key, err := e.store.CreateAPIKey(context.Background(), acct.ID)
	if err != nil {
		t.Fatal(err)
	}
	return user{id: acct.ID, secretID: id, secretKey: key}
}

// opts tune an SDK client.
type opts struct {
	method, region, lang string
}

// client is the official SDK client, retries off, in English unless asked.
func (e *env) client(t testing.TB, u user, o opts) *cvm.Client {
	t.Helper()
	c, err := cvm.NewClient(common.NewCredential(u.secretID, u.secretKey), o.region, e.profile(o))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (e *env) profile(o opts) *profile.ClientProfile {
	cpf := profile.NewClientProfile()
	cpf.HttpProfile.Endpoint = e.endpoint
	cpf.HttpProfile.Scheme = "HTTP"
	cpf.HttpProfile.ReqTimeout = 10
	if o.method != "" {
		cpf.HttpProfile.ReqMethod = o.method
	}
	cpf.Language = "en-US"
	if o.lang != "" {
		cpf.Language = o.lang
	}
	cpf.NetworkFailureMaxRetries = 0
	cpf.RateLimitExceededMaxRetries = 0
	cpf.DisableRegionBreaker = true
	return cpf
}

// gz is the default test region.
const gz = "ap-guangzhou"

// methods are the two ways the SDK sends a request.
var methods = []string{"POST", "GET"}

// sdkCode returns the API error code the SDK reports, "" for nil; any other
// error (an HTTP status error included) fails the test.
func sdkCode(t testing.TB, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	var se *sdkerrors.TencentCloudSDKError
	if !errors.As(err, &se) {
		t.Fatalf("got %T %v, want an SDK error", err, err)
	}
	if strings.HasPrefix(se.GetCode(), "ClientError.") {
		t.Fatalf("the SDK could not read the answer: %v", err)
	}
	if se.GetRequestId() == "" {
		t.Errorf("error %s has no RequestId", se.GetCode())
	}
	return se.GetCode()
}

func wantCode(t testing.TB, err error, want string) {
	t.Helper()
	if got := sdkCode(t, err); got != want {
		t.Fatalf("code = %q (%v), want %q", got, err, want)
	}
}

// raw is an answer read without the SDK.
type raw struct {
	status      int
	contentType string
	Response    struct {
		Error *struct {
			Code, Message string
		}
		RequestID string `json:"RequestId"`
	}
	body string
}

// rawRequest sends a request signed like the SDK does (unless auth is set),
// for the inputs the SDK itself would never produce.
func (e *env) rawRequest(t testing.TB, u user, method, action, query string, body []byte, header ...string) raw {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+e.endpoint+"/", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.URL.RawQuery = query
	ct := "application/json"
	if method == http.MethodGet {
		ct = "application/x-www-form-urlencoded"
	}
	ts := time.Now().Unix()
	req.Header.Set("Content-Type", ct)
	req.Header.Set("X-TC-Action", action)
	req.Header.Set("X-TC-Version", api.Version)
	req.Header.Set("X-TC-Region", gz)
	req.Header.Set("X-TC-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("Authorization", tc3.Sign(u.secretID, u.secretKey, "cvm", e.endpoint, ct, method, req.URL.RawQuery, body, ts))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	out := raw{status: res.StatusCode, contentType: res.Header.Get("Content-Type"), body: string(b)}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("answer is not JSON: %v: %.300s", err, b)
	}
	return out
}

func (r raw) code() string {
	if r.Response.Error == nil {
		return ""
	}
	return r.Response.Error.Code
}

// countRows counts a table, to show that a refusal wrote nothing.
func countRows(t testing.TB, s *models.Store, model any) int64 {
	t.Helper()
	var n int64
	if err := s.DB().Model(model).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// drain runs every due background task, as the server's workers would.
func (e *env) drain(t testing.TB) {
	t.Helper()
	if _, err := (&models.Worker{Store: e.store, ID: "api-test", ImportAllowNetworks: storetest.Loopback}).RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
}
