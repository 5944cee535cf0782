package account_test

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
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

// TestBitMEXAvailableFromMarginObject: BitMEX's availableMargin is
// marginBalance - initMargin - maintMargin, where a cross position's
// maintMargin is its posMargin (posInit + posComm) plus its unrealised
// PnL: the wallet less posInit and posComm, the PnL not counted. A
// margin object and its position (walletBalance 11,193,820 XBt; a cross
// long of 1 XBTUSD from 6,377 at 100x, posCost -15,681, mark 6,382.17,
// posInit ceil(15,681/100) = 157, posComm ceil(0.00075*(15,681 + 157)) =
// 12, unrealisedPnl 12, maintMargin 181) give availableMargin 11,193,832 -
// 0 - 181 = 11,193,651 XBt, the account's 0.1119382 - 0.00000169. The
// ratio is posMaint over the cross equity, ceil(0.005*15,681) + 12 = 91
// over 11,193,820 + 15,681 - 10^8/6,382.17 XBt.
func TestBitMEXAvailableFromMarginObject(t *testing.T) {
	a, err := account.New(derivmath.NewContext(), liquidation.BitMEX)
	noErr(t, err)
	xbt, err := contract.New(contract.Params{Symbol: "XBTUSD", Kind: contract.Inverse, Settle: "XBT", Multiplier: "1", Tick: "0.5", Lot: "1", Taker: "0.00075", Minor: "0.00000001"})
	noErr(t, err)
	noErr(t, a.SetWallet("XBT", d("0.1119382")))
	noErr(t, a.SetMark(xbt, d("6382.17")))
	p := &account.Position{Spec: xbt, Side: account.OneWay, Mode: account.Cross}
	p.Qty.Set(d("1"))
	p.Entry.Set(d("6377"))
	p.Cost.Set(d("-0.00015681"))
	p.Leverage.SetInt64(100)
	p.MMR.Set(d("0.005"))
	noErr(t, a.Set(p))
	var s account.Summary
	noErr(t, a.Summary(&s, "XBT"))
	// Each step rounded to the context's 19 digits: the value at the
	// mark, the PnL, the cross equity, the ratio.
	ctx := apd.BaseContext.WithPrecision(19)
	var v, upnl, ce, ratio apd.Decimal
	_, _ = ctx.Quo(&v, d("1"), d("6382.17"))
	_, _ = ctx.Sub(&upnl, d("0.00015681"), &v)
	_, _ = ctx.Add(&ce, d("0.1119382"), &upnl)
	_, _ = ctx.Quo(&ratio, d("0.00000091"), &ce)
	for _, f := range []struct{ name, got, want string }{
		{"initial", s.Initial.Text('f'), "0.00000169"},
		{"maintenance", s.Maintenance.Text('f'), "0.00000091"},
		{"available", s.Available.Text('f'), "0.11193651"},
		{"ratio", s.Ratio.Text('f'), ratio.Text('f')},
	} {
		if f.got != f.want {
			t.Errorf("%s %s, want %s", f.name, f.got, f.want)
		}
	}
}
