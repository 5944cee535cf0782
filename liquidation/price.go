package liquidation

import (
	"errors"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/internal/enum"
	"github.com/derivmath/derivmath/internal/num"
	"github.com/derivmath/derivmath/margin"
)

// Rounding selects how a solved price is rounded.
type Rounding int8

// The roundings. The zero Rounding is invalid ([ErrRounding]).
const (
	// Exact leaves the price unrounded, at the context's precision (Binance
	// reports liquidation prices unrounded, to 8 decimals).
	Exact Rounding = 1 + iota
	// TowardEntry rounds to the spec's tick on the conservative side,
	// toward the entry: up for a long, down for a short, so the rounded
	// price is reached before the exact one. BitMEX (1971.53 -> 1972 for
	// a long, 6968.86 -> 6968.5 for a short) and Bybit do this. Hedged
	// legs are rounded to the side where the account is not past the
	// threshold: up when it is past it below the price, down when above,
	// whatever the sign of their net quantity (under the Binance
	// convention, a small net long whose legs' maintenance grows faster
	// than it gains is liquidated above the price, and rounded down).
	TowardEntry
	// Nearest rounds to the nearest tick, ties to the even tick.
	//
	// Neither TowardEntry nor Nearest rounds a positive price below one
	// tick: a price under one tick becomes one tick, even for a short
	// under TowardEntry, as no quotable price lies between it and zero.
	Nearest
)

var roundingNames = [...]string{"invalid", "Exact", "TowardEntry", "Nearest"}

// String returns the name of the rounding, such as "TowardEntry".
func (r Rounding) String() string { return enum.Name("Rounding", roundingNames[:], int(r)) }

// Status says whether a solve found a price.
type Status int8

// The statuses. The zero Status is never returned.
const (
	// Found: the price is in z.
	Found Status = 1 + iota
	// Never: no positive price reaches the threshold. The account is safe
	// at every price: the bankruptcy price of an inverse short at 1x or
	// less, a linear long whose solution would be zero or negative. (BitMEX
	// displays a sentinel price for such a position, 100000000 where it has
	// been seen; derivmath says Never.) Its liquidation price is Never only where the
	// maintenance stays below what its equity falls toward as the price
	// rises, its margin less its entry value: at 1x with an MMR above 0
	// it is Found (10,000 XBTUSD short at 50,000, MMR 0.5%: 10,000,000).
	// BitMEX keeps no maintenance for such a short (posComm = posMaint =
	// 0), as package account applies: pass MMR and FeeReserve 0 for it.
	Never
	// Always: every price is past the threshold; the account is already
	// liquidatable (or bankrupt) wherever the price goes.
	Always
)

var statusNames = [...]string{"invalid", "Found", "Never", "Always"}

// String returns the name of the status, such as "Found".
func (s Status) String() string { return enum.Name("Status", statusNames[:], int(s)) }

// maxIter bounds Binance's tier re-evaluation before the solver falls back
// to the exact segment scan; a single position converges in one or two
// passes.
const maxIter = 8

// maxSegments bounds the segment scan: every leg's tier table contributes
// its floors as breakpoints.
const maxSegments = 1024

// Price sets z to the liquidation price of a: the price P of a.Spec at
// which the account's equity equals its maintenance margin,
//
//	Balance + OtherPnL + sum uPnL_i(P) = OtherMM + ExtraMM + sum MM_i(P) [+ FeeReserve]
//
// with MM_i per a.Convention (legs on other contracts at their marks), and
// rounds it per r. It returns [Found] with the price in z, or [Never] or
// [Always] with z set to 0. It loads a on the stack ([Solver.Price]
// explains the solve); compile once with [Compile] to solve many times.
//
// Errors: derivmath.ErrContext for a nil ctx, those of [Solver.Compile] and
// [Solver.Price].
func Price(ctx *apd.Context, z *apd.Decimal, a *Account, r Rounding) (Status, error) {
	var s terms
	c, ok := num.InBase(ctx)
	if !ok {
		c = num.In(ctx)
	}
	if err := s.oneShot(c, ok, a, nil, needL|needE); err != nil {
		return 0, err
	}
	return s.price(c, z, r, true, new(root))
}

