package bench

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	govalues "github.com/govalues/decimal"
	"github.com/quagmt/udecimal"
	"github.com/shopspring/decimal"
)

// Each kernel has five sub-benchmarks, impl=derivmath, impl=float64,
// impl=shopspring, impl=udecimal and impl=govalues, so that benchstat -col
// /impl sets them side by side. Every input is converted to the
// implementation's own type before the timer starts (inputs_test.go); the
// loops are written out, not passed as closures, so that the float64
// versions are inlined as they would be in real code, and the peers'
// errors are checked as derivmath's are. Results go to the sinks below.

var (
	sinkD apd.Decimal
	sinkF float64
	sinkS decimal.Decimal
	sinkU udecimal.Decimal
	sinkG govalues.Decimal
	sinkB bool
)

func BenchmarkValueLinear(b *testing.B) {
	b.Run("impl=derivmath", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := dm.ValueLinear(&sinkD); err != nil {
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
	b.Run("impl=udecimal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkU = ValueLinearU(ud.LinQty, ud.One, ud.LinPrice)
		}
	})
	b.Run("impl=govalues", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var err error
			if sinkG, err = ValueLinearG(gv.LinQty, gv.One, gv.LinPrice); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkValueInverse(b *testing.B) {
	b.Run("impl=derivmath", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := dm.ValueInverse(&sinkD); err != nil {
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
	b.Run("impl=udecimal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var err error
			if sinkU, err = ValueInverseU(ud.InvQty, ud.One, ud.InvPrice); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=govalues", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var err error
			if sinkG, err = ValueInverseG(gv.InvQty, gv.One, gv.InvPrice); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkPnLLinear(b *testing.B) {
	b.Run("impl=derivmath", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := dm.PnLLinear(&sinkD); err != nil {
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
	b.Run("impl=udecimal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkU = PnLLinearU(ud.LinQty, ud.One, ud.LinEntry, ud.LinExit)
		}
	})
	b.Run("impl=govalues", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var err error
			if sinkG, err = PnLLinearG(gv.LinQty, gv.One, gv.LinEntry, gv.LinExit); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkPnLInverse(b *testing.B) {
	b.Run("impl=derivmath", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := dm.PnLInverse(&sinkD); err != nil {
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
	b.Run("impl=udecimal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var err error
			if sinkU, err = PnLInverseU(ud.InvQty, ud.One, ud.InvEntry, ud.InvExit); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=govalues", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var err error
			if sinkG, err = PnLInverseG(gv.InvQty, gv.One, gv.InvEntry, gv.InvExit); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkAvgEntryInverse(b *testing.B) {
	b.Run("impl=derivmath", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := dm.AvgEntryInverse(&sinkD); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=float64", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkF = AvgEntryInverseF(fl.FillQty[:], fl.FillPx[:])
		}
	})
	b.Run("impl=shopspring", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkS = AvgEntryInverseD(sd.FillQty[:], sd.FillPx[:])
		}
	})
	b.Run("impl=udecimal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var err error
			if sinkU, err = AvgEntryInverseU(ud.FillQty[:], ud.FillPx[:]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=govalues", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var err error
			if sinkG, err = AvgEntryInverseG(gv.FillQty[:], gv.FillPx[:]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkInitialMargin(b *testing.B) {
	b.Run("impl=derivmath", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := dm.InitialMargin(&sinkD); err != nil {
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
	b.Run("impl=udecimal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var err error
			if sinkU, err = InitialU(ud.Value, ud.Leverage); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=govalues", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var err error
			if sinkG, err = InitialG(gv.Value, gv.Leverage); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkMaintenanceTiers(b *testing.B) {
	b.Run("impl=derivmath", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := dm.MaintenanceTiers(&sinkD); err != nil {
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
	b.Run("impl=udecimal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkU = MaintenanceTiersU(tiersU, ud.Notional)
		}
	})
	b.Run("impl=govalues", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var err error
			if sinkG, err = MaintenanceTiersG(tiersG, gv.Notional); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkFundingPayment(b *testing.B) {
	b.Run("impl=derivmath", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := dm.FundingPayment(&sinkD); err != nil {
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
	b.Run("impl=udecimal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var err error
			if sinkU, err = FundingPaymentInverseU(ud.InvQty, ud.One, ud.Mark, ud.Rate); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=govalues", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var err error
			if sinkG, err = FundingPaymentInverseG(gv.InvQty, gv.One, gv.Mark, gv.Rate); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkPremium(b *testing.B) {
	b.Run("impl=derivmath", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := dm.Premium(&sinkD); err != nil {
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
	b.Run("impl=udecimal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var err error
			if sinkU, err = PremiumU(ud.Bid, ud.Ask, ud.Index); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=govalues", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var err error
			if sinkG, err = PremiumG(gv.Bid, gv.Ask, gv.Index); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkLiquidationBinance(b *testing.B) {
	b.Run("impl=derivmath", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := dm.LiquidationBinance(&sinkD); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=oneshot", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := dm.LiquidationBinanceOneShot(&sinkD); err != nil {
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
	b.Run("impl=udecimal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var err error
			if sinkU, err = LiquidationBinanceU(ud.LinQty, ud.LinEntry, ud.Wallet, ud.MMR, ud.Cum); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=govalues", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var err error
			if sinkG, err = LiquidationBinanceG(gv.LinQty, gv.LinEntry, gv.Wallet, gv.MMR, gv.Cum); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkLiquidationBitMEX(b *testing.B) {
	b.Run("impl=derivmath", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := dm.LiquidationBitMEX(&sinkD); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=oneshot", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := dm.LiquidationBitMEXOneShot(&sinkD); err != nil {
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
	b.Run("impl=udecimal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var err error
			if sinkU, err = LiquidationBitMEXU(ud.InvQty, ud.One, ud.InvEntry, ud.BmMargin, ud.BmFee, ud.MMR, ud.Tick); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=govalues", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var err error
			if sinkG, err = LiquidationBitMEXG(gv.InvQty, gv.One, gv.InvEntry, gv.BmMargin, gv.BmFee, gv.MMR, gv.Tick); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// The account-level checks: derivmath's liquidation solver beside the same
// check written in float64 (cross.go). The peers are not run here.

// BenchmarkLiquidatable: is the Binance isolated BTCUSDT long (fixed MMR
// and cum) liquidatable at a mark? Equity less maintenance at the mark.
func BenchmarkLiquidatable(b *testing.B) {
	b.Run("impl=derivmath", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var err error
			if sinkB, err = dm.Liquidatable(dm.in.LiqMark); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=oneshot", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var err error
			if sinkB, err = dm.LiquidatableOneShot(dm.in.LiqMark); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=float64", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkB = LiquidatableIsolatedF(fl.LinQty, fl.LinEntry, fl.Wallet, fl.MMR, fl.Cum, fl.LiqMark)
		}
	})
}

// crossPositions is the number of positions of the cross account.
const crossPositions = len(crossText)

// perPosition reports the time per position of the cross account.
func perPosition(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(crossPositions), "ns/position")
}

// BenchmarkLiquidatableCross10: is the 10-position cross account
// liquidatable at its marks? Every position's uPnL and maintenance (tiered,
// at its mark), against the wallet.
func BenchmarkLiquidatableCross10(b *testing.B) {
	b.Run("impl=derivmath", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var err error
			if sinkB, err = crossDM.Liquidatable(crossMarksDM[0]); err != nil {
				b.Fatal(err)
			}
		}
		perPosition(b)
	})
	b.Run("impl=float64", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sinkB = crossFl.Liquidatable(crossMarksF[0])
		}
		perPosition(b)
	})
}

// BenchmarkCrossReprice10: the 10-position cross account re-solved on a
// mark change, as a bot does on each tick: the marks alternate between two
// sets, and each iteration takes the other nine's uPnL and maintenance at
// the new marks and solves the watched position's liquidation price
// (tiered, Binance). ns/position is the per-position figure.
func BenchmarkCrossReprice10(b *testing.B) {
	b.Run("impl=derivmath", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i ^= 1
			if err := crossDM.Price(&sinkD, crossMarksDM[i]); err != nil {
				b.Fatal(err)
			}
		}
		perPosition(b)
	})
	b.Run("impl=oneshot", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i ^= 1
			if err := crossDM.PriceOneShot(&sinkD, crossMarksDM[i]); err != nil {
				b.Fatal(err)
			}
		}
		perPosition(b)
	})
	b.Run("impl=float64", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			i ^= 1
			sinkF = crossFl.Price(crossMarksF[i])
		}
		perPosition(b)
	})
}
