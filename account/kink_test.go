package account_test

import (
	"testing"

	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/liquidation"
)

// leg is a Bybit cross position of a test account, entered at 50000 at
// 10x, every mark 50000.
type leg struct {
	spec     *contract.Spec
	side     account.Side
	qty, fee string
	mmr      string
}

// bybitCross returns a Bybit account with wallet in BTC and the legs, in
// their order, the marks set first in the order of specs (the account
// knows the contracts in that order).
func bybitCross(t *testing.T, wallet string, specs []*contract.Spec, legs []leg) *account.Account {
	t.Helper()
	a, err := account.New(derivmath.NewContext(), liquidation.Bybit)
	noErr(t, err)
	for _, s := range specs {
		noErr(t, a.SetMark(s, d("50000")))
	}
	noErr(t, a.SetWallet("BTC", d(wallet)))
	for _, l := range legs {
		p := &account.Position{Spec: l.spec, Side: l.side, Mode: account.Cross}
		p.Qty.Set(d(l.qty))
		p.Entry.Set(d("50000"))
		p.Leverage.Set(d("10"))
		if l.mmr != "" {
			p.MMR.Set(d(l.mmr))
		}
		if l.fee != "" {
			p.Fee.Set(d(l.fee))
		}
		noErr(t, a.Set(p))
	}
	return a
}

// liquidatableAtMarks checks a.Liquidatable with s's mark at each price,
// and puts the mark back to 50000.
func liquidatableAtMarks(t *testing.T, a *account.Account, s *contract.Spec, want map[string]bool) {
	t.Helper()
	for x, w := range want {
		noErr(t, a.SetMark(s, d(x)))
		if a.Liquidatable() != w {
			t.Errorf("%s at %s: liquidatable %v, want %v", s.Symbol, x, a.Liquidatable(), w)
		}
	}
	noErr(t, a.SetMark(s, d("50000")))
}

// TestBybitOwnHedgeBesideMovingFee: under Bybit's rules, a hedge whose
// legs cancel on the position's own contract (10000 long and 10000 short
// BTCUSD at 50000, fees of 0.00001 BTC given) makes no PnL at any price of
// that contract, so the account is liquidatable at every price of it or
// at none: here at none (Never), with 0.0001 BTC beside a hedge of 10000
// long and 10002 short BTCUSD_Q, whose fee to close at the account's
// bankruptcy price moves with the equity (0.0000053 BTC at the marks, the
// cross equity less maintenance 0.000005 BTC). That fee grows faster than
// the equity as the equity rises, so the gap of a PnL the position cannot
// make has a root at a PnL of +0.00002 BTC: a walk that took it for one
// reported liquidation.Always (the solver, with the fee at that PnL and
// no PnL of its own, sees the gap below 0 at every price).
func TestBybitOwnHedgeBesideMovingFee(t *testing.T) {
	perp, dated := inverseBTC(t, "BTCUSD", "0.00055"), inverseBTC(t, "BTCUSD_Q", "0.0005")
	a := bybitCross(t, "0.0001", []*contract.Spec{perp, dated}, []leg{
		{spec: perp, side: account.Long, qty: "10000", fee: "0.00001"},
		{spec: perp, side: account.Short, qty: "-10000", fee: "0.00001"},
		{spec: dated, side: account.Long, qty: "10000"},
		{spec: dated, side: account.Short, qty: "-10002"},
	})
	for i := 0; i < 2; i++ {
		for _, r := range []liquidation.Rounding{liquidation.Exact, liquidation.TowardEntry} {
			z := report(t, a, i, r)
			if z.LiquidationStatus != liquidation.Never || z.Liquidatable {
				t.Errorf("position %d, %v: liquidation %v %s, liquidatable %v; want Never, false", i, r, z.LiquidationStatus, z.Liquidation.String(), z.Liquidatable)
			}
		}
	}
	liquidatableAtMarks(t, a, perp, map[string]bool{"1000": false, "49999.5": false, "50000": false, "50000.5": false, "10000000": false})
}

