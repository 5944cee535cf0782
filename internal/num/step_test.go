package num

import (
	"errors"
	"math"
	"math/big"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"pgregory.net/rapid"
)

// genDec draws a Dec of genOperand's kinds, finite.
func genDec(t *rapid.T, label string, base int32) Dec {
	for {
		x := genOperand(t, label, base)
		if x.Form == apd.Finite && x.Exponent > -1000 && x.Exponent < 1000 {
			return Load(x)
		}
	}
}

// TestRoundStepPathsAgree: the integer path of RoundStep gives what its
// apd path gives, error included, in any context.
func TestRoundStepPathsAgree(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		base := int32(rapid.IntRange(-20, 20).Draw(t, "base"))
		ctx := genContext(t, base)
		x := genDec(t, "x", base)
		step := genDec(t, "step", base).Abs()
		m := Mode(rapid.IntRange(1, int(numModes)-1).Draw(t, "mode"))
		checkRoundStep(t, ctx, x, step, m)
	})
}

// TestQuoIntPathsAgree: QuoInt's integer path against apd's QuoInteger
// and an exact remainder.
func TestQuoIntPathsAgree(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		base := int32(rapid.IntRange(-20, 20).Draw(t, "base"))
		ctx := genContext(t, base)
		x, y := genDec(t, "x", base), genDec(t, "y", base)
		checkQuoInt(t, ctx, x, y)
	})
}

// checkRoundStep fails t unless RoundStep's integer path gives what its
// apd path (no window) gives, error included.
func checkRoundStep(t tb, ctx *apd.Context, x, step Dec, m Mode) {
	t.Helper()
	c1, c2 := In(ctx), In(ctx)
	c2.span = 0 // no window: apd's path
	got, want := c1.RoundStep(x, step, m), c2.RoundStep(x, step, m)
	if !sameErr(c1.Err, c2.Err) {
		t.Fatalf("RoundStep(%s, %s, %d): error %v, apd path %v", x, step, m, c1.Err, c2.Err)
	}
	if c1.Err == nil && !same(got, want) {
		t.Fatalf("RoundStep(%s, %s, %d) = %s, apd path %s", x, step, m, repr(got), repr(want))
	}
}

// checkQuoInt fails t unless QuoInt gives what apd's QuoInteger and an
// exact remainder give (quoRemApd), error included.
func checkQuoInt(t tb, ctx *apd.Context, x, y Dec) {
	t.Helper()
	c1, c2 := In(ctx), In(ctx)
	q, r := c1.QuoInt(x, y)
	var a, b, qa, ra apd.Decimal
	ok := c2.quoRemApd(&qa, &ra, x.apd(&a), y.apd(&b))
	if !sameErr(c1.Err, c2.Err) {
		t.Fatalf("QuoInt(%s, %s): error %v, apd %v", x, y, c1.Err, c2.Err)
	}
	if ok && (!identical(q, &qa) || !identical(r, &ra)) {
		t.Fatalf("QuoInt(%s, %s) = %s, %s; apd %s, %s", x, y, repr(q), repr(r), reprApd(&qa), reprApd(&ra))
	}
}

