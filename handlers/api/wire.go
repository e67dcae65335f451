package api

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// encodeResponse writes an action's SDK response parameters in the
// envelope, {"Response": {<fields>, "RequestId": id}}, by their json tags:
// nil pointers, interfaces, slices and maps are left out, as the SDK's
// omitnil does, but an empty list stays [] (the SDK's omitempty would drop
// it), so a client can tell "none" from "not returned". Keys come sorted and
// values are encoded as encoding/json encodes them: the bytes are those of
// json.Marshal on the equivalent maps, written without building the maps.
// json.Marshal of the SDK struct itself is as fast but drops the empty
// lists (the SDK tags them omitempty); building the maps for it cost a
// fifth of DescribeImages' throughput against its floor (cmd/bench, see
// README.md, Performance).
func encodeResponse(params any, reqID string) ([]byte, error) {
	e := &wireEncoder{buf: make([]byte, 0, 1024)}
	e.buf = append(e.buf, `{"Response":{`...)
	v := reflect.ValueOf(params)
	for (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && !v.IsNil() {
		v = v.Elem()
	}
	var fields []wireField
	if v.Kind() == reflect.Struct {
		fields = wireFields(v.Type())
	}
	first, idDone := true, false
	writeID := func() {
		e.key("RequestId", first)
		e.string(reqID)
		first, idDone = false, true
	}
	for _, f := range fields {
		fv := v.FieldByIndex(f.index)
		if f.name == "RequestId" || isNil(fv) {
			continue
		}
		if !idDone && f.name > "RequestId" {
			writeID()
		}
		e.key(f.name, first)
		first = false
		if err := e.value(fv); err != nil {
			return nil, err
		}
	}
	if !idDone {
		writeID()
	}
	return append(e.buf, "}}"...), nil
}

// wireField is a field of a struct by its JSON name; index is its path
// (longer than one for a field of an embedded struct).
type wireField struct {
	name  string
	index []int
}

// wireFieldCache holds wireFields by struct type: read-mostly, filled once
// per SDK type, safe for concurrent use.
var wireFieldCache sync.Map

// wireFields lists the fields a struct is encoded with, sorted by name (as
// json.Marshal sorts a map's keys); of fields sharing a name the last wins,
// as it would in the map.
func wireFields(t reflect.Type) []wireField {
	if f, ok := wireFieldCache.Load(t); ok {
		return f.([]wireField)
	}
	var out, embedded []wireField
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && f.Type.Kind() == reflect.Struct && name == "" {
			// An embedded SDK struct (a response extended with fields the
			// pinned SDK lacks): its fields count as the outer struct's,
			// shadowed by an outer field of the same name, as in encoding/json.
			for _, sub := range wireFields(f.Type) {
				embedded = append(embedded, wireField{sub.name, append([]int{i}, sub.index...)})
			}
			continue
		}
		if f.Anonymous || !f.IsExported() || name == "" || name == "-" {
			continue
		}
		out = append(out, wireField{name, []int{i}})
	}
	out = append(out, embedded...)
	slices.SortStableFunc(out, func(a, b wireField) int { return strings.Compare(a.name, b.name) })
	kept := out[:0]
	for i, f := range out {
		if i+1 < len(out) && out[i+1].name == f.name {
			continue
		}
		kept = append(kept, f)
	}
	wireFieldCache.Store(t, kept)
	return kept
}

func isNil(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
		return v.IsNil()
	}
	return false
}

// wireEncoder appends JSON to buf.
type wireEncoder struct {
	buf  []byte
	leaf bytes.Buffer
	enc  *json.Encoder // on leaf, for the values encoding/json must encode
}

func (e *wireEncoder) key(name string, first bool) {
	if !first {
		e.buf = append(e.buf, ',')
	}
	e.string(name)
	e.buf = append(e.buf, ':')
}

// value encodes v as json.Marshal encodes what wire made of it: structs
// (even ones with a MarshalJSON method) by their fields, slices element by
// element, anything else as encoding/json does.
func (e *wireEncoder) value(v reflect.Value) error {
	switch v.Kind() {
	case reflect.Invalid:
		e.buf = append(e.buf, "null"...)
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return nil
		}
		return e.value(v.Elem())
	case reflect.Struct:
		e.buf = append(e.buf, '{')
		first := true
		for _, f := range wireFields(v.Type()) {
			fv := v.FieldByIndex(f.index)
			if isNil(fv) {
				continue
			}
			e.key(f.name, first)
			first = false
			if err := e.value(fv); err != nil {
				return err
			}
		}
		e.buf = append(e.buf, '}')
	case reflect.Slice:
		e.buf = append(e.buf, '[')
		for i := range v.Len() {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			if err := e.value(v.Index(i)); err != nil {
				return err
			}
		}
		e.buf = append(e.buf, ']')
	default:
		return e.scalar(v)
	}
	return nil
}

// scalar encodes a leaf. The built-in kinds encoding/json writes plainly
// are written here; everything else (named types, which may marshal
// themselves, floats, maps, arrays) goes through encoding/json.
func (e *wireEncoder) scalar(v reflect.Value) error {
	if v.Type().PkgPath() == "" {
		switch v.Kind() {
		case reflect.String:
			e.string(v.String())
			return nil
		case reflect.Bool:
			e.buf = strconv.AppendBool(e.buf, v.Bool())
			return nil
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			e.buf = strconv.AppendInt(e.buf, v.Int(), 10)
			return nil
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			e.buf = strconv.AppendUint(e.buf, v.Uint(), 10)
			return nil
		}
	}
	return e.marshal(v.Interface())
}

// string writes s quoted; text that needs escaping (quotes, backslashes,
// control characters, <, > and &, which encoding/json escapes for HTML,
// anything not ASCII) goes through encoding/json.
func (e *wireEncoder) string(s string) {
	for i := range len(s) {
		if c := s[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			_ = e.marshal(s) // a string always encodes
			return
		}
	}
	e.buf = append(e.buf, '"')
	e.buf = append(e.buf, s...)
	e.buf = append(e.buf, '"')
}

func (e *wireEncoder) marshal(v any) error {
	if e.enc == nil {
		e.enc = json.NewEncoder(&e.leaf)
	}
	e.leaf.Reset()
	if err := e.enc.Encode(v); err != nil {
		return err
	}
	e.buf = append(e.buf, bytes.TrimSuffix(e.leaf.Bytes(), []byte("\n"))...)
	return nil
}
