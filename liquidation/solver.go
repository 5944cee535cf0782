package liquidation

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/num"
	"github.com/derivmath/derivmath/margin"
)

// InlineTiered is the number of tiered legs on the account's contract that
// a Solver holds in its own storage. The one-shot functions ([Price],
// [Bankruptcy], [Liquidatable], [Distance], [IsolatedMargin]) compile on
// the stack and allocate nothing for accounts with at most InlineTiered
// tiered legs on the account's contract (any number of other legs); a
// compiled Solver stores the rest, and the legs on other contracts, in
// memory it keeps for the next Compile.
const InlineTiered = 4

// A Solver is an [Account] compiled: every input validated and loaded
// once, and the terms of equity and maintenance summed, so that a solve
// is a multiplication and a division (and a rounding to the tick), the
// liquidation and bankruptcy prices are kept once solved, [Solver.Liquidatable]
// is then one comparison, and [Solver.SetMark] re-keys one leg on another
// contract in constant time. The package documentation gives the cost of
// each method.
//
// The zero Solver is ready for [Solver.Compile], and a Solver may be
// compiled again and again: it reuses its memory. Its methods return
// [ErrNoSpec] until it has been compiled, and the error of the last
// Compile if that failed.
//
// A Solver keeps a copy of the context it was compiled in, nothing of the
// Account but the Specs of the legs on other contracts and the tier tables
// (which must not change while it is used). Its methods update caches, so
// a Solver is not safe for concurrent use: give each goroutine its own.
type Solver struct {
	c   num.Ctx // the context; every method starts with Err nil
	err error   // the last Compile's error
	ok  bool    // compiled

	conv    Convention
	inverse bool // the account's contract is inverse
	net     int  // the sign of the net quantity on the account's contract

	m, tick     num.Dec // the account's contract
	sumV0, sumN num.Dec // entry values and sizes of its legs

	// Equity less the threshold at the unit value u (m*P, or m/P for an
	// inverse contract) is f(u) = den*u - num: B for bankruptcy, L for
	// liquidation, where the tiered legs' rates are left out of denL and
	// constL. num is const plus the legs on other contracts, folded in
	// again when a mark has changed (dirty). bank and liq are the roots,
	// kept once computed (liq only without tiers) until a mark changes.
	denB, denL     num.Dec
	constB, constL num.Dec
	constLb        num.Dec // constL plus the held legs' b
	numB, numL     num.Dec
	dirtyB, dirtyL bool
	dirtyLb        bool // a held leg's b changed
	bank, liq      root

	tiered bool // Binance with a tiered leg on the account's contract
	nt     int  // such legs
	tl     [InlineTiered]tleg
	tx     []tleg // beyond InlineTiered

	held []hleg // one per account leg, when some are on other contracts
}

// A tleg is a leg on the account's contract with tiers, under the Binance
// convention: its rates are those of the tier at the price.
type tleg struct {
	tiers *margin.Tiers
	n     num.Dec // |Qty|
	entry int32   // the tier of the entry value
	idx   int32   // the tier of the pass at hand
}

// An hleg is a leg of a compiled account on another contract, held at its
// mark. Its contribution to liquidation's num is MM - uPnL = t + b, with
// t = value*a: a = MMR - sigma and b = sigma*v0 - Cum at the mark's tier
// (Binance), or a = -sigma and b = sigma*v0 + MM(entry) (BitMEX, Bybit).
// b changes only with the tier, so the b of all legs are summed apart. To
// bankruptcy's num it contributes -uPnL = sigma*v0 - sigma*value.
type hleg struct {
	spec  *contract.Spec
	tiers *margin.Tiers // Binance: a and b from the tier at the mark
	size  num.Dec       // |Qty|*m (contract.SizeOf)
	sv0   num.Dec       // sigma*v0
	a, b  num.Dec       // for tier idx
	value num.Dec       // at the mark
	t     num.Dec       // value*a
	idx   int           // the tier of a and b; -1 before the first
	neg   bool          // sigma = -1
	held  bool          // the leg is on another contract
	open  bool          // and not flat
}

// Compile validates a and loads it into a new Solver, in ctx (which it
// copies: later changes to *ctx do not reach the Solver).
//
// Errors: as for [Solver.Compile].
func Compile(ctx *apd.Context, a *Account) (*Solver, error) {
	s := new(Solver)
	if err := s.Compile(ctx, a); err != nil {
		return nil, err
	}
	return s, nil
}

