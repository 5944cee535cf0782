package margin

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/internal/dectest"
	"pgregory.net/rapid"
)

// TestNumericAllocs: at the default context the kernels' add, sub and quo
// allocate nothing on the 19-digit operands where apd's Add and Quo do, and
// give apd's results.
func TestNumericAllocs(t *testing.T) {
	ctx := derivmath.NewContext()
	x, y := dectest.D("0.00009999989300011448984"), dectest.D("-0.000185")
	q, l := dectest.D("0.1879727974325666692"), dectest.D("20")
	for _, c := range []struct {
		name string
		mine func(z *apd.Decimal) error
		apd  func(z *apd.Decimal) (apd.Condition, error)
	}{
		{"add", func(z *apd.Decimal) error { return add(ctx, z, x, x) }, func(z *apd.Decimal) (apd.Condition, error) { return ctx.Add(z, x, x) }},
		{"sub", func(z *apd.Decimal) error { return sub(ctx, z, x, y) }, func(z *apd.Decimal) (apd.Condition, error) { return ctx.Sub(z, x, y) }},
		{"quo", func(z *apd.Decimal) error { return quo(ctx, z, q, l) }, func(z *apd.Decimal) (apd.Condition, error) { return ctx.Quo(z, q, l) }},
	} {
		var got, want apd.Decimal
		if err := c.mine(&got); err != nil {
			t.Fatal(err)
		}
		if _, err := c.apd(&want); err != nil {
			t.Fatal(err)
		}
		if got.Cmp(&want) != 0 || got.Exponent != want.Exponent {
			t.Errorf("%s = %s, apd %s", c.name, &got, &want)
		}
		if n := testing.AllocsPerRun(10, func() { _ = c.mine(&got) }); n != 0 {
			t.Errorf("%s: %v allocations, want 0", c.name, n)
		}
		if n := testing.AllocsPerRun(10, func() { _, _ = c.apd(&want) }); n == 0 {
			t.Logf("apd's %s no longer allocates here", c.name)
		}
	}
}

// cmpDecimal draws a decimal that makes comparisons interesting: a
// coefficient near a power of ten or anywhere in 64 bits, zero or negative
// zero, and an exponent in a range wider than 38 digits of alignment.
func cmpDecimal(t *rapid.T, label string) apd.Decimal {
	var x apd.Decimal
	var c uint64
	switch rapid.IntRange(0, 3).Draw(t, label+"Kind") {
	case 0:
		c = 0
	case 1:
		c = rapid.Uint64Range(1, 1000).Draw(t, label+"Small")
	case 2:
		c = rapid.Uint64().Draw(t, label+"Any")
	default:
		e := rapid.IntRange(0, 19).Draw(t, label+"Pow")
		c = uint64(1)
		for range e {
			c *= 10
		}
		c += uint64(rapid.IntRange(-1, 1).Draw(t, label+"Off")) // wraps at 0: fine
	}
	x.Coeff.SetUint64(c)
	x.Exponent = rapid.Int32Range(-45, 45).Draw(t, label+"Exp")
	x.Negative = rapid.Bool().Draw(t, label+"Neg")
	return x
}

// TestCmpMatchesApd: cmp agrees with apd's Cmp.
func TestCmpMatchesApd(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x := cmpDecimal(t, "x")
		y := cmpDecimal(t, "y")
		if rapid.Bool().Draw(t, "near") {
			// The same value written with another exponent, maybe nudged.
			y.Set(&x)
			if y.Coeff.Uint64() < 1e18 {
				y.Coeff.SetUint64(y.Coeff.Uint64() * 10)
				y.Exponent--
			}
		}
		if got, want := cmp(&x, &y), x.Cmp(&y); got != want {
			t.Fatalf("cmp(%s, %s) = %d, apd %d", &x, &y, got, want)
		}
	})
}

// FuzzCmp is a differential fuzz target: cmp against apd's Cmp on
// arbitrary decimal text.
func FuzzCmp(f *testing.F) {
	f.Add("50000", "5E+4")
	f.Add("-0", "0")
	f.Add("18446744073709551615", "1.8446744073709551615E+19")
	f.Add("1E-40", "1E+40")
	f.Fuzz(func(t *testing.T, xs, ys string) {
		x, _, err := apd.NewFromString(xs)
		if err != nil {
			return
		}
		y, _, err := apd.NewFromString(ys)
		if err != nil {
			return
		}
		if got, want := cmp(x, y), x.Cmp(y); got != want {
			t.Fatalf("cmp(%s, %s) = %d, apd %d", x, y, got, want)
		}
	})
}

// TestCeilQuo: ceilQuo is the exact ceiling, including where the quotient
// rounded to 19 digits lands on an integer just below the true quotient.
func TestCeilQuo(t *testing.T) {
	ctx := derivmath.NewContext()
	for _, c := range []struct{ x, y, want string }{
		{"3000000000000000001", "3", "1000000000000000001"}, // q rounds down to 10^18
		{"3000000000000000000", "3", "1000000000000000000"},
		{"2999999999999999999", "3", "1000000000000000000"},
		{"30", "150", "1"},
		{"300", "150", "2"},
		{"300.0000000000000001", "150", "3"},
		{"1E-30", "7", "1"},
		{"9999999999999999999", "0.1", ""}, // 10^20 steps: too many
	} {
		var n apd.Decimal
		err := ceilQuo(ctx, &n, dectest.D(c.x), dectest.D(c.y))
		if c.want == "" {
			if err == nil {
				t.Errorf("ceil(%s/%s) = %s, want an error", c.x, c.y, &n)
			}
			continue
		}
		if err != nil || n.Cmp(dectest.D(c.want)) != 0 {
			t.Errorf("ceil(%s/%s) = %s, %v; want %s", c.x, c.y, &n, err, c.want)
		}
	}
}

// TestCeilWhole covers the machine-word ceiling and its refusals.
func TestCeilWhole(t *testing.T) {
	for _, c := range []struct {
		x    string
		want string // "" for a refusal
	}{
		{"0", "0"},
		{"0E-25", "0"},
		{"1E-25", "1"},
		{"12.000", "12"},
		{"12.001", "13"},
		{"1E+3", "1000"},
		{"9999999999999999999", "9999999999999999999"},
		{"1E+19", ""},
		{"-1.5", ""},
		{"0E+30", "0"},
	} {
		var z apd.Decimal
		ok := ceilWhole(&z, dectest.D(c.x))
		if c.want == "" {
			if ok {
				t.Errorf("ceilWhole(%s) = %s, want a refusal", c.x, &z)
			}
			continue
		}
		if !ok || z.Cmp(dectest.D(c.want)) != 0 || z.Exponent != 0 {
			t.Errorf("ceilWhole(%s) = %s, %v; want %s", c.x, &z, ok, c.want)
		}
	}
	for _, c := range []struct {
		x    string
		want bool
	}{{"25426", true}, {"25426.000", true}, {"0.00025426", false}, {"1E-25", false}, {"0E-25", true}, {"5E+3", true}} {
		if got := whole(dectest.D(c.x)); got != c.want {
			t.Errorf("whole(%s) = %v", c.x, got)
		}
	}
}
