package engine

import (
	"errors"
	"slices"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/num"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
)

// compile loads holder h into the state's solver.
func (s *State) compile(h int) error {
	t := s.Trader(h)
	if len(s.acct.Legs) == 0 {
		s.acct.Legs = make([]liquidation.Leg, 1)
	}
	a, l := &s.acct, &s.acct.Legs[0]
	a.Spec, a.Convention = s.spec, s.preset.Convention
	a.Balance.Set(s.balance(Party{s.backing(h), h}))
	a.FeeReserve.Set(&t.FeeReserve)
	l.Qty.Set(&t.Qty)
	l.Cost.Abs(&t.Cost)
	if err := s.spec.Price(&s.ctx, &l.Entry, &t.Qty, &l.Cost); err != nil {
		return err
	}
	l.MMR.Set(&t.MMR)
	l.Cum.Set(&t.Cum)
	l.Tiers = s.Brackets(t)
	return s.solver.Compile(&s.ctx, a)
}

// liquidatable applies the preset's trigger (S2) to trader i at the mark.
func (s *State) liquidatable(i int) (bool, error) {
	t := &s.traders[i]
	if t.Qty.IsZero() {
		return false, nil
	}
	if err := derivmath.CheckPrice(&s.mark); err != nil {
		return false, err
	}
	if err := s.compile(i); err != nil {
		return false, err
	}
	ok, err := s.solver.Liquidatable(&s.mark)
	if err != nil || !ok {
		return ok, err
	}
	if s.preset.Venue == DYDX {
		// dYdX: liquidatable only when TMMR > 0 (risk.go); its fillable
		// price and bankruptcy quote divide by TMMR.
		var tmmr apd.Decimal
		if err := s.maint(&tmmr, t, &t.Qty); err != nil {
			return false, err
		}
		if tmmr.Sign() <= 0 {
			return false, nil
		}
	}
	if s.preset.Trigger == NonStrict {
		return true, nil
	}
	var p apd.Decimal
	st, err := s.solver.Price(&p, liquidation.Exact)
	if err != nil {
		return false, err
	}
	return st != liquidation.Found || p.Cmp(&s.mark) != 0, nil
}

// bankruptcy sets z to holder h's bankruptcy price rounded per r; the mark
// when no price is found (an account bankrupt at every price).
func (s *State) bankruptcy(z *apd.Decimal, h int, r liquidation.Rounding) error {
	t := s.Trader(h)
	if h == Fund {
		// The fund's inventory was taken at the bankruptcy price: its cost
		// over its quantity, off the tick where the cost was rounded (ADL).
		var c apd.Decimal
		c.Abs(&t.Cost)
		return s.spec.Price(&s.ctx, z, &t.Qty, &c)
	}
	if err := s.compile(h); err != nil {
		return err
	}
	st, err := s.solver.Bankruptcy(z, r)
	if err != nil {
		return err
	}
	if st != liquidation.Found {
		z.Set(&s.mark)
	}
	return nil
}

func (s *State) trader(i int) (*Trader, error) {
	if i < 0 || i >= len(s.traders) {
		return nil, ErrTrader
	}
	return &s.traders[i], nil
}

// closing returns trader i for a step that closes its position (S4, S5):
// ErrTrader for no such trader, ErrNotLiquidatable unless it is
// liquidating and holds a position.
func (s *State) closing(i int) (*Trader, error) {
	t, err := s.trader(i)
	if err == nil && (!t.Liquidating || t.Qty.IsZero()) {
		return nil, ErrNotLiquidatable
	}
	return t, err
}

// Trigger is S2: it reports whether trader i is liquidatable at the mark
// by the preset's trigger (equity at or below maintenance, or below it for
// a Strict venue; the maintenance per the preset's liquidation.Convention,
// under Binance's rules of the bracket at the mark: Trader.MMR),
// marks it Liquidating and emits Triggered; an account that was
// liquidating and no longer is emits Restored. A flat account is never
// liquidatable.
//
// Under dYdX's rules (Preset.Venue DYDX) an account is liquidatable only
// while its maintenance, TMMR = max(0, MMR*|V(Q, mark)| - Cum) (see
// Trader), is above zero: "TMMR > 0 and TNC < TMMR" (v4-chain@84d4664b
// protocol/lib/margin/risk.go).
// An account without maintenance (a rate of 0) is not liquidatable however
// negative its equity: dYdX deleverages it instead ([State.MustADL]'s
// ADLDeficit, then [State.ADL]). Its liquidation steps could not run
// anyway: the fillable price and the bankruptcy quote divide by TMMR.
//
// Errors: ErrTrader, derivmath.CheckPrice errors before the mark is set,
// liquidation's errors.
func (s *State) Trigger(dst []Event, i int) ([]Event, bool, error) {
	t, err := s.trader(i)
	if err != nil {
		return dst, false, err
	}
	ok, err := s.liquidatable(i)
	if err != nil {
		return dst, false, err
	}
	var e *Event
	switch {
	case ok:
		t.Liquidating = true
		dst, e = s.emit(dst, StepTrigger, Triggered, i)
		e.Price.Set(&s.mark)
		e.Qty.Set(&t.Qty)
	case t.Liquidating:
		t.Liquidating = false
		dst, e = s.emit(dst, StepTrigger, Restored, i)
		e.Price.Set(&s.mark)
	}
	return dst, ok, nil
}

// Cancel is S3: it removes the open orders of liquidating trader i (per
// the preset's scope) and emits Cancelled for each with the order margin it
// released. Balances, positions and equity do not change; the available
// balance rises by the released margin.
//
// Errors: ErrTrader, ErrNotLiquidatable.
func (s *State) Cancel(dst []Event, i int) ([]Event, error) {
	t, err := s.trader(i)
	if err != nil {
		return dst, err
	}
	if !t.Liquidating {
		return dst, ErrNotLiquidatable
	}
	return s.cancel(dst, StepCancel, i), nil
}

func (s *State) cancel(dst []Event, step Step, i int) []Event {
	t := &s.traders[i]
	if s.preset.Cancel == CancelNone {
		return dst
	}
	for k := range t.Orders {
		var e *Event
		dst, e = s.emit(dst, step, Cancelled, i)
		e.Qty.Set(&t.Orders[k].Qty)
		e.Price.Set(&t.Orders[k].Price)
		e.Amount.Set(&t.Orders[k].Margin)
	}
	t.Orders = t.Orders[:0]
	return dst
}

