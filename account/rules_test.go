package account_test

import (
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
)

// report returns position i's report, rounded per r.
func report(t *testing.T, a *account.Account, i int, r liquidation.Rounding) *account.Report {
	t.Helper()
	var z account.Report
	noErr(t, a.Report(&z, i, r))
	return &z
}

// TestBitMEXInverseShortAtOneX: an isolated inverse short at 1x or less
// can lose at most its margin (its loss tends to its entry value as the
// price rises), so BitMEX never liquidates it: posComm = posMaint = 0 and
// a liquidation price of 100000000. At 2x it is liquidated, and so is an
// inverse long at 1x (bankrupt at half the entry price).
func TestBitMEXInverseShortAtOneX(t *testing.T) {
	for _, c := range []struct {
		qty, lev, margin string
		never            bool
		solver           liquidation.Status // the solver alone, for never
	}{
		{"-1000", "1", "0.1", true, liquidation.Found},   // 1000 USD at 10000: 0.1 XBT, all of it
		{"-1000", "0.5", "0.2", true, liquidation.Never}, // below 1x: a margin above the entry value
		{"-1000", "2", "0.05", false, 0},
		{"1000", "1", "0.1", false, 0}, // a long at 1x is bankrupt at 5000
	} {
		a, err := account.New(derivmath.NewContext(), liquidation.BitMEX)
		noErr(t, err)
		xbt := contract.XBTUSD()
		noErr(t, a.SetMark(xbt, d("10000")))
		p := &account.Position{Spec: xbt, Side: account.OneWay, Mode: account.Isolated}
		p.Qty.Set(d(c.qty))
		p.Entry.Set(d("10000"))
		p.Leverage.Set(d(c.lev))
		p.Margin.Set(d(c.margin))
		p.MMR.Set(d("0.005"))
		noErr(t, a.Set(p))
		r := report(t, a, 0, liquidation.TowardEntry)
		if c.never {
			if r.LiquidationStatus != liquidation.Never || r.BankruptcyStatus != liquidation.Never || !r.Maintenance.IsZero() || !r.Fee.IsZero() {
				t.Errorf("%s at %sx: %v %v, maintenance %s, fee %s; want Never, Never, 0, 0", c.qty, c.lev, r.LiquidationStatus, r.BankruptcyStatus, r.Maintenance.String(), r.Fee.String())
			}
			// Not liquidatable at any mark.
			noErr(t, a.SetMark(xbt, d("90000000")))
			if a.Liquidatable() {
				t.Errorf("%s at %sx: liquidatable at 90000000", c.qty, c.lev)
			}
			// The solver alone, with BitMEX's fields, says Found at 1x (at a
			// price near infinity, where the margin left exactly covers the
			// maintenance): the rule is the account's. Below 1x the margin
			// exceeds the entry value and the solver says Never too.
			la := &liquidation.Account{Spec: xbt, Convention: liquidation.BitMEX, Legs: []liquidation.Leg{{}}}
			la.Legs[0].Qty.Set(d(c.qty))
			la.Legs[0].Entry.Set(d("10000"))
			la.Legs[0].MMR.Set(d("0.005"))
			la.Balance.Set(d(c.margin))
			var z apd.Decimal
			st, err := liquidation.Price(derivmath.NewContext(), &z, la, liquidation.TowardEntry)
			noErr(t, err)
			if st != c.solver {
				t.Errorf("%s at %sx: the solver alone says %v %s, want %v", c.qty, c.lev, st, z.String(), c.solver)
			}
			continue
		}
		if r.LiquidationStatus != liquidation.Found || r.BankruptcyStatus != liquidation.Found {
			t.Errorf("%s at %sx: %v %v, want Found", c.qty, c.lev, r.LiquidationStatus, r.BankruptcyStatus)
		}
	}
}

// TestBitMEXOneCeiling: with a funding reserve, posMaint is one ceiling of
// the summed rates times |posCost|, plus posComm: a long of 1 XBTUSD with
// posCost 15681 XBt, MMR 0.5% and funding 0.01% holds ceil(0.0051 *
// 15681) = ceil(79.9731) = 80 XBt, not ceil(78.405) + ceil(1.5681) = 81.
func TestBitMEXOneCeiling(t *testing.T) {
	a, err := account.New(derivmath.NewContext(), liquidation.BitMEX)
	noErr(t, err)
	xbt := contract.XBTUSD()
	noErr(t, a.SetMark(xbt, d("6382")))
	p := &account.Position{Spec: xbt, Side: account.OneWay, Mode: account.Isolated}
	p.Qty.Set(d("1"))
	p.Entry.Set(d("6377"))
	p.Leverage.Set(d("100"))
	p.Cost.Set(d("0.00015681"))
	p.Fee.Set(d("0.00000012"))
	p.Margin.Set(d("0.00000169"))
	p.MMR.Set(d("0.005"))
	p.Funding.Set(d("0.0001"))
	noErr(t, a.Set(p))
	r := report(t, a, 0, liquidation.TowardEntry)
	if r.Maintenance.Cmp(d("0.00000092")) != 0 {
		t.Errorf("posMaint %s, want 0.00000092 (80 + 12 XBt)", r.Maintenance.String())
	}
	// Two separately rounded parts, as margin.BitMEXPosition computes a
	// reserve given in XBt, give one more.
	bp := margin.BitMEXPosition{}
	bp.Cost.Set(d("-15681"))
	bp.InitMarginReq.Set(d("0.01"))
	bp.MaintMarginReq.Set(d("0.005"))
	bp.Commission.Set(d("0.00075"))
	bp.FundingReserve.Set(d("1.5681"))
	var z margin.BitMEX
	noErr(t, bp.Margin(derivmath.NewContext(), &z))
	if z.Maint.Cmp(d("93")) != 0 {
		t.Errorf("two ceilings: %s, want 93", z.Maint.String())
	}
}