// TestSumMatchesApd: QuoSum of terms added with Add, AddScaled and
// AddProduct against the exact sum (apd at precision 0, which does not
// round) divided by apd in ctx, and Sign against the exact sum's sign.
func TestSumMatchesApd(t *testing.T) {
	oracle := apd.BaseContext // precision 0: exact
	rapid.Check(t, func(t *rapid.T) {
		base := int32(rapid.IntRange(-20, 20).Draw(t, "base"))
		ctx := genContext(t, base)
		n := rapid.IntRange(0, 12).Draw(t, "n")
		var s Sum
		var exact apd.Decimal
		for i := range n {
			x := genDec(t, "term", base)
			w := uint64(1)
			var y Dec // a factor of AddProduct's, else none
			product := false
			switch rapid.IntRange(0, 4).Draw(t, "weighted") {
			case 1:
				w = rapid.Uint64Range(0, 1<<31).Draw(t, "w")
			case 2:
				w = rapid.Uint64().Draw(t, "w")
			case 4:
				y, product = genDec(t, "factor", 0), true
			}
			var a, b, term, wd apd.Decimal
			wd.Coeff.SetUint64(w)
			f := &wd
			if product {
				f = y.apd(&b)
			}
			if _, err := oracle.Mul(&term, x.apd(&a), f); err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				exact.Set(&term)
			} else if _, err := oracle.Add(&exact, &exact, &term); err != nil {
				t.Fatal(err)
			}
			switch {
			case product:
				s.AddProduct(x, y)
			case w == 1 && rapid.Bool().Draw(t, "plainAdd"):
				s.Add(x)
			default:
				s.AddScaled(x, w)
			}
		}
		if exact.IsZero() {
			exact.Negative = false
		}
		if got, want := s.Sign(), exact.Sign(); got != want {
			t.Fatalf("Sign of %s = %d, want %d", &exact, got, want)
		}
		y := genDec(t, "y", base)
		var want, b apd.Decimal
		c := In(ctx)
		_, wantErr := ctx.Quo(&want, &exact, y.apd(&b))
		got := c.QuoSum(&s, y)
		if (wantErr == nil) != (c.Err == nil) || wantErr != nil && wantErr.Error() != c.Err.Error() {
			t.Fatalf("QuoSum of %s by %s: error %v, want %v", &exact, y, c.Err, wantErr)
		}
		if wantErr == nil && !identical(got, &want) {
			t.Fatalf("QuoSum of %s by %s = %s, want %s", &exact, y, repr(got), reprApd(&want))
		}
	})
}

// TestCmpNegAbsMatchApd: Cmp, Neg, Abs, Reduce, Sign, BelowOne and Int64
// give what apd gives.
func TestCmpNegAbsMatchApd(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		base := int32(rapid.IntRange(-20, 20).Draw(t, "base"))
		x, y := genOperand(t, "x", base), genOperand(t, "y", base)
		dx, dy := Load(x), Load(y)
		if got, want := dx.Cmp(dy), x.Cmp(y); got != want {
			t.Fatalf("Cmp(%s, %s) = %d, want %d", x, y, got, want)
		}
		if x.Form != apd.Finite {
			return
		}
		var n, a, r apd.Decimal
		if !identical(dx.Neg(), n.Neg(x)) || !identical(dx.Abs(), a.Abs(x)) {
			t.Fatalf("Neg or Abs of %s: %s, %s", x, dx.Neg(), dx.Abs())
		}
		if r.Reduce(x); !identical(dx.Reduce(), &r) {
			t.Fatalf("Reduce of %s: %s, want %s", x, repr(dx.Reduce()), &r)
		}
		if got, want := dx.Sign(), x.Sign(); got != want {
			t.Fatalf("Sign(%s) = %d, want %d", x, got, want)
		}
		if got, want := dx.BelowOne(), x.IsZero() || x.Exponent+int32(x.NumDigits()) <= 0; got != want {
			t.Fatalf("BelowOne(%s) = %v", x, got)
		}
		v, ok := dx.Int64()
		wv, werr := bigOnly(x)
		if ok != (werr == nil) || ok && v != wv {
			t.Fatalf("Int64(%s) = %d, %v; want %d, %v", x, v, ok, wv, werr)
		}
	})
}

// bigOnly is Int64 through apd.
func bigOnly(x *apd.Decimal) (int64, error) {
	var i, f apd.Decimal
	x.Modf(&i, &f)
	if !f.IsZero() {
		return 0, errors.New("fraction")
	}
	return i.Int64()
}

// same reports whether a and b are the same representation.
func same(a, b Dec) bool {
	var z apd.Decimal
	b.Store(&z)
	return identical(a, &z)
}

func sameErr(a, b error) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return errors.Is(a, b) || a.Error() == b.Error()
}

