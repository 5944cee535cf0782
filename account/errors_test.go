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
	"github.com/google/go-cmp/cmp"
)

func TestErrors(t *testing.T) {
	if _, err := account.New(nil, liquidation.Binance); !errors.Is(err, derivmath.ErrContext) {
		t.Errorf("nil context: %v", err)
	}
	if _, err := account.New(derivmath.NewContext(), 0); !errors.Is(err, account.ErrConvention) {
		t.Errorf("convention 0: %v", err)
	}
	ms := markets(t)
	a, err := account.New(derivmath.NewContext(), liquidation.Binance)
	noErr(t, err)
	btc := ms[0].spec
	pos := func(side account.Side, mode account.Mode, qty string) *account.Position {
		p := &account.Position{Spec: btc, Side: side, Mode: mode}
		p.Qty.Set(d(qty))
		p.Entry.Set(d("50000"))
		p.Leverage.Set(d("10"))
		p.Margin.Set(d("500"))
		p.MMR.Set(d("0.005"))
		return p
	}
	if err := a.Set(pos(account.OneWay, account.Cross, "1")); !errors.Is(err, account.ErrNoMark) {
		t.Errorf("no mark: %v", err)
	}
	if err := a.SetMark(nil, d("1")); !errors.Is(err, account.ErrNoSpec) {
		t.Errorf("nil spec: %v", err)
	}
	if err := a.SetMark(btc, d("-1")); !errors.Is(err, derivmath.ErrPrice) {
		t.Errorf("negative mark: %v", err)
	}
	noErr(t, a.SetMark(btc, d("50000")))
	noErr(t, a.SetWallet("USDT", d("1000")))
	for _, c := range []struct {
		p    *account.Position
		want error
	}{
		{pos(0, account.Cross, "1"), account.ErrSide},
		{pos(account.Long, account.Cross, "-1"), account.ErrSide},
		{pos(account.Short, account.Cross, "1"), account.ErrSide},
		{pos(account.OneWay, 0, "1"), account.ErrMode},
		{pos(account.OneWay, account.Cross, "1e999"), derivmath.ErrRange},
	} {
		if err := a.Set(c.p); !errors.Is(err, c.want) {
			t.Errorf("%v %v %s: %v, want %v", c.p.Side, c.p.Mode, c.p.Qty.String(), err, c.want)
		}
	}
	neg := pos(account.OneWay, account.Isolated, "1")
	neg.Margin.Set(d("-1"))
	if err := a.Set(neg); !errors.Is(err, account.ErrNegative) {
		t.Errorf("negative margin: %v", err)
	}
	rate := pos(account.OneWay, account.Cross, "1")
	rate.MMR.Set(d("1"))
	if err := a.Set(rate); !errors.Is(err, derivmath.ErrRate) {
		t.Errorf("MMR 1: %v", err)
	}
	// One-way beside hedge, isolated beside cross.
	noErr(t, a.Set(pos(account.Long, account.Cross, "1")))
	if err := a.Set(pos(account.OneWay, account.Cross, "1")); !errors.Is(err, account.ErrSide) {
		t.Errorf("one-way beside a hedge leg: %v", err)
	}
	if err := a.Set(pos(account.Short, account.Isolated, "-1")); !errors.Is(err, account.ErrMode) {
		t.Errorf("isolated beside cross: %v", err)
	}
	var r account.Report
	if err := a.Report(&r, 1, liquidation.Exact); !errors.Is(err, account.ErrIndex) {
		t.Errorf("index 1 of 1: %v", err)
	}
	if err := a.Report(&r, 0, 0); !errors.Is(err, liquidation.ErrRounding) {
		t.Errorf("rounding 0: %v", err)
	}
	if err := a.SetOrder("x", &account.Order{Spec: ms[1].spec, Side: account.OneWay}); !errors.Is(err, account.ErrNoMark) {
		t.Errorf("order without mark: %v", err)
	}
	o := &account.Order{Spec: btc, Side: account.Short}
	o.Qty.Set(d("-1"))
	o.Price.Set(d("51000"))
	if err := a.SetOrder("x", o); !errors.Is(err, account.ErrLeverage) {
		t.Errorf("order without leverage: %v", err)
	}

	// A failed call leaves the account as it was: a mark beyond the last
	// tier of a tiered position.
	tiered := pos(account.Short, account.Cross, "-1")
	rows := []margin.Tier{{}}
	rows[0].MMR.Set(d("0.005"))
	rows[0].MaxLeverage.Set(d("100"))
	tiers, err := margin.NewTiers(rows, d("1000000"))
	noErr(t, err)
	tiered.Tiers = tiers
	noErr(t, a.Set(tiered))
	var before, after account.Summary
	noErr(t, a.Summary(&before, "USDT"))
	if err := a.SetMark(btc, d("1e12")); err == nil {
		t.Fatal("mark beyond the last tier: no error")
	}
	noErr(t, a.Summary(&after, "USDT"))
	if before.Equity.Cmp(&after.Equity) != 0 || before.Maintenance.Cmp(&after.Maintenance) != 0 {
		t.Errorf("failed SetMark changed the account: %s -> %s", before.Equity.String(), after.Equity.String())
	}
	mark := d("0")
	a.Mark(mark, btc)
	if mark.Cmp(d("50000")) != 0 {
		t.Errorf("failed SetMark changed the mark to %s", mark.String())
	}
}

