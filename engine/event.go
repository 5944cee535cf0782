package engine

import (
	"fmt"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/internal/enum"
)

// Step names the stage of the liquidation sequence an event belongs to.
type Step int8

// The steps, S1 to S8, and the book.
const (
	StepMark      Step = 1 + iota // S1: mark price
	StepTrigger                   // S2: trigger on the mark
	StepCancel                    // S3: cancel open orders
	StepPartial                   // S4: step-down or partial liquidation
	StepTakeover                  // S5: takeover and liquidation order
	StepFund                      // S6: insurance fund gain or loss
	StepADL                       // S7: auto-deleveraging
	StepSocialise                 // S8: socialised loss or clawback
)

// String returns "S1 mark" to "S8 socialise".
func (s Step) String() string {
	return enum.Name("Step", []string{"", "S1 mark", "S2 trigger", "S3 cancel", "S4 partial", "S5 takeover", "S6 fund", "S7 ADL", "S8 socialise"}, int(s))
}

// Kind says what an event is.
type Kind int8

// The event kinds. Only Trade and Move change balances; the others record.
const (
	// Triggered: the account is liquidatable at the mark.
	Triggered Kind = 1 + iota
	// Restored: the account is no longer liquidatable; the sequence ends.
	Restored
	// Cancelled: an open order was removed; Amount is the order margin
	// released (no money moves), Qty and Price the order's.
	Cancelled
	// TierLowered: the trader's risk limit moved down; Qty is the new
	// tier's index, Amount its maintenance rate (the trader's Cum is now
	// the tier's too: RiskLimit).
	TierLowered
	// Intended: an order intent was emitted; Qty is its signed quantity,
	// Price its limit (0: none).
	Intended
	// Closed: an intent closed; Qty is the quantity left unfilled.
	Closed
	// Trade: Trader received Qty (signed) from Counterparty at Price;
	// Amount is the trade's value moved between their Position ledgers.
	Trade
	// Move: Amount moved From one ledger To another.
	Move
	// Reduced: an open intent now asks for less, as ADL cut it to what
	// its holder's position still holds, or a step-down to what still
	// lies above its target (State.ADL); Qty is its new open quantity
	// (unsigned, as Closed's), Intent the intent. It stays open.
	Reduced
)

// String returns the kind's name.
func (k Kind) String() string {
	return enum.Name("Kind", []string{"", "Triggered", "Restored", "Cancelled", "TierLowered", "Intended", "Closed", "Trade", "Move", "Reduced"}, int(k))
}

// Why says why money moved.
type Why int8

// The reasons.
const (
	// Realised: PnL realised by a reducing trade, between a position's
	// cost and its backing.
	Realised Why = 1 + iota
	// Liquidation: a liquidation order's fill, or the fund's takeover.
	Liquidation
	// Deleverage: an ADL trade.
	Deleverage
	// Surplus: what is left of a taken-over account's margin, to the fund.
	Surplus
	// Cover: the fund pays an account's negative equity.
	Cover
	// ClearanceFee: the liquidation fee, to the fund.
	ClearanceFee
	// FundShare: dYdX's capped share of the surplus over the bankruptcy
	// quote, or the fund's payment of the shortfall below it.
	FundShare
	// Leftover: the share of the remaining collateral that moves to the
	// fund (Binance; unconfirmed, default 0).
	Leftover
	// Socialised: a clawback or socialised-loss charge, to the fund.
	Socialised
)

// String returns the reason's name.
func (w Why) String() string {
	return enum.Name("Why", []string{"", "Realised", "Liquidation", "Deleverage", "Surplus", "Cover", "ClearanceFee", "FundShare", "Leftover", "Socialised"}, int(w))
}

// An Event records one thing a step did: who (Trader, Counterparty), what
// (Kind, Step), how much (Amount, Qty, Price) and why (Why). Every Move and
// Trade is one amount, a whole number of minor units, debited From one
// ledger and credited To another, so each event sums to zero.
//
// An Event holds decimals: read it in place (&events[i]), do not copy it.
type Event struct {
	Seq          uint64
	Step         Step
	Kind         Kind
	Why          Why
	Trader       int
	Counterparty int
	From, To     Party
	Amount       apd.Decimal
	Qty, Price   apd.Decimal
	Intent       IntentID
}

// String formats the event on one line.
func (e *Event) String() string {
	switch e.Kind {
	case Move:
		return fmt.Sprintf("#%d %s %s %s: %s -> %s %s", e.Seq, e.Step, e.Kind, e.Why, e.From, e.To, e.Amount.String())
	case Trade:
		return fmt.Sprintf("#%d %s %s %s: %s gets %s from %s at %s (value %s)", e.Seq, e.Step, e.Kind, e.Why,
			holderName(e.Trader), e.Qty.String(), holderName(e.Counterparty), e.Price.String(), e.Amount.String())
	}
	return fmt.Sprintf("#%d %s %s %s qty %s price %s amount %s intent %d", e.Seq, e.Step, e.Kind, holderName(e.Trader),
		e.Qty.String(), e.Price.String(), e.Amount.String(), e.Intent)
}

