// Package account computes what an exchange's account page shows, for a
// whole account rather than one position: wallets per settlement
// currency, positions on any number of contracts (isolated or cross,
// one-way or hedge mode), open orders and the margin they hold, and a mark
// price per contract. From them it keeps each position's value, unrealised
// PnL, initial and maintenance margin and fee reserve, and each
// currency's equity (margin balance), margins, margin ratio and available
// balance ([Account.Summary]); it solves each position's liquidation and
// bankruptcy prices, holding the account's other positions at their marks
// as the exchanges display them, and says how far the mark may move
// ([Account.Report]); and it tells whether the account is liquidatable at
// the marks ([Account.Liquidatable]).
//
// [New] makes an empty Account under one liquidation.Convention. It is
// filled with [Account.SetWallet] and [Account.Transfer] (a currency's
// balance), [Account.Set] (a [Position] on a contract.Spec, [Isolated] or
// [Cross] ([Mode]), on a [Side]: [OneWay], or [Long] or [Short] in hedge
// mode), [Account.SetOrder] (an [Order]) and [Account.SetMark], and read
// with [Account.Summary] (a [Summary] per currency), [Account.Report] (a
// [Report] per position), [Account.Position], [Account.Find],
// [Account.Wallet] and [Account.Mark].
//
// # Units and signs
//
// Quantities are signed (long > 0, short < 0) in the contracts of each
// position's contract.Spec; prices are in the quote currency; money is in
// the settlement currency's major unit (XBT, USDT). A wallet holds the
// whole balance of its currency, isolated margins included: the cross
// positions of a currency share its wallet less the isolated margins.
// Every amount stays in its own currency: the account does not convert.
//
// # Exchange rules
//
// An Account follows one liquidation.Convention, the rules of one exchange:
//
//   - Binance: maintenance MMR*notional - cum on the notional at the mark,
//     MMR and cum from the tier of that notional (leverage brackets), or
//     the position's own, never below zero (see Position.Cum);
//     initial margin notional/leverage at the mark; no fee reserve.
//     Binance USD-M and COIN-M liquidation price FAQ; position
//     information (positionRisk) and account information endpoints.
//   - BitMEX: amounts fixed at entry (|posCost|), rounded up to the minor
//     unit (XBt, USDt) when the Spec has one: posInit =
//     ceil(|posCost|/leverage), posComm = ceil(taker*(|posCost| +
//     posInit)) unless the Position gives it, posMaint = ceil((MMR +
//     Funding)*|posCost|) + posComm, the funding reserve summed with the
//     rate under one ceiling (two separately rounded parts give one XBt
//     too many). Each is the exact ceiling of its formula, its product
//     or quotient rounded toward +infinity before the step, as
//     margin.BitMEXPosition computes them (a sum the context cannot hold,
//     |posCost| + posInit or MMR + Funding, is rounded up: never below
//     the ceiling). An isolated inverse short at 1x or less can lose at
//     most its margin: BitMEX never liquidates it
//     (margin.BitMEXNeverLiquidates), reports posComm = posMaint = 0 and
//     a liquidation price of 100000000; the account reports
//     liquidation.Never. The available balance does not count unrealised
//     PnL (BitMEX availableMargin = marginBalance - initMargin -
//     maintMargin). BitMEX API: the position and margin objects.
//   - Bybit: maintenance MMR*value(entry) - deduction (risk limit tiers at
//     the entry value; never below zero, see Position.Cum) plus the fee
//     to close, initial margin value(entry)/leverage plus the fee to
//     close. The fee to close is the taker fee at the bankruptcy price:
//     for linear contracts and isolated inverse ones, the price at which
//     an isolated position at its leverage is bankrupt (long/short:
//     entry*(1 -/+ 1/leverage) linear, entry*leverage/(leverage +/- 1)
//     inverse; 0 at 1x or less for a linear long or an inverse short,
//     which have no positive bankruptcy price); for inverse
//     cross positions, the account's bankruptcy price that already
//     includes that fee (and the given Fee of a hedge leg on the same
//     contract, whose PnL moves with the price), a fixed point solved in
//     closed form (equity is affine in 1/price): the bankruptcy price
//     Report gives; the fee is 0 where it has no positive solution. With
//     cross positions on several inverse contracts settled in one
//     currency, each contract's fee to close moves with the others'
//     prices, since its bankruptcy price moves with their PnL: affine in
//     their PnL where positive, 0 past the kink. The liquidation price of
//     a position takes the other contracts' fees at that price, found in
//     closed form segment by segment between the kinks (the root nearest
//     the marks among those a positive price reaches: a position gains
//     or loses at most its value at the mark on one side); where the
//     cross equity less maintenance has no such root the status is
//     liquidation.Never or liquidation.Always. Beside an exactly flat
//     hedge on an inverse contract whose fee to close is not given, that
//     fee is the whole equity less the given fees: the equity is at or
//     below the maintenance at every price (at it without maintenance
//     rates), so the status is Always and Summary says liquidatable, both
//     read from the legs' sizes, as the rounded equity and maintenance
//     there differ by units in their last digit, either way.
//     Bybit help centre: liquidation price (USDT contract, inverse
//     contract), position margin; v5 API position/list.
//
// Inputs the exchanges' payloads lack (margin mode, fee rates, leverage in
// Binance's positionRisk v3, the funding reserve) are the caller's: the
// venue packages take them as options.
//
// # Mark updates and cost
//
// [Account.SetMark] recomputes the positions on one contract, then each
// currency's totals and the liquidatable flag: time linear in the
// positions, and no allocation in a context where derivmath's fast path
// applies (precision 1 to 19, such as derivmath.NewContext), tested by
// counting every allocation of 1,000 calls. [Account.Set], [Account.SetOrder],
// [Account.SetWallet] and [Account.Transfer] recompute everything, also in
// linear time. [Account.Report] compiles the position's margin group into
// a liquidation.Solver that the Account keeps (linear in the positions,
// plus, under Bybit's rules, a walk quadratic in the inverse contracts
// with cross positions in the position's currency, and, rounding toward
// the entry beside fees that move with the price, up to four
// recomputations of the totals to judge the ticks around the exact price)
// and solves; it allocates only to grow that Solver's storage.
//
// # Rounding, results and errors
//
// Sums are taken in the order the positions were added, rounded to the
// context's precision; a sum of one term is that term. Prices are rounded
// per liquidation.Rounding. Every amount written passes derivmath's result
// gate. Inputs are validated when they enter the account ([Account.Set],
// [Account.SetOrder], [Account.SetMark]), every decimal field of a
// Position included, read or not, so that what [Account.Position] returns
// is a valid input; errors are derivmath's, contract's, margin's and
// liquidation's sentinels and this package's ([ErrNoMark], [ErrSide],
// [ErrMode], ...). A call that fails leaves the account as it was.
// Nothing panics on data.
//
// # Sources
//
// The rules above cite their documents: Binance's USD-M and COIN-M
// liquidation price FAQ, its leverage brackets and its position
// information (positionRisk) and account information endpoints; BitMEX's
// API position and margin objects; Bybit's help centre pages on the
// liquidation price (USDT and inverse contracts) and position margin, and
// its v5 API position/list. The venue packages' Assemble compares every
// figure with the exchange's own on recorded payloads (their testdata/).
//
// # Concurrency
//
// An Account is not safe for concurrent use, not even by readers alone:
// every method, [Account.Summary] and [Account.Report] included, works in
// the Account's own scratch (its context's first error, and the
// liquidation.Solver that Report compiles). The caller synchronises.
// The Specs and tier tables it refers to must not change while it is used;
// it only reads them, as it does its context, so Accounts in separate
// goroutines may share them.
package account
