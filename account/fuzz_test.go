package account_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
)

// documented lists every sentinel an Account documents: its own, and
// derivmath's, contract's, margin's and liquidation's.
var documented = []error{
	account.ErrConvention, account.ErrNoSpec, account.ErrNoMark, account.ErrSide,
	account.ErrMode, account.ErrNegative, account.ErrIndex, account.ErrLeverage,
	derivmath.ErrNaN, derivmath.ErrInfinite, derivmath.ErrNegativeZero, derivmath.ErrRange,
	derivmath.ErrPrice, derivmath.ErrZeroQty, derivmath.ErrLeverage, derivmath.ErrFeeRate,
	derivmath.ErrRate, derivmath.ErrStep, derivmath.ErrRounding, derivmath.ErrContext,
	contract.ErrValue, contract.ErrOffTick, contract.ErrOffLot, contract.ErrKind,
	contract.ErrMultiplier, contract.ErrTickSize, contract.ErrLotSize, contract.ErrMinorUnit,
	margin.ErrNoTiers, margin.ErrNotional,
	liquidation.ErrNoLegs, liquidation.ErrNoSpec, liquidation.ErrConvention,
	liquidation.ErrRounding, liquidation.ErrNegative, liquidation.ErrSettle,
	liquidation.ErrLegIndex, liquidation.ErrNoConvergence,
}

// checkDocumented fails unless err is nil, one of the documented
// sentinels, or a *margin.TierError (a notional beyond the last tier).
func checkDocumented(t *testing.T, what string, err error) {
	t.Helper()
	dectest.Documented[*margin.TierError](t, what, err, documented)
}

// fuzzAccount is an Account under fuzzing and what it is driven with: the
// contracts (the last one nil), currencies, tier tables (the first nil)
// and a pool of decimals that the op bytes pick from.
type fuzzAccount struct {
	t     *testing.T
	a     *account.Account
	specs []*contract.Spec
	curs  []string
	tiers []*margin.Tiers
	pool  []apd.Decimal
	ops   []byte
}

// next returns the next op byte, 0 once they are spent.
func (f *fuzzAccount) next() byte {
	if len(f.ops) == 0 {
		return 0
	}
	b := f.ops[0]
	f.ops = f.ops[1:]
	return b
}

// dec sets z to a decimal of the pool, or leaves it zero (one choice in
// len(pool)+1).
func (f *fuzzAccount) dec(z *apd.Decimal) {
	if k := int(f.next()) % (len(f.pool) + 1); k < len(f.pool) {
		z.Set(&f.pool[k])
	}
}

func (f *fuzzAccount) spec() *contract.Spec { return f.specs[int(f.next())%len(f.specs)] }
func (f *fuzzAccount) cur() string          { return f.curs[int(f.next())%len(f.curs)] }

// side and mode include the invalid values around the defined ones.
func (f *fuzzAccount) side() account.Side { return account.Side(f.next() % 5) }
func (f *fuzzAccount) mode() account.Mode { return account.Mode(f.next() % 4) }

