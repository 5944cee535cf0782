package bench

import (
	"math"
	"sort"

	govalues "github.com/govalues/decimal"
	"github.com/quagmt/udecimal"
	"github.com/shopspring/decimal"
)

// Each kernel is written once per implementation, in the same shape: the
// same operations in the same order, and one division where derivmath has
// one. The suffix names the implementation: F float64, D
// github.com/shopspring/decimal, U github.com/quagmt/udecimal, G
// github.com/govalues/decimal. The decimal peers whose operations can fail
// (udecimal's Div, every govalues operation) return the error, as derivmath
// does, and the benchmarks check it.

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

// Tier is one row of a tier table: notionals from Floor need notional*MMR -
// Cum of maintenance.
type Tier[T any] struct{ Floor, MMR, Cum T }

// TierF is one row of a tier table in float64.
type TierF = Tier[float64]

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

// TierD is one row of a tier table in shopspring decimals.
type TierD = Tier[decimal.Decimal]

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

// The github.com/quagmt/udecimal versions of the kernels. Add, Sub and Mul
// cannot fail (they overflow into big.Int); Div reports division by zero.

// ValueLinearU is N*m*P.
func ValueLinearU(qty, m, price udecimal.Decimal) udecimal.Decimal {
	return qty.Abs().Mul(m).Mul(price)
}

// ValueInverseU is N*m/P.
func ValueInverseU(qty, m, price udecimal.Decimal) (udecimal.Decimal, error) {
	return qty.Abs().Mul(m).Div(price)
}

// PnLLinearU is Q*m*(exit - entry).
func PnLLinearU(qty, m, entry, exit udecimal.Decimal) udecimal.Decimal {
	return qty.Mul(m).Mul(exit.Sub(entry))
}

// PnLInverseU is Q*m*(exit - entry)/(entry*exit).
func PnLInverseU(qty, m, entry, exit udecimal.Decimal) (udecimal.Decimal, error) {
	return qty.Mul(m).Mul(exit.Sub(entry)).Div(entry.Mul(exit))
}

// AvgEntryInverseU is the harmonic mean sum(N_i)/sum(N_i/P_i).
func AvgEntryInverseU(qty, price []udecimal.Decimal) (udecimal.Decimal, error) {
	n, v := udecimal.Zero, udecimal.Zero
	for i := range qty {
		a := qty[i].Abs()
		n = n.Add(a)
		q, err := a.Div(price[i])
		if err != nil {
			return udecimal.Zero, err
		}
		v = v.Add(q)
	}
	return n.Div(v)
}

// InitialU is value/leverage.
func InitialU(value, leverage udecimal.Decimal) (udecimal.Decimal, error) {
	return value.Div(leverage)
}

// TierU is one row of a tier table in udecimal.
type TierU = Tier[udecimal.Decimal]

// MaintenanceTiersU is notional*MMR - cum of the tier notional falls in.
func MaintenanceTiersU(tiers []TierU, notional udecimal.Decimal) udecimal.Decimal {
	i := sort.Search(len(tiers), func(i int) bool { return tiers[i].Floor.GreaterThan(notional) }) - 1
	return notional.Mul(tiers[i].MMR).Sub(tiers[i].Cum)
}

// FundingPaymentInverseU is sign(Q)*(N*m/mark)*rate.
func FundingPaymentInverseU(qty, m, mark, rate udecimal.Decimal) (udecimal.Decimal, error) {
	v, err := qty.Mul(m).Div(mark)
	if err != nil {
		return udecimal.Zero, err
	}
	return v.Mul(rate), nil
}

// PremiumU is (max(0, bid - index) - max(0, index - ask))/index.
func PremiumU(bid, ask, index udecimal.Decimal) (udecimal.Decimal, error) {
	up := udecimal.Max(udecimal.Zero, bid.Sub(index))
	down := udecimal.Max(udecimal.Zero, index.Sub(ask))
	return up.Sub(down).Div(index)
}

// LiquidationBinanceU is Binance's isolated USD-M liquidation price,
// (WB + cum - s*N*EP)/(N*MMR - s*N), for a linear contract of multiplier 1.
func LiquidationBinanceU(qty, entry, wallet, mmr, cum udecimal.Decimal) (udecimal.Decimal, error) {
	sn := qty // s*N
	n := qty.Abs()
	return wallet.Add(cum).Sub(sn.Mul(entry)).Div(n.Mul(mmr).Sub(sn))
}

// LiquidationBitMEXU is LiquidationBitMEXF in udecimal. udecimal has no
// ceiling to a number of places: RoundAwayFromZero(8) is that ceiling for
// the maintenance, which is never negative.
func LiquidationBitMEXU(qty, m, entry, margin, feeReserve, mmr, tick udecimal.Decimal) (udecimal.Decimal, error) {
	n := qty.Mul(m)
	cost, err := n.Div(entry)
	if err != nil {
		return udecimal.Zero, err
	}
	mm := mmr.Mul(cost).RoundAwayFromZero(8).Add(feeReserve)
	p, err := n.Div(cost.Add(margin).Sub(mm))
	if err != nil {
		return udecimal.Zero, err
	}
	t, err := p.Div(tick)
	if err != nil {
		return udecimal.Zero, err
	}
	return t.Ceil().Mul(tick), nil
}

// The github.com/govalues/decimal versions of the kernels. Every
// arithmetic operation returns an error (overflow, division by zero).

