package derivmath_test

import (
	"errors"
	"fmt"
	"math/big"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

var ctx = derivmath.NewContext()

// d parses a constant.
func d(s string) *apd.Decimal { return dectest.D(s) }

func checkErr(t testing.TB, what string, err, want error) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("%s: error %v, want none", what, err)
		}
		return
	}
	if !errors.Is(err, want) {
		t.Fatalf("%s: error %v, want %v", what, err, want)
	}
}

func TestNewContext(t *testing.T) {
	c := derivmath.NewContext()
	if c.Precision != derivmath.Precision || derivmath.Precision != 19 {
		t.Errorf("precision %d (Precision %d), want 19", c.Precision, derivmath.Precision)
	}
	if c == derivmath.NewContext() {
		t.Error("NewContext returned a shared context")
	}
	// Traps on: a division by zero is an error, not an infinity.
	var z apd.Decimal
	if _, err := c.Quo(&z, d("1"), d("0")); err == nil {
		t.Errorf("1/0 = %s without an error; traps are off", &z)
	}
	// Half-even: 2/3 to 19 digits ends in 7, and 0.5 of the last place
	// goes to the even neighbour.
	if _, err := c.Quo(&z, d("2"), d("3")); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(d("0.6666666666666666667"), &z, dectest.Comparer()); diff != "" {
		t.Errorf("2/3 (-want +got):\n%s", diff)
	}
	if _, err := c.Add(&z, d("1000000000000000000"), d("0.5")); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(d("1000000000000000000"), &z, dectest.Comparer()); diff != "" {
		t.Errorf("10^18 + 0.5 (-want +got):\n%s", diff)
	}
}

