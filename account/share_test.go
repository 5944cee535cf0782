package account_test

import (
	"testing"

	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
)

// TestShare: an Account is not safe for concurrent use, but the context,
// Specs and tier tables it refers to are only read (the package
// documentation asks only that they do not change), so that Accounts of
// their own in separate goroutines may share them. Each call builds,
// marks and reports on its own Account; run it with -race.
func TestShare(t *testing.T) {
	ctx := derivmath.NewContext()
	btc, tiers := contract.BTCUSDT(), margin.BTCUSDT()
	eth, err := contract.New(contract.Params{Symbol: "ETHUSDT", Kind: contract.Linear, Settle: "USDT", Multiplier: "1", Tick: "0.01", Lot: "0.001"})
	if err != nil {
		t.Fatal(err)
	}
	call := func() string {
		a, err := account.New(ctx, liquidation.Binance)
		if err != nil {
			return err.Error()
		}
		long := &account.Position{Spec: btc, Side: account.OneWay, Mode: account.Cross, Tiers: tiers}
		long.Qty.Set(dectest.D("0.5"))
		long.Entry.Set(dectest.D("60000"))
		long.Leverage.SetInt64(20)
		short := &account.Position{Spec: eth, Side: account.OneWay, Mode: account.Cross, Tiers: tiers}
		short.Qty.Set(dectest.D("-4"))
		short.Entry.Set(dectest.D("3000"))
		short.Leverage.SetInt64(10)
		errs := []error{
			a.SetWallet("USDT", dectest.D("3000")), a.SetMark(btc, dectest.D("61000")),
			a.SetMark(eth, dectest.D("3100")), a.Set(long), a.Set(short),
		}
		var s account.Summary
		errs = append(errs, a.Summary(&s, "USDT"))
		out := dectest.Fields(s)
		var r account.Report
		for i := range a.Len() {
			errs = append(errs, a.Report(&r, i, liquidation.TowardEntry))
			out += dectest.Fields(r)
		}
		errs = append(errs, a.SetMark(eth, dectest.D("3900")))
		return out + dectest.Fields(errs) + dectest.Fields(a.Liquidatable())
	}
	dectest.Share(t, 200, call)
}
