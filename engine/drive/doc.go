// Package drive runs the liquidation engine's sequence against an
// orderbook.Book: it sends each order intent of package engine to the book,
// converts the book's fills (int64 ticks and lots) back to decimals with
// the contract's tick and lot, and passes them to engine.State.Execute.
// The fills are the book's preview of the order (orderbook.Book.Preview),
// and the order trades only once Execute has booked them, so that the
// book and the state never part: a Send that fails changes neither.
// It exists so that package engine never imports the order book.
//
// [New] makes a [Driver] over a State and a Book. [Driver.Send] executes one
// intent; [Driver.Liquidate] runs a trader's whole sequence at the state's
// mark (trigger, cancel, partial closes, takeover, ADL of what the book did
// not take, socialised loss), and [Driver.Deleverage], called on each mark
// tick, deleverages the inventory the insurance fund kept once
// engine.State.MustADL says so (with Driver.Trigger set, Liquidate asks it
// too, given Driver.ADL).
//
// Resting liquidity belongs to traders of the state: place it with
// [Driver.Place], which records the owner of each order so that a fill's
// maker is known after the order has left the book. The record forgets an
// order once the driver sees it leave the book (filled or cancelled
// through the driver), and Place sweeps out the orders that left it
// otherwise (cancelled by the caller on the book, or filled by the
// caller's own orders): so the record holds at most 64 orders, or twice
// the driver's orders resting at its last sweep, however long the driver
// runs.
//
// # Units and signs
//
// At the driver's edge, prices are decimals in the quote currency and
// quantities decimals in contracts, as in package engine; in the book they
// are int64 ticks and lots of the state's contract.Spec (a price of 99.25
// on a tick of 0.25 is 397 ticks). [Driver.Place] takes a positive quantity
// and an orderbook.Side; an intent's quantity is positive and its side is
// engine.Buy or engine.Sell; a fill passed to engine.State.Execute has a
// positive quantity, its side the intent's. Money (trade values, realised
// PnL, the fund) is the engine's: the contract's settlement currency, in
// whole minor units. Traders are the state's indices; the book's owner of
// trader i is i+1, so that the book's self-trade prevention keeps a
// holder's liquidation order off its own resting orders. Orders the driver
// places or sends get IDs from 1<<62 up; orders placed on the book
// directly must use lower IDs.
//
// # Rounding
//
// Decimals become ticks and lots exactly or not at all: Place refuses a
// price off the tick (contract.ErrOffTick) or a quantity off the lot
// (contract.ErrOffLot), never rounding them. [Driver.Send] rounds the one
// number it must, an intent's limit price, to the tick on the safe side of
// the order (up for a sell, down for a buy, derivmath.Ceiling and
// derivmath.Floor), so that the order never trades beyond its limit; an
// intent's quantity off the lot is refused. Fills come back exactly
// (ticks*tick, lots*lot), and the engine rounds their values, half-up to
// the minor unit (package engine, Rounding).
//
// # Errors and concurrency
//
// Each method lists its errors: the engine's, the contract's tick and lot
// errors, the book's, and [ErrOwner]. A refused Place leaves the book as
// it was, and a failed Send changes neither the book nor the state. The
// driver panics only if the book makes fills other than those it
// previewed, a defect of package orderbook, not of the data. A Driver is
// not safe for concurrent use.
//
// # Sources
//
// The sequence and every rule it applies are package engine's, with its
// sources (BitMEX's liquidation and auto-deleveraging pages, Binance's,
// Bybit's, OKX's and Deribit's help pages, the dYdX v4, Drift and GMX
// code). BitMEX's liquidation page works one example through (engine's
// vector I1): the fund's liquidation order at the bankruptcy price 99
// meets a bid at 99.25 and the insurance fund gains 0.25; here it runs
// through a book in TestLiquidateI1 and the Example of [Driver.Liquidate].
package drive
