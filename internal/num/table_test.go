package num

import (
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"
)

func dec(s string) *apd.Decimal {
	d, _, err := apd.NewFromString(s)
	if err != nil {
		panic(err)
	}
	return d
}

// TestTable: ties, carries, signs of zero, 05up and Quo's unrenormalised
// carry, each checked against the representation written here (String
// with its exponent, and the sign of a zero) and against apd.
func TestTable(t *testing.T) {
	tests := []struct {
		op       string
		x, y     string
		prec     uint32
		rounding apd.Rounder
		want     string
	}{
		// Ties on the digit being rounded.
		{"Add", "1000000000000000000", "0.5", 19, apd.RoundHalfEven, "1000000000000000000"},
		{"Add", "1000000000000000001", "0.5", 19, apd.RoundHalfEven, "1000000000000000002"},
		{"Add", "1000000000000000000", "0.5", 19, apd.RoundHalfUp, "1000000000000000001"},
		{"Add", "1000000000000000000", "0.5", 19, "", "1000000000000000001"},
		{"Add", "1000000000000000000", "0.5", 19, "bogus", "1000000000000000001"},
		{"Add", "1000000000000000000", "0.5", 19, apd.RoundHalfDown, "1000000000000000000"},
		{"Add", "1000000000000000000", "0.50000000000000000001", 19, apd.RoundHalfDown, "1000000000000000001"},
		{"Mul", "0.25", "1", 1, apd.RoundHalfEven, "0.2"},
		{"Mul", "0.35", "1", 1, apd.RoundHalfEven, "0.4"},
		{"Mul", "-0.25", "1", 1, apd.RoundHalfUp, "-0.3"},
		{"Quo", "1", "8", 2, apd.RoundHalfEven, "0.12"},
		{"Quo", "3", "8", 2, apd.RoundHalfEven, "0.38"},
		// Directed roundings and the sign.
		{"Quo", "-2", "3", 3, apd.RoundFloor, "-0.667"},
		{"Quo", "-2", "3", 3, apd.RoundCeiling, "-0.666"},
		{"Quo", "2", "3", 3, apd.RoundDown, "0.666"},
		{"Quo", "1", "3", 3, apd.RoundUp, "0.334"},
		// 05up: away from zero only when the kept last digit is 0 or 5.
		{"Mul", "12.51", "1", 2, apd.Round05Up, "12"},
		{"Mul", "10.01", "1", 2, apd.Round05Up, "11"},
		{"Mul", "15.3", "1", 2, apd.Round05Up, "16"},
		{"Mul", "-10.9", "1", 2, apd.Round05Up, "-11"},
		// Carries: Rounder.Round renormalises 10^p to 10^(p-1).
		{"Add", "9999999999999999999", "1", 19, apd.RoundHalfEven, "1.000000000000000000E+19"},
		{"Add", "99.95", "0", 3, apd.RoundHalfUp, "100"},
		{"Mul", "9999999999", "9999999999", 5, apd.RoundUp, "1.0000E+20"},
		{"Mul", "0.99999", "1", 2, apd.RoundHalfEven, "1.0"},
		// Quo does not: 10^p, p+1 digits.
		{"Quo", "199", "2", 2, apd.RoundUp, "100"},
		{"Quo", "2", "3", 1, apd.RoundUp, "0.7"},
		{"Quo", "9999999999999999999.5", "1", 19, apd.RoundHalfEven, "10000000000000000000"},
		// Exact quotients still have p digits.
		{"Quo", "20", "1", 19, apd.RoundHalfEven, "20.00000000000000000"},
		{"Quo", "0", "7", 19, apd.RoundHalfEven, "0"},
		{"Quo", "0.00", "7E+5", 19, apd.RoundHalfEven, "0.0000000"},
		// Exact sums keep the aligned exponent.
		{"Add", "1.0", "2.00", 19, apd.RoundHalfEven, "3.00"},
		{"Add", "5", "0E-50", 19, apd.RoundHalfEven, "5.000000000000000000"},
		{"Add", "5", "1E-50", 19, apd.RoundUp, "5.000000000000000001"},
		{"Sub", "5", "1E-50", 19, apd.RoundHalfEven, "5.000000000000000000"},
		{"Sub", "5", "1E-50", 19, apd.RoundDown, "4.999999999999999999"},
		{"Sub", "1", "1E-60", 3, apd.RoundFloor, "0.999"},
		{"Add", "1E+60", "-1", 19, apd.RoundHalfEven, "1.000000000000000000E+60"},
		{"Add", "1E+60", "-1", 19, apd.RoundDown, "9.999999999999999999E+59"},
		// Exponents 20 or more apart: a one-unit stand-in below the
		// rounding position (sticky), or 192-bit integers.
		{"Add", "1", "1.2345678901234567890E-6", 19, apd.RoundHalfEven, "1.000001234567890123"},
		{"Sub", "1", "1.2345678901234567890E-6", 19, apd.RoundHalfEven, "0.9999987654321098765"},
		{"Add", "12345678901234567890", "5E-30", 19, apd.RoundHalfEven, "1.234567890123456789E+19"},
		{"Add", "12345678901234567895", "5E-30", 19, apd.RoundHalfEven, "1.234567890123456790E+19"},
		{"Add", "12345678901234567885", "-5E-30", 19, apd.RoundHalfEven, "1.234567890123456788E+19"},
		// Signs of zero.
		{"Sub", "1", "1", 19, apd.RoundHalfEven, "0"},
		{"Sub", "1", "1", 19, apd.RoundFloor, "-0"},
		{"Add", "-0", "-0", 19, apd.RoundHalfEven, "-0"},
		{"Add", "-0", "0", 19, apd.RoundHalfEven, "0"},
		{"Add", "-0", "0", 19, apd.RoundFloor, "-0"},
		{"Mul", "-1", "0", 19, apd.RoundHalfEven, "-0"},
		{"Quo", "0", "-5", 19, apd.RoundHalfEven, "-0"},
		{"Mul", "-0.4", "1", 1, apd.RoundHalfEven, "-0.4"},
		// An exact zero of the two-word sum (the exact operations) too.
		{"SubExact", "1", "1", 19, apd.RoundFloor, "-0"},
		// A product of exactly 10^p is rounded to p digits.
		{"Mul", "10", "100", 3, apd.RoundHalfEven, "1.00E+3"},
		// A product of two words whose low word is small: 2^64.
		{"Mul", "4294967296", "4294967296", 19, apd.RoundHalfEven, "1.844674407370955162E+19"},
		// Exponents exactly 20 apart: not aligned in one word.
		{"Add", "1E+20", "1", 19, apd.RoundHalfEven, "1.000000000000000000E+20"},
		// A tie in the discarded digits of a 192-bit sum.
		{"Add", "1E+20", "50", 19, apd.RoundHalfEven, "1.000000000000000000E+20"},
		{"Add", "1E+20", "50", 19, apd.RoundHalfUp, "1.000000000000000001E+20"},
		// The stand-in for a far operand lies below the rounding position
		// even after a cancellation: 1 - 6E-20 is 0.99999999999999999994.
		{"Sub", "1", "6E-20", 19, apd.RoundHalfEven, "0.9999999999999999999"},
		// A dividend of more digits than p plus the divisor's: the digits
		// dropped before dividing still count (inexact, above a tie, at a
		// tie).
		{"Quo", "12", "1", 1, apd.RoundUp, "2E+1"},
		{"Quo", "31", "2", 1, apd.RoundHalfDown, "2E+1"},
		{"Quo", "45", "3", 1, apd.RoundHalfUp, "2E+1"},
		{"Quo", "30", "2", 1, apd.RoundHalfDown, "1E+1"},
	}
	for _, tt := range tests {
		ctx := apd.BaseContext.WithPrecision(tt.prec)
		ctx.Rounding = tt.rounding
		var op opCase
		for _, o := range ops {
			if o.name == tt.op {
				op = o
			}
		}
		x, y := dec(tt.x), dec(tt.y)
		compare(t, ctx, op, x, y)
		c := In(ctx)
		got := op.ours(c, Load(x), Load(y))
		if c.Err != nil {
			t.Errorf("%s(%s, %s) p=%d %s: %v", tt.op, tt.x, tt.y, tt.prec, tt.rounding, c.Err)
			continue
		}
		if s := got.String(); s != tt.want {
			t.Errorf("%s(%s, %s) p=%d %q = %s, want %s", tt.op, tt.x, tt.y, tt.prec, tt.rounding, s, tt.want)
		}
	}
}