// Compile validates a and loads it into s, replacing what s held, in ctx
// (which it copies). It reads every field that the solves read, once:
// a.Spec's Kind, Multiplier and Tick (and Minor under the BitMEX
// convention), each open leg's fields, and each leg's Spec when it is on
// another contract. It allocates only to grow s's storage for legs on
// other contracts and tiered legs beyond [InlineTiered].
//
// Errors: derivmath.ErrContext for a nil ctx; [ErrNoSpec], [ErrConvention],
// [ErrNoLegs]; contract.ErrKind, contract.ErrMultiplier (zero, negative:
// BitMEX's API multiplier of -100000000 XBt is Multiplier 1 USD here),
// contract.ErrTickSize and contract.ErrMinorUnit for a malformed Spec;
// derivmath.CheckDecimal errors for any field, derivmath.CheckPrice errors
// for Entry and Mark; derivmath.ErrRate for an MMR outside [0, 1);
// [ErrNegative]; [ErrSettle]; derivmath.ErrZeroQty when no leg on a.Spec is
// open; margin tier lookup errors (a *margin.TierError for a notional
// beyond the last tier); and wrapped apd errors. On error, s returns the
// error from every method until it is compiled again.
func (s *Solver) Compile(ctx *apd.Context, a *Account) error {
	s.c = *num.In(ctx)
	err := s.load(&s.c, a, true, nil)
	s.ok, s.err = err == nil, err
	return err
}

// load validates a and loads it into s, computing in c; keep stores the
// legs on other contracts, which only SetMark needs (a one-shot call folds
// them into the sums). A leverage (for IsolatedMargin) is checked against
// the tiers of the legs on a.Spec that have some, at their entry values.
func (s *Solver) load(c *num.Ctx, a *Account, keep bool, leverage *apd.Decimal) error {
	switch {
	case c.Err != nil:
	case a.Spec == nil:
		c.Fail(ErrNoSpec)
	case a.Convention < Binance || a.Convention > Bybit:
		c.Fail(ErrConvention)
	case len(a.Legs) == 0:
		c.Fail(ErrNoLegs)
	}
	if c.Err != nil {
		return compileError(c.Err)
	}
	sp := a.Spec
	s.conv, s.inverse, s.nt, s.tiered = a.Convention, sp.Kind == contract.Inverse, 0, false
	s.dirtyB, s.dirtyL, s.bank.ok, s.liq.ok = false, false, false, false
	s.tx = s.tx[:0]
	s.m = sp.LoadMultiplier(c)
	s.tick = c.Check(&sp.Tick)
	if c.Err == nil && s.tick.Sign() <= 0 {
		c.Fail(contract.ErrTickSize)
	}
	minor := s.minor(c, sp)
	balance, otherPnL := c.Check(&a.Balance), c.Check(&a.OtherPnL)
	otherMM, fee, extraMM := nonNegative(c, &a.OtherMM), nonNegative(c, &a.FeeReserve), nonNegative(c, &a.ExtraMM)
	if c.Err != nil {
		return compileError(c.Err)
	}

	s.held = s.held[:0]
	if keep && a.hasHeld() {
		if cap(s.held) < len(a.Legs) {
			s.held = make([]hleg, len(a.Legs))
		} else {
			s.held = s.held[:len(a.Legs)]
			clear(s.held)
		}
	}
	// Per leg: sv = sum sigma*v0, denB = sum sigma*N, and the maintenance
	// terms mmrN = sum MMR*N (at the price) and mm (fixed).
	var sv, denB, net, sumV0, sumN, mmrN, mm num.Dec
	var heldL, heldLb, heldB sum
	open := 0
	for i := range a.Legs {
		l := &a.Legs[i]
		q := c.Check(&l.Qty)
		if c.Err != nil {
			break
		}
		if l.Spec != nil && l.Spec != sp {
			s.foldHeld(c, a, i, q, &heldL, &heldLb, &heldB)
			continue
		}
		if q.IsZero() {
			continue
		}
		ep, cost := c.CheckPrice(&l.Entry), c.Check(&l.Cost)
		neg := q.IsNeg() != s.inverse // sigma = -1: the leg loses as u rises
		n := q.Abs()
		v0 := entryValue(c, sp, contract.SizeOf(c, s.m, q), ep, cost)
		if open == 0 {
			sv, denB, net, sumV0, sumN = signed(v0, neg), signed(n, neg), q, v0, n
		} else {
			sv, denB = addSigned(c, sv, v0, neg), addSigned(c, denB, n, neg)
			net, sumV0, sumN = c.Add(net, q), c.Add(sumV0, v0), c.Add(sumN, n)
		}
		open++
		if l.Tiers != nil && leverage != nil {
			checkLeverage(c, l.Tiers, v0, leverage)
		}
		switch {
		case s.conv.atEntry():
			mmr, cum := legRates(c, l, v0)
			mm = accumulate(c, mm, fixedMM(c, mmr, cum, v0, minor))
		case l.Tiers != nil:
			// Rates at the price, per solve, from the tier at entry first.
			entry := tier(c, l.Tiers, -1, v0)
			s.addTiered(tleg{tiers: l.Tiers, n: n, entry: int32(entry)})
			s.tiered = true
		default:
			mmr, cum := legRates(c, l, v0)
			mmrN = accumulate(c, mmrN, c.Mul(mmr, n))
			mm = accumulate(c, mm, cum.Neg())
		}
	}
	if c.Err == nil && open == 0 {
		c.Fail(derivmath.ErrZeroQty)
	}
	// num = sum sigma*v0 - Balance - OtherPnL + thresholds, den = sum
	// sigma*N - sum MMR*N; zero terms are skipped (no cross, no reserves).
	base := accumulate(c, sv, balance.Neg())
	base = accumulate(c, base, otherPnL.Neg())
	cb, cl := accumulate(c, base, fee), accumulate(c, base, otherMM)
	cl = accumulate(c, cl, extraMM)
	if s.conv.atEntry() {
		cl = accumulate(c, cl, fee)
	}
	s.constB, s.constL = cb, accumulate(c, cl, mm)
	s.constLb = plus(c, s.constL, heldLb)
	s.numB, s.numL = plus(c, s.constB, heldB), plus(c, s.constLb, heldL)
	s.dirtyLb = false
	s.denB, s.denL = denB, accumulate(c, denB, mmrN.Neg())
	s.net, s.sumV0, s.sumN = net.Sign(), sumV0, sumN
	return compileError(c.Err)
}