// TestBybitInverseCrossFee: the fee to close of an inverse cross position
// is charged at the bankruptcy price that already includes it. A long of
// 10000 BTCUSD (1 USD each) at 50000 with 0.05 BTC in the wallet, taker
// 0.055%: with x = 1/P, bankruptcy is 0.05 + 0.2 - 10000x = 5.5x, so x =
// 0.25/10005.5 and P_B = 40022 exactly (the fee-free 40000 would charge
// 0.0001375 BTC instead of 0.25*5.5/10005.5). A short of the same at 50000
// is bankrupt at 9994.5/0.15 = 66630.
func TestBybitInverseCrossFee(t *testing.T) {
	hc := apd.BaseContext.WithPrecision(50)
	for _, c := range []struct {
		qty, bust string
		num, den  string // x = num/den
	}{
		{"10000", "40022", "0.25", "10005.5"},
		{"-10000", "66630", "0.15", "9994.5"},
	} {
		a, err := account.New(derivmath.NewContext(), liquidation.Bybit)
		noErr(t, err)
		inv := inverseBTC(t, "BTCUSD", "0.00055")
		noErr(t, a.SetWallet("BTC", d("0.05")))
		noErr(t, a.SetMark(inv, d("50000")))
		p := &account.Position{Spec: inv, Side: account.OneWay, Mode: account.Cross}
		p.Qty.Set(d(c.qty))
		p.Entry.Set(d("50000"))
		p.Leverage.Set(d("10"))
		p.MMR.Set(d("0.005"))
		noErr(t, a.Set(p))
		r := report(t, a, 0, liquidation.Exact)
		if r.BankruptcyStatus != liquidation.Found || r.Bankruptcy.Cmp(d(c.bust)) != 0 {
			t.Errorf("%s: bankruptcy %v %s, want %s", c.qty, r.BankruptcyStatus, r.Bankruptcy.String(), c.bust)
		}
		// fee = 5.5 * x; liquidation: equity = 0.001 + fee.
		var x, fee, rhs, pl apd.Decimal
		_, _ = hc.Quo(&x, d(c.num), d(c.den))
		_, _ = hc.Mul(&fee, d("5.5"), &x)
		if !within(&r.Fee, &fee, &fee, "1e-18") {
			t.Errorf("%s: fee %s, want %s", c.qty, r.Fee.String(), fee.String())
		}
		// long: 0.25 - 10000/P = 0.001 + fee -> P = 10000/(0.249 - fee)
		// short: 0.05 + 10000/P - 0.2 = 0.001 + fee -> P = 10000/(0.151 + fee)
		if c.qty[0] == '-' {
			_, _ = hc.Add(&rhs, d("0.151"), &fee)
		} else {
			_, _ = hc.Sub(&rhs, d("0.249"), &fee)
		}
		_, _ = hc.Quo(&pl, d("10000"), &rhs)
		if r.LiquidationStatus != liquidation.Found || !within(&r.Liquidation, &pl, &pl, "1e-17") {
			t.Errorf("%s: liquidation %v %s, want %s", c.qty, r.LiquidationStatus, r.Liquidation.String(), pl.String())
		}
	}
}

// TestBitMEXRateSum: BitMEX's maintenance takes one ceiling of MMR plus the
// funding reserve rate, a rate the price solve needs below 1, as MMR is.
// Set refuses a sum of 1 or more (derivmath.ErrRate), where it accepted it
// and Report then failed; a sum below 1 is reported.
func TestBitMEXRateSum(t *testing.T) {
	a, err := account.New(derivmath.NewContext(), liquidation.BitMEX)
	noErr(t, err)
	xbt := contract.XBTUSD()
	noErr(t, a.SetMark(xbt, d("10000")))
	noErr(t, a.SetWallet("XBT", d("1")))
	p := &account.Position{Spec: xbt, Side: account.OneWay, Mode: account.Cross}
	p.Qty.Set(d("100"))
	p.Entry.Set(d("10000"))
	p.Leverage.Set(d("10"))
	p.MMR.Set(d("0.6"))
	p.Funding.Set(d("0.4"))
	if err := a.Set(p); !errors.Is(err, derivmath.ErrRate) {
		t.Errorf("MMR 0.6 + funding 0.4: %v, want derivmath.ErrRate", err)
	}
	if a.Len() != 0 {
		t.Errorf("failed Set left %d positions", a.Len())
	}
	p.Funding.Set(d("0.3999"))
	noErr(t, a.Set(p))
	if r := report(t, a, 0, liquidation.Exact); r.LiquidationStatus != liquidation.Found {
		t.Errorf("MMR 0.6 + funding 0.3999: %v, want Found", r.LiquidationStatus)
	}
}

