package venue

import (
	"strconv"

	"github.com/cockroachdb/apd/v3"
)

// MarginMode says whether a position's margin is its own or the account's.
type MarginMode int8

// The margin modes. The zero MarginMode means the payload does not say
// (Binance's positionRisk v3 leaves it to /fapi/v1/symbolConfig).
const (
	// Isolated positions can lose only the margin assigned to them.
	Isolated MarginMode = 1 + iota
	// Cross positions share the account's wallet balance.
	Cross
)

// String returns "Isolated", "Cross", or "MarginMode(0)" for the unknown
// mode.
func (m MarginMode) String() string {
	switch m {
	case Isolated:
		return "Isolated"
	case Cross:
		return "Cross"
	}
	return "MarginMode(" + strconv.Itoa(int(m)) + ")"
}

// PositionSide is the leg a position row belongs to: the single position
// of one-way mode, or one of the two legs of hedge mode.
type PositionSide int8

// The position sides. The zero PositionSide is invalid.
const (
	// OneWay is one-way mode: the row's quantity is long or short
	// (Binance "BOTH", Bybit positionIdx 0, every BitMEX position).
	OneWay PositionSide = 1 + iota
	// Long is the long leg of hedge mode (Binance "LONG", Bybit
	// positionIdx 1); its quantity is never negative.
	Long
	// Short is the short leg of hedge mode (Binance "SHORT", Bybit
	// positionIdx 2); its quantity is never positive.
	Short
)

// String returns "OneWay", "Long", "Short", or "PositionSide(n)".
func (s PositionSide) String() string {
	switch s {
	case OneWay:
		return "OneWay"
	case Long:
		return "Long"
	case Short:
		return "Short"
	}
	return "PositionSide(" + strconv.Itoa(int(s)) + ")"
}

// Position is an open position as every venue's decoder reports it, in the
// units of the instrument's contract.Spec from the same venue package:
// quantities in that Spec's contracts, prices in the quote currency, money
// in the settlement currency's major unit (XBT, not XBt). The exchange's
// own liquidation and bankruptcy prices are kept for comparison with the
// library's.
//
// A Position holds decimals: pass it by pointer and do not copy it after
// first use.
type Position struct {
	Symbol string
	Side   PositionSide
	// Mode is Isolated or Cross, or zero when the payload does not say.
	Mode MarginMode
	// Qty is the signed quantity: long > 0, short < 0, never zero (flat
	// rows are skipped by the decoders and reported separately).
	Qty apd.Decimal
	// Entry is the average entry price, and Mark the mark price of the
	// snapshot.
	Entry, Mark apd.Decimal
	// Leverage is the leverage the exchange reports, zero when the payload
	// has none (Binance positionRisk v3). On a BitMEX cross position it is
	// the maximum leverage, not one chosen by the user.
	Leverage apd.Decimal
	// Margin is the collateral of an isolated position, excluding its
	// unrealised PnL, in the settlement currency; zero for a cross
	// position. Each venue's decoder documents the field it comes from.
	Margin apd.Decimal
	// Liquidation and Bankruptcy are the exchange's prices, unset when the
	// exchange reports none (each venue's decoder documents its
	// sentinels) or, for Bankruptcy, does not report it at all.
	Liquidation, Bankruptcy Decimal
}

// Equal reports whether p and q describe the same position with
// numerically equal values.
func (p *Position) Equal(q *Position) bool {
	return p.Symbol == q.Symbol && p.Side == q.Side && p.Mode == q.Mode &&
		p.Qty.Cmp(&q.Qty) == 0 && p.Entry.Cmp(&q.Entry) == 0 && p.Mark.Cmp(&q.Mark) == 0 &&
		p.Leverage.Cmp(&q.Leverage) == 0 && p.Margin.Cmp(&q.Margin) == 0 &&
		p.Liquidation.Equal(&q.Liquidation) && p.Bankruptcy.Equal(&q.Bankruptcy)
}
