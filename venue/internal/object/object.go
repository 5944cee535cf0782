// Package object reads the JSON objects of exchange payloads field by field,
// for the venue decoders: every value is read into its Go type with the
// field and row named in any error ([venue.FieldError]), required fields
// are checked, and unknown fields are ignored.
//
// An Object records the first error and ignores every later read, so a
// decoder reads all its fields and checks [Object.Err] once.
package object

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/venue"
)

// Need says whether a field must hold a value.
type Need bool

// The needs of a field.
const (
	Optional Need = false
	Required Need = true
)

// Rows returns the elements of data when it is a JSON array, or data itself
// as the only row when it is a JSON object. Any other JSON value is
// [venue.ErrType] at row 0; malformed JSON is encoding/json's error.
func Rows(data []byte) ([]json.RawMessage, error) {
	switch first(data) {
	case '[':
		var rows []json.RawMessage
		if err := json.Unmarshal(data, &rows); err != nil {
			return nil, err
		}
		return rows, nil
	case '{':
		var row json.RawMessage
		if err := json.Unmarshal(data, &row); err != nil {
			return nil, err
		}
		return []json.RawMessage{row}, nil
	}
	if !json.Valid(data) {
		var v json.RawMessage
		return nil, json.Unmarshal(data, &v)
	}
	return nil, &venue.FieldError{Err: venue.ErrType}
}

// first returns the first byte of data that is not JSON white space, or 0.
func first(data []byte) byte {
	data = bytes.TrimLeft(data, " \t\r\n")
	if len(data) == 0 {
		return 0
	}
	return data[0]
}

// An Object is one JSON object of a payload being read.
type Object struct {
	fields map[string]json.RawMessage
	row    *venue.Row
	path   string // prefix of nested fields: "filters[1]."
	err    *error // shared with nested objects
}

// New returns the object in raw, which is row of the payload. If raw is not
// a JSON object, the Object's error is a [venue.ErrType] naming the row and
// every read returns zero values.
func New(raw json.RawMessage, row venue.Row) *Object {
	r := row
	o := &Object{row: &r, err: new(error)}
	if first(raw) != '{' || json.Unmarshal(raw, &o.fields) != nil {
		*o.err = &venue.FieldError{Row: r, Err: venue.ErrType}
	}
	return o
}

// Err returns the first error met while reading the object or any object
// nested in it, as a *venue.FieldError, or nil.
func (o *Object) Err() error { return *o.err }

// Row returns the row being read.
func (o *Object) Row() venue.Row { return *o.row }

// SetKey names the row by key (its symbol, currency or asset) in later
// errors.
func (o *Object) SetKey(key string) { o.row.Key = key }

// Fail records err for field key, unless an error is already recorded.
func (o *Object) Fail(key string, err error) {
	if *o.err == nil {
		*o.err = &venue.FieldError{Row: *o.row, Field: o.path + key, Err: err}
	}
}

// Cause returns err as the Err of a [venue.FieldError], which must match
// one of the venue sentinels: err itself when it does, otherwise err
// wrapped in [venue.ErrValue] (a value the library refused: out of its
// domain or inconsistent with the rest of the payloads), so that
// [errors.Is] finds both. It is for the errors of library calls that an
// adapter's Assemble reports against a field.
func Cause(err error) error {
	for _, s := range [...]error{venue.ErrMissing, venue.ErrType, venue.ErrNumber, venue.ErrValue} {
		if errors.Is(err, s) {
			return err
		}
	}
	return fmt.Errorf("%w: %w", venue.ErrValue, err)
}

// Check returns nil if d is a valid decimal (derivmath.CheckDecimal), as
// every decoded one is; otherwise what decoding it would have returned, a
// [venue.FieldError] for row and key whose Err is [venue.ErrNumber]
// wrapping the check's error. The adapters' conversions apply it to a row
// a caller may have filled by hand, so that what they return is a valid
// input.
func Check(row venue.Row, key string, d *venue.Decimal) error {
	if err := derivmath.CheckDecimal(&d.Decimal); err != nil {
		return &venue.FieldError{Row: row, Field: key, Err: fmt.Errorf("%w: %w", venue.ErrNumber, err)}
	}
	return nil
}

// Need records [venue.ErrMissing] for key unless ok.
func (o *Object) Need(key string, ok bool) {
	if !ok {
		o.Fail(key, venue.ErrMissing)
	}
}

// Alias returns the first of keys that the object holds with a value other
// than null, or keys[0] if it holds none: for fields whose name the venue
// spells in several ways. A null key is absent, as everywhere ([Object.Has]),
// so it does not hide another spelling's value.
func (o *Object) Alias(keys ...string) string {
	for _, k := range keys {
		if o.Has(k) {
			return k
		}
	}
	return keys[0]
}

// value returns the raw value of key, or nil when it is absent or null
// (recording ErrMissing when it is required). It returns nil once an error
// is recorded.
func (o *Object) value(key string, need Need) json.RawMessage {
	if *o.err != nil {
		return nil
	}
	v, ok := o.fields[key]
	if !ok || string(v) == "null" {
		if need {
			o.Fail(key, venue.ErrMissing)
		}
		return nil
	}
	return v
}

// String returns the string value of key. The empty string counts as
// missing for a required field.
func (o *Object) String(key string, need Need) string {
	v := o.value(key, need)
	if v == nil {
		return ""
	}
	var s string
	if v[0] != '"' || json.Unmarshal(v, &s) != nil {
		o.Fail(key, venue.ErrType)
		return ""
	}
	if s == "" && need {
		o.Fail(key, venue.ErrMissing)
	}
	return s
}