// Bankruptcy sets z to the bankruptcy price of a: the price at which the
// margin, less the fee reserve, is lost,
//
//	Balance + OtherPnL + sum uPnL_i(P) = FeeReserve
//
// and rounds it per r. It returns [Found], [Never] or [Always] as [Price]
// does.
//
// Errors: derivmath.ErrContext for a nil ctx, those of [Solver.Compile] and
// [Solver.Bankruptcy].
func Bankruptcy(ctx *apd.Context, z *apd.Decimal, a *Account, r Rounding) (Status, error) {
	var s terms
	c, ok := num.InBase(ctx)
	if !ok {
		c = num.In(ctx)
	}
	if err := s.oneShot(c, ok, a, nil, needB); err != nil {
		return 0, err
	}
	return s.price(c, z, r, false, new(root))
}

// Liquidatable reports whether a is liquidatable at mark, the price of
// a.Spec: whether its equity there is at most its maintenance margin (at the
// liquidation price itself it is). See [Solver.Liquidatable].
//
// Errors: derivmath.ErrContext for a nil ctx, those of [Solver.Compile] and
// [Solver.Liquidatable].
func Liquidatable(ctx *apd.Context, a *Account, mark *apd.Decimal) (bool, error) {
	var s terms
	c, ok := num.InBase(ctx)
	if !ok {
		c = num.In(ctx)
	}
	if err := s.oneShot(c, ok, a, nil, needL); err != nil {
		return false, err
	}
	return s.liquidatable(c, mark, new(root))
}

// Distance sets abs to |mark - P_L| and pct to abs/mark (a fraction: 0.05
// is 5%), where P_L is a's liquidation price rounded per r. It returns the
// status of the solve; unless it is [Found], abs and pct are set to 0. abs
// and pct may alias mark or any decimal of a.
//
// Errors: derivmath.ErrContext for a nil ctx, those of [Solver.Compile] and
// [Solver.Distance].
func Distance(ctx *apd.Context, abs, pct *apd.Decimal, a *Account, mark *apd.Decimal, r Rounding) (Status, error) {
	var s terms
	c, ok := num.InBase(ctx)
	if !ok {
		c = num.In(ctx)
	}
	if err := s.oneShot(c, ok, a, nil, needL|needE); err != nil {
		return 0, err
	}
	return s.distance(c, abs, pct, mark, r, new(root))
}

// IsolatedMargin sets z to the initial margin of a's legs on a.Spec at
// leverage: the sum of their entry values divided by leverage, as BitMEX and
// Bybit assign it to an isolated position. Add any added margin to it and
// store it in a.Balance. For legs with tiers, the leverage must not exceed
// the maximum of the tier of the leg's entry value.
//
// Errors: derivmath.ErrContext for a nil ctx, those of [Solver.Compile],
// derivmath.CheckLeverage errors, margin.ErrAboveMaxLeverage and the other
// tier lookup errors.
func IsolatedMargin(ctx *apd.Context, z *apd.Decimal, a *Account, leverage *apd.Decimal) error {
	var s terms
	c, ok := num.InBase(ctx)
	if !ok {
		c = num.In(ctx)
	}
	lev := c.CheckLeverage(leverage)
	if err := s.oneShot(c, ok, a, leverage, 0); err != nil {
		return err
	}
	return num.Wrap("liquidation: isolated margin", c.Store(z, c.Quo(s.sumV0, lev)))
}