// TestLiquidatableAtMaintenance: Liquidatable is documented "at or past"
// the maintenance margin, so equity exactly equal to it is liquidatable,
// cross and isolated alike, and a tick above it is not. A long 1 @ 60,000
// with 20,200 behind it at MMR 0.5% has equity 200 = 0.5% x 40,000 at the
// mark 40,000 exactly. (The model and the properties draw marks that never
// land on the equality, so only this test tells <= from <.)
//
// Report's Liquidatable says the same, at the maintenance included.
func TestLiquidatableAtMaintenance(t *testing.T) {
	for _, mode := range []account.Mode{account.Cross, account.Isolated} {
		a, err := account.New(derivmath.NewContext(), liquidation.Binance)
		noErr(t, err)
		btc := contract.BTCUSDT()
		noErr(t, a.SetWallet("USDT", d("20200")))
		noErr(t, a.SetMark(btc, d("60000")))
		p := &account.Position{Spec: btc, Side: account.OneWay, Mode: mode}
		p.Qty.Set(d("1"))
		p.Entry.Set(d("60000"))
		p.Leverage.SetInt64(20)
		p.MMR.Set(d("0.005"))
		if mode == account.Isolated {
			p.Margin.Set(d("20200"))
		}
		noErr(t, a.Set(p))
		for _, c := range []struct {
			mark string
			want bool
		}{{"40000.1", false}, {"40000", true}, {"39999.9", true}} {
			noErr(t, a.SetMark(btc, d(c.mark)))
			var s account.Summary
			noErr(t, a.Summary(&s, "USDT"))
			if r := report(t, a, 0, liquidation.Exact); a.Liquidatable() != c.want || s.Liquidatable != c.want || r.Liquidatable != c.want {
				t.Errorf("%v at %s: Liquidatable %v, Summary %v, Report %v; want %v", mode, c.mark, a.Liquidatable(), s.Liquidatable, r.Liquidatable, c.want)
			}
		}
	}
}

// TestBybitTwoInverseContracts: with cross positions on two BTC-settled
// inverse contracts under Bybit's rules, each contract's fee to close is
// the taker fee at its bankruptcy price, which moves with the other
// contract's PnL; at a position's reported liquidation price the cross
// equity equals the cross maintenance, both fees taken there. A long
// 10000 BTCUSD at 50000 with 0.3 BTC in the wallet, beside 10000
// BTCUSD_Q: long (its fee falls with the equity), short (no fee at the
// marks, where 0.3 BTC backs 0.2 BTC of short at 1.5x or less, and a fee
// at the liquidation price, where it no longer does). Beside a flat hedge
// on BTCUSD_Q, whose fee is the whole equity, the account is liquidatable
// at every price (liquidation.Always). The reported price held the other
// contract's fee at its value at the marks: equity and maintenance
// differed by parts in 10,000 of the maintenance.
func TestBybitTwoInverseContracts(t *testing.T) {
	for _, c := range []struct {
		name  string
		other []string // quantities on BTCUSD_Q (two: hedge legs)
		want  liquidation.Status
	}{
		{"long", []string{"10000"}, liquidation.Found},
		{"short", []string{"-10000"}, liquidation.Found},
		{"flat hedge", []string{"10000", "-10000"}, liquidation.Always},
	} {
		a, err := account.New(derivmath.NewContext(), liquidation.Bybit)
		noErr(t, err)
		perp := inverseBTC(t, "BTCUSD", "0.00055")
		dated := inverseBTC(t, "BTCUSD_Q", "0.0005")
		noErr(t, a.SetWallet("BTC", d("0.3")))
		noErr(t, a.SetMark(perp, d("50000")))
		noErr(t, a.SetMark(dated, d("50000")))
		p := &account.Position{Spec: perp, Side: account.OneWay, Mode: account.Cross}
		p.Qty.Set(d("10000"))
		p.Entry.Set(d("50000"))
		p.Leverage.Set(d("10"))
		p.MMR.Set(d("0.005"))
		noErr(t, a.Set(p))
		for _, q := range c.other {
			o := &account.Position{Spec: dated, Side: account.OneWay, Mode: account.Cross}
			if len(c.other) == 2 {
				o.Side = account.Long
				if q[0] == '-' {
					o.Side = account.Short
				}
			}
			o.Qty.Set(d(q))
			o.Entry.Set(d("50000"))
			o.Leverage.Set(d("10"))
			o.MMR.Set(d("0.005"))
			noErr(t, a.Set(o))
		}
		r := report(t, a, 0, liquidation.Exact)
		if r.LiquidationStatus != c.want {
			t.Errorf("%s: liquidation %v, want %v", c.name, r.LiquidationStatus, c.want)
			continue
		}
		if c.want != liquidation.Found {
			if !r.Liquidatable || !r.Liquidation.IsZero() || !r.Distance.IsZero() {
				t.Errorf("%s: liquidatable %v, price %s, distance %s", c.name, r.Liquidatable, r.Liquidation.String(), r.Distance.String())
			}
			continue
		}
		noErr(t, a.SetMark(perp, &r.Liquidation))
		var s account.Summary
		noErr(t, a.Summary(&s, "BTC"))
		if !within(&s.Equity, &s.Maintenance, &s.Maintenance, "1e-15") {
			t.Errorf("%s: at %s equity %s, maintenance %s", c.name, r.Liquidation.String(), s.Equity.String(), s.Maintenance.String())
		}
	}
}

