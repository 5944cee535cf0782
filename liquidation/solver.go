package liquidation

import (
	"slices"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/num"
	"github.com/derivmath/derivmath/margin"
)

// InlineTiered is the number of tiered legs on the account's contract that
// a Solver holds in its own storage. The one-shot functions ([Price],
// [Bankruptcy], [Liquidatable], [Distance], [IsolatedMargin]) allocate
// nothing for accounts with at most InlineTiered tiered legs on the
// account's contract (any number of other legs; legs with a Cum and no
// tiers count only where the answer depends on their tier, see
// Leg.Cum); a compiled Solver stores the rest, and the legs on other
// contracts, in memory it keeps for the next Compile.
const InlineTiered = 4

// A Solver is an [Account] compiled: every input validated and loaded
// once, and the terms of equity and maintenance summed. The package
// documentation gives the cost of each method.
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
	terms

	// The legs on other contracts (held) add their terms to the num of
	// each threshold, const without them: to liquidation's, each leg's b
	// (summed into constLb, again when a leg changes tier) and t; to
	// bankruptcy's, its cb. The nums are summed again, in order, when a
	// mark has changed (dirty). bank and liq are the roots, kept once
	// computed (liq only without tiers; with floor legs, the root with
	// them in tier 1, which is the price when fast) until a mark changes;
	// tmp holds a tiered liquidation's.
	constB, constL, constLb num.Dec
	dirtyB, dirtyL, dirtyLb bool
	bank, liq, tmp          root
	fast                    bool   // liq is ok and the liquidation price (floor legs)
	held                    []hleg // one per account leg, when some are held

	// guard is a price where every floor leg is in tier 1, and so at every
	// price x on its side, where side*(x - guard) >= 0 (above it, below it
	// for an inverse contract): there liq answers Liquidatable, and liq's
	// cut answers only there (see num.Cut.Within).
	guard   num.Dec
	side    int
	guarded bool
}

// terms are an account loaded: what a solve reads. A one-shot function
// loads them on its stack, without a Solver's caches.
type terms struct {
	conv    Convention
	inverse bool // the account's contract is inverse
	tiered  bool // Binance with a tiered leg on the account's contract
	floor   bool // Binance with a floor leg there: own MMR and Cum (see rule)
	keep    bool // load stores every floor leg as a tleg, not only InlineTiered
	rules   bool // every floor leg is a tleg (see tier1)
	entry1  bool // every floor leg whose entry tier is found (load, entries) is in tier 1 there
	pending bool // a stored floor leg's entry tier is not found (see entries)
	hedged  bool // open legs on the account's contract of both signs sigma
	nt      int  // tiered legs and the floor legs stored

	// A one-shot call's account and thresholds, loaded again (keep) when
	// the floor legs' tiers are needed and not all stored (see
	// withRules); a Solver has none, and keeps every floor leg.
	src  *Account
	want need

	m, tick     num.Dec // the account's contract
	sumV0, sumN num.Dec // entry values and sizes of its legs

	// Equity less the threshold at the unit value u (m*P, or m/P for an
	// inverse contract) is f(u) = den*u - num: B for bankruptcy, L for
	// liquidation, where the tiered legs' rates are left out of denL and
	// numL, and the floor legs are in tier 1 (MMR*N in denL, -Cum in numL).
	denB, denL num.Dec
	numB, numL num.Dec

	tl [InlineTiered]tleg
	tx []tleg // beyond InlineTiered
}

// A tleg is a leg on the account's contract under the Binance convention
// whose rates change with the price: those of its tier at the price, or
// its own MMR and Cum above the price where they leave no maintenance (a
// floor leg, see rule).
type tleg struct {
	rule
	n     num.Dec // |Qty|
	v0    num.Dec // a floor leg's entry value
	entry int32   // the tier of the entry value; -1 until found (load, entries)
	idx   int32   // the tier of the pass at hand
}

// A rule gives a Binance leg's maintenance rate and amount at a notional
// x: those of the tier of x in tiers; or, without tiers, the leg's own MMR
// and Cum in tier 1, where MMR*x exceeds Cum, and none (0 and 0) in tier
// 0, where it does not. A leg's maintenance is so MMR*x - Cum, never below
// zero (see Leg.Cum); like a tier table's, it is continuous and convex in
// x.
type rule struct {
	tiers    *margin.Tiers
	mmr, cum num.Dec
}

