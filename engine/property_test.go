package engine_test

import (
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/engine/internal/enginetest"
	"github.com/derivmath/derivmath/liquidation"
	"pgregory.net/rapid"
)

// script feeds a pipeline its choices, so that a run can be replayed.
type script struct {
	v []int
	k int
}

func (s *script) next(n int) int {
	if n <= 0 || len(s.v) == 0 {
		return 0
	}
	x := s.v[s.k%len(s.v)]
	s.k++
	return x % n
}

type checker interface {
	Helper()
	Fatalf(format string, args ...any)
}

// fills draws fills for intent id from the street (trader 0) within its
// limit: all or none for a FOK.
func fills(st *engine.State, id engine.IntentID, sc *script) []engine.Fill {
	in := st.Intent(id)
	var mark, tick apd.Decimal
	st.Mark(&mark)
	tick.Set(&st.Spec().Tick)
	ctx := derivmath.NewContext()
	var qty apd.Decimal
	qty.Set(&in.Qty)
	n, _ := qty.Int64()
	take := n
	switch in.TIF {
	case engine.FOK:
		if sc.next(2) == 0 {
			return nil
		}
	default:
		take = int64(sc.next(int(n) + 1))
	}
	if take == 0 {
		return nil
	}
	var px apd.Decimal
	if in.Limit.IsZero() {
		px.Set(&mark)
	} else {
		px.Set(&in.Limit)
	}
	var off apd.Decimal
	off.SetInt64(int64(sc.next(6)))
	_, _ = ctx.Mul(&off, &off, &tick)
	// Better than the limit: higher for a sell, lower for a buy; with no
	// limit either way.
	if in.Side == engine.Buy || in.Limit.IsZero() && sc.next(2) == 0 {
		off.Neg(&off)
	}
	_, _ = ctx.Add(&px, &px, &off)
	r := derivmath.Ceiling // a sell's fill at or above its limit
	if in.Side == engine.Buy {
		r = derivmath.Floor
	}
	_ = derivmath.Round(ctx, &px, &px, &tick, r)
	if px.Sign() <= 0 {
		px.Set(&tick)
	}
	if in.Side == engine.Buy && !in.Limit.IsZero() && px.Cmp(&in.Limit) > 0 {
		px.Set(&in.Limit)
	}
	out := make([]engine.Fill, 1, 2)
	if take > 1 && in.TIF != engine.FOK && sc.next(2) == 0 {
		out = append(out, engine.Fill{})
		out[1].Qty.SetInt64(take / 2)
		out[1].Price.Set(&px)
		take -= take / 2
	}
	out[0].Qty.SetInt64(take)
	out[0].Price.Set(&px)
	return out
}

var allowed = []error{engine.ErrNoCounterparty, engine.ErrNegativeFund}

func ok(t checker, err error) bool {
	t.Helper()
	if err == nil {
		return true
	}
	for _, a := range allowed {
		if errors.Is(err, a) {
			return false
		}
	}
	t.Fatalf("unexpected error: %v", err)
	return false
}

func backing(st *engine.State, i int) *apd.Decimal {
	tr := st.Trader(i)
	if tr.Mode == account.Isolated {
		return &tr.Margin
	}
	return &tr.Wallet
}

