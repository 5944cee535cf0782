package funding

import (
	"strconv"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"pgregory.net/rapid"
)

// These tests check the integer paths of arith.go against apd, which is the
// reference: same values, same representation, every precision and rounding
// mode the fast path serves.

var roundings = []apd.Rounder{
	apd.RoundDown, apd.RoundHalfUp, apd.RoundHalfEven, apd.RoundCeiling,
	apd.RoundFloor, apd.RoundHalfDown, apd.RoundUp, apd.Round05Up,
}

// anyDecimal draws a decimal with up to 19 digits and an exponent in
// [-40, 20], biased by rapid towards small and round values.
func anyDecimal(t *rapid.T, label string) apd.Decimal {
	digits := rapid.IntRange(1, 19).Draw(t, label+"Digits")
	c := rapid.Uint64Range(0, pow10[digits]-1).Draw(t, label+"Coeff")
	var d apd.Decimal
	d.Coeff.SetUint64(c)
	d.Exponent = rapid.Int32Range(-40, 20).Draw(t, label+"Exp")
	d.Negative = c != 0 && rapid.Bool().Draw(t, label+"Neg")
	return d
}

func drawContext(t *rapid.T) *apd.Context {
	ctx := apd.BaseContext.WithPrecision(uint32(rapid.IntRange(1, fastPrecision).Draw(t, "precision")))
	ctx.Rounding = rapid.SampledFrom(roundings).Draw(t, "rounding")
	return ctx
}

func TestAddSubMatchesAPD(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := drawContext(t)
		x, y := anyDecimal(t, "x"), anyDecimal(t, "y")
		subtract := rapid.Bool().Draw(t, "subtract")
		var got, want apd.Decimal
		var gotErr, wantErr error
		if subtract {
			gotErr = sub(ctx, &got, &x, &y)
			_, wantErr = ctx.Sub(&want, &x, &y)
		} else {
			gotErr = add(ctx, &got, &x, &y)
			_, wantErr = ctx.Add(&want, &x, &y)
		}
		if (gotErr != nil) != (wantErr != nil) {
			t.Fatalf("%s op %s: error %v, apd %v", x.String(), y.String(), gotErr, wantErr)
		}
		if want.IsZero() {
			want.Negative = false // add and sub return +0
		}
		if got.Cmp(&want) != 0 || got.Exponent != want.Exponent || got.Negative != want.Negative {
			op := "+"
			if subtract {
				op = "-"
			}
			t.Fatalf("%s %s %s at %d %s: got %s, apd %s",
				x.String(), op, y.String(), ctx.Precision, ctx.Rounding, got.String(), want.String())
		}
	})
}

func TestQuoMatchesAPD(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := drawContext(t)
		x, y := anyDecimal(t, "x"), anyDecimal(t, "y")
		if y.IsZero() {
			y.Coeff.SetUint64(rapid.Uint64Range(1, pow10[19]-1).Draw(t, "nonzero"))
		}
		var got, want apd.Decimal
		gotErr := quo(ctx, &got, &x, &y)
		_, wantErr := ctx.Quo(&want, &x, &y)
		if (gotErr != nil) != (wantErr != nil) {
			t.Fatalf("%s / %s: error %v, apd %v", x.String(), y.String(), gotErr, wantErr)
		}
		// apd leaves a carry out of the last digit as a coefficient of
		// 10^p, p+1 digits (99/1 at p=1 is 1.0E+2); quo gives 10^(p-1)
		// with the exponent raised (1E+2), the same number in p digits.
		carried := want.NumDigits() > int64(ctx.Precision)
		sameExp := got.Exponent == want.Exponent || carried && got.Exponent == want.Exponent+1
		if got.Cmp(&want) != 0 || got.Negative != want.Negative || !sameExp ||
			got.NumDigits() > int64(ctx.Precision) {
			t.Fatalf("%s / %s at %d %s: got %s, apd %s",
				x.String(), y.String(), ctx.Precision, ctx.Rounding, got.String(), want.String())
		}
		// Aliasing.
		z := x
		if err := quo(ctx, &z, &z, &y); err != nil || z.Cmp(&want) != 0 {
			t.Fatalf("z = x: %s, want %s (%v)", z.String(), want.String(), err)
		}
		z = y
		if err := quo(ctx, &z, &x, &z); err != nil || z.Cmp(&want) != 0 {
			t.Fatalf("z = y: %s, want %s (%v)", z.String(), want.String(), err)
		}
	})
}

func TestAddAliases(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := drawContext(t)
		x, y := anyDecimal(t, "x"), anyDecimal(t, "y")
		var want apd.Decimal
		if err := add(ctx, &want, &x, &y); err != nil {
			t.Skip(err)
		}
		var z apd.Decimal
		z.Set(&x)
		if err := add(ctx, &z, &z, &y); err != nil || z.Cmp(&want) != 0 {
			t.Fatalf("z = x: got %s, want %s (%v)", z.String(), want.String(), err)
		}
		z.Set(&y)
		if err := add(ctx, &z, &x, &z); err != nil || z.Cmp(&want) != 0 {
			t.Fatalf("z = y: got %s, want %s (%v)", z.String(), want.String(), err)
		}
	})
}

