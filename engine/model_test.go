package engine_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/engine/internal/enginetest"
	"pgregory.net/rapid"
)

// step runs one step on a dst that holds one event and, drawn, room for
// more: on success it books the events appended; on failure it checks that
// dst comes back as it was, with nothing appended, and the state as the
// model has it.
func step(rt *rapid.T, m *enginetest.Ledger, st *engine.State, what string, call func([]engine.Event) ([]engine.Event, error)) error {
	rt.Helper()
	room := 0
	if rapid.Bool().Draw(rt, "room") {
		room = 32
	}
	dst := make([]engine.Event, 1, 1+room)
	dst[0] = engine.Event{Seq: 1 << 40, Kind: engine.Closed, Trader: 7, Intent: 4242}
	dst[0].Qty.SetInt64(-13)
	was := dst[0].String()
	out, err := call(dst)
	if len(out) == 0 || out[0].String() != was {
		rt.Fatalf("%s (err %v) changed dst's contents", what, err)
	}
	ev := out[1:]
	if err != nil {
		if len(ev) != 0 {
			rt.Fatalf("%s failed (%v), yet appended:\n%s", what, err, enginetest.EventsText(ev))
		}
		if d := m.Compare(st); d != nil {
			rt.Fatalf("%s failed (%v) and changed the state:\n%v", what, err, d)
		}
		return err
	}
	m.Absorb(rt, st, what, ev)
	readd(rt, st, what)
	return nil
}

// readd checks that every trader the state holds after a step is a valid
// input to State.Add, as every successful output must be: a copy of each
// is added to a new state of the same contract and preset.
func readd(rt *rapid.T, st *engine.State, what string) {
	rt.Helper()
	fresh, err := engine.New(derivmath.NewContext(), st.Spec(), st.Preset())
	if err != nil {
		rt.Fatal(err)
	}
	for h := 0; h < st.Len(); h++ {
		if _, err := fresh.Add(st.Trader(h)); err != nil {
			rt.Fatalf("after %s, trader %d is no valid input to Add: %v", what, h, err)
		}
	}
}

// compareAll compares the state with the model: Compare's balances,
// quantities and intents, and CompareReads' answers.
func compareAll(m *enginetest.Ledger, st *engine.State) error {
	if err := m.Compare(st); err != nil {
		return err
	}
	return m.CompareReads(st)
}

// intended checks the intent a step returned, id, against the events it
// appended after step's one in out: the Intended event's intent, or 0
// without one (and on error).
func intended(rt *rapid.T, what string, id engine.IntentID, out []engine.Event, err error) {
	rt.Helper()
	var want engine.IntentID
	if err == nil {
		for k := 1; k < len(out); k++ {
			if out[k].Kind == engine.Intended {
				want = out[k].Intent
			}
		}
	}
	if id != want {
		rt.Fatalf("%s returned intent %d (err %v), its events %d", what, id, err, want)
	}
}

// wantErr fails the test unless err is want (nil: no error).
func wantErr(rt *rapid.T, what string, err, want error) {
	rt.Helper()
	if (err == nil) != (want == nil) || !errors.Is(err, want) {
		rt.Fatalf("%s: error %v, want %v", what, err, want)
	}
}

// amount returns k whole units of the state's settlement currency in
// minor units: k for a linear contract, k/1000 for an inverse one (the
// fund's scale in GenState).
func amount(st *engine.State, k int) *apd.Decimal {
	x := apd.New(int64(k), 0)
	if st.Spec().Kind == contract.Inverse {
		x.Exponent = -3
	}
	return x
}

// halfMinor is half the contract's minor unit: no whole number of them.
func halfMinor(st *engine.State) *apd.Decimal {
	var x apd.Decimal
	_, _ = apd.BaseContext.Mul(&x, &st.Spec().Minor, apd.New(5, -1))
	return &x
}

// evolve moves st (and its model m) on: a new fund and mark, every trader
// triggered, the first open intent withdrawn.
func evolve(rt *rapid.T, m *enginetest.Ledger, st *engine.State, what string) {
	rt.Helper()
	fund := amount(st, rapid.IntRange(0, 20000).Draw(rt, "fund"))
	if err := st.SetFund(fund); err != nil {
		rt.Fatalf("%s: SetFund(%s): %v", what, fund.String(), err)
	}
	m.SetFund(fund)
	m.SetMark(moveMark(rt, st))
	for i := 1; i < st.Len(); i++ {
		_ = step(rt, m, st, fmt.Sprintf("%s: Trigger(%d)", what, i), func(dst []engine.Event) ([]engine.Event, error) {
			dst, _, err := st.Trigger(dst, i)
			return dst, err
		})
	}
	if ids := m.IDs(); len(ids) > 0 {
		_ = step(rt, m, st, fmt.Sprintf("%s: Withdraw(%d)", what, ids[0]), func(dst []engine.Event) ([]engine.Event, error) {
			return st.Withdraw(dst, ids[0])
		})
	}
	m.Absorb(rt, st, what+" moved on", nil)
}

