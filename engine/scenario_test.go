package engine_test

import (
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/engine/internal/enginetest"
)

// I1, I2: BitMEX liquidation page. Long 1 @ 100.00, P_L 99.50, P_B 99.00;
// the fund's limit at 99.00 fills at 99.25: +0.25; a second trader's fills
// at 98.75: -0.25, fund back to 0, no ADL.
func TestBitMEXInsuranceI1I2(t *testing.T) {
	ctx := derivmath.NewContext()
	s := linear(t, "0.25", "1", "0.01")
	p := engine.PresetBitMEX()
	p.Partial, p.RiskLimits = engine.PartialNone, nil
	st, err := engine.New(ctx, s, p)
	if err != nil {
		t.Fatal(err)
	}
	noErr(t, st.SetMark(d("100")))
	a := add(t, st, trader(t, s, "0", "1", "1", "100", "0.005"))
	b := add(t, st, trader(t, s, "0", "1", "1", "100", "0.005"))
	c := add(t, st, trader(t, s, "1000", "", "-2", "100", "0.005"))
	mk := add(t, st, trader(t, s, "1000", "", "0", "0", "0.005"))
	before := total(t, st)

	var ev []engine.Event
	noErr(t, st.SetMark(d("99.5")))
	ev, ok, err := st.Trigger(ev, a)
	if err != nil || !ok {
		t.Fatalf("trigger at P_L: %v %v", ok, err)
	}
	ev, id, err := st.Takeover(ev, a)
	if err != nil {
		t.Fatal(err)
	}
	in := st.Intent(id)
	if in.Limit.Cmp(d("99")) != 0 || in.Side != engine.Sell || in.Holder != engine.Fund {
		t.Fatalf("intent %+v", in)
	}
	// A fill below the limit is refused and changes nothing.
	n := len(ev)
	if ev, err = st.Execute(ev, id, []engine.Fill{fill("1", "98.75", mk)}); !errors.Is(err, engine.ErrLimit) || len(ev) != n {
		t.Fatalf("fill beyond limit: %v", err)
	}
	if ev, err = st.Execute(ev, id, []engine.Fill{fill("1", "99.25", mk)}); err != nil {
		t.Fatal(err)
	}
	var fund apd.Decimal
	st.FundBalance(&fund)
	if fund.Cmp(d("0.25")) != 0 {
		t.Fatalf("I1 fund %s, want 0.25", fund.String())
	}
	// I2.
	ev, ok, err = st.Trigger(ev, b)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	ev, id, err = st.Takeover(ev, b)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Reprice(id, d("98.75")); err != nil {
		t.Fatal(err)
	}
	if ev, err = st.Execute(ev, id, []engine.Fill{fill("1", "98.75", mk)}); err != nil {
		t.Fatal(err)
	}
	st.FundBalance(&fund)
	if !fund.IsZero() {
		t.Fatalf("I2 fund %s, want 0", fund.String())
	}
	if after := total(t, st); after.Cmp(before) != 0 {
		t.Fatalf("conservation: %s -> %s", before, after)
	}
	_ = c
	for i := range ev {
		t.Log(ev[i].String())
	}
}

// A10: dYdX docs, contract loss. A and B deposit 100; A long, B short 500
// @ 1; price 2: B's equity -400, P_B 1.2; A closed at 1.2 (+100), B 0.
func TestDYDXContractLossA10(t *testing.T) {
	ctx := derivmath.NewContext()
	s := linear(t, "0.01", "1", "0.000001")
	st, err := engine.New(ctx, s, engine.PresetDYDX())
	if err != nil {
		t.Fatal(err)
	}
	noErr(t, st.SetMark(d("1")))
	a := add(t, st, trader(t, s, "100", "", "500", "1", "0.03"))
	b := add(t, st, trader(t, s, "100", "", "-500", "1", "0.03"))
	before := total(t, st)
	noErr(t, st.SetMark(d("2")))
	var eq apd.Decimal
	if err := st.Equity(&eq, b); err != nil || eq.Cmp(d("-400")) != 0 {
		t.Fatalf("B equity %s %v", eq.String(), err)
	}
	var ev []engine.Event
	ev, ok, err := st.Trigger(ev, b)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	ev, err = st.ADL(ev, b, d("500"), 1)
	if err != nil {
		t.Fatal(err)
	}
	for i := range ev {
		t.Log(ev[i].String())
	}
	if ev[1].Price.Cmp(d("1.2")) != 0 {
		t.Fatalf("ADL price %s, want 1.2", ev[1].Price.String())
	}
	var w apd.Decimal
	w.Set(&st.Trader(a).Wallet)
	if w.Cmp(d("200")) != 0 {
		t.Fatalf("A wallet %s, want 200 (+100)", w.String())
	}
	if st.Trader(b).Wallet.Sign() != 0 {
		t.Fatalf("B wallet %s, want 0", st.Trader(b).Wallet.String())
	}
	if after := total(t, st); after.Cmp(before) != 0 {
		t.Fatalf("conservation: %s -> %s", before, after)
	}
}

