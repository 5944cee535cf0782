package liquidation

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/fastdec"
	"github.com/derivmath/derivmath/margin"
)

// maxFastLegs bounds the legs solveFast takes: one symbol's legs, a
// position or a hedged pair.
const maxFastLegs = 2

// A fastLeg is a leg's inputs loaded once, with the terms every pass uses.
type fastLeg struct {
	n, v0    fastdec.Dec // |Qty|, the entry value
	mmr, cum fastdec.Dec // the rates of this pass: the leg's own, or its tier's
	neg      bool        // -1 sign: the leg loses as the unit value rises
	tiers    *margin.Tiers
	tier     *margin.Tier // the tier mmr and cum came from
}

// fastTerms are the account's terms, loaded once.
type fastTerms struct {
	otherMM, extraMM, fee, balance, otherPnL fastdec.Dec
	minor                                    fastdec.Dec // BitMEX's minor unit, or zero
}

// solveFast is solve for the common case, on fastdec.Dec values loaded
// once: the default context, at most maxFastLegs legs, every leg open,
// every input an exchange-sized decimal, and with tier tables a
// re-evaluation that settles within maxIter passes. It performs the same
// operations as iterate, coefficients and round, in the same order, so its
// result is identical, digit for digit; it reports ok = false for
// anything else (including every invalid input and every tier lookup that
// fails), and the caller then runs the general path, which returns the
// documented error or scans the tiers. The price p is meaningful when st
// is Found.
func solveFast(ctx *apd.Context, a *Account, liq bool, r Rounding) (p fastdec.Dec, st Status, ok bool) {
	if !fastdec.Default(ctx) || r < Exact || r > Nearest {
		return p, 0, false
	}
	var f fastAccount
	if !f.load(a, liq) {
		return p, 0, false
	}
	legs, terms, m, net := f.legs[:len(a.Legs)], &f.terms, f.m, f.net
	if f.tiered && liq && !ratesAtEntry(legs) {
		return p, 0, false
	}
	tiered := f.tiered && liq && !a.Convention.atEntry()
	// iterate: solve, then re-solve with each tiered leg's rates at its
	// notional at the solution, until no leg changes tier.
	var num, den fastdec.Dec
	for pass := 0; ; pass++ {
		if pass == maxIter {
			return p, 0, false
		}
		if num, den, ok = a.coefficientsFast(legs, terms, liq); !ok {
			return p, 0, false
		}
		st = statusSigns(num.Sign(), den.Sign())
		if !tiered {
			break
		}
		if st != Found {
			return p, 0, false // the general path scans the tiers
		}
		u, good := num.Quo(den)
		if !good {
			return p, 0, false
		}
		same, good := retier(legs, u)
		if !good {
			return p, 0, false
		}
		if same {
			break
		}
	}
	if st != Found {
		return p, st, true
	}
	// u = num/den; P = u/m (linear, quanto) or m/u (inverse): one division.
	p, ok = m.Mul(den)
	if ok && a.Spec.Kind == contract.Inverse {
		p, ok = p.Quo(num)
	} else if ok {
		p, ok = num.Quo(p)
	}
	if !ok {
		return p, 0, false
	}
	if r != Exact {
		// round: toward the entry is up for a net long, down for a net
		// short; never below one tick.
		mode := fastdec.HalfEven
		if r == TowardEntry {
			mode = fastdec.Floor
			if net.Sign() > 0 {
				mode = fastdec.Ceiling
			}
		}
		tick, okt := loadValid(&a.Spec.Tick)
		if !okt {
			return p, 0, false
		}
		if p, ok = roundStep(p, tick, mode); !ok {
			return p, 0, false
		}
		if p.Sign() <= 0 {
			p = tick
		}
	}
	return p, Found, true
}

// distanceFast is Distance on the fast path: the same solve, difference and
// quotient on loaded values, or ok = false for the general path.
func distanceFast(ctx *apd.Context, abs, pct *apd.Decimal, a *Account, mark *apd.Decimal, r Rounding) (st Status, ok bool) {
	mk, okm := loadValid(mark)
	if !okm || mk.Sign() <= 0 {
		return 0, false
	}
	p, st, ok := solveFast(ctx, a, true, r)
	if !ok {
		return 0, false
	}
	if st != Found {
		abs.SetInt64(0)
		pct.SetInt64(0)
		return st, true
	}
	d, ok := mk.Sub(p)
	d = d.Abs()
	var q fastdec.Dec
	if ok {
		q, ok = d.Quo(mk)
	}
	if !ok {
		return 0, false
	}
	q.Store(pct)
	d.Store(abs)
	return Found, true
}

