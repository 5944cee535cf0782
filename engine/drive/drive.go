package drive

import (
	"errors"
	"fmt"
	"slices"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/orderbook"
)

// ErrOwner reports a book fill against an order the driver did not place.
var ErrOwner = errors.New("drive: fill against an order of unknown owner")

// A Driver connects a State to a Book.
type Driver struct {
	State *engine.State
	Book  *orderbook.Book
	Seed  uint64
	// Trigger makes Liquidate ask engine.State.MustADL before it
	// deleverages a remainder, as the venue does; false deleverages every
	// remainder at once (the driver's behaviour before ADL triggers were
	// preset data). ADL holds what MustADL needs beyond the state (the
	// fund's peak balance, whether ADL is running); the caller keeps it
	// current. Its zero value checks no drawdown.
	Trigger bool
	ADL     engine.ADLInputs
	ctx     *apd.Context
	owners  map[orderbook.OrderID]int
	sweepAt int // Place sweeps owners once it holds this many orders
	next    orderbook.OrderID
	fills   []orderbook.Fill // previewed
	made    []orderbook.Fill // made, the same
	efills  []engine.Fill
	gone    []int // the traders ADL closed, whose resting orders go
}

// New returns a driver for st and b, converting in ctx. Orders the driver
// sends get IDs from 1<<62 up; use lower IDs for orders you place directly.
// ctx must not be nil: a driver made with a nil ctx returns
// derivmath.ErrContext from Place and Send (and so from Liquidate).
func New(ctx *apd.Context, st *engine.State, b *orderbook.Book, seed uint64) *Driver {
	return &Driver{State: st, Book: b, Seed: seed, ctx: ctx, owners: map[orderbook.OrderID]int{}, sweepAt: minSweep, next: 1 << 62}
}

// minSweep is the least number of recorded owners at which Place sweeps.
const minSweep = 64

// Place rests a post-only limit order of trader (an index of the state) at
// price for qty contracts (positive; side says which) and returns its ID.
// An order that would cross the book is refused; a refused order leaves
// the book and the driver as they were (it spends no ID).
//
// Errors: derivmath.ErrContext for a driver made with a nil ctx,
// engine.ErrTrader for a trader not in the state (the fund included),
// contract's tick and lot errors, and the book's (orderbook.ErrWouldCross
// for a crossing price).
func (d *Driver) Place(trader int, side orderbook.Side, price, qty *apd.Decimal) (orderbook.OrderID, error) {
	if trader < 0 || trader >= d.State.Len() {
		return 0, engine.ErrTrader
	}
	s := d.State.Spec()
	px, err := s.Ticks(d.ctx, price)
	if err != nil {
		return 0, err
	}
	n, err := s.Lots(d.ctx, qty)
	if err != nil {
		return 0, err
	}
	id := d.next + 1 // spent only if the order rests
	// PostOnly: a crossing order fails before the book is touched.
	d.fills, err = d.Book.Limit(orderbook.Order{ID: id, Price: px, Qty: n, Side: side, Type: orderbook.PostOnly, Owner: owner(trader)}, d.fills[:0])
	if err != nil {
		return 0, err
	}
	d.next = id
	d.owners[id] = trader
	if len(d.owners) >= d.sweepAt {
		d.sweep()
	}
	return id, nil
}

// sweep forgets the owners of orders no longer on the book (which left it
// without the driver seeing them go: cancelled by the caller, or filled by
// the caller's own orders) and sets the next sweep at twice the orders
// left, at least minSweep. A sweep costs O(n) for the n orders recorded
// (Book.Order is O(1)) and comes after at least n/2 Places since the last
// one: O(1) amortized per Place. It allocates nothing.
func (d *Driver) sweep() {
	for id := range d.owners {
		if _, ok := d.Book.Order(id); !ok {
			delete(d.owners, id)
		}
	}
	d.sweepAt = max(2*len(d.owners), minSweep)
}

