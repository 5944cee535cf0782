package account_test

import (
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
	"pgregory.net/rapid"
)

// summaries returns the account page of both currencies.
func summaries(t *rapid.T, a *account.Account) [2]account.Summary {
	var s [2]account.Summary
	noErr(t, a.Summary(&s[0], "USDT"))
	noErr(t, a.Summary(&s[1], "BTC"))
	return s
}

// abs returns |x|.
func abs(x *apd.Decimal) *apd.Decimal { return new(apd.Decimal).Abs(x) }

// reportOrSkip reports position i rounded toward the entry, and skips the
// draw when the price is too far out to round to the tick at the
// context's precision (derivmath.ErrRange, as liquidation documents: a
// margin within a rounding of the entry value puts the price near
// infinity).
func reportOrSkip(t *rapid.T, a *account.Account, z *account.Report, i int) {
	if err := a.Report(z, i, liquidation.TowardEntry); errors.Is(err, derivmath.ErrRange) {
		t.Skip("price beyond the tick rounding's precision")
	} else {
		noErr(t, err)
	}
}

// TestEquityIdentity: equity is the wallet plus every position's
// unrealised PnL; maintenance and initial margin are the positions' sums
// (plus the orders').
func TestEquityIdentity(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		st := drawAccount(t, 6)
		a := st.a
		for _, s := range summaries(t, a) {
			up, mm, im := new(apd.Decimal), new(apd.Decimal), new(apd.Decimal)
			for i := 0; i < a.Len(); i++ {
				if a.Position(i).Spec.Settle != s.Currency {
					continue
				}
				var r account.Report
				noErr(t, a.Report(&r, i, liquidation.Exact))
				up, mm, im = add(up, &r.Unrealised), add(mm, &r.Maintenance), add(im, &r.Initial)
			}
			scale := add(&s.Wallet, add(mm, im))
			for _, c := range []struct {
				name      string
				got, want *apd.Decimal
			}{{"equity", &s.Equity, add(&s.Wallet, up)}, {"unrealised", &s.Unrealised, up}, {"maintenance", &s.Maintenance, mm}, {"initial", &s.Initial, add(im, &s.Orders)}} {
				if !within(c.got, c.want, scale, "1e-15") {
					t.Fatalf("%s %s: %s, sum %s", s.Currency, c.name, c.got.String(), c.want.String())
				}
			}
		}
	})
}

// TestLiquidationPriceEquity: with its contract's mark at a position's
// liquidation price, the margin that backs the position (the account's
// cross equity, or the isolated position's margin plus PnL) equals its
// maintenance.
func TestLiquidationPriceEquity(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		st := drawAccount(t, 6)
		a := st.a
		i := rapid.IntRange(0, a.Len()-1).Draw(t, "position")
		var r account.Report
		noErr(t, a.Report(&r, i, liquidation.Exact))
		if r.LiquidationStatus != liquidation.Found {
			t.Skip("no liquidation price")
		}
		p := a.Position(i)
		var te *margin.TierError
		if err := a.SetMark(p.Spec, &r.Liquidation); errors.As(err, &te) {
			t.Skip("mark out of the tiers") // a notional beyond the last tier
		} else {
			noErr(t, err)
		}
		eq, mm := new(apd.Decimal), new(apd.Decimal)
		var size *apd.Decimal
		if p.Mode == account.Isolated {
			noErr(t, a.Report(&r, i, liquidation.Exact))
			// The scale is the largest term: the margin, the PnL, the value.
			eq, mm = add(&p.Margin, &r.Unrealised), &r.Maintenance
			size = add(add(&p.Margin, abs(&r.Unrealised)), &r.Value)
		} else {
			a.Wallet(eq, p.Spec.Settle)
			size = abs(eq)
			for j := 0; j < a.Len(); j++ {
				q := a.Position(j)
				if q.Spec.Settle != p.Spec.Settle {
					continue
				}
				if q.Mode == account.Isolated {
					eq, size = sub(eq, &q.Margin), add(size, &q.Margin)
					continue
				}
				var rj account.Report
				noErr(t, a.Report(&rj, j, liquidation.Exact))
				eq, mm = add(eq, &rj.Unrealised), add(mm, &rj.Maintenance)
				size = add(add(size, &rj.Value), abs(&rj.Unrealised))
			}
		}
		if !within(eq, mm, size, "1e-14") {
			t.Fatalf("%s %v at %s: equity %s, maintenance %s", p.Spec.Symbol, p.Mode, r.Liquidation.String(), eq.String(), mm.String())
		}
	})
}