// TestBybitHedgeGivenFee: under Bybit's rules, the fee to close of an
// inverse cross hedge leg is the taker fee at the account's bankruptcy
// price, the price Report gives, also when the other leg's Position gives
// its fee: that leg's PnL moves with the price and its fee is kept back at
// bankruptcy. Long 10000 BTCUSD (1 USD each) at 50000 with a given fee of
// 0.0002 BTC, short 4000 at 40000, 0.05 BTC in the wallet, marks 45000:
// the short's fee is 0.00055*4000/P_B, and with the mark at the
// liquidation price equity equals maintenance. The fixed point held the
// long at its mark and left its fee out, which put the short's fee 28%
// low, and moved it with the mark.
func TestBybitHedgeGivenFee(t *testing.T) {
	a, err := account.New(derivmath.NewContext(), liquidation.Bybit)
	noErr(t, err)
	inv := inverseBTC(t, "BTCUSD", "0.00055")
	noErr(t, a.SetWallet("BTC", d("0.05")))
	noErr(t, a.SetMark(inv, d("45000")))
	for _, leg := range []struct {
		side            account.Side
		qty, entry, fee string
	}{{account.Long, "10000", "50000", "0.0002"}, {account.Short, "-4000", "40000", "0"}} {
		p := &account.Position{Spec: inv, Side: leg.side, Mode: account.Cross}
		p.Qty.Set(d(leg.qty))
		p.Entry.Set(d(leg.entry))
		p.Fee.Set(d(leg.fee))
		p.Leverage.Set(d("10"))
		p.MMR.Set(d("0.005"))
		noErr(t, a.Set(p))
	}
	r := report(t, a, 1, liquidation.Exact)
	if r.BankruptcyStatus != liquidation.Found {
		t.Fatalf("bankruptcy %v", r.BankruptcyStatus)
	}
	hc := apd.BaseContext.WithPrecision(50)
	var fee apd.Decimal
	_, _ = hc.Quo(&fee, d("2.2"), &r.Bankruptcy) // 0.00055*4000/P_B
	if !within(&r.Fee, &fee, &fee, "1e-17") {
		t.Errorf("short's fee %s, want %s at the bankruptcy price %s", r.Fee.String(), fee.String(), r.Bankruptcy.String())
	}
	if r.LiquidationStatus != liquidation.Found {
		t.Fatalf("liquidation %v", r.LiquidationStatus)
	}
	noErr(t, a.SetMark(inv, &r.Liquidation))
	var s account.Summary
	noErr(t, a.Summary(&s, "BTC"))
	if !within(&s.Equity, &s.Maintenance, &s.Maintenance, "1e-15") {
		t.Errorf("at %s equity %s, maintenance %s", r.Liquidation.String(), s.Equity.String(), s.Maintenance.String())
	}
}

// TestBybitUnreachableRoot: the cross equity less maintenance, as one
// position's PnL moves, can have a root that no price reaches, beyond the
// PnL the position makes at a price of 0 or infinity; Report takes the
// nearest root that a price reaches. A long of 1 BTCUSD (1 USD, worth
// 0.00002 BTC at 50000, so it gains less than that at any price) beside a
// hedge of 10000 long and 10002 short BTCUSD_Q, 0.0001 BTC in the wallet:
// the hedge's fee to close grows faster than the gain as the long gains
// (its net short is within the taker rate of its gross), so the gap has a
// root 0.0000998 BTC of gain above the marks, out of reach, and another
// one below them, near 8338. Report said liquidation.Always, the account
// not being liquidatable at the marks.
func TestBybitUnreachableRoot(t *testing.T) {
	a, perp := besideHedge(t, "1")
	if a.Liquidatable() {
		t.Fatal("liquidatable at the marks")
	}
	r := report(t, a, 0, liquidation.Exact)
	if r.LiquidationStatus != liquidation.Found {
		t.Fatalf("liquidation %v, want Found (not liquidatable at the marks, liquidatable at 5000)", r.LiquidationStatus)
	}
	noErr(t, a.SetMark(perp, &r.Liquidation))
	var s account.Summary
	noErr(t, a.Summary(&s, "BTC"))
	if !within(&s.Equity, &s.Maintenance, &s.Maintenance, "1e-15") {
		t.Errorf("at %s equity %s, maintenance %s", r.Liquidation.String(), s.Equity.String(), s.Maintenance.String())
	}
	noErr(t, a.SetMark(perp, d("50000")))
	r = report(t, a, 0, liquidation.TowardEntry)
	for _, c := range []struct {
		mark string
		want bool
	}{{r.Liquidation.String(), false}, {sub(&r.Liquidation, &perp.Tick).String(), true}, {"5000", true}} {
		noErr(t, a.SetMark(perp, d(c.mark)))
		if a.Liquidatable() != c.want {
			t.Errorf("at %s (liquidation %s): liquidatable %v, want %v", c.mark, r.Liquidation.String(), a.Liquidatable(), c.want)
		}
	}
}

