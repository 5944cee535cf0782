package object

import (
	"errors"
	"fmt"
	"testing"

	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/venue"
)

// TestArray checks Array, which reads the array as RawArray does: a
// missing optional array is nil, an empty one empty, a value that is not
// an array or an element that is not an object venue.ErrType.
func TestArray(t *testing.T) {
	tests := []struct {
		raw     string
		n       int // -1: nil
		wantErr bool
	}{
		{`{}`, -1, false},
		{`{"a": null}`, -1, false},
		{`{"a": []}`, 0, false},
		{`{"a": [{"x": 1}, {}]}`, 2, false},
		{`{"a": {}}`, -1, true},
		{`{"a": [1]}`, 1, true},
	}
	for _, tt := range tests {
		o := New([]byte(tt.raw), venue.Row{})
		got := o.Array("a", Optional)
		if n := len(got); tt.n < 0 && got != nil || tt.n >= 0 && (got == nil || n != tt.n) {
			t.Errorf("Array of %s: %d objects (nil %t), want %d", tt.raw, n, got == nil, tt.n)
		}
		if err := o.Err(); errors.Is(err, venue.ErrType) != tt.wantErr {
			t.Errorf("Array of %s: error %v, want ErrType %t", tt.raw, err, tt.wantErr)
		}
	}
}

// TestCheck: a valid decimal is nil; one that is not is a
// *venue.FieldError for the row and key given, whose Err is
// venue.ErrNumber (not ErrValue) wrapping derivmath's sentinel.
func TestCheck(t *testing.T) {
	row := venue.Row{Index: -1, Key: "XBTUSD"}
	for _, tt := range []struct {
		x    string
		want error // nil: valid
	}{
		{"1.5", nil},
		{"0", nil},
		{"-2E+3", nil},
		{"-0", derivmath.ErrNegativeZero},
		{"NaN", derivmath.ErrNaN},
		{"-Infinity", derivmath.ErrInfinite},
		{"1E+1000", derivmath.ErrRange},
	} {
		var d venue.Decimal
		if _, _, err := d.SetString(tt.x); err != nil {
			t.Fatal(err)
		}
		d.Valid = true
		err := Check(row, "avgPrice", &d)
		if tt.want == nil {
			if err != nil {
				t.Errorf("Check(%s): %v, want nil", tt.x, err)
			}
			continue
		}
		var fe *venue.FieldError
		switch {
		case !errors.As(err, &fe):
			t.Errorf("Check(%s): %v, want a *venue.FieldError", tt.x, err)
		case fe.Row != row || fe.Field != "avgPrice":
			t.Errorf("Check(%s): row %v field %q, want %v avgPrice", tt.x, fe.Row, fe.Field, row)
		case !errors.Is(fe.Err, venue.ErrNumber) || errors.Is(err, venue.ErrValue) || !errors.Is(err, tt.want):
			t.Errorf("Check(%s): %v, want venue.ErrNumber wrapping %v", tt.x, err, tt.want)
		}
	}
}

// TestCause: an error that matches a venue sentinel is kept as it is; any
// other is wrapped in venue.ErrValue, and errors.Is still finds it.
func TestCause(t *testing.T) {
	other := errors.New("library: refused")
	for _, s := range []error{venue.ErrMissing, venue.ErrType, venue.ErrNumber, venue.ErrValue} {
		err := fmt.Errorf("x: %w", s)
		if got := Cause(err); got != err { //nolint:errorlint // the same value, not only a match
			t.Errorf("Cause(%v) = %v, want it unchanged", err, got)
		}
	}
	got := Cause(other)
	if !errors.Is(got, venue.ErrValue) || !errors.Is(got, other) {
		t.Errorf("Cause(%v) = %v, want ErrValue wrapping it", other, got)
	}
}

// TestMillis: 0 is no time, which a required field reports missing and an
// optional one reads as the zero time.
func TestMillis(t *testing.T) {
	o := New([]byte(`{"t": 0}`), venue.Row{})
	if got := o.Millis("t", Optional); !got.IsZero() || o.Err() != nil {
		t.Errorf("optional 0: %v, %v", got, o.Err())
	}
	if got := o.Millis("t", Required); !got.IsZero() || !errors.Is(o.Err(), venue.ErrMissing) {
		t.Errorf("required 0: %v, %v, want ErrMissing", got, o.Err())
	}
	o = New([]byte(`{"t": "1702780274788"}`), venue.Row{})
	if got := o.Millis("t", Required); got.UnixMilli() != 1702780274788 || o.Err() != nil {
		t.Errorf("a string of milliseconds: %v, %v", got, o.Err())
	}
}
