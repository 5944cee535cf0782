// Package funding computes the funding of perpetual contracts and the fair
// prices that mark perpetuals and dated futures: the premium index, the
// interest component, the funding rate with its clamp and caps, Deribit's
// dead band, the payment of a position and its continuous accrual, the
// annualised rate, the next funding time, and fair price marking.
//
// # Units
//
// Rates (premium index, interest, funding rate, basis, clamp bounds, caps)
// are plain fractions per funding interval: 0.0001 is 0.01% per interval.
// Interest rates of currencies are per day; [Annualised] and [BasisRate]
// are per year of 365 days. Prices are in the quote currency; quantities in
// contracts (signed: long > 0, short < 0); payments in the contract's
// settlement currency ([contract.Spec]). Durations are [time.Duration],
// converted to decimals exactly in nanoseconds. Funding intervals must
// divide 24 hours (8h, 4h, 2h, 1h, ...), with fundingsPerDay = 24h/interval.
//
// # Who pays whom
//
// When the funding rate F is positive longs pay shorts; when it is negative
// shorts pay longs. [Payment] and [Accrual] return the amount from the
// position holder's side: positive means the holder pays, negative that
// the holder receives. A long and a short of the same size get opposite
// amounts, so the payments of all positions of a market (whose quantities
// sum to zero) sum to zero.
//
// # Formulas
//
// Premium index, one sample (Binance funding FAQ; [Premium]):
//
//	P = (max(0, impactBid - index) - max(0, index - impactAsk)) / index
//
// BitMEX measures the impact prices against the mark and adds back the fair
// basis the mark carries (BitMEX perpetual contracts guide; [MarkPremium]):
//
//	P = (max(0, impactBid - mark) - max(0, mark - impactAsk)) / index + fairBasis
//
// The impact bid and ask are the average fill prices of the impact margin
// notional, margin/IMR at the maximum leverage ([ImpactNotional]: Binance
// 200 USDT, 4,000 USDT at 20x; BitMEX 0.1 XBT), computed by the orderbook
// package. The samples of an interval are averaged ([Average]): BitMEX
// takes one a minute with equal weights; Binance one every 5 seconds,
// weighted 1, 2, ..., n ([TimeWeighted]).
//
// Interest component and rate (BitMEX perpetual contracts guide, Binance
// funding FAQ; [Interest], [Rate]):
//
//	I = (quoteRate - baseRate) / fundingsPerDay
//	F = avg(P) + clamp(I - avg(P), -0.05%, +0.05%)
//
// with the bound a parameter ([DefaultClamp] is 0.05%).
//
// Caps ([Clamp] applies them): BitMEX |F| <= 0.75*(IMR - MMR), 0.375% at
// 1% and 0.5% ([CapBitMEX]), and |F - F_prev| <= 0.75*MMR between intervals
// ([ChangeCapBitMEX], applied with [ClampChange]) (BitMEX blog, April
// 2020); Binance |F| <= c*MMR of the first tier ([CapBinance]).
//
// Deribit replaces the clamp by a dead band around zero and charges the
// rate continuously (Deribit perpetual documentation; [DeadBand],
// [Accrual]):
//
//	PR = (mark - index) / index
//	F  = max(0.025%, PR) + min(-0.025%, PR)        per 8 hours
//	funding = F * value(mark) * dt/8h
//
// Payment at the end of an interval ([Payment]): sign(Q) * value(mark) * F,
// with value from [contract.Spec.Value] (N*m*P linear and quanto, N*m/P
// inverse). BitMEX's example: long 15,000 XBTUSD at 750, F = (1% -
// 0.25%)/3 = 0.25%, pays 0.05 XBT. [Annualised] gives F*fundingsPerDay*365.
// [Next] gives the next funding time on a schedule aligned to 00:00 UTC
// plus an offset (BitMEX funds at 04:00, 12:00 and 20:00 UTC).
//
// Fair price marking (BitMEX fair price marking; Gate futures help, the
// same formula): a perpetual is marked at the index plus the funding still
// to accrue ([Basis], [FairPrice]),
//
//	fundingBasis = F * timeUntilFunding / interval
//	mark = index * (1 + fundingBasis)
//
// and a dated future at the index plus the annualised basis of its impact
// mid ([BasisRate], [FairPriceDated]),
//
//	basisRate = ((impactBid + impactAsk)/2 / index - 1) / (timeToExpiry/365d)
//	mark = index + index * basisRate * timeToExpiry/365d
//
// # Not confirmed
//
// Binance's weights 1..n for its 5-second samples are the formula of its
// funding FAQ, not checked against published rates: [TimeWeighted] is a
// choice the caller makes, not a default. Binance's cap multiplier c was
// 0.75 for every symbol historically and is now set per symbol, so it is a
// parameter of [CapBinance], with no default.
//
// # Precision and rounding
//
// Use the context of [derivmath.NewContext] (precision 19, half-even, traps
// on), or any other: every step of a formula gives exactly what the same apd
// operation gives in ctx, value and representation, rounded to ctx's
// precision in ctx's rounding mode. Each function's documentation says how
// many roundings it makes, and the tests bound its error against a 50-digit
// oracle accordingly. A result has the representation of its last
// operation: a quotient has ctx's precision in digits (at 19 digits
// Interest of 0.0006 and 0.0003 over 8 hours is 0.0001000000000000000000,
// and [Average] of 0.0001 and 0.0003 is 0.0002000000000000000000), a product
// or a sum the exponent apd gives it. [Average] sums the whole window
// exactly and rounds the mean once, as one apd division of the exact sum.
// [Clamp] never rounds, and [ClampChange] rounds the ends of its window
// inward, so a capped rate never exceeds its cap. Nothing is rounded to an
// exchange's tick or minor unit: round prices and payments with
// [derivmath.Round] where the exchange does.
//
// Every decimal a function writes passes derivmath's result gate (see the
// derivmath package): a result outside [derivmath.CheckDecimal]'s range is
// derivmath.ErrRange and nothing is written, a zero is 0 (never -0), and
// every successful output is a valid input.
//
// # Errors
//
// Every function validates its operands and returns a sentinel that
// [errors.Is] recognises. Malformed numbers (NaN, infinities, -0, more than
// [derivmath.MaxDigits] digits, exponents beyond ±[derivmath.MaxScale])
// yield derivmath's sentinels ([derivmath.ErrNaN], [derivmath.ErrInfinite],
// [derivmath.ErrNegativeZero], [derivmath.ErrRange]); a price that is zero
// or negative, a zero index among them, yields [derivmath.ErrPrice]; a rate
// (premium, interest, funding rate, basis) of magnitude 1 or more yields
// [derivmath.ErrRate]; a result outside the result range yields
// [derivmath.ErrRange]; a nil context yields [derivmath.ErrContext]. This
// package's own sentinels are in errors.go: [ErrBound], [ErrMarginRate],
// [ErrFactor], [ErrMargin], [ErrCrossed] for an impact bid above the ask,
// [ErrEmptyWindow], [ErrWeighting], [ErrInterval] for an interval that does
// not divide 24 hours, [ErrOffset], [ErrTimeLeft], [ErrDuration], [ErrExpiry]
// and [ErrBasis]. Failures inside apd (a condition the context traps) are
// wrapped with the operation's name. Nothing panics on data, and a failed
// call leaves z as it was; fuzz targets and a hostile-input property test
// check it.
//
// # Allocation and concurrency
//
// In any context of 1 to 19 digits that does not trap Inexact, Rounded or
// Clamped (the default one, apd.BaseContext.WithPrecision(19), precision
// 16...), on 64-bit platforms, every function allocates nothing for inputs
// whose coefficients fit a uint64 (all inputs of up to 19 digits), whatever
// the exponents; [Average] allocates nothing however long the window, unless
// its samples' exponents lie so far apart that the exact sum passes 192
// bits. testing.AllocsPerRun tables at those three contexts, and a sweep of
// random 19-digit operands, check it. In other contexts the same formulas
// compute through apd and allocate where apd does.
//
// The package has no mutable state. Its functions only read their operands
// (and the [contract.Spec]), so they may be called from many goroutines on
// shared operands; a result z must not be shared with another goroutine
// during the call. z may alias any operand.
package funding