// TestRoundStepStepExponent: a multiple is written at the step's exponent,
// or RoundStep fails with ErrRange; apd's path used to drop the trailing
// zeros of a multiple one digit too wide (a rounding that carries to 10^p
// steps, or a step whose coefficient ends in 0) and return it at another
// exponent.
func TestRoundStepStepExponent(t *testing.T) {
	ctx := apd.BaseContext.WithPrecision(3)
	tests := []struct {
		x, step string
		m       Mode
		want    string // "" for ErrRange
	}{
		{"999.6", "1", HalfUp, ""},  // 1000 steps
		{"499.9", "0.5", Up, ""},    // 1000 steps
		{"99.6", "1.0", HalfUp, ""}, // 100 steps, but 100.0 has 4 digits
		{"999.4", "1", HalfUp, "999"},
		{"99.4", "1.0", HalfUp, "99.0"},
		{"-999.6", "1", Down, "-999"},
	}
	for _, tt := range tests {
		var x, step apd.Decimal
		if _, _, err := x.SetString(tt.x); err != nil {
			t.Fatal(err)
		}
		if _, _, err := step.SetString(tt.step); err != nil {
			t.Fatal(err)
		}
		c := In(ctx)
		got := c.RoundStep(Load(&x), Load(&step), tt.m)
		switch {
		case tt.want == "" && !errors.Is(c.Err, ErrRange):
			t.Errorf("RoundStep(%s, %s, %d) = %s, %v; want ErrRange", tt.x, tt.step, tt.m, repr(got), c.Err)
		case tt.want != "" && (c.Err != nil || got.String() != tt.want):
			t.Errorf("RoundStep(%s, %s, %d) = %s, %v; want %s", tt.x, tt.step, tt.m, repr(got), c.Err, tt.want)
		}
	}
}

// TestCmpAligned: magnitudes whose exponents are 19 or 20 apart, where a
// word aligned on the smaller exponent may or may not overflow (10^19 <
// 2^64 - 1 < 10^20), and equal values at different exponents, against
// apd.
func TestCmpAligned(t *testing.T) {
	for _, tt := range []struct {
		x, y Dec
		want int
	}{
		{New(1, 19), Dec{c: math.MaxUint64}, -1},
		{New(2, 19), Dec{c: math.MaxUint64}, 1},
		{New(1, 20), Dec{c: math.MaxUint64}, 1},
		{Dec{c: math.MaxUint64, e: -19}, New(1, 0), 1},
		{New(-1, 19), Dec{c: math.MaxUint64, neg: true}, 1},
		{New(1, 0), New(10, -1), 0},
		{New(-5, 19), New(-5000000000000000000, 1), 0},
		{Dec{c: 1e19, e: -19}, New(1, 0), 0},
	} {
		var a, b apd.Decimal
		if got, ref := tt.x.Cmp(tt.y), tt.x.apd(&a).Cmp(tt.y.apd(&b)); got != tt.want || ref != tt.want {
			t.Errorf("Cmp(%s, %s) = %d (apd %d), want %d", tt.x, tt.y, got, ref, tt.want)
		}
	}
}

// TestInt64Edges: the ends of int64's range, and just past them.
func TestInt64Edges(t *testing.T) {
	for _, tt := range []struct {
		d    Dec
		want int64
		ok   bool
	}{
		{New(math.MinInt64, 0), math.MinInt64, true},
		{New(math.MaxInt64, 0), math.MaxInt64, true},
		{Dec{c: 1 << 63}, 0, false},
		{Dec{c: 1<<63 + 1, neg: true}, 0, false},
		{Dec{c: 9223372036854775808, e: 0, neg: true}, math.MinInt64, true},
	} {
		if v, ok := tt.d.Int64(); ok != tt.ok || ok && v != tt.want {
			t.Errorf("Int64(%s) = %d, %v; want %d, %v", repr(tt.d), v, ok, tt.want, tt.ok)
		}
	}
}

// TestLoadNotFinite: an infinity or a NaN is not zero, and an infinity
// has its sign.
func TestLoadNotFinite(t *testing.T) {
	for _, tt := range []struct {
		x    *apd.Decimal
		sign int
	}{
		{&apd.Decimal{Form: apd.Infinite}, 1},
		{&apd.Decimal{Form: apd.Infinite, Negative: true}, -1},
		{&apd.Decimal{Form: apd.NaN}, 1},
	} {
		if d := Load(tt.x); d.IsZero() || d.Sign() != tt.sign {
			t.Errorf("Load(%s): IsZero %v, Sign %d; want false, %d", tt.x, d.IsZero(), d.Sign(), tt.sign)
		}
	}
}