func TestCheckDecimal(t *testing.T) {
	nan := &apd.Decimal{Form: apd.NaN}
	snan := &apd.Decimal{Form: apd.NaNSignaling}
	inf := &apd.Decimal{Form: apd.Infinite}
	negInf := &apd.Decimal{Form: apd.Infinite, Negative: true}
	tests := []struct {
		x                        *apd.Decimal
		decimal, price, lev, fee error
	}{
		{d("1"), nil, nil, nil, derivmath.ErrFeeRate},
		{d("0"), nil, derivmath.ErrPrice, derivmath.ErrLeverage, nil},
		{d("-0"), derivmath.ErrNegativeZero, derivmath.ErrNegativeZero, derivmath.ErrNegativeZero, derivmath.ErrNegativeZero},
		{d("-0.00"), derivmath.ErrNegativeZero, derivmath.ErrNegativeZero, derivmath.ErrNegativeZero, derivmath.ErrNegativeZero},
		{nan, derivmath.ErrNaN, derivmath.ErrNaN, derivmath.ErrNaN, derivmath.ErrNaN},
		{snan, derivmath.ErrNaN, derivmath.ErrNaN, derivmath.ErrNaN, derivmath.ErrNaN},
		{inf, derivmath.ErrInfinite, derivmath.ErrInfinite, derivmath.ErrInfinite, derivmath.ErrInfinite},
		{negInf, derivmath.ErrInfinite, derivmath.ErrInfinite, derivmath.ErrInfinite, derivmath.ErrInfinite},
		{d("-1"), nil, derivmath.ErrPrice, derivmath.ErrLeverage, derivmath.ErrFeeRate},
		{d("0.99999"), nil, nil, derivmath.ErrLeverage, nil},
		{d("-0.99999"), nil, derivmath.ErrPrice, derivmath.ErrLeverage, nil},
		{d("-0.00025"), nil, derivmath.ErrPrice, derivmath.ErrLeverage, nil},
		{d("1.0"), nil, nil, nil, derivmath.ErrFeeRate},
		// 1 and its neighbours written with other coefficients and
		// exponents: the checks compare values, not representations.
		{d("1000E-3"), nil, nil, nil, derivmath.ErrFeeRate},
		{d("-1.000"), nil, derivmath.ErrPrice, derivmath.ErrLeverage, derivmath.ErrFeeRate},
		{d("999E-3"), nil, nil, derivmath.ErrLeverage, nil},
		{d("0.9999999999999999999"), nil, nil, derivmath.ErrLeverage, nil},
		{d("1.000000000000000001"), nil, nil, nil, derivmath.ErrFeeRate},
		{d("0E+5"), nil, derivmath.ErrPrice, derivmath.ErrLeverage, nil},
		{d("125"), nil, nil, nil, derivmath.ErrFeeRate},
		{d("65432.5"), nil, nil, nil, derivmath.ErrFeeRate},
		// The range: 50 digits, exponents within +-100.
		{d("1234567890123456789"), nil, nil, nil, derivmath.ErrFeeRate},
		{d("12345678901234567890"), nil, nil, nil, derivmath.ErrFeeRate},
		{d("12345678901234567890123456789012345678901234567890"), nil, nil, nil, derivmath.ErrFeeRate},
		{d("123456789012345678901234567890123456789012345678901"), derivmath.ErrRange, derivmath.ErrRange, derivmath.ErrRange, derivmath.ErrRange},
		{d("-1.2345678901234567890123456789012345678901234567890"), nil, derivmath.ErrPrice, derivmath.ErrLeverage, derivmath.ErrFeeRate},
		{d("0.1234567890123456789"), nil, nil, derivmath.ErrLeverage, nil},
		{d("1E-100"), nil, nil, derivmath.ErrLeverage, nil},
		{d("1E-101"), derivmath.ErrRange, derivmath.ErrRange, derivmath.ErrRange, derivmath.ErrRange},
		{d("1E+100"), nil, nil, nil, derivmath.ErrFeeRate},
		{d("1E+101"), derivmath.ErrRange, derivmath.ErrRange, derivmath.ErrRange, derivmath.ErrRange},
		{d("0E+101"), derivmath.ErrRange, derivmath.ErrRange, derivmath.ErrRange, derivmath.ErrRange},
		{d("-1E-1000"), derivmath.ErrRange, derivmath.ErrRange, derivmath.ErrRange, derivmath.ErrRange},
	}
	var rows []dectest.AllocCase
	for _, tt := range tests {
		// A rate is valid where a fee rate is: strictly between -1 and 1.
		rate := tt.fee
		if errors.Is(rate, derivmath.ErrFeeRate) {
			rate = derivmath.ErrRate
		}
		checks := []struct {
			name string
			fn   func(*apd.Decimal) error
			want error
		}{
			{"CheckDecimal", derivmath.CheckDecimal, tt.decimal},
			{"CheckPrice", derivmath.CheckPrice, tt.price},
			{"CheckLeverage", derivmath.CheckLeverage, tt.lev},
			{"CheckFeeRate", derivmath.CheckFeeRate, tt.fee},
			{"CheckRate", derivmath.CheckRate, rate},
		}
		for _, c := range checks {
			wrong := func(err error) bool {
				return (err == nil) != (c.want == nil) || (c.want != nil && !errors.Is(err, c.want))
			}
			if err := c.fn(tt.x); wrong(err) {
				t.Errorf("%s(%s) = %v, want %v", c.name, tt.x, err, c.want)
				continue
			}
			// The promise of the package doc: no allocation for a
			// coefficient that fits a uint64, whatever the answer.
			if tt.x.Coeff.IsUint64() {
				name := fmt.Sprintf("%s(%s)", c.name, tt.x)
				rows = append(rows, dectest.AllocCase{Name: name, Fn: func() {
					if err := c.fn(tt.x); wrong(err) {
						t.Fatalf("%s = %v, want %v", name, err, c.want)
					}
				}})
			}
		}
	}
	// Every allocation of 1,000 runs of each check, the least of three
	// attempts (dectest.CheckMallocs), not testing.AllocsPerRun's
	// rounded-down average; the checks keep no state to build afresh.
	dectest.CheckMallocs(t, 3, 1, 1000, func() []dectest.AllocCase { return rows })
}

func TestRoundingString(t *testing.T) {
	tests := []struct {
		r    derivmath.Rounding
		want string
	}{
		{derivmath.Down, "Down"},
		{derivmath.Up, "Up"},
		{derivmath.Floor, "Floor"},
		{derivmath.Ceiling, "Ceiling"},
		{derivmath.HalfUp, "HalfUp"},
		{derivmath.HalfEven, "HalfEven"},
		{0, "Rounding(0)"},
		{7, "Rounding(7)"},
		{-3, "Rounding(-3)"},
	}
	for _, tt := range tests {
		if got := tt.r.String(); got != tt.want {
			t.Errorf("Rounding(%d).String() = %q, want %q", int(tt.r), got, tt.want)
		}
	}
}