// pipeline runs S2..S8 for trader i, checking the invariants of each step.
func pipeline(t checker, st *engine.State, i int, sc *script, seed uint64) []engine.Event {
	t.Helper()
	p := st.Preset()
	var ev []engine.Event
	ev, liq, err := st.Trigger(ev, i)
	if !ok(t, err) || !liq {
		return ev
	}
	// ADL at the bankruptcy price closes the account's remainder no worse
	// than the mark for its winners when the account was solvent at the
	// trigger (its equity above its fee reserve, which bankruptcy keeps)
	// and sold (bought) only at its limits: its fees come out of what is
	// left above bankruptcy, never below it.
	var mark0, eq0 apd.Decimal
	st.Mark(&mark0)
	ok(t, st.Equity(&eq0, i))
	_, _ = derivmath.NewContext().Sub(&eq0, &eq0, &st.Trader(i).FeeReserve)
	atLimits := true
	ev, err = st.Cancel(ev, i)
	ok(t, err)
	if len(st.Trader(i).Orders) != 0 && p.Cancel != engine.CancelNone {
		t.Fatalf("orders left after S3")
	}
	for k := 0; k < 4 && st.Trader(i).Liquidating; k++ {
		var id engine.IntentID
		tier := st.Trader(i).Tier
		ev, id, err = st.StepDown(ev, i)
		if errors.Is(err, engine.ErrIntentOpen) {
			break // TestModel's step-down or takeover left one open: the takeover takes the rest
		}
		if !ok(t, err) || id == 0 {
			break
		}
		if st.Trader(i).Tier > tier {
			t.Fatalf("S4 raised the tier %d -> %d", tier, st.Trader(i).Tier)
		}
		var q0 apd.Decimal
		q0.Set(&st.Trader(i).Qty)
		in := st.Intent(id)
		fok := in.TIF == engine.FOK
		var want apd.Decimal
		want.Set(&in.Qty)
		f := fills(st, id, sc)
		if f == nil {
			ev, err = st.Withdraw(ev, id)
			ok(t, err)
			break
		}
		if in.Limit.IsZero() {
			atLimits = false
		}
		ev, err = st.Execute(ev, id, f)
		if !ok(t, err) {
			ev, _ = st.Withdraw(ev, id) // its Closed event kept, for TestModel
			break
		}
		var moved apd.Decimal
		_, _ = derivmath.NewContext().Sub(&moved, &q0, &st.Trader(i).Qty)
		moved.Abs(&moved)
		if fok && moved.Cmp(&want) != 0 {
			t.Fatalf("FOK filled %s of %s", moved.String(), want.String())
		}
		if enginetest.AbsGreater(&st.Trader(i).Qty, &q0) || st.Trader(i).Qty.Negative != q0.Negative && !st.Trader(i).Qty.IsZero() {
			t.Fatalf("S4 not reduce-only: %s -> %s", q0.String(), st.Trader(i).Qty.String())
		}
		var still bool
		ev, still, err = st.Trigger(ev, i)
		ok(t, err)
		// S4 accepted this FOK (Binance: IOC, when it fills in full)
		// because, at its limit, after the realised loss and every fee
		// the fill pays, the account is no longer liquidatable at the
		// new tier: so it must not be.
		if (fok || p.Partial == engine.StepDown && moved.Cmp(&want) == 0) && still {
			t.Fatalf("a step-down filled in full at its limit or better, yet the account is still liquidatable:\n%s", enginetest.EventsText(ev))
		}
	}
	if !st.Trader(i).Liquidating {
		return ev
	}
	var id engine.IntentID
	ev, id, err = st.Takeover(ev, i)
	if errors.Is(err, engine.ErrIntentOpen) {
		return ev // TestModel's takeover left one open: its fills come first
	}
	if !ok(t, err) {
		return ev
	}
	if p.Takeover == engine.FundTakes {
		if !st.Trader(i).Qty.IsZero() || !backing(st, i).IsZero() {
			t.Fatalf("after a fund takeover: qty %s, margin %s", st.Trader(i).Qty.String(), backing(st, i).String())
		}
	}
	if id == 0 {
		// The position netted the fund's inventory: nothing to close.
		if !st.Trader(engine.Fund).Qty.IsZero() {
			t.Fatalf("no takeover intent, yet the fund holds %s", st.Trader(engine.Fund).Qty.String())
		}
		return socialise(t, st, ev)
	}
	holder := st.Intent(id).Holder
	if f := fills(st, id, sc); f != nil {
		if st.Intent(id).Limit.IsZero() {
			atLimits = false
		}
		ev, err = st.Execute(ev, id, f)
		ok(t, err)
	}
	if st.Intent(id) != nil {
		ev, err = st.Withdraw(ev, id)
		ok(t, err)
	}
	if holder != engine.Fund && st.Trader(i).Qty.IsZero() && backing(st, i).Negative {
		t.Fatalf("liquidated account's balance %s < 0 after takeover", backing(st, i).String())
	}
	// S7 for what is left.
	var rest apd.Decimal
	rest.Abs(&st.Trader(holder).Qty)
	if !rest.IsZero() && (holder == engine.Fund || st.Trader(holder).Liquidating) {
		n0 := len(ev)
		before := st.Clone()
		ev, err = st.ADL(ev, holder, &rest, seed)
		if ok(t, err) {
			checkADL(t, before, st, ev[n0:], holder, &rest)
			// Each fill books its value rounded half-up to the minor unit
			// (as BitMEX books execCost), which can cost the account up
			// to half a unit: one within that of bankruptcy at the
			// trigger can be past it when ADL prices the rest, a hair
			// beyond the mark. So the check asks for a unit of equity a
			// fill of the account's before the ADL.
			var slack apd.Decimal
			for k := range ev[:n0] {
				if e := &ev[k]; e.Kind == engine.Trade && (e.Trader == i || e.Counterparty == i) {
					_, _ = derivmath.NewContext().Add(&slack, &slack, &st.Spec().Minor)
				}
			}
			if holder == i && p.ADLPrice == engine.ADLBankruptcy && eq0.Cmp(&slack) >= 0 && atLimits {
				long := !before.Trader(i).Qty.Negative
				for k := n0; k < len(ev); k++ {
					e := &ev[k]
					if e.Kind != engine.Trade || e.Step != engine.StepADL {
						continue
					}
					if c := e.Price.Cmp(&mark0); long && c > 0 || !long && c < 0 {
						t.Fatalf("ADL of trader %d (qty %s) at %s, beyond the mark %s at its trigger (equity there above its fee reserve %s):\n%s",
							i, before.Trader(i).Qty.String(), e.Price.String(), mark0.String(), eq0.String(), enginetest.EventsText(ev))
					}
				}
			}
		}
	}
	if holder != engine.Fund && st.Trader(i).Qty.IsZero() && backing(st, i).Negative {
		t.Fatalf("liquidated account's balance %s < 0 after ADL", backing(st, i).String())
	}
	return socialise(t, st, ev)
}