// TestBybitThresholdAtMarks: under Bybit's rules, where the cross equity
// less maintenance G is exactly 0 at the marks (no flat hedge), beside a
// fee to close that moves with the position's PnL, the account is at its
// threshold there (liquidatable), and the liquidation price is the mark
// when G rises as the position gains, Always when it falls both ways.
//
// At a kink: 0.00004 BTC, a long of 10000 BTCUSD (fee 0.00004 BTC given),
// beside a hedge of 10000 long and 10002 short BTCUSD_Q: the hedge's fee
// is 0 at the marks, and at its kink there (its bankruptcy price is
// infinite; x = (0.00004 - 0.00004)/den). G falls with slope 1 as the long
// loses, and by 0.25 of the gain as it gains (the hedge's fee grows by
// 1.25 times it): 0 at the marks, below it at every other price. Always.
//
// On a segment: 0.002199 BTC, a long of 10000 BTCUSD (MMR 0.5%, fee
// 0.001 given: maintenance 0.002) beside a short of 20000 BTCUSD_Q whose
// fee is 0.0005*20000*x with x = 0.397801/19990 = 0.0000199 (0.000199
// BTC): G is 0 at the marks and rises with the long's gain. The
// liquidation price is the mark, 50000.
func TestBybitThresholdAtMarks(t *testing.T) {
	perp, dated := inverseBTC(t, "BTCUSD", "0.00055"), inverseBTC(t, "BTCUSD_Q", "0.0005")
	a := bybitCross(t, "0.00004", []*contract.Spec{perp, dated}, []leg{
		{spec: perp, side: account.OneWay, qty: "10000", fee: "0.00004"},
		{spec: dated, side: account.Long, qty: "10000"},
		{spec: dated, side: account.Short, qty: "-10002"},
	})
	var s account.Summary
	noErr(t, a.Summary(&s, "BTC"))
	if s.Equity.Cmp(d("0.00004")) != 0 || s.Maintenance.Cmp(d("0.00004")) != 0 || !s.Liquidatable {
		t.Fatalf("at a kink: equity %s, maintenance %s, liquidatable %v; want 0.00004, 0.00004, true", s.Equity.String(), s.Maintenance.String(), s.Liquidatable)
	}
	for _, r := range []liquidation.Rounding{liquidation.Exact, liquidation.TowardEntry} {
		if z := report(t, a, 0, r); z.LiquidationStatus != liquidation.Always || !z.Liquidation.IsZero() {
			t.Errorf("at a kink, %v: liquidation %v %s, want Always", r, z.LiquidationStatus, z.Liquidation.String())
		}
	}
	liquidatableAtMarks(t, a, perp, map[string]bool{"1000": true, "49999.5": true, "50000.5": true, "60000": true, "10000000": true})

	a = bybitCross(t, "0.002199", []*contract.Spec{perp, dated}, []leg{
		{spec: perp, side: account.OneWay, qty: "10000", fee: "0.001", mmr: "0.005"},
		{spec: dated, side: account.OneWay, qty: "-20000"},
	})
	noErr(t, a.Summary(&s, "BTC"))
	if s.Equity.Cmp(d("0.002199")) != 0 || s.Maintenance.Cmp(d("0.002199")) != 0 || !s.Liquidatable {
		t.Fatalf("on a segment: equity %s, maintenance %s, liquidatable %v; want 0.002199, 0.002199, true", s.Equity.String(), s.Maintenance.String(), s.Liquidatable)
	}
	for _, r := range []liquidation.Rounding{liquidation.Exact, liquidation.TowardEntry} {
		if z := report(t, a, 0, r); z.LiquidationStatus != liquidation.Found || z.Liquidation.Cmp(d("50000")) != 0 || !z.Distance.IsZero() {
			t.Errorf("on a segment, %v: liquidation %v %s (distance %s), want Found 50000 (0)", r, z.LiquidationStatus, z.Liquidation.String(), z.Distance.String())
		}
	}
	liquidatableAtMarks(t, a, perp, map[string]bool{"49999.5": true, "50000.5": false, "90000": false})
}