// modes lists the roundings in the column order of TestRound's table.
var modes = [...]derivmath.Rounding{derivmath.Down, derivmath.Up, derivmath.Floor, derivmath.Ceiling, derivmath.HalfUp, derivmath.HalfEven}

func TestRound(t *testing.T) {
	// want holds the result for Down, Up, Floor, Ceiling, HalfUp and
	// HalfEven, in that order; all by hand.
	tests := []struct {
		x, step string
		want    [6]string
	}{
		// BitMEX XBTUSD's tick 0.5.
		{"1971.531", "0.5", [6]string{"1971.5", "1972", "1971.5", "1972", "1971.5", "1971.5"}},
		{"6968.86", "0.5", [6]string{"6968.5", "6969", "6968.5", "6969", "6969", "6969"}},
		{"-1971.531", "0.5", [6]string{"-1971.5", "-1972", "-1972", "-1971.5", "-1971.5", "-1971.5"}},
		{"-6968.86", "0.5", [6]string{"-6968.5", "-6969", "-6969", "-6968.5", "-6969", "-6969"}},
		{"1971.5", "0.5", [6]string{"1971.5", "1971.5", "1971.5", "1971.5", "1971.5", "1971.5"}},
		{"-1971.5", "0.5", [6]string{"-1971.5", "-1971.5", "-1971.5", "-1971.5", "-1971.5", "-1971.5"}},
		// Ties: 1971.25 lies between 1971 (3942 ticks, even) and
		// 1971.5 (3943, odd); 1971.75 between 3943 and 3944 ticks.
		{"1971.25", "0.5", [6]string{"1971", "1971.5", "1971", "1971.5", "1971.5", "1971"}},
		{"1971.75", "0.5", [6]string{"1971.5", "1972", "1971.5", "1972", "1972", "1972"}},
		{"-1971.25", "0.5", [6]string{"-1971", "-1971.5", "-1971.5", "-1971", "-1971.5", "-1971"}},
		{"-1971.75", "0.5", [6]string{"-1971.5", "-1972", "-1972", "-1971.5", "-1972", "-1972"}},
		// Half-even on the multiple of the step, not on the digits of x:
		// 1.025 is 20.5 ticks of 0.05, so it goes to 20 ticks, 1.00 (a
		// digit-wise rounding to two places would give 1.02, off the tick).
		{"1.025", "0.05", [6]string{"1", "1.05", "1", "1.05", "1.05", "1"}},
		{"1.075", "0.05", [6]string{"1.05", "1.1", "1.05", "1.1", "1.1", "1.1"}},
		// Integers and ties around zero; no result is -0.
		{"0.3", "1", [6]string{"0", "1", "0", "1", "0", "0"}},
		{"-0.3", "1", [6]string{"0", "-1", "-1", "0", "0", "0"}},
		{"0.5", "1", [6]string{"0", "1", "0", "1", "1", "0"}},
		{"-0.5", "1", [6]string{"0", "-1", "-1", "0", "-1", "0"}},
		{"1.5", "1", [6]string{"1", "2", "1", "2", "2", "2"}},
		{"2.5", "1", [6]string{"2", "3", "2", "3", "3", "2"}},
		{"-2.5", "1", [6]string{"-2", "-3", "-3", "-2", "-3", "-2"}},
		{"0", "0.5", [6]string{"0", "0", "0", "0", "0", "0"}},
		// Lots and minor units (the cost of 100 XBTUSD at 33613).
		{"1234", "100", [6]string{"1200", "1300", "1200", "1300", "1200", "1200"}},
		{"-1250", "100", [6]string{"-1200", "-1300", "-1300", "-1200", "-1300", "-1200"}},
		{"0.002975039419272305358", "0.00000001", [6]string{"0.00297503", "0.00297504", "0.00297503", "0.00297504", "0.00297504", "0.00297504"}},
		{"-0.000000005", "0.00000001", [6]string{"0", "-0.00000001", "-0.00000001", "0", "-0.00000001", "0"}},
		// A step with more digits than x, and an x far below the step.
		{"7", "0.3", [6]string{"6.9", "7.2", "6.9", "7.2", "6.9", "6.9"}},
		{"1E-30", "0.01", [6]string{"0", "0.01", "0", "0.01", "0", "0"}},
		{"-1E-30", "0.01", [6]string{"0", "-0.01", "-0.01", "0", "0", "0"}},
		// 19 digits of result.
		{"123456789012345678.9", "1", [6]string{"123456789012345678", "123456789012345679", "123456789012345678", "123456789012345679", "123456789012345679", "123456789012345679"}},
	}
	for _, tt := range tests {
		for i, mode := range modes {
			x, step := d(tt.x), d(tt.step)
			var z apd.Decimal
			if err := derivmath.Round(ctx, &z, x, step, mode); err != nil {
				t.Errorf("Round(%s, %s, %v): %v", tt.x, tt.step, mode, err)
				continue
			}
			if diff := cmp.Diff(d(tt.want[i]), &z, dectest.Comparer()); diff != "" {
				t.Errorf("Round(%s, %s, %v) = %s, want %s (-want +got):\n%s", tt.x, tt.step, mode, &z, tt.want[i], diff)
			}
			if z.IsZero() && z.Negative {
				t.Errorf("Round(%s, %s, %v) = -0", tt.x, tt.step, mode)
			}
		}
	}
}

