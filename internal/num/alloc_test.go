package num_test

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/internal/num"
)

// TestAllocs: no operation allocates, at the three contexts of the plan,
// on operands whose coefficients fit a uint64: 19- and 20-digit
// coefficients, far exponents (x 20 or more places below y too), zeros,
// results that round and carry.
//
// As orderbook's TestAllocs does, it counts every allocation of 1,000
// runs of each row, not the average that testing.AllocsPerRun rounds
// down, so that an operation that allocates now and then is seen; the
// least count of three attempts, each on operands loaded afresh, keeps
// out the runtime's own allocations (dectest.CheckMallocs). The tests of
// the package's allocations are external (package num_test), so that
// they may import dectest, which imports derivmath, which imports num.
func TestAllocs(t *testing.T) {
	dectest.CheckMallocs(t, 3, 1, 1000, allocCases)
}

// allocCases loads the operands of TestAllocs afresh, and returns its
// rows.
func allocCases() []dectest.AllocCase {
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
	var d num.Dec
	var z apd.Decimal
	var rows []dectest.AllocCase
	for _, bc := range num.BenchContexts() {
		for _, o := range operands {
			x, y := num.Load(dectest.D(o[0])), num.Load(dectest.D(o[1]))
			for _, name := range []string{"Add", "Sub", "Mul", "Quo", "Cmp", "Sum", "RoundStep", "QuoInt", "Store", "Reduce"} {
				if name == "Sum" {
					// A Sum spills to apd, by design, when its terms are too
					// far apart for 192 bits.
					if d := x.Exponent() - y.Exponent(); d > 30 || d < -30 {
						continue
					}
				}
				rows = append(rows, dectest.AllocCase{
					Name: bc.Name + "/" + name + "/" + o[0] + "," + o[1],
					Fn:   func() { d = allocOp(bc.Ctx, name, x, y, &z) },
				})
			}
		}
	}
	x := dectest.D("65432.12345678901234")
	rows = append(rows, dectest.AllocCase{Name: "Check", Fn: func() { d, _ = num.Check(x) }})
	_ = d
	return rows
}

// allocOp runs the named operation in a Ctx of its own: a direct call, as a
// formula makes, so that the Ctx stays on the stack.
func allocOp(ctx *apd.Context, name string, x, y num.Dec, z *apd.Decimal) num.Dec {
	c := num.In(ctx)
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
		return num.New(int64(x.Cmp(y)), 0)
	case "Sum":
		var s num.Sum
		s.Add(x)
		s.AddScaled(y, 1<<31)
		s.Add(x)
		s.AddProduct(x, num.New(3, 0))
		return c.QuoSum(&s, num.New(7, 0))
	case "RoundStep":
		return c.RoundStep(x, y.Abs(), num.HalfEven)
	case "QuoInt":
		q, _ := c.QuoInt(x, y)
		return q
	case "Store":
		_ = c.Store(z, x)
	case "Reduce":
		return c.Mul(x, y).Reduce()
	}
	return num.Dec{}
}

// TestAllocsAfterFailure: once a Ctx has recorded an error, the
// operations that follow, which a formula runs to its end before it
// returns the error, allocate nothing either: a failed call costs no
// allocation (QuoSum copied its sum into apd before it looked).
//
// It counts as TestAllocs does.
func TestAllocsAfterFailure(t *testing.T) {
	dectest.CheckMallocs(t, 3, 1, 1000, afterFailureCases)
}

// afterFailureCases loads the operands of TestAllocsAfterFailure afresh,
// and returns its rows.
func afterFailureCases() []dectest.AllocCase {
	x, y := num.Load(dectest.D("65432.12345678901234")), num.Load(dectest.D("66000.5"))
	var rows []dectest.AllocCase
	for _, bc := range num.BenchContexts() {
		for _, name := range []string{"Add", "Sub", "Mul", "Quo", "Sum", "RoundStep", "QuoInt"} {
			rows = append(rows, dectest.AllocCase{Name: bc.Name + "/" + name, Fn: func() {
				c := num.In(bc.Ctx)
				c.Fail(num.ErrRange)
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
					var s num.Sum // wider than 64 bits, as a basis over a year of nanoseconds
					s.Add(x)
					s.Add(num.New(1, 10))
					_ = c.QuoSum(&s, num.New(7, 0))
				case "RoundStep":
					_ = c.RoundStep(x, y, num.HalfEven)
				case "QuoInt":
					_, _ = c.QuoInt(x, y)
				}
			}})
		}
	}
	return rows
}
