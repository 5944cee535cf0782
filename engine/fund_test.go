package engine_test

import (
	"fmt"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/engine/internal/enginetest"
	"pgregory.net/rapid"
)

// closeFills is the most fills the fund's close is split into. The rule
// TestFundGainSign checks holds for a close in one fill, where ΔIF is the
// difference of two rounded values as doc.go says; a close split over
// several fills books the fund's realised PnL against a pro-rata share of
// its rounded takeover cost and breaks it. With 2 the test finds, e.g.
// (BitMEX, linear, m 1, tick 0.05, minor 0.1): a short of 2 taken over at
// P_B 150.15 (value 300.3) bought back in two fills of 1 at 150.15 (value
// 150.2 each): ΔIF -0.1 on the first, 0 on the second.
const closeFills = 1

// TestFundGainSign checks that the fund's gain on a close (ΔIF = V(P_F) -
// V(P_B)) has the sign of the fill against bankruptcy, in the weak form
// doc.go's Rounding states, over random contract kinds (linear, inverse, quanto), ticks,
// multipliers, minor units, sides, sizes and the presets whose fund takes
// the position over: the liquidated account goes to the fund at its
// bankruptcy price P_B, then the fund closes the whole position with one
// Execute at P_F, at P_B or up to 4 ticks better or worse (the limit
// repriced for a worse fill). The fund's gain ΔIF, the sum of its S6
// Realised moves after the fill's Trade (together, its balance after less
// before), is
//
//   - >= 0 for a fill at or better than P_B (higher for a long the fund
//     sells, lower for a short it buys), <= 0 for a worse one;
//   - 0 for a fill at P_B;
//   - > 0 for a better fill (< 0 for a worse one) whenever the exact
//     |V(P_F) - V(P_B)|, at 50 digits, is at least one minor unit;
//
// and the total (State.Total) and ΣQ = 0 are conserved by the takeover
// and the close.
func TestFundGainSign(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		ctx := derivmath.NewContext()
		wide := apd.BaseContext.WithPrecision(50)
		var presets []*engine.Preset
		for _, p := range engine.Presets() {
			if p.Takeover == engine.FundTakes {
				presets = append(presets, p)
			}
		}
		p := presets[rapid.IntRange(0, len(presets)-1).Draw(rt, "preset")]
		p.Partial, p.RiskLimits = engine.PartialNone, nil
		kind := rapid.SampledFrom([]contract.Kind{contract.Linear, contract.Inverse, contract.Quanto}).Draw(rt, "kind")
		mults := map[contract.Kind][]string{
			contract.Linear:  {"1", "0.1", "0.01", "0.001"},
			contract.Inverse: {"1", "10", "100"},
			contract.Quanto:  {"0.000001", "0.0001"},
		}[kind]
		m := rapid.SampledFrom(mults).Draw(rt, "multiplier")
		tick := d(rapid.SampledFrom([]string{"0.01", "0.05", "0.1", "0.25", "0.5", "1"}).Draw(rt, "tick"))
		var entry, q, v apd.Decimal
		_, _ = ctx.Mul(&entry, tick, apd.New(int64(rapid.IntRange(2000, 200000).Draw(rt, "entry ticks")), 0))
		q.SetInt64(int64(rapid.IntRange(1, 500).Draw(rt, "qty")))
		long := rapid.Bool().Draw(rt, "long")

		// The minor unit: 10^e with V(q, entry) at least 1,000 of them, so
		// that the account goes bankrupt by many minor units, and one tick
		// of value from 1/200 of a minor unit to millions of them.
		s0, err := contract.New(contract.Params{Kind: kind, Multiplier: m, Tick: tick.String(), Lot: "1"})
		noErr(rt, err)
		noErr(rt, s0.Value(ctx, &v, &q, &entry))
		top := int(v.NumDigits()) + int(v.Exponent) - 1 - 3 // floor(log10(V/1000))
		e := rapid.IntRange(top-6, top).Draw(rt, "minor exponent")
		minor := apd.New(1, int32(e))
		s, err := contract.New(contract.Params{Kind: kind, Multiplier: m, Tick: tick.String(), Lot: "1", Minor: minor.Text('f')})
		noErr(rt, err)

		st, err := engine.New(ctx, s, p)
		noErr(rt, err)
		noErr(rt, st.SetMark(&entry))
		lev := int64(rapid.IntRange(2, 100).Draw(rt, "lev"))
		var margin, big apd.Decimal
		_, _ = ctx.Quo(&margin, &v, apd.New(lev, 0))
		noErr(rt, derivmath.Round(ctx, &margin, &margin, minor, derivmath.Ceiling))
		_, _ = ctx.Mul(&big, &v, apd.New(1000, 0))
		noErr(rt, derivmath.Round(ctx, &big, &big, minor, derivmath.Ceiling))
		qs, other := q.String(), "-"+q.String()
		if !long {
			qs, other = other, qs
		}
		i := add(rt, st, trader(rt, s, "0", margin.String(), qs, entry.String(), "0.005"))
		add(rt, st, trader(rt, s, big.String(), "", other, entry.String(), "0.005"))
		mk := add(rt, st, trader(rt, s, big.String(), "", "0", "0", "0.005"))

		// A mark where the account has lost its margin and 5% of V more:
		// past its bankruptcy price, so liquidatable under every
		// convention.
		var loss, mark, x apd.Decimal
		_, _ = ctx.Quo(&loss, &v, apd.New(20, 0))
		_, _ = ctx.Add(&loss, &loss, &margin)
		var qm apd.Decimal
		_, _ = ctx.Mul(&qm, &q, &s.Multiplier)
		_, _ = ctx.Quo(&x, &loss, &qm) // in price (linear) or 1/price (inverse)
		switch {
		case kind == contract.Inverse:
			var inv apd.Decimal
			_, _ = ctx.Quo(&inv, apd.New(1, 0), &entry)
			if long {
				_, _ = ctx.Add(&inv, &inv, &x)
			} else {
				_, _ = ctx.Sub(&inv, &inv, &x)
			}
			_, _ = ctx.Quo(&mark, apd.New(1, 0), &inv)
		case long:
			_, _ = ctx.Sub(&mark, &entry, &x)
		default:
			_, _ = ctx.Add(&mark, &entry, &x)
		}
		r := derivmath.Ceiling // against the position: down for a long
		if long {
			r = derivmath.Floor
		}
		noErr(rt, derivmath.Round(ctx, &mark, &mark, tick, r))
		if mark.Sign() <= 0 {
			rt.Fatalf("mark %s <= 0", mark.String())
		}
		noErr(rt, st.SetMark(&mark))

		var t0, t1, net apd.Decimal
		noErr(rt, st.Total(&t0))
		ev, id := takeover(rt, st, nil, i)
		noErr(rt, st.Total(&t1))
		if t1.Cmp(&t0) != 0 {
			rt.Fatalf("takeover: total %s, was %s", t1.String(), t0.String())
		}
		if id == 0 {
			rt.Fatalf("no intent for the fund's close:\n%s", enginetest.EventsText(ev))
		}
		var pb apd.Decimal
		for k := range ev {
			if e := &ev[k]; e.Kind == engine.Trade && e.Step == engine.StepTakeover && e.Trader == engine.Fund {
				pb.Set(&e.Price)
			}
		}
		if pb.Sign() <= 0 || st.Trader(engine.Fund).Qty.CmpTotal(d(qs)) != 0 {
			rt.Fatalf("takeover at %s, fund holds %s, want %s:\n%s", pb.String(), st.Trader(engine.Fund).Qty.String(), qs, enginetest.EventsText(ev))
		}

		// The fund's close: one Execute of up to closeFills fills, each at
		// P_B plus off ticks in the fund's favour (off < 0: against it).
		var fs []engine.Fill
		var offs []int64
		in := st.Intent(id)
		var worst apd.Decimal
		worst.Set(&in.Limit)
		for left := q.Coeff.Int64(); left > 0; {
			size := left
			if len(fs) < closeFills-1 && left > 1 {
				size = rapid.Int64Range(1, left).Draw(rt, "fill qty")
			}
			left -= size
			off := int64(rapid.IntRange(-4, 4).Draw(rt, "ticks better"))
			var pf, step apd.Decimal
			_, _ = ctx.Mul(&step, tick, apd.New(off, 0))
			if !long { // the fund buys: lower is better
				step.Neg(&step)
			}
			_, _ = ctx.Add(&pf, &pb, &step)
			if c := pf.Cmp(&worst); !worst.IsZero() && (in.Side == engine.Sell && c < 0 || in.Side == engine.Buy && c > 0) {
				worst.Set(&pf)
			}
			fs = append(fs, fill(fmt.Sprint(size), pf.String(), mk))
			offs = append(offs, off)
		}
		if worst.Cmp(&in.Limit) != 0 {
			noErr(rt, st.Reprice(id, &worst)) // the fund accepts a worse price, as a caller may
		}
		var f0, f1, gain, sum apd.Decimal
		st.FundBalance(&f0)
		n0 := len(ev)
		ev, err = st.Execute(ev, id, fs)
		noErr(rt, err)
		st.FundBalance(&f1)
		_, _ = ctx.Sub(&gain, &f1, &f0)
		// Each fill's ΔIF: the fund's S6 Realised moves after its Trade.
		gains := make([]apd.Decimal, len(fs))
		fundWallet := engine.Party{Ledger: engine.Wallet, Holder: engine.Fund}
		k := -1
		for j := n0; j < len(ev); j++ {
			e := &ev[j]
			if e.Kind == engine.Trade {
				k++
				if k >= len(fs) || e.Price.Cmp(&fs[k].Price) != 0 {
					rt.Fatalf("trade %s for fill %d\n%s", e.String(), k, enginetest.EventsText(ev))
				}
			}
			if e.Kind != engine.Move || e.Step != engine.StepFund || e.Why != engine.Realised || k < 0 {
				continue
			}
			switch fundWallet {
			case e.To:
				_, _ = ctx.Add(&gains[k], &gains[k], &e.Amount)
				_, _ = ctx.Add(&sum, &sum, &e.Amount)
			case e.From:
				_, _ = ctx.Sub(&gains[k], &gains[k], &e.Amount)
				_, _ = ctx.Sub(&sum, &sum, &e.Amount)
			}
		}
		if sum.Cmp(&gain) != 0 {
			rt.Fatalf("the fund's balance moved %s, its Realised moves %s:\n%s", gain.String(), sum.String(), enginetest.EventsText(ev))
		}
		for k := range fs {
			// The exact gain: V(P_F) - V(P_B) of the closed quantity, with
			// V(P) = Q*m*P (linear, quanto) or -Q*m/P (inverse).
			var exact, vf, vb, abs apd.Decimal
			pf, off, g := &fs[k].Price, offs[k], &gains[k]
			noErr(rt, s.Value(wide, &vf, &fs[k].Qty, pf))
			noErr(rt, s.Value(wide, &vb, &fs[k].Qty, &pb))
			_, _ = wide.Sub(&exact, &vf, &vb)
			if long == (kind == contract.Inverse) {
				exact.Neg(&exact)
			}
			if off != 0 && (exact.Sign() > 0) != (off > 0) {
				rt.Fatalf("test: exact gain %s for a fill %d ticks better", exact.String(), off)
			}
			abs.Abs(&exact)
			what := fmt.Sprintf("%s: fund %s %s (%s, m %s) taken at P_B %s; fill %d of %d: %s at %s (%+d ticks), minor %s: ΔIF %s, exact %s",
				p.Name, map[bool]string{true: "long", false: "short"}[long], q.String(), kind, m, pb.String(), k+1, len(fs),
				fs[k].Qty.String(), pf.String(), off, minor.Text('f'), g.String(), exact.String())
			switch {
			case off == 0 && !g.IsZero():
				rt.Fatalf("%s: want 0 at P_B\n%s", what, enginetest.EventsText(ev))
			case off > 0 && g.Negative, off < 0 && g.Sign() > 0:
				rt.Fatalf("%s: wrong sign\n%s", what, enginetest.EventsText(ev))
			case abs.Cmp(minor) >= 0 && (off > 0 && g.Sign() <= 0 || off < 0 && g.Sign() >= 0):
				rt.Fatalf("%s: |exact| >= one minor unit, yet ΔIF is not strictly signed\n%s", what, enginetest.EventsText(ev))
			}
		}
		noErr(rt, st.Total(&t1))
		if t1.Cmp(&t0) != 0 {
			rt.Fatalf("conservation: total %s, was %s", t1.String(), t0.String())
		}
		if err := st.NetQty(&net); err != nil || !net.IsZero() {
			rt.Fatalf("ΣQ = %s (%v)", net.String(), err)
		}
		if q := &st.Trader(engine.Fund).Qty; !q.IsZero() {
			rt.Fatalf("the fund still holds %s", q.String())
		}
	})
}