// TestSignedCostAndFunding pins what ErrNegative's godoc must say: a
// negative Cost is read by its magnitude (BitMEX's posCost is signed), not
// refused, and a negative Funding is derivmath.ErrRate, as Set documents.
func TestSignedCostAndFunding(t *testing.T) {
	ms := markets(t)
	a, err := account.New(derivmath.NewContext(), liquidation.BitMEX)
	noErr(t, err)
	btc := ms[0].spec
	noErr(t, a.SetMark(btc, d("50000")))
	noErr(t, a.SetWallet("USDT", d("1000")))
	p := &account.Position{Spec: btc, Side: account.OneWay, Mode: account.Cross}
	p.Qty.Set(d("1"))
	p.Entry.Set(d("50000"))
	p.Leverage.Set(d("10"))
	p.MMR.Set(d("0.005"))
	p.Cost.Set(d("-50000"))
	if err := a.Set(p); err != nil {
		t.Errorf("negative cost: %v, want its magnitude", err)
	}
	p.Cost.SetInt64(0)
	p.Funding.Set(d("-0.0001"))
	if err := a.Set(p); !errors.Is(err, derivmath.ErrRate) || errors.Is(err, account.ErrNegative) {
		t.Errorf("negative funding: %v, want derivmath.ErrRate", err)
	}
}

