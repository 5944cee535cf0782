package enginetest

import (
	"errors"
	"fmt"
	"maps"
	"strings"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/liquidation"
)

// This file models what a State answers besides its balances, quantities
// and intents (Compare): the mark, the equities, MustADL, Brackets and
// Unsocialised, and the calls that change the state without an event
// (SetMark, SetFund, Reprice, Add), for TestModel. Clone copies the model,
// so that a State's clone can be checked against a model of its own.

// SetMark books a mark the caller set with State.SetMark.
func (m *Ledger) SetMark(mark *apd.Decimal) { m.mark.Set(mark) }

// SetFund books an insurance fund balance the caller set with
// State.SetFund.
func (m *Ledger) SetFund(balance *apd.Decimal) {
	m.bal[engine.Party{Ledger: engine.Wallet, Holder: engine.Fund}].Set(balance)
}

// Reprice books a limit the caller set with State.Reprice; id must be
// open in the model.
func (m *Ledger) Reprice(id engine.IntentID, limit *apd.Decimal) {
	m.intents[id].limit.Set(limit)
}

// Open says whether intent id is open in the model.
func (m *Ledger) Open(id engine.IntentID) bool { return m.intents[id] != nil }

// Add books trader t, which State.Add accepted, as the model's next
// holder, and returns its index. Add clears the Liquidating flag.
func (m *Ledger) Add(t *engine.Trader) int {
	h := m.n
	m.n++
	m.read(h, t)
	m.liq[h] = false
	return h
}

// Clone returns a deep copy of the model.
func (m *Ledger) Clone() *Ledger {
	c := *m
	c.bal = make(map[engine.Party]*apd.Decimal, len(m.bal))
	for p, x := range m.bal {
		c.bal[p] = new(apd.Decimal).Set(x)
	}
	dup := func(src map[int]*apd.Decimal) map[int]*apd.Decimal {
		out := make(map[int]*apd.Decimal, len(src))
		for h, x := range src {
			out[h] = new(apd.Decimal).Set(x)
		}
		return out
	}
	c.qty, c.mmr, c.cum, c.res0, c.qty0 = dup(m.qty), dup(m.mmr), dup(m.cum), dup(m.res0), dup(m.qty0)
	c.tier, c.liq, c.mode = maps.Clone(m.tier), maps.Clone(m.liq), maps.Clone(m.mode)
	c.orders = make(map[int][]*engine.Order, len(m.orders))
	for h, os := range m.orders {
		for _, o := range os {
			c.orders[h] = append(c.orders[h], copyOrder(o))
		}
	}
	c.intents = make(map[engine.IntentID]*intent, len(m.intents))
	for id, in := range m.intents {
		n := &intent{holder: in.holder, step: in.step, tif: in.tif}
		n.qty.Set(&in.qty)
		n.limit.Set(&in.limit)
		if in.keep != nil {
			n.keep = new(apd.Decimal)
			n.keep.Set(in.keep)
		}
		c.intents[id] = n
	}
	c.mark.Set(&m.mark)
	c.insured.Set(&m.insured)
	c.unpaid.Set(&m.unpaid)
	return &c
}

// cover books Drift's insurance payment toward a loss the fund covered
// (an event Cover under DriftFunding), the fund's balance before it:
// ifPay = min(loss, vault - 1, MaxInsurance - insured), the last term
// only with CapInsurance and rounded down to the minor unit, never below
// 0 (1 the minor unit); the rest of the loss is unpaid until Socialise.
func (m *Ledger) cover(loss *apd.Decimal) {
	exact := apd.BaseContext
	var pay, v apd.Decimal
	pay.Set(loss)
	_, _ = exact.Sub(&v, m.bal[engine.Party{Ledger: engine.Wallet, Holder: engine.Fund}], &m.spec.Minor)
	if v.Cmp(&pay) < 0 {
		pay.Set(&v)
	}
	if m.preset.CapInsurance {
		_, _ = exact.Sub(&v, &m.preset.MaxInsurance, &m.insured)
		_ = derivmath.Round(m.ctx, &v, &v, &m.spec.Minor, derivmath.Down)
		if v.Cmp(&pay) < 0 {
			pay.Set(&v)
		}
	}
	if pay.Negative {
		pay.SetInt64(0)
	}
	_, _ = exact.Add(&m.insured, &m.insured, &pay)
	_, _ = exact.Sub(&v, loss, &pay)
	_, _ = exact.Add(&m.unpaid, &m.unpaid, &v)
}

