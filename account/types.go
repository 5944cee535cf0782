package account

import (
	"strconv"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
)

// Mode says whether a position's margin is its own or the account's.
type Mode int8

// The margin modes. The zero Mode is invalid ([ErrMode]).
const (
	// Isolated positions can lose only their own margin ([Position].Margin).
	Isolated Mode = 1 + iota
	// Cross positions share the wallet of their settlement currency, less
	// the margins of the isolated positions in it.
	Cross
)

var modeNames = [...]string{"invalid", "Isolated", "Cross"}

// String returns "Isolated", "Cross" or "Mode(n)".
func (m Mode) String() string {
	if m < Isolated || m > Cross {
		return "Mode(" + strconv.Itoa(int(m)) + ")"
	}
	return modeNames[m]
}

// Side is the leg a position holds on its contract: the single position of
// one-way mode, or one of the two legs of hedge mode.
type Side int8

// The sides. The zero Side is invalid ([ErrSide]).
const (
	// OneWay is the one position of one-way mode, long or short (Binance
	// "BOTH", Bybit positionIdx 0, every BitMEX position).
	OneWay Side = 1 + iota
	// Long is the long leg of hedge mode; its quantity is positive.
	Long
	// Short is the short leg of hedge mode; its quantity is negative.
	Short
)

var sideNames = [...]string{"invalid", "OneWay", "Long", "Short"}

// String returns "OneWay", "Long", "Short" or "Side(n)".
func (s Side) String() string {
	if s < OneWay || s > Short {
		return "Side(" + strconv.Itoa(int(s)) + ")"
	}
	return sideNames[s]
}

// A Position is an open position as the caller describes it to an
// [Account] ([Account.Set] copies it). Amounts are in the settlement
// currency of Spec (its major unit: XBT, not XBt); rates are fractions.
// Every decimal field must be a valid decimal (derivmath.CheckDecimal),
// also one the account does not read: Set stores it and
// [Account.Position] returns it.
//
// A Position holds decimals: pass it by pointer and do not copy it after
// first use.
type Position struct {
	// Spec is the contract. Positions on one contract share its mark
	// ([Account.SetMark]); an account holds at most one position per
	// contract and Side.
	Spec *contract.Spec
	// Side is OneWay, or Long or Short in hedge mode.
	Side Side
	// Mode is Isolated or Cross. All positions on one contract have the
	// same mode.
	Mode Mode
	// Position holds the signed quantity Qty (long > 0) and the average
	// entry price Entry. Realised and Fees are not read: realised PnL is
	// in the wallet. A Qty of 0 removes the position ([Account.Set]).
	contract.Position
	// Leverage is the position's leverage, for its initial margin (value
	// over leverage). Zero: the position holds no initial margin beyond
	// its fee reserve (Binance positionRisk v3 leaves leverage out). BitMEX
	// allows leverage below 1; the account accepts any positive leverage.
	Leverage apd.Decimal
	// Margin is an isolated position's margin, excluding its unrealised
	// PnL: what it can lose (Binance isolatedWallet, BitMEX posMargin,
	// Bybit positionBalance). It is part of the wallet. Not read for a
	// cross position.
	Margin apd.Decimal
	// Cost, when not zero, is the value at entry to use instead of
	// value(Entry) (its magnitude): BitMEX's posCost in the major unit,
	// which BitMEX rounded to the satoshi when the position was opened.
	Cost apd.Decimal
	// Fee, when not zero, is the fee reserve as the exchange reports it
	// (BitMEX posComm in the major unit), used as is. Zero: the account
	// computes it by the convention's rule (see the package documentation).
	Fee apd.Decimal
	// Tiers, when not nil, gives the maintenance rate and amount from the
	// tier of the position's notional: at the mark for Binance, at entry
	// for BitMEX and Bybit (Bybit's risk limit). Otherwise MMR and Cum.
	Tiers *margin.Tiers
	// MMR is the maintenance margin rate, in [0, 1) (BitMEX
	// maintMarginReq, which includes the risk-limit steps).
	MMR apd.Decimal
	// Cum is the maintenance amount (Binance cum, Bybit mmDeduction),
	// never negative. The maintenance is MMR*value - Cum, never below
	// zero, as liquidation.Leg.Cum has it: at entry under the BitMEX and
	// Bybit conventions (BitMEX: the product rounded up to the minor
	// unit), at the mark under Binance's. A Cum above MMR*value, a
	// bracket's kept after the value left it (a partial close, or, under
	// Binance without Tiers, a notional fallen below Cum/MMR), so leaves
	// a maintenance of 0 (plus the fee reserve where the convention adds
	// it), where the exchange would re-evaluate the bracket (derived; pass
	// Tiers for the bracket to follow the notional).
	Cum apd.Decimal
	// Funding is BitMEX's funding reserve rate: when not zero, maintenance
	// is ceil((MMR + Funding) * |cost|) + fee reserve, one ceiling of the
	// summed rates. Pass |F| of the next funding rate when the position
	// will pay it (BitMEX does not document the rule: an explicit,
	// optional input). Read under the BitMEX convention only, but a rate
	// in [0, 1) under every convention: never negative (Set refuses it
	// with derivmath.ErrRate), so that a Position one account returns is
	// a valid input to an account of any convention.
	Funding apd.Decimal
}