// socialise runs S8 on st, appending its events to ev, and checks them
// (checkSocialise).
func socialise(t checker, st *engine.State, ev []engine.Event) []engine.Event {
	before := st.Clone()
	n0 := len(ev)
	ev, err := st.Socialise(ev)
	if ok(t, err) {
		checkSocialise(t, before, st, ev[n0:])
	}
	return ev
}

// checkSocialise checks S8: nothing happens while the fund is not short;
// flat traders are never charged (Hyperliquid's rule, every venue here);
// a clawback charges each trader exactly min(p, ceil(p*L/P)) with p its
// profit rounded down to the minor unit, P the sum of the p and
// L = min(loss, P), recomputed here at 50 digits: one rate L/P for all,
// none without profit, at most the profit, and a fund whole again (to the
// minor unit) whenever the profits cover its loss; Drift's per-contract
// charge delta satisfies 0 <= delta*Σ|Q| - loss < μ*Σ|Q|.
func checkSocialise(t checker, before, after *engine.State, ev []engine.Event) {
	t.Helper()
	ctx := derivmath.NewContext()
	wide := apd.BaseContext.WithPrecision(50)
	p := before.Preset()
	var loss, mark, unpaid apd.Decimal
	before.FundBalance(&loss)
	before.Mark(&mark)
	loss.Neg(&loss)
	before.Unsocialised(&unpaid)
	if p.Socialise != engine.DriftFunding && !unpaid.IsZero() {
		t.Fatalf("unsocialised %s under %s", unpaid.String(), p.Socialise)
	}
	if loss.Cmp(&unpaid) < 0 {
		loss.Set(&unpaid) // Drift: what its insurance left unpaid
	}
	if loss.Sign() <= 0 || p.Socialise == engine.SocialiseNone {
		if len(ev) != 0 {
			t.Fatalf("S8 acted with a loss of %s under %s", loss.String(), p.Socialise)
		}
		return
	}
	minor := &before.Spec().Minor
	var sum, open, profits apd.Decimal
	charges := make([]apd.Decimal, before.Len())
	chargeable := make([]apd.Decimal, before.Len())
	for j := 0; j < before.Len(); j++ {
		c := &charges[j]
		_, _ = ctx.Sub(c, backing(before, j), backing(after, j))
		q := &before.Trader(j).Qty
		if q.IsZero() {
			if !c.IsZero() {
				t.Fatalf("flat trader %d charged %s", j, c.String())
			}
			continue
		}
		var a apd.Decimal
		a.Abs(q)
		_, _ = ctx.Add(&open, &open, &a)
		_, _ = ctx.Add(&sum, &sum, c)
		if p.Socialise != engine.Clawback {
			continue
		}
		profit := &chargeable[j]
		_ = before.Spec().Value(wide, profit, &a, &mark)
		if q.Negative != (before.Spec().Kind == contract.Inverse) {
			profit.Neg(profit)
		}
		_, _ = wide.Sub(profit, profit, &before.Trader(j).Cost)
		if profit.Sign() <= 0 {
			profit.SetInt64(0)
		}
		_ = derivmath.Round(wide, profit, profit, minor, derivmath.Down)
		_, _ = wide.Add(&profits, &profits, profit)
	}
	switch {
	case p.Socialise == engine.Clawback && p.Split == engine.SplitEqual:
		checkEqualSplit(t, after, charges, chargeable, &loss, &profits)
	case p.Socialise == engine.Clawback:
		l := &loss
		if profits.Cmp(&loss) < 0 {
			l = &profits
		}
		for j := range charges {
			var want apd.Decimal
			if pj := &chargeable[j]; pj.Sign() > 0 {
				_, _ = wide.Mul(&want, pj, l)
				_, _ = wide.Quo(&want, &want, &profits)
				_ = derivmath.Round(wide, &want, &want, minor, derivmath.Ceiling)
				if want.Cmp(pj) > 0 {
					want.Set(pj)
				}
			}
			if charges[j].Cmp(&want) != 0 {
				t.Fatalf("clawback: trader %d (profit %s of %s, loss %s) charged %s, want %s",
					j, chargeable[j].String(), profits.String(), loss.String(), charges[j].String(), want.String())
			}
		}
		var fund apd.Decimal
		after.FundBalance(&fund)
		if profits.Cmp(&loss) >= 0 && fund.Negative {
			t.Fatalf("clawback: the profits (%s) cover the loss (%s), yet the fund ends at %s", profits.String(), loss.String(), fund.String())
		}
	case p.Socialise == engine.DriftFunding:
		var over, bound apd.Decimal
		_, _ = ctx.Sub(&over, &sum, &loss)
		_, _ = ctx.Mul(&bound, minor, &open)
		if open.IsZero() { // nobody to charge: the fund stays short
			over.Neg(&sum)
		}
		if over.Negative || over.Cmp(&bound) >= 0 && !open.IsZero() {
			t.Fatalf("Drift: charged %s for a loss of %s over %s contracts", sum.String(), loss.String(), open.String())
		}
		after.Unsocialised(&unpaid)
		if !open.IsZero() && !unpaid.IsZero() {
			t.Fatalf("Drift: %s left unsocialised after charging %s", unpaid.String(), sum.String())
		}
	}
}

