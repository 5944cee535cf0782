package account_test

import (
	"strconv"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
	"pgregory.net/rapid"
)

// fataler is what the helpers need of *testing.T and *rapid.T.
type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

func noErr(t fataler, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%v", err)
	}
}

var d = dectest.D

// inverseBTC returns a BTC-settled inverse contract of 1 USD, tick 0.5,
// lot 1, with the taker rate given (Bybit's BTCUSD is 0.00055).
func inverseBTC(t fataler, symbol, taker string) *contract.Spec {
	t.Helper()
	s, err := contract.New(contract.Params{Symbol: symbol, Kind: contract.Inverse, Settle: "BTC", Multiplier: "1", Tick: "0.5", Lot: "1", Taker: taker})
	noErr(t, err)
	return s
}

// market is a contract of the test accounts and the price it trades near.
type market struct {
	spec *contract.Spec
	base int64 // a typical price
	exp  int32 // of the price's last digit
}

// markets returns fresh specs: two USDT-settled linear contracts, a
// BTC-settled inverse one, a small-priced linear one, and two more
// BTC-settled inverse ones (dated futures), so that BTC's cross positions
// can span up to three inverse contracts (Bybit's fee to close of each
// then moves with the others' prices, with a kink where it reaches 0) and
// BTC can hold an isolated and a cross position at once.
func markets(t fataler) []market {
	t.Helper()
	mk := func(p contract.Params) *contract.Spec {
		s, err := contract.New(p)
		noErr(t, err)
		return s
	}
	return []market{
		{mk(contract.Params{Symbol: "BTCUSDT", Kind: contract.Linear, Settle: "USDT", Multiplier: "1", Tick: "0.1", Lot: "0.001", Taker: "0.0005"}), 50000, -1},
		{mk(contract.Params{Symbol: "ETHUSDT", Kind: contract.Linear, Settle: "USDT", Multiplier: "1", Tick: "0.01", Lot: "0.001", Taker: "0.0006"}), 3000, -2},
		{mk(contract.Params{Symbol: "BTCUSD", Kind: contract.Inverse, Settle: "BTC", Multiplier: "100", Tick: "0.1", Lot: "1", Taker: "0.00055"}), 50000, -1},
		{mk(contract.Params{Symbol: "XRPUSDT", Kind: contract.Linear, Settle: "USDT", Multiplier: "1", Tick: "0.0001", Lot: "1", Taker: "0.0005"}), 1, -4},
		{mk(contract.Params{Symbol: "BTCUSD_Q", Kind: contract.Inverse, Settle: "BTC", Multiplier: "100", Tick: "0.1", Lot: "1", Taker: "0.0005"}), 51000, -1},
		{mk(contract.Params{Symbol: "BTCUSD_H", Kind: contract.Inverse, Settle: "BTC", Multiplier: "10", Tick: "0.5", Lot: "1", Taker: "0.0006"}), 52000, -1},
	}
}

// price draws a price within 30% of m's base.
func price(t *rapid.T, m market, label string) *apd.Decimal {
	unit := int64(1)
	for e := m.exp; e < 0; e++ {
		unit *= 10
	}
	b := m.base * unit
	c := rapid.Int64Range(b*7/10, b*13/10).Draw(t, label)
	return apd.New(c, m.exp)
}

// qty draws a non-zero quantity of m's contracts, signed.
func qty(t *rapid.T, m market, label string) *apd.Decimal {
	n := rapid.Int64Range(1, 5000).Draw(t, label)
	if rapid.Bool().Draw(t, label+" short") {
		n = -n
	}
	switch m.spec.Symbol {
	case "BTCUSDT", "ETHUSDT":
		return apd.New(n, -3)
	case "XRPUSDT":
		return apd.New(n*10, 0)
	}
	return apd.New(n, 0)
}

// conventions are the three.
var conventions = []liquidation.Convention{liquidation.Binance, liquidation.BitMEX, liquidation.Bybit}

// drawPosition draws a position on m, of side (OneWay, Long or Short) and
// mode, with an isolated margin of at least its initial margin, and under
// conv's rules.
func drawPosition(t *rapid.T, m market, conv liquidation.Convention, side account.Side, mode account.Mode, label string) *account.Position {
	p := &account.Position{Spec: m.spec, Side: side, Mode: mode}
	p.Qty.Set(qty(t, m, label+" qty"))
	switch {
	case side == account.Long && p.Qty.Negative, side == account.Short && !p.Qty.Negative:
		p.Qty.Neg(&p.Qty)
	}
	p.Entry.Set(price(t, m, label+" entry"))
	lev := rapid.SampledFrom([]int64{1, 2, 5, 10, 20, 50}).Draw(t, label+" leverage")
	p.Leverage.SetInt64(lev)
	p.MMR.Set(apd.New(rapid.Int64Range(1, 20).Draw(t, label+" mmr"), -3))
	var v apd.Decimal
	noErr(t, m.spec.Value(derivmath.NewContext(), &v, &p.Qty, &p.Entry))
	ctx := apd.BaseContext.WithPrecision(16)
	// A maintenance amount (BitMEX's and Bybit's, fixed at entry) of up to
	// half the maintenance at entry, or none. Not under Binance's rules:
	// there the maintenance is at the mark, and a cum not taken from a
	// tier can exceed it.
	if share := rapid.Int64Range(0, 50).Draw(t, label+" cum"); share > 0 && conv != liquidation.Binance {
		_, _ = ctx.Mul(&p.Cum, &v, &p.MMR)
		_, _ = ctx.Mul(&p.Cum, &p.Cum, apd.New(share, -2))
		p.Cum.Reduce(&p.Cum)
	}
	if mode == account.Isolated {
		// value(entry)/leverage plus up to 50% more.
		_, _ = ctx.Quo(&p.Margin, &v, apd.New(lev, 0))
		extra := rapid.Int64Range(100, 150).Draw(t, label+" margin")
		_, _ = ctx.Mul(&p.Margin, &p.Margin, apd.New(extra, -2))
	}
	return p
}

