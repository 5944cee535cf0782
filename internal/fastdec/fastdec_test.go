package fastdec

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"pgregory.net/rapid"
)

// The reference contexts: the package contract (half-even) and the same
// context with apd's default rounding (Rounding "", which apd treats as
// half-up), which the even=false variants reproduce.
var (
	ctxEven = func() *apd.Context {
		c := apd.BaseContext.WithPrecision(19)
		c.Rounding = apd.RoundHalfEven
		return c
	}()
	ctxUp = apd.BaseContext.WithPrecision(19)
)

type op struct {
	name string
	fast func(z, x, y *apd.Decimal, even bool) bool
	ref  func(c *apd.Context, z, x, y *apd.Decimal) (apd.Condition, error)
}

var ops = []op{
	{"Add", func(z, x, y *apd.Decimal, even bool) bool { return add(z, x, y, false, even) }, (*apd.Context).Add},
	{"Sub", func(z, x, y *apd.Decimal, even bool) bool { return add(z, x, y, true, even) }, (*apd.Context).Sub},
	{"Mul", mul, (*apd.Context).Mul},
	{"Quo", quo, (*apd.Context).Quo},
}

// identical reports how a and b differ in representation, or "".
func identical(a, b *apd.Decimal) string {
	switch {
	case a.Form != b.Form:
		return fmt.Sprintf("Form %v != %v", a.Form, b.Form)
	case a.Negative != b.Negative:
		return fmt.Sprintf("Negative %v != %v", a.Negative, b.Negative)
	case a.Exponent != b.Exponent:
		return fmt.Sprintf("Exponent %d != %d", a.Exponent, b.Exponent)
	case a.Coeff.Cmp(&b.Coeff) != 0:
		return fmt.Sprintf("Coeff %s != %s", a.Coeff.String(), b.Coeff.String())
	case a.String() != b.String():
		return fmt.Sprintf("String %s != %s", a.String(), b.String())
	}
	return ""
}

// alias selects which arguments share storage.
type alias int

const (
	noAlias alias = iota
	zIsX
	zIsY
	xIsY
	allSame
	numAlias
)

// stats counts fast-path hits per operation, to show the tests exercise
// the fast path and not only its refusals.
type stats struct{ hit, miss [4]int }

// check runs ops[i] in both rounding modes on x, y with the given aliasing
// and compares it with apd. It returns a description of a mismatch, or "".
func check(i int, x, y *apd.Decimal, al alias, st *stats) string {
	o := ops[i]
	if al == xIsY || al == allSame {
		y = x
	}
	for _, even := range []bool{true, false} {
		ctx := ctxUp
		if even {
			ctx = ctxEven
		}
		var want apd.Decimal
		_, err := o.ref(ctx, &want, new(apd.Decimal).Set(x), new(apd.Decimal).Set(y))

		// Operands as the fast function sees them, with aliasing.
		xv, yv := new(apd.Decimal).Set(x), new(apd.Decimal).Set(y)
		z := apd.New(-12345, 7) // garbage that must survive a refusal
		px, py, pz := xv, yv, z
		switch al {
		case zIsX:
			pz = px
		case zIsY:
			pz = py
		case xIsY:
			py = px
		case allSame:
			py, pz = px, px
		}
		before := new(apd.Decimal).Set(pz)
		ok := o.fast(pz, px, py, even)
		if !ok {
			st.miss[i]++
			if d := identical(pz, before); d != "" {
				return fmt.Sprintf("%s(%s, %s) even=%v alias=%d: refused but changed z: %s", o.name, x, y, even, al, d)
			}
			continue
		}
		st.hit[i]++
		if err != nil {
			return fmt.Sprintf("%s(%s, %s) even=%v: fast path ran but apd fails: %v", o.name, x, y, even, err)
		}
		if d := identical(pz, &want); d != "" {
			return fmt.Sprintf("%s(%s, %s) even=%v alias=%d: got %s, apd %s: %s", o.name, x, y, even, al, pz, &want, d)
		}
	}
	return ""
}

