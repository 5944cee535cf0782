// Package enginetest holds what the tests of package engine and of
// package engine/drive share: Ledger, an event-sourced model of an
// engine.State that TestModel and TestDriverModel check the State
// against, and GenState, the random small market both draw. Only _test.go
// files import it.
package enginetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine"
	"pgregory.net/rapid"
)

// TB is the part of testing.TB and *rapid.T the helpers use.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
}

// Ledger is a naive model of a State: an event-sourced ledger, read from
// the State once at the start and changed after that only by the events
// the steps emit. Money: one balance per Party (a holder's Wallet, Margin
// and Position, the fund's, and Fees; a Position holds -Cost).
// Quantities: one per holder. What the events record besides money is
// modelled too: the Liquidating flag (Triggered, Restored, the fund's
// takeover; cleared once the position is gone, see Settle), the risk tier,
// its rate and its maintenance amount (TierLowered, the last from the
// preset's table), the fee reserve (the reserve at the start times the
// quantity over the quantity at the start, rounded up to the minor unit,
// at most the first on a reduction: engine.Trader's FeeReserve; New must
// read a State whose traders have not traded since they were added), the
// open orders (Cancelled) and the open
// intents (Intended, the trades of an intent, Reduced, Closed); and the
// events' numbering, Seq, which runs on by one.
type Ledger struct {
	spec    *contract.Spec
	ctx     *apd.Context
	n       int // traders; the fund is engine.Fund
	bal     map[engine.Party]*apd.Decimal
	qty     map[int]*apd.Decimal
	tier    map[int]int
	mmr     map[int]*apd.Decimal
	cum     map[int]*apd.Decimal
	res0    map[int]*apd.Decimal // FeeReserve at the start
	qty0    map[int]*apd.Decimal // |Qty| at the start
	limits  []engine.RiskLimit   // the preset's
	orders  map[int][]*engine.Order
	liq     map[int]bool
	intents map[engine.IntentID]*intent
	seq     uint64
	// What TestModel's reads compare besides (reads.go): the preset, the
	// holders' modes, the mark (Triggered and Restored carry it; the
	// caller books each mark it sets with SetMark) and Drift's insurance
	// account (insured, unpaid), which the Cover and Socialised events
	// change.
	preset          *engine.Preset
	mode            map[int]account.Mode
	mark            apd.Decimal
	insured, unpaid apd.Decimal
}

// intent is an open intent as its events describe it: qty is signed (a
// sell's negative), what is still open; tif is the time in force the
// preset's rule gives its step (Ledger.tif); keep, for a step-down toward
// a target (the StepDown and TierReduce rules), the position it aims at:
// |position| less |qty| when it was opened (Ledger.target), nil for any
// other intent.
type intent struct {
	holder     int
	step       engine.Step
	tif        engine.TIF
	qty, limit apd.Decimal
	keep       *apd.Decimal
}

var ledgers = []engine.Ledger{engine.Wallet, engine.Margin, engine.Position}

// key names p's balance in the model: the fee ledger has no holder.
func key(p engine.Party) engine.Party {
	if p.Ledger == engine.Fees {
		return engine.Party{Ledger: engine.Fees}
	}
	return p
}

// New reads st into a new Ledger; st must have no open intent.
func New(t TB, st *engine.State) *Ledger {
	t.Helper()
	m := &Ledger{
		spec: st.Spec(), ctx: derivmath.NewContext(), n: st.Len(),
		bal: map[engine.Party]*apd.Decimal{}, qty: map[int]*apd.Decimal{}, tier: map[int]int{},
		mmr: map[int]*apd.Decimal{}, cum: map[int]*apd.Decimal{}, limits: st.Preset().RiskLimits,
		res0: map[int]*apd.Decimal{}, qty0: map[int]*apd.Decimal{},
		orders: map[int][]*engine.Order{}, liq: map[int]bool{}, intents: map[engine.IntentID]*intent{},
		preset: st.Preset(), mode: map[int]account.Mode{},
	}
	st.Mark(&m.mark)
	for h := engine.Fund; h < st.Len(); h++ {
		m.read(h, st.Trader(h))
	}
	fees := new(apd.Decimal)
	st.FeeBalance(fees)
	m.bal[key(engine.Party{Ledger: engine.Fees})] = fees
	if st.Intents() != 0 {
		t.Fatalf("model: the state starts with %d open intents", st.Intents())
	}
	return m
}

