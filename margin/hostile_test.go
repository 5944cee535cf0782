package margin_test

import (
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/margin"
	"pgregory.net/rapid"
)

// replaceSome sets a random subset of fields (possibly none, possibly all)
// to hostile decimals, so that a valid schedule is reached as often as a
// broken one.
func replaceSome(t *rapid.T, label string, fields ...*apd.Decimal) {
	for i, f := range fields {
		if rapid.IntRange(0, 3).Draw(t, label) == 0 {
			f.Set(dectest.HostileDecimal(t, label+string(rune('a'+i))))
		}
	}
}

// TestPropHostile drives every exported computation of the package with
// hostile decimals (dectest.HostileDecimal), in the default, a 50-digit and
// any context (dectest.AnyContext, whose trapped Inexact the package
// documents: see trapped), with z fresh or aliasing an operand: nothing
// panics; every error is documented; on error the output is unchanged; on
// success the output is a valid input.
func TestPropHostile(t *testing.T) {
	wide := apd.BaseContext.WithPrecision(50)
	specs := []*contract.Spec{contract.XBTUSD(), contract.ETHUSD(), contract.BTCUSDT(), contract.BTCUSDPerp()}
	rapid.Check(t, func(t *rapid.T) {
		ctx := rapid.SampledFrom([]*apd.Context{derivmath.NewContext(), wide}).Draw(t, "ctx")
		if rapid.IntRange(0, 2).Draw(t, "anyContext") == 0 {
			ctx = dectest.AnyContext(t)
		}
		s := rapid.SampledFrom(specs).Draw(t, "spec")
		var in [5]*apd.Decimal
		for i := range in {
			in[i] = dectest.HostileDecimal(t, "in")
		}
		alias := rapid.IntRange(0, len(in)).Draw(t, "alias") // 0: fresh z; i: z is in[i-1]

		// Tables and schedules: presets with some fields hostile, and a
		// table built from hostile rows.
		tiers := margin.BTCUSDT()
		var rows []margin.Tier
		for i := range rapid.IntRange(1, 3).Draw(t, "rows") {
			r := tiers.At(i)
			var u margin.Tier
			u.Floor.Set(&r.Floor)
			u.MMR.Set(&r.MMR)
			u.Cum.Set(&r.Cum)
			u.MaxLeverage.Set(&r.MaxLeverage)
			replaceSome(t, "row", &u.Floor, &u.MMR, &u.Cum, &u.MaxLeverage)
			rows = append(rows, u)
		}
		limit := dectest.HostileDecimal(t, "limit")
		built, errBuilt := margin.NewTiers(rows, limit)
		checkDocumented(t, "NewTiers", errBuilt)
		if errBuilt == nil && rapid.Bool().Draw(t, "built") {
			tiers = built
		}
		_, errFlat := margin.Flat(in[0], in[1])
		checkDocumented(t, "Flat", errFlat)
		st := steps2021()
		replaceSome(t, "steps", &st.BaseRiskLimit, &st.Step, &st.BaseMM, &st.BaseIM, &st.Limit)
		checkDocumented(t, "Steps.Validate", st.Validate())
		dl := margin.DeribitBTC()
		replaceSome(t, "sizeLinear", &dl.BaseIM, &dl.BaseMM, &dl.IMSlope, &dl.MMSlope)
		checkDocumented(t, "SizeLinear.Validate", dl.Validate())

		type op struct {
			name string
			fn   func(z *apd.Decimal, x []*apd.Decimal) error
		}
		ops := []op{
			{"Initial", func(z *apd.Decimal, x []*apd.Decimal) error { return margin.Initial(ctx, z, x[0], x[1]) }},
			{"IMR", func(z *apd.Decimal, x []*apd.Decimal) error { return margin.IMR(ctx, z, x[0]) }},
			{"Maintenance", func(z *apd.Decimal, x []*apd.Decimal) error { return margin.Maintenance(ctx, z, x[0], x[1], x[2]) }},
			{"Cum", func(z *apd.Decimal, x []*apd.Decimal) error { return margin.Cum(ctx, z, x[0], x[1], x[2], x[3]) }},
			{"Tiers.Maintenance", func(z *apd.Decimal, x []*apd.Decimal) error { return tiers.Maintenance(ctx, z, x[0]) }},
			{"Tiers.MaxQty", func(z *apd.Decimal, x []*apd.Decimal) error {
				return tiers.MaxQty(ctx, z, s, x[0], x[1], x[2], x[3])
			}},
			{"Steps.Count", func(z *apd.Decimal, x []*apd.Decimal) error { return st.Count(ctx, z, x[0]) }},
			{"Steps.MMR", func(z *apd.Decimal, x []*apd.Decimal) error { return st.MMR(ctx, z, x[0]) }},
			{"Steps.IMR", func(z *apd.Decimal, x []*apd.Decimal) error { return st.IMR(ctx, z, x[0]) }},
			{"Steps.Maintenance", func(z *apd.Decimal, x []*apd.Decimal) error { return st.Maintenance(ctx, z, x[0]) }},
			{"Steps.Initial", func(z *apd.Decimal, x []*apd.Decimal) error { return st.Initial(ctx, z, x[0]) }},
			{"SizeLinear.IMR", func(z *apd.Decimal, x []*apd.Decimal) error { return dl.IMR(ctx, z, x[0]) }},
			{"SizeLinear.MMR", func(z *apd.Decimal, x []*apd.Decimal) error { return dl.MMR(ctx, z, x[0]) }},
			{"SizeLinear.Initial", func(z *apd.Decimal, x []*apd.Decimal) error { return dl.Initial(ctx, z, x[0], x[1]) }},
			{"SizeLinear.Maintenance", func(z *apd.Decimal, x []*apd.Decimal) error {
				return dl.Maintenance(ctx, z, x[0], x[1])
			}},
			{"FeeToClose", func(z *apd.Decimal, x []*apd.Decimal) error {
				return margin.FeeToClose(ctx, z, s, x[0], x[1], x[2], x[3])
			}},
			{"FundingReserve", func(z *apd.Decimal, x []*apd.Decimal) error {
				return margin.FundingReserve(ctx, z, x[0], x[1], x[2])
			}},
			{"Position", func(z *apd.Decimal, x []*apd.Decimal) error { return margin.Position(ctx, z, x[0], x[1], x[2]) }},
			{"Ratio", func(z *apd.Decimal, x []*apd.Decimal) error { return margin.Ratio(ctx, z, x[0], x[1]) }},
			{"Available", func(z *apd.Decimal, x []*apd.Decimal) error { return margin.Available(ctx, z, x[0], x[1], x[2]) }},
			{"Order", func(z *apd.Decimal, x []*apd.Decimal) error {
				return margin.Order(ctx, z, s, x[0], x[1], x[2], x[3], x[4])
			}},
			{"MaxQty", func(z *apd.Decimal, x []*apd.Decimal) error {
				return margin.MaxQty(ctx, z, s, x[0], x[1], x[2], x[3])
			}},
		}
		for _, op := range ops {
			if err := dectest.Hostile(t, op.name, in[:], alias, derivmath.CheckDecimal, op.fn); !trapped(err, ctx) {
				checkDocumented(t, op.name, err)
			}
		}

		// The functions that write no decimal.
		_, err := tiers.Lookup(in[0])
		checkDocumented(t, "Tiers.Lookup", err)
		checkDocumented(t, "Tiers.CheckLeverage", tiers.CheckLeverage(in[0], in[1]))
		if err := st.CheckLeverage(ctx, in[0], in[1]); !trapped(err, ctx) {
			checkDocumented(t, "Steps.CheckLeverage", err)
		}
		kind := rapid.SampledFrom([]contract.Kind{contract.Linear, contract.Inverse, contract.Quanto}).Draw(t, "kind")
		never, err := margin.BitMEXNeverLiquidates(kind, in[0], in[1], rapid.Bool().Draw(t, "isolated"))
		checkDocumented(t, "BitMEXNeverLiquidates", err)
		if err != nil && never {
			t.Fatalf("BitMEXNeverLiquidates failed (%v) and answered true", err)
		}

		// BitMEX's fields: all four valid, or none written.
		p := &margin.BitMEXPosition{}
		p.Cost.SetInt64(-25426)
		p.InitMarginReq.SetInt64(1)
		p.MaintMarginReq.Set(dectest.D("0.005"))
		p.Commission.Set(dectest.D("0.00075"))
		replaceSome(t, "bitmex", &p.Cost, &p.Cross, &p.Loss, &p.InitMarginReq, &p.MaintMarginReq, &p.Commission, &p.FundingReserve)
		var z, before margin.BitMEX
		for i, f := range []*apd.Decimal{&z.Init, &z.Comm, &z.Maint, &z.Margin} {
			f.SetInt64(int64(-1 - i))
			[]*apd.Decimal{&before.Init, &before.Comm, &before.Maint, &before.Margin}[i].Set(f)
		}
		if err := p.Margin(ctx, &z); err != nil {
			if !trapped(err, ctx) {
				checkDocumented(t, "BitMEXPosition.Margin", err)
			}
			if !z.Equal(&before) {
				t.Fatalf("BitMEXPosition.Margin failed (%v) and changed its result", err)
			}
		} else {
			for _, f := range []*apd.Decimal{&z.Init, &z.Comm, &z.Maint, &z.Margin} {
				if err := derivmath.CheckDecimal(f); err != nil {
					t.Fatalf("BitMEXPosition.Margin wrote %s: %v", f, err)
				}
			}
		}
	})
}

