package liquidation

import "github.com/derivmath/derivmath/internal/num"

// scan solves a tiered account (Binance convention) exactly. Between two
// consecutive breakpoints u = floor/N_i of the legs' tier tables (or
// Cum/(MMR*N_i) of a leg's own rates, see rule) every leg
// stays in one tier, so equity less maintenance, f(u) = den*u - num, is
// linear there and its root is found in closed form. Maintenance is
// continuous and convex in u (the cum recurrence and non-decreasing rates),
// so f is concave: one root for a single position, at most two for hedged
// legs, in which case scan takes the root nearest the legs' average entry.
// Without a root, it returns coefficients whose status is Never or Always,
// as the sign of f in the first segment says.
func (s *terms) scan(c *num.Ctx, base num.Dec) (nm, den num.Dec) {
	target := s.target(c)
	var lo, bestDist, bestNum, bestDen num.Dec
	found := false
	first := 0 // the sign of f in the first segment
	for seg := 0; ; seg++ {
		if seg == maxSegments {
			c.Fail(ErrNoConvergence)
			return nm, den
		}
		hi, open, last := s.nextBreak(c, lo)
		// Tiers are read in the middle of the segment, clear of the
		// rounding of its ends.
		var mid num.Dec
		if open {
			if mid = c.Add(lo, lo); mid.IsZero() {
				mid = one
			}
		} else {
			mid = c.Quo(c.Add(lo, hi), two)
		}
		s.ratesAt(c, mid)
		nm, den = s.coefficients(c, base)
		if c.Err != nil {
			return nm, den
		}
		if seg == 0 {
			first = c.Sub(c.Mul(den, mid), nm).Sign()
		}
		if !den.IsZero() {
			u := c.Quo(nm, den)
			// The segment holds hi, unless hi is a table's limit (last),
			// a notional that no tier holds.
			in := open
			if !in {
				r := u.Cmp(hi)
				in = r < 0 || r == 0 && !last
			}
			if u.Sign() > 0 && u.Cmp(lo) >= 0 && in {
				dist := c.Sub(u, target).Abs()
				if !found || dist.Cmp(bestDist) < 0 {
					found, bestDist, bestNum, bestDen = true, dist, nm, den
				}
			}
		}
		if open || last || c.Err != nil {
			break
		}
		lo = hi
	}
	switch {
	case found:
		return bestNum, bestDen
	case first > 0:
		return num.Dec{}, one // f = u > 0: Never
	}
	return num.Dec{}, num.Dec{} // f = 0: Always
}

// nextBreak returns the smallest breakpoint floor/N_i (or limit/N_i) above
// lo over the tiered legs, and open = true when there is none: the segment
// from lo is the last. last reports that hi is a table's limit, which ends
// the scan: no position may reach it, and no root lies at it; it is one
// whichever leg's breakpoint hi is found first, a floor of one leg where
// another's limit lies too.
func (s *terms) nextBreak(c *num.Ctx, lo num.Dec) (hi num.Dec, open, last bool) {
	open = true
	for i := range s.nt {
		t := s.tleg(i)
		for j := 1; ; j++ {
			floor, ok, limit := t.breaks(c, j)
			if !ok {
				break
			}
			bp := c.Quo(floor, t.n)
			if bp.Cmp(lo) <= 0 {
				continue
			}
			if r := bp.Cmp(hi); open || r < 0 {
				hi, open, last = bp, false, limit
			} else if r == 0 {
				last = last || limit // a limit on another leg's floor
			}
			break // floors increase: the first above lo is this leg's next
		}
	}
	return hi, open, last
}
