package account_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
)

// TestNegativeLeverage: a negative Leverage is ErrLeverage, as Set and
// SetOrder document, under every convention, for a position and for an
// order; not ErrNegative, which is for amounts.
func TestNegativeLeverage(t *testing.T) {
	for _, conv := range conventions {
		a, err := account.New(derivmath.NewContext(), conv)
		noErr(t, err)
		btc := markets(t)[0].spec
		noErr(t, a.SetMark(btc, d("50000")))
		p := &account.Position{Spec: btc, Side: account.OneWay, Mode: account.Cross}
		p.Qty.Set(d("1"))
		p.Entry.Set(d("50000"))
		p.Leverage.Set(d("-1"))
		p.MMR.Set(d("0.005"))
		if err := a.Set(p); !errors.Is(err, account.ErrLeverage) || errors.Is(err, account.ErrNegative) || a.Len() != 0 {
			t.Errorf("%v: position at -1x: %v, %d positions; want ErrLeverage, none", conv, err, a.Len())
		}
		o := &account.Order{Spec: btc, Side: account.OneWay}
		o.Qty.Set(d("1"))
		o.Price.Set(d("49000"))
		o.Leverage.Set(d("-1"))
		if err := a.SetOrder("x", o); !errors.Is(err, account.ErrLeverage) || a.Orders() != 0 {
			t.Errorf("%v: order at -1x: %v, %d orders; want ErrLeverage, none", conv, err, a.Orders())
		}
	}
}

// TestTiersAtEntry: Tiers give the maintenance at entry under the BitMEX
// and Bybit conventions, at the mark under Binance's. A long of 30 BTCUSDT
// entered at 50000 (a notional of 1500000) with a mark of 30000 (900000),
// on one tier of 0.5% up to 1000000: BitMEX and Bybit refuse it with the
// tier lookup's error (the entry notional is beyond the last tier) and
// keep no position; Binance takes it, with a maintenance of
// 0.005*900000 = 4500 at the mark (Summary's: Report's solver checks the
// leverage against the tier of the entry notional).
func TestTiersAtEntry(t *testing.T) {
	rows := []margin.Tier{{}}
	rows[0].MMR.Set(d("0.005"))
	rows[0].MaxLeverage.Set(d("100"))
	tiers, err := margin.NewTiers(rows, d("1000000"))
	noErr(t, err)
	for _, conv := range conventions {
		a, err := account.New(derivmath.NewContext(), conv)
		noErr(t, err)
		btc := markets(t)[0].spec
		noErr(t, a.SetMark(btc, d("30000")))
		noErr(t, a.SetWallet("USDT", d("1000000")))
		p := &account.Position{Spec: btc, Side: account.OneWay, Mode: account.Cross, Tiers: tiers}
		p.Qty.Set(d("30"))
		p.Entry.Set(d("50000"))
		p.Leverage.Set(d("10"))
		err = a.Set(p)
		if conv == liquidation.Binance {
			noErr(t, err)
			var s account.Summary
			noErr(t, a.Summary(&s, "USDT"))
			if s.Maintenance.Cmp(d("4500")) != 0 {
				t.Errorf("Binance: maintenance %s, want 4500", s.Maintenance.String())
			}
			continue
		}
		var te *margin.TierError
		if !errors.As(err, &te) || a.Len() != 0 {
			t.Errorf("%v: entry beyond the last tier: %v, %d positions; want a *margin.TierError, none", conv, err, a.Len())
		}
	}
}

// TestBitMEXShortWithoutLeverage: BitMEX's rule that an isolated inverse
// short at 1x or less is never liquidated does not take a Leverage of 0
// (none given) for a leverage below 1. A short of 1000 XBTUSD at 10000
// (0.1 XBT), MMR 0.5%, no leverage, no margin: posInit 0, posComm
// ceil(0.00075*0.1) = 0.000075, posMaint ceil(0.005*0.1) + 0.000075 =
// 0.000575, and liquidatable at the mark.
func TestBitMEXShortWithoutLeverage(t *testing.T) {
	a, err := account.New(derivmath.NewContext(), liquidation.BitMEX)
	noErr(t, err)
	xbt := contract.XBTUSD()
	noErr(t, a.SetMark(xbt, d("10000")))
	p := &account.Position{Spec: xbt, Side: account.OneWay, Mode: account.Isolated}
	p.Qty.Set(d("-1000"))
	p.Entry.Set(d("10000"))
	p.MMR.Set(d("0.005"))
	noErr(t, a.Set(p))
	r := report(t, a, 0, liquidation.Exact)
	if r.Fee.Cmp(d("0.000075")) != 0 || r.Initial.Cmp(d("0.000075")) != 0 || r.Maintenance.Cmp(d("0.000575")) != 0 || !a.Liquidatable() {
		t.Errorf("fee %s, initial %s, maintenance %s, liquidatable %v; want 0.000075, 0.000075, 0.000575, true",
			r.Fee.String(), r.Initial.String(), r.Maintenance.String(), a.Liquidatable())
	}
}

