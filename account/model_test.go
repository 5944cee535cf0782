package account_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/liquidation"
	"pgregory.net/rapid"
)

// model is the dumbest correct account: lists of positions and orders,
// and every number recomputed from scratch at 50 digits, by the formulas
// of the package documentation written out again (BitMEX on specs without
// a minor unit, so without its integer rounding).
type model struct {
	conv    liquidation.Convention
	mkts    []market
	marks   map[*contract.Spec]*apd.Decimal
	wallets map[string]*apd.Decimal
	pos     []*account.Position
	orders  map[string]*account.Order
	// fine, when more than checkNearest's own, is the number of unit
	// values it samples either side of the mark.
	fine int64
}

var mc = apd.BaseContext.WithPrecision(50)

func op(f func(z, x, y *apd.Decimal) (apd.Condition, error), x, y *apd.Decimal) *apd.Decimal {
	z := new(apd.Decimal)
	if _, err := f(z, x, y); err != nil {
		panic(err)
	}
	return z
}
func add(x, y *apd.Decimal) *apd.Decimal { return op(mc.Add, x, y) }
func sub(x, y *apd.Decimal) *apd.Decimal { return op(mc.Sub, x, y) }
func mul(x, y *apd.Decimal) *apd.Decimal { return op(mc.Mul, x, y) }
func quo(x, y *apd.Decimal) *apd.Decimal { return op(mc.Quo, x, y) }

// floor0 returns x, or 0 when x is negative: a maintenance less its Cum
// (account.Position.Cum).
func floor0(x *apd.Decimal) *apd.Decimal {
	if x.Negative {
		return new(apd.Decimal)
	}
	return x
}

// value is the value of q contracts of s at p.
func value(s *contract.Spec, q, p *apd.Decimal) *apd.Decimal {
	n := new(apd.Decimal).Abs(mul(q, &s.Multiplier))
	if s.Kind == contract.Inverse {
		return quo(n, p)
	}
	return mul(n, p)
}

// numbers are a position's numbers in the model.
type numbers struct{ value, upnl, mm, im, fee *apd.Decimal }

// gains reports whether p gains as its contract's unit value rises.
func gains(p *account.Position) bool { return p.Qty.Negative == (p.Spec.Kind == contract.Inverse) }

func (m *model) numbers(p *account.Position) numbers {
	one := apd.New(1, 0)
	v, v0 := value(p.Spec, &p.Qty, m.marks[p.Spec]), value(p.Spec, &p.Qty, &p.Entry)
	n := numbers{value: v, upnl: m.upnl(p), fee: new(apd.Decimal), im: new(apd.Decimal)}
	lev := &p.Leverage
	switch m.conv {
	case liquidation.Binance:
		mmr, cum := &p.MMR, &p.Cum
		if p.Tiers != nil {
			tier, err := p.Tiers.Lookup(v)
			if err != nil {
				panic(err)
			}
			mmr, cum = &tier.MMR, &tier.Cum
		}
		n.mm = floor0(sub(mul(v, mmr), cum))
		if !lev.IsZero() {
			n.im = quo(v, lev)
		}
	case liquidation.BitMEX:
		never := p.Spec.Kind == contract.Inverse && p.Qty.Negative && p.Mode == account.Isolated && lev.Sign() > 0 && lev.Cmp(one) <= 0
		if never {
			n.mm, n.im = new(apd.Decimal), quo(v0, lev)
			break
		}
		init := quo(v0, lev)
		n.fee = mul(&p.Spec.Taker, add(v0, init))
		n.mm = add(floor0(sub(mul(v0, &p.MMR), &p.Cum)), n.fee)
		n.im = add(init, n.fee)
	case liquidation.Bybit:
		switch {
		case !p.Fee.IsZero():
			n.fee = &p.Fee
		case p.Spec.Kind == contract.Inverse && p.Mode == account.Cross:
			n.fee = m.fixedPoint(p)
		default:
			k := add(lev, one)
			if p.Qty.Negative == (p.Spec.Kind == contract.Inverse) {
				k = floor0(sub(lev, one)) // no bankruptcy price at 1x or less
			}
			n.fee = quo(mul(mul(&p.Spec.Taker, v0), k), lev)
		}
		n.mm = add(floor0(sub(mul(v0, &p.MMR), &p.Cum)), n.fee)
		n.im = add(quo(v0, lev), n.fee)
	}
	return n
}

// upnl is p's unrealised PnL at its contract's mark.
func (m *model) upnl(p *account.Position) *apd.Decimal {
	v, v0 := value(p.Spec, &p.Qty, m.marks[p.Spec]), value(p.Spec, &p.Qty, &p.Entry)
	if !gains(p) {
		return sub(v0, v)
	}
	return sub(v, v0)
}