// StepDown is S4: for liquidating trader i it applies the preset's partial
// rule and returns the intent of a reduce-only order, or 0 when the rule
// closes nothing and the takeover (S5) takes the rest.
//
//   - StepDown (BitMEX, Bybit; Binance's bracket): first lower the risk limit
//     to the tier of the position's value at the mark (the first whose
//     Limit is at least the value; under Binance's rules the bracket
//     State.Brackets looks up, where a value at a Limit is in the bracket
//     above: RiskLimit); if the account is
//     then not liquidatable, emit Restored and return 0. Else, for k from
//     the tier below (under Binance's rules, below the bracket of the value
//     at the mark, even above the trader's Tier: Trader.MMR) down to 0,
//     the quantity q_k = N - N_k that leaves the largest lot multiple N_k
//     whose value fits tier k's limit, accepted when, after a fill of q_k
//     at the assumed price mark*(1 -/+ Slippage), its realised loss, the
//     taker fee and the clearance fee the venue charges on it (Binance),
//     the account is not liquidatable at tier k (under Binance's rules,
//     at the bracket of N_k's value): a FOK (Binance: an IOC) at that
//     price rounded to the tick away from the mark (but at least one
//     tick, as every limit the engine sets), the price the check uses
//     (the size model is unconfirmed). A full fill lowers the tier to k.
//     A tier whose limit holds no lot at the mark (q_k the whole
//     position) ends the walk: no partial close reaches it, and the
//     takeover takes the position.
//   - TierReduce (OKX): from tier 3 up, an IOC down to the first tier's limit,
//     none where the position fits under it, however large the limit.
//   - Portion (Hyperliquid): above PortionNotional, an IOC of Portion of it.
//   - NotionalLimit (dYdX): an IOC at the fillable price for NotionalDYDX's
//     limit, rounded down to the lot.
//   - Slice (Deribit): an IOC of Slice contracts rounded down to the lot,
//     none where that is the whole position or more.
//
// StepDown refuses, with ErrIntentOpen, a trader that holds an open
// intent (a step-down's or a takeover's): each step-down sizes its close
// on the whole position, so two open at once would close it twice over (a
// second FOK at the same tier, all of it, which no partial close may do).
// The caller executes or withdraws the open intent ([State.Execute],
// [State.Withdraw]) and calls StepDown again, which then sizes its close
// on the position left.
//
// Errors: ErrTrader, ErrNotLiquidatable, ErrIntentOpen, and arithmetic or
// solver errors; on error nothing changes.
func (s *State) StepDown(dst []Event, i int) ([]Event, IntentID, error) {
	t, err := s.closing(i)
	if err != nil {
		return dst, 0, err
	}
	if s.closes(i, StepPartial) || s.closes(i, StepTakeover) {
		return dst, 0, ErrIntentOpen
	}
	p := s.preset
	// A failure after the risk limit was lowered undoes it.
	start, seq := s.begin(dst)
	tier0 := t.Tier
	var mmr0, cum0 apd.Decimal
	mmr0.Set(&t.MMR)
	cum0.Set(&t.Cum)
	fail := func(dst []Event, err error) ([]Event, IntentID, error) {
		t.Tier = tier0
		t.MMR.Set(&mmr0)
		t.Cum.Set(&cum0)
		return s.rollback(dst, start, seq), 0, err
	}
	var n, v, q, lim apd.Decimal
	n.Abs(&t.Qty)
	if err := s.spec.Value(&s.ctx, &v, &n, &s.mark); err != nil {
		return fail(dst, err)
	}
	in := Intent{Holder: i, Step: StepPartial, TIF: IOC, tier: -1}
	switch p.Partial {
	case StepDown:
		if t.Tier < 0 {
			return dst, 0, nil
		}
		kpos := len(p.RiskLimits) - 1
		if b := s.Brackets(t); b != nil {
			// Binance's brackets: margin.Tiers's lookup, the one the
			// maintenance follows, where a Limit is the next bracket's
			// floor.
			x, err := num.Check(&v)
			if err == nil {
				kpos, err = b.TierNear(-1, x)
			}
			if err != nil {
				return fail(dst, err)
			}
		} else {
			for k := range p.RiskLimits {
				if v.Cmp(&p.RiskLimits[k].Limit) <= 0 {
					kpos = k
					break
				}
			}
		}
		if kpos < t.Tier {
			s.setTier(t, kpos)
			ok, err := s.liquidatable(i)
			if err != nil {
				return fail(dst, err)
			}
			var e *Event
			dst, e = s.emit(dst, StepPartial, TierLowered, i)
			e.Qty.SetInt64(int64(kpos))
			e.Amount.Set(&t.MMR)
			if !ok {
				t.Liquidating = false
				dst, e = s.emit(dst, StepPartial, Restored, i)
				e.Price.Set(&s.mark)
				return dst, 0, nil
			}
		}
		// The assumed price: mark*(1 - s*slippage).
		lim.Set(&p.Slippage)
		if !t.Qty.Negative {
			lim.Neg(&lim)
		}
		if _, err := s.ctx.Add(&lim, &lim, decOne); err != nil {
			return fail(dst, err)
		}
		if _, err := s.ctx.Mul(&lim, &lim, &s.mark); err != nil {
			return fail(dst, err)
		}
		// To the tick, away from the mark (a sell's down): the acceptance
		// below is judged at the limit itself, the worst fill the FOK takes.
		if err := s.toTick(&lim, closeSide(&t.Qty), false); err != nil {
			return fail(dst, err)
		}
		// The walk starts below the trader's tier; under Binance's rules
		// below the bracket of its notional at the mark, which the
		// maintenance follows (State.Brackets), even above its Tier.
		top := t.Tier
		if s.Brackets(t) != nil {
			top = kpos
		}
		for k := top - 1; k >= 0; k-- {
			var nk apd.Decimal
			if err := s.qtyAt(&nk, &p.RiskLimits[k].Limit); err != nil {
				return fail(dst, err)
			}
			if _, err := s.ctx.Sub(&q, &n, &nk); err != nil {
				return fail(dst, err)
			}
			if q.Sign() <= 0 {
				continue
			}
			if q.Cmp(&n) >= 0 {
				// Tier k holds no lot at the mark, nor does any below:
				// only the whole position's close reaches it, the
				// takeover's (S5).
				q.SetInt64(0)
				break
			}
			ok, err := s.restores(i, k, &q, &lim)
			if err != nil {
				return fail(dst, err)
			}
			if ok {
				// BitMEX and Bybit send a FOK; Binance "one IOC into a
				// lower bracket" (FAQ 360033525271).
				in.TIF, in.tier = FOK, k
				if p.Venue == Binance {
					in.TIF = IOC
				}
				break
			}
			q.SetInt64(0)
		}
	case TierReduce:
		if t.Tier < 1 || len(p.RiskLimits) == 0 {
			return dst, 0, nil
		}
		// A first limit worth the position and a lot at the mark, or
		// more, holds all of it below the first tier's maximum, and
		// PartialOKX closes everything (none here: the takeover's
		// close), as at any larger limit; capped there, a limit the
		// context cannot hold to the lot is no error.
		var max, top apd.Decimal
		if err := s.capBeyond(&top, &p.RiskLimits[0].Limit, &n, true); err != nil {
			return fail(dst, err)
		}
		if err := s.qtyAt(&max, &top); err != nil {
			return fail(dst, err)
		}
		if err := PartialOKX(&s.ctx, &q, &n, t.Tier+1, &max); err != nil {
			return fail(dst, err)
		}
	case Portion:
		if v.Cmp(&p.PortionNotional) > 0 {
			if _, err := s.ctx.Mul(&q, &n, &p.Portion); err != nil {
				return fail(dst, err)
			}
		}
	case NotionalLimit:
		var limN, zero apd.Decimal
		if err := NotionalDYDX(&s.ctx, &limN, &v, &zero, &p.MinNotional, &p.MaxPortion, &p.MaxNotional, &s.spec.Minor); err != nil {
			return fail(dst, err)
		}
		if limN.Cmp(&v) < 0 {
			if err := s.qtyAt(&q, &limN); err != nil {
				return fail(dst, err)
			}
			if q.IsZero() {
				q.Set(&s.spec.Lot)
			}
			if err := s.fillable(&lim, i); err != nil {
				return fail(dst, err)
			}
		}
	case Slice:
		// A slice of at least the position and a lot closes none of it
		// (rounded down to the lot, it still holds the whole position);
		// capped there, a slice the context cannot hold to the lot is no
		// error.
		if err := s.capBeyond(&q, &p.Slice, &n, false); err != nil {
			return fail(dst, err)
		}
	}
	if err := derivmath.Round(&s.ctx, &q, &q, &s.spec.Lot, derivmath.Down); err != nil {
		return fail(dst, err)
	}
	if q.Sign() <= 0 || q.Cmp(&n) >= 0 {
		return dst, 0, nil
	}
	if p.Partial == StepDown || p.Partial == TierReduce {
		// The position the close aims at, which fit holds it to after ADL.
		if err := addExact(&in.keep, &n, &q, true); err != nil {
			return fail(dst, err)
		}
	}
	in.Qty.Set(&q)
	in.Limit.Set(&lim)
	in.Side = closeSide(&t.Qty)
	dst, id := s.addIntent(dst, &in)
	return dst, id, nil
}

// capBeyond sets z to x, capped at the position n and one lot (exactly),
// or at that quantity's value at the mark when value is set: a size x at
// or beyond the cap, rounded down to the lot, holds the whole position as
// the cap does (qtyAt, for a value), and the cap is one the context holds
// to the lot however large x is. StepDown caps Deribit's Slice and OKX's
// first risk limit with it.
func (s *State) capBeyond(z, x, n *apd.Decimal, value bool) error {
	var c apd.Decimal
	if err := addExact(&c, n, &s.spec.Lot, false); err != nil {
		return err
	}
	if value {
		if err := s.spec.Value(&s.ctx, &c, &c, &s.mark); err != nil {
			return err
		}
	}
	if x.Cmp(&c) < 0 {
		c.Set(x)
	}
	z.Set(&c)
	return nil
}

func closeSide(q *apd.Decimal) Side {
	if q.Negative {
		return Buy
	}
	return Sell
}

// restores reports whether closing q of liquidating trader i at price
// would leave it not liquidatable at risk tier k: the trade, its realised
// PnL and the remainder's fee reserve (Trader.FeeReserve) as
// [State.Execute] books them, less the fees the fill would pay (the
// clearance fee where the account closes itself and the venue charges
// one, e.g. Binance: "after its realised loss and clearance fee") and the
// taker fee the size model assumes. The trader is changed only while the
// trigger is evaluated.
func (s *State) restores(i, k int, q, price *apd.Decimal) (bool, error) {
	t := &s.traders[i]
	var q0, c0, r0, b0, m0, cum0, d, v, cost, fee apd.Decimal
	q0.Set(&t.Qty)
	c0.Set(&t.Cost)
	r0.Set(&t.FeeReserve)
	m0.Set(&t.MMR)
	cum0.Set(&t.Cum)
	tier0 := t.Tier
	back := s.balance(Party{s.backing(i), i})
	b0.Set(back)
	restore := func() {
		t.Qty.Set(&q0)
		t.Cost.Set(&c0)
		t.FeeReserve.Set(&r0)
		t.MMR.Set(&m0)
		t.Cum.Set(&cum0)
		t.Tier = tier0
		back.Set(&b0)
	}
	defer restore()
	d.Set(q)
	if !q0.Negative {
		d.Neg(&d)
	}
	if err := s.value(&v, &d, price); err != nil {
		return false, err
	}
	if err := s.round(&v, &v, derivmath.HalfUp); err != nil {
		return false, err
	}
	if _, err := s.ctx.Add(&t.Qty, &q0, &d); err != nil {
		return false, err
	}
	if err := s.reserveAt(&t.FeeReserve, t, &t.Qty); err != nil {
		return false, err
	}
	// The remainder keeps its entry; the difference with c0 + v is
	// realised into the backing.
	if err := s.remainderCost(&cost, &c0, &t.Qty, &q0); err != nil {
		return false, err
	}
	var r apd.Decimal
	if _, err := s.ctx.Sub(&r, &cost, &c0); err != nil {
		return false, err
	}
	if _, err := s.ctx.Sub(&r, &r, &v); err != nil {
		return false, err
	}
	if _, err := s.ctx.Add(back, back, &r); err != nil {
		return false, err
	}
	t.Cost.Set(&cost)
	rates := [2]*apd.Decimal{&s.spec.Taker, nil}
	if s.paysClearance(i) {
		rates[1] = &s.preset.ClearanceFee
	}
	for k, rate := range rates {
		if rate == nil || rate.IsZero() {
			continue
		}
		base := price
		if k == 1 && s.preset.FeeAtMark {
			base = &s.mark
		}
		if err := s.spec.Value(&s.ctx, &fee, q, base); err != nil {
			return false, err
		}
		if _, err := s.ctx.Mul(&fee, &fee, rate); err != nil {
			return false, err
		}
		if err := s.round(&fee, &fee, s.preset.FundRounding); err != nil {
			return false, err
		}
		if _, err := s.ctx.Sub(back, back, &fee); err != nil {
			return false, err
		}
	}
	s.setTier(t, k)
	liq, err := s.liquidatable(i)
	return err == nil && !liq, err
}

