package engine_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine"
	"pgregory.net/rapid"
)

// ledger is TestModel's naive model of a State: an event-sourced ledger,
// read from the State once at the start and changed after that only by the
// events the steps emit. Money: one balance per Party (a holder's Wallet,
// Margin and Position, the fund's, and Fees; a Position holds -Cost).
// Quantities: one per holder. What the events record besides money is
// modelled too: the Liquidating flag (Triggered, Restored; cleared once the
// position is gone), the risk tier and its rate (TierLowered), the open
// orders (Cancelled) and the open intents (Intended, the trades of an
// intent, Closed); and the events' numbering, Seq, which runs on by one.
type ledger struct {
	spec    *contract.Spec
	ctx     *apd.Context
	n       int // traders; the fund is engine.Fund
	bal     map[engine.Party]*apd.Decimal
	qty     map[int]*apd.Decimal
	tier    map[int]int
	mmr     map[int]*apd.Decimal
	orders  map[int][]*engine.Order
	liq     map[int]bool
	intents map[engine.IntentID]*modelIntent
	seq     uint64
}

// modelIntent is an open intent as its events describe it: Qty is signed
// (a sell's negative), what is still open.
type modelIntent struct {
	holder     int
	qty, limit apd.Decimal
}

var ledgers = []engine.Ledger{engine.Wallet, engine.Margin, engine.Position}

// key names p's balance in the model: the fee ledger has no holder.
func key(p engine.Party) engine.Party {
	if p.Ledger == engine.Fees {
		return engine.Party{Ledger: engine.Fees}
	}
	return p
}

func newLedger(t checker, st *engine.State) *ledger {
	t.Helper()
	m := &ledger{
		spec: st.Spec(), ctx: derivmath.NewContext(), n: st.Len(),
		bal: map[engine.Party]*apd.Decimal{}, qty: map[int]*apd.Decimal{}, tier: map[int]int{},
		mmr: map[int]*apd.Decimal{}, orders: map[int][]*engine.Order{}, liq: map[int]bool{},
		intents: map[engine.IntentID]*modelIntent{},
	}
	for h := engine.Fund; h < st.Len(); h++ {
		tr := st.Trader(h)
		w, g, c, q, r := new(apd.Decimal), new(apd.Decimal), new(apd.Decimal), new(apd.Decimal), new(apd.Decimal)
		w.Set(&tr.Wallet)
		g.Set(&tr.Margin)
		c.Neg(&tr.Cost)
		q.Set(&tr.Qty)
		r.Set(&tr.MMR)
		m.bal[engine.Party{Ledger: engine.Wallet, Holder: h}] = w
		m.bal[engine.Party{Ledger: engine.Margin, Holder: h}] = g
		m.bal[engine.Party{Ledger: engine.Position, Holder: h}] = c
		m.qty[h], m.mmr[h], m.tier[h], m.liq[h] = q, r, tr.Tier, tr.Liquidating
		for k := range tr.Orders {
			o := &engine.Order{}
			o.Qty.Set(&tr.Orders[k].Qty)
			o.Price.Set(&tr.Orders[k].Price)
			o.Margin.Set(&tr.Orders[k].Margin)
			m.orders[h] = append(m.orders[h], o)
		}
	}
	fees := new(apd.Decimal)
	st.FeeBalance(fees)
	m.bal[key(engine.Party{Ledger: engine.Fees})] = fees
	if st.Intents() != 0 {
		t.Fatalf("model: the state starts with %d open intents", st.Intents())
	}
	return m
}

func (m *ledger) valid(p engine.Party) bool {
	_, ok := m.bal[key(p)]
	return ok
}