// A liquidation IOC at the bankruptcy price that fills only in part: the
// clearance fee is paid out of what the fills free above the bankruptcy
// price, never more, so the remainder keeps its bankruptcy price and ADL
// closes it there, below the mark (the winners pay no fee). Long 1 @
// 60,000 with margin 600 (P_B 59,400), mark 59,690; 0.878 fills at 59,545:
// 0.878*145 = 127.31 above P_B, less than the nominal fee (1.25% or 0.75%
// of 52,280.51).
func TestClearanceFeeCapped(t *testing.T) {
	for _, tc := range []struct {
		preset *engine.Preset
		fee    string
	}{
		{engine.PresetBinance(), "127.31"},
		{engine.PresetDeribit(), "127.31"},
	} {
		t.Run(tc.preset.Name, func(t *testing.T) {
			ctx := derivmath.NewContext()
			s := linear(t, "0.1", "0.001", "0.01")
			p := tc.preset
			p.Partial, p.RiskLimits = engine.PartialNone, nil
			st, err := engine.New(ctx, s, p)
			if err != nil {
				t.Fatal(err)
			}
			noErr(t, st.SetMark(d("60000")))
			long := add(t, st, trader(t, s, "0", "600", "1", "60000", "0.005"))
			add(t, st, trader(t, s, "100000", "", "-1", "60000", "0.005"))
			mk := add(t, st, trader(t, s, "1000000", "", "0", "0", "0.005"))
			before := total(t, st)
			noErr(t, st.SetMark(d("59690")))
			ev, id := takeover(t, st, nil, long)
			if lim := &st.Intent(id).Limit; lim.Cmp(d("59400")) != 0 {
				t.Fatalf("limit %s, want 59400", lim.String())
			}
			if ev, err = st.Execute(ev, id, []engine.Fill{fill("0.878", "59545", mk)}); err != nil {
				t.Fatal(err)
			}
			var fee apd.Decimal
			for k := range ev {
				if ev[k].Kind == engine.Move && ev[k].Why == engine.ClearanceFee {
					if _, err := ctx.Add(&fee, &fee, &ev[k].Amount); err != nil {
						t.Fatal(err)
					}
				}
			}
			if fee.Cmp(d(tc.fee)) != 0 {
				t.Errorf("clearance fee %s, want %s (what the fill freed above P_B)", fee.String(), tc.fee)
			}
			n := len(ev)
			if ev, err = st.ADL(ev, long, d("0.122"), 1); err != nil {
				t.Fatal(err)
			}
			for k := n; k < len(ev); k++ {
				if ev[k].Kind == engine.Trade && ev[k].Price.Cmp(d("59400")) != 0 {
					t.Errorf("ADL at %s, want the bankruptcy price 59400 (mark 59690)", ev[k].Price.String())
				}
			}
			if m := &st.Trader(long).Margin; !m.IsZero() {
				t.Errorf("liquidated margin %s, want 0", m.String())
			}
			var fund apd.Decimal
			st.FundBalance(&fund)
			if fund.Cmp(d(tc.fee)) != 0 {
				t.Errorf("fund %s, want %s", fund.String(), tc.fee)
			}
			if after := total(t, st); after.Cmp(before) != 0 {
				t.Fatalf("conservation: %s -> %s", before, after)
			}
		})
	}
}

// A clawback whose one winner's profit covers the fund's loss makes the
// fund whole, to the minor unit: the fund loses 1.00 (it takes a long 1 @
// 100 over at 99 and sells at 98) and the one winner, short 1.03 @ 100 at
// the mark 98, has 2.06 of profit. A rate rounded first, 1/2.06 to the
// context's precision, times 2.06 falls short of 1.00 and charged 0.99.
func TestClawbackWhole(t *testing.T) {
	ctx := derivmath.NewContext()
	s := linear(t, "0.5", "0.01", "0.01")
	st, err := engine.New(ctx, s, engine.PresetOKX())
	if err != nil {
		t.Fatal(err)
	}
	noErr(t, st.SetMark(d("100")))
	long := add(t, st, trader(t, s, "0", "1", "1", "100", "0.005"))
	short := add(t, st, trader(t, s, "100", "", "-1.03", "100", "0.005"))
	add(t, st, trader(t, s, "1000", "", "0.03", "100", "0.005"))
	mk := add(t, st, trader(t, s, "10000", "", "0", "0", "0.005"))
	before := total(t, st)
	noErr(t, st.SetMark(d("99")))
	ev, id := takeover(t, st, nil, long)
	if ev, err = st.Execute(ev, id, []engine.Fill{fill("1", "98", mk)}); err != nil {
		t.Fatal(err)
	}
	noErr(t, st.SetMark(d("98")))
	var fund apd.Decimal
	st.FundBalance(&fund)
	if fund.Cmp(d("-1")) != 0 {
		t.Fatalf("fund %s before the clawback, want -1.00", fund.String())
	}
	w0 := new(apd.Decimal).Set(&st.Trader(short).Wallet)
	if _, err = st.Socialise(ev); err != nil {
		t.Fatal(err)
	}
	st.FundBalance(&fund)
	var charged apd.Decimal
	if _, err := ctx.Sub(&charged, w0, &st.Trader(short).Wallet); err != nil {
		t.Fatal(err)
	}
	if fund.Sign() != 0 || charged.Cmp(d("1")) != 0 {
		t.Errorf("the winner paid %s, the fund ends at %s: want 1.00 and 0", charged.String(), fund.String())
	}
	if after := total(t, st); after.Cmp(before) != 0 {
		t.Fatalf("conservation: %s -> %s", before, after)
	}
}

// Liquidation intents carry limits on the contract's tick, on the fund's
// safe side of the price they stand for: a sell's limit rounds up, a buy's
// down, so that no fill is worse than the bankruptcy (or assumed) price;
// and they print with no more decimals than the tick.
func TestIntentLimitOnTick(t *testing.T) {
	for _, tc := range []struct {
		preset       *engine.Preset
		qty, margin  string
		mark, want   string
		slippage     string
		stepDownTier int
	}{
		{engine.PresetBinance(), "1", "1.3", "99", "99.0", "", -1},       // P_B 98.7
		{engine.PresetBinance(), "-1", "1.3", "101", "101.0", "", -1},    // P_B 101.3
		{engine.PresetDeribit(), "1", "1.3", "99", "99.0", "", -1},       // P_B 98.7
		{engine.PresetBinance(), "1", "1", "99.25", "99.0", "", -1},      // P_B 99, on the tick
		{engine.PresetBitMEX(), "1", "1.3", "99", "99.0", "", -1},        // the fund's sell
		{engine.PresetBinance(), "3", "3.9", "99.3", "99.0", "0.003", 1}, // step-down: 99.3*0.997 = 99.0021
	} {
		t.Run(tc.preset.Name+" "+tc.qty+" @ "+tc.mark, func(t *testing.T) {
			ctx := derivmath.NewContext()
			s := linear(t, "0.5", "1", "0.01")
			p := tc.preset
			if tc.stepDownTier < 0 {
				p.Partial, p.RiskLimits = engine.PartialNone, nil
			} else {
				p.RiskLimits = []engine.RiskLimit{{}, {}}
				p.RiskLimits[0].Limit.Set(d("200"))
				p.RiskLimits[0].MMR.Set(d("0.001"))
				p.RiskLimits[1].Limit.Set(d("1000"))
				p.RiskLimits[1].MMR.Set(d("0.02"))
				p.RiskLimits[1].Cum.Set(d("3.8")) // 200*(0.02 - 0.001): Binance's recurrence
				p.Slippage.Set(d(tc.slippage))
			}
			st, err := engine.New(ctx, s, p)
			if err != nil {
				t.Fatal(err)
			}
			noErr(t, st.SetMark(d("100")))
			tr := trader(t, s, "0", tc.margin, tc.qty, "100", "0.005")
			if tc.stepDownTier >= 0 {
				tr.Tier = tc.stepDownTier
				tr.MMR.Set(&p.RiskLimits[tr.Tier].MMR)
				tr.Cum.Set(&p.RiskLimits[tr.Tier].Cum)
			}
			i := add(t, st, tr)
			other := "-" + tc.qty
			if tc.qty[0] == '-' {
				other = tc.qty[1:]
			}
			add(t, st, trader(t, s, "1000", "", other, "100", "0.005"))
			if err := st.SetMark(d(tc.mark)); err != nil {
				t.Fatal(err)
			}
			ev, ok, err := st.Trigger(nil, i)
			if err != nil || !ok {
				t.Fatalf("trigger: %v %v", ok, err)
			}
			var id engine.IntentID
			if tc.stepDownTier >= 0 {
				_, id, err = st.StepDown(ev, i)
			} else {
				_, id, err = st.Takeover(ev, i)
			}
			if err != nil || id == 0 {
				t.Fatalf("no intent: %v", err)
			}
			if got := st.Intent(id).Limit.String(); got != tc.want {
				t.Errorf("limit %s, want %s", got, tc.want)
			}
		})
	}
}

