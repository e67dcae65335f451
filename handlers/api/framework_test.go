package api_test

import (
	"bytes"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	tchttp "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/http"
	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"

	"imageconsole/handlers/api"
	"imageconsole/models"
)

// specActions are the actions the endpoint serves (README, Use it from code).
var specActions = []string{"DescribeRegions", "DescribeZones", "DescribeImages", "DescribeImportImageOs", "CreateImage",
	"ImportImage", "ModifyImageAttribute", "DeleteImages", "SyncImages", "ModifyImageSharePermission",
	"DescribeImageSharePermission", "DescribeImageQuota", "DescribeImageFromFamily", "DescribeInstanceTypeConfigs",
	"DescribeZoneInstanceConfigInfos", "RunInstances", "DescribeInstances", "StartInstances",
	"StopInstances", "RebootInstances", "TerminateInstances", "ResetInstance", "InquiryPriceRunInstances", "ModifyInstancesAttribute",
	"CreateKeyPair", "ImportKeyPair", "DescribeKeyPairs", "DeleteKeyPairs", "AssociateInstancesKeyPairs",
	"DisassociateInstancesKeyPairs", "CreateVpc", "DescribeVpcs", "DeleteVpc", "CreateSubnet", "DescribeSubnets",
	"DeleteSubnet", "CreateSecurityGroup", "DescribeSecurityGroups", "CreateSecurityGroupPolicies",
	"DescribeSecurityGroupPolicies", "DeleteSecurityGroup"}

// commonCall sends any action through the SDK's common client.
func (e *env) commonCall(t *testing.T, u user, o opts, version, action string) error {
	t.Helper()
	c := common.NewCommonClient(common.NewCredential(u.secretID, u.secretKey), o.region, e.profile(o))
	req := tchttp.NewCommonRequest("cvm", version, action)
	if err := req.SetActionParameters(map[string]any{}); err != nil {
		t.Fatal(err)
	}
	return c.Send(req, tchttp.NewCommonResponse())
}

func TestAPI_Dispatch(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "a@example.com")
	got := e.api.Actions()
	want := slices.Sorted(slices.Values(specActions))
	if !slices.Equal(got, want) {
		t.Errorf("actions %v, want %v", got, want)
	}
	tests := []struct {
		name, region, version, action, want string
	}{
		{"OK", gz, api.Version, "DescribeZones", ""},
		{"OKRegionsWithoutRegion", "", api.Version, "DescribeRegions", ""},
		{"ErrUnknownAction", gz, api.Version, "DescribeUnicorns", "InvalidAction"},
		{"ErrWrongVersion", gz, "2020-01-01", "DescribeZones", "NoSuchVersion"},
		{"ErrUnknownRegion", "mars-1", api.Version, "DescribeZones", models.CodeInvalidRegionNotFound},
		{"ErrMissingRegion", "", api.Version, "DescribeZones", models.CodeMissingParameter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, e.commonCall(t, u, opts{region: tt.region}, tt.version, tt.action), tt.want)
		})
	}
	// The SDK's own client for an unknown region too, by both methods.
	for _, method := range methods {
		_, err := e.client(t, u, opts{method: method, region: "mars-1"}).DescribeImages(cvm.NewDescribeImagesRequest())
		wantCode(t, err, models.CodeInvalidRegionNotFound)
	}
}

