package liquidation_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
)

// vectors mirrors testdata/vectors.json, copied from the published vectors.
type vectors struct {
	Liquidation   []row `json:"liquidation"`
	FormulaMatrix struct {
		Rows [][]string `json:"rows"`
	} `json:"formula_matrix"`
}

type row struct {
	ID          string            `json:"id"`
	Kind        string            `json:"kind"`
	Multiplier  string            `json:"multiplier"`
	Tick        string            `json:"tick"`
	Qty         string            `json:"qty"`
	Entry       string            `json:"entry"`
	AvgEntry    string            `json:"avgEntryPrice"`
	Leverage    string            `json:"leverage"`
	Wallet      string            `json:"wallet"`
	MMR         string            `json:"mmr"`
	Cum         string            `json:"cum"`
	Deduction   string            `json:"mm_deduction"`
	MMFixed     string            `json:"mm_fixed"`
	MaintReq    string            `json:"maintMarginReq"`
	Commission  string            `json:"commission"`
	PosCost     string            `json:"posCost"`
	PosComm     string            `json:"posComm"`
	PosMargin   string            `json:"posMargin"`
	PosMaint    string            `json:"posMaint"`
	Tolerance   string            `json:"tolerance"`
	Expect      map[string]string `json:"expect"`
	Positions   []crossPosition   `json:"positions"`
	Description string            `json:"source"`
}

type crossPosition struct {
	Symbol, Qty, Entry, Mark, MMR, Cum string
}

func loadVectors(t *testing.T) *vectors {
	t.Helper()
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectors
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return &v
}

func findRow(t *testing.T, v *vectors, id string) *row {
	t.Helper()
	for i := range v.Liquidation {
		if v.Liquidation[i].ID == id {
			return &v.Liquidation[i]
		}
	}
	t.Fatalf("vector %q missing", id)
	return nil
}

