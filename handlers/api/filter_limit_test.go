package api_test

import (
	"strings"
	"testing"

	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"

	"imageconsole/models"
)

// TestAPI_FilterValueTooLong: every free-text filter refuses a value over
// models.MaxFilterValue characters with InvalidFilterValue.LimitExceeded;
// a 50,001-character one was an InternalError (SQLite: "LIKE or GLOB
// pattern too complex").
func TestAPI_FilterValueTooLong(t *testing.T) {
	e := newEnv(t)
	a := e.user(t, "a@example.com")
	huge := strings.Repeat("a", 50001)
	atLimit := strings.Repeat("a", models.MaxFilterValue)
	over := strings.Repeat("界", models.MaxFilterValue+1)
	images := func(f *cvm.Filter) error {
		r := cvm.NewDescribeImagesRequest()
		r.Filters = []*cvm.Filter{f}
		_, err := e.client(t, a, opts{method: "POST", region: gz}).DescribeImages(r)
		return err
	}
	instances := func(f *cvm.Filter) error {
		r := cvm.NewDescribeInstancesRequest()
		r.Filters = []*cvm.Filter{f}
		_, err := e.client(t, a, opts{method: "POST", region: gz}).DescribeInstances(r)
		return err
	}
	tests := []struct {
		name     string
		call     func(*cvm.Filter) error
		filter   *cvm.Filter
		wantCode string
	}{
		{"OK/ImageNameAtLimit", images, filter("image-name", atLimit), ""},
		{"ErrImageName", images, filter("image-name", huge), models.CodeFilterLimit},
		{"ErrImageNameJustOver", images, filter("image-name", over), models.CodeFilterLimit},
		{"ErrPlatform", images, filter("platform", "Ubuntu", huge), models.CodeFilterLimit},
		{"ErrImageID", images, filter("image-id", huge), models.CodeFilterLimit},
		{"ErrImageState", images, filter("image-state", huge), models.CodeFilterLimit},
		{"ErrTagKey", images, filter("tag-key", huge), models.CodeFilterLimit},
		{"ErrTagValue", images, filter("tag:env", huge), models.CodeFilterLimit},
		{"OK/InstanceNameAtLimit", instances, filter("instance-name", atLimit), ""},
		{"ErrInstanceName", instances, filter("instance-name", huge), models.CodeFilterLimit},
		{"ErrInstanceID", instances, filter("instance-id", huge), models.CodeFilterLimit},
		{"ErrZone", instances, filter("zone", huge), models.CodeFilterLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call(tt.filter)
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("err = %v, want none", err)
				}
				return
			}
			wantCode(t, err, tt.wantCode)
		})
	}
}