// TestTakeoverNetsFundInventory: the fund kept the long it took over (its
// order withdrawn); when it then takes over the short on the other side, its
// inventory nets to zero and there is nothing left to sell: Takeover asks
// for no order (intent 0) instead of an order for 0 contracts.
func TestTakeoverNetsFundInventory(t *testing.T) {
	st := book(bitmex())
	noErr(t, st.SetMark(d("99.5")))
	ev, id := takeover(t, st, nil, 1)
	ev, err := st.Withdraw(ev, id)
	noErr(t, err)
	noErr(t, st.SetMark(d("199.5")))
	ev, ok, err := st.Trigger(ev, 2)
	if err != nil || !ok {
		t.Fatalf("trigger the short: %v %v", ok, err)
	}
	t0 := total(t, st)
	_, id, err = st.Takeover(ev, 2)
	noErr(t, err)
	if q := &st.Trader(engine.Fund).Qty; !q.IsZero() {
		t.Fatalf("fund holds %s, want 0", q.String())
	}
	if id != 0 || st.Intents() != 0 {
		in := st.Intent(id)
		t.Errorf("Takeover returned intent %d (%+v) with the fund flat; want none", id, in)
	}
	if t1 := total(t, st); t1.Cmp(t0) != 0 {
		t.Errorf("total %s, was %s", t1.String(), t0.String())
	}
}

// TestBTCMEXInsuranceI3 runs vector I3 (ΔIF = +60: one contract taken at
// P_B = 3,000 and sold at P_F = 3,060) through the state: a long of 1 at
// 3,030 with 30 of isolated margin (P_B = 3,000) is taken over by the fund
// at the mark 3,010 and its liquidation order fills at 3,060.
func TestBTCMEXInsuranceI3(t *testing.T) {
	var v vector
	for _, x := range loadVectors(t) {
		if x.ID == "I3" {
			v = x
		}
	}
	if v.ID == "" || v.In["n"] != "1" || v.In["side"] != "1" {
		t.Fatalf("vector I3 %+v: want one long contract", v)
	}
	ctx := derivmath.NewContext()
	s := linear(t, "0.5", "1", "0.01")
	p := engine.PresetBitMEX()
	p.Partial, p.RiskLimits = engine.PartialNone, nil
	st, err := engine.New(ctx, s, p)
	if err != nil {
		t.Fatal(err)
	}
	noErr(t, st.SetMark(d("3030")))
	pb := d(v.In["pb"])
	var entry apd.Decimal
	if _, err := ctx.Add(&entry, pb, d("30")); err != nil {
		t.Fatal(err)
	}
	a := add(t, st, trader(t, s, "0", "30", "1", entry.String(), "0.005"))
	add(t, st, trader(t, s, "100000", "", "-1", entry.String(), "0.005"))
	mk := add(t, st, trader(t, s, "100000", "", "0", "0", "0.005"))
	before := total(t, st)
	var fund0 apd.Decimal
	st.FundBalance(&fund0)

	noErr(t, st.SetMark(d("3010")))
	ev, id := takeover(t, st, nil, a)
	if in := st.Intent(id); in.Limit.Cmp(pb) != 0 || in.Side != engine.Sell || in.Holder != engine.Fund {
		t.Fatalf("intent %+v, want the fund selling 1 at P_B %s", in, pb)
	}
	if _, err = st.Execute(ev, id, []engine.Fill{fill("1", v.In["pf"], mk)}); err != nil {
		t.Fatal(err)
	}
	var fund, delta apd.Decimal
	st.FundBalance(&fund)
	if _, err := ctx.Sub(&delta, &fund, &fund0); err != nil {
		t.Fatal(err)
	}
	if delta.Cmp(d(v.Want["z"])) != 0 {
		t.Errorf("I3 fund delta %s, want %s", delta.String(), v.Want["z"])
	}
	if after := total(t, st); after.Cmp(before) != 0 {
		t.Errorf("conservation: %s -> %s", before, after)
	}
}

// TestBinanceStepDownIOC: Binance's partial liquidation is "one IOC into a
// lower bracket" (Binance FAQ 360033525271; PresetBinance's doc), not
// BitMEX's FOK.
// Long 7,000 @ 100 in the 3M bracket (MMR 0.65%, cum 950: MM 3,600 at
// 100) with 3,500 of margin: liquidatable; closing 1,000 into the 600k
// bracket (MMR 0.5%, cum 50: MM 2,950) leaves 3,500 - 500 of clearance fee
// = 3,000 > 2,950. The fee is 0.5% here: at the preset's 1.25%, above
// every bracket's rate, no close into a lower bracket saves as much
// maintenance as it pays in fee. A full fill lowers the bracket, as a
// FOK's does.
func TestBinanceStepDownIOC(t *testing.T) {
	p := engine.PresetBinance()
	p.ClearanceFee.Set(d("0.005"))
	st, i, mk, ev := bracketLong(t, p, "3500")
	ev, id, err := st.StepDown(ev, i)
	if err != nil || id == 0 {
		t.Fatalf("step-down: %d %v", id, err)
	}
	in := st.Intent(id)
	if in.TIF != engine.IOC || in.Side != engine.Sell || in.Qty.Cmp(d("1000")) != 0 || in.Limit.Cmp(d("100")) != 0 {
		t.Fatalf("step-down intent %v %v %s @ %s, want IOC Sell 1000 @ 100", in.TIF, in.Side, in.Qty.String(), in.Limit.String())
	}
	if ev, err = st.Execute(ev, id, []engine.Fill{fill("1000", "100", mk)}); err != nil {
		t.Fatal(err)
	}
	if tr := st.Trader(i); tr.Tier != 1 || tr.MMR.Cmp(d("0.005")) != 0 {
		t.Fatalf("after the fill: tier %d, MMR %s; want 1, 0.005", tr.Tier, tr.MMR.String())
	}
	if _, liq, err := st.Trigger(ev, i); err != nil || liq {
		t.Fatalf("after the fill: liquidatable %v %v", liq, err)
	}
}