// genCoeff draws a coefficient, biased toward the interesting ones.
var genCoeff = rapid.Custom(func(t *rapid.T) *big.Int {
	var v uint64
	switch rapid.IntRange(0, 11).Draw(t, "kind") {
	case 0:
		v = rapid.Uint64Range(0, 10).Draw(t, "tiny")
	case 1:
		v = rapid.Uint64Range(0, 100000).Draw(t, "small")
	case 2: // 17 to 19 digits
		v = rapid.Uint64Range(pow10[16], pow10[19]-1).Draw(t, "long")
	case 3: // a power of ten
		v = pow10[rapid.IntRange(0, 19).Draw(t, "k")]
	case 4: // ties: d5, d50, d500, ... and 5 with many zeros
		d := rapid.Uint64Range(0, 1e15).Draw(t, "d")
		k := rapid.IntRange(0, 18).Draw(t, "k")
		if hi, lo := bits.Mul64(d*10+5, pow10[k]); hi == 0 {
			v = lo
		} else {
			v = 5 * pow10[k]
		}
	case 5: // all nines, to carry
		v = pow10[rapid.IntRange(1, 19).Draw(t, "k")] - 1
	case 6: // near 10^19 and near 2^64
		if rapid.Bool().Draw(t, "top") {
			v = math.MaxUint64 - rapid.Uint64Range(0, 1000).Draw(t, "off")
		} else {
			v = pow10[19] - 500 + rapid.Uint64Range(0, 1000).Draw(t, "off")
		}
	case 7: // an exchange-like value: a few digits then zeros
		v = rapid.Uint64Range(1, 99999).Draw(t, "m") * pow10[rapid.IntRange(0, 14).Draw(t, "k")]
	case 8: // beyond 64 bits: the fast path must refuse
		b := new(big.Int).SetUint64(rapid.Uint64().Draw(t, "lo"))
		b.Lsh(b, uint(rapid.IntRange(1, 70).Draw(t, "sh")))
		return b.Add(b, big.NewInt(1))
	default:
		v = rapid.Uint64().Draw(t, "any")
	}
	return new(big.Int).SetUint64(v)
})

var genExp = rapid.Custom(func(t *rapid.T) int32 {
	switch rapid.IntRange(0, 19).Draw(t, "kind") {
	case 0: // around the fast path's limit
		e := int32(MaxExponent) + rapid.Int32Range(-3, 3).Draw(t, "off")
		if rapid.Bool().Draw(t, "neg") {
			e = -e
		}
		return e
	case 1: // near apd's limits
		return rapid.Int32Range(-100010, 100010).Draw(t, "far")
	default:
		return rapid.Int32Range(-40, 40).Draw(t, "e")
	}
})

var genDecimal = rapid.Custom(func(t *rapid.T) *apd.Decimal {
	d := new(apd.Decimal)
	d.Coeff.SetMathBigInt(genCoeff.Draw(t, "coeff"))
	d.Exponent = genExp.Draw(t, "exp")
	d.Negative = rapid.Bool().Draw(t, "neg")
	switch rapid.IntRange(0, 40).Draw(t, "form") {
	case 0:
		d.Form = apd.Infinite
	case 1:
		d.Form = apd.NaN
	case 2:
		d.Form = apd.NaNSignaling
	case 3, 4, 5:
		d.Coeff.SetInt64(0) // zero, or negative zero
	}
	return d
})

// genPair draws two operands, the second sometimes near the first (for
// cancellations and exact or tied quotients).
func genPair(t *rapid.T) (*apd.Decimal, *apd.Decimal) {
	x := genDecimal.Draw(t, "x")
	switch rapid.IntRange(0, 5).Draw(t, "pair") {
	case 0: // same magnitude, maybe another sign or exponent
		y := new(apd.Decimal).Set(x)
		y.Negative = rapid.Bool().Draw(t, "yneg")
		y.Exponent += rapid.Int32Range(-2, 2).Draw(t, "de")
		return x, y
	case 1: // x = y*k, exact quotient and product
		y := genDecimal.Draw(t, "y")
		if y.Form == apd.Finite && y.Coeff.IsUint64() {
			k := rapid.Uint64Range(1, 1000).Draw(t, "k")
			if hi, lo := bits.Mul64(y.Coeff.Uint64(), k); hi == 0 {
				x = new(apd.Decimal).Set(x)
				x.Form = apd.Finite
				x.Coeff.SetUint64(lo)
			}
		}
		return x, y
	default:
		return x, genDecimal.Draw(t, "y")
	}
}

func TestDifferential(t *testing.T) {
	var st stats
	rapid.Check(t, func(t *rapid.T) {
		x, y := genPair(t)
		al := alias(rapid.IntRange(0, int(numAlias)-1).Draw(t, "alias"))
		for i := range ops {
			if d := check(i, x, y, al, &st); d != "" {
				t.Fatal(d)
			}
		}
	})
	for i, o := range ops {
		t.Logf("%s: %d fast, %d refused", o.name, st.hit[i], st.miss[i])
		if st.hit[i]*3 < st.miss[i] {
			t.Errorf("%s: the fast path ran only %d times out of %d", o.name, st.hit[i], st.hit[i]+st.miss[i])
		}
	}
}

func dec(s string) *apd.Decimal {
	d, _, err := apd.NewFromString(s)
	if err != nil {
		panic(err)
	}
	return d
}

