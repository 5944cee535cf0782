package venue

import (
	"errors"
	"strconv"
)

// Errors a decoder wraps in a [*FieldError]. Test for them with [errors.Is];
// a decimal outside the library's range also matches the numeric sentinels
// of the decimal checks (NaN, infinite, out of range).
var (
	// ErrMissing reports a required field that is absent, null or, where
	// the venue writes "no value" as an empty string, "".
	ErrMissing = errors.New("venue: missing field")
	// ErrType reports a field of the wrong JSON type: an object where a
	// number was expected, a number where a string was, a row that is not
	// an object.
	ErrType = errors.New("venue: wrong JSON type")
	// ErrNumber reports text that is not a finite decimal within the
	// library's range: "abc", "NaN", "Infinity", "0x10", "1e999", or more
	// significant digits than the library computes with.
	ErrNumber = errors.New("venue: not a valid number")
	// ErrValue reports a well-formed value that is out of its domain or
	// inconsistent with the rest of its row: an unknown enumeration value
	// ("positionSide": "UP"), a fractional integer, a negative size, a
	// hedge leg whose sign contradicts its side.
	ErrValue = errors.New("venue: invalid value")
)

// A Row identifies a row of a payload: its index in the response's array (0
// for a response that is a single object; -1 when the error concerns a
// symbol rather than one row, such as a tier table built from several
// rows) and, when the row has been read far enough to know it, its key: the
// symbol of an instrument or a position, the currency or asset of a
// balance.
type Row struct {
	Index int
	Key   string
}

// String returns "row 2 (XBTUSD)", "row 2" without a key, or "XBTUSD"
// when Index is negative.
func (r Row) String() string {
	if r.Index < 0 {
		return r.Key
	}
	s := "row " + strconv.Itoa(r.Index)
	if r.Key != "" {
		s += " (" + r.Key + ")"
	}
	return s
}

// A FieldError reports a field of a payload that a decoder could not use:
// missing, of the wrong type, malformed or invalid. Decoders return it
// wrapped; find it with [errors.As]. Err is one of [ErrMissing], [ErrType],
// [ErrNumber] and [ErrValue], possibly wrapping a more precise cause.
type FieldError struct {
	Row Row
	// Field is the JSON key, with the path to it for nested values:
	// "avgEntryPrice", "filters[0].tickSize", "brackets[2].cum". It is ""
	// when the row itself is malformed (not an object).
	Field string
	Err   error
}

func (e *FieldError) Error() string {
	s := "venue: " + e.Row.String()
	if e.Field != "" {
		s += ": " + e.Field
	}
	return s + ": " + e.Err.Error()
}

func (e *FieldError) Unwrap() error { return e.Err }