// fixedPoint is Bybit's fee to close of the inverse cross position p, at
// the account's bankruptcy price that includes the fees of the cross
// positions on p's contract (a Fee given, fixed, included): with x = 1/P
// the equation is linear in x.
func (m *model) fixedPoint(p *account.Position) *apd.Decimal {
	cur := p.Spec.Settle
	bal := m.crossWallet(cur)
	var group []*account.Position
	for _, o := range m.pos {
		if o.Mode != account.Cross || o.Spec.Settle != cur {
			continue
		}
		if o.Spec == p.Spec {
			group = append(group, o)
		} else {
			bal = add(bal, m.upnl(o))
		}
	}
	// Equity at x = 1/P: bal + sum sigma*(size*x - v0); fee t*sum(size)*x.
	sv, ss, sz, given := new(apd.Decimal), new(apd.Decimal), new(apd.Decimal), new(apd.Decimal)
	var size *apd.Decimal
	for _, o := range group {
		s := new(apd.Decimal).Abs(mul(&o.Qty, &o.Spec.Multiplier))
		v0 := value(o.Spec, &o.Qty, &o.Entry)
		if o == p {
			size = s
		}
		if o.Fee.IsZero() {
			sz = add(sz, s)
		} else {
			given = add(given, &o.Fee)
		}
		// An inverse short gains as x rises.
		if o.Qty.Negative {
			sv, ss = add(sv, v0), add(ss, s)
		} else {
			sv, ss = sub(sv, v0), sub(ss, s)
		}
	}
	// bal + ss*x - sv = t*sz*x + F (sz the sizes without a Fee given, F
	// the Fees given): x = (bal - sv - F)/(t*sz - ss), when positive.
	t := &p.Spec.Taker
	den := sub(mul(t, sz), ss)
	if den.IsZero() {
		return new(apd.Decimal)
	}
	x := quo(sub(sub(bal, sv), given), den)
	if x.Sign() <= 0 {
		return new(apd.Decimal)
	}
	return mul(mul(t, size), x)
}

// crossWallet is the wallet of cur less the isolated margins in it.
func (m *model) crossWallet(cur string) *apd.Decimal {
	w := new(apd.Decimal)
	if x := m.wallets[cur]; x != nil {
		w.Set(x)
	}
	for _, p := range m.pos {
		if p.Spec.Settle == cur && p.Mode == account.Isolated {
			w = sub(w, &p.Margin)
		}
	}
	return w
}

// summary is the model's account page of cur.
func (m *model) summary(cur string) (s struct {
	equity, upnl, im, orders, mm, avail *apd.Decimal
	crossMM, crossEquity                *apd.Decimal
	cross, liq, crossLiq                bool
},
) {
	w := new(apd.Decimal)
	if x := m.wallets[cur]; x != nil {
		w.Set(x)
	}
	s.upnl, s.im, s.orders, s.mm = new(apd.Decimal), new(apd.Decimal), new(apd.Decimal), new(apd.Decimal)
	crossUp, crossMM, crossIM := new(apd.Decimal), new(apd.Decimal), new(apd.Decimal)
	cross := false
	for _, p := range m.pos {
		if p.Spec.Settle != cur {
			continue
		}
		n := m.numbers(p)
		s.upnl, s.mm, s.im = add(s.upnl, n.upnl), add(s.mm, n.mm), add(s.im, n.im)
		if p.Mode == account.Cross {
			cross = true
			crossUp, crossMM, crossIM = add(crossUp, n.upnl), add(crossMM, n.mm), add(crossIM, n.im)
		} else if add(&p.Margin, n.upnl).Cmp(n.mm) <= 0 && (m.conv != liquidation.BitMEX || !n.mm.IsZero()) {
			s.liq = true
		}
	}
	for _, o := range m.orders {
		if o.Spec.Settle == cur {
			s.orders = add(s.orders, m.orderMargin(o))
		}
	}
	s.equity = add(w, s.upnl)
	s.im = add(s.im, s.orders)
	ce := add(m.crossWallet(cur), crossUp)
	if cross && ce.Cmp(crossMM) <= 0 {
		s.liq, s.crossLiq = true, true
	}
	free := m.crossWallet(cur)
	if m.conv != liquidation.BitMEX {
		free = add(free, crossUp)
	}
	free = sub(sub(free, crossIM), s.orders)
	if free.Negative {
		free = new(apd.Decimal)
	}
	s.avail = free
	s.crossMM, s.crossEquity, s.cross = crossMM, ce, cross
	return s
}