// spec builds a contract of the given kind with a fine tick unless given.
func spec(t *testing.T, kind contract.Kind, m, tick, minor string) *contract.Spec {
	t.Helper()
	if m == "" {
		m = "1"
	}
	if tick == "" {
		tick = "0.00000001"
	}
	s, err := contract.New(contract.Params{Kind: kind, Multiplier: m, Tick: tick, Lot: "0.000001", Minor: minor})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// check solves with f and compares with want within tol (exact if "").
func check(t *testing.T, name string, f func(*apd.Context, *apd.Decimal, *liquidation.Account, liquidation.Rounding) (liquidation.Status, error),
	a *liquidation.Account, r liquidation.Rounding, want, tol string,
) {
	t.Helper()
	ctx := derivmath.NewContext()
	var got apd.Decimal
	st, err := f(ctx, &got, a, r)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if st != liquidation.Found {
		t.Fatalf("%s: status %v, want Found", name, st)
	}
	w := dectest.MustParse(t, want)
	if tol == "" {
		tol = "0"
	}
	if !dectest.Within(&got, w, dectest.MustParse(t, tol)) {
		t.Errorf("%s = %s, want %s (tolerance %s)", name, got.String(), want, tol)
	}
}

func setLeg(t *testing.T, a *liquidation.Account, qty, entry string) *liquidation.Leg {
	t.Helper()
	a.Legs = make([]liquidation.Leg, 1)
	l := &a.Legs[0]
	l.Qty.Set(dectest.MustParse(t, qty))
	l.Entry.Set(dectest.MustParse(t, entry))
	return l
}

func isolated(t *testing.T, a *liquidation.Account, lev string) {
	t.Helper()
	if err := liquidation.IsolatedMargin(derivmath.NewContext(), &a.Balance, a, dectest.MustParse(t, lev)); err != nil {
		t.Fatal(err)
	}
}

func TestBitMEXXBTUSDLong1x(t *testing.T) {
	r := findRow(t, loadVectors(t), "bitmex-xbtusd-long-1x")
	xbt := func(xbts string) *apd.Decimal { // XBt -> XBT
		d := dectest.MustParse(t, xbts)
		d.Exponent -= 8
		return d
	}
	a := &liquidation.Account{Spec: spec(t, contract.Inverse, "1", r.Tick, "0.00000001"), Convention: liquidation.BitMEX}
	l := setLeg(t, a, r.Qty, r.AvgEntry)
	l.Cost.Abs(xbt(r.PosCost))
	l.MMR.Set(dectest.MustParse(t, r.MaintReq))
	a.Balance.Set(xbt(r.PosMargin))
	a.FeeReserve.Set(xbt(r.PosComm))
	// posMaint is 2 XBt above ceil(MMR*|posCost|) + posComm = 128 + 39:
	// BitMEX's undocumented funding reserve, passed in as ExtraMM.
	a.ExtraMM.Set(xbt("2"))
	check(t, "liquidation", liquidation.Price, a, liquidation.TowardEntry, r.Expect["liquidation"], "")
	check(t, "bankruptcy", liquidation.Bankruptcy, a, liquidation.TowardEntry, r.Expect["bankruptcy"], "")
	check(t, "liquidation raw", liquidation.Price, a, liquidation.Exact, r.Expect["liquidation_raw"], "0.0005")
	check(t, "bankruptcy raw", liquidation.Bankruptcy, a, liquidation.Exact, r.Expect["bankruptcy_raw"], "0.0005")
	// Cost as BitMEX signs posCost, negative for this long: only its
	// magnitude is read (Leg.Cost).
	l.Cost.Set(xbt(r.PosCost))
	if l.Cost.Sign() >= 0 {
		t.Fatalf("posCost %s: want the vector's negative posCost", r.PosCost)
	}
	check(t, "liquidation, signed posCost", liquidation.Price, a, liquidation.TowardEntry, r.Expect["liquidation"], "")
	check(t, "bankruptcy, signed posCost", liquidation.Bankruptcy, a, liquidation.TowardEntry, r.Expect["bankruptcy"], "")
	l.Cost.Abs(&l.Cost)

	// The same from the API fields alone: value(P_L) = posCost + posMaint -
	// posMargin, with posMaint as a fixed maintenance.
	b := &liquidation.Account{Spec: a.Spec, Convention: liquidation.Binance}
	m := setLeg(t, b, r.Qty, r.AvgEntry)
	m.Cost.Set(&l.Cost)
	b.Balance.Set(&a.Balance)
	b.FeeReserve.Set(&a.FeeReserve)
	b.ExtraMM.Set(xbt(r.PosMaint))
	check(t, "liquidation from posMaint", liquidation.Price, b, liquidation.TowardEntry, r.Expect["liquidation"], "")
	check(t, "bankruptcy from posComm", liquidation.Bankruptcy, b, liquidation.TowardEntry, r.Expect["bankruptcy"], "")
}

func TestBitMEXCrossLinear(t *testing.T) {
	r := findRow(t, loadVectors(t), "bitmex-cross-linear")
	a := &liquidation.Account{Spec: spec(t, contract.Linear, r.Multiplier, "", ""), Convention: liquidation.BitMEX}
	setLeg(t, a, r.Qty, r.Entry)
	a.Balance.Set(dectest.MustParse(t, r.Wallet))
	a.ExtraMM.Set(dectest.MustParse(t, r.MMFixed))
	check(t, "bankruptcy", liquidation.Bankruptcy, a, liquidation.Exact, r.Expect["bankruptcy"], "")
	check(t, "liquidation", liquidation.Price, a, liquidation.Exact, r.Expect["liquidation"], "")
}

func TestBinanceDOGEUSDTIsolatedShort(t *testing.T) {
	r := findRow(t, loadVectors(t), "binance-dogeusdt-isolated-short")
	a := &liquidation.Account{Spec: spec(t, contract.Linear, r.Multiplier, "", ""), Convention: liquidation.Binance}
	l := setLeg(t, a, r.Qty, r.Entry)
	l.MMR.Set(dectest.MustParse(t, r.MMR))
	l.Cum.Set(dectest.MustParse(t, r.Cum))
	a.Balance.Set(dectest.MustParse(t, r.Wallet))
	check(t, "liquidation", liquidation.Price, a, liquidation.Exact, r.Expect["liquidation"], r.Tolerance)

	// The same rate from a table of one tier: the tier walk starts at the
	// entry's tier, 0, and finds the answer there; a table of one tier has
	// no tier 1 to compare with.
	flat, err := margin.Flat(dectest.MustParse(t, r.MMR), dectest.MustParse(t, "75"))
	if err != nil {
		t.Fatal(err)
	}
	l.Tiers = flat
	check(t, "liquidation, one tier", liquidation.Price, a, liquidation.Exact, r.Expect["liquidation"], r.Tolerance)
	s, err := liquidation.Compile(derivmath.NewContext(), a)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "Solver.Price, one tier", func(_ *apd.Context, z *apd.Decimal, _ *liquidation.Account, r liquidation.Rounding) (liquidation.Status, error) {
		return s.Price(z, r)
	}, a, liquidation.Exact, r.Expect["liquidation"], r.Tolerance)
}