// TestAPI_Pending: every action of specActions without a use case yet answers
// UnsupportedOperation and writes nothing.
var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func TestAPI_Garbage(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "a@example.com")
	e.api.SetTestAction("Explode", func() (any, error) { panic("boom") })
	huge := append(append([]byte(`{"InstanceType":"`), bytes.Repeat([]byte("x"), api.MaxBody)...), '"', '}')
	tests := []struct {
		name, method, action, query string
		body                        string
		header                      []string
		want, wantInMessage         string
	}{
		{"OKPost", "POST", "DescribeImages", "", `{"Limit":5}`, nil, "", ""},
		{"OKEmptyBody", "POST", "DescribeImages", "", ``, nil, "", ""},
		{"OKGet", "GET", "DescribeImages", "Filters.0.Values.0=ubuntu&Filters.0.Name=image-name&Limit=3", "", nil, "", ""},
		{"ErrMalformedJSON", "POST", "DescribeImages", "", `{"Limit": `, nil, models.CodeInvalidParameter, "not valid JSON"},
		{"ErrTrailingData", "POST", "DescribeImages", "", `{} {}`, nil, models.CodeInvalidParameter, "after the top-level value"},
		{"ErrNotAnObject", "POST", "DescribeImages", "", `[1,2]`, nil, models.CodeInvalidParameter, "JSON object"},
		{"ErrHugeBody", "POST", "DescribeImages", "", string(huge), nil, "RequestSizeLimitExceeded", ""},
		{"ErrWrongType", "POST", "DescribeImages", "", `{"Limit":"abc"}`, nil, models.CodeInvalidParameterValue, `"Limit"`},
		{"ErrNegativeUnsigned", "POST", "DescribeImages", "", `{"Offset":-1}`, nil, models.CodeInvalidParameterValue, `"Offset"`},
		{"ErrNestedWrongType", "POST", "DescribeImages", "", `{"Filters":[{"Name":"image-name","Values":"x"}]}`, nil, models.CodeInvalidParameterValue, `"Filters.0.Values"`},
		{"ErrUnknownParameter", "POST", "DescribeImages", "", `{"Nope":1}`, nil, "UnknownParameter", `"Nope"`},
		{"ErrUnknownNested", "POST", "DescribeImages", "", `{"Filters":[{"Nmae":"x"}]}`, nil, "UnknownParameter", `"Filters.0.Nmae"`},
		{"ErrParamOnEmptyRequest", "POST", "DescribeRegions", "", `{"Region":"x"}`, nil, "UnknownParameter", `"Region"`},
		{"ErrListTooLong", "POST", "DescribeImages", "", `{"ImageIds":[` + strings.Repeat(`"img-aaaaaaaa",`, 100) + `"img-aaaaaaaa"]}`, nil, models.CodeValueLimitExceeded, "ImageIds"},
		{"ErrGetWrongType", "GET", "DescribeImages", "Limit=abc", "", nil, models.CodeInvalidParameterValue, `"Limit"`},
		{"ErrGetUnknown", "GET", "DescribeImages", "Placement.Zone=x", "", nil, "UnknownParameter", `"Placement"`},
		{"ErrGetBadIndex", "GET", "DescribeImages", "ImageIds.x=img-aaaaaaaa", "", nil, models.CodeInvalidParameterValue, `"ImageIds"`},
		{"ErrGetIndexTooLarge", "GET", "DescribeImages", "ImageIds.100=img-aaaaaaaa", "", nil, models.CodeValueLimitExceeded, "ImageIds"},
		{"ErrGetRepeated", "GET", "DescribeImages", "Limit=1&Limit=2", "", nil, models.CodeInvalidParameter, "more than once"},
		{"ErrGetSameIndexTwice", "GET", "DescribeImages", "ImageIds.0=img-aaaaaaaa&ImageIds.00=img-bbbbbbbb", "", nil, models.CodeInvalidParameter, "more than once"},
		{"ErrGetMalformedQuery", "GET", "DescribeImages", "Limit=%zz", "", nil, models.CodeInvalidParameter, "query"},
		{"ErrNoAuthorization", "POST", "DescribeImages", "", `{}`, []string{"Authorization", ""}, models.CodeAuthMissingAuthorization, ""},
		{"ErrBadAuthorization", "POST", "DescribeImages", "", `{}`, []string{"Authorization", "Basic Zm9vOmJhcg=="}, models.CodeAuthInvalidAuthorization, ""},
		{"ErrNoVersion", "POST", "DescribeImages", "", `{}`, []string{"X-TC-Version", ""}, "NoSuchVersion", ""},
		{"ErrPanic", "POST", "Explode", "", `{}`, nil, models.CodeInternal, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := e.rawRequest(t, u, tt.method, tt.action, tt.query, []byte(tt.body), tt.header...)
			if res.status != http.StatusOK || res.contentType != "application/json" {
				t.Errorf("status %d, Content-Type %q; want 200 application/json", res.status, res.contentType)
			}
			if res.code() != tt.want {
				t.Fatalf("code %q, want %q: %.300s", res.code(), tt.want, res.body)
			}
			if tt.wantInMessage != "" && !strings.Contains(res.Response.Error.Message, tt.wantInMessage) {
				t.Errorf("message %q does not mention %s", res.Response.Error.Message, tt.wantInMessage)
			}
			if !uuidRE.MatchString(res.Response.RequestID) {
				t.Errorf("RequestId %q is not a uuid", res.Response.RequestID)
			}
		})
	}
}

// TestAPI_InternalError: a database failure is InternalError with HTTP 200,
// and says nothing about the cause.
func TestAPI_InternalError(t *testing.T) {
	e := newEnv(t)
	u := e.user(t, "a@example.com")
	sqlDB, err := e.store.DB().DB()
	if err != nil {
		t.Fatal(err)
	}
	sqlDB.Close()
	res := e.rawRequest(t, u, "POST", "DescribeZones", "", []byte(`{}`))
	if res.status != http.StatusOK || res.code() != models.CodeInternal {
		t.Fatalf("status %d code %q, want 200 %s", res.status, res.code(), models.CodeInternal)
	}
	if strings.Contains(strings.ToLower(res.Response.Error.Message), "sql") {
		t.Errorf("message leaks the cause: %q", res.Response.Error.Message)
	}
}

// TestReadme_NamesEveryAction: the README's "Use it from code" section
// lists every action the endpoint serves.
func TestReadme_NamesEveryAction(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	start := strings.Index(s, "## Use it from code")
	if start < 0 {
		t.Fatal(`README.md has no "Use it from code" section`)
	}
	section := s[start:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	e := newEnv(t)
	for _, a := range e.api.Actions() {
		if !regexp.MustCompile(`\b` + a + `\b`).MatchString(section) {
			t.Errorf("the README's Use it from code section does not name %s", a)
		}
	}
}