// TestTable pins rounding ties, carries, signs of zero and apd's
// representation choices, in both modes, against apd and against the
// expected strings for the half-even contract.
func TestTable(t *testing.T) {
	tests := []struct {
		op   int // index in ops
		x, y string
		want string // half-even result; "" to only compare with apd
	}{
		// Mul: exact products keep all trailing zeros.
		{2, "1.50", "2.0", "3.000"},
		{2, "65432.1", "1.5", "98148.15"},
		{2, "-0", "5", "-0"},
		{2, "0", "-5", "-0"},
		{2, "0.00", "1E+3", "0E+1"},
		// Mul: ties at the 20th digit, half-even.
		{2, "10000000000000000005", "1", "1.000000000000000000E+19"},
		{2, "10000000000000000015", "1", "1.000000000000000002E+19"},
		{2, "10000000000000000025", "1", "1.000000000000000002E+19"},
		{2, "100000000000000000050", "0.1", ""}, // 21 digits: refused
		{2, "1000000000000000000500", "1E-3", ""},
		{2, "1000000000000000005", "10", "1.000000000000000005E+19"},
		{2, "1000000000000000005", "0.1", "100000000000000000.5"},
		{2, "3", "0.3333333333333333335", "1.000000000000000000"},
		{2, "2", "0.5000000000000000005", "1.000000000000000001"},
		{2, "5", "1.000000000000000001", "5.000000000000000005"},
		{2, "5", "1.0000000000000000001", "5.000000000000000000"}, // 5.0000000000000000005 tie to even
		{2, "5", "1.0000000000000000003", "5.000000000000000002"}, // 5.0000000000000000015 tie up
		// Mul: carries 99..9 -> 10^19, exponent incremented.
		{2, "9999999999999999999", "1.00000000000000000001", ""},
		{2, "9999999999999999999", "1.0000000000000000001", "1.000000000000000000E+19"},
		{2, "9999999999999999999", "1.00000000000000000005", ""}, // 21 digits: refused
		{2, "999999999999999999.9", "10.000000000000000001", "1.000000000000000000E+19"},
		{2, "9999999999999999999", "9999999999999999999", "9.999999999999999998E+37"},
		{2, "18446744073709551615", "18446744073709551615", ""}, // 39 digits: refused
		{2, "18446744073709551615", "1844674407370955161", "3.402823669209384633E+37"},
		// Quo: exact quotients still get 19 digits or not, as apd does.
		{3, "20", "1", "20.00000000000000000"},
		{3, "1", "3", "0.3333333333333333333"},
		{3, "2", "3", "0.6666666666666666667"},
		{3, "1", "8", "0.1250000000000000000"},
		{3, "65432.1", "1.5", "43621.40000000000000"},
		{3, "1", "65432.1", "0.00001528301857956568718"},
		{3, "0", "-3", "-0"},
		{3, "0.00", "1E-5", "0E+3"},
		{3, "-1", "0.5", "-2.000000000000000000"},
		{3, "5", "0", ""},
		// Quo: half-even tie on the 20th digit: 1/(2^k)-like values.
		{3, "1", "1.6", "0.6250000000000000000"},
		{3, "12345678901234567895", "10", "1234567890123456790"},
		{3, "12345678901234567885", "10", "1234567890123456788"},
		{3, "12345678901234567885", "-10", "-1234567890123456788"},
		// Quo: carry into a 20th digit, kept by apd (no renormalization).
		{3, "19999999999999999999", "2", ""}, // coefficient over 64 bits
		{3, "9999999999999999999.5", "1", ""},
		// Add: alignment, trailing zeros, ties, carries.
		{0, "65432.1", "0.005", "65432.105"},
		{0, "1.0", "2.00", "3.00"},
		{0, "1E+3", "1", "1001"},
		{0, "9999999999999999999", "1", "1.000000000000000000E+19"},
		{0, "9999999999999999999", "0.5", "1.000000000000000000E+19"},
		{0, "9999999999999999998", "0.5", "9999999999999999998"},
		{0, "9999999999999999997", "0.5", "9999999999999999998"},
		{0, "1000000000000000000", "0.5", "1000000000000000000"},
		{0, "1000000000000000001", "0.5", "1000000000000000002"},
		{0, "1000000000000000001", "0.50000000000000000001", ""}, // 39 digits
		{0, "1000000000000000000", "0.50000000000000000001", ""},
		{0, "1E+30", "1", "1.000000000000000000E+30"},
		{0, "1E+40", "1", ""}, // exponents 40 apart: refused
		// Add/Sub: signs of zero.
		{0, "-0", "-0", "-0"},
		{0, "-0", "0", "0"},
		{0, "0", "-0", "0"},
		{1, "-0", "0", "-0"},
		{1, "0", "0", "0"},
		{1, "0", "-0", "0"},
		{1, "-0", "-0", "0"},
		{1, "1.5", "1.50", "0.00"},
		{1, "-1.5", "-1.5", "0.0"},
		{1, "1", "2", "-1"},
		{1, "-0.00", "5E+2", "-500.00"},
	}
	for _, tt := range tests {
		x, y := dec(tt.x), dec(tt.y)
		for al := alias(0); al < numAlias; al++ {
			var st stats
			if d := check(tt.op, x, y, al, &st); d != "" {
				t.Error(d)
			}
		}
		if tt.want == "" {
			continue
		}
		z := new(apd.Decimal)
		if !ops[tt.op].fast(z, x, y, true) {
			t.Errorf("%s(%s, %s): refused, want %s", ops[tt.op].name, tt.x, tt.y, tt.want)
		} else if z.String() != tt.want {
			t.Errorf("%s(%s, %s) = %s, want %s", ops[tt.op].name, tt.x, tt.y, z, tt.want)
		}
	}
}

