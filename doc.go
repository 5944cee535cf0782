// Package derivmath is the overview of a library for the math of crypto
// derivatives: what a position is worth, what it earns or loses, how much
// margin it needs, what funding it pays, and at which price it is
// liquidated or bankrupt. It computes exactly, in decimals, and allocates
// nothing on its hot paths. This package holds no code; the work is done in
// its packages:
//
//   - [github.com/derivmath/derivmath/contract]: contract kinds (linear,
//     inverse, quanto) and specs, value, PnL, ROE, break-even, fees, fills
//     and average entry, ticks and lots; the numeric policy.
//   - [github.com/derivmath/derivmath/margin]: initial and maintenance
//     margin, risk-limit tiers (Binance, BitMEX, Deribit), fee and funding
//     reserves, isolated and cross accounts.
//   - [github.com/derivmath/derivmath/funding]: premium index, funding rate,
//     caps, payments, fair-price marking.
//   - [github.com/derivmath/derivmath/liquidation]: bankruptcy and
//     liquidation prices from one solver, isolated and cross.
//   - [github.com/derivmath/derivmath/orderbook]: an embeddable,
//     allocation-free limit order book on int64 ticks and lots, and an L2
//     mirror for exchange feeds.
//
// Imports run one way: contract <- margin <- liquidation, contract <-
// funding; orderbook imports none of them.
//
// # Units and signs
//
// Prices are in the quote currency, quantities in contracts, and money
// (value, PnL, margin, fees, funding) in the contract's settlement currency.
// A position's quantity is signed: long > 0, short < 0. A loss is negative;
// a payment made (a fee, funding paid) is positive from the payer's side, as
// each function's documentation states.
//
// # Precision and rounding
//
// All money, price and quantity math uses apd.Decimal. Use the context
// from contract.NewContext: apd.BaseContext (traps on) at precision 19, the
// largest at which apd's arithmetic allocates nothing for exchange-sized
// inputs (measured; see contract.Precision). Intermediate results are
// rounded half-even to that precision, once per division; formulas are
// written with one division where they can be. Results that an exchange
// rounds are rounded in the function that returns them, in a mode the
// documentation names and the caller can choose (liquidation prices: to the
// tick, toward the entry; BitMEX money: to the satoshi).
//
// # Errors
//
// Bad input is data, not a bug: every function validates its operands and
// returns a documented sentinel error, comparable with [errors.Is], or a
// typed error where the caller needs data. Nothing panics on data, and an
// operation that fails changes nothing.
//
// # Allocation and concurrency
//
// Every exported computation allocates nothing at the default precision,
// and so does the order book in its steady state; each package proves it
// with testing.AllocsPerRun. There is no package-level mutable state.
// Values that are only read (specs, tier tables) may be shared between
// goroutines; a value that is changed (a position, a book) needs the
// caller's synchronisation.
package derivmath