func TestBinanceUSDMCrossTwoPositions(t *testing.T) {
	r := findRow(t, loadVectors(t), "binance-usdm-cross-two-positions")
	ctx := derivmath.NewContext()
	s := spec(t, contract.Linear, "1", "", "")
	for i, p := range r.Positions {
		o := r.Positions[1-i] // the other position
		a := &liquidation.Account{Spec: s, Convention: liquidation.Binance}
		l := setLeg(t, a, p.Qty, p.Entry)
		l.MMR.Set(dectest.MustParse(t, p.MMR))
		l.Cum.Set(dectest.MustParse(t, p.Cum))
		a.Balance.Set(dectest.MustParse(t, r.Wallet))
		// TMM1 = N*mark*MMR - cum and UPNL1 = N*(mark - entry) of the other.
		on, om := dectest.MustParse(t, o.Qty), dectest.MustParse(t, o.Mark)
		var v apd.Decimal
		if err := s.Value(ctx, &v, on, om); err != nil {
			t.Fatal(err)
		}
		if _, err := ctx.Mul(&a.OtherMM, &v, dectest.MustParse(t, o.MMR)); err != nil {
			t.Fatal(err)
		}
		if _, err := ctx.Sub(&a.OtherMM, &a.OtherMM, dectest.MustParse(t, o.Cum)); err != nil {
			t.Fatal(err)
		}
		if err := s.PnL(ctx, &a.OtherPnL, on, dectest.MustParse(t, o.Entry), om); err != nil {
			t.Fatal(err)
		}
		check(t, p.Symbol, liquidation.Price, a, liquidation.Exact, r.Expect[p.Symbol], r.Tolerance)
	}
}

func TestBybitUSDTIsolated(t *testing.T) {
	v := loadVectors(t)
	for _, id := range []string{"bybit-usdt-isolated-long", "bybit-usdt-isolated-short", "bybit-usdt-isolated-long-2"} {
		t.Run(id, func(t *testing.T) {
			r := findRow(t, v, id)
			a := &liquidation.Account{Spec: spec(t, contract.Linear, "1", "0.5", ""), Convention: liquidation.Bybit}
			l := setLeg(t, a, r.Qty, r.Entry)
			l.MMR.Set(dectest.MustParse(t, r.MMR))
			if r.Deduction != "" {
				l.Cum.Set(dectest.MustParse(t, r.Deduction))
			}
			isolated(t, a, r.Leverage)
			if im, ok := r.Expect["im"]; ok && a.Balance.Cmp(dectest.MustParse(t, im)) != 0 {
				t.Errorf("initial margin = %s, want %s", a.Balance.String(), im)
			}
			if mm, ok := r.Expect["mm"]; ok {
				checkMM(t, a, &l.MMR, &l.Cum, mm)
			}
			check(t, "liquidation", liquidation.Price, a, liquidation.TowardEntry, r.Expect["liquidation"], "")
		})
	}
}

