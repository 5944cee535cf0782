package engine_test

import (
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/engine"
)

// I1, I2: BitMEX liquidation page. Long 1 @ 100.00, P_L 99.50, P_B 99.00;
// the fund's limit at 99.00 fills at 99.25: +0.25; a second trader's fills
// at 98.75: -0.25, fund back to 0, no ADL.
func TestBitMEXInsuranceI1I2(t *testing.T) {
	ctx := derivmath.NewContext()
	s := linear(t, "0.25", "1", "0.01")
	p := engine.PresetBitMEX()
	p.Partial, p.RiskLimits = engine.PartialNone, nil
	st, err := engine.New(ctx, s, p)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetMark(d("100")); err != nil {
		t.Fatal(err)
	}
	a := add(t, st, trader(t, s, "0", "1", "1", "100", "0.005"))
	b := add(t, st, trader(t, s, "0", "1", "1", "100", "0.005"))
	c := add(t, st, trader(t, s, "1000", "", "-2", "100", "0.005"))
	mk := add(t, st, trader(t, s, "1000", "", "0", "0", "0.005"))
	before := total(t, st)

	var ev []engine.Event
	if err := st.SetMark(d("99.5")); err != nil {
		t.Fatal(err)
	}
	ev, ok, err := st.Trigger(ev, a)
	if err != nil || !ok {
		t.Fatalf("trigger at P_L: %v %v", ok, err)
	}
	ev, id, err := st.Takeover(ev, a)
	if err != nil {
		t.Fatal(err)
	}
	in := st.Intent(id)
	if in.Limit.Cmp(d("99")) != 0 || in.Side != engine.Sell || in.Holder != engine.Fund {
		t.Fatalf("intent %+v", in)
	}
	// A fill below the limit is refused and changes nothing.
	n := len(ev)
	if ev, err = st.Execute(ev, id, []engine.Fill{fill("1", "98.75", mk)}); !errors.Is(err, engine.ErrLimit) || len(ev) != n {
		t.Fatalf("fill beyond limit: %v", err)
	}
	if ev, err = st.Execute(ev, id, []engine.Fill{fill("1", "99.25", mk)}); err != nil {
		t.Fatal(err)
	}
	var fund apd.Decimal
	st.FundBalance(&fund)
	if fund.Cmp(d("0.25")) != 0 {
		t.Fatalf("I1 fund %s, want 0.25", fund.String())
	}
	// I2.
	ev, ok, err = st.Trigger(ev, b)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	ev, id, err = st.Takeover(ev, b)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Reprice(id, d("98.75")); err != nil {
		t.Fatal(err)
	}
	if ev, err = st.Execute(ev, id, []engine.Fill{fill("1", "98.75", mk)}); err != nil {
		t.Fatal(err)
	}
	st.FundBalance(&fund)
	if !fund.IsZero() {
		t.Fatalf("I2 fund %s, want 0", fund.String())
	}
	if after := total(t, st); after.Cmp(before) != 0 {
		t.Fatalf("conservation: %s -> %s", before, after)
	}
	_ = c
	for i := range ev {
		t.Log(ev[i].String())
	}
}

// A10: dYdX docs, contract loss. A and B deposit 100; A long, B short 500
// @ 1; price 2: B's equity -400, P_B 1.2; A closed at 1.2 (+100), B 0.
func TestDYDXContractLossA10(t *testing.T) {
	ctx := derivmath.NewContext()
	s := linear(t, "0.01", "1", "0.000001")
	st, err := engine.New(ctx, s, engine.PresetDYDX())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SetMark(d("1")); err != nil {
		t.Fatal(err)
	}
	a := add(t, st, trader(t, s, "100", "", "500", "1", "0.03"))
	b := add(t, st, trader(t, s, "100", "", "-500", "1", "0.03"))
	before := total(t, st)
	if err := st.SetMark(d("2")); err != nil {
		t.Fatal(err)
	}
	var eq apd.Decimal
	if err := st.Equity(&eq, b); err != nil || eq.Cmp(d("-400")) != 0 {
		t.Fatalf("B equity %s %v", eq.String(), err)
	}
	var ev []engine.Event
	ev, ok, err := st.Trigger(ev, b)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	ev, err = st.ADL(ev, b, d("500"), 1)
	if err != nil {
		t.Fatal(err)
	}
	for i := range ev {
		t.Log(ev[i].String())
	}
	if ev[1].Price.Cmp(d("1.2")) != 0 {
		t.Fatalf("ADL price %s, want 1.2", ev[1].Price.String())
	}
	var w apd.Decimal
	w.Set(&st.Trader(a).Wallet)
	if w.Cmp(d("200")) != 0 {
		t.Fatalf("A wallet %s, want 200 (+100)", w.String())
	}
	if st.Trader(b).Wallet.Sign() != 0 {
		t.Fatalf("B wallet %s, want 0", st.Trader(b).Wallet.String())
	}
	if after := total(t, st); after.Cmp(before) != 0 {
		t.Fatalf("conservation: %s -> %s", before, after)
	}
}