func TestRoundErrors(t *testing.T) {
	nan := &apd.Decimal{Form: apd.NaN}
	inf := &apd.Decimal{Form: apd.Infinite}
	tests := []struct {
		name    string
		x, step *apd.Decimal
		mode    derivmath.Rounding
		want    error
	}{
		{"zero mode", d("1"), d("0.5"), 0, derivmath.ErrRounding},
		{"mode after HalfEven", d("1"), d("0.5"), derivmath.HalfEven + 1, derivmath.ErrRounding},
		{"negative mode", d("1"), d("0.5"), -1, derivmath.ErrRounding},
		{"zero step", d("1"), d("0"), derivmath.Down, derivmath.ErrStep},
		{"negative step", d("1"), d("-0.5"), derivmath.Down, derivmath.ErrStep},
		{"NaN x", nan, d("0.5"), derivmath.Down, derivmath.ErrNaN},
		{"infinite x", inf, d("0.5"), derivmath.Down, derivmath.ErrInfinite},
		{"NaN step", d("1"), nan, derivmath.Down, derivmath.ErrNaN},
		{"infinite step", d("1"), inf, derivmath.Up, derivmath.ErrInfinite},
		{"negative zero x", d("-0"), d("0.5"), derivmath.Down, derivmath.ErrNegativeZero},
		{"negative zero step", d("1"), d("-0"), derivmath.Down, derivmath.ErrNegativeZero},
		{"20 digits", d("12345678901234567890"), d("1"), derivmath.Down, derivmath.ErrRange},
		{"exponent", d("1E-101"), d("1"), derivmath.Down, derivmath.ErrRange},
		{"51 digits", d("123456789012345678901234567890123456789012345678901"), d("1"), derivmath.Down, derivmath.ErrRange},
		{"quotient of 37 digits", d("1E+18"), d("1E-18"), derivmath.Down, derivmath.ErrRange},
		{"quotient of 20 digits", d("123456789012345678.9"), d("0.01"), derivmath.Down, derivmath.ErrRange},
		// The quotient fits but the multiple has 21 digits.
		{"inexact multiple", d("1234567890123456789"), d("0.333"), derivmath.HalfEven, derivmath.ErrRange},
		// The truncated quotient fits, but rounding carries it to 10^19
		// steps: at the step's exponent the multiple has 20 digits. (It
		// came back as 1.000000000000000000E+19 and 5000000000000000000,
		// exponents 1 and 0, not the step's.)
		{"carry to 20 digits", d("9999999999999999999.6"), d("1"), derivmath.HalfUp, derivmath.ErrRange},
		{"carry to 10^19 steps", d("4999999999999999999.9"), d("0.5"), derivmath.Up, derivmath.ErrRange},
		{"multiple of 20 digits", d("99999999999999999.96"), d("0.10"), derivmath.Ceiling, derivmath.ErrRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z := d("42")
			err := derivmath.Round(ctx, z, tt.x, tt.step, tt.mode)
			checkErr(t, "Round", err, tt.want)
		})
	}
}

