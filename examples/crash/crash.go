package main

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/engine/drive"
	"github.com/derivmath/derivmath/engine/markindex"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
	"github.com/derivmath/derivmath/orderbook"
)

// The built-in crash: the mark at each tick, in USDT, as waypoints joined by
// straight lines (a slide, a cascade, a bottom and a partial rebound); the
// size the street bids at the mark (the touch) and at each level behind it,
// in thousandths of a BTC, which thin as the price falls and return slowly.
var (
	markPath = []waypoint{
		{0, 60000},
		{3, 59900},
		{5, 59690},
		{6, 59450},
		{10, 58600},
		{16, 56900},
		{22, 54600},
		{27, 52900},
		{30, 52150},
		{34, 52700},
		{42, 54300},
		{50, 55100},
		{56, 55400},
	}
	touchPath = []waypoint{
		{0, 500}, {5, 200}, {6, 60}, {10, 40}, {22, 20}, {30, 10}, {40, 30}, {56, 80},
	}
	depthPath = []waypoint{
		{0, 100}, {5, 5}, {6, 5}, {10, 5}, {22, 4}, {30, 2}, {40, 8}, {56, 20},
	}
)

const (
	startMark   = 60000 // the mark before the crash, USDT
	levels      = 40    // bid levels the street quotes below the mark
	spacing     = 10    // USDT between levels
	heroOrders  = 2     // the 100x long's open orders
	othersBelow = 59500 // every other long's liquidation price starts below this
)

// A waypoint is a value at a tick; ticks between waypoints interpolate.
type waypoint struct {
	tick  int
	value int64
}

// at returns the path's value at tick t, rounded down to a multiple of
// round.
func at(path []waypoint, t int, round int64) int64 {
	for k := 1; k < len(path); k++ {
		a, b := path[k-1], path[k]
		if t <= b.tick {
			v := a.value + (b.value-a.value)*int64(t-a.tick)/int64(b.tick-a.tick)
			return v / round * round
		}
	}
	return path[len(path)-1].value
}

// ticks returns the number of ticks in the built-in crash.
func ticks() int { return markPath[len(markPath)-1].tick + 1 }

// A sim is one replay of the crash under one venue's preset.
type sim struct {
	ctx    *apd.Context
	spec   *contract.Spec
	preset *engine.Preset
	st     *engine.State
	dr     *drive.Driver
	book   *orderbook.Book
	idx    *markindex.Index
	solver liquidation.Solver
	acct   liquidation.Account
	seed   uint64

	street, hero, heroShort int
	fund0                   apd.Decimal
	total0, total1          apd.Decimal
	bitmexRate              int64 // the XBT price BitMEX's risk limits were converted at (0: not converted)

	heroStart heroStart // the 100x long before the crash
	story     []chapter // what happened to it, tick by tick
	tickLog   []tickRecord
	liqs      []liqMark
	adls      []adlMark
	stats     stats

	// onTick, when set, sees each tick's mark and the accounts the index
	// returned, before the driver acts on any of them (main_test.go checks
	// the index against a scan of every account).
	onTick func(tick int, mark *apd.Decimal, hits []markindex.ID) error
	// onLiquidate, when set, sees each of the driver's Liquidate calls: the
	// tick, the trader, a clone of the state before the call and the
	// call's events (main_test.go recomputes BitMEX's book fills and ADL
	// trades from them).
	onLiquidate func(tick, i int, before *engine.State, ev []engine.Event) error
}

// heroStart is the 100x long before the crash, with its prices.
type heroStart struct {
	qty, entry, margin, mmr, cum apd.Decimal
	tier                         int
	orders                       []engine.Order
	liq, bankrupt                apd.Decimal
}

// A chapter is one tick of the 100x long's liquidation: the mark, what the
// index found, the long's equity and maintenance before the steps, the
// events, the ranking of the ADL candidates and the fund before and after.
type chapter struct {
	tick             int
	mark             apd.Decimal
	hits             int
	equity, maint    apd.Decimal
	tierBefore       int
	margin0          apd.Decimal // the long's margin before the steps
	qty0             apd.Decimal
	events           []engine.Event
	ranking          []candidate
	fund0, fund1     apd.Decimal
	bankrupt         apd.Decimal // the bankruptcy price of what was left
	bankruptComputed bool
}