// apply books e into the model, or says why it cannot.
func (m *ledger) apply(e *engine.Event) error {
	if e.Seq != m.seq+1 {
		return fmt.Errorf("seq %d after %d", e.Seq, m.seq)
	}
	m.seq = e.Seq
	if e.Trader < engine.Fund || e.Trader >= m.n {
		return fmt.Errorf("no holder %d", e.Trader)
	}
	switch e.Kind {
	case engine.Move, engine.Trade:
		if e.Amount.Negative || e.Kind == engine.Move && e.Amount.IsZero() {
			return fmt.Errorf("amount %s", e.Amount.String())
		}
		var r apd.Decimal
		if err := derivmath.Round(m.ctx, &r, &e.Amount, &m.spec.Minor, derivmath.Down); err != nil || r.Cmp(&e.Amount) != 0 {
			return fmt.Errorf("amount %s is not a whole number of minor units", e.Amount.String())
		}
		if !m.valid(e.From) || !m.valid(e.To) || key(e.From) == key(e.To) {
			return fmt.Errorf("parties %s -> %s", e.From, e.To)
		}
		if e.Kind == engine.Trade {
			if err := m.trade(e); err != nil {
				return err
			}
		}
		_, _ = m.ctx.Sub(m.bal[key(e.From)], m.bal[key(e.From)], &e.Amount)
		_, _ = m.ctx.Add(m.bal[key(e.To)], m.bal[key(e.To)], &e.Amount)
	case engine.Triggered:
		if e.Qty.Cmp(m.qty[e.Trader]) != 0 {
			return fmt.Errorf("Triggered with qty %s, the model's %s", e.Qty.String(), m.qty[e.Trader].String())
		}
		m.liq[e.Trader] = true
	case engine.Restored:
		m.liq[e.Trader] = false
	case engine.Cancelled:
		os := m.orders[e.Trader]
		if len(os) == 0 {
			return fmt.Errorf("Cancelled, but the model has no order left")
		}
		if o := os[0]; o.Qty.Cmp(&e.Qty) != 0 || o.Price.Cmp(&e.Price) != 0 || o.Margin.Cmp(&e.Amount) != 0 {
			return fmt.Errorf("Cancelled %s at %s (margin %s), the model's next order is %s at %s (margin %s)",
				e.Qty.String(), e.Price.String(), e.Amount.String(), o.Qty.String(), o.Price.String(), o.Margin.String())
		}
		m.orders[e.Trader] = os[1:]
	case engine.TierLowered:
		k, err := e.Qty.Int64()
		if err != nil || k < 0 || int(k) >= m.tier[e.Trader] {
			return fmt.Errorf("TierLowered to %s from %d", e.Qty.String(), m.tier[e.Trader])
		}
		m.tier[e.Trader] = int(k)
		m.mmr[e.Trader].Set(&e.Amount)
	case engine.Intended:
		if _, dup := m.intents[e.Intent]; dup || e.Intent == 0 || e.Qty.IsZero() {
			return fmt.Errorf("Intended %d (qty %s)", e.Intent, e.Qty.String())
		}
		in := &modelIntent{holder: e.Trader}
		in.qty.Set(&e.Qty)
		in.limit.Set(&e.Price)
		m.intents[e.Intent] = in
	case engine.Closed:
		in := m.intents[e.Intent]
		if in == nil || in.holder != e.Trader {
			return fmt.Errorf("Closed %d of holder %d: not open", e.Intent, e.Trader)
		}
		var left apd.Decimal
		left.Abs(&in.qty)
		if left.Cmp(&e.Qty) != 0 {
			return fmt.Errorf("Closed %d with %s left, the model's %s", e.Intent, e.Qty.String(), left.String())
		}
		delete(m.intents, e.Intent)
	default:
		return fmt.Errorf("unknown kind %d", e.Kind)
	}
	return nil
}