// checkEqualSplit checks a SplitEqual clawback: one level λ for all, each
// winner charged min(p, λ) (every winner not charged its whole profit p
// charged the same, which no fully charged winner's p exceeds), none
// without profit, and the charges' sum L' = min(loss, Σp) or up to one
// minor unit per winner above it (λ rounded up), so that the fund ends
// whole when the profits cover its loss.
func checkEqualSplit(t checker, after *engine.State, charges, chargeable []apd.Decimal, loss, profits *apd.Decimal) {
	t.Helper()
	minor := &after.Spec().Minor
	var sum, lvl, top, want, bound apd.Decimal
	winners, partial := 0, false
	for j := range charges {
		c, pj := &charges[j], &chargeable[j]
		if pj.Sign() <= 0 {
			if !c.IsZero() {
				t.Fatalf("equal split: trader %d without profit charged %s", j, c.String())
			}
			continue
		}
		winners++
		_, _ = apd.BaseContext.Add(&sum, &sum, c)
		switch c.Cmp(pj) {
		case 1:
			t.Fatalf("equal split: trader %d charged %s above its profit %s", j, c.String(), pj.String())
		case 0:
			if pj.Cmp(&top) > 0 {
				top.Set(pj)
			}
		default:
			if partial && c.Cmp(&lvl) != 0 {
				t.Fatalf("equal split: trader %d charged %s, another %s: two levels", j, c.String(), lvl.String())
			}
			partial = true
			lvl.Set(c)
		}
	}
	if partial && top.Cmp(&lvl) > 0 {
		t.Fatalf("equal split: a profit of %s charged in full above the level %s", top.String(), lvl.String())
	}
	want.Set(loss)
	if profits.Cmp(loss) < 0 {
		want.Set(profits)
	}
	_, _ = apd.BaseContext.Sub(&want, &sum, &want)
	_, _ = apd.BaseContext.Mul(&bound, minor, apd.New(int64(winners), 0))
	if want.Negative || winners > 0 && want.Cmp(&bound) >= 0 {
		t.Fatalf("equal split: charged %s for a loss of %s and profits of %s", sum.String(), loss.String(), profits.String())
	}
	var fund apd.Decimal
	after.FundBalance(&fund)
	if profits.Cmp(loss) >= 0 && fund.Negative {
		t.Fatalf("equal split: the profits (%s) cover the loss (%s), yet the fund ends at %s", profits.String(), loss.String(), fund.String())
	}
}