// TestRefusals pins cases the fast path must decline.
func TestRefusals(t *testing.T) {
	huge := new(apd.Decimal)
	huge.Coeff.SetString("18446744073709551616", 10) // 2^64
	for _, tt := range []struct{ x, y *apd.Decimal }{
		{dec("NaN"), dec("1")},
		{dec("1"), dec("sNaN")},
		{dec("Inf"), dec("1")},
		{dec("1"), dec("-Inf")},
		{huge, dec("1")},
		{dec("1"), huge},
		{dec("1E+40001"), dec("1")},
		{dec("1"), dec("1E-40001")},
	} {
		for i, o := range ops {
			z := dec("7")
			if o.fast(z, tt.x, tt.y, true) {
				t.Errorf("%s(%s, %s): fast path ran", o.name, tt.x, tt.y)
			}
			if z.String() != "7" {
				t.Errorf("%s(%s, %s): z changed to %s", o.name, tt.x, tt.y, z)
			}
			var st stats
			if d := check(i, tt.x, tt.y, noAlias, &st); d != "" {
				t.Error(d)
			}
		}
	}
	if Quo(new(apd.Decimal), dec("1"), dec("0")) || Quo(new(apd.Decimal), dec("0"), dec("-0.0")) {
		t.Error("Quo by zero ran")
	}
}

func TestDigits(t *testing.T) {
	check := func(v u128) {
		t.Helper()
		want := len(new(big.Int).Or(new(big.Int).Lsh(new(big.Int).SetUint64(v.hi), 64), new(big.Int).SetUint64(v.lo)).String())
		if got := digits128(v); got != want {
			t.Fatalf("digits128(%d:%d) = %d, want %d", v.hi, v.lo, got, want)
		}
		if v.hi == 0 && digits64(v.lo) != want {
			t.Fatalf("digits64(%d) = %d, want %d", v.lo, digits64(v.lo), want)
		}
	}
	for k, p := range pow10x {
		check(p)
		if k > 0 {
			check(u128{p.hi - boolU(p.lo == 0), p.lo - 1})
		}
		check(u128{p.hi, p.lo + 1})
	}
	for b := 0; b < 128; b++ {
		v := u128{0, 1}
		if b >= 64 {
			v = u128{1 << (b - 64), 0}
		} else {
			v.lo <<= b
		}
		check(v)
		// 2^b - 1
		if b >= 64 {
			check(u128{v.hi - 1, math.MaxUint64})
		} else if b > 0 {
			check(u128{0, v.lo - 1})
		}
	}
	check(u128{0, 0})
	check(u128{math.MaxUint64, math.MaxUint64})
}

func boolU(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

func TestDefault(t *testing.T) {
	if !Default(ctxEven) {
		t.Error("Default(half-even base context at 19) = false")
	}
	for _, c := range []*apd.Context{
		nil,
		ctxUp, // apd's default rounding is half-up
		apd.BaseContext.WithPrecision(18),
		func() *apd.Context { c := *ctxEven; c.Traps = 0; return &c }(),
		func() *apd.Context { c := *ctxEven; c.MaxExponent = 1000; return &c }(),
		func() *apd.Context { c := *ctxEven; c.MinExponent = -1000; return &c }(),
	} {
		if Default(c) {
			t.Errorf("Default(%+v) = true", c)
		}
	}
}

func TestAllocs(t *testing.T) {
	x, y := dec("65432.1"), dec("1.5")
	z := new(apd.Decimal)
	for _, f := range []struct {
		name string
		fn   func(z, x, y *apd.Decimal) bool
	}{{"Add", Add}, {"Sub", Sub}, {"Mul", Mul}, {"Quo", Quo}} {
		if n := testing.AllocsPerRun(100, func() {
			if !f.fn(z, x, y) {
				t.Fatal("refused")
			}
		}); n != 0 {
			t.Errorf("%s: %v allocations per run", f.name, n)
		}
	}
}