// TestSumEdges: carries and borrows across the words of a Sum, a sum
// that passes 192 bits, and exact zeros (positive), against the exact
// sum divided by 1 in apd.
func TestSumEdges(t *testing.T) {
	type term struct {
		x Dec
		w uint64
	}
	// q*2^63*10^20 < 2^192 <= 2*q*2^63*10^20.
	var q big.Int
	q.Lsh(big.NewInt(1), 129)
	q.Quo(&q, new(big.Int).Exp(big.NewInt(10), big.NewInt(20), nil))
	big192 := Dec{c: q.Uint64(), e: 20}
	ctx := apd.BaseContext.WithPrecision(19)
	ctx.Rounding = apd.RoundHalfEven
	for i, terms := range [][]term{
		// A borrow from the second word (addScaled).
		{{New(1, 0), 1}, {New(-1<<44, 20), 1}},
		// A carry into the third word, in AddScaled's product by 10^k and
		// in the sum's scaling to a lower exponent.
		{{New(1, 0), 1}, {Dec{c: math.MaxUint64, e: 18}, 9223372036854775772}},
		{{Dec{c: 1 << 63, e: 1}, 3689348814741910322}, {Dec{c: math.MaxUint64, e: 1}, 1}, {New(0, 0), 1}},
		// Past 192 bits: the sum spills.
		{{big192, 1 << 63}, {New(0, 0), 1}, {big192, 1 << 63}},
		// Exact zeros.
		{{New(-5, 0), 1}, {New(5, 0), 1}},
		{{New(-5e18, 0), 100}, {New(5, 20), 1}},
	} {
		var s Sum
		var exact apd.Decimal
		for j, tm := range terms {
			s.AddScaled(tm.x, tm.w)
			var a, p, w apd.Decimal
			w.Coeff.SetUint64(tm.w)
			if _, err := exactContext.Mul(&p, tm.x.apd(&a), &w); err != nil {
				t.Fatal(err)
			}
			if j == 0 {
				exact.Set(&p)
			} else if _, err := exactContext.Add(&exact, &exact, &p); err != nil {
				t.Fatal(err)
			}
		}
		exact.Negative = exact.Negative && !exact.IsZero()
		var want apd.Decimal
		if _, err := ctx.Quo(&want, &exact, apd.New(1, 0)); err != nil {
			t.Fatal(err)
		}
		c := In(ctx)
		if got := c.QuoSum(&s, One); c.Err != nil || !identical(got, &want) || s.Sign() != exact.Sign() {
			t.Errorf("sum %d: %s / 1 = %s, %v, sign %d; want %s, sign %d", i, &exact, repr(got), c.Err, s.Sign(), reprApd(&want), exact.Sign())
		}
	}
}

// TestRoundStepEdges: where RoundStep's integer path must give way to
// apd's (a multiple past the context's exponent limits; 2^64 - 1 steps
// rounded up), both paths against the result written here.
func TestRoundStepEdges(t *testing.T) {
	narrow := apd.BaseContext.WithPrecision(19)
	narrow.MinExponent, narrow.MaxExponent = -100, 100
	wide := apd.BaseContext.WithPrecision(25)
	for _, tt := range []struct {
		ctx     *apd.Context
		x, step string
		want    string // "" for an error
	}{
		{narrow, "3E+101", "1E+101", ""},
		{narrow, "5E-110", "1E-110", ""},
		{narrow, "3E+95", "1E+95", "3E+95"},
		// x / 0.7 = 18446744073709551615.71...: 2^64 steps.
		{wide, "12912720851596686131", "0.7", "12912720851596686131.2"},
	} {
		x, step := Load(dec(tt.x)), Load(dec(tt.step))
		c1, c2 := In(tt.ctx), In(tt.ctx)
		c2.span = 0 // no window: apd's path
		got, ref := c1.RoundStep(x, step, HalfUp), c2.RoundStep(x, step, HalfUp)
		for _, r := range []struct {
			path string
			d    Dec
			err  error
		}{{"", got, c1.Err}, {" (apd's path)", ref, c2.Err}} {
			if tt.want == "" && r.err == nil || tt.want != "" && (r.err != nil || r.d.String() != tt.want) {
				t.Errorf("RoundStep(%s, %s)%s = %s, %v; want %q", tt.x, tt.step, r.path, repr(r.d), r.err, tt.want)
			}
		}
	}
}

