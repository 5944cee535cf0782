package markindex_test

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine/markindex"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
	"pgregory.net/rapid"
)

// The state machine: accounts (isolated or cross, on one or two linear
// USDT contracts) under one convention, each keyed in the Index of every
// contract it holds. After every action, the accounts the index finds
// (Tick's hits confirmed by account.Account.Liquidatable, or a re-key that
// returns Now and is confirmed) must be exactly the accounts a brute-force
// scan finds liquidatable; those are then liquidated (removed), so that
// before each action no account is liquidatable.
type machine struct {
	conv  liquidation.Convention
	specs [2]*contract.Spec
	marks [2]apd.Decimal
	idx   [2]*markindex.Index
	accts map[markindex.ID]*acct
	next  markindex.ID
	tol   apd.Decimal
	hits  []markindex.ID
	legs  []markindex.Leg
	stats *stats
	// keys is the model of each Index: the key of every indexed ID, in
	// the form the Index's documentation says it stores.
	keys  [2]map[markindex.ID]markindex.Key
	order markindex.Order
}

type acct struct {
	a     *account.Account
	cross bool
}

type stats struct{ ticks, hits, found, falsePos, rekeyNow int }

func newMachine(t *rapid.T, st *stats) *machine {
	m := &machine{accts: map[markindex.ID]*acct{}, stats: st}
	m.keys = [2]map[markindex.ID]markindex.Key{{}, {}}
	m.conv = rapid.SampledFrom([]liquidation.Convention{liquidation.Binance, liquidation.BitMEX, liquidation.Bybit}).Draw(t, "conv")
	m.specs[0] = contract.BTCUSDT()
	eth, err := contract.New(contract.Params{Symbol: "ETHUSDT", Kind: contract.Linear, Settle: "USDT", Multiplier: "1", Tick: "0.01", Lot: "0.001", Taker: "0.0005"})
	if err != nil {
		t.Fatal(err)
	}
	m.specs[1] = eth
	m.marks[0].Set(d("50000"))
	m.marks[1].Set(d("3000"))
	order := rapid.SampledFrom([]markindex.Order{markindex.Deepest, markindex.ByKey}).Draw(t, "order")
	m.order = order
	for s := range m.specs {
		if m.idx[s], err = markindex.New(&m.specs[s].Tick, order); err != nil {
			t.Fatal(err)
		}
	}
	m.tol.Set(d("0.01"))
	return m
}

// position draws a position on contract s opened at its mark.
func (m *machine) position(t *rapid.T, s int, mode account.Mode) *account.Position {
	p := &account.Position{Spec: m.specs[s], Side: account.OneWay, Mode: mode}
	lots := rapid.Int64Range(-2000, 2000).Filter(func(n int64) bool { return n != 0 }).Draw(t, "lots")
	p.Qty.SetFinite(lots, -3)
	p.Entry.Set(&m.marks[s])
	p.Leverage.SetInt64(rapid.Int64Range(2, 100).Draw(t, "leverage"))
	p.MMR.Set(d("0.005"))
	if s == 0 && m.conv == liquidation.Binance && rapid.Bool().Draw(t, "tiers") {
		p.Tiers = margin.BTCUSDT()
	}
	if mode == account.Isolated {
		ctx := derivmath.NewContext()
		var v apd.Decimal
		_, _ = ctx.Mul(&v, &p.Qty, &p.Entry)
		v.Abs(&v)
		_, _ = ctx.Quo(&p.Margin, &v, &p.Leverage)
		// Added margin, or some lost.
		var f apd.Decimal
		f.SetFinite(rapid.Int64Range(60, 300).Draw(t, "marginPct"), -2)
		_, _ = ctx.Mul(&p.Margin, &p.Margin, &f)
		_, _ = ctx.Quantize(&p.Margin, &p.Margin, -6)
	}
	return p
}

