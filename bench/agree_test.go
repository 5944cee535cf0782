package bench

import (
	"math"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/funding"
	"github.com/derivmath/derivmath/internal/workload"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
	"github.com/derivmath/derivmath/orderbook"
	"github.com/shopspring/decimal"
)

// TestKernelsAgree checks, on the benchmarks' inputs, that derivmath, the
// float64 formula and the shopspring formula of each kernel give the same
// result: float64 within 1e-9 relative, shopspring (which divides to 16
// decimal places) within 1e-12 relative of derivmath. Each expected value
// is also written out, to 10 digits, as Python's decimal module computes it
// at 50 digits, so that a change in the inputs or a shared mistake is seen.
func TestKernelsAgree(t *testing.T) {
	var z apd.Decimal
	for _, k := range []struct {
		name string
		dm   func() error
		f    float64
		s    decimal.Decimal
		want string // rounded to 10 significant digits
	}{
		{
			"ValueLinear", func() error { return btcusdt.Value(ctx, &z, dm.LinQty, dm.LinPrice) },
			ValueLinearF(fl.LinQty, fl.One, fl.LinPrice), ValueLinearD(sd.LinQty, sd.One, sd.LinPrice), "163580.25",
		},
		{
			"ValueInverse", func() error { return xbtusd.Value(ctx, &z, dm.InvQty, dm.InvPrice) },
			ValueInverseF(fl.InvQty, fl.One, fl.InvPrice), ValueInverseD(sd.InvQty, sd.One, sd.InvPrice), "0.1879799794",
		},
		{
			"PnLLinear", func() error { return btcusdt.PnL(ctx, &z, dm.LinQty, dm.LinEntry, dm.LinExit) },
			PnLLinearF(fl.LinQty, fl.One, fl.LinEntry, fl.LinExit), PnLLinearD(sd.LinQty, sd.One, sd.LinEntry, sd.LinExit), "10494",
		},
		{
			"PnLInverse", func() error { return xbtusd.PnL(ctx, &z, dm.InvQty, dm.InvEntry, dm.InvExit) },
			PnLInverseF(fl.InvQty, fl.One, fl.InvEntry, fl.InvExit), PnLInverseD(sd.InvQty, sd.One, sd.InvEntry, sd.InvExit), "0.01288717885",
		},
		{
			"AvgEntryInverse", func() error { return xbtusd.AvgEntry(ctx, &z, fills) },
			AvgEntryInverseF(fillQtyF, fillPxF), AvgEntryInverseD(fillQtyD, fillPxD), "60433.07933",
		},
		{
			"InitialMargin", func() error { return margin.Initial(ctx, &z, dm.Value, dm.Leverage) },
			InitialF(fl.Value, fl.Leverage), InitialD(sd.Value, sd.Leverage), "8179.0125",
		},
		{
			"MaintenanceTiers", func() error { return tiers.Maintenance(ctx, &z, dm.Notional) },
			MaintenanceTiersF(tiersF, fl.Notional), MaintenanceTiersD(tiersD, sd.Notional), "15300.00325",
		},
		{
			"FundingPayment", func() error { return funding.Payment(ctx, &z, xbtusd, &invPos, dm.Mark, dm.Rate) },
			FundingPaymentInverseF(fl.InvQty, fl.One, fl.Mark, fl.Rate), FundingPaymentInverseD(sd.InvQty, sd.One, sd.Mark, sd.Rate), "0.00001879799794",
		},
		{
			"Premium", func() error { return funding.Premium(ctx, &z, dm.Bid, dm.Ask, dm.Index) },
			PremiumF(fl.Bid, fl.Ask, fl.Index), PremiumD(sd.Bid, sd.Ask, sd.Index), "0.000303422406",
		},
		{
			"LiquidationBinance", func() error {
				_, err := liquidation.Price(ctx, &z, binanceAccount, liquidation.Exact)
				return err
			},
			LiquidationBinanceF(fl.LinQty, fl.LinEntry, fl.Wallet, fl.MMR, fl.Cum), LiquidationBinanceD(sd.LinQty, sd.LinEntry, sd.Wallet, sd.MMR, sd.Cum), "58445",
		},
		{
			"LiquidationBitMEX", func() error {
				_, err := liquidation.Price(ctx, &z, bitmexAccount, liquidation.TowardEntry)
				return err
			},
			LiquidationBitMEXF(fl.InvQty, fl.One, fl.InvEntry, fl.BmMargin, fl.BmFee, fl.MMR, fl.Tick),
			LiquidationBitMEXD(sd.InvQty, sd.One, sd.InvEntry, sd.BmMargin, sd.BmFee, sd.MMR, sd.Tick), "59164",
		},
	} {
		if err := k.dm(); err != nil {
			t.Errorf("%s: derivmath: %v", k.name, err)
			continue
		}
		got, err := z.Float64()
		if err != nil {
			t.Fatal(err)
		}
		if rel := math.Abs(k.f-got) / math.Abs(got); !(rel <= 1e-9) {
			t.Errorf("%s: float64 %v, derivmath %s: relative difference %g", k.name, k.f, z.String(), rel)
		}
		dz := decimal.RequireFromString(z.Text('f'))
		if diff := k.s.Sub(dz).Abs(); diff.GreaterThan(dz.Abs().Shift(-12)) {
			t.Errorf("%s: shopspring %s, derivmath %s", k.name, k.s, z.String())
		}
		var r apd.Decimal
		c := apd.BaseContext.WithPrecision(10)
		c.Rounding = apd.RoundHalfEven
		if _, err := c.Round(&r, &z); err != nil {
			t.Fatal(err)
		}
		r.Reduce(&r)
		if r.Text('f') != k.want {
			t.Errorf("%s = %s, want %s (10 digits)", k.name, z.String(), k.want)
		}
	}
}

