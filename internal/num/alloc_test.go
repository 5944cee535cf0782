package num

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
)

// TestAllocs: no operation allocates, at the three contexts of the plan,
// on operands whose coefficients fit a uint64: 19- and 20-digit
// coefficients, far exponents (x 20 or more places below y too), zeros,
// results that round and carry.
func TestAllocs(t *testing.T) {
	operands := [][2]string{
		{"65432.12345678901234", "66000.5"},
		{"18446744073709551615", "9999999999999999999"},
		{"1E+60", "-0.000000000000000001"},
		{"12345678901234567890", "3E-40"},
		{"0", "-7.5"},
		{"9999999999999999999", "1"},
		{"1", "3"},
		// x 20 or more places below the step: less than half of one step.
		{"0.00001000000000000000000", "0.01"},
		{"-18446744073709551615E-30", "7E-10"},
	}
	var d Dec
	var z apd.Decimal
	for _, bc := range benchContexts() {
		for _, o := range operands {
			x, y := Load(dec(o[0])), Load(dec(o[1]))
			for _, name := range []string{"Add", "Sub", "Mul", "Quo", "Cmp", "Sum", "RoundStep", "QuoInt", "Store", "Reduce"} {
				if name == "Sum" {
					// A Sum spills to apd, by design, when its terms are too
					// far apart for 192 bits.
					if d := x.e - y.e; d > 30 || d < -30 {
						continue
					}
				}
				if got := testing.AllocsPerRun(100, func() { d = allocOp(bc.ctx, name, x, y, &z) }); got != 0 {
					t.Errorf("%s/%s/%s,%s: %v allocations per run", bc.name, name, o[0], o[1], got)
				}
			}
		}
	}
	x := dec("65432.12345678901234")
	if got := testing.AllocsPerRun(100, func() { d, _ = Check(x) }); got != 0 {
		t.Errorf("Check: %v allocations", got)
	}
	_ = d
}

// allocOp runs the named operation in a Ctx of its own: a direct call, as a
// formula makes, so that the Ctx stays on the stack.
func allocOp(ctx *apd.Context, name string, x, y Dec, z *apd.Decimal) Dec {
	c := In(ctx)
	switch name {
	case "Add":
		return c.Add(x, y)
	case "Sub":
		return c.Sub(x, y)
	case "Mul":
		return c.Mul(x, y)
	case "Quo":
		return c.Quo(x, y)
	case "Cmp":
		return New(int64(x.Cmp(y)), 0)
	case "Sum":
		var s Sum
		s.Add(x)
		s.AddScaled(y, 1<<31)
		s.Add(x)
		s.AddProduct(x, New(3, 0))
		return c.QuoSum(&s, New(7, 0))
	case "RoundStep":
		return c.RoundStep(x, y.Abs(), HalfEven)
	case "QuoInt":
		q, _ := c.QuoInt(x, y)
		return q
	case "Store":
		_ = c.Store(z, x)
	case "Reduce":
		return c.Mul(x, y).Reduce()
	}
	return Dec{}
}

// TestAllocsAfterFailure: once a Ctx has recorded an error, the
// operations that follow, which a formula runs to its end before it
// returns the error, allocate nothing either: a failed call costs no
// allocation (QuoSum copied its sum into apd before it looked).
func TestAllocsAfterFailure(t *testing.T) {
	x, y := Load(dec("65432.12345678901234")), Load(dec("66000.5"))
	for _, bc := range benchContexts() {
		for _, name := range []string{"Add", "Sub", "Mul", "Quo", "Sum", "RoundStep", "QuoInt"} {
			got := testing.AllocsPerRun(100, func() {
				c := In(bc.ctx)
				c.Fail(ErrRange)
				switch name {
				case "Add":
					_ = c.Add(x, y)
				case "Sub":
					_ = c.Sub(x, y)
				case "Mul":
					_ = c.Mul(x, y)
				case "Quo":
					_ = c.Quo(x, y)
				case "Sum":
					var s Sum // wider than 64 bits, as a basis over a year of nanoseconds
					s.Add(x)
					s.Add(New(1, 10))
					_ = c.QuoSum(&s, New(7, 0))
				case "RoundStep":
					_ = c.RoundStep(x, y, HalfEven)
				case "QuoInt":
					_, _ = c.QuoInt(x, y)
				}
			})
			if got != 0 {
				t.Errorf("%s/%s: %v allocations per run", bc.name, name, got)
			}
		}
	}
}