// snapshot is everything an Account shows: what a failed call must leave
// as it was. It also checks that what it reads is valid output.
func (f *fuzzAccount) snapshot() string {
	t, a := f.t, f.a
	var b strings.Builder
	fmt.Fprintf(&b, "len %d orders %d liquidatable %v\n", a.Len(), a.Orders(), a.Liquidatable())
	var z apd.Decimal
	for k, s := range f.specs[:len(f.specs)-1] {
		z.SetInt64(0)
		ok := a.Mark(&z, s)
		fmt.Fprintf(&b, "mark %d %v %s", k, ok, z.String())
		for _, side := range []account.Side{account.OneWay, account.Long, account.Short} {
			fmt.Fprintf(&b, " %d", a.Find(s, side))
		}
		b.WriteByte('\n')
	}
	for _, cur := range f.curs {
		a.Wallet(&z, cur)
		var s account.Summary
		err := a.Summary(&s, cur)
		checkDocumented(t, "Summary", err)
		fmt.Fprintf(&b, "wallet %q %s summary %v", cur, z.String(), err)
		if err == nil {
			f.checkSummary(&s, cur)
			fmt.Fprintf(&b, " %s %s %s %s %s %s %s %s %s %v", s.Currency, s.Wallet.String(), s.Unrealised.String(),
				s.Equity.String(), s.Initial.String(), s.Orders.String(), s.Maintenance.String(),
				s.Ratio.String(), s.Available.String(), s.Liquidatable)
		}
		b.WriteByte('\n')
	}
	for i := range a.Len() {
		p := a.Position(i)
		fmt.Fprintf(&b, "position %d %s %v %v %s %s %s %s %s %s %p %s %s %s\n", i, p.Spec.Symbol, p.Side, p.Mode,
			p.Qty.String(), p.Entry.String(), p.Leverage.String(), p.Margin.String(), p.Cost.String(), p.Fee.String(),
			p.Tiers, p.MMR.String(), p.Cum.String(), p.Funding.String())
		for _, r := range []liquidation.Rounding{liquidation.Exact, liquidation.TowardEntry} {
			var rep account.Report
			err := a.Report(&rep, i, r)
			checkDocumented(t, "Report", err)
			fmt.Fprintf(&b, " report %v %v", r, err)
			if err == nil {
				f.checkReport(&rep)
				fmt.Fprintf(&b, " %s %s %s %s %s %s %v %s %v %s %s %v", rep.Value.String(), rep.Unrealised.String(),
					rep.Initial.String(), rep.Maintenance.String(), rep.Fee.String(), rep.Liquidation.String(),
					rep.LiquidationStatus, rep.Bankruptcy.String(), rep.BankruptcyStatus, rep.Distance.String(),
					rep.DistancePct.String(), rep.Liquidatable)
			}
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// valid fails unless every x is a valid input (derivmath.CheckDecimal).
func (f *fuzzAccount) valid(what string, xs ...*apd.Decimal) {
	f.t.Helper()
	for k, x := range xs {
		if err := derivmath.CheckDecimal(x); err != nil {
			f.t.Fatalf("%s: output %d = %s is not a valid input: %v", what, k, x.String(), err)
		}
	}
}

// checkSummary checks what Summary wrote: valid decimals, the currency
// asked for, and a maintenance, a ratio and an available balance that are
// never negative (a Cum above MMR*value leaves a maintenance of 0: see
// account.Position.Cum; a fee to close with no bankruptcy price is 0).
func (f *fuzzAccount) checkSummary(s *account.Summary, cur string) {
	f.t.Helper()
	f.valid("Summary", &s.Wallet, &s.Unrealised, &s.Equity, &s.Initial, &s.Orders, &s.Maintenance, &s.Ratio, &s.Available)
	if s.Currency != cur || s.Maintenance.Sign() < 0 || s.Ratio.Sign() < 0 || s.Available.Sign() < 0 {
		f.t.Fatalf("Summary(%q): currency %q, maintenance %s, ratio %s, available %s", cur, s.Currency, s.Maintenance.String(), s.Ratio.String(), s.Available.String())
	}
}

// checkReport checks what Report wrote: valid decimals, a positive price
// for each Found status and 0 otherwise, and a distance only with a
// liquidation price.
func (f *fuzzAccount) checkReport(r *account.Report) {
	f.t.Helper()
	f.valid("Report", &r.Value, &r.Unrealised, &r.Initial, &r.Maintenance, &r.Fee, &r.Liquidation, &r.Bankruptcy, &r.Distance, &r.DistancePct)
	for _, p := range []struct {
		st liquidation.Status
		x  *apd.Decimal
	}{{r.LiquidationStatus, &r.Liquidation}, {r.BankruptcyStatus, &r.Bankruptcy}} {
		if found := p.st == liquidation.Found; found != (p.x.Sign() > 0) || !found && !p.x.IsZero() {
			f.t.Fatalf("Report: status %v with price %s", p.st, p.x.String())
		}
	}
	if r.LiquidationStatus != liquidation.Found && (!r.Distance.IsZero() || !r.DistancePct.IsZero()) {
		f.t.Fatalf("Report: status %v with distance %s", r.LiquidationStatus, r.Distance.String())
	}
	if r.Distance.Sign() < 0 || r.DistancePct.Sign() < 0 {
		f.t.Fatalf("Report: negative distance %s (%s)", r.Distance.String(), r.DistancePct.String())
	}
}

// call runs one mutating call: a failed one must return a documented error
// and leave the account as it was.
func (f *fuzzAccount) call(what string, fn func() error) error {
	f.t.Helper()
	before := f.snapshot()
	err := fn()
	checkDocumented(f.t, what, err)
	if err != nil {
		if after := f.snapshot(); after != before {
			f.t.Fatalf("%s failed (%v) but changed the account:\n%s\n%s", what, err, before, after)
		}
	}
	return err
}

// same runs a call that must succeed and change nothing.
func (f *fuzzAccount) same(what string, fn func() error) {
	f.t.Helper()
	before := f.snapshot()
	if err := fn(); err != nil {
		f.t.Fatalf("%s: %v", what, err)
	}
	if after := f.snapshot(); after != before {
		f.t.Fatalf("%s changed the account:\n%s\n%s", what, before, after)
	}
}

// FuzzAccount drives an Account with arbitrary decimals and kinds: ops
// picks each call (SetWallet, Transfer, SetMark, Set, SetOrder, Report, and
// calls that must change nothing) and its arguments, decimals from nums
// (separated by spaces), on four contracts (linear, inverse, BitMEX's
// XBTUSD with a minor unit) and a nil one, under a convention from conv.
// Nothing panics; every error is documented; a failed call leaves
// everything the account shows (marks, wallets, summaries, positions and
// their reports) as it was; every amount written is a valid input; a
// position set again from its own description, a wallet set to its own
// balance, and a mark moved to a solved price and back change nothing.
func FuzzAccount(f *testing.F) {
	// Ops (see the switch below): 0 SetWallet cur x; 1 Transfer cur x;
	// 2 SetMark spec x; 3 Set spec side mode qty entry lev margin cost
	// fee tiers mmr cum funding; 4 SetOrder id spec side qty price lev;
	// 5 Report i rounding (and the mark there and back); 6 Set of a
	// position's own description; 7 SetWallet of a wallet's own balance.
	// Pool indices in the seeds count from 0; the pool's length is zero.
	// The package example: Binance USD-M cross, BTCUSDT on brackets and an
	// ETHUSDT short; an order; ETH rallies (z, the pool's length, is zero).
	const z = 11
	f.Add(uint8(liquidation.Binance), "3000 61000 3100 0.5 60000 20 -4 3000 10 0.005 3900",
		[]byte{
			0, 0, 0, 2, 0, 1, 2, 1, 2,
			3, 0, 1, 2, 3, 4, 5, z, z, z, 1, z, z, z,
			3, 1, 1, 2, 6, 7, 8, z, z, z, 0, 9, z, z,
			5, 0, 2, 5, 1, 1, 4, 0, 0, 1, 3, 4, z, 2, 1, 10, 5, 1, 1, 6, 0, 7, 0,
		})
	// BitMEX: an isolated XBTUSD short with a funding reserve, a cross
	// inverse hedge leg, a one-way position refused beside it, an order
	// taking the position's leverage, then closing that position (refused).
	const zb = 12
	f.Add(uint8(liquidation.BitMEX), "1 50000 -10000 25 0.008 0.005 0.0001 100 51000 -1 2 49000",
		[]byte{
			0, 2, 0, 2, 4, 1, 2, 2, 1,
			3, 4, 1, 1, 2, 1, 3, 4, zb, zb, 0, 5, zb, 6,
			3, 2, 2, 2, 7, 1, 10, zb, zb, zb, 0, 5, zb, zb,
			3, 2, 1, 2, 7, 1, 10, zb, zb, zb, 0, 5, zb, zb,
			0, 1, 10, 4, 1, 4, 1, 9, 8, zb, 5, 0, 3, 5, 1, 2, 2, 4, 11,
			3, 4, 1, 1, zb, 1, 3, 4, zb, zb, 0, 5, zb, 6, 6, 1, 7, 2,
		})
	// Bybit: an inverse cross hedge (the fee-to-close fixed point) and a
	// linear isolated long, then marks that move.
	f.Add(uint8(liquidation.Bybit), "0.5 100 -100 50000 10 0.005 2 1000 5 0.01 45000 60000",
		[]byte{
			0, 1, 0, 0, 0, 7, 2, 2, 3, 2, 0, 3,
			3, 2, 2, 2, 1, 3, 4, zb, zb, zb, 0, 5, zb, zb,
			3, 2, 3, 2, 2, 3, 6, zb, zb, zb, 0, 5, zb, zb,
			3, 0, 1, 1, 9, 3, 4, 1, zb, zb, 0, 5, zb, zb,
			5, 0, 2, 5, 1, 1, 5, 2, 2, 2, 2, 10, 2, 0, 11, 6, 1, 7, 1,
		})
	// Hostile numbers: NaN, -0, infinity, huge and tiny values, 30
	// digits, rates of 1 and above, a nil spec, an index of -1.
	f.Add(uint8(liquidation.Binance), "NaN -0 Infinity 1e999 1e-999 123456789012345678901234567890 1 0.999999 -1 1e-40 1e40 50000",
		[]byte{
			0, 0, 0, 0, 0, 5, 2, 0, 1, 2, 0, 3, 2, 0, 10, 2, 0, 11, 2, 5, 11,
			3, 0, 1, 2, 10, 11, 6, zb, zb, zb, 0, 7, zb, zb,
			3, 0, 1, 2, 6, 11, 9, zb, zb, zb, 1, 7, zb, zb,
			3, 0, 1, 1, 6, 11, 6, 8, zb, zb, 0, 7, zb, zb,
			1, 0, 10, 5, 255, 1, 5, 0, 0, 4, 1, 0, 1, 5, 11, 1, 6, 0, 7, 0,
		})
	// Orders: one reducing the position (no margin), replaced, a second
	// one opening past it, a cancel of none and of one; a mark beyond the
	// last tier (refused); transfers past the result range (the second
	// refused); closing the position whose leverage an order takes
	// (refused).
	f.Add(uint8(liquidation.Binance), "10000 50000 1 20 -0.5 49000 0.7 51000 -2 5e149 0.005 1e7",
		[]byte{
			0, 0, 0, 2, 0, 1,
			3, 0, 1, 2, 2, 1, 3, zb, zb, zb, 2, 10, zb, zb,
			4, 0, 0, 1, 4, 7, zb, 4, 0, 0, 1, 6, 5, 3, 4, 1, 0, 1, 8, 7, zb,
			4, 2, 0, 1, zb, zb, zb, 4, 0, 0, 1, zb, zb, zb,
			2, 0, 11, 1, 0, 9, 1, 0, 9, 5, 0, 1, 6, 0, 7, 0,
			3, 0, 1, 2, zb, 1, 3, zb, zb, zb, 2, 10, zb, zb,
		})
	// Binance with a Cum above MMR*value (account.Position.Cum): a cross
	// BTCUSDT long whose maintenance stays 0 up to a notional of 200,000
	// (a mark of 400,000), and an isolated ETHUSDT short that enters at a
	// maintenance of 0 and has one past its liquidation price (17970.29);
	// the reports, the mark past the floor, and each position set again.
	const zf = 13
	f.Add(uint8(liquidation.Binance), "30000 61000 0.5 60000 20 0.005 1000 500000 10000 -1 0.01 150 8000",
		[]byte{
			0, 0, 0, 2, 0, 1, 2, 1, 8,
			3, 0, 1, 2, 2, 3, 4, zf, zf, zf, 0, 5, 6, zf,
			3, 1, 1, 1, 9, 8, 4, 12, zf, zf, 0, 10, 11, zf,
			5, 0, 2, 5, 0, 1, 5, 1, 2, 5, 1, 1, 2, 0, 7, 5, 0, 2, 6, 0, 6, 1, 7, 0,
		})
	// Convention 0 and 9: New refuses them.
	f.Add(uint8(0), "1", []byte{0})
	f.Add(uint8(9), "1", []byte{0})
	f.Fuzz(func(t *testing.T, conv uint8, nums string, ops []byte) {
		if len(ops) > 256 {
			return
		}
		a, err := account.New(derivmath.NewContext(), liquidation.Convention(conv))
		if err != nil {
			if conv >= uint8(liquidation.Binance) && conv <= uint8(liquidation.Bybit) || !errors.Is(err, account.ErrConvention) {
				t.Fatalf("New(%d): %v", conv, err)
			}
			return
		}
		fa := &fuzzAccount{t: t, a: a, ops: ops, curs: []string{"USDT", "BTC", "XBT", ""}}
		for _, m := range markets(t) {
			fa.specs = append(fa.specs, m.spec)
		}
		fa.specs = append(fa.specs, contract.XBTUSD(), nil)
		small, err := margin.NewTiers([]margin.Tier{{MMR: *apd.New(5, -3), MaxLeverage: *apd.New(100, 0)}}, apd.New(1, 6))
		noErr(t, err)
		fa.tiers = []*margin.Tiers{nil, margin.BTCUSDT(), small}
		for _, s := range strings.Fields(nums) {
			var x apd.Decimal
			if _, _, err := x.SetString(s); err == nil {
				fa.pool = append(fa.pool, x)
			}
		}
		for n := 0; len(fa.ops) > 0 && n < 64; n++ {
			fa.op()
		}
	})
}

// op runs the call the next op byte names.
func (f *fuzzAccount) op() {
	a := f.a
	switch f.next() % 8 {
	case 0:
		cur := f.cur()
		var x apd.Decimal
		f.dec(&x)
		_ = f.call("SetWallet", func() error { return a.SetWallet(cur, &x) })
	case 1:
		cur := f.cur()
		var x apd.Decimal
		f.dec(&x)
		_ = f.call("Transfer", func() error { return a.Transfer(cur, &x) })
	case 2:
		s := f.spec()
		var x apd.Decimal
		f.dec(&x)
		_ = f.call("SetMark", func() error { return a.SetMark(s, &x) })
	case 3:
		p := &account.Position{Spec: f.spec(), Side: f.side(), Mode: f.mode()}
		for _, z := range []*apd.Decimal{&p.Qty, &p.Entry, &p.Leverage, &p.Margin, &p.Cost, &p.Fee} {
			f.dec(z)
		}
		p.Tiers = f.tiers[int(f.next())%len(f.tiers)]
		for _, z := range []*apd.Decimal{&p.MMR, &p.Cum, &p.Funding} {
			f.dec(z)
		}
		_ = f.call("Set", func() error { return a.Set(p) })
	case 4:
		id := string(rune('a' + f.next()%4))
		o := &account.Order{Spec: f.spec(), Side: f.side()}
		for _, z := range []*apd.Decimal{&o.Qty, &o.Price, &o.Leverage} {
			f.dec(z)
		}
		_ = f.call("SetOrder", func() error { return a.SetOrder(id, o) })
	case 5:
		i := int(int8(f.next()))
		r := liquidation.Rounding(f.next() % 5)
		var rep account.Report
		for _, x := range []*apd.Decimal{&rep.Value, &rep.Unrealised, &rep.Initial, &rep.Maintenance, &rep.Fee, &rep.Liquidation, &rep.Bankruptcy, &rep.Distance, &rep.DistancePct} {
			x.SetInt64(-7)
		}
		rep.LiquidationStatus, rep.BankruptcyStatus, rep.Liquidatable = -7, -7, true
		was := fmt.Sprint(rep)
		err := f.call("Report", func() error { return a.Report(&rep, i, r) })
		if err != nil {
			if (i < 0 || i >= a.Len()) && !errors.Is(err, account.ErrIndex) {
				f.t.Fatalf("Report(%d) of %d positions: %v", i, a.Len(), err)
			}
			if now := fmt.Sprint(rep); now != was {
				f.t.Fatalf("Report(%d) failed (%v) but wrote %s", i, err, now)
			}
			return
		}
		f.checkReport(&rep)
		if rep.LiquidationStatus != liquidation.Found {
			return
		}
		// The liquidation price is a valid mark; moving the mark there
		// and back changes nothing.
		s := a.Position(i).Spec
		var old apd.Decimal
		a.Mark(&old, s)
		f.same("SetMark to the liquidation price and back", func() error {
			if err := a.SetMark(s, &rep.Liquidation); err != nil {
				checkDocumented(f.t, "SetMark at the liquidation price", err)
			}
			return a.SetMark(s, &old)
		})
	case 6:
		if a.Len() == 0 {
			return
		}
		i := int(f.next()) % a.Len()
		f.same("Set of a position's own description", func() error { return a.Set(a.Position(i)) })
	case 7:
		cur := f.cur()
		var x apd.Decimal
		a.Wallet(&x, cur)
		f.same("SetWallet of the wallet's balance", func() error { return a.SetWallet(cur, &x) })
	}
}
