package orderbook

import "strconv"

// OrderID identifies an order. IDs are the caller's (an exchange's order
// IDs, say): any value may be used, 0 included, but no two orders resting in
// a book at the same time may share one. An ID becomes free again once its
// order has left the book.
type OrderID uint64

// OwnerID identifies the account that owns an order, for self-trade
// prevention. Zero means no owner: such an order never meets the
// prevention.
type OwnerID uint64

// Side is the side of an order: Buy or Sell. The zero value is invalid.
type Side int8

// The sides of an order.
const (
	Buy  Side = 1 + iota // a bid: buys up to its price
	Sell                 // an ask: sells down to its price
)

// String returns "buy" or "sell", or "Side(n)" for an invalid value.
func (s Side) String() string {
	switch s {
	case Buy:
		return "buy"
	case Sell:
		return "sell"
	}
	return "Side(" + strconv.Itoa(int(s)) + ")"
}

// valid reports whether s is Buy or Sell.
func (s Side) valid() bool { return s == Buy || s == Sell }

// opposite returns the other side of a valid Side.
func (s Side) opposite() Side { return 3 - s }

// Type is an order's time in force: what happens to the part of a limit
// order that does not trade on arrival. The zero value is invalid.
type Type int8

// The order types.
const (
	// GTC (good till cancelled) trades what it can and rests the rest.
	GTC Type = 1 + iota
	// IOC (immediate or cancel) trades what it can and drops the rest.
	IOC
	// FOK (fill or kill) trades its whole quantity at once or nothing,
	// returning ErrFillOrKill.
	FOK
	// PostOnly rests without trading, or fails with ErrWouldCross if its
	// price would trade (Binance's GTX).
	PostOnly
)

// String returns "GTC", "IOC", "FOK" or "post-only", or "Type(n)" for an
// invalid value.
func (t Type) String() string {
	switch t {
	case GTC:
		return "GTC"
	case IOC:
		return "IOC"
	case FOK:
		return "FOK"
	case PostOnly:
		return "post-only"
	}
	return "Type(" + strconv.Itoa(int(t)) + ")"
}

// STP is a self-trade prevention mode: what happens when an incoming order
// would trade with a resting order of the same non-zero owner. The zero
// value means no prevention: such orders trade with each other. The mode of
// the incoming order (the taker) decides.
type STP int8

// The self-trade prevention modes.
const (
	// CancelResting cancels the resting order, reported as a Fill of
	// quantity 0, and the incoming order goes on matching (Binance's
	// EXPIRE_MAKER).
	CancelResting STP = 1 + iota
	// CancelIncoming stops the incoming order: what it has not traded yet
	// is cancelled, and does not rest (Binance's EXPIRE_TAKER).
	CancelIncoming
	// CancelBoth cancels the resting order, reported as a Fill of
	// quantity 0, and stops the incoming order as CancelIncoming does
	// (Binance's EXPIRE_BOTH).
	CancelBoth
)

// String returns "none", "cancel-resting", "cancel-incoming" or
// "cancel-both", or "STP(n)" for an invalid value.
func (m STP) String() string {
	switch m {
	case 0:
		return "none"
	case CancelResting:
		return "cancel-resting"
	case CancelIncoming:
		return "cancel-incoming"
	case CancelBoth:
		return "cancel-both"
	}
	return "STP(" + strconv.Itoa(int(m)) + ")"
}

// Order is an order sent to a [Book], or one resting in it as [Book.Order]
// reports it (then Qty is what remains open).
type Order struct {
	ID OrderID
	// Price is the limit price in ticks, positive. A market order has
	// none: leave it 0.
	Price int64
	// Qty is the quantity in lots, positive.
	Qty int64
	// Owner is the account, for self-trade prevention; 0 for none.
	Owner OwnerID
	Side  Side
	Type  Type
	// STP is the self-trade prevention mode, used when Owner is not 0.
	STP STP
}

// Fill reports a trade between a resting order (the maker) and an incoming
// or repriced order (the taker), at the maker's price.
//
// A Fill with Qty 0 reports a resting order that self-trade prevention
// ([CancelResting], [CancelBoth]) cancelled instead: no trade took place, and MakerDone
// is true.
type Fill struct {
	Maker OrderID
	Taker OrderID
	// Price is the maker's price in ticks.
	Price int64
	// Qty is the quantity traded in lots.
	Qty int64
	// MakerDone reports that the maker has left the book: filled in full,
	// or cancelled by self-trade prevention.
	MakerDone bool
}

// Level is a price level: a price in ticks and the total quantity resting
// at it in lots.
type Level struct {
	Price int64
	Qty   int64
}