// A candidate is a trader on the other side of an ADL, with its score
// (engine.Candidate's: unbounded, Binance's profit on an empty wallet
// without BinanceFloor, ranks first).
type candidate struct {
	idx       int
	qty       apd.Decimal
	upnl      apd.Decimal
	score     apd.Decimal
	unbounded bool
}

type tickRecord struct {
	mark, fund   apd.Decimal
	hits, liquid int
	adlQty       apd.Decimal
}

type liqMark struct {
	tick  int
	price apd.Decimal
	short bool
	hero  bool
}

type adlMark struct {
	tick  int
	price apd.Decimal
	qty   apd.Decimal
}

type stats struct {
	hits, confirmed, liquidated, longs, shorts, restored int
	adlTrades                                            int
	adlWinners                                           map[int]bool
	adlQty                                               apd.Decimal
	fundMin, fundMax                                     apd.Decimal
	fundMinTick                                          int
	socialised                                           apd.Decimal
	bookQty                                              apd.Decimal // what the book absorbed from liquidations
}

// newSim builds the state, the population, the book and the index.
func newSim(preset *engine.Preset, seed uint64, accounts int) (*sim, error) {
	if accounts < 10 || accounts > 100000 || accounts%2 != 0 {
		return nil, fmt.Errorf("-accounts %d: want an even number from 10 to 100000", accounts)
	}
	ctx := derivmath.NewContext()
	spec := contract.BTCUSDT()
	spec.Minor.Set(apd.New(1, -2)) // the ledger keeps cents of USDT
	s := &sim{ctx: ctx, spec: spec, preset: preset, seed: seed}
	if preset.Venue == engine.BitMEX {
		// BitMEX's risk limits are in XBT (its XBTUSD contract); on this
		// USDT contract they are taken at the pre-crash price.
		s.bitmexRate = startMark
		for k := range preset.RiskLimits {
			l := &preset.RiskLimits[k].Limit
			if _, err := ctx.Mul(l, l, apd.New(startMark, 0)); err != nil {
				return nil, err
			}
		}
	}
	st, err := engine.New(ctx, spec, preset)
	if err != nil {
		return nil, err
	}
	s.st = st
	if err := st.SetMark(apd.New(startMark, 0)); err != nil {
		return nil, err
	}
	s.book = orderbook.New(4*levels, 4*levels)
	s.dr = drive.New(ctx, st, s.book, seed)
	if s.idx, err = markindex.New(&spec.Tick, markindex.Deepest); err != nil {
		return nil, err
	}
	if err := s.populate(rand.New(rand.NewPCG(seed, 0x63726173680a)), accounts); err != nil {
		return nil, err
	}
	return s, nil
}