// TestBybitWithoutLeverage: under Bybit's rules a position without
// leverage has a fee to close of taker*value at entry and an initial
// margin of that fee alone. An isolated long of 1 BTCUSDT (taker 0.05%)
// at 50000, MMR 0.5%: fee 25, initial 25, maintenance 250 + 25 = 275.
func TestBybitWithoutLeverage(t *testing.T) {
	a, err := account.New(derivmath.NewContext(), liquidation.Bybit)
	noErr(t, err)
	btc := markets(t)[0].spec
	noErr(t, a.SetMark(btc, d("50000")))
	noErr(t, a.SetWallet("USDT", d("1000")))
	p := &account.Position{Spec: btc, Side: account.OneWay, Mode: account.Isolated}
	p.Qty.Set(d("1"))
	p.Entry.Set(d("50000"))
	p.Margin.Set(d("1000"))
	p.MMR.Set(d("0.005"))
	noErr(t, a.Set(p))
	r := report(t, a, 0, liquidation.Exact)
	if r.Fee.Cmp(d("25")) != 0 || r.Initial.Cmp(d("25")) != 0 || r.Maintenance.Cmp(d("275")) != 0 {
		t.Errorf("fee %s, initial %s, maintenance %s; want 25, 25, 275", r.Fee.String(), r.Initial.String(), r.Maintenance.String())
	}
}

// TestRefreshFailureChangesNothing: in a context whose MaxExponent is 20,
// a call whose inputs load but whose recomputed account overflows (a
// wallet of 1e21 beside a position, an order margin summed past 1e21, a
// position whose value at the mark is 1e21) fails and leaves the account
// as it was: SetWallet restores the balance, SetOrder the order it
// replaced or the count it added to, Set the position it replaced and the
// positions after it. Each error names its call.
func TestRefreshFailureChangesNothing(t *testing.T) {
	for _, conv := range conventions {
		ctx := apd.BaseContext.WithPrecision(34)
		ctx.MaxExponent = 20
		a, err := account.New(ctx, conv)
		noErr(t, err)
		ms := markets(t)
		btc, eth := ms[0].spec, ms[1].spec
		specs := []*contract.Spec{btc, eth}
		noErr(t, a.SetMark(btc, d("50000")))
		noErr(t, a.SetMark(eth, d("3000")))
		noErr(t, a.SetWallet("USDT", d("100000")))
		for _, s := range specs {
			p := &account.Position{Spec: s, Side: account.OneWay, Mode: account.Cross}
			p.Qty.Set(d("1"))
			p.Entry.Set(d("2000"))
			p.Leverage.Set(d("10"))
			p.MMR.Set(d("0.005"))
			noErr(t, a.Set(p))
		}
		fails := func(what, prefix string, err error, before string) {
			t.Helper()
			if err == nil {
				t.Fatalf("%v: %s: no error", conv, what)
			}
			if !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("%v: %s: %q, want a message starting %q", conv, what, err.Error(), prefix)
			}
			if after := whole(a, specs); after != before {
				t.Errorf("%v: %s failed but changed the account:\n%s---\n%s", conv, what, before, after)
			}
		}
		before := whole(a, specs)
		fails("SetWallet 1e21", "account: set wallet", a.SetWallet("USDT", d("1e21")), before)

		// A position replaced by one worth 1e21 at its mark: load takes
		// it (4e20 at entry), the value at the mark overflows.
		big := &account.Position{Spec: btc, Side: account.OneWay, Mode: account.Cross}
		big.Qty.Set(d("2e16"))
		big.Entry.Set(d("20000"))
		big.Leverage.Set(d("10"))
		big.MMR.Set(d("0.005"))
		fails("Set of a position worth 1e21", "account: set", a.Set(big), before)

		// Orders of 6e20 each: one fits, two overflow their sum.
		o := &account.Order{Spec: btc, Side: account.OneWay}
		o.Qty.Set(d("1e16"))
		o.Price.Set(d("60000"))
		o.Leverage.Set(d("1"))
		noErr(t, a.SetOrder("a", o))
		before = whole(a, specs)
		fails("a second order of 6e20", "account: set order", a.SetOrder("b", o), before)
		small := &account.Order{Spec: eth, Side: account.OneWay}
		small.Qty.Set(d("1"))
		small.Price.Set(d("3000"))
		small.Leverage.Set(d("1"))
		noErr(t, a.SetOrder("b", small))
		before = whole(a, specs)
		fails("order b replaced by one of 6e20", "account: set order", a.SetOrder("b", o), before)
		if a.Orders() != 2 {
			t.Errorf("%v: %d orders, want 2", conv, a.Orders())
		}
	}
}