// TestCloseUnderOrder: an order without a leverage of its own takes its
// position's. Closing that position (Qty 0) would leave the order with
// none, so Set refuses it with ErrLeverage and leaves the account as it
// was; once the order has its own leverage, the position closes and its
// margins leave the totals.
func TestCloseUnderOrder(t *testing.T) {
	ms := markets(t)
	a, err := account.New(derivmath.NewContext(), liquidation.Binance)
	noErr(t, err)
	btc := ms[0].spec
	noErr(t, a.SetMark(btc, d("50000")))
	noErr(t, a.SetWallet("USDT", d("10000")))
	p := &account.Position{Spec: btc, Side: account.OneWay, Mode: account.Cross}
	p.Qty.Set(d("1"))
	p.Entry.Set(d("50000"))
	p.Leverage.Set(d("10"))
	p.MMR.Set(d("0.005"))
	noErr(t, a.Set(p))
	o := &account.Order{Spec: btc, Side: account.OneWay}
	o.Qty.Set(d("1"))
	o.Price.Set(d("49000"))
	noErr(t, a.SetOrder("x", o))
	var before, after account.Summary
	var rBefore, rAfter account.Report
	noErr(t, a.Summary(&before, "USDT"))
	noErr(t, a.Report(&rBefore, 0, liquidation.Exact))

	closed := &account.Position{Spec: btc, Side: account.OneWay, Mode: account.Cross}
	if err := a.Set(closed); !errors.Is(err, account.ErrLeverage) {
		t.Errorf("closing the position an order takes its leverage from: %v, want ErrLeverage", err)
	}
	noErr(t, a.Summary(&after, "USDT"))
	if a.Len() != 1 || before.Maintenance.Cmp(&after.Maintenance) != 0 || before.Initial.Cmp(&after.Initial) != 0 {
		t.Errorf("failed Set changed the account: %d positions, maintenance %s -> %s, initial %s -> %s",
			a.Len(), before.Maintenance.String(), after.Maintenance.String(), before.Initial.String(), after.Initial.String())
	}
	noErr(t, a.Report(&rAfter, 0, liquidation.Exact))
	if diff := cmp.Diff(&rBefore, &rAfter, cmp.Comparer(func(x, y apd.Decimal) bool { return x.Cmp(&y) == 0 })); diff != "" {
		t.Errorf("failed Set changed the position's report (-before +after):\n%s", diff)
	}
	if j := a.Find(btc, account.OneWay); j != 0 {
		t.Errorf("after the failed Set, Find = %d, want 0", j)
	}

	o.Leverage.Set(d("10"))
	noErr(t, a.SetOrder("x", o))
	noErr(t, a.Set(closed))
	noErr(t, a.Summary(&after, "USDT"))
	// The order alone: 49000/10 of initial margin, no maintenance.
	if a.Len() != 0 || !after.Maintenance.IsZero() || after.Initial.Cmp(d("4900")) != 0 {
		t.Errorf("closed: %d positions, maintenance %s, initial %s; want 0, 0, 4900", a.Len(), after.Maintenance.String(), after.Initial.String())
	}
}

// TestOutputsStayValid: every amount Summary and Report write is a valid
// input (derivmath.CheckDecimal), also where dropping its trailing zeros
// would take its exponent past derivmath.MaxScale: a wallet of
// 1.0000000000000000000E+102 (exponent 83) is 1E+102 without them, and the
// initial margin of an isolated 100 BTC at leverage 1E-100 is 1E+102;
// each is written at exponent MaxScale, with no more zeros than that
// needs.
func TestOutputsStayValid(t *testing.T) {
	ms := markets(t)
	a, err := account.New(derivmath.NewContext(), liquidation.Binance)
	noErr(t, err)
	inv := ms[2].spec // 100 USD a contract
	noErr(t, a.SetMark(inv, d("1")))
	noErr(t, a.SetWallet("BTC", d("1.0000000000000000000E+102")))
	p := &account.Position{Spec: inv, Side: account.OneWay, Mode: account.Isolated}
	p.Qty.Set(d("1"))
	p.Entry.Set(d("1"))
	p.Leverage.Set(d("1E-100"))
	p.MMR.Set(d("0.005"))
	noErr(t, a.Set(p))
	var s account.Summary
	noErr(t, a.Summary(&s, "BTC"))
	var r account.Report
	noErr(t, a.Report(&r, 0, liquidation.Exact))
	for _, x := range []struct {
		name string
		d    *apd.Decimal
		want string
	}{
		{"Summary.Wallet", &s.Wallet, "1E+102"},
		{"Summary.Equity", &s.Equity, "1E+102"},
		{"Summary.Initial", &s.Initial, "1E+102"},
		{"Report.Initial", &r.Initial, "1E+102"},
	} {
		// The trailing zeros dropped but those the exponent needs.
		if err := derivmath.CheckDecimal(x.d); err != nil || x.d.Cmp(d(x.want)) != 0 || x.d.Exponent != derivmath.MaxScale {
			t.Errorf("%s = %s (%v, exponent %d), want a valid %s at exponent %d", x.name, x.d.String(), err, x.d.Exponent, x.want, derivmath.MaxScale)
		}
	}
}