// read books holder h, as tr holds it, into the model.
func (m *Ledger) read(h int, tr *engine.Trader) {
	w, g, c, q, r, cum := new(apd.Decimal), new(apd.Decimal), new(apd.Decimal), new(apd.Decimal), new(apd.Decimal), new(apd.Decimal)
	w.Set(&tr.Wallet)
	g.Set(&tr.Margin)
	c.Neg(&tr.Cost)
	q.Set(&tr.Qty)
	r.Set(&tr.MMR)
	cum.Set(&tr.Cum)
	m.bal[engine.Party{Ledger: engine.Wallet, Holder: h}] = w
	m.bal[engine.Party{Ledger: engine.Margin, Holder: h}] = g
	m.bal[engine.Party{Ledger: engine.Position, Holder: h}] = c
	m.qty[h], m.mmr[h], m.cum[h], m.tier[h], m.liq[h] = q, r, cum, tr.Tier, tr.Liquidating
	m.res0[h], m.qty0[h] = new(apd.Decimal).Set(&tr.FeeReserve), new(apd.Decimal).Abs(&tr.Qty)
	for k := range tr.Orders {
		m.orders[h] = append(m.orders[h], copyOrder(&tr.Orders[k]))
	}
	m.mode[h] = tr.Mode
	if h == engine.Fund {
		m.mode[h] = account.Cross
	}
}

// copyOrder returns a copy of o that shares no decimal with it.
func copyOrder(o *engine.Order) *engine.Order {
	n := &engine.Order{}
	n.Qty.Set(&o.Qty)
	n.Price.Set(&o.Price)
	n.Margin.Set(&o.Margin)
	return n
}

// Liquidating is holder h's Liquidating flag in the model.
func (m *Ledger) Liquidating(h int) bool { return m.liq[h] }

// Flat says whether the model has holder h without a position.
func (m *Ledger) Flat(h int) bool { return m.qty[h].IsZero() }

func (m *Ledger) valid(p engine.Party) bool {
	_, ok := m.bal[key(p)]
	return ok
}

// Apply books e into the model, or says why it cannot.
func (m *Ledger) Apply(e *engine.Event) error {
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
		if e.Why == engine.Cover && m.preset.Socialise == engine.DriftFunding {
			m.cover(&e.Amount)
		}
		if e.Why == engine.Socialised && m.preset.Socialise == engine.DriftFunding {
			m.unpaid.SetInt64(0)
		}
		if e.Kind == engine.Trade {
			if err := m.trade(e); err != nil {
				return err
			}
			if e.Step == engine.StepTakeover && e.Intent == 0 {
				// The fund took the position over (Takeover: FundTakes):
				// the account's liquidation is over, whatever it holds
				// after (a fill of its own resting order).
				m.liq[e.Counterparty] = false
			}
		}
		_, _ = m.ctx.Sub(m.bal[key(e.From)], m.bal[key(e.From)], &e.Amount)
		_, _ = m.ctx.Add(m.bal[key(e.To)], m.bal[key(e.To)], &e.Amount)
	case engine.Triggered:
		if e.Qty.Cmp(m.qty[e.Trader]) != 0 {
			return fmt.Errorf("event Triggered with qty %s, the model's %s", e.Qty.String(), m.qty[e.Trader].String())
		}
		if e.Price.Cmp(&m.mark) != 0 {
			return fmt.Errorf("event Triggered at %s, the model's mark %s", e.Price.String(), m.mark.String())
		}
		m.liq[e.Trader] = true
	case engine.Restored:
		if e.Price.Cmp(&m.mark) != 0 {
			return fmt.Errorf("event Restored at %s, the model's mark %s", e.Price.String(), m.mark.String())
		}
		m.liq[e.Trader] = false
	case engine.Cancelled:
		os := m.orders[e.Trader]
		if len(os) == 0 {
			return fmt.Errorf("event Cancelled, but the model has no order left")
		}
		if o := os[0]; o.Qty.Cmp(&e.Qty) != 0 || o.Price.Cmp(&e.Price) != 0 || o.Margin.Cmp(&e.Amount) != 0 {
			return fmt.Errorf("event Cancelled %s at %s (margin %s), the model's next order is %s at %s (margin %s)",
				e.Qty.String(), e.Price.String(), e.Amount.String(), o.Qty.String(), o.Price.String(), o.Margin.String())
		}
		m.orders[e.Trader] = os[1:]
	case engine.TierLowered:
		k, err := e.Qty.Int64()
		if err != nil || k < 0 || int(k) >= m.tier[e.Trader] {
			return fmt.Errorf("event TierLowered to %s from %d", e.Qty.String(), m.tier[e.Trader])
		}
		m.tier[e.Trader] = int(k)
		m.mmr[e.Trader].Set(&e.Amount)
		m.cum[e.Trader].Set(&m.limits[k].Cum)
	case engine.Intended:
		if _, dup := m.intents[e.Intent]; dup || e.Intent == 0 || e.Qty.IsZero() {
			return fmt.Errorf("event Intended %d (qty %s)", e.Intent, e.Qty.String())
		}
		in := &intent{holder: e.Trader, step: e.Step, tif: m.tif(e.Step)}
		in.qty.Set(&e.Qty)
		in.limit.Set(&e.Price)
		if e.Step == engine.StepPartial && (m.preset.Partial == engine.StepDown || m.preset.Partial == engine.TierReduce) {
			in.keep = new(apd.Decimal)
			var q apd.Decimal
			q.Abs(&e.Qty)
			in.keep.Abs(m.qty[e.Trader])
			_, _ = m.ctx.Sub(in.keep, in.keep, &q)
		}
		m.intents[e.Intent] = in
	case engine.Closed:
		in := m.intents[e.Intent]
		if in == nil || in.holder != e.Trader {
			return fmt.Errorf("event Closed %d of holder %d: not open", e.Intent, e.Trader)
		}
		var left apd.Decimal
		left.Abs(&in.qty)
		if left.Cmp(&e.Qty) != 0 {
			return fmt.Errorf("event Closed %d with %s left, the model's %s", e.Intent, e.Qty.String(), left.String())
		}
		delete(m.intents, e.Intent)
	case engine.Reduced:
		in := m.intents[e.Intent]
		if in == nil || in.holder != e.Trader {
			return fmt.Errorf("event Reduced %d of holder %d: not open", e.Intent, e.Trader)
		}
		var was apd.Decimal
		was.Abs(&in.qty)
		want := m.fit(in)
		if e.Qty.Sign() <= 0 || e.Qty.Cmp(&was) >= 0 || e.Qty.Cmp(want) != 0 {
			return fmt.Errorf("event Reduced %d to %s from %s, its holder's position %s; want %s", e.Intent, e.Qty.String(), was.String(), m.qty[e.Trader].String(), want.String())
		}
		neg := in.qty.Negative
		in.qty.Set(&e.Qty)
		in.qty.Negative = neg
	default:
		return fmt.Errorf("unknown kind %d", e.Kind)
	}
	return nil
}