// checkTrigger checks S2 for trader i at two marks, lo% and hi% of m: a
// long liquidatable at the higher mark is liquidatable at the lower one
// (a short mirrored), and the trigger agrees with liquidation.Price on
// the trader's account: Never, Always, or liquidatable beyond P_L and not
// before it (at P_L itself the preset's Equality decides). Probes run on
// clones: the state does not change.
func checkTrigger(t checker, st *engine.State, i int, m *apd.Decimal, lo, hi int64) {
	t.Helper()
	ctx := derivmath.NewContext()
	tr := st.Trader(i)
	long := !tr.Qty.Negative
	// The trader's account, as the engine's solver sees it.
	s := st.Spec()
	a := liquidation.Account{Spec: s, Convention: st.Preset().Convention, Legs: make([]liquidation.Leg, 1)}
	a.Balance.Set(backing(st, i))
	a.FeeReserve.Set(&tr.FeeReserve)
	l := &a.Legs[0]
	l.Qty.Set(&tr.Qty)
	l.Cost.Abs(&tr.Cost)
	if err := s.Price(ctx, &l.Entry, &tr.Qty, &l.Cost); err != nil {
		t.Fatalf("entry: %v", err)
	}
	l.MMR.Set(&tr.MMR)
	l.Cum.Set(&tr.Cum)
	l.Tiers = st.Brackets(tr) // Binance: the bracket at each price
	var pl apd.Decimal
	var sv liquidation.Solver
	if err := sv.Compile(ctx, &a); err != nil {
		t.Fatalf("compile: %v", err)
	}
	status, err := sv.Price(&pl, liquidation.Exact)
	if err != nil {
		t.Fatalf("liquidation price: %v", err)
	}
	var liq [2]bool
	var marks [2]apd.Decimal
	for k, pctMark := range []int64{lo, hi} {
		_, _ = ctx.Mul(&marks[k], m, apd.New(pctMark, -2))
		c := st.Clone()
		if err := c.SetMark(&marks[k]); err != nil {
			t.Fatalf("mark: %v", err)
		}
		var err error
		if _, liq[k], err = c.Trigger(nil, i); err != nil {
			t.Fatalf("trigger at %s: %v", marks[k].String(), err)
		}
		var want bool
		switch status {
		case liquidation.Never:
			want = false
		case liquidation.Always:
			want = true
		default:
			c := marks[k].Cmp(&pl)
			if c == 0 {
				continue
			}
			want = long == (c < 0)
		}
		if liq[k] != want {
			t.Fatalf("trader %d (qty %s) at %s: liquidatable %v, but liquidation.Price says %s %s",
				i, tr.Qty.String(), marks[k].String(), liq[k], status, pl.String())
		}
	}
	if long && liq[1] && !liq[0] || !long && liq[0] && !liq[1] {
		t.Fatalf("trigger not monotone: qty %s, liquidatable %v at %s, %v at %s",
			tr.Qty.String(), liq[0], marks[0].String(), liq[1], marks[1].String())
	}
}

