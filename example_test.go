package derivmath_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
)

// show formats x without trailing zeros, in plain notation.
func show(x *apd.Decimal) string {
	var r apd.Decimal
	r.Reduce(x)
	return r.Text('f')
}

func ExampleNewContext() {
	ctx := derivmath.NewContext()
	var z apd.Decimal
	if _, err := ctx.Quo(&z, apd.New(2, 0), apd.New(3, 0)); err != nil {
		panic(err)
	}
	fmt.Println(ctx.Precision, ctx.Rounding, &z)
	// Division by zero is an error, not an infinity: traps are on.
	_, err := ctx.Quo(&z, apd.New(1, 0), apd.New(0, 0))
	fmt.Println(err != nil)
	// Output:
	// 19 half_even 0.6666666666666666667
	// true
}

func ExampleCheckDecimal() {
	for _, s := range []string{
		"65432.5", "NaN", "-Infinity", "-0", "1E-100", "1E-101",
		"12345678901234567890", "1" + strings.Repeat("0", 50),
	} {
		x, _, _ := apd.NewFromString(s)
		fmt.Printf("%.25s: %v\n", s, derivmath.CheckDecimal(x))
	}
	// Output:
	// 65432.5: <nil>
	// NaN: derivmath: NaN
	// -Infinity: derivmath: infinite decimal
	// -0: derivmath: negative zero
	// 1E-100: <nil>
	// 1E-101: derivmath: decimal out of range
	// 12345678901234567890: <nil>
	// 1000000000000000000000000: derivmath: decimal out of range
}

func ExampleCheckPrice() {
	for _, p := range []*apd.Decimal{apd.New(654325, -1), apd.New(0, 0), apd.New(-1, 0)} {
		err := derivmath.CheckPrice(p)
		fmt.Println(p, err, errors.Is(err, derivmath.ErrPrice))
	}
	// Output:
	// 65432.5 <nil> false
	// 0 derivmath: price must be positive true
	// -1 derivmath: price must be positive true
}

func ExampleCheckLeverage() {
	fmt.Println(derivmath.CheckLeverage(apd.New(100, 0)))
	fmt.Println(errors.Is(derivmath.CheckLeverage(apd.New(5, -1)), derivmath.ErrLeverage))
	// Output:
	// <nil>
	// true
}

func ExampleCheckFeeRate() {
	fmt.Println(derivmath.CheckFeeRate(apd.New(-25, -5))) // a maker rebate of 0.025%
	fmt.Println(errors.Is(derivmath.CheckFeeRate(apd.New(1, 0)), derivmath.ErrFeeRate))
	// Output:
	// <nil>
	// true
}

func ExampleCheckRate() {
	for _, s := range []string{"0.0001", "-0.000375", "1", "-1.5"} {
		x, _, _ := apd.NewFromString(s)
		fmt.Println(s, derivmath.CheckRate(x))
	}
	// Output:
	// 0.0001 <nil>
	// -0.000375 <nil>
	// 1 derivmath: rate out of range
	// -1.5 derivmath: rate out of range
}

func ExampleRound() {
	ctx := derivmath.NewContext()
	tick := apd.New(5, -1) // BitMEX XBTUSD's 0.5
	var z apd.Decimal
	for _, c := range []struct {
		x *apd.Decimal
		r derivmath.Rounding
	}{
		{apd.New(1971531, -3), derivmath.Ceiling}, // 1971.531
		{apd.New(696886, -2), derivmath.Floor},    // 6968.86
		{apd.New(197125, -2), derivmath.HalfUp},   // 1971.25, a tie
		{apd.New(197125, -2), derivmath.HalfEven}, // to 3942 ticks, even
		{apd.New(-197125, -2), derivmath.HalfUp},  // ties away from zero
		{apd.New(-197125, -2), derivmath.Floor},
	} {
		if err := derivmath.Round(ctx, &z, c.x, tick, c.r); err != nil {
			panic(err)
		}
		fmt.Printf("%s %v: %s\n", c.x, c.r, show(&z))
	}
	// A cost to the nearest satoshi, as BitMEX rounds execCost.
	cost, _, _ := apd.NewFromString("0.002975039419272305358")
	if err := derivmath.Round(ctx, &z, cost, apd.New(1, -8), derivmath.HalfUp); err != nil {
		panic(err)
	}
	fmt.Println(show(&z))
	// Output:
	// 1971.531 Ceiling: 1972
	// 6968.86 Floor: 6968.5
	// 1971.25 HalfUp: 1971.5
	// 1971.25 HalfEven: 1971
	// -1971.25 HalfUp: -1971.5
	// -1971.25 Floor: -1971.5
	// 0.00297504
}

func ExampleRounding() {
	for r := derivmath.Down; r <= derivmath.HalfEven; r++ {
		fmt.Print(r, " ")
	}
	fmt.Println()
	// Output:
	// Down Up Floor Ceiling HalfUp HalfEven
}

func ExampleRounding_String() {
	fmt.Println(derivmath.HalfEven, derivmath.Rounding(0))
	// Output:
	// HalfEven Rounding(0)
}

// Any apd context works: the default one, apd's own BaseContext at 19
// digits (rounding half-up), or fewer digits. Each result is what apd's
// operations give in that context, computed on machine integers without
// allocating.
func Example_contexts() {
	s := contract.XBTUSD()
	qty, entry, exit := apd.New(15000, 0), apd.New(750, 0), apd.New(700, 0)
	for _, ctx := range []*apd.Context{
		derivmath.NewContext(),
		apd.BaseContext.WithPrecision(19),
		apd.BaseContext.WithPrecision(6),
	} {
		var pnl apd.Decimal
		if err := s.PnL(ctx, &pnl, qty, entry, exit); err != nil {
			panic(err)
		}
		fmt.Printf("%d digits, %q: %s\n", ctx.Precision, ctx.Rounding, &pnl)
	}
	// Output:
	// 19 digits, "half_even": -1.428571428571428571
	// 19 digits, "": -1.428571428571428571
	// 6 digits, "": -1.42857
}

// The result gate: a result that would not be a valid input is ErrRange,
// and nothing is written; a zero is written as 0, never -0.
func Example_resultGate() {
	ctx := derivmath.NewContext()
	s := contract.XBTUSD()
	z := apd.New(7, 0)
	err := s.Value(ctx, z, apd.New(1, 100), apd.New(1, -100)) // 1E+200 XBT
	fmt.Println(err, z)
	// A short's PnL at its entry: apd's product is -0.
	err = s.PnL(ctx, z, apd.New(-100, 0), apd.New(750, 0), apd.New(750, 0))
	fmt.Println(err, z, z.Negative)
	// Output:
	// derivmath: decimal out of range 7
	// <nil> 0 false
}