// TestTransferRange: a transfer that takes the balance beyond the result
// range is derivmath.ErrRange, and the wallet keeps its balance, also
// without positions (nothing else reads the balance then).
func TestTransferRange(t *testing.T) {
	a, err := account.New(derivmath.NewContext(), liquidation.Binance)
	noErr(t, err)
	huge := apd.New(9000000000000000000, derivmath.MaxScale)
	noErr(t, a.Transfer("USDT", huge))
	if err := a.Transfer("USDT", huge); !errors.Is(err, derivmath.ErrRange) {
		t.Errorf("a balance of 1.8e119: %v, want ErrRange", err)
	}
	var w apd.Decimal
	a.Wallet(&w, "USDT")
	if w.Cmp(huge) != 0 {
		t.Errorf("wallet %s after a failed transfer, want %s", w.String(), huge.String())
	}
}

// TestModeChange: Set may change the mode of the only position on a
// contract (it conflicts with no other position there), and the account
// then holds it in the new mode.
func TestModeChange(t *testing.T) {
	for _, conv := range conventions {
		a, err := account.New(derivmath.NewContext(), conv)
		noErr(t, err)
		btc := markets(t)[0].spec
		noErr(t, a.SetMark(btc, d("50000")))
		noErr(t, a.SetWallet("USDT", d("10000")))
		p := &account.Position{Spec: btc, Side: account.Long, Mode: account.Cross}
		p.Qty.Set(d("1"))
		p.Entry.Set(d("50000"))
		p.Leverage.Set(d("10"))
		p.MMR.Set(d("0.005"))
		noErr(t, a.Set(p))
		p.Mode = account.Isolated
		p.Margin.Set(d("5000"))
		if err := a.Set(p); err != nil || a.Len() != 1 || a.Position(0).Mode != account.Isolated {
			t.Errorf("%v: cross to isolated: %v, %d positions", conv, err, a.Len())
		}
	}
}

// TestTakerRebate: a negative Taker (a rebate) holds no fee reserve: the
// account's fee is 0, never negative, so that Report's Fee is a valid
// Position.Fee. An isolated long of 1 at 50000, 10x, MMR 0.5%, on a linear
// contract with a taker rate of -0.025%: fee 0, maintenance 250, initial
// 5000, under the BitMEX and Bybit conventions.
func TestTakerRebate(t *testing.T) {
	s, err := contract.New(contract.Params{Symbol: "REBATE", Kind: contract.Linear, Settle: "USDT", Multiplier: "1", Tick: "0.1", Lot: "0.001", Taker: "-0.00025"})
	noErr(t, err)
	for _, conv := range []liquidation.Convention{liquidation.BitMEX, liquidation.Bybit} {
		a, err := account.New(derivmath.NewContext(), conv)
		noErr(t, err)
		noErr(t, a.SetMark(s, d("50000")))
		noErr(t, a.SetWallet("USDT", d("5000")))
		p := &account.Position{Spec: s, Side: account.OneWay, Mode: account.Isolated}
		p.Qty.Set(d("1"))
		p.Entry.Set(d("50000"))
		p.Leverage.Set(d("10"))
		p.Margin.Set(d("5000"))
		p.MMR.Set(d("0.005"))
		noErr(t, a.Set(p))
		r := report(t, a, 0, liquidation.Exact)
		if !r.Fee.IsZero() || r.Maintenance.Cmp(d("250")) != 0 || r.Initial.Cmp(d("5000")) != 0 {
			t.Errorf("%v: fee %s, maintenance %s, initial %s; want 0, 250, 5000", conv, r.Fee.String(), r.Maintenance.String(), r.Initial.String())
		}
	}
}

// TestBybitFlatHedgeWithoutTaker: a flat cross hedge on an inverse
// contract without a taker rate has no fee to close, so its equity is not
// tied to its maintenance: with 1 BTC, legs of 10000 long and short at
// 50000 and MMR 0.5%, the maintenance is 0.002 and the account is not
// liquidatable.
func TestBybitFlatHedgeWithoutTaker(t *testing.T) {
	a, err := account.New(derivmath.NewContext(), liquidation.Bybit)
	noErr(t, err)
	s, err := contract.New(contract.Params{Symbol: "BTCUSD", Kind: contract.Inverse, Settle: "BTC", Multiplier: "1", Tick: "0.5", Lot: "1"})
	noErr(t, err)
	noErr(t, a.SetWallet("BTC", d("1")))
	noErr(t, a.SetMark(s, d("50000")))
	for _, q := range []string{"10000", "-10000"} {
		p := &account.Position{Spec: s, Side: account.Long, Mode: account.Cross}
		if q[0] == '-' {
			p.Side = account.Short
		}
		p.Qty.Set(d(q))
		p.Entry.Set(d("50000"))
		p.Leverage.Set(d("10"))
		p.MMR.Set(d("0.005"))
		noErr(t, a.Set(p))
	}
	var z account.Summary
	noErr(t, a.Summary(&z, "BTC"))
	if z.Liquidatable || a.Liquidatable() || z.Maintenance.Cmp(d("0.002")) != 0 {
		t.Errorf("liquidatable %v (account %v), maintenance %s; want false, 0.002", z.Liquidatable, a.Liquidatable(), z.Maintenance.String())
	}
}