// validity is the model of CheckDecimal, from its doc.
func validity(x *apd.Decimal) error {
	switch {
	case x.Form == apd.NaN || x.Form == apd.NaNSignaling:
		return derivmath.ErrNaN
	case x.Form == apd.Infinite:
		return derivmath.ErrInfinite
	case x.IsZero() && x.Negative:
		return derivmath.ErrNegativeZero
	case x.Exponent < -derivmath.MaxScale || x.Exponent > derivmath.MaxScale || x.NumDigits() > derivmath.MaxDigits:
		return derivmath.ErrRange
	}
	return nil
}

// fits reports whether the decimal r has at most 19 significant digits.
func fits(r *big.Rat) bool {
	if r.Sign() == 0 {
		return true
	}
	// r = n/d with d = 2^a*5^b; scale n to an integer, strip zeros.
	n, den := new(big.Int).Abs(r.Num()), new(big.Int).Set(r.Denom())
	ten := big.NewInt(10)
	for den.Cmp(big.NewInt(1)) != 0 {
		n.Mul(n, ten)
		g := new(big.Int).GCD(nil, nil, n, den)
		n.Quo(n, g)
		den.Quo(den, g)
	}
	var m big.Int
	for {
		q, rem := new(big.Int).QuoRem(n, ten, &m)
		if rem.Sign() != 0 {
			break
		}
		n = q
	}
	return len(n.String()) <= derivmath.Precision
}

// roundWant is the model of Round: its errors in the documented order,
// then the brute-force rounding, or ErrRange when the number of steps or
// the result needs more than 19 digits.
func roundWant(x, step *apd.Decimal, r derivmath.Rounding) (*big.Rat, error) {
	if r < derivmath.Down || r > derivmath.HalfEven {
		return nil, derivmath.ErrRounding
	}
	if err := validity(x); err != nil {
		return nil, err
	}
	if err := validity(step); err != nil {
		return nil, err
	}
	if step.Sign() <= 0 {
		return nil, derivmath.ErrStep
	}
	xr, sr := dectest.Rat(x), dectest.Rat(step)
	q := new(big.Rat).Quo(xr, sr)
	trunc := new(big.Int).Quo(q.Num(), q.Denom()) // toward zero
	if new(big.Int).Abs(trunc).Cmp(new(big.Int).Exp(big.NewInt(10), big.NewInt(19), nil)) >= 0 {
		return nil, derivmath.ErrRange
	}
	want := roundModel(xr, sr, r)
	if !fits(want) || !fitsAt(want, step.Exponent) {
		return nil, derivmath.ErrRange
	}
	return want, nil
}

// fitsAt reports whether the multiple r, written with exponent exp (the
// step's, as Round writes it), has at most 19 digits.
func fitsAt(r *big.Rat, exp int32) bool {
	scaled := new(big.Rat).Set(r) // r / 10^exp, an integer
	p := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(max(exp, -exp))), nil))
	if exp >= 0 {
		scaled.Quo(scaled, p)
	} else {
		scaled.Mul(scaled, p)
	}
	lim := new(big.Int).Exp(big.NewInt(10), big.NewInt(derivmath.Precision), nil)
	return new(big.Int).Abs(scaled.Num()).Cmp(lim) < 0
}