// populate adds the street (the market maker), the 100x long and its
// counterparty, and pairs of a long and a short at the same entry and size,
// so that the quantities sum to zero, at leverages drawn from r.
func (s *sim) populate(r *rand.Rand, n int) error {
	street := &engine.Trader{Mode: account.Cross, Tier: -1}
	street.Wallet.SetInt64(200_000_000)
	var err error
	if s.street, err = s.st.Add(street); err != nil {
		return err
	}
	// The 100x long: 1 BTC at 60,000 with 600 USDT of isolated margin, a
	// take-profit sell and a buy to add on a dip resting.
	hero, err := s.trader(account.Isolated, 1000, startMark, 100)
	if err != nil {
		return err
	}
	hero.Orders = make([]engine.Order, heroOrders)
	hero.Orders[0].Qty.SetInt64(-1)
	hero.Orders[0].Price.SetInt64(62000)
	hero.Orders[1].Qty.Set(apd.New(5, -1))
	hero.Orders[1].Price.SetInt64(58000)
	hero.Orders[1].Margin.SetInt64(290) // 0.5 x 58,000 / 100
	if s.hero, err = s.st.Add(hero); err != nil {
		return err
	}
	short, err := s.trader(account.Cross, -1000, startMark, 10)
	if err != nil {
		return err
	}
	if s.heroShort, err = s.st.Add(short); err != nil {
		return err
	}
	// Three whales, long 45, 80 and 120 BTC at 10x, 15x and 20x, against
	// shorts at 3x; then pairs of ordinary traders.
	whales := []struct{ lots, lev int64 }{{45000, 10}, {80000, 15}, {120000, 20}}
	longLev := []int64{2, 3, 5, 10, 20, 25, 50, 75}
	shortLev := []int64{1, 2, 3, 5, 10, 20}
	for k := 0; s.st.Len()+2 <= n+1; k++ { // n accounts besides the street
		var lots, lev, slev, entry int64
		if k < len(whales) {
			lots, lev, slev = whales[k].lots, whales[k].lev, 3
			entry = 59800 + 100*int64(k)
		} else {
			lots = 10 + r.Int64N(1990)
			lev = longLev[r.IntN(len(longLev))]
			slev = shortLev[r.IntN(len(shortLev))]
			entry = 58500 + 10*r.Int64N(301)
		}
		mode := account.Isolated
		if r.IntN(4) == 0 {
			mode = account.Cross
		}
		long, err := s.trader(mode, lots, entry, lev)
		if err != nil {
			return err
		}
		// The 100x long is the first to go: every other long's
		// liquidation price starts below 59,500 (its leverage is lowered
		// until it does).
		for {
			var p apd.Decimal
			st, err := s.price(&p, long)
			if err != nil {
				return err
			}
			if st != liquidation.Found || p.Cmp(apd.New(othersBelow, 0)) < 0 || lev == 1 {
				break
			}
			lev--
			if long, err = s.trader(mode, lots, entry, lev); err != nil {
				return err
			}
		}
		sh, err := s.trader(account.Cross, -lots, entry, slev)
		if err != nil {
			return err
		}
		for _, t := range []*engine.Trader{long, sh} {
			if _, err := s.st.Add(t); err != nil {
				return err
			}
		}
	}
	var net apd.Decimal
	if err := s.st.NetQty(&net); err != nil {
		return err
	}
	if !net.IsZero() {
		return fmt.Errorf("population not balanced: net %s", net.String())
	}
	for i := 0; i < s.st.Len(); i++ {
		if err := s.rekey(i); err != nil {
			return err
		}
	}
	if err := s.setFund(); err != nil {
		return err
	}
	return s.st.Total(&s.total0)
}

// setFund opens the insurance fund with 0.5% of the open interest's value.
func (s *sim) setFund() error {
	var oi apd.Decimal
	for i := 0; i < s.st.Len(); i++ {
		if q := &s.st.Trader(i).Qty; q.Sign() > 0 {
			if _, err := s.ctx.Add(&oi, &oi, q); err != nil {
				return err
			}
		}
	}
	if _, err := s.ctx.Mul(&oi, &oi, apd.New(startMark*5, -3)); err != nil {
		return err
	}
	if err := derivmath.Round(s.ctx, &oi, &oi, apd.New(1, 0), derivmath.Down); err != nil {
		return err
	}
	if err := s.st.SetFund(&oi); err != nil {
		return err
	}
	s.fund0.Set(&oi)
	return nil
}

