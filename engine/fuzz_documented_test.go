package engine_test

import (
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/internal/dectest"
)

// formulaDocs are the formulas of formula.go as dectest.ErrDocs, with
// their documented lists (formulaErrors) and valid operands, for
// FuzzDocumented; TestErrorsDocumented shows an input for each sentinel
// and TestPropFormulasHostile drives them with rapid. Mark's operands are
// the fields of MarkInputs in order; its integers are the preset (an index
// into engine.Presets), Until and Interval in nanoseconds, and, where not
// 0, the MarkRule that replaces the preset's. ScoreBinance's integer is
// floor (not 0: true), PartialOKX's the tier.
func formulaDocs() []dectest.ErrDoc {
	z := func() *apd.Decimal { return new(apd.Decimal) }
	doc := func(name string, base []string, ints []int64, call func(ctx *apd.Context, x []*apd.Decimal, n []int64) error) dectest.ErrDoc {
		return dectest.ErrDoc{Name: name, Errs: formulaErrors[name], Base: base, Ints: ints, Call: call}
	}
	return []dectest.ErrDoc{
		doc("Mark", []string{"50000", "0.0001", "5", "50010", "0.001", "50000"}, []int64{0, int64(time.Hour), int64(8 * time.Hour), 0},
			func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
				presets := engine.Presets()
				p := presets[int(uint64(n[0])%uint64(len(presets)))]
				if n[3] != 0 {
					p.Mark = engine.MarkRule(n[3])
				}
				var m engine.MarkInputs
				for i, f := range []*apd.Decimal{&m.Index, &m.Rate, &m.Basis, &m.Last, &m.BasisRate, &m.Oracle} {
					f.Set(x[i])
				}
				m.Until, m.Interval = time.Duration(n[1]), time.Duration(n[2])
				return engine.Mark(ctx, z(), p, &m)
			}),
		doc("ScoreBitMEX", []string{"1", "1", "0"}, nil, func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
			return engine.ScoreBitMEX(ctx, z(), x[0], x[1], x[2])
		}),
		doc("ScoreBinance", []string{"1", "1", "0"}, []int64{0}, func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
			return engine.ScoreBinance(ctx, z(), x[0], x[1], x[2], n[0] != 0)
		}),
		doc("ScoreHyperliquid", []string{"1", "1", "1", "1"}, nil, func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
			return engine.ScoreHyperliquid(ctx, z(), x[0], x[1], x[2], x[3])
		}),
		doc("ScoreOKX", []string{"1", "1"}, nil, func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
			return engine.ScoreOKX(ctx, z(), x[0], x[1])
		}),
		doc("BankruptQuote", []string{"1", "3", "0", "1", "0.01"}, nil, func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
			return engine.BankruptQuote(ctx, z(), x[0], x[1], x[2], x[3], x[4])
		}),
		doc("Fillable", []string{"100", "5", "1", "1", "3", "1", "1"}, nil, func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
			return engine.Fillable(ctx, z(), x[0], x[1], x[2], x[3], x[4], x[5], x[6])
		}),
		doc("InsuranceDelta", []string{"1", "1", "0.01", "0.01"}, nil, func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
			return engine.InsuranceDelta(ctx, z(), x[0], x[1], x[2], x[3])
		}),
		doc("DriftBase", []string{"1", "3", "0.5", "0", "0"}, nil, func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
			return engine.DriftBase(ctx, z(), x[0], x[1], x[2], x[3], x[4])
		}),
		doc("DriftIfFee", []string{"1", "1", "3", "0.5", "0", "0.1"}, nil, func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
			return engine.DriftIfFee(ctx, z(), x[0], x[1], x[2], x[3], x[4], x[5])
		}),
		doc("PartialOKX", []string{"10", "1"}, []int64{1}, func(ctx *apd.Context, x []*apd.Decimal, n []int64) error {
			return engine.PartialOKX(ctx, z(), x[0], int(n[0]), x[1])
		}),
		doc("NotionalDYDX", []string{"100", "0", "1", "0.5", "50", "0.01"}, nil, func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
			return engine.NotionalDYDX(ctx, z(), x[0], x[1], x[2], x[3], x[4], x[5])
		}),
		doc("Drawdown", []string{"1", "0", "3"}, nil, func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
			return engine.Drawdown(ctx, z(), x[0], x[1], x[2])
		}),
		doc("ClawbackRate", []string{"1", "0", "3"}, nil, func(ctx *apd.Context, x []*apd.Decimal, _ []int64) error {
			return engine.ClawbackRate(ctx, z(), x[0], x[1], x[2])
		}),
	}
}

// FuzzDocumented calls the formulas of formulaDocs on fuzzed operands and
// contexts (dectest.FuzzDocumented): nothing panics, and every error is
// in the formula's documented list or a condition the context trapped.
func FuzzDocumented(f *testing.F) {
	docs := formulaDocs()
	if len(docs) != len(formulaErrors) {
		f.Fatalf("formulaDocs has %d formulas, formulaErrors %d", len(docs), len(formulaErrors))
	}
	dectest.FuzzDocumented(f, docs)
}