// Price sets z to the liquidation price of the compiled account (see the
// function [Price]), rounded per r, and returns [Found]; or [Never] or
// [Always] with z set to 0.
//
// The solve is exact up to one division (see the package documentation).
// Under the Binance convention with tiers (a leg with a Cum and no tiers
// has two: maintenance 0 up to the notional Cum/MMR, MMR*value - Cum
// above; see Leg.Cum), it solves in the tiers of the legs' entry
// notionals, then again in the tiers of the notionals at the answer,
// until they no longer change (Binance's procedure); when that is
// inconclusive it solves exactly on every stretch of prices where no leg
// changes tier. Maintenance is defined only for notionals within a leg's
// table: an entry notional at or beyond the table's limit (a position
// opened before the exchange lowered it keeps its entry) starts from the
// last tier, and the price is Found wherever a root's notionals lie
// within the tables; a root beyond a limit is none, and where no price
// within the tables reaches the threshold the status is [Never] or
// [Always], as equity less maintenance there says. With tiers,
// maintenance grows faster than the notional, so
// hedged legs (whose net exposure is small) can be liquidated both below
// and above the entry; Price then returns the liquidation price nearest
// the legs' average entry.
//
// Errors: [ErrRounding], [ErrNoConvergence], derivmath.ErrRange for a tick
// rounding that needs more digits than the context's, wrapped apd errors,
// and the Solver's own (see [Solver.Compile]).
func (s *Solver) Price(z *apd.Decimal, r Rounding) (Status, error) {
	c, err := s.start()
	if err != nil {
		return 0, err
	}
	if s.dirtyL {
		s.sumL(c)
	}
	return s.price(c, z, r, true, s.kept(c))
}

// Bankruptcy sets z to the bankruptcy price of the compiled account (see
// the function [Bankruptcy]), rounded per r, with the status as for
// [Solver.Price].
//
// Errors: [ErrRounding], derivmath.ErrRange for a tick rounding that needs
// more digits than the context's, wrapped apd errors, and the Solver's own
// (see [Solver.Compile]): those of [Solver.Price] but [ErrNoConvergence],
// as the bankruptcy price reads no tier.
func (s *Solver) Bankruptcy(z *apd.Decimal, r Rounding) (Status, error) {
	c, err := s.start()
	if err != nil {
		return 0, err
	}
	if s.dirtyB {
		s.sumB(c)
	}
	return s.price(c, z, r, false, &s.bank)
}

// price is Price (liq) or Bankruptcy, computing in c; t is as for
// rootOf.
func (s *terms) price(c *num.Ctx, z *apd.Decimal, r Rounding, liq bool, t *root) (Status, error) {
	if r < Exact || r > Nearest {
		return 0, ErrRounding
	}
	p, st := s.solve(c, liq, r, t)
	if err := c.Store(z, p); err != nil {
		if liq {
			return 0, num.Wrap("liquidation: price", err)
		}
		return 0, num.Wrap("liquidation: bankruptcy", err)
	}
	return st, nil
}

// Liquidatable reports whether the compiled account is liquidatable at
// mark, the price of its contract: whether mark is at or past its exact
// liquidation price (as [Solver.Price] computes it with [Exact]) on the
// side where equity is at most maintenance, or whether the account is
// liquidatable at every price ([Always]). Under the Binance convention with
// tiers, the price is solved with the rates of the tiers at mark: equity
// less maintenance is linear in the unit value within those tiers, so mark
// is past that price exactly when it is liquidatable.
//
// A leg with a Cum is in the tier of mark likewise: where MMR*value
// exceeds Cum (as it does at any mark past the last such mark), the
// compiled account's root with every such leg there is kept, and
// answers.
//
// Errors: derivmath.CheckPrice errors for mark, margin tier lookup errors,
// wrapped apd errors, and the Solver's own (see [Solver.Compile]).
func (s *Solver) Liquidatable(mark *apd.Decimal) (bool, error) {
	// The root at hand and a mark in a word: one pass. The root is kept
	// (liq.ok) only for a compiled account without tiers, and its cut set
	// only when it is Found (cleared with liq.ok); with floor legs the cut
	// answers only for a mark on the guard's side (Within).
	if r, ok := s.liq.cut.CmpPrice(mark); ok {
		return r*s.liq.dir <= 0, nil
	}
	return s.liquidatableAny(mark)
}