// TestBybitKinksInOrder: under Bybit's rules, where the fees to close of
// two other inverse contracts move with the position's PnL and both
// reach 0 between the marks and the root, the root lies on the segment
// between the kinks, with the slope of that segment. 0.05 BTC, a long of
// 100000 BTCUSD (worth 2 BTC; MMR 1.495% and a fee of 0.0001 given:
// maintenance 0.03), shorts of 2000 BTCUSD_Z (taker 0.075%) and 1000
// BTCUSD_Q (taker 0.05%), whose fees are 0 at the marks (their entry
// values, 0.04 and 0.02 BTC, are within the rest of the equity): as the
// long loses d, BTCUSD_Z's fee is positive past d = -0.01, BTCUSD_Q's past
// -0.03, and G = 0.02 + d - a*(-0.01 - d) there (a = 0.00075/0.99925) is 0
// at d = -0.019993: at the reported price the equity is the maintenance.
// The account knows the contracts in either order: a walk that took the
// first or the last kink it came to, not the nearest, skips BTCUSD_Z's.
func TestBybitKinksInOrder(t *testing.T) {
	perp, dated := inverseBTC(t, "BTCUSD", "0.00055"), inverseBTC(t, "BTCUSD_Q", "0.0005")
	z := inverseBTC(t, "BTCUSD_Z", "0.00075")
	for _, specs := range [][]*contract.Spec{{perp, z, dated}, {perp, dated, z}} {
		a := bybitCross(t, "0.05", specs, []leg{
			{spec: perp, side: account.OneWay, qty: "100000", fee: "0.0001", mmr: "0.01495"},
			{spec: z, side: account.OneWay, qty: "-2000"},
			{spec: dated, side: account.OneWay, qty: "-1000"},
		})
		r := report(t, a, 0, liquidation.Exact)
		if r.LiquidationStatus != liquidation.Found {
			t.Fatalf("%s second: liquidation %v, want Found", specs[1].Symbol, r.LiquidationStatus)
		}
		noErr(t, a.SetMark(perp, &r.Liquidation))
		var s account.Summary
		noErr(t, a.Summary(&s, "BTC"))
		if !within(&s.Equity, &s.Maintenance, &s.Maintenance, "1e-15") {
			t.Errorf("%s second: at %s equity %s, maintenance %s", specs[1].Symbol, r.Liquidation.String(), s.Equity.String(), s.Maintenance.String())
		}
	}
}

// TestBybitTowardEntryBothTicksLiquidatable: Report moves a liquidation
// price rounded toward the entry to the tick on the other side of the
// exact price only when the account is not liquidatable there; where the
// gap's roots lie within a tick of each other, both ticks are
// liquidatable and the solver's tick stands. A short of 1 BTCUSD (fee
// 0.0000399999 BTC given) with 0.0000100006 BTC beside a hedge of 10000
// long and 10002 short BTCUSD_Q: G reaches 0.0000000001 BTC at most, at
// the kink near 20000.24, and is above 0 only between 20000.08 and
// 20000.28 (exact 20000.28000392005488). Toward the entry that is 20000.0;
// the account is liquidatable there and at 20000.5.
func TestBybitTowardEntryBothTicksLiquidatable(t *testing.T) {
	perp, dated := inverseBTC(t, "BTCUSD", "0.00055"), inverseBTC(t, "BTCUSD_Q", "0.0005")
	a := bybitCross(t, "0.0000100006", []*contract.Spec{perp, dated}, []leg{
		{spec: perp, side: account.OneWay, qty: "-1", fee: "0.0000399999"},
		{spec: dated, side: account.Long, qty: "10000"},
		{spec: dated, side: account.Short, qty: "-10002"},
	})
	x, r := report(t, a, 0, liquidation.Exact), report(t, a, 0, liquidation.TowardEntry)
	if x.Liquidation.String() != "20000.28000392005488" || r.Liquidation.String() != "20000.0" {
		t.Errorf("exact %s, toward the entry %s; want 20000.28000392005488, 20000.0", x.Liquidation.String(), r.Liquidation.String())
	}
	liquidatableAtMarks(t, a, perp, map[string]bool{"20000": true, "20000.1": false, "20000.2": false, "20000.5": true})
}

