package drive_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/engine/drive"
	"github.com/derivmath/derivmath/engine/internal/enginetest"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/margin"
	"github.com/derivmath/derivmath/orderbook"
)

// The groups of sentinels the Driver's godoc names by reference.
var (
	// ticksLots is "contract's tick and lot errors": contract.Spec.Ticks's
	// and Lots's.
	ticksLots = append(slices.Clip(enginetest.CheckPrice), derivmath.ErrContext, contract.ErrOffTick, contract.ErrOffLot)
	// round is derivmath.Round's.
	round = append(slices.Clip(enginetest.CheckDecimal), derivmath.ErrContext, derivmath.ErrRounding, derivmath.ErrStep)
	// book is "the book's": orderbook.Book.Limit's and Market's, which
	// Preview's are, and Cancel's.
	book = []error{
		orderbook.ErrInvalidSide, orderbook.ErrInvalidType, orderbook.ErrInvalidSTP,
		orderbook.ErrInvalidPrice, orderbook.ErrInvalidQty, orderbook.ErrDuplicateID,
		orderbook.ErrWouldCross, orderbook.ErrFillOrKill, orderbook.ErrOverflow, orderbook.ErrBookFull,
		orderbook.ErrUnknownOrder,
	}
	// send is Send's: ErrContext, engine.ErrUnknownIntent, the tick and
	// lot errors, Round's, the book's, ErrOwner and State.Execute's.
	send = slices.Concat([]error{derivmath.ErrContext, engine.ErrUnknownIntent, drive.ErrOwner},
		ticksLots, round, book, enginetest.Errors["Execute"])
)

// documented lists, for each method of a Driver, the sentinels its godoc
// names. Liquidate's "those of the steps and of Send" are the State's
// Trigger, Cancel, StepDown, Takeover, Execute, Withdraw, MustADL, ADL and
// Socialise's, the book's and Send's; Deleverage's are MustADL's, ADL's
// and Socialise's. Each may also return a *margin.TierError and a trapped
// condition, through the steps that name solver and arithmetic errors.
var documented = map[string][]error{
	"Place": slices.Concat([]error{derivmath.ErrContext, engine.ErrTrader}, ticksLots, book),
	"Send":  send,
	"Liquidate": slices.Concat(send, enginetest.Errors["Trigger"], enginetest.Errors["Cancel"],
		enginetest.Errors["StepDown"], enginetest.Errors["Takeover"], enginetest.Errors["Withdraw"],
		enginetest.Errors["MustADL"], enginetest.Errors["ADL"], enginetest.Errors["Socialise"]),
	"Deleverage": slices.Concat(enginetest.Errors["MustADL"], enginetest.Errors["ADL"], enginetest.Errors["Socialise"]),
}

// checkDocumented fails t unless err is nil or documented for what: a
// Driver method's list above, or a State method's (enginetest.Documented).
func checkDocumented(t *testing.T, what string, err error) {
	t.Helper()
	list, ok := documented[what]
	if !ok {
		enginetest.Documented(t, what, err)
		return
	}
	if err == nil || slices.ContainsFunc(list, func(s error) bool { return errors.Is(err, s) }) {
		return
	}
	var tier *margin.TierError
	if what != "Place" && (errors.As(err, &tier) || dectest.Trapped(err)) {
		return
	}
	t.Fatalf("%s: undocumented error %v (%T)", what, err, err)
}

// fuzzDriver is a Driver under fuzzing, the decimals its op bytes pick
// from, and the State's total at the start.
type fuzzDriver struct {
	t    *testing.T
	dr   *drive.Driver
	st   *engine.State
	pool []apd.Decimal
	ops  []byte
	t0   apd.Decimal
	ids  []orderbook.OrderID // placed
}

func (f *fuzzDriver) next() byte {
	if len(f.ops) == 0 {
		return 0
	}
	b := f.ops[0]
	f.ops = f.ops[1:]
	return b
}

