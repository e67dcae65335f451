package api

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"

	"github.com/labstack/echo/v4"

	"imageconsole/models"
)

// writeResult answers with an action's SDK response parameters inside the
// envelope {"Response": {..., "RequestId": id}}.
func writeResult(c echo.Context, reqID, lang string, params any) error {
	fields, _ := wire(reflect.ValueOf(params)).(map[string]any)
	if fields == nil {
		fields = map[string]any{}
	}
	fields["RequestId"] = reqID
	b, err := json.Marshal(map[string]any{"Response": fields})
	if err != nil {
		c.Logger().Errorf("api: encode %T (request %s): %v", params, reqID, err)
		return writeError(c, reqID, lang, err)
	}
	return c.JSONBlob(http.StatusOK, b)
}

// writeError answers with {"Response": {"Error": {Code, Message}, "RequestId": id}}.
func writeError(c echo.Context, reqID, lang string, err error) error {
	var body struct {
		Response struct {
			Error struct {
				Code    string `json:"Code"`
				Message string `json:"Message"`
			} `json:"Error"`
			RequestID string `json:"RequestId"`
		} `json:"Response"`
	}
	body.Response.Error.Code = models.ErrorCode(err)
	body.Response.Error.Message = message(err, lang)
	body.Response.RequestID = reqID
	b, _ := json.Marshal(body) // strings only: cannot fail
	return c.JSONBlob(http.StatusOK, b)
}

// wire turns an SDK response struct into plain JSON values by its json tags.
// Nil pointers and nil slices are left out, as the SDK's omitnil does, but an
// empty list stays [] (the SDK's omitempty would drop it), so a client can
// tell "none" from "not returned".
func wire(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return wire(v.Elem())
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
			out[name] = wire(fv)
		}
		return out
	case reflect.Slice:
		out := make([]any, v.Len())
		for i := range out {
			out[i] = wire(v.Index(i))
		}
		return out
	case reflect.Invalid:
		return nil
	default:
		return v.Interface()
	}
}
