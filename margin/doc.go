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
// Each function's documentation gives its formula and source. Initial
// margin: [Initial], [IMR]. Maintenance margin has three published shapes:
//
//   - Tiered, Binance ([Tier], [NewTiers], [Maintenance], [Cum],
//     [Tiers.Maintenance], [Tiers.CheckLeverage]): Binance's
//     leverage and margin brackets ([BTCUSDT]), its FAQ on leverage and
//     margin of USD-M futures, and its COIN-M liquidation FAQ (100
//     contracts of 100 USD at 25,000: notional 0.4 BTC, MM 0.0016 BTC at
//     0.4%). Bybit's "deduction" is the same amount.
//   - Stepped risk limits, BitMEX ([Steps]: [Steps.Count], [Steps.IMR],
//     [Steps.MMR], [Steps.Initial], [Steps.Maintenance],
//     [Steps.CheckLeverage]): its risk limits page (a 2019 copy has base
//     100, step 50, 0.5%/2%).
//   - Size-linear, Deribit ([SizeLinear], [DeribitBTC], with the same
//     methods but Count and CheckLeverage): its linear perpetual article.
//
// Reserves: [FeeToClose], [FundingReserve]; BitMEX's integer fields:
// [BitMEXPosition.Margin], which writes them into a [BitMEX] and which
// [BitMEXNeverLiquidates] sets aside for an isolated inverse short at 1x
// or less. Accounts: [Position], [Ratio],
// [Available], [Order], [MaxQty] and [Tiers.MaxQty]. Isolated or cross is
// a matter of which figures the caller passes: an isolated position's own
// margin and uPnL, or a cross account's wallet and the uPnL and
// maintenance of all its positions.
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
// [Initial] and [Ratio] are correctly rounded. What an exchange rounds, and
// what must be exact ([Steps], [NewTiers]), each function states.
//
// # Errors
//
// Besides derivmath's sentinels, this package's own are in errors.go; a
// notional beyond the end of a schedule is a [*TierError], which carries
// it. The row of a tier table that [NewTiers] rejects comes as a
// [*RowError], and the field of a [BitMEXPosition] that its Margin rejects
// as a [*FieldError], each naming it and wrapping the sentinel. Each
// function lists its errors. Nothing panics on data. Errors may allocate
// (a *TierError, a *RowError, a *FieldError, a wrapped apd error), and so
// may [MaxQty] when the answer reaches 10^17 contracts; nothing else does
// on the fast path.
//
// # Unconfirmed
//
// Each function's documentation says what of it is unconfirmed:
// [FundingReserve], BitMEX's posComm ([BitMEXPosition.Margin]),
// [FeeToClose] for inverse contracts, [Order]'s fees (exchanges do not all
// publish how they reserve them), [Steps] at a step edge, and the presets,
// which record published tables.
//
// # Sharing
//
// [Steps], [SizeLinear] and [BitMEXPosition] are only read by their
// methods: goroutines may share them, as they may a [*Tiers].
package margin