// dec sets z to a decimal of the pool, or zero (one choice in len+1).
func (f *fuzzDriver) dec(z *apd.Decimal) {
	z.SetInt64(0)
	if k := int(f.next()) % (len(f.pool) + 1); k < len(f.pool) {
		z.Set(&f.pool[k])
	}
}

// snapshot is what the State and the Book show: what a call that fails
// without having applied anything must leave as it was.
func (f *fuzzDriver) snapshot() string {
	st, b := f.st, f.dr.Book
	var s strings.Builder
	var tot, net, fund, fees, mark apd.Decimal
	errT, errN := st.Total(&tot), st.NetQty(&net)
	st.FundBalance(&fund)
	st.FeeBalance(&fees)
	st.Mark(&mark)
	fmt.Fprintf(&s, "%s %v %s %v %s %s %s intents %d\n", tot.String(), errT, net.String(), errN, fund.String(), fees.String(), mark.String(), st.Intents())
	for i := engine.Fund; i < st.Len(); i++ {
		tr := st.Trader(i)
		fmt.Fprintf(&s, "%d %s %s %s %s %s %s %d %d %v\n", i, tr.Wallet.String(), tr.Margin.String(), tr.Qty.String(),
			tr.Cost.String(), tr.MMR.String(), tr.Cum.String(), tr.Tier, len(tr.Orders), tr.Liquidating)
	}
	for id := engine.IntentID(1); id < 16; id++ {
		if in := st.Intent(id); in != nil {
			fmt.Fprintf(&s, "intent %d %d %v %s %s %v\n", id, in.Holder, in.Side, in.Qty.String(), in.Limit.String(), in.TIF)
		}
	}
	fmt.Fprintf(&s, "book %d %v %v", b.Len(), b.AppendDepth(nil, orderbook.Buy, math.MaxInt), b.AppendDepth(nil, orderbook.Sell, math.MaxInt))
	return s.String()
}

// conserved fails unless the State's total is what it was at the start and
// its quantities sum to zero.
func (f *fuzzDriver) conserved(what string) {
	f.t.Helper()
	var tot, net apd.Decimal
	if err := f.st.Total(&tot); err != nil {
		f.t.Fatalf("after %s: Total: %v", what, err)
	}
	if err := f.st.NetQty(&net); err != nil || !net.IsZero() {
		f.t.Fatalf("after %s: quantities sum to %s (%v)", what, net.String(), err)
	}
	if tot.Cmp(&f.t0) != 0 {
		f.t.Fatalf("after %s: total %s, was %s", what, tot.String(), f.t0.String())
	}
}

// atomic runs a call documented to change nothing when it fails.
func (f *fuzzDriver) atomic(what string, fn func() error) error {
	f.t.Helper()
	before := f.snapshot()
	err := fn()
	checkDocumented(f.t, what, err)
	if err != nil {
		if after := f.snapshot(); after != before {
			f.t.Fatalf("%s failed (%v) but changed the state or the book:\n%s\n%s", what, err, before, after)
		}
	}
	f.conserved(what)
	return err
}