// An Order is an open order as the caller describes it to an [Account]
// ([Account.SetOrder] copies it). It holds initial margin, which the
// available balance excludes; it changes no liquidation price.
//
// An Order holds decimals: pass it by pointer and do not copy it after
// first use.
type Order struct {
	// Spec is the contract; its mark must be set.
	Spec *contract.Spec
	// Side is the position leg the order trades: OneWay, or Long or Short
	// in hedge mode (a sell on the Long leg closes it).
	Side Side
	// Qty is the signed quantity (buy > 0, sell < 0); 0 cancels the order.
	Qty apd.Decimal
	// Price is the limit price, at which the order is margined.
	Price apd.Decimal
	// Leverage is the order's leverage; zero takes the leverage of the
	// position on the same contract and side.
	Leverage apd.Decimal
}

// A Summary is what an exchange's account page shows for one settlement
// currency ([Account.Summary]). Every amount is in that currency.
type Summary struct {
	Currency string
	// Wallet is the wallet balance: deposits and realised PnL, including
	// the margins of isolated positions.
	Wallet apd.Decimal
	// Unrealised is the unrealised PnL of every position at its mark.
	Unrealised apd.Decimal
	// Equity is the margin balance, Wallet + Unrealised.
	Equity apd.Decimal
	// Initial is the initial margin of the positions (per the convention,
	// see the package documentation) and of the open orders; Orders is
	// the orders' part.
	Initial, Orders apd.Decimal
	// Maintenance is the maintenance margin of every position, fee
	// reserves included where the convention includes them.
	Maintenance apd.Decimal
	// Ratio is the margin ratio of the cross positions, their maintenance
	// over their equity (the cross wallet plus their unrealised PnL); the
	// account is liquidated when it reaches 1. Zero without cross
	// positions, or when their equity is zero or less (then they are
	// liquidatable); never negative.
	Ratio apd.Decimal
	// Available is what new orders (or withdrawals) may use: the cross
	// equity (for BitMEX the cross wallet: BitMEX does not lend unrealised
	// PnL) less the initial margin of the cross positions and the orders,
	// and never below 0.
	Available apd.Decimal
	// Liquidatable reports whether the cross positions, or any isolated
	// position, in this currency are at or past their maintenance. Under
	// Bybit's rules, beside a flat inverse hedge whose fee to close moves
	// (see [Account.Report]), the cross positions are at or past it at
	// every price, and Liquidatable says so where Equity and Maintenance,
	// each rounded from its own sum, differ by units in their last digit.
	Liquidatable bool
}

// A Report holds a position's numbers at the marks ([Account.Report]).
// Amounts are in the settlement currency.
type Report struct {
	// Value is the notional at the mark; Unrealised the unrealised PnL.
	Value, Unrealised apd.Decimal
	// Initial, Maintenance and Fee are the position's initial margin,
	// maintenance margin and fee reserve (included in the other two where
	// the convention includes it).
	Initial, Maintenance, Fee apd.Decimal
	// Liquidation and Bankruptcy are the prices of the position's contract
	// at which its margin (the account's, for cross: the other positions
	// held at their marks) falls to its maintenance, or to its fee
	// reserve; each is set when its status is liquidation.Found, else 0.
	Liquidation, Bankruptcy             apd.Decimal
	LiquidationStatus, BankruptcyStatus liquidation.Status
	// Distance is |mark - Liquidation| and DistancePct Distance/mark: how
	// far the mark may move before the position is liquidated; 0 unless
	// LiquidationStatus is Found.
	Distance, DistancePct apd.Decimal
	// Liquidatable reports whether the position's margin (the account's,
	// for cross) is at or below its maintenance at the marks.
	Liquidatable bool
}