// FuzzRound checks Round against its model on arbitrary decimal text.
func FuzzRound(f *testing.F) {
	seeds := []struct {
		x, step string
		r       derivmath.Rounding
	}{
		{"1971.531", "0.5", derivmath.Ceiling},
		{"6968.86", "0.5", derivmath.Floor},
		{"1971.25", "0.5", derivmath.HalfEven},
		{"-1971.25", "0.5", derivmath.HalfUp},
		{"1.025", "0.05", derivmath.HalfEven},
		{"-0.3", "1", derivmath.Down},
		{"0.002975039419272305358", "0.00000001", derivmath.HalfUp},
		{"1234567890123456789", "0.333", derivmath.HalfEven},
		{"9999999999999999999", "1", derivmath.Up},
		{"9999999999999999999.6", "1", derivmath.HalfUp},
		{"99999999999999999.96", "0.10", derivmath.Ceiling},
		{"123456789012345678.9", "0.01", derivmath.Down},
		{"1E+36", "1E-36", derivmath.Down},
		{"1E-36", "1E+36", derivmath.Up},
		{"-0", "1", derivmath.Down},
		{"NaN", "1", derivmath.Down},
		{"1", "0", derivmath.Down},
		{"1", "1", 0},
		{"7", "0.3", 7},
	}
	for _, s := range seeds {
		f.Add(s.x, s.step, int8(s.r))
	}
	f.Fuzz(func(t *testing.T, xText, stepText string, mode int8) {
		x, _, err := apd.NewFromString(xText)
		if err != nil {
			return
		}
		step, _, err := apd.NewFromString(stepText)
		if err != nil {
			return
		}
		r := derivmath.Rounding(mode)
		want, wantErr := roundWant(x, step, r)
		var z apd.Decimal
		err = derivmath.Round(ctx, &z, x, step, r)
		if wantErr != nil {
			if !errors.Is(err, wantErr) {
				t.Fatalf("Round(%s, %s, %v) = %s, %v; want error %v", x, step, r, &z, err, wantErr)
			}
			return
		}
		if err != nil {
			t.Fatalf("Round(%s, %s, %v): %v, want %s", x, step, r, err, want.RatString())
		}
		if got := dectest.Rat(&z); got.Cmp(want) != 0 || (z.IsZero() && z.Negative) {
			t.Fatalf("Round(%s, %s, %v) = %s, want %s", x, step, r, &z, want.RatString())
		}
	})
}

// roundModel rounds x to a multiple of step in mode r on exact rationals,
// from the definitions of the modes.
func roundModel(x, step *big.Rat, r derivmath.Rounding) *big.Rat {
	q := new(big.Rat).Quo(x, step)
	lo := new(big.Int).Div(q.Num(), q.Denom()) // floor: Euclidean, denominator > 0
	if q.IsInt() {
		return new(big.Rat).Mul(new(big.Rat).SetInt(lo), step)
	}
	hi := new(big.Int).Add(lo, big.NewInt(1))
	frac := new(big.Rat).Sub(q, new(big.Rat).SetInt(lo))
	half := frac.Cmp(big.NewRat(1, 2))
	positive := x.Sign() > 0
	toZero, awayFromZero := hi, lo
	if positive {
		toZero, awayFromZero = lo, hi
	}
	var n *big.Int
	switch r {
	case derivmath.Down:
		n = toZero
	case derivmath.Up:
		n = awayFromZero
	case derivmath.Floor:
		n = lo
	case derivmath.Ceiling:
		n = hi
	case derivmath.HalfUp:
		switch {
		case half < 0:
			n = lo
		case half > 0:
			n = hi
		default:
			n = awayFromZero
		}
	case derivmath.HalfEven:
		switch {
		case half < 0:
			n = lo
		case half > 0:
			n = hi
		case lo.Bit(0) == 0:
			n = lo
		default:
			n = hi
		}
	default:
		panic("roundModel: bad mode")
	}
	return new(big.Rat).Mul(new(big.Rat).SetInt(n), step)
}

// roundInput draws x and a step such that x/step stays under 10^18 and the
// result under 19 digits: Round cannot fail. A third of the draws are exact
// multiples, and a third are ties.
func roundInput(t *rapid.T) (x, step *apd.Decimal) {
	step = new(apd.Decimal).SetFinite(rapid.Int64Range(1, 1000).Draw(t, "stepCoeff"), rapid.Int32Range(-6, 2).Draw(t, "stepExp"))
	o := dectest.Oracle()
	mul := func(x, y *apd.Decimal) *apd.Decimal {
		z := new(apd.Decimal)
		if _, err := o.Mul(z, x, y); err != nil {
			t.Fatalf("oracle: %v", err)
		}
		return z
	}
	switch rapid.IntRange(0, 2).Draw(t, "shape") {
	case 0:
		k := rapid.Int64Range(-1_000_000_000, 1_000_000_000).Draw(t, "k")
		x = mul(apd.New(k, 0), step)
	case 1:
		k := rapid.Int64Range(-1_000_000_000, 1_000_000_000).Draw(t, "k")
		x = mul(apd.New(2*k+1, 0), mul(step, apd.New(5, -1)))
	default:
		v := dectest.Decimal(1_000_000_000_000, 6).Draw(t, "x")
		x = new(apd.Decimal).Set(&v)
	}
	return x, step
}