// compileError wraps a failure reported by apd with the operation's name.
func compileError(err error) error { return num.Wrap("liquidation: compile", err) }

// start returns s's context with no error, or the error of a Solver that
// cannot solve.
func (s *Solver) start() (*num.Ctx, error) {
	if !s.ok {
		if s.err == nil {
			return nil, ErrNoSpec
		}
		return nil, s.err
	}
	s.c.Err = nil
	return &s.c, nil
}

// hasHeld reports whether a has a leg on another contract.
func (a *Account) hasHeld() bool {
	for i := range a.Legs {
		if sp := a.Legs[i].Spec; sp != nil && sp != a.Spec {
			return true
		}
	}
	return false
}

// addTiered appends t to s's tiered legs.
func (s *Solver) addTiered(t tleg) {
	if s.nt < InlineTiered {
		s.tl[s.nt] = t
	} else {
		s.tx = append(s.tx, t)
	}
	s.nt++
}

// tleg returns tiered leg i, for i < s.nt.
func (s *Solver) tleg(i int) *tleg {
	if i < InlineTiered {
		return &s.tl[i]
	}
	return &s.tx[i-InlineTiered]
}

// minor returns sp's minor unit under the BitMEX convention, which rounds
// maintenance up to it, and zero otherwise.
func (s *Solver) minor(c *num.Ctx, sp *contract.Spec) num.Dec {
	if s.conv != BitMEX {
		return num.Dec{}
	}
	m := c.Check(&sp.Minor)
	if c.Err == nil && m.Sign() < 0 {
		c.Fail(contract.ErrMinorUnit)
	}
	return m
}

// nonNegative loads x, recording ErrNegative if it is below zero.
func nonNegative(c *num.Ctx, x *apd.Decimal) num.Dec {
	d := c.Check(x)
	if d.Sign() < 0 {
		c.Fail(ErrNegative)
	}
	return d
}

// entryValue is a leg's value at entry: |cost| when cost is not zero, else
// the contract's value at ep of a position of the given size.
func entryValue(c *num.Ctx, sp *contract.Spec, size, ep, cost num.Dec) num.Dec {
	if !cost.IsZero() {
		return cost.Abs()
	}
	return sp.ValueAt(c, size, ep)
}

