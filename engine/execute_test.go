package engine_test

import (
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/engine/internal/enginetest"
	"github.com/derivmath/derivmath/liquidation"
)

// TestDYDXFillInsuranceDelta: a dYdX fill pays the fund InsuranceDelta
// against the bankruptcy quote (BankruptQuote), exactly. A long 500 @ 1
// with 100 of collateral, closed whole at the oracle:
//
//   - at 0.81 (TNC 5, TMMR 5% of 405 = 20.25) the bankruptcy quote is
//     405 - 5 = 400 and the fill receives 405: the fund takes
//     min(0.5% of 405 = 2.025, 5), the account keeps 2.975;
//   - at 0.79 (TNC -5, TMMR 19.75) the quote is 395 + 5 = 400 and the fill
//     receives 395: the fund pays 5, the account ends at 0; a fund of
//     4.99 cannot, and the fill is refused (ErrNegativeFund) with nothing
//     changed.
func TestDYDXFillInsuranceDelta(t *testing.T) {
	for _, tc := range []struct {
		name, mark, fund, wantFund, wantWallet string
		err                                    error
	}{
		{"surplus", "0.81", "1000", "1002.025", "2.975", nil},
		{"deficit", "0.79", "1000", "995", "0", nil},
		{"deficit, fund exactly enough", "0.79", "5", "0", "0", nil},
		{"deficit, fund short", "0.79", "4.99", "4.99", "100", engine.ErrNegativeFund},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := linear(t, "0.01", "1", "0.000001")
			st := state(t, s, engine.PresetDYDX())
			var err error
			noErr(t, st.SetMark(d("1")))
			noErr(t, st.SetFund(d(tc.fund)))
			b := add(t, st, trader(t, s, "100", "", "500", "1", "0.05"))
			mk := add(t, st, trader(t, s, "100000", "", "0", "0", "0.05"))
			noErr(t, st.SetMark(d(tc.mark)))
			ev, id := takeover(t, st, nil, b)
			in := st.Intent(id)
			if in.Side != engine.Sell || in.Qty.Cmp(d("500")) != 0 || in.Limit.Cmp(d(tc.mark)) > 0 {
				t.Fatalf("takeover intent %v %s @ %s", in.Side, in.Qty.String(), in.Limit.String())
			}
			t0 := total(t, st)
			n := len(ev)
			ev, err = st.Execute(ev, id, []engine.Fill{fill("500", tc.mark, mk)})
			if !errors.Is(err, tc.err) {
				t.Fatalf("execute: %v, want %v", err, tc.err)
			}
			if err != nil && len(ev) != n {
				t.Fatalf("a refused fill appended %d events", len(ev)-n)
			}
			var fund apd.Decimal
			st.FundBalance(&fund)
			if fund.Cmp(d(tc.wantFund)) != 0 {
				t.Errorf("fund %s, want %s", fund.String(), tc.wantFund)
			}
			if w := &st.Trader(b).Wallet; w.Cmp(d(tc.wantWallet)) != 0 {
				t.Errorf("wallet %s, want %s", w.String(), tc.wantWallet)
			}
			if total(t, st).Cmp(t0) != 0 {
				t.Errorf("total %s, was %s", total(t, st).String(), t0.String())
			}
		})
	}
}