// liquidatableAny is Liquidatable in every case.
func (s *Solver) liquidatableAny(mark *apd.Decimal) (bool, error) {
	if s.ok && s.liq.ok && !s.tiered {
		// The root is at hand: one comparison (with floor legs, if they
		// are in tier 1 at mark).
		c := &s.c
		if c.Err != nil {
			c.Err = nil
		}
		x := c.CheckPrice(mark)
		if c.Err != nil {
			return false, c.Err
		}
		if !s.floor || s.clear(c, x) {
			if s.liq.st == Found {
				// For the next mark: the root, and the guard's side.
				s.liq.cut = num.CutAt(s.liq.p, x.Exponent())
				if s.floor {
					s.liq.cut.Within(s.guard, s.side > 0)
				}
			}
			return s.liq.past(x), nil
		}
	}
	c, err := s.start()
	if err != nil {
		return false, err
	}
	if s.dirtyL {
		s.sumL(c)
	}
	if s.floor && !s.tiered {
		if !s.liq.ok {
			// The root with every floor leg in tier 1, kept: the next
			// call compares.
			if s.fast = s.affine(c, &s.liq); s.liq.ok {
				return s.liquidatableAny(mark)
			}
		}
		s.tmp.ok = false
		return s.liquidatable(c, mark, &s.tmp)
	}
	return s.liquidatable(c, mark, s.kept(c))
}

// clear reports whether every floor leg is in tier 1 at the price x: at
// once when x is on the guard's side (see Solver), else from their rules,
// moving the guard to x when they are. It leaves c as it found it (no
// error).
func (s *Solver) clear(c *num.Ctx, x num.Dec) bool {
	if s.guarded && x.Cmp(s.guard)*s.side >= 0 {
		return true
	}
	if !s.tier1(c, s.unit(c, x)) || c.Err != nil {
		c.Err = nil
		return false
	}
	s.guard, s.guarded = x, true
	return true
}

// liquidatable is Liquidatable, computing in c; t is as for rootOf, and
// not a kept root with floor legs (it may hold the root in a mark's
// tiers).
func (s *terms) liquidatable(c *num.Ctx, mark *apd.Decimal, t *root) (bool, error) {
	x := c.CheckPrice(mark)
	switch {
	case s.floor && !s.tiered && s.tier1(c, s.unit(c, x)):
		// Every floor leg in tier 1 at x: the sums as loaded.
		s.root(c, t, s.numL, s.denL)
	case s.tiered || s.floor:
		s.withRules(c)
		s.ratesAt(c, s.unit(c, x))
		nm, den := s.coefficients(c, s.numL)
		s.root(c, t, nm, den)
	case !t.ok:
		s.rootOf(c, true, t)
	}
	if c.Err != nil {
		return false, num.Wrap("liquidation: liquidatable", c.Err)
	}
	return t.past(x), nil
}

// Distance sets abs to |mark - P_L| and pct to abs/mark, where P_L is the
// compiled account's liquidation price rounded per r (see the function
// [Distance]). abs and pct may alias mark.
//
// Errors: as for [Solver.Price], and derivmath.CheckPrice errors for mark.
func (s *Solver) Distance(abs, pct, mark *apd.Decimal, r Rounding) (Status, error) {
	c, err := s.start()
	if err != nil {
		return 0, err
	}
	if s.dirtyL {
		s.sumL(c)
	}
	return s.distance(c, abs, pct, mark, r, s.kept(c))
}

// distance is Distance, computing in c; t is as for rootOf.
func (s *terms) distance(c *num.Ctx, abs, pct, mark *apd.Decimal, r Rounding, t *root) (Status, error) {
	if r < Exact || r > Nearest {
		return 0, ErrRounding
	}
	x := c.CheckPrice(mark)
	p, st := s.solve(c, true, r, t)
	var d, q num.Dec
	if st == Found {
		d, q = DistanceDec(c, x, p)
	}
	d, q = c.Result(d), c.Result(q)
	if c.Err != nil {
		return 0, num.Wrap("liquidation: distance", c.Err)
	}
	d.Store(abs)
	q.Store(pct)
	return st, nil
}