// Decimal reads key into dst: a JSON number or a string holding one (see
// [venue.Decimal]). Null, "" and absence leave dst unset, which is
// [venue.ErrMissing] for a required field.
func (o *Object) Decimal(key string, dst *venue.Decimal, need Need) {
	dst.Valid = false
	dst.SetInt64(0)
	v := o.value(key, need)
	if v == nil {
		return
	}
	if err := dst.UnmarshalJSON(v); err != nil {
		o.Fail(key, err)
		return
	}
	if !dst.Valid && bool(need) {
		o.Fail(key, venue.ErrMissing)
	}
}

// Int returns the integer value of key, written as a JSON number or a
// string of digits (venues use both for the same field). A fraction, an
// exponent or a value beyond int64 is [venue.ErrNumber]; "" counts as
// missing.
func (o *Object) Int(key string, need Need) (n int64, ok bool) {
	v := o.value(key, need)
	if v == nil {
		return 0, false
	}
	text := v
	switch c := v[0]; {
	case c == '"':
		var s string
		if json.Unmarshal(v, &s) != nil {
			o.Fail(key, venue.ErrType)
			return 0, false
		}
		if s == "" {
			if need {
				o.Fail(key, venue.ErrMissing)
			}
			return 0, false
		}
		text = []byte(s)
	case c == '-' || c >= '0' && c <= '9':
	default:
		o.Fail(key, venue.ErrType)
		return 0, false
	}
	if !integer(text) {
		o.Fail(key, venue.ErrNumber)
		return 0, false
	}
	n, err := strconv.ParseInt(string(text), 10, 64)
	if err != nil {
		o.Fail(key, fmt.Errorf("%w: %w", venue.ErrNumber, err))
		return 0, false
	}
	return n, true
}

// integer reports whether text is -?[0-9]+.
func integer(text []byte) bool {
	if len(text) > 0 && text[0] == '-' {
		text = text[1:]
	}
	if len(text) == 0 {
		return false
	}
	for _, c := range text {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Bool returns the boolean value of key, a JSON true or false.
func (o *Object) Bool(key string, need Need) (b, ok bool) {
	return o.boolean(key, need, false)
}

// BoolText is Bool that also accepts the strings "true" and "false", as
// Binance writes isAutoAddMargin in positionRisk v2.
func (o *Object) BoolText(key string, need Need) (b, ok bool) {
	return o.boolean(key, need, true)
}

func (o *Object) boolean(key string, need Need, text bool) (b, ok bool) {
	v := o.value(key, need)
	switch {
	case v == nil:
		return false, false
	case string(v) == "true", text && string(v) == `"true"`:
		return true, true
	case string(v) == "false", text && string(v) == `"false"`:
		return false, true
	}
	o.Fail(key, venue.ErrType)
	return false, false
}

// Time returns the RFC 3339 timestamp of key ("2024-12-09T11:11:10.769Z").
func (o *Object) Time(key string, need Need) time.Time {
	s := o.String(key, need)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		o.Fail(key, fmt.Errorf("%w: %w", venue.ErrValue, err))
	}
	return t
}

// Millis returns the time of key, written as milliseconds since the Unix
// epoch in a JSON number or string. 0 means no time: it returns the zero
// time.Time, and a required field that is 0 is [venue.ErrMissing].
func (o *Object) Millis(key string, need Need) time.Time {
	ms, ok := o.Int(key, need)
	if !ok || ms == 0 {
		if ok && bool(need) {
			o.Fail(key, venue.ErrMissing)
		}
		return time.Time{}
	}
	if ms < 0 || ms > maxMillis {
		o.Fail(key, venue.ErrValue)
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// maxMillis is 9999-12-31T23:59:59.999Z: later times are not timestamps.
const maxMillis = 253402300799999

// Object returns the object nested at key. A missing optional object reads
// as an empty one.
func (o *Object) Object(key string, need Need) *Object {
	c := &Object{row: o.row, path: o.path + key + ".", err: o.err}
	v := o.value(key, need)
	if v == nil {
		return c
	}
	if v[0] != '{' || json.Unmarshal(v, &c.fields) != nil {
		o.Fail(key, venue.ErrType)
	}
	return c
}

// Array returns the objects of the array at key. A missing optional array
// reads as empty; an element that is not an object is [venue.ErrType].
func (o *Object) Array(key string, need Need) []*Object {
	raws := o.RawArray(key, need)
	if raws == nil {
		return nil
	}
	objs := make([]*Object, len(raws))
	for i, r := range raws {
		c := &Object{row: o.row, path: o.path + key + "[" + strconv.Itoa(i) + "].", err: o.err}
		if r[0] != '{' || json.Unmarshal(r, &c.fields) != nil {
			o.Fail(key+"["+strconv.Itoa(i)+"]", venue.ErrType)
		}
		objs[i] = c
	}
	return objs
}

// Has reports whether the object holds key with a value other than null.
func (o *Object) Has(key string) bool {
	v, ok := o.fields[key]
	return ok && string(v) != "null"
}

// RawArray returns the elements of the array at key, unparsed, for arrays
// whose elements are rows of their own. A missing optional array reads as
// empty.
func (o *Object) RawArray(key string, need Need) []json.RawMessage {
	v := o.value(key, need)
	if v == nil {
		return nil
	}
	var raws []json.RawMessage
	if v[0] != '[' || json.Unmarshal(v, &raws) != nil {
		o.Fail(key, venue.ErrType)
		return nil
	}
	return raws
}
