package engine_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/engine/internal/enginetest"
	"github.com/derivmath/derivmath/internal/dectest"
	"pgregory.net/rapid"
)

// norm renders x in full, its form too: a failed step restores each value
// as it was, not merely an equal one (100 is not 100.00).
func norm(x *apd.Decimal) string {
	return fmt.Sprintf("%s(%d)", x.String(), x.Exponent)
}

// full renders everything a step may change.
func full(st *engine.State) string {
	var b strings.Builder
	var x apd.Decimal
	st.FundBalance(&x)
	fmt.Fprint(&b, norm(&x), " ")
	st.FeeBalance(&x)
	fmt.Fprint(&b, norm(&x), " ")
	st.Mark(&x)
	seq, next := st.Counters()
	fmt.Fprint(&b, norm(&x), " ", st.Intents(), " ", seq, " ", next, " ")
	st.Unsocialised(&x)
	fmt.Fprint(&b, norm(&x), " ", st.Insured(), "\n")
	for i := -1; i < st.Len(); i++ {
		t := st.Trader(i)
		fmt.Fprintf(&b, "%d %v %s %s %s %s %s %s %s %d %d %v\n", i, t.Mode, norm(&t.Wallet), norm(&t.Margin), norm(&t.Qty), norm(&t.Cost), norm(&t.MMR), norm(&t.Cum), norm(&t.FeeReserve), t.Tier, len(t.Orders), t.Liquidating)
		for k := range t.Orders {
			o := &t.Orders[k]
			fmt.Fprintf(&b, "  order %s %s %s\n", norm(&o.Qty), norm(&o.Price), norm(&o.Margin))
		}
	}
	for id := engine.IntentID(1); id < 200; id++ {
		if in := st.Intent(id); in != nil {
			fmt.Fprintf(&b, "in %d %d %v %s %s %v %v\n", id, in.Holder, in.Step, norm(&in.Qty), norm(&in.Limit), in.Side, in.TIF)
		}
	}
	return b.String()
}

// TestFailedStepChangesNothing drives random states through every step
// with hostile arguments (indices outside the state, quantities of zero or
// less, malformed decimals, unknown intents and makers, marks below one
// tick), and Add, SetFund and Reprice with hostile traders and decimals on
// a clone (which equals its source, Drift's insured and unsocialised
// amounts included): nothing panics, a call that fails leaves the state (the event
// and intent counters included) and dst as they were, and one that
// succeeds conserves the total and the net quantity, books no negative
// amount, emits only valid decimals, and leaves every trader a valid input
// to Add and every open intent's limit one to Reprice.
// opNames names TestFailedStepChangesNothing's operations by the method
// each calls (enginetest.Errors' keys); 10 is the setters'.
var opNames = [...]string{"SetMark", "Trigger", "Cancel", "StepDown", "Takeover", "Execute", "ADL", "Socialise", "MustADL", "Withdraw"}