func TestErrorsAndTraps(t *testing.T) {
	ctx := apd.BaseContext.WithPrecision(19)
	c := In(ctx)
	_ = c.Quo(Load(dec("1")), Load(dec("0")))
	if c.Err == nil || c.Err.Error() != "division by zero" {
		t.Fatalf("1/0: %v", c.Err)
	}
	// The first error stays; later operations return zero at once.
	if got := c.Add(Load(dec("1")), Load(dec("2"))); !got.IsZero() || got.Exponent() != 0 {
		t.Errorf("after an error: %s", got)
	}
	c.Fail(ErrPrice)
	if got := Wrap("op", c.Err); got.Error() != "op: division by zero" {
		t.Errorf("Wrap = %v", got)
	}
	if got := c.Quantize(New(5, 0), -2); !got.IsZero() || got.Exponent() != 0 {
		t.Errorf("Quantize after an error: %s", got)
	}
	if got := Wrap("op", ErrPrice); !errors.Is(got, ErrPrice) || errors.Unwrap(got) != nil || Wrap("op", nil) != nil {
		t.Error("Wrap changed a sentinel or nil")
	}

	// Inexact trapped: the kernels decline and apd reports it.
	ctx.Traps |= apd.Inexact
	c = In(ctx)
	if c.fast {
		t.Error("fast with Inexact trapped")
	}
	_ = c.Quo(Load(dec("2")), Load(dec("3")))
	if c.Err == nil || c.Err.Error() != "inexact" {
		t.Errorf("2/3 with Inexact trapped: %v", c.Err)
	}

	// A nil context.
	c = In(nil)
	if !errors.Is(c.Err, ErrContext) {
		t.Errorf("In(nil).Err = %v", c.Err)
	}
	// Exact variants.
	c = In(apd.BaseContext.WithPrecision(3))
	if got := c.MulExact(Load(dec("12")), Load(dec("12"))); got.String() != "144" || c.Err != nil {
		t.Errorf("12*12 = %s, %v", got, c.Err)
	}
	_ = c.MulExact(Load(dec("12")), Load(dec("123")))
	if !errors.Is(c.Err, ErrRange) {
		t.Errorf("12*123 at p=3 exactly: %v", c.Err)
	}
	c = In(apd.BaseContext.WithPrecision(3))
	if got := c.AddExact(Load(dec("1000")), Load(dec("1000"))); got.String() != "2.00E+3" || c.Err != nil {
		t.Errorf("1000+1000 at p=3 exactly = %s, %v (rounded but exact)", got, c.Err)
	}
}