// TestPropRoundModel: Round agrees with the brute-force model in every mode.
func TestPropRoundModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x, step := roundInput(t)
		r := rapid.SampledFrom(modes[:]).Draw(t, "mode")
		var z apd.Decimal
		if err := derivmath.Round(ctx, &z, x, step, r); err != nil {
			t.Fatalf("Round(%s, %s, %v): %v", x, step, r, err)
		}
		want := roundModel(dectest.Rat(x), dectest.Rat(step), r)
		if got := dectest.Rat(&z); got.Cmp(want) != 0 {
			t.Fatalf("Round(%s, %s, %v) = %s, want %s", x, step, r, &z, want.FloatString(12))
		}
		if z.IsZero() && z.Negative {
			t.Fatalf("Round(%s, %s, %v) = -0", x, step, r)
		}
	})
}

// TestPropRoundOrder: in every mode Round never falls as x rises, is
// idempotent (a multiple of step is its own rounding), and lies between
// the Floor and the Ceiling of x.
func TestPropRoundOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x, step := roundInput(t)
		delta := dectest.Decimal(1_000_000, 6).Draw(t, "delta")
		y := new(apd.Decimal)
		if _, err := dectest.Oracle().Add(y, x, &delta); err != nil {
			t.Fatal(err)
		}
		r := rapid.SampledFrom(modes[:]).Draw(t, "mode")
		round := func(x *apd.Decimal, r derivmath.Rounding) *apd.Decimal {
			var z apd.Decimal
			if err := derivmath.Round(ctx, &z, x, step, r); err != nil {
				t.Fatalf("Round(%s, %s, %v): %v", x, step, r, err)
			}
			return &z
		}
		zx, zy := round(x, r), round(y, r)
		if cx, cz := x.Cmp(y), zx.Cmp(zy); cz != 0 && cz != cx {
			t.Fatalf("%v: %s rounds to %s, %s to %s", r, x, zx, y, zy)
		}
		if again := round(zx, r); again.Cmp(zx) != 0 {
			t.Fatalf("%v: Round(%s) = %s, but Round(%s) = %s", r, x, zx, zx, again)
		}
		if lo, hi := round(x, derivmath.Floor), round(x, derivmath.Ceiling); zx.Cmp(lo) < 0 || zx.Cmp(hi) > 0 || lo.Cmp(x) > 0 || hi.Cmp(x) < 0 {
			t.Fatalf("%v: Round(%s) = %s outside floor %s, ceiling %s", r, x, zx, lo, hi)
		}
	})
}

// TestPropRoundAliasing: Round with z aliasing x or step gives what it
// gives with a fresh z.
func TestPropRoundAliasing(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x, step := roundInput(t)
		r := rapid.SampledFrom(modes[:]).Draw(t, "mode")
		var want apd.Decimal
		wantErr := derivmath.Round(ctx, &want, x, step, r)
		for i, alias := range []string{"x", "step"} {
			a, b := new(apd.Decimal).Set(x), new(apd.Decimal).Set(step)
			z := []*apd.Decimal{a, b}[i]
			if err := derivmath.Round(ctx, z, a, b, r); !errors.Is(err, wantErr) || err == nil && z.CmpTotal(&want) != 0 {
				t.Fatalf("Round(%s, %s, %v) into %s = %s, %v; want %s, %v", x, step, r, alias, z, err, &want, wantErr)
			}
		}
	})
}

// TestRoundNilContext: a nil context is ErrContext, and z is left as it
// was.
func TestRoundNilContext(t *testing.T) {
	z := d("7")
	if err := derivmath.Round(nil, z, d("1.25"), d("0.1"), derivmath.HalfEven); !errors.Is(err, derivmath.ErrContext) || z.String() != "7" {
		t.Fatalf("Round(nil context): %v, z = %s; want ErrContext and z unchanged", err, z)
	}
}