func TestFailedStepChangesNothing(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		var ctx *apd.Context // the default
		if rapid.Bool().Draw(rt, "anyContext") {
			// 1 to 50 digits, any rounding, Inexact trapped now and then.
			ctx = dectest.AnyContext(rt)
		}
		st := enginetest.GenStateIn(rt, ctx, 6, 60)
		n := st.Len()
		var tot apd.Decimal
		_ = st.Total(&tot)
		for step := 0; step < 60; step++ {
			before := full(st)
			dst := make([]engine.Event, 1, 4)
			dst[0].Seq = 4242
			var err error
			var got []engine.Event
			op := rapid.IntRange(0, 10).Draw(rt, "op")
			i := rapid.IntRange(1, n-1).Draw(rt, "i")
			if rapid.IntRange(0, 3).Draw(rt, "hostile") == 0 {
				i = rapid.IntRange(-2, n+1).Draw(rt, "i")
			}
			switch op {
			case 0:
				m := apd.New(int64(rapid.IntRange(1, 8000).Draw(rt, "m")), -int32(rapid.IntRange(0, 2).Draw(rt, "e")))
				if rapid.Bool().Draw(rt, "tiny") { // below one tick
					m = apd.New(int64(rapid.IntRange(1, 49).Draw(rt, "tm")), -2)
				}
				err = st.SetMark(m)
				got = dst
			case 1:
				got, _, err = st.Trigger(dst, i)
			case 2:
				got, err = st.Cancel(dst, i)
			case 3:
				got, _, err = st.StepDown(dst, i)
			case 4:
				got, _, err = st.Takeover(dst, i)
			case 5:
				id := engine.IntentID(rapid.IntRange(0, 30).Draw(rt, "id"))
				fs := make([]engine.Fill, rapid.IntRange(0, 3).Draw(rt, "nf"))
				for k := range fs {
					fs[k].Qty.SetInt64(int64(rapid.IntRange(-1, 80).Draw(rt, "fq")))
					fs[k].Price.Set(apd.New(int64(rapid.IntRange(1, 8000).Draw(rt, "fp")), 0))
					fs[k].Maker = rapid.IntRange(-2, n+1).Draw(rt, "maker")
				}
				if rapid.Bool().Draw(rt, "real") {
					for cand := engine.IntentID(1); cand < 200; cand++ {
						if in := st.Intent(cand); in != nil {
							id = cand
							nq, _ := in.Qty.Int64()
							fs = make([]engine.Fill, 1)
							fs[0].Qty.SetInt64(int64(rapid.IntRange(1, int(max(nq, 1))).Draw(rt, "rq")))
							if in.Limit.IsZero() {
								st.Mark(&fs[0].Price)
							} else {
								fs[0].Price.Set(&in.Limit)
							}
							fs[0].Maker = rapid.IntRange(0, n-1).Draw(rt, "rmaker")
							break
						}
					}
				}
				if len(fs) > 0 && rapid.IntRange(0, 4).Draw(rt, "hostile fill") == 0 {
					fs[0].Qty.Set(dectest.HostileDecimal(rt, "hfq"))
					fs[0].Price.Set(dectest.HostileDecimal(rt, "hfp"))
				}
				got, err = st.Execute(dst, id, fs)
			case 6:
				q := apd.New(int64(rapid.IntRange(-1, 80).Draw(rt, "aq")), 0)
				if rapid.IntRange(0, 4).Draw(rt, "hostile aq") == 0 {
					q = dectest.HostileDecimal(rt, "haq")
				}
				got, err = st.ADL(dst, i, q, rapid.Uint64().Draw(rt, "seed"))
			case 7:
				got, err = st.Socialise(dst)
			case 8:
				var in engine.ADLInputs
				in.Peak.SetInt64(int64(rapid.IntRange(-1, 2000).Draw(rt, "peak")))
				_, err = st.MustADL(i, &in)
				got = dst
				if after := full(st); after != before {
					rt.Fatalf("MustADL changed the state")
				}
			case 9:
				got, err = st.Withdraw(dst, engine.IntentID(rapid.IntRange(0, 30).Draw(rt, "wid")))
			case 10:
				// The setters, on a clone, since one that succeeds changes
				// the total or the net quantity: a failure must change
				// nothing there either.
				c := st.Clone()
				cb := full(c)
				if cb != before {
					rt.Fatalf("the clone differs from its source:\n%s\n---\n%s", before, cb)
				}
				tr := &engine.Trader{Mode: account.Mode(rapid.IntRange(0, 3).Draw(rt, "mode")), Tier: rapid.IntRange(-2, 4).Draw(rt, "tier")}
				for _, f := range []*apd.Decimal{&tr.Wallet, &tr.Margin, &tr.Qty, &tr.Cost, &tr.MMR, &tr.Cum, &tr.FeeReserve} {
					if rapid.IntRange(0, 5).Draw(rt, "hostile field") == 0 {
						f.Set(dectest.HostileDecimal(rt, "field"))
					}
				}
				if rapid.Bool().Draw(rt, "with order") {
					tr.Orders = make([]engine.Order, 1)
					o := &tr.Orders[0]
					o.Qty.Set(dectest.HostileDecimal(rt, "oq"))
					o.Price.Set(dectest.HostileDecimal(rt, "op"))
					o.Margin.Set(dectest.HostileDecimal(rt, "om"))
				}
				var cerr error
				setter := [...]string{"Add", "SetFund", "Reprice"}[rapid.IntRange(0, 2).Draw(rt, "setter")]
				switch setter {
				case "Add":
					_, cerr = c.Add(tr)
				case "SetFund":
					cerr = c.SetFund(dectest.HostileDecimal(rt, "fund"))
				case "Reprice":
					cerr = c.Reprice(engine.IntentID(rapid.IntRange(0, 30).Draw(rt, "rid")), dectest.HostileDecimal(rt, "limit"))
				}
				if cerr != nil && full(c) != cb {
					rt.Fatalf("a setter failed with %v but changed the state:\n%s\n---\n%s", cerr, cb, full(c))
				}
				enginetest.Documented(rt, setter, cerr)
				got = dst
			}
			// Every error is one the method documents.
			if op != 10 {
				enginetest.Documented(rt, opNames[op], err)
			}
			if err == nil {
				var b apd.Decimal
				if e := st.Total(&b); e != nil {
					rt.Fatal(e)
				}
				if b.Cmp(&tot) != 0 {
					rt.Fatalf("op %d changed the total %s -> %s", op, tot.String(), b.String())
				}
				var nq apd.Decimal
				_ = st.NetQty(&nq)
				if !nq.IsZero() {
					rt.Fatalf("op %d: net qty %s", op, nq.String())
				}
				for k := 1; k < len(got); k++ {
					e := &got[k]
					if (e.Kind == engine.Move || e.Kind == engine.Trade) && e.Amount.Negative {
						rt.Fatalf("negative amount %s", e.String())
					}
					for _, x := range []*apd.Decimal{&e.Amount, &e.Qty, &e.Price} {
						if err := derivmath.CheckDecimal(x); err != nil {
							rt.Fatalf("op %d: event %s holds %s: %v", op, e.String(), x.String(), err)
						}
					}
				}
				// Every trader, the fund's inventory included, is a valid
				// input, and so is every open intent's limit.
				for k := -1; k < st.Len(); k++ {
					if _, err := st.Clone().Add(st.Trader(k)); err != nil {
						rt.Fatalf("op %d: trader %d is not a valid input: %v", op, k, err)
					}
				}
				for id := engine.IntentID(1); id < 200; id++ {
					if in := st.Intent(id); in != nil {
						if err := st.Clone().Reprice(id, &in.Limit); err != nil {
							rt.Fatalf("op %d: intent %d's limit %s is not a valid input: %v", op, id, in.Limit.String(), err)
						}
						if err := derivmath.CheckDecimal(&in.Qty); err != nil || in.Qty.Sign() <= 0 {
							rt.Fatalf("op %d: intent %d's quantity %s: %v", op, id, in.Qty.String(), err)
						}
					}
				}
				checkReads(rt, st, op)
			}
			if err != nil {
				if after := full(st); after != before {
					rt.Fatalf("op %d (i %d) failed with %v but changed the state:\n%s\n---\n%s", op, i, err, before, after)
				}
				if len(got) != 1 || got[0].Seq != 4242 {
					rt.Fatalf("op %d failed with %v but changed dst (%d events)", op, err, len(got))
				}
			}
		}
	})
}