// TestExecuteRefusesPartialFOK: a FOK fills in full or not at all. The
// step-down FOK for 5 of TestStepDownScaledReserve's long refuses a fill
// of 4 (ErrOverfill) and nothing changes; the fill of 5 is taken.
func TestExecuteRefusesPartialFOK(t *testing.T) {
	s := linear(t, "0.01", "1", "0.01")
	st := state(t, s, engine.PresetBitMEX())
	noErr(t, st.SetMark(d("10")))
	long := trader(t, s, "0", "3.2", "20", "10", "0.02")
	long.Tier = 3
	long.FeeReserve.Set(d("2"))
	i := add(t, st, long)
	mk := add(t, st, trader(t, s, "1000", "", "-20", "10", "0.005"))
	ev, ok, err := st.Trigger(nil, i)
	if err != nil || !ok {
		t.Fatalf("trigger: %v %v", ok, err)
	}
	ev, id, err := st.StepDown(ev, i)
	if err != nil || id == 0 || st.Intent(id).TIF != engine.FOK {
		t.Fatalf("step-down: %d %v", id, err)
	}
	was := st.Clone()
	n := len(ev)
	if ev, err = st.Execute(ev, id, []engine.Fill{fill("4", "10", mk)}); !errors.Is(err, engine.ErrOverfill) || len(ev) != n {
		t.Fatalf("a FOK filled 4 of 5: %v, %d events", err, len(ev)-n)
	}
	if st.Trader(i).Qty.Cmp(&was.Trader(i).Qty) != 0 || st.Intent(id).Qty.Cmp(d("5")) != 0 {
		t.Fatalf("the refused fill changed the position (%s) or the intent (%s)", st.Trader(i).Qty.String(), st.Intent(id).Qty.String())
	}
	if _, err = st.Execute(ev, id, []engine.Fill{fill("5", "10", mk)}); err != nil {
		t.Fatal(err)
	}
}

// TestExecuteRefusesOpeningSide: an intent fills only while its side
// closes its holder's position. The fund takes a long 1 over (its GTC
// sell of 1 at 99), then a short 2 (it is now short 1, its new intent a
// buy); a fill of the old sell, which would take the fund to short 2, is
// refused (ErrOverfill) and nothing changes.
func TestExecuteRefusesOpeningSide(t *testing.T) {
	s := linear(t, "0.25", "1", "0.01")
	p := engine.PresetBitMEX()
	p.Partial, p.RiskLimits = engine.PartialNone, nil
	st := state(t, s, p)
	var err error
	noErr(t, st.SetMark(d("100")))
	a := add(t, st, trader(t, s, "0", "1", "1", "100", "0.005"))
	b := add(t, st, trader(t, s, "0", "2", "-2", "100", "0.005"))
	add(t, st, trader(t, s, "1000", "", "1", "100", "0.005"))
	mk := add(t, st, trader(t, s, "1000", "", "0", "0", "0.005"))
	noErr(t, st.SetMark(d("99.25")))
	ev, sell := takeover(t, st, nil, a)
	if in := st.Intent(sell); in.Side != engine.Sell || in.Holder != engine.Fund {
		t.Fatalf("first intent %v of %d", in.Side, in.Holder)
	}
	noErr(t, st.SetMark(d("101.5")))
	ev, buy := takeover(t, st, ev, b)
	if in := st.Intent(buy); in.Side != engine.Buy || in.Qty.Cmp(d("1")) != 0 || st.Trader(engine.Fund).Qty.Cmp(d("-1")) != 0 {
		t.Fatalf("second intent %v %s, fund %s; want buy 1, short 1", in.Side, in.Qty.String(), st.Trader(engine.Fund).Qty.String())
	}
	n := len(ev)
	if ev, err = st.Execute(ev, sell, []engine.Fill{fill("1", "99.25", mk)}); !errors.Is(err, engine.ErrOverfill) || len(ev) != n {
		t.Fatalf("the fund's old sell filled: %v, %d events", err, len(ev)-n)
	}
	if q := &st.Trader(engine.Fund).Qty; q.Cmp(d("-1")) != 0 {
		t.Fatalf("fund %s, want -1", q.String())
	}
}