// setFund sets the fund's balance: 0 to 20,000 (20 for inverse), or a
// third of the time a negative one (ErrNegativeFund), one off the minor
// unit (ErrInexact) or NaN.
func setFund(rt *rapid.T, m *enginetest.Ledger, st *engine.State) {
	x := amount(st, rapid.IntRange(0, 20000).Draw(rt, "fund"))
	var want error
	switch rapid.IntRange(0, 8).Draw(rt, "bad") {
	case 0:
		_, _ = apd.BaseContext.Add(x, x, amount(st, 1))
		x.Neg(x)
		want = engine.ErrNegativeFund
	case 1:
		_, _ = apd.BaseContext.Add(x, x, halfMinor(st))
		want = engine.ErrInexact
	case 2:
		x.Form = apd.NaN
		want = derivmath.ErrNaN
	}
	err := st.SetFund(x)
	wantErr(rt, fmt.Sprintf("SetFund(%s)", x.String()), err, want)
	if err == nil {
		m.SetFund(x)
	}
	m.Absorb(rt, st, "SetFund", nil)
}

// reprice sets an open intent's limit: within 20% of the mark on the
// tick, or 0 (no limit); a fair fraction of the time an intent not open
// (ErrUnknownIntent), a negative limit (derivmath.ErrPrice) or NaN.
func reprice(rt *rapid.T, m *enginetest.Ledger, st *engine.State) {
	id := engine.IntentID(999999)
	if ids := m.IDs(); len(ids) > 0 && rapid.IntRange(0, 4).Draw(rt, "unknown") > 0 {
		id = ids[rapid.IntRange(0, len(ids)-1).Draw(rt, "intent")]
	}
	var want error
	if !m.Open(id) {
		want = engine.ErrUnknownIntent
	}
	var lim, mark apd.Decimal
	m.Mark(&mark)
	ctx := derivmath.NewContext()
	switch rapid.IntRange(0, 6).Draw(rt, "limit") {
	case 0: // no limit
	case 1:
		lim.Neg(&st.Spec().Tick)
		if want == nil {
			want = derivmath.ErrPrice
		}
	case 2:
		lim.Form = apd.NaN
		if want == nil {
			want = derivmath.ErrNaN
		}
	default:
		_, _ = ctx.Mul(&lim, &mark, apd.New(int64(rapid.IntRange(80, 120).Draw(rt, "pct")), -2))
		_ = derivmath.Round(ctx, &lim, &lim, &st.Spec().Tick, derivmath.Ceiling)
	}
	err := st.Reprice(id, &lim)
	wantErr(rt, fmt.Sprintf("Reprice(%d, %s)", id, lim.String()), err, want)
	if err == nil {
		m.Reprice(id, &lim)
	}
	m.Absorb(rt, st, "Reprice", nil)
}

// mustADL asks whether a holder must be deleveraged, at a peak of 0% to
// 300% of the fund, running or not; a fair fraction of the time for no
// holder (ErrTrader), at a negative peak (ErrNegativeFund) or a NaN one.
func mustADL(rt *rapid.T, m *enginetest.Ledger, st *engine.State) {
	h := rapid.IntRange(engine.Fund, st.Len()-1).Draw(rt, "holder")
	// Half the time the mark moves to where h's equity (less its fee
	// reserve) is zero, or a tick from there, where the triggers turn.
	var p apd.Decimal
	if rapid.Bool().Draw(rt, "break-even") && m.BreakEven(&p, h, rapid.Bool().Draw(rt, "less reserve")) {
		ctx := derivmath.NewContext()
		r := rapid.SampledFrom([]derivmath.Rounding{derivmath.Down, derivmath.Ceiling, derivmath.HalfEven}).Draw(rt, "to tick")
		_ = derivmath.Round(ctx, &p, &p, &st.Spec().Tick, r)
		if p.Sign() > 0 && st.SetMark(&p) == nil {
			m.SetMark(&p)
		}
	}
	var in engine.ADLInputs
	in.Running = rapid.Bool().Draw(rt, "running")
	m.FundBalance(&in.Peak)
	_, _ = apd.BaseContext.Mul(&in.Peak, &in.Peak, apd.New(int64(rapid.IntRange(0, 300).Draw(rt, "peak")), -2))
	switch rapid.IntRange(0, 6).Draw(rt, "bad") {
	case 0:
		h = rapid.SampledFrom([]int{engine.Fund - 1, st.Len()}).Draw(rt, "no holder")
	case 1:
		in.Peak.Set(amount(st, -1))
	case 2:
		in.Peak.Form = apd.NaN
	}
	var want error
	switch {
	case h < engine.Fund || h >= st.Len():
		want = engine.ErrTrader
	case derivmath.CheckDecimal(&in.Peak) != nil: // NaN, or -0 (a negative fund's 0%)
		want = derivmath.CheckDecimal(&in.Peak)
	case in.Peak.Negative:
		want = engine.ErrNegativeFund
	}
	got, err := st.MustADL(h, &in)
	what := fmt.Sprintf("MustADL(%d, peak %s, running %v)", h, in.Peak.String(), in.Running)
	wantErr(rt, what, err, want)
	if err == nil && got != m.MustADL(h, &in) {
		rt.Fatalf("%s = %v, the model's %v", what, got, !got)
	}
	if err != nil && got {
		rt.Fatalf("%s failed (%v), yet answered true", what, err)
	}
	m.Absorb(rt, st, what, nil)
}