// besideHedge returns a Bybit account with 0.0001 BTC in the wallet and
// three cross positions at 50000, every mark 50000, leverage 10, no
// maintenance rate: qty BTCUSD (1 USD each, taker 0.00055, the
// position 0 it returns the Spec of) beside a hedge of 10000 long and
// 10002 short BTCUSD_Q (taker 0.0005), whose net short is within the
// taker rate of its gross, so that its fee to close, at the account's
// bankruptcy price, grows faster than the equity.
func besideHedge(tb testing.TB, qty string) (*account.Account, *contract.Spec) {
	t := tb.(fataler)
	a, err := account.New(derivmath.NewContext(), liquidation.Bybit)
	noErr(t, err)
	perp := inverseBTC(t, "BTCUSD", "0.00055")
	dated := inverseBTC(t, "BTCUSD_Q", "0.0005")
	noErr(t, a.SetWallet("BTC", d("0.0001")))
	noErr(t, a.SetMark(perp, d("50000")))
	noErr(t, a.SetMark(dated, d("50000")))
	for _, leg := range []struct {
		spec *contract.Spec
		side account.Side
		qty  string
	}{{perp, account.OneWay, qty}, {dated, account.Long, "10000"}, {dated, account.Short, "-10002"}} {
		p := &account.Position{Spec: leg.spec, Side: leg.side, Mode: account.Cross}
		p.Qty.Set(d(leg.qty))
		p.Entry.Set(d("50000"))
		p.Leverage.Set(d("10"))
		noErr(t, a.Set(p))
	}
	return a, perp
}

// TestBybitTowardEntryBesideHedge: under Bybit's rules, the liquidation
// price rounded toward the entry is on the side of the exact one that the
// account does not liquidate at, also where the fee to close of a hedge on
// another contract grows faster than the equity as the price moves (the
// solver holds that fee at its value at the exact price, and sees the
// gap the other way). A short of 1 BTCUSD beside besideHedge's hedge: the
// exact price is 8331.94; Report rounded it to 8331.5, at which the
// account is liquidatable, where 8332 is the tick it reaches first. The
// distance is the mark's from the reported price.
func TestBybitTowardEntryBesideHedge(t *testing.T) {
	a, perp := besideHedge(t, "-1")
	if a.Liquidatable() {
		t.Fatal("liquidatable at the marks")
	}
	x := report(t, a, 0, liquidation.Exact)
	r := report(t, a, 0, liquidation.TowardEntry)
	if x.Liquidation.String() != "8331.944675887352122" || r.Liquidation.String() != "8332.0" || r.Distance.String() != "41668" {
		t.Errorf("exact %s, toward the entry %s (distance %s), want 8331.944675887352122, 8332.0 (41668)", x.Liquidation.String(), r.Liquidation.String(), r.Distance.String())
	}
	for _, c := range []struct {
		mark string
		want bool
	}{{"8332", false}, {"8331.5", true}} {
		noErr(t, a.SetMark(perp, d(c.mark)))
		if a.Liquidatable() != c.want {
			t.Errorf("at %s: liquidatable %v, want %v", c.mark, a.Liquidatable(), c.want)
		}
	}
}

// TestBybitNearestBesideHedge: Report moves a price to the account's safe
// side only for TowardEntry; Nearest keeps the nearest tick, on whichever
// side. A short of 2 BTCUSD beside besideHedge's hedge: the exact price is
// 14283.67, the nearest tick 14283.5, at which the account is
// liquidatable (TowardEntry gives 14284).
func TestBybitNearestBesideHedge(t *testing.T) {
	a, _ := besideHedge(t, "-2")
	n := report(t, a, 0, liquidation.Nearest)
	r := report(t, a, 0, liquidation.TowardEntry)
	if n.Liquidation.String() != "14283.5" || r.Liquidation.String() != "14284.0" {
		t.Errorf("nearest %s, toward the entry %s; want 14283.5, 14284.0", n.Liquidation.String(), r.Liquidation.String())
	}
}