func (m *machine) rekey(t *rapid.T, id markindex.ID) (now bool) {
	ac := m.accts[id]
	held := [2]bool{}
	for i := range ac.a.Len() {
		for s := range m.specs {
			if ac.a.Position(i).Spec == m.specs[s] {
				held[s] = true
			}
		}
	}
	if ac.cross {
		m.legs = m.legs[:0]
		for s := range m.specs {
			if held[s] {
				m.legs = append(m.legs, markindex.Leg{Spec: m.specs[s], Index: m.idx[s]})
			}
		}
		if len(m.legs) > 0 {
			if err := markindex.Cross(ac.a, "USDT", &m.tol, m.legs); err != nil {
				t.Fatalf("cross: %v", err)
			}
		}
		for _, l := range m.legs {
			for s := range m.specs {
				if l.Spec == m.specs[s] {
					m.upsert(t, s, id, l.Key)
					now = now || l.Key == markindex.Now()
				}
			}
		}
	} else {
		for i := range ac.a.Len() {
			for s := range m.specs {
				if ac.a.Position(i).Spec != m.specs[s] {
					continue
				}
				k, err := m.idx[s].Position(ac.a, i)
				if err != nil {
					t.Fatalf("position: %v", err)
				}
				m.upsert(t, s, id, k)
				now = now || k == markindex.Now()
				m.checkIsolated(t, ac.a, i, s, k)
			}
		}
	}
	for s := range m.specs {
		if !held[s] {
			m.remove(t, s, id)
		}
	}
	return now
}

// checkIsolated checks that k fires no later than the exact liquidation
// price of isolated position i.
func (m *machine) checkIsolated(t *rapid.T, a *account.Account, i, s int, k markindex.Key) {
	var r account.Report
	if err := a.Report(&r, i, liquidation.Exact); err != nil {
		t.Fatal(err)
	}
	if r.LiquidationStatus != liquidation.Found || k == markindex.Now() {
		return
	}
	var unit, edge apd.Decimal
	m.idx[s].Unit(&unit)
	ctx := derivmath.NewContext()
	if k.Lo > 0 {
		_, _ = ctx.Mul(&edge, &unit, apd.New(k.Lo, 0))
		if edge.Cmp(&r.Liquidation) < 0 {
			t.Fatalf("long key %s below its liquidation price %s", edge.String(), r.Liquidation.String())
		}
	}
	if k.Hi > 0 {
		_, _ = ctx.Mul(&edge, &unit, apd.New(k.Hi, 0))
		if edge.Cmp(&r.Liquidation) > 0 {
			t.Fatalf("short key %s above its liquidation price %s", edge.String(), r.Liquidation.String())
		}
	}
}

// settle compares what the index found with a brute-force scan, and
// liquidates (removes) what both found.
func (m *machine) settle(t *rapid.T, found []markindex.ID) {
	var brute []markindex.ID
	for id, ac := range m.accts {
		if ac.a.Liquidatable() {
			brute = append(brute, id)
		}
	}
	slices.Sort(brute)
	slices.Sort(found)
	found = slices.Compact(found)
	if !slices.Equal(found, brute) {
		t.Fatalf("index found %v, brute-force scan %v", found, brute)
	}
	m.stats.found += len(found)
	for _, id := range found {
		for s := range m.specs {
			m.remove(t, s, id)
		}
		delete(m.accts, id)
	}
}

func (m *machine) Open(t *rapid.T) {
	a, err := account.New(derivmath.NewContext(), m.conv)
	if err != nil {
		t.Fatal(err)
	}
	for s := range m.specs {
		if err := a.SetMark(m.specs[s], &m.marks[s]); err != nil {
			t.Fatal(err)
		}
	}
	cross := rapid.Bool().Draw(t, "cross")
	mode := account.Isolated
	if cross {
		mode = account.Cross
	}
	var w apd.Decimal
	w.SetInt64(rapid.Int64Range(50, 20_000).Draw(t, "wallet"))
	if err := a.SetWallet("USDT", &w); err != nil {
		t.Fatal(err)
	}
	both := rapid.Bool().Draw(t, "both")
	first := rapid.IntRange(0, 1).Draw(t, "first")
	for s := range m.specs {
		if s != first && !both {
			continue
		}
		if err := a.Set(m.position(t, s, mode)); err != nil {
			t.Fatalf("set: %v", err)
		}
	}
	m.next++
	id := m.next
	m.accts[id] = &acct{a: a, cross: cross}
	m.change(t, id)
}