func TestBybitInverseIsolatedUTA(t *testing.T) {
	r := findRow(t, loadVectors(t), "bybit-inverse-isolated-uta")
	for _, side := range []struct{ sign, key string }{{"", "long_liquidation"}, {"-", "short_liquidation"}} {
		a := &liquidation.Account{Spec: spec(t, contract.Inverse, r.Multiplier, "", ""), Convention: liquidation.Bybit}
		l := setLeg(t, a, side.sign+r.Qty, r.Entry)
		l.MMR.Set(dectest.MustParse(t, r.MMR))
		isolated(t, a, r.Leverage)
		if a.Balance.Cmp(dectest.MustParse(t, r.Expect["im"])) != 0 {
			t.Errorf("initial margin = %s, want %s", a.Balance.String(), r.Expect["im"])
		}
		var pv apd.Decimal
		if err := a.Spec.Value(derivmath.NewContext(), &pv, &l.Qty, &l.Entry); err != nil {
			t.Fatal(err)
		}
		if pv.Cmp(dectest.MustParse(t, r.Expect["position_value"])) != 0 {
			t.Errorf("position value = %s, want %s", pv.String(), r.Expect["position_value"])
		}
		checkMM(t, a, &l.MMR, &l.Cum, r.Expect["mm"])
		check(t, side.key, liquidation.Price, a, liquidation.Exact, r.Expect[side.key], r.Tolerance)
	}
}

// checkMM checks the maintenance margin of a's one leg, fixed at its entry
// value as Bybit fixes it: value(EP)*MMR - deduction.
func checkMM(t *testing.T, a *liquidation.Account, mmr, cum *apd.Decimal, want string) {
	t.Helper()
	ctx := derivmath.NewContext()
	l := &a.Legs[0]
	var v, mm apd.Decimal
	if err := a.Spec.Value(ctx, &v, &l.Qty, &l.Entry); err != nil {
		t.Fatal(err)
	}
	if err := margin.Maintenance(ctx, &mm, &v, mmr, cum); err != nil {
		t.Fatal(err)
	}
	if mm.Cmp(dectest.MustParse(t, want)) != 0 {
		t.Errorf("maintenance margin = %s, want %s", mm.String(), want)
	}
}

// TestFormulaMatrix reproduces a widely used bot's three formula shapes with
// the one solver: Binance (MMR and cum at the price), Gate/OKX (taker added
// to MMR at the price) and Bybit (MMR on the entry value).
func TestFormulaMatrix(t *testing.T) {
	for _, row := range loadVectors(t).FormulaMatrix.Rows {
		formula, side, lev, entry, qty, want := row[0], row[1], row[2], row[3], row[4], row[5]
		t.Run(formula+"/"+side+"/"+lev+"x/"+entry+"/"+qty, func(t *testing.T) {
			a := &liquidation.Account{Spec: spec(t, contract.Linear, "1", "", "")}
			if side == "short" {
				qty = "-" + qty
			}
			l := setLeg(t, a, qty, entry)
			switch formula {
			case "binance":
				a.Convention = liquidation.Binance
				l.MMR.Set(dectest.MustParse(t, "0.01"))
				l.Cum.Set(dectest.MustParse(t, "0.01"))
			case "gate":
				a.Convention = liquidation.Binance
				l.MMR.Set(dectest.MustParse(t, "0.0106")) // MMR 1% + taker 0.06%
			case "bybit":
				a.Convention = liquidation.Bybit
				l.MMR.Set(dectest.MustParse(t, "0.01"))
			}
			isolated(t, a, lev) // wallet = N*EP/lev
			ctx := derivmath.NewContext()
			var got apd.Decimal
			st, err := liquidation.Price(ctx, &got, a, liquidation.Exact)
			if err != nil || st != liquidation.Found {
				t.Fatalf("Price: %v, %v", st, err)
			}
			if !dectest.Rel(&got, dectest.MustParse(t, want), "1e-9") {
				t.Errorf("Price = %s, want %s", got.String(), want)
			}
		})
	}
}