// TestMakerCrossesZero: a maker whose fill takes its position across zero
// opens the new side at the fill's price, its cost that value rounded
// half up to the minor unit: a short 1 @ 100 that buys 2 of a liquidated
// long at 95.005 is long 1 at a cost of 95.01 (95.005 exactly).
func TestMakerCrossesZero(t *testing.T) {
	s := linear(t, "0.001", "1", "0.01")
	st := state(t, s, engine.PresetHyperliquid())
	var err error
	noErr(t, st.SetMark(d("100")))
	i := add(t, st, trader(t, s, "0", "10", "2", "100", "0.05"))
	mk := add(t, st, trader(t, s, "1000", "", "-1", "100", "0.05"))
	add(t, st, trader(t, s, "1000", "", "-1", "100", "0.05"))
	noErr(t, st.SetMark(d("95.005")))
	ev, id := takeover(t, st, nil, i)
	t0 := total(t, st)
	if _, err = st.Execute(ev, id, []engine.Fill{fill("2", "95.005", mk)}); err != nil {
		t.Fatal(err)
	}
	if m := st.Trader(mk); m.Qty.Cmp(d("1")) != 0 || m.Cost.Cmp(d("95.01")) != 0 {
		t.Fatalf("maker %s at a cost of %s, want 1 at 95.01", m.Qty.String(), m.Cost.String())
	}
	if total(t, st).Cmp(t0) != 0 {
		t.Fatalf("total %s, was %s", total(t, st).String(), t0.String())
	}
}

// TestClearanceFeeCapRoundsDown: the clearance fee is capped at the
// equity at the bankruptcy price rounded down to the minor unit, never
// up, so that the remainder keeps its bankruptcy price. A long 3 @ 60,000
// with margin 1,000 goes bankrupt at 59,666.66...; after a fill of 1 at
// 59,700 (fee 1.25% = 746.25) the margin is 700 and the remainder's 2 at
// the bankruptcy price leave 33.33..., so the fee is 33.33.
func TestClearanceFeeCapRoundsDown(t *testing.T) {
	s := linear(t, "0.1", "0.001", "0.01")
	p := engine.PresetBinance()
	p.Partial, p.RiskLimits = engine.PartialNone, nil
	st := state(t, s, p)
	var err error
	noErr(t, st.SetMark(d("60000")))
	long := add(t, st, trader(t, s, "0", "1000", "3", "60000", "0.005"))
	mk := add(t, st, trader(t, s, "1000000", "", "-3", "60000", "0.005"))
	noErr(t, st.SetMark(d("59900")))
	ev, id := takeover(t, st, nil, long)
	n := len(ev)
	if ev, err = st.Execute(ev, id, []engine.Fill{fill("1", "59700", mk)}); err != nil {
		t.Fatal(err)
	}
	var fees []engine.Event
	for k := n; k < len(ev); k++ {
		if ev[k].Kind == engine.Move && ev[k].Why == engine.ClearanceFee {
			fees = append(fees, ev[k])
		}
	}
	if len(fees) != 1 || fees[0].Amount.Cmp(d("33.33")) != 0 {
		t.Fatalf("clearance fees, want one of 33.33:\n%s", enginetest.EventsText(ev[n:]))
	}
}

// TestLeftoverShareRoundsDown: the fund's leftover share of what a closed
// account has left is rounded down to the minor unit: a third (0.333) of
// 5.00 is 1.665, of which the fund takes 1.66 and the account keeps 3.34.
func TestLeftoverShareRoundsDown(t *testing.T) {
	s := linear(t, "0.01", "1", "0.01")
	p := engine.PresetHyperliquid()
	p.LeftoverShare.Set(d("0.333"))
	st := state(t, s, p)
	var err error
	noErr(t, st.SetMark(d("100")))
	i := add(t, st, trader(t, s, "0", "10", "1", "100", "0.1"))
	mk := add(t, st, trader(t, s, "1000", "", "-1", "100", "0.1"))
	noErr(t, st.SetMark(d("95")))
	ev, id := takeover(t, st, nil, i)
	if _, err = st.Execute(ev, id, []engine.Fill{fill("1", "95", mk)}); err != nil {
		t.Fatal(err)
	}
	var fund apd.Decimal
	st.FundBalance(&fund)
	if m := &st.Trader(i).Margin; fund.Cmp(d("1.66")) != 0 || m.Cmp(d("3.34")) != 0 {
		t.Fatalf("fund %s, margin %s; want 1.66, 3.34", fund.String(), m.String())
	}
}