// DistanceDec is the formula of [Distance] on internal/num's values, for
// derivmath's packages (the account's report, which measures it from the
// price it reports); callers outside derivmath cannot use it. It returns
// |mark - p| and that over mark (a fraction: 0.05 is 5%), in c's
// precision, for mark > 0 and p a price; callers store them through
// c.Result.
func DistanceDec(c *num.Ctx, mark, p num.Dec) (abs, pct num.Dec) {
	abs = c.Sub(mark, p).Abs()
	return abs, c.Quo(abs, mark)
}

// A root is where equity less the threshold, f(u) = den*u - num, is zero:
// its status, and when Found its price p and the side of p where f <= 0.
type root struct {
	p   num.Dec
	st  Status
	dir int     // f <= 0 where dir*(price - p) <= 0: 1 below p, -1 above
	ok  bool    // computed (for the roots a Solver keeps)
	cut num.Cut // p for the exponent of the last mark (floor legs: on the guard's side), for Solver.Liquidatable
}

// root sets t to the root of den*u = num.
func (s *terms) root(c *num.Ctx, t *root, nm, den num.Dec) {
	// f decreases with the price where it increases with u, and u = m*P
	// rises with the price except for an inverse contract (u = m/P).
	t.st, t.dir, t.p, t.cut = status(nm, den), -1, num.Dec{}, num.Cut{}
	if (den.Sign() > 0) != s.inverse {
		t.dir = 1
	}
	if t.st == Found {
		// u = num/den; P = u/m (linear, quanto) or m/u (inverse): one
		// division.
		dm := c.Mul(den, s.m)
		if s.inverse {
			t.p = c.Quo(dm, nm)
		} else {
			t.p = c.Quo(nm, dm)
		}
	}
}

// past reports whether price x is at or past the root, where f <= 0.
func (t *root) past(x num.Dec) bool {
	if t.st != Found {
		return t.st == Always
	}
	return x.Cmp(t.p)*t.dir <= 0
}

// rootOf sets t to the root of liquidation (liq) or bankruptcy, and t.ok.
// Its callers skip it when t.ok says t holds it already: a Solver keeps
// its roots this way; a one-shot call passes a zero root.
func (s *terms) rootOf(c *num.Ctx, liq bool, t *root) {
	nm, den := s.numB, s.denB
	if liq && (s.tiered || s.floor) {
		if !s.tiered && s.affine(c, t) {
			return
		}
		s.withRules(c)
		nm, den = s.iterate(c, s.numL)
	} else if liq {
		nm, den = s.numL, s.denL
	}
	s.root(c, t, nm, den)
	t.ok = c.Err == nil
}

// affine sets t to the root of liquidation with every floor leg in tier 1
// (the sums of load), and reports whether it is the price: whether
// iterate returns that pass (its first, when every floor leg is in tier 1
// at its entry value), as it does when the root u is Found with
// every floor leg in tier 1 at u and, for hedged legs, at the mirror
// image w of u that nearest evaluates, where f must be positive. Their
// tier is monotone in the unit value, so they are in tier 1 at u and w
// when they are at the lower. On an error, t is not ok and c is left
// without it: the tier path solves and reports its own.
func (s *terms) affine(c *num.Ctx, t *root) bool {
	if c.Err != nil {
		t.ok = false
		return false
	}
	nm, den := s.numL, s.denL
	s.root(c, t, nm, den)
	fast := t.st == Found && s.entries(c)
	if fast {
		// u = num/den: the price itself where den*m is den (a linear
		// contract of multiplier one), which root divided num by.
		u := t.p
		if s.inverse || c.Mul(den, s.m) != den {
			u = c.Quo(nm, den)
		}
		lo, w := u, num.Dec{}
		if s.hedged {
			g := s.target(c)
			w = c.Sub(c.Add(g, g), u)
			fast = w.Sign() > 0
			if w.Cmp(u) < 0 {
				lo = w
			}
		}
		fast = fast && s.tier1(c, lo) && (!s.hedged || c.Sub(c.Mul(den, w), nm).Sign() > 0)
	}
	if t.ok = c.Err == nil; !t.ok {
		c.Err = nil
		return false
	}
	return fast
}