// A fastAccount is an account's inputs loaded once.
type fastAccount struct {
	legs   [maxFastLegs]fastLeg
	terms  fastTerms
	m, net fastdec.Dec // the multiplier; the net quantity, summed as round sums it
	tiered bool        // a leg has tiers
}

// load loads a, checking what validate checks, or reports false.
func (f *fastAccount) load(a *Account, liq bool) bool {
	if a.Spec == nil || a.Convention < Binance || a.Convention > Bybit || len(a.Legs) == 0 || len(a.Legs) > maxFastLegs {
		return false
	}
	m, ok := loadValid(&a.Spec.Multiplier)
	if !ok || m.Sign() <= 0 {
		return false
	}
	f.m = m
	inverse := a.Spec.Kind == contract.Inverse
	for i := range a.Legs {
		q, ok := a.loadLeg(&f.legs[i], &a.Legs[i], m, inverse, liq)
		if !ok {
			return false
		}
		if len(a.Legs) == 1 {
			f.net = q
		} else if f.net, ok = f.net.Add(q); !ok {
			return false
		}
		f.tiered = f.tiered || f.legs[i].tiers != nil
	}
	return a.loadTerms(&f.terms)
}

// liquidatableFast is Liquidatable on loaded values in the default
// context, with the same operations; ok = false sends the caller to the
// general path.
func liquidatableFast(ctx *apd.Context, a *Account, mark *apd.Decimal) (liq, ok bool) {
	if !fastdec.Default(ctx) {
		return false, false
	}
	mk, okm := loadValid(mark)
	var f fastAccount
	if !okm || mk.Sign() <= 0 || !f.load(a, true) {
		return false, false
	}
	// unitValue
	var u fastdec.Dec
	if a.Spec.Kind == contract.Inverse {
		u, ok = f.m.Quo(mk)
	} else {
		u, ok = f.m.Mul(mk)
	}
	legs := f.legs[:len(a.Legs)]
	if !ok {
		return false, false
	}
	// coefficients at basis u: tiered legs take their tier at |Qty|*u,
	// unless the convention fixes maintenance at entry.
	if f.tiered {
		if a.Convention.atEntry() {
			ok = ratesAtEntry(legs)
		} else {
			_, ok = retier(legs, u)
		}
		if !ok {
			return false, false
		}
	}
	num, den, ok := a.coefficientsFast(legs, &f.terms, true)
	if !ok {
		return false, false
	}
	fu, ok := den.Mul(u)
	return ok && fu.Cmp(num) <= 0, ok
}

// loadLeg loads l into f, checking what validate checks, and computes its
// entry value as entryValue does. For the maintenance side (liq) it keeps
// the leg's tiers, whose rates the caller then takes with ratesAtEntry or
// retier. It also returns the signed quantity.
func (a *Account) loadLeg(f *fastLeg, l *Leg, m fastdec.Dec, inverse, liq bool) (q fastdec.Dec, ok bool) {
	q, okq := loadValid(&l.Qty)
	ep, oke := loadValid(&l.Entry)
	cost, okc := loadValid(&l.Cost)
	mmr, okm := loadValid(&l.MMR)
	cum, oku := loadValid(&l.Cum)
	if !okq || !oke || !okc || !okm || !oku || q.IsZero() || ep.Sign() <= 0 ||
		l.Tiers == nil && (mmr.Sign() < 0 || !mmr.BelowOne()) {
		return q, false
	}
	f.n = q.Abs()
	f.neg = q.Neg != inverse
	f.mmr, f.cum = mmr, cum
	if !cost.IsZero() {
		f.v0 = cost.Abs()
	} else {
		nm, ok := q.Mul(m)
		nm = nm.Abs()
		if ok && inverse {
			f.v0, ok = nm.Quo(ep)
		} else if ok {
			f.v0, ok = nm.Mul(ep)
		}
		if !ok {
			return q, false
		}
	}
	if liq {
		f.tiers = l.Tiers // its rates are set by ratesAtEntry or retier
	}
	return q, true
}

// setTier takes the rates of f's tier at notional.
func (f *fastLeg) setTier(notional fastdec.Dec) bool {
	var x apd.Decimal
	notional.Store(&x)
	t, err := f.tiers.Lookup(&x)
	if err != nil {
		return false
	}
	mmr, okm := loadValid(&t.MMR)
	cum, oku := loadValid(&t.Cum)
	f.tier, f.mmr, f.cum = t, mmr, cum
	return okm && oku
}