// addTrader adds a flat trader: a cross wallet or an isolated margin of
// -1,000 to 100,000 minor units, at a tier or none, some with a fee
// reserve or an order, some flagged Liquidating (which Add clears); a
// fair fraction of the time one Add refuses (account.ErrMode, ErrInexact,
// derivmath.ErrRate, ErrTable, ErrPosition, derivmath.ErrZeroQty,
// derivmath.ErrPrice). Changing the trader after Add must not change the
// state.
func addTrader(rt *rapid.T, m *enginetest.Ledger, st *engine.State) {
	minor := &st.Spec().Minor
	t := &engine.Trader{Mode: account.Cross, Tier: -1, Liquidating: rapid.Bool().Draw(rt, "liquidating")}
	_, _ = apd.BaseContext.Mul(&t.Wallet, minor, apd.New(int64(rapid.IntRange(-1000, 100000).Draw(rt, "wallet")), 0))
	if rapid.Bool().Draw(rt, "isolated") {
		t.Mode = account.Isolated
		_, _ = apd.BaseContext.Mul(&t.Margin, minor, apd.New(int64(rapid.IntRange(-1000, 100000).Draw(rt, "margin")), 0))
	}
	t.MMR.SetFinite(5, -3)
	limits := st.Preset().RiskLimits
	if len(limits) > 0 && rapid.Bool().Draw(rt, "tiered") {
		t.Tier = rapid.IntRange(0, len(limits)-1).Draw(rt, "tier")
		t.MMR.Set(&limits[t.Tier].MMR)
		t.Cum.Set(&limits[t.Tier].Cum)
	}
	if rapid.Bool().Draw(rt, "reserve") {
		_, _ = apd.BaseContext.Mul(&t.FeeReserve, minor, apd.New(int64(rapid.IntRange(0, 100).Draw(rt, "reserve")), 0))
	}
	if rapid.Bool().Draw(rt, "order") {
		t.Orders = append(t.Orders, engine.Order{})
		o := &t.Orders[0]
		o.Qty.SetInt64(int64(rapid.IntRange(1, 5).Draw(rt, "order qty")))
		if rapid.Bool().Draw(rt, "sell") {
			o.Qty.Neg(&o.Qty)
		}
		_, _ = apd.BaseContext.Mul(&o.Price, &st.Spec().Tick, apd.New(int64(rapid.IntRange(1, 9000).Draw(rt, "order ticks")), 0))
		_, _ = apd.BaseContext.Mul(&o.Margin, minor, apd.New(int64(rapid.IntRange(0, 1000).Draw(rt, "order margin")), 0))
	}
	var want error
	switch rapid.IntRange(0, 13).Draw(rt, "bad") {
	case 0:
		t.Mode = 0
		want = account.ErrMode
	case 1:
		_, _ = apd.BaseContext.Add(&t.Wallet, &t.Wallet, halfMinor(st))
		want = engine.ErrInexact
	case 2:
		t.MMR.SetInt64(1)
		want = derivmath.ErrRate
	case 3:
		t.Tier = len(limits)
		want = engine.ErrTable
	case 4:
		t.Qty.SetInt64(1) // a position without a cost
		want = engine.ErrPosition
	case 5:
		t.FeeReserve.SetInt64(-1)
		want = engine.ErrPosition
	case 6:
		t.Orders = append(t.Orders, engine.Order{})
		t.Orders[len(t.Orders)-1].Price.SetInt64(1)
		want = derivmath.ErrZeroQty
	case 7:
		t.Orders = append(t.Orders, engine.Order{})
		t.Orders[len(t.Orders)-1].Qty.SetInt64(1)
		want = derivmath.ErrPrice
	}
	n := st.Len()
	h, err := st.Add(t)
	wantErr(rt, "Add", err, want)
	if err == nil {
		if h != n {
			rt.Fatalf("Add returned %d, want %d (the next index)", h, n)
		}
		m.Add(t)
	}
	// The state holds a copy: changing t changes nothing.
	t.Mode, t.Liquidating = account.Cross, true
	t.Wallet.SetInt64(123456)
	t.Tier = -1
	for k := range t.Orders {
		t.Orders[k].Qty.SetInt64(77)
	}
	t.Orders = append(t.Orders[:0:0], t.Orders...)
	m.Absorb(rt, st, "Add", nil)
}