// trader returns an account holding lots thousandths of a BTC (signed) at
// entry with margin value/lev, rounded up to the cent; isolated margin or a
// cross wallet of the same amount. Its maintenance rate is its risk tier's
// in the preset's table, or 0.5% on a venue without one: the tier of its
// value at entry as the engine finds it (on Binance, the bracket whose
// floor, the Limit below, is at most the value; elsewhere the first tier
// whose Limit is at least the value).
func (s *sim) trader(mode account.Mode, lots, entry, lev int64) (*engine.Trader, error) {
	t := &engine.Trader{Mode: mode, Tier: -1}
	t.Qty.Set(apd.New(lots, -3))
	// Cost = Q*EP: exact in cents, as the entry is a multiple of 10.
	t.Cost.Set(apd.New(lots*entry, -3))
	var v, m apd.Decimal
	v.Abs(&t.Cost)
	if _, err := s.ctx.Quo(&m, &v, apd.New(lev, 0)); err != nil {
		return nil, err
	}
	if err := derivmath.Round(s.ctx, &m, &m, &s.spec.Minor, derivmath.Ceiling); err != nil {
		return nil, err
	}
	if mode == account.Isolated {
		t.Margin.Set(&m)
	} else {
		t.Wallet.Set(&m)
	}
	t.MMR.Set(apd.New(5, -3))
	if rl := s.preset.RiskLimits; len(rl) > 0 {
		t.Tier = len(rl) - 1
		if b := s.st.Brackets(t); b != nil {
			// Binance's brackets: margin.Tiers's lookup, the engine's,
			// where a Limit is the next bracket's floor.
			at, err := b.Lookup(&v)
			if err != nil {
				return nil, err
			}
			for k := 0; k < b.Len(); k++ {
				if b.At(k) == at {
					t.Tier = k
				}
			}
		} else {
			// The engine's risk limits elsewhere (StepDown): a value up
			// to a Limit, included, is in its tier.
			for k := range rl {
				if v.Cmp(&rl[k].Limit) <= 0 {
					t.Tier = k
					break
				}
			}
		}
		t.MMR.Set(&rl[t.Tier].MMR)
		t.Cum.Set(&rl[t.Tier].Cum)
	}
	return t, nil
}

// compile loads trader t into the sim's solver, as the engine sees it: the
// balance that backs it, its position and its maintenance rate (on
// Binance, the rate and amount of the bracket of its notional at each
// price: State.Brackets).
func (s *sim) compile(t *engine.Trader) error {
	if len(s.acct.Legs) == 0 {
		s.acct.Legs = make([]liquidation.Leg, 1)
	}
	a, l := &s.acct, &s.acct.Legs[0]
	a.Spec, a.Convention = s.spec, s.preset.Convention
	if t.Mode == account.Isolated {
		a.Balance.Set(&t.Margin)
	} else {
		a.Balance.Set(&t.Wallet)
	}
	a.FeeReserve.Set(&t.FeeReserve)
	l.Qty.Set(&t.Qty)
	l.Cost.Abs(&t.Cost)
	if err := s.spec.Price(s.ctx, &l.Entry, &t.Qty, &l.Cost); err != nil {
		return err
	}
	l.MMR.Set(&t.MMR)
	l.Cum.Set(&t.Cum)
	l.Tiers = s.st.Brackets(t)
	return s.solver.Compile(s.ctx, a)
}

// price sets z to t's liquidation price, unrounded.
func (s *sim) price(z *apd.Decimal, t *engine.Trader) (liquidation.Status, error) {
	if err := s.compile(t); err != nil {
		return 0, err
	}
	return s.solver.Price(z, liquidation.Exact)
}

// rekey puts trader i in the mark-tick index with the key of its present
// position (conservative: never later than the exact trigger), or takes it
// out when it is flat.
func (s *sim) rekey(i int) error {
	t := s.st.Trader(i)
	if t.Qty.IsZero() {
		s.idx.Remove(markindex.ID(i))
		return nil
	}
	if err := s.compile(t); err != nil {
		return err
	}
	var mark apd.Decimal
	s.st.Mark(&mark)
	k, err := s.idx.Solver(&s.solver, &mark)
	if err != nil {
		return err
	}
	s.idx.Upsert(markindex.ID(i), k)
	return nil
}

// quote replaces the street's bids and asks around the mark: touch lots at
// the mark, then levels-1 bids below it, spacing apart, of depth lots
// growing slowly with the distance, and asks above mirroring the bids.
func (s *sim) quote(mark, touch, depth int64) error {
	s.book.Reset()
	for k := int64(0); k < levels; k++ {
		q := apd.New(depth*(4+k)/4, -3)
		if k == 0 {
			q = apd.New(touch, -3)
		}
		if _, err := s.dr.Place(s.street, orderbook.Buy, apd.New(mark-k*spacing, 0), q); err != nil {
			return err
		}
		if _, err := s.dr.Place(s.street, orderbook.Sell, apd.New(mark+(k+1)*spacing, 0), q); err != nil {
			return err
		}
	}
	return nil
}

