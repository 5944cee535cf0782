package markindex

import (
	"errors"
	"math"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/internal/dectest"
	"pgregory.net/rapid"
)

// tb is what the checks need of a *testing.T and a *rapid.T.
type tb interface {
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// unitsOracle returns floor(p/u) and ceil(p/u) on 50-digit decimals, and
// whether both fit an int64.
func unitsOracle(t tb, p, u *apd.Decimal) (floor, ceil int64, ok bool) {
	ctx := apd.BaseContext.WithPrecision(50)
	var q, r apd.Decimal
	if c, err := ctx.QuoInteger(&q, p, u); err != nil || c.Inexact() || c&apd.DivisionImpossible != 0 {
		// More than 50 digits of units.
		return 0, 0, false
	}
	if _, err := ctx.Rem(&r, p, u); err != nil {
		t.Fatalf("%s rem %s: %v", p, u, err)
	}
	var maxInt apd.Decimal
	maxInt.SetInt64(math.MaxInt64)
	if q.Cmp(&maxInt) > 0 || q.Cmp(&maxInt) == 0 && !r.IsZero() {
		return 0, 0, false
	}
	f, err := q.Int64()
	if err != nil {
		t.Fatalf("%s quo %s = %s: %v", p, u, q.String(), err)
	}
	if r.IsZero() {
		return f, f, true
	}
	return f, f + 1, true
}

// checkUnits compares Index.units with the oracle: the same floor and ceil
// when they fit an int64, ErrRange when they do not.
func checkUnits(t tb, p, u *apd.Decimal) {
	x, err := New(u, Deepest)
	if err != nil {
		t.Fatalf("unit %s: %v", u, err)
	}
	f, c, err := x.units(p)
	wf, wc, ok := unitsOracle(t, p, u)
	switch {
	case !ok && !errors.Is(err, ErrRange):
		t.Errorf("%s / %s: got %d, %d, %v, want ErrRange", p, u, f, c, err)
	case ok && (err != nil || f != wf || c != wc):
		t.Errorf("%s / %s: got %d, %d, %v, want %d, %d", p, u, f, c, err, wf, wc)
	}
}

func dec(coeff uint64, exp int32) *apd.Decimal {
	var d apd.Decimal
	d.Coeff.SetUint64(coeff)
	d.Exponent = exp
	return &d
}

// TestUnitsExponentGap divides prices by units whose exponents are 20 or
// more apart, the coefficients carrying trailing zeros or close to 2^64:
// quotients that fit an int64 must come out exact, the others ErrRange.
func TestUnitsExponentGap(t *testing.T) {
	const maxU = math.MaxUint64
	for _, c := range []struct{ p, u *apd.Decimal }{
		// Unit 0.0000000100 (100E-10).
		{dec(1, 8), dec(100, -10)},   // gap 18: 1E16
		{dec(1, 10), dec(100, -10)},  // gap 20: 1E18
		{dec(9, 10), dec(100, -10)},  // gap 20: 9E18
		{dec(1, 11), dec(100, -10)},  // gap 21: 1E19, too many
		{dec(7, 10), dec(300, -10)},  // gap 20, a remainder
		{dec(1, 12), dec(1e5, -10)},  // gap 22: 1E17
		{dec(1, 29), dec(1e19, -10)}, // gap 39: 1E20, too many
		{dec(9, 28), dec(1e19, -10)}, // gap 38: 9E18
		// Unit 1 written with 17 trailing zeros (1E17 E-17).
		{dec(1, 5), dec(1e17, -17)},
		{dec(123, 16), dec(1e17, -17)},  // 1.23E18
		{dec(1, 19), dec(1e17, -17)},    // 1E19, too many
		{dec(1e18, 30), dec(1e17, -17)}, // price with trailing zeros too
		// Unit 1E19 E-28 = 1E-9: c*10 units at gap 20, the int64 limit.
		{dec(math.MaxInt64/10, -8), dec(1e19, -28)},
		{dec(math.MaxInt64/10+1, -8), dec(1e19, -28)},
		// Coefficients near 2^64, no trailing zeros, quotients that fit.
		{dec(1, 1), dec(maxU, -19)},          // gap 20: 10/1.84 = 5.42
		{dec(1, 19), dec(maxU, -19)},         // gap 38: 5.42E18
		{dec(17, 18), dec(maxU, -19)},        // gap 37: 9.2E18, near the limit
		{dec(1, 20), dec(maxU, -19)},         // gap 39: 5.42E19, too many
		{dec(maxU, 1), dec(maxU, -19)},       // gap 20: 1E20, too many
		{dec(3, 25), dec(7777777777, -5)},    // gap 30: 3.86E19, too many
		{dec(3, 24), dec(7777777777777, -5)}, // gap 29: 3.86E15
		// Far gaps: refused without a long loop.
		{dec(1, 100), dec(maxU, -100)},
		{dec(maxU, 100), dec(1, -100)},
		// Negative gaps, regression.
		{dec(1000, -30), dec(1, -5)},
		{dec(1e19, -40), dec(1, -21)},
		{dec(maxU, -20), dec(3, -20)},
		// A floor of math.MaxInt64 units with a remainder: its ceiling
		// does not fit (6456360425798343065E1 = 7*MaxInt64 + 1).
		{dec(6456360425798343065, 1), dec(7, 0)},
		// Gap 20, in two steps: 1844674407370955161 after 19 digits, then
		// times 10 is the largest multiple of 10 under 2^64, and adding the
		// last digit's quotient (7) would wrap 64 bits.
		{dec(1844674407370955161, 0), dec(9999999999999999996, -20)},
	} {
		checkUnits(t, c.p, c.u)
	}
	// The long division allocates nothing either: every allocation of
	// 1,000 runs, the least of three attempts (dectest.CheckMallocs), not
	// testing.AllocsPerRun's rounded-down average.
	dectest.CheckMallocs(t, 3, 1, 1000, func() []dectest.AllocCase {
		x, _ := New(dec(maxU, -19), Deepest)
		p := dec(1, 19)
		return []dectest.AllocCase{{Name: "units at a gap of 38", Fn: func() { _, _, _ = x.units(p) }}}
	})
}

// decimalGen draws positive decimals with coefficients that fit a uint64,
// often with trailing zeros, and exponents in [-lim, lim].
func decimalGen(t *rapid.T, name string, lim int) *apd.Decimal {
	var c uint64
	switch rapid.IntRange(0, 2).Draw(t, name+"Kind") {
	case 0: // a few digits and trailing zeros
		c = rapid.Uint64Range(1, 999).Draw(t, name+"Digits")
		for z := rapid.IntRange(0, 19).Draw(t, name+"Zeros"); z > 0 && c <= math.MaxUint64/10; z-- {
			c *= 10
		}
	case 1: // near the top of a uint64
		c = math.MaxUint64 - rapid.Uint64Range(0, 1e6).Draw(t, name+"Below")
	default:
		c = rapid.Uint64Range(1, math.MaxUint64).Draw(t, name+"Coeff")
	}
	return dec(c, int32(rapid.IntRange(-lim, lim).Draw(t, name+"Exp")))
}

// TestUnitsMatchOracle checks units against the oracle on prices and units
// whose exponents are up to 50 apart, trailing zeros and all.
func TestUnitsMatchOracle(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := decimalGen(t, "p", 25)
		u := decimalGen(t, "u", 25)
		checkUnits(t, p, u)
	})
}
