package venue_test

import (
	"errors"
	"testing"

	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/venue"
)

// TestErrorsDocumented returns each error that the godoc of the package's
// two error-returning methods names, from one input: UnmarshalJSON's
// ErrType and ErrNumber (wrapping the numeric sentinel when the number is
// out of range), MarshalJSON's ErrNumber for a decimal set by hand that is
// not valid, which it wrote as text that is not JSON ("NaN") or does not
// read back (1E+999, beyond the library's range), returning no
// error. FuzzDecimal checks that UnmarshalJSON returns no other error.
func TestErrorsDocumented(t *testing.T) {
	unmarshal := func(s string) func() error {
		return func() error { var d venue.Decimal; return d.UnmarshalJSON([]byte(s)) }
	}
	marshal := func(s string) func() error {
		return func() error {
			var d venue.Decimal
			if _, _, err := d.SetString(s); err != nil {
				t.Fatal(err)
			}
			d.Valid = true
			_, err := d.MarshalJSON()
			return err
		}
	}
	for _, c := range []struct {
		fn   string
		want []error
		call func() error
	}{
		{"UnmarshalJSON", []error{venue.ErrType}, unmarshal(`{"a":1}`)},
		{"UnmarshalJSON", []error{venue.ErrType}, unmarshal(`true`)},
		{"UnmarshalJSON", []error{venue.ErrNumber}, unmarshal(`"abc"`)},
		{"UnmarshalJSON", []error{venue.ErrNumber, derivmath.ErrRange}, unmarshal(`1e999`)},
		{"MarshalJSON", []error{venue.ErrNumber, derivmath.ErrNaN}, marshal("NaN")},
		{"MarshalJSON", []error{venue.ErrNumber, derivmath.ErrInfinite}, marshal("-Infinity")},
		{"MarshalJSON", []error{venue.ErrNumber, derivmath.ErrRange}, marshal("1E+999")},
	} {
		err := c.call()
		for _, w := range c.want {
			if !errors.Is(err, w) {
				t.Errorf("%s: %v, want %v", c.fn, err, w)
			}
		}
	}
}
