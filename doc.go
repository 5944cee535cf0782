// Package derivmath is a library for the exact math of crypto derivatives:
// what a position is worth, what it earns or loses, how much margin it
// needs, what funding it pays, and at which price it is liquidated or
// bankrupt. It computes exactly, in decimals, and allocates nothing on its
// hot paths.
//
// This package holds the numeric vocabulary that every other package uses:
// the default context ([NewContext], [Precision]), the range of valid
// decimals ([CheckDecimal], [MaxDigits], [MaxScale]) and the domain checks
// ([CheckPrice], [CheckLeverage], [CheckFeeRate], [CheckRate]), exact
// rounding to a step ([Round], [Rounding]) and the sentinel errors. The
// formulas live in its packages, each of which states only what is its
// own: [github.com/derivmath/derivmath/contract] (value, PnL, fees, fills),
// [github.com/derivmath/derivmath/margin] (margin, tiers, reserves,
// accounts), [github.com/derivmath/derivmath/funding] (funding rates,
// payments, fair prices), [github.com/derivmath/derivmath/liquidation]
// (bankruptcy and liquidation prices),
// [github.com/derivmath/derivmath/account] (a whole exchange account kept
// up to date on each mark), [github.com/derivmath/derivmath/venue]
// (BitMEX, Binance and Bybit payloads assembled into an account) and
// [github.com/derivmath/derivmath/engine] (the liquidation engine's steps
// after the trigger, per venue), with
// [github.com/derivmath/derivmath/engine/drive] (the steps run on an order
// book) and [github.com/derivmath/derivmath/engine/markindex] (the accounts
// a new mark reaches); [github.com/derivmath/derivmath/orderbook] is an
// allocation-free limit order book on int64 ticks and lots.
//
// Imports run one way: derivmath <- contract <- margin <- liquidation <-
// account <- venue/binance, venue/bitmex and venue/bybit -> venue (which
// imports derivmath alone), contract <- funding <- engine, account <-
// engine <- engine/drive -> orderbook, account <- engine/markindex;
// orderbook imports none of them.
//
// # Units and signs
//
// Prices are in the quote currency, quantities in contracts, and money
// (value, PnL, margin, fees, funding) in the contract's settlement currency.
// A position's quantity is signed: long > 0, short < 0. A loss is negative;
// a payment made (a fee, funding paid) is positive from the payer's side, as
// each function's documentation states.
//
// # Numbers, precision and rounding
//
// Every amount is an [apd.Decimal]. Functions follow apd and math/big: the
// context first, then the result z, then the operands by pointer, and an
// error; z may alias any operand.
//
// [NewContext] returns the default context: apd.BaseContext (traps on) with
// [Precision] (19) digits, rounding half-even. Any other context works:
// every intermediate result of a formula is exactly what the same apd
// operation gives in that context, rounded to its precision in its rounding
// mode. Formulas are written with one division where one suffices, so that
// on exchange-sized inputs, whose products are exact in 19 digits, a result
// is rounded once. Results that an exchange rounds are rounded in the
// function that returns them, in a mode the documentation names and the
// caller can often choose (liquidation prices: to the tick, toward the
// entry; BitMEX money: half-up to the satoshi); [Round] rounds to any step
// in any [Rounding], exactly.
//
// Never copy an apd.Decimal, or a struct holding one, with =: a large
// coefficient is shared, and a later in-place operation changes both. Use
// Set, and pass structs holding decimals by pointer.
//
// # Inputs and results: the result gate
//
// Every function validates each decimal input with [CheckDecimal], and
// with a domain check where one applies (a price is positive, a leverage
// at least 1, a fee rate within (-1, 1)).
//
// Every exported function applies one rule, the result gate, to every
// decimal it writes: a result that would fail [CheckDecimal] first loses its
// trailing zeros (its value unchanged); if it still fails, the function
// returns [ErrRange] and writes nothing. A zero result is written as 0,
// never -0. A function with several outputs checks all of them before it
// writes any. So a failed call changes nothing, and every successful output
// is a valid input.
//
// # Errors
//
// Bad input is data, not a bug: every function returns a documented
// sentinel error, comparable with [errors.Is] and ==, or a typed error where
// the caller needs data. Numeric sentinels ([ErrNaN], [ErrInfinite],
// [ErrNegativeZero], [ErrRange], [ErrPrice], [ErrZeroQty], [ErrLeverage],
// [ErrFeeRate], [ErrRate], [ErrStep], [ErrRounding], [ErrContext]) live here
// and are the same values in every package; domain sentinels (a price off
// the tick, a tier table out of order) live in their packages. A condition
// that the context traps (a division by zero, an overflow) is returned as
// apd reports it, wrapped with the function's name. Nothing panics on data.
//
// A nil pointer is not data: as in apd and math/big, pointer arguments
// (decimals, specs, positions, accounts, tables) must not be nil unless
// the documentation gives nil a meaning (a nil options struct means the
// defaults, a nil tolerance the default one, a nil *margin.Tiers no
// tiers, an error), and a nil one panics. The exception is the context: a
// nil *apd.Context returns [ErrContext].
//
// # The fast path and allocation
//
// The packages compute on an internal number layer that reproduces apd's
// arithmetic, digit for digit and exponent for exponent, on 64-, 128- and
// 192-bit integers. It applies in any context with a precision of 1 to 19
// digits, any rounding mode, and Inexact, Rounded and Clamped not trapped:
// [NewContext], apd.BaseContext.WithPrecision(19) (half-up), precision 16,
// and so on. There every exported computation allocates nothing for inputs
// whose coefficients fit a uint64 (all inputs of up to 19 digits), as the
// packages' allocation tables check (every allocation of 1,000 runs of
// each row). In other contexts (a precision above 19, Inexact trapped) the
// same formulas compute through apd and allocate where apd does; apd
// itself allocates for some 19-digit operands, such as an addition whose
// aligned coefficient passes 64 bits or a division whose scaled dividend
// does.
//
// # Sources
//
// The arithmetic is apd's (github.com/cockroachdb/apd/v3), an
// implementation of the General Decimal Arithmetic Specification
// (Cowlishaw, IBM): the contexts, rounding modes and conditions named here
// are that specification's, and the number layer is tested against apd
// itself, digit for digit, over random contexts (internal/num's
// differential tests and fuzz target). [Rounding]'s six modes are its
// roundings by name (round.go). The valid range ([MaxDigits], [MaxScale])
// and the result gate are derivmath's own rules. What the exchanges round,
// and how (BitMEX's satoshis and ticks, Binance's 8 decimals), is cited in
// the package that applies it.
//
// # Concurrency
//
// There is no package-level mutable state. Values that are only read
// (contexts, specs, tier tables) may be shared between goroutines; a value
// that is changed (a position, a book) needs the caller's synchronisation.
package derivmath