func TestCheck(t *testing.T) {
	nan := &apd.Decimal{Form: apd.NaN}
	inf := &apd.Decimal{Form: apd.Infinite, Negative: true}
	wide := dec("12345678901234567890123456789012345678901234567890")
	tests := []struct {
		x                              *apd.Decimal
		decimal, price, lev, fee, rate error
	}{
		{dec("1"), nil, nil, nil, ErrFeeRate, ErrRate},
		{dec("0"), nil, ErrPrice, ErrLeverage, nil, nil},
		{dec("-0.00"), ErrNegativeZero, ErrNegativeZero, ErrNegativeZero, ErrNegativeZero, ErrNegativeZero},
		{nan, ErrNaN, ErrNaN, ErrNaN, ErrNaN, ErrNaN},
		{inf, ErrInfinite, ErrInfinite, ErrInfinite, ErrInfinite, ErrInfinite},
		{dec("-1"), nil, ErrPrice, ErrLeverage, ErrFeeRate, ErrRate},
		{dec("0.9999999999999999999"), nil, nil, ErrLeverage, nil, nil},
		{dec("-0.99"), nil, ErrPrice, ErrLeverage, nil, nil},
		{dec("1000E-3"), nil, nil, nil, ErrFeeRate, ErrRate},
		{dec("12345678901234567890"), nil, nil, nil, ErrFeeRate, ErrRate},
		{wide, nil, nil, nil, ErrFeeRate, ErrRate},
		{dec("1" + wide.String()), ErrRange, ErrRange, ErrRange, ErrRange, ErrRange},
		{dec("1E-100"), nil, nil, ErrLeverage, nil, nil},
		{dec("1E-101"), ErrRange, ErrRange, ErrRange, ErrRange, ErrRange},
		{dec("1E+100"), nil, nil, nil, ErrFeeRate, ErrRate},
		{dec("0E+101"), ErrRange, ErrRange, ErrRange, ErrRange, ErrRange},
		// Wider than a word: at the largest exponent, and below one.
		{dec("12345678901234567890123E+100"), nil, nil, nil, ErrFeeRate, ErrRate},
		{dec("-0.12345678901234567890123"), nil, ErrPrice, ErrLeverage, nil, nil},
	}
	for _, tt := range tests {
		for _, ch := range []struct {
			name string
			fn   func(*apd.Decimal) (Dec, error)
			want error
		}{
			{"Check", Check, tt.decimal},
			{"CheckPrice", checkPrice, tt.price},
			{"CheckLeverage", checkLeverage, tt.lev},
			{"CheckFeeRate", checkFeeRate, tt.fee},
			{"CheckRate", checkRate, tt.rate},
		} {
			d, err := ch.fn(tt.x)
			if !errors.Is(err, ch.want) || (err == nil) != (ch.want == nil) {
				t.Errorf("%s(%s) = %v, want %v", ch.name, tt.x, err, ch.want)
			}
			if err == nil && !identical(d, tt.x) {
				t.Errorf("%s(%s) loaded %s", ch.name, tt.x, repr(d))
			}
		}
	}
}