// orderMargin is the margin of o against the position on its contract and
// side.
func (m *model) orderMargin(o *account.Order) *apd.Decimal {
	open := new(apd.Decimal).Abs(&o.Qty)
	lev := &o.Leverage
	for _, p := range m.pos {
		if p.Spec == o.Spec && p.Side == o.Side {
			if p.Qty.Negative != o.Qty.Negative {
				open = sub(open, new(apd.Decimal).Abs(&p.Qty))
				if open.Negative {
					open = new(apd.Decimal)
				}
			}
			if lev.IsZero() {
				lev = &p.Leverage
			}
		}
	}
	return quo(value(o.Spec, open, &o.Price), lev)
}

// gaps returns, with the mark of p's contract at x and every other mark
// as it is, the model's equity less maintenance of p's margin (p's own
// for an isolated position, its currency's cross positions for a cross
// one) and its equity less the fees of the positions on p's contract in
// that margin (the thresholds of Report's liquidation and bankruptcy
// prices), with the scale of the amounts summed: the wallet, and each
// position's value, |uPnL| and maintenance.
func (m *model) gaps(p *account.Position, x *apd.Decimal) (liq, bank, scale *apd.Decimal) {
	old := m.marks[p.Spec]
	m.marks[p.Spec] = x
	defer func() { m.marks[p.Spec] = old }()
	if p.Mode == account.Isolated {
		n := m.numbers(p)
		eq := add(&p.Margin, n.upnl)
		scale = add(add(new(apd.Decimal).Abs(&p.Margin), n.value), add(new(apd.Decimal).Abs(n.upnl), n.mm))
		return sub(eq, n.mm), sub(eq, n.fee), scale
	}
	eq := m.crossWallet(p.Spec.Settle)
	scale = new(apd.Decimal).Abs(eq)
	mm, fee := new(apd.Decimal), new(apd.Decimal)
	for _, o := range m.pos {
		if o.Mode != account.Cross || o.Spec.Settle != p.Spec.Settle {
			continue
		}
		n := m.numbers(o)
		eq, mm = add(eq, n.upnl), add(mm, n.mm)
		if o.Spec == p.Spec {
			fee = add(fee, n.fee)
		}
		scale = add(scale, add(n.value, add(new(apd.Decimal).Abs(n.upnl), n.mm)))
	}
	return sub(eq, mm), sub(eq, fee), scale
}

// checkPrices compares position i's liquidation and bankruptcy prices,
// their statuses and the distance in r (Report rounded per rd) with the
// model's thresholds (see gaps), without solving: at a Found price P the
// threshold is crossed within the rounding rd states (Exact: at P, within
// the rounding of the amounts; TowardEntry: between P and a tick beyond
// it, P itself not past it; Nearest: within half a tick of P), and no
// root of the liquidation threshold is nearer than P to where the account
// measures from (see checkNearest); under Never (Always) the account is
// above (at or below) its threshold at a wide sample of prices; the
// distance is |mark - P| and that over the mark.
func (m *model) checkPrices(t *rapid.T, i int, p *account.Position, r *account.Report, rd liquidation.Rounding) {
	const rel = "1e-15"
	mark := m.marks[p.Spec]
	tick := &p.Spec.Tick
	zero := new(apd.Decimal)
	// The gaps at a price, kept: both thresholds sample the mark and the
	// same wide range.
	type gap struct{ liq, bank, scale *apd.Decimal }
	memo := map[string]gap{}
	at := func(x *apd.Decimal) gap {
		k := x.String()
		g, ok := memo[k]
		if !ok {
			g.liq, g.bank, g.scale = m.gaps(p, x)
			memo[k] = g
		}
		return g
	}
	for _, pr := range []struct {
		name  string
		st    liquidation.Status
		price *apd.Decimal
		liq   bool
	}{{"liquidation", r.LiquidationStatus, &r.Liquidation, true}, {"bankruptcy", r.BankruptcyStatus, &r.Bankruptcy, false}} {
		// gap is the threshold's gap at x, sign its sign: 0 within
		// rounding.
		gap := func(x *apd.Decimal) *apd.Decimal {
			if pr.liq {
				return at(x).liq
			}
			return at(x).bank
		}
		sign := func(x *apd.Decimal) int {
			if g := gap(x); !within(g, zero, at(x).scale, rel) {
				return g.Sign()
			}
			return 0
		}
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("position %d %s %v %v: %s %s %v: "+format, append([]any{i, p.Spec.Symbol, p.Mode, rd, pr.name, pr.price.String(), pr.st}, args...)...)
		}
		switch pr.st {
		case liquidation.Found:
			if pr.price.Sign() <= 0 {
				fail("not a price")
			}
			checkRoot(pr.price, rd, tick, gap, sign, fail)
			if pr.liq {
				// The bankruptcy threshold has one root: the equity is
				// affine in u, the fees fixed.
				m.checkNearest(p, pr.price, rd, sign, fail)
			}
		case liquidation.Never, liquidation.Always:
			if !pr.price.IsZero() {
				fail("price written")
			}
			// Prices from mark/1000 to mark*1000.
			x := mul(mark, d("0.001"))
			for j := 0; j <= 8; j++ {
				s := sign(x)
				if pr.st == liquidation.Never && s < 0 || pr.st == liquidation.Always && s > 0 {
					fail("the model's gap at %s has sign %d", x.String(), s)
				}
				x = short(mul(x, d("5.6234132519034908"))) // 10^(3/4)
			}
		default:
			fail("invalid status")
		}
	}
	if r.LiquidationStatus != liquidation.Found {
		if !r.Distance.IsZero() || !r.DistancePct.IsZero() {
			t.Fatalf("position %d %s: distance %s, %s without a price", i, p.Spec.Symbol, r.Distance.String(), r.DistancePct.String())
		}
		return
	}
	dist := new(apd.Decimal).Abs(sub(mark, &r.Liquidation))
	if pct := quo(dist, mark); !within(&r.Distance, dist, add(mark, dist), rel) || !within(&r.DistancePct, pct, pct, rel) {
		t.Fatalf("position %d %s: distance %s, %s; model %s, %s", i, p.Spec.Symbol, r.Distance.String(), r.DistancePct.String(), dist.String(), quo(dist, mark).String())
	}
}