// TestTakeoverRemainderWhy: what is left of a taken-over account's margin
// goes to the fund as Surplus, a shortfall comes from it as Cover. A
// long 1 @ 100 on the tick 0.25 goes bankrupt at 98.9 (margin 1.1), taken
// at 99 toward the entry: 0.10 is left (Surplus); at 98.8 (margin 1.2)
// taken at the nearest tick, 98.75: 0.05 short (Cover).
func TestTakeoverRemainderWhy(t *testing.T) {
	for _, c := range []struct {
		margin string
		r      liquidation.Rounding
		why    engine.Why
		amount string
		toFund bool
	}{
		{"1.1", liquidation.TowardEntry, engine.Surplus, "0.1", true},
		{"1.2", liquidation.Nearest, engine.Cover, "0.05", false},
	} {
		t.Run(c.why.String(), func(t *testing.T) {
			s := linear(t, "0.25", "1", "0.01")
			p := engine.PresetBitMEX()
			p.Partial, p.RiskLimits, p.PriceRounding = engine.PartialNone, nil, c.r
			st := state(t, s, p)
			noErr(t, st.SetMark(d("100")))
			a := add(t, st, trader(t, s, "0", c.margin, "1", "100", "0.005"))
			add(t, st, trader(t, s, "1000", "", "-1", "100", "0.005"))
			noErr(t, st.SetMark(d("99.25")))
			ev, _ := takeover(t, st, nil, a)
			var got []engine.Event
			for k := range ev {
				if ev[k].Kind == engine.Move && ev[k].Step == engine.StepFund {
					got = append(got, ev[k])
				}
			}
			if len(got) != 1 {
				t.Fatalf("%d fund moves, want 1\n%s", len(got), enginetest.EventsText(ev))
			}
			e := &got[0]
			if e.Why != c.why || e.Amount.Cmp(d(c.amount)) != 0 || (e.To.Holder == engine.Fund) != c.toFund {
				t.Fatalf("fund move %s, want %v of %s", e.String(), c.why, c.amount)
			}
		})
	}
}

// TestDYDXFillWithoutMaintenance: a dYdX fill whose account has no
// maintenance left at the oracle (TMMR = max(0, 5% of V - Cum) = 0, as
// after the oracle fell from 0.81 to 0.02 with a Cum of 1) has no
// bankruptcy quote to divide by TMMR: the quote is -dnnv, 10 for the
// long 500 sold, and the fill at 0.81 pays the fund its capped share,
// 0.5% of 405 = 2.025, instead of failing.
func TestDYDXFillWithoutMaintenance(t *testing.T) {
	s := linear(t, "0.01", "1", "0.000001")
	st := state(t, s, engine.PresetDYDX())
	var err error
	noErr(t, st.SetMark(d("1")))
	noErr(t, st.SetFund(d("1000")))
	tr := trader(t, s, "100", "", "500", "1", "0.05")
	tr.Cum.Set(d("1"))
	b := add(t, st, tr)
	mk := add(t, st, trader(t, s, "100000", "", "0", "0", "0.05"))
	noErr(t, st.SetMark(d("0.81")))
	ev, id := takeover(t, st, nil, b)
	noErr(t, st.SetMark(d("0.02")))
	t0 := total(t, st)
	if _, err = st.Execute(ev, id, []engine.Fill{fill("500", "0.81", mk)}); err != nil {
		t.Fatal(err)
	}
	var fund apd.Decimal
	st.FundBalance(&fund)
	if fund.Cmp(d("1002.025")) != 0 || total(t, st).Cmp(t0) != 0 {
		t.Fatalf("fund %s, want 1002.025; total %s, was %s", fund.String(), total(t, st).String(), t0.String())
	}
}