// TestResultGate checks the result gate through Ctx.Store, and through
// StoreResult, which applies it to the same value as an apd.Decimal: the
// same result, or ErrRange with z unchanged.
func TestResultGate(t *testing.T) {
	ctx := apd.BaseContext.WithPrecision(50)
	tests := []struct {
		d    Dec
		want string // "" for ErrRange
	}{
		{New(5, -3), "0.005"},
		{Dec{neg: true}, "0"},
		{Dec{e: -150}, "0"},
		{New(-5000, -102), "-5E-99"},
		{New(5001, -102), ""},
		{New(1, 101), ""},
		{New(1, 100), "1E+100"},
		{Load(dec("1" + "00000000000000000000000000000000000000000000000000")), "1E+50"},
		{Load(dec("1" + "00000000000000000000000000000000000000000000000001")), ""},
		{Load(dec("12345678901234567890123456789")), "12345678901234567890123456789"},
		{Load(dec("-0E-200")), "0"},
		{Load(&apd.Decimal{Form: apd.Infinite}), ""},
	}
	for _, tt := range tests {
		c := In(ctx)
		var z apd.Decimal
		z.SetInt64(7)
		err := c.Store(&z, tt.d)
		switch {
		case tt.want == "":
			if !errors.Is(err, ErrRange) || z.String() != "7" {
				t.Errorf("Store(%s) = %v, z = %s; want ErrRange, z unchanged", tt.d, err, &z)
			}
		case err != nil || z.String() != tt.want || (z.IsZero() && z.Negative):
			t.Errorf("Store(%s) = %v, z = %s; want %s", tt.d, err, &z, tt.want)
		default:
			if _, err := Check(&z); err != nil {
				t.Errorf("Store(%s) wrote %s, not a valid input: %v", tt.d, &z, err)
			}
		}
		var r, w apd.Decimal
		tt.d.Store(&r)
		w.SetInt64(7)
		werr := StoreResult(&w, &r)
		if werr != err || w.String() != z.String() || w.Negative != z.Negative { //nolint:errorlint // the same sentinel, or nil
			t.Errorf("StoreResult(%s) = %v, z = %s; Store gave %v, z = %s", tt.d, werr, &w, err, &z)
		}
	}
}

// TestStoreResultNegativeZero checks that StoreResult writes a zero that
// apd computed with its sign (as -1 * 0) as 0, as the gate has it.
func TestStoreResultNegativeZero(t *testing.T) {
	r := apd.New(0, -3)
	r.Negative = true
	var z apd.Decimal
	if err := StoreResult(&z, r); err != nil || !z.IsZero() || z.Negative {
		t.Errorf("StoreResult(-0.000) = %v, z = %s (negative %v); want 0, not negative", err, &z, z.Negative)
	}
}

