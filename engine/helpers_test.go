package engine_test

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine"
)

func d(s string) *apd.Decimal {
	x, _, err := apd.NewFromString(s)
	if err != nil {
		panic(err)
	}
	return x
}

// fataler is what the helpers need of a *testing.T, *testing.B or
// *rapid.T.
type fataler interface {
	Helper()
	Fatal(...any)
}

func linear(t fataler, tick, lot, minor string) *contract.Spec {
	t.Helper()
	s, err := contract.New(contract.Params{Symbol: "TEST", Kind: contract.Linear, Settle: "USD", Multiplier: "1", Tick: tick, Lot: lot, Minor: minor})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// trader builds an isolated (margin != "") or cross trader with qty at entry.
func trader(t fataler, s *contract.Spec, wallet, margin, qty, entry, mmr string) *engine.Trader {
	t.Helper()
	tr := &engine.Trader{Mode: account.Cross, Tier: -1}
	if margin != "" {
		tr.Mode = account.Isolated
		tr.Margin.Set(d(margin))
	}
	tr.Wallet.Set(d(wallet))
	tr.Qty.Set(d(qty))
	tr.MMR.Set(d(mmr))
	if !tr.Qty.IsZero() {
		ctx := derivmath.NewContext()
		if err := s.Value(ctx, &tr.Cost, &tr.Qty, d(entry)); err != nil {
			t.Fatal(err)
		}
		neg := tr.Qty.Negative != (s.Kind == contract.Inverse)
		if neg {
			tr.Cost.Neg(&tr.Cost)
		}
		if err := derivmath.Round(ctx, &tr.Cost, &tr.Cost, &s.Minor, derivmath.HalfUp); err != nil {
			t.Fatal(err)
		}
	}
	return tr
}

// noErr fails the test on err (in an allocation test, a count of a failed
// step would measure the wrong path).
func noErr(tb fataler, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

// takeover triggers trader i, which must be liquidatable at the current
// mark, and takes it over, appending the events to ev; it returns them
// and the takeover's intent.
func takeover(t fataler, st *engine.State, ev []engine.Event, i int) ([]engine.Event, engine.IntentID) {
	t.Helper()
	ev, ok, err := st.Trigger(ev, i)
	if err != nil || !ok {
		t.Fatal("trigger ", i, ": ", ok, " ", err)
	}
	ev, id, err := st.Takeover(ev, i)
	if err != nil {
		t.Fatal(err)
	}
	return ev, id
}

// state returns a State on spec s under preset p, in derivmath's default
// context, or fails the test.
func state(t fataler, s *contract.Spec, p *engine.Preset) *engine.State {
	t.Helper()
	st, err := engine.New(derivmath.NewContext(), s, p)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func add(t fataler, st *engine.State, tr *engine.Trader) int {
	t.Helper()
	i, err := st.Add(tr)
	if err != nil {
		t.Fatal(err)
	}
	return i
}

// bracketLong sets up TestBinanceStepDownIOC's account under p (a Binance
// preset with the caller's fee settings), at the mark 100: a long of 7,000
// @ 100 on linear(0.01, 1, 0.01) in the 3M bracket (tier 2, MMR 0.65%,
// cum 950: maintenance 3,600) with the margin given, beside a street short
// of 7,000, and triggers it, failing the test unless it is liquidatable.
// It returns the state, the long's and the street's indices, and the
// trigger's events.
func bracketLong(t *testing.T, p *engine.Preset, margin string) (st *engine.State, long, street int, ev []engine.Event) {
	t.Helper()
	s := linear(t, "0.01", "1", "0.01")
	st = state(t, s, p)
	noErr(t, st.SetMark(d("100")))
	tr := trader(t, s, "0", margin, "7000", "100", "0.0065")
	tr.Tier = 2
	tr.Cum.Set(d("950"))
	long = add(t, st, tr)
	street = add(t, st, trader(t, s, "1000000", "", "-7000", "100", "0.005"))
	ev, ok, err := st.Trigger(nil, long)
	if err != nil || !ok {
		t.Fatalf("trigger: %v %v", ok, err)
	}
	return st, long, street, ev
}

func total(t testing.TB, st *engine.State) *apd.Decimal {
	t.Helper()
	var z apd.Decimal
	if err := st.Total(&z); err != nil {
		t.Fatal(err)
	}
	return &z
}

func fill(qty, price string, maker int) engine.Fill {
	var f engine.Fill
	f.Qty.Set(d(qty))
	f.Price.Set(d(price))
	f.Maker = maker
	return f
}
