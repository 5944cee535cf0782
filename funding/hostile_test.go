package funding_test

import (
	"errors"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/funding"
	"github.com/derivmath/derivmath/internal/dectest"
	"pgregory.net/rapid"
)

// TestPropHostile drives every exported computation of the package with
// hostile decimals, in the default, a 50-digit and any context
// (dectest.AnyContext), with z fresh or aliasing an operand (a field of
// the position, a sample of the window): nothing panics; every error is
// documented; on error the output is unchanged; on success the output is
// a valid input.
func TestPropHostile(t *testing.T) {
	wide := apd.BaseContext.WithPrecision(50)
	specs := []*contract.Spec{contract.XBTUSD(), contract.ETHUSD(), contract.BTCUSDT(), contract.BTCUSDPerp()}
	durations := []time.Duration{-1, 0, 1, time.Hour, 7 * time.Hour, 8 * time.Hour, 24 * time.Hour, 1<<63 - 1, -1 << 63}
	rapid.Check(t, func(t *rapid.T) {
		ctx := rapid.SampledFrom([]*apd.Context{derivmath.NewContext(), wide}).Draw(t, "ctx")
		if rapid.IntRange(0, 2).Draw(t, "anyContext") == 0 {
			ctx = dectest.AnyContext(t)
		}
		s := rapid.SampledFrom(specs).Draw(t, "spec")
		// Each operand is hostile, or (in about half the draws) a value in
		// (0, 1) that every parameter accepts, so that the computations
		// that need all their operands valid run too.
		tame := rapid.IntRange(0, 4).Draw(t, "tame")
		var in [5]*apd.Decimal
		for i := range in {
			if rapid.IntRange(1, 4).Draw(t, "benign") <= tame {
				in[i] = dectest.D(rapid.SampledFrom([]string{"0.0001", "0.00025", "0.005", "0.01", "0.5", "0.75"}).Draw(t, "x"))
				continue
			}
			in[i] = dectest.HostileDecimal(t, "x")
		}
		d1 := rapid.SampledFrom(durations).Draw(t, "d1")
		d2 := rapid.SampledFrom(durations).Draw(t, "d2")
		alias := rapid.IntRange(0, len(in)).Draw(t, "alias") // 0: fresh z; i: z is operand i-1
		w := funding.Weighting(rapid.IntRange(0, 3).Draw(t, "w"))
		ops := []struct {
			name string
			fn   func(z *apd.Decimal, x []*apd.Decimal) error
		}{
			{"Premium", func(z *apd.Decimal, x []*apd.Decimal) error { return funding.Premium(ctx, z, x[0], x[1], x[2]) }},
			{"MarkPremium", func(z *apd.Decimal, x []*apd.Decimal) error {
				return funding.MarkPremium(ctx, z, x[0], x[1], x[2], x[3], x[4])
			}},
			{"ImpactNotional", func(z *apd.Decimal, x []*apd.Decimal) error { return funding.ImpactNotional(ctx, z, x[0], x[1]) }},
			{"Interest", func(z *apd.Decimal, x []*apd.Decimal) error { return funding.Interest(ctx, z, x[0], x[1], d1) }},
			{"Rate", func(z *apd.Decimal, x []*apd.Decimal) error { return funding.Rate(ctx, z, x[0], x[1], x[2]) }},
			{"Clamp", func(z *apd.Decimal, x []*apd.Decimal) error { return funding.Clamp(z, x[0], x[1]) }},
			{"ClampChange", func(z *apd.Decimal, x []*apd.Decimal) error { return funding.ClampChange(ctx, z, x[0], x[1], x[2]) }},
			{"Annualised", func(z *apd.Decimal, x []*apd.Decimal) error { return funding.Annualised(ctx, z, x[0], d1) }},
			{"CapBitMEX", func(z *apd.Decimal, x []*apd.Decimal) error { return funding.CapBitMEX(ctx, z, x[0], x[1]) }},
			{"ChangeCapBitMEX", func(z *apd.Decimal, x []*apd.Decimal) error { return funding.ChangeCapBitMEX(ctx, z, x[0]) }},
			{"CapBinance", func(z *apd.Decimal, x []*apd.Decimal) error { return funding.CapBinance(ctx, z, x[0], x[1]) }},
			{"DeadBand", func(z *apd.Decimal, x []*apd.Decimal) error { return funding.DeadBand(ctx, z, x[0], x[1], x[2]) }},
			{"Basis", func(z *apd.Decimal, x []*apd.Decimal) error { return funding.Basis(ctx, z, x[0], d1, d2) }},
			{"FairPrice", func(z *apd.Decimal, x []*apd.Decimal) error { return funding.FairPrice(ctx, z, x[0], x[1], d1, d2) }},
			{"BasisRate", func(z *apd.Decimal, x []*apd.Decimal) error { return funding.BasisRate(ctx, z, x[0], x[1], x[2], d1) }},
			{"FairPriceDated", func(z *apd.Decimal, x []*apd.Decimal) error { return funding.FairPriceDated(ctx, z, x[0], x[1], d1) }},
			{"RateBinance", func(z *apd.Decimal, x []*apd.Decimal) error {
				return funding.RateBinance(ctx, z, x[0], x[1], x[2], d1, funding.ScaleRate)
			}},
			{"RateBinance/ScaleTerms", func(z *apd.Decimal, x []*apd.Decimal) error {
				return funding.RateBinance(ctx, z, x[0], x[1], x[2], d1, funding.ScaleTerms)
			}},
			{"PerInterval", func(z *apd.Decimal, x []*apd.Decimal) error { return funding.PerInterval(ctx, z, x[0], d1) }},
			{"MarkBinance", func(z *apd.Decimal, x []*apd.Decimal) error {
				return funding.MarkBinance(ctx, z, x[0], x[1], x[2], x[3], d1, d2)
			}},
			{"Payment", func(z *apd.Decimal, x []*apd.Decimal) error {
				return withPosition(z, x, func(z *apd.Decimal, p *contract.Position) error {
					return funding.Payment(ctx, z, s, p, x[2], x[3])
				})
			}},
			{"Accrual", func(z *apd.Decimal, x []*apd.Decimal) error {
				return withPosition(z, x, func(z *apd.Decimal, p *contract.Position) error {
					return funding.Accrual(ctx, z, s, p, x[2], x[3], d1, d2)
				})
			}},
			{"Average", func(z *apd.Decimal, x []*apd.Decimal) error {
				// The window is the five operands; z may be one of them.
				samples := make([]apd.Decimal, len(x))
				for i := range x {
					samples[i].Set(x[i])
					if z == x[i] {
						defer x[i].Set(&samples[i])
						z = &samples[i]
					}
				}
				return funding.Average(ctx, z, samples, w)
			}},
		}
		for _, op := range ops {
			checkHostileError(t, op.name, dectest.Hostile(t, op.name, in[:], alias, derivmath.CheckDecimal, op.fn))
		}
		// Next reads no decimal: hostile durations only.
		if _, err := funding.Next(time.Unix(0, int64(d1)), d1, d2); err != nil {
			checkHostileError(t, "Next", err)
		}
	})
}