func holderName(h int) string {
	if h == Fund {
		return "fund"
	}
	return fmt.Sprintf("trader %d", h)
}

// emit appends a blank event numbered next and returns it.
func (s *State) emit(dst []Event, step Step, kind Kind, h int) ([]Event, *Event) {
	s.seq++
	dst = append(dst, Event{Seq: s.seq, Step: step, Kind: kind, Trader: h, Counterparty: h})
	return dst, &dst[len(dst)-1]
}

// exact applies z = x + y (or x - y) and fails if the result is not exact.
func (s *State) exact(z, x, y *apd.Decimal, sub bool) error {
	var cond apd.Condition
	var err error
	if sub {
		cond, err = s.ctx.Sub(z, x, y)
	} else {
		cond, err = s.ctx.Add(z, x, y)
	}
	if err != nil {
		return err
	}
	if cond.Inexact() {
		return ErrInexact
	}
	if z.IsZero() {
		z.SetInt64(0)
	}
	return derivmath.CheckDecimal(z)
}

// slot returns the decimal a party's balance lives in and whether the
// balance is its negation (a Position ledger holds -Cost).
func (s *State) slot(p Party) (*apd.Decimal, bool) {
	if p.Ledger == Position {
		return &s.Trader(p.Holder).Cost, true
	}
	return s.balance(p), false
}

// apply books e. It computes every new value before writing any, so a
// failure changes nothing, and it saves each value it overwrites for
// rollback. A trade also sets each side's fee reserve for its new
// quantity (State.reserveAt).
func (s *State) apply(e *Event) error {
	if e.Kind != Trade && e.Kind != Move {
		return nil
	}
	var nq1, nq2, nr1, nr2, nf, nt apd.Decimal
	var q1, q2, f, t *apd.Decimal
	var t1, t2 *Trader
	if e.Kind == Trade {
		t1, t2 = s.Trader(e.Trader), s.Trader(e.Counterparty)
		q1, q2 = &t1.Qty, &t2.Qty
		if err := s.exact(&nq1, q1, &e.Qty, false); err != nil {
			return err
		}
		if err := s.exact(&nq2, q2, &e.Qty, true); err != nil {
			return err
		}
		if err := s.reserveAt(&nr1, t1, &nq1); err != nil {
			return err
		}
		if err := s.reserveAt(&nr2, t2, &nq2); err != nil {
			return err
		}
	}
	if !e.Amount.IsZero() {
		var fneg, tneg bool
		f, fneg = s.slot(e.From)
		t, tneg = s.slot(e.To)
		if err := s.exact(&nf, f, &e.Amount, !fneg); err != nil {
			return err
		}
		if f == t {
			return errOneLedger
		}
		if err := s.exact(&nt, t, &e.Amount, tneg); err != nil {
			return err
		}
	}
	if q1 != nil {
		s.write(e.Seq, q1, &nq1)
		s.write(e.Seq, q2, &nq2)
		s.write(e.Seq, &t1.FeeReserve, &nr1)
		s.write(e.Seq, &t2.FeeReserve, &nr2)
	}
	if t != nil {
		s.write(e.Seq, f, &nf)
		s.write(e.Seq, t, &nt)
	}
	return nil
}

// saved is a value the booking of event seq overwrote.
type saved struct {
	seq uint64
	at  *apd.Decimal
	was apd.Decimal
}

// write sets *at to x for the booking of event seq, saving the value it
// overwrites in the undo log.
func (s *State) write(seq uint64, at, x *apd.Decimal) {
	s.undo = append(s.undo, saved{seq: seq, at: at})
	s.undo[len(s.undo)-1].was.Set(at)
	at.Set(x)
}

// begin starts a step that may have to roll back: it empties the undo log
// (no step runs inside another; its pointers are dropped, so that it keeps
// no replaced slice of traders alive) and returns the marks rollback takes.
func (s *State) begin(dst []Event) (int, uint64) {
	for k := range s.undo {
		s.undo[k].at = nil
	}
	s.undo = s.undo[:0]
	return len(dst), s.seq
}

// rollback restores every value the events numbered after seq overwrote,
// latest first, so that each is as it was in value and in form (a
// reversed sum may have another exponent: 1.0000000 for 1), and returns
// dst[:start].
func (s *State) rollback(dst []Event, start int, seq uint64) []Event {
	k := len(s.undo)
	for k > 0 && s.undo[k-1].seq > seq {
		k--
		s.undo[k].at.Set(&s.undo[k].was)
		s.undo[k].at = nil
	}
	s.undo = s.undo[:k]
	s.seq = seq
	return dst[:start]
}