// TestDYDXStepDownNotionalLimit: dYdX v4 liquidates at most MaxNotional
// (100 USDC) of a position per block (PresetDYDX, NotionalDYDX). A short
// 500 @ 1 with 100 of margin at the oracle 1.19 (equity 5, maintenance 3%
// of 595 = 17.85) is liquidatable and worth 595 > 100: the step is an IOC
// buy of floor(100/1.19) = 84, not the whole position nor nothing.
func TestDYDXStepDownNotionalLimit(t *testing.T) {
	s := linear(t, "0.01", "1", "0.000001")
	st := state(t, s, engine.PresetDYDX())
	noErr(t, st.SetMark(d("1")))
	add(t, st, trader(t, s, "100", "", "500", "1", "0.03"))
	b := add(t, st, trader(t, s, "100", "", "-500", "1", "0.03"))
	noErr(t, st.SetMark(d("1.19")))
	ev, ok, err := st.Trigger(nil, b)
	if err != nil || !ok {
		t.Fatalf("trigger: %v %v", ok, err)
	}
	_, id, err := st.StepDown(ev, b)
	if err != nil || id == 0 {
		t.Fatalf("step-down: intent %d, %v; want a partial close", id, err)
	}
	if in := st.Intent(id); in.TIF != engine.IOC || in.Side != engine.Buy || in.Qty.Cmp(d("84")) != 0 {
		t.Fatalf("step-down intent %v %v %s @ %s, want IOC Buy 84", in.TIF, in.Side, in.Qty.String(), in.Limit.String())
	}
}

// TestHyperliquidADLProfitableOnly: Hyperliquid deleverages profitable
// positions only (its liquidation docs, which PresetHyperliquid cites;
// RankHyperliquid's doc). Long 2 bankrupt
// at 94, against a short from 110 (in profit) and a short from 90 (at a
// loss): one contract deleverages the winner; two find too little
// profitable quantity and close nothing.
func TestHyperliquidADLProfitableOnly(t *testing.T) {
	s := linear(t, "0.01", "1", "0.01")
	st := state(t, s, engine.PresetHyperliquid())
	noErr(t, st.SetMark(d("100")))
	h := add(t, st, trader(t, s, "0", "10", "2", "100", "0.01"))
	loser := add(t, st, trader(t, s, "1000", "", "-1", "90", "0.01"))
	winner := add(t, st, trader(t, s, "1000", "", "-1", "110", "0.01"))
	noErr(t, st.SetMark(d("94")))
	before := full(st)
	ev, err := st.ADL(nil, h, d("2"), 1)
	if !errors.Is(err, engine.ErrNoCounterparty) || len(ev) != 0 || full(st) != before {
		t.Fatalf("ADL of 2 with 1 profitable contract opposite: %v\n%s", err, enginetest.EventsText(ev))
	}
	if _, err = st.ADL(nil, h, d("1"), 1); err != nil {
		t.Fatal(err)
	}
	if st.Trader(winner).Qty.Sign() != 0 || st.Trader(loser).Qty.Cmp(d("-1")) != 0 {
		t.Fatalf("after ADL of 1: winner %s, loser %s; want 0, -1", st.Trader(winner).Qty.String(), st.Trader(loser).Qty.String())
	}
}

// TestStepDownSetsCum: lowering a trader's tier sets its maintenance amount
// (Binance's cum) with its rate. Long 30,500 @ 100 in Binance's 12M bracket
// (MMR 1%, cum 11,450) with 70,000 of isolated margin; at a mark of 98.3
// its value, 2,998,150, lies in the 3M bracket (MMR 0.65%, cum 950). Equity
// 70,000 - 30,500 x 1.7 = 18,150 is below the maintenance in either
// bracket (18,531.50 in the 12M, 18,538.98 in the 3M: the cum keeps them
// continuous), so lowering the bracket must not restore the account; with
// the 12M bracket's cum kept, the maintenance would be 8,038.98, and it
// would.
func TestStepDownSetsCum(t *testing.T) {
	s := linear(t, "0.1", "1", "0.01")
	st := state(t, s, engine.PresetBinance())
	noErr(t, st.SetMark(d("100")))
	long := trader(t, s, "0", "70000", "30500", "100", "0.01")
	long.Tier = 3
	long.Cum.Set(d("11450"))
	i := add(t, st, long)
	add(t, st, trader(t, s, "10000000", "", "-30500", "100", "0.005"))
	noErr(t, st.SetMark(d("98.3")))
	ev, ok, err := st.Trigger(nil, i)
	if err != nil || !ok {
		t.Fatalf("trigger: %v %v", ok, err)
	}
	if ev, _, err = st.StepDown(ev, i); err != nil {
		t.Fatal(err)
	}
	tr := st.Trader(i)
	if tr.Tier != 2 || tr.MMR.Cmp(d("0.0065")) != 0 || tr.Cum.Cmp(d("950")) != 0 {
		t.Errorf("after the step-down: tier %d, MMR %s, cum %s; want 2, 0.0065, 950", tr.Tier, tr.MMR.String(), tr.Cum.String())
	}
	if !tr.Liquidating {
		t.Errorf("restored at the 3M bracket; events:\n%v", ev)
	}
}