func TestRoundStepTable(t *testing.T) {
	tests := []struct {
		x, step string
		m       Mode
		want    string
	}{
		{"2.25", "0.5", HalfEven, "2.0"},
		{"2.75", "0.5", HalfEven, "3.0"},
		{"2.25", "0.5", HalfUp, "2.5"},
		{"-2.25", "0.5", HalfUp, "-2.5"},
		{"-2.25", "0.5", Floor, "-2.5"},
		{"-2.25", "0.5", Ceiling, "-2.0"},
		{"-0.3", "1", Down, "0"},
		{"-0.3", "1", Up, "-1"},
		{"0.7", "1", HalfDown, "1"},
		{"0.5", "1", HalfDown, "0"},
		{"33613.123", "0.5", Up05, "33613.0"},
		{"33612.7", "0.5", Up05, "33613.0"},
		{"33610.2", "0.5", Up05, "33610.5"},
		{"297503.94", "1", HalfUp, "297504"},
		{"1E+30", "1E-30", Down, ""}, // 10^60 steps: ErrRange
	}
	for _, tt := range tests {
		c := In(apd.BaseContext.WithPrecision(19))
		got := c.RoundStep(Load(dec(tt.x)), Load(dec(tt.step)), tt.m)
		if tt.want == "" {
			if !errors.Is(c.Err, ErrRange) {
				t.Errorf("RoundStep(%s, %s) = %s, %v; want ErrRange", tt.x, tt.step, got, c.Err)
			}
			continue
		}
		if c.Err != nil || got.String() != tt.want || got.IsNeg() && got.IsZero() {
			t.Errorf("RoundStep(%s, %s, %d) = %s, %v; want %s", tt.x, tt.step, tt.m, got, c.Err, tt.want)
		}
	}
	c := In(apd.BaseContext.WithPrecision(19))
	_ = c.RoundStep(New(1, 0), New(0, 0), HalfUp)
	if !errors.Is(c.Err, ErrStep) {
		t.Errorf("step 0: %v", c.Err)
	}
}

func TestCtxChecks(t *testing.T) {
	for _, text := range []string{
		"0", "-0", "1", "-1", "0.5", "-0.5", "65432.5", "1E+100", "1E-100", "1E+101", "1E-101",
		"18446744073709551615", "18446744073709551616", "NaN", "sNaN", "Infinity", "-Infinity",
		"12345678901234567890123456789012345678901234567890", "123456789012345678901234567890123456789012345678901",
		// Around the fast path of CheckRate: |x| < 1 decided from c < 10^-e.
		"0.9999999999999999999", "-0.0001", "0E-5", "-0E-5", "1E-19", "9999999999999999999E-19",
		"10000000000000000000E-19", "18446744073709551615E-19", "18446744073709551615E-20", "1E-20",
		"123E-100", "-0.00000000000000000012345678901234567890",
	} {
		x := dec(text)
		for _, ch := range []struct {
			name string
			ctx  func(c *Ctx, x *apd.Decimal) Dec
			fn   func(*apd.Decimal) (Dec, error)
		}{
			{"Check", (*Ctx).Check, Check},
			{"CheckPrice", (*Ctx).CheckPrice, checkPrice},
			{"CheckLeverage", (*Ctx).CheckLeverage, checkLeverage},
			{"CheckFeeRate", (*Ctx).CheckFeeRate, checkFeeRate},
			{"CheckRate", (*Ctx).CheckRate, checkRate},
			{"CheckNonNegative", func(c *Ctx, x *apd.Decimal) Dec { return c.CheckNonNegative(x, errNegative) }, checkNonNegative},
		} {
			c := In(apd.BaseContext.WithPrecision(19))
			got := ch.ctx(c, x)
			want, err := ch.fn(x)
			if !errors.Is(c.Err, err) || (c.Err == nil) != (err == nil) {
				t.Errorf("Ctx.%s(%s): %v, want %v", ch.name, text, c.Err, err)
			}
			if err == nil && !same(got, want) {
				t.Errorf("Ctx.%s(%s) = %s, want %s", ch.name, text, repr(got), repr(want))
			}
			// The first error stays.
			c.Fail(ErrStep)
			if err != nil && !errors.Is(c.Err, err) {
				t.Errorf("Ctx.%s(%s): Fail replaced the first error", ch.name, text)
			}
		}
	}
}

