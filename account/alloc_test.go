package account_test

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
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

// As orderbook's TestAllocs does, the allocation tests count every
// allocation of 1,000 runs of each row, not the average that
// testing.AllocsPerRun rounds down, so that a path that allocates now and
// then is seen; the least count of three attempts, each on accounts built
// afresh, keeps out the runtime's own allocations (dectest.CheckMallocs).

// TestSetMarkAllocs: the mark-update path allocates nothing, whatever the
// convention and the number of positions, in each context of the fast
// path (the package documentation).
func TestSetMarkAllocs(t *testing.T) {
	for _, c := range allocContexts() {
		t.Run(c.name, func(t *testing.T) {
			dectest.CheckMallocs(t, 3, 1, 1000, func() []dectest.AllocCase { return setMarkCases(t, c.ctx) })
		})
	}
}

// setMarkCases builds the accounts of TestSetMarkAllocs afresh, and
// returns its rows in ctx.
func setMarkCases(t *testing.T, ctx *apd.Context) []dectest.AllocCase {
	t.Helper()
	var rows []dectest.AllocCase
	for _, conv := range conventions {
		for _, n := range []int{1, 10, 100} {
			a, specs := crossAccountIn(t, ctx, conv, n)
			marks := []*apd.Decimal{d("50123.4"), d("49876.5"), d("51000")}
			i := 0
			rows = append(rows, dectest.Succeeds(t, fmt.Sprintf("%v, %d positions: SetMark", conv, n), func() error {
				i++
				err := a.SetMark(specs[i%n], marks[i%len(marks)])
				sink = a.Liquidatable()
				return err
			}))
		}
	}
	return rows
}

// TestReportAllocs: Report allocates only to grow the Solver it keeps (the
// package documentation), so once every position has been reported it
// allocates nothing, whatever the convention and the number of positions,
// in each context of the fast path.
func TestReportAllocs(t *testing.T) {
	for _, c := range allocContexts() {
		t.Run(c.name, func(t *testing.T) {
			dectest.CheckMallocs(t, 3, 1, 1000, func() []dectest.AllocCase { return reportCases(t, c.ctx) })
		})
	}
}

// reportCases builds the accounts of TestReportAllocs afresh, grows their
// Solvers, and returns its rows in ctx.
func reportCases(t *testing.T, ctx *apd.Context) []dectest.AllocCase {
	t.Helper()
	var rows []dectest.AllocCase
	for _, conv := range conventions {
		for _, n := range []int{1, 10, 100} {
			a, _ := crossAccountIn(t, ctx, conv, n)
			var r account.Report
			for i := range n { // grow the Solver to the largest margin group
				noErr(t, a.Report(&r, i, liquidation.TowardEntry))
			}
			i := 0
			rows = append(rows, dectest.Succeeds(t, fmt.Sprintf("%v, %d positions: Report", conv, n), func() error {
				i++
				return a.Report(&r, i%n, liquidation.TowardEntry)
			}))
		}
	}
	return rows
}

// TestReportAllocsBesideHedge: under Bybit's rules, Report toward the
// entry beside a hedge whose fee to close moves with the price, which
// moves the mark to the ticks around the exact price and back to judge
// them, allocates nothing once the Solver has grown.
func TestReportAllocsBesideHedge(t *testing.T) {
	dectest.CheckMallocs(t, 3, 1, 1000, func() []dectest.AllocCase {
		var rows []dectest.AllocCase
		for _, qty := range []string{"1", "-1"} {
			a, _ := besideHedge(t, qty)
			var r account.Report
			noErr(t, a.Report(&r, 0, liquidation.TowardEntry))
			rows = append(rows, dectest.Succeeds(t, qty+" BTCUSD: Report", func() error {
				return a.Report(&r, 0, liquidation.TowardEntry)
			}))
		}
		return rows
	})
}

// TestAllocsOther covers what TestSetMarkAllocs and TestReportAllocs leave
// out: the readers (Summary, Wallet, Mark, Find), the inverse contracts
// and isolated positions of besideHedge's account, and the failed calls,
// whose errors are all sentinels; each run of a row of a failed call must
// fail. None allocates, in the steady state (the Solver grown by a first
// Report).
func TestAllocsOther(t *testing.T) {
	for _, c := range allocContexts() {
		t.Run(c.name, func(t *testing.T) {
			dectest.CheckMallocs(t, 3, 1, 1000, func() []dectest.AllocCase { return otherCases(t, c.ctx) })
		})
	}
	t.Run("inverse", func(t *testing.T) {
		dectest.CheckMallocs(t, 3, 1, 1000, func() []dectest.AllocCase {
			a, perp := besideHedge(t, "-1")
			var r account.Report
			noErr(t, a.Report(&r, 0, liquidation.Nearest))
			mark := d("50100")
			return []dectest.AllocCase{
				dectest.Succeeds(t, "SetMark", func() error { return a.SetMark(perp, mark) }),
				dectest.Succeeds(t, "Report", func() error { return a.Report(&r, 0, liquidation.Nearest) }),
			}
		})
	})
}

// otherCases builds the accounts of TestAllocsOther afresh, grows their
// Solvers, and returns its rows in ctx.
func otherCases(t *testing.T, ctx *apd.Context) []dectest.AllocCase {
	t.Helper()
	var rows []dectest.AllocCase
	for _, conv := range conventions {
		a, specs := crossAccountIn(t, ctx, conv, 10)
		iso := &account.Position{Spec: specs[3], Side: account.OneWay, Mode: account.Isolated}
		iso.Qty.Set(d("-0.4"))
		iso.Entry.Set(d("50500"))
		iso.Leverage.SetInt64(10)
		iso.MMR.Set(d("0.005"))
		if conv == liquidation.Binance {
			iso.Tiers = margin.BTCUSDT()
		}
		noErr(t, a.Set(iso))
		var r account.Report
		var sum account.Summary
		var z apd.Decimal
		for i := range a.Len() {
			noErr(t, a.Report(&r, i, liquidation.TowardEntry))
		}
		mark, zero := d("50123.4"), d("0")
		k := a.Find(specs[3], account.OneWay)
		for _, row := range []struct {
			name  string
			fails bool
			fn    func() error
		}{
			{"Summary", false, func() error { return a.Summary(&sum, "USDT") }},
			{"Wallet", false, func() error { a.Wallet(&z, "USDT"); return nil }},
			{"Mark", false, func() error { _ = a.Mark(&z, specs[3]); return nil }},
			{"Find", false, func() error { _ = a.Find(specs[3], account.OneWay); return nil }},
			{"SetMark isolated", false, func() error { return a.SetMark(specs[3], mark) }},
			{"Report isolated", false, func() error { return a.Report(&r, k, liquidation.Nearest) }},
			{"SetMark bad mark", true, func() error { return a.SetMark(specs[3], zero) }},
			{"SetMark nil spec", true, func() error { return a.SetMark(nil, mark) }},
			{"Report index", true, func() error { return a.Report(&r, a.Len(), liquidation.TowardEntry) }},
			{"Report rounding", true, func() error { return a.Report(&r, 0, liquidation.Rounding(9)) }},
			{"Transfer NaN", true, func() error { return a.Transfer("USDT", d0NaN) }},
		} {
			name := fmt.Sprintf("%v, %s", conv, row.name)
			if row.fails {
				rows = append(rows, dectest.Fails(t, name, nil, row.fn))
			} else {
				rows = append(rows, dectest.Succeeds(t, name, row.fn))
			}
		}
	}
	return rows
}

var d0NaN = &apd.Decimal{Form: apd.NaN}