// TestTakeoverOneIntentAtATime: under AccountCloses (Binance), a second
// Takeover of a trader whose takeover intent is still open, and a
// StepDown, are refused with ErrIntentOpen and nothing changed: each would
// open a second order to close the same position, whose fills a book
// would match and Execute refuse (ErrOverfill). Before, the second
// Takeover opened intent 2 for the whole 1,000 beside intent 1. Once the
// first is withdrawn, Takeover opens the next.
func TestTakeoverOneIntentAtATime(t *testing.T) {
	st := allocMarket(t, engine.PresetBinance())
	noErr(t, st.SetMark(d("99.5")))
	ev, id1 := takeover(t, st, nil, 1)
	if id1 == 0 {
		t.Fatal("Takeover opened no intent")
	}
	before := full(st)
	n := len(ev)
	ev, id2, err := st.Takeover(ev, 1)
	if !errors.Is(err, engine.ErrIntentOpen) || id2 != 0 || len(ev) != n || full(st) != before {
		t.Fatalf("second takeover with one open: intent %d, %v, %d events; want 0, ErrIntentOpen, none, nothing changed", id2, err, len(ev)-n)
	}
	ev, id2, err = st.StepDown(ev, 1)
	if !errors.Is(err, engine.ErrIntentOpen) || id2 != 0 || len(ev) != n || full(st) != before {
		t.Fatalf("step-down with a takeover open: intent %d, %v, %d events; want 0, ErrIntentOpen, none, nothing changed", id2, err, len(ev)-n)
	}
	ev, err = st.Withdraw(ev, id1)
	noErr(t, err)
	if _, id2, err = st.Takeover(ev, 1); err != nil || id2 == 0 || st.Intent(id2).Qty.Cmp(d("1000")) != 0 {
		t.Fatalf("takeover after the withdrawal: intent %d, %v; want one for 1,000", id2, err)
	}
}

// TestStepDownOneIntentAtATime: StepDown refuses, with ErrIntentOpen and
// nothing changed, a trader whose step-down intent is still open, and
// sizes the next close on the position the first one left. BitMEX's
// table, a long 20 @ 10 at the 2% tier with margin 3.20: at mark 9.90 the
// step-down is a FOK of 10 (target tier 0). A second StepDown at mark 10
// (target tier 1, 5) or at 9.90 (the same FOK of 10) used to open a second
// intent on the same 20: filling both closed 15, or all 20 through the
// partial path, which no step-down may close (the takeover's).
func TestStepDownOneIntentAtATime(t *testing.T) {
	for _, mark2 := range []string{"10", "9.9"} {
		t.Run("mark "+mark2, func(t *testing.T) {
			s := linear(t, "0.01", "1", "0.01")
			st := state(t, s, engine.PresetBitMEX())
			noErr(t, st.SetMark(d("9.9")))
			long := trader(t, s, "0", "3.2", "20", "10", "0.02")
			long.Tier = 3
			i := add(t, st, long)
			mk := add(t, st, trader(t, s, "1000", "", "-20", "10", "0.005"))
			ev, ok, err := st.Trigger(nil, i)
			if err != nil || !ok {
				t.Fatalf("trigger: %v %v", ok, err)
			}
			ev, id1, err := st.StepDown(ev, i)
			if err != nil || id1 == 0 || st.Intent(id1).Qty.Cmp(d("10")) != 0 {
				t.Fatalf("first step-down: %d %v", id1, err)
			}
			noErr(t, st.SetMark(d(mark2)))
			before := full(st)
			n := len(ev)
			ev, id2, err := st.StepDown(ev, i)
			if !errors.Is(err, engine.ErrIntentOpen) || id2 != 0 || len(ev) != n || full(st) != before {
				t.Fatalf("second step-down with one open: intent %d, %v, %d events; want 0, ErrIntentOpen, none, nothing changed", id2, err, len(ev)-n)
			}
			if ev, err = st.Execute(ev, id1, []engine.Fill{fill("10", "9.9", mk)}); err != nil {
				t.Fatal(err)
			}
			if tr := st.Trader(i); tr.Tier != 0 || tr.Qty.Cmp(d("10")) != 0 || st.Intents() != 0 {
				t.Fatalf("after the fill: tier %d, qty %s, %d intents; want 0, 10, 0", tr.Tier, tr.Qty.String(), st.Intents())
			}
			// Once it is closed, StepDown runs again, on the 10 left: at
			// tier 0 there is no lower tier to step down to.
			if _, id2, err = st.StepDown(ev, i); err != nil || id2 != 0 {
				t.Errorf("step-down after the fill: intent %d, %v; want none, nil", id2, err)
			}
		})
	}
}

// TestClearanceFeeKeepsReserve: the clearance fee is paid only out of the
// margin above bankruptcy, where the equity is the fee reserve the
// remainder keeps (Trader.FeeReserve), so a partly filled takeover's
// remainder keeps its bankruptcy price. Binance's rules, a short 2 @ 100
// with margin 4 and a reserve of 1, maintenance 1%: at mark 101 it is
// liquidatable, bankrupt at 101.50 (equity 4 - 2*1.50 = the reserve). Its
// IOC fills 1 at 101: the remainder, short 1 with a reserve of 0.50, has
// 3 - 1.50 = 1.50 at 101.50, so the fee (1.25% of 101, 1.27) is capped at
// 1.00 and the remainder is still bankrupt at 101.50, where ADL closes
// it. The cap used to ignore the reserve (fee 1.27), which moved the
// remainder's bankruptcy price to 101.23, toward the mark.
func TestClearanceFeeKeepsReserve(t *testing.T) {
	s := linear(t, "0.01", "1", "0.01")
	p := engine.PresetBinance()
	p.Partial, p.RiskLimits = engine.PartialNone, nil
	st := state(t, s, p)
	var err error
	short := trader(t, s, "0", "4", "-2", "100", "0.01")
	short.FeeReserve.Set(d("1"))
	i := add(t, st, short)
	street := add(t, st, trader(t, s, "1000", "", "1", "100", "0.01"))
	add(t, st, trader(t, s, "1000", "", "1", "100", "0.01"))
	noErr(t, st.SetMark(d("101")))
	t0 := total(t, st)
	ev, id := takeover(t, st, nil, i)
	if in := st.Intent(id); in.Limit.Cmp(d("101.5")) != 0 {
		t.Fatalf("takeover limit %s, want the bankruptcy price 101.50", in.Limit.String())
	}
	n := len(ev)
	ev, err = st.Execute(ev, id, []engine.Fill{fill("1", "101", street)})
	if err != nil {
		t.Fatal(err)
	}
	for k := n; k < len(ev); k++ {
		if e := &ev[k]; e.Kind == engine.Move && e.Why == engine.ClearanceFee && e.Amount.Cmp(d("1")) != 0 {
			t.Errorf("clearance fee %s, want 1.00 (capped above the remainder's reserve)", e.Amount.String())
		}
	}
	n = len(ev)
	if ev, err = st.ADL(ev, i, d("1"), 0); err != nil {
		t.Fatal(err)
	}
	for k := n; k < len(ev); k++ {
		if e := &ev[k]; e.Kind == engine.Trade && e.Price.Cmp(d("101.5")) != 0 {
			t.Errorf("ADL at %s, want the bankruptcy price 101.50", e.Price.String())
		}
	}
	if total(t, st).Cmp(t0) != 0 {
		t.Errorf("total %s, was %s", total(t, st).String(), t0.String())
	}
}

