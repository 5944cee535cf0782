// Package margin computes initial and maintenance margin: from leverage and
// rates, from tiered schedules (Binance tiers with a maintenance amount,
// BitMEX stepped risk limits, Deribit size-linear rates), with fee-to-close
// and funding reserves, BitMEX's integer margin fields, and the account
// figures built on them (position margin, margin ratio, available balance,
// order margin, the largest position a balance allows). Its numbers follow
// package derivmath: the context, the valid inputs, the result gate, the
// numeric sentinels, allocation.
//
// # Units and signs
//
// Money (values, margins, reserves, balances) is in the contract's
// settlement currency: USDT for Binance USD-M and Bybit USDT contracts, the
// coin for inverse contracts (BTC, XBT). BitMEX's integer fields are whole
// minor units of it (XBt = 0.00000001 XBT). A position's value, or notional,
// is contract.Spec.Value, never negative. Rates are fractions (0.005 is
// 0.5%); leverage is a number of 1 or more. Quantities are signed as in
// package contract: long > 0, short < 0; a buy order > 0, a sell < 0. A
// computed margin is negative only where a function says so ([Maintenance]
// with an amount above value*MMR; BitMEX's posMargin past bankruptcy).
//
// # Formulas and sources
//
// Initial margin is the value divided by the leverage ([Initial], [IMR]).
// Which value is the exchange's rule: BitMEX and Bybit margin an isolated
// position on its value at entry, Binance a cross position on its notional
// at the mark price; the caller passes the one it needs.
//
// Maintenance margin has three published shapes:
//
//   - Tiered, Binance ([Tiers], [NewTiers], [Maintenance], [Cum]):
//     MM = notional*MMR_tier - cum_tier, the tier chosen by notional, never
//     by margin, cum following a recurrence that keeps MM continuous at
//     every tier edge. Sources: Binance's leverage and margin brackets (the
//     BTCUSDT table is [BTCUSDT]), its FAQ on leverage and margin of USD-M
//     futures, and its COIN-M liquidation FAQ (100 contracts of 100 USD at
//     25,000: notional 0.4 BTC, MM 0.0016 BTC at 0.4%). Bybit's "deduction"
//     is the same amount.
//   - Stepped risk limits, BitMEX ([Steps]): the rate rises by a step for
//     each step of value above a base risk limit, on the whole position,
//     with no amount, so MM jumps at each step. Source: BitMEX's risk limits
//     page (base 200 XBT, step 150, 0.5%/1%; a 2019 copy has base 100, step
//     50, 0.5%/2%).
//   - Size-linear, Deribit ([SizeLinear], [DeribitBTC]): rates linear in the
//     size. Source: Deribit's linear perpetual article.
//
// The fee reserve is the taker fee to close the position at its bankruptcy
// price: Bybit's [FeeToClose], which Bybit adds to both the initial margin
// ([Position]) and the maintenance margin, and BitMEX's posComm, part of
// posMaint. BitMEX's integer mode ([BitMEXPosition], [BitMEX]) reproduces
// the margin fields of its API's position object in minor units.
//
// Accounts: [Position] (the margin a position holds), [Ratio] (maintenance
// over margin balance, liquidation at 1), [Available], [Order] (BitMEX's
// margin of an open order), [MaxQty] and [Tiers.MaxQty] (the largest
// position a balance allows). Isolated or cross is a matter of which
// figures the caller passes: an isolated position's own margin and uPnL,
// or a cross account's wallet and the uPnL and maintenance of all its
// positions.
//
// The schedule a liquidation solver asks "MMR and cum at this notional" is
// a [*Tiers] ([Tiers.Lookup]). BitMEX fixes maintenance at entry, so its
// stepped MMR is read once from [Steps.MMR] at the entry value; Deribit's
// rates depend on size, not price, so [SizeLinear.MMR] is fixed too; a
// single rate with no amount is [Flat].
//
// # Rounding
//
// Each operation rounds once to the context's precision, and the formulas
// have at most one division (value/leverage, not value*(1/leverage)), so
// [Initial] and [Ratio] are correctly rounded. What an exchange rounds is
// rounded here, in the mode it uses: BitMEX's fields up to a whole minor
// unit, exactly whenever the result fits the context's precision;
// quantities from [MaxQty] down to a whole number of lots. [Steps] counts
// steps exactly, and [NewTiers] checks the cum recurrence exactly: where a
// step would need more digits than the context holds they fail with
// derivmath.ErrRange instead of rounding.
//
// # Errors
//
// Besides derivmath's sentinels (a rate outside the range a function
// states is derivmath.ErrRate; a result outside the valid range, the
// result gate, is derivmath.ErrRange), this package's own are in errors.go;
// a notional beyond the end of a schedule is a [*TierError], which carries
// it. Each function lists its other errors. Nothing panics on data;
// [Tiers.At] panics on an index out of range, like a slice, and the
// presets only if their own constants were wrong. Errors may allocate (a
// *TierError, a wrapped apd error), and so may [MaxQty] when the answer
// reaches 10^17 contracts; nothing else does on the fast path.
//
// # Sharing
//
// A [*Tiers] is never modified after [NewTiers], so goroutines may share it.
// [Steps], [SizeLinear] and [BitMEXPosition] are only read by their methods.
//
// # Unconfirmed
//
//   - BitMEX's funding reserve in posMaint ([FundingReserve]): an explicit,
//     optional input, never applied implicitly.
//   - BitMEX's posComm matches the formula in most real snapshots and is 1
//     XBt higher in some ([BitMEXPosition.Margin]).
//   - [FeeToClose] for inverse contracts: checked against a real linear
//     position only.
//   - [Order] leaves fees out; exchanges that reserve fees on open orders do
//     so by rules they do not all publish.
//   - At a value exactly on a step edge [Steps] follows the formula, where
//     the published table's bounds would take one step more.
//   - The presets record published tables; exchanges change them. Load the
//     live ones where it matters.
package margin
