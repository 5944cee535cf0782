// Package contract computes what a derivatives position is worth and what it
// earns: contract value, profit and loss, return on equity, break-even
// prices, fees, and the accounting of fills into a position. Its numbers
// follow the policy of package derivmath (the default context, the valid
// range of inputs, the result gate, rounding to a step, the sentinel
// errors).
//
// # Contracts
//
// A [Spec] describes an instrument. Three payoffs exist ([Kind]); with N
// contracts, multiplier m and price P, in the settlement currency:
//
//	kind     example                          value(P)   PnL(EP -> P), long
//	Linear   Binance BTCUSDT, BitMEX XBTUSDT  N*m*P      N*m*(P - EP)
//	Quanto   BitMEX ETHUSD (m in XBT per USD)  N*m*P      N*m*(P - EP)
//	Inverse  BitMEX XBTUSD, Binance COIN-M    N*m/P      N*m*(1/EP - 1/P)
//
// Inverse PnL is not linear in the price: a long gains less on a rise than
// it loses on a fall of the same size, and a short the opposite. Averaging
// into an inverse position takes the harmonic mean of the fill prices; into a
// linear or quanto one, the arithmetic mean. Presets such as [XBTUSD] and
// [BTCUSDT] carry the parameters of well-known instruments.
//
// # Units and signs
//
// Prices are in the quote currency; quantities in contracts; values, PnL and
// fees in the settlement currency. A quantity is signed: long > 0, short < 0.
// The multiplier is always positive (BitMEX's API writes XBTUSD's multiplier
// as -100000000 XBt; here it is m = 1 USD with money in XBT, and the side is
// the sign of the quantity; [Spec.Validate] rejects a negative one). A loss is a negative PnL; a fee paid is
// positive and a rebate negative.
//
// # Numbers
//
// Every amount is an exact decimal ([apd.Decimal]). Functions follow apd and
// math/big: the context first, then the result z, then the operands by
// pointer, and an error: s.PnL(ctx, z, qty, entry, exit). z may alias any
// operand. Use the context from derivmath.NewContext (19 digits, half-even),
// or any other: the results are then exactly what the same apd operations
// give in that context. The formulas are written with a single division
// where one suffices: on exchange-sized inputs, whose products are exact in
// 19 digits, a result is rounded once, in that division; on wider inputs
// each product rounds too, by at most half a unit of its last place. What
// an exchange rounds is rounded where it is produced, in a named mode:
// [Spec.Cost], [Spec.Fee] and realised PnL round half-up to the exchange's
// minor unit when [Spec.Minor] is set, as BitMEX's integer accounting does.
// derivmath.Round rounds to any step (tick, lot, minor unit) in any
// rounding, exactly.
//
// Every decimal a function writes passes derivmath's result gate: a result
// outside derivmath.CheckDecimal's range is derivmath.ErrRange and nothing
// is written, a zero is 0 (never -0), and every successful output is a
// valid input. Never copy an apd.Decimal or a struct that holds one with =:
// a large coefficient is shared, and a later in-place operation changes
// both. Use Set, and pass [Spec], [Position] and [Fill] by pointer.
//
// # Errors
//
// Bad input is data: each function validates its operands and returns a
// sentinel error that [errors.Is] recognises: derivmath's numeric sentinels
// (derivmath.ErrNaN, ErrInfinite, ErrNegativeZero and ErrRange for malformed
// numbers, ErrPrice, ErrZeroQty, ErrLeverage and ErrFeeRate for meaningless
// ones), and this package's own: [ErrValue], [ErrOffTick], [ErrOffLot], and
// [ErrKind], [ErrMultiplier], [ErrTickSize], [ErrLotSize] and
// [ErrMinorUnit] for an invalid [Spec] (every computation checks the kind
// and the multiplier, so a Spec filled in by hand and never validated fails
// rather than computing as another contract). Failures inside apd (a
// condition the context traps) are wrapped with the operation's name.
// Nothing panics on data, and a failed call changes nothing: not z, not the
// position of a failed [Spec.Apply]. The presets are the only functions
// that panic, and only if this package's own constants were wrong.
//
// # Allocation and concurrency
//
// In any context of 1 to 19 digits that does not trap Inexact (the default
// one, apd.BaseContext.WithPrecision(19), precision 16...), every
// computation allocates nothing for inputs whose coefficients fit a uint64;
// tests enforce this with testing.AllocsPerRun. A valid Spec is only read,
// so it may be shared by goroutines; a Position is changed by Apply and
// needs the caller's synchronisation.
//
// # Sources
//
// BitMEX perpetual contracts guide and inverse futures guide (inverse value
// and PnL, harmonic average entry); BitMEX blog on quanto contracts (ETHUSD
// multiplier); BitMEX API execution records (cost rounded to the nearest
// satoshi); Binance USD-M and COIN-M contract specifications. The worked
// examples they publish are this package's table tests (testdata/).
package contract