// TestBybitFlatHedgeAtThreshold: under Bybit's rules, beside an exactly
// flat cross hedge on another inverse contract (long and short of equal
// size at one entry), whose fee to close is the whole cross equity, and
// with no maintenance rates, the cross equity equals the cross
// maintenance at every price of the position's contract: the account is
// at its threshold, so liquidatable (Liquidatable is "at or past"), at
// every price. liquidation says Always for such an account (equity less
// threshold 0 everywhere); Report said Found at the mark plus rounding
// noise, a price that is no boundary of anything.
func TestBybitFlatHedgeAtThreshold(t *testing.T) {
	for _, mark := range []string{"50000", "35000"} {
		a, err := account.New(derivmath.NewContext(), liquidation.Bybit)
		noErr(t, err)
		perp := inverseBTC(t, "BTCUSD", "0.00055")
		dated := inverseBTC(t, "BTCUSD_Q", "0.0005")
		noErr(t, a.SetWallet("BTC", d("1")))
		noErr(t, a.SetMark(perp, d(mark)))
		noErr(t, a.SetMark(dated, d("50000")))
		// A short well inside the wallet: no fee to close at the marks.
		p := &account.Position{Spec: perp, Side: account.OneWay, Mode: account.Cross}
		p.Qty.Set(d("-10000"))
		p.Entry.Set(d("50000"))
		p.Leverage.Set(d("10"))
		noErr(t, a.Set(p))
		for _, q := range []string{"10000", "-10000"} {
			o := &account.Position{Spec: dated, Side: account.Long, Mode: account.Cross}
			if q[0] == '-' {
				o.Side = account.Short
			}
			o.Qty.Set(d(q))
			o.Entry.Set(d("50000"))
			o.Leverage.Set(d("10"))
			noErr(t, a.Set(o))
		}
		var s account.Summary
		noErr(t, a.Summary(&s, "BTC"))
		if s.Equity.Cmp(&s.Maintenance) != 0 || !s.Liquidatable {
			t.Fatalf("mark %s: equity %s, maintenance %s, liquidatable %v: not at the threshold", mark, s.Equity.String(), s.Maintenance.String(), s.Liquidatable)
		}
		for _, r := range []liquidation.Rounding{liquidation.Exact, liquidation.TowardEntry} {
			z := report(t, a, 0, r)
			if z.LiquidationStatus != liquidation.Always || !z.Liquidation.IsZero() || !z.Distance.IsZero() || !z.Liquidatable {
				t.Errorf("mark %s, %v: liquidation %v %s (distance %s), liquidatable %v; want Always", mark, r, z.LiquidationStatus, z.Liquidation.String(), z.Distance.String(), z.Liquidatable)
			}
		}
		// At any other price of the perpetual too.
		for _, x := range []string{"20000", "49999.5", "50000.5", "90000"} {
			noErr(t, a.SetMark(perp, d(x)))
			noErr(t, a.Summary(&s, "BTC"))
			if !s.Liquidatable {
				t.Errorf("mark %s moved to %s: not liquidatable (equity %s, maintenance %s)", mark, x, s.Equity.String(), s.Maintenance.String())
			}
		}
	}
}

// TestBybitFlatHedgeVerdictAtEveryMark: under Bybit's rules, beside an
// exactly flat cross hedge on an inverse contract whose fee to close is
// not given, that fee is the cross equity less the given fees, so the
// cross equity less maintenance is minus the maintenance fixed at entry:
// 0 without maintenance rates, the account at its threshold (liquidatable)
// at every price. Summary's flag and Report's verdict (Always, for every
// position) must say so at each mark, and so agree with the marks a tick
// away; the equity and maintenance, each rounded from different sums,
// differed in their last digit, and the verdict flipped between Never and
// Always from one tick to the next (a short of 12345 BTCUSD with 1 BTC,
// the hedge on BTCUSD_Q entered at 48000: Never at 60002). The account
// knows the contracts in either order: the hedge's contract first or
// last among those settled in BTC.
func TestBybitFlatHedgeVerdictAtEveryMark(t *testing.T) {
	for _, hedgeFirst := range []bool{false, true} {
		flatHedgeVerdictAtEveryMark(t, hedgeFirst)
	}
}

