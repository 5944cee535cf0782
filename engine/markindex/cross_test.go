package markindex_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine/markindex"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
	"pgregory.net/rapid"
)

// shown renders what a shows: its marks on specs, the liquidatable flag,
// the USDT account page, and every position's report (or the errors).
func shown(a *account.Account, specs []*contract.Spec) string {
	var b strings.Builder
	for _, s := range specs {
		var m apd.Decimal
		ok := a.Mark(&m, s)
		fmt.Fprintf(&b, "%s %v %s\n", s.Symbol, ok, m.String())
	}
	var z account.Summary
	err := a.Summary(&z, "USDT")
	fmt.Fprintf(&b, "%v %v %s %s %s %s %s\n", a.Liquidatable(), err, z.Equity.String(), z.Maintenance.String(), z.Initial.String(), z.Ratio.String(), z.Available.String())
	for i := range a.Len() {
		var r account.Report
		err := a.Report(&r, i, liquidation.Exact)
		fmt.Fprintf(&b, "%d %v %s %s %s %s %v %v\n", i, err, r.Value.String(), r.Unrealised.String(), r.Maintenance.String(), r.Liquidation.String(), r.LiquidationStatus, r.Liquidatable)
	}
	return b.String()
}

// TestCrossLeavesAccount: Cross moves the marks of the account to solve
// and puts them back, so that whether it succeeds or fails the account
// shows what it showed before; on error the legs' keys are unchanged.
// Random cross accounts on two or three linear contracts, under each
// convention, some with a tier table whose limit a band edge passes (an
// error after marks have moved), with tolerances from tiny to almost 1,
// or hostile.
func TestCrossLeavesAccount(t *testing.T) {
	rows := []margin.Tier{{}}
	rows[0].MMR.Set(d("0.01"))
	rows[0].MaxLeverage.Set(d("50"))
	capped, err := margin.NewTiers(rows, d("120000"))
	if err != nil {
		t.Fatal(err)
	}
	rapid.Check(t, func(t *rapid.T) {
		conv := rapid.SampledFrom([]liquidation.Convention{liquidation.Binance, liquidation.BitMEX, liquidation.Bybit}).Draw(t, "conv")
		a, err := account.New(derivmath.NewContext(), conv)
		if err != nil {
			t.Fatal(err)
		}
		specs := []*contract.Spec{contract.BTCUSDT()}
		for _, p := range []contract.Params{
			{Symbol: "ETHUSDT", Kind: contract.Linear, Settle: "USDT", Multiplier: "1", Tick: "0.01", Lot: "0.001", Taker: "0.0005"},
			{Symbol: "XRPUSDT", Kind: contract.Linear, Settle: "USDT", Multiplier: "1", Tick: "0.0001", Lot: "1", Taker: "0.0005"},
		} {
			s, err := contract.New(p)
			if err != nil {
				t.Fatal(err)
			}
			specs = append(specs, s)
		}
		marks := []string{"60000", "3000", "0.5"}
		var w apd.Decimal
		w.SetInt64(rapid.Int64Range(100, 50_000).Draw(t, "wallet"))
		if err := a.SetWallet("USDT", &w); err != nil {
			t.Fatal(err)
		}
		n := rapid.IntRange(2, 3).Draw(t, "contracts")
		var legs []markindex.Leg
		for s := range n {
			if err := a.SetMark(specs[s], d(marks[s])); err != nil {
				t.Fatal(err)
			}
			p := &account.Position{Spec: specs[s], Side: account.OneWay, Mode: account.Cross}
			lots := rapid.Int64Range(-2000, 2000).Filter(func(n int64) bool { return n != 0 }).Draw(t, "lots")
			p.Qty.Set(apd.New(lots, -3))
			if s == 2 {
				p.Qty.Set(apd.New(lots*100, 0))
			}
			p.Entry.Set(d(marks[s]))
			p.Leverage.SetInt64(rapid.Int64Range(1, 50).Draw(t, "leverage"))
			p.MMR.Set(d("0.005"))
			if s == 0 && conv == liquidation.Binance && rapid.Bool().Draw(t, "capped") {
				p.Tiers = capped
			}
			if err := a.Set(p); err != nil {
				t.Skip("position refused: ", err)
			}
			x, err := markindex.New(&specs[s].Tick, markindex.Deepest)
			if err != nil {
				t.Fatal(err)
			}
			legs = append(legs, markindex.Leg{Spec: specs[s], Index: x, Key: markindex.Key{Lo: 7, Hi: 9}})
		}
		switch rapid.IntRange(0, 9).Draw(t, "odd legs") {
		case 0:
			legs = legs[:len(legs)-1] // a contract missing
		case 1:
			legs[1].Spec = legs[0].Spec // a contract twice
		case 2:
			legs[0].Index = nil
		}
		tol := d(rapid.SampledFrom([]string{"0.0001", "0.01", "0.3", "0.99"}).Draw(t, "tol"))
		if rapid.IntRange(0, 4).Draw(t, "hostile tol") == 0 {
			tol = dectest.HostileDecimal(t, "tol")
		}
		before := shown(a, specs)
		err = markindex.Cross(a, "USDT", tol, legs)
		if after := shown(a, specs); after != before {
			t.Fatalf("Cross (error %v) changed the account:\n%s---\n%s", err, before, after)
		}
		if err != nil {
			for j := range legs {
				if legs[j].Key != (markindex.Key{Lo: 7, Hi: 9}) {
					t.Fatalf("Cross failed with %v but set leg %d's key to %+v", err, j, legs[j].Key)
				}
			}
		}
	})
}
