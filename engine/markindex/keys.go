package markindex

import (
	"math"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/liquidation"
)

// trigger returns the key of an account whose liquidation price p, with
// status st, is solved exactly (liquidation.Exact), given whether it is
// liquidatable at mark now. The key is one unit wider than Below and Above
// give, so that a price rounded to the context's precision (19 digits) on
// the wrong side of a unit boundary still fires no later than the exact
// check. A long whose price is math.MaxInt64 units (rounded up) gets Now.
func (x *Index) trigger(st liquidation.Status, p, mark *apd.Decimal, liq bool) (Key, error) {
	if liq || st == liquidation.Always {
		return Now(), nil
	}
	if st != liquidation.Found {
		return Key{}, nil
	}
	f, c, err := x.units(p)
	if err != nil {
		return Key{}, err
	}
	switch p.Cmp(mark) {
	case -1:
		// At the last unit an int64 counts, c+1 would wrap to a Lo that
		// never fires: Lo = math.MaxInt64 (Now) fires at every mark Tick
		// accepts, so no later.
		return Key{Lo: min(c, math.MaxInt64-1) + 1}, nil
	case 1:
		if f <= 1 {
			return Now(), nil
		}
		return Key{Hi: f - 1}, nil
	}
	return Now(), nil
}

// Solver returns the key of a compiled account on the Index's contract
// (an isolated position, or an account whose other positions are held at
// their marks) at the contract's mark: liquidation.Price solved exactly,
// rounded one unit beyond the rounding of Below or Above toward firing
// earlier; Now when the account is liquidatable at mark or at every price;
// the zero Key (not indexed) when it is liquidatable at none.
//
// The account must be liquidatable on one side of the mark only, as every
// account is except hedge mode with tiers under the Binance convention
// (see ErrTwoSided); Position and Cross check that, Solver cannot.
//
// Errors: those of Solver.Liquidatable and Solver.Price, ErrRange.
func (x *Index) Solver(s *liquidation.Solver, mark *apd.Decimal) (Key, error) {
	liq, err := s.Liquidatable(mark)
	if err != nil {
		return Key{}, err
	}
	var p apd.Decimal
	st, err := s.Price(&p, liquidation.Exact)
	if err != nil {
		return Key{}, err
	}
	return x.trigger(st, &p, mark, liq)
}

// Position returns the key of a's isolated position i on the Index's
// contract, at the contract's mark in a: its liquidation price as
// account.Account.Report solves it (liquidation.Exact), rounded as Solver
// rounds. Now when the position is liquidatable at the mark.
//
// Errors: account.ErrIndex, ErrMode for a cross position, the errors of
// account.Account.Report, ErrRange.
func (x *Index) Position(a *account.Account, i int) (Key, error) {
	if i < 0 || i >= a.Len() {
		return Key{}, account.ErrIndex
	}
	p := a.Position(i)
	if p.Mode != account.Isolated {
		return Key{}, ErrMode
	}
	var r account.Report
	if err := a.Report(&r, i, liquidation.Exact); err != nil {
		return Key{}, err
	}
	var mark apd.Decimal
	a.Mark(&mark, p.Spec)
	return x.trigger(r.LiquidationStatus, &r.Liquidation, &mark, r.Liquidatable)
}

// A Leg is one contract of a cross account for [Cross]: the caller sets
// Spec and Index (the Index of that contract), Cross sets Key. A Leg holds
// decimals: do not copy it after first use.
type Leg struct {
	Spec  *contract.Spec
	Index *Index
	// Key is the key of the account on this contract.
	Key Key

	mark, worst apd.Decimal // the contract's mark, and its band edge that is worst for the account
	lo, hi      int64       // the band in units
	pos         int         // a cross position on the contract
}

