package api

import (
	"reflect"

	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"

	"imageconsole/models"
)

// action is one entry of the dispatch table, keyed by X-TC-Action. Each
// group of actions lives in its own file and returns its entries from a
// method (regionActions, imageActions, ...) that New merges.
//
// Adding an action is one entry and one function:
//
//	"DescribeImages": handle(cvm.NewDescribeImagesRequest, a.describeImages),
//
//	func (a *API) describeImages(c *call, req *cvm.DescribeImagesRequest) (*cvm.DescribeImagesResponseParams, error)
//
// The function receives the decoded SDK request and returns the SDK's
// response parameters (RequestId is filled in) or a coded error.
type action struct {
	// regional actions need X-TC-Region; only DescribeRegions does not.
	regional bool
	// product is the service whose action this is ("cvm" when empty, or
	// "vpc"): a TC3 credential scope naming a product reaches its actions only.
	product string
	// request is the SDK request type the action decodes.
	request reflect.Type
	run     func(c *call) (any, error)
}

func (a action) productName() string {
	if a.product == "" {
		return Service
	}
	return a.product
}

// of marks an action of another product than cvm.
func (a action) of(product string) action {
	a.product = product
	return a
}

// VPCService is the service (product) of the VPC actions.
const VPCService = "vpc"

// inVPC marks an action of the VPC product.
func (a action) inVPC() action { return a.of(VPCService) }

// handle makes an action from an SDK request constructor and the function
// that answers the decoded request.
func handle[Req request, Resp any](newReq func() Req, fn func(c *call, req Req) (*Resp, error)) action {
	return action{regional: true, request: reflect.TypeOf(newReq()), run: func(c *call) (any, error) {
		req := newReq()
		if err := c.decode(req); err != nil {
			return nil, err
		}
		out, err := fn(c, req)
		if err != nil {
			return nil, err
		}
		return out, nil
	}}
}

// global marks an action that needs no region.
func (a action) global() action {
	a.regional = false
	return a
}

// Helpers that read the SDK's optional pointer fields.

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func u64(p *uint64) uint64 {
	if p == nil {
		return 0
	}
	return *p
}

func strs(ps []*string) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, str(p))
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// filters converts the SDK's filters.
func filters(fs []*cvm.Filter) []models.Filter {
	out := make([]models.Filter, 0, len(fs))
	for _, f := range fs {
		if f != nil {
			out = append(out, models.Filter{Name: str(f.Name), Values: strs(f.Values)})
		}
	}
	return out
}

func ptrs(vs []string) []*string {
	out := make([]*string, len(vs))
	for i, v := range vs {
		out[i] = &v
	}
	return out
}