// checkNearest checks that no root of the gap whose sign sign returns is
// nearer than the price p (rounded per rd) to the point the account
// measures from, in unit values u (the value of one contract: P times
// the multiplier, or the multiplier over P): the mark, Report's walk
// taking the root nearest the marks (and any other account having one
// root); for hedged cross legs under Binance's rules, whose maintenance
// can rise on both sides, their average entry, sum v0 over sum N
// (liquidation.Solver.Price). Where the gap has a sign there, it keeps it
// at a sample of unit values within |u(p) - ref| of it either side, a
// finer one beside a hedge, prices within a tick of either end excepted
// (and unit values that no positive price has).
func (m *model) checkNearest(p *account.Position, price *apd.Decimal, rd liquidation.Rounding, sign func(*apd.Decimal) int, fail func(string, ...any)) {
	s := p.Spec
	one := apd.New(1, 0)
	toPrice := func(u *apd.Decimal) *apd.Decimal {
		if s.Kind == contract.Inverse {
			return quo(&s.Multiplier, u)
		}
		return quo(u, &s.Multiplier)
	}
	refP := m.marks[s]
	hedged := false
	v0, size := new(apd.Decimal), new(apd.Decimal)
	for _, o := range m.pos {
		// An isolated position is its own margin group.
		if o == p || o.Spec == s && o.Mode == account.Cross && p.Mode == account.Cross {
			hedged = hedged || o != p
			v0, size = add(v0, value(s, &o.Qty, &o.Entry)), add(size, new(apd.Decimal).Abs(&o.Qty))
		}
	}
	if hedged && m.conv == liquidation.Binance {
		refP = short(toPrice(quo(v0, size)))
	}
	s0 := sign(refP)
	if s0 == 0 {
		return
	}
	ref := value(s, one, refP)
	n := int64(2)
	if hedged {
		n = 4
	}
	n = max(n, m.fine)
	up := value(s, one, price)
	step := quo(sub(up, ref), apd.New(n+1, 0))
	// Within a tick of the mirror image of p, a root is as near as p.
	var mirror *apd.Decimal
	if w := sub(add(ref, ref), up); w.Sign() > 0 {
		mirror = toPrice(w)
	}
	near := func(x, y *apd.Decimal) bool {
		return y != nil && new(apd.Decimal).Abs(sub(x, y)).Cmp(&s.Tick) <= 0
	}
	for j := -n; j <= n; j++ {
		u := add(ref, mul(step, apd.New(j, 0)))
		if j == 0 || u.Sign() <= 0 {
			continue
		}
		x := short(toPrice(u))
		if rd != liquidation.Exact && (near(x, price) || near(x, mirror)) {
			continue
		}
		if sign(x) == -s0 {
			fail("crossed at %s, nearer %s", x.String(), refP.String())
		}
	}
}

// short returns x to 12 digits: a sample price, cheaper to compute with.
func short(x *apd.Decimal) *apd.Decimal {
	z := new(apd.Decimal)
	if _, err := apd.BaseContext.WithPrecision(12).Round(z, x); err != nil {
		panic(err)
	}
	return z
}