// TestFundADLAtItsCost: the fund's inventory is deleveraged at its cost
// over its quantity (State.ADL), the bankruptcy price it took it at as the
// ledger holds it, whether or not that is on the tick, so that the fund
// passes it on at what it paid: the fund's balance does not move, its
// cost leaves with its quantity, and the winners' trades are worth the
// cost. BitMEX, linear, tick 0.1, minor 0.01.
//
//   - one takeover, partly sold: a long of 1 at 60,000 with margin 803.20
//     (P_B 59,196.80) is taken over at the mark 59,400; the fund sells
//     0.878 at 59,400 and keeps 0.122 at a cost of 7,222.0096 rounded to
//     7,222.01, so it is deleveraged at 7,222.01/0.122 = 59,196.8032...,
//     against two shorts (0.05 and 0.072);
//   - two takeovers at different prices: longs of 1 with margins 803.20 and
//     999.90 (P_B 59,196.80 and 59,000.10), both taken over at the mark
//     59,250 and none sold, leave the fund 2 at a cost of
//     118,196.90, deleveraged at 59,098.45, between two ticks: rounded to
//     either, the fund would gain or lose 0.10 on the way out.
func TestFundADLAtItsCost(t *testing.T) {
	ctx := derivmath.NewContext()
	for _, c := range []struct {
		name    string
		mark    string
		margins []string
		sell    string   // the fund's sale before the ADL, or ""
		shorts  []string // the winners, at 60,000
		price   string   // the fund's cost over its quantity (exact)
		cost    string   // the fund's cost at the ADL
	}{
		{"one takeover, partly sold", "59400", []string{"803.2"}, "0.878", []string{"-0.05", "-1"}, "", "7222.01"},
		{"two takeovers", "59250", []string{"803.2", "999.9"}, "", []string{"-3"}, "59098.45", "118196.9"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := linear(t, "0.1", "0.001", "0.01")
			p := engine.PresetBitMEX()
			p.Partial, p.RiskLimits = engine.PartialNone, nil
			st, err := engine.New(ctx, s, p)
			if err != nil {
				t.Fatal(err)
			}
			noErr(t, st.SetFund(d("1000")))
			var longs []int
			for _, m := range c.margins {
				longs = append(longs, add(t, st, trader(t, s, "0", m, "1", "60000", "0.005")))
			}
			street := add(t, st, trader(t, s, "1000000", "", "0", "0", "0.005"))
			for _, q := range c.shorts {
				add(t, st, trader(t, s, "100000", "", q, "60000", "0.005"))
			}
			// Balance the book: the street holds what the longs and
			// shorts leave over.
			var net apd.Decimal
			noErr(t, st.NetQty(&net))
			net.Neg(&net)
			add(t, st, trader(t, s, "1000000", "", net.String(), "60000", "0.005"))
			noErr(t, st.SetMark(d(c.mark)))
			var ev []engine.Event
			for _, i := range longs {
				var id engine.IntentID
				ev, id = takeover(t, st, ev, i)
				if c.sell != "" {
					if ev, err = st.Execute(ev, id, []engine.Fill{fill(c.sell, "59400", street)}); err != nil {
						t.Fatal(err)
					}
				}
				if st.Intent(id) != nil {
					if ev, err = st.Withdraw(ev, id); err != nil {
						t.Fatal(err)
					}
				}
			}
			fund := st.Trader(engine.Fund)
			if fund.Cost.Cmp(d(c.cost)) != 0 {
				t.Fatalf("the fund's cost %s, want %s", fund.Cost.String(), c.cost)
			}
			want := new(apd.Decimal)
			if c.price != "" {
				want.Set(d(c.price))
			} else if _, err := ctx.Quo(want, &fund.Cost, &fund.Qty); err != nil {
				t.Fatal(err)
			}
			var tick apd.Decimal
			if _, err := ctx.Rem(&tick, want, &s.Tick); err != nil || tick.IsZero() {
				t.Fatalf("the fund's price %s is on the tick (%v): the case tests nothing", want.String(), err)
			}
			var fund0, tot0, qty apd.Decimal
			st.FundBalance(&fund0)
			noErr(t, st.Total(&tot0))
			qty.Set(&fund.Qty)
			n := len(ev)
			if ev, err = st.ADL(ev, engine.Fund, &qty, 1); err != nil {
				t.Fatal(err)
			}
			var worth apd.Decimal
			for _, e := range ev[n:] {
				if e.Kind != engine.Trade {
					continue
				}
				if e.Price.Cmp(want) != 0 {
					t.Errorf("ADL at %s, want the fund's cost over its quantity %s", e.Price.String(), want.String())
				}
				if _, err := ctx.Add(&worth, &worth, &e.Amount); err != nil {
					t.Fatal(err)
				}
			}
			var fund1 apd.Decimal
			st.FundBalance(&fund1)
			if fund1.Cmp(&fund0) != 0 || !fund.Qty.IsZero() || !fund.Cost.IsZero() {
				t.Errorf("after the ADL: fund %s -> %s, inventory %s at cost %s; want unchanged, 0, 0",
					fund0.String(), fund1.String(), fund.Qty.String(), fund.Cost.String())
			}
			if worth.Cmp(d(c.cost)) != 0 {
				t.Errorf("the ADL trades are worth %s, want the fund's cost %s", worth.String(), c.cost)
			}
			if tot := total(t, st); tot.Cmp(&tot0) != 0 {
				t.Errorf("total %s -> %s", tot0.String(), tot.String())
			}
		})
	}
}