// trade checks a Trade's content against its own quantity and price (the
// value V(q, price) rounded half-up, moved from the receiver's Position to
// the giver's when positive) and books its quantities and its intent's.
func (m *ledger) trade(e *engine.Event) error {
	if e.Counterparty == e.Trader || e.Counterparty < engine.Fund || e.Counterparty >= m.n || e.Qty.IsZero() {
		return fmt.Errorf("trade of %s between %d and %d", e.Qty.String(), e.Trader, e.Counterparty)
	}
	var a, v apd.Decimal
	a.Abs(&e.Qty)
	if err := m.spec.Value(m.ctx, &v, &a, &e.Price); err != nil {
		return err
	}
	if err := derivmath.Round(m.ctx, &v, &v, &m.spec.Minor, derivmath.HalfUp); err != nil {
		return err
	}
	if v.Cmp(&e.Amount) != 0 {
		return fmt.Errorf("trade value %s, want %s", e.Amount.String(), v.String())
	}
	recv := engine.Party{Ledger: engine.Position, Holder: e.Trader}
	give := engine.Party{Ledger: engine.Position, Holder: e.Counterparty}
	// V(q) has q's sign (linear, quanto), the opposite for inverse: the
	// receiver's cost rises by it, its Position balance falls.
	if rises := e.Qty.Negative == (m.spec.Kind == contract.Inverse); !v.IsZero() &&
		(rises && (e.From != recv || e.To != give) || !rises && (e.From != give || e.To != recv)) {
		return fmt.Errorf("trade value moved %s -> %s", e.From, e.To)
	}
	_, _ = m.ctx.Add(m.qty[e.Trader], m.qty[e.Trader], &e.Qty)
	_, _ = m.ctx.Sub(m.qty[e.Counterparty], m.qty[e.Counterparty], &e.Qty)
	if e.Intent == 0 {
		return nil
	}
	in := m.intents[e.Intent]
	if in == nil || in.holder != e.Trader || in.qty.Negative != e.Qty.Negative || absGreater(&e.Qty, &in.qty) {
		return fmt.Errorf("trade of %s on intent %d, not open for that", e.Qty.String(), e.Intent)
	}
	_, _ = m.ctx.Sub(&in.qty, &in.qty, &e.Qty)
	return nil
}

// settle applies what a step does beyond its events: a holder whose
// position is gone is no longer liquidating.
func (m *ledger) settle() {
	for h, q := range m.qty {
		if q.IsZero() {
			m.liq[h] = false
		}
	}
}