func flatHedgeVerdictAtEveryMark(t *testing.T, hedgeFirst bool) {
	a, err := account.New(derivmath.NewContext(), liquidation.Bybit)
	noErr(t, err)
	perp := inverseBTC(t, "BTCUSD", "0.00055")
	dated := inverseBTC(t, "BTCUSD_Q", "0.0005")
	noErr(t, a.SetWallet("BTC", d("1")))
	if hedgeFirst {
		noErr(t, a.SetMark(dated, d("50000")))
	}
	noErr(t, a.SetMark(perp, d("60000")))
	noErr(t, a.SetMark(dated, d("50000")))
	p := &account.Position{Spec: perp, Side: account.OneWay, Mode: account.Cross}
	p.Qty.Set(d("-12345"))
	p.Entry.Set(d("50000"))
	p.Leverage.Set(d("10"))
	noErr(t, a.Set(p))
	for _, side := range []account.Side{account.Long, account.Short} {
		o := &account.Position{Spec: dated, Side: side, Mode: account.Cross}
		o.Qty.Set(d("10000"))
		if side == account.Short {
			o.Qty.Set(d("-10000"))
		}
		o.Entry.Set(d("48000"))
		o.Leverage.Set(d("10"))
		noErr(t, a.Set(o))
	}
	for m := int64(120000); m < 120060; m++ {
		noErr(t, a.SetMark(perp, apd.New(m*5, -1))) // 60000.0 to 60029.5
		var s account.Summary
		noErr(t, a.Summary(&s, "BTC"))
		for i := 0; i < a.Len(); i++ {
			r := report(t, a, i, liquidation.Exact)
			if !s.Liquidatable || !r.Liquidatable || r.LiquidationStatus != liquidation.Always {
				t.Errorf("hedge first %v, mark %s, position %d: summary liquidatable %v (equity %s, maintenance %s), report %v, liquidatable %v; want Always",
					hedgeFirst, apd.New(m*5, -1).String(), i, s.Liquidatable, s.Equity.String(), s.Maintenance.String(), r.LiquidationStatus, r.Liquidatable)
			}
		}
	}
}

// TestBitMEXNeverReport: a BitMEX isolated inverse short at 1x is never
// liquidated, also with no margin left (a Margin of 0, its loss unbacked
// as the price rises): Report's Liquidatable agrees with Summary's (false),
// and a Rounding outside Exact to Nearest is liquidation.ErrRounding,
// though no price is solved.
func TestBitMEXNeverReport(t *testing.T) {
	a, err := account.New(derivmath.NewContext(), liquidation.BitMEX)
	noErr(t, err)
	xbt := contract.XBTUSD()
	noErr(t, a.SetMark(xbt, d("10000")))
	p := &account.Position{Spec: xbt, Side: account.OneWay, Mode: account.Isolated}
	p.Qty.Set(d("-1000"))
	p.Entry.Set(d("10000"))
	p.Leverage.Set(d("1"))
	p.MMR.Set(d("0.005"))
	noErr(t, a.Set(p))
	noErr(t, a.SetMark(xbt, d("20000")))
	var s account.Summary
	noErr(t, a.Summary(&s, xbt.Settle))
	r := report(t, a, 0, liquidation.Exact)
	if s.Liquidatable || r.Liquidatable || r.LiquidationStatus != liquidation.Never {
		t.Errorf("summary %v, report %v %v; want not liquidatable, Never", s.Liquidatable, r.Liquidatable, r.LiquidationStatus)
	}
	for _, bad := range []liquidation.Rounding{liquidation.Exact - 1, liquidation.Nearest + 1} {
		if err := a.Report(r, 0, bad); !errors.Is(err, liquidation.ErrRounding) {
			t.Errorf("rounding %d: %v, want liquidation.ErrRounding", bad, err)
		}
	}
}

// TestBinanceFeeNotInPrice: Binance's maintenance holds no fee reserve,
// nor does its bankruptcy, so a Fee given under its rules (read, and
// reported as Fee) moves neither price: Report compiles the solver without
// it (liquidation keeps a FeeReserve back from the balance at
// bankruptcy).
func TestBinanceFeeNotInPrice(t *testing.T) {
	var want string
	for _, fee := range []string{"0", "150"} {
		a, err := account.New(derivmath.NewContext(), liquidation.Binance)
		noErr(t, err)
		btc := contract.BTCUSDT()
		noErr(t, a.SetWallet("USDT", d("5000")))
		noErr(t, a.SetMark(btc, d("60000")))
		p := &account.Position{Spec: btc, Side: account.OneWay, Mode: account.Cross}
		p.Qty.Set(d("1"))
		p.Entry.Set(d("60000"))
		p.Leverage.SetInt64(20)
		p.MMR.Set(d("0.005"))
		p.Fee.Set(d(fee))
		noErr(t, a.Set(p))
		r := report(t, a, 0, liquidation.Exact)
		got := r.Liquidation.String() + ", " + r.Bankruptcy.String()
		if fee == "0" {
			want = got
		} else if got != want || r.Fee.Cmp(d(fee)) != 0 {
			t.Errorf("fee %s: liquidation, bankruptcy %s (fee %s), want %s as without it", fee, got, r.Fee.String(), want)
		}
	}
}