// checkRoot checks that the gap (whose sign sign returns) is crossed at
// the price p rounded per rd (see checkPrices). A price of one tick may
// stand for any root under it (liquidation.Rounding) and is not checked.
// Where the gap is below 0 at both ends of the interval of p, it may have
// two roots within it (a gap that rises above 0 and falls again within a
// tick: both ticks are past the threshold, and Report keeps the solver's
// tick): the interval passes if the gap's maximum there, sought by
// golden-section search, is not below 0.
func checkRoot(p *apd.Decimal, rd liquidation.Rounding, tick *apd.Decimal, gap func(*apd.Decimal) *apd.Decimal, sign func(*apd.Decimal) int, fail func(string, ...any)) {
	switch {
	case rd == liquidation.Exact:
		if s := sign(p); s != 0 {
			fail("the model's gap there has sign %d", s)
		}
		return
	case p.Cmp(tick) == 0:
		return
	}
	w := tick
	if rd == liquidation.Nearest {
		w = quo(tick, d("2"))
	}
	lo, hi := sign(sub(p, w)), sign(add(p, w))
	if lo < 0 && hi < 0 && peaks(sub(p, w), add(p, w), gap, sign) {
		return
	}
	if lo == hi && lo != 0 {
		fail("the model's gap has sign %d within %s either side", lo, w.String())
	}
	if s := sign(p); rd == liquidation.TowardEntry && s < 0 {
		fail("past the threshold (the model's gap has sign %d)", s)
	}
}

// peaks reports whether the gap rises to 0 or above between x and y, at
// a point of the golden-section search for its maximum there (100 steps:
// it finds the maximum of a gap with one peak between them, as Bybit's
// concave gap has).
func peaks(x, y *apd.Decimal, gap func(*apd.Decimal) *apd.Decimal, sign func(*apd.Decimal) int) bool {
	r := d("0.38196601125010515179541316563436188227969082019424") // 2 - phi
	a, b := x, y
	c, e := add(a, mul(r, sub(b, a))), sub(b, mul(r, sub(b, a)))
	for i := 0; i < 100; i++ {
		if sign(c) >= 0 || sign(e) >= 0 {
			return true
		}
		if gap(c).Cmp(gap(e)) < 0 {
			a, c, e = c, e, add(e, mul(r, sub(b, e)))
		} else {
			b, e, c = e, c, sub(c, mul(r, sub(c, a)))
		}
	}
	return false
}

// tickFits reports whether the multiples of tick within a tick of the
// price x have at most derivmath.Precision digits at the tick's exponent
// (a tick of 0.5: one decimal), so that a Report rounding x to one of
// them cannot fail with derivmath.ErrRange.
func tickFits(x, tick *apd.Decimal) bool {
	var r apd.Decimal
	r.Reduce(tick)
	return add(x, tick).Cmp(apd.New(1, derivmath.Precision+r.Exponent)) < 0
}