// TestSetRefusesMalformedUnread: Set refuses a malformed decimal (NaN, an
// infinity, an exponent or coefficient out of range) in every field of
// the Position, also in those it does not read: MMR and Cum beside Tiers,
// Margin of a cross position, Funding outside BitMEX, Realised and Fees.
// It stored them, and Position returned them, outputs that are not valid
// inputs. A valid decimal in an unread field is accepted, whatever it is
// (an MMR of 5 beside Tiers, a negative Margin of a cross position), but
// for Funding, a rate in [0, 1) under every convention
// (TestFundingNeverNegative).
func TestSetRefusesMalformedUnread(t *testing.T) {
	ms := markets(t)
	btc := ms[0].spec
	for _, conv := range []liquidation.Convention{liquidation.Binance, liquidation.Bybit} {
		a, err := account.New(derivmath.NewContext(), conv)
		noErr(t, err)
		noErr(t, a.SetMark(btc, d("50000")))
		noErr(t, a.SetWallet("USDT", d("1000")))
		pos := func() *account.Position {
			p := &account.Position{Spec: btc, Side: account.OneWay, Mode: account.Cross, Tiers: margin.BTCUSDT()}
			p.Qty.Set(d("0.1"))
			p.Entry.Set(d("50000"))
			p.Leverage.Set(d("10"))
			return p
		}
		fields := []struct {
			name string
			x    func(p *account.Position) *apd.Decimal
		}{
			{"MMR", func(p *account.Position) *apd.Decimal { return &p.MMR }},
			{"Cum", func(p *account.Position) *apd.Decimal { return &p.Cum }},
			{"Margin", func(p *account.Position) *apd.Decimal { return &p.Margin }},
			{"Funding", func(p *account.Position) *apd.Decimal { return &p.Funding }},
			{"Realised", func(p *account.Position) *apd.Decimal { return &p.Realised }},
			{"Fees", func(p *account.Position) *apd.Decimal { return &p.Fees }},
		}
		for _, f := range fields {
			for _, c := range []struct {
				text string
				want error
			}{
				{"NaN", derivmath.ErrNaN},
				{"-Infinity", derivmath.ErrInfinite},
				{"-0", derivmath.ErrNegativeZero},
				{"1E+1000", derivmath.ErrRange},
				{"1" + strings.Repeat("0", derivmath.MaxDigits), derivmath.ErrRange},
			} {
				for _, qty := range []string{"0.1", "0"} { // open, close
					p := pos()
					p.Qty.Set(d(qty))
					x, _, err := apd.NewFromString(c.text)
					noErr(t, err)
					f.x(p).Set(x)
					if err := a.Set(p); !errors.Is(err, c.want) {
						t.Errorf("%v: %s %s, qty %s: %v, want %v", conv, f.name, c.text, qty, err, c.want)
					}
					if a.Len() != 0 {
						t.Fatalf("%v: %s %s: a failed Set left %d positions", conv, f.name, c.text, a.Len())
					}
				}
			}
			p := pos()
			f.x(p).Set(d("-5"))
			switch f.name {
			case "MMR":
				f.x(p).Set(d("5"))
			case "Funding": // a rate in [0, 1) under every convention
				f.x(p).Set(d("0.5"))
			}
			noErr(t, a.Set(p))
			if got := f.x(a.Position(0)); got.Cmp(f.x(p)) != 0 {
				t.Errorf("%v: %s stored as %s, want %s", conv, f.name, got.String(), f.x(p).String())
			}
			p.Qty.SetInt64(0)
			noErr(t, a.Set(p))
		}
	}
}