// replay runs the crash: on each tick the street re-quotes, the index
// names the accounts the new mark may have made liquidatable, and the driver
// runs the venue's sequence on each; every account a step touched is
// re-keyed.
func (s *sim) replay() error {
	s.stats.adlWinners = map[int]bool{}
	s.stats.fundMin.Set(&s.fund0)
	s.stats.fundMax.Set(&s.fund0)
	var hits []markindex.ID
	var ev []engine.Event
	for t := range ticks() {
		m := at(markPath, t, spacing)
		var mark apd.Decimal
		mark.SetInt64(m)
		if err := s.st.SetMark(&mark); err != nil {
			return err
		}
		if err := s.quote(m, at(touchPath, t, 1), at(depthPath, t, 1)); err != nil {
			return err
		}
		var err error
		if hits, err = s.idx.Tick(&mark, hits[:0]); err != nil {
			return err
		}
		if s.onTick != nil {
			if err := s.onTick(t, &mark, hits); err != nil {
				return err
			}
		}
		rec := tickRecord{hits: len(hits)}
		rec.mark.Set(&mark)
		s.stats.hits += len(hits)
		for _, id := range hits {
			i := int(id)
			var ch *chapter
			if i == s.hero {
				if ch, err = s.openChapter(t, &mark, len(hits)); err != nil {
					return err
				}
			}
			var before *engine.State
			if s.onLiquidate != nil {
				before = s.st.Clone()
			}
			ev, err = s.dr.Liquidate(ev[:0], i, 1)
			if err != nil {
				return fmt.Errorf("tick %d, mark %s, trader %d: %w", t, mark.String(), i, err)
			}
			if s.onLiquidate != nil {
				if err := s.onLiquidate(t, i, before, ev); err != nil {
					return err
				}
			}
			if err := s.account(t, i, ev, &rec); err != nil {
				return err
			}
			if ch != nil {
				s.closeChapter(ch, ev)
			}
		}
		s.st.FundBalance(&rec.fund)
		if rec.fund.Cmp(&s.stats.fundMin) < 0 {
			s.stats.fundMin.Set(&rec.fund)
			s.stats.fundMinTick = t
		}
		if rec.fund.Cmp(&s.stats.fundMax) > 0 {
			s.stats.fundMax.Set(&rec.fund)
		}
		s.tickLog = append(s.tickLog, rec)
		var total apd.Decimal
		if err := s.st.Total(&total); err != nil {
			return err
		}
		if total.Cmp(&s.total0) != 0 {
			return fmt.Errorf("tick %d: total %s, was %s: not conserved", t, total.String(), s.total0.String())
		}
	}
	return s.st.Total(&s.total1)
}

