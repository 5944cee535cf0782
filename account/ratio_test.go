package account_test

import (
	"testing"

	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/liquidation"
)

// TestRatioOfCrossPositions: the margin ratio is the cross positions'
// maintenance over their equity, the wallet less the isolated margins
// plus the cross positions' unrealised PnL; an isolated position's
// maintenance and PnL are not in it. Under Binance's rules, with 10,000
// USDT, a cross long of 0.5 BTC from 60,000 at a mark of 61,000 (value
// 30,500, PnL 500, maintenance 0.004*30,500 = 122, initial 30,500/20 =
// 1,525) beside an isolated short of 2 ETH from 3,000 at 3,100 with a
// margin of 600 (value 6,200, PnL -200, maintenance 0.01*6,200 = 62,
// initial 620): cross equity 10,000 - 600 + 500 = 9,900, ratio 122/9,900
// = 0.0123232323..., 19 digits; available 9,900 - 1,525 = 8,375. With
// the wallet at 100 the cross equity is 0: ratio 0, liquidatable.
func TestRatioOfCrossPositions(t *testing.T) {
	a, err := account.New(derivmath.NewContext(), liquidation.Binance)
	noErr(t, err)
	mk := markets(t)
	btc, eth := mk[0].spec, mk[1].spec
	noErr(t, a.SetWallet("USDT", d("10000")))
	noErr(t, a.SetMark(btc, d("61000")))
	noErr(t, a.SetMark(eth, d("3100")))
	p := &account.Position{Spec: btc, Side: account.OneWay, Mode: account.Cross}
	p.Qty.Set(d("0.5"))
	p.Entry.Set(d("60000"))
	p.Leverage.SetInt64(20)
	p.MMR.Set(d("0.004"))
	noErr(t, a.Set(p))
	q := &account.Position{Spec: eth, Side: account.OneWay, Mode: account.Isolated}
	q.Qty.Set(d("-2"))
	q.Entry.Set(d("3000"))
	q.Leverage.SetInt64(10)
	q.Margin.Set(d("600"))
	q.MMR.Set(d("0.01"))
	noErr(t, a.Set(q))
	var s account.Summary
	noErr(t, a.Summary(&s, "USDT"))
	for _, f := range []struct{ name, got, want string }{
		{"equity", s.Equity.Text('f'), "10300"},
		{"maintenance", s.Maintenance.Text('f'), "184"},
		{"initial", s.Initial.Text('f'), "2145"},
		{"ratio", s.Ratio.Text('f'), "0.01232323232323232323"},
		{"available", s.Available.Text('f'), "8375"},
	} {
		if f.got != f.want {
			t.Errorf("%s %s, want %s", f.name, f.got, f.want)
		}
	}
	if s.Liquidatable {
		t.Error("liquidatable at a cross equity of 9,900 over a maintenance of 122")
	}
	noErr(t, a.SetWallet("USDT", d("100")))
	noErr(t, a.Summary(&s, "USDT"))
	if !s.Ratio.IsZero() || !s.Available.IsZero() || !s.Liquidatable {
		t.Errorf("cross equity 0: ratio %s, available %s, liquidatable %v; want 0, 0, true", s.Ratio.String(), s.Available.String(), s.Liquidatable)
	}
}
