package orderbook

import "errors"

// Errors for invalid input. A call that returns one of them has changed
// nothing.
var (
	// ErrInvalidSide reports a Side other than Buy and Sell, such as the
	// zero value.
	ErrInvalidSide = errors.New("orderbook: invalid side")
	// ErrInvalidType reports an order Type outside GTC, IOC, FOK and
	// PostOnly, or a market order whose Type is not IOC or FOK.
	ErrInvalidType = errors.New("orderbook: invalid order type")
	// ErrInvalidSTP reports an STP mode outside zero (none), CancelResting,
	// CancelIncoming and CancelBoth.
	ErrInvalidSTP = errors.New("orderbook: invalid self-trade prevention mode")
	// ErrInvalidPrice reports a limit or level price that is zero or
	// negative, or a market order with a price.
	ErrInvalidPrice = errors.New("orderbook: invalid price")
	// ErrInvalidQty reports an order quantity, an impact quantity or an
	// impact notional that is zero or negative, or a negative level size.
	ErrInvalidQty = errors.New("orderbook: invalid quantity")
)

// Errors for requests that are well formed but cannot be carried out in the
// book's present state. A call that returns one of them has changed nothing.
var (
	// ErrUnknownOrder reports an order ID that is not resting in the book:
	// never seen, or already filled or cancelled.
	ErrUnknownOrder = errors.New("orderbook: unknown order")
	// ErrDuplicateID reports a new order whose ID is that of an order
	// resting in the book.
	ErrDuplicateID = errors.New("orderbook: duplicate order ID")
	// ErrBookFull reports an order that could not be given room to rest: a
	// book made by NewFixed is at its capacity of orders, or of price
	// levels for an order at a new price. A growing book reports it only
	// past 2^31-2 orders or 2^26-2 (67,108,862) price levels, both sides
	// together, which is also the most levels a fixed book holds; less, in
	// a book made by New, the pages it reserved at their homes (a power of
	// two above its levels, at most 2^25: see the package documentation).
	ErrBookFull = errors.New("orderbook: book full")
	// ErrOverflow reports a quantity total that does not fit in an int64: a
	// price level's total size, or an impact query's cost in ticks*lots.
	ErrOverflow = errors.New("orderbook: int64 overflow")
	// ErrWouldCross reports a post-only order whose price would trade
	// against the resting opposite side.
	ErrWouldCross = errors.New("orderbook: post-only order would cross")
	// ErrFillOrKill reports a fill-or-kill order that the book cannot fill
	// in full.
	ErrFillOrKill = errors.New("orderbook: fill-or-kill order cannot be filled in full")
	// ErrNotEnoughDepth reports an impact query for more than the side
	// holds. The partial result is returned with it.
	ErrNotEnoughDepth = errors.New("orderbook: not enough depth")
	// ErrDuplicatePrice reports an L2 snapshot that lists a price twice on
	// one side, with sizes above 0.
	ErrDuplicatePrice = errors.New("orderbook: duplicate price in snapshot")
)