// setTier puts trader t at step k of the risk limits: its tier, rate and
// maintenance amount.
func (s *State) setTier(t *Trader, k int) {
	t.Tier = k
	t.MMR.Set(&s.preset.RiskLimits[k].MMR)
	t.Cum.Set(&s.preset.RiskLimits[k].Cum)
}

// paysClearance reports whether holder h's own liquidation fills pay the
// preset's clearance fee to the fund (Binance, Deribit): h closes its own
// position and the venue is not dYdX, whose fee is a share of the surplus.
func (s *State) paysClearance(h int) bool {
	p := s.preset
	return h != Fund && p.Takeover == AccountCloses && p.OrderPrice != AtFillable && !p.ClearanceFee.IsZero()
}

// qtyAt sets z to the largest lot multiple whose value at the mark is at
// most value.
func (s *State) qtyAt(z, value *apd.Decimal) error {
	c := num.In(&s.ctx)
	r := c.MulQuo(num.Load(value), num.Load(&s.mark), s.spec.Kind != contract.Inverse)
	r = c.Quo(r, num.Load(&s.spec.Multiplier))
	if c.Err != nil {
		return bare(c.Err)
	}
	var u apd.Decimal
	r.Store(&u)
	return derivmath.Round(&s.ctx, z, &u, &s.spec.Lot, derivmath.Down)
}

// remainderCost sets z to the cost of what remains of a position of q0
// (cost c0) at q1, of the same sign, which keeps its entry: c0*q1/q0,
// computed as apd computes it in the state's context, rounded half up to
// the minor unit.
func (s *State) remainderCost(z, c0, q1, q0 *apd.Decimal) error {
	c := num.In(&s.ctx)
	r := c.Quo(c.Mul(num.Load(c0), num.Load(q1)), num.Load(q0))
	if c.Err != nil {
		return bare(c.Err)
	}
	r.Store(z)
	return s.round(z, z, derivmath.HalfUp)
}

// dydx sets tnc and tmmr to trader i's net collateral and maintenance at
// the oracle (the mark).
func (s *State) dydx(tnc, tmmr *apd.Decimal, i int, q *apd.Decimal) error {
	t := &s.traders[i]
	if err := s.Equity(tnc, i); err != nil {
		return err
	}
	return s.maint(tmmr, t, q)
}

// maint sets z to trader t's maintenance at the mark for a position of
// q, MMR*|V(q, mark)| - Cum (0 when flat), with MMR and Cum those of the
// bracket of |V(q, mark)| where t has brackets (Binance: State.Brackets),
// else t's own, never below zero: the rule of liquidation.Leg.Cum and
// Leg.Tiers, which the trigger applies through the solver. A Cum of t's
// above MMR*|V| is a tier's kept after the value left it (Trader.Cum).
// Outside brackets it is margin.FlooredMaintenanceDec, on the values
// loaded (no allocation: TestAllocs's dYdX rows run through it).
func (s *State) maint(z *apd.Decimal, t *Trader, q *apd.Decimal) error {
	if q.IsZero() {
		z.SetInt64(0)
		return nil
	}
	var v apd.Decimal
	if err := s.spec.Value(&s.ctx, &v, q, &s.mark); err != nil {
		return err
	}
	if b := s.Brackets(t); b != nil {
		return b.Maintenance(&s.ctx, z, &v)
	}
	// Not rounded to the minor unit (a minor unit of 0), as before the
	// formula was shared; the solver rounds it up under BitMEX's
	// convention only.
	c := num.In(&s.ctx)
	mm := margin.FlooredMaintenanceDec(c, c.Check(&t.MMR), c.Check(&v), c.Check(&t.Cum), num.Dec{})
	return num.Wrap("engine: maintenance", c.Store(z, mm))
}

// fillable sets z to trader i's dYdX fillable price, rounded to the tick
// (up when closing a long, down when closing a short; toTick), at least
// one tick: where the spread SMMR*MMF*ABR is the whole oracle price or
// more (Preset.SpreadToMaintenance), the fillable price of closing a long
// is zero or below (Fillable's derivmath.ErrPrice), and the sell is
// limited at one tick, as dYdX bounds a liquidation order's subticks
// below by one tick (v4-chain ConvertFillablePriceToSubticks).
func (s *State) fillable(z *apd.Decimal, i int) error {
	t := &s.traders[i]
	var tnc, tmmr, pnnv, ps apd.Decimal
	if err := s.dydx(&tnc, &tmmr, i, &t.Qty); err != nil {
		return err
	}
	if err := s.value(&pnnv, &t.Qty, &s.mark); err != nil {
		return err
	}
	if _, err := s.ctx.Mul(&ps, &t.Qty, &s.spec.Multiplier); err != nil {
		return err
	}
	var f apd.Decimal
	err := Fillable(&s.ctx, &f, &pnnv, &tmmr, &ps, &tnc, &tmmr, &s.preset.BankruptcyAdjustment, &s.preset.SpreadToMaintenance)
	if errors.Is(err, derivmath.ErrPrice) {
		f.SetInt64(0) // toTick: one tick
	} else if err != nil {
		return err
	}
	z.Set(&f)
	return s.toTick(z, closeSide(&t.Qty), true)
}

// Takeover is S5 for liquidating trader i.
//
// FundTakes (BitMEX, Bybit, OKX): the fund takes the whole position at the
// bankruptcy price (rounded per the preset), the trader's realised loss is
// booked, and what is left of its margin goes to the fund (a deficit the
// fund pays), so the margin ends at 0; the fund then gets an intent to close
// its inventory at that price (AtBankruptcy) or at market, or none (intent
// 0) when the position netted the fund's inventory to zero.
//
// AccountCloses (Binance, Deribit, dYdX, Hyperliquid, Drift): an intent
// to close the trader's whole position at the bankruptcy price, dYdX's
// fillable price or market; a limit at the bankruptcy price is rounded to
// the tick on the fund's safe side (a sell's up, a buy's down); the fills
// ([State.Execute]) pay the fees and fund deltas (S6).
//
// A limit is never below one tick: a buy whose bankruptcy (or fillable)
// price is under one tick, which rounded down would be 0, a market order,
// is limited at one tick, the nearest price a book quotes; a fill there is
// worse than the bankruptcy price by less than a tick, and the fund covers
// the deficit as for any fill past bankruptcy.
//
// Takeover refuses, with ErrIntentOpen, a trader that holds an open
// takeover intent (AccountCloses): both would close the whole position,
// and fills a book matched for the second would exceed what is left of
// it (ErrOverfill). The caller executes or withdraws the open intent
// first, as for [State.StepDown]. An open step-down intent is no bar (a
// Deribit slice and the takeover may rest together): the fills of the two
// together are held to the position by Execute.
//
// Errors: ErrTrader, ErrNotLiquidatable, ErrIntentOpen, ErrPosition when
// the fund's inventory would have no cost (a value at the bankruptcy price
// that rounds to no minor unit), solver and arithmetic errors; on error
// nothing changes.
func (s *State) Takeover(dst []Event, i int) ([]Event, IntentID, error) {
	t, err := s.closing(i)
	if err != nil {
		return dst, 0, err
	}
	if s.closes(i, StepTakeover) {
		return dst, 0, ErrIntentOpen
	}
	p := s.preset
	var pb, q apd.Decimal
	if p.OrderPrice != AtFillable {
		if err := s.bankruptcy(&pb, i, p.PriceRounding); err != nil {
			return dst, 0, err
		}
	}
	in := Intent{Step: StepTakeover, TIF: p.TIF, tier: -1}
	in.Qty.Abs(&t.Qty)
	if p.Takeover == AccountCloses {
		in.Holder, in.Side = i, closeSide(&t.Qty)
		switch p.OrderPrice {
		case AtBankruptcy:
			in.Limit.Set(&pb)
			if err := s.toTick(&in.Limit, in.Side, true); err != nil {
				return dst, 0, err
			}
		case AtFillable:
			if err := s.fillable(&in.Limit, i); err != nil {
				return dst, 0, err
			}
		}
		dst, id := s.addIntent(dst, &in)
		return dst, id, nil
	}
	start, seq := s.begin(dst)
	q.Set(&t.Qty)
	dst, err = s.trade(dst, StepTakeover, Liquidation, Fund, i, &q, &pb, 0)
	if err != nil {
		return s.rollback(dst, start, seq), 0, err
	}
	var rest apd.Decimal
	rest.Set(s.balance(Party{s.backing(i), i}))
	why := Surplus
	if rest.Negative {
		why = Cover
	}
	dst, err = s.move(dst, StepFund, why, i, Party{s.backing(i), i}, Party{Wallet, Fund}, &rest)
	if err != nil {
		return s.rollback(dst, start, seq), 0, err
	}
	if s.fund.Qty.IsZero() {
		// The position netted the fund's inventory: nothing to close.
		t.Liquidating = false
		return dst, 0, nil
	}
	in.Holder, in.Side = Fund, closeSide(&s.fund.Qty)
	in.Qty.Abs(&s.fund.Qty)
	if p.OrderPrice == AtBankruptcy {
		in.Limit.Set(&pb)
		if err := s.toTick(&in.Limit, in.Side, true); err != nil {
			return s.rollback(dst, start, seq), 0, err
		}
	}
	// Cleared only once nothing can fail, so that a failure changes nothing.
	t.Liquidating = false
	dst, id := s.addIntent(dst, &in)
	return dst, id, nil
}