// varies reports whether the rates of r change with the notional: a tier
// table, or a Cum (binanceRule drops a Cum with a rate of 0).
func (r *rule) varies() bool { return r.tiers != nil || !r.cum.IsZero() }

// at returns the tier of notional x, recording a table's lookup error;
// hint is the tier of a notional near x, or -1.
func (r *rule) at(c *num.Ctx, hint int, x num.Dec) int {
	if r.tiers != nil {
		return tier(c, r.tiers, hint, x)
	}
	if r.above(c.Mul(r.mmr, x)) {
		return 1
	}
	return 0
}

// start returns the tier of a table r at the entry value v0, where a
// solve of the price starts (see iterate), recording a lookup's error: at
// or beyond the table's limit, which no tier holds, the last tier. A
// position keeps its entry when Binance lowers its bracket's cap, and its
// maintenance at the price, which is what the solve reads, is defined
// wherever the notional there is within the table; the last tier is the
// nearest to the entry, and the passes and the scan (which stops at the
// limit) go on from it as from any tier.
func (r *rule) start(c *num.Ctx, v0 num.Dec) int {
	x := c.Result(v0)
	if lim, ok := r.tiers.LimitDec(); ok && c.Err == nil && x.Cmp(lim) >= 0 {
		return r.tiers.Len() - 1
	}
	return r.at(c, -1, x)
}

// above reports whether mx, the product MMR*x at a notional x, exceeds
// Cum: whether a rule without tiers is in tier 1 at x.
func (r *rule) above(mx num.Dec) bool { return mx.Cmp(r.cum) > 0 }

// rates returns the maintenance rate and amount of tier i.
func (r *rule) rates(i int) (mmr, cum num.Dec) {
	if r.tiers != nil {
		_, mmr, cum = r.tiers.TierDec(i)
		return mmr, cum
	}
	if i == 0 {
		return num.Dec{}, num.Dec{}
	}
	return r.mmr, r.cum
}

// breaks returns the notionals where r's tier changes, in increasing
// order, and whether the last is a table's limit: a table's floors above
// its first (and its limit), or the notional Cum/MMR.
func (r *rule) breaks(c *num.Ctx, j int) (x num.Dec, ok, limit bool) {
	if r.tiers == nil {
		if j != 1 {
			return num.Dec{}, false, false
		}
		return c.Quo(r.cum, r.mmr), true, false
	}
	n := r.tiers.Len()
	if j < n {
		floor, _, _ := r.tiers.TierDec(j)
		return floor, true, false
	}
	if lim, ok := r.tiers.LimitDec(); ok && j == n {
		return lim, true, true
	}
	return num.Dec{}, false, false
}

