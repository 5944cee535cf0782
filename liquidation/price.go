package liquidation

import (
	"fmt"
	"strconv"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
)

// Rounding selects how a solved price is rounded.
type Rounding int8

// The roundings. The zero Rounding is invalid ([ErrRounding]).
const (
	// Exact leaves the price unrounded, at the context's precision (Binance
	// reports liquidation prices unrounded, to 8 decimals).
	Exact Rounding = 1 + iota
	// TowardEntry rounds to the spec's tick on the conservative side,
	// toward the entry: up for a net long, down for a net short, so the
	// rounded price is reached before the exact one. BitMEX (1971.53 ->
	// 1972 for a long, 6968.86 -> 6968.5 for a short) and Bybit do this.
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
func (r Rounding) String() string {
	if r < Exact || r > Nearest {
		return "Rounding(" + strconv.Itoa(int(r)) + ")"
	}
	return roundingNames[r]
}

// Status says whether a solve found a price.
type Status int8

// The statuses. The zero Status is never returned.
const (
	// Found: the price is in z.
	Found Status = 1 + iota
	// Never: no positive price reaches the threshold. The account is safe
	// at every price: an inverse short at 1x or less, a linear long whose
	// solution would be zero or negative. (BitMEX displays its maximum
	// price, 100000000, for such a position; derivmath says Never.)
	Never
	// Always: every price is past the threshold; the account is already
	// liquidatable (or bankrupt) wherever the price goes.
	Always
)

var statusNames = [...]string{"invalid", "Found", "Never", "Always"}

// String returns the name of the status, such as "Found".
func (s Status) String() string {
	if s < Found || s > Always {
		return "Status(" + strconv.Itoa(int(s)) + ")"
	}
	return statusNames[s]
}

// maxIter bounds Binance's tier re-evaluation before the solver falls back
// to the exact segment scan; a single position converges in one or two
// passes.
const maxIter = 8

// maxSegments bounds the segment scan: every leg's tier table contributes
// its floors as breakpoints.
const maxSegments = 1024

// Price sets z to the liquidation price of a: the price P at which the
// account's equity equals its maintenance margin,
//
//	Balance + OtherPnL + sum uPnL_i(P) = OtherMM + ExtraMM + sum MM_i(P) [+ FeeReserve]
//
// with MM_i per a.Convention, and rounds it per r. It returns [Found] with
// the price in z, or [Never] or [Always] with z set to 0.
//
// With tiers, maintenance grows faster than the notional, so hedged legs
// (whose net exposure is small) can be liquidated both below and above the
// entry; Price then returns the liquidation price nearest the legs'
// average entry.
//
// The solve is exact up to one division: equity and maintenance are affine
// in the value of one contract, u = m*P (linear, quanto) or m/P (inverse),
// so the solver finds u in closed form and maps it back to a price. Under
// the Binance convention with tiers, it solves in the tiers of the legs'
// entry notionals, then again in the tiers of the notionals at the answer,
// until they no longer change (Binance's procedure); when that is
// inconclusive it solves exactly on every stretch of prices where no leg
// changes tier.
//
// Errors: [ErrNoSpec], [ErrConvention], [ErrNoLegs], [ErrRate],
// [ErrRounding], [ErrNoConvergence], derivmath.ErrZeroQty when every leg is
// flat, contract validation errors for malformed fields, margin tier lookup
// errors (a *margin.TierError for a notional beyond the last tier), and
// wrapped apd errors.
func Price(ctx *apd.Context, z *apd.Decimal, a *Account, r Rounding) (Status, error) {
	return solve(ctx, z, a, true, r)
}

// Bankruptcy sets z to the bankruptcy price of a: the price at which the
// margin, less the fee reserve, is lost,
//
//	Balance + OtherPnL + sum uPnL_i(P) = FeeReserve
//
// and rounds it per r. It returns [Found], [Never] or [Always] as
// [Price] does. With no fee reserve, a BitMEX isolated inverse long at
// leverage L goes bankrupt at entry*L/(L+1), a short at entry*L/(L-1).
//
// Errors: as for [Price].
func Bankruptcy(ctx *apd.Context, z *apd.Decimal, a *Account, r Rounding) (Status, error) {
	return solve(ctx, z, a, false, r)
}

// Liquidatable reports whether a is liquidatable at mark: its equity at
// mark is at most its maintenance margin there (at the liquidation price
// itself it is). It reads the account once, like [Price], but needs no
// division and no rounding; with tiers it looks them up at the mark, not
// iteratively.
//
// Errors: as for [Price], and derivmath.CheckPrice errors for mark.
func Liquidatable(ctx *apd.Context, a *Account, mark *apd.Decimal) (bool, error) {
	if liq, ok := liquidatableFast(ctx, a, mark); ok {
		return liq, nil
	}
	if err := a.validate(); err != nil {
		return false, err
	}
	if err := derivmath.CheckPrice(mark); err != nil {
		return false, err
	}
	ar := newArith(ctx)
	var u, num, den apd.Decimal
	if err := unitValue(ar, &u, a.Spec, mark); err != nil {
		return false, err
	}
	if err := a.coefficients(ar, &num, &den, true, &u); err != nil {
		return false, err
	}
	// f(u) = den*u - num is equity less maintenance.
	var f apd.Decimal
	if err := ar.mul(&f, &den, &u, "liquidatable"); err != nil {
		return false, err
	}
	return f.Cmp(&num) <= 0, nil
}

// Distance sets abs to |mark - P_L| and pct to abs/mark (a fraction: 0.05
// is 5%), where P_L is a's liquidation price rounded per r. It returns the
// status of the solve; unless it is [Found], abs and pct are set to 0.
//
// Errors: as for [Price], and derivmath.CheckPrice errors for mark.
func Distance(ctx *apd.Context, abs, pct *apd.Decimal, a *Account, mark *apd.Decimal, r Rounding) (Status, error) {
	if st, ok := distanceFast(ctx, abs, pct, a, mark, r); ok {
		return st, nil
	}
	if err := derivmath.CheckPrice(mark); err != nil {
		return 0, err
	}
	var p apd.Decimal
	st, err := solve(ctx, &p, a, true, r)
	if err != nil {
		return 0, err
	}
	if st != Found {
		abs.SetInt64(0)
		pct.SetInt64(0)
		return st, nil
	}
	ar := newArith(ctx)
	var d apd.Decimal
	if err := ar.sub(&d, mark, &p, "distance"); err != nil {
		return 0, err
	}
	d.Negative = false
	if err := ar.quo(pct, &d, mark, "distance"); err != nil {
		return 0, err
	}
	abs.Set(&d)
	return Found, nil
}

// solve finds the liquidation (liq) or bankruptcy price.
func solve(ctx *apd.Context, z *apd.Decimal, a *Account, liq bool, r Rounding) (Status, error) {
	if p, st, ok := solveFast(ctx, a, liq, r); ok {
		if st == Found {
			p.Store(z)
		} else {
			z.SetInt64(0)
		}
		return st, nil
	}
	if r < Exact || r > Nearest {
		return 0, ErrRounding
	}
	if err := a.validate(); err != nil {
		return 0, err
	}
	ar := newArith(ctx)
	tiered := liq && !a.Convention.atEntry() && a.hasTiers()
	var num, den apd.Decimal
	st, err := a.iterate(ar, &num, &den, liq, tiered)
	if err != nil {
		return 0, err
	}
	if tiered && st != Found {
		// The passes from the entry tier were inconclusive: a pass that
		// says Never or Always only speaks for its own tier, and hedged legs
		// can cycle between tiers. Solve exactly, segment by segment.
		if st, err = a.scan(ar, &num, &den); err != nil {
			return 0, err
		}
	}
	if st != Found {
		z.SetInt64(0)
		return st, nil
	}
	// u = num/den; P = u/m (linear, quanto) or m/u (inverse): one division.
	var p apd.Decimal
	if err := ar.mul(&p, &a.Spec.Multiplier, &den, "solve"); err != nil {
		return 0, err
	}
	if a.Spec.Kind == contract.Inverse {
		err = ar.quo(&p, &p, &num, "solve")
	} else {
		err = ar.quo(&p, &num, &p, "solve")
	}
	if err != nil {
		return 0, err
	}
	if err := a.round(ar, z, &p, r); err != nil {
		return 0, err
	}
	return Found, nil
}

// iterate solves in the tiers of the legs' entry notionals, then in the
// tiers of the notionals at the answer, until they no longer change: the
// procedure Binance documents. It leaves the solution in num/den and
// returns Found when it converged on a root, which is then a true root of
// the piecewise equation; otherwise it returns the last pass's status, or 0
// when the passes did not converge within maxIter.
func (a *Account) iterate(ar arith, num, den *apd.Decimal, liq, tiered bool) (Status, error) {
	var u, prev apd.Decimal
	basis := (*apd.Decimal)(nil) // tiers at entry on the first pass
	for range maxIter {
		if err := a.coefficients(ar, num, den, liq, basis); err != nil {
			return 0, err
		}
		st := status(num, den)
		if st != Found || !tiered {
			return st, nil
		}
		if err := ar.quo(&u, num, den, "solve"); err != nil {
			return 0, err
		}
		same, err := a.sameTiers(ar, basis, &u)
		if err != nil {
			return 0, err
		}
		if same {
			return Found, nil
		}
		prev.Set(&u)
		basis = &prev
	}
	return 0, nil
}

// status classifies the solution of den*u = num over u > 0, where
// f(u) = den*u - num is equity less the threshold.
func status(num, den *apd.Decimal) Status {
	return statusSigns(num.Sign(), den.Sign())
}

// statusSigns is status on the signs of num and den.
func statusSigns(ns, ds int) Status {
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

// coefficients sets num and den so that equity less the threshold is
// den*u - num, u being the value of one contract. Tiered legs take their
// rates at notional N*basis, or at their entry value when basis is nil.
func (a *Account) coefficients(ar arith, num, den *apd.Decimal, liq bool, basis *apd.Decimal) error {
	var v0, n, t apd.Decimal
	num.SetInt64(0)
	den.SetInt64(0)
	atEntry := a.Convention.atEntry()
	for i := range a.Legs {
		l := &a.Legs[i]
		if l.Qty.IsZero() {
			continue
		}
		if err := a.entryValue(ar, &v0, l); err != nil {
			return err
		}
		// sigma: +1 when the leg gains as u rises (linear long, inverse
		// short), -1 otherwise.
		n.Abs(&l.Qty)
		neg := l.Qty.Negative != (a.Spec.Kind == contract.Inverse)
		if err := addSigned(ar, num, &v0, neg); err != nil {
			return err
		}
		if err := addSigned(ar, den, &n, neg); err != nil {
			return err
		}
		if !liq {
			continue
		}
		mmr, cum, err := a.rates(ar, l, &v0, &n, basis, &t)
		if err != nil {
			return err
		}
		if atEntry {
			// Fixed maintenance MMR*v0 - cum joins the constant side.
			if err := ar.mul(&t, mmr, &v0, "maintenance"); err != nil {
				return err
			}
			if a.Convention == BitMEX && !a.Spec.Minor.IsZero() {
				if err := derivmath.Round(ar.Context(), &t, &t, &a.Spec.Minor, derivmath.Ceiling); err != nil {
					return err
				}
			}
			if err := addNonZero(ar, num, &t, false); err != nil {
				return err
			}
			if err := addNonZero(ar, num, cum, true); err != nil {
				return err
			}
			continue
		}
		// Maintenance at the price: MMR*N*u - cum.
		if err := addNonZero(ar, num, cum, true); err != nil {
			return err
		}
		if err := ar.mul(&t, mmr, &n, "maintenance"); err != nil {
			return err
		}
		if err := ar.sub(den, den, &t, "maintenance"); err != nil {
			return err
		}
	}
	// Zero terms are common (no cross, no reserves) and skipped: an apd
	// addition costs as much as a multiplication.
	if liq {
		if err := addNonZero(ar, num, &a.OtherMM, false); err != nil {
			return err
		}
		if err := addNonZero(ar, num, &a.ExtraMM, false); err != nil {
			return err
		}
	}
	if !liq || atEntry {
		if err := addNonZero(ar, num, &a.FeeReserve, false); err != nil {
			return err
		}
	}
	if err := addNonZero(ar, num, &a.Balance, true); err != nil {
		return err
	}
	return addNonZero(ar, num, &a.OtherPnL, true)
}

// rates returns the maintenance rate and amount of leg l: from its tiers at
// the notional N*basis (or v0 when basis is nil, or always v0 when the
// convention fixes maintenance at entry), else its own MMR and Cum. scratch
// holds the notional.
func (a *Account) rates(ar arith, l *Leg, v0, n, basis, scratch *apd.Decimal) (mmr, cum *apd.Decimal, err error) {
	if l.Tiers == nil {
		return &l.MMR, &l.Cum, nil
	}
	notional := v0
	if basis != nil && !a.Convention.atEntry() {
		if err := ar.mul(scratch, n, basis, "notional"); err != nil {
			return nil, nil, err
		}
		notional = scratch
	}
	t, err := l.Tiers.Lookup(notional)
	if err != nil {
		return nil, nil, err
	}
	return &t.MMR, &t.Cum, nil
}

// hasTiers reports whether any leg has a tier table.
func (a *Account) hasTiers() bool {
	for i := range a.Legs {
		if a.Legs[i].Tiers != nil && !a.Legs[i].Qty.IsZero() {
			return true
		}
	}
	return false
}

// sameTiers reports whether every tiered leg is in the same tier at unit
// value u as at basis (entry value when basis is nil).
func (a *Account) sameTiers(ar arith, basis, u *apd.Decimal) (bool, error) {
	var v0, n, x, y apd.Decimal
	for i := range a.Legs {
		l := &a.Legs[i]
		if l.Tiers == nil || l.Qty.IsZero() {
			continue
		}
		if err := a.entryValue(ar, &v0, l); err != nil {
			return false, err
		}
		n.Abs(&l.Qty)
		if err := ar.mul(&x, &n, u, "notional"); err != nil {
			return false, err
		}
		at, err := l.Tiers.Lookup(&x)
		if err != nil {
			return false, err
		}
		if basis == nil {
			y.Set(&v0)
		} else if err := ar.mul(&y, &n, basis, "notional"); err != nil {
			return false, err
		}
		was, err := l.Tiers.Lookup(&y)
		if err != nil {
			return false, err
		}
		if at != was {
			return false, nil
		}
	}
	return true, nil
}

// round sets z to p rounded per r.
func (a *Account) round(ar arith, z, p *apd.Decimal, r Rounding) error {
	switch r {
	case Exact:
		z.Set(p)
		return nil
	case Nearest:
		return a.roundTick(ar, z, p, derivmath.HalfEven)
	}
	// Toward the entry: up for a net long, down for a net short.
	var net apd.Decimal
	if len(a.Legs) == 1 {
		net.Set(&a.Legs[0].Qty)
	}
	for i := 0; len(a.Legs) > 1 && i < len(a.Legs); i++ {
		if err := ar.add(&net, &net, &a.Legs[i].Qty, "round"); err != nil {
			return err
		}
	}
	mode := derivmath.Floor
	if net.Sign() > 0 {
		mode = derivmath.Ceiling
	}
	return a.roundTick(ar, z, p, mode)
}

// roundTick sets z to p rounded to the tick in mode, and never below one
// tick: a positive price under one tick has no quotable price below it.
func (a *Account) roundTick(ar arith, z, p *apd.Decimal, mode derivmath.Rounding) error {
	if err := derivmath.Round(ar.Context(), z, p, &a.Spec.Tick, mode); err != nil {
		return err
	}
	if z.Sign() <= 0 {
		z.Set(&a.Spec.Tick)
	}
	return nil
}

// unitValue sets u to the value of one contract at price p.
func unitValue(ar arith, u *apd.Decimal, s *contract.Spec, p *apd.Decimal) error {
	if s.Kind == contract.Inverse {
		return ar.quo(u, &s.Multiplier, p, "unit value")
	}
	return ar.mul(u, &s.Multiplier, p, "unit value")
}

// addNonZero sets z = z + x, or z - x when neg, and skips a zero x.
func addNonZero(ar arith, z, x *apd.Decimal, neg bool) error {
	if x.IsZero() {
		return nil
	}
	return addSigned(ar, z, x, neg)
}

// addSigned sets z = z + x, or z - x when neg.
func addSigned(ar arith, z, x *apd.Decimal, neg bool) error {
	if neg {
		return ar.sub(z, z, x, "solve")
	}
	return ar.add(z, z, x, "solve")
}

// wrap wraps an apd failure with the operation's name; nil stays nil.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("liquidation: %s: %w", op, err)
}
