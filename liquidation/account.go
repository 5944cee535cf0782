package liquidation

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/enum"
	"github.com/derivmath/derivmath/margin"
)

// Convention selects how an exchange computes maintenance margin, which is
// what separates one exchange's liquidation price from another's.
type Convention int8

// The conventions. The zero Convention is invalid ([ErrConvention]).
const (
	// Binance computes each leg's maintenance on its notional at the
	// price, MMR*value(P) - Cum, with MMR and Cum from the tier of that
	// notional, re-evaluated until the tier is stable (Binance USD-M and
	// COIN-M liquidation FAQ); a leg without tiers, never below zero (see
	// Leg.Cum). The fee reserve counts only toward
	// bankruptcy. Gate and OKX use the same shape with the taker rate added
	// to MMR.
	Binance Convention = 1 + iota
	// BitMEX fixes each leg's maintenance on its entry value (posCost),
	// ceil(MMR*|posCost|) rounded up to the spec's minor unit when it has
	// one, and adds the fee reserve (posComm) to it: posMaint =
	// ceil(MMR*|posCost|) + posComm. Bankruptcy keeps the fee reserve
	// (BitMEX API, the position object's posCost, posComm, posMaint and
	// posMargin fields).
	BitMEX
	// Bybit fixes each leg's maintenance on its entry value, MMR*value(EP)
	// - Cum (Bybit's "deduction", never below zero: see Leg.Cum), and adds
	// the fee to close (the fee reserve). Bankruptcy keeps the fee reserve (Bybit help: USDT and
	// inverse contract liquidation price).
	Bybit
)

var conventionNames = [...]string{"invalid", "Binance", "BitMEX", "Bybit"}

// String returns the name of the convention, such as "BitMEX".
func (c Convention) String() string { return enum.Name("Convention", conventionNames[:], int(c)) }

// atEntry reports whether c fixes maintenance on the entry value.
func (c Convention) atEntry() bool { return c == BitMEX || c == Bybit }

// A Leg is a position of the account: on the account's contract, where it
// gains or loses as the one price being solved for moves, or on another
// contract, held at its mark. One-way mode has one leg on the account's
// contract; Binance's hedge mode has a long and a short leg on the same
// symbol; a cross account lists its other positions as legs on their own
// contracts.
type Leg struct {
	// Spec is the leg's contract. Nil (or the account's Spec) puts the leg
	// on the account's contract; any other Spec puts it on another
	// contract, which must settle in the account's currency.
	Spec *contract.Spec
	// Position holds the leg's signed quantity (Qty, long > 0, short < 0)
	// and average entry price (Entry). Realised and Fees are not read: a
	// leg's realised PnL is in the account's Balance. A flat leg (Qty 0)
	// is skipped, and none of its other fields is read.
	contract.Position
	// Mark is the mark price of a leg on another contract: it contributes
	// its unrealised PnL at Mark, and its maintenance per the account's
	// Convention (at Mark for Binance, at entry for BitMEX and Bybit).
	// [Solver.SetMark] changes it in a compiled Solver. Not read for a leg
	// on the account's contract.
	Mark apd.Decimal
	// Cost, when not zero, is the value at entry to use instead of
	// value(Entry): BitMEX's posCost (its magnitude), which the exchange
	// rounded to the satoshi when the position was opened.
	Cost apd.Decimal
	// Tiers, when not nil, gives MMR and Cum from the tier of the leg's
	// notional (at the price for Binance, at entry otherwise), and MMR and
	// Cum below are not read. Under the Binance convention the entry's
	// notional may lie at or beyond the table's limit, as it does for a
	// position opened before the exchange lowered it (see [Solver.Price]).
	Tiers *margin.Tiers
	// MMR is the maintenance margin rate, in [0, 1).
	MMR apd.Decimal
	// Cum is Binance's maintenance amount, Bybit's deduction; usually 0,
	// never negative. It lowers the leg's own maintenance and nothing
	// else: the leg's maintenance is MMR*value - Cum where that is
	// positive and 0 where it is not, max(0, MMR*value - Cum), at the
	// price for Binance, at entry for BitMEX and Bybit, at the mark for a
	// leg on another contract. Within the tier it comes from, a Cum never
	// exceeds MMR*value (the cum recurrence starts from 0 at the first
	// tier), and the floor at 0 changes nothing; it takes effect when the
	// value has left that tier, as a partial close or a falling mark
	// leaves it, where the exchanges re-evaluate the tier (Binance's
	// brackets follow the notional) and a maintenance below zero would put
	// the liquidation price past the bankruptcy price (the floor is
	// derived: no exchange document names that case).
	Cum apd.Decimal
}

// An Account is what backs the legs: the margin that can be lost, and, for
// cross margin, the rest of the account.
//
//   - Isolated: Balance is the position margin (initial margin plus added
//     margin, less realised losses); see [IsolatedMargin]. Other* are 0.
//   - Cross: Balance is the wallet balance. The account's positions on
//     other contracts are either listed as legs on their contracts, at
//     their marks, or passed as two numbers, OtherPnL and OtherMM, their
//     unrealised PnL and maintenance margin at their marks (Binance's
//     UPNL1 and TMM1), for callers who have them; the two ways add up.
//     Either way they are held fixed while Spec's price moves: a caller
//     whose other maintenance depends on this price passes its value at
//     the price it solves for (package account does so for Bybit's fees
//     to close of inverse positions settled in one currency).
type Account struct {
	// Spec is the contract whose price is solved for.
	Spec *contract.Spec
	// Convention is the exchange's maintenance rule.
	Convention Convention
	// Legs are the positions: at least one open leg on Spec.
	Legs []Leg
	// Balance is the margin that backs the legs, in the settlement
	// currency.
	Balance apd.Decimal
	// OtherPnL is the unrealised PnL of positions not listed as legs
	// (cross only).
	OtherPnL apd.Decimal
	// OtherMM is the maintenance margin of positions not listed as legs
	// (cross only); never negative.
	OtherMM apd.Decimal
	// FeeReserve is the fee to close the position (BitMEX posComm, Bybit's
	// fee to close): kept back from the balance at bankruptcy, and part of
	// maintenance for BitMEX and Bybit; never negative.
	FeeReserve apd.Decimal
	// ExtraMM is any further fixed maintenance, such as BitMEX's funding
	// reserve (unconfirmed rule: the exchange adds ceil(F*|posCost|) when
	// the position will pay the next funding); never negative.
	ExtraMM apd.Decimal
}