// drawSamples draws a window of premium samples: 19-digit rates with
// exponents from -36 to -1, so |P| < 1.
func drawSamples(t *rapid.T) []apd.Decimal {
	n := rapid.IntRange(1, 50).Draw(t, "n")
	s := make([]apd.Decimal, n)
	for i := range s {
		digits := rapid.IntRange(1, 19).Draw(t, "digits")
		c := rapid.Uint64Range(0, pow10[digits]-1).Draw(t, "coeff")
		s[i].Coeff.SetUint64(c)
		// The adjusted exponent must be negative: exp + digits <= 0.
		s[i].Exponent = rapid.Int32Range(-36, int32(-max(digits, 1))).Draw(t, "exp")
		s[i].Negative = c != 0 && rapid.Bool().Draw(t, "neg")
	}
	return s
}

func TestAverageMatchesAPD(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := drawContext(t)
		samples := drawSamples(t)
		w := rapid.SampledFrom([]Weighting{Equal, TimeWeighted}).Draw(t, "w")
		var got, want apd.Decimal
		if err := Average(ctx, &got, samples, w); err != nil {
			t.Fatal(err)
		}
		n := uint64(len(samples))
		total := n
		if w == TimeWeighted {
			total = n * (n + 1) / 2
		}
		if err := averageAPD(ctx, &want, samples, w, total); err != nil {
			t.Fatal(err)
		}
		if got.Cmp(&want) != 0 {
			t.Fatalf("%s mean at %d %s: got %s, apd %s", w, ctx.Precision, ctx.Rounding, got.String(), want.String())
		}
	})
}

func TestU192(t *testing.T) {
	for k := range pow10Wide {
		if got := pow10Wide[k].digits(); got != k+1 {
			t.Errorf("digits(10^%d) = %d, want %d", k, got, k+1)
		}
		if k > 0 {
			x := pow10Wide[k]
			x.sub(&u192{1})
			if got := x.digits(); got != k {
				t.Errorf("digits(10^%d - 1) = %d, want %d", k, got, k)
			}
		}
	}
	var x u192
	if x.digits() != 0 {
		t.Errorf("digits(0) = %d, want 0", x.digits())
	}
	x = u192{0, 0, 1 << 63}
	if x.mul64(2) {
		t.Error("mul64 overflow not reported")
	}
	if !x.setScaled(pow10[19]-1, 38) || x.digits() != 57 {
		t.Errorf("setScaled(10^19-1, 38) = %v, %d digits", x, x.digits())
	}
	if x.setScaled(pow10[19]-1, 39) {
		t.Error("setScaled(10^19-1, 39) overflow not reported")
	}
	y := u192{^uint64(0), ^uint64(0), ^uint64(0)}
	if y.add64(1) {
		t.Error("add overflow not reported")
	}
}

func TestRateCoeffAgreesWithCheckRate(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x := anyDecimal(t, "x")
		if rapid.Bool().Draw(t, "wide") {
			x.Exponent = rapid.Int32Range(-60, 60).Draw(t, "wideExp")
		}
		if rapid.IntRange(0, 9).Draw(t, "special") == 0 {
			x.Form = rapid.SampledFrom([]apd.Form{apd.Infinite, apd.NaN, apd.NaNSignaling}).Draw(t, "form")
		}
		if rapid.IntRange(0, 9).Draw(t, "negzero") == 0 {
			x.Coeff.SetUint64(0)
			x.Negative = true
		}
		if rapid.IntRange(0, 9).Draw(t, "big") == 0 {
			x.Coeff.SetUint64(rapid.Uint64Range(pow10[19], 1<<64-1).Draw(t, "bigCoeff"))
		}
		c, ok := rateCoeff(&x)
		err := checkRate(&x)
		if ok != (err == nil) {
			t.Fatalf("%s (%v): rateCoeff ok %v, checkRate %v", x.String(), x.Form, ok, err)
		}
		if ok && c != x.Coeff.Uint64() {
			t.Fatalf("%s: coefficient %d", x.String(), c)
		}
	})
}

func TestDigits64(t *testing.T) {
	for k := 1; k < len(pow10); k++ {
		for _, c := range []uint64{pow10[k] - 1, pow10[k], pow10[k] + 1} {
			want := len(strconv.FormatUint(c, 10))
			if got := digits64(c); got != want {
				t.Errorf("digits64(%d) = %d, want %d", c, got, want)
			}
		}
	}
	for _, c := range []uint64{0, 1, 9, 1<<64 - 1} {
		want := len(strconv.FormatUint(c, 10))
		if c == 0 {
			want = 0
		}
		if got := digits64(c); got != want {
			t.Errorf("digits64(%d) = %d, want %d", c, got, want)
		}
	}
}
