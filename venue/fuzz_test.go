package venue_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/derivmath/derivmath"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/venue"
)

// FuzzDecimal feeds arbitrary JSON values to Decimal: nothing panics, every
// error is ErrType or ErrNumber, and every value read is within the
// library's range, reads back the same from its own text, and marshals
// (MarshalJSON) to a JSON value that reads back the same, spelling and
// validity included.
func FuzzDecimal(f *testing.F) {
	for _, s := range []string{`"123.45"`, `123.45`, `9.433e-5`, `null`, `""`, `"NaN"`, `1e999`, `"-0"`, `37678305826089141`, `{"a":1}`, `"\u0031"`, `"1E+100"`, `-1.50e-100`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var d venue.Decimal
		err := d.UnmarshalJSON(b)
		if err != nil {
			if !errors.Is(err, venue.ErrType) && !errors.Is(err, venue.ErrNumber) {
				t.Fatalf("undocumented error %v", err)
			}
			return
		}
		out, err := d.MarshalJSON()
		if err != nil {
			t.Fatalf("%q: MarshalJSON: %v", b, err)
		}
		if !json.Valid(out) {
			t.Fatalf("%q marshals to %q, not JSON", b, out)
		}
		var m venue.Decimal
		if err := m.UnmarshalJSON(out); err != nil {
			t.Fatalf("%q marshals to %q, which does not read back: %v", b, out, err)
		}
		if m.Valid != d.Valid || m.Cmp(&d.Decimal) != 0 || m.Exponent != d.Exponent {
			t.Fatalf("%q marshals to %q, which reads back as %s", b, out, m.String())
		}
		if !d.Valid {
			return
		}
		if err := derivmath.CheckDecimal(&d.Decimal); err != nil {
			t.Fatalf("%q read as %s: %v", b, d.Decimal.String(), err)
		}
		var e venue.Decimal
		if err := e.UnmarshalJSON([]byte(`"` + d.Decimal.String() + `"`)); err != nil {
			t.Fatalf("%s does not read back: %v", d.Decimal.String(), err)
		} else if e.Cmp(&d.Decimal) != 0 || e.Exponent != d.Exponent {
			t.Fatalf("%s read back as %s", d.Decimal.String(), e.Decimal.String())
		}
		var z apd.Decimal
		z.Set(&d.Decimal)
		if z.IsZero() && z.Negative {
			t.Fatal("negative zero")
		}
	})
}