// toTick rounds the limit z of an order on side to the contract's tick:
// safe, to the better side for the order (a sell's up, a buy's down), so
// that no fill is worse than the price z stood for; else to the worse side.
// A limit is never below one tick: a limit of 0 is a market order
// (Intent), and no price a book quotes lies between 0 and one tick, so a
// price under one tick becomes one tick (as liquidation's rounded prices
// do), worse than z by less than a tick for a buy.
func (s *State) toTick(z *apd.Decimal, side Side, safe bool) error {
	r := derivmath.Floor
	if side == Sell == safe {
		r = derivmath.Ceiling
	}
	if err := derivmath.Round(&s.ctx, z, z, &s.spec.Tick, r); err != nil {
		return err
	}
	if z.Sign() <= 0 {
		z.Set(&s.spec.Tick)
	}
	return nil
}

// Execute passes the fills of intent id back to the engine: each fill is a
// trade between the intent's holder and its maker at the fill's price,
// then S6: for the fund's own inventory its realised PnL is the fund's
// gain or loss, V(fill) - V(bankruptcy); for a liquidated account that
// closes itself, the clearance fee to the fund (Binance, Deribit), paid
// only out of the margin left above bankruptcy (for a takeover's fill, the
// account's equity at its bankruptcy price before the fill, so that an
// unfilled remainder keeps that price; for a partial close's, its equity at
// the mark; less, in both, the fee reserve the remainder keeps), or
// dYdX's fund delta against the bankruptcy quote (the fill is refused when
// the fund cannot pay). An IOC or FOK intent then closes, a GTC intent when
// filled; when the fills close a liquidated account's position its
// negative equity is paid by the fund (and the preset's leftover share
// moves to it): once, so an intent closed without fills after its holder
// is flat settles nothing. A full fill of a step-down order lowers the
// trader's tier to its target, and never raises it: StepDown opens one
// intent per trader at a time, so none should have lowered it further,
// but under Binance's rules the target lies below the bracket at the
// mark, which may be above the recorded Tier (Trader.MMR), and the record
// then stays as it was.
// Closed reports the quantity
// left unfilled: the caller may send it to ADL.
//
// The fills' quantities are summed exactly, whatever their length, and
// compared with the intent's open quantity and the holder's position.
//
// Errors: ErrUnknownIntent, ErrOverfill (a fill of zero or less, more than
// the intent's open quantity or the holder's position, a partial FOK),
// ErrLimit (a sell below its limit, a buy above it), ErrMaker,
// ErrNegativeFund (dYdX: the fund cannot cover), ErrPosition (a fill that
// would leave a position whose cost rounds to no minor unit),
// derivmath.CheckDecimal and CheckPrice errors, ErrInexact, and arithmetic
// and solver errors (the bankruptcy price a clearance fee is capped at).
// On error nothing changes.
func (s *State) Execute(dst []Event, id IntentID, fills []Fill) ([]Event, error) {
	in := s.Intent(id)
	if in == nil {
		return dst, ErrUnknownIntent
	}
	h := s.Trader(in.Holder)
	var sum apd.Decimal
	for k := range fills {
		f := &fills[k]
		if err := check(&f.Qty); err != nil {
			return dst, err
		}
		if err := derivmath.CheckPrice(&f.Price); err != nil {
			return dst, err
		}
		if f.Qty.Sign() <= 0 {
			return dst, ErrOverfill
		}
		if f.Maker == in.Holder || f.Maker < 0 || f.Maker >= len(s.traders) {
			return dst, ErrMaker
		}
		if !in.Limit.IsZero() {
			c := f.Price.Cmp(&in.Limit)
			if in.Side == Sell && c < 0 || in.Side == Buy && c > 0 {
				return dst, ErrLimit
			}
		}
		if err := addExact(&sum, &sum, &f.Qty, false); err != nil {
			return dst, err
		}
	}
	var pos apd.Decimal
	pos.Abs(&h.Qty)
	if sum.Cmp(&in.Qty) > 0 || sum.Cmp(&pos) > 0 || in.TIF == FOK && sum.Cmp(&in.Qty) != 0 ||
		closeSide(&h.Qty) != in.Side && !h.Qty.IsZero() {
		return dst, ErrOverfill
	}
	start, seq := s.begin(dst)
	var err error
	dst, err = s.execute(dst, in, fills)
	if err != nil {
		return s.rollback(dst, start, seq), err
	}
	// Bookkeeping: the open quantity less the fills, exactly (a valid
	// decimal, since each fill changed the holder's quantity exactly).
	var open apd.Decimal
	if err := addExact(&open, &in.Qty, &sum, true); err != nil {
		return s.rollback(dst, start, seq), err
	}
	if err := derivmath.CheckDecimal(&open); err != nil {
		return s.rollback(dst, start, seq), err
	}
	in.Qty.Set(&open)
	// A full fill lowers the tier to the target, never raises it, even if
	// something had lowered it as far already.
	if t := s.Trader(in.Holder); in.tier >= 0 && in.Qty.IsZero() && in.tier < t.Tier {
		s.setTier(t, in.tier)
		var e *Event
		dst, e = s.emit(dst, StepPartial, TierLowered, in.Holder)
		e.Qty.SetInt64(int64(in.tier))
		e.Amount.Set(&t.MMR)
	}
	if in.Holder != Fund && h.Qty.IsZero() {
		h.Liquidating = false
	}
	// A liquidating maker whose resting order closed its position is no
	// longer liquidating either (Trader.Liquidating).
	for k := range fills {
		if m := &s.traders[fills[k].Maker]; m.Qty.IsZero() {
			m.Liquidating = false
		}
	}
	if in.TIF != GTC || in.Qty.IsZero() {
		dst = s.closeIntent(dst, in.Step, in)
	}
	return dst, nil
}