// deleverage runs ADL of q contracts of holder h's position (TestModel's
// adl action): its events must be the model's and close the
// counterparties in the model's order, a prefix of the queue
// AppendADLQueue gave for the same holder and seed (under ADLValidity, a
// subsequence of it), and the intents of h and of those it closed must
// ask for no more than their positions hold (Ledger.Fits: a step-down
// no more than lies above its target).
func deleverage(rt *rapid.T, m *enginetest.Ledger, st *engine.State, h int, q *apd.Decimal) {
	rt.Helper()
	seed := rapid.Uint64().Draw(rt, "seed")
	what := fmt.Sprintf("ADL(%d, %s)", h, q.String())
	order := m.ADLOrder(h)
	queue, qerr := st.AppendADLQueue(nil, h, seed)
	var out []engine.Event
	err := step(rt, m, st, what, func(dst []engine.Event) ([]engine.Event, error) {
		dst, err := st.ADL(dst, h, q, seed)
		out = dst
		return dst, err
	})
	if err != nil {
		return
	}
	if err := order(out[1:]); err != nil {
		rt.Fatalf("%s under %v, %v: %v", what, st.Preset().ADL, st.Preset().ADLTie, err)
	}
	// ADL closes its queue in order (under ADLValidity skipping those the
	// close would leave worse off).
	var closed []int
	for k := range out {
		if e := &out[k]; e.Kind == engine.Trade && e.Step == engine.StepADL && e.Trader == h {
			closed = append(closed, e.Counterparty)
		}
	}
	// Their intents ask for no more than what is left (closed once flat).
	for _, j := range append([]int{h}, closed...) {
		if err := m.Fits(j); err != nil {
			rt.Fatalf("%s: %v", what, err)
		}
	}
	var qt []int
	for _, c := range queue {
		qt = append(qt, c.Trader)
	}
	k := 0
	for _, c := range queue {
		if k < len(closed) && c.Trader == closed[k] {
			k++
		} else if !st.Preset().ADLValidity {
			break
		}
	}
	if qerr != nil || k < len(closed) {
		rt.Fatalf("%s closed %v; its queue was %v (%v)", what, closed, qt, qerr)
	}
}

// stepDownNear moves the mark to where holder i's equity is a drawn
// fraction, 0 to 100%, of the maintenance rate of the risk tier its value
// falls in (the tier StepDown lowers it to first; without risk limits its
// own MMR), triggers i and steps it down (StepDown and TierReduce open an
// intent there far more often than at TestModel's random marks), and
// returns the intent StepDown opened (0: none). Each step is checked as
// TestModel's own are.
func stepDownNear(rt *rapid.T, m *enginetest.Ledger, st *engine.State, i int) engine.IntentID {
	rt.Helper()
	t := st.Trader(i)
	ctx := derivmath.NewContext()
	var p apd.Decimal
	if m.BreakEven(&p, i, false) {
		rate := &t.MMR
		var v apd.Decimal
		if st.Spec().Value(ctx, &v, &t.Qty, &p) == nil {
			for k := range st.Preset().RiskLimits {
				if l := &st.Preset().RiskLimits[k]; v.Cmp(&l.Limit) <= 0 {
					rate = &l.MMR
					break
				}
			}
		}
		var k apd.Decimal
		_, _ = apd.BaseContext.Mul(&k, rate, apd.New(1000, 0))
		_, _ = apd.BaseContext.RoundToIntegralValue(&k, &k)
		mmr, _ := k.Int64()
		// Equity of x of the value at about p(1 ± x) from the
		// break-even price p: a long's rises with the mark, a short's
		// falls.
		x := int64(rapid.IntRange(0, int(mmr)).Draw(rt, "equity per mille"))
		if t.Qty.Negative {
			x = -x
		}
		_, _ = ctx.Mul(&p, &p, apd.New(1000+x, -3))
		_ = derivmath.Round(ctx, &p, &p, &st.Spec().Tick, derivmath.HalfEven)
		if p.Sign() > 0 && st.SetMark(&p) == nil {
			m.SetMark(&p)
		}
		m.Absorb(rt, st, "SetMark", nil)
	}
	_ = step(rt, m, st, fmt.Sprintf("Trigger(%d)", i), func(dst []engine.Event) ([]engine.Event, error) {
		dst, _, err := st.Trigger(dst, i)
		return dst, err
	})
	return intend(rt, m, st, "StepDown", st.StepDown, i)
}

// intend runs a step that may open an intent for trader i (StepDown,
// Takeover), named name, as a checked step and checks its intent, which
// it returns (0 if none opened).
func intend(rt *rapid.T, m *enginetest.Ledger, st *engine.State, name string, call func([]engine.Event, int) ([]engine.Event, engine.IntentID, error), i int) engine.IntentID {
	rt.Helper()
	what := fmt.Sprintf("%s(%d)", name, i)
	var id engine.IntentID
	var out []engine.Event
	err := step(rt, m, st, what, func(dst []engine.Event) ([]engine.Event, error) {
		var err error
		dst, id, err = call(dst, i)
		out = dst
		return dst, err
	})
	intended(rt, what, id, out, err)
	return id
}