// checkADL: Σ x_j = the bankrupt quantity, opposite side only, no side
// change, a prefix: only the last counterparty partly closed.
func checkADL(t checker, before, after *engine.State, ev []engine.Event, holder int, qty *apd.Decimal) {
	t.Helper()
	ctx := derivmath.NewContext()
	var sum apd.Decimal
	var last []int
	hq := &before.Trader(holder).Qty
	for k := range ev {
		e := &ev[k]
		if e.Kind != engine.Trade || e.Step != engine.StepADL {
			continue
		}
		j := e.Counterparty
		q0, q1 := &before.Trader(j).Qty, &after.Trader(j).Qty
		if q0.Negative == hq.Negative {
			t.Fatalf("ADL of trader %d on the bankrupt side", j)
		}
		if !q1.IsZero() && q1.Negative != q0.Negative || enginetest.AbsGreater(q1, q0) {
			t.Fatalf("ADL changed trader %d's side or raised it: %s -> %s", j, q0.String(), q1.String())
		}
		var x apd.Decimal
		x.Abs(&e.Qty)
		_, _ = ctx.Add(&sum, &sum, &x)
		last = append(last, j)
	}
	if sum.Cmp(qty) != 0 {
		t.Fatalf("ADL closed %s, want %s", sum.String(), qty.String())
	}
	for k, j := range last {
		if k < len(last)-1 && !after.Trader(j).Qty.IsZero() {
			t.Fatalf("ADL: trader %d partly closed before the last of the prefix", j)
		}
	}
}

// genState draws TestInvariants' and TestModel's states: up to 6 pairs of
// up to 60 contracts (enginetest.GenState).
func genState(rt *rapid.T) *engine.State { return enginetest.GenState(rt, 6, 60) }

// moveMark moves st's mark by -30% to +30%, rounded to the tick (the
// "mark" action of TestInvariants and TestModel), and returns the mark
// it set.
func moveMark(rt *rapid.T, st *engine.State) *apd.Decimal {
	m := new(apd.Decimal)
	st.Mark(m)
	pct := int64(rapid.IntRange(-30, 30).Draw(rt, "move"))
	ctx := derivmath.NewContext()
	_, _ = ctx.Mul(m, m, apd.New(100+pct, -2))
	_ = derivmath.Round(ctx, m, m, &st.Spec().Tick, derivmath.HalfEven)
	if m.Sign() <= 0 {
		rt.Skip("non-positive mark")
	}
	if err := st.SetMark(m); err != nil {
		rt.Fatal(err)
	}
	return m
}