// check compares the account with the model.
func (m *model) check(t *rapid.T, a *account.Account) {
	if a.Len() != len(m.pos) {
		t.Fatalf("%d positions, model %d", a.Len(), len(m.pos))
	}
	const rel = "1e-15"
	// Reports in a rounding drawn, and one position's prices checked (the
	// model's thresholds are costly to sample).
	rounding := rapid.SampledFrom(roundings).Draw(t, "rounding")
	pick := -1
	if len(m.pos) > 0 {
		pick = rapid.IntRange(0, len(m.pos)-1).Draw(t, "prices of")
	}
	for i, p := range m.pos {
		var r account.Report
		rd := rounding
		if err := a.Report(&r, i, rd); err != nil {
			// A price whose ticks need more than the context's digits
			// (see tickFits) has no tick to round to
			// (derivmath.ErrRange): the exact one has.
			if !errors.Is(err, derivmath.ErrRange) || rd == liquidation.Exact {
				t.Fatalf("position %d %s %v: %v", i, p.Spec.Symbol, rd, err)
			}
			rd = liquidation.Exact
			noErr(t, a.Report(&r, i, rd))
			if tickFits(&r.Liquidation, &p.Spec.Tick) && tickFits(&r.Bankruptcy, &p.Spec.Tick) {
				t.Fatalf("position %d %s %v: %v at %s and %s", i, p.Spec.Symbol, rounding, err, r.Liquidation.String(), r.Bankruptcy.String())
			}
		}
		if i == pick {
			m.checkPrices(t, i, p, &r, rd)
		}
		n := m.numbers(p)
		for _, f := range []struct {
			name      string
			got, want *apd.Decimal
		}{{"value", &r.Value, n.value}, {"upnl", &r.Unrealised, n.upnl}, {"mm", &r.Maintenance, n.mm}, {"im", &r.Initial, n.im}, {"fee", &r.Fee, n.fee}} {
			scale := add(add(n.value, n.im), add(n.mm, new(apd.Decimal).Abs(n.upnl)))
			if !within(f.got, f.want, scale, rel) {
				t.Fatalf("position %d %s %v: %s %s, model %s", i, p.Spec.Symbol, p.Mode, f.name, f.got.String(), f.want.String())
			}
		}
		// An isolated position is liquidatable by its own margin, a cross
		// one with its currency's cross positions.
		liq := m.summary(p.Spec.Settle).crossLiq
		if p.Mode == account.Isolated {
			liq = add(&p.Margin, n.upnl).Cmp(n.mm) <= 0 && (m.conv != liquidation.BitMEX || !n.mm.IsZero())
		}
		if r.Liquidatable != liq {
			t.Fatalf("position %d %s %v: liquidatable %v, model %v", i, p.Spec.Symbol, p.Mode, r.Liquidatable, liq)
		}
	}
	m.checkState(t, a)
	anyLiq := false
	for _, cur := range []string{"USDT", "BTC"} {
		var s account.Summary
		noErr(t, a.Summary(&s, cur))
		ms := m.summary(cur)
		anyLiq = anyLiq || ms.liq
		if s.Currency != cur || s.Wallet.Cmp(m.wallet(cur)) != 0 {
			t.Fatalf("%s summary: currency %q, wallet %s, model %s", cur, s.Currency, s.Wallet.String(), m.wallet(cur).String())
		}
		scale := add(new(apd.Decimal).Abs(ms.equity), add(ms.im, ms.mm))
		for _, f := range []struct {
			name      string
			got, want *apd.Decimal
		}{{"equity", &s.Equity, ms.equity}, {"upnl", &s.Unrealised, ms.upnl}, {"im", &s.Initial, ms.im}, {"orders", &s.Orders, ms.orders}, {"mm", &s.Maintenance, ms.mm}, {"available", &s.Available, ms.avail}} {
			if !within(f.got, f.want, scale, rel) {
				t.Fatalf("%s %s: %s, model %s", cur, f.name, f.got.String(), f.want.String())
			}
		}
		// The margin ratio is the cross maintenance over the cross equity
		// (0 without cross positions or without positive cross equity),
		// checked as Ratio*equity against the maintenance: a ratio over an
		// equity near 0 carries the equity's rounding error, at most
		// rel*scale times (1 + Ratio). Where the model's cross equity is
		// within rounding of 0 either side may hold.
		switch {
		case !ms.cross || ms.crossEquity.Sign() <= 0 && !within(ms.crossEquity, new(apd.Decimal), scale, rel):
			if !s.Ratio.IsZero() {
				t.Fatalf("%s ratio %s, model 0 (cross %v, equity %s)", cur, s.Ratio.String(), ms.cross, ms.crossEquity.String())
			}
		case !within(ms.crossEquity, new(apd.Decimal), scale, rel):
			if !within(mul(&s.Ratio, ms.crossEquity), ms.crossMM, mul(scale, add(d("1"), &s.Ratio)), rel) {
				t.Fatalf("%s ratio %s, model %s/%s", cur, s.Ratio.String(), ms.crossMM.String(), ms.crossEquity.String())
			}
		}
		if s.Liquidatable != ms.liq {
			t.Fatalf("%s liquidatable %v, model %v", cur, s.Liquidatable, ms.liq)
		}
	}
	if a.Liquidatable() != anyLiq {
		t.Fatalf("account liquidatable %v, model %v", a.Liquidatable(), anyLiq)
	}
}

// wallet is the model's balance of cur, 0 when never set.
func (m *model) wallet(cur string) *apd.Decimal {
	if w := m.wallets[cur]; w != nil {
		return w
	}
	return new(apd.Decimal)
}

