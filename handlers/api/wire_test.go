package api

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	cvm "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/cvm/v20170312"
)

// TestEncodeResponse checks the encoder against what it replaced: json.Marshal
// of maps built from the json tags (wireMaps), on every response type with
// fields filled in many ways: nil, empty and nil-element lists, text that
// needs escaping, large and small numbers.
func TestEncodeResponse(t *testing.T) {
	types := []any{
		cvm.DescribeImagesResponseParams{}, cvm.DescribeInstancesResponseParams{}, cvm.DescribeRegionsResponseParams{},
		cvm.DescribeZonesResponseParams{}, cvm.DescribeZoneInstanceConfigInfosResponseParams{},
		cvm.DescribeInstanceTypeConfigsResponseParams{}, cvm.InquiryPriceRunInstancesResponseParams{},
		cvm.DescribeImportImageOsResponseParams{}, cvm.DescribeImageSharePermissionResponseParams{},
		cvm.RunInstancesResponseParams{}, cvm.CreateImageResponseParams{}, cvm.SyncImagesResponseParams{},
		cvm.DescribeImageQuotaResponseParams{}, cvm.ResetInstanceResponseParams{},
	}
	for _, typ := range types {
		for seed := range 12 {
			v := reflect.New(reflect.TypeOf(typ))
			fill(v.Elem(), seed, 0)
			want, err := json.Marshal(map[string]any{"Response": withID(wireMaps(v), "req-1")})
			if err != nil {
				t.Fatal(err)
			}
			got, err := encodeResponse(v.Interface(), "req-1")
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%T seed %d:\n got %s\nwant %s", typ, seed, got, want)
			}
		}
	}
	t.Run("Nil", func(t *testing.T) {
		var p *cvm.DescribeImagesResponseParams
		if got, _ := encodeResponse(p, "r"); string(got) != `{"Response":{"RequestId":"r"}}` {
			t.Errorf("got %s", got)
		}
	})
	t.Run("ErrNaN", func(t *testing.T) {
		if _, err := encodeResponse(&struct {
			X *float64 `json:"X"`
		}{X: new(math.NaN())}, "r"); err == nil {
			t.Error("NaN encoded without an error")
		}
	})
}

func withID(fields any, id string) map[string]any {
	m, _ := fields.(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	m["RequestId"] = id
	return m
}

// wireMaps is the former encoder's first step: the response as maps.
func wireMaps(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return wireMaps(v.Elem())
	case reflect.Struct:
		out := map[string]any{}
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if f.Anonymous || !f.IsExported() || name == "" || name == "-" {
				continue
			}
			fv := v.Field(i)
			switch fv.Kind() {
			case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
				if fv.IsNil() {
					continue
				}
			}
			out[name] = wireMaps(fv)
		}
		return out
	case reflect.Slice:
		out := make([]any, v.Len())
		for i := range out {
			out[i] = wireMaps(v.Index(i))
		}
		return out
	case reflect.Invalid:
		return nil
	default:
		return v.Interface()
	}
}

var samples = []string{"", "plain", `<b>"x" & y\z</b>`, "中文 text", "bad \xff utf-8", "tab\tnew\nline", "sep\u2028", "img-abcd1234"}

// fill sets every field of v from seed: pointers nil or set, lists nil,
// empty, or with a nil element, numbers of every size.
func fill(v reflect.Value, seed, depth int) {
	k := seed + depth*7
	switch v.Kind() {
	case reflect.Pointer:
		if k%5 == 4 || depth > 6 {
			return // stays nil
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), seed+1, depth+1)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), seed+i, depth+1)
			}
		}
	case reflect.Slice:
		switch k % 4 {
		case 0: // nil
		case 1:
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		default:
			v.Set(reflect.MakeSlice(v.Type(), 2, 2))
			fill(v.Index(0), seed+3, depth+1)
			if k%4 == 3 {
				fill(v.Index(1), seed+5, depth+1)
			}
		}
	case reflect.String:
		v.SetString(samples[k%len(samples)])
	case reflect.Bool:
		v.SetBool(k%2 == 0)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt([]int64{0, -1, 42, math.MaxInt32, math.MinInt64}[k%5] % (1 << (v.Type().Bits() - 1)))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint([]uint64{0, 1, 42, math.MaxUint32}[k%4] % (1 << (v.Type().Bits() - 1)))
	case reflect.Float32, reflect.Float64:
		v.SetFloat([]float64{0, 0.1234, 1e21, 1e-7, 123456.789}[k%5])
	}
}

// TestEncodeResponse_EmbeddedSDKStruct: an SDK struct extended with a field
// the pinned SDK lacks (DescribeInstances' HostName) encodes the SDK's
// fields and the new one side by side, as encoding/json would.
func TestEncodeResponse_EmbeddedSDKStruct(t *testing.T) {
	out := &describeInstancesOut{TotalCount: ptr(int64(1)), InstanceSet: []*instanceWire{
		{Instance: cvm.Instance{InstanceId: ptr("ins-12345678"), SecurityGroupIds: []*string{}}, HostName: ptr("web-1")}}}
	got, err := encodeResponse(out, "req")
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Response":{"InstanceSet":[{"HostName":"web-1","InstanceId":"ins-12345678","SecurityGroupIds":[]}],"RequestId":"req","TotalCount":1}}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