// change re-keys id after a change to its account; a Now key is confirmed
// at once.
func (m *machine) change(t *rapid.T, id markindex.ID) {
	var found []markindex.ID
	if m.rekey(t, id) {
		m.stats.rekeyNow++
		if m.accts[id].a.Liquidatable() {
			found = append(found, id)
		}
	}
	m.settle(t, found)
}

func (m *machine) pick(t *rapid.T) markindex.ID {
	if len(m.accts) == 0 {
		t.Skip("no accounts")
	}
	ids := make([]markindex.ID, 0, len(m.accts))
	for id := range m.accts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return rapid.SampledFrom(ids).Draw(t, "id")
}

func (m *machine) Tick(t *rapid.T) {
	s := rapid.IntRange(0, 1).Draw(t, "symbol")
	bp := rapid.Int64Range(-300, 300).Draw(t, "bp")
	if rapid.IntRange(0, 3).Draw(t, "jump") == 0 {
		bp *= 3 // a jump past the 1% bands
	}
	ctx := derivmath.NewContext()
	var f, mark apd.Decimal
	f.SetFinite(10_000+bp, -4)
	_, _ = ctx.Mul(&mark, &m.marks[s], &f)
	if err := derivmath.Round(ctx, &mark, &mark, &m.specs[s].Tick, derivmath.HalfEven); err != nil {
		t.Fatal(err)
	}
	// Sometimes a mark off the tick, as Binance's are.
	if rapid.Bool().Draw(t, "offTick") {
		_, _ = ctx.Add(&mark, &mark, d("0.0037"))
	}
	m.marks[s].Set(&mark)
	for _, ac := range m.accts {
		if err := ac.a.SetMark(m.specs[s], &mark); err != nil {
			t.Fatalf("set mark: %v", err)
		}
	}
	// Tick appends to a dst that may hold IDs already.
	pre := rapid.IntRange(0, 2).Draw(t, "prefix")
	m.hits = m.hits[:0]
	for j := range pre {
		m.hits = append(m.hits, markindex.ID(1000+j))
	}
	got, err := m.idx[s].Tick(&mark, m.hits)
	if err != nil {
		t.Fatal(err)
	}
	fl, ce := m.units(t, s, &mark)
	m.checkHits(t, s, got, pre, fl, ce)
	m.hits = got[pre:]
	m.stats.ticks++
	m.stats.hits += len(m.hits)
	var found []markindex.ID
	for _, id := range m.hits {
		if m.accts[id].a.Liquidatable() {
			found = append(found, id)
			continue
		}
		m.stats.falsePos++
		if m.rekey(t, id) && m.accts[id].a.Liquidatable() {
			found = append(found, id)
		}
	}
	m.settle(t, found)
}

func (m *machine) Fill(t *rapid.T) {
	id := m.pick(t)
	ac := m.accts[id]
	i := rapid.IntRange(0, ac.a.Len()-1).Draw(t, "pos")
	old := ac.a.Position(i)
	s := 0
	if old.Spec == m.specs[1] {
		s = 1
	}
	mode := account.Isolated
	if ac.cross {
		mode = account.Cross
	}
	p := m.position(t, s, mode)
	if rapid.IntRange(0, 4).Draw(t, "close") == 0 && ac.a.Len() > 1 {
		p.Qty.SetInt64(0)
	}
	if err := ac.a.Set(p); err != nil {
		t.Fatalf("set: %v", err)
	}
	m.change(t, id)
}

