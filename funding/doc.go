// Package funding computes the funding of perpetual contracts and the fair
// prices that mark perpetuals and dated futures: the premium index, the
// interest component, the funding rate with its clamp and caps, Deribit's
// dead band, the payment of a position and its continuous accrual, the
// annualised rate, the next funding time, and fair price marking. Its
// numbers follow package derivmath: the context, the valid inputs, the
// result gate, the numeric sentinels, allocation.
//
// # Units
//
// Rates (premium index, interest, funding rate, basis, clamp bounds, caps)
// are plain fractions per funding interval: 0.0001 is 0.01% per interval.
// Interest rates of currencies are per day; [Annualised] and [BasisRate]
// are per year of 365 days. Every premium, interest component, funding
// rate and basis that this package takes or returns has a magnitude below
// 1 (derivmath.CheckRate), so that each result is a valid input: where one
// would reach 1 (a rate scaled to 12 or 24 hours, the premium of an impact
// bid at twice the index) the function returns derivmath.ErrRate. Prices
// are in the quote currency; quantities in contracts (signed: long > 0,
// short < 0); payments in the contract's settlement currency
// ([contract.Spec]). Durations are [time.Duration], converted to decimals
// exactly in nanoseconds. Funding intervals must divide 24 hours (8h, 4h,
// 2h, 1h, ...), with fundingsPerDay = 24h/interval.
//
// # Signs: who pays whom
//
// When the funding rate F is positive longs pay shorts; when it is negative
// shorts pay longs. [Payment] and [Accrual] return the amount from the
// position holder's side: positive means the holder pays, negative that
// the holder receives. A long and a short of the same size get opposite
// amounts, so the payments of all positions of a market (whose quantities
// sum to zero) sum to zero.
//
// # Formulas and sources
//
// Each function's documentation gives its formula and source. In the
// order an exchange computes them:
//
//   - The premium index of one sample: Binance's [Premium] against the
//     index, BitMEX's [MarkPremium] against the mark with the fair basis
//     added back, over the impact bid and ask: the average fill prices of
//     the impact margin notional ([ImpactNotional]; the orderbook package
//     computes them). [Average] averages the samples of an interval: BitMEX
//     one a minute with equal weights, Binance one every 5 seconds weighted
//     1, 2, ..., n ([TimeWeighted]).
//   - The interest component [Interest] and the funding rate [Rate],
//     F = avg(P) + clamp(I - avg(P), -0.05%, +0.05%), the bound a parameter
//     ([DefaultClamp]); for a Binance symbol that funds every N hours,
//     [RateBinance]: the 8-hour formula scaled by N/8, as a whole or in
//     its interest and clamp ([Scaling]; [PerInterval] scales one 8-hour
//     rate).
//   - Caps, applied with [Clamp] and [ClampChange]: [CapBitMEX] and
//     [ChangeCapBitMEX] (BitMEX blog, April 2020), [CapBinance].
//   - Deribit's dead band instead of the clamp ([DeadBand],
//     [DefaultDeadBand]), charged continuously ([Accrual]).
//   - The payment at the end of an interval ([Payment]), sign(Q) *
//     value(mark) * F; [Annualised]; the next funding time ([Next]).
//   - Fair price marking (BitMEX fair price marking; Gate futures help): a
//     perpetual at the index plus the funding still to accrue ([Basis],
//     [FairPrice]), a dated future at the index plus the annualised basis of
//     its impact mid ([BasisRate], [FairPriceDated]); Binance's mark price
//     (its "Mark Price and Price Index" FAQ), the median of the perpetual's
//     fair price, the index plus the basis's moving average, and the last
//     price ([MarkBinance]).
//
// # Not confirmed
//
// Binance's weights 1..n for its 5-second samples are the formula of its
// funding FAQ, not checked against published rates: [TimeWeighted] is a
// choice the caller makes, not a default. Binance's cap multiplier c was
// 0.75 for every symbol historically and is now set per symbol, so it is a
// parameter of [CapBinance], with no default. Binance states its interest
// rate and clamp per 8 hours; for a symbol that funds every N hours, no
// source here says whether it scales its whole 8-hour formula by N/8, the
// premium included, or the interest and the clamp alone: that is a
// parameter of [RateBinance], a [Scaling], whose default [DefaultScaling]
// is the first ([ScaleRate]).
//
// # Rounding
//
// Each function's documentation says how many roundings it makes. A result
// has the representation of its last operation: a quotient has ctx's
// precision in digits (at 19 digits Interest of 0.0006 and 0.0003 over 8
// hours is 0.0001000000000000000000), a product or a sum the exponent apd
// gives it. Nothing is rounded to an exchange's tick or minor unit: round
// with [derivmath.Round] where the exchange does.
//
// # Errors
//
// Besides derivmath's sentinels, this package's own are in errors.go; each
// function lists its errors. A list names the errors a function can
// return, not the order it checks for them: when a call has more than one
// fault (two bad inputs, or crossed impact prices and a bad index), which
// of their errors it returns is not specified. Nothing panics on data.
//
// # Sharing
//
// The functions only read their operands and the [contract.Spec]:
// goroutines may share them, but not a result z during the call.
package funding
