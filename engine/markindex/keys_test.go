package markindex_test

import (
	"errors"
	"math"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/engine/markindex"
	"github.com/derivmath/derivmath/internal/dectest"
	"pgregory.net/rapid"
)

// maxUnits is the largest number of units a Key counts.
var maxUnits = apd.New(math.MaxInt64, 0)

// TestPropBelowAbove checks Below and Above against the 50-digit oracle and
// their promise: Below(p) is Lo = ceil(p/unit), whose key fires at every
// mark at or below p and at none more than one unit above it; Above(p) is
// Hi = floor(p/unit) (Now below one unit), whose key fires at every mark at
// or above p and at none more than one unit below it. Marks and prices are
// any decimals of up to 12 digits, on or off the unit's grid.
func TestPropBelowAbove(t *testing.T) {
	units := []string{"0.5", "0.1", "0.01", "0.05", "1", "5", "0.00000001", "0.25", "3", "0.03", "1E+2"}
	rapid.Check(t, func(t *rapid.T) {
		o := dectest.Oracle()
		ok := func(_ apd.Condition, err error) {
			if err != nil {
				t.Fatalf("oracle: %v", err)
			}
		}
		unit := dectest.D(rapid.SampledFrom(units).Draw(t, "unit"))
		x, err := markindex.New(unit, markindex.Deepest)
		if err != nil {
			t.Fatal(err)
		}
		p := dectest.Positive(999_999_999_999, 8).Draw(t, "p")
		var q, fl, ce apd.Decimal
		ok(o.Quo(&q, &p, unit))
		ok(o.Floor(&fl, &q))
		ok(o.Ceil(&ce, &q))
		below, err := x.Below(&p)
		if errors.Is(err, markindex.ErrRange) && ce.Cmp(maxUnits) > 0 {
			// Documented: more units than an int64 counts.
			if _, err := x.Above(&p); fl.Cmp(maxUnits) > 0 && !errors.Is(err, markindex.ErrRange) {
				t.Fatalf("Above(%s) at unit %s: %v, want ErrRange", p.String(), unit.String(), err)
			}
			return
		}
		if err != nil {
			t.Fatalf("Below(%s) at unit %s: %v", p.String(), unit.String(), err)
		}
		if below.Lo != ce.Coeff.Int64() || below.Hi != 0 {
			t.Fatalf("Below(%s) at unit %s = %+v, want Lo = %s", p.String(), unit.String(), below, ce.String())
		}
		above, err := x.Above(&p)
		if err != nil {
			t.Fatalf("Above(%s): %v", p.String(), err)
		}
		want := markindex.Key{Hi: fl.Coeff.Int64()}
		if fl.IsZero() {
			want = markindex.Now()
		}
		if above != want {
			t.Fatalf("Above(%s) at unit %s = %+v, want %+v", p.String(), unit.String(), above, want)
		}

		// Fire at marks around p: at or below (above) p always; more than
		// a unit above (below) never.
		x.Upsert(1, below)
		x.Upsert(2, above)
		off := dectest.Positive(999_999_999_999, 8).Draw(t, "offset")
		var m apd.Decimal
		for _, sub := range []bool{true, false} {
			if sub {
				ok(o.Sub(&m, &p, &off))
			} else {
				ok(o.Add(&m, &p, &off))
			}
			if m.Sign() <= 0 {
				continue
			}
			hits, err := x.Tick(&m, nil)
			if errors.Is(err, markindex.ErrRange) {
				continue // a mark whose coefficient passes 64 bits (documented)
			}
			if err != nil {
				t.Fatalf("Tick(%s): %v", m.String(), err)
			}
			var fires [3]bool
			for _, id := range hits {
				fires[id] = true
			}
			var gap apd.Decimal
			ok(o.Sub(&gap, &m, &p))
			gap.Negative = false
			far := gap.Cmp(unit) > 0
			switch {
			case sub && !fires[1]:
				t.Fatalf("Below(%s) = %+v does not fire at %s", p.String(), below, m.String())
			case !sub && !fires[2]:
				t.Fatalf("Above(%s) = %+v does not fire at %s", p.String(), above, m.String())
			case sub && far && fires[2] && above != markindex.Now():
				t.Fatalf("Above(%s) = %+v fires at %s, more than %s below", p.String(), above, m.String(), unit.String())
			case !sub && far && fires[1]:
				t.Fatalf("Below(%s) = %+v fires at %s, more than %s above", p.String(), below, m.String(), unit.String())
			}
		}
		// And at p itself, both.
		hits, err := x.Tick(&p, nil)
		if err != nil || len(hits) != 2 {
			t.Fatalf("Tick(%s) = %v, %v; want both keys", p.String(), hits, err)
		}
	})
}
