package liquidation

import "github.com/cockroachdb/apd/v3"

// scan solves a tiered account (Binance convention) exactly. Between two
// consecutive breakpoints u = floor/N_i of the legs' tier tables every leg
// stays in one tier, so equity less maintenance, f(u) = den*u - num, is
// linear there and its root is found in closed form. Maintenance is
// continuous and convex in u (the cum recurrence and non-decreasing rates),
// so f is concave: one root for a single position, at most two for hedged
// legs, in which case scan takes the root nearest the legs' average entry.
// Without a root, the sign of f says Never or Always. The solution is left
// in num/den.
func (a *Account) scan(ar arith, num, den *apd.Decimal) (Status, error) {
	var lo, hi, mid, u, f, target, dist, bestDist, bestNum, bestDen apd.Decimal
	if err := a.averageEntry(ar, &target); err != nil {
		return 0, err
	}
	found := false
	first := 0 // sign of f in the first segment
	for seg := 0; ; seg++ {
		if seg == maxSegments {
			return 0, ErrNoConvergence
		}
		open, last, err := a.nextBreak(ar, &lo, &hi)
		if err != nil {
			return 0, err
		}
		// Tiers are read in the middle of the segment, clear of the
		// rounding of its ends.
		if open {
			if err := ar.add(&mid, &lo, &lo, "scan"); err != nil {
				return 0, err
			}
			if mid.IsZero() {
				mid.SetInt64(1)
			}
		} else {
			if err := ar.add(&mid, &lo, &hi, "scan"); err != nil {
				return 0, err
			}
			if err := ar.quo(&mid, &mid, &two, "scan"); err != nil {
				return 0, err
			}
		}
		if err := a.coefficients(ar, num, den, true, &mid); err != nil {
			return 0, err
		}
		if seg == 0 {
			if err := ar.mul(&f, den, &mid, "scan"); err != nil {
				return 0, err
			}
			if err := ar.sub(&f, &f, num, "scan"); err != nil {
				return 0, err
			}
			first = f.Sign()
		}
		if !den.IsZero() {
			if err := ar.quo(&u, num, den, "scan"); err != nil {
				return 0, err
			}
			in := u.Sign() > 0 && u.Cmp(&lo) >= 0 && (open || u.Cmp(&hi) <= 0)
			if in {
				if err := ar.sub(&dist, &u, &target, "scan"); err != nil {
					return 0, err
				}
				dist.Negative = false
				if !found || dist.Cmp(&bestDist) < 0 {
					found = true
					bestDist.Set(&dist)
					bestNum.Set(num)
					bestDen.Set(den)
				}
			}
		}
		if open || last {
			break
		}
		lo.Set(&hi)
	}
	if found {
		num.Set(&bestNum)
		den.Set(&bestDen)
		return Found, nil
	}
	if first > 0 {
		return Never, nil
	}
	return Always, nil
}

var two = *apd.New(2, 0) // read-only

// nextBreak sets hi to the smallest breakpoint floor/N_i (or limit/N_i)
// above lo over the tiered legs, and reports open = true when there is
// none: the segment from lo is the last. last reports that hi is a table's
// limit, which ends the scan: no position may reach it.
func (a *Account) nextBreak(ar arith, lo, hi *apd.Decimal) (open, last bool, err error) {
	var n, bp apd.Decimal
	open = true
	for i := range a.Legs {
		l := &a.Legs[i]
		if l.Tiers == nil || l.Qty.IsZero() {
			continue
		}
		n.Abs(&l.Qty)
		for j := 1; j <= l.Tiers.Len(); j++ {
			var floor *apd.Decimal
			if j < l.Tiers.Len() {
				floor = &l.Tiers.At(j).Floor
			} else if floor = l.Tiers.Limit(); floor == nil {
				break
			}
			if err := ar.quo(&bp, floor, &n, "scan"); err != nil {
				return false, false, err
			}
			if bp.Cmp(lo) <= 0 {
				continue
			}
			if open || bp.Cmp(hi) < 0 {
				hi.Set(&bp)
				open = false
				last = j == l.Tiers.Len()
			}
			break // floors increase: the first above lo is this leg's next
		}
	}
	return open, last, nil
}

// averageEntry sets z to the legs' entry value per contract, sum(v0)/sum(N).
func (a *Account) averageEntry(ar arith, z *apd.Decimal) error {
	var v0, n, sv, sn apd.Decimal
	for i := range a.Legs {
		l := &a.Legs[i]
		if l.Qty.IsZero() {
			continue
		}
		if err := a.entryValue(ar, &v0, l); err != nil {
			return err
		}
		n.Abs(&l.Qty)
		if err := ar.add(&sv, &sv, &v0, "scan"); err != nil {
			return err
		}
		if err := ar.add(&sn, &sn, &n, "scan"); err != nil {
			return err
		}
	}
	return ar.quo(z, &sv, &sn, "scan")
}
