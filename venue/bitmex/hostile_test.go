package bitmex_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/venue/bitmex"
)

// TestMajorHostile feeds Major amounts a broken feed or caller might
// send, into a fresh z and into z aliasing the amount: every error is
// documented (derivmath's sentinels for the amount or the result,
// ErrCurrency), a failed call leaves z as it was, and a successful one
// writes a valid input.
func TestMajorHostile(t *testing.T) {
	for _, tt := range []struct {
		amount, code string
		want         error // nil: success
	}{
		{"NaN", "XBt", derivmath.ErrNaN},
		{"sNaN", "XBt", derivmath.ErrNaN},
		{"Infinity", "XBt", derivmath.ErrInfinite},
		{"-Infinity", "USDt", derivmath.ErrInfinite},
		{"-0", "XBt", derivmath.ErrNegativeZero},
		{"1E+1000", "XBt", derivmath.ErrRange},
		{"1E-1000", "XBt", derivmath.ErrRange},
		{"1" + strings.Repeat("0", 49) + "1", "XBt", derivmath.ErrRange}, // 51 digits
		{"1E-93", "XBt", derivmath.ErrRange},                             // valid, but 1E-101 XBT is not
		{"1E-92", "XBt", nil},                                            // 1E-100 XBT
		{"1E+100", "XBt", nil},                                           // 1E+92 XBT
		{"1E+101", "XBt", derivmath.ErrRange},                            // not valid, though 1E+93 XBT is
		{"0", "XBt", nil},
		{"-9620", "XBt", nil},
		{"1418963", "USDt", nil},
		{"1", "XBT", bitmex.ErrCurrency},
		{"NaN", "XBT", bitmex.ErrCurrency},
	} {
		for _, alias := range []bool{false, true} {
			x, _, err := apd.NewFromString(tt.amount)
			if err != nil {
				t.Fatal(err)
			}
			z := apd.New(-425, -1)
			if alias {
				z = x
			}
			before := new(apd.Decimal).Set(z)
			err = bitmex.Major(z, x, tt.code)
			switch {
			case tt.want == nil && err != nil:
				t.Errorf("Major(%s, %s) alias %v: %v, want success", tt.amount, tt.code, alias, err)
			case tt.want != nil && !errors.Is(err, tt.want):
				t.Errorf("Major(%s, %s) alias %v: %v (z = %s), want %v", tt.amount, tt.code, alias, err, z, tt.want)
			case err != nil && (z.CmpTotal(before) != 0 || z.Form != before.Form):
				t.Errorf("Major(%s, %s) alias %v failed (%v) and changed z from %s to %s", tt.amount, tt.code, alias, err, before, z)
			case err == nil:
				if e := derivmath.CheckDecimal(z); e != nil {
					t.Errorf("Major(%s, %s) alias %v = %s, not a valid input: %v", tt.amount, tt.code, alias, z, e)
				}
			}
		}
	}
}