// TestCumAboveMaintenance: a position's maintenance is MMR*value - Cum,
// never below zero (liquidation.Leg.Cum): at entry under the BitMEX and
// Bybit conventions (BitMEX: the product rounded up to the minor unit), at
// the mark under Binance's. A Cum above MMR*value (a bracket's, kept after
// the value left the bracket) is a maintenance of 0 plus the fee reserve,
// not a refusal: Set refused it with ErrNegative, although the engine
// produces such a position with a partial close.
func TestCumAboveMaintenance(t *testing.T) {
	ms := markets(t)
	for _, conv := range []liquidation.Convention{liquidation.BitMEX, liquidation.Bybit} {
		for _, s := range []*contract.Spec{ms[0].spec, ms[2].spec} {
			a, err := account.New(derivmath.NewContext(), conv)
			noErr(t, err)
			noErr(t, a.SetMark(s, d("50000")))
			noErr(t, a.SetWallet(s.Settle, d("1000")))
			p := &account.Position{Spec: s, Side: account.OneWay, Mode: account.Cross}
			p.Qty.Set(d("1"))
			p.Entry.Set(d("50000"))
			p.Leverage.Set(d("10"))
			p.MMR.Set(d("0.005"))
			var v apd.Decimal
			noErr(t, s.Value(derivmath.NewContext(), &v, &p.Qty, &p.Entry))
			_, _ = derivmath.NewContext().Mul(&p.Cum, &v, &p.MMR) // MMR*value(entry), exact here
			noErr(t, a.Set(p))
			var before, after account.Summary
			noErr(t, a.Summary(&before, s.Settle))
			_, _ = derivmath.NewContext().Add(&p.Cum, &p.Cum, d("0.00000001"))
			if err := a.Set(p); err != nil {
				t.Fatalf("%v %s: Cum %s above MMR*value %s: %v", conv, s.Symbol, p.Cum.String(), v.String(), err)
			}
			noErr(t, a.Summary(&after, s.Settle))
			if after.Maintenance.Cmp(&before.Maintenance) != 0 || after.Ratio.Sign() < 0 {
				t.Errorf("%v %s: maintenance %s -> %s, ratio %s", conv, s.Symbol, before.Maintenance.String(), after.Maintenance.String(), after.Ratio.String())
			}
		}
	}

	// Binance, cross: ETHUSDT long 1 at 3,000 in a bracket of MMR 0.5%,
	// cum 50, marked at 1,000 (5 - 50: maintenance 0), and BTCUSDT long
	// 0.1 at 50,000, MMR 0.4% (20). The summary's maintenance is 20 (it
	// was -25), and the BTCUSDT report, which holds ETHUSDT's maintenance
	// fixed as the solver's OtherMM, succeeds (it failed with
	// liquidation.ErrNegative).
	a, err := account.New(derivmath.NewContext(), liquidation.Binance)
	noErr(t, err)
	noErr(t, a.SetWallet("USDT", d("10000")))
	noErr(t, a.SetMark(ms[0].spec, d("50000")))
	noErr(t, a.SetMark(ms[1].spec, d("1000")))
	for _, r := range []struct {
		spec                 *contract.Spec
		qty, entry, mmr, cum string
	}{{ms[1].spec, "1", "3000", "0.005", "50"}, {ms[0].spec, "0.1", "50000", "0.004", "0"}} {
		p := &account.Position{Spec: r.spec, Side: account.OneWay, Mode: account.Cross}
		p.Qty.Set(d(r.qty))
		p.Entry.Set(d(r.entry))
		p.Leverage.Set(d("10"))
		p.MMR.Set(d(r.mmr))
		p.Cum.Set(d(r.cum))
		noErr(t, a.Set(p))
	}
	var sum account.Summary
	noErr(t, a.Summary(&sum, "USDT"))
	if sum.Maintenance.Cmp(d("20")) != 0 || sum.Ratio.Sign() < 0 {
		t.Errorf("Binance: maintenance %s, ratio %s; want 20, not negative", sum.Maintenance.String(), sum.Ratio.String())
	}
	for i := range a.Len() {
		var r account.Report
		if err := a.Report(&r, i, liquidation.Exact); err != nil {
			t.Errorf("Binance: Report(%s): %v", a.Position(i).Spec.Symbol, err)
		} else if r.Maintenance.Sign() < 0 {
			t.Errorf("Binance: Report(%s).Maintenance = %s", a.Position(i).Spec.Symbol, r.Maintenance.String())
		}
	}
}