// TestDeribitSliceBeyondPosition: under Deribit's rules StepDown sends
// an IOC of Slice contracts, and none where the slice holds the whole
// position (the takeover's close), however large: a slice the context
// cannot hold to the lot (1e40) failed with ErrRange rounding it down.
// The long of 3 at 100 (margin 30) at a mark of 90.5.
func TestDeribitSliceBeyondPosition(t *testing.T) {
	for _, tt := range []struct {
		slice, want string // want: the IOC's quantity, "" for none
	}{{"2", "2"}, {"2.9", "2"}, {"3", ""}, {"3.5", ""}, {"1e40", ""}} {
		s := linear(t, "0.5", "1", "0.01")
		p := engine.PresetDeribit()
		p.Slice.Set(d(tt.slice))
		st, err := engine.New(derivmath.NewContext(), s, p)
		noErr(t, err)
		add(t, st, trader(t, s, "100000000", "", "0", "", "0.01"))
		h := add(t, st, trader(t, s, "0", "30", "3", "100", "0.01"))
		add(t, st, trader(t, s, "0", "1000", "-3", "100", "0.01"))
		noErr(t, st.SetMark(d("90.5")))
		if _, ok, err := st.Trigger(nil, h); err != nil || !ok {
			t.Fatalf("slice %s: Trigger: %v, %v", tt.slice, ok, err)
		}
		_, id, err := st.StepDown(nil, h)
		got := ""
		if in := st.Intent(id); id != 0 && in != nil {
			got = in.Qty.String()
		}
		if err != nil || got != tt.want {
			t.Errorf("slice %s: StepDown: IOC of %q, %v; want %q", tt.slice, got, err, tt.want)
		}
	}
}

// TestExecuteSettlesOnce: a liquidated account is settled (the fund pays
// a deficit, and takes the preset's LeftoverShare of what is left) once,
// when the fills close its position. Under Deribit's rules with a slice of
// 1 and a leftover share of 0.5, the long of 3 at 100 (margin 30) at a mark
// of 90.5 gets a slice IOC and a takeover IOC; the takeover fills in full
// at 90.5, leaving a margin of 1.5, of which the fund takes 0.75. Closing
// the slice's IOC, which filled nothing, with Execute and no fills must
// not take another share of the 0.75 left.
func TestExecuteSettlesOnce(t *testing.T) {
	s := linear(t, "0.5", "1", "0.01")
	p := engine.PresetDeribit()
	p.Slice.SetInt64(1)
	p.ClearanceFee.SetInt64(0)
	p.LeftoverShare.Set(d("0.5"))
	st := state(t, s, p)
	add(t, st, trader(t, s, "100000000", "", "0", "", "0.01"))
	h := add(t, st, trader(t, s, "0", "30", "3", "100", "0.01"))
	m := add(t, st, trader(t, s, "0", "1000", "-3", "100", "0.01"))
	noErr(t, st.SetMark(d("90.5")))
	ev, ok, err := st.Trigger(nil, h)
	if err != nil || !ok {
		t.Fatalf("Trigger: %v, %v", ok, err)
	}
	ev, slice, err := st.StepDown(ev, h)
	if err != nil || slice == 0 {
		t.Fatalf("StepDown: intent %d, %v", slice, err)
	}
	ev, id, err := st.Takeover(ev, h)
	noErr(t, err)
	ev, err = st.Execute(ev, id, []engine.Fill{fill("3", "90.5", m)})
	noErr(t, err)
	if got := &st.Trader(h).Margin; got.Cmp(d("0.75")) != 0 {
		t.Fatalf("margin after the close %s, want 0.75", got.String())
	}
	n := len(ev)
	ev, err = st.Execute(ev, slice, nil)
	noErr(t, err)
	if got := &st.Trader(h).Margin; got.Cmp(d("0.75")) != 0 {
		t.Errorf("closing the unfilled slice left a margin of %s, want 0.75; events:", got.String())
		for i := n; i < len(ev); i++ {
			t.Log(ev[i].String())
		}
	}
	if st.Intent(slice) != nil {
		t.Errorf("the slice's IOC is still open")
	}
}

// TestHyperliquidShortRatio: Preset.ShortRatio ranks Hyperliquid's
// profitable shorts by mark/entry as the docs print the score for both
// sides (the default), or by entry/mark. Long 1 bankrupt at 94 against two
// shorts of 1 with the same equity (1,036) and notional (94): A from 110
// (profit 16), B from 130 (profit 36). As printed A scores 94/110 and B
// 94/130, so ADL of 1 closes A, the smaller winner; mirrored A scores
// 110/94 and B 130/94, and it closes B.
func TestHyperliquidShortRatio(t *testing.T) {
	for _, tt := range []struct {
		ratio  engine.ShortRatio
		closed string
	}{
		{engine.ShortMarkOverEntry, "A"},
		{engine.ShortEntryOverMark, "B"},
	} {
		t.Run(tt.ratio.String(), func(t *testing.T) {
			s := linear(t, "0.01", "1", "0.01")
			p := engine.PresetHyperliquid()
			p.ShortRatio = tt.ratio
			st := state(t, s, p)
			noErr(t, st.SetMark(d("100")))
			h := add(t, st, trader(t, s, "0", "10", "2", "100", "0.01"))
			a := add(t, st, trader(t, s, "1020", "", "-1", "110", "0.01"))
			b := add(t, st, trader(t, s, "1000", "", "-1", "130", "0.01"))
			noErr(t, st.SetMark(d("94")))
			if _, err := st.ADL(nil, h, d("1"), 1); err != nil {
				t.Fatal(err)
			}
			got := map[bool]string{true: "A", false: "B"}[st.Trader(a).Qty.IsZero()]
			if got != tt.closed || st.Trader(a).Qty.IsZero() == st.Trader(b).Qty.IsZero() {
				t.Fatalf("ADL closed A %v, B %v; want %s", st.Trader(a).Qty.IsZero(), st.Trader(b).Qty.IsZero(), tt.closed)
			}
		})
	}
}