// TestBinanceEntryPastLimit: Binance looks up a position's tier at the
// mark, so Set takes a position whose entry notional is beyond its table's
// limit (a position opened before its bracket's cap was lowered keeps its
// entry), and Report then reports its liquidation price, which returned
// the solver's *margin.TierError. Long 2.999 BTCUSDT at 83,361.2 (entry
// notional 250,000.2388 on a table limited at 250,000; 0.4%, and 0.5%
// with cum 50 from 50,000) with 25,000 of margin, cross or isolated, at a
// mark of 80,000: equity 25,000 + 2.999*(P - 83,361.2) meets maintenance
// 0.005*2.999*P - 50 at a notional of 224,950.2388/0.995, P =
// 75,385.3424508337...: up to 75,385.4 toward the entry. At the exact
// price the account's own Summary has equity equal to maintenance (within
// the units of the last digits), and it is liquidatable.
func TestBinanceEntryPastLimit(t *testing.T) {
	rows := make([]margin.Tier, 2)
	for i, f := range []*apd.Decimal{&rows[1].Floor, &rows[0].MMR, &rows[1].MMR, &rows[1].Cum, &rows[0].MaxLeverage, &rows[1].MaxLeverage} {
		f.Set(d([]string{"50000", "0.004", "0.005", "50", "125", "100"}[i]))
	}
	table, err := margin.NewTiers(rows, d("250000"))
	noErr(t, err)
	btc := contract.BTCUSDT()
	for _, mode := range []account.Mode{account.Cross, account.Isolated} {
		a, err := account.New(derivmath.NewContext(), liquidation.Binance)
		noErr(t, err)
		noErr(t, a.SetWallet("USDT", d("25000")))
		noErr(t, a.SetMark(btc, d("80000")))
		p := &account.Position{Spec: btc, Side: account.OneWay, Mode: mode, Tiers: table}
		p.Qty.Set(d("2.999"))
		p.Entry.Set(d("83361.2"))
		p.Leverage.SetInt64(10)
		if mode == account.Isolated {
			p.Margin.Set(d("25000"))
		}
		noErr(t, a.Set(p))
		var r account.Report
		if err := a.Report(&r, 0, liquidation.TowardEntry); err != nil {
			t.Fatalf("%v: Report: %v", mode, err)
		}
		if r.LiquidationStatus != liquidation.Found || r.Liquidation.Cmp(d("75385.4")) != 0 {
			t.Errorf("%v: liquidation %s, %v; want 75385.4, Found", mode, r.Liquidation.String(), r.LiquidationStatus)
		}
		exact := report(t, a, 0, liquidation.Exact)
		if !dectest.Within(&exact.Liquidation, d("75385.3424508337"), d("0.0000000001")) {
			t.Errorf("%v: exact liquidation %s, want 75385.3424508337...", mode, exact.Liquidation.String())
		}
		noErr(t, a.SetMark(btc, &exact.Liquidation))
		var s account.Summary
		noErr(t, a.Summary(&s, "USDT"))
		if mode == account.Cross && (!s.Liquidatable || !dectest.Within(&s.Equity, &s.Maintenance, d("0.000000001"))) {
			t.Errorf("%v: at %s equity %s, maintenance %s, liquidatable %v; want equal, true",
				mode, exact.Liquidation.String(), s.Equity.String(), s.Maintenance.String(), s.Liquidatable)
		}
		if at := report(t, a, 0, liquidation.Exact); !at.Liquidatable {
			t.Errorf("%v: not liquidatable at its exact liquidation price %s", mode, exact.Liquidation.String())
		}
	}
}

// TestBybitGivenFeeBesideMovingFee: under Bybit's rules a hedge on another
// inverse contract with one leg's fee given (Fee, used as is) and the
// other's at the account's bankruptcy price: only the second moves with
// the position's PnL, so at the reported liquidation price the cross
// equity equals the cross maintenance with the given fee as it is. A long
// 10000 BTCUSD with 0.3 BTC beside 10000 long BTCUSD_Q with a fee of
// 0.0001 BTC given and 5000 short with its fee computed.
func TestBybitGivenFeeBesideMovingFee(t *testing.T) {
	a, err := account.New(derivmath.NewContext(), liquidation.Bybit)
	noErr(t, err)
	perp := inverseBTC(t, "BTCUSD", "0.00055")
	dated := inverseBTC(t, "BTCUSD_Q", "0.0005")
	noErr(t, a.SetWallet("BTC", d("0.3")))
	noErr(t, a.SetMark(perp, d("50000")))
	noErr(t, a.SetMark(dated, d("50000")))
	for _, leg := range []struct {
		spec     *contract.Spec
		side     account.Side
		qty, fee string
	}{{perp, account.OneWay, "10000", "0"}, {dated, account.Long, "10000", "0.0001"}, {dated, account.Short, "-5000", "0"}} {
		p := &account.Position{Spec: leg.spec, Side: leg.side, Mode: account.Cross}
		p.Qty.Set(d(leg.qty))
		p.Entry.Set(d("50000"))
		p.Leverage.Set(d("10"))
		p.MMR.Set(d("0.005"))
		p.Fee.Set(d(leg.fee))
		noErr(t, a.Set(p))
	}
	r := report(t, a, 0, liquidation.Exact)
	if r.LiquidationStatus != liquidation.Found {
		t.Fatalf("liquidation %v, want Found", r.LiquidationStatus)
	}
	noErr(t, a.SetMark(perp, &r.Liquidation))
	var s account.Summary
	noErr(t, a.Summary(&s, "BTC"))
	if !within(&s.Equity, &s.Maintenance, &s.Maintenance, "1e-15") {
		t.Errorf("at %s equity %s, maintenance %s", r.Liquidation.String(), s.Equity.String(), s.Maintenance.String())
	}
}