// TestModel is a rapid state machine that checks the State against an
// event-sourced ledger (enginetest.Ledger): TestInvariants' states (genState), marks
// (moveMark) and liquidations (pipeline), and each step alone on random
// holders, open intents and fills, bad fills and ADL quantities included.
// After every action every balance (wallets, margins, costs, the fund, the
// fees, the total), quantity, tier, order, intent and Liquidating flag the
// State exposes must be what the events since the start make of the
// initial state, and each Trade's value its quantity's at its price; a
// step that fails must return dst as it was and change nothing. The
// model also follows the calls that emit no event (SetMark, SetFund,
// Reprice, Add of a flat trader), and after every action the state's
// reads must be the model's (Mark, Unsocialised, NetQty, each holder's
// Equity and Brackets); ADL must close the counterparties in the
// model's order (Ledger.ADLOrder: RankIndex's and RankCyclic's index
// order, and the drawn tie rule between twins of equal score, which
// GenState draws), and close a prefix of the queue AppendADLQueue gave
// for the same holder and seed (under ADLValidity, a subsequence of it);
// AppendADLQueue, asked for any holder, must list the model's candidates
// in its order (Ledger.ADLQueue: the ranking's skips, RankIndex's and
// RankCyclic's exact order, unbounded Binance scores first) and change
// nothing; MustADL is asked at random marks and at the
// marks where a holder's equity, or its equity less its fee reserve, is
// zero. A Clone must equal the state, and each must then move on alone
// without changing the other. SetFund, Reprice, MustADL and Add draw
// their errors a fair fraction of the time, SetMark too. Trigger's answer
// must be the Liquidating flag its events leave, and StepDown's and
// Takeover's intent the one their Intended event opens (0: none). Its
// step down, then adl action moves the mark to where a holder's step-down
// opens an intent (stepDownNear) and ADLs part of the position with the
// intent open, which the step down and adl actions alone seldom reach:
// the step-down must then ask for no more than lies above its target
// (Ledger.Fits).
func TestModel(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		st := genState(rt)
		m := enginetest.New(rt, st)
		who := func(rt *rapid.T) int { return rapid.IntRange(1, st.Len()-1).Draw(rt, "trader") }
		// liquidating draws, mostly, a trader the model has liquidating.
		liquidating := func(rt *rapid.T) int {
			var in []int
			for i := 1; i < st.Len(); i++ {
				if m.Liquidating(i) {
					in = append(in, i)
				}
			}
			if len(in) == 0 || rapid.IntRange(0, 4).Draw(rt, "any") == 0 {
				return who(rt)
			}
			return in[rapid.IntRange(0, len(in)-1).Draw(rt, "liquidating")]
		}
		choices := func(rt *rapid.T) *script {
			return &script{v: rapid.SliceOfN(rapid.IntRange(0, 1<<20), 1, 20).Draw(rt, "choices")}
		}
		rt.Repeat(map[string]func(*rapid.T){
			"": func(rt *rapid.T) {
				if err := m.CompareReads(st); err != nil {
					rt.Fatalf("the state's reads differ from the model's:\n%v", err)
				}
			},
			"mark": func(rt *rapid.T) {
				if rapid.IntRange(0, 5).Draw(rt, "bad mark") == 0 {
					// derivmath.CheckPrice's errors; the mark stays.
					x := rapid.SampledFrom([]*apd.Decimal{apd.New(0, 0), apd.New(-5, -1), {Form: apd.NaN}}).Draw(rt, "mark")
					want := derivmath.ErrPrice
					if x.Form == apd.NaN {
						want = derivmath.ErrNaN
					}
					wantErr(rt, "SetMark("+x.String()+")", st.SetMark(x), want)
				} else {
					m.SetMark(moveMark(rt, st))
				}
				m.Absorb(rt, st, "SetMark", nil)
			},
			"set fund": func(rt *rapid.T) { setFund(rt, m, st) },
			"reprice":  func(rt *rapid.T) { reprice(rt, m, st) },
			"must adl": func(rt *rapid.T) { mustADL(rt, m, st) },
			"add":      func(rt *rapid.T) { addTrader(rt, m, st) },
			"clone": func(rt *rapid.T) {
				c, mc := st.Clone(), m.Clone()
				if err := compareAll(mc, c); err != nil {
					rt.Fatalf("the clone differs from the state it was made of:\n%v", err)
				}
				// Each moves on alone: the other must not change.
				evolve(rt, mc, c, "the clone")
				if err := compareAll(m, st); err != nil {
					rt.Fatalf("the state changed with its clone:\n%v", err)
				}
				evolve(rt, m, st, "the state")
				if err := compareAll(mc, c); err != nil {
					rt.Fatalf("the clone changed with the state it was made of:\n%v", err)
				}
				if rapid.Bool().Draw(rt, "go on with the clone") {
					st, m = c, mc
				}
			},
			"liquidate": func(rt *rapid.T) {
				i, sc := who(rt), choices(rt)
				ev := pipeline(rt, st, i, sc, rapid.Uint64().Draw(rt, "seed"))
				m.Absorb(rt, st, fmt.Sprintf("pipeline of trader %d", i), ev)
			},
			"trigger": func(rt *rapid.T) {
				// Every trader in turn, one step each: the answer is
				// the Liquidating flag the events leave.
				for i := 1; i < st.Len(); i++ {
					var liq bool
					what := fmt.Sprintf("Trigger(%d)", i)
					err := step(rt, m, st, what, func(dst []engine.Event) ([]engine.Event, error) {
						var err error
						dst, liq, err = st.Trigger(dst, i)
						return dst, err
					})
					if err == nil && liq != m.Liquidating(i) || err != nil && liq {
						rt.Fatalf("%s = %v (err %v), the model's flag %v", what, liq, err, m.Liquidating(i))
					}
				}
			},
			"cancel": func(rt *rapid.T) {
				i := liquidating(rt)
				_ = step(rt, m, st, fmt.Sprintf("Cancel(%d)", i), func(dst []engine.Event) ([]engine.Event, error) {
					return st.Cancel(dst, i)
				})
			},
			"step down": func(rt *rapid.T) {
				intend(rt, m, st, "StepDown", st.StepDown, liquidating(rt))
			},
			"takeover": func(rt *rapid.T) {
				intend(rt, m, st, "Takeover", st.Takeover, liquidating(rt))
			},
			"execute": func(rt *rapid.T) {
				id := m.Pick(rt)
				f := fills(st, id, choices(rt))
				if f == nil {
					rt.Skip("no fill")
				}
				_ = step(rt, m, st, fmt.Sprintf("Execute(%d)", id), func(dst []engine.Event) ([]engine.Event, error) {
					return st.Execute(dst, id, f)
				})
			},
			"bad fill": func(rt *rapid.T) {
				id := engine.IntentID(999999)
				ctx := derivmath.NewContext()
				var f engine.Fill
				f.Qty.SetInt64(1)
				st.Mark(&f.Price)
				if len(m.IDs()) > 0 {
					id = m.Pick(rt)
					in := st.Intent(id)
					f.Maker = 0
					switch rapid.IntRange(0, 3).Draw(rt, "bad") {
					case 0: // more than the intent's open quantity
						_, _ = ctx.Add(&f.Qty, &in.Qty, apd.New(1, 0))
					case 1: // not positive
						f.Qty.SetInt64(0)
					case 2: // the holder itself, or no trader
						f.Maker = in.Holder
					default: // beyond the limit, or a maker out of range
						switch {
						case in.Limit.IsZero():
							f.Maker = st.Len()
						case in.Side == engine.Sell:
							_, _ = ctx.Sub(&f.Price, &in.Limit, &st.Spec().Tick)
						default:
							_, _ = ctx.Add(&f.Price, &in.Limit, &st.Spec().Tick)
						}
					}
				}
				if f.Price.Sign() <= 0 {
					rt.Skip("no price below the limit")
				}
				if step(rt, m, st, fmt.Sprintf("Execute(%d) of a bad fill", id), func(dst []engine.Event) ([]engine.Event, error) {
					return st.Execute(dst, id, []engine.Fill{f})
				}) == nil {
					rt.Fatalf("Execute(%d) took a bad fill of %s at %s from %d", id, f.Qty.String(), f.Price.String(), f.Maker)
				}
			},
			"withdraw": func(rt *rapid.T) {
				id := m.Pick(rt)
				_ = step(rt, m, st, fmt.Sprintf("Withdraw(%d)", id), func(dst []engine.Event) ([]engine.Event, error) {
					return st.Withdraw(dst, id)
				})
			},
			"adl": func(rt *rapid.T) {
				// Mostly a holder with a position, for at most all of it.
				var open []int
				for h := engine.Fund; h < st.Len(); h++ {
					if !m.Flat(h) {
						open = append(open, h)
					}
				}
				h := rapid.IntRange(engine.Fund, st.Len()-1).Draw(rt, "holder")
				if len(open) > 0 && rapid.IntRange(0, 4).Draw(rt, "any") > 0 {
					h = open[rapid.IntRange(0, len(open)-1).Draw(rt, "open")]
				}
				var pos apd.Decimal
				pos.Abs(&st.Trader(h).Qty)
				n, _ := pos.Int64()
				if n == 0 || rapid.IntRange(0, 9).Draw(rt, "too much") == 0 {
					n++
				}
				q := apd.New(int64(rapid.IntRange(1, int(n)).Draw(rt, "qty")), 0)
				deleverage(rt, m, st, h, q)
			},
			"step down, then adl": func(rt *rapid.T) {
				// A step-down open when ADL closes part of a position,
				// which the step down and adl actions seldom reach
				// together (stepDownNear, on up to 3 holders, mostly the
				// largest position, which spans the most tiers); then
				// ADL of 1 to all of the position, or of one on the
				// other side, which may close it as a counterparty.
				var open []int
				for h := 1; h < st.Len(); h++ {
					if !m.Flat(h) {
						open = append(open, h)
					}
				}
				if len(open) == 0 {
					rt.Skip("all flat")
				}
				var i int
				var id engine.IntentID
				for try := 0; try < 3 && id == 0; try++ {
					i = open[rapid.IntRange(0, len(open)-1).Draw(rt, "open")]
					if rapid.IntRange(0, 3).Draw(rt, "largest") > 0 {
						var a, b apd.Decimal
						for _, j := range open {
							if a.Abs(&st.Trader(j).Qty).Cmp(b.Abs(&st.Trader(i).Qty)) > 0 {
								i = j
							}
						}
					}
					id = stepDownNear(rt, m, st, i)
				}
				if id == 0 {
					return
				}
				h := i
				if rapid.IntRange(0, 2).Draw(rt, "the other side") == 0 {
					var other []int
					for _, j := range open {
						if !m.Flat(j) && st.Trader(j).Qty.Negative != st.Trader(i).Qty.Negative {
							other = append(other, j)
						}
					}
					if len(other) > 0 {
						h = other[rapid.IntRange(0, len(other)-1).Draw(rt, "other")]
					}
				}
				n, _ := st.Trader(h).Qty.Int64()
				if n < 0 {
					n = -n
				}
				deleverage(rt, m, st, h, apd.New(int64(rapid.IntRange(1, int(n)).Draw(rt, "qty")), 0))
			},
			"adl queue": func(rt *rapid.T) {
				// Any holder, the fund and unknown ones included.
				h := rapid.IntRange(engine.Fund-1, st.Len()).Draw(rt, "holder")
				seed := rapid.Uint64().Draw(rt, "seed")
				dst := make([]engine.Candidate, 1, rapid.IntRange(1, 4).Draw(rt, "cap"))
				dst[0].Trader = -9
				q, err := st.AppendADLQueue(dst, h, seed)
				what := fmt.Sprintf("AppendADLQueue(%d)", h)
				switch {
				case h < engine.Fund || h >= st.Len():
					if !errors.Is(err, engine.ErrTrader) || len(q) != 1 {
						rt.Fatalf("%s = %d, %v; want dst as it was and ErrTrader", what, len(q), err)
					}
				case err != nil:
					rt.Fatalf("%s: %v", what, err)
				case q[0].Trader != -9:
					rt.Fatalf("%s overwrote dst's element", what)
				default:
					if err := m.ADLQueue(h)(q[1:]); err != nil {
						rt.Fatalf("%s under %v, %v: %v", what, st.Preset().ADL, st.Preset().ADLTie, err)
					}
				}
				// A read: the state is the model's still.
				if err := compareAll(m, st); err != nil {
					rt.Fatalf("%s changed the state:\n%v", what, err)
				}
			},
			"socialise": func(rt *rapid.T) {
				_ = step(rt, m, st, "Socialise", func(dst []engine.Event) ([]engine.Event, error) {
					return st.Socialise(dst)
				})
			},
		})
	})
}