// TestClawbackSplit: Preset.Split shares a clawback among the winners
// (Deribit: "shared by the day's winners", the split unconfirmed). Deribit
// with a market close (so that the fill can lie past bankruptcy): a long
// 10 @ 100 closed at the fill leaves the empty fund short by the loss;
// three shorts from 100 are 10, 50 and 100 in profit at the mark 90.
// SplitProRata charges each loss/160 of its profit, rounded up; SplitEqual
// charges min(p, λ): for a loss of 90, λ = (90 - 10)/2 = 40; for 90.01,
// λ = 40.005 rounded up to 40.01, the fund keeping 0.01. A loss of 300
// (a margin of -200), above the profits, takes every profit whatever the
// split, and the fund stays 140 short.
func TestClawbackSplit(t *testing.T) {
	for _, tt := range []struct {
		split        engine.LossSplit
		margin, fill string
		want         [3]string
		fund         string
	}{
		{engine.SplitProRata, "10", "90", [3]string{"5.63", "28.13", "56.25"}, "0.01"},
		{engine.SplitEqual, "10", "90", [3]string{"10", "40", "40"}, "0"},
		{engine.SplitEqual, "9.99", "90", [3]string{"10", "40.01", "40.01"}, "0.01"},
		{engine.SplitProRata, "-200", "90", [3]string{"10", "50", "100"}, "-140"},
		{engine.SplitEqual, "-200", "90", [3]string{"10", "50", "100"}, "-140"},
	} {
		t.Run(tt.split.String()+" "+tt.margin+" "+tt.fill, func(t *testing.T) {
			s := linear(t, "0.01", "1", "0.01")
			p := engine.PresetDeribit()
			p.OrderPrice, p.Split = engine.AtMarket, tt.split
			st := state(t, s, p)
			var err error
			noErr(t, st.SetMark(d("100")))
			add(t, st, trader(t, s, "1000000", "", "0", "0", "0.005"))
			long := add(t, st, trader(t, s, "0", tt.margin, "10", "100", "0.005"))
			var w [3]int
			for k, q := range []string{"-1", "-5", "-10"} {
				w[k] = add(t, st, trader(t, s, "1000", "", q, "100", "0.005"))
			}
			add(t, st, trader(t, s, "100000", "", "6", "100", "0.005"))
			noErr(t, st.SetMark(d("90")))
			ev, id := takeover(t, st, nil, long)
			if ev, err = st.Execute(ev, id, []engine.Fill{fill("10", tt.fill, 0)}); err != nil {
				t.Fatal(err)
			}
			var before [3]apd.Decimal
			for k, j := range w {
				before[k].Set(&st.Trader(j).Wallet)
			}
			t0 := total(t, st)
			if _, err = st.Socialise(ev); err != nil {
				t.Fatal(err)
			}
			for k, j := range w {
				var c apd.Decimal
				_, _ = derivmath.NewContext().Sub(&c, &before[k], &st.Trader(j).Wallet)
				if c.Cmp(d(tt.want[k])) != 0 {
					t.Errorf("winner %d charged %s, want %s", k, c.String(), tt.want[k])
				}
			}
			var fund apd.Decimal
			st.FundBalance(&fund)
			if fund.Cmp(d(tt.fund)) != 0 || total(t, st).Cmp(t0) != 0 {
				t.Errorf("fund %s, want %s; total %s, was %s", fund.String(), tt.fund, total(t, st).String(), t0.String())
			}
		})
	}
}

// driftBankruptcy sets up a Drift market (USDC, minor unit 1e-6) where a
// long 10 @ 100 with the given margin closes at market at 90 against the
// street, leaving a loss of 100 - margin for the fund (balance fund) to
// cover; then 32 contracts stay open (the street's 10, shorts of 1, 5 and
// 10, a long of 6). It returns the state after the close.
func driftBankruptcy(t *testing.T, p *engine.Preset, margin, fund string) *engine.State {
	t.Helper()
	s := linear(t, "0.01", "1", "0.000001")
	st := state(t, s, p)
	var err error
	noErr(t, st.SetMark(d("100")))
	add(t, st, trader(t, s, "1000000", "", "0", "0", "0.005"))
	long := add(t, st, trader(t, s, "0", margin, "10", "100", "0.005"))
	for _, q := range []string{"-1", "-5", "-10"} {
		add(t, st, trader(t, s, "1000", "", q, "100", "0.005"))
	}
	add(t, st, trader(t, s, "100000", "", "6", "100", "0.005"))
	noErr(t, st.SetFund(d(fund)))
	noErr(t, st.SetMark(d("90")))
	ev, id := takeover(t, st, nil, long)
	if _, err = st.Execute(ev, id, []engine.Fill{fill("10", "90", 0)}); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestDriftInsuranceKeepsLastUnit: Drift's fund pays a bankruptcy's loss
// only down to its last minor unit, ifPay = min(|loss|, vault - 1, ...)
// (protocol-v2@0ae3e3b1 controller/liquidation.rs,
// resolve_perp_bankruptcy); the rest is socialised. A loss of 90 against a
// fund of 90: the fund pays 89.999999 and the 32 open contracts pay the
// last 0.000001, rounded up to 0.000001 each, so the fund ends at
// 0.000032. The engine used to pay all 90 and socialise nothing.
func TestDriftInsuranceKeepsLastUnit(t *testing.T) {
	st := driftBankruptcy(t, engine.PresetDrift(), "10", "90")
	t0 := total(t, st)
	ev, err := st.Socialise(nil)
	if err != nil {
		t.Fatal(err)
	}
	var fund apd.Decimal
	st.FundBalance(&fund)
	if fund.Cmp(d("0.000032")) != 0 || len(ev) != 5 || total(t, st).Cmp(t0) != 0 {
		t.Fatalf("fund %s after %d charges, want 0.000032 after 5\n%s", fund.String(), len(ev), enginetest.EventsText(ev))
	}
}

// TestDriftInsuranceCap: with Preset.CapInsurance the fund pays at most
// MaxInsurance (Drift's quote_max_insurance less quote_settled_insurance)
// toward the bankruptcies it covers, counted across them, and the 32 open
// contracts pay the rest, loss/32 each rounded up; without it only the
// last minor unit is kept. A cap off the minor unit (0.000001) pays what
// it holds rounded down. A loss of 90 (margin 10) or 95 (margin 5). A
// cap of 1e28, which the context cannot hold to the minor unit, binds
// nothing: Execute failed with ErrRange rounding it down.
func TestDriftInsuranceCap(t *testing.T) {
	for _, tt := range []struct {
		name              string
		capped            bool
		max, fund, margin string
		want, unpaid      string // the fund after S8; Unsocialised before it
	}{
		{"no cap, fund covers", false, "0", "1000", "10", "910", "0"},
		{"no cap, empty fund", false, "0", "0", "10", "0", "90"},
		{"cap 50", true, "50", "1000", "10", "950", "40"},
		{"cap 0", true, "0", "1000", "10", "1000", "90"},
		{"cap 50 above what the fund holds", true, "50", "30", "10", "0.000032", "60.000001"},
		{"cap 100 above the loss", true, "100", "1000", "5", "905", "0"},
		{"cap off the minor unit, rounded down", true, "50.0000005", "1000", "10", "950", "40"},
		{"cap far above the loss", true, "1e28", "1000", "10", "910", "0"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := engine.PresetDrift()
			p.CapInsurance = tt.capped
			p.MaxInsurance.Set(d(tt.max))
			st := driftBankruptcy(t, p, tt.margin, tt.fund)
			var unpaid, fund apd.Decimal
			st.Unsocialised(&unpaid)
			t0 := total(t, st)
			if _, err := st.Socialise(nil); err != nil {
				t.Fatal(err)
			}
			st.FundBalance(&fund)
			var left apd.Decimal
			st.Unsocialised(&left)
			if unpaid.Cmp(d(tt.unpaid)) != 0 || fund.Cmp(d(tt.want)) != 0 || !left.IsZero() || total(t, st).Cmp(t0) != 0 {
				t.Fatalf("unsocialised %s, fund after S8 %s (then %s left); want %s, %s, 0", unpaid.String(), fund.String(), left.String(), tt.unpaid, tt.want)
			}
		})
	}
}