// value sets z to V(q, mark), the signed value: q's sign for linear and
// quanto contracts, the opposite for inverse ones.
func (m *Ledger) value(z, q *apd.Decimal) {
	var a apd.Decimal
	a.Abs(q)
	_ = m.spec.Value(m.ctx, z, &a, &m.mark)
	if q.Negative != (m.spec.Kind == contract.Inverse) && !z.IsZero() {
		z.Neg(z)
	}
}

// Equity sets z to holder h's equity at the model's mark: V(Q, mark) -
// Cost (the model's Position balance is -Cost), plus its margin if
// isolated, its wallet if cross (the fund: its balance), in that order
// at the state's precision.
func (m *Ledger) Equity(z *apd.Decimal, h int) {
	back := engine.Wallet
	if h != engine.Fund && m.mode[h] == account.Isolated {
		back = engine.Margin
	}
	var v apd.Decimal
	m.value(&v, m.qty[h])
	_, _ = m.ctx.Add(&v, &v, m.bal[engine.Party{Ledger: engine.Position, Holder: h}])
	_, _ = m.ctx.Add(z, &v, m.bal[engine.Party{Ledger: back, Holder: h}])
}

// MustADL is State.MustADL's answer from the model: never for a flat
// holder, always for a fund at or below zero or under ADLRemainder; else
// per the preset's trigger, the drawdown (fund - peak)/peak compared
// exactly, as fund - peak against the ratio times peak.
func (m *Ledger) MustADL(h int, in *engine.ADLInputs) bool {
	if m.qty[h].IsZero() {
		return false
	}
	p := m.preset
	fund := m.bal[engine.Party{Ledger: engine.Wallet, Holder: engine.Fund}]
	if fund.Sign() <= 0 || p.ADLTrigger == engine.ADLRemainder {
		return true
	}
	exact := apd.BaseContext
	var z, x apd.Decimal
	switch p.ADLTrigger {
	case engine.ADLUnfilled:
		if h != engine.Fund {
			m.Equity(&z, h)
			_, _ = m.ctx.Sub(&z, &z, m.reserve(h))
			return z.Sign() <= 0
		}
		m.value(&z, m.qty[h])
		_, _ = m.ctx.Add(&z, &z, m.bal[engine.Party{Ledger: engine.Position, Holder: h}])
		return z.Sign() <= 0
	case engine.ADLDrawdown:
		if in.Peak.IsZero() {
			return false
		}
		_, _ = exact.Sub(&z, fund, &in.Peak)
		if in.Running {
			_, _ = exact.Mul(&x, &p.ADLStop, &in.Peak)
			return z.Cmp(&x) <= 0
		}
		_, _ = exact.Mul(&x, &p.ADLRatio, &in.Peak)
		return z.Cmp(&x) < 0 && fund.Cmp(&p.ADLThreshold) > 0
	case engine.ADLNetNotional:
		x.Set(m.qty[engine.Fund])
		if h != engine.Fund {
			_, _ = exact.Add(&x, &x, m.qty[h])
		}
		m.value(&z, &x)
		z.Abs(&z)
		return z.Cmp(fund) > 0
	case engine.ADLDeficit:
		m.Equity(&z, h)
		return z.Sign() < 0
	}
	return true
}

// bracketed says whether holder h's maintenance comes from the preset's
// risk limits as Binance's brackets (State.Brackets not nil).
func (m *Ledger) bracketed(tier int) bool {
	p := m.preset
	return tier >= 0 && p.Venue == engine.Binance && p.Convention == liquidation.Binance && len(p.RiskLimits) > 0
}

