// Package orderbook is an embeddable, allocation-free limit order book on
// integer prices and quantities, with price-time priority matching
// ([Book]), and a mirror of an exchange's price-level book fed from its
// market-data stream ([L2]). Both answer depth queries (BestBid and
// BestAsk, AppendDepth, the Levels iterator; a Book's [Book.Orders] also
// walks its resting orders) and the impact price for a quantity or a
// notional (ImpactQty and ImpactNotional, an [Impact]), which a funding
// premium index needs.
//
// # Units and signs
//
// Prices are int64 ticks and quantities int64 lots: a price of 650001 on
// a market whose tick is 0.1 USD is 65,000.1 USD. Package contract converts
// decimal prices and sizes to ticks and lots at the edge. Prices must be
// positive and quantities positive (an L2 level size of 0 deletes the
// level). A notional is in ticks*lots, the sum of price*quantity.
//
// Nothing is signed: an order's direction is its [Side] ([Buy] or
// [Sell]), and a [Fill]'s quantity is positive, or 0 for a resting order
// that self-trade prevention cancelled. The impact queries name the side
// they walk: [Buy] for the bids (what a sell order would take, the impact
// bid), [Sell] for the asks (the impact ask).
//
// # Rounding
//
// Matching is on integers and rounds nothing: each fill is at the maker's
// price, in whole ticks and lots. The impact queries take whole lots
// ([Book.ImpactNotional]: the fewest lots whose cost reaches the notional,
// so the cost may pass it by less than one lot at the worst price) and
// return integer sums ([Impact]); the average price, Cost/Qty, or the
// average of exactly the notional with its last lot taken in part, is the
// caller's division, in the precision it needs. Decimal prices become
// ticks in package contract, which refuses a price off the tick rather
// than rounding it.
//
// # Matching
//
// A [Book] matches by price-time priority: an incoming order trades with
// the best opposite price first, and at each price with the oldest order
// first, at the resting order's price. Each trade is reported as a [Fill]
// naming the maker (resting) and taker (incoming) order IDs. Order IDs are
// the caller's, such as an exchange's IDs; two resting orders may not share
// one.
//
// Order types ([Type]): [GTC] rests what does not trade; [IOC] drops it;
// [FOK] trades in full or not at all; [PostOnly] rests without trading or
// is refused. [Book.Market] trades at any price, as IOC or FOK.
// [Book.Preview] returns the fills an order would make, and changes
// nothing, so that they can be checked before they are made.
// [Book.Cancel] removes an order; [Book.Amend] changes its price and
// quantity: a smaller quantity at the same price keeps its place in the
// queue, a larger quantity or a new price loses it.
//
// Self-trade prevention ([STP]): an order with a non-zero [OwnerID] and a
// prevention mode does not trade with resting orders of the same owner.
// [CancelResting] cancels the resting order (reported as a Fill of quantity
// 0) and goes on; [CancelIncoming] cancels the rest of the incoming order;
// [CancelBoth] does both, and stops.
//
// # Errors
//
// Bad input is data: a zero or negative price or quantity, an invalid
// [Side], [Type] or [STP], an unknown or duplicate order ID, a full book,
// a post-only order that would cross, a fill-or-kill order that cannot
// fill, a level total that would overflow int64. Each returns a sentinel
// error from this package, to be tested with [errors.Is]; each method's
// documentation lists them, in the order it checks them. A call that fails
// has changed nothing: every check is made before the book is touched.
// Nothing panics on data; [New], [NewFixed] and [NewL2] panic on a negative
// capacity, which is a programming error.
//
// # Memory and allocation
//
// Orders and price levels live in slabs, addressed by int32 handles and
// recycled through free lists. A level queues its orders in a doubly
// linked list, and an order alone at its price is its own level, with no
// level slot. Each side's levels live in pages of 32 consecutive ticks (a
// slot per tick), whose heads (the page's number and a bit per tick) are
// kept in an array apart, chained in price order and found as the best
// page, at the page's home (the handle its number's low bits give, in a
// book made with reserved room), through a direct-mapped cache of pages
// or through a B+ tree of page numbers; a level, or an order alone, knows
// its place in its page. In a book made with reserved room, an order
// rests where it can at its own home, the order slot its ID's hash gives,
// so that finding it by ID reads that slot alone; orders whose home is
// taken, and every order of a book that grew without reserve, are found
// through an open-addressing hash table in Robin Hood order that keeps a
// fingerprint of each ID beside its order's handle.
//
// The order homes are a power of two at least the orders reserved, 40
// bytes each (the order and its owner), so a book made with room for n
// orders reserves up to 3n order slots, of which only those in use are
// touched. A page and its head take 148 bytes (280 in an [L2]) however
// many levels it holds, so levels 32 ticks or more apart cost about 200
// bytes each on top of the order itself. A book holds at most 2^26-2
// (67,108,862) price levels, both sides together, less the homes a side
// of a book made with reserved room has (a power of two above the levels
// it reserved, at most 2^25), so that each page's handle, shifted by 5
// as an order keeps it, fits in an int32. [New] reserves memory for a
// number of orders and levels, for the worst case of such sparse levels
// (address space for up to three pages a level, a home and a page away
// from it, of which only those in use are touched); [NewFixed] also makes
// that a hard limit, past which orders that would rest return
// [ErrBookFull]; the zero value is an empty book that grows.
//
// In the steady state (within the reserved capacity) nothing allocates:
// [Book.Limit], [Book.Market], [Book.Amend] and [Book.Preview] append
// fills to a slice the caller passes and return it (as strconv's Append
// functions do), so a caller that reuses it with enough capacity
// allocates nothing; likewise
// [Book.AppendDepth], the iterators, the impact queries and the [L2]
// updates. alloc_test.go proves it, counting every allocation of 1,000
// runs of each case, and of each failed call.
//
// # Cost
//
// With L the number of price levels on a side, P the number of 32-tick
// pages that hold them (at most L), and prices anywhere in int64: once a
// price's page is found, finding, opening or closing its level costs
// O(1). The page is found in O(1) if it is the best page (the touch), at
// its home (a book with reserved room has a home for every page a side
// can hold, if it reserved at most 2^25-2 levels: for a side whose levels
// span fewer pages than that, every page) or in the cache, and in O(log P) otherwise: at most 5 tree nodes
// for a million pages. Opening the first level of a page makes the page, in
// O(log P); a page that empties is kept as a spare until another page
// empties, and then freed in O(log P), so a level that opens and closes
// alone on a page, as where the touch crosses a page boundary and back,
// costs O(1). Finding an order by ID costs O(1) expected: IDs hash with
// a random seed, a home counts the orders that could not rest there, and
// the table is never more than three quarters full. So, per call:
//
//   - [Book.Limit] and [Book.Market]: O(1) for each fill, for each order
//     self-trade prevention cancels and for each level the order empties,
//     plus O(log P) for each page it frees; a limit order that rests adds
//     O(1) to find or open its level, or O(log P) for a page away from
//     its home and the cache, or to make a page; FOK adds a walk of the
//     levels it would take (and of their orders, with self-trade
//     prevention);
//   - [Book.Preview]: what the Limit or Market call it previews costs
//     to find its fills (O(1) for each fill and each level it would take
//     from), with nothing to change, and O(1), or O(log P) for a page
//     away from its home and the cache, to find the level of an order
//     that would rest;
//   - [Book.Cancel]: O(1) expected, plus O(log P) if it frees a page;
//   - [Book.Amend]: O(1) at the same price; at a new price, a Cancel and
//     a Limit;
//   - [Book.Order], [Book.Len], [Book.BestBid] and [Book.BestAsk]: O(1);
//   - [Book.AppendDepth] of n levels: O(n); the iterators: O(1) a step;
//     the impact queries: O(1) for each level walked;
//   - [L2.Set] and [L2.Delete]: O(1), plus O(log P) for a page away
//     from its home and the cache, or to make or free a page;
//     [L2.Snapshot] of m levels: O(m log m) (a sort), and O(P) to clear
//     the pages it reuses;
//   - [Book.Reset]: O(capacity), which it clears; [L2.Reset]: O(P).
//
// # Sources
//
// Binance's USD-M futures API documentation
// (https://developers.binance.com/docs/derivatives/usds-margined-futures/):
// New Order's timeInForce (GTC, IOC, FOK, and GTX, its post-only) and
// selfTradePreventionMode (EXPIRE_MAKER is [CancelResting], EXPIRE_TAKER
// [CancelIncoming], EXPIRE_BOTH [CancelBoth]); "How to manage a local order book correctly" for the
// [L2] mirror (a snapshot, then level updates, a quantity of 0 removing
// the level). The impact bid and ask are the average fill prices of an
// impact notional, as BitMEX's fair price marking and Binance's funding
// rate use them (package funding, ImpactNotional). Price-time priority,
// the order types' semantics and the invariants are checked against a
// naive reference book in model_test.go, a rapid state machine.
//
// # Concurrency
//
// A Book is not safe for concurrent use, not even by readers alone
// ([Book.Preview], for one, updates the price ladder's page cache); the
// caller synchronises. The same holds for an L2. There is no package-level
// mutable state, so separate books may be used from separate goroutines.
package orderbook