// TestZeroQuantityChangesNothing: setting a position of quantity 0 where
// there is none leaves every number as it was.
func TestZeroQuantityChangesNothing(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		st := drawAccount(t, 4)
		a := st.a
		before := summaries(t, a)
		n := a.Len()
		var reps []account.Report
		for i := 0; i < n; i++ {
			reps = append(reps, account.Report{})
			reportOrSkip(t, a, &reps[i], i)
		}
		m := st.mkts[rapid.IntRange(0, len(st.mkts)-1).Draw(t, "market")]
		side := rapid.SampledFrom([]account.Side{account.OneWay, account.Long, account.Short}).Draw(t, "side")
		if a.Find(m.spec, side) >= 0 {
			t.Skip("a position is there")
		}
		p := drawPosition(t, m, st.conv, side, account.Cross, "zero")
		p.Qty.SetInt64(0)
		noErr(t, a.Set(p))
		if a.Len() != n {
			t.Fatalf("%d positions, had %d", a.Len(), n)
		}
		after := summaries(t, a)
		for k := range before {
			b, c := &before[k], &after[k]
			for _, f := range []struct{ x, y *apd.Decimal }{{&b.Equity, &c.Equity}, {&b.Initial, &c.Initial}, {&b.Maintenance, &c.Maintenance}, {&b.Available, &c.Available}, {&b.Ratio, &c.Ratio}} {
				if f.x.Cmp(f.y) != 0 {
					t.Fatalf("%s changed: %s -> %s", b.Currency, f.x.String(), f.y.String())
				}
			}
		}
		for i := 0; i < n; i++ {
			var r account.Report
			reportOrSkip(t, a, &r, i)
			if r.Liquidation.Cmp(&reps[i].Liquidation) != 0 || r.Bankruptcy.Cmp(&reps[i].Bankruptcy) != 0 || r.LiquidationStatus != reps[i].LiquidationStatus {
				t.Fatalf("position %d changed", i)
			}
		}
	})
}

// TestIsolatedIgnoresWallet: a transfer moves no isolated position's
// prices or margins.
func TestIsolatedIgnoresWallet(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		st := drawAccount(t, 6)
		a := st.a
		var before []account.Report
		for i := 0; i < a.Len(); i++ {
			before = append(before, account.Report{})
			reportOrSkip(t, a, &before[i], i)
		}
		cur := rapid.SampledFrom([]string{"USDT", "BTC"}).Draw(t, "currency")
		noErr(t, a.Transfer(cur, apd.New(rapid.Int64Range(-1e9, 1e9).Draw(t, "amount"), -4)))
		for i := 0; i < a.Len(); i++ {
			if a.Position(i).Mode != account.Isolated {
				continue
			}
			var r account.Report
			reportOrSkip(t, a, &r, i)
			b := &before[i]
			if r.Liquidation.Cmp(&b.Liquidation) != 0 || r.Bankruptcy.Cmp(&b.Bankruptcy) != 0 || r.Maintenance.Cmp(&b.Maintenance) != 0 || r.Liquidatable != b.Liquidatable {
				t.Fatalf("isolated position %d moved with the wallet: %s -> %s", i, b.Liquidation.String(), r.Liquidation.String())
			}
		}
	})
}

// checkTowardEntry checks position i's liquidation price rounded toward
// the entry against the account's own test of liquidation: it is a whole
// number of ticks, the exact price lies within one tick of it (or below
// it, when it is the one tick that a price under one tick becomes), and,
// unless it is the exact price, the position is not liquidatable with its
// contract's mark there, TowardEntry rounding to the side that the account
// reaches first, whenever the tick on the other side of the exact price
// is not liquidatable either (a gap whose roots lie within a tick of each
// other leaves no such tick; a price under one tick becomes one tick, on
// either side). The marks are put back.
func checkTowardEntry(t *rapid.T, a *account.Account, i int) {
	var ex, te account.Report
	reportOrSkip(t, a, &te, i)
	noErr(t, a.Report(&ex, i, liquidation.Exact))
	if te.LiquidationStatus != ex.LiquidationStatus {
		t.Fatalf("position %d: status %v toward the entry, %v exact", i, te.LiquidationStatus, ex.LiquidationStatus)
	}
	if te.LiquidationStatus != liquidation.Found {
		return
	}
	p := a.Position(i)
	tick, q, x := &p.Spec.Tick, &te.Liquidation, &ex.Liquidation
	var rem apd.Decimal
	_, _ = mc.Rem(&rem, q, tick)
	switch {
	case !rem.IsZero():
		t.Fatalf("position %d: %s is not a whole number of ticks of %s", i, q.String(), tick.String())
	case x.Cmp(tick) < 0:
		if q.Cmp(tick) != 0 {
			t.Fatalf("position %d: exact %s under one tick rounds to %s", i, x.String(), q.String())
		}
		return // the one tick under which no price is quoted
	case abs(sub(q, x)).Cmp(tick) >= 0:
		t.Fatalf("position %d: exact %s is a tick or more from %s", i, x.String(), q.String())
	case q.Cmp(x) == 0:
		return
	}
	other := add(q, tick) // the tick on the other side of the exact price
	if q.Cmp(x) > 0 {
		other = sub(q, tick)
	}
	if liquidatableAt(t, a, i, q) && other.Sign() > 0 && !liquidatableAt(t, a, i, other) {
		t.Fatalf("%s %v position %d: liquidatable at %s, its liquidation price rounded toward the entry (exact %s), not at %s", p.Spec.Symbol, p.Mode, i, q.String(), x.String(), other.String())
	}
}