// compare compares the model with the state's accessors.
func (m *ledger) compare(st *engine.State) error {
	var errs []string
	diff := func(what string, got, want *apd.Decimal) {
		if got.Cmp(want) != 0 {
			errs = append(errs, fmt.Sprintf("%s: state %s, model %s", what, got.String(), want.String()))
		}
	}
	if st.Len() != m.n {
		return fmt.Errorf("%d traders, the model's %d", st.Len(), m.n)
	}
	var sum, cost, x apd.Decimal
	for h := engine.Fund; h < m.n; h++ {
		tr := st.Trader(h)
		name := holderName(h)
		cost.Neg(&tr.Cost)
		for _, l := range ledgers {
			p := engine.Party{Ledger: l, Holder: h}
			got := map[engine.Ledger]*apd.Decimal{engine.Wallet: &tr.Wallet, engine.Margin: &tr.Margin, engine.Position: &cost}[l]
			diff(p.String(), got, m.bal[p])
			_, _ = m.ctx.Add(&sum, &sum, m.bal[p])
		}
		diff(name+" qty", &tr.Qty, m.qty[h])
		if m.qty[h].IsZero() && !m.bal[engine.Party{Ledger: engine.Position, Holder: h}].IsZero() {
			errs = append(errs, name+": flat, yet the events leave a cost")
		}
		if tr.Tier != m.tier[h] {
			errs = append(errs, fmt.Sprintf("%s tier: state %d, model %d", name, tr.Tier, m.tier[h]))
		}
		diff(name+" MMR", &tr.MMR, m.mmr[h])
		if tr.Liquidating != m.liq[h] {
			errs = append(errs, fmt.Sprintf("%s liquidating: state %v, model %v", name, tr.Liquidating, m.liq[h]))
		}
		os := m.orders[h]
		same := len(tr.Orders) == len(os)
		for k := 0; same && k < len(os); k++ {
			o := &tr.Orders[k]
			same = o.Qty.Cmp(&os[k].Qty) == 0 && o.Price.Cmp(&os[k].Price) == 0 && o.Margin.Cmp(&os[k].Margin) == 0
		}
		if !same {
			errs = append(errs, fmt.Sprintf("%s: %d orders, the model's %d (or different ones)", name, len(tr.Orders), len(os)))
		}
	}
	fees := m.bal[key(engine.Party{Ledger: engine.Fees})]
	_, _ = m.ctx.Add(&sum, &sum, fees)
	st.FeeBalance(&x)
	diff("Fees", &x, fees)
	st.FundBalance(&x)
	diff("FundBalance", &x, m.bal[engine.Party{Ledger: engine.Wallet, Holder: engine.Fund}])
	if err := st.Total(&x); err != nil {
		return err
	}
	diff("Total", &x, &sum)
	if st.Intents() != len(m.intents) {
		errs = append(errs, fmt.Sprintf("%d open intents, the model's %d", st.Intents(), len(m.intents)))
	}
	for _, id := range m.ids() {
		mi, in := m.intents[id], st.Intent(id)
		if in == nil {
			errs = append(errs, fmt.Sprintf("intent %d: open in the model only", id))
			continue
		}
		x.Set(&in.Qty)
		if in.Side == engine.Sell {
			x.Neg(&x)
		}
		diff(fmt.Sprintf("intent %d qty", id), &x, &mi.qty)
		diff(fmt.Sprintf("intent %d limit", id), &in.Limit, &mi.limit)
		if in.Holder != mi.holder {
			errs = append(errs, fmt.Sprintf("intent %d: holder %d, the model's %d", id, in.Holder, mi.holder))
		}
	}
	if errs != nil {
		return fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return nil
}

// ids returns the model's open intents, in order.
func (m *ledger) ids() []engine.IntentID {
	out := make([]engine.IntentID, 0, len(m.intents))
	for id := range m.intents {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// absorb books the events ev of action what and compares the model with
// st after them.
func (m *ledger) absorb(t checker, st *engine.State, what string, ev []engine.Event) {
	t.Helper()
	for k := range ev {
		if err := m.apply(&ev[k]); err != nil {
			t.Fatalf("%s: event %s: %v\nevents:\n%s", what, ev[k].String(), err, eventsText(ev))
		}
	}
	m.settle()
	if err := m.compare(st); err != nil {
		t.Fatalf("%s: the state differs from its events:\n%v\nevents:\n%s", what, err, eventsText(ev))
	}
}

// step runs one step on a dst that holds one event and, drawn, room for
// more: on success it books the events appended; on failure it checks that
// dst comes back as it was, with nothing appended, and the state as the
// model has it.
func (m *ledger) step(rt *rapid.T, st *engine.State, what string, call func([]engine.Event) ([]engine.Event, error)) error {
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
			rt.Fatalf("%s failed (%v), yet appended:\n%s", what, err, eventsText(ev))
		}
		if d := m.compare(st); d != nil {
			rt.Fatalf("%s failed (%v) and changed the state:\n%v", what, err, d)
		}
		return err
	}
	m.absorb(rt, st, what, ev)
	return nil
}

// pick draws one of the model's open intents, or skips.
func (m *ledger) pick(rt *rapid.T) engine.IntentID {
	ids := m.ids()
	if len(ids) == 0 {
		rt.Skip("no open intent")
	}
	return ids[rapid.IntRange(0, len(ids)-1).Draw(rt, "intent")]
}

// TestModel is a rapid state machine that checks the State against an
// event-sourced ledger (ledger): TestInvariants' states (genState), marks
// (moveMark) and liquidations (pipeline), and each step alone on random
// holders, open intents and fills, bad fills and ADL quantities included.
// After every action every balance (wallets, margins, costs, the fund, the
// fees, the total), quantity, tier, order, intent and Liquidating flag the
// State exposes must be what the events since the start make of the
// initial state, and each Trade's value its quantity's at its price; a
// step that fails must return dst as it was and change nothing.
func TestModel(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		st := genState(rt)
		m := newLedger(rt, st)
		who := func(rt *rapid.T) int { return rapid.IntRange(1, st.Len()-1).Draw(rt, "trader") }
		// liquidating draws, mostly, a trader the model has liquidating.
		liquidating := func(rt *rapid.T) int {
			var in []int
			for i := 1; i < st.Len(); i++ {
				if m.liq[i] {
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
			"mark": func(rt *rapid.T) {
				moveMark(rt, st)
				m.absorb(rt, st, "SetMark", nil)
			},
			"liquidate": func(rt *rapid.T) {
				i, sc := who(rt), choices(rt)
				ev := pipeline(rt, st, i, sc, rapid.Uint64().Draw(rt, "seed"))
				m.absorb(rt, st, fmt.Sprintf("pipeline of trader %d", i), ev)
			},
			"trigger": func(rt *rapid.T) {
				// Every trader in turn, one step each.
				for i := 1; i < st.Len(); i++ {
					_ = m.step(rt, st, fmt.Sprintf("Trigger(%d)", i), func(dst []engine.Event) ([]engine.Event, error) {
						dst, _, err := st.Trigger(dst, i)
						return dst, err
					})
				}
			},
			"cancel": func(rt *rapid.T) {
				i := liquidating(rt)
				_ = m.step(rt, st, fmt.Sprintf("Cancel(%d)", i), func(dst []engine.Event) ([]engine.Event, error) {
					return st.Cancel(dst, i)
				})
			},
			"step down": func(rt *rapid.T) {
				i := liquidating(rt)
				_ = m.step(rt, st, fmt.Sprintf("StepDown(%d)", i), func(dst []engine.Event) ([]engine.Event, error) {
					dst, _, err := st.StepDown(dst, i)
					return dst, err
				})
			},
			"takeover": func(rt *rapid.T) {
				i := liquidating(rt)
				_ = m.step(rt, st, fmt.Sprintf("Takeover(%d)", i), func(dst []engine.Event) ([]engine.Event, error) {
					dst, _, err := st.Takeover(dst, i)
					return dst, err
				})
			},
			"execute": func(rt *rapid.T) {
				id := m.pick(rt)
				f := fills(st, id, choices(rt))
				if f == nil {
					rt.Skip("no fill")
				}
				_ = m.step(rt, st, fmt.Sprintf("Execute(%d)", id), func(dst []engine.Event) ([]engine.Event, error) {
					return st.Execute(dst, id, f)
				})
			},
			"bad fill": func(rt *rapid.T) {
				id := engine.IntentID(999999)
				var f engine.Fill
				f.Qty.SetInt64(1)
				st.Mark(&f.Price)
				if len(m.intents) > 0 {
					id = m.pick(rt)
					in := st.Intent(id)
					f.Maker = 0
					switch rapid.IntRange(0, 3).Draw(rt, "bad") {
					case 0: // more than the intent's open quantity
						_, _ = m.ctx.Add(&f.Qty, &in.Qty, apd.New(1, 0))
					case 1: // not positive
						f.Qty.SetInt64(0)
					case 2: // the holder itself, or no trader
						f.Maker = in.Holder
					default: // beyond the limit, or a maker out of range
						switch {
						case in.Limit.IsZero():
							f.Maker = st.Len()
						case in.Side == engine.Sell:
							_, _ = m.ctx.Sub(&f.Price, &in.Limit, &st.Spec().Tick)
						default:
							_, _ = m.ctx.Add(&f.Price, &in.Limit, &st.Spec().Tick)
						}
					}
				}
				if f.Price.Sign() <= 0 {
					rt.Skip("no price below the limit")
				}
				if m.step(rt, st, fmt.Sprintf("Execute(%d) of a bad fill", id), func(dst []engine.Event) ([]engine.Event, error) {
					return st.Execute(dst, id, []engine.Fill{f})
				}) == nil {
					rt.Fatalf("Execute(%d) took a bad fill of %s at %s from %d", id, f.Qty.String(), f.Price.String(), f.Maker)
				}
			},
			"withdraw": func(rt *rapid.T) {
				id := m.pick(rt)
				_ = m.step(rt, st, fmt.Sprintf("Withdraw(%d)", id), func(dst []engine.Event) ([]engine.Event, error) {
					return st.Withdraw(dst, id)
				})
			},
			"adl": func(rt *rapid.T) {
				// Mostly a holder with a position, for at most all of it.
				var open []int
				for h := engine.Fund; h < st.Len(); h++ {
					if !m.qty[h].IsZero() {
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
				seed := rapid.Uint64().Draw(rt, "seed")
				_ = m.step(rt, st, fmt.Sprintf("ADL(%d, %s)", h, q.String()), func(dst []engine.Event) ([]engine.Event, error) {
					return st.ADL(dst, h, q, seed)
				})
			},
			"socialise": func(rt *rapid.T) {
				_ = m.step(rt, st, "Socialise", func(dst []engine.Event) ([]engine.Event, error) {
					return st.Socialise(dst)
				})
			},
		})
	})
}

func holderName(h int) string {
	if h == engine.Fund {
		return "fund"
	}
	return fmt.Sprintf("trader %d", h)
}