// errNegative is the sentinel of CheckNonNegative in TestCtxChecks.
var errNegative = errors.New("negative")

// checkNonNegative is Ctx.CheckNonNegative's model: Check, then
// errNegative for a negative value.
func checkNonNegative(x *apd.Decimal) (Dec, error) {
	d, err := Check(x)
	if err == nil && d.IsNeg() {
		err = errNegative
	}
	return d, err
}

func TestQuantize(t *testing.T) {
	for _, tt := range []struct {
		x    string
		exp  int32
		mode apd.Rounder
	}{
		{"1.2345", -2, apd.RoundHalfEven},
		{"1.235", -2, apd.RoundHalfEven},
		{"-1.235", -2, apd.RoundHalfUp},
		{"5E-102", -100, apd.RoundHalfEven},
		{"-5E-101", -100, apd.RoundHalfUp},
		{"123", 0, apd.RoundDown},
		{"1234567890123456789", -5, apd.RoundDown}, // too many digits: apd's InvalidOperation
	} {
		ctx := apd.BaseContext.WithPrecision(19)
		ctx.Rounding = tt.mode
		var want apd.Decimal
		_, wantErr := ctx.Quantize(&want, dec(tt.x), tt.exp)
		c := In(ctx)
		got := c.Quantize(Load(dec(tt.x)), tt.exp)
		if !sameErr(c.Err, wantErr) || wantErr == nil && !identical(got, &want) {
			t.Errorf("Quantize(%s, %d) = %s, %v; want %s, %v", tt.x, tt.exp, got, c.Err, &want, wantErr)
		}
	}
}

// TestResultAllOrNothing: a function with several outputs passes each
// through Result before writing any; once one fails, the others are zero
// and the error is ErrRange.
func TestResultAllOrNothing(t *testing.T) {
	c := In(apd.BaseContext.WithPrecision(19))
	a := c.Result(New(-0, 0))
	b := c.Result(New(123, -102)) // not reducible below the range
	d := c.Result(New(5, 0))
	if !errors.Is(c.Err, ErrRange) || !a.IsZero() || a.IsNeg() || !d.IsZero() || !b.IsZero() {
		t.Errorf("Result: %v, %s %s %s", c.Err, a, b, d)
	}
}

// The root package's validators, as it calls CheckAs.
func checkPrice(x *apd.Decimal) (Dec, error)    { return CheckAs(x, Positive, ErrPrice) }
func checkLeverage(x *apd.Decimal) (Dec, error) { return CheckAs(x, AtLeastOne, ErrLeverage) }
func checkFeeRate(x *apd.Decimal) (Dec, error)  { return CheckAs(x, BelowOne, ErrFeeRate) }
func checkRate(x *apd.Decimal) (Dec, error)     { return CheckAs(x, BelowOne, ErrRate) }

// TestInBase checks that InBase takes derivmath's default context, and
// only it, and makes the Ctx that In makes.
func TestInBase(t *testing.T) {
	def := apd.BaseContext.WithPrecision(19)
	def.Rounding = apd.RoundHalfEven
	c, ok := InBase(def)
	if !ok || *c != *In(def) {
		t.Fatalf("InBase(default) = %+v, %v; In = %+v", *c, ok, *In(def))
	}
	others := []func(*apd.Context){
		func(x *apd.Context) { x.Precision = 18 },
		func(x *apd.Context) { x.Rounding = apd.RoundHalfUp },
		func(x *apd.Context) { x.Rounding = "" },
		func(x *apd.Context) { x.Traps |= apd.Inexact },
		func(x *apd.Context) { x.Traps = 0 },
		func(x *apd.Context) { x.MaxExponent-- },
		func(x *apd.Context) { x.MinExponent++ },
	}
	for i, change := range others {
		x := *def
		change(&x)
		if _, ok := InBase(&x); ok {
			t.Errorf("InBase took context %d: %+v", i, x)
		}
	}
	if _, ok := InBase(nil); ok {
		t.Error("InBase took a nil context")
	}
}