// An hleg is a leg of a compiled account on another contract, held at its
// mark. Its contribution to liquidation's num is MM - uPnL = t + b, with
// t = value*a: a = MMR - sigma and b = sigma*v0 - Cum at the mark's tier
// (Binance, see rule), or a = -sigma and b = sigma*v0 + MM(entry) (BitMEX,
// Bybit).
// b changes only with the tier, so the b of all legs are summed apart. To
// bankruptcy's num it contributes -uPnL = sigma*v0 - sigma*value.
type hleg struct {
	spec  *contract.Spec
	rule          // Binance: a and b from the tier at the mark
	size  num.Dec // |Qty|*m (contract.SizeOf)
	sv0   num.Dec // sigma*v0
	a, b  num.Dec // for tier idx
	value num.Dec // at the mark
	t     num.Dec // value*a
	idx   int     // the tier of a and b; -1 before the first
	neg   bool    // sigma = -1
	held  bool    // the leg is on another contract
	open  bool    // and not flat
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
// another contract.
//
// Errors: derivmath.ErrContext for a nil ctx; [ErrNoSpec], [ErrConvention],
// [ErrNoLegs]; contract.ErrKind, contract.ErrMultiplier (see
// contract.Spec.Validate), contract.ErrTickSize and contract.ErrMinorUnit
// for a malformed Spec; derivmath.CheckDecimal errors for any field,
// derivmath.CheckPrice errors for Entry and Mark; derivmath.ErrRate for an
// MMR outside [0, 1); [ErrNegative]; [ErrSettle]; derivmath.ErrZeroQty when
// no leg on a.Spec is open; margin tier lookup errors (a *margin.TierError
// for a notional at or beyond a table's limit: a leg's entry value under
// the BitMEX and Bybit conventions, which fix its maintenance there, and
// the mark's notional of a leg on another contract under the Binance
// convention, not a leg's entry value there, see [Solver.Price]); and
// wrapped apd errors. On error, s returns the error from every method
// until it is compiled again.
func (s *Solver) Compile(ctx *apd.Context, a *Account) error {
	s.c = *num.In(ctx)
	c := &s.c
	s.held = s.held[:0]
	if a.hasHeld() {
		s.held = slices.Grow(s.held, len(a.Legs))[:len(a.Legs)]
		clear(s.held)
	}
	var h heldSums
	s.src, s.keep = nil, true
	s.load(c, a, s.held, &h, nil, needB|needL|needE)
	s.constB, s.constL = s.numB, s.numL
	s.constLb = plus(c, s.constL, h.b)
	s.numB, s.numL = plus(c, s.constB, h.cb), plus(c, s.constLb, h.t)
	s.dirtyB, s.dirtyL, s.dirtyLb, s.bank.ok, s.liq.ok, s.liq.cut = false, false, false, false, false, num.Cut{}
	s.fast, s.guarded, s.side = false, false, 1
	if s.inverse {
		s.side = -1
	}
	err := compileError(c.Err)
	s.ok, s.err = err == nil, err
	return err
}

// oneShot validates a and loads it into s for a single call that needs
// the thresholds want, computing in c, with the legs on other contracts
// folded into numB and numL in the order in which a Solver sums them.
// Unless c is derivmath's default context (base, from num.InBase), it sums
// both thresholds' terms, whatever want, so that it fails wherever Compile
// does (see need). A leverage (for IsolatedMargin) is checked against the
// tiers of the legs on a.Spec that have some, at their entry values.
//
// The floor legs are stored as tlegs as far as InlineTiered allows (see
// tier1); withRules loads the rest when a solve needs them.
func (s *terms) oneShot(c *num.Ctx, base bool, a *Account, leverage *apd.Decimal, want need) error {
	if !base {
		want |= needB | needL
	}
	s.src, s.want = a, want
	s.loadOne(c, leverage)
	return compileError(c.Err)
}

// loadOne loads s.src for the thresholds s.want (see oneShot).
func (s *terms) loadOne(c *num.Ctx, leverage *apd.Decimal) {
	var h heldSums
	s.load(c, s.src, nil, &h, leverage, s.want)
	lb := plus(c, s.numL, h.b) // in Compile's order, which fails first
	s.numB = plus(c, s.numB, h.cb)
	s.numL = plus(c, lb, h.t)
}

// withRules loads a one-shot call's account again, storing every floor
// leg, unless they are stored. It adds nothing else: the sums come out as
// they were.
func (s *terms) withRules(c *num.Ctx) {
	if !s.rules {
		s.keep = true
		s.loadOne(c, nil)
	}
}

// need says which thresholds a load sums the terms of: bankruptcy's
// (needB), liquidation's (needL). Inputs are validated all the same, and
// maintenance fixed at entry computed (its rounding to the minor unit can
// fail): a one-shot call skips only additions and products, which cannot
// fail on valid inputs in derivmath's default context. In other contexts
// they can (exponent limits narrower than apd's, Inexact trapped), so
// there a one-shot call sums both thresholds, as Compile does. needE asks
// load for the floor legs' entry tiers too, which a solve of the price
// starts from (see entries; a test at a mark does without them).
type need uint8

const (
	needB need = 1 << iota
	needL
	needE
)

// heldSums are the sums of the terms of the legs on other contracts: t and
// b (liquidation), cb (bankruptcy); see hleg.
type heldSums struct{ t, b, cb sum }

// load validates a and loads it into s, computing in c and recording the
// first error there. Each leg on another contract is loaded into its slot
// of held (nil: into a temporary) and its terms summed into h, not into
// numB and numL. A floor leg is summed in tier 1, and stored as a tleg
// too when s.keep or InlineTiered allows.
func (s *terms) load(c *num.Ctx, a *Account, held []hleg, h *heldSums, leverage *apd.Decimal, want need) {
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
		return
	}
	sp := a.Spec
	s.conv, s.inverse, s.nt, s.tiered, s.floor, s.hedged = a.Convention, sp.Kind == contract.Inverse, 0, false, false, false
	s.rules, s.entry1, s.pending = true, true, false
	s.tx = s.tx[:0]
	s.m = sp.LoadMultiplier(c)
	// The common case of each input inlines (see num.Small): a call saved
	// per input.
	var ok bool
	if s.tick, ok = num.SmallPositive(&sp.Tick); !ok {
		s.tick = c.Check(&sp.Tick)
		if c.Err == nil && s.tick.Sign() <= 0 {
			c.Fail(contract.ErrTickSize)
		}
	}
	minor := s.minor(c, sp)
	balance, ok := num.Small(&a.Balance)
	if !ok {
		balance = c.Check(&a.Balance)
	}
	otherPnL, ok := num.Small(&a.OtherPnL)
	if !ok {
		otherPnL = c.Check(&a.OtherPnL)
	}
	otherMM, fee, extraMM := nonNegative(c, &a.OtherMM), nonNegative(c, &a.FeeReserve), nonNegative(c, &a.ExtraMM)
	if c.Err != nil {
		return
	}

	// Per leg: sv = sum sigma*v0, denB = sum sigma*N, and the maintenance
	// terms mmrN = sum MMR*N (at the price) and mm (fixed).
	var sv, denB, sumV0, sumN, mmrN, mm num.Dec
	open, neg0 := 0, false // neg0: the first open leg's sign
	for i := range a.Legs {
		l := &a.Legs[i]
		q := c.Check(&l.Qty)
		if c.Err != nil {
			break
		}
		if l.Spec != nil && l.Spec != sp {
			var tmp hleg
			hl := &tmp
			if held != nil {
				hl = &held[i]
			}
			s.loadHeld(c, hl, a, l, q)
			if hl.open && want&needL != 0 {
				h.t.add(c, hl.t)
				h.b.add(c, hl.b)
			}
			if hl.open && want&needB != 0 {
				h.cb.add(c, hl.cb(c))
			}
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
			sv, denB, sumV0, sumN = signed(v0, neg), signed(n, neg), v0, n
			neg0 = neg
		} else {
			s.hedged = s.hedged || neg != neg0
			sv, denB = addSigned(c, sv, v0, neg), addSigned(c, denB, n, neg)
			sumV0, sumN = c.Add(sumV0, v0), c.Add(sumN, n)
		}
		open++
		if l.Tiers != nil && leverage != nil {
			checkLeverage(c, l.Tiers, v0, leverage)
		}
		switch {
		case s.conv.atEntry():
			mmr, cum := legRates(c, l, v0)
			mm = c.Accumulate(mm, margin.FlooredMaintenanceDec(c, mmr, v0, cum, minor))
		default:
			r := binanceRule(c, l)
			switch {
			case r.tiers != nil:
				// Rates at the price, per solve, from the tier at entry
				// first.
				s.addTiered(&r, n, num.Dec{}, int32(r.start(c, v0)))
				s.tiered = true
			case want&needL != 0:
				// MMR*value - Cum: a floor leg's maintenance in tier 1,
				// where a solve starts (see affine).
				mmrN = c.Accumulate(mmrN, c.Mul(r.mmr, n))
				mm = c.Accumulate(mm, r.cum.Neg())
				if r.varies() {
					s.floor = true
					e := int32(-1)
					if want&needE != 0 {
						e = s.entryTier(c, &r, v0)
					}
					if s.keep || s.nt < InlineTiered || s.spill(c, &r, v0, e) {
						s.pending = s.pending || e < 0
						s.addTiered(&r, n, v0, e)
					}
				}
			}
		}
	}
	if c.Err == nil && open == 0 {
		c.Fail(derivmath.ErrZeroQty)
	}
	// num = sum sigma*v0 - Balance - OtherPnL + thresholds, den = sum
	// sigma*N - sum MMR*N; zero terms are skipped (no cross, no reserves).
	base := c.Accumulate(sv, balance.Neg())
	base = c.Accumulate(base, otherPnL.Neg())
	if want&needB != 0 {
		s.numB = c.Accumulate(base, fee)
	}
	if want&needL != 0 {
		cl := c.Accumulate(c.Accumulate(base, otherMM), extraMM)
		if s.conv.atEntry() {
			cl = c.Accumulate(cl, fee)
		}
		s.numL, s.denL = c.Accumulate(cl, mm), c.Accumulate(denB, mmrN.Neg())
	}
	s.denB = denB
	s.sumV0, s.sumN = sumV0, sumN
}