func (m *machine) Transfer(t *rapid.T) {
	id := m.pick(t)
	ac := m.accts[id]
	var amt apd.Decimal
	amt.SetInt64(rapid.Int64Range(-500, 500).Draw(t, "amount"))
	if ac.cross {
		if err := ac.a.Transfer("USDT", &amt); err != nil {
			t.Fatal(err)
		}
	} else {
		// A margin transfer into or out of an isolated position.
		i := rapid.IntRange(0, ac.a.Len()-1).Draw(t, "pos")
		old := ac.a.Position(i)
		p := &account.Position{Spec: old.Spec, Side: old.Side, Mode: old.Mode, Tiers: old.Tiers}
		p.Qty.Set(&old.Qty)
		p.Entry.Set(&old.Entry)
		p.Leverage.Set(&old.Leverage)
		p.MMR.Set(&old.MMR)
		ctx := derivmath.NewContext()
		_, _ = ctx.Add(&p.Margin, &old.Margin, &amt)
		if p.Margin.Sign() <= 0 {
			t.Skip("margin would not be positive")
		}
		if err := ac.a.Set(p); err != nil {
			t.Fatalf("set: %v", err)
		}
	}
	m.change(t, id)
}

func (m *machine) Close(t *rapid.T) {
	id := m.pick(t)
	for s := range m.specs {
		m.remove(t, s, id)
	}
	delete(m.accts, id)
	m.settle(t, nil)
}