// FuzzDriver drives the liquidation sequence through a book with
// arbitrary resting orders (prices and sizes from nums, separated by
// spaces, off the tick and lot, hostile), marks, an arbitrary extra
// trader, and any of the nine presets (venue): Place, SetMark, Send of the
// open intents, Liquidate, Deleverage, the caller's cancels on the book
// and the steps by hand, in the order ops says. Nothing panics (the
// driver panics if the book does not make the fills it previewed); every
// error is documented; a Place, a Send or a SetMark that fails changes
// neither the State nor the Book; an order Place accepts rests on the
// book; and after every call the State's total is what it was and its
// quantities sum to zero.
func FuzzDriver(f *testing.F) {
	// Ops: 0 Place trader side price qty; 1 SetMark x; 2 Liquidate i
	// maxPartial; 3 Deleverage; 4 Send intent; 5 Cancel a placed order;
	// 6 Trigger, Cancel and StepDown or Takeover by hand; 7 the ADL
	// trigger on or off, with a peak; 8 an order of the caller's own on
	// the book (id, side, price, qty). The extra trader (index 3) is
	// mode and tier, wallet, margin, qty, cost, mmr from the pool.
	// The drive tests' shapes: the long (trader 1, P_B 99) liquidated
	// into a street bid at 99.25 (BitMEX), and with no bid (ADL against
	// the short). Pool: 99.25 1 99.5 98 2 -1 -100 0.005 10 100.
	const z = 10
	f.Add(uint8(0), "99.25 1 99.5 98 2 -1 -100 0.005 10 100", []byte{1, z, z, z, z, z, z},
		[]byte{0, 0, 1, 0, 1, 1, 2, 2, 1, 3, 3})
	f.Add(uint8(0), "99.25 1 99.5 98 2 -1 -100 0.005 10 100", []byte{2, 8, z, 5, 6, 7},
		[]byte{1, 2, 2, 1, 3, 3, 1, 3, 2, 3, 3})
	// Binance, Bybit, OKX, dYdX, Hyperliquid: partial closes, the hand
	// steps, sends, a cancel of the street's bid, and a mark that falls.
	for _, v := range []uint8{1, 2, 3, 5, 6} {
		f.Add(v, "99.25 1 99.5 98 2 -1 -100 0.005 10 100", []byte{2, 8, z, 1, 9, 7},
			[]byte{0, 0, 1, 3, 4, 0, 0, 1, 0, 1, 1, 2, 6, 1, 1, 4, 1, 4, 2, 6, 3, 0, 2, 3, 3, 1, 3, 2, 3, 1, 5, 0, 7, 1, 9, 3})
	}
	// A bid the caller rests on the book itself (ID 1, 99.25, 1 lot), which
	// the takeover's sell reaches: ErrOwner, nothing changed.
	f.Add(uint8(0), "99.25 1 99.5 98 2 -1 -100 0.005 10 100", []byte{1, z, z, z, z, z, z},
		[]byte{8, 0, 0, 17, 0, 1, 2, 4, 1, 4, 2, 6, 1, 0, 4, 1, 2, 1, 3})
	// Drift and GMX, which no seed above reaches, and the rules the bits
	// of venue above the preset's index set: Hyperliquid's short scored
	// entry/mark (6+9), OKX's and Deribit's clawback shared equally
	// (3+18, 4+18), and Drift's insurance capped at 0, 1 and 1e28 (7+36,
	// 7+36+72, 7+36+144). The long (trader 1) liquidated without a bid and ADL,
	// then sold into a bid of 98 under its bankruptcy price of 99 (a loss
	// for the fund to cover).
	for _, v := range []uint8{7, 8, 15, 21, 22, 43, 115, 187} {
		for _, ops := range [][]byte{
			{1, 3, 2, 1, 0, 4, 1, 4, 2, 3, 3, 1, 2, 2, 2, 0, 6, 1, 1, 3, 1, 5, 2, 3, 0, 3},
			{0, 0, 1, 3, 1, 1, 3, 2, 1, 0, 4, 1, 4, 2, 3, 3, 1, 2, 2, 2, 0, 6, 1, 1, 1, 5, 3},
		} {
			f.Add(v, "99.25 1 99.5 98 2 -1 -100 0.005 10 100", []byte{2, 8, z, 5, 6, 7}, ops)
		}
		// An isolated long of 1000 at 100 with a margin of 10 (trader 3)
		// sold at 90 into a bid of the short across (trader 4), then of
		// the street, the mark at 80: a loss beyond the fund's 100, which
		// the profits cover in full (the short's own bid closed it), then
		// in part.
		for _, bidder := range []byte{4, 0} {
			f.Add(v, "99.25 1 99.5 98 2 -1 -100 0.005 10 100 1000 100000 90 80", []byte{1, 8, 8, 10, 11, 7},
				[]byte{0, bidder, 1, 12, 10, 1, 3, 2, 3, 0, 4, 1, 4, 2, 4, 3, 1, 13, 3, 3, 1, 12, 2, 3, 0, 4, 1, 4, 2, 4, 3, 3, 3})
		}
	}
	// Binance's brackets at the mark: the extra short (trader 3) in
	// bracket 0 (mode byte 5: Cross, Tier 0), the street's bid, a mark of
	// 109 it survives, then 112: the steps by hand (StepDown), sends, a
	// Liquidate, ADL (12: zero).
	f.Add(uint8(1), "99.25 1 99.5 98 2 -1 -100 0.005 10 100 109 112", []byte{5, 8, 12, 5, 6, 7},
		[]byte{0, 0, 1, 0, 1, 1, 10, 6, 3, 2, 3, 0, 1, 11, 6, 3, 1, 4, 1, 4, 2, 2, 3, 1, 4, 1, 4, 2, 3, 3})
	// Hostile: prices off the tick, sizes off the lot, NaN, negative,
	// huge, a trader index out of range, side 0, marks of -0 and 1e999.
	f.Add(uint8(4), "99.3 0.5 NaN -1 1e40 -0 1e999 0.25 1e-30 100", []byte{9, 0, 2, 3, 4, 5},
		[]byte{0, 0, 1, 0, 1, 0, 1, 1, 7, 1, 0, 4, 2, 7, 1, 0, 8, 0, 1, 0, 9, 2, 1, 2, 1, 5, 1, 6, 1, 9, 2, 200, 9, 4, 9, 5, 9})
	f.Fuzz(func(t *testing.T, venue uint8, nums string, trader, ops []byte) {
		if len(ops) > 256 {
			return
		}
		ctx := derivmath.NewContext()
		p := engine.Presets()[int(venue)%len(engine.Presets())]
		// The bits of venue above the preset's index set the rules no
		// preset departs from by default: 1 a short's Hyperliquid score
		// entry/mark, 2 a clawback shared equally, 4 an insurance cap
		// (Drift only, which Validate requires) of 0, 1 or 1e28 (one the
		// context cannot hold to the minor unit), as the bits 8 and 16
		// say.
		if v := int(venue) / len(engine.Presets()); v > 0 {
			if v&1 != 0 {
				p.ShortRatio = engine.ShortEntryOverMark
			}
			if v&2 != 0 {
				p.Split = engine.SplitEqual
			}
			if v&4 != 0 && p.Socialise == engine.DriftFunding {
				p.CapInsurance = true
				p.MaxInsurance.Set([]*apd.Decimal{apd.New(0, 0), apd.New(1, 0), apd.New(1, 28)}[v>>3%3])
			}
		}
		st := newState(t, ctx, p)
		fd := &fuzzDriver{t: t, st: st, ops: trader}
		for _, s := range strings.Fields(nums) {
			var x apd.Decimal
			if _, _, err := x.SetString(s); err == nil {
				fd.pool = append(fd.pool, x)
			}
		}
		// An extra trader, when the state takes it (FuzzAdd in package
		// engine fuzzes Add itself).
		// Its first byte is the mode (mod 3) and, above it, the Tier, -1
		// to 2: under Binance's rules a Tier puts the trader on the
		// preset's brackets at the mark (State.Brackets).
		b := fd.next()
		tr := &engine.Trader{Mode: account.Mode(b % 3), Tier: int(b/3)%4 - 1}
		for _, z := range []*apd.Decimal{&tr.Wallet, &tr.Margin, &tr.Qty, &tr.Cost, &tr.MMR} {
			fd.dec(z)
		}
		// It trades against the fund's side: the quantities must sum to 0.
		if !tr.Qty.IsZero() {
			if _, err := st.Add(tr); err == nil {
				opp := &engine.Trader{Mode: account.Cross, Tier: -1}
				opp.Wallet.Set(apd.New(1_000_000, 0))
				opp.Qty.Neg(&tr.Qty)
				opp.Cost.Neg(&tr.Cost)
				opp.MMR.Set(apd.New(5, -3))
				if _, err := st.Add(opp); err != nil {
					return // no such opposite position: leave the case
				}
			}
		}
		if err := st.SetFund(apd.New(100, 0)); err != nil {
			t.Fatal(err)
		}
		fd.dr = drive.New(ctx, st, orderbook.New(16, 16), 1)
		if err := st.Total(&fd.t0); err != nil {
			t.Fatal(err)
		}
		fd.ops = ops
		for n := 0; len(fd.ops) > 0 && n < 64; n++ {
			fd.op()
		}
	})
}