// ratesAtEntry gives every tiered leg the rates of its tier at its entry value,
// as rates does on the first pass, and always where the convention fixes
// maintenance at entry.
func ratesAtEntry(legs []fastLeg) bool {
	for i := range legs {
		if f := &legs[i]; f.tiers != nil && !f.setTier(f.v0) {
			return false
		}
	}
	return true
}

// retier is sameTiers followed by the next pass's rates: it moves every
// tiered leg to its tier at notional |Qty|*u and reports whether none
// moved. The general path looks the same notionals up, once in sameTiers
// and again in rates, so the two fail on the same inputs.
func retier(legs []fastLeg, u fastdec.Dec) (same, ok bool) {
	same = true
	for i := range legs {
		f := &legs[i]
		if f.tiers == nil {
			continue
		}
		x, good := f.n.Mul(u)
		was := f.tier
		if !good || !f.setTier(x) {
			return false, false
		}
		same = same && f.tier == was
	}
	return same, true
}

// loadTerms loads the account's terms, checking what validate checks.
func (a *Account) loadTerms(t *fastTerms) bool {
	var ok1, ok2, ok3, ok4, ok5 bool
	t.otherMM, ok1 = loadValid(&a.OtherMM)
	t.extraMM, ok2 = loadValid(&a.ExtraMM)
	t.fee, ok3 = loadValid(&a.FeeReserve)
	t.balance, ok4 = loadValid(&a.Balance)
	t.otherPnL, ok5 = loadValid(&a.OtherPnL)
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 {
		return false
	}
	if a.Convention == BitMEX && !a.Spec.Minor.IsZero() {
		t.minor, ok1 = loadValid(&a.Spec.Minor)
	}
	return ok1
}

// coefficientsFast is coefficients on loaded legs and terms.
func (a *Account) coefficientsFast(legs []fastLeg, t *fastTerms, liq bool) (num, den fastdec.Dec, ok bool) {
	ok = true
	step := func(d fastdec.Dec, good bool) fastdec.Dec {
		ok = ok && good
		return d
	}
	atEntry := a.Convention.atEntry()
	for i := range legs {
		f := &legs[i]
		num = step(addSigned64(num, f.v0, f.neg))
		den = step(addSigned64(den, f.n, f.neg))
		if !liq {
			continue
		}
		if atEntry {
			// Fixed maintenance MMR*v0 - cum joins the constant side.
			m := step(f.mmr.Mul(f.v0))
			if !t.minor.IsZero() {
				if !ok {
					return num, den, false
				}
				m = step(roundStep(m, t.minor, fastdec.Ceiling))
			}
			num = step(addNonZero64(num, m, false))
			num = step(addNonZero64(num, f.cum, true))
			continue
		}
		// Maintenance at the price: MMR*N*u - cum.
		num = step(addNonZero64(num, f.cum, true))
		m := step(f.mmr.Mul(f.n))
		den = step(den.Sub(m))
	}
	if liq {
		num = step(addNonZero64(num, t.otherMM, false))
		num = step(addNonZero64(num, t.extraMM, false))
	}
	if !liq || atEntry {
		num = step(addNonZero64(num, t.fee, false))
	}
	num = step(addNonZero64(num, t.balance, true))
	num = step(addNonZero64(num, t.otherPnL, true))
	return num, den, ok
}

// loadValid loads x when it passes derivmath.CheckDecimal's tests: finite,
// not a negative zero, at most 19 digits, exponent within MaxScale.
func loadValid(x *apd.Decimal) (fastdec.Dec, bool) {
	return fastdec.LoadChecked(x, derivmath.MaxScale)
}

// roundStep rounds t to a whole number of step in mode, as derivmath.Round
// does on its integer path, including its validation of t: it reports
// false for anything derivmath.Round would refuse or take to apd. step must
// have passed loadValid.
func roundStep(t, step fastdec.Dec, mode fastdec.Rounding) (fastdec.Dec, bool) {
	if !t.Checked(derivmath.MaxScale) {
		return fastdec.Dec{}, false
	}
	return t.RoundStep(step, mode, derivmath.Precision)
}

// addSigned64 returns z - x when neg, else z + x: the same operation, so
// the same result, as Sub and Add.
func addSigned64(z, x fastdec.Dec, neg bool) (fastdec.Dec, bool) {
	x.Neg = x.Neg != neg
	return z.Add(x)
}

func addNonZero64(z, x fastdec.Dec, neg bool) (fastdec.Dec, bool) {
	if x.IsZero() {
		return z, true
	}
	return addSigned64(z, x, neg)
}