// TestBybitTouchIsNoBoundary: under Bybit's rules, where the cross
// equity less maintenance G reaches 0 at a kink from below and falls
// again beyond it, the account is at or past its threshold at every
// price: liquidation.Always, as where that kink is at the marks
// (TestBybitThresholdAtMarks). 0.0001 BTC, a long of 10000 BTCUSD (fee
// 0.00004 BTC given) beside a hedge of 10000 long and 10002 short
// BTCUSD_Q: G is 0.00004 - 0.00004 = 0 where the hedge's fee reaches 0
// (a loss of 0.00006 BTC, near 49985.0045), below 0 on either side of
// it. Report gave that price, Found, where the account touches its
// threshold and does not leave it. So with other wallets and positions,
// the kink elsewhere: G at the kink, from the fixed points' quotients,
// would be a unit in the last digit off 0 there, either way.
func TestBybitTouchIsNoBoundary(t *testing.T) {
	perp, dated := inverseBTC(t, "BTCUSD", "0.00055"), inverseBTC(t, "BTCUSD_Q", "0.0005")
	for _, w := range []string{"0.0001", "0.00001", "0.00003", "0.00007", "0.000123", "0.0002", "0.0003333"} {
		for _, q := range []string{"10000", "-10000", "777", "-31"} {
			a := bybitCross(t, w, []*contract.Spec{perp, dated}, []leg{
				{spec: perp, side: account.OneWay, qty: q, fee: "0.00004"},
				{spec: dated, side: account.Long, qty: "10000"},
				{spec: dated, side: account.Short, qty: "-10002"},
			})
			for _, r := range []liquidation.Rounding{liquidation.Exact, liquidation.TowardEntry} {
				if z := report(t, a, 0, r); z.LiquidationStatus != liquidation.Always || !z.Liquidation.IsZero() || !z.Liquidatable {
					t.Errorf("wallet %s, %s BTCUSD, %v: liquidation %v %s, liquidatable %v; want Always", w, q, r, z.LiquidationStatus, z.Liquidation.String(), z.Liquidatable)
				}
			}
			want := map[string]bool{"1000": true, "49985": true, "49985.5": true, "50000": true, "60000": true}
			if w == "0.0001" && q == "10000" {
				want["49985.00449865040488"] = true
			}
			liquidatableAtMarks(t, a, perp, want)
		}
	}
}

// TestBybitRootAtKink: under Bybit's rules, where the cross equity less
// maintenance G falls to 0 exactly at a kink, from above, the liquidation
// price is the kink's. 0.05 BTC, a long of 100000 BTCUSD (maintenance
// 0.03 BTC, as in TestBybitKinksInOrder) beside a short of 1500 BTCUSD_Q,
// worth 0.03 BTC at its entry, whose fee is 0 at the marks and positive
// once the long has lost 0.02 BTC: G is 0.02 + d down to there, 0 at
// d = -0.02, the price 100000/2.02 = 49504.95.
func TestBybitRootAtKink(t *testing.T) {
	perp, dated := inverseBTC(t, "BTCUSD", "0.00055"), inverseBTC(t, "BTCUSD_Q", "0.0005")
	a := bybitCross(t, "0.05", []*contract.Spec{perp, dated}, []leg{
		{spec: perp, side: account.OneWay, qty: "100000", fee: "0.0001", mmr: "0.01495"},
		{spec: dated, side: account.OneWay, qty: "-1500"},
	})
	r := report(t, a, 0, liquidation.Exact)
	want := quo(d("100000"), d("2.02"))
	if r.LiquidationStatus != liquidation.Found || !within(&r.Liquidation, want, want, "1e-18") {
		t.Fatalf("liquidation %v %s, want Found %s", r.LiquidationStatus, r.Liquidation.String(), want.String())
	}
	liquidatableAtMarks(t, a, perp, map[string]bool{"49504.5": true, "49505": false, "50000": false})
}

