package liquidation

import (
	"fmt"
	"strconv"

	"github.com/cockroachdb/apd/v3"
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

// maxIter bounds Binance's tier re-evaluation: each pass moves at least one
// leg to another tier, and tables have a dozen tiers or so.
const maxIter = 64

// Price sets z to the liquidation price of a: the price P at which the
// account's equity equals its maintenance margin,
//
//	Balance + OtherPnL + sum uPnL_i(P) = OtherMM + ExtraMM + sum MM_i(P) [+ FeeReserve]
//
// with MM_i per a.Convention, and rounds it per r. It returns [Found] with
// the price in z, or [Never] or [Always] with z set to 0.
//
// The solve is exact up to one division: equity and maintenance are affine
// in the value of one contract, u = m*P (linear, quanto) or m/P (inverse),
// so the solver finds u in closed form and maps it back to a price. Under
// the Binance convention with tiers, it solves in the tiers of the legs'
// entry notionals, then again in the tiers of the notionals at the answer,
// until they no longer change.
//
// Errors: [ErrNoSpec], [ErrConvention], [ErrNoLegs], [ErrRate],
// [ErrRounding], [ErrNoConvergence], contract.ErrZeroQty when every leg is
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
// mark is at most its maintenance margin there. It is cheaper than [Price]
// and needs no rounding.
//
// Errors: as for [Price], and contract.CheckPrice errors for mark.
func Liquidatable(ctx *apd.Context, a *Account, mark *apd.Decimal) (bool, error) {
	if err := a.validate(); err != nil {
		return false, err
	}
	if err := contract.CheckPrice(mark); err != nil {
		return false, err
	}
	var u, num, den apd.Decimal
	if err := unitValue(ctx, &u, a.Spec, mark); err != nil {
		return false, err
	}
	if err := a.coefficients(ctx, &num, &den, true, &u); err != nil {
		return false, err
	}
	// f(u) = den*u - num is equity less maintenance.
	var f apd.Decimal
	if _, err := ctx.Mul(&f, &den, &u); err != nil {
		return false, wrap("liquidatable", err)
	}
	return f.Cmp(&num) <= 0, nil
}

// Distance sets abs to |mark - P_L| and pct to abs/mark (a fraction: 0.05
// is 5%), where P_L is a's liquidation price rounded per r. It returns the
// status of the solve; unless it is [Found], abs and pct are set to 0.
//
// Errors: as for [Price], and contract.CheckPrice errors for mark.
func Distance(ctx *apd.Context, abs, pct *apd.Decimal, a *Account, mark *apd.Decimal, r Rounding) (Status, error) {
	if err := contract.CheckPrice(mark); err != nil {
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
	var d apd.Decimal
	if _, err := ctx.Sub(&d, mark, &p); err != nil {
		return 0, wrap("distance", err)
	}
	d.Negative = false
	if _, err := ctx.Quo(pct, &d, mark); err != nil {
		return 0, wrap("distance", err)
	}
	abs.Set(&d)
	return Found, nil
}

// solve finds the liquidation (liq) or bankruptcy price.
func solve(ctx *apd.Context, z *apd.Decimal, a *Account, liq bool, r Rounding) (Status, error) {
	if r < Exact || r > Nearest {
		return 0, ErrRounding
	}
	if err := a.validate(); err != nil {
		return 0, err
	}
	tiered := liq && !a.Convention.atEntry() && a.hasTiers()
	var num, den, u, prev apd.Decimal
	basis := (*apd.Decimal)(nil) // tiers at entry on the first pass
	for iter := 0; ; iter++ {
		if iter == maxIter {
			return 0, ErrNoConvergence
		}
		if err := a.coefficients(ctx, &num, &den, liq, basis); err != nil {
			return 0, err
		}
		st := status(&num, &den)
		if st != Found {
			z.SetInt64(0)
			return st, nil
		}
		if !tiered {
			break
		}
		if _, err := ctx.Quo(&u, &num, &den); err != nil {
			return 0, wrap("solve", err)
		}
		same, err := a.sameTiers(ctx, basis, &u)
		if err != nil {
			return 0, err
		}
		if same {
			break
		}
		prev.Set(&u)
		basis = &prev
	}
	// u = num/den; P = u/m (linear, quanto) or m/u (inverse): one division.
	var p apd.Decimal
	var err error
	if a.Spec.Kind == contract.Inverse {
		if _, err = ctx.Mul(&p, &a.Spec.Multiplier, &den); err == nil {
			_, err = ctx.Quo(&p, &p, &num)
		}
	} else {
		if _, err = ctx.Mul(&p, &a.Spec.Multiplier, &den); err == nil {
			_, err = ctx.Quo(&p, &num, &p)
		}
	}
	if err != nil {
		return 0, wrap("solve", err)
	}
	if err := a.round(ctx, z, &p, r); err != nil {
		return 0, err
	}
	return Found, nil
}

// status classifies the solution of den*u = num over u > 0, where
// f(u) = den*u - num is equity less the threshold.
func status(num, den *apd.Decimal) Status {
	ds, ns := den.Sign(), num.Sign()
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
func (a *Account) coefficients(ctx *apd.Context, num, den *apd.Decimal, liq bool, basis *apd.Decimal) error {
	var v0, n, t apd.Decimal
	num.SetInt64(0)
	den.SetInt64(0)
	atEntry := a.Convention.atEntry()
	for i := range a.Legs {
		l := &a.Legs[i]
		if l.Qty.IsZero() {
			continue
		}
		if err := a.entryValue(ctx, &v0, l); err != nil {
			return err
		}
		// sigma: +1 when the leg gains as u rises (linear long, inverse
		// short), -1 otherwise.
		n.Abs(&l.Qty)
		neg := l.Qty.Negative != (a.Spec.Kind == contract.Inverse)
		if err := addSigned(ctx, num, &v0, neg); err != nil {
			return err
		}
		if err := addSigned(ctx, den, &n, neg); err != nil {
			return err
		}
		if !liq {
			continue
		}
		mmr, cum, err := a.rates(ctx, l, &v0, &n, basis, &t)
		if err != nil {
			return err
		}
		if atEntry {
			// Fixed maintenance MMR*v0 - cum joins the constant side.
			if _, err := ctx.Mul(&t, mmr, &v0); err != nil {
				return wrap("maintenance", err)
			}
			if a.Convention == BitMEX && !a.Spec.Minor.IsZero() {
				if err := contract.Round(ctx, &t, &t, &a.Spec.Minor, contract.Ceiling); err != nil {
					return err
				}
			}
			if err := addNonZero(ctx, num, &t, false); err != nil {
				return err
			}
			if err := addNonZero(ctx, num, cum, true); err != nil {
				return err
			}
			continue
		}
		// Maintenance at the price: MMR*N*u - cum.
		if err := addNonZero(ctx, num, cum, true); err != nil {
			return err
		}
		if _, err := ctx.Mul(&t, mmr, &n); err != nil {
			return wrap("maintenance", err)
		}
		if _, err := ctx.Sub(den, den, &t); err != nil {
			return wrap("maintenance", err)
		}
	}
	// Zero terms are common (no cross, no reserves) and skipped: an apd
	// addition costs as much as a multiplication.
	if liq {
		if err := addNonZero(ctx, num, &a.OtherMM, false); err != nil {
			return err
		}
		if err := addNonZero(ctx, num, &a.ExtraMM, false); err != nil {
			return err
		}
	}
	if !liq || atEntry {
		if err := addNonZero(ctx, num, &a.FeeReserve, false); err != nil {
			return err
		}
	}
	if err := addNonZero(ctx, num, &a.Balance, true); err != nil {
		return err
	}
	return addNonZero(ctx, num, &a.OtherPnL, true)
}

// rates returns the maintenance rate and amount of leg l: from its tiers at
// the notional N*basis (or v0 when basis is nil, or always v0 when the
// convention fixes maintenance at entry), else its own MMR and Cum. scratch
// holds the notional.
func (a *Account) rates(ctx *apd.Context, l *Leg, v0, n, basis, scratch *apd.Decimal) (mmr, cum *apd.Decimal, err error) {
	if l.Tiers == nil {
		return &l.MMR, &l.Cum, nil
	}
	notional := v0
	if basis != nil && !a.Convention.atEntry() {
		if _, err := ctx.Mul(scratch, n, basis); err != nil {
			return nil, nil, wrap("notional", err)
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
func (a *Account) sameTiers(ctx *apd.Context, basis, u *apd.Decimal) (bool, error) {
	var v0, n, x, y apd.Decimal
	for i := range a.Legs {
		l := &a.Legs[i]
		if l.Tiers == nil || l.Qty.IsZero() {
			continue
		}
		if err := a.entryValue(ctx, &v0, l); err != nil {
			return false, err
		}
		n.Abs(&l.Qty)
		if _, err := ctx.Mul(&x, &n, u); err != nil {
			return false, wrap("notional", err)
		}
		at, err := l.Tiers.Lookup(&x)
		if err != nil {
			return false, err
		}
		if basis == nil {
			y.Set(&v0)
		} else if _, err := ctx.Mul(&y, &n, basis); err != nil {
			return false, wrap("notional", err)
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
func (a *Account) round(ctx *apd.Context, z, p *apd.Decimal, r Rounding) error {
	switch r {
	case Exact:
		z.Set(p)
		return nil
	case Nearest:
		return contract.Round(ctx, z, p, &a.Spec.Tick, contract.HalfEven)
	}
	// Toward the entry: up for a net long, down for a net short.
	var net apd.Decimal
	for i := range a.Legs {
		if _, err := ctx.Add(&net, &net, &a.Legs[i].Qty); err != nil {
			return wrap("round", err)
		}
	}
	mode := contract.Floor
	if net.Sign() > 0 {
		mode = contract.Ceiling
	}
	return contract.Round(ctx, z, p, &a.Spec.Tick, mode)
}

// unitValue sets u to the value of one contract at price p.
func unitValue(ctx *apd.Context, u *apd.Decimal, s *contract.Spec, p *apd.Decimal) error {
	var err error
	if s.Kind == contract.Inverse {
		_, err = ctx.Quo(u, &s.Multiplier, p)
	} else {
		_, err = ctx.Mul(u, &s.Multiplier, p)
	}
	return wrap("unit value", err)
}

// addNonZero sets z = z + x, or z - x when neg, and skips a zero x.
func addNonZero(ctx *apd.Context, z, x *apd.Decimal, neg bool) error {
	if x.IsZero() {
		return nil
	}
	return addSigned(ctx, z, x, neg)
}

// addSigned sets z = z + x, or z - x when neg.
func addSigned(ctx *apd.Context, z, x *apd.Decimal, neg bool) error {
	var err error
	if neg {
		_, err = ctx.Sub(z, z, x)
	} else {
		_, err = ctx.Add(z, z, x)
	}
	return wrap("solve", err)
}

// wrap wraps an apd failure with the operation's name; nil stays nil.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("liquidation: %s: %w", op, err)
}