// TestDriftInsuranceCapCounts: the cap counts what the fund has paid
// before. Cap 120: a first loss of 90 is paid in full; of a second, on a
// clone, only 30, and a clone keeps the 60 left unsocialised.
func TestDriftInsuranceCapCounts(t *testing.T) {
	p := engine.PresetDrift()
	p.CapInsurance = true
	p.MaxInsurance.Set(d("120"))
	st := driftBankruptcy(t, p, "10", "1000")
	var unpaid apd.Decimal
	st.Unsocialised(&unpaid)
	if !unpaid.IsZero() {
		t.Fatalf("first loss: unsocialised %s, want 0", unpaid.String())
	}
	// A second bankrupt long of 10 @ 90 with margin 10, closed at 80, on
	// a clone: Clone keeps what the fund has paid.
	st = st.Clone()
	s := st.Spec()
	i := add(t, st, trader(t, s, "0", "10", "10", "90", "0.005"))
	add(t, st, trader(t, s, "100000", "", "-10", "90", "0.005"))
	noErr(t, st.SetMark(d("80")))
	ev, id := takeover(t, st, nil, i)
	if _, err := st.Execute(ev, id, []engine.Fill{fill("10", "80", 0)}); err != nil {
		t.Fatal(err)
	}
	st.Unsocialised(&unpaid)
	if unpaid.Cmp(d("60")) != 0 {
		t.Fatalf("second loss of 90: unsocialised %s, want 60 (the cap's last 30 paid)", unpaid.String())
	}
	st.Clone().Unsocialised(&unpaid)
	if unpaid.Cmp(d("60")) != 0 {
		t.Fatalf("a clone's unsocialised loss %s, want 60", unpaid.String())
	}
}

// TestDYDXSpreadBeyondPrice: a SpreadToMaintenance whose spread
// SMMR*MMF*ABR is the whole oracle price or more (here MMF 5% and ABR 1:
// SMMR 20, 1e6) leaves dYdX's fillable price for closing a long at zero
// or below; Validate accepts it (dYdX bounds SMMR only by its ppm type),
// and the sell is then limited at one tick, the lowest price a book
// quotes, as every limit the engine sets: a step-down's IOC and the
// takeover's. A long 500 @ 1 with 100 of margin at the oracle 0.79
// (equity -5: ABR 1) is liquidatable; the step-down sells
// floor(100/0.79) = 126, the takeover all 500.
func TestDYDXSpreadBeyondPrice(t *testing.T) {
	for _, smmr := range []string{"20", "1e6"} {
		t.Run(smmr, func(t *testing.T) {
			s := linear(t, "0.01", "1", "0.000001")
			p := engine.PresetDYDX()
			p.SpreadToMaintenance.Set(d(smmr))
			st, err := engine.New(derivmath.NewContext(), s, p)
			if err != nil {
				t.Fatalf("New (Validate): %v", err)
			}
			noErr(t, st.SetMark(d("1")))
			noErr(t, st.SetFund(d("1000")))
			b := add(t, st, trader(t, s, "100", "", "500", "1", "0.05"))
			other := add(t, st, trader(t, s, "100", "", "-500", "1", "0.05"))
			noErr(t, st.SetMark(d("0.79")))
			ev, ok, err := st.Trigger(nil, b)
			if err != nil || !ok {
				t.Fatalf("trigger: %v %v", ok, err)
			}
			ev, id, err := st.StepDown(ev, b)
			if err != nil || id == 0 {
				t.Fatalf("step-down: intent %d, %v; want a partial close", id, err)
			}
			if in := st.Intent(id); in.Side != engine.Sell || in.Qty.Cmp(d("126")) != 0 || in.Limit.Cmp(d("0.01")) != 0 {
				t.Fatalf("step-down intent %v %s @ %s, want Sell 126 @ 0.01", in.Side, in.Qty.String(), in.Limit.String())
			}
			if ev, err = st.Withdraw(ev, id); err != nil {
				t.Fatal(err)
			}
			t0 := total(t, st)
			ev, id, err = st.Takeover(ev, b)
			if err != nil || id == 0 {
				t.Fatalf("takeover: intent %d, %v", id, err)
			}
			if in := st.Intent(id); in.Side != engine.Sell || in.Qty.Cmp(d("500")) != 0 || in.Limit.Cmp(d("0.01")) != 0 {
				t.Fatalf("takeover intent %v %s @ %s, want Sell 500 @ 0.01", in.Side, in.Qty.String(), in.Limit.String())
			}
			if _, err = st.Execute(ev, id, []engine.Fill{fill("500", "0.79", other)}); err != nil {
				t.Fatalf("execute at the oracle: %v", err)
			}
			if st.Trader(b).Qty.Sign() != 0 || total(t, st).Cmp(t0) != 0 {
				t.Fatalf("after the fill: position %s, total %s, was %s", st.Trader(b).Qty.String(), total(t, st).String(), t0.String())
			}
		})
	}
}