// TickUnits ticks an Index at a whole number of units, near a key or at
// none (0 or fewer reaches every Lo), without moving the marks: its hits
// are compared with the model's and not settled.
func (m *machine) TickUnits(t *rapid.T) {
	s := rapid.IntRange(0, 1).Draw(t, "symbol")
	u := rapid.Int64Range(-2, 2).Draw(t, "units")
	if len(m.keys[s]) > 0 && rapid.IntRange(0, 3).Draw(t, "nearKey") > 0 {
		ids := make([]markindex.ID, 0, len(m.keys[s]))
		for id := range m.keys[s] {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		k := m.keys[s][rapid.SampledFrom(ids).Draw(t, "keyID")]
		base := k.Lo
		if k.Hi > 0 && (k.Lo == 0 || rapid.Bool().Draw(t, "hiSide")) {
			base = k.Hi
		}
		if base < math.MaxInt64-2 {
			u += base
		}
	}
	pre := rapid.IntRange(0, 2).Draw(t, "prefix")
	dst := make([]markindex.ID, pre, 4)
	for j := range pre {
		dst[j] = markindex.ID(1000 + j)
	}
	m.checkHits(t, s, m.idx[s].TickUnits(u, dst), pre, u, u)
}

// BelowAbove checks the keys Below and Above give for a price, on or off
// the unit, with the model's ceiling and floor of it in units; and their
// errors, and Tick's, for a price that is not one or is out of range.
func (m *machine) BelowAbove(t *rapid.T) {
	s := rapid.IntRange(0, 1).Draw(t, "symbol")
	x := m.idx[s]
	var p apd.Decimal
	bad := rapid.IntRange(0, 4).Draw(t, "bad")
	switch bad {
	case 0, 1:
		p.SetFinite(rapid.Int64Range(1, 1e10).Draw(t, "coeff"), int32(rapid.IntRange(-5, 1).Draw(t, "exp")))
	case 2:
		p.SetInt64(-rapid.Int64Range(0, 5).Draw(t, "neg"))
	case 3:
		p.SetFinite(1, 30) // past an int64 of units
	case 4:
		p.Form = rapid.SampledFrom([]apd.Form{apd.NaN, apd.Infinite}).Draw(t, "form")
	}
	lo, errLo := x.Below(&p)
	hi, errHi := x.Above(&p)
	pre := rapid.IntRange(0, 2).Draw(t, "prefix")
	dst := make([]markindex.ID, pre, 4)
	for j := range pre {
		dst[j] = markindex.ID(1000 + j)
	}
	got, errTick := x.Tick(&p, dst)
	if bad <= 1 {
		noErr(t, errLo, errHi, errTick)
		fl, ce := m.units(t, s, &p)
		wantHi := markindex.Key{Hi: fl}
		if fl == 0 {
			wantHi = markindex.Now()
		}
		if lo != (markindex.Key{Lo: ce}) || hi != wantHi {
			t.Fatalf("%s: Below(%s) = %v, Above = %v; model Lo %d, Hi %v", m.specs[s].Symbol, p.String(), lo, hi, ce, wantHi)
		}
		m.checkHits(t, s, got, pre, fl, ce)
		return
	}
	var want error
	switch bad {
	case 2:
		want = derivmath.ErrPrice
	case 3:
		want = markindex.ErrRange
	}
	for _, err := range []error{errLo, errHi, errTick} {
		if err == nil || want != nil && !errors.Is(err, want) {
			t.Fatalf("%s: price %s: error %v, want %v", m.specs[s].Symbol, p.String(), err, want)
		}
	}
	if lo != (markindex.Key{}) || hi != (markindex.Key{}) || len(got) != pre || (pre > 0 && &got[0] != &dst[0]) {
		t.Fatalf("%s: price %s: keys %v %v, dst %v on error", m.specs[s].Symbol, p.String(), lo, hi, got)
	}
}

// KeyErrors draws the errors of Position and Cross: an index out of
// range, a position in the other mode, a tolerance outside (0, 1), legs
// that do not fit. A failed Cross leaves the legs' keys and the account's
// marks as they were.
func (m *machine) KeyErrors(t *rapid.T) {
	id := m.pick(t)
	ac := m.accts[id]
	s := 0
	if ac.a.Position(0).Spec == m.specs[1] {
		s = 1
	}
	if _, err := m.idx[s].Position(ac.a, rapid.SampledFrom([]int{-1, ac.a.Len()}).Draw(t, "badIndex")); !errors.Is(err, account.ErrIndex) {
		t.Fatalf("Position out of range: %v, want %v", err, account.ErrIndex)
	}
	if ac.cross {
		if _, err := m.idx[s].Position(ac.a, 0); !errors.Is(err, markindex.ErrMode) {
			t.Fatalf("Position of a cross position: %v, want %v", err, markindex.ErrMode)
		}
	}
	tol := &m.tol
	legs := []markindex.Leg{{Spec: m.specs[s], Index: m.idx[s]}}
	var want error
	switch rapid.IntRange(0, 3).Draw(t, "crossErr") {
	case 0:
		tol = new(apd.Decimal)
		tol.SetFinite(rapid.SampledFrom([]int64{-1, 0, 100, 150}).Draw(t, "tolPct"), -2)
		want = markindex.ErrTolerance
	case 1:
		legs[0].Index = nil
		want = markindex.ErrLegs
	case 2:
		legs = append(legs, legs[0])
		want = markindex.ErrLegs
	case 3:
		if ac.cross {
			t.Skip("cross legs fit")
		}
		want = markindex.ErrMode
	}
	sentinel := markindex.Key{Lo: 7, Hi: 9}
	for j := range legs {
		legs[j].Key = sentinel
	}
	if err := markindex.Cross(ac.a, "USDT", tol, legs); !errors.Is(err, want) {
		t.Fatalf("Cross: %v, want %v", err, want)
	}
	for _, l := range legs {
		if l.Key != sentinel {
			t.Fatalf("Cross failed and set a key %v", l.Key)
		}
	}
	var mark apd.Decimal
	for k := range m.specs {
		if !ac.a.Mark(&mark, m.specs[k]) || mark.Cmp(&m.marks[k]) != 0 {
			t.Fatalf("Cross failed and left the mark of %s at %s, not %s", m.specs[k].Symbol, mark.String(), m.marks[k].String())
		}
	}
}

func noErr(t *rapid.T, errs ...error) {
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func (m *machine) Check(t *rapid.T) {
	// Every Index holds exactly the model's keys.
	for s := range m.specs {
		if m.idx[s].Len() != len(m.keys[s]) {
			t.Fatalf("%s: Len %d, model %d", m.specs[s].Symbol, m.idx[s].Len(), len(m.keys[s]))
		}
		for id, want := range m.keys[s] {
			if k, ok := m.idx[s].Key(id); !ok || k != want {
				t.Fatalf("%s: Key(%d) = %v, %v; model %v", m.specs[s].Symbol, id, k, ok, want)
			}
		}
		for id := range m.accts {
			if _, in := m.keys[s][id]; !in {
				if k, ok := m.idx[s].Key(id); ok {
					t.Fatalf("%s: Key(%d) = %v, true; the model has none", m.specs[s].Symbol, id, k)
				}
			}
		}
		if k, ok := m.idx[s].Key(m.next + 1); ok {
			t.Fatalf("%s: Key of an unused ID = %v, true", m.specs[s].Symbol, k)
		}
		var unit apd.Decimal
		m.idx[s].Unit(&unit)
		if unit.Cmp(&m.specs[s].Tick) != 0 {
			t.Fatalf("%s: Unit %s, built with %s", m.specs[s].Symbol, unit.String(), m.specs[s].Tick.String())
		}
	}
	for s := range m.specs {
		n := 0
		for id, ac := range m.accts {
			for i := range ac.a.Len() {
				if ac.a.Position(i).Spec == m.specs[s] {
					n++
					if _, ok := m.idx[s].Key(id); !ok {
						// Never-liquidatable entries are not indexed.
						var r account.Report
						_ = ac.a.Report(&r, i, liquidation.Exact)
						if r.LiquidationStatus != liquidation.Never && !ac.cross {
							t.Fatalf("account %d not indexed on %s", id, m.specs[s].Symbol)
						}
					}
					break
				}
			}
		}
		if m.idx[s].Len() > n {
			t.Fatalf("%s: %d entries, %d accounts hold it", m.specs[s].Symbol, m.idx[s].Len(), n)
		}
	}
}

// upsert sets the key of id in Index s and in the model (norm; the zero
// Key removes id).
func (m *machine) upsert(t *rapid.T, s int, id markindex.ID, k markindex.Key) {
	m.idx[s].Upsert(id, k)
	if k = norm(k); k == (markindex.Key{}) {
		delete(m.keys[s], id)
		return
	}
	m.keys[s][id] = k
}

// remove removes id from Index s and from the model, and checks Remove's
// report of whether id was indexed.
func (m *machine) remove(t *rapid.T, s int, id markindex.ID) {
	_, want := m.keys[s][id]
	if got := m.idx[s].Remove(id); got != want {
		t.Fatalf("%s: Remove(%d) = %v, model %v", m.specs[s].Symbol, id, got, want)
	}
	delete(m.keys[s], id)
}

// units returns floor and ceil of p over the unit of Index s (the tick),
// at 50 digits.
func (m *machine) units(t *rapid.T, s int, p *apd.Decimal) (fl, ce int64) {
	ctx := apd.BaseContext.WithPrecision(50)
	var q, f, c apd.Decimal
	if _, err := ctx.Quo(&q, p, &m.specs[s].Tick); err != nil {
		t.Fatal(err)
	}
	_, _ = ctx.Floor(&f, &q)
	_, _ = ctx.Ceil(&c, &q)
	fl, err := f.Int64()
	if err != nil {
		t.Fatal(err)
	}
	ce, err = c.Int64()
	if err != nil {
		t.Fatal(err)
	}
	return fl, ce
}

// checkHits compares got, a Tick's result on a dst of pre IDs 1000,
// 1001, ..., with the model's hits (want) at a mark of floor fl and
// ceiling ce units.
func (m *machine) checkHits(t *rapid.T, s int, got []markindex.ID, pre int, fl, ce int64) {
	for j := range pre {
		if len(got) <= j || got[j] != markindex.ID(1000+j) {
			t.Fatalf("%s: dst's first %d IDs overwritten: %v", m.specs[s].Symbol, pre, got)
		}
	}
	ids := want(m.keys[s], fl, ce, m.order)
	if !slices.Equal(got[pre:], ids) {
		t.Fatalf("%s (%v): hits %v at units [%d, %d], model %v (keys %v)", m.specs[s].Symbol, m.order, got[pre:], fl, ce, ids, m.keys[s])
	}
}

// TestMatchesBruteForce runs the state machine.
func TestMatchesBruteForce(t *testing.T) {
	var st stats
	rapid.Check(t, func(t *rapid.T) {
		m := newMachine(t, &st)
		t.Repeat(rapid.StateMachineActions(m))
	})
	t.Logf("ticks %d, hits %d, liquidated %d, false positives %d, re-keyed Now %d", st.ticks, st.hits, st.found, st.falsePos, st.rekeyNow)
	if st.found == 0 || st.ticks == 0 {
		t.Errorf("the machine liquidated nothing")
	}
}