// TestBybitTowardEntryTopTick: where the tick across the exact price
// cannot be written in the context's precision, Report keeps the tick the
// solver rounded to. A short of 5e17 of an inverse contract of 1 USD at
// 5e17 (worth 1 BTC; MMR 60%, fee 0.1000000000000000001 BTC given) with
// 1.2 BTC beside a short of 1000 BTCUSD_Q (its moving fee 0 at every
// price of the short's contract): liquidated at a loss of
// 0.4999999999999999999 BTC, at 5e17/0.5000000000000000001 =
// 999999999999999999.8 in 19 digits (never bankrupt: its loss is below
// 1 BTC at every price). Toward the entry that is 999999999999999999.5;
// the tick above, 1e18 in steps of 0.5, needs 20 digits.
func TestBybitTowardEntryTopTick(t *testing.T) {
	a, err := account.New(derivmath.NewContext(), liquidation.Bybit)
	noErr(t, err)
	big, err := contract.New(contract.Params{Symbol: "BIG", Kind: contract.Inverse, Settle: "BTC", Multiplier: "1", Tick: "0.5", Lot: "1", Taker: "0.00055"})
	noErr(t, err)
	dated := inverseBTC(t, "BTCUSD_Q", "0.0005")
	noErr(t, a.SetMark(big, d("5e17")))
	noErr(t, a.SetMark(dated, d("50000")))
	noErr(t, a.SetWallet("BTC", d("1.2")))
	p := &account.Position{Spec: big, Side: account.OneWay, Mode: account.Cross}
	p.Qty.Set(d("-500000000000000000"))
	p.Entry.Set(d("500000000000000000"))
	p.Leverage.Set(d("10"))
	p.Fee.Set(d("0.1000000000000000001"))
	p.MMR.Set(d("0.6"))
	noErr(t, a.Set(p))
	h := &account.Position{Spec: dated, Side: account.OneWay, Mode: account.Cross}
	h.Qty.Set(d("-1000"))
	h.Entry.Set(d("50000"))
	h.Leverage.Set(d("10"))
	noErr(t, a.Set(h))
	x, r := report(t, a, 0, liquidation.Exact), report(t, a, 0, liquidation.TowardEntry)
	if x.Liquidation.String() != "999999999999999999.8" || r.LiquidationStatus != liquidation.Found || r.Liquidation.String() != "999999999999999999.5" || r.BankruptcyStatus != liquidation.Never {
		t.Errorf("exact %s, toward the entry %v %s (bankruptcy %v); want 999999999999999999.8, Found 999999999999999999.5 (Never)",
			x.Liquidation.String(), r.LiquidationStatus, r.Liquidation.String(), r.BankruptcyStatus)
	}
}

// TestBybitTowardEntryUncomputableTick: Report judges a tick at which the
// account cannot be computed not safe. In a context whose MaxExponent is
// 10, a short of 99999900000 of an inverse contract of 1 USD (fee 500000
// BTC given) at 1.00000075, with 1000000 BTC beside a hedge of 1250000000
// long and 1251000000 short at 1 on another inverse contract (whose fee
// grows faster than the equity as the short gains): the exact price is
// 0.9999994974984375071, where the solver, rounding toward the entry,
// gives 0.999999, at which the short is worth 1e11 BTC, past the
// context's range (SetMark fails there); the account is not liquidatable
// at 1.000000, the tick Report gives.
func TestBybitTowardEntryUncomputableTick(t *testing.T) {
	ctx := derivmath.NewContext()
	ctx.MaxExponent = 10
	a, err := account.New(ctx, liquidation.Bybit)
	noErr(t, err)
	own, err := contract.New(contract.Params{Symbol: "OWN", Kind: contract.Inverse, Settle: "BTC", Multiplier: "1", Tick: "0.000001", Lot: "1", Taker: "0.00055"})
	noErr(t, err)
	hedge, err := contract.New(contract.Params{Symbol: "HEDGE", Kind: contract.Inverse, Settle: "BTC", Multiplier: "1", Tick: "0.000001", Lot: "1", Taker: "0.0005"})
	noErr(t, err)
	noErr(t, a.SetMark(own, d("1.00000075")))
	noErr(t, a.SetMark(hedge, d("1")))
	noErr(t, a.SetWallet("BTC", d("1000000")))
	for _, l := range []struct {
		spec       *contract.Spec
		side       account.Side
		qty, entry string
		fee        string
	}{{own, account.OneWay, "-99999900000", "1.00000075", "500000"}, {hedge, account.Long, "1250000000", "1", "0"}, {hedge, account.Short, "-1251000000", "1", "0"}} {
		p := &account.Position{Spec: l.spec, Side: l.side, Mode: account.Cross}
		p.Qty.Set(d(l.qty))
		p.Entry.Set(d(l.entry))
		p.Leverage.Set(d("10"))
		p.Fee.Set(d(l.fee))
		noErr(t, a.Set(p))
	}
	x, r := report(t, a, 0, liquidation.Exact), report(t, a, 0, liquidation.TowardEntry)
	if x.Liquidation.String() != "0.9999994974984375071" || r.Liquidation.String() != "1.000000" {
		t.Errorf("exact %s, toward the entry %s; want 0.9999994974984375071, 1.000000", x.Liquidation.String(), r.Liquidation.String())
	}
	if err := a.SetMark(own, d("0.999999")); err == nil {
		t.Error("SetMark at 0.999999: no error")
	}
	for _, m := range []string{"1.00000075", "1", "1.000001"} {
		noErr(t, a.SetMark(own, d(m)))
		if a.Liquidatable() {
			t.Errorf("at %s: liquidatable", m)
		}
	}
}
