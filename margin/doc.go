// Package margin computes initial and maintenance margin: from leverage and
// rates, from tiered schedules (Binance tiers with a maintenance amount,
// BitMEX stepped risk limits, Deribit size-linear rates), with fee-to-close
// and funding reserves, BitMEX's integer margin fields, and the account
// figures built on them (position margin, margin ratio, available balance,
// order margin, the largest position a balance allows).
//
// # Units and signs
//
// Money (values, margins, reserves, balances) is in the contract's
// settlement currency: USDT for Binance USD-M and Bybit USDT contracts, the
// coin for inverse contracts (BTC, XBT). BitMEX's integer fields are whole
// minor units of it (XBt = 0.00000001 XBT). A position's value, or notional,
// is contract.Spec.Value: |Q|*m*P for linear and quanto contracts, |Q|*m/P
// for inverse ones, never negative. Rates are fractions (0.005 is 0.5%);
// leverage is a number of 1 or more. Quantities are signed as in package
// contract: long > 0, short < 0; a buy order > 0, a sell < 0. A computed
// margin is negative only where a function says so ([Maintenance] with an
// amount above value*MMR; BitMEX's posMargin past bankruptcy).
//
// # Formulas and sources
//
// Initial margin is the value divided by the leverage, IM = value*IMR with
// IMR = 1/leverage ([Initial], [IMR]). Which value is the exchange's rule:
// BitMEX and Bybit margin an isolated position on its value at entry,
// Binance a cross position on its notional at the mark price; the caller
// passes the one it needs.
//
// Maintenance margin has three published shapes, from the exchanges'
// documents named:
//
//   - Tiered, Binance ([Tiers], [NewTiers], [Maintenance]):
//     MM = notional*MMR_tier - cum_tier, the tier chosen by notional, never
//     by margin. The maintenance amount follows cum_1 = 0,
//     cum_n = cum_(n-1) + floor_n*(MMR_n - MMR_(n-1)) ([Cum]), which keeps
//     MM continuous at every tier edge; NewTiers rejects a table that
//     breaks it. Sources: Binance's leverage and margin brackets (the
//     BTCUSDT table is [BTCUSDT]), its FAQ on leverage and margin of USD-M
//     futures (floor 250,000 at 1% after 0.5% with amount 50 gives 1,300)
//     and its COIN-M liquidation FAQ (100 contracts of 100 USD at 25,000:
//     notional 0.4 BTC, MM 0.0016 BTC at 0.4%). Bybit's "deduction" is the
//     same amount.
//   - Stepped risk limits, BitMEX ([Steps]): steps =
//     max(0, ceil((value - baseRiskLimit)/step)), MMR = baseMM*(1+steps),
//     IMR = baseIM + steps*baseMM, on the whole position, with no amount,
//     so MM jumps at each step. Source: BitMEX's risk limits page (base 200
//     XBT, step 150, 0.5%/1%; a 2019 copy has base 100, step 50, 0.5%/2%).
//   - Size-linear, Deribit ([SizeLinear], [DeribitBTC]): BTC IMR = 2% +
//     size*0.005%, MMR = 1% + size*0.005%, size in BTC. Source: Deribit's
//     linear perpetual article (25 BTC at 100,000: IM 53,125, MM 28,125).
//
// The fee reserve is the taker fee to close the position at its bankruptcy
// price, taker*value(P_B). [FeeToClose] computes Bybit's form of it, long
// value(EP)*(1 - 1/lev)*taker for a linear contract (Bybit's formula, exact
// against a real XRPUSDT long: 75 at 0.3615, 10x, taker 0.06%, MMR 1% give
// IM 2.72589075 and MM 0.28576575 USDT). Bybit adds it
// to both the initial margin ([Position]) and the maintenance margin. BitMEX
// reserves posComm = ceil(taker*(|posCost| + posInit + posCross)) and adds
// it to posMaint ([BitMEXPosition.Margin]).
//
// BitMEX's integer mode ([BitMEXPosition], [BitMEX]) reproduces the margin
// fields of its API's position object in minor units, each rounded up:
// posInit = ceil(|posCost|*initMarginReq), posComm as above,
// posMaint = ceil(maintMarginReq*|posCost|) + posComm (+ a funding reserve),
// posMargin = posInit + posComm + posCross - posLoss. Against a real XBTUSD
// snapshot the formulas give posInit, posComm and posMargin exactly and
// posMaint 2 XBt short (see Unconfirmed below).
//
// Accounts: [Position] is the margin a position holds (IM plus reserve);
// [Ratio] is maintenance over margin balance, liquidation at 1; [Available]
// is max(0, wallet + uPnL - used margin); [Order] is the margin of an open
// order by BitMEX's rules (a sell at max(limit, best bid), a buy at
// min(limit, best ask), the part that reduces the position free); [MaxQty]
// and [Tiers.MaxQty] give the largest whole number of lots N with
// v(N)/leverage + taker*v(N) <= balance, and, with tiers, a notional whose
// tier allows the leverage. Isolated or cross is a matter of which figures
// the caller passes: an isolated position's own margin and uPnL, or a cross
// account's wallet and the uPnL and maintenance of all its positions.
//
// The schedule a liquidation solver asks "MMR and cum at this notional" is
// a [*Tiers] ([Tiers.Lookup]). BitMEX fixes maintenance at entry, so its
// stepped MMR is read once from [Steps.MMR] at the entry value; Deribit's
// rates depend on size, not price, so [SizeLinear.MMR] is fixed too; a
// single rate with no amount is [Flat].
//
// # Precision and rounding
//
// The numbers follow the policy of package derivmath (its documentation
// states it once): use derivmath.NewContext (precision 19, rounding
// half-even, traps on) or any other context; each result is then exactly
// what the same apd operations give in that context. Each arithmetic
// operation rounds once to it; the formulas have at most one division
// (value/leverage, not value*(1/leverage)), so [Initial] and [Ratio] are
// correctly rounded. What an exchange rounds is rounded here, in the mode
// it uses: BitMEX's fields up (toward +infinity) to a whole minor unit,
// exactly (each product is rounded toward +infinity before the ceiling,
// so the result is the true ceiling whenever it fits in the context's
// precision); quantities from [MaxQty] down to a whole number of lots.
// [Steps] counts steps exactly, and [NewTiers] checks the cum recurrence
// exactly: where a step would need more digits than the context holds they
// fail with derivmath.ErrRange instead of rounding.
//
// Every decimal a function writes passes derivmath's result gate: a result
// outside derivmath.CheckDecimal's range is derivmath.ErrRange and nothing
// is written (a [BitMEXPosition.Margin] checks its four fields before it
// writes any), a zero is 0, never -0, and every successful output is a
// valid input.
//
// # Errors
//
// Bad input is data. Malformed numbers (NaN, infinities, negative zero,
// more than derivmath.MaxDigits digits, exponents beyond
// +-derivmath.MaxScale) give derivmath's sentinels (derivmath.ErrNaN,
// derivmath.ErrRange and the others), prices that are not positive
// derivmath.ErrPrice, leverage below 1 derivmath.ErrLeverage, and a rate
// outside the range a function states derivmath.ErrRate (a maintenance or
// taker rate outside [0, 1), an initial rate outside (0, 1], a funding rate
// outside (-1, 1)). This package's sentinels (errors.go) cover the rest:
// [ErrNoTiers], [ErrTierFloor], [ErrTierRate], [ErrTierLeverage] and
// [ErrCum] for tables, [ErrLimit], [ErrAboveMaxLeverage], [ErrNotional],
// [ErrRiskLimit], [ErrAmount] for a negative amount (a maintenance amount,
// a reserve, a used margin), [ErrWhole] and [ErrBalance]. A notional
// beyond the end of a schedule is a [*TierError], which carries it. A
// condition the context traps is returned as apd reports it, wrapped with
// the function's name. Each function lists what it returns; test with
// errors.Is and errors.As. Nothing panics on data; [Tiers.At] panics on an
// index out of range, like a slice, and the presets only if their own
// constants were wrong.
//
// # Allocation and concurrency
//
// The formulas are written once, on derivmath's internal number layer,
// which loads each input once and computes on machine integers in any
// context of precision 1 to 19 (any rounding; Inexact, Rounded and Clamped
// not trapped): derivmath.NewContext, apd.BaseContext.WithPrecision(19),
// precision 16 and so on. There every computation allocates nothing on its
// success path for inputs whose coefficients fit a uint64, including the
// 19-digit values of inverse contracts; testing.AllocsPerRun tables check
// it in three such contexts, on a fixed table and on random inputs (prices
// from 0.0001 to 10^7, balances up to 10^10). The exceptions: errors may
// allocate (a *TierError, a wrapped apd error), and [MaxQty] may when the
// answer reaches 10^17 contracts. In other contexts (a precision above 19)
// the same formulas compute through apd and allocate where apd does.
//
// A [*Tiers] is never modified after [NewTiers], so goroutines may share it.
// [Steps], [SizeLinear] and [BitMEXPosition] are only read by their
// methods: share them as long as nobody writes to them. Values holding
// decimals (Tier, Steps, SizeLinear, BitMEXPosition, BitMEX) are passed by
// pointer and must not be copied after first use. Every function's z may
// alias any of its decimal operands.
//
// # Unconfirmed
//
//   - BitMEX's funding reserve: real snapshots hold an extra
//     ceil(F*|posCost|) in posMaint when the position will pay the next
//     funding (2 XBt in the XBTUSD snapshot of the tests), but BitMEX does
//     not document the rule. It is an explicit, optional input
//     ([BitMEXPosition.FundingReserve], [FundingReserve]), never applied
//     implicitly.
//   - BitMEX's posComm matches the formula in most real snapshots and is 1
//     XBt higher in some.
//   - [FeeToClose] for inverse contracts applies Bybit's rule at the inverse
//     bankruptcy price (value(EP)*(1 + 1/lev) for a long); it was checked
//     against a real linear position only.
//   - [Order] leaves fees out; exchanges that reserve fees on open orders do
//     so by rules they do not all publish.
//   - At a value exactly on a step edge, base + k*step, [Steps] takes k
//     steps as the formula does, where the published table's "< 350" bounds
//     would take k+1.
//   - The presets record published tables; exchanges change them. Load the
//     live ones where it matters.
package margin