// TestBybitOtherCurrencyFeeHeld: under Bybit's rules the fee to close of
// inverse cross positions moves with the PnL of the cross positions in
// their own currency only: a BTCUSD short's report (its liquidation
// price among them) is the same with or without a cross position on an
// ETH-settled inverse contract, whose fee to close moves with nothing
// settled in BTC.
func TestBybitOtherCurrencyFeeHeld(t *testing.T) {
	btcusd := inverseBTC(t, "BTCUSD", "0.00055")
	btcq := inverseBTC(t, "BTCUSD_Q", "0.0005")
	ethusd, err := contract.New(contract.Params{Symbol: "ETHUSD", Kind: contract.Inverse, Settle: "ETH", Multiplier: "1", Tick: "0.05", Lot: "1", Taker: "0.00055"})
	noErr(t, err)
	build := func(eth bool) *account.Report {
		a, err := account.New(derivmath.NewContext(), liquidation.Bybit)
		noErr(t, err)
		noErr(t, a.SetWallet("BTC", d("0.05")))
		noErr(t, a.SetWallet("ETH", d("0.1")))
		noErr(t, a.SetMark(btcusd, d("50000")))
		noErr(t, a.SetMark(btcq, d("51000")))
		noErr(t, a.SetMark(ethusd, d("3000")))
		legs := []struct {
			spec       *contract.Spec
			qty, entry string
		}{{btcusd, "-10000", "50000"}, {btcq, "5000", "51000"}}
		if eth {
			legs = append(legs, struct {
				spec       *contract.Spec
				qty, entry string
			}{ethusd, "-1000", "3000"})
		}
		for _, l := range legs {
			p := &account.Position{Spec: l.spec, Side: account.OneWay, Mode: account.Cross}
			p.Qty.Set(d(l.qty))
			p.Entry.Set(d(l.entry))
			p.Leverage.Set(d("10"))
			p.MMR.Set(d("0.005"))
			noErr(t, a.Set(p))
		}
		return report(t, a, 0, liquidation.Exact)
	}
	without, with := build(false), build(true)
	if with.Liquidation.Cmp(&without.Liquidation) != 0 || with.LiquidationStatus != without.LiquidationStatus || with.Bankruptcy.Cmp(&without.Bankruptcy) != 0 {
		t.Errorf("with an ETH position: liquidation %v %s, bankruptcy %s; without: %v %s, %s", with.LiquidationStatus, with.Liquidation.String(), with.Bankruptcy.String(),
			without.LiquidationStatus, without.Liquidation.String(), without.Bankruptcy.String())
	}
}

// TestBybitNearestOfTwoRoots: where the cross equity less maintenance has
// a root a price reaches on each side of the marks, Report takes the one
// nearest the marks in the position's PnL. A long of 10 BTCUSD beside
// besideHedge's hedge is liquidatable below 33351.67 (a PnL of
// 10*(1/50000 - 1/33351.67) = -0.0000998 BTC) and above 99364.35
// (+0.0000994 BTC): Report gives the upper one, where the equity is the
// maintenance.
func TestBybitNearestOfTwoRoots(t *testing.T) {
	a, perp := besideHedge(t, "10")
	r := report(t, a, 0, liquidation.Exact)
	if r.LiquidationStatus != liquidation.Found || r.Liquidation.Cmp(d("99000")) < 0 || r.Liquidation.Cmp(d("100000")) > 0 {
		t.Fatalf("liquidation %v %s, want Found near 99364", r.LiquidationStatus, r.Liquidation.String())
	}
	noErr(t, a.SetMark(perp, &r.Liquidation))
	var s account.Summary
	noErr(t, a.Summary(&s, "BTC"))
	if !within(&s.Equity, &s.Maintenance, &s.Maintenance, "1e-15") {
		t.Errorf("at %s equity %s, maintenance %s", r.Liquidation.String(), s.Equity.String(), s.Maintenance.String())
	}
	// The other root, farther in PnL.
	for _, c := range []struct {
		mark string
		want bool
	}{{"33000", true}, {"34000", false}, {"99000", false}, {"100000", true}} {
		noErr(t, a.SetMark(perp, d(c.mark)))
		if a.Liquidatable() != c.want {
			t.Errorf("at %s: liquidatable %v, want %v", c.mark, a.Liquidatable(), c.want)
		}
	}
}
