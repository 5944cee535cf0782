package engine_test

import (
	"errors"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/funding"
	"github.com/derivmath/derivmath/internal/dectest"
	"pgregory.net/rapid"
)

// formulaErrors are the errors the formulas document: derivmath's numeric
// sentinels, the engine's, and funding's for Mark.
var formulaErrors = []error{
	derivmath.ErrNaN, derivmath.ErrInfinite, derivmath.ErrNegativeZero, derivmath.ErrRange,
	derivmath.ErrPrice, derivmath.ErrZeroQty, derivmath.ErrRate, derivmath.ErrStep,
	engine.ErrPreset, engine.ErrTable, engine.ErrPosition, engine.ErrBankrupt,
	engine.ErrUnbounded, engine.ErrNegativeFund,
	funding.ErrInterval, funding.ErrTimeLeft, funding.ErrDuration,
}

// TestPropFormulasHostile drives every formula of formula.go with hostile
// decimals (dectest.HostileDecimal), in the default and a 50-digit
// context, with z fresh or aliasing an operand: nothing panics; every
// error is documented; on error z is unchanged; on success z is a valid
// input (derivmath's result gate: the package documentation's "every
// successful output is a valid input").
func TestPropFormulasHostile(t *testing.T) {
	wide := apd.BaseContext.WithPrecision(50)
	presets := engine.Presets()
	durations := []time.Duration{-1, 0, 1, time.Hour, 7 * time.Hour, 8 * time.Hour, 1<<63 - 1}
	rapid.Check(t, func(t *rapid.T) {
		ctx := rapid.SampledFrom([]*apd.Context{derivmath.NewContext(), wide}).Draw(t, "ctx")
		// Each operand is hostile, or (in about half the draws) a value
		// every parameter accepts, so that the formulas run to the end too.
		tame := rapid.IntRange(0, 4).Draw(t, "tame")
		var in [8]*apd.Decimal
		for i := range in {
			if rapid.IntRange(1, 4).Draw(t, "benign") <= tame {
				in[i] = dectest.D(rapid.SampledFrom([]string{"0.0001", "0.005", "0.01", "0.5", "2", "100", "65432.5"}).Draw(t, "x"))
				continue
			}
			in[i] = dectest.HostileDecimal(t, "x")
		}
		alias := rapid.IntRange(0, len(in)).Draw(t, "alias") // 0: fresh z; i: z is operand i-1
		tier := rapid.IntRange(-1, 5).Draw(t, "tier")
		flag := rapid.Bool().Draw(t, "floor")
		p := presets[rapid.IntRange(0, len(presets)-1).Draw(t, "preset")]
		until := rapid.SampledFrom(durations).Draw(t, "until")
		interval := rapid.SampledFrom(durations).Draw(t, "interval")
		type op = func(z *apd.Decimal, x []*apd.Decimal) error
		ops := []struct {
			name string
			fn   op
		}{
			{"Mark", func(z *apd.Decimal, x []*apd.Decimal) error {
				// z may alias a field of in: the operands are its fields.
				var m engine.MarkInputs
				for i, f := range []*apd.Decimal{&m.Index, &m.Rate, &m.Basis, &m.Last, &m.BasisRate, &m.Oracle} {
					f.Set(x[i])
					if z == x[i] {
						defer func() { x[i].Set(f) }()
						z = f
					}
				}
				m.Until, m.Interval = until, interval
				return engine.Mark(ctx, z, p, &m)
			}},
			{"ScoreBitMEX", func(z *apd.Decimal, x []*apd.Decimal) error {
				return engine.ScoreBitMEX(ctx, z, x[0], x[1], x[2])
			}},
			{"ScoreBinance", func(z *apd.Decimal, x []*apd.Decimal) error {
				return engine.ScoreBinance(ctx, z, x[0], x[1], x[2], flag)
			}},
			{"ScoreHyperliquid", func(z *apd.Decimal, x []*apd.Decimal) error {
				return engine.ScoreHyperliquid(ctx, z, x[0], x[1], x[2], x[3])
			}},
			{"ScoreOKX", func(z *apd.Decimal, x []*apd.Decimal) error { return engine.ScoreOKX(ctx, z, x[0], x[1]) }},
			{"BankruptQuote", func(z *apd.Decimal, x []*apd.Decimal) error {
				return engine.BankruptQuote(ctx, z, x[0], x[1], x[2], x[3], x[4])
			}},
			{"Fillable", func(z *apd.Decimal, x []*apd.Decimal) error {
				return engine.Fillable(ctx, z, x[0], x[1], x[2], x[3], x[4], x[5], x[6])
			}},
			{"InsuranceDelta", func(z *apd.Decimal, x []*apd.Decimal) error {
				return engine.InsuranceDelta(ctx, z, x[0], x[1], x[2], x[3])
			}},
			{"DriftBase", func(z *apd.Decimal, x []*apd.Decimal) error {
				return engine.DriftBase(ctx, z, x[0], x[1], x[2], x[3], x[4])
			}},
			{"DriftIfFee", func(z *apd.Decimal, x []*apd.Decimal) error {
				return engine.DriftIfFee(ctx, z, x[0], x[1], x[2], x[3], x[4], x[5])
			}},
			{"PartialOKX", func(z *apd.Decimal, x []*apd.Decimal) error {
				return engine.PartialOKX(ctx, z, x[0], tier, x[1])
			}},
			{"NotionalDYDX", func(z *apd.Decimal, x []*apd.Decimal) error {
				return engine.NotionalDYDX(ctx, z, x[0], x[1], x[2], x[3], x[4], x[5])
			}},
			{"Drawdown", func(z *apd.Decimal, x []*apd.Decimal) error { return engine.Drawdown(ctx, z, x[0], x[1], x[2]) }},
			{"ClawbackRate", func(z *apd.Decimal, x []*apd.Decimal) error {
				return engine.ClawbackRate(ctx, z, x[0], x[1], x[2])
			}},
		}
		for _, op := range ops {
			err := dectest.Hostile(t, op.name, in[:], alias, derivmath.CheckDecimal, op.fn)
			if err == nil {
				continue
			}
			documented := false
			for _, e := range formulaErrors {
				documented = documented || errors.Is(err, e)
			}
			if !documented {
				t.Fatalf("%s(%v): undocumented error %v (%T)", op.name, in, err, err)
			}
		}
	})
}