// TestAccumulate checks that a running total skips zero terms, keeping a
// lone term as it is (unrounded, at its own exponent, where Add would
// round it or align it with the zero's), and adds two nonzero terms as Add
// does.
func TestAccumulate(t *testing.T) {
	ctx := apd.BaseContext.WithPrecision(2)
	tests := []struct {
		acc, x Dec
		want   string
	}{
		{Dec{}, New(1234, -3), "1.234"},
		{New(1234, -3), Dec{}, "1.234"},
		{New(5, 2), New(0, -3), "5E+2"},
		{New(0, -3), New(5, 2), "5E+2"},
		{Dec{}, Dec{}, "0"},
		{New(12, 0), New(3, -1), "12"},
	}
	for _, tt := range tests {
		c := In(ctx)
		got := c.Accumulate(tt.acc, tt.x)
		if c.Err != nil || got.String() != tt.want {
			t.Errorf("Accumulate(%s, %s) = %s (err %v), want %s", tt.acc, tt.x, got, c.Err, tt.want)
		}
	}
}

// TestLimitEdges: results at or past the exponent limits of a context
// (apd's Subnormal, Clamped or Overflow), where the kernels must leave the
// operation to apd: sums below the smallest exponent and past the largest
// (exponents close, far with the far operand stood in for, far and added
// whole), a zero quotient below the smallest; in contexts that narrow
// both limits or one; and, in apd's own limits, operands too far apart
// for apd to align and a quotient whose scaled dividend apd refuses.
func TestLimitEdges(t *testing.T) {
	base := apd.BaseContext.WithPrecision(19)
	base.Rounding = apd.RoundHalfEven
	both, low, high, deep := *base, *base, *base, *base
	both.MinExponent, both.MaxExponent = -100, 100
	low.MinExponent = -100
	high.MaxExponent = 100
	// apd's own smallest exponent, at one digit: a quotient near it
	// needs a scaled dividend below it, which apd refuses.
	deep.MaxExponent, deep.Precision = 100, 1
	tests := []struct{ op, x, y string }{
		{"AddExact", "1E-105", "1E-105"},
		{"Add", "1E-105", "1E-105"},
		{"Add", "1E+101", "2E+101"},
		{"Add", "1E+101", "1E+70"},
		{"Add", "1E+101", "12345678901234567890E+62"},
		{"Quo", "0E-100", "1E+50"},
		{"Add", "1E+50001", "1E-50000"},
		{"Quo", "1.000000000000000000E-99982", "1E+1"},
	}
	for _, ctx := range []*apd.Context{&both, &low, &high, &deep, base} {
		for _, tt := range tests {
			found := false
			for _, op := range ops {
				if op.name == tt.op {
					compare(t, ctx, op, dec(tt.x), dec(tt.y))
					found = true
				}
			}
			if !found {
				t.Fatalf("no op %s", tt.op)
			}
		}
	}
}

// TestSmallAtLeastOne: SmallAtLeastOne takes a whole number of at least 1,
// at exponent 0 or more, and declines the rest (a fraction is for
// CheckLeverage to decide).
func TestSmallAtLeastOne(t *testing.T) {
	for _, tt := range []struct {
		x  string
		ok bool
	}{
		{"1", true},
		{"25", true},
		{"1E+2", true},
		{"0", false},
		{"-1", false},
		{"-0", false},
		{"5E-1", false},
		{"10E-1", false},
		{"1E+101", false},
	} {
		x := dec(tt.x)
		d, ok := SmallAtLeastOne(x)
		if ok != tt.ok || ok && !identical(d, x) {
			t.Errorf("SmallAtLeastOne(%s) = %s, %v; want %v", tt.x, repr(d), ok, tt.ok)
		}
	}
}

