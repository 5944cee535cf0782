package engine

import (
	"fmt"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/enum"
	"github.com/derivmath/derivmath/internal/num"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
)

// Fund is the holder index of the insurance fund, in a Party, an Intent or
// an Event's Trader: the fund has a balance (its Wallet) and an inventory
// (the positions it took over).
const Fund = -1

// A Trader is an account on the engine's contract: its money, its position,
// its maintenance rate and its open orders.
//
// The position is held as a quantity and a cost, BitMEX's posCost: Cost is
// the signed value of the position at entry, V(EP) (Q*m*EP for linear and
// quanto, -Q*m/EP for inverse contracts), a whole number of minor units;
// the unrealised PnL at P is V(P) - Cost. A Trader holds decimals: pass it
// by pointer and do not copy it after first use.
type Trader struct {
	// Mode is account.Isolated (Margin backs the position) or
	// account.Cross (Wallet does).
	Mode account.Mode
	// Wallet is the balance outside the isolated margin; Margin the
	// isolated position's margin. Both are in the settlement currency's
	// major unit (USDT, XBT), each a whole multiple of the contract's minor
	// unit (contract.Spec.Minor): 12.34 USDT with a minor unit of 0.01, not
	// 1234.
	Wallet, Margin apd.Decimal
	// Qty is the signed quantity, Cost the signed value at entry.
	Qty, Cost apd.Decimal
	// MMR and Cum give the maintenance per the preset's Convention;
	// FeeReserve is the fee to close kept back at bankruptcy (BitMEX
	// posComm, Bybit's fee to close). Tier is the index of the trader's
	// step in the preset's risk limits, or -1 for none; the steps that
	// lower it set MMR and Cum to the new step's.
	//
	// The maintenance is MMR*value - Cum, never below zero:
	// max(0, MMR*value - Cum), the rule of liquidation.Leg.Cum, which
	// the trigger applies through the solver and every other step that
	// reads a maintenance (dYdX's TMMR, the ADL scores) applies too. Only
	// a step changes MMR and Cum: a trade that shrinks the position (a
	// partial close, a partial fill, an ADL) and a mark that lowers its
	// value keep them, so the value can fall below Cum/MMR, where
	// Bybit's risk limit would step down; the engine floors the
	// maintenance at zero instead (derived: no document names the case),
	// and such a trader is a valid input to Add as it is.
	//
	// Under Binance's rules (Preset.Venue Binance with the
	// liquidation.Binance convention) a trader with a Tier has no
	// maintenance rate of its own: Binance's maintenance margin is the
	// notional times the maintenance margin rate, less the maintenance
	// amount, both of the leverage bracket the position's notional falls
	// in (Binance FAQ 360033525271, "Liquidation"), and its notional is
	// the value at the mark. So the engine takes MMR and Cum from the
	// bracket of |V(Q, mark)| in the preset's risk limits
	// ([State.Brackets]) wherever it reads a maintenance: the trigger, the
	// solver's liquidation price (the bracket at each price), the
	// step-down's walk (from the bracket below the one at the mark) and
	// its target's check, and the ADL score. A mark move or a partial
	// close that takes the notional to another bracket moves the
	// maintenance with it, as a bracket's cum keeps it continuous. The
	// trader's MMR, Cum and Tier are then a record, not an input: the
	// bracket the caller added it in, or the one a step-down lowered it
	// to (TierLowered carries its rate), which no maintenance reads. A
	// Binance trader with Tier -1 is outside the table: its own MMR and
	// Cum apply, as at every other venue.
	//
	// The fee to close is a fee on the position, BitMEX's posComm =
	// ceil(commission*(|posCost| + posInit)) and Bybit's qty*P_B*taker
	// (https://www.bitmex.com/app/liquidation, Bybit help 900000167723),
	// so the engine keeps FeeReserve proportional to the quantity: after
	// every trade it is the reserve the trader was added with times
	// |Qty|/|Qty added|, rounded up to the minor unit as posComm is (and,
	// on a reduction, at most the reserve added); 0 once flat. A partial
	// close, a step-down's or an ADL's, so leaves the remainder its share
	// of the reserve, not the whole position's. The price in Bybit's fee
	// (the remainder's bankruptcy price) is not recomputed: the reserve
	// per contract stays what it was (derived). A trader added flat has
	// no quantity to scale by: it keeps the reserve it was added with,
	// whatever its quantity.
	MMR, Cum, FeeReserve apd.Decimal
	Tier                 int
	// Orders are the open orders; each holds order margin (OM), which
	// available balance excludes.
	Orders []Order
	// Liquidating is set by [State.Trigger] and cleared by Trigger when
	// the account is no longer liquidatable, by a [State.StepDown] that
	// restores it, by a [State.Takeover] that moves its position to the
	// fund, and when its position is gone (a fill of its close order, or
	// ADL). A part fill of the account's own close order does not
	// re-judge it, however healthy it leaves the account: only Trigger
	// does, and engine/drive does not call Trigger between the takeover
	// and ADL, so once the takeover has begun the whole position closes.
	Liquidating bool
	// res0 and qty0 are FeeReserve and |Qty| as added: reserveAt scales
	// the one by the quantity over the other.
	res0, qty0 apd.Decimal
}

