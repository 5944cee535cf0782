package account_test

import (
	"strconv"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
)

// allocContexts are the contexts of derivmath's fast path that the
// allocation tests run in: the default, apd's half-up at 19 digits, and
// 16 digits half-up.
func allocContexts() []struct {
	name string
	ctx  *apd.Context
} {
	p16 := apd.BaseContext.WithPrecision(16)
	p16.Rounding = apd.RoundHalfUp
	return []struct {
		name string
		ctx  *apd.Context
	}{
		{"default", derivmath.NewContext()},
		{"p19HalfUp", apd.BaseContext.WithPrecision(19)},
		{"p16HalfUp", p16},
	}
}

// crossAccount builds an account of the convention with n cross positions
// on n linear contracts settled in USDT (Binance: with the BTCUSDT
// brackets), half long and half short, and returns it with the specs.
func crossAccount(tb testing.TB, conv liquidation.Convention, n int) (*account.Account, []*contract.Spec) {
	tb.Helper()
	return crossAccountIn(tb, derivmath.NewContext(), conv, n)
}

// crossAccountIn is crossAccount computing in ctx.
func crossAccountIn(tb testing.TB, ctx *apd.Context, conv liquidation.Convention, n int) (*account.Account, []*contract.Spec) {
	tb.Helper()
	a, err := account.New(ctx, conv)
	noErr(tb.(fataler), err)
	noErr(tb.(fataler), a.SetWallet("USDT", d("1000000")))
	specs := make([]*contract.Spec, n)
	for i := range specs {
		s, err := contract.New(contract.Params{Symbol: "C" + strconv.Itoa(i) + "USDT", Kind: contract.Linear, Settle: "USDT", Multiplier: "1", Tick: "0.1", Lot: "0.001", Taker: "0.0005"})
		noErr(tb.(fataler), err)
		specs[i] = s
		noErr(tb.(fataler), a.SetMark(s, d("50000")))
		p := &account.Position{Spec: s, Side: account.OneWay, Mode: account.Cross}
		p.Qty.Set(apd.New(int64(1+i%7), -1))
		if i%2 == 1 {
			p.Qty.Neg(&p.Qty)
		}
		p.Entry.Set(apd.New(int64(48000+i*10), 0))
		p.Leverage.SetInt64(20)
		p.MMR.Set(d("0.005"))
		if conv == liquidation.Binance {
			p.Tiers = margin.BTCUSDT()
		}
		noErr(tb.(fataler), a.Set(p))
	}
	return a, specs
}

// TestSetMarkAllocs: the mark-update path allocates nothing, whatever the
// convention and the number of positions, in each context of the fast
// path (the package documentation).
func TestSetMarkAllocs(t *testing.T) {
	for _, c := range allocContexts() {
		for _, conv := range conventions {
			for _, n := range []int{1, 10, 100} {
				a, specs := crossAccountIn(t, c.ctx, conv, n)
				marks := []*apd.Decimal{d("50123.4"), d("49876.5"), d("51000")}
				i := 0
				allocs := testing.AllocsPerRun(100, func() {
					i++
					if err := a.SetMark(specs[i%n], marks[i%len(marks)]); err != nil {
						t.Fatal(err)
					}
					sink = a.Liquidatable()
				})
				if allocs != 0 {
					t.Errorf("%s, %v, %d positions: SetMark allocates %v", c.name, conv, n, allocs)
				}
			}
		}
	}
}

// TestReportAllocs: Report allocates only to grow the Solver it keeps (the
// package documentation), so once every position has been reported it
// allocates nothing, whatever the convention and the number of positions,
// in each context of the fast path.
func TestReportAllocs(t *testing.T) {
	for _, c := range allocContexts() {
		for _, conv := range conventions {
			for _, n := range []int{1, 10, 100} {
				a, _ := crossAccountIn(t, c.ctx, conv, n)
				var r account.Report
				for i := range n { // grow the Solver to the largest margin group
					noErr(t, a.Report(&r, i, liquidation.TowardEntry))
				}
				i := 0
				allocs := testing.AllocsPerRun(100, func() {
					i++
					if err := a.Report(&r, i%n, liquidation.TowardEntry); err != nil {
						t.Fatal(err)
					}
				})
				if allocs != 0 {
					t.Errorf("%s, %v, %d positions: Report allocates %v", c.name, conv, n, allocs)
				}
			}
		}
	}
}

// TestReportAllocsBesideHedge: under Bybit's rules, Report toward the
// entry beside a hedge whose fee to close moves with the price, which
// moves the mark to the ticks around the exact price and back to judge
// them, allocates nothing once the Solver has grown.
func TestReportAllocsBesideHedge(t *testing.T) {
	for _, qty := range []string{"1", "-1"} {
		a, _ := besideHedge(t, qty)
		var r account.Report
		noErr(t, a.Report(&r, 0, liquidation.TowardEntry))
		allocs := testing.AllocsPerRun(100, func() {
			if err := a.Report(&r, 0, liquidation.TowardEntry); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%s BTCUSD: Report allocates %v", qty, allocs)
		}
	}
}