// TestBybitFeeToCloseBelow1x: Bybit's fee to close is the taker fee at the
// bankruptcy price of a position at its leverage, taker*v0*(lev - 1)/lev
// for a linear long or an inverse short. Below 1x that price is negative
// (entry*(1 - 1/lev), entry*lev/(lev - 1)): the position has no
// bankruptcy price, and the fee is 0, as at 1x, where the account already
// makes it 0 for inverse cross positions with no positive solution. It
// was negative, and so were the maintenance and the margin ratio.
func TestBybitFeeToCloseBelow1x(t *testing.T) {
	ms := markets(t)
	for _, c := range []struct {
		m   market
		qty string
	}{{ms[0], "1"}, {ms[2], "-10"}} {
		for _, mode := range []account.Mode{account.Isolated, account.Cross} {
			s := c.m.spec
			a, err := account.New(derivmath.NewContext(), liquidation.Bybit)
			noErr(t, err)
			noErr(t, a.SetMark(s, d("50000")))
			noErr(t, a.SetWallet(s.Settle, d("100000")))
			p := &account.Position{Spec: s, Side: account.OneWay, Mode: mode}
			p.Qty.Set(d(c.qty))
			p.Entry.Set(d("50000"))
			p.Leverage.Set(d("0.5"))
			p.MMR.Set(d("0.005"))
			if mode == account.Isolated {
				p.Margin.Set(d("1"))
			}
			noErr(t, a.Set(p))
			var r account.Report
			noErr(t, a.Report(&r, 0, liquidation.Exact))
			var sum account.Summary
			noErr(t, a.Summary(&sum, s.Settle))
			if r.Fee.Sign() != 0 || r.Maintenance.Sign() < 0 || sum.Ratio.Sign() < 0 {
				t.Errorf("%s %v at 0.5x: fee %s, maintenance %s, ratio %s; want fee 0", s.Symbol, mode, r.Fee.String(), r.Maintenance.String(), sum.Ratio.String())
			}
		}
	}
}

// TestFundingNeverNegative: Position.Funding is a rate in [0, 1) under
// every convention, as its godoc and Set's promise, also where the
// convention does not read it (Binance, Bybit): Set accepted -0.0001 or
// 1.5 there, and the Position read back was then refused by a BitMEX
// account. Set refuses it with derivmath.ErrRate (as BitMEX did and as a
// negative MMR is) and leaves the account as it was.
func TestFundingNeverNegative(t *testing.T) {
	ms := markets(t)
	btc := ms[0].spec
	for _, conv := range conventions {
		a, err := account.New(derivmath.NewContext(), conv)
		noErr(t, err)
		noErr(t, a.SetMark(btc, d("50000")))
		noErr(t, a.SetWallet("USDT", d("1000")))
		p := &account.Position{Spec: btc, Side: account.OneWay, Mode: account.Cross}
		p.Qty.Set(d("0.1"))
		p.Entry.Set(d("50000"))
		p.Leverage.Set(d("10"))
		p.MMR.Set(d("0.005"))
		for _, f := range []string{"-0.0001", "1", "1.5"} {
			p.Funding.Set(d(f))
			if err := a.Set(p); !errors.Is(err, derivmath.ErrRate) {
				t.Errorf("%v: funding %s: %v, want derivmath.ErrRate", conv, f, err)
			}
			if a.Len() != 0 {
				t.Fatalf("%v: funding %s: a failed Set left %d positions", conv, f, a.Len())
			}
		}
		p.Funding.Set(d("0.0001"))
		noErr(t, a.Set(p))
		// What the account returns is a valid input under every convention.
		for _, to := range conventions {
			b, err := account.New(derivmath.NewContext(), to)
			noErr(t, err)
			noErr(t, b.SetMark(btc, d("50000")))
			noErr(t, b.SetWallet("USDT", d("1000")))
			if err := b.Set(a.Position(0)); err != nil {
				t.Errorf("%v's position set under %v: %v", conv, to, err)
			}
		}
	}
}