// TestInvariants is a rapid state machine over random presets, contracts,
// accounts, marks and fills: conservation exact to the minor unit, ΣQ = 0,
// the liquidated account's balance never negative after the takeover, S3
// and S4's rules, ADL's allocation, S8's charges (checkSocialise), the
// trigger's monotony in the mark and its agreement with liquidation.Price
// (checkTrigger), atomicity of refused fills, and determinism (the same
// state, choices and seed give the same events).
func TestInvariants(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		st := genState(rt)
		var t0 apd.Decimal
		if err := st.Total(&t0); err != nil {
			rt.Fatal(err)
		}
		rt.Repeat(map[string]func(*rapid.T){
			"mark": func(rt *rapid.T) { moveMark(rt, st) },
			"liquidate": func(rt *rapid.T) {
				i := rapid.IntRange(1, st.Len()-1).Draw(rt, "trader")
				sc := &script{v: rapid.SliceOfN(rapid.IntRange(0, 1<<20), 1, 20).Draw(rt, "choices")}
				seed := rapid.Uint64().Draw(rt, "seed")
				twin := st.Clone()
				ev := pipeline(rt, st, i, sc, seed)
				sc.k = 0
				ev2 := pipeline(rt, twin, i, sc, seed)
				if a, b := enginetest.EventsText(ev), enginetest.EventsText(ev2); a != b {
					rt.Fatalf("same inputs, different events:\n%s\nvs\n%s", a, b)
				}
				for k := range ev {
					e := &ev[k]
					if (e.Kind == engine.Move || e.Kind == engine.Trade) && e.Amount.Negative {
						rt.Fatalf("negative amount: %s", e.String())
					}
				}
			},
			"probe": func(rt *rapid.T) {
				i := rapid.IntRange(1, st.Len()-1).Draw(rt, "trader")
				if st.Trader(i).Qty.IsZero() {
					rt.Skip("flat")
				}
				var m apd.Decimal
				st.Mark(&m)
				lo := int64(rapid.IntRange(50, 150).Draw(rt, "lo"))
				hi := int64(rapid.IntRange(50, 150).Draw(rt, "hi"))
				if lo > hi {
					lo, hi = hi, lo
				}
				checkTrigger(rt, st, i, &m, lo, hi)
			},
			"must adl": func(rt *rapid.T) {
				// MustADL only reads: a flat holder never needs ADL; an
				// empty fund, or ADLRemainder, always does; ADLDeficit is
				// equity below zero.
				h := rapid.IntRange(-1, st.Len()-1).Draw(rt, "holder")
				var in engine.ADLInputs
				in.Peak.SetInt64(int64(rapid.IntRange(0, 100000).Draw(rt, "peak")))
				in.Running = rapid.Bool().Draw(rt, "running")
				var before, after, fund, eq apd.Decimal
				_ = st.Total(&before)
				must, err := st.MustADL(h, &in)
				if err != nil {
					rt.Fatal(err)
				}
				_ = st.Total(&after)
				if before.Cmp(&after) != 0 {
					rt.Fatal("MustADL changed the total")
				}
				st.FundBalance(&fund)
				flat := st.Trader(h).Qty.IsZero()
				_ = st.Equity(&eq, h)
				switch {
				case flat && must:
					rt.Fatal("ADL for a flat holder")
				case !flat && (fund.Sign() <= 0 || st.Preset().ADLTrigger == engine.ADLRemainder) && !must:
					rt.Fatal("no ADL with an empty fund or a remainder rule")
				case !flat && fund.Sign() > 0 && st.Preset().ADLTrigger == engine.ADLDeficit && must != (eq.Sign() < 0):
					rt.Fatalf("deficit rule: must %v, equity %s", must, eq.String())
				}
			},
			"bad fill": func(rt *rapid.T) {
				// A fill for an unknown intent or beyond a limit changes nothing.
				var before, after apd.Decimal
				_ = st.Total(&before)
				f := []engine.Fill{fill("1", "1", 0)}
				if _, err := st.Execute(nil, 999999, f); !errors.Is(err, engine.ErrUnknownIntent) {
					rt.Fatalf("unknown intent: %v", err)
				}
				_ = st.Total(&after)
				if before.Cmp(&after) != 0 {
					rt.Fatalf("a refused fill changed the total")
				}
			},
			"": func(rt *rapid.T) {
				var tot, net apd.Decimal
				if err := st.Total(&tot); err != nil {
					rt.Fatal(err)
				}
				if tot.Cmp(&t0) != 0 {
					rt.Fatalf("conservation: total %s, was %s", tot.String(), t0.String())
				}
				if err := st.NetQty(&net); err != nil || !net.IsZero() {
					rt.Fatalf("ΣQ = %s (%v)", net.String(), err)
				}
			},
		})
	})
}