func (s *State) execute(dst []Event, in *Intent, fills []Fill) ([]Event, error) {
	p := s.preset
	hold := in.Holder
	closes := hold != Fund && p.Takeover == AccountCloses
	// Settled below only when these fills close the position: a holder
	// already flat (an intent closed without fills after another intent
	// or ADL closed the position) was settled then.
	held := !s.Trader(hold).Qty.IsZero()
	var err error
	for k := range fills {
		f := &fills[k]
		var d, bq, tnc, tmmr, q1, m1, dmmr, dnnv apd.Decimal
		d.Set(&f.Qty)
		if in.Side == Sell {
			d.Neg(&d)
		}
		dydx := closes && p.OrderPrice == AtFillable
		if dydx {
			t := &s.traders[hold]
			if err := s.dydx(&tnc, &tmmr, hold, &t.Qty); err != nil {
				return dst, err
			}
			if _, err := s.ctx.Add(&q1, &t.Qty, &d); err != nil {
				return dst, err
			}
			if err := s.maint(&m1, t, &q1); err != nil {
				return dst, err
			}
			if _, err := s.ctx.Sub(&dmmr, &m1, &tmmr); err != nil {
				return dst, err
			}
			if err := s.value(&dnnv, &d, &s.mark); err != nil {
				return dst, err
			}
			// In whole quanta, as dYdX's integer quote quantums are:
			// floored, so that the quote keeps its rounding toward
			// +infinity (BankruptQuote) and the fund's share is whole.
			if err := s.round(&dnnv, &dnnv, derivmath.Floor); err != nil {
				return dst, err
			}
			if tmmr.Sign() > 0 {
				if err := BankruptQuote(&s.ctx, &bq, &tnc, &tmmr, &dnnv, &dmmr, &s.spec.Minor); err != nil {
					return dst, err
				}
			} else {
				bq.Neg(&dnnv)
			}
		}
		// The price the clearance fee may not push the account's equity
		// below zero at: a takeover's bankruptcy price before the fill, so
		// that the remainder keeps it; the mark for a partial close.
		var ref apd.Decimal
		if s.paysClearance(hold) {
			if in.Step == StepTakeover {
				if err := s.bankruptcy(&ref, hold, liquidation.Exact); err != nil {
					return dst, err
				}
			} else {
				ref.Set(&s.mark)
			}
		}
		if dst, err = s.trade(dst, in.Step, Liquidation, hold, f.Maker, &d, &f.Price, in.ID); err != nil {
			return dst, err
		}
		if !closes {
			continue
		}
		back := Party{s.backing(hold), hold}
		if dydx {
			var quote, delta apd.Decimal
			if err := s.value(&quote, &d, &f.Price); err != nil {
				return dst, err
			}
			if err := s.round(&quote, &quote, derivmath.HalfUp); err != nil {
				return dst, err
			}
			quote.Neg(&quote) // received: minus what the position's cost rose by
			if err := InsuranceDelta(&s.ctx, &delta, &quote, &bq, &p.ClearanceFee, &s.spec.Minor); err != nil {
				return dst, err
			}
			if delta.Negative {
				var after apd.Decimal
				if _, err := s.ctx.Add(&after, &s.fund.Wallet, &delta); err != nil {
					return dst, err
				}
				if after.Negative {
					return dst, ErrNegativeFund
				}
			}
			if dst, err = s.move(dst, StepFund, FundShare, hold, back, Party{Wallet, Fund}, &delta); err != nil {
				return dst, err
			}
			continue
		}
		if s.paysClearance(hold) {
			var fee apd.Decimal
			if err := s.clearanceFee(&fee, hold, &f.Qty, &f.Price, &ref); err != nil {
				return dst, err
			}
			if fee.Sign() > 0 {
				if dst, err = s.move(dst, StepFund, ClearanceFee, hold, back, Party{Wallet, Fund}, &fee); err != nil {
					return dst, err
				}
			}
		}
	}
	if closes && held && s.traders[hold].Qty.IsZero() {
		return s.settle(dst, hold)
	}
	return dst, nil
}

// clearanceFee sets z to the clearance fee holder h pays on a fill of qty
// at price, after the fill is booked: ClearanceFee of the fill's value (at
// the mark with FeeAtMark), rounded per FundRounding, but at most h's
// equity at ref less the fee reserve its remainder keeps (Trader.
// FeeReserve, already scaled to the remainder), rounded down to the minor
// unit, and never below zero. The fee comes only out of margin left above
// bankruptcy, where the equity is that reserve: it never makes the
// account bankrupt, and a takeover's remainder keeps its bankruptcy price
// (ref), so whoever takes it over later (ADL) pays no part of the fee.
func (s *State) clearanceFee(z *apd.Decimal, h int, qty, price, ref *apd.Decimal) error {
	base := price
	if s.preset.FeeAtMark {
		base = &s.mark
	}
	if err := s.spec.Value(&s.ctx, z, qty, base); err != nil {
		return err
	}
	if _, err := s.ctx.Mul(z, z, &s.preset.ClearanceFee); err != nil {
		return err
	}
	if err := s.round(z, z, s.preset.FundRounding); err != nil {
		return err
	}
	var left apd.Decimal
	if err := s.equityAt(&left, h, ref); err != nil {
		return err
	}
	if _, err := s.ctx.Sub(&left, &left, &s.traders[h].FeeReserve); err != nil {
		return err
	}
	if err := s.round(&left, &left, derivmath.Floor); err != nil {
		return err
	}
	if left.Sign() <= 0 {
		z.SetInt64(0)
	} else if z.Cmp(&left) > 0 {
		z.Set(&left)
	}
	return nil
}

// settle closes the books of a liquidated account whose position is gone:
// the fund pays a negative balance, and takes the preset's leftover share
// of a positive one. Under DriftFunding the fund's payment counts as
// Drift's ifPay only up to min(vault - 1, what is left of MaxInsurance
// with CapInsurance), the vault its balance before it paid and 1 the
// minor unit; the rest is added to what Socialise charges (s.unpaid).
func (s *State) settle(dst []Event, h int) ([]Event, error) {
	back := Party{s.backing(h), h}
	var b apd.Decimal
	b.Set(s.balance(back))
	if b.Negative {
		var pay, loss, w apd.Decimal
		loss.Neg(&b)
		w.Set(&s.fund.Wallet)
		dst, err := s.move(dst, StepFund, Cover, h, back, Party{Wallet, Fund}, &b)
		if err != nil || s.preset.Socialise != DriftFunding {
			return dst, err
		}
		if err := s.insurance(&pay, &loss, &w); err != nil {
			return dst, err
		}
		var insured, unpaid apd.Decimal
		if err := addExact(&insured, &s.insured, &pay, false); err != nil {
			return dst, err
		}
		if err := addExact(&unpaid, &loss, &pay, true); err != nil {
			return dst, err
		}
		if err := addExact(&unpaid, &unpaid, &s.unpaid, false); err != nil {
			return dst, err
		}
		s.write(s.seq, &s.insured, &insured)
		s.write(s.seq, &s.unpaid, &unpaid)
		return dst, nil
	}
	if b.Sign() > 0 && !s.preset.LeftoverShare.IsZero() {
		if _, err := s.ctx.Mul(&b, &b, &s.preset.LeftoverShare); err != nil {
			return dst, err
		}
		if err := s.round(&b, &b, derivmath.Down); err != nil {
			return dst, err
		}
		return s.move(dst, StepFund, Leftover, h, back, Party{Wallet, Fund}, &b)
	}
	return dst, nil
}

// insurance sets z to Drift's ifPay for a loss (> 0) the fund covers from
// the balance vault (protocol-v2@0ae3e3b1 controller/liquidation.rs,
// resolve_perp_bankruptcy):
//
//	ifPay = min(loss, vault - 1, maxInsurance - settledInsurance)
//
// never below 0, 1 the minor unit, the last term only with
// Preset.CapInsurance (MaxInsurance less s.insured, rounded down to the
// minor unit). The cap is rounded only where it binds, below the other
// two terms: they are whole minor units, so a cap at or above them binds
// nothing whether rounded or not, and one beyond what the context holds
// to the minor unit (1e28) is no error.
func (s *State) insurance(z, loss, vault *apd.Decimal) error {
	z.Set(loss)
	var v apd.Decimal
	if err := addExact(&v, vault, &s.spec.Minor, true); err != nil {
		return err
	}
	if v.Cmp(z) < 0 {
		z.Set(&v)
	}
	if s.preset.CapInsurance {
		if err := addExact(&v, &s.preset.MaxInsurance, &s.insured, true); err != nil {
			return err
		}
		if v.Cmp(z) < 0 {
			if err := s.round(z, &v, derivmath.Down); err != nil {
				return err
			}
		}
	}
	if z.Negative {
		z.SetInt64(0)
	}
	return nil
}

// Reprice sets the limit of open intent id (0: no limit), as a fund that
// works its inventory does when the bankruptcy price does not fill (BitMEX:
// the fund pays to aggress; caller policy).
//
// Errors: ErrUnknownIntent, derivmath.CheckDecimal errors, derivmath.ErrPrice
// for a negative limit.
func (s *State) Reprice(id IntentID, limit *apd.Decimal) error {
	in := s.Intent(id)
	if in == nil {
		return ErrUnknownIntent
	}
	if err := check(limit); err != nil {
		return err
	}
	if limit.Negative {
		return derivmath.ErrPrice
	}
	in.Limit.Set(limit)
	return nil
}

// Withdraw closes the open intent id without further fills (the caller
// gives up on a GTC order) and emits Closed with the quantity left.
//
// Errors: ErrUnknownIntent.
func (s *State) Withdraw(dst []Event, id IntentID) ([]Event, error) {
	in := s.Intent(id)
	if in == nil {
		return dst, ErrUnknownIntent
	}
	return s.closeIntent(dst, in.Step, in), nil
}

// ADLInputs are what State.MustADL needs beyond the state: Peak, the
// fund's highest balance over the venue's window (Bybit and OKX: 8 hours;
// zero: no drawdown check), and Running, true once ADL is under way (a
// drawdown then stops only above Preset.ADLStop). It holds a decimal: pass
// it by pointer.
type ADLInputs struct {
	Peak    apd.Decimal
	Running bool
}