// liquidatableAt reports whether position i is liquidatable with its
// contract's mark at x (Report's Liquidatable), and puts the mark back.
func liquidatableAt(t *rapid.T, a *account.Account, i int, x *apd.Decimal) bool {
	s := a.Position(i).Spec
	var mark apd.Decimal
	a.Mark(&mark, s)
	var te *margin.TierError
	if err := a.SetMark(s, x); errors.As(err, &te) {
		t.Skip("mark out of the tiers")
	} else {
		noErr(t, err)
	}
	var at account.Report
	noErr(t, a.Report(&at, i, liquidation.Exact))
	noErr(t, a.SetMark(s, &mark))
	return at.Liquidatable
}

// TestTowardEntrySafe: every position's liquidation price rounded toward
// the entry is within a tick of the exact price, and one the account does
// not liquidate at where a tick beside the exact price is one
// (checkTowardEntry), whatever the convention.
func TestTowardEntrySafe(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		st := drawAccount(t, 6)
		for i := 0; i < st.a.Len(); i++ {
			checkTowardEntry(t, st.a, i)
		}
	})
}

// TestTowardEntrySafeBesideHedge: checkTowardEntry under Bybit's rules
// for a cross position on a BTC-settled inverse contract beside a
// near-flat cross hedge on another one, whose net is within a few
// contracts of its gross: the hedge's fee to close, at the account's
// bankruptcy price, can then grow faster than the equity as the
// position's price moves, so that the cross gap falls on the side of its
// root where the solver, holding that fee at its value at the root, sees
// it rise.
func TestTowardEntrySafeBesideHedge(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, err := account.New(derivmath.NewContext(), liquidation.Bybit)
		noErr(t, err)
		var inv []market
		for _, m := range markets(t) {
			noErr(t, a.SetMark(m.spec, price(t, m, "mark "+m.spec.Symbol)))
			if m.spec.Kind == contract.Inverse {
				inv = append(inv, m)
			}
		}
		w := rapid.Int64Range(1, 1e6).Draw(t, "wallet")
		noErr(t, a.SetWallet("BTC", apd.New(w, -rapid.Int32Range(4, 8).Draw(t, "wallet exponent"))))
		k := rapid.IntRange(0, len(inv)-1).Draw(t, "position's contract")
		j := (k + 1 + rapid.IntRange(0, len(inv)-2).Draw(t, "hedge's contract")) % len(inv)
		p := drawPosition(t, inv[k], liquidation.Bybit, account.OneWay, account.Cross, "position")
		if rapid.Bool().Draw(t, "small") {
			p.Qty.Set(apd.New(rapid.Int64Range(-3, 3).Draw(t, "small qty")|1, 0))
			p.Cum.SetInt64(0) // drawn for the drawn quantity
		}
		// Without maintenance rates the gap can have a root where the
		// hedge's fee grows faster than the equity (with them it is
		// mostly below zero at every price there).
		free := rapid.Bool().Draw(t, "no maintenance rates")
		if free {
			p.MMR.SetInt64(0)
			p.Cum.SetInt64(0)
		}
		noErr(t, a.Set(p))
		entry := price(t, inv[j], "hedge entry") // one for both legs: flat
		long := rapid.Int64Range(10000, 50000).Draw(t, "hedge long")
		// Not flat: a flat hedge's fee to close is the cross equity
		// less the other fees, which puts the gap at its maintenance
		// fixed at entry at every price near the marks, and, without
		// maintenance rates, at 0 (liquidatable everywhere, at the
		// threshold, to a rounding).
		short := long + rapid.SampledFrom([]int64{-8, -3, -1, 1, 2, 3, 8}).Draw(t, "hedge net")
		for _, leg := range []struct {
			side account.Side
			qty  int64
		}{{account.Long, long}, {account.Short, -short}} {
			h := drawPosition(t, inv[j], liquidation.Bybit, leg.side, account.Cross, "hedge "+leg.side.String())
			h.Qty.Set(apd.New(leg.qty, 0))
			h.Entry.Set(entry)
			if free {
				h.MMR.SetInt64(0)
			}
			h.Cum.SetInt64(0) // drawn for the drawn quantity
			noErr(t, a.Set(h))
		}
		for i := 0; i < a.Len(); i++ {
			checkTowardEntry(t, a, i)
		}
	})
}