// TestModelDriftClone is TestModel's clone action at the moment it seldom
// reaches (once in over a thousand of TestModel's runs): under
// DriftFunding, with an insurance cap or none, right after a bankruptcy
// whose loss the fund paid only in part, so that the state holds an
// unsocialised loss (Unsocialised) and what the fund has paid toward the
// cap. The clone must equal the state; then each takes a second
// bankruptcy alone, the clone first, and must stay what its own model
// makes of its events while the other does not change: the second loss's
// payment is capped by what the first one paid, and the unpaid losses
// add up.
func TestModelDriftClone(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		p := engine.PresetDrift()
		if rapid.Bool().Draw(rt, "insurance cap") {
			p.CapInsurance = true
			p.MaxInsurance.SetInt64(int64(rapid.IntRange(0, 200).Draw(rt, "max insurance")))
		}
		s := linear(rt, "0.01", "1", "0.01")
		st := state(rt, s, p)
		noErr(rt, st.SetMark(d("100")))
		street := add(rt, st, trader(rt, s, "1000000", "", "0", "0", "0.005"))
		// Two isolated longs at 100 with at most 5 a contract of margin,
		// bankrupt at 95 or above, and a short that holds the other side.
		var longs [2]int
		sum := 0
		for k := range longs {
			q := rapid.IntRange(1, 20).Draw(rt, "qty")
			margin := rapid.IntRange(1, 5*q).Draw(rt, "margin")
			longs[k] = add(rt, st, trader(rt, s, "0", fmt.Sprint(margin), fmt.Sprint(q), "100", "0.005"))
			sum += q
		}
		add(rt, st, trader(rt, s, "100000", "", fmt.Sprint(-sum), "100", "0.005"))
		noErr(rt, st.SetFund(apd.New(int64(rapid.IntRange(0, 300).Draw(rt, "fund")), 0)))
		m := enginetest.New(rt, st)
		// bankrupt sets a mark of 50 to 95, past long i's bankruptcy
		// price, and triggers it, takes it over and fills the close at
		// the mark from the street, a loss the fund covers.
		bankrupt := func(m *enginetest.Ledger, st *engine.State, i int, what string) {
			mark := apd.New(int64(rapid.IntRange(50, 95).Draw(rt, "mark")), 0)
			noErr(rt, st.SetMark(mark))
			m.SetMark(mark)
			m.Absorb(rt, st, what+": SetMark", nil)
			var id engine.IntentID
			noErr(rt, step(rt, m, st, fmt.Sprintf("%s: Trigger(%d)", what, i), func(dst []engine.Event) ([]engine.Event, error) {
				dst, _, err := st.Trigger(dst, i)
				return dst, err
			}))
			noErr(rt, step(rt, m, st, fmt.Sprintf("%s: Takeover(%d)", what, i), func(dst []engine.Event) ([]engine.Event, error) {
				var err error
				dst, id, err = st.Takeover(dst, i)
				return dst, err
			}))
			f := []engine.Fill{{Maker: street}}
			f[0].Qty.Abs(&st.Trader(i).Qty)
			f[0].Price.Set(mark)
			noErr(rt, step(rt, m, st, fmt.Sprintf("%s: Execute(%d)", what, id), func(dst []engine.Event) ([]engine.Event, error) {
				return st.Execute(dst, id, f)
			}))
			if err := m.CompareReads(st); err != nil {
				rt.Fatalf("after %s, the state's reads differ from the model's:\n%v", what, err)
			}
		}
		bankrupt(m, st, longs[0], "the first loss")
		c, mc := st.Clone(), m.Clone()
		if err := compareAll(mc, c); err != nil {
			rt.Fatalf("the clone differs from the state it was made of:\n%v", err)
		}
		bankrupt(mc, c, longs[1], "the clone's second loss")
		if err := compareAll(m, st); err != nil {
			rt.Fatalf("the state changed with its clone:\n%v", err)
		}
		bankrupt(m, st, longs[1], "the state's second loss")
		if err := compareAll(mc, c); err != nil {
			rt.Fatalf("the clone changed with the state it was made of:\n%v", err)
		}
	})
}