// An Order is an open order of a Trader: signed quantity (buy > 0), limit
// price and the order margin it holds.
type Order struct {
	Qty, Price, Margin apd.Decimal
}

// Ledger names one of the ledgers money moves between.
type Ledger int8

// The ledgers.
const (
	// Wallet is a trader's wallet, or the insurance fund's balance.
	Wallet Ledger = 1 + iota
	// Margin is an isolated position's margin.
	Margin
	// Position is a position's cost account, whose balance is -Cost: what
	// the position has taken in from trades. A trade moves the trade's
	// value from the buyer's to the seller's; realising PnL moves the
	// difference to the wallet or margin.
	Position
	// Fees is the exchange's fee ledger.
	Fees
)

// String returns the ledger's name.
func (l Ledger) String() string {
	return enum.Name("Ledger", []string{"", "Wallet", "Margin", "Position", "Fees"}, int(l))
}

// A Party is a ledger of a holder: a trader's index, or Fund.
type Party struct {
	Ledger Ledger
	Holder int
}

// String returns the party as "Wallet[3]", "Wallet[fund]" or "Fees".
func (p Party) String() string {
	if p.Ledger == Fees {
		return "Fees"
	}
	if p.Holder == Fund {
		return p.Ledger.String() + "[fund]"
	}
	return fmt.Sprintf("%s[%d]", p.Ledger, p.Holder)
}

// State is the engine's state for one contract: the traders, the
// insurance fund's balance and inventory, the fee ledger, the mark and the
// open order intents.
//
// Steps are methods that change the state and append what they did to dst
// as Events; a step that fails returns an error and leaves the state and
// dst's contents as they were. Every step is deterministic: its result
// depends on the state, the preset, its arguments and nothing else (no
// clock, no global randomness). Clone a State to keep the state before a
// step. A State is not safe for concurrent use.
type State struct {
	ctx     apd.Context
	spec    *contract.Spec
	preset  *Preset
	bracket *margin.Tiers // the preset's brackets (Binance), or nil
	mark    apd.Decimal
	traders []Trader
	fund    Trader
	fees    apd.Decimal
	intents []Intent
	next    IntentID
	seq     uint64
	solver  liquidation.Solver
	acct    liquidation.Account
	// Drift (DriftFunding): insured is what the fund has paid toward
	// bankruptcies, counted against Preset.MaxInsurance; unpaid what it
	// covered beyond Drift's ifPay, which Socialise charges.
	insured, unpaid apd.Decimal
	rank            []Candidate // ADL's queue (Socialise: the winners), reused
	undo            []saved     // what the current step overwrote (rollback)
}