// legRates returns l's maintenance rate and amount: its own, or those of
// its tier at the notional x.
func legRates(c *num.Ctx, l *Leg, x num.Dec) (mmr, cum num.Dec) {
	if l.Tiers != nil {
		_, mmr, cum = l.Tiers.TierDec(tier(c, l.Tiers, -1, x))
		return mmr, cum
	}
	mmr = c.Check(&l.MMR)
	if c.Err == nil && (mmr.Sign() < 0 || !mmr.BelowOne()) {
		c.Fail(derivmath.ErrRate)
	}
	return mmr, nonNegative(c, &l.Cum)
}

// tier returns the tier of notional x in t, recording the lookup's error;
// hint is the tier of a notional near x, or -1. A notional outside the
// range of valid decimals is derivmath.ErrRange, as margin.Tiers.Lookup
// has it.
func tier(c *num.Ctx, t *margin.Tiers, hint int, x num.Dec) int {
	x = c.Result(x)
	if c.Err != nil {
		return 0
	}
	i, err := t.TierNear(hint, x)
	if err != nil {
		c.Fail(err)
	}
	return i
}

// checkLeverage records margin's error when leverage exceeds the maximum
// of the tier of the entry value v0 in t.
func checkLeverage(c *num.Ctx, t *margin.Tiers, v0 num.Dec, leverage *apd.Decimal) {
	if c.Err != nil {
		return
	}
	var x apd.Decimal
	v0.Store(&x)
	if err := t.CheckLeverage(&x, leverage); err != nil {
		c.Fail(err)
	}
}

// fixedMM is maintenance fixed at entry: MMR*v0, rounded up to minor unless
// it is zero (BitMEX's satoshi), less Cum.
func fixedMM(c *num.Ctx, mmr, cum, v0, minor num.Dec) num.Dec {
	mm := c.Mul(mmr, v0)
	if !minor.IsZero() {
		mm = c.RoundStep(mm, minor, num.Ceiling)
	}
	if cum.IsZero() {
		return mm
	}
	return c.Sub(mm, cum)
}

// foldHeld loads leg i of a, on another contract, into s.held when s
// keeps such legs, and adds its terms to heldL (t), heldLb (b) and heldB.
func (s *Solver) foldHeld(c *num.Ctx, a *Account, i int, q num.Dec, heldL, heldLb, heldB *sum) {
	var tmp hleg
	h := &tmp
	if len(s.held) > 0 {
		h = &s.held[i]
	}
	s.loadHeld(c, h, a, &a.Legs[i], q)
	if h.open {
		heldL.add(c, h.t)
		heldLb.add(c, h.b)
		heldB.add(c, h.cb(c))
	}
}

// loadHeld validates leg l of a, on another contract, into h, and computes
// its terms at its mark.
func (s *Solver) loadHeld(c *num.Ctx, h *hleg, a *Account, l *Leg, q num.Dec) {
	*h = hleg{spec: l.Spec, held: true, idx: -1}
	if q.IsZero() {
		return
	}
	sp := l.Spec
	h.open = true
	h.size = contract.SizeOf(c, sp.LoadMultiplier(c), q)
	if c.Err == nil && sp.Settle != "" && a.Spec.Settle != "" && sp.Settle != a.Spec.Settle {
		c.Fail(ErrSettle)
	}
	ep, cost, mark := c.CheckPrice(&l.Entry), c.Check(&l.Cost), c.CheckPrice(&l.Mark)
	h.neg = q.IsNeg() != (sp.Kind == contract.Inverse)
	v0 := entryValue(c, sp, h.size, ep, cost)
	h.sv0 = signed(v0, h.neg)
	switch {
	case s.conv.atEntry():
		mmr, cum := legRates(c, l, v0)
		h.a = signed(one, !h.neg)
		h.b = c.Add(h.sv0, fixedMM(c, mmr, cum, v0, s.minor(c, sp)))
	case l.Tiers != nil:
		h.tiers = l.Tiers
	default:
		mmr, cum := legRates(c, l, v0)
		h.a = c.Sub(mmr, signed(one, h.neg))
		h.b = c.Sub(h.sv0, cum)
	}
	if c.Err == nil {
		s.setMark(c, h, mark)
	}
}

// setMark sets h's value and terms at mark, or records an error and
// leaves h as it was.
func (s *Solver) setMark(c *num.Ctx, h *hleg, mark num.Dec) {
	value := h.spec.ValueAt(c, h.size, mark)
	if h.tiers != nil {
		if i := tier(c, h.tiers, h.idx, value); i != h.idx && c.Err == nil {
			s.retier(c, h, i)
		}
	}
	t := c.Mul(value, h.a)
	if c.Err == nil {
		h.value, h.t = value, t
	}
}