// TestBooksAgree replays the start of the mixed workload on derivmath's
// book and on the baseline, and checks that they report the same fills and
// the same best bid and ask after every operation: the baseline is a
// correct price-time priority book, so the benchmark compares like with
// like.
func TestBooksAgree(t *testing.T) {
	n := 100_000
	if testing.Short() {
		n = 20_000
	}
	w := genWorkload(n)
	book := workload.NewBook()
	w.Load(t, book)
	naive := w.loadNaive()
	var fills []orderbook.Fill
	var nfills []NaiveFill
	var err error
	for i := range w.Ops {
		if fills, err = workload.Replay(book, &w.Ops[i], fills); err != nil {
			t.Fatalf("op %d: %v", i, err)
		}
		nfills = replayNaive(naive, &w.naiveOps[i], nfills)
		if len(fills) != len(nfills) {
			t.Fatalf("op %d (%+v): %d fills, baseline %d", i, w.Ops[i], len(fills), len(nfills))
		}
		for j, f := range fills {
			g := nfills[j]
			if uint64(f.Maker) != g.Maker || uint64(f.Taker) != g.Taker || f.MakerDone != g.MakerDone ||
				!decimal.New(f.Price, tickExp).Equal(g.Price) || !decimal.New(f.Qty, lotExp).Equal(g.Qty) {
				t.Fatalf("op %d fill %d: %+v, baseline %+v", i, j, f, g)
			}
		}
		for _, s := range []orderbook.Side{orderbook.Buy, orderbook.Sell} {
			best, ok := book.BestBid()
			if s == orderbook.Sell {
				best, ok = book.BestAsk()
			}
			price, qty, nok := naive.Best(s == orderbook.Buy)
			if ok != nok || ok && (!decimal.New(best.Price, tickExp).Equal(price) || !decimal.New(best.Qty, lotExp).Equal(qty)) {
				t.Fatalf("op %d: best %v %+v (%v), baseline %s x %s (%v)", i, s, best, ok, price, qty, nok)
			}
		}
		if book.Len() != naive.Len() {
			t.Fatalf("op %d: %d orders, baseline %d", i, book.Len(), naive.Len())
		}
	}
}