// entryTier returns the tier of a floor leg (rule r) at its entry value
// v0, and records it in entry1: the comparison of MMR*v0 with Cum that
// rule.at makes, made while load has the numbers at hand. Where the
// kernels do not compute that product (after an error, in a context they
// do not serve) it returns -1 and leaves c as it found it: entries or
// spill then finds the tier with rule.at, and reports its error, as they
// did before load found any.
func (s *terms) entryTier(c *num.Ctx, r *rule, v0 num.Dec) int32 {
	x, ok := c.TryMul(r.mmr, v0)
	if !ok {
		return -1
	}
	if !r.above(x) {
		s.entry1 = false
		return 0
	}
	return 1
}

// spill reports whether a one-shot call stores a floor leg (rule r, entry
// value v0, entry tier e or -1) beyond the inline storage: when the tier
// path will need every leg, from the first such leg, if it or a leg before
// is in tier 0 at entry (keep). Otherwise not every leg is stored (rules).
func (s *terms) spill(c *num.Ctx, r *rule, v0 num.Dec, e int32) bool {
	in1 := e == 1
	if e < 0 {
		in1 = r.at(c, -1, v0) == 1
		s.entry1 = s.entry1 && in1
	}
	if s.keep = s.rules && (!in1 || !s.entries(c)); !s.keep {
		s.rules = false
	}
	return s.keep
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

// addTiered appends to s's tiered legs a tleg of rule r, size n, entry
// value v0 (a floor leg's) and entry tier, written in place.
func (s *terms) addTiered(r *rule, n, v0 num.Dec, entry int32) {
	var t *tleg
	if s.nt < InlineTiered {
		t = &s.tl[s.nt]
	} else {
		s.tx = append(s.tx, tleg{})
		t = &s.tx[len(s.tx)-1]
	}
	t.rule, t.n, t.v0, t.entry, t.idx = *r, n, v0, entry, 0
	s.nt++
}

// tleg returns tiered leg i, for i < s.nt.
func (s *terms) tleg(i int) *tleg {
	if i < InlineTiered {
		return &s.tl[i]
	}
	return &s.tx[i-InlineTiered]
}

// minor returns sp's minor unit under the BitMEX convention, which rounds
// maintenance up to it, and zero otherwise.
func (s *terms) minor(c *num.Ctx, sp *contract.Spec) num.Dec {
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
func nonNegative(c *num.Ctx, x *apd.Decimal) num.Dec { return c.CheckNonNegative(x, ErrNegative) }

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
	return ownRates(c, l)
}

// ownRates loads l's MMR and Cum.
func ownRates(c *num.Ctx, l *Leg) (mmr, cum num.Dec) {
	mmr = c.Check(&l.MMR)
	if c.Err == nil && (mmr.Sign() < 0 || !mmr.BelowOne()) {
		c.Fail(derivmath.ErrRate)
	}
	return mmr, nonNegative(c, &l.Cum)
}

// binanceRule loads l's maintenance rule under the Binance convention:
// its tiers, or its MMR and Cum (a Cum is dropped with a rate of 0, which
// leaves no maintenance for it to lower).
func binanceRule(c *num.Ctx, l *Leg) rule {
	if l.Tiers != nil {
		return rule{tiers: l.Tiers}
	}
	mmr, cum := ownRates(c, l)
	if mmr.IsZero() {
		cum = num.Dec{}
	}
	return rule{mmr: mmr, cum: cum}
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

// loadHeld validates leg l of a, on another contract, into h, and computes
// its terms at its mark.
func (s *terms) loadHeld(c *num.Ctx, h *hleg, a *Account, l *Leg, q num.Dec) {
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
		h.b = c.Add(h.sv0, margin.FlooredMaintenanceDec(c, mmr, v0, cum, s.minor(c, sp)))
	default:
		if h.rule = binanceRule(c, l); !h.varies() {
			h.a, h.b = h.terms(c, h.mmr, h.cum)
		}
	}
	if c.Err == nil {
		h.setMark(c, mark)
	}
}

// terms returns a and b under the Binance convention, from the leg's
// maintenance rate and amount.
func (h *hleg) terms(c *num.Ctx, mmr, cum num.Dec) (a, b num.Dec) {
	return c.Sub(mmr, signed(one, h.neg)), c.Sub(h.sv0, cum)
}

// setMark sets h's value and terms at mark, its tier (and so a and b)
// included, and reports whether the tier changed; on error it records it
// and leaves h as it was.
func (h *hleg) setMark(c *num.Ctx, mark num.Dec) (retiered bool) {
	value := h.spec.ValueAt(c, h.size, mark)
	idx := h.idx
	if h.varies() {
		idx = h.at(c, h.idx, value)
	}
	a, b := h.a, h.b
	if idx != h.idx && c.Err == nil {
		mmr, cum := h.rates(idx)
		a, b = h.terms(c, mmr, cum)
	}
	t := c.Mul(value, a)
	if c.Err != nil {
		return false
	}
	h.value, h.t = value, t
	if idx == h.idx {
		return false
	}
	h.a, h.b, h.idx = a, b, idx
	return true
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
// unchanged. Because the sums are folded at the next solve, an error that
// folding meets (a sum that a context trapping Inexact refuses, where a
// fresh Compile of the changed account would fail) comes from that solve
// and every later one, not from SetMark; no wrong number is returned.
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
	if x := c.CheckPrice(mark); h.open && c.Err == nil && h.setMark(c, x) {
		s.dirtyLb = true
	}
	if c.Err != nil {
		return num.Wrap("liquidation: set mark", c.Err)
	}
	s.dirtyB, s.dirtyL, s.bank.ok, s.liq.ok, s.liq.cut, s.fast = true, true, false, false, num.Cut{}, false
	return nil
}

// kept returns the root s keeps for liquidation; a tiered liquidation's
// depends on the tiers, and is solved on every call, as is one with floor
// legs whose root in tier 1 is not the price (see affine).
func (s *Solver) kept(c *num.Ctx) *root {
	if !s.tiered && (!s.floor || s.fast) {
		return &s.liq
	}
	return s.keptTiered(c)
}

// keptTiered is kept for an account with tiered or floor legs.
func (s *Solver) keptTiered(c *num.Ctx) *root {
	if !s.tiered && !s.liq.ok {
		s.fast = s.affine(c, &s.liq)
	}
	if s.tiered || !s.fast {
		s.tmp.ok = false
		return &s.tmp
	}
	return &s.liq
}

// sumL sums liquidation's num again, with the legs on other contracts at
// their marks.
func (s *Solver) sumL(c *num.Ctx) {
	if s.dirtyLb {
		var b sum
		for i := range s.held {
			if l := &s.held[i]; l.open {
				b.add(c, l.b)
			}
		}
		s.constLb = plus(c, s.constL, b)
		s.dirtyLb = c.Err != nil
	}
	var t sum
	for i := range s.held {
		if l := &s.held[i]; l.open {
			t.add(c, l.t)
		}
	}
	s.numL = plus(c, s.constLb, t)
	s.dirtyL = c.Err != nil
}

// sumB sums bankruptcy's num again, with the legs on other contracts at
// their marks.
func (s *Solver) sumB(c *num.Ctx) {
	var b sum
	for i := range s.held {
		if l := &s.held[i]; l.open {
			b.add(c, l.cb(c))
		}
	}
	s.numB = plus(c, s.constB, b)
	s.dirtyB = c.Err != nil
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
