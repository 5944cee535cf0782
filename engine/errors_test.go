package engine_test

import (
	"errors"
	"testing"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/liquidation"
)

func TestPresetsValidate(t *testing.T) {
	for _, p := range engine.Presets() {
		if err := p.Validate(); err != nil {
			t.Errorf("%s: %v", p.Name, err)
		}
	}
}

func TestPresetErrors(t *testing.T) {
	cases := []struct {
		name   string
		change func(p *engine.Preset)
		want   error
	}{
		{"undefined venue", func(p *engine.Preset) { p.Venue = 0 }, engine.ErrPreset},
		{"undefined ranking", func(p *engine.Preset) { p.ADL = 99 }, engine.ErrPreset},
		{"undefined short ratio", func(p *engine.Preset) { p.ShortRatio = 0 }, engine.ErrPreset},
		{"short ratio past the last", func(p *engine.Preset) { p.ShortRatio = engine.ShortEntryOverMark + 1 }, engine.ErrPreset},
		{"undefined tie rule", func(p *engine.Preset) { p.ADLTie = 0 }, engine.ErrPreset},
		{"tie rule past the last", func(p *engine.Preset) { p.ADLTie = engine.TieHigherIndex + 1 }, engine.ErrPreset},
		{"undefined split", func(p *engine.Preset) { p.Split = 0 }, engine.ErrPreset},
		{"split past the last", func(p *engine.Preset) { p.Split = engine.SplitEqual + 1 }, engine.ErrPreset},
		{"negative insurance cap", func(p *engine.Preset) { p.MaxInsurance.SetInt64(-1) }, engine.ErrPreset},
		{"insurance cap outside Drift", func(p *engine.Preset) { p.CapInsurance = true }, engine.ErrInconsistent},
		// Drift's ifPay rule is applied where an account's bankruptcy is
		// settled after its own close, never to a takeover's cover.
		{"Drift's insurance with fund takeover", func(p *engine.Preset) { p.Socialise = engine.DriftFunding }, engine.ErrInconsistent},
		{"Drift's capped insurance with fund takeover", func(p *engine.Preset) {
			p.Socialise, p.CapInsurance = engine.DriftFunding, true
		}, engine.ErrInconsistent},
		{"fee of 100%", func(p *engine.Preset) { p.ClearanceFee.SetInt64(1) }, engine.ErrPreset},
		{"negative slice", func(p *engine.Preset) { p.Slice.SetInt64(-1) }, engine.ErrPreset},
		{"limits out of order", func(p *engine.Preset) { p.RiskLimits[1].Limit.Set(&p.RiskLimits[0].Limit) }, engine.ErrTable},
		{"rates decreasing", func(p *engine.Preset) { p.RiskLimits[1].MMR.Set(apd.New(1, -4)) }, engine.ErrTable},
		{"rate of 1", func(p *engine.Preset) { p.RiskLimits[0].MMR.SetInt64(1) }, engine.ErrTable},
		{"rate of 0", func(p *engine.Preset) { p.RiskLimits[0].MMR.SetInt64(0) }, engine.ErrTable},
		{"limit of 0", func(p *engine.Preset) { p.RiskLimits[0].Limit.SetInt64(0) }, engine.ErrTable},
		{"negative cum", func(p *engine.Preset) { p.RiskLimits[0].Cum.SetInt64(-1) }, engine.ErrTable},
		{"cum decreasing", func(p *engine.Preset) { p.RiskLimits[0].Cum.SetInt64(5) }, engine.ErrTable},
		{"fee with fund takeover", func(p *engine.Preset) { p.ClearanceFee.Set(apd.New(5, -3)) }, engine.ErrInconsistent},
		{"step-down without table", func(p *engine.Preset) { p.RiskLimits = nil }, engine.ErrInconsistent},
		{"fillable outside dYdX", func(p *engine.Preset) { p.OrderPrice = engine.AtFillable; p.BankruptcyAdjustment.SetInt64(1) }, engine.ErrInconsistent},
		{"slice rule with a zero slice", func(p *engine.Preset) { p.Partial = engine.Slice }, engine.ErrInconsistent},
		{"notional-limit rule with a zero portion", func(p *engine.Preset) { p.Partial = engine.NotionalLimit }, engine.ErrInconsistent},
		{"trigger past the last", func(p *engine.Preset) { p.Trigger = engine.Strict + 1 }, engine.ErrPreset},
		{"portion above 1", func(p *engine.Preset) { p.Portion.Set(apd.New(15, -1)) }, engine.ErrPreset},
		{"max portion above 1", func(p *engine.Preset) { p.MaxPortion.Set(apd.New(15, -1)) }, engine.ErrPreset},
		{"portion rule with a zero portion", func(p *engine.Preset) { p.Partial = engine.Portion }, engine.ErrInconsistent},
		{"NaN", func(p *engine.Preset) { p.Slippage.Form = apd.NaN }, derivmath.ErrNaN},
		{"slippage of 1", func(p *engine.Preset) { p.Slippage.SetInt64(1) }, engine.ErrPreset},
		{"leftover share above 1", func(p *engine.Preset) { p.LeftoverShare.Set(apd.New(101, -2)) }, engine.ErrPreset},
		// The closed ends: valid.
		{"leftover share of 1", func(p *engine.Preset) { p.LeftoverShare.SetInt64(1) }, nil},
		{"equal rates", func(p *engine.Preset) { p.RiskLimits[1].MMR.Set(&p.RiskLimits[0].MMR) }, nil},
	}
	for _, c := range cases {
		p := engine.PresetBitMEX()
		c.change(p)
		if err := p.Validate(); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
		if _, err := engine.New(derivmath.NewContext(), linear(t, "0.5", "1", "0.01"), p); !errors.Is(err, c.want) {
			t.Errorf("New with %s: %v, want %v", c.name, err, c.want)
		}
	}
	p := engine.PresetDYDX()
	p.BankruptcyAdjustment.Set(apd.New(5, -1))
	if err := p.Validate(); !errors.Is(err, engine.ErrPreset) {
		t.Errorf("BA below 1: %v", err)
	}
}