// account records what one Liquidate call did and re-keys every trader it
// touched.
func (s *sim) account(t, i int, ev []engine.Event, rec *tickRecord) error {
	touched := []int{i}
	for k := range ev {
		e := &ev[k]
		switch {
		case e.Kind == engine.Triggered && e.Step == engine.StepTrigger && e.Trader == i:
			if !s.triggeredBefore(ev[:k], i) {
				s.stats.confirmed++
			}
		case e.Kind == engine.Restored:
			s.stats.restored++
		case e.Kind == engine.Trade && e.Step == engine.StepADL:
			s.stats.adlTrades++
			s.stats.adlWinners[e.Counterparty] = true
			var q apd.Decimal
			q.Abs(&e.Qty)
			if _, err := s.ctx.Add(&s.stats.adlQty, &s.stats.adlQty, &q); err != nil {
				return err
			}
			if _, err := s.ctx.Add(&rec.adlQty, &rec.adlQty, &q); err != nil {
				return err
			}
			a := adlMark{tick: t}
			a.price.Set(&e.Price)
			a.qty.Set(&q)
			s.adls = append(s.adls, a)
		case e.Kind == engine.Trade && e.Why == engine.Liquidation && e.Counterparty == s.street:
			var q apd.Decimal
			q.Abs(&e.Qty)
			if _, err := s.ctx.Add(&s.stats.bookQty, &s.stats.bookQty, &q); err != nil {
				return err
			}
		case e.Kind == engine.Move && e.Why == engine.Socialised:
			if _, err := s.ctx.Add(&s.stats.socialised, &s.stats.socialised, &e.Amount); err != nil {
				return err
			}
		}
		if e.Kind == engine.Trade {
			for _, j := range []int{e.Trader, e.Counterparty} {
				if j != engine.Fund && !slices.Contains(touched, j) {
					touched = append(touched, j)
				}
			}
		}
	}
	// Liquidated: the position was taken over or closed, in part or whole,
	// by the venue (a restored step-down included).
	if len(ev) > 0 && s.liquidated(ev, i) {
		s.stats.liquidated++
		rec.liquid++
		tr := s.st.Trader(i)
		m := liqMark{tick: t, hero: i == s.hero}
		s.st.Mark(&m.price)
		m.short = s.wasShort(ev, i, tr)
		if m.short {
			s.stats.shorts++
		} else {
			s.stats.longs++
		}
		s.liqs = append(s.liqs, m)
	}
	for _, j := range touched {
		if err := s.rekey(j); err != nil {
			return err
		}
	}
	return nil
}

func (s *sim) triggeredBefore(ev []engine.Event, i int) bool {
	for k := range ev {
		if ev[k].Kind == engine.Triggered && ev[k].Trader == i {
			return true
		}
	}
	return false
}

// liquidated reports whether the events of trader i's sequence closed any
// of its position.
func (s *sim) liquidated(ev []engine.Event, i int) bool {
	for k := range ev {
		e := &ev[k]
		if e.Kind == engine.Trade && e.Step != engine.StepADL && (e.Trader == i || e.Counterparty == i) {
			return true
		}
		if e.Kind == engine.Trade && e.Step == engine.StepADL && e.Trader == i {
			return true
		}
	}
	return false
}

func (s *sim) wasShort(ev []engine.Event, i int, t *engine.Trader) bool {
	for k := range ev {
		if e := &ev[k]; e.Kind == engine.Triggered && e.Trader == i {
			return e.Qty.Negative
		}
	}
	return t.Qty.Negative
}

// openChapter records the 100x long before the driver acts on it: its
// equity and maintenance at the mark, and the ranking of the traders an
// ADL would close against, as the venue scores them.
func (s *sim) openChapter(t int, mark *apd.Decimal, hits int) (*chapter, error) {
	tr := s.st.Trader(s.hero)
	ch := &chapter{tick: t, hits: hits, tierBefore: tr.Tier}
	ch.mark.Set(mark)
	ch.margin0.Set(&tr.Margin)
	ch.qty0.Set(&tr.Qty)
	s.st.FundBalance(&ch.fund0)
	if err := s.st.Equity(&ch.equity, s.hero); err != nil {
		return nil, err
	}
	if err := s.maintenance(&ch.maint, tr); err != nil {
		return nil, err
	}
	if !tr.Qty.IsZero() {
		if err := s.compile(tr); err != nil {
			return nil, err
		}
		if _, err := s.solver.Bankruptcy(&ch.bankrupt, s.preset.PriceRounding); err != nil {
			return nil, err
		}
		ch.bankruptComputed = true
	}
	var err error
	ch.ranking, err = s.rank(s.hero)
	return ch, err
}

func (s *sim) closeChapter(ch *chapter, ev []engine.Event) {
	if len(ev) == 0 {
		return
	}
	ch.events = make([]engine.Event, len(ev))
	for k := range ev {
		copyEvent(&ch.events[k], &ev[k])
	}
	s.st.FundBalance(&ch.fund1)
	s.story = append(s.story, *ch)
}