// op runs the call the next op byte names.
func (f *fuzzDriver) op() {
	dr, st := f.dr, f.st
	var events []engine.Event
	switch f.next() % 9 {
	case 0:
		i := int(f.next()) % (st.Len() + 2) // Len and Len+1: none
		if i == st.Len()+1 {
			i = engine.Fund
		}
		side := orderbook.Side(f.next() % 3)
		var price, qty apd.Decimal
		f.dec(&price)
		f.dec(&qty)
		var id orderbook.OrderID
		err := f.atomic("Place", func() error {
			var err error
			id, err = dr.Place(i, side, &price, &qty)
			return err
		})
		if err == nil {
			if o, ok := dr.Book.Order(id); !ok || o.Side != side {
				f.t.Fatalf("Place(%d, %v, %s, %s) = %d, but the book has %+v, %v", i, side, price.String(), qty.String(), id, o, ok)
			}
			f.ids = append(f.ids, id)
		}
	case 1:
		var m apd.Decimal
		f.dec(&m)
		_ = f.atomic("SetMark", func() error { return st.SetMark(&m) })
	case 2:
		i, k := int(f.next())%st.Len(), int(f.next()%4)
		var err error
		events, err = dr.Liquidate(events, i, k)
		checkDocumented(f.t, "Liquidate", err)
		f.conserved("Liquidate")
	case 3:
		var err error
		events, err = dr.Deleverage(events)
		checkDocumented(f.t, "Deleverage", err)
		f.conserved("Deleverage")
	case 4:
		id := engine.IntentID(f.next() % 8)
		_ = f.atomic("Send", func() error {
			var err error
			events, err = dr.Send(events, id)
			return err
		})
	case 5:
		if len(f.ids) == 0 {
			return
		}
		_, _ = dr.Book.Cancel(f.ids[int(f.next())%len(f.ids)]) // ErrUnknownOrder once traded
		f.conserved("Cancel")
	case 6:
		i := int(f.next()) % st.Len()
		events, liq, err := st.Trigger(events, i)
		checkDocumented(f.t, "Trigger", err)
		if liq {
			events, err = st.Cancel(events, i)
			checkDocumented(f.t, "Cancel", err)
			if f.next()%2 == 0 {
				_, _, err = st.Takeover(events, i)
				checkDocumented(f.t, "Takeover", err)
			} else {
				_, _, err = st.StepDown(events, i)
				checkDocumented(f.t, "StepDown", err)
			}
		}
		f.conserved("the steps by hand")
	case 7:
		dr.Trigger = f.next()%2 == 1
		f.dec(&dr.ADL.Peak)
		dr.ADL.Running = f.next()%2 == 1
	case 8:
		// An order the caller rests on the book itself, with an ID below
		// the driver's: a fill against it is ErrOwner.
		o := orderbook.Order{ID: orderbook.OrderID(1 + f.next()), Side: orderbook.Side(1 + f.next()%2), Type: orderbook.GTC}
		o.Price, o.Qty = 380+int64(f.next()%40), 1+int64(f.next()%4)
		_, _ = dr.Book.Limit(o, nil) // the book's errors are its own
		f.conserved("an order placed on the book directly")
	}
}
