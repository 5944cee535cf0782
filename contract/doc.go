// Package contract computes what a derivatives position is worth and what it
// earns: contract value, profit and loss, return on equity, break-even
// prices, fees, and the accounting of fills into a position. Its numbers
// follow package derivmath: the context, the valid inputs, the result gate,
// rounding to a step, the numeric sentinels, allocation.
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
// [BTCUSDT] carry the parameters of well-known instruments; [New] builds a
// Spec from [Params], text as it comes from configuration or an exchange
// (a [*ParseError] names a field that does not parse).
//
// A Spec computes [Spec.Value], [Spec.PnL], [Spec.Cost], [Spec.Fee] and
// [Spec.Price] (the price at which a quantity is worth a value). A
// [Position] is a holding with its realised PnL and fees: [Spec.Apply]
// books a [Fill] into it, and [Spec.Unrealised], [Spec.ROE] and
// [Spec.BreakEven] read it; [Spec.AvgEntry] averages fills in closed form.
// [Spec.Ticks], [Spec.Lots], [Spec.FromTicks] and [Spec.FromLots] convert
// prices and sizes to and from the integers of package orderbook.
//
// # Units and signs
//
// Prices are in the quote currency; quantities in contracts; values, PnL and
// fees in the settlement currency. A quantity is signed: long > 0, short < 0;
// the multiplier is always positive ([Spec.Validate]). A value is that of
// |N| contracts, never negative whatever the side; PnL takes the sign of
// the quantity, as in the table above. A loss is a negative PnL; a fee paid
// is positive and a rebate negative, on a buy or a sell alike.
//
// # Rounding
//
// What an exchange rounds is rounded where it is produced, in a named mode:
// when a Spec has a minor unit ([Spec].Minor), [Spec.Cost], [Spec.Fee] and
// each fill's realised PnL ([Spec.Apply]) are rounded half-up to it, as
// BitMEX rounds execCost to the nearest satoshi; without one they are
// exact. An average entry is rounded to the context's precision, in its
// rounding mode. Ticks and lots are never rounded: [Spec.Ticks],
// [Spec.Lots] and [Spec.Apply] refuse a price off the tick ([ErrOffTick])
// or a quantity off the lot ([ErrOffLot]); round first with
// derivmath.Round where that is what is meant.
//
// # Errors
//
// Besides derivmath's sentinels, this package's own are in errors.go. Every
// computation checks the kind and the multiplier ([ErrKind],
// [ErrMultiplier]), so a Spec filled in by hand and never validated fails
// rather than computing as another contract; each function lists its other
// errors. The presets are the only functions that panic, and only if this
// package's own constants were wrong.
//
// # Sharing
//
// A valid Spec is only read, so it may be shared by goroutines; a Position
// is changed by Apply and needs the caller's synchronisation.
//
// # Sources
//
// BitMEX perpetual contracts guide and inverse futures guide (inverse value
// and PnL, harmonic average entry); BitMEX blog on quanto contracts (ETHUSD
// multiplier); BitMEX API execution records (cost rounded to the nearest
// satoshi); Binance USD-M and COIN-M contract specifications. The worked
// examples they publish are this package's table tests (testdata/).
package contract