// entries reports whether every floor leg is in tier 1 at its entry
// value: entry1, once it has found the tiers that load did not (pending:
// not asked to, see needE, or not computed by the kernels), which it keeps.
func (s *terms) entries(c *num.Ctx) bool {
	if !s.pending {
		return s.entry1
	}
	for i := range s.nt {
		if t := s.tleg(i); t.entry < 0 {
			t.entry = int32(t.at(c, -1, t.v0))
			s.entry1 = s.entry1 && t.entry == 1
		}
	}
	s.pending = false
	return s.entry1
}

// tier1 reports whether every floor leg is in tier 1 at the unit value u
// (see rule.at), from their tlegs, or when not all are stored (a one-shot
// call) from the account's legs, read again as load reads them. It serves
// only accounts without tiered legs on their contract, whose tlegs are all
// floor legs.
func (s *terms) tier1(c *num.Ctx, u num.Dec) bool {
	if s.rules {
		for i := range s.nt {
			if t := s.tleg(i); t.at(c, 1, c.Mul(t.n, u)) == 0 {
				return false
			}
		}
		return true
	}
	a := s.src
	for i := range a.Legs {
		l := &a.Legs[i]
		if l.Spec != nil && l.Spec != a.Spec {
			continue
		}
		q := c.Check(&l.Qty)
		if q.IsZero() {
			continue
		}
		if r := binanceRule(c, l); r.varies() && r.at(c, 1, c.Mul(q.Abs(), u)) == 0 {
			return false
		}
	}
	return true
}

// solve returns the liquidation (liq) or bankruptcy price rounded per r,
// and its status; a zero price unless Found. t is as for rootOf.
func (s *terms) solve(c *num.Ctx, liq bool, r Rounding, t *root) (num.Dec, Status) {
	if !t.ok {
		s.rootOf(c, liq, t)
	}
	if t.st != Found || c.Err != nil {
		return num.Dec{}, t.st
	}
	return s.round(c, t.p, r, t.dir), Found
}

// unit returns the value of one contract at price x: m*x, or m/x for an
// inverse contract.
func (s *terms) unit(c *num.Ctx, x num.Dec) num.Dec {
	if s.inverse {
		return c.Quo(s.m, x)
	}
	return c.Mul(s.m, x)
}

// status classifies the solution of den*u = num over u > 0, where
// f(u) = den*u - num is equity less the threshold.
func status(nm, den num.Dec) Status {
	ns, ds := nm.Sign(), den.Sign()
	switch {
	case ds == 0:
		if ns < 0 {
			return Never // f = -num > 0 everywhere
		}
		return Always
	case ds == ns:
		return Found // u = num/den > 0
	case ds > 0:
		return Never // root at u <= 0, f rises through it
	default:
		return Always
	}
}

// iterate solves in the tiers of the legs' entry notionals, then in the
// tiers of the notionals at the answer, until they no longer change: the
// procedure Binance documents. It returns the coefficients of the pass
// that converged on a root, which is then a true root of the piecewise
// equation (for hedged legs, if it is the root nearest their average
// entry; see nearest); otherwise the passes were inconclusive (a pass that says Never
// or Always only speaks for its own tiers, a pass whose answer lies beyond
// a table's limit gives none, and hedged legs can cycle between tiers),
// and it returns the exact segment scan's.
func (s *terms) iterate(c *num.Ctx, base num.Dec) (nm, den num.Dec) {
	s.entries(c)
	for i := range s.nt {
		t := s.tleg(i)
		t.idx = t.entry
	}
	for range maxIter {
		nm, den = s.coefficients(c, base)
		if status(nm, den) != Found || c.Err != nil {
			break
		}
		if u := c.Quo(nm, den); s.ratesAt(c, u) {
			if !s.hedged || s.nearest(c, base, u) {
				return nm, den
			}
			break
		}
		if c.Err != nil {
			var te *margin.TierError
			if errors.As(c.Err, &te) {
				// An answer beyond a table's limit is no answer: the
				// scan stops at the limit.
				c.Err = nil
			}
			break
		}
	}
	return s.scan(c, base)
}

