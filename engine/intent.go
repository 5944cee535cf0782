package engine

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/internal/enum"
)

// Side is an order intent's side.
type Side int8

// The sides. The zero Side is invalid.
const (
	Buy Side = 1 + iota
	Sell
)

// String returns "Buy" or "Sell".
func (s Side) String() string { return enum.Name("Side", []string{"", "Buy", "Sell"}, int(s)) }

// IntentID identifies an order intent; 0 means none.
type IntentID uint64

// An Intent is an order the engine asks the caller to execute, on a book or
// anywhere else: reduce-only, for Holder (a trader or Fund), Qty contracts
// still open on Side, at Limit or better (0: no limit, a market order), with
// time in force TIF. A limit the engine sets is a whole number of ticks, at
// least one: a price under one tick is limited at one tick, never at 0.
// The caller passes the fills back with [State.Execute]. An Intent holds
// decimals: read it by pointer.
type Intent struct {
	ID     IntentID
	Holder int
	Step   Step
	Side   Side
	TIF    TIF
	Qty    apd.Decimal
	Limit  apd.Decimal
	tier   int
	// keep: for a step-down under the StepDown and TierReduce rules, the
	// position it closes down to (|Qty| after a full fill), which fit
	// holds it to; never 0, since a step-down leaves some of the
	// position. 0 for any other intent.
	keep apd.Decimal
}

func (in *Intent) set(o *Intent) {
	in.ID, in.Holder, in.Step, in.Side, in.TIF, in.tier = o.ID, o.Holder, o.Step, o.Side, o.TIF, o.tier
	in.Qty.Set(&o.Qty)
	in.Limit.Set(&o.Limit)
	in.keep.Set(&o.keep)
}

// A Fill is an execution of an intent: Qty contracts (positive) at Price
// against Maker, a trader of the state (the counterparty takes the other
// side of the trade). A Fill holds decimals: pass it by pointer or in a
// slice.
type Fill struct {
	Qty, Price apd.Decimal
	Maker      int
}

// Intent returns the open intent id, or nil. The caller must not modify it.
func (s *State) Intent(id IntentID) *Intent {
	for i := range s.intents {
		if s.intents[i].ID == id {
			return &s.intents[i]
		}
	}
	return nil
}

// Intents returns the number of open intents.
func (s *State) Intents() int { return len(s.intents) }

// closes reports whether trader i holds an open intent of step.
func (s *State) closes(i int, step Step) bool {
	for k := range s.intents {
		if s.intents[k].Holder == i && s.intents[k].Step == step {
			return true
		}
	}
	return false
}

// addIntent records an intent and emits Intended; it cannot fail.
func (s *State) addIntent(dst []Event, in *Intent) ([]Event, IntentID) {
	in.ID = s.next
	s.next++
	s.intents = append(s.intents, Intent{})
	s.intents[len(s.intents)-1].set(in)
	dst, e := s.emit(dst, in.Step, Intended, in.Holder)
	e.Intent = in.ID
	e.Qty.Set(&in.Qty)
	if in.Side == Sell {
		e.Qty.Neg(&e.Qty)
	}
	e.Price.Set(&in.Limit)
	return dst, in.ID
}

func (s *State) removeIntent(id IntentID) {
	for i := range s.intents {
		if s.intents[i].ID == id {
			for k := i; k+1 < len(s.intents); k++ {
				s.intents[k].set(&s.intents[k+1])
			}
			s.intents = s.intents[:len(s.intents)-1]
			return
		}
	}
}

// closeIntent closes intent in, open, with a Closed event of step for its
// holder that carries the quantity it had left, as Withdraw, Execute and
// fit close one.
func (s *State) closeIntent(dst []Event, step Step, in *Intent) []Event {
	dst, e := s.emit(dst, step, Closed, in.Holder)
	e.Intent = in.ID
	e.Qty.Set(&in.Qty)
	s.removeIntent(in.ID)
	return dst
}

// fit fits holder h's open intents to what its position still holds,
// after ADL closed part or all of it. An intent may ask for at most |Qty|,
// and a step-down toward a target (the StepDown rule's lower tier, the
// TierReduce rule's first-tier maximum: the position StepDown sized it
// to leave) at most what still lies above that target, |Qty| - target,
// so that its fill leaves the position at the target, not below it. One
// that asks for more is cut to that (Reduced, its new quantity); one
// left with nothing to close (its holder flat, or a step-down whose
// target ADL reached) closes (Closed, with the quantity left, as Withdraw
// emits it); both events are of step. The tier is not touched: a cut
// step-down's full fill lowers it to its target as Execute does, and a
// closed one leaves it to the next StepDown. The intents are fitted one
// by one, each to the whole position: one holder's open intents are
// alternatives that may overlap by design (a Deribit slice beside the
// takeover, each of the fund's takeover intents sized to its whole
// inventory), not shares of it, and Execute holds their fills together
// to the position. fit cannot fail, so a step calls it once nothing else
// can.
func (s *State) fit(dst []Event, step Step, h int) []Event {
	var pos, want apd.Decimal
	pos.Abs(&s.Trader(h).Qty)
	for k := 0; k < len(s.intents); {
		in := &s.intents[k]
		if in.Holder != h {
			k++
			continue
		}
		want.Set(&pos)
		if !in.keep.IsZero() && !pos.IsZero() {
			// Exact: both are lot multiples the context holds.
			_ = addExact(&want, &pos, &in.keep, true)
		}
		if in.Qty.Cmp(&want) <= 0 {
			k++
			continue
		}
		if want.Sign() <= 0 {
			dst = s.closeIntent(dst, step, in) // the next intent is now at k
			continue
		}
		in.Qty.Set(&want)
		var e *Event
		dst, e = s.emit(dst, step, Reduced, h)
		e.Intent = in.ID
		e.Qty.Set(&want)
		k++
	}
	return dst
}