// owner is trader's owner in the book (the fund, which places nothing,
// has none).
func owner(trader int) orderbook.OwnerID {
	if trader < 0 {
		return 0
	}
	return orderbook.OwnerID(trader) + 1
}

// Send executes intent id on the book and passes the fills to the state:
// a limit order at the intent's limit (rounded to the tick on the safe side:
// up for a sell, down for a buy) or a market order, IOC for IOC and GTC
// intents (the rest of a GTC stays with the engine, to be repriced or sent
// again), FOK for FOK. After a Send that succeeds an IOC or FOK intent is
// closed: by State.Execute when it fills, in full or in part (the rest of
// an IOC is dropped, as the book drops it), or withdrawn when it fills
// nothing; its Closed event gives the quantity left unfilled. The order
// does not trade with the holder's own resting orders (placed with
// Place): the book cancels them.
//
// Send first asks the book for the order's fills without trading
// (orderbook.Book.Preview), has State.Execute book them, and only then
// sends the order, which makes exactly those fills. So a Send that fails
// changes neither the book, nor the state, nor the driver (it spends no
// order ID): when Execute refuses the fills (dYdX's engine.ErrNegativeFund
// when the fund cannot pay, or engine.ErrOverfill for an intent whose
// holder no longer holds what it closes), the makers' orders stay on the
// book, and the intent stays open.
//
// Errors: derivmath.ErrContext for a driver made with a nil ctx;
// engine.ErrUnknownIntent for an id that is not open; the contract's lot
// and tick errors and derivmath.Round's (contract.ErrOffLot
// for a quantity off the lot, derivmath.ErrPrice for a buy's limit below
// one tick, derivmath.ErrRange for a number beyond the context's
// precision or a count of ticks or lots beyond an int64, such as a limit
// of 1e25 on a tick of 0.25); the book's; ErrOwner; and
// engine.State.Execute's.
func (d *Driver) Send(dst []engine.Event, id engine.IntentID) ([]engine.Event, error) {
	st := d.State
	in := st.Intent(id)
	if in == nil {
		return dst, engine.ErrUnknownIntent
	}
	s := st.Spec()
	n, err := s.Lots(d.ctx, &in.Qty)
	if err != nil {
		return dst, err
	}
	// Self-trade prevention: the holder's own resting orders are
	// cancelled, not traded against (State.Execute refuses such a fill).
	o := orderbook.Order{Qty: n, Side: orderbook.Buy, Type: orderbook.IOC, Owner: owner(in.Holder), STP: orderbook.CancelResting}
	if in.Side == engine.Sell {
		o.Side = orderbook.Sell
	}
	if in.TIF == engine.FOK {
		o.Type = orderbook.FOK
	}
	if !in.Limit.IsZero() { // else a market order, of price 0
		var lim apd.Decimal
		r := derivmath.Ceiling
		if in.Side == engine.Buy {
			r = derivmath.Floor
		}
		if err := derivmath.Round(d.ctx, &lim, &in.Limit, &s.Tick, r); err != nil {
			return dst, err
		}
		if o.Price, err = s.Ticks(d.ctx, &lim); err != nil {
			return dst, err
		}
	}
	o.ID = d.next + 1 // spent below, once the state has booked the fills
	d.fills, err = d.Book.Preview(o, d.fills[:0])
	killed := errors.Is(err, orderbook.ErrFillOrKill) // no fills, and nothing to send
	if err != nil && !killed {
		return dst, err
	}
	d.efills = d.efills[:0]
	for _, f := range d.fills {
		if f.Qty == 0 { // a resting order of the holder, to be cancelled
			continue
		}
		maker, ok := d.owners[f.Maker]
		if !ok {
			return dst, ErrOwner
		}
		d.efills = append(d.efills, engine.Fill{Maker: maker})
		e := &d.efills[len(d.efills)-1]
		if err := s.FromLots(d.ctx, &e.Qty, f.Qty); err != nil {
			return dst, err
		}
		if err := s.FromTicks(d.ctx, &e.Price, f.Price); err != nil {
			return dst, err
		}
	}
	if len(d.efills) != 0 {
		if dst, err = st.Execute(dst, id, d.efills); err != nil {
			return dst, err
		}
	}
	d.next = o.ID // spent even by a killed FOK, which is not sent
	if !killed {
		d.trade(o)
	}
	if len(d.efills) == 0 && in.TIF != engine.GTC {
		return st.Withdraw(dst, id)
	}
	return dst, nil
}