// tif is the time in force of an intent the preset's rules open at step:
// Takeover's is the preset's TIF; StepDown's is a FOK under the StepDown
// rule (Binance's bracket: an IOC) and an IOC under every other partial
// rule. Any other step opens no intent: 0, no time in force.
func (m *Ledger) tif(step engine.Step) engine.TIF {
	switch {
	case step == engine.StepTakeover:
		return m.preset.TIF
	case step != engine.StepPartial:
		return 0
	case m.preset.Partial == engine.StepDown && m.preset.Venue != engine.Binance:
		return engine.FOK
	}
	return engine.IOC
}

// trade checks a Trade's content against its own quantity and price (the
// value V(q, price) rounded half-up, moved from the receiver's Position to
// the giver's when positive) and books its quantities and its intent's.
func (m *Ledger) trade(e *engine.Event) error {
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
	if in == nil || in.holder != e.Trader || in.qty.Negative != e.Qty.Negative || AbsGreater(&e.Qty, &in.qty) {
		return fmt.Errorf("trade of %s on intent %d, not open for that", e.Qty.String(), e.Intent)
	}
	_, _ = m.ctx.Sub(&in.qty, &in.qty, &e.Qty)
	return nil
}

// Settle applies what a step does beyond its events: a holder whose
// position is gone is no longer liquidating (Trader.Liquidating: "cleared
// when the account is no longer liquidatable or its position is gone").
// The caller says when that is judged: TestModel after each action,
// TestDriverModel also after each Closed (the makers' flags, judged once
// an Execute or Withdraw is over).
func (m *Ledger) Settle() {
	for h, q := range m.qty {
		if q.IsZero() {
			m.liq[h] = false
		}
	}
}