// MustADL reports whether S7 must run now for what is left of holder's
// position (a trader's, or the fund's inventory, Fund), by the preset's
// ADLTrigger; it changes nothing. A flat holder never needs ADL; a fund at
// or below zero always does. Otherwise:
//
//	ADLUnfilled     trader: equity at the mark less FeeReserve <= 0 (the mark at or
//	                past its bankruptcy price); fund: V(Q, mark) - Cost <= 0
//	ADLDrawdown     Drawdown(fund, peak, peak) < ADLRatio and fund > ADLThreshold
//	                (Running: <= ADLStop); no check while Peak is zero
//	ADLNetNotional  |V(fund's Q + holder's Q, mark)| > fund (holder's Q once, for the fund)
//	ADLDeficit      equity at the mark < 0
//	ADLRemainder    always
//
// Bybit's drawdown compares symbol PnL with its 8-hour maximum over the
// pool's 8-hour maximum; with one contract per pool, the PnL moves the pool
// one for one, so (pnl - pnlMax)/poolMax is (balance - peak)/peak (derived).
// Sources: https://www.bitmex.com/app/liquidation, Binance FAQ 360033525471,
// https://bybit-exchange.github.io/docs/v5/market/adl-alert, dYdX v4-chain@84d4664b
// x/clob/keeper/deleveraging.go, Hyperliquid docs (Liquidations).
//
// Errors: ErrTrader, derivmath.CheckDecimal errors for in.Peak, ErrNegativeFund
// for a negative peak, derivmath.CheckPrice errors before the mark is set,
// and arithmetic errors.
func (s *State) MustADL(holder int, in *ADLInputs) (bool, error) {
	h := s.Trader(holder)
	if h == nil {
		return false, ErrTrader
	}
	if err := derivmath.CheckDecimal(&in.Peak); err != nil {
		return false, err
	}
	if in.Peak.Negative {
		return false, ErrNegativeFund
	}
	if err := derivmath.CheckPrice(&s.mark); err != nil {
		return false, err
	}
	if h.Qty.IsZero() {
		return false, nil
	}
	fund := &s.fund.Wallet
	p := s.preset
	if fund.Sign() <= 0 || p.ADLTrigger == ADLRemainder {
		return true, nil
	}
	var z apd.Decimal
	switch p.ADLTrigger {
	case ADLUnfilled:
		if holder != Fund {
			// At its bankruptcy price a trader's equity is its fee reserve.
			if err := s.Equity(&z, holder); err != nil {
				return false, err
			}
			if _, err := s.ctx.Sub(&z, &z, &h.FeeReserve); err != nil {
				return false, err
			}
			return z.Sign() <= 0, nil
		}
		if err := s.value(&z, &h.Qty, &s.mark); err != nil {
			return false, err
		}
		if _, err := s.ctx.Sub(&z, &z, &h.Cost); err != nil {
			return false, err
		}
		return z.Sign() <= 0, nil
	case ADLDrawdown:
		if in.Peak.IsZero() {
			return false, nil
		}
		if err := Drawdown(&s.ctx, &z, fund, &in.Peak, &in.Peak); err != nil {
			return false, err
		}
		if in.Running {
			return z.Cmp(&p.ADLStop) <= 0, nil
		}
		return z.Cmp(&p.ADLRatio) < 0 && fund.Cmp(&p.ADLThreshold) > 0, nil
	case ADLNetNotional:
		var q apd.Decimal
		q.Set(&s.fund.Qty)
		if holder != Fund {
			if _, err := s.ctx.Add(&q, &q, &h.Qty); err != nil {
				return false, err
			}
		}
		if err := s.value(&z, &q, &s.mark); err != nil {
			return false, err
		}
		z.Abs(&z)
		return z.Cmp(fund) > 0, nil
	case ADLDeficit:
		if err := s.Equity(&z, holder); err != nil {
			return false, err
		}
		return z.Sign() < 0, nil
	}
	return true, nil
}

// ADL is S7: it closes qty of holder's position (a trader's, or the fund's
// inventory, Fund) against traders on the opposite side, ranked by the
// preset's score (highest first, ties by Preset.ADLTie, by default to the
// lower index; scores taken once per call, so a partly closed trader is
// re-ranked by the next call),
// each closing min(remaining, |Q_j|) at the preset's ADL price (the
// holder's bankruptcy price, or the mark); RankCyclic starts at a
// pseudorandom offset drawn from seed, the only randomness the engine uses.
// Under RankBinance without Preset.BinanceFloor, a profitable candidate
// whose wallet (its margin, if isolated) is zero or less has no finite
// score (ScoreBinance's ErrUnbounded) and ranks first, such candidates
// among themselves by the tie rule (Preset.ADLTie).
// Liquidating traders, under RankBitMEX candidates at or past bankruptcy,
// and under RankHyperliquid positions not in profit are skipped, and under
// Preset.ADLValidity (dYdX) so is a counterparty the close would leave
// under-collateralised with a lower collateral ratio. The ADL'd traders'
// orders are cancelled (unless the preset's scope is CancelNone). A trader
// holder left flat is settled: the fund pays a negative balance, and takes
// the preset's LeftoverShare of a positive one. The opposite quantity and
// what remains to close are summed exactly, whatever their length.
//
// The open intents of the holder and of each trader it deleverages
// (whatever the preset's cancel scope) are fitted to what their
// positions keep, so that a fill of an intent's whole open quantity is
// never more than its holder can close (ErrOverfill): an intent whose
// holder is now flat closes, with the Closed event Withdraw emits (the
// quantity left; step S7), and one asking for more than the position
// left is cut to it, with a Reduced event (its new quantity); the rest
// stay as they were. A step-down intent of the StepDown or TierReduce
// rule closes the position down to a target (the position StepDown
// sized it to leave: the lower tier's lots, OKX's first-tier maximum),
// so it is cut to what still lies above that target, and closes once
// ADL has reached it, so that its fill leaves the position at the
// target and not below it (the tier stays as it was: the cut intent's
// full fill lowers it, else the next StepDown). Each intent is fitted
// to the whole position, not to a share of it: one holder's intents may
// overlap by design (a Deribit slice beside the takeover; each of the
// fund's takeover intents asks for its whole inventory), and Execute
// holds their fills together to the position. So a fund that works its
// takeover's GTC intent (BitMEX: the fund's inventory is deleveraged
// once the mark reaches the price it took it at) needs no Withdraw
// before ADL, and after a partial ADL works the rest with the same
// intent.
//
// The fund's bankruptcy price, for its inventory (holder Fund), is its
// cost over its quantity, at the context's precision and not rounded to
// the tick: the bankruptcy price of the orders it took over (the price at
// which BitMEX, Binance and Bybit deleverage a liquidated order) as the
// ledger holds it, each takeover's value and each sale's remaining cost
// rounded to the minor unit. So it may lie off the tick (59,196.8032...
// for a remainder of 0.122 taken at 59,196.8, its cost 7,222.0096 booked
// as 7,222.01), and the fund passes its inventory on at what it paid,
// whatever the inventory's history: its balance does not move, but for a
// minor unit where a trade's value is an exact half of one. A price
// rounded to the tick would be the takeover's own price only for one
// takeover's remainder worth more than a minor unit per tick, and would
// otherwise move up to half a tick's value of the inventory between the
// fund and the winners (an average of several takeovers' prices is
// rarely on the tick).
//
// Errors: ErrTrader, ErrOverfill for a qty of zero or less or beyond the
// holder's position, ErrNoCounterparty when the opposite side holds, or
// the validity rule admits, less than qty, ErrPosition when a side would
// keep a position whose cost rounds to no minor unit, arithmetic and
// solver errors. On error nothing changes.
func (s *State) ADL(dst []Event, holder int, qty *apd.Decimal, seed uint64) ([]Event, error) {
	h := s.Trader(holder)
	if h == nil {
		return dst, ErrTrader
	}
	if err := check(qty); err != nil {
		return dst, err
	}
	var pos apd.Decimal
	pos.Abs(&h.Qty)
	if qty.Sign() <= 0 || qty.Cmp(&pos) > 0 {
		return dst, ErrOverfill
	}
	var price apd.Decimal
	if s.preset.ADLPrice == ADLMark {
		price.Set(&s.mark)
	} else if err := s.bankruptcy(&price, holder, liquidation.Exact); err != nil {
		return dst, err
	}
	var err error
	if s.rank, err = s.queue(s.rank[:0], holder, seed); err != nil {
		return dst, err
	}
	var avail apd.Decimal
	for k := range s.rank {
		var a apd.Decimal
		a.Abs(&s.traders[s.rank[k].Trader].Qty)
		if err := addExact(&avail, &avail, &a, false); err != nil {
			return dst, err
		}
	}
	if avail.Cmp(qty) < 0 {
		return dst, ErrNoCounterparty
	}
	order := s.rank
	start, seq := s.begin(dst)
	var rem apd.Decimal
	rem.Set(qty)
	n := 0
	for k := range order {
		if rem.IsZero() {
			break
		}
		n = k + 1
		j := order[k].Trader
		var x apd.Decimal
		x.Abs(&s.traders[j].Qty)
		if x.Cmp(&rem) > 0 {
			x.Set(&rem)
		}
		if !h.Qty.Negative {
			x.Neg(&x)
		}
		if s.preset.ADLValidity {
			ok, err := s.valid(j, &x, &price)
			if err != nil {
				return s.rollback(dst, start, seq), err
			}
			if !ok {
				order[k].Trader = -1
				continue
			}
		}
		var a apd.Decimal
		a.Abs(&x)
		if err := addExact(&rem, &rem, &a, true); err != nil {
			return s.rollback(dst, start, seq), err
		}
		if dst, err = s.trade(dst, StepADL, Deleverage, holder, j, &x, &price, 0); err != nil {
			return s.rollback(dst, start, seq), err
		}
	}
	if !rem.IsZero() {
		return s.rollback(dst, start, seq), ErrNoCounterparty
	}
	if holder != Fund && h.Qty.IsZero() {
		if dst, err = s.settle(dst, holder); err != nil {
			return s.rollback(dst, start, seq), err
		}
		h.Liquidating = false
	}
	// Nothing fails from here: the orders and intents the trades left
	// too large go.
	dst = s.fit(dst, StepADL, holder)
	for k := range order[:n] {
		if j := order[k].Trader; j >= 0 {
			dst = s.cancel(dst, StepADL, j)
			dst = s.fit(dst, StepADL, j)
		}
	}
	return dst, nil
}

