package tc3_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	sdkerrors "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"

	"imageconsole/handlers/api/tc3"
	"imageconsole/models"
)

const (
	sdkID  = "AKIDsdkcompat"
	sdkKey = "sdk-compat-secret"
)

// seen is what the test server observed of one request.
type seen struct {
	method, query, contentType string
	bodyLen                    int
}

// sdkServer starts a server that verifies every request with tc3.Verify and
// answers in the API 3.0 envelope, always with HTTP 200 as the SDK expects.
func sdkServer(t *testing.T) (endpoint string, log func() []seen) {
	t.Helper()
	var mu sync.Mutex
	var got []seen
	lookup := func(id string) (string, bool) { return sdkKey, id == sdkID }
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("read body: %v", err)
		}
		mu.Lock()
		got = append(got, seen{r.Method, r.URL.RawQuery, r.Header.Get("Content-Type"), len(body)})
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if _, err := tc3.Verify(r, body, "cvm", time.Now(), lookup); err != nil {
			fmt.Fprintf(w, `{"Response":{"Error":{"Code":%q,"Message":"m"},"RequestId":"x"}}`, models.ErrorCode(err))
			return
		}
		if r.Header.Get("X-TC-Action") == "DescribeRegions" {
			io.WriteString(w, `{"Response":{"RegionSet":[],"TotalCount":0,"RequestId":"x"}}`)
			return
		}
		io.WriteString(w, `{"Response":{"TotalCount":0,"RequestId":"x"}}`)
	}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://"), func() []seen {
		mu.Lock()
		defer mu.Unlock()
		return append([]seen(nil), got...)
	}
}

// sdkClient is the official cvm client pointed at endpoint, with retries off
// so that a failure shows up once and unchanged.
func sdkClient(t *testing.T, endpoint, key, method string) *cvm.Client {
	t.Helper()
	cpf := profile.NewClientProfile()
	cpf.HttpProfile.Endpoint = endpoint
	cpf.HttpProfile.Scheme = "HTTP"
	cpf.HttpProfile.ReqTimeout = 10
	if method != "" {
		cpf.HttpProfile.ReqMethod = method
	}
	cpf.NetworkFailureMaxRetries = 0
	cpf.RateLimitExceededMaxRetries = 0
	cpf.DisableRegionBreaker = true
	c, err := cvm.NewClient(common.NewCredential(sdkID, key), "ap-guangzhou", cpf)
	if err != nil {
		t.Fatalf("cvm.NewClient: %v", err)
	}
	return c
}

func TestVerify_OfficialSDK(t *testing.T) {
	t.Run("OKPOST", func(t *testing.T) {
		endpoint, log := sdkServer(t)
		if _, err := sdkClient(t, endpoint, sdkKey, "").DescribeRegions(cvm.NewDescribeRegionsRequest()); err != nil {
			t.Fatalf("DescribeRegions: %v", err)
		}
		want := seen{method: "POST", contentType: "application/json", bodyLen: 2} // body "{}"
		if got := log(); len(got) != 1 || got[0] != want {
			t.Errorf("server saw %+v, want [%+v]", got, want)
		}
	})
	t.Run("OKGET", func(t *testing.T) {
		endpoint, log := sdkServer(t)
		if _, err := sdkClient(t, endpoint, sdkKey, "GET").DescribeRegions(cvm.NewDescribeRegionsRequest()); err != nil {
			t.Fatalf("DescribeRegions: %v", err)
		}
		want := seen{method: "GET", contentType: "application/x-www-form-urlencoded"}
		if got := log(); len(got) != 1 || got[0] != want {
			t.Errorf("server saw %+v, want [%+v]", got, want)
		}
	})
	// Parameters that need escaping prove that the raw query string as sent
	// is exactly what the SDK signed.
	t.Run("OKGETWithQuery", func(t *testing.T) {
		endpoint, log := sdkServer(t)
		req := cvm.NewDescribeImagesRequest()
		req.Filters = []*cvm.Filter{{Name: common.StringPtr("image-name"), Values: common.StringPtrs([]string{"my image/1+2 & ü"})}}
		req.Limit = common.Uint64Ptr(20)
		if _, err := sdkClient(t, endpoint, sdkKey, "GET").DescribeImages(req); err != nil {
			t.Fatalf("DescribeImages: %v", err)
		}
		want := "Filters.0.Name=image-name&Filters.0.Values.0=my+image%2F1%2B2+%26+%C3%BC&Limit=20"
		if got := log(); len(got) != 1 || got[0].query != want {
			t.Errorf("server saw %+v, want query %q", got, want)
		}
	})
	t.Run("OKPOSTWithBody", func(t *testing.T) {
		endpoint, _ := sdkServer(t)
		req := cvm.NewDescribeImagesRequest()
		req.Filters = []*cvm.Filter{{Name: common.StringPtr("image-type"), Values: common.StringPtrs([]string{"PRIVATE_IMAGE"})}}
		if _, err := sdkClient(t, endpoint, sdkKey, "").DescribeImages(req); err != nil {
			t.Fatalf("DescribeImages: %v", err)
		}
	})
	t.Run("ErrWrongKey", func(t *testing.T) {
		endpoint, log := sdkServer(t)
		_, err := sdkClient(t, endpoint, "not-the-key", "").DescribeRegions(cvm.NewDescribeRegionsRequest())
		var sdkErr *sdkerrors.TencentCloudSDKError
		if !errors.As(err, &sdkErr) {
			t.Fatalf("DescribeRegions: got %v (%T), want a *TencentCloudSDKError", err, err)
		}
		if sdkErr.GetCode() != models.CodeAuthSignatureFailure {
			t.Errorf("code: got %q, want %q", sdkErr.GetCode(), models.CodeAuthSignatureFailure)
		}
		if n := len(log()); n != 1 {
			t.Errorf("server saw %d requests, want 1 (no retries)", n)
		}
	})
}
