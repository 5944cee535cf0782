package bench

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/funding"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
	"github.com/shopspring/decimal"
)

// Each kernel has three sub-benchmarks, impl=derivmath, impl=float64 and
// impl=shopspring, so that benchstat -col /impl sets them side by side.
// The loops are written out, not passed as closures, so that the float64
// versions are inlined as they would be in real code. Results go to the
// sinks below.

var (
	sinkD apd.Decimal
	sinkF float64
	sinkS decimal.Decimal
)

func BenchmarkValueLinear(b *testing.B) {
	b.Run("impl=derivmath", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := btcusdt.Value(ctx, &sinkD, dm.LinQty, dm.LinPrice); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=float64", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkF = ValueLinearF(fl.LinQty, fl.One, fl.LinPrice)
		}
	})
	b.Run("impl=shopspring", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkS = ValueLinearD(sd.LinQty, sd.One, sd.LinPrice)
		}
	})
}

func BenchmarkValueInverse(b *testing.B) {
	b.Run("impl=derivmath", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := xbtusd.Value(ctx, &sinkD, dm.InvQty, dm.InvPrice); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=float64", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkF = ValueInverseF(fl.InvQty, fl.One, fl.InvPrice)
		}
	})
	b.Run("impl=shopspring", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkS = ValueInverseD(sd.InvQty, sd.One, sd.InvPrice)
		}
	})
}

func BenchmarkPnLLinear(b *testing.B) {
	b.Run("impl=derivmath", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := btcusdt.PnL(ctx, &sinkD, dm.LinQty, dm.LinEntry, dm.LinExit); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=float64", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkF = PnLLinearF(fl.LinQty, fl.One, fl.LinEntry, fl.LinExit)
		}
	})
	b.Run("impl=shopspring", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkS = PnLLinearD(sd.LinQty, sd.One, sd.LinEntry, sd.LinExit)
		}
	})
}

func BenchmarkPnLInverse(b *testing.B) {
	b.Run("impl=derivmath", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := xbtusd.PnL(ctx, &sinkD, dm.InvQty, dm.InvEntry, dm.InvExit); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=float64", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkF = PnLInverseF(fl.InvQty, fl.One, fl.InvEntry, fl.InvExit)
		}
	})
	b.Run("impl=shopspring", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkS = PnLInverseD(sd.InvQty, sd.One, sd.InvEntry, sd.InvExit)
		}
	})
}

func BenchmarkAvgEntryInverse(b *testing.B) {
	b.Run("impl=derivmath", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := xbtusd.AvgEntry(ctx, &sinkD, fills); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=float64", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkF = AvgEntryInverseF(fillQtyF, fillPxF)
		}
	})
	b.Run("impl=shopspring", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkS = AvgEntryInverseD(fillQtyD, fillPxD)
		}
	})
}

func BenchmarkInitialMargin(b *testing.B) {
	b.Run("impl=derivmath", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := margin.Initial(ctx, &sinkD, dm.Value, dm.Leverage); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=float64", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkF = InitialF(fl.Value, fl.Leverage)
		}
	})
	b.Run("impl=shopspring", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkS = InitialD(sd.Value, sd.Leverage)
		}
	})
}

func BenchmarkMaintenanceTiers(b *testing.B) {
	b.Run("impl=derivmath", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := tiers.Maintenance(ctx, &sinkD, dm.Notional); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=float64", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkF = MaintenanceTiersF(tiersF, fl.Notional)
		}
	})
	b.Run("impl=shopspring", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkS = MaintenanceTiersD(tiersD, sd.Notional)
		}
	})
}

func BenchmarkFundingPayment(b *testing.B) {
	b.Run("impl=derivmath", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := funding.Payment(ctx, &sinkD, xbtusd, &invPos, dm.Mark, dm.Rate); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=float64", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkF = FundingPaymentInverseF(fl.InvQty, fl.One, fl.Mark, fl.Rate)
		}
	})
	b.Run("impl=shopspring", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkS = FundingPaymentInverseD(sd.InvQty, sd.One, sd.Mark, sd.Rate)
		}
	})
}

func BenchmarkPremium(b *testing.B) {
	b.Run("impl=derivmath", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := funding.Premium(ctx, &sinkD, dm.Bid, dm.Ask, dm.Index); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=float64", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkF = PremiumF(fl.Bid, fl.Ask, fl.Index)
		}
	})
	b.Run("impl=shopspring", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkS = PremiumD(sd.Bid, sd.Ask, sd.Index)
		}
	})
}

func BenchmarkLiquidationBinance(b *testing.B) {
	b.Run("impl=derivmath", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := liquidation.Price(ctx, &sinkD, binanceAccount, liquidation.Exact); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=float64", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkF = LiquidationBinanceF(fl.LinQty, fl.LinEntry, fl.Wallet, fl.MMR, fl.Cum)
		}
	})
	b.Run("impl=shopspring", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkS = LiquidationBinanceD(sd.LinQty, sd.LinEntry, sd.Wallet, sd.MMR, sd.Cum)
		}
	})
}

func BenchmarkLiquidationBitMEX(b *testing.B) {
	b.Run("impl=derivmath", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := liquidation.Price(ctx, &sinkD, bitmexAccount, liquidation.TowardEntry); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=float64", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkF = LiquidationBitMEXF(fl.InvQty, fl.One, fl.InvEntry, fl.BmMargin, fl.BmFee, fl.MMR, fl.Tick)
		}
	})
	b.Run("impl=shopspring", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkS = LiquidationBitMEXD(sd.InvQty, sd.One, sd.InvEntry, sd.BmMargin, sd.BmFee, sd.MMR, sd.Tick)
		}
	})
}