// Cross sets the Key of each leg, one per contract on which a holds cross
// positions settled in currency, so that each key fires no later than the
// account becomes liquidatable while the other contracts' marks stay within
// a band of relative width tol around their present marks, and fires when
// one of them leaves its band (the caller then re-keys the account).
//
// With one leg, its key is the cross liquidation price of that contract,
// as Position rounds it. With more, each contract's mark m has the band
// (floor(m(1-tol)/unit), ceil(m(1+tol)/unit)) in units, m(1-tol) and
// m(1+tol) each rounded to the context's 19 digits first (so an edge may
// lie a unit from the exact one; the keys use the band as computed, and
// fire no later for it); the account's
// equity less maintenance moves monotonically with each mark within its
// band (one-sided accounts), so the band edge where it is lower is the
// worst case for the other legs. Each leg's key is the cross liquidation
// price of its contract with every other contract's mark at its worst edge,
// combined by [Key.Or] with its own band. Re-key on any change to the
// account and whenever a key fires.
//
// Cross moves the marks of a to solve (account.Account.SetMark) and puts
// them back before it returns, also on error: a is left as it was. Its
// cost is O(legs * positions) account recomputations; it allocates what
// account.Account.Report allocates (nothing once the account's solver has
// grown), and its scratch with more than 8 legs.
//
// Errors: derivmath.CheckDecimal errors for tol; ErrTolerance; ErrLegs;
// ErrMode for an isolated position on a leg's contract; ErrTwoSided; the
// errors of account.Account.SetMark, Summary and Report (a band edge
// beyond the last tier); ErrRange. On error the legs' keys are unchanged.
func Cross(a *account.Account, currency string, tol *apd.Decimal, legs []Leg) error {
	if err := derivmath.CheckDecimal(tol); err != nil {
		return err
	}
	var one apd.Decimal
	one.SetInt64(1)
	if tol.Sign() <= 0 || tol.Cmp(&one) >= 0 {
		return ErrTolerance
	}
	for j := range legs {
		l := &legs[j]
		if l.Spec == nil || l.Index == nil {
			return ErrLegs
		}
		for k := range j {
			if legs[k].Spec == l.Spec {
				return ErrLegs
			}
		}
		l.pos = -1
	}
	// Scratch on the stack for up to 8 legs: a make of a length known only
	// at run time is on the heap before Go 1.25.
	var tieredBuf [8]bool
	var tiered []bool
	if len(legs) <= len(tieredBuf) {
		tiered = tieredBuf[:len(legs)]
	} else {
		tiered = make([]bool, len(legs))
	}
	for i := range a.Len() {
		p := a.Position(i)
		if p.Spec.Settle != currency {
			continue
		}
		j := 0
		for j < len(legs) && legs[j].Spec != p.Spec {
			j++
		}
		if p.Mode != account.Cross {
			if j < len(legs) {
				return ErrMode
			}
			continue
		}
		if j == len(legs) {
			return ErrLegs
		}
		l := &legs[j]
		tiered[j] = tiered[j] || p.Tiers != nil
		if l.pos >= 0 && tiered[j] && a.Convention() == liquidation.Binance {
			return ErrTwoSided
		}
		l.pos = i
	}
	for j := range legs {
		if legs[j].pos < 0 {
			return ErrLegs
		}
		a.Mark(&legs[j].mark, legs[j].Spec)
	}
	var keysBuf [8]Key
	var keys []Key
	if len(legs) <= len(keysBuf) {
		keys = keysBuf[:len(legs)]
	} else {
		keys = make([]Key, len(legs))
	}
	if len(legs) == 1 {
		k, err := crossKey(a, &legs[0])
		if err != nil {
			return err
		}
		legs[0].Key = k
		return nil
	}
	// Put every mark back however Cross ends.
	defer func() {
		for j := range legs {
			_ = a.SetMark(legs[j].Spec, &legs[j].mark)
		}
	}()
	var up, down, e1, e2 apd.Decimal
	ctx := derivmath.NewContext()
	if _, err := ctx.Add(&up, &one, tol); err != nil {
		return err
	}
	if _, err := ctx.Sub(&down, &one, tol); err != nil {
		return err
	}
	var s account.Summary
	for j := range legs {
		l := &legs[j]
		var edge apd.Decimal
		if _, err := ctx.Mul(&edge, &l.mark, &down); err != nil {
			return err
		}
		f, _, err := l.Index.units(&edge)
		if err != nil {
			return err
		}
		if _, err := ctx.Mul(&edge, &l.mark, &up); err != nil {
			return err
		}
		_, c, err := l.Index.units(&edge)
		if err != nil {
			return err
		}
		l.lo, l.hi = max(f, 1), c
		var lo, hi apd.Decimal
		if err := l.Index.price(&lo, l.lo); err != nil {
			return err
		}
		if err := l.Index.price(&hi, l.hi); err != nil {
			return err
		}
		// Equity less maintenance at each edge, the other marks as they are.
		for _, m := range []*apd.Decimal{&lo, &hi} {
			if err := a.SetMark(l.Spec, m); err != nil {
				return err
			}
			if err := a.Summary(&s, currency); err != nil {
				return err
			}
			z := &e1
			if m == &hi {
				z = &e2
			}
			if _, err := ctx.Sub(z, &s.Equity, &s.Maintenance); err != nil {
				return err
			}
		}
		if e2.Cmp(&e1) < 0 {
			l.worst.Set(&hi)
		} else {
			l.worst.Set(&lo)
		}
		if err := a.SetMark(l.Spec, &l.mark); err != nil {
			return err
		}
	}
	for j := range legs {
		if err := a.SetMark(legs[j].Spec, &legs[j].worst); err != nil {
			return err
		}
	}
	for j := range legs {
		l := &legs[j]
		if err := a.SetMark(l.Spec, &l.mark); err != nil {
			return err
		}
		k, err := crossKey(a, l)
		if err != nil {
			return err
		}
		keys[j] = k.Or(Key{Lo: l.lo, Hi: l.hi})
		if err := a.SetMark(l.Spec, &l.worst); err != nil {
			return err
		}
	}
	for j := range legs {
		legs[j].Key = keys[j]
	}
	return nil
}

// crossKey returns the key of the cross positions of l's contract at the
// marks a holds now.
func crossKey(a *account.Account, l *Leg) (Key, error) {
	var r account.Report
	if err := a.Report(&r, l.pos, liquidation.Exact); err != nil {
		return Key{}, err
	}
	return l.Index.trigger(r.LiquidationStatus, &r.Liquidation, &l.mark, r.Liquidatable)
}