// valid reports whether trader j may take the holder's side of q (the
// holder's signed change) at price under dYdX v4's rule
// (x/subaccounts/lib/updates.go): an account under-collateralised after
// the change, equity E' below maintenance MM', must keep E'/MM' >= E/MM
// with MM' <= MM, both at the mark; one left flat with E' < 0 is refused.
func (s *State) valid(j int, q, price *apd.Decimal) (bool, error) {
	t := &s.traders[j]
	var e, mm, e1, mm1, q1, vm, vp apd.Decimal
	if err := s.Equity(&e, j); err != nil {
		return false, err
	}
	if err := s.maint(&mm, t, &t.Qty); err != nil {
		return false, err
	}
	// j's change is -q: E' = E + V(-q, mark) - V(-q, price).
	if err := s.value(&vm, q, &s.mark); err != nil {
		return false, err
	}
	if err := s.value(&vp, q, price); err != nil {
		return false, err
	}
	if _, err := s.ctx.Sub(&e1, &vp, &vm); err != nil {
		return false, err
	}
	if _, err := s.ctx.Add(&e1, &e1, &e); err != nil {
		return false, err
	}
	if _, err := s.ctx.Sub(&q1, &t.Qty, q); err != nil {
		return false, err
	}
	if err := s.maint(&mm1, t, &q1); err != nil {
		return false, err
	}
	mm.Abs(&mm)
	mm1.Abs(&mm1)
	if e1.Cmp(&mm1) >= 0 {
		return true, nil
	}
	if mm1.Cmp(&mm) > 0 || mm1.Sign() == 0 || mm.Sign() == 0 {
		return false, nil
	}
	// E'/MM' >= E/MM, with MM, MM' > 0: E'*MM >= E*MM'.
	var l, r apd.Decimal
	if _, err := s.ctx.Mul(&l, &e1, &mm); err != nil {
		return false, err
	}
	if _, err := s.ctx.Mul(&r, &e, &mm1); err != nil {
		return false, err
	}
	return l.Cmp(&r) >= 0, nil
}

// A Candidate is a trader in an ADL queue ([State.AppendADLQueue]): its
// index and its ADL score under the preset's ranking. Under RankBinance
// without Preset.BinanceFloor, a profitable candidate whose wallet (its
// margin, if isolated) is zero or less has no finite score
// (ScoreBinance's ErrUnbounded): Unbounded is then true, Score is zero,
// and the candidate ranks above every finite score. RankCyclic and
// RankIndex have no score: Score is zero and ranks nothing.
type Candidate struct {
	Trader    int
	Score     apd.Decimal
	Unbounded bool
}

// AppendADLQueue appends to dst the ADL queue for holder's position (a
// trader's, or the fund's inventory, Fund): the candidates [State.ADL]
// would close it against, in the order it would close them, each with its
// score, as ADL ranks them (one code for both). Called with ADL's seed,
// RankCyclic's queue starts at the offset ADL draws from it; the other
// rankings ignore the seed. Liquidating traders, under RankBitMEX
// candidates at or past bankruptcy, and under RankHyperliquid positions
// not in profit are left out; ties are broken by Preset.ADLTie. Under
// Preset.ADLValidity (dYdX) the queue is the order in which ADL considers
// the candidates: whether the close would leave one under-collateralised
// depends on the quantity closed and the holder's price, which the queue
// does not know, so ADL may skip a candidate the queue lists. A flat
// holder has no opposite side: its queue is empty. Ranking the queue
// into buckets (BitMEX's five lights, Binance's adlQuantile) is the
// caller's.
//
// AppendADLQueue only reads the State. It takes O(n log n) time in the
// number n of traders. When dst has room for the queue it allocates
// nothing at the default precision, under every ranking, and neither
// does ADL's ranking.
//
// Errors: ErrTrader, and the scores' arithmetic errors. On error dst is
// returned as it was.
func (s *State) AppendADLQueue(dst []Candidate, holder int, seed uint64) ([]Candidate, error) {
	h := s.Trader(holder)
	if h == nil {
		return dst, ErrTrader
	}
	if h.Qty.IsZero() {
		return dst, nil
	}
	return s.queue(dst, holder, seed)
}

// queue appends to dst the candidates opposite holder (known) in ADL
// order, reusing the storage of dst's spare elements, and returns dst as
// it was on error.
func (s *State) queue(dst []Candidate, holder int, seed uint64) ([]Candidate, error) {
	n := len(dst)
	h := s.Trader(holder)
	for j := range s.traders {
		t := &s.traders[j]
		if j == holder || t.Liquidating || t.Qty.IsZero() || t.Qty.Negative == h.Qty.Negative {
			continue
		}
		if s.preset.ADL == RankHyperliquid {
			// Hyperliquid deleverages profitable positions only.
			var pr apd.Decimal
			if err := s.profit(&pr, j); err != nil {
				return dst[:n], err
			}
			if pr.Sign() <= 0 {
				continue
			}
		}
		if len(dst) < cap(dst) {
			dst = dst[:len(dst)+1]
		} else {
			dst = append(dst, Candidate{})
		}
		c := &dst[len(dst)-1]
		c.Trader, c.Unbounded = j, false
		err := s.score(&c.Score, j)
		switch {
		case errors.Is(err, ErrBankrupt):
			dst = dst[:len(dst)-1]
		case errors.Is(err, ErrUnbounded):
			c.Unbounded = true
			c.Score.SetInt64(0)
		case err != nil:
			return dst[:n], err
		}
	}
	s.order(dst[n:], seed)
	return dst, nil
}

// positiveZero makes a zero x positive: x - x is -0 in a context that
// rounds toward -infinity, and the scores, like every function of
// derivmath, refuse a -0 operand.
func positiveZero(x *apd.Decimal) {
	if x.IsZero() {
		x.Negative = false
	}
}

// score sets z to trader j's ADL score per the preset.
func (s *State) score(z *apd.Decimal, j int) error {
	t := &s.traders[j]
	var vm, eq, upnl, mm apd.Decimal
	if err := s.value(&vm, &t.Qty, &s.mark); err != nil {
		return err
	}
	if err := s.Equity(&eq, j); err != nil {
		return err
	}
	if _, err := s.ctx.Sub(&upnl, &vm, &t.Cost); err != nil {
		return err
	}
	positiveZero(&upnl)
	back := s.balance(Party{s.backing(j), j})
	switch s.preset.ADL {
	case RankBitMEX:
		// V(P_B) = Cost - backing + reserve: equity less reserve is zero there.
		var vb apd.Decimal
		if _, err := s.ctx.Sub(&vb, &t.Cost, back); err != nil {
			return err
		}
		if _, err := s.ctx.Add(&vb, &vb, &t.FeeReserve); err != nil {
			return err
		}
		positiveZero(&vb)
		return ScoreBitMEX(&s.ctx, z, &vm, &t.Cost, &vb)
	case RankBinance:
		if err := s.maint(&mm, t, &t.Qty); err != nil {
			return err
		}
		return ScoreBinance(&s.ctx, z, &upnl, back, &mm, s.preset.BinanceFloor)
	case RankHyperliquid:
		if upnl.Sign() <= 0 {
			z.SetInt64(0)
			return nil
		}
		var entry, c, notional apd.Decimal
		c.Abs(&t.Cost)
		if err := s.spec.Price(&s.ctx, &entry, &t.Qty, &c); err != nil {
			return err
		}
		notional.Abs(&vm)
		if t.Qty.Negative && s.preset.ShortRatio == ShortEntryOverMark {
			return ScoreHyperliquid(&s.ctx, z, &entry, &s.mark, &notional, &eq)
		}
		return ScoreHyperliquid(&s.ctx, z, &s.mark, &entry, &notional, &eq)
	case RankOKX:
		// roi = s*(mark - entry)/entry (ScoreOKX), of every kind: for an
		// inverse contract uPnL/|Cost| would be s*(mark - entry)/mark.
		var roi, cost, entry, ratio apd.Decimal
		cost.Abs(&t.Cost)
		if err := s.spec.Price(&s.ctx, &entry, &t.Qty, &cost); err != nil {
			return err
		}
		c := num.In(&s.ctx)
		e := num.Load(&entry)
		r := c.Quo(c.Sub(num.Load(&s.mark), e), e)
		if c.Err != nil {
			return bare(c.Err)
		}
		if t.Qty.Negative {
			r = r.Neg()
		}
		// Through the result gate: it is the score itself below, where
		// x - x is -0 in a context rounding toward -infinity.
		if err := c.Store(&roi, r); err != nil {
			return bare(err)
		}
		if err := s.maint(&mm, t, &t.Qty); err != nil {
			return err
		}
		if mm.Sign() <= 0 || eq.Sign() <= 0 {
			z.Set(&roi)
			return nil
		}
		if c.Quo(num.Load(&eq), num.Load(&mm)).Store(&ratio); c.Err != nil {
			return bare(c.Err)
		}
		return ScoreOKX(&s.ctx, z, &roi, &ratio)
	}
	z.SetInt64(0)
	return nil
}