// TestMakerShortIncreases: a maker whose fill adds to its short realises
// nothing: its cost grows by the fill's value. A short 1 @ 100 that sells
// 1 more at 105 to a liquidated short's close is short 2 at a cost of
// -205, its wallet unchanged.
func TestMakerShortIncreases(t *testing.T) {
	s := linear(t, "0.01", "1", "0.01")
	st := state(t, s, engine.PresetHyperliquid())
	var err error
	noErr(t, st.SetMark(d("100")))
	i := add(t, st, trader(t, s, "0", "10", "-1", "100", "0.05"))
	mk := add(t, st, trader(t, s, "1000", "", "-1", "100", "0.05"))
	add(t, st, trader(t, s, "1000", "", "2", "100", "0.05"))
	noErr(t, st.SetMark(d("105")))
	ev, id := takeover(t, st, nil, i)
	if _, err = st.Execute(ev, id, []engine.Fill{fill("1", "105", mk)}); err != nil {
		t.Fatal(err)
	}
	if m := st.Trader(mk); m.Qty.Cmp(d("-2")) != 0 || m.Cost.Cmp(d("-205")) != 0 || m.Wallet.Cmp(d("1000")) != 0 {
		t.Fatalf("maker %s at a cost of %s, wallet %s; want -2, -205, 1000", m.Qty.String(), m.Cost.String(), m.Wallet.String())
	}
}

// TestRepriceRefusesNegative: a limit below zero is no price
// (derivmath.ErrPrice) and leaves the intent's limit as it was; zero (a
// market order) and a positive limit are set.
func TestRepriceRefusesNegative(t *testing.T) {
	s := linear(t, "0.25", "1", "0.01")
	p := engine.PresetBitMEX()
	p.Partial, p.RiskLimits = engine.PartialNone, nil
	st := state(t, s, p)
	noErr(t, st.SetMark(d("100")))
	a := add(t, st, trader(t, s, "0", "1", "1", "100", "0.005"))
	add(t, st, trader(t, s, "1000", "", "-1", "100", "0.005"))
	noErr(t, st.SetMark(d("99.25")))
	_, id := takeover(t, st, nil, a)
	if err := st.Reprice(id, d("-0.25")); !errors.Is(err, derivmath.ErrPrice) || st.Intent(id).Limit.Cmp(d("99")) != 0 {
		t.Fatalf("reprice at -0.25: %v, limit %s; want ErrPrice, 99", err, st.Intent(id).Limit.String())
	}
	for _, l := range []string{"0", "98.75"} {
		if err := st.Reprice(id, d(l)); err != nil || st.Intent(id).Limit.Cmp(d(l)) != 0 {
			t.Fatalf("reprice at %s: %v, limit %s", l, err, st.Intent(id).Limit.String())
		}
	}
}

// TestDYDXPartialFillMaintenanceFloor: a dYdX fill's bankruptcy quote
// takes the change of maintenance to the position after the fill, floored
// at zero with the Cum. A long 500 @ 1 with 90 of collateral and a Cum of
// 5 at the oracle 0.81 (TNC -5, TMMR 20.25 - 5 = 15.25) sells 400 at 0.81:
// the 100 left owe max(0, 4.05 - 5) = 0, so dmmr = -15.25, the quote is
// 324 + 5 = 329 and the fund pays 5 (with the maintenance of 900, 31.45,
// it would pay 5.311476).
func TestDYDXPartialFillMaintenanceFloor(t *testing.T) {
	s := linear(t, "0.01", "1", "0.000001")
	st := state(t, s, engine.PresetDYDX())
	var err error
	noErr(t, st.SetMark(d("1")))
	noErr(t, st.SetFund(d("1000")))
	tr := trader(t, s, "90", "", "500", "1", "0.05")
	tr.Cum.Set(d("5"))
	b := add(t, st, tr)
	mk := add(t, st, trader(t, s, "100000", "", "0", "0", "0.05"))
	noErr(t, st.SetMark(d("0.81")))
	ev, id := takeover(t, st, nil, b)
	t0 := total(t, st)
	if _, err = st.Execute(ev, id, []engine.Fill{fill("400", "0.81", mk)}); err != nil {
		t.Fatal(err)
	}
	var fund apd.Decimal
	st.FundBalance(&fund)
	if fund.Cmp(d("995")) != 0 || total(t, st).Cmp(t0) != 0 {
		t.Fatalf("fund %s, want 995; total %s, was %s", fund.String(), total(t, st).String(), t0.String())
	}
}