// TestBadInput: a negative fund, a fill beyond the limit, a fill for an
// unknown intent, an overfill, a bad maker: documented errors, and nothing
// applied.
func TestBadInput(t *testing.T) {
	ctx := derivmath.NewContext()
	s := linear(t, "0.25", "1", "0.01")
	p := engine.PresetBinance()
	st, err := engine.New(ctx, s, p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := engine.New(ctx, linear(t, "0.25", "1", "0"), p); !errors.Is(err, engine.ErrMinor) {
		t.Errorf("no minor unit: %v", err)
	}
	if err := st.SetFund(d("-1")); !errors.Is(err, engine.ErrNegativeFund) {
		t.Errorf("negative fund: %v", err)
	}
	if err := st.SetFund(d("0.001")); !errors.Is(err, engine.ErrInexact) {
		t.Errorf("fund below the minor unit: %v", err)
	}
	_ = st.SetMark(d("100"))
	mk := add(t, st, trader(t, s, "1000", "", "0", "0", "0"))
	a := add(t, st, trader(t, s, "0", "1", "1", "100", "0.004"))
	add(t, st, trader(t, s, "1000", "", "-1", "100", "0.004"))
	bad := trader(t, s, "0", "1", "1", "100", "0.004")
	bad.Cost.Neg(&bad.Cost)
	if _, err := st.Add(bad); !errors.Is(err, engine.ErrPosition) {
		t.Errorf("cost of the wrong sign: %v", err)
	}
	// An MMR is in [0, 1).
	for _, mmr := range []string{"1", "1.5", "-0.001"} {
		if _, err := st.Add(trader(t, s, "0", "1", "1", "100", mmr)); !errors.Is(err, derivmath.ErrRate) {
			t.Errorf("MMR %s: %v, want derivmath.ErrRate", mmr, err)
		}
	}
	// A Tier is -1 (none) or an index of the preset's table.
	for _, tier := range []int{-2, len(p.RiskLimits)} {
		tr := trader(t, s, "0", "1", "1", "100", "0.004")
		tr.Tier = tier
		if _, err := st.Add(tr); !errors.Is(err, engine.ErrTable) {
			t.Errorf("tier %d of %d: %v", tier, len(p.RiskLimits), err)
		}
	}
	if _, _, err := st.Takeover(nil, a); !errors.Is(err, engine.ErrNotLiquidatable) {
		t.Errorf("takeover before the trigger: %v", err)
	}
	_ = st.SetMark(d("99"))
	ev, liq, err := st.Trigger(nil, a)
	if err != nil || !liq {
		t.Fatal(liq, err)
	}
	ev, id, err := st.Takeover(ev, a)
	if err != nil {
		t.Fatal(err)
	}
	snap := st.Clone()
	var t0 apd.Decimal
	noErr(t, st.Total(&t0))
	n := len(ev)
	for _, c := range []struct {
		name  string
		id    engine.IntentID
		fills []engine.Fill
		want  error
	}{
		{"unknown intent", id + 100, []engine.Fill{fill("1", "100", mk)}, engine.ErrUnknownIntent},
		{"beyond the limit", id, []engine.Fill{fill("1", "98", mk)}, engine.ErrLimit},
		{"overfill", id, []engine.Fill{fill("2", "100", mk)}, engine.ErrOverfill},
		{"zero qty", id, []engine.Fill{fill("0", "100", mk)}, engine.ErrOverfill},
		{"self maker", id, []engine.Fill{fill("1", "100", a)}, engine.ErrMaker},
		{"unknown maker", id, []engine.Fill{fill("1", "100", 42)}, engine.ErrMaker},
		{"zero price", id, []engine.Fill{fill("1", "0", mk)}, derivmath.ErrPrice},
	} {
		got, err := st.Execute(ev, c.id, c.fills)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
		if len(got) != n {
			t.Errorf("%s: events appended", c.name)
		}
		var t1 apd.Decimal
		noErr(t, st.Total(&t1))
		if t1.Cmp(&t0) != 0 || st.Trader(a).Qty.Cmp(&snap.Trader(a).Qty) != 0 || st.Intent(id) == nil {
			t.Errorf("%s: state changed", c.name)
		}
	}
	for _, q := range []string{"5", "0", "-1"} {
		var t1 apd.Decimal
		ev, err := st.ADL(nil, a, d(q), 0)
		noErr(t, st.Total(&t1))
		if !errors.Is(err, engine.ErrOverfill) || len(ev) != 0 || t1.Cmp(&t0) != 0 || st.Trader(a).Qty.Cmp(&snap.Trader(a).Qty) != 0 {
			t.Errorf("ADL of %s (position %s): %d events, %v; want none, ErrOverfill and no change", q, snap.Trader(a).Qty.String(), len(ev), err)
		}
	}
}

// TestStepDownFailureChangesNothing: StepDown lowers the risk limit before
// it sizes the FOK; when the sizing then fails (here a mark of 1E+25,
// whose assumed price needs more ticks than the context's 19 digits), the
// tier, the maintenance rate and dst are as they were.
func TestStepDownFailureChangesNothing(t *testing.T) {
	s, err := contract.New(contract.Params{Kind: contract.Inverse, Multiplier: "1", Tick: "0.5", Lot: "1", Minor: "0.00000001"})
	if err != nil {
		t.Fatal(err)
	}
	p := engine.PresetBitMEX()
	p.RiskLimits = make([]engine.RiskLimit, 4)
	for k := range p.RiskLimits {
		p.RiskLimits[k].Limit.SetInt64(int64(20 * (k + 1)))
		p.RiskLimits[k].MMR.Set(apd.New(int64(5*(k+1)), -3))
	}
	st := state(t, s, p)
	noErr(t, st.SetMark(d("200")))
	short := trader(t, s, "0", "0.0025", "-1", "200", "0.015")
	short.Tier = 2
	i := add(t, st, short)
	add(t, st, trader(t, s, "0", "0.0025", "1", "200", "0.005"))
	noErr(t, st.SetMark(d("1E+25")))
	if _, ok, err := st.Trigger(nil, i); err != nil || !ok {
		t.Fatalf("trigger: %v %v", ok, err)
	}
	dst := make([]engine.Event, 1, 8)
	dst[0].Seq = 42
	got, _, err := st.StepDown(dst, i)
	if err == nil {
		t.Fatal("StepDown at a mark of 1E+25 succeeded")
	}
	if tr := st.Trader(i); tr.Tier != 2 || tr.MMR.Cmp(d("0.015")) != 0 {
		t.Errorf("after a failed StepDown (%v): tier %d, MMR %s; want 2, 0.015", err, tr.Tier, tr.MMR.String())
	}
	if len(got) != 1 || got[0].Seq != 42 {
		t.Errorf("after a failed StepDown (%v): %d events in dst, want 1", err, len(got))
	}
}

// TestTakeoverFailureChangesNothing: under a FundTakes preset whose
// bankruptcy price is exact (not on the tick), Takeover books the fund's
// takeover and then rounds the fund's limit to the tick; when that
// rounding fails (here a price whose number of ticks needs more than the
// context's 19 digits), the trader is still liquidating, as before the
// call, and the balances and dst are as they were.
func TestTakeoverFailureChangesNothing(t *testing.T) {
	s, err := contract.New(contract.Params{Kind: contract.Linear, Multiplier: "1", Tick: "0.0000000001", Lot: "1", Minor: "0.01"})
	if err != nil {
		t.Fatal(err)
	}
	p := engine.PresetBitMEX()
	p.Partial, p.RiskLimits = engine.PartialNone, nil
	p.PriceRounding = liquidation.Exact
	st := state(t, s, p)
	noErr(t, st.SetMark(d("30000000000")))
	i := add(t, st, trader(t, s, "0", "10000000000", "3", "30000000000", "0.005"))
	add(t, st, trader(t, s, "100000000000000", "", "-3", "30000000000", "0.005"))
	noErr(t, st.SetMark(d("26666666667")))
	if _, ok, err := st.Trigger(nil, i); err != nil || !ok {
		t.Fatalf("trigger: %v %v", ok, err)
	}
	before := full(st)
	dst := make([]engine.Event, 1, 8)
	dst[0].Seq = 42
	got, _, err := st.Takeover(dst, i)
	if err == nil {
		t.Fatal("Takeover rounded a limit of more than 19 digits of ticks")
	}
	if after := full(st); after != before {
		t.Errorf("after a failed Takeover (%v):\n%s\nwant\n%s", err, after, before)
	}
	if len(got) != 1 || got[0].Seq != 42 {
		t.Errorf("after a failed Takeover (%v): %d events in dst, want 1", err, len(got))
	}
}

// TestFormulaTraps: a condition the context traps (here Inexact, at 4
// digits) comes back from each formula of formula.go as apd reports it,
// wrapped with the function's name ("engine: score okx: inexact"), as
// num.Wrap does in the other packages; a sentinel stays unwrapped. The
// mark rules that call funding (MarkFair, MarkMedian) return funding's
// error, named after funding's function, unchanged.
func TestFormulaTraps(t *testing.T) {
	ctx := apd.BaseContext.WithPrecision(4)
	ctx.Traps |= apd.Inexact
	dated := engine.PresetBybit()
	dated.Mark = engine.MarkDated
	var in engine.MarkInputs
	in.Index.SetInt64(1)
	in.BasisRate.Set(d("0.00001")) // 1 + 0.00001 needs 6 digits
	for _, c := range []struct {
		op string
		fn func(z *apd.Decimal) error
	}{
		{"engine: mark", func(z *apd.Decimal) error { return engine.Mark(ctx, z, dated, &in) }},
		{"engine: score bitmex", func(z *apd.Decimal) error { return engine.ScoreBitMEX(ctx, z, d("10"), d("3"), d("1")) }},
		{"engine: score binance", func(z *apd.Decimal) error { return engine.ScoreBinance(ctx, z, d("1"), d("2"), d("1"), false) }},
		{"engine: score hyperliquid", func(z *apd.Decimal) error {
			return engine.ScoreHyperliquid(ctx, z, d("1"), d("3"), d("1"), d("1"))
		}},
		{"engine: score okx", func(z *apd.Decimal) error { return engine.ScoreOKX(ctx, z, d("1"), d("3")) }},
		{"engine: bankrupt quote", func(z *apd.Decimal) error {
			return engine.BankruptQuote(ctx, z, d("1"), d("3"), d("0"), d("1"), d("0.01"))
		}},
		{"engine: fillable", func(z *apd.Decimal) error {
			return engine.Fillable(ctx, z, d("100"), d("5"), d("1"), d("1"), d("3"), d("1"), d("1"))
		}},
		{"engine: insurance delta", func(z *apd.Decimal) error {
			return engine.InsuranceDelta(ctx, z, d("1"), d("0.00001"), d("0.01"), d("0.01"))
		}},
		{"engine: drift base", func(z *apd.Decimal) error {
			return engine.DriftBase(ctx, z, d("1"), d("3"), d("0.5"), d("0"), d("0"))
		}},
		{"engine: drift if fee", func(z *apd.Decimal) error {
			return engine.DriftIfFee(ctx, z, d("1"), d("1"), d("3"), d("0.5"), d("0"), d("0.1"))
		}},
		{"engine: partial okx", func(z *apd.Decimal) error { return engine.PartialOKX(ctx, z, d("100000"), 3, d("1")) }},
		{"engine: notional dydx", func(z *apd.Decimal) error {
			return engine.NotionalDYDX(ctx, z, d("3"), d("0"), d("0"), d("0.33333"), d("10"), d("0.01"))
		}},
		{"engine: drawdown", func(z *apd.Decimal) error { return engine.Drawdown(ctx, z, d("1"), d("0"), d("3")) }},
		{"engine: clawback rate", func(z *apd.Decimal) error { return engine.ClawbackRate(ctx, z, d("1"), d("0"), d("3")) }},
	} {
		z := d("7")
		err := c.fn(z)
		if err == nil || err.Error() != c.op+": inexact" || errors.Unwrap(err) == nil || errors.Unwrap(err).Error() != "inexact" {
			t.Errorf("%s: got %v, want %q wrapping apd's condition", c.op, err, c.op+": inexact")
		}
		if z.String() != "7" {
			t.Errorf("%s failed and wrote z: %s", c.op, z)
		}
	}
	// Sentinels are not wrapped.
	var z apd.Decimal
	if err := engine.ScoreOKX(ctx, &z, d("1"), d("0")); !errors.Is(err, engine.ErrPosition) || errors.Unwrap(err) != nil {
		t.Errorf("ScoreOKX(1, 0): %v, want engine.ErrPosition unwrapped", err)
	}
	if err := engine.DriftIfFee(ctx, &z, d("1"), d("0"), d("3"), d("0.5"), d("0"), d("0.1")); !errors.Is(err, derivmath.ErrZeroQty) || errors.Unwrap(err) != nil {
		t.Errorf("DriftIfFee with base 0: %v, want derivmath.ErrZeroQty unwrapped", err)
	}
	// MarkFair: funding.FairPrice's error, with funding's name.
	var fair engine.MarkInputs
	fair.Index.SetInt64(3)
	fair.Rate.Set(d("0.00001"))
	fair.Until, fair.Interval = 8*time.Hour, 8*time.Hour
	if err := engine.Mark(ctx, &z, engine.PresetBitMEX(), &fair); err == nil || err.Error() != "funding: fair price: inexact" {
		t.Errorf("MarkFair: %v, want funding's %q", err, "funding: fair price: inexact")
	}
}

// TestFormulaParameters: parameters Preset.Validate refuses are refused by
// the formulas that take them one by one, with its sentinels: a negative
// tier-1 maximum for PartialOKX (ErrTable), a negative notional bound or
// a portion outside [0, 1] for NotionalDYDX (ErrPreset); and
// InsuranceDelta's maxFee outside [0, 1] (derivmath.ErrRate), and
// Fillable's zero size or tmmr of zero or less (ErrPosition); z is
// unwritten.
func TestFormulaParameters(t *testing.T) {
	ctx := derivmath.NewContext()
	dydx := func(minN, portion, maxN string) func(z *apd.Decimal) error {
		return func(z *apd.Decimal) error {
			return engine.NotionalDYDX(ctx, z, d("100"), d("0"), d(minN), d(portion), d(maxN), d("0.01"))
		}
	}
	fillable := func(ps, tmmr string) func(z *apd.Decimal) error {
		return func(z *apd.Decimal) error {
			return engine.Fillable(ctx, z, d("100"), d("5"), d(ps), d("1"), d(tmmr), d("1"), d("1"))
		}
	}
	insurance := func(maxFee string) func(z *apd.Decimal) error {
		return func(z *apd.Decimal) error {
			return engine.InsuranceDelta(ctx, z, d("5610"), d("5100"), d(maxFee), d("0.000001"))
		}
	}
	for _, c := range []struct {
		name string
		fn   func(z *apd.Decimal) error
		want error
	}{
		{"PartialOKX, tier1Max -1", func(z *apd.Decimal) error { return engine.PartialOKX(ctx, z, d("10"), 3, d("-1")) }, engine.ErrTable},
		{"PartialOKX, tier1Max -1 at tier 1", func(z *apd.Decimal) error { return engine.PartialOKX(ctx, z, d("10"), 1, d("-1")) }, engine.ErrTable},
		{"PartialOKX, tier 0", func(z *apd.Decimal) error { return engine.PartialOKX(ctx, z, d("10"), 0, d("1")) }, engine.ErrTable},
		{"NotionalDYDX, maxPortion -0.1", dydx("1", "-0.1", "50"), engine.ErrPreset},
		{"NotionalDYDX, maxPortion 1.5", dydx("1", "1.5", "50"), engine.ErrPreset},
		{"NotionalDYDX, minNotional -1", dydx("-1", "0.5", "50"), engine.ErrPreset},
		{"NotionalDYDX, maxNotional -1", dydx("1", "0.5", "-1"), engine.ErrPreset},
		{"NotionalDYDX, maxPortion 1", dydx("1", "1", "500"), nil},
		{"NotionalDYDX, maxPortion 0", dydx("0", "0", "0"), nil},
		{"InsuranceDelta, maxFee -0.01", insurance("-0.01"), derivmath.ErrRate},
		{"InsuranceDelta, maxFee 1.5", insurance("1.5"), derivmath.ErrRate},
		{"InsuranceDelta, maxFee 1", insurance("1"), nil},
		{"Fillable, tmmr 0", fillable("1", "0"), engine.ErrPosition},
		{"Fillable, tmmr -3", fillable("1", "-3"), engine.ErrPosition},
		{"Fillable, ps 0", fillable("0", "3"), engine.ErrPosition},
	} {
		z := d("7")
		err := c.fn(z)
		if !errors.Is(err, c.want) || (err == nil) != (c.want == nil) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
		if err != nil && z.String() != "7" {
			t.Errorf("%s failed and wrote z: %s", c.name, z)
		}
	}
}

// TestReAddNegativeMargin: the steps can leave an isolated margin below
// zero (a maker's loss beyond its margin: an account past bankruptcy that
// nobody has liquidated yet), and such a trader, as State.Trader reports
// it, is a valid input to State.Add. A short of 1 @ 100 with a margin of 1
// is the maker of a liquidated long's sell at its limit, the long's
// bankruptcy price 199: it buys back at a loss of 99, leaving its margin at
// -98.
func TestReAddNegativeMargin(t *testing.T) {
	ctx := derivmath.NewContext()
	s := linear(t, "0.5", "1", "0.01")
	p := engine.PresetBinance()
	p.Partial, p.RiskLimits, p.ClearanceFee = engine.PartialNone, nil, apd.Decimal{}
	st, err := engine.New(ctx, s, p)
	if err != nil {
		t.Fatal(err)
	}
	noErr(t, st.SetMark(d("100")))
	long := add(t, st, trader(t, s, "0", "1", "1", "200", "0.005"))
	short := add(t, st, trader(t, s, "0", "1", "-1", "100", "0.005"))
	ev, ok, err := st.Trigger(nil, long)
	if err != nil || !ok {
		t.Fatalf("trigger: %v %v", ok, err)
	}
	ev, id, err := st.Takeover(ev, long)
	if err != nil || id == 0 {
		t.Fatalf("takeover: %d %v", id, err)
	}
	if lim := st.Intent(id).Limit.String(); lim != "199.0" {
		t.Fatalf("the long's sell at %s, want its bankruptcy price 199", lim)
	}
	if _, err = st.Execute(ev, id, []engine.Fill{fill("1", "199", short)}); err != nil {
		t.Fatal(err)
	}
	tr := st.Trader(short)
	if tr.Margin.Cmp(d("-98")) != 0 || !tr.Qty.IsZero() {
		t.Fatalf("the short: margin %s, qty %s; want -98, 0", tr.Margin.String(), tr.Qty.String())
	}
	fresh, err := engine.New(ctx, s, p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fresh.Add(tr); err != nil {
		t.Errorf("Add of the trader the steps left: %v", err)
	}
}

// TestNilContext: every formula that takes a context returns
// derivmath.ErrContext for a nil one, as the other packages do, and leaves
// z as it was. They compute on apd, which dereferenced the nil context: a
// panic.
func TestNilContext(t *testing.T) {
	one, half := d("1"), d("0.5")
	in := &engine.MarkInputs{Interval: 8 * time.Hour}
	in.Index.SetInt64(100)
	in.Oracle.SetInt64(100)
	for name, fn := range map[string]func(z *apd.Decimal) error{
		"Mark": func(z *apd.Decimal) error { return engine.Mark(nil, z, engine.PresetBitMEX(), in) },
		"Mark/input": func(z *apd.Decimal) error {
			p := engine.PresetBitMEX()
			p.Mark = engine.MarkInput
			return engine.Mark(nil, z, p, in)
		},
		"ScoreBitMEX":      func(z *apd.Decimal) error { return engine.ScoreBitMEX(nil, z, d("110"), d("100"), d("50")) },
		"ScoreBinance":     func(z *apd.Decimal) error { return engine.ScoreBinance(nil, z, one, one, half, false) },
		"ScoreHyperliquid": func(z *apd.Decimal) error { return engine.ScoreHyperliquid(nil, z, one, one, one, one) },
		"ScoreOKX":         func(z *apd.Decimal) error { return engine.ScoreOKX(nil, z, half, half) },
		"BankruptQuote":    func(z *apd.Decimal) error { return engine.BankruptQuote(nil, z, one, half, one, half, half) },
		"Fillable":         func(z *apd.Decimal) error { return engine.Fillable(nil, z, one, half, one, one, half, one, half) },
		"InsuranceDelta":   func(z *apd.Decimal) error { return engine.InsuranceDelta(nil, z, one, half, half, half) },
		"DriftBase":        func(z *apd.Decimal) error { return engine.DriftBase(nil, z, one, one, half, half, half) },
		"DriftIfFee":       func(z *apd.Decimal) error { return engine.DriftIfFee(nil, z, one, one, one, half, half, half) },
		"PartialOKX":       func(z *apd.Decimal) error { return engine.PartialOKX(nil, z, one, 2, one) },
		"NotionalDYDX":     func(z *apd.Decimal) error { return engine.NotionalDYDX(nil, z, one, half, half, half, one, half) },
		"Drawdown":         func(z *apd.Decimal) error { return engine.Drawdown(nil, z, one, one, one) },
		"ClawbackRate":     func(z *apd.Decimal) error { return engine.ClawbackRate(nil, z, one, half, one) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s(nil context) panics: %v", name, r)
				}
			}()
			z := d("7")
			if err := fn(z); !errors.Is(err, derivmath.ErrContext) || z.String() != "7" {
				t.Errorf("%s(nil context): %v, z = %s; want ErrContext and z unchanged", name, err, z)
			}
		})
	}
}