// Compare compares the model with the state's accessors.
func (m *Ledger) Compare(st *engine.State) error {
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
		name := HolderName(h)
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
		diff(name+" fee reserve", &tr.FeeReserve, m.reserve(h))
		diff(name+" cum", &tr.Cum, m.cum[h])
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
	for _, id := range m.IDs() {
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
		if in.Holder != mi.holder || in.ID != id || in.Step != mi.step || in.TIF != mi.tif {
			errs = append(errs, fmt.Sprintf("intent %d: ID %d, holder %d, step %v, TIF %v; the model's holder %d, step %v, TIF %v",
				id, in.ID, in.Holder, in.Step, in.TIF, mi.holder, mi.step, mi.tif))
		}
	}
	if errs != nil {
		return errors.New(strings.Join(errs, "\n"))
	}
	return nil
}

// fit returns the most intent in may ask for: its holder's |position|,
// or for a step-down toward a target what lies above the target (0 or
// less: nothing, the intent must be closed).
func (m *Ledger) fit(in *intent) *apd.Decimal {
	z := new(apd.Decimal)
	z.Abs(m.qty[in.holder])
	if in.keep != nil && !z.IsZero() {
		_, _ = m.ctx.Sub(z, z, in.keep)
	}
	return z
}

// Fits reports an open intent of holder h that asks for more than h's
// position holds, a step-down that asks for more than lies above its
// target, or one of them left open with nothing to close (h flat, or a
// step-down's target reached): what State.ADL leaves of the intents of
// the traders it deleverages.
func (m *Ledger) Fits(h int) error {
	var q apd.Decimal
	for _, id := range m.IDs() {
		if in := m.intents[id]; in.holder == h {
			want := m.fit(in)
			if q.Abs(&in.qty); want.Sign() <= 0 || q.Cmp(want) > 0 {
				return fmt.Errorf("intent %d of %s (step %v, target %v) asks for %s, its position is %s", id, HolderName(h), in.step, in.keep, q.String(), m.qty[h].String())
			}
		}
	}
	return nil
}

// IDs returns the model's open intents, in order.
func (m *Ledger) IDs() []engine.IntentID {
	out := make([]engine.IntentID, 0, len(m.intents))
	for id := range m.intents {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// Pick draws one of the model's open intents, or skips.
func (m *Ledger) Pick(rt *rapid.T) engine.IntentID {
	ids := m.IDs()
	if len(ids) == 0 {
		rt.Skip("no open intent")
	}
	return ids[rapid.IntRange(0, len(ids)-1).Draw(rt, "intent")]
}

// Absorb books the events ev of action what, settles, and compares the
// model with st after them; it fails the test if an event cannot be
// booked or the state differs.
func (m *Ledger) Absorb(t TB, st *engine.State, what string, ev []engine.Event) {
	t.Helper()
	for k := range ev {
		if err := m.Apply(&ev[k]); err != nil {
			t.Fatalf("%s: event %s: %v\nevents:\n%s", what, ev[k].String(), err, EventsText(ev))
		}
	}
	m.Settle()
	if err := m.Compare(st); err != nil {
		t.Fatalf("%s: the state differs from its events:\n%v\nevents:\n%s", what, err, EventsText(ev))
	}
}

// reserve is holder h's fee reserve at its quantity in the model.
func (m *Ledger) reserve(h int) *apd.Decimal {
	r0, q0 := m.res0[h], m.qty0[h]
	var a apd.Decimal
	a.Abs(m.qty[h])
	switch {
	case r0.IsZero() || q0.IsZero() || a.Cmp(q0) == 0:
		return r0
	case a.IsZero():
		return new(apd.Decimal)
	}
	// Rounded up once, to the minor unit: the quotient at 40 digits,
	// rounded up, stands for the exact one.
	wide := apd.BaseContext.WithPrecision(40)
	wide.Rounding = apd.RoundCeiling
	r := new(apd.Decimal)
	_, _ = wide.Mul(r, r0, &a)
	_, _ = wide.Quo(r, r, q0)
	_ = derivmath.Round(wide, r, r, &m.spec.Minor, derivmath.Ceiling)
	if a.Cmp(q0) < 0 && r.Cmp(r0) > 0 {
		r.Set(r0)
	}
	return r
}

// AbsGreater says whether |x| > |y|.
func AbsGreater(x, y *apd.Decimal) bool {
	var a, b apd.Decimal
	a.Abs(x)
	b.Abs(y)
	return a.Cmp(&b) > 0
}

// EventsText prints ev, an event a line.
func EventsText(ev []engine.Event) string {
	var b strings.Builder
	for k := range ev {
		b.WriteString(ev[k].String())
		b.WriteByte('\n')
	}
	return b.String()
}

// HolderName names holder h in messages: "fund" or "trader h".
func HolderName(h int) string {
	if h == engine.Fund {
		return "fund"
	}
	return fmt.Sprintf("trader %d", h)
}
