// Package liquidation computes bankruptcy and liquidation prices: the price
// at which a position's margin is gone, and the earlier price at which the
// exchange takes the position over because its margin has fallen to the
// maintenance requirement. Both come from one solver, for linear, quanto and
// inverse contracts, isolated and cross margin, one-way and hedge mode, and
// the conventions of BitMEX, Binance and Bybit ([Convention]). Its numbers
// follow package derivmath: the context, the valid inputs, the result gate,
// the numeric sentinels, allocation.
//
// # Bankruptcy and liquidation
//
// A position's equity is the margin that backs it plus its unrealised PnL.
// At the bankruptcy price the equity, less the fee reserved to close the
// position, is zero: the margin is lost. The exchange does not wait for that:
// at the liquidation price the equity equals the maintenance margin, and
// the liquidation engine closes the position; what is left of the
// maintenance margin pays for the close, and the rest goes to the insurance
// fund.
//
// Worked example (BitMEX XBTUSD, inverse, 1 USD per contract): long 10,000
// contracts at 50,000 with 25x leverage. The entry value is
// 10,000/50,000 = 0.2 XBT and the initial margin 0.2/25 = 0.008 XBT. With
// no fees, the position is bankrupt when its loss 10,000*(1/50,000 - 1/P)
// reaches 0.008 XBT: P_B = 50,000*25/26 = 48,076.92. With a maintenance
// margin of 0.5% of the entry value (0.001 XBT), it is liquidated when the
// loss reaches 0.008 - 0.001 = 0.007 XBT: P_L = 50,000/(1 + 1/25 - 0.005)
// = 48,309.18, which BitMEX rounds up to the tick, 48,309.5.
//
// # Units and signs
//
// Prices (a leg's entry and mark, the solved prices) are in the quote
// currency of the account's contract. A leg's quantity is signed contracts
// of its contract.Spec (long > 0, short < 0), as in package contract. Money
// ([Account].Balance, OtherPnL, OtherMM, FeeReserve, ExtraMM, the margin
// [IsolatedMargin] computes) is in the settlement currency, which every leg
// shares; OtherMM, FeeReserve, ExtraMM and a leg's Cum are never negative,
// and neither is a leg's maintenance: a Cum above MMR*value leaves it 0
// ([Leg].Cum).
// MMR is a fraction in [0, 1) (0.005 is 0.5%). A price that does not exist
// is a [Status], [Never] or [Always], with 0 written, never a zero or
// negative price passed off as one. [Distance] writes |mark - P_L| in the
// quote currency and that over the mark as a fraction, both never
// negative: whether the mark is past the price is [Liquidatable]'s answer.
//
// # One solver
//
// Equity and maintenance are affine in u, the value of one contract at the
// price (u = m*P for linear and quanto, m/P for inverse contracts): leg i
// with N_i contracts and entry value v0_i has uPnL = sigma_i*(N_i*u - v0_i),
// sigma_i = +1 when it gains as u rises (a linear long, an inverse short)
// and -1 otherwise. So equity minus the threshold is den*u - num, solved in
// closed form with one division, and mapped back to a price. The closed
// forms the exchanges publish are special cases:
//
//	BitMEX isolated inverse, no fees:  long P_B = EP*L/(L+1), short EP*L/(L-1)
//	                                   long P_L = EP/(1 + 1/L - MMR), short EP/(1 - 1/L + MMR)
//	BitMEX from API fields:            value(P_L) = posCost + posMaint - posMargin
//	                                   value(P_B) = posCost - (posMargin - posComm)
//	Binance USD-M:  LP = (WB - TMM1 + UPNL1 + cum - s*N*EP)/(N*MMR - s*N)
//	Binance COIN-M: LP = N*(MMR + s)/((WB + cum)/m + s*N/EP)
//	Bybit USDT isolated:               LP = EP -/+ (IM - MM)/size
//	Bybit inverse isolated:            LP = Qty/(PV +/- (IM - MM)), PV = Qty/EP
//
// The tests check each of them, and every published worked example, against
// this one solver. The sums are rounded to the context's precision as they
// are added, in the order of the legs; [Rounding] says how the price is
// rounded, and [Status] what a solve found (a price, or [Never] or [Always]).
//
// # Tiers
//
// A leg with a tier table ([Leg].Tiers, a margin.Tiers) takes its MMR and
// Cum from the tier of its notional. Under the BitMEX and Bybit
// conventions that is the notional at entry, read once by [Compile]. Under
// the Binance convention it is the notional at the price solved for, so the
// maintenance moves with the price: the solver follows Binance's
// re-evaluation, in the tiers of the entry notionals and then in those at
// the answer until they no longer change, and where that is inconclusive
// solves exactly on every stretch of prices where no leg changes tier
// ([Solver.Price]). A leg with a Cum and no table has two tiers:
// maintenance 0 up to the notional Cum/MMR, MMR*value - Cum above
// ([Leg].Cum). A table's limit bounds the tiers. Under the BitMEX and
// Bybit conventions an entry notional at or above it is an error of
// [Compile] (a *margin.TierError). Under the Binance convention, which
// reads the tier at the price, it is none: such an entry (a position
// opened before the exchange lowered the limit keeps it) starts the solve
// from the last tier; and a root whose notional lies at or above the limit
// is no root, so that a short which only a price beyond the table would
// liquidate is [Never] (TestBeyondLimitFromFirstTier).
//
// # Rounding
//
// A price comes from one division (one a pass of Binance's tier
// re-evaluation), at the context's precision in its rounding mode, and is
// then rounded per the caller's [Rounding]: [Exact] leaves it at the
// context's precision (Binance reports its liquidation prices unrounded,
// truncated to 8 decimals); [TowardEntry] rounds it to the tick on the
// side the account reaches first, up for a long and down for a short, as
// BitMEX (1971.53 to 1972 for a long) and Bybit do; [Nearest] rounds it to
// the nearest tick, ties to the even tick. Under TowardEntry and Nearest a
// positive price under one tick becomes one tick. [Liquidatable] and
// [Solver.Liquidatable] compare the mark with the exact price, not with a
// rounded one: the long of the worked example above, whose price BitMEX
// shows as 48,309.5, is not liquidatable at a mark of 48,309.5 (its exact
// price is 48,309.18), and is at 48,309.
//
// # Compiled solver and one-shot functions
//
// [Compile] validates an [Account] and loads it once into a [Solver]: every
// decimal read and checked, each leg's entry value and sign computed, and
// num and den summed. A Solver then answers [Solver.Price],
// [Solver.Bankruptcy], [Solver.Liquidatable] and [Solver.Distance] without
// reading the Account again, and [Solver.SetMark] moves the mark of a leg
// on another contract. The functions [Price], [Bankruptcy],
// [Liquidatable], [Distance] and [IsolatedMargin] load the account on the
// stack for one call, summing only the threshold the call solves: they
// suit a single answer, a compiled Solver suits a bot that asks again on
// every tick.
//
// Cost, for an account with n legs, t of them on the account's contract
// with tiers under the Binance convention (or with a Cum, which makes
// two tiers: maintenance 0, then MMR*value - Cum), h on other contracts:
//
//   - Compile: O(n), a few operations per leg (its entry value, its terms);
//     a tier lookup per tiered leg; allocation only to grow the Solver's
//     storage (legs on other contracts, tiered legs beyond [InlineTiered]).
//   - Price, Bankruptcy: the first call after Compile or SetMark solves:
//     a multiplication and a division, plus the h additions that fold the
//     legs on other contracts in again after a SetMark; without tiers the
//     price is then kept, and later calls only round it to the tick.
//     With tiers, each pass of Binance's re-evaluation costs a lookup and
//     three operations per tiered leg, usually two passes, and for hedged
//     legs one more lookup and evaluation to check that the root is the
//     one nearest their average entry; an inconclusive re-evaluation (or
//     a farther root) falls back to the exact segment scan, O(t * tiers)
//     per segment. Legs with a Cum and no tiers are first solved in their
//     tier 1, as legs without tiers, with two multiplications and a
//     comparison per such leg to check that the root leaves each in tier
//     1 (where it does, the price is kept); a one-shot call that finds
//     one in tier 0 loads the account again with their tiers.
//   - Liquidatable: with the price kept, one comparison (two with legs
//     with a Cum, and their check at a mark past every mark checked
//     before); with tiers, a lookup and three operations per tiered leg
//     and a division.
//   - Distance: Price, a subtraction and a division.
//   - SetMark: O(1): the leg's value at the mark, its tier (Binance, a
//     lookup from the last tier), one multiplication.
//
// The cost grows linearly with the number of legs, with no step: every leg
// is loaded the same way.
//
// # Errors and sharing
//
// Every input is validated when the account is loaded ([Solver.Compile]
// lists the errors), and every price, distance and margin written passes
// the result gate (derivmath.ErrRange). Nothing panics on data. The
// one-shot functions only read the Account, so an Account may be shared by
// goroutines that do not modify it. A Solver updates its caches as it
// answers: it is not safe for concurrent use. It only reads the tier
// tables and Specs it was compiled with, so Solvers compiled from one
// Account, one per goroutine, may share them.
//
// # Sources and known gaps
//
// BitMEX: liquidation and margin guides, real /position records (the
// XBTUSD row of the tests, exact after rounding). Binance: liquidation price
// FAQ for USD-M and COIN-M, real positionRisk records. Bybit: help centre
// pages on liquidation price (USDT and inverse, unified account).
// BitMEX's exact bankruptcy rule and how funding enters for shorts leave 1
// to 2 ticks of difference on some real positions; pass the funding reserve
// as [Account].ExtraMM where it is known.
package liquidation