// checkReads fails unless every decimal st's readers write is a valid
// input (derivmath.CheckDecimal): the fund, fee and unsocialised
// balances, the total and the net quantity, each holder's equity and the
// scores of its ADL queue. A reader that fails writes nothing to check.
func checkReads(rt *rapid.T, st *engine.State, op int) {
	var x apd.Decimal
	valid := func(what string) {
		if err := derivmath.CheckDecimal(&x); err != nil {
			rt.Fatalf("op %d: %s %s (negative %v): %v", op, what, x.String(), x.Negative, err)
		}
	}
	st.FundBalance(&x)
	valid("fund balance")
	st.FeeBalance(&x)
	valid("fee balance")
	st.Unsocialised(&x)
	valid("unsocialised")
	err := st.Total(&x)
	if enginetest.Documented(rt, "Total", err); err == nil {
		valid("total")
	}
	err = st.NetQty(&x)
	if enginetest.Documented(rt, "NetQty", err); err == nil {
		valid("net quantity")
	}
	for h := -1; h < st.Len(); h++ {
		err := st.Equity(&x, h)
		if enginetest.Documented(rt, "Equity", err); err == nil {
			valid(fmt.Sprintf("holder %d's equity", h))
		}
		q, err := st.AppendADLQueue(nil, h, 0)
		if enginetest.Documented(rt, "AppendADLQueue", err); err != nil {
			continue
		}
		for k := range q {
			x.Set(&q[k].Score)
			valid(fmt.Sprintf("holder %d's queue: trader %d's score", h, q[k].Trader))
		}
	}
}