// TestStoreSmall: StoreSmall writes a zero as 0 (never -0, which is not a
// valid input), and declines what Store would have to gate.
func TestStoreSmall(t *testing.T) {
	c := In(apd.BaseContext.WithPrecision(19))
	for _, tt := range []struct {
		d    Dec
		want string // "" when StoreSmall declines
	}{
		{New(-5, -3), "-0.005"},
		{Dec{neg: true}, "0"},
		{Dec{e: -3, neg: true}, "0.000"},
		{New(1, 100), "1E+100"},
		{New(1, 101), ""},
		{New(10, -101), ""},
	} {
		var z apd.Decimal
		z.SetInt64(7)
		ok := c.StoreSmall(&z, tt.d)
		switch {
		case tt.want == "" && (ok || z.String() != "7"):
			t.Errorf("StoreSmall(%s) = %v, z = %s; want false, z unchanged", repr(tt.d), ok, &z)
		case tt.want != "" && (!ok || z.String() != tt.want || z.Negative && z.IsZero()):
			t.Errorf("StoreSmall(%s) = %v, z = %s (negative %v); want %s", repr(tt.d), ok, &z, z.Negative, tt.want)
		}
	}
}

// TestStoreRate: StoreRate writes what Store writes for a magnitude below
// 1, in a word or spilled to apd, and otherwise records ErrRate and leaves
// z as it was; a recorded error wins.
func TestStoreRate(t *testing.T) {
	big := func(s string) Dec {
		var x apd.Decimal
		if _, _, err := x.SetString(s); err != nil {
			t.Fatal(err)
		}
		return fromBig(&x)
	}
	for _, tt := range []struct {
		d    Dec
		want string // "" for ErrRate
	}{
		{New(5, -1), "0.5"},
		{New(-9999, -4), "-0.9999"},
		{Dec{e: -3}, "0.000"},
		{New(1, 0), ""},
		{New(-10, -1), ""},
		{New(12, -1), ""},
		{New(1, 100), ""},
		{big("0.123456789012345678901234567890"), "0.123456789012345678901234567890"},
		{big("-1.00000000000000000000000000001"), ""},
	} {
		c := In(apd.BaseContext.WithPrecision(50))
		var z apd.Decimal
		z.SetInt64(7)
		err := c.StoreRate(&z, tt.d)
		switch {
		case tt.want == "" && (!errors.Is(err, ErrRate) || z.String() != "7"):
			t.Errorf("StoreRate(%s) = %v, z = %s; want ErrRate, z unchanged", repr(tt.d), err, &z)
		case tt.want != "" && (err != nil || z.String() != tt.want):
			t.Errorf("StoreRate(%s) = %v, z = %s; want %s", repr(tt.d), err, &z, tt.want)
		}
	}
	c := In(apd.BaseContext.WithPrecision(19))
	c.Fail(ErrPrice)
	var z apd.Decimal
	if err := c.StoreRate(&z, New(2, 0)); !errors.Is(err, ErrPrice) {
		t.Errorf("StoreRate after ErrPrice = %v, want ErrPrice", err)
	}
}

// TestResultZero: Result gives a zero of either sign as 0, at its
// exponent.
func TestResultZero(t *testing.T) {
	c := In(apd.BaseContext.WithPrecision(19))
	for _, d := range []Dec{{neg: true}, {e: -3, neg: true}, {e: 5}} {
		if r := c.Result(d); c.Err != nil || r.IsNeg() || !r.IsZero() || r.Exponent() != d.e {
			t.Errorf("Result(%s) = %s, %v; want 0 at exponent %d", repr(d), repr(r), c.Err, d.e)
		}
	}
}

// TestWithModeUnknown: WithMode rounds half-up for a mode out of range,
// in the kernels and through apd (an operand wider than a word) alike.
func TestWithModeUnknown(t *testing.T) {
	ctx := apd.BaseContext.WithPrecision(2)
	ctx.Rounding = apd.RoundHalfEven
	wide := Load(dec("1.250000000000000000000000000"))
	for _, m := range []Mode{0, numModes, 200} {
		c := In(ctx)
		d := c.WithMode(m)
		small := d.Add(New(125, -2), New(0, 0))
		big := d.Add(wide, New(0, 0))
		if d.Err != nil || small.String() != "1.3" || big.String() != "1.3" {
			t.Errorf("WithMode(%d): 1.25 + 0 = %s (kernels), %s (apd), %v; want 1.3 (half-up)", m, small, big, d.Err)
		}
	}
}
