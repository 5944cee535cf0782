package bench

import (
	"math"
	"sort"

	"github.com/shopspring/decimal"
)

// The float64 versions of the kernels.

// ValueLinearF is N*m*P.
func ValueLinearF(qty, m, price float64) float64 { return math.Abs(qty) * m * price }

// ValueInverseF is N*m/P.
func ValueInverseF(qty, m, price float64) float64 { return math.Abs(qty) * m / price }

// PnLLinearF is Q*m*(exit - entry).
func PnLLinearF(qty, m, entry, exit float64) float64 { return qty * m * (exit - entry) }

// PnLInverseF is Q*m*(exit - entry)/(entry*exit).
func PnLInverseF(qty, m, entry, exit float64) float64 {
	return qty * m * (exit - entry) / (entry * exit)
}

// AvgEntryInverseF is the harmonic mean sum(N_i)/sum(N_i/P_i).
func AvgEntryInverseF(qty, price []float64) float64 {
	var n, v float64
	for i := range qty {
		n += math.Abs(qty[i])
		v += math.Abs(qty[i]) / price[i]
	}
	return n / v
}

// InitialF is value/leverage.
func InitialF(value, leverage float64) float64 { return value / leverage }

// TierF is one row of a tier table.
type TierF struct{ Floor, MMR, Cum float64 }

// MaintenanceTiersF is notional*MMR - cum of the tier notional falls in.
func MaintenanceTiersF(tiers []TierF, notional float64) float64 {
	i := sort.Search(len(tiers), func(i int) bool { return tiers[i].Floor > notional }) - 1
	return notional*tiers[i].MMR - tiers[i].Cum
}

// FundingPaymentInverseF is sign(Q)*(N*m/mark)*rate.
func FundingPaymentInverseF(qty, m, mark, rate float64) float64 {
	return qty * m / mark * rate
}

// PremiumF is (max(0, bid - index) - max(0, index - ask))/index.
func PremiumF(bid, ask, index float64) float64 {
	return (max(0, bid-index) - max(0, index-ask)) / index
}

// LiquidationBinanceF is Binance's isolated USD-M liquidation price,
// (WB + cum - s*N*EP)/(N*MMR - s*N), for a linear contract of multiplier 1.
func LiquidationBinanceF(qty, entry, wallet, mmr, cum float64) float64 {
	s, n := 1.0, qty
	if qty < 0 {
		s, n = -1, -qty
	}
	return (wallet + cum - s*n*entry) / (n*mmr - s*n)
}

// LiquidationBitMEXF is the liquidation price of an isolated inverse long in
// BitMEX's convention: maintenance ceil(MMR*cost) to the satoshi plus the fee
// reserve, value(P_L) = cost + margin - maintenance, rounded up to the tick.
func LiquidationBitMEXF(qty, m, entry, margin, feeReserve, mmr, tick float64) float64 {
	cost := qty * m / entry
	mm := math.Ceil(mmr*cost*1e8)/1e8 + feeReserve
	p := qty * m / (cost + margin - mm)
	return math.Ceil(p/tick) * tick
}

// The shopspring/decimal versions of the kernels.

// ValueLinearD is N*m*P.
func ValueLinearD(qty, m, price decimal.Decimal) decimal.Decimal {
	return qty.Abs().Mul(m).Mul(price)
}

// ValueInverseD is N*m/P.
func ValueInverseD(qty, m, price decimal.Decimal) decimal.Decimal {
	return qty.Abs().Mul(m).Div(price)
}

// PnLLinearD is Q*m*(exit - entry).
func PnLLinearD(qty, m, entry, exit decimal.Decimal) decimal.Decimal {
	return qty.Mul(m).Mul(exit.Sub(entry))
}

// PnLInverseD is Q*m*(exit - entry)/(entry*exit).
func PnLInverseD(qty, m, entry, exit decimal.Decimal) decimal.Decimal {
	return qty.Mul(m).Mul(exit.Sub(entry)).Div(entry.Mul(exit))
}

// AvgEntryInverseD is the harmonic mean sum(N_i)/sum(N_i/P_i).
func AvgEntryInverseD(qty, price []decimal.Decimal) decimal.Decimal {
	n, v := decimal.Zero, decimal.Zero
	for i := range qty {
		a := qty[i].Abs()
		n = n.Add(a)
		v = v.Add(a.Div(price[i]))
	}
	return n.Div(v)
}

// InitialD is value/leverage.
func InitialD(value, leverage decimal.Decimal) decimal.Decimal { return value.Div(leverage) }

// TierD is one row of a tier table.
type TierD struct{ Floor, MMR, Cum decimal.Decimal }

// MaintenanceTiersD is notional*MMR - cum of the tier notional falls in.
func MaintenanceTiersD(tiers []TierD, notional decimal.Decimal) decimal.Decimal {
	i := sort.Search(len(tiers), func(i int) bool { return tiers[i].Floor.GreaterThan(notional) }) - 1
	return notional.Mul(tiers[i].MMR).Sub(tiers[i].Cum)
}

// FundingPaymentInverseD is sign(Q)*(N*m/mark)*rate.
func FundingPaymentInverseD(qty, m, mark, rate decimal.Decimal) decimal.Decimal {
	return qty.Mul(m).Div(mark).Mul(rate)
}

// PremiumD is (max(0, bid - index) - max(0, index - ask))/index.
func PremiumD(bid, ask, index decimal.Decimal) decimal.Decimal {
	up := decimal.Max(decimal.Zero, bid.Sub(index))
	down := decimal.Max(decimal.Zero, index.Sub(ask))
	return up.Sub(down).Div(index)
}

// LiquidationBinanceD is Binance's isolated USD-M liquidation price,
// (WB + cum - s*N*EP)/(N*MMR - s*N), for a linear contract of multiplier 1.
func LiquidationBinanceD(qty, entry, wallet, mmr, cum decimal.Decimal) decimal.Decimal {
	sn := qty // s*N
	n := qty.Abs()
	return wallet.Add(cum).Sub(sn.Mul(entry)).Div(n.Mul(mmr).Sub(sn))
}

// LiquidationBitMEXD is LiquidationBitMEXF in decimals.
func LiquidationBitMEXD(qty, m, entry, margin, feeReserve, mmr, tick decimal.Decimal) decimal.Decimal {
	n := qty.Mul(m)
	cost := n.Div(entry)
	mm := mmr.Mul(cost).Shift(8).Ceil().Shift(-8).Add(feeReserve)
	p := n.Div(cost.Add(margin).Sub(mm))
	return p.Div(tick).Ceil().Mul(tick)
}