// ValueLinearG is N*m*P.
func ValueLinearG(qty, m, price govalues.Decimal) (govalues.Decimal, error) {
	v, err := qty.Abs().Mul(m)
	if err != nil {
		return v, err
	}
	return v.Mul(price)
}

// ValueInverseG is N*m/P.
func ValueInverseG(qty, m, price govalues.Decimal) (govalues.Decimal, error) {
	v, err := qty.Abs().Mul(m)
	if err != nil {
		return v, err
	}
	return v.Quo(price)
}

// PnLLinearG is Q*m*(exit - entry).
func PnLLinearG(qty, m, entry, exit govalues.Decimal) (govalues.Decimal, error) {
	n, err := qty.Mul(m)
	if err != nil {
		return n, err
	}
	d, err := exit.Sub(entry)
	if err != nil {
		return d, err
	}
	return n.Mul(d)
}

// PnLInverseG is Q*m*(exit - entry)/(entry*exit).
func PnLInverseG(qty, m, entry, exit govalues.Decimal) (govalues.Decimal, error) {
	n, err := qty.Mul(m)
	if err != nil {
		return n, err
	}
	d, err := exit.Sub(entry)
	if err != nil {
		return d, err
	}
	if n, err = n.Mul(d); err != nil {
		return n, err
	}
	ee, err := entry.Mul(exit)
	if err != nil {
		return ee, err
	}
	return n.Quo(ee)
}

// AvgEntryInverseG is the harmonic mean sum(N_i)/sum(N_i/P_i).
func AvgEntryInverseG(qty, price []govalues.Decimal) (govalues.Decimal, error) {
	var n, v govalues.Decimal
	for i := range qty {
		a := qty[i].Abs()
		var err error
		if n, err = n.Add(a); err != nil {
			return n, err
		}
		q, err := a.Quo(price[i])
		if err != nil {
			return q, err
		}
		if v, err = v.Add(q); err != nil {
			return v, err
		}
	}
	return n.Quo(v)
}

// InitialG is value/leverage.
func InitialG(value, leverage govalues.Decimal) (govalues.Decimal, error) {
	return value.Quo(leverage)
}

// TierG is one row of a tier table in govalues decimals.
type TierG = Tier[govalues.Decimal]

// MaintenanceTiersG is notional*MMR - cum of the tier notional falls in.
func MaintenanceTiersG(tiers []TierG, notional govalues.Decimal) (govalues.Decimal, error) {
	i := sort.Search(len(tiers), func(i int) bool { return tiers[i].Floor.Cmp(notional) > 0 }) - 1
	mm, err := notional.Mul(tiers[i].MMR)
	if err != nil {
		return mm, err
	}
	return mm.Sub(tiers[i].Cum)
}

// FundingPaymentInverseG is sign(Q)*(N*m/mark)*rate.
func FundingPaymentInverseG(qty, m, mark, rate govalues.Decimal) (govalues.Decimal, error) {
	n, err := qty.Mul(m)
	if err != nil {
		return n, err
	}
	v, err := n.Quo(mark)
	if err != nil {
		return v, err
	}
	return v.Mul(rate)
}

// PremiumG is (max(0, bid - index) - max(0, index - ask))/index.
func PremiumG(bid, ask, index govalues.Decimal) (govalues.Decimal, error) {
	var zero govalues.Decimal
	up, err := bid.Sub(index)
	if err != nil {
		return up, err
	}
	down, err := index.Sub(ask)
	if err != nil {
		return down, err
	}
	d, err := zero.Max(up).Sub(zero.Max(down))
	if err != nil {
		return d, err
	}
	return d.Quo(index)
}

// LiquidationBinanceG is Binance's isolated USD-M liquidation price,
// (WB + cum - s*N*EP)/(N*MMR - s*N), for a linear contract of multiplier 1.
func LiquidationBinanceG(qty, entry, wallet, mmr, cum govalues.Decimal) (govalues.Decimal, error) {
	sn := qty // s*N
	n := qty.Abs()
	num, err := wallet.Add(cum)
	if err != nil {
		return num, err
	}
	t, err := sn.Mul(entry)
	if err != nil {
		return t, err
	}
	if num, err = num.Sub(t); err != nil {
		return num, err
	}
	den, err := n.Mul(mmr)
	if err != nil {
		return den, err
	}
	if den, err = den.Sub(sn); err != nil {
		return den, err
	}
	return num.Quo(den)
}

// LiquidationBitMEXG is LiquidationBitMEXF in govalues decimals: Ceil(8)
// is the ceiling to the satoshi, Ceil(0) to a whole number of ticks.
func LiquidationBitMEXG(qty, m, entry, margin, feeReserve, mmr, tick govalues.Decimal) (govalues.Decimal, error) {
	n, err := qty.Mul(m)
	if err != nil {
		return n, err
	}
	cost, err := n.Quo(entry)
	if err != nil {
		return cost, err
	}
	mm, err := mmr.Mul(cost)
	if err != nil {
		return mm, err
	}
	if mm, err = mm.Ceil(8).Add(feeReserve); err != nil {
		return mm, err
	}
	v, err := cost.Add(margin)
	if err != nil {
		return v, err
	}
	if v, err = v.Sub(mm); err != nil {
		return v, err
	}
	p, err := n.Quo(v)
	if err != nil {
		return p, err
	}
	t, err := p.Quo(tick)
	if err != nil {
		return t, err
	}
	return t.Ceil(0).Mul(tick)
}