// TestCostlessRemainder: a position's cost is its value at entry in whole
// minor units (State.Add refuses a position without one). Long 1,000 at
// 0.00001 on a 0.01 minor unit costs 0.01; after an ADL of 999 of it the
// remaining 1 would cost 0.00001, which rounds to nothing. The step must
// either leave every trader a valid input or fail with ErrPosition and
// change nothing.
func TestCostlessRemainder(t *testing.T) {
	ctx := derivmath.NewContext()
	s := linear(t, "0.00001", "1", "0.01")
	st, err := engine.New(ctx, s, engine.PresetGMX())
	if err != nil {
		t.Fatal(err)
	}
	h := add(t, st, trader(t, s, "0", "0.01", "1000", "0.00001", "0.005"))
	add(t, st, trader(t, s, "1000", "", "-1000", "0.00001", "0.005"))
	if err := st.SetMark(d("0.00001")); err != nil {
		t.Fatal(err)
	}
	before := full(st)
	dst := make([]engine.Event, 1, 8)
	got, err := st.ADL(dst, h, d("999"), 0)
	if err != nil {
		if !errors.Is(err, engine.ErrPosition) {
			t.Fatalf("ADL: %v, want nil or ErrPosition", err)
		}
		if len(got) != 1 || full(st) != before {
			t.Fatal("a failed ADL changed the state or dst")
		}
		return
	}
	for i := range st.Len() {
		if _, err := st.Clone().Add(st.Trader(i)); err != nil {
			t.Errorf("trader %d (qty %s, cost %s) is not a valid input: %v", i, st.Trader(i).Qty.String(), st.Trader(i).Cost.String(), err)
		}
	}
}

// TestSumsExact: Total and NetQty add every ledger and every quantity
// exactly, as the conservation they report needs, also where a partial
// sum needs more digits than the context holds. Quantities of 12 and
// 0.999999999999999999, each exact at 19 digits, sum to
// 12.999999999999999999, 20 digits: rounded there, the net quantity of
// positions that net to zero read 1E-18 (an ADL of that off-lot quantity
// leaves such positions). Two wallets of 90000000000000000.01, whole
// cents, total 180000000000000000.02, not 180000000000000000.0.
func TestSumsExact(t *testing.T) {
	ctx := derivmath.NewContext()
	s := linear(t, "0.5", "1", "0.01")
	st, err := engine.New(ctx, s, engine.PresetGMX())
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"0.999999999999999999", "12", "-12", "-0.999999999999999999"} {
		add(t, st, trader(t, s, "90000000000000000.01", "", q, "100", "0.005"))
	}
	var z apd.Decimal
	if err := st.NetQty(&z); err != nil || !z.IsZero() {
		t.Errorf("NetQty = %s, %v; want 0", z.String(), err)
	}
	if err := st.Total(&z); err != nil || z.Cmp(d("360000000000000000.04")) != 0 {
		t.Errorf("Total = %s, %v; want 360000000000000000.04", z.String(), err)
	}
}