// withPosition calls fn with a position of quantity x[0] and entry x[1]
// and the result z, or, when z is x[0] or x[1], that field of the position
// in its place, copied back to the operand after the call (so that
// dectest.Hostile, which reads the operand, sees what fn left in the
// position).
func withPosition(z *apd.Decimal, x []*apd.Decimal, fn func(z *apd.Decimal, p *contract.Position) error) error {
	p := &contract.Position{}
	for i, f := range []*apd.Decimal{&p.Qty, &p.Entry} {
		f.Set(x[i])
		if z == x[i] {
			defer x[i].Set(f)
			z = f
		}
	}
	return fn(z, p)
}

// checkHostileError fails unless err is nil, a documented sentinel (the
// package's, derivmath's, or a contract Spec's), or apd's failure wrapped
// with the operation's name.
func checkHostileError(t *rapid.T, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, s := range append(documented, contract.ErrKind, contract.ErrMultiplier) {
		if errors.Is(err, s) {
			return
		}
	}
	if errors.Unwrap(err) != nil {
		return
	}
	t.Fatalf("%s: undocumented error %v (%T)", what, err, err)
}

// TestNothingWrittenOnError: a result outside the result range is
// derivmath.ErrRange, and z keeps its value.
func TestNothingWrittenOnError(t *testing.T) {
	ctx := derivmath.NewContext()
	xbtusd := contract.XBTUSD()
	for _, tt := range []struct {
		name string
		fn   func(z *apd.Decimal) error
	}{
		{"ImpactNotional(1E+100, 1E-100)", func(z *apd.Decimal) error {
			return funding.ImpactNotional(ctx, z, dectest.D("1E+100"), dectest.D("1E-100"))
		}},
		{"Annualised(1E-100)", func(z *apd.Decimal) error {
			return funding.Annualised(ctx, z, dectest.D("-1.234E-100"), 8*time.Hour)
		}},
		{"Interest(1E-100, 0)", func(z *apd.Decimal) error {
			return funding.Interest(ctx, z, dectest.D("1E-100"), dectest.D("0"), time.Hour)
		}},
		{"Payment(1E+100 XBTUSD at 1E-100)", func(z *apd.Decimal) error {
			var p contract.Position
			p.Qty.Set(dectest.D("1E+100"))
			return funding.Payment(ctx, z, xbtusd, &p, dectest.D("1E-100"), dectest.D("0.5"))
		}},
		{"Average(1E-100, 1E-100, 2E-100)", func(z *apd.Decimal) error {
			samples := []apd.Decimal{*dectest.D("1E-100"), *dectest.D("1E-100"), *dectest.D("2E-100")}
			return funding.Average(ctx, z, samples, funding.Equal)
		}},
	} {
		z := dectest.D("7")
		err := tt.fn(z)
		if !errors.Is(err, derivmath.ErrRange) || z.String() != "7" {
			t.Errorf("%s: %v, z = %s; want ErrRange and z unchanged", tt.name, err, z)
		}
	}
}

// TestNilContext: a nil context is derivmath.ErrContext, not a panic.
func TestNilContext(t *testing.T) {
	r, p := dectest.D("0.0001"), dectest.D("10000")
	var pos contract.Position
	pos.Qty.SetInt64(1)
	for name, fn := range map[string]func(z *apd.Decimal) error{
		"Premium": func(z *apd.Decimal) error { return funding.Premium(nil, z, p, p, p) },
		"Average": func(z *apd.Decimal) error { return funding.Average(nil, z, []apd.Decimal{*r}, funding.Equal) },
		"Payment": func(z *apd.Decimal) error { return funding.Payment(nil, z, contract.XBTUSD(), &pos, p, r) },
		"Accrual": func(z *apd.Decimal) error {
			return funding.Accrual(nil, z, contract.XBTUSD(), &pos, p, r, 1, time.Hour)
		},
		"Interest": func(z *apd.Decimal) error { return funding.Interest(nil, z, r, r, time.Hour) },
	} {
		z := dectest.D("7")
		if err := fn(z); !errors.Is(err, derivmath.ErrContext) || z.String() != "7" {
			t.Errorf("%s(nil context): %v, z = %s; want ErrContext and z unchanged", name, err, z)
		}
	}
}