// checkState compares what the account stores with the model, exactly:
// the convention, the order count, every position's fields as set, Find
// for every contract and side, the marks and the wallets.
func (m *model) checkState(t *rapid.T, a *account.Account) {
	if a.Convention() != m.conv || a.Orders() != len(m.orders) {
		t.Fatalf("convention %v, %d orders; model %v, %d", a.Convention(), a.Orders(), m.conv, len(m.orders))
	}
	for i, want := range m.pos {
		got := a.Position(i)
		if got.Spec != want.Spec || got.Side != want.Side || got.Mode != want.Mode || got.Tiers != want.Tiers {
			t.Fatalf("position %d: %s %v %v, model %s %v %v", i, got.Spec.Symbol, got.Side, got.Mode, want.Spec.Symbol, want.Side, want.Mode)
		}
		for _, f := range []struct {
			name      string
			got, want *apd.Decimal
		}{{"qty", &got.Qty, &want.Qty}, {"entry", &got.Entry, &want.Entry}, {"leverage", &got.Leverage, &want.Leverage}, {"margin", &got.Margin, &want.Margin}, {"mmr", &got.MMR, &want.MMR}, {"cum", &got.Cum, &want.Cum}} {
			if f.got.Cmp(f.want) != 0 {
				t.Fatalf("position %d %s: %s %s, model %s", i, want.Spec.Symbol, f.name, f.got.String(), f.want.String())
			}
		}
	}
	for _, mk := range m.mkts {
		for _, side := range []account.Side{account.OneWay, account.Long, account.Short} {
			want := -1
			for i, p := range m.pos {
				if p.Spec == mk.spec && p.Side == side {
					want = i
				}
			}
			if got := a.Find(mk.spec, side); got != want {
				t.Fatalf("Find(%s, %v) = %d, model %d", mk.spec.Symbol, side, got, want)
			}
		}
		var mark apd.Decimal
		if ok := a.Mark(&mark, mk.spec); !ok || mark.Cmp(m.marks[mk.spec]) != 0 {
			t.Fatalf("Mark(%s) = %s, %v; model %s", mk.spec.Symbol, mark.String(), ok, m.marks[mk.spec].String())
		}
	}
	for _, cur := range []string{"USDT", "BTC"} {
		var w apd.Decimal
		if a.Wallet(&w, cur); w.Cmp(m.wallet(cur)) != 0 {
			t.Fatalf("Wallet(%s) = %s, model %s", cur, w.String(), m.wallet(cur).String())
		}
	}
}

