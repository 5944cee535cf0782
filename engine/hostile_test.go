package engine_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/funding"
	"github.com/derivmath/derivmath/internal/dectest"
	"pgregory.net/rapid"
)

// formulaErrors lists, for each formula of formula.go, the sentinels its
// godoc names: CheckDecimal's (derivmath.ErrNaN, ErrInfinite,
// ErrNegativeZero, ErrRange), derivmath.ErrContext and derivmath.ErrRange
// for a result outside the result range in every list; CheckPrice's add
// derivmath.ErrPrice. Mark's "those of funding.FairPrice and
// funding.MarkBinance" are CheckPrice's, derivmath.ErrRate (Basis's and
// MarkBinance's), funding.ErrInterval and funding.ErrTimeLeft. A condition
// the context traps is documented once, by the package: formulaTrap.
var formulaErrors = func() map[string][]error {
	base := []error{derivmath.ErrContext, derivmath.ErrNaN, derivmath.ErrInfinite, derivmath.ErrNegativeZero, derivmath.ErrRange}
	with := func(errs ...error) []error { return append(slices.Clip(base), errs...) }
	return map[string][]error{
		"Mark":             with(engine.ErrPreset, derivmath.ErrPrice, derivmath.ErrRate, funding.ErrInterval, funding.ErrTimeLeft),
		"ScoreBitMEX":      with(derivmath.ErrZeroQty, engine.ErrBankrupt),
		"ScoreBinance":     with(engine.ErrUnbounded),
		"ScoreHyperliquid": with(derivmath.ErrPrice),
		"ScoreOKX":         with(engine.ErrPosition),
		"BankruptQuote":    with(engine.ErrPosition, derivmath.ErrStep),
		"Fillable":         with(engine.ErrPosition, derivmath.ErrPrice),
		"InsuranceDelta":   with(derivmath.ErrRate, derivmath.ErrStep),
		"DriftBase":        with(derivmath.ErrPrice, engine.ErrUnbounded),
		"DriftIfFee":       with(derivmath.ErrPrice, derivmath.ErrZeroQty),
		"PartialOKX":       with(engine.ErrTable),
		"NotionalDYDX":     with(engine.ErrPreset, derivmath.ErrStep),
		"Drawdown":         with(engine.ErrNegativeFund),
		"ClawbackRate":     with(engine.ErrPosition),
	}
}()

// formulaTrap reports whether err is a condition the context trapped in
// formula fn, as the package documents it: apd's error wrapped with the
// formula's name, "engine: score okx: inexact" (for Mark's funding rules,
// with funding's name; for a rounding to the minor unit, with
// derivmath.Round's).
func formulaTrap(fn string, err error) bool {
	name := map[string]string{
		"Mark": "mark", "ScoreBitMEX": "score bitmex", "ScoreBinance": "score binance",
		"ScoreHyperliquid": "score hyperliquid", "ScoreOKX": "score okx",
		"BankruptQuote": "bankrupt quote", "Fillable": "fillable", "InsuranceDelta": "insurance delta",
		"DriftBase": "drift base", "DriftIfFee": "drift if fee", "PartialOKX": "partial okx",
		"NotionalDYDX": "notional dydx", "Drawdown": "drawdown", "ClawbackRate": "clawback rate",
	}[fn]
	// Mark's funding rules return funding's trapped conditions as they
	// are, with funding's name.
	funding := fn == "Mark" && strings.HasPrefix(err.Error(), "funding: ")
	// The formulas that round to the minor unit return derivmath.Round's
	// with Round's name.
	round := (fn == "BankruptQuote" || fn == "InsuranceDelta" || fn == "NotionalDYDX") &&
		strings.HasPrefix(err.Error(), "derivmath: round: ")
	return name != "" && errors.Unwrap(err) != nil && (strings.HasPrefix(err.Error(), "engine: "+name+": ") || funding || round)
}

// TestPropFormulasHostile drives every formula of formula.go with hostile
// decimals (dectest.HostileDecimal), in the default, a 50-digit, a 4-digit
// context trapping Inexact and any context (dectest.AnyContext), with z
// fresh or aliasing an operand: nothing panics; every error is documented; on error z is unchanged; on success z is a valid
// input (derivmath's result gate: the package documentation's "every
// successful output is a valid input").
func TestPropFormulasHostile(t *testing.T) {
	wide := apd.BaseContext.WithPrecision(50)
	// A context that traps Inexact: formulas return apd's condition.
	trapping := apd.BaseContext.WithPrecision(4)
	trapping.Traps |= apd.Inexact
	presets := engine.Presets()
	durations := []time.Duration{-1, 0, 1, time.Hour, 7 * time.Hour, 8 * time.Hour, 1<<63 - 1}
	rapid.Check(t, func(t *rapid.T) {
		ctx := rapid.SampledFrom([]*apd.Context{derivmath.NewContext(), wide, trapping}).Draw(t, "ctx")
		if rapid.IntRange(0, 2).Draw(t, "anyContext") == 0 {
			ctx = dectest.AnyContext(t)
		}
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
			list, ok := formulaErrors[op.name]
			if !ok {
				t.Fatalf("no documented errors for %s", op.name)
			}
			if !slices.ContainsFunc(list, func(e error) bool { return errors.Is(err, e) }) && !formulaTrap(op.name, err) {
				t.Fatalf("%s(%v): undocumented error %v (%T)", op.name, in, err, err)
			}
		}
	})
}