// order puts q, the candidates in index order, in ADL order: by score,
// highest first, unbounded scores above every finite one, equal scores by
// Preset.ADLTie (a total order: the sort need not be stable); RankIndex in
// index order, and RankCyclic in index order from an offset drawn from
// seed, wrapping around.
func (s *State) order(q []Candidate, seed uint64) {
	switch s.preset.ADL {
	case RankCyclic:
		if n := len(q); n > 0 {
			// Rotate left by off: q[k] becomes q[(k+off)%n].
			off := int(splitmix(seed) % uint64(n))
			slices.Reverse(q[:off])
			slices.Reverse(q[off:])
			slices.Reverse(q)
		}
	case RankIndex:
	default:
		higher := s.preset.ADLTie == TieHigherIndex
		slices.SortFunc(q, func(a, b Candidate) int {
			if a.Unbounded != b.Unbounded {
				if a.Unbounded {
					return -1
				}
				return 1
			}
			if c := b.Score.Cmp(&a.Score); c != 0 {
				return c
			}
			if higher {
				return b.Trader - a.Trader
			}
			return a.Trader - b.Trader
		})
	}
}

// splitmix is SplitMix64's output function: a seeded, portable draw.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// Socialise is S8: when the fund's balance is negative (under DriftFunding,
// also when Drift's insurance leaves part of a covered loss unpaid) it
// charges the loss per the preset. Clawback: every trader with a position
// in profit at the mark pays out of its profit p (rounded down to the minor
// unit), per Preset.Split. SplitProRata: p times min(loss, Σp)/Σp, one rate
// for all ([ClawbackRate]'s, with a cover of 0; the rate itself never
// rounded), multiplied before dividing and rounded up to the minor unit
// once. SplitEqual: min(p, λ), one level for all, λ rounded up to the minor
// unit: with the winners' p in ascending order, λ = r_k/(n - k) at the
// first k where p_k x (n - k) >= r_k, r_k the loss less the k smaller
// profits, n the number of winners (λ = max p when Σp <= loss). Either way
// the fund ends whole when the profits cover its loss (the excess, under
// one unit per winner, stays with it), and no charge exceeds p. The product
// and the quotient are exact while they fit the context's precision;
// beyond, they are rounded up too. DriftFunding: every open position pays
// delta per contract, delta = loss/Σ|Q| rounded up to the minor unit, the
// excess going to the fund; the loss is the larger of the fund's deficit
// and what the fund covered beyond Drift's insurance payment
// (State.Unsocialised, which it then clears; Preset.CapInsurance), so that
// the fund keeps a minor unit of what it had, as Drift's vault does, and
// pays no more than MaxInsurance under CapInsurance. Flat traders are never
// charged. The profits (or quantities) are summed exactly, whatever their
// length: a sum rounded up would lower the rate and leave the fund short.
//
// Errors: arithmetic errors; on error nothing changes.
func (s *State) Socialise(dst []Event) ([]Event, error) {
	var loss, total apd.Decimal
	loss.Neg(&s.fund.Wallet)
	if s.preset.Socialise == DriftFunding && loss.Cmp(&s.unpaid) < 0 {
		loss.Set(&s.unpaid)
	}
	if loss.Sign() <= 0 || s.preset.Socialise == SocialiseNone {
		return dst, nil
	}
	equal := s.preset.Socialise == Clawback && s.preset.Split == SplitEqual
	s.rank = s.rank[:0]
	for j := range s.traders {
		t := &s.traders[j]
		if t.Qty.IsZero() {
			continue
		}
		var x apd.Decimal
		if s.preset.Socialise == DriftFunding {
			x.Abs(&t.Qty)
		} else if err := s.chargeable(&x, j); err != nil {
			return dst, err
		}
		if err := addExact(&total, &total, &x, false); err != nil {
			return dst, err
		}
		if equal && x.Sign() > 0 {
			s.rank = append(s.rank, Candidate{Trader: j})
			s.rank[len(s.rank)-1].Score.Set(&x)
		}
	}
	if total.Sign() <= 0 {
		return dst, nil
	}
	// Clawback charges round up: with one directed rounding the context
	// rounds up too, so that no step can leave the fund short.
	up := s.ctx
	up.Rounding = apd.RoundCeiling
	var rate apd.Decimal
	switch {
	case s.preset.Socialise == DriftFunding:
		c := num.In(&s.ctx)
		r := c.Quo(num.Load(&loss), num.Load(&total))
		if c.Err != nil {
			return dst, bare(c.Err)
		}
		r.Store(&rate)
		if err := s.round(&rate, &rate, derivmath.Ceiling); err != nil {
			return dst, err
		}
	case loss.Cmp(&total) >= 0:
		loss.Set(&total) // every profit is charged in full: rate 1
		rate.Set(&total) // SplitEqual: a level at or above every profit
	case equal:
		if err := s.level(&rate, &up, &loss); err != nil {
			return dst, err
		}
	}
	start, seq := s.begin(dst)
	for j := range s.traders {
		t := &s.traders[j]
		if t.Qty.IsZero() {
			continue
		}
		var x apd.Decimal
		if s.preset.Socialise == DriftFunding {
			x.Abs(&t.Qty)
			if _, err := s.ctx.Mul(&x, &x, &rate); err != nil {
				return s.rollback(dst, start, seq), err
			}
			if err := s.round(&x, &x, derivmath.Ceiling); err != nil {
				return s.rollback(dst, start, seq), err
			}
		} else {
			// Pro rata: ClawbackRate's charge, min(profit,
			// profit*loss/Σ profits), multiplied before dividing,
			// rounded up to the minor unit once; equal: the level. At
			// most the profit.
			if err := s.chargeable(&x, j); err != nil {
				return s.rollback(dst, start, seq), err
			}
			if equal {
				if rate.Cmp(&x) < 0 {
					x.Set(&rate)
				}
			} else {
				c := num.In(&up)
				r := clawback(c, num.Load(&x), num.Load(&loss), num.Dec{}, num.Load(&total))
				if c.Err != nil {
					return s.rollback(dst, start, seq), bare(c.Err)
				}
				r.Store(&x)
				if err := derivmath.Round(&up, &x, &x, &s.spec.Minor, derivmath.Ceiling); err != nil {
					return s.rollback(dst, start, seq), err
				}
			}
		}
		var err error
		if dst, err = s.move(dst, StepSocialise, Socialised, j, Party{s.backing(j), j}, Party{Wallet, Fund}, &x); err != nil {
			return s.rollback(dst, start, seq), err
		}
	}
	if s.preset.Socialise == DriftFunding && !s.unpaid.IsZero() {
		var zero apd.Decimal
		s.write(s.seq, &s.unpaid, &zero)
	}
	return dst, nil
}

// level sets z to SplitEqual's level for a loss below the sum of the
// winners' chargeable profits, which s.rank holds (sorted here): with the profits in
// ascending order, r_k/(n - k) at the first k where p_k x (n - k) >= r_k,
// r_k the loss less the k smaller profits, computed in up (rounding up)
// and rounded up to the minor unit. The profits are compared and
// subtracted exactly.
func (s *State) level(z *apd.Decimal, up *apd.Context, loss *apd.Decimal) error {
	// Equal profits may come in any order: the level is the same.
	w := s.rank
	slices.SortFunc(w, func(a, b Candidate) int { return a.Score.Cmp(&b.Score) })
	exact := apd.BaseContext
	var r, x apd.Decimal
	r.Set(loss)
	n := len(w)
	for k := range w {
		p := &w[k].Score
		var m apd.Decimal
		m.SetInt64(int64(n - k))
		if _, err := exact.Mul(&x, p, &m); err != nil {
			return err
		}
		if x.Cmp(&r) >= 0 {
			c := num.In(up)
			l := c.Quo(num.Load(&r), num.FromInt64(int64(n-k)))
			if c.Err != nil {
				return bare(c.Err)
			}
			l.Store(z)
			return derivmath.Round(up, z, z, &s.spec.Minor, derivmath.Ceiling)
		}
		if err := addExact(&r, &r, p, true); err != nil {
			return err
		}
	}
	// Unreachable for a loss below the profits' sum: the largest profit
	// alone meets what is left. Charge every profit in full.
	z.Set(&w[n-1].Score)
	return nil
}

// chargeable sets z to trader j's profit at the mark rounded down to the
// minor unit: what a clawback can charge.
func (s *State) chargeable(z *apd.Decimal, j int) error {
	if err := s.profit(z, j); err != nil {
		return err
	}
	return s.round(z, z, derivmath.Down)
}

// profit sets z to max(0, uPnL) of trader j at the mark.
func (s *State) profit(z *apd.Decimal, j int) error {
	t := &s.traders[j]
	if err := s.value(z, &t.Qty, &s.mark); err != nil {
		return err
	}
	if _, err := s.ctx.Sub(z, z, &t.Cost); err != nil {
		return err
	}
	if z.Negative {
		z.SetInt64(0)
	}
	return nil
}