// TestAccountMatchesModel runs random sequences of positions, orders,
// marks and transfers on an account and on the model, and compares every
// number after each step: one position's liquidation and bankruptcy
// prices, in a rounding drawn, against the model's thresholds, which it
// does not solve (see checkPrices).
func TestAccountMatchesModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		st := drawAccount(t, 3)
		m := &model{conv: st.conv, mkts: st.mkts, marks: map[*contract.Spec]*apd.Decimal{}, wallets: st.wallets, orders: map[string]*account.Order{}}
		for i, mk := range st.mkts {
			m.marks[mk.spec] = st.marks[i]
		}
		a := st.a
		for i := 0; i < a.Len(); i++ {
			m.pos = append(m.pos, a.Position(i))
		}
		// The model keeps its own copies.
		for i, p := range m.pos {
			c := &account.Position{Spec: p.Spec, Side: p.Side, Mode: p.Mode}
			c.Qty.Set(&p.Qty)
			c.Entry.Set(&p.Entry)
			c.Leverage.Set(&p.Leverage)
			c.Margin.Set(&p.Margin)
			c.MMR.Set(&p.MMR)
			c.Cum.Set(&p.Cum)
			c.Tiers = p.Tiers
			m.pos[i] = c
		}
		ids := []string{"a", "b", "c"}
		t.Repeat(map[string]func(*rapid.T){
			"": func(t *rapid.T) { m.check(t, a) },
			"position": func(t *rapid.T) {
				k := rapid.IntRange(0, len(m.mkts)-1).Draw(t, "market")
				mk := m.mkts[k]
				side := rapid.SampledFrom([]account.Side{account.OneWay, account.Long, account.Short}).Draw(t, "side")
				mode := rapid.SampledFrom([]account.Mode{account.Isolated, account.Cross}).Draw(t, "mode")
				for _, p := range m.pos {
					if p.Spec == mk.spec {
						mode = p.Mode
						if p.Side == account.OneWay {
							side = account.OneWay
						} else if side == account.OneWay {
							side = p.Side
						}
					}
				}
				// A quarter of the time, the side and mode drawn stand even
				// where they conflict with a position on the contract.
				var want error
				if rapid.IntRange(0, 3).Draw(t, "conflict") == 0 {
					side = rapid.SampledFrom([]account.Side{account.OneWay, account.Long, account.Short}).Draw(t, "side2")
					mode = rapid.SampledFrom([]account.Mode{account.Isolated, account.Cross}).Draw(t, "mode2")
					for _, p := range m.pos {
						if p.Spec != mk.spec || p.Side == side {
							continue
						}
						switch {
						case (p.Side == account.OneWay) != (side == account.OneWay):
							want = account.ErrSide
						case p.Mode != mode && want == nil:
							want = account.ErrMode
						}
					}
				}
				p := drawPosition(t, mk, m.conv, side, mode, "position")
				p.Tiers = tiersFor(m.conv, mk)
				if err := a.Set(p); want != nil || err != nil {
					if !errors.Is(err, want) {
						t.Fatalf("set %s %v %v: %v, model %v", mk.spec.Symbol, side, mode, err, want)
					}
					return
				}
				for i, q := range m.pos {
					if q.Spec == p.Spec && q.Side == p.Side {
						m.pos[i] = p
						return
					}
				}
				m.pos = append(m.pos, p)
			},
			"close": func(t *rapid.T) {
				if len(m.pos) == 0 {
					t.Skip("no position")
				}
				i := rapid.IntRange(0, len(m.pos)-1).Draw(t, "position")
				p := &account.Position{Spec: m.pos[i].Spec, Side: m.pos[i].Side, Mode: m.pos[i].Mode}
				noErr(t, a.Set(p))
				m.pos = append(m.pos[:i], m.pos[i+1:]...)
			},
			"order": func(t *rapid.T) {
				k := rapid.IntRange(0, len(m.mkts)-1).Draw(t, "market")
				mk := m.mkts[k]
				o := &account.Order{Spec: mk.spec, Side: account.OneWay}
				for _, p := range m.pos {
					if p.Spec == mk.spec {
						o.Side = p.Side
					}
				}
				o.Qty.Set(qty(t, mk, "order qty"))
				o.Price.Set(price(t, mk, "order price"))
				o.Leverage.SetInt64(rapid.Int64Range(1, 20).Draw(t, "order leverage"))
				id := rapid.SampledFrom(ids).Draw(t, "id")
				noErr(t, a.SetOrder(id, o))
				m.orders[id] = o
			},
			"invalid": func(t *rapid.T) {
				mk := m.mkts[rapid.IntRange(0, len(m.mkts)-1).Draw(t, "market")]
				bad := apd.New(-rapid.Int64Range(0, 3).Draw(t, "bad"), 0)
				var err, want error
				switch rapid.IntRange(0, 8).Draw(t, "what") {
				case 0:
					var r account.Report
					err, want = a.Report(&r, rapid.SampledFrom([]int{-1, len(m.pos)}).Draw(t, "index"), liquidation.Exact), account.ErrIndex
				case 1:
					p := drawPosition(t, mk, m.conv, account.OneWay, account.Cross, "bad position")
					p.Spec = nil
					err, want = a.Set(p), account.ErrNoSpec
				case 2:
					p := drawPosition(t, mk, m.conv, account.OneWay, account.Cross, "bad position")
					p.Side = account.Side(rapid.SampledFrom([]int8{0, 4}).Draw(t, "side"))
					err, want = a.Set(p), account.ErrSide
				case 3:
					p := drawPosition(t, mk, m.conv, account.OneWay, account.Isolated, "bad position")
					p.Entry.Set(bad)
					err, want = a.Set(p), derivmath.ErrPrice
				case 4:
					err, want = a.SetMark(nil, price(t, mk, "mark")), account.ErrNoSpec
				case 5:
					err, want = a.SetMark(mk.spec, bad), derivmath.ErrPrice
				case 6:
					o := &account.Order{Spec: mk.spec, Side: account.OneWay}
					for _, p := range m.pos {
						if p.Spec == mk.spec {
							o.Side = p.Side
						}
					}
					o.Qty.Set(qty(t, mk, "order qty"))
					o.Price.Set(bad)
					o.Leverage.SetInt64(2)
					err, want = a.SetOrder(rapid.SampledFrom(ids).Draw(t, "id"), o), derivmath.ErrPrice
				case 7:
					err, want = a.Transfer("USDT", &apd.Decimal{Form: apd.NaN}), derivmath.ErrNaN
				case 8:
					err, want = a.SetWallet("BTC", &apd.Decimal{Form: apd.Infinite}), derivmath.ErrInfinite
				}
				if !errors.Is(err, want) {
					t.Fatalf("%v, want %v", err, want)
				}
			},
			"cancel": func(t *rapid.T) {
				id := rapid.SampledFrom(ids).Draw(t, "id")
				noErr(t, a.SetOrder(id, &account.Order{Spec: m.mkts[0].spec, Side: account.OneWay}))
				delete(m.orders, id)
			},
			"mark": func(t *rapid.T) {
				k := rapid.IntRange(0, len(m.mkts)-1).Draw(t, "market")
				mark := price(t, m.mkts[k], "mark")
				noErr(t, a.SetMark(m.mkts[k].spec, mark))
				m.marks[m.mkts[k].spec] = mark
			},
			"transfer": func(t *rapid.T) {
				cur := rapid.SampledFrom([]string{"USDT", "BTC"}).Draw(t, "currency")
				x := apd.New(rapid.Int64Range(-1e6, 1e6).Draw(t, "amount"), -3)
				noErr(t, a.Transfer(cur, x))
				m.wallets[cur] = add(m.wallets[cur], x)
			},
		})
		_ = strconv.Itoa
	})
}
