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
	var num, den fastdec.Dec
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
				if t, ok1 = ceilStep(t, minor); !ok1 {
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
	if r == Exact {
		p.Store(z)
		return Found, true, nil
	}
	var pd apd.Decimal
	p.Store(&pd)
	if err := a.round(newArith(ctx), z, &pd, r); err != nil {
		return 0, true, err
	}
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

// ceilStep rounds t up (toward +Inf) to a whole number of step, as
// contract.Round with contract.Ceiling does on its integer path.
func ceilStep(t, step fastdec.Dec) (fastdec.Dec, bool) {
	// contract.Round validates t first; outside its range the general
	// path reports the error.
	if t.E < -contract.MaxScale || t.E > contract.MaxScale || t.Neg && t.C == 0 {
		return fastdec.Dec{}, false
	}
	var tt, ss apd.Decimal
	t.Store(&tt)
	step.Store(&ss)
	q, rem, _, ok := fastdec.Steps(&tt, &ss)
	if !ok || fastdec.Digits(q) > contract.Precision {
		return fastdec.Dec{}, false
	}
	if rem != 0 && !t.Neg {
		q++
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