// nearest reports whether the root u of a converged pass is the root
// nearest the legs' average entry, which Price promises for hedged legs,
// whose equity less maintenance f, concave, can have a root on each side
// of it. f is positive between its roots, so the other root is nearer
// exactly when f is at most 0 at the mirror image w = 2*target - u of u;
// when w is not a positive unit value, or lies beyond a table's limit,
// nearest says false and the scan decides. It moves the tiered legs to
// their tiers at w.
func (s *terms) nearest(c *num.Ctx, base, u num.Dec) bool {
	t := s.target(c)
	w := c.Sub(c.Add(t, t), u)
	if w.Sign() <= 0 || c.Err != nil {
		return false
	}
	s.ratesAt(c, w)
	if c.Err != nil {
		var te *margin.TierError
		if errors.As(c.Err, &te) {
			c.Err = nil
		}
		return false
	}
	nm, den := s.coefficients(c, base)
	return c.Sub(c.Mul(den, w), nm).Sign() > 0
}

// target returns the legs' average entry value per contract, sum v0 /
// sum N, in unit values: the point the roots of hedged legs are measured
// from.
func (s *terms) target(c *num.Ctx) num.Dec { return c.Quo(s.sumV0, s.sumN) }

// ratesAt moves every tiered leg to its tier at the notional N*u and
// reports whether none moved: false when a lookup failed (c holds its
// error, a notional past a table's limit among them), whose tier 0 is no
// tier.
func (s *terms) ratesAt(c *num.Ctx, u num.Dec) bool {
	same := true
	for i := range s.nt {
		t := s.tleg(i)
		idx := t.at(c, int(t.idx), c.Mul(t.n, u))
		same = same && int32(idx) == t.idx
		t.idx = int32(idx)
	}
	return same && c.Err == nil
}

// coefficients returns liquidation's num and den with the tiered legs at
// their tiers: num = base - sum Cum, den = denL - sum MMR*N, where a floor
// leg, summed in tier 1, is taken out in tier 0.
func (s *terms) coefficients(c *num.Ctx, base num.Dec) (nm, den num.Dec) {
	nm, den = base, s.denL
	for i := range s.nt {
		t := s.tleg(i)
		if t.tiers == nil {
			if t.idx == 0 {
				den = c.Add(den, c.Mul(t.mmr, t.n))
				nm = c.Add(nm, t.cum)
			}
			continue
		}
		mmr, cum := t.rates(int(t.idx))
		den = c.Sub(den, c.Mul(mmr, t.n))
		if !cum.IsZero() {
			nm = c.Sub(nm, cum)
		}
	}
	return nm, den
}

// round returns p rounded per r: to the tick toward the entry, away from
// the side dir of the root where the account is past the threshold (up
// for a single long, down for a single short), or to the nearest tick,
// and never below one tick, as a positive price under one tick has no
// quotable price below it.
func (s *terms) round(c *num.Ctx, p num.Dec, r Rounding, dir int) num.Dec {
	var mode num.Mode
	switch {
	case r == Exact:
		return p
	case r == Nearest:
		mode = num.HalfEven
	case dir > 0:
		mode = num.Ceiling
	default:
		mode = num.Floor
	}
	p = c.RoundStep(p, s.tick, mode)
	if p.Sign() <= 0 {
		return s.tick
	}
	return p
}