// TestSumSpillError: a term that apd cannot take (its product by the
// weight overflows the exact context) fails the Sum, whose Sign is then
// 0 and whose QuoSum records the failure.
func TestSumSpillError(t *testing.T) {
	var s Sum
	s.Add(New(1, 0))
	s.Add(Load(apd.New(1, 200000)))
	c := In(apd.BaseContext.WithPrecision(19))
	if got := c.QuoSum(&s, One); c.Err == nil || s.Sign() != 0 {
		t.Errorf("QuoSum of a failed Sum = %s, %v, Sign %d; want an error, Sign 0", got, c.Err, s.Sign())
	}
}

// TestExtremeExponents: a value whose exponent lies past apd's limits is
// held by apd (New, Load), so that the kernels never add such exponents
// (which would overflow an int32 here): the product fails as in apd.
func TestExtremeExponents(t *testing.T) {
	for _, x := range []Dec{New(1, math.MaxInt32), Load(apd.New(1, math.MaxInt32)), New(1, math.MinInt32), Load(apd.New(1, math.MinInt32))} {
		c := In(apd.BaseContext.WithPrecision(19))
		if got := c.Mul(x, x); c.Err == nil {
			t.Errorf("Mul(%s, %s) = %s, want an error", x, x, got)
		}
	}
}

// TestRoundStepFarBelow: an x 20 or more places below the step is less
// than half of one step, on the integer path as on apd's, in every mode:
// 0.00 (a zero at the step's exponent, positive), or one step away from zero (Up, and Ceiling or Floor on x's side).
func TestRoundStepFarBelow(t *testing.T) {
	want := [numModes][2]string{ // x > 0, x < 0
		Down: {"0.00", "0.00"}, Up: {"0.07", "-0.07"}, Floor: {"0.00", "-0.07"}, Ceiling: {"0.07", "0.00"},
		HalfUp: {"0.00", "0.00"}, HalfEven: {"0.00", "0.00"}, HalfDown: {"0.00", "0.00"}, Up05: {"0.07", "-0.07"},
	}
	step := Load(dec("0.07"))
	for _, xs := range []string{"18446744073709551615E-22", "1E-40", "0.0000000000000000000001"} {
		for m := Down; m < numModes; m++ {
			for i, neg := range []bool{false, true} {
				x := Load(dec(xs))
				x.neg = neg
				ctx := apd.BaseContext.WithPrecision(19)
				c1, c2 := In(ctx), In(ctx)
				c2.span = 0 // no window: apd's path
				got, ref := c1.RoundStep(x, step, m), c2.RoundStep(x, step, m)
				if c1.Err != nil || c2.Err != nil || got.String() != want[m][i] || !same(got, ref) {
					t.Errorf("RoundStep(%s, 0.07, %d) = %s, %v; apd's path %s, %v; want %s", x, m, repr(got), c1.Err, repr(ref), c2.Err, want[m][i])
				}
			}
		}
	}
}

// TestReduceEdges: Reduce as apd's Decimal.Reduce where the zeros it drops
// carry the exponent past apd's limit (the Dec is then held in apd), and
// for zeros of either sign and any exponent.
func TestReduceEdges(t *testing.T) {
	negZero := apd.New(0, -3)
	negZero.Negative = true
	for _, x := range []*apd.Decimal{
		apd.New(1000, apd.MaxExponent-2), apd.New(10, apd.MaxExponent), apd.New(-50, apd.MinExponent),
		negZero, apd.New(0, 5), apd.New(-12000, -2), dec("18446744073709551610"), dec("1000000000000000000000000"),
	} {
		var want apd.Decimal
		want.Reduce(x)
		if got := Load(x).Reduce(); !identical(got, &want) {
			t.Errorf("Reduce(%s) = %s, want %s", x, repr(got), reprApd(&want))
		}
	}
}