// New returns an empty State for contract s under preset p, computing in
// ctx (copied). The spec must have a minor unit: the ledger rounds every
// movement to it. The state keeps s and p, which must not change while it
// is used.
//
// Errors, in the order New checks for them (it returns the first, so a
// spec without a minor unit is ErrMinor whatever the preset):
// derivmath.ErrContext for a nil ctx, ErrMinor (wrapped) for a nil s,
// s.Validate errors, ErrMinor for a spec without a minor unit, ErrPreset
// (wrapped) for a nil p, p.Validate errors, and ErrTable (wrapped) for
// Binance risk limits that do not make a bracket table.
func New(ctx *apd.Context, s *contract.Spec, p *Preset) (*State, error) {
	if ctx == nil {
		return nil, derivmath.ErrContext
	}
	if s == nil {
		return nil, fmt.Errorf("%w: nil spec", ErrMinor)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if s.Minor.Sign() <= 0 {
		return nil, ErrMinor
	}
	if p == nil {
		return nil, fmt.Errorf("%w: nil preset", ErrPreset)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	b, err := p.brackets()
	if err != nil {
		return nil, err
	}
	st := &State{ctx: *ctx, spec: s, preset: p, bracket: b, next: 1, intents: make([]Intent, 0, 4), undo: make([]saved, 0, 32)}
	st.fund.Mode, st.fund.Tier = account.Cross, -1
	return st, nil
}

// Clone returns a deep copy of s, sharing only the spec and preset. The
// copy's slices (the traders, each trader's orders, the intents and ADL's
// scratch) have the capacities of s's, so that a clone of a state in its
// steady state allocates no more than s would.
func (s *State) Clone() *State {
	c := &State{ctx: s.ctx, spec: s.spec, preset: s.preset, bracket: s.bracket, next: s.next, seq: s.seq}
	c.mark.Set(&s.mark)
	c.fees.Set(&s.fees)
	c.insured.Set(&s.insured)
	c.unpaid.Set(&s.unpaid)
	copyTrader(&c.fund, &s.fund)
	c.traders = make([]Trader, len(s.traders), cap(s.traders))
	for i := range s.traders {
		copyTrader(&c.traders[i], &s.traders[i])
	}
	c.intents = make([]Intent, len(s.intents), cap(s.intents))
	for i := range s.intents {
		c.intents[i].set(&s.intents[i])
	}
	c.rank = make([]Candidate, 0, cap(s.rank))
	c.undo = make([]saved, 0, cap(s.undo))
	return c
}

func copyTrader(z, t *Trader) {
	z.Mode, z.Tier, z.Liquidating = t.Mode, t.Tier, t.Liquidating
	z.Wallet.Set(&t.Wallet)
	z.Margin.Set(&t.Margin)
	z.Qty.Set(&t.Qty)
	z.Cost.Set(&t.Cost)
	z.MMR.Set(&t.MMR)
	z.Cum.Set(&t.Cum)
	z.FeeReserve.Set(&t.FeeReserve)
	z.res0.Set(&t.res0)
	z.qty0.Set(&t.qty0)
	z.Orders = make([]Order, len(t.Orders), cap(t.Orders))
	for i := range t.Orders {
		z.Orders[i].Qty.Set(&t.Orders[i].Qty)
		z.Orders[i].Price.Set(&t.Orders[i].Price)
		z.Orders[i].Margin.Set(&t.Orders[i].Margin)
	}
}

// Preset returns the state's preset; Spec its contract.
func (s *State) Preset() *Preset { return s.preset }

// Spec returns the state's contract.
func (s *State) Spec() *contract.Spec { return s.spec }

// Len returns the number of traders.
func (s *State) Len() int { return len(s.traders) }

// Trader returns trader i (or the fund, for Fund), or nil if there is none.
// The caller must not modify it.
func (s *State) Trader(i int) *Trader {
	if i == Fund {
		return &s.fund
	}
	if i < 0 || i >= len(s.traders) {
		return nil
	}
	return &s.traders[i]
}

// Brackets returns the table trader t's maintenance rate and amount come
// from, at its notional at the mark: under Binance's rules (Preset.Venue
// Binance, Convention liquidation.Binance) the preset's risk limits as
// leverage brackets, for a trader with a Tier (see Trader); nil when they
// are the trader's own MMR and Cum (every other preset, a trader whose
// Tier is -1, the fund), and for a nil t. t need not have been added:
// the answer depends only on its Tier and the preset. The table is the
// state's, never modified: read it, do not change it. A caller that
// solves for a trader's liquidation price as the engine does passes it
// as the liquidation.Leg's Tiers.
func (s *State) Brackets(t *Trader) *margin.Tiers {
	if t == nil || t.Tier < 0 {
		return nil
	}
	return s.bracket
}

// Mark sets z to the mark price (0 before SetMark).
func (s *State) Mark(z *apd.Decimal) { z.Set(&s.mark) }

// FundBalance sets z to the insurance fund's balance.
func (s *State) FundBalance(z *apd.Decimal) { z.Set(&s.fund.Wallet) }

// Unsocialised sets z to the loss the fund has covered beyond what Drift's
// insurance pays toward bankruptcies (ifPay: Preset.CapInsurance), 0 but
// under DriftFunding: Socialise charges the open positions the larger of
// it and the fund's deficit.
func (s *State) Unsocialised(z *apd.Decimal) { z.Set(&s.unpaid) }

// FeeBalance sets z to the fee ledger's balance.
func (s *State) FeeBalance(z *apd.Decimal) { z.Set(&s.fees) }

// SetMark sets the mark (or oracle) price: S1's output, from Mark or the
// caller. It changes no balance.
//
// Errors: derivmath.CheckPrice errors.
func (s *State) SetMark(mark *apd.Decimal) error {
	if err := derivmath.CheckPrice(mark); err != nil {
		return err
	}
	s.mark.Set(mark)
	return nil
}

// SetFund sets the insurance fund's balance: an opening balance or an
// injection, outside the conserved ledger.
//
// Errors: derivmath.CheckDecimal errors, ErrNegativeFund, ErrInexact for a
// balance that is not a whole number of minor units.
func (s *State) SetFund(balance *apd.Decimal) error {
	if err := derivmath.CheckDecimal(balance); err != nil {
		return err
	}
	if balance.Negative {
		return ErrNegativeFund
	}
	if err := s.whole(balance); err != nil {
		return err
	}
	s.fund.Wallet.Set(balance)
	return nil
}

// Add adds trader t (copied) and returns its index. Money (Wallet, Margin,
// Cost), in the settlement currency's major unit, must be whole multiples
// of the minor unit (contract.Spec.Minor), of either sign (an isolated
// margin below zero is an account past bankruptcy, as the steps can leave
// a maker whose fill lost more than its margin); Cum and FeeReserve must
// not be negative; Cost must have the sign of Qty's value (zero when
// flat); orders must have a non-zero quantity, a positive price and a
// margin of zero or more; Tier must index the preset's risk limits or be
// -1. Adding a position from outside breaks the sum of quantities: add
// both sides (or the fund's inventory) to keep ΣQty = 0.
//
// Errors: account.ErrMode, derivmath.CheckDecimal and CheckPrice errors,
// ErrInexact, ErrPosition, derivmath.ErrRate for an MMR outside [0, 1),
// ErrTable for a Tier outside the preset's table, derivmath.ErrZeroQty for
// an order of zero quantity.
func (s *State) Add(t *Trader) (int, error) {
	if t.Mode != account.Isolated && t.Mode != account.Cross {
		return 0, account.ErrMode
	}
	for _, d := range []*apd.Decimal{&t.Wallet, &t.Margin, &t.Qty, &t.Cost, &t.MMR, &t.Cum, &t.FeeReserve} {
		if err := derivmath.CheckDecimal(d); err != nil {
			return 0, err
		}
	}
	for _, d := range []*apd.Decimal{&t.Wallet, &t.Margin, &t.Cost} {
		if err := s.whole(d); err != nil {
			return 0, err
		}
	}
	if t.MMR.Negative || t.MMR.Cmp(decOne) >= 0 {
		return 0, derivmath.ErrRate
	}
	if t.Cum.Negative || t.FeeReserve.Negative {
		return 0, fmt.Errorf("%w: negative amount", ErrPosition)
	}
	if err := s.checkCost(&t.Qty, &t.Cost); err != nil {
		return 0, err
	}
	if t.Tier < -1 || t.Tier >= len(s.preset.RiskLimits) {
		return 0, ErrTable
	}
	for i := range t.Orders {
		o := &t.Orders[i]
		if err := derivmath.CheckDecimal(&o.Qty); err != nil {
			return 0, err
		}
		if o.Qty.IsZero() {
			return 0, derivmath.ErrZeroQty
		}
		if err := derivmath.CheckPrice(&o.Price); err != nil {
			return 0, err
		}
		if err := derivmath.CheckDecimal(&o.Margin); err != nil {
			return 0, err
		}
		if o.Margin.Negative {
			return 0, fmt.Errorf("%w: negative order margin", ErrPosition)
		}
	}
	s.traders = append(s.traders, Trader{})
	n := &s.traders[len(s.traders)-1]
	copyTrader(n, t)
	n.Liquidating = false
	n.res0.Set(&t.FeeReserve)
	n.qty0.Abs(&t.Qty)
	return len(s.traders) - 1, nil
}

// reserveAt sets z to trader t's fee reserve at quantity q: the reserve
// it was added with times |q| over its quantity then, rounded up to the
// minor unit once, at most that reserve when |q| is smaller
// (Trader.FeeReserve); exactly that reserve at the quantity added, or for
// a trader added flat.
func (s *State) reserveAt(z *apd.Decimal, t *Trader, q *apd.Decimal) error {
	var a, r apd.Decimal
	a.Abs(q)
	c := a.Cmp(&t.qty0)
	if t.res0.IsZero() || t.qty0.IsZero() || c == 0 {
		z.Set(&t.res0)
		return nil
	}
	if a.IsZero() {
		z.SetInt64(0)
		return nil
	}
	// Rounded up once: the product exact, the quotient rounded up at the
	// context's precision (never past a multiple of the minor unit that
	// precision holds), then up to the minor unit.
	up := s.ctx
	up.Rounding = apd.RoundCeiling
	nc := num.In(&up)
	var p num.Sum
	p.AddProduct(num.Load(&t.res0), num.Load(&a))
	res := nc.QuoSum(&p, num.Load(&t.qty0))
	if nc.Err != nil {
		return bare(nc.Err)
	}
	res.Store(&r)
	if err := derivmath.Round(&up, &r, &r, &s.spec.Minor, derivmath.Ceiling); err != nil {
		return err
	}
	if c < 0 && r.Cmp(&t.res0) > 0 {
		r.Set(&t.res0)
	}
	z.Set(&r)
	return nil
}

func (s *State) checkCost(q, c *apd.Decimal) error {
	if q.IsZero() != c.IsZero() {
		return fmt.Errorf("%w: a cost without a position, or a position without a cost", ErrPosition)
	}
	if q.IsZero() {
		return nil
	}
	// V(Q) has the sign of Q for linear and quanto, the opposite for inverse.
	want := q.Negative
	if s.spec.Kind == contract.Inverse {
		want = !want
	}
	if c.Negative != want {
		return fmt.Errorf("%w: cost of the wrong sign", ErrPosition)
	}
	return nil
}

// whole reports whether x is a whole number of minor units.
func (s *State) whole(x *apd.Decimal) error {
	var r apd.Decimal
	if err := derivmath.Round(&s.ctx, &r, x, &s.spec.Minor, derivmath.Down); err != nil {
		return err
	}
	if r.Cmp(x) != 0 {
		return fmt.Errorf("%w: %s is not a whole number of minor units", ErrInexact, x)
	}
	return nil
}

var decOne = apd.New(1, 0)

// backing returns the ledger that backs holder h's position.
func (s *State) backing(h int) Ledger {
	if h != Fund && s.traders[h].Mode == account.Isolated {
		return Margin
	}
	return Wallet
}

func (s *State) balance(p Party) *apd.Decimal {
	if p.Ledger == Fees {
		return &s.fees
	}
	t := s.Trader(p.Holder)
	switch p.Ledger {
	case Wallet:
		return &t.Wallet
	case Margin:
		return &t.Margin
	}
	return nil
}

// value sets z to V(q, p): the signed value of q contracts at p (Q*m*P for
// linear and quanto, -Q*m/P for inverse), at the context's precision.
func (s *State) value(z, q, p *apd.Decimal) error {
	if q.IsZero() {
		z.SetInt64(0)
		return nil
	}
	neg := q.Negative
	if err := s.spec.Value(&s.ctx, z, q, p); err != nil {
		return err
	}
	if s.spec.Kind == contract.Inverse {
		neg = !neg
	}
	if neg && !z.IsZero() {
		z.Neg(z)
	}
	return nil
}

// Equity sets z to holder h's equity at the mark: its backing (margin if
// isolated, wallet if cross; the fund's balance) plus V(Qty, mark) - Cost,
// at the context's precision, through derivmath's result gate (a zero is
// never -0, as a context rounding toward -infinity makes x - x).
//
// Errors: ErrTrader, derivmath.CheckPrice errors before the mark is set,
// arithmetic errors; on error z is unchanged.
func (s *State) Equity(z *apd.Decimal, h int) error {
	t := s.Trader(h)
	if t == nil {
		return ErrTrader
	}
	var e apd.Decimal
	if err := s.equityAt(&e, h, &s.mark); err != nil {
		return err
	}
	return num.StoreResult(z, &e)
}

func (s *State) equityAt(z *apd.Decimal, h int, price *apd.Decimal) error {
	t := s.Trader(h)
	var v apd.Decimal
	if err := s.value(&v, &t.Qty, price); err != nil {
		return err
	}
	if _, err := s.ctx.Sub(&v, &v, &t.Cost); err != nil {
		return err
	}
	_, err := s.ctx.Add(z, &v, s.balance(Party{s.backing(h), h}))
	return err
}

// Total sets z to the sum of every ledger: the traders' wallets and
// margins, minus every cost (the fund's inventory included), plus the fund
// and the fee ledger. While the quantities sum to zero it equals
// Σ WB + Σ uPnL(P) + fund + fees at every price P: the amount the engine
// conserves, exactly, through every step. The sum is exact, not rounded
// to the context's precision.
//
// Errors: derivmath.ErrRange for a sum that is not a valid decimal (more
// than derivmath.MaxDigits digits); on error z is unchanged.
func (s *State) Total(z *apd.Decimal) error {
	var t apd.Decimal
	for i := -1; i < len(s.traders); i++ {
		tr := s.Trader(i)
		for _, e := range []error{addExact(&t, &t, &tr.Wallet, false), addExact(&t, &t, &tr.Margin, false), addExact(&t, &t, &tr.Cost, true)} {
			if e != nil {
				return e
			}
		}
	}
	if err := addExact(&t, &t, &s.fees, false); err != nil {
		return err
	}
	if err := derivmath.CheckDecimal(&t); err != nil {
		return err
	}
	z.Set(&t)
	return nil
}

// NetQty sets z to the sum of all quantities, the fund's included: zero
// when every position has a counterparty in the state. The sum is exact,
// not rounded to the context's precision.
//
// Errors: derivmath.ErrRange for a sum that is not a valid decimal (more
// than derivmath.MaxDigits digits); on error z is unchanged.
func (s *State) NetQty(z *apd.Decimal) error {
	var t apd.Decimal
	for i := -1; i < len(s.traders); i++ {
		if err := addExact(&t, &t, &s.Trader(i).Qty, false); err != nil {
			return err
		}
	}
	if err := derivmath.CheckDecimal(&t); err != nil {
		return err
	}
	z.Set(&t)
	return nil
}

// addExact sets z to x + y, or x - y if sub, exactly: apd's base context,
// of precision 0, never rounds. Sums that must be exact use it (Total,
// NetQty, the fills of an intent, ADL's opposite quantity): at the
// context's precision a partial sum longer than it rounds. The result may
// have more digits than derivmath.MaxDigits; a caller that keeps it checks
// it.
func addExact(z, x, y *apd.Decimal, sub bool) error {
	c := apd.BaseContext
	var err error
	if sub {
		_, err = c.Sub(z, x, y)
	} else {
		_, err = c.Add(z, x, y)
	}
	return err
}