// TestModelStepDownIntent is TestModel's step down action where it
// seldom opens an intent: under the StepDown rule (BitMEX, Bybit,
// Binance), for a long whose margin lies between the maintenance of two
// of its risk tiers, so that a partial close restores it at a lower tier.
// The tiers are GenState's (20, 40, 60 and 80 contracts at the mark of
// 100; MMR 0.5% to 2%, Binance's cums); the long holds 1 to 80 contracts
// at the mark, at a tier drawn, with 1 to 2% of its value in margin.
// StepDown's events, and the intent they open (its time in force
// above all: a FOK, Binance's an IOC), must be what the model makes of
// them, and the intent the one StepDown returns. ADL then closes part or
// all of the long against the short (as TestModel's step down, then adl
// action does on its random states), on the state and the model or on
// their clones: its events must be the model's, and the step-down must
// ask for no more than lies above its target, the position it was sized
// to leave (Ledger.Fits), and be closed once ADL reached it.
func TestModelStepDownIntent(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		p := rapid.SampledFrom([]func() *engine.Preset{engine.PresetBitMEX, engine.PresetBybit, engine.PresetBinance}).Draw(rt, "preset")()
		p.RiskLimits = make([]engine.RiskLimit, 4)
		for k := range p.RiskLimits {
			p.RiskLimits[k].Limit.SetInt64(int64(2000 * (k + 1)))
			p.RiskLimits[k].MMR.SetFinite(int64(5*(k+1)), -3)
			if k > 0 && p.Venue == engine.Binance {
				c := &p.RiskLimits[k].Cum
				_, _ = apd.BaseContext.Mul(c, &p.RiskLimits[k-1].Limit, apd.New(5, -3))
				_, _ = apd.BaseContext.Add(c, c, &p.RiskLimits[k-1].Cum)
			}
		}
		s := linear(rt, "0.5", "1", "0.01")
		st := state(rt, s, p)
		noErr(rt, st.SetMark(d("100")))
		q := rapid.IntRange(1, 80).Draw(rt, "qty")
		long := trader(rt, s, "0", fmt.Sprint(rapid.IntRange(q, 2*q).Draw(rt, "margin")), fmt.Sprint(q), "100", "0.005")
		long.Tier = rapid.IntRange(0, 3).Draw(rt, "tier")
		long.MMR.Set(&p.RiskLimits[long.Tier].MMR)
		long.Cum.Set(&p.RiskLimits[long.Tier].Cum)
		i := add(rt, st, long)
		add(rt, st, trader(rt, s, "100000", "", fmt.Sprint(-q), "100", "0.005"))
		m := enginetest.New(rt, st)
		var liq bool
		noErr(rt, step(rt, m, st, "Trigger", func(dst []engine.Event) ([]engine.Event, error) {
			var err error
			dst, liq, err = st.Trigger(dst, i)
			return dst, err
		}))
		if !liq {
			rt.Skip("not liquidatable")
		}
		var id engine.IntentID
		var out []engine.Event
		err := step(rt, m, st, "StepDown", func(dst []engine.Event) ([]engine.Event, error) {
			var err error
			dst, id, err = st.StepDown(dst, i)
			out = dst
			return dst, err
		})
		noErr(rt, err)
		intended(rt, "StepDown", id, out, err)
		if id == 0 {
			return
		}
		if rapid.Bool().Draw(rt, "clone") {
			// The ADL on clones of the state and the model, which
			// must keep the step-down's target.
			st, m = st.Clone(), m.Clone()
		}
		x := rapid.IntRange(1, q).Draw(rt, "adl")
		what := fmt.Sprintf("ADL(%d) of the long of %d", x, q)
		if step(rt, m, st, what, func(dst []engine.Event) ([]engine.Event, error) {
			return st.ADL(dst, i, apd.New(int64(x), 0), 1)
		}) != nil {
			return
		}
		for _, h := range []int{i, i + 1} {
			if err := m.Fits(h); err != nil {
				rt.Fatalf("%s: %v", what, err)
			}
		}
	})
}