// move books a Move of amount (> 0 after orientation) between two parties;
// a negative amount moves the other way; zero books nothing.
func (s *State) move(dst []Event, step Step, why Why, h int, from, to Party, amount *apd.Decimal) ([]Event, error) {
	if amount.IsZero() {
		return dst, nil
	}
	if amount.Negative {
		from, to = to, from
	}
	dst, e := s.emit(dst, step, Move, h)
	e.Why, e.From, e.To = why, from, to
	e.Amount.Abs(amount)
	if err := s.apply(e); err != nil {
		return dst[:len(dst)-1], err
	}
	return dst, nil
}

// round rounds x to the minor unit in mode r.
func (s *State) round(z, x *apd.Decimal, r derivmath.Rounding) error {
	return derivmath.Round(&s.ctx, z, x, &s.spec.Minor, r)
}

// trade books recv receiving q (signed) from give at price: the quantities,
// the trade's value V(q, price) rounded half-up to the minor unit (BitMEX's
// execCost) between their Position ledgers, then each side's realised PnL.
// It fails with ErrPosition, leaving its events for the caller to roll
// back, if either side would hold a position whose cost rounds to zero.
func (s *State) trade(dst []Event, step Step, why Why, recv, give int, q, price *apd.Decimal, id IntentID) ([]Event, error) {
	var v, q0r, q0g, c0r, c0g apd.Decimal
	if err := s.value(&v, q, price); err != nil {
		return dst, err
	}
	if err := s.round(&v, &v, derivmath.HalfUp); err != nil {
		return dst, err
	}
	r, g := s.Trader(recv), s.Trader(give)
	q0r.Set(&r.Qty)
	q0g.Set(&g.Qty)
	c0r.Set(&r.Cost)
	c0g.Set(&g.Cost)
	dst, e := s.emit(dst, step, Trade, recv)
	e.Why, e.Counterparty, e.Intent = why, give, id
	e.Qty.Set(q)
	e.Price.Set(price)
	// The receiver's cost rises by v: its Position balance (-Cost) falls.
	e.From, e.To = Party{Position, recv}, Party{Position, give}
	e.Amount.Abs(&v)
	if v.Negative {
		e.From, e.To = e.To, e.From
	}
	if err := s.apply(e); err != nil {
		return dst[:len(dst)-1], err
	}
	var err error
	if dst, err = s.realise(dst, step, recv, &q0r, &c0r, price); err != nil {
		return dst, err
	}
	if dst, err = s.realise(dst, step, give, &q0g, &c0g, price); err != nil {
		return dst, err
	}
	// A position whose value at entry rounds to no minor unit would have
	// no cost, which no position may lack (State.Add): refused.
	if !r.Qty.IsZero() && r.Cost.IsZero() || !g.Qty.IsZero() && g.Cost.IsZero() {
		return dst, errCostless
	}
	return dst, nil
}

// realise moves h's realised PnL between its Position ledger and its
// backing after a trade that took its quantity from q0 (cost c0) to now.
func (s *State) realise(dst []Event, step Step, h int, q0, c0, price *apd.Decimal) ([]Event, error) {
	t := s.Trader(h)
	var target apd.Decimal
	switch {
	case q0.IsZero():
		return dst, nil
	case t.Qty.IsZero():
		target.SetInt64(0)
	case t.Qty.Negative == q0.Negative:
		if t.Qty.CmpTotal(q0) == 0 || absCmp(&t.Qty, q0) > 0 {
			return dst, nil // increased: no PnL realised
		}
		// The remaining part keeps its entry.
		if err := s.remainderCost(&target, c0, &t.Qty, q0); err != nil {
			return dst, err
		}
	default: // crossed zero: the new position's entry is the price
		if err := s.value(&target, &t.Qty, price); err != nil {
			return dst, err
		}
		if err := s.round(&target, &target, derivmath.HalfUp); err != nil {
			return dst, err
		}
	}
	var r apd.Decimal
	if _, err := s.ctx.Sub(&r, &target, &t.Cost); err != nil {
		return dst, err
	}
	if h == Fund {
		step = StepFund // the fund's realised PnL is its gain or loss (S6)
	}
	// Cost rises by r: r leaves the Position ledger for the backing.
	return s.move(dst, step, Realised, h, Party{Position, h}, Party{s.backing(h), h}, &r)
}

func absCmp(x, y *apd.Decimal) int {
	var a, b apd.Decimal
	a.Abs(x)
	b.Abs(y)
	return a.Cmp(&b)
}