func copyEvent(z, e *engine.Event) {
	z.Seq, z.Step, z.Kind, z.Why = e.Seq, e.Step, e.Kind, e.Why
	z.Trader, z.Counterparty, z.From, z.To, z.Intent = e.Trader, e.Counterparty, e.From, e.To, e.Intent
	z.Amount.Set(&e.Amount)
	z.Qty.Set(&e.Qty)
	z.Price.Set(&e.Price)
}

// maintenance sets z to t's maintenance margin per the preset's convention:
// on the value at the mark (Binance) or at entry (BitMEX, Bybit).
func (s *sim) maintenance(z *apd.Decimal, t *engine.Trader) error {
	var v apd.Decimal
	if s.preset.Convention == liquidation.Binance {
		var mark apd.Decimal
		s.st.Mark(&mark)
		if _, err := s.ctx.Mul(&v, &t.Qty, &mark); err != nil {
			return err
		}
		v.Abs(&v)
	} else {
		v.Abs(&t.Cost)
	}
	if err := s.maintenanceOn(z, t, &v); err != nil {
		return err
	}
	_, err := s.ctx.Add(z, z, &t.FeeReserve)
	return err
}

// maintenanceOn sets z to MMR*v - cum, with t's rate and amount or, where
// the engine takes them from its brackets (Binance: State.Brackets), those
// of v's bracket, never below zero: the engine's rule (its maintenance is
// unexported; this mirrors it), where a cum above MMR*v is a tier's kept
// after the value left it (Trader.Cum).
func (s *sim) maintenanceOn(z *apd.Decimal, t *engine.Trader, v *apd.Decimal) error {
	if b := s.st.Brackets(t); b != nil {
		return b.Maintenance(s.ctx, z, v)
	}
	if err := margin.Maintenance(s.ctx, z, v, &t.MMR, &t.Cum); err != nil {
		return err
	}
	if z.Negative {
		z.SetInt64(0)
	}
	return nil
}

// rank returns the traders on the other side of holder's position, the
// winners of a crash, in the order the venue's ADL would close them
// (State.AppendADLQueue, with the driver's seed), with their positions,
// unrealised PnL at the mark and scores.
func (s *sim) rank(holder int) ([]candidate, error) {
	q, err := s.st.AppendADLQueue(nil, holder, s.seed)
	if err != nil {
		return nil, err
	}
	var mark apd.Decimal
	s.st.Mark(&mark)
	out := make([]candidate, len(q))
	for k := range q {
		t, c := s.st.Trader(q[k].Trader), &out[k]
		c.idx = q[k].Trader
		c.qty.Set(&t.Qty)
		c.score.Set(&q[k].Score)
		c.unbounded = q[k].Unbounded
		if _, err := s.ctx.Mul(&c.upnl, &t.Qty, &mark); err != nil { // V(mark) = Q*m*P, m = 1
			return nil, err
		}
		if _, err := s.ctx.Sub(&c.upnl, &c.upnl, &t.Cost); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// snapshotHero records the 100x long before the crash with its liquidation
// and bankruptcy prices.
func (s *sim) snapshotHero() error {
	t := s.st.Trader(s.hero)
	h := &s.heroStart
	h.qty.Set(&t.Qty)
	if err := s.spec.Price(s.ctx, &h.entry, &t.Qty, &t.Cost); err != nil {
		return err
	}
	h.margin.Set(&t.Margin)
	h.mmr.Set(&t.MMR)
	h.cum.Set(&t.Cum)
	h.tier = t.Tier
	h.orders = make([]engine.Order, len(t.Orders))
	for k := range t.Orders {
		h.orders[k].Qty.Set(&t.Orders[k].Qty)
		h.orders[k].Price.Set(&t.Orders[k].Price)
		h.orders[k].Margin.Set(&t.Orders[k].Margin)
	}
	if err := s.compile(t); err != nil {
		return err
	}
	if _, err := s.solver.Price(&h.liq, liquidation.Exact); err != nil {
		return err
	}
	_, err := s.solver.Bankruptcy(&h.bankrupt, s.preset.PriceRounding)
	return err
}
