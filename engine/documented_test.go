package engine_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/engine/internal/enginetest"
)

// liquidating is a State under Binance's preset (linear, tick 0.25, cent
// minor unit) at a mark of 99: a street trader mk, a long a of 1 @ 100
// with a margin of 1, triggered, and a short of 1 @ 100.
func liquidating(t *testing.T) (st *engine.State, mk, a int) {
	t.Helper()
	s := linear(t, "0.25", "1", "0.01")
	st = state(t, s, engine.PresetBinance())
	noErr(t, st.SetMark(d("100")))
	mk = add(t, st, trader(t, s, "1000", "", "0", "0", "0"))
	a = add(t, st, trader(t, s, "0", "1", "1", "100", "0.004"))
	add(t, st, trader(t, s, "1000", "", "-1", "100", "0.004"))
	noErr(t, st.SetMark(d("99")))
	if _, ok, err := st.Trigger(nil, a); err != nil || !ok {
		t.Fatal(ok, err)
	}
	return st, mk, a
}

// TestErrorsDocumented returns, for each exported function and method of
// the package that returns an error, each sentinel its godoc names from
// one input, and checks that the sentinel is in the function's list
// (formulaErrors for the formulas, enginetest.Errors for the rest). The
// references are resolved there: "CheckDecimal errors" to derivmath's
// ErrNaN, ErrInfinite, ErrNegativeZero and ErrRange (one of them here);
// "CheckPrice errors" adds derivmath.ErrPrice; "arithmetic errors" to
// derivmath.ErrRange, ErrInexact and a trapped condition (TestFormulaTraps);
// "solver" and "liquidation's errors" to liquidation.Solver.Compile's,
// Price's and Liquidatable's. Sentinels returned only deep in a scenario
// are left to the tests named in the comments; NetQty's ErrRange (a sum of
// quantities past 50 digits) and Socialise's arithmetic errors have no case.
func TestErrorsDocumented(t *testing.T) {
	ctx := derivmath.NewContext()
	var z apd.Decimal
	nan := d("NaN")
	fresh := func() *engine.State { return state(t, linear(t, "0.25", "1", "0.01"), engine.PresetBinance()) }
	spec := linear(t, "0.25", "1", "0.01")
	addTrader := func(change func(tr *engine.Trader)) func() error {
		return func() error {
			st := fresh()
			noErr(t, st.SetMark(d("100")))
			tr := trader(t, spec, "0", "1", "1", "100", "0.004")
			change(tr)
			_, err := st.Add(tr)
			return err
		}
	}
	preset := func(change func(p *engine.Preset)) func() error {
		return func() error { p := engine.PresetBitMEX(); change(p); return p.Validate() }
	}
	cases := []struct {
		fn   string
		want error
		call func() error
	}{
		// The formulas.
		{"Mark", derivmath.ErrContext, func() error { return engine.Mark(nil, &z, engine.PresetBitMEX(), &engine.MarkInputs{}) }},
		{"Mark", engine.ErrPreset, func() error {
			p := engine.PresetBitMEX()
			p.Mark = 99
			return engine.Mark(ctx, &z, p, &engine.MarkInputs{})
		}},
		{"Mark", derivmath.ErrPrice, func() error { return engine.Mark(ctx, &z, engine.PresetBitMEX(), &engine.MarkInputs{}) }},
		{"ScoreBitMEX", derivmath.ErrContext, func() error { return engine.ScoreBitMEX(nil, &z, d("1"), d("1"), d("0")) }},
		{"ScoreBitMEX", derivmath.ErrNaN, func() error { return engine.ScoreBitMEX(ctx, &z, nan, d("1"), d("0")) }},
		{"ScoreBitMEX", derivmath.ErrZeroQty, func() error { return engine.ScoreBitMEX(ctx, &z, d("1"), d("0"), d("0")) }},
		{"ScoreBitMEX", engine.ErrBankrupt, func() error { return engine.ScoreBitMEX(ctx, &z, d("1"), d("1"), d("1")) }},
		{"ScoreBinance", derivmath.ErrContext, func() error { return engine.ScoreBinance(nil, &z, d("1"), d("1"), d("0"), false) }},
		{"ScoreBinance", derivmath.ErrNaN, func() error { return engine.ScoreBinance(ctx, &z, nan, d("1"), d("0"), false) }},
		{"ScoreBinance", engine.ErrUnbounded, func() error { return engine.ScoreBinance(ctx, &z, d("1"), d("0"), d("0"), false) }},
		{"ScoreHyperliquid", derivmath.ErrContext, func() error { return engine.ScoreHyperliquid(nil, &z, d("1"), d("1"), d("1"), d("1")) }},
		{"ScoreHyperliquid", derivmath.ErrNaN, func() error { return engine.ScoreHyperliquid(ctx, &z, d("1"), d("1"), nan, d("1")) }},
		{"ScoreHyperliquid", derivmath.ErrPrice, func() error { return engine.ScoreHyperliquid(ctx, &z, d("0"), d("1"), d("1"), d("1")) }},
		{"ScoreOKX", derivmath.ErrContext, func() error { return engine.ScoreOKX(nil, &z, d("1"), d("1")) }},
		{"ScoreOKX", derivmath.ErrNaN, func() error { return engine.ScoreOKX(ctx, &z, nan, d("1")) }},
		{"ScoreOKX", engine.ErrPosition, func() error { return engine.ScoreOKX(ctx, &z, d("1"), d("0")) }},
		{"BankruptQuote", derivmath.ErrContext, func() error { return engine.BankruptQuote(nil, &z, d("1"), d("3"), d("0"), d("1"), d("0.01")) }},
		{"BankruptQuote", derivmath.ErrNaN, func() error { return engine.BankruptQuote(ctx, &z, nan, d("3"), d("0"), d("1"), d("0.01")) }},
		{"BankruptQuote", engine.ErrPosition, func() error { return engine.BankruptQuote(ctx, &z, d("1"), d("0"), d("0"), d("1"), d("0.01")) }},
		{"BankruptQuote", derivmath.ErrStep, func() error { return engine.BankruptQuote(ctx, &z, d("1"), d("3"), d("0"), d("1"), d("0")) }},
		{"Fillable", derivmath.ErrContext, func() error {
			return engine.Fillable(nil, &z, d("100"), d("5"), d("1"), d("1"), d("3"), d("1"), d("1"))
		}},
		{"Fillable", derivmath.ErrNaN, func() error { return engine.Fillable(ctx, &z, nan, d("5"), d("1"), d("1"), d("3"), d("1"), d("1")) }},
		{"Fillable", engine.ErrPosition, func() error {
			return engine.Fillable(ctx, &z, d("100"), d("5"), d("0"), d("1"), d("3"), d("1"), d("1"))
		}},
		// ABR 1 (tnc 0): (100 - 1*200)/1 < 0.
		{"Fillable", derivmath.ErrPrice, func() error {
			return engine.Fillable(ctx, &z, d("100"), d("200"), d("1"), d("0"), d("1"), d("1"), d("1"))
		}},
		{"InsuranceDelta", derivmath.ErrContext, func() error { return engine.InsuranceDelta(nil, &z, d("1"), d("1"), d("0.01"), d("0.01")) }},
		{"InsuranceDelta", derivmath.ErrNaN, func() error { return engine.InsuranceDelta(ctx, &z, nan, d("1"), d("0.01"), d("0.01")) }},
		{"InsuranceDelta", derivmath.ErrRate, func() error { return engine.InsuranceDelta(ctx, &z, d("1"), d("1"), d("2"), d("0.01")) }},
		// A minor unit of 0, where the fund pays (no rounding), and where
		// it takes its capped fee.
		{"InsuranceDelta", derivmath.ErrStep, func() error { return engine.InsuranceDelta(ctx, &z, d("1"), d("1"), d("0.01"), d("0")) }},
		{"InsuranceDelta", derivmath.ErrStep, func() error { return engine.InsuranceDelta(ctx, &z, d("2"), d("1"), d("0.01"), d("0")) }},
		{"DriftBase", derivmath.ErrContext, func() error { return engine.DriftBase(nil, &z, d("1"), d("3"), d("0.5"), d("0"), d("0")) }},
		{"DriftBase", derivmath.ErrNaN, func() error { return engine.DriftBase(ctx, &z, nan, d("3"), d("0.5"), d("0"), d("0")) }},
		{"DriftBase", derivmath.ErrPrice, func() error { return engine.DriftBase(ctx, &z, d("1"), d("0"), d("0.5"), d("0"), d("0")) }},
		{"DriftBase", engine.ErrUnbounded, func() error { return engine.DriftBase(ctx, &z, d("1"), d("3"), d("0.1"), d("0.1"), d("0")) }},
		{"DriftIfFee", derivmath.ErrContext, func() error {
			return engine.DriftIfFee(nil, &z, d("1"), d("1"), d("3"), d("0.5"), d("0"), d("0.1"))
		}},
		{"DriftIfFee", derivmath.ErrNaN, func() error { return engine.DriftIfFee(ctx, &z, nan, d("1"), d("3"), d("0.5"), d("0"), d("0.1")) }},
		{"DriftIfFee", derivmath.ErrPrice, func() error {
			return engine.DriftIfFee(ctx, &z, d("1"), d("1"), d("0"), d("0.5"), d("0"), d("0.1"))
		}},
		{"DriftIfFee", derivmath.ErrZeroQty, func() error {
			return engine.DriftIfFee(ctx, &z, d("1"), d("0"), d("3"), d("0.5"), d("0"), d("0.1"))
		}},
		{"PartialOKX", derivmath.ErrContext, func() error { return engine.PartialOKX(nil, &z, d("10"), 1, d("1")) }},
		{"PartialOKX", derivmath.ErrNaN, func() error { return engine.PartialOKX(ctx, &z, nan, 1, d("1")) }},
		{"PartialOKX", engine.ErrTable, func() error { return engine.PartialOKX(ctx, &z, d("10"), 0, d("1")) }},
		{"NotionalDYDX", derivmath.ErrContext, func() error {
			return engine.NotionalDYDX(nil, &z, d("100"), d("0"), d("1"), d("0.5"), d("50"), d("0.01"))
		}},
		{"NotionalDYDX", derivmath.ErrNaN, func() error {
			return engine.NotionalDYDX(ctx, &z, nan, d("0"), d("1"), d("0.5"), d("50"), d("0.01"))
		}},
		{"NotionalDYDX", engine.ErrPreset, func() error {
			return engine.NotionalDYDX(ctx, &z, d("100"), d("0"), d("-1"), d("0.5"), d("50"), d("0.01"))
		}},
		{"NotionalDYDX", derivmath.ErrStep, func() error {
			return engine.NotionalDYDX(ctx, &z, d("100"), d("0"), d("1"), d("0.5"), d("50"), d("0"))
		}},
		{"Drawdown", derivmath.ErrContext, func() error { return engine.Drawdown(nil, &z, d("1"), d("0"), d("3")) }},
		{"Drawdown", derivmath.ErrNaN, func() error { return engine.Drawdown(ctx, &z, nan, d("0"), d("3")) }},
		{"Drawdown", engine.ErrNegativeFund, func() error { return engine.Drawdown(ctx, &z, d("1"), d("0"), d("0")) }},
		{"ClawbackRate", derivmath.ErrContext, func() error { return engine.ClawbackRate(nil, &z, d("1"), d("0"), d("3")) }},
		{"ClawbackRate", derivmath.ErrNaN, func() error { return engine.ClawbackRate(ctx, &z, nan, d("0"), d("3")) }},
		{"ClawbackRate", engine.ErrPosition, func() error { return engine.ClawbackRate(ctx, &z, d("1"), d("0"), d("0")) }},

		// New and Preset.Validate (TestPresetErrors has a case for each
		// of Validate's rules).
		{"New", derivmath.ErrContext, func() error { _, err := engine.New(nil, spec, engine.PresetBitMEX()); return err }},
		{"New", engine.ErrMinor, func() error { _, err := engine.New(ctx, nil, engine.PresetBitMEX()); return err }},
		{"New", contract.ErrKind, func() error { _, err := engine.New(ctx, &contract.Spec{}, engine.PresetBitMEX()); return err }},
		{"New", engine.ErrMinor, func() error {
			_, err := engine.New(ctx, linear(t, "0.25", "1", "0"), engine.PresetBitMEX())
			return err
		}},
		{"New", engine.ErrPreset, func() error { _, err := engine.New(ctx, spec, nil); return err }},
		{"New", engine.ErrTable, func() error {
			p := engine.PresetBinance()
			p.RiskLimits[0].Cum.SetInt64(5)
			_, err := engine.New(ctx, spec, p)
			return err
		}},
		{"New", engine.ErrInconsistent, func() error {
			p := engine.PresetBitMEX()
			p.RiskLimits = nil
			_, err := engine.New(ctx, spec, p)
			return err
		}},
		{"Preset.Validate", engine.ErrPreset, preset(func(p *engine.Preset) { p.Venue = 0 })},
		{"Preset.Validate", engine.ErrTable, preset(func(p *engine.Preset) { p.RiskLimits[0].MMR.SetInt64(0) })},
		{"Preset.Validate", engine.ErrInconsistent, preset(func(p *engine.Preset) { p.RiskLimits = nil })},
		{"Preset.Validate", derivmath.ErrNaN, preset(func(p *engine.Preset) { p.Slippage.Form = apd.NaN })},

		// The State's methods.
		{"SetMark", derivmath.ErrPrice, func() error { return fresh().SetMark(d("0")) }},
		{"SetMark", derivmath.ErrNaN, func() error { return fresh().SetMark(nan) }},
		{"SetFund", derivmath.ErrNaN, func() error { return fresh().SetFund(nan) }},
		{"SetFund", engine.ErrNegativeFund, func() error { return fresh().SetFund(d("-1")) }},
		{"SetFund", engine.ErrInexact, func() error { return fresh().SetFund(d("0.001")) }},
		{"Add", account.ErrMode, addTrader(func(tr *engine.Trader) { tr.Mode = 0 })},
		{"Add", derivmath.ErrNaN, addTrader(func(tr *engine.Trader) { tr.Wallet.Form = apd.NaN })},
		{"Add", engine.ErrInexact, addTrader(func(tr *engine.Trader) { tr.Wallet.Set(d("0.001")) })},
		{"Add", engine.ErrPosition, addTrader(func(tr *engine.Trader) { tr.Cost.Neg(&tr.Cost) })},
		{"Add", derivmath.ErrRate, addTrader(func(tr *engine.Trader) { tr.MMR.SetInt64(1) })},
		{"Add", engine.ErrTable, addTrader(func(tr *engine.Trader) { tr.Tier = 99 })},
		{"Add", derivmath.ErrZeroQty, addTrader(func(tr *engine.Trader) {
			tr.Orders = append(tr.Orders, engine.Order{})
			tr.Orders[0].Price.SetInt64(1)
		})},
		{"Add", derivmath.ErrPrice, addTrader(func(tr *engine.Trader) {
			tr.Orders = append(tr.Orders, engine.Order{})
			tr.Orders[0].Qty.SetInt64(1)
		})},
		{"Equity", engine.ErrTrader, func() error { st, _, _ := liquidating(t); return st.Equity(&z, 9) }},
		{"Equity", derivmath.ErrPrice, func() error {
			st := fresh()
			i := add(t, st, trader(t, spec, "10", "", "1", "100", "0.004"))
			return st.Equity(&z, i)
		}},
		// At 50 digits two wallets of 9E+47 and one of 0.01 sum to 52.
		{"Total", derivmath.ErrRange, func() error {
			st, err := engine.New(apd.BaseContext.WithPrecision(50), spec, engine.PresetBinance())
			if err != nil {
				t.Fatal(err)
			}
			noErr(t, st.SetMark(d("100")))
			for _, w := range []string{"9E+47", "9E+47", "0.01"} {
				add(t, st, trader(t, spec, w, "", "0", "0", "0"))
			}
			return st.Total(&z)
		}},
		{"Trigger", engine.ErrTrader, func() error { st, _, _ := liquidating(t); _, _, err := st.Trigger(nil, -2); return err }},
		{"Trigger", derivmath.ErrPrice, func() error {
			st := fresh()
			i := add(t, st, trader(t, spec, "10", "", "1", "100", "0.004"))
			_, _, err := st.Trigger(nil, i)
			return err
		}},
		{"Cancel", engine.ErrTrader, func() error { st, _, _ := liquidating(t); _, err := st.Cancel(nil, 9); return err }},
		{"Cancel", engine.ErrNotLiquidatable, func() error { st, mk, _ := liquidating(t); _, err := st.Cancel(nil, mk); return err }},
		{"StepDown", engine.ErrTrader, func() error { st, _, _ := liquidating(t); _, _, err := st.StepDown(nil, 9); return err }},
		{"StepDown", engine.ErrNotLiquidatable, func() error { st, mk, _ := liquidating(t); _, _, err := st.StepDown(nil, mk); return err }},
		// ErrIntentOpen: TestStepDownOneIntentAtATime; an arithmetic error:
		// TestStepDownFailureChangesNothing.
		{"Takeover", engine.ErrTrader, func() error { st, _, _ := liquidating(t); _, _, err := st.Takeover(nil, 9); return err }},
		{"Takeover", engine.ErrNotLiquidatable, func() error { st, mk, _ := liquidating(t); _, _, err := st.Takeover(nil, mk); return err }},
		// ErrIntentOpen: TestTakeoverOneIntentAtATime; an arithmetic error:
		// TestTakeoverFailureChangesNothing.
		// TestBadInput has the same Execute cases, checking that nothing
		// changes; ErrNegativeFund: TestExecute's "deficit, fund short".
		{"Execute", engine.ErrUnknownIntent, func() error { st, _, _ := liquidating(t); _, err := st.Execute(nil, 99, nil); return err }},
		{"Execute", engine.ErrLimit, execute(t, func(mk, a int) []engine.Fill { return []engine.Fill{fill("1", "98", mk)} })},
		{"Execute", engine.ErrOverfill, execute(t, func(mk, a int) []engine.Fill { return []engine.Fill{fill("2", "100", mk)} })},
		{"Execute", engine.ErrMaker, execute(t, func(mk, a int) []engine.Fill { return []engine.Fill{fill("1", "100", a)} })},
		{"Execute", derivmath.ErrPrice, execute(t, func(mk, a int) []engine.Fill { return []engine.Fill{fill("1", "0", mk)} })},
		{"Execute", derivmath.ErrNaN, execute(t, func(mk, a int) []engine.Fill { return []engine.Fill{fill("1", "NaN", mk)} })},
		{"Reprice", engine.ErrUnknownIntent, func() error { st, _, _ := liquidating(t); return st.Reprice(99, d("1")) }},
		{"Reprice", derivmath.ErrNaN, repriceTo(t, "NaN")},
		{"Reprice", derivmath.ErrPrice, repriceTo(t, "-1")},
		{"Withdraw", engine.ErrUnknownIntent, func() error { st, _, _ := liquidating(t); _, err := st.Withdraw(nil, 99); return err }},
		{"MustADL", engine.ErrTrader, func() error { st, _, _ := liquidating(t); _, err := st.MustADL(9, &engine.ADLInputs{}); return err }},
		{"MustADL", derivmath.ErrNaN, func() error {
			st, _, a := liquidating(t)
			var in engine.ADLInputs
			in.Peak.Form = apd.NaN
			_, err := st.MustADL(a, &in)
			return err
		}},
		{"MustADL", engine.ErrNegativeFund, func() error {
			st, _, a := liquidating(t)
			var in engine.ADLInputs
			in.Peak.SetInt64(-1)
			_, err := st.MustADL(a, &in)
			return err
		}},
		{"ADL", engine.ErrTrader, func() error { st, _, _ := liquidating(t); _, err := st.ADL(nil, 9, d("1"), 0); return err }},
		{"ADL", engine.ErrOverfill, func() error { st, _, a := liquidating(t); _, err := st.ADL(nil, a, d("0"), 0); return err }},
		// ErrNoCounterparty: TestHyperliquidADLProfitableOnly; ErrPosition:
		// the atomic tests' ADL.
		{"AppendADLQueue", engine.ErrTrader, func() error {
			st, _, _ := liquidating(t)
			_, err := st.AppendADLQueue(nil, 9, 0)
			return err
		}},
	}
	for _, c := range cases {
		list, ok := formulaErrors[c.fn]
		if !ok {
			list, ok = enginetest.Errors[c.fn]
		}
		if !ok {
			t.Fatalf("%s: no documented list", c.fn)
		}
		if !slices.Contains(list, c.want) {
			t.Errorf("%s: %v is not in its documented list", c.fn, c.want)
		}
		if err := c.call(); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.fn, err, c.want)
		}
	}
}

// execute returns a call of Execute on the takeover intent of a
// liquidating State with the fills fills(mk, a) makes.
func execute(t *testing.T, fills func(mk, a int) []engine.Fill) func() error {
	return func() error {
		st, mk, a := liquidating(t)
		_, id, err := st.Takeover(nil, a)
		if err != nil {
			t.Fatal(err)
		}
		_, err = st.Execute(nil, id, fills(mk, a))
		return err
	}
}

// repriceTo returns a call of Reprice on the takeover intent of a
// liquidating State, to limit.
func repriceTo(t *testing.T, limit string) func() error {
	return func() error {
		st, _, a := liquidating(t)
		_, id, err := st.Takeover(nil, a)
		if err != nil {
			t.Fatal(err)
		}
		return st.Reprice(id, d(limit))
	}
}
