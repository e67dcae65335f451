package api

import (
	"encoding/json"
	"maps"
	"math"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"imageconsole/models"
)

// commonQueryParams are API 3.0 common parameters some clients repeat in a
// GET's query (they travel in headers) and the common parameters of a v1
// request; none is an action parameter.
var commonQueryParams = map[string]bool{"Action": true, "Version": true, "Region": true, "Timestamp": true,
	"Nonce": true, "RequestClient": true, "Language": true,
	"SecretId": true, "SignatureMethod": true, "Signature": true, "Token": true}

// queryToJSON rebuilds the JSON body the SDK would have sent from the query
// it flattens for a GET (Filters.0.Values.1=x, Placement.Zone=z, Limit=20),
// typing each value by req's field: numbers, booleans and strings.
func queryToJSON(rawQuery string, t reflect.Type) ([]byte, error) {
	values, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, models.E(models.CodeInvalidParameter, "err.apiquery.malformed", "Reason", err.Error())
	}
	return valuesToJSON(values, t)
}

// valuesToJSON is queryToJSON on parsed parameters.
func valuesToJSON(values url.Values, t reflect.Type) ([]byte, error) {
	var root any
	var err error
	for _, key := range slices.Sorted(maps.Keys(values)) {
		if commonQueryParams[key] || isNewerField(t, strings.SplitN(key, ".", 2)[0]) {
			continue
		}
		if len(values[key]) > 1 {
			return nil, models.FieldE(key, models.CodeInvalidParameter, "err.apiquery.repeated", "Name", quote(key))
		}
		if root, err = insert(root, t, strings.Split(key, "."), values[key][0], ""); err != nil {
			return nil, err
		}
	}
	if root == nil {
		return []byte("{}"), nil
	}
	return json.Marshal(compact(root))
}

// insert places raw at the path parts below node, whose SDK type is t. A
// struct is built as map[string]any and a list as map[int]any, compacted
// into a JSON array afterwards.
func insert(node any, t reflect.Type, parts []string, raw, path string) (any, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		if len(parts) == 0 {
			return nil, wrongType(path, "err.api.wrongType.objectQuery")
		}
		m, _ := node.(map[string]any)
		if m == nil {
			m = map[string]any{}
		}
		name := join(path, parts[0])
		f, ok := fieldByName(t, parts[0])
		if !ok {
			return nil, models.FieldE(name, codeUnknownParameter, "err.apiquery.unknown", "Name", quote(name))
		}
		child, err := insert(m[parts[0]], f.Type, parts[1:], raw, name)
		m[parts[0]] = child
		return m, err
	case reflect.Slice:
		if len(parts) == 0 {
			return nil, wrongType(path, "err.api.wrongType.listQuery")
		}
		i, err := strconv.Atoi(parts[0])
		if err != nil || i < 0 {
			return nil, wrongType(path, "err.api.wrongType.listQuery")
		}
		if i >= models.MaxListItems {
			return nil, models.FieldE(path, models.CodeValueLimitExceeded, "err.apiquery.tooManyEntries", "Name", path, "Max", models.MaxListItems)
		}
		m, _ := node.(map[int]any)
		if m == nil {
			m = map[int]any{}
		}
		child, err := insert(m[i], t.Elem(), parts[1:], raw, join(path, parts[0]))
		m[i] = child
		return m, err
	}
	if len(parts) > 0 {
		name := join(path, strings.Join(parts, "."))
		return nil, models.FieldE(name, codeUnknownParameter, "err.apiquery.unknown", "Name", quote(name))
	}
	if node != nil {
		return nil, models.FieldE(path, models.CodeInvalidParameter, "err.apiquery.repeated", "Name", quote(path))
	}
	return scalar(raw, t, path)
}

// scalar types a query value as its SDK field's kind.
func scalar(raw string, t reflect.Type, path string) (any, error) {
	switch t.Kind() {
	case reflect.String:
		return raw, nil
	case reflect.Bool:
		switch raw {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, wrongType(path, "err.api.wrongType.bool")
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return nil, wrongType(path, "err.api.wrongType.integer")
		}
		return n, nil
	case reflect.Uint, reflect.Uint64:
		n, err := strconv.ParseUint(raw, 10, 64)
		if err != nil {
			return nil, wrongType(path, "err.api.wrongType.unsigned")
		}
		return n, nil
	case reflect.Float64:
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, wrongType(path, "err.api.wrongType.number")
		}
		return f, nil
	}
	return nil, wrongType(path, "err.api.wrongType.supported")
}

// compact turns the index maps of lists into arrays, in index order.
func compact(node any) any {
	switch n := node.(type) {
	case map[string]any:
		for k, v := range n {
			n[k] = compact(v)
		}
		return n
	case map[int]any:
		idx := slices.Sorted(maps.Keys(n))
		out := make([]any, len(idx))
		for j, i := range idx {
			out[j] = compact(n[i])
		}
		return out
	}
	return node
}