// trade sends o, whose fills Send previewed in d.fills and has booked in
// the state, and forgets the makers that leave the book. The book makes
// the fills it previewed, as Book.Preview promises: a book that did not
// would leave the state and the book apart, which is a defect of package
// orderbook, and trade panics.
func (d *Driver) trade(o orderbook.Order) {
	var err error
	if o.Price == 0 {
		d.made, err = d.Book.Market(o, d.made[:0])
	} else {
		d.made, err = d.Book.Limit(o, d.made[:0])
	}
	if err != nil || !slices.Equal(d.made, d.fills) {
		panic(fmt.Sprintf("drive: the book made %v (%v), not the fills it previewed, %v", d.made, err, d.fills))
	}
	for _, f := range d.made {
		if f.MakerDone {
			delete(d.owners, f.Maker)
		}
	}
}

// Liquidate runs the whole sequence for trader i at the state's mark:
// S2 trigger, S3 cancel (the state's orders of i and, unless the preset's
// scope is engine.CancelNone, i's orders resting on the book, so that no
// close trades with the account it closes), S4 partial closes through the book (up to
// maxPartial rounds, re-triggering after each), S5 takeover and its order,
// S7 ADL of what the book did not take (when the holder is the fund or the
// account is still liquidating, and, with Trigger set, when
// engine.State.MustADL says it must run; a GTC remainder is withdrawn
// first; inventory the fund keeps waits for Deleverage), and, unless the
// scope is engine.CancelNone, the cancel of the deleveraged traders'
// orders resting on the book, S8.
// It returns the events; a non-liquidatable account yields none.
//
// Errors: those of the steps and of Send (engine.ErrIntentOpen, after the
// trigger's and cancel's events, when the caller left an intent of i open,
// a step-down's or a takeover's: execute or withdraw it first); each is
// returned with the events so far (engine.ErrNoCounterparty from ADL,
// say). When a Send fails, its intent stays open, as Send changes nothing
// (under dYdX's rules, engine.ErrNegativeFund when the fund cannot pay
// the takeover's fill): send it again or withdraw it before Liquidate runs
// i again, which otherwise returns engine.ErrIntentOpen.
func (d *Driver) Liquidate(dst []engine.Event, i, maxPartial int) ([]engine.Event, error) {
	st := d.State
	dst, ok, err := st.Trigger(dst, i)
	if err != nil || !ok {
		return dst, err
	}
	if dst, err = st.Cancel(dst, i); err != nil {
		return dst, err
	}
	if st.Preset().Cancel != engine.CancelNone {
		d.cancelResting([]int{i})
	}
	for k := 0; k < maxPartial && st.Trader(i).Liquidating; k++ {
		var id engine.IntentID
		if dst, id, err = st.StepDown(dst, i); err != nil || id == 0 {
			break
		}
		if dst, err = d.Send(dst, id); err != nil {
			return dst, err
		}
		if st.Intent(id) != nil {
			if dst, err = st.Withdraw(dst, id); err != nil {
				return dst, err
			}
		}
		if dst, _, err = st.Trigger(dst, i); err != nil {
			return dst, err
		}
	}
	if err != nil {
		return dst, err
	}
	if !st.Trader(i).Liquidating {
		return dst, nil
	}
	var id engine.IntentID
	if dst, id, err = st.Takeover(dst, i); err != nil {
		return dst, err
	}
	if id == 0 { // the fund's inventory netted to zero: nothing to close
		return st.Socialise(dst)
	}
	holder := st.Intent(id).Holder
	if dst, err = d.Send(dst, id); err != nil {
		return dst, err
	}
	if st.Intent(id) != nil {
		if dst, err = st.Withdraw(dst, id); err != nil {
			return dst, err
		}
	}
	var rest apd.Decimal
	rest.Abs(&st.Trader(holder).Qty)
	if !rest.IsZero() && (holder == engine.Fund || st.Trader(holder).Liquidating) {
		must := true
		if d.Trigger {
			if must, err = st.MustADL(holder, &d.ADL); err != nil {
				return dst, err
			}
		}
		if must {
			if dst, err = d.adl(dst, holder, &rest); err != nil {
				return dst, err
			}
		}
	}
	return st.Socialise(dst)
}

