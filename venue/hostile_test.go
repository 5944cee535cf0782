package venue_test

import (
	"testing"

	"github.com/cockroachdb/apd/v3"

	"github.com/derivmath/derivmath/venue"
)

// TestAppendComparisonHostile: a number that is not finite (NaN, sNaN,
// an infinity) on either side never agrees, with any tolerance, even with
// itself; nor do two different numbers within a NaN tolerance, nor two
// whose difference is beyond apd's exponent range.
func TestAppendComparisonHostile(t *testing.T) {
	for _, bad := range []string{"NaN", "-NaN", "sNaN", "Infinity", "-Infinity"} {
		for _, other := range []string{"NaN", "Infinity", "0", "1", "65432.5", "-0"} {
			for _, tol := range []string{"", "0", "1E+100"} {
				for _, swap := range []bool{false, true} {
					var x, y venue.Decimal
					if _, _, err := x.SetString(bad); err != nil {
						t.Fatal(err)
					}
					if _, _, err := y.SetString(other); err != nil {
						t.Fatal(err)
					}
					x.Valid, y.Valid = true, true
					ex, ours := &x, &y
					if swap {
						ex, ours = ours, ex
					}
					var tl *apd.Decimal
					if tol != "" {
						tl, _, _ = apd.NewFromString(tol)
					}
					cs := venue.AppendComparison(nil, "X", venue.OneWay, "f", ex, ours, tl)
					if cs[0].Agree {
						t.Errorf("exchange %s, ours %s, tolerance %q: agree (diff %s)", ex.String(), ours.String(), tol, cs[0].Diff.String())
					}
				}
			}
		}
	}
	var x, y venue.Decimal
	x.SetInt64(1)
	y.SetInt64(2)
	x.Valid, y.Valid = true, true
	if cs := venue.AppendComparison(nil, "X", venue.OneWay, "f", &x, &y, &apd.Decimal{Form: apd.NaN}); cs[0].Agree {
		t.Errorf("1 and 2 agree within a NaN tolerance")
	}
	// A difference beyond apd's exponent range: the subtraction fails,
	// and no tolerance, however wide, makes them agree.
	x.SetFinite(9, 100000)
	y.SetFinite(-9, 100000)
	if cs := venue.AppendComparison(nil, "X", venue.OneWay, "f", &x, &y, apd.New(1, 100002)); cs[0].Agree {
		t.Errorf("9E+100000 and -9E+100000 agree within 1E+100002 (diff %s)", cs[0].Diff.String())
	}
}