// state is a drawn account: its convention, markets, and what was set.
type state struct {
	a       *account.Account
	conv    liquidation.Convention
	mkts    []market
	marks   []*apd.Decimal
	wallets map[string]*apd.Decimal
}

// drawAccount draws an account with marks on every market, wallets, and
// up to n positions; modes are drawn per market.
func drawAccount(t *rapid.T, n int) *state {
	return drawAccountIn(t, n, nil)
}

// drawAccountIn is drawAccount computing in ctx, or in the default context
// for a nil ctx. In another context (a precision of a few digits) a set-up
// call may fail: that call is skipped, and the account holds what
// succeeded.
func drawAccountIn(t *rapid.T, n int, ctx *apd.Context) *state {
	setUp := noErr
	if ctx == nil {
		ctx = derivmath.NewContext()
	} else {
		setUp = func(t fataler, err error) {}
	}
	conv := rapid.SampledFrom(conventions).Draw(t, "convention")
	a, err := account.New(ctx, conv)
	noErr(t, err)
	s := &state{a: a, conv: conv, mkts: markets(t), wallets: map[string]*apd.Decimal{}}
	for i, m := range s.mkts {
		mark := price(t, m, "mark "+m.spec.Symbol)
		s.marks = append(s.marks, mark)
		setUp(t, a.SetMark(m.spec, mark))
		_ = i
	}
	for _, cur := range []string{"USDT", "BTC"} {
		w := apd.New(rapid.Int64Range(0, 1e7).Draw(t, "wallet "+cur), -2)
		if cur == "BTC" {
			w = apd.New(rapid.Int64Range(0, 1e6).Draw(t, "wallet BTC"), -5)
		}
		s.wallets[cur] = w
		setUp(t, a.SetWallet(cur, w))
	}
	count := rapid.IntRange(1, n).Draw(t, "positions")
	for i := 0; i < count; i++ {
		k := rapid.IntRange(0, len(s.mkts)-1).Draw(t, "market")
		m := s.mkts[k]
		var mode account.Mode
		side := account.OneWay
		if j := a.Find(m.spec, account.OneWay); j >= 0 {
			mode = a.Position(j).Mode
		} else if j := firstOn(a, m.spec); j >= 0 {
			mode, side = a.Position(j).Mode, account.Long
			if a.Position(j).Side == account.Long {
				side = account.Short
			}
		} else {
			mode = rapid.SampledFrom([]account.Mode{account.Isolated, account.Cross}).Draw(t, "mode")
			side = rapid.SampledFrom([]account.Side{account.OneWay, account.Long, account.Short}).Draw(t, "side")
		}
		p := drawPosition(t, m, conv, side, mode, "position "+strconv.Itoa(i))
		p.Tiers = tiersFor(conv, m)
		setUp(t, a.Set(p))
	}
	return s
}

// tiersFor returns Binance's BTCUSDT brackets for BTCUSDT under the
// Binance convention, else nil (the position's MMR).
func tiersFor(conv liquidation.Convention, m market) *margin.Tiers {
	if conv == liquidation.Binance && m.spec.Symbol == "BTCUSDT" {
		return margin.BTCUSDT()
	}
	return nil
}

// firstOn returns the index of the first position on s, or -1.
func firstOn(a *account.Account, s *contract.Spec) int {
	for i := 0; i < a.Len(); i++ {
		if a.Position(i).Spec == s {
			return i
		}
	}
	return -1
}

// within reports whether |got - want| <= rel*|scale| (or <= rel when scale
// is zero).
func within(got, want, scale *apd.Decimal, rel string) bool {
	ctx := apd.BaseContext.WithPrecision(60)
	var diff, lim apd.Decimal
	_, _ = ctx.Sub(&diff, got, want)
	diff.Abs(&diff)
	_, _ = ctx.Mul(&lim, new(apd.Decimal).Abs(scale), d(rel))
	if lim.IsZero() {
		lim.Set(d(rel))
	}
	return diff.Cmp(&lim) <= 0
}

// sink keeps results alive in benchmarks and allocation tests.
var sink bool