// TestDriftFundingRoundsUp: Drift's socialised loss charges each open
// position |Q|*delta rounded up to the minor unit, delta = loss/Σ|Q|
// rounded up. A long 1 @ 100 with margin 5 closes at 90 against a fund of
// 3: the fund covers 5, Drift's insurance 2.99 (all but the vault's last
// 0.01), so 2.01 is socialised over 3 contracts (the street's 1, a short
// 1.5, a long 0.5): delta 0.67, charges 0.67, 1.005 -> 1.01 and 0.335 ->
// 0.34; the fund ends at -2 + 2.02 = 0.02.
func TestDriftFundingRoundsUp(t *testing.T) {
	s := linear(t, "0.01", "0.1", "0.01")
	st := state(t, s, engine.PresetDrift())
	var err error
	noErr(t, st.SetMark(d("100")))
	street := add(t, st, trader(t, s, "1000", "", "0", "0", "0.005"))
	long := add(t, st, trader(t, s, "0", "5", "1", "100", "0.005"))
	short := add(t, st, trader(t, s, "1000", "", "-1.5", "100", "0.005"))
	other := add(t, st, trader(t, s, "1000", "", "0.5", "100", "0.005"))
	noErr(t, st.SetFund(d("3")))
	noErr(t, st.SetMark(d("90")))
	ev, id := takeover(t, st, nil, long)
	if _, err = st.Execute(ev, id, []engine.Fill{fill("1", "90", street)}); err != nil {
		t.Fatal(err)
	}
	t0 := total(t, st)
	ev, err = st.Socialise(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{street: "0.67", short: "1.01", other: "0.34"}
	for k := range ev {
		e := &ev[k]
		if w, ok := want[e.Trader]; !ok || e.Amount.Cmp(d(w)) != 0 {
			t.Errorf("charge %s, want %v", e.String(), want)
		}
	}
	var fund apd.Decimal
	st.FundBalance(&fund)
	if len(ev) != 3 || fund.Cmp(d("0.02")) != 0 || total(t, st).Cmp(t0) != 0 {
		t.Fatalf("fund %s after %d charges, want 0.02 after 3\n%s", fund.String(), len(ev), enginetest.EventsText(ev))
	}
}

// TestDriftFundingNoPositions: a loss left where no position is open has
// no one to charge: Socialise books nothing and does not fail (Σ|Q| = 0
// is no divisor). A long 1 @ 100 with margin 5 closes at 90 against the
// street's short 1, which leaves both flat and the fund of 3 at -2.
func TestDriftFundingNoPositions(t *testing.T) {
	s := linear(t, "0.01", "1", "0.01")
	st := state(t, s, engine.PresetDrift())
	var err error
	noErr(t, st.SetMark(d("100")))
	long := add(t, st, trader(t, s, "0", "5", "1", "100", "0.005"))
	street := add(t, st, trader(t, s, "1000", "", "-1", "100", "0.005"))
	noErr(t, st.SetFund(d("3")))
	noErr(t, st.SetMark(d("90")))
	ev, id := takeover(t, st, nil, long)
	if _, err = st.Execute(ev, id, []engine.Fill{fill("1", "90", street)}); err != nil {
		t.Fatal(err)
	}
	ev, err = st.Socialise(nil)
	var fund apd.Decimal
	st.FundBalance(&fund)
	if err != nil || len(ev) != 0 || fund.Cmp(d("-2")) != 0 {
		t.Fatalf("Socialise: %v, %d events, fund %s; want nil, none, -2", err, len(ev), fund.String())
	}
}