// cancelResting cancels the orders the given traders have resting on the
// book (placed with Place), in one pass over the n orders the driver
// records, O(n*len(traders)), and forgets them, with any other order no
// longer on the book (as sweep does).
func (d *Driver) cancelResting(traders []int) {
	for id, t := range d.owners {
		if slices.Contains(traders, t) {
			_, _ = d.Book.Cancel(id) // ErrUnknownOrder: the caller cancelled it
			delete(d.owners, id)
		} else if _, ok := d.Book.Order(id); !ok {
			delete(d.owners, id)
		}
	}
}

// Deleverage runs S7 on the inventory the insurance fund kept, once
// engine.State.MustADL says it must (BitMEX: the mark has reached the
// price the fund took it at), with the cancel of the deleveraged traders'
// orders resting on the book (as in Liquidate), then S8. Call it on each
// mark tick. It
// returns the events; a flat fund, or one that may keep its inventory,
// yields none.
//
// An intent of the fund's that the caller keeps open (a takeover's GTC
// rest it works with engine.State.Reprice and Send) follows the
// inventory: ADL closes it once the fund is flat (an S7 Closed event with
// the quantity it had left), so a later Send of it returns
// engine.ErrUnknownIntent (TestDeleverageFundIntent); an intent of a
// deleveraged trader asking for more than the trader keeps (a
// step-down's: than lies above its target) is cut (engine.Reduced) or
// closed (engine.State.ADL).
//
// Errors: those of MustADL, ADL and Socialise; engine.ErrNoCounterparty
// from ADL.
func (d *Driver) Deleverage(dst []engine.Event) ([]engine.Event, error) {
	st := d.State
	must, err := st.MustADL(engine.Fund, &d.ADL)
	if err != nil || !must {
		return dst, err
	}
	var rest apd.Decimal
	rest.Abs(&st.Trader(engine.Fund).Qty)
	if dst, err = d.adl(dst, engine.Fund, &rest); err != nil {
		return dst, err
	}
	return st.Socialise(dst)
}

// adl runs engine.State.ADL for holder's rest, and then, unless the
// preset's scope is engine.CancelNone, cancels the orders each trader it
// deleveraged has resting on the book, as ADL cancels the orders the
// state holds for them (BitMEX, Binance and Bybit cancel an ADL'd
// trader's open orders). It costs one pass over the n orders the driver
// records, O(n) for each trader deleveraged.
func (d *Driver) adl(dst []engine.Event, holder int, rest *apd.Decimal) ([]engine.Event, error) {
	n := len(dst)
	dst, err := d.State.ADL(dst, holder, rest, d.Seed)
	if err != nil || d.State.Preset().Cancel == engine.CancelNone {
		return dst, err
	}
	d.gone = d.gone[:0]
	for k := n; k < len(dst); k++ {
		if e := &dst[k]; e.Step == engine.StepADL && e.Kind == engine.Trade && e.Why == engine.Deleverage && e.Trader == holder && e.Counterparty >= 0 {
			d.gone = append(d.gone, e.Counterparty)
		}
	}
	if len(d.gone) != 0 {
		d.cancelResting(d.gone)
	}
	return dst, nil
}
