package num

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
)

// TestAllocs: no operation allocates, at the three contexts of the plan,
// on operands whose coefficients fit a uint64: 19- and 20-digit
// coefficients, far exponents, zeros, results that round and carry.
func TestAllocs(t *testing.T) {
	operands := [][2]string{
		{"65432.12345678901234", "66000.5"},
		{"18446744073709551615", "9999999999999999999"},
		{"1E+60", "-0.000000000000000001"},
		{"12345678901234567890", "3E-40"},
		{"0", "-7.5"},
		{"9999999999999999999", "1"},
		{"1", "3"},
	}
	var d Dec
	var z apd.Decimal
	for _, bc := range benchContexts() {
		for _, o := range operands {
			x, y := Load(dec(o[0])), Load(dec(o[1]))
			c := In(bc.ctx)
			fns := []struct {
				name string
				fn   func()
			}{
				{"Add", func() { d = c.Add(x, y) }},
				{"Sub", func() { d = c.Sub(x, y) }},
				{"Mul", func() { d = c.Mul(x, y) }},
				{"Quo", func() { d = c.Quo(x, y) }},
				{"Round", func() { d = c.Round(x) }},
				{"Cmp", func() { _ = x.Cmp(y) }},
				// A Sum spills to apd, by design, when its terms are too
				// far apart for 192 bits.
				{"Sum", func() {
					if d := x.e - y.e; d > 30 || d < -30 {
						return
					}
					var s Sum
					s.Add(x)
					s.Add(y)
					s.Add(x)
					d = c.RoundSum(&s)
					if !y.IsZero() {
						d = c.QuoSum(&s, y)
					}
				}},
				{"RoundStep", func() { d = c.RoundStep(x, y.Abs(), HalfEven) }},
				{"QuoInt", func() { d, _ = c.QuoInt(x, y) }},
				{"Store", func() { _ = c.Store(&z, x) }},
			}
			for _, f := range fns {
				name := bc.name + "/" + f.name + "/" + o[0] + "," + o[1]
				if got := testing.AllocsPerRun(100, func() {
					c = In(bc.ctx)
					f.fn()
				}); got != 0 {
					t.Errorf("%s: %v allocations per run", name, got)
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