// CompareReads compares what the state answers besides Compare's with
// the model: Mark, Unsocialised, NetQty, every holder's Mode, Equity (and
// nil and ErrTrader for an index beyond them) and Brackets (nil, or the preset's
// risk limits as a table: row k from limit k-1, at rate k and amount k).
func (m *Ledger) CompareReads(st *engine.State) error {
	var errs []string
	diff := func(what string, got, want *apd.Decimal) {
		if got.Cmp(want) != 0 {
			errs = append(errs, fmt.Sprintf("%s: state %s, model %s", what, got.String(), want.String()))
		}
	}
	var x, want apd.Decimal
	st.Mark(&x)
	diff("Mark", &x, &m.mark)
	st.Unsocialised(&x)
	diff("Unsocialised", &x, &m.unpaid)
	for h := engine.Fund; h < m.n; h++ {
		_, _ = apd.BaseContext.Add(&want, &want, m.qty[h])
	}
	if err := st.NetQty(&x); err != nil {
		errs = append(errs, fmt.Sprintf("NetQty: %v", err))
	} else {
		diff("NetQty", &x, &want)
	}
	for h := engine.Fund; h < m.n; h++ {
		if st.Trader(h).Mode != m.mode[h] {
			errs = append(errs, fmt.Sprintf("%s: mode %v, the model's %v", HolderName(h), st.Trader(h).Mode, m.mode[h]))
		}
		if err := st.Equity(&x, h); err != nil {
			errs = append(errs, fmt.Sprintf("%s equity: %v", HolderName(h), err))
			continue
		}
		m.Equity(&want, h)
		diff(HolderName(h)+" equity", &x, &want)
		b := st.Brackets(st.Trader(h))
		if (b != nil) != m.bracketed(m.tier[h]) {
			errs = append(errs, fmt.Sprintf("%s: Brackets %v, the model's %v", HolderName(h), b != nil, m.bracketed(m.tier[h])))
		}
		if b == nil {
			continue
		}
		if b.Len() != len(m.limits) {
			errs = append(errs, fmt.Sprintf("Brackets: %d rows, the preset %d risk limits", b.Len(), len(m.limits)))
			continue
		}
		for k := range m.limits {
			r := b.At(k)
			if r.MMR.Cmp(&m.limits[k].MMR) != 0 || r.Cum.Cmp(&m.limits[k].Cum) != 0 ||
				k > 0 && r.Floor.Cmp(&m.limits[k-1].Limit) != 0 || k == 0 && !r.Floor.IsZero() {
				errs = append(errs, fmt.Sprintf("Brackets row %d: floor %s, rate %s, amount %s; not the preset's", k, r.Floor.String(), r.MMR.String(), r.Cum.String()))
			}
		}
	}
	if st.Trader(m.n) != nil || st.Trader(engine.Fund-1) != nil {
		errs = append(errs, fmt.Sprintf("Trader(%d) or Trader(%d) is not nil", m.n, engine.Fund-1))
	}
	if st.Brackets(nil) != nil {
		errs = append(errs, "Brackets(nil) is not nil")
	}
	for _, h := range []int{m.n, m.n + 7, engine.Fund - 1} {
		if err := st.Equity(&x, h); !errors.Is(err, engine.ErrTrader) {
			errs = append(errs, fmt.Sprintf("Equity(%d), no holder: error %v, want ErrTrader", h, err))
		}
	}
	if errs != nil {
		return errors.New(strings.Join(errs, "\n"))
	}
	return nil
}

// Mark sets z to the model's mark.
func (m *Ledger) Mark(z *apd.Decimal) { z.Set(&m.mark) }

// FundBalance sets z to the model's insurance fund balance.
func (m *Ledger) FundBalance(z *apd.Decimal) {
	z.Set(m.bal[engine.Party{Ledger: engine.Wallet, Holder: engine.Fund}])
}

// BreakEven sets z to the price at which holder h's equity less its fee
// reserve (reserve) or its equity is zero, V(Q, z) = reserve - backing +
// Cost, at the context's precision, and says whether there is such a
// positive price: MustADL's boundary under ADLUnfilled and ADLDeficit.
func (m *Ledger) BreakEven(z *apd.Decimal, h int, reserve bool) bool {
	q := m.qty[h]
	if q.IsZero() {
		return false
	}
	back := engine.Wallet
	if h != engine.Fund && m.mode[h] == account.Isolated {
		back = engine.Margin
	}
	var k, qm apd.Decimal
	if reserve {
		k.Set(m.reserve(h))
	}
	_, _ = m.ctx.Sub(&k, &k, m.bal[engine.Party{Ledger: back, Holder: h}])
	_, _ = m.ctx.Sub(&k, &k, m.bal[engine.Party{Ledger: engine.Position, Holder: h}])
	_, _ = m.ctx.Mul(&qm, q, &m.spec.Multiplier)
	if m.spec.Kind == contract.Inverse {
		if k.IsZero() {
			return false
		}
		qm.Neg(&qm)
		_, _ = m.ctx.Quo(z, &qm, &k)
	} else {
		_, _ = m.ctx.Quo(z, &k, &qm)
	}
	return z.Sign() > 0
}
