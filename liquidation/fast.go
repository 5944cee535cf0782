package liquidation

import (
	"math/bits"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/fastdec"
)

// solveFast is solve for the common case, on fastdec.Dec values loaded
// once: the default context, no tier tables, every leg open, every input
// an exchange-sized decimal. It performs the same operations as
// coefficients and solve, in the same order, so its result is identical,
// digit for digit; it reports ok = false, having written nothing, for
// anything else (including every invalid input), and the caller then runs
// the general path, which returns the documented error.
func solveFast(ctx *apd.Context, z *apd.Decimal, a *Account, liq bool, r Rounding) (st Status, ok bool, err error) {
	if !fastdec.Default(ctx) || a.Spec == nil || a.Convention < Binance || a.Convention > Bybit || len(a.Legs) == 0 {
		return 0, false, nil
	}
	m, ok1 := loadValid(&a.Spec.Multiplier)
	if !ok1 || m.Sign() <= 0 {
		return 0, false, nil
	}
	inverse := a.Spec.Kind == contract.Inverse
	atEntry := a.Convention.atEntry()
	var num, den, net fastdec.Dec
	ok = true
	step := func(d fastdec.Dec, good bool) fastdec.Dec {
		ok = ok && good
		return d
	}
	for i := range a.Legs {
		l := &a.Legs[i]
		if l.Tiers != nil {
			return 0, false, nil
		}
		q, okq := loadValid(&l.Qty)
		ep, oke := loadValid(&l.Entry)
		cost, okc := loadValid(&l.Cost)
		mmr, okm := loadValid(&l.MMR)
		cum, oku := loadValid(&l.Cum)
		if !okq || !oke || !okc || !okm || !oku || q.IsZero() || ep.Sign() <= 0 ||
			mmr.Sign() < 0 || !belowOne(mmr) {
			return 0, false, nil
		}
		// entryValue
		var v0 fastdec.Dec
		if !cost.IsZero() {
			v0 = cost.Abs()
		} else {
			nm := step(q.Mul(m)).Abs()
			if inverse {
				v0 = step(nm.Quo(ep))
			} else {
				v0 = step(nm.Mul(ep))
			}
		}
		if len(a.Legs) == 1 {
			net = q
		} else {
			net = step(net.Add(q))
		}
		n := q.Abs()
		neg := q.Neg != inverse
		num = step(addSigned64(num, v0, neg))
		den = step(addSigned64(den, n, neg))
		if !liq {
			continue
		}
		if atEntry {
			t := step(mmr.Mul(v0))
			if a.Convention == BitMEX && !a.Spec.Minor.IsZero() {
				minor, okn := loadValid(&a.Spec.Minor)
				if !okn || !ok {
					return 0, false, nil
				}
				if t, ok1 = roundStep(t, minor, contract.Ceiling); !ok1 {
					return 0, false, nil
				}
			}
			num = step(addNonZero64(num, t, false))
			num = step(addNonZero64(num, cum, true))
			continue
		}
		num = step(addNonZero64(num, cum, true))
		t := step(mmr.Mul(n))
		den = step(den.Sub(t))
	}
	// The account's terms, in the order coefficients adds them.
	otherMM, ok1 := loadValid(&a.OtherMM)
	extraMM, ok2 := loadValid(&a.ExtraMM)
	fee, ok3 := loadValid(&a.FeeReserve)
	balance, ok4 := loadValid(&a.Balance)
	otherPnL, ok5 := loadValid(&a.OtherPnL)
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 {
		return 0, false, nil
	}
	if liq {
		num = step(addNonZero64(num, otherMM, false))
		num = step(addNonZero64(num, extraMM, false))
	}
	if !liq || atEntry {
		num = step(addNonZero64(num, fee, false))
	}
	num = step(addNonZero64(num, balance, true))
	num = step(addNonZero64(num, otherPnL, true))
	if !ok || r < Exact || r > Nearest {
		return 0, false, nil
	}
	st = statusSigns(num.Sign(), den.Sign())
	if st != Found {
		z.SetInt64(0)
		return st, true, nil
	}
	p := step(m.Mul(den))
	if inverse {
		p = step(p.Quo(num))
	} else {
		p = step(num.Quo(p))
	}
	if !ok {
		return 0, false, nil
	}
	if r != Exact {
		// a.round: toward the entry is up for a net long, down for a net
		// short; never below one tick.
		mode := contract.HalfEven
		if r == TowardEntry {
			mode = contract.Floor
			if net.Sign() > 0 {
				mode = contract.Ceiling
			}
		}
		tick, okt := loadValid(&a.Spec.Tick)
		if p, ok = roundStep(p, tick, mode); !ok || !okt {
			return 0, false, nil
		}
		if p.Sign() <= 0 {
			p = tick
		}
	}
	p.Store(z)
	return Found, true, nil
}

// loadValid loads x when it passes contract.CheckDecimal's tests: finite,
// not a negative zero, at most 19 digits, exponent within MaxScale.
func loadValid(x *apd.Decimal) (fastdec.Dec, bool) {
	d, ok := fastdec.Load(x)
	if ok && uint32(d.E+contract.MaxScale) <= 2*contract.MaxScale && d.C < maxCoeff && (d.C != 0 || !d.Neg) {
		return d, true
	}
	return fastdec.Dec{}, false
}

// maxCoeff is 10^contract.MaxDigits, the smallest coefficient with too many
// digits.
const maxCoeff = 10_000_000_000_000_000_000

// belowOne reports whether |d| < 1.
func belowOne(d fastdec.Dec) bool {
	return d.C == 0 || int(d.E)+d.Digits() <= 0
}

// roundStep rounds t to a whole number of step in mode (Ceiling, Floor or
// HalfEven), as contract.Round does on its integer path, including its
// validation of t: it reports false for anything contract.Round would
// refuse or take to apd. step must have passed loadValid.
func roundStep(t, step fastdec.Dec, mode contract.Rounding) (fastdec.Dec, bool) {
	if uint32(t.E+contract.MaxScale) > 2*contract.MaxScale || t.C >= maxCoeff || t.Neg && t.C == 0 {
		return fastdec.Dec{}, false
	}
	q, rem, s, ok := t.Steps(step)
	if !ok || fastdec.Digits(q) > contract.Precision {
		return fastdec.Dec{}, false
	}
	if rem != 0 {
		var away bool
		switch mode {
		case contract.Ceiling:
			away = !t.Neg
		case contract.Floor:
			away = t.Neg
		default: // HalfEven
			half := s - rem
			away = rem > half || rem == half && q&1 == 1
		}
		if away {
			q++
		}
	}
	hi, c := bits.Mul64(q, step.C)
	if hi != 0 || fastdec.Digits(c) > contract.Precision {
		return fastdec.Dec{}, false
	}
	return fastdec.Dec{C: c, E: step.E, Neg: t.Neg && c != 0}, true
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