// checkDocumented fails unless err is nil or documented (see documented).
func checkDocumented(t *rapid.T, what string, err error) {
	t.Helper()
	if err != nil && !documented(err) {
		t.Fatalf("%s: undocumented error %v (%T)", what, err, err)
	}
}

// TestNothingWrittenOnError: results outside the valid range are
// derivmath.ErrRange, and z keeps its value.
func TestNothingWrittenOnError(t *testing.T) {
	ctx := derivmath.NewContext()
	for _, tt := range []struct {
		name string
		fn   func(z *apd.Decimal) error
	}{
		{"IMR(1E+100)", func(z *apd.Decimal) error { return margin.IMR(ctx, z, d("1E+100")) }}, // valid: 1E-100
		{"IMR(3E+100)", func(z *apd.Decimal) error { return margin.IMR(ctx, z, d("3E+100")) }},
		{"Initial(1E-100, 1E+19)", func(z *apd.Decimal) error { return margin.Initial(ctx, z, d("1E-100"), d("1E+19")) }},
		{"Ratio(1E+100, 1E-100)", func(z *apd.Decimal) error { return margin.Ratio(ctx, z, d("1E+100"), d("1E-100")) }},
	} {
		z := dectest.D("7")
		err := tt.fn(z)
		if tt.name == "IMR(1E+100)" {
			if err != nil || z.String() != "1E-100" {
				t.Errorf("%s: %v, z = %s; want 1E-100", tt.name, err, z)
			}
			continue
		}
		if !errors.Is(err, derivmath.ErrRange) || z.String() != "7" {
			t.Errorf("%s: %v, z = %s; want ErrRange and z unchanged", tt.name, err, z)
		}
	}
}