// retier moves h to tier i: a and b change, and so does the sum of the
// legs' b. a and b are a function of the tier alone: computing them ahead
// of a failure changes no result.
func (s *Solver) retier(c *num.Ctx, h *hleg, i int) {
	_, mmr, cum := h.tiers.TierDec(i)
	a, b := c.Sub(mmr, signed(one, h.neg)), c.Sub(h.sv0, cum)
	if c.Err == nil {
		h.a, h.b, h.idx = a, b, i
		s.dirtyLb = true
	}
}

// cb is h's contribution to bankruptcy's num: -uPnL = sigma*(v0 - value).
func (h *hleg) cb(c *num.Ctx) num.Dec {
	if h.neg {
		return c.Add(h.sv0, h.value)
	}
	return c.Sub(h.sv0, h.value)
}

// SetMark sets the mark of leg i of the compiled account (a leg on another
// contract) to mark: the leg's value, its tier (Binance) and its terms are
// recomputed, in constant time, and the next solve folds the legs on other
// contracts into the sums again (one addition per such leg), so that s
// gives, digit for digit, what a fresh Compile of the changed account
// gives: no error accumulates, whatever the number of calls. On error s is
// unchanged.
//
// Errors: [ErrLegIndex] when i is out of range or leg i is on the
// account's contract; derivmath.CheckPrice errors for mark; margin tier
// lookup errors; wrapped apd errors; and the Solver's own (see
// [Solver.Compile]).
func (s *Solver) SetMark(i int, mark *apd.Decimal) error {
	c, err := s.start()
	if err != nil {
		return err
	}
	if uint(i) >= uint(len(s.held)) || !s.held[i].held {
		return ErrLegIndex
	}
	h := &s.held[i]
	if x := c.CheckPrice(mark); h.open && c.Err == nil {
		s.setMark(c, h, x)
	}
	if c.Err != nil {
		return num.Wrap("liquidation: set mark", c.Err)
	}
	s.dirtyB, s.dirtyL, s.bank.ok, s.liq.ok = true, true, false, false
	return nil
}

// liqNum returns liquidation's num, with the legs on other contracts at
// their marks.
func (s *Solver) liqNum(c *num.Ctx) num.Dec {
	if !s.dirtyL {
		return s.numL
	}
	if s.dirtyLb {
		var b sum
		for i := range s.held {
			if h := &s.held[i]; h.open {
				b.add(c, h.b)
			}
		}
		s.constLb = plus(c, s.constL, b)
		s.dirtyLb = c.Err != nil
	}
	var t sum
	for i := range s.held {
		if h := &s.held[i]; h.open {
			t.add(c, h.t)
		}
	}
	s.numL = plus(c, s.constLb, t)
	s.dirtyL = c.Err != nil
	return s.numL
}

// bankNum returns bankruptcy's num, with the legs on other contracts at
// their marks.
func (s *Solver) bankNum(c *num.Ctx) num.Dec {
	if s.dirtyB {
		var h sum
		for i := range s.held {
			if hl := &s.held[i]; hl.open {
				h.add(c, hl.cb(c))
			}
		}
		s.numB = plus(c, s.constB, h)
		s.dirtyB = c.Err != nil
	}
	return s.numB
}

// A sum adds terms in order, keeping the first as it is (no rounding, no
// change of exponent). Its zero value is an empty sum, worth 0.
type sum struct {
	v   num.Dec
	set bool
}

// add adds x.
func (a *sum) add(c *num.Ctx, x num.Dec) {
	if a.set {
		a.v = c.Add(a.v, x)
		return
	}
	a.v, a.set = x, true
}

// accumulate returns acc + x, skipping a zero x, and x alone for a zero
// acc.
func accumulate(c *num.Ctx, acc, x num.Dec) num.Dec {
	switch {
	case x.IsZero():
		return acc
	case acc.IsZero():
		return x
	}
	return c.Add(acc, x)
}

// plus returns x plus the sum h.
func plus(c *num.Ctx, x num.Dec, h sum) num.Dec {
	if !h.set {
		return x
	}
	return c.Add(x, h.v)
}

// addSigned returns x - y when neg, else x + y.
func addSigned(c *num.Ctx, x, y num.Dec, neg bool) num.Dec {
	if neg {
		return c.Sub(x, y)
	}
	return c.Add(x, y)
}

// signed returns -x when neg, else x.
func signed(x num.Dec, neg bool) num.Dec {
	if neg {
		return x.Neg()
	}
	return x
}

var (
	one = num.FromInt64(1)
	two = num.FromInt64(2)
)