// TestDYDXOffGridNotional: a dYdX fill whose notional at the oracle is not
// a whole number of minor units (a fill of 0.00000001 at a mark of 1,
// below a quantum) moved the fund's share computed from that notional
// as it was, 0.0100000001, which left the fund's wallet and the trader's
// margin off the minor unit, and the fund no longer a valid input to Add.
// dYdX's quote quantums are integers: the change in net notional is
// floored to the minor unit, so the bankruptcy quote keeps its rounding
// toward +infinity and every amount moved is whole.
func TestDYDXOffGridNotional(t *testing.T) {
	s := linear(t, "0.5", "1", "0.01")
	st := state(t, s, engine.PresetDYDX())
	noErr(t, st.SetFund(d("1")))
	long := add(t, st, trader(t, s, "0", "100", "1", "200", "0.005"))
	add(t, st, trader(t, s, "0", "100", "-1", "200", "0.005"))
	maker := add(t, st, trader(t, s, "0", "100", "1", "200", "0.005"))
	noErr(t, st.SetMark(d("1")))
	_, id := takeover(t, st, nil, long)
	before := total(t, st)
	ev, err := st.Execute(nil, id, []engine.Fill{fill("0.00000001", "65432.5", maker)})
	noErr(t, err)
	minor := &s.Minor
	for _, e := range ev {
		if e.Kind != engine.Move {
			continue
		}
		var r apd.Decimal
		noErr(t, derivmath.Round(derivmath.NewContext(), &r, &e.Amount, minor, derivmath.Down))
		if r.Cmp(&e.Amount) != 0 {
			t.Errorf("%s moves %s, not a whole number of minor units", e.String(), e.Amount.String())
		}
	}
	for k := -1; k < st.Len(); k++ {
		if _, err := st.Clone().Add(st.Trader(k)); err != nil {
			t.Errorf("trader %d is not a valid input after the fill: %v", k, err)
		}
	}
	if after := total(t, st); after.Cmp(before) != 0 {
		t.Errorf("total %s -> %s", before.String(), after.String())
	}
}

// TestEquityNoNegativeZero: in a context that rounds toward -infinity, a
// cross trader whose loss at the mark equals its wallet (5 - 5) had an
// Equity of -0.00, an output that derivmath.CheckDecimal refuses; Equity
// now writes through the result gate.
func TestEquityNoNegativeZero(t *testing.T) {
	ctx := derivmath.NewContext()
	ctx.Rounding = apd.RoundFloor
	s := linear(t, "0.5", "1", "0.01")
	st, err := engine.New(ctx, s, engine.PresetBitMEX())
	noErr(t, err)
	h := add(t, st, trader(t, s, "5", "", "1", "105", "0.005"))
	add(t, st, trader(t, s, "1000", "", "-1", "105", "0.005"))
	noErr(t, st.SetMark(d("100")))
	var z apd.Decimal
	noErr(t, st.Equity(&z, h))
	if err := derivmath.CheckDecimal(&z); err != nil || !z.IsZero() {
		t.Errorf("Equity = %s (negative %v), %v; want a valid zero", z.String(), z.Negative, err)
	}
}
