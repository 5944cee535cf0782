package contract_test

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/internal/num"
	"github.com/google/go-cmp/cmp"
)

// ctx is the default context. The functions under test only read it.
var ctx = derivmath.NewContext()

// d parses a constant.
func d(s string) *apd.Decimal { return dectest.D(s) }

// rounded returns the true value s (written with more digits than the
// default precision when it does not terminate) correctly rounded,
// half-even, to [derivmath.Precision] digits: what a kernel that rounds once
// must return. The rounding is apd's, not the code under test's.
func rounded(t testing.TB, s string) *apd.Decimal {
	t.Helper()
	x := dectest.MustParse(t, s)
	var z apd.Decimal
	if _, err := ctx.Round(&z, x); err != nil {
		t.Fatalf("round %s: %v", s, err)
	}
	return &z
}

// checkNum fails unless got is want correctly rounded to the default
// precision (see rounded).
func checkNum(t testing.TB, what string, got *apd.Decimal, want string) {
	t.Helper()
	if diff := cmp.Diff(rounded(t, want), got, dectest.Comparer()); diff != "" {
		t.Errorf("%s = %s, want %s (-want +got):\n%s", what, got, want, diff)
	}
}

// checkErr fails unless err is want (nil for success).
func checkErr(t testing.TB, what string, err, want error) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("%s: error %v, want none", what, err)
		}
		return
	}
	if !errors.Is(err, want) {
		t.Fatalf("%s: error %v, want %v", what, err, want)
	}
}

func mustNew(t testing.TB, p contract.Params) *contract.Spec {
	t.Helper()
	s, err := contract.New(p)
	if err != nil {
		t.Fatalf("New(%+v): %v", p, err)
	}
	return s
}

// position returns a position of qty at entry, with nothing realised.
func position(qty, entry string) *contract.Position {
	var p contract.Position
	p.Qty.Set(d(qty))
	p.Entry.Set(d(entry))
	return &p
}

// vector is a row of testdata/vectors.json.
type vector struct {
	ID              string            `json:"id"`
	Source          string            `json:"source"`
	Kind            string            `json:"kind"`
	Multiplier      string            `json:"multiplier"`
	MultiplierMinor string            `json:"multiplier_minor"`
	Qty             string            `json:"qty"`
	Entry           string            `json:"entry"`
	Exit            string            `json:"exit"`
	Price           string            `json:"price"`
	Leverage        string            `json:"leverage"`
	Expect          map[string]string `json:"expect"`
	Tolerance       string            `json:"tolerance"`
	Unit            string            `json:"unit"`
}

func loadVectors(t *testing.T) []vector {
	t.Helper()
	b, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Contract []vector `json:"contract"`
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	if len(v.Contract) != 5 {
		t.Fatalf("testdata/vectors.json has %d contract rows, want the 5 published ones", len(v.Contract))
	}
	return v.Contract
}

var kinds = map[string]contract.Kind{
	"linear":  contract.Linear,
	"inverse": contract.Inverse,
	"quanto":  contract.Quanto,
}

// TestVectors checks every published contract example. A row is exact
// unless it gives a tolerance (its published precision).
func TestVectors(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.ID, func(t *testing.T) {
			kind, ok := kinds[v.Kind]
			if !ok {
				t.Fatalf("unknown kind %q", v.Kind)
			}
			tol := new(apd.Decimal) // exact
			if v.Tolerance != "" {
				tol = dectest.MustParse(t, v.Tolerance)
			}
			check := func(what string, got *apd.Decimal) {
				t.Helper()
				want := dectest.MustParse(t, v.Expect[what])
				if !dectest.Within(got, want, tol) {
					t.Errorf("%s = %s %s, want %s within %s", what, got, v.Unit, want, tol)
				}
			}
			var s *contract.Spec
			if v.MultiplierMinor != "" {
				// BitMEX's execution records: the XBTUSD preset, money
				// rounded to its minor unit.
				s = contract.XBTUSD()
				if s.Kind != kind {
					t.Fatalf("XBTUSD kind %v, row says %v", s.Kind, kind)
				}
			} else {
				s = mustNew(t, contract.Params{Kind: kind, Multiplier: v.Multiplier, Tick: "0.001", Lot: "1"})
			}
			qty := dectest.MustParse(t, v.Qty)
			seen := 0
			if _, ok := v.Expect["entry_value"]; ok {
				seen++
				var got apd.Decimal
				checkErr(t, "Value", s.Value(ctx, &got, qty, dectest.MustParse(t, v.Entry)), nil)
				check("entry_value", &got)
			}
			if _, ok := v.Expect["pnl"]; ok {
				seen++
				var got apd.Decimal
				checkErr(t, "PnL", s.PnL(ctx, &got, qty, dectest.MustParse(t, v.Entry), dectest.MustParse(t, v.Exit)), nil)
				check("pnl", &got)
			}
			if _, ok := v.Expect["initial_margin"]; ok {
				// Initial margin belongs to package margin; here it is
				// the entry value over the leverage, in plain apd.
				seen++
				var value, im apd.Decimal
				checkErr(t, "Value", s.Value(ctx, &value, qty, dectest.MustParse(t, v.Entry)), nil)
				if _, err := ctx.Quo(&im, &value, dectest.MustParse(t, v.Leverage)); err != nil {
					t.Fatal(err)
				}
				check("initial_margin", &im)
			}
			if _, ok := v.Expect["cost_minor_units"]; ok {
				seen++
				// cost_minor_units XBt over multiplier_minor XBt per
				// XBT, exactly.
				perUnit := dectest.MustParse(t, v.MultiplierMinor)
				var unit apd.Decimal
				if _, err := dectest.Oracle().Mul(&unit, &s.Minor, perUnit); err != nil {
					t.Fatal(err)
				}
				if unit.Cmp(d("1")) != 0 {
					t.Fatalf("XBTUSD minor unit %s is not 1/%s", &s.Minor, perUnit)
				}
				var got, want apd.Decimal
				checkErr(t, "Cost", s.Cost(ctx, &got, qty, dectest.MustParse(t, v.Price)), nil)
				if _, err := dectest.Oracle().Quo(&want, dectest.MustParse(t, v.Expect["cost_minor_units"]), perUnit); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(&want, &got, dectest.Comparer()); diff != "" {
					t.Errorf("Cost = %s XBT, want %s (-want +got):\n%s", &got, &want, diff)
				}
			}
			if seen != len(v.Expect) {
				t.Fatalf("row expects %v; only %d of them are checked", v.Expect, seen)
			}
		})
	}
}

func TestKindString(t *testing.T) {
	tests := []struct {
		k    contract.Kind
		want string
	}{
		{contract.Linear, "Linear"},
		{contract.Inverse, "Inverse"},
		{contract.Quanto, "Quanto"},
		{0, "Kind(0)"},
		{4, "Kind(4)"},
		{-1, "Kind(-1)"},
	}
	for _, tt := range tests {
		if got := tt.k.String(); got != tt.want {
			t.Errorf("Kind(%d).String() = %q, want %q", int(tt.k), got, tt.want)
		}
	}
}

func TestTicksLots(t *testing.T) {
	s := contract.XBTUSD() // tick 0.5, lot 100
	ticks := []struct {
		price string
		want  int64
		err   error
	}{
		{"65432.5", 130865, nil},
		{"0.5", 1, nil},
		{"65432.50", 130865, nil},
		{"6.5432E+4", 130864, nil},
		{"4611686018427387903.5", 9223372036854775807, nil}, // 20 digits, MaxInt64 ticks
		{"4611686018427387903", 9223372036854775806, nil},   // MaxInt64 - 1 ticks
		{"4611686018427387904", 0, derivmath.ErrRange},      // MaxInt64 + 1 ticks
		{"4611686018427387903.0", 9223372036854775806, nil}, // 20 digits
		{"4000000000000000000", 8000000000000000000, nil},   // 19 digits both
		{"4700000000000000000", 0, derivmath.ErrRange},      // 9.4e18 ticks > MaxInt64
		{"65432.3", 0, contract.ErrOffTick},
		{"0.25", 0, contract.ErrOffTick},
		{"0", 0, derivmath.ErrPrice},
		{"-0.5", 0, derivmath.ErrPrice},
		{"-0", 0, derivmath.ErrNegativeZero},
		{"NaN", 0, derivmath.ErrNaN},
		{"Infinity", 0, derivmath.ErrInfinite},
		{"1E-40", 0, contract.ErrOffTick},
		{"1E-101", 0, derivmath.ErrRange},
		{"1E+50", 0, derivmath.ErrRange},                                               // 2E+50 ticks: more than 19 digits
		{"123456789012345678901234567890123456789012345678901", 0, derivmath.ErrRange}, // 51 digits
	}
	for _, tt := range ticks {
		got, err := s.Ticks(ctx, d(tt.price))
		checkErr(t, "Ticks("+tt.price+")", err, tt.err)
		if got != tt.want {
			t.Errorf("Ticks(%s) = %d, want %d", tt.price, got, tt.want)
		}
		if tt.err != nil {
			continue
		}
		var back apd.Decimal
		if r, _ := new(apd.Decimal).Reduce(d(tt.price)); r.NumDigits() > derivmath.Precision {
			// A valid price of 20 digits has a tick count, but FromTicks
			// cannot write it exactly at 19 digits.
			checkErr(t, "FromTicks", s.FromTicks(ctx, &back, got), derivmath.ErrRange)
			continue
		}
		checkErr(t, "FromTicks", s.FromTicks(ctx, &back, got), nil)
		if diff := cmp.Diff(d(tt.price), &back, dectest.Comparer()); diff != "" {
			t.Errorf("FromTicks(%d) = %s, want %s (-want +got):\n%s", got, &back, tt.price, diff)
		}
	}

	lots := []struct {
		size string
		want int64
		err  error
	}{
		{"15000", 150, nil},
		{"-15000", -150, nil},
		{"100", 1, nil},
		{"0", 0, nil},
		{"1E+4", 100, nil},
		{"150", 0, contract.ErrOffLot},
		{"100.5", 0, contract.ErrOffLot},
		{"-0", 0, derivmath.ErrNegativeZero},
		{"NaN", 0, derivmath.ErrNaN},
		{"-Infinity", 0, derivmath.ErrInfinite},
		{"1E+37", 0, derivmath.ErrRange},
	}
	for _, tt := range lots {
		got, err := s.Lots(ctx, d(tt.size))
		checkErr(t, "Lots("+tt.size+")", err, tt.err)
		if got != tt.want {
			t.Errorf("Lots(%s) = %d, want %d", tt.size, got, tt.want)
		}
		if tt.err != nil {
			continue
		}
		var back apd.Decimal
		checkErr(t, "FromLots", s.FromLots(ctx, &back, got), nil)
		if diff := cmp.Diff(d(tt.size), &back, dectest.Comparer()); diff != "" {
			t.Errorf("FromLots(%d) = %s, want %s (-want +got):\n%s", got, &back, tt.size, diff)
		}
	}
}

func TestFromTicksLots(t *testing.T) {
	s := contract.BTCUSDT() // tick 0.1, lot 0.001
	tests := []struct {
		n          int64
		price, qty string
	}{
		{0, "0", "0"},
		{1, "0.1", "0.001"},
		{-3, "-0.3", "-0.003"},
		{654325, "65432.5", "654.325"},
		{9223372036854775807, "922337203685477580.7", "9223372036854775.807"},
		{-9223372036854775808, "-922337203685477580.8", "-9223372036854775.808"},
	}
	for _, tt := range tests {
		var got apd.Decimal
		checkErr(t, "FromTicks", s.FromTicks(ctx, &got, tt.n), nil)
		if diff := cmp.Diff(d(tt.price), &got, dectest.Comparer()); diff != "" {
			t.Errorf("FromTicks(%d) = %s, want %s (-want +got):\n%s", tt.n, &got, tt.price, diff)
		}
		checkErr(t, "FromLots", s.FromLots(ctx, &got, tt.n), nil)
		if diff := cmp.Diff(d(tt.qty), &got, dectest.Comparer()); diff != "" {
			t.Errorf("FromLots(%d) = %s, want %s (-want +got):\n%s", tt.n, &got, tt.qty, diff)
		}
	}
	// A tick of 19 digits times 19 digits of count is not exact.
	wide := mustNew(t, contract.Params{Kind: contract.Linear, Multiplier: "1", Tick: "0.1234567890123456789", Lot: "0.1234567890123456789"})
	var z apd.Decimal
	checkErr(t, "FromTicks(wide)", wide.FromTicks(ctx, &z, 9223372036854775807), derivmath.ErrRange)
	checkErr(t, "FromLots(wide)", wide.FromLots(ctx, &z, -9223372036854775807), derivmath.ErrRange)
}

func TestValuePrice(t *testing.T) {
	tests := []struct {
		name       string
		s          *contract.Spec
		qty, price string
		value      string // true value, by hand
	}{
		{"XBTUSD perp guide entry", contract.XBTUSD(), "15000", "750", "20"},
		{"XBTUSD perp guide exit", contract.XBTUSD(), "15000", "800", "18.75"},
		{"XBTUSD short", contract.XBTUSD(), "-15000", "750", "20"},
		{"XBTUSD 100 at 33613", contract.XBTUSD(), "100", "33613", "0.002975039419272305358045994109421949840835"},
		{"ETHUSD quanto", contract.ETHUSD(), "10000", "500", "5"},
		{"ETHUSD short", contract.ETHUSD(), "-10000", "500", "5"},
		{"XBTUSDT", contract.XBTUSDT(), "1000", "65432.5", "65.4325"},
		{"BTCUSDT", contract.BTCUSDT(), "0.5", "60000", "30000"},
		{"COIN-M BTCUSD", contract.BTCUSDPerp(), "10", "50000", "0.02"},
		{"Bybit BTCUSD", contract.BybitBTCUSD(), "3", "7", "0.4285714285714285714285714285714"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v apd.Decimal
			checkErr(t, "Value", tt.s.Value(ctx, &v, d(tt.qty), d(tt.price)), nil)
			checkNum(t, "Value", &v, tt.value)
			// Price solves back from the exact value.
			var p apd.Decimal
			checkErr(t, "Price", tt.s.Price(ctx, &p, d(tt.qty), rounded(t, tt.value)), nil)
			if !dectest.ULPs(&p, d(tt.price), derivmath.Precision, 1) {
				t.Errorf("Price = %s, want %s", &p, tt.price)
			}
		})
	}
	// Zero contracts are worth nothing.
	var v apd.Decimal
	checkErr(t, "Value(0)", contract.XBTUSD().Value(ctx, &v, d("0"), d("750")), nil)
	checkNum(t, "Value(0)", &v, "0")
}

func TestValuePriceErrors(t *testing.T) {
	s := contract.XBTUSD()
	nan := &apd.Decimal{Form: apd.NaN}
	inf := &apd.Decimal{Form: apd.Infinite}
	values := []struct {
		name       string
		qty, price *apd.Decimal
		want       error
	}{
		{"zero price", d("100"), d("0"), derivmath.ErrPrice},
		{"negative price", d("100"), d("-750"), derivmath.ErrPrice},
		{"NaN qty", nan, d("750"), derivmath.ErrNaN},
		{"infinite price", d("100"), inf, derivmath.ErrInfinite},
		{"negative zero qty", d("-0"), d("750"), derivmath.ErrNegativeZero},
		{"wide qty", d("123456789012345678901234567890123456789012345678901"), d("750"), derivmath.ErrRange},
		{"tiny price", d("1"), d("1E-101"), derivmath.ErrRange},
		// Valid inputs whose value leaves the range: 1E+100/1E-100 is
		// 1E+200, refused by the result gate.
		{"huge value", d("1E+100"), d("1E-100"), derivmath.ErrRange},
	}
	for _, tt := range values {
		var z apd.Decimal
		checkErr(t, "Value: "+tt.name, s.Value(ctx, &z, tt.qty, tt.price), tt.want)
		checkErr(t, "Cost: "+tt.name, s.Cost(ctx, &z, tt.qty, tt.price), tt.want)
	}
	prices := []struct {
		name       string
		qty, value *apd.Decimal
		want       error
	}{
		{"zero qty", d("0"), d("20"), derivmath.ErrZeroQty},
		{"zero value", d("100"), d("0"), contract.ErrValue},
		{"negative value", d("100"), d("-20"), contract.ErrValue},
		{"NaN value", d("100"), nan, derivmath.ErrNaN},
		{"infinite qty", inf, d("20"), derivmath.ErrInfinite},
		{"value exponent", d("100"), d("1E+101"), derivmath.ErrRange},
		{"price out of range", d("100"), d("3E+99"), derivmath.ErrRange}, // 3.333...E-98: 19 digits at exponent -116
	}
	for _, tt := range prices {
		var z apd.Decimal
		checkErr(t, "Price: "+tt.name, s.Price(ctx, &z, tt.qty, tt.value), tt.want)
	}
}

func TestPnL(t *testing.T) {
	tests := []struct {
		name             string
		s                *contract.Spec
		qty, entry, exit string
		pnl              string // true value, by hand
	}{
		{"XBTUSD long up", contract.XBTUSD(), "15000", "750", "800", "1.25"},
		// Convexity: the same 50 down loses more than 50 up gains.
		{"XBTUSD long down", contract.XBTUSD(), "15000", "750", "700", "-1.428571428571428571428571428571428571440"},
		{"XBTUSD short up", contract.XBTUSD(), "-15000", "750", "800", "-1.25"},
		{"XBTUSD short down", contract.XBTUSD(), "-15000", "750", "700", "1.428571428571428571428571428571428571440"},
		{"inverse futures guide", contract.XBTUSD(), "100000", "10000", "10500", "0.4761904761904761904761904761904761904760"},
		{"COIN-M 100 USD contracts", contract.BTCUSDPerp(), "10", "40000", "50000", "0.005"},
		{"BTCUSDT long", contract.BTCUSDT(), "0.5", "60000", "61000.5", "500.25"},
		{"BTCUSDT short", contract.BTCUSDT(), "-0.5", "60000", "61000.5", "-500.25"},
		{"ETHUSD quanto", contract.ETHUSD(), "10000", "500", "550", "0.5"},
		{"XBTUSDT", contract.XBTUSDT(), "-2000", "65000", "64000.5", "1.999"},
		{"flat", contract.XBTUSD(), "0", "750", "800", "0"},
		{"entry is exit", contract.XBTUSD(), "15000", "750", "750", "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var z apd.Decimal
			checkErr(t, "PnL", tt.s.PnL(ctx, &z, d(tt.qty), d(tt.entry), d(tt.exit)), nil)
			checkNum(t, "PnL", &z, tt.pnl)

			// Unrealised is PnL from the position's entry to a mark.
			checkErr(t, "Unrealised", tt.s.Unrealised(ctx, &z, position(tt.qty, tt.entry), d(tt.exit)), nil)
			checkNum(t, "Unrealised", &z, tt.pnl)
		})
	}
}

func TestPnLErrors(t *testing.T) {
	s := contract.XBTUSD()
	nan := &apd.Decimal{Form: apd.NaN}
	inf := &apd.Decimal{Form: apd.Infinite}
	tests := []struct {
		name             string
		qty, entry, exit *apd.Decimal
		want             error
	}{
		{"zero entry", d("100"), d("0"), d("800"), derivmath.ErrPrice},
		{"negative exit", d("100"), d("750"), d("-1"), derivmath.ErrPrice},
		{"infinite qty", inf, d("750"), d("800"), derivmath.ErrInfinite},
		{"NaN exit", d("100"), d("750"), nan, derivmath.ErrNaN},
		{"negative zero entry", d("100"), d("-0"), d("800"), derivmath.ErrNegativeZero},
		{"wide exit", d("100"), d("750"), d("1E+101"), derivmath.ErrRange},
	}
	for _, tt := range tests {
		var z apd.Decimal
		checkErr(t, "PnL: "+tt.name, s.PnL(ctx, &z, tt.qty, tt.entry, tt.exit), tt.want)
	}
}

func TestUnrealised(t *testing.T) {
	s := contract.XBTUSD()
	// A flat position has no PnL, whatever its stale entry.
	var flat contract.Position
	flat.Entry.Form = apd.NaN
	z := d("42")
	checkErr(t, "Unrealised(flat)", s.Unrealised(ctx, z, &flat, d("800")), nil)
	checkNum(t, "Unrealised(flat)", z, "0")

	tests := []struct {
		name string
		p    *contract.Position
		mark *apd.Decimal
		want error
	}{
		{"zero mark", position("100", "750"), d("0"), derivmath.ErrPrice},
		{"zero entry", position("100", "0"), d("800"), derivmath.ErrPrice},
		{"NaN qty", &contract.Position{Qty: apd.Decimal{Form: apd.NaN}}, d("800"), derivmath.ErrNaN},
		{"flat, bad mark", &contract.Position{}, d("-1"), derivmath.ErrPrice},
		{"infinite mark", position("100", "750"), &apd.Decimal{Form: apd.Infinite}, derivmath.ErrInfinite},
	}
	for _, tt := range tests {
		checkErr(t, "Unrealised: "+tt.name, s.Unrealised(ctx, z, tt.p, tt.mark), tt.want)
	}
}

func TestROE(t *testing.T) {
	linear := mustNew(t, contract.Params{Kind: contract.Linear, Multiplier: "1", Tick: "0.5", Lot: "1"})
	tests := []struct {
		name                  string
		s                     *contract.Spec
		qty, entry, mark, lev string
		want                  string // by hand: PnL over value(entry)/lev
	}{
		{"linear long", linear, "2", "100", "110", "10", "1"},
		{"linear short", linear, "-2", "100", "110", "10", "-1"},
		{"linear 1x", linear, "7", "100", "90", "1", "-0.1"},
		// Inverse: lev*(mark - entry)/mark.
		{"inverse long", contract.XBTUSD(), "100", "10000", "10500", "10", "0.4761904761904761904761904761904761904762"},
		{"inverse short", contract.XBTUSD(), "-100", "10000", "10500", "10", "-0.4761904761904761904761904761904761904762"},
		{"perp guide 1x", contract.XBTUSD(), "15000", "750", "800", "1", "0.0625"},
		{"quanto", contract.ETHUSD(), "10000", "500", "550", "50", "5"},
		{"at entry", contract.XBTUSD(), "-100", "10000", "10000", "100", "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var z apd.Decimal
			checkErr(t, "ROE", tt.s.ROE(ctx, &z, position(tt.qty, tt.entry), d(tt.mark), d(tt.lev)), nil)
			checkNum(t, "ROE", &z, tt.want)
		})
	}

	s := contract.XBTUSD()
	errs := []struct {
		name      string
		p         *contract.Position
		mark, lev *apd.Decimal
		want      error
	}{
		{"flat", &contract.Position{}, d("800"), d("10"), derivmath.ErrZeroQty},
		{"leverage below 1", position("100", "750"), d("800"), d("0.5"), derivmath.ErrLeverage},
		{"zero mark", position("100", "750"), d("0"), d("10"), derivmath.ErrPrice},
		{"zero entry", position("100", "0"), d("800"), d("10"), derivmath.ErrPrice},
		{"NaN leverage", position("100", "750"), d("800"), &apd.Decimal{Form: apd.NaN}, derivmath.ErrNaN},
		{"negative zero qty", position("-0", "750"), d("800"), d("10"), derivmath.ErrNegativeZero},
	}
	for _, tt := range errs {
		var z apd.Decimal
		checkErr(t, "ROE: "+tt.name, s.ROE(ctx, &z, tt.p, tt.mark, tt.lev), tt.want)
	}
}

func TestBreakEven(t *testing.T) {
	linear := mustNew(t, contract.Params{Kind: contract.Linear, Multiplier: "1", Tick: "0.5", Lot: "1"})
	tests := []struct {
		name           string
		s              *contract.Spec
		qty, entry     string
		entryFee, exit string
		want           string // by hand, from PnL = fees
	}{
		// Long linear: entry*(1 + fee)/(1 - fee).
		{"linear long", linear, "1", "100", "0.001", "0.001", "100.2002002002002002002002002002002002002"},
		{"linear short", linear, "-1", "100", "0.001", "0.001", "99.80019980019980019980019980019980019980"},
		{"linear no fees", linear, "5", "100", "0", "0", "100"},
		// A maker rebate on entry and a taker fee on exit cancel out
		// for a long: 100*(1 - 0.001)/(1 - 0.001).
		{"linear rebate", linear, "5", "100", "-0.001", "0.001", "100"},
		// Inverse long: entry*(1 + exitFee)/(1 - entryFee).
		{"inverse long", contract.XBTUSD(), "100", "10000", "0.00075", "0.00075", "10015.01125844383287465599199399549662247"},
		{"inverse short", contract.XBTUSD(), "-100", "10000", "0.00075", "0.00075", "9985.011241568823382463152635523357481889"},
		{"inverse asymmetric", contract.XBTUSD(), "100", "10000", "0", "0.5", "15000"},
		{"quanto long", contract.ETHUSD(), "10", "500", "0.5", "0", "750"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var z apd.Decimal
			checkErr(t, "BreakEven", tt.s.BreakEven(ctx, &z, position(tt.qty, tt.entry), d(tt.entryFee), d(tt.exit)), nil)
			checkNum(t, "BreakEven", &z, tt.want)
		})
	}

	s := contract.XBTUSD()
	errs := []struct {
		name        string
		p           *contract.Position
		entry, exit *apd.Decimal
		want        error
	}{
		{"flat", &contract.Position{}, d("0.001"), d("0.001"), derivmath.ErrZeroQty},
		{"entry fee 1", position("100", "750"), d("1"), d("0.001"), derivmath.ErrFeeRate},
		{"exit fee -1", position("100", "750"), d("0.001"), d("-1"), derivmath.ErrFeeRate},
		{"zero entry", position("100", "0"), d("0.001"), d("0.001"), derivmath.ErrPrice},
		{"infinite fee", position("100", "750"), &apd.Decimal{Form: apd.Infinite}, d("0.001"), derivmath.ErrInfinite},
		{"NaN qty", &contract.Position{Qty: apd.Decimal{Form: apd.NaN}}, d("0.001"), d("0.001"), derivmath.ErrNaN},
	}
	for _, tt := range errs {
		var z apd.Decimal
		checkErr(t, "BreakEven: "+tt.name, s.BreakEven(ctx, &z, tt.p, tt.entry, tt.exit), tt.want)
	}
}

func TestFeeCost(t *testing.T) {
	tests := []struct {
		name             string
		s                *contract.Spec
		qty, price, rate string
		fee              string // by hand
	}{
		{"BTCUSDT taker", contract.BTCUSDT(), "0.5", "60000", "0.0005", "15"},
		{"BTCUSDT short pays too", contract.BTCUSDT(), "-0.5", "60000", "0.0005", "15"},
		{"XBTUSD maker rebate", contract.XBTUSD(), "15000", "750", "-0.00025", "-0.005"},
		// 0.00075 * 100/33613 = 0.00000223127956..., half-up to the satoshi.
		{"XBTUSD taker to the satoshi", contract.XBTUSD(), "100", "33613", "0.00075", "0.00000223"},
		// An exact half satoshi goes away from zero, either side.
		{"half satoshi up", contract.XBTUSD(), "1", "50000", "0.00025", "0.00000001"},
		{"half satoshi rebate", contract.XBTUSD(), "1", "50000", "-0.00025", "-0.00000001"},
		{"quanto", contract.ETHUSD(), "10000", "500", "0.00075", "0.00375"},
		{"zero rate", contract.BTCUSDPerp(), "10", "50000", "0", "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var z apd.Decimal
			checkErr(t, "Fee", tt.s.Fee(ctx, &z, d(tt.qty), d(tt.price), d(tt.rate)), nil)
			checkNum(t, "Fee", &z, tt.fee)
		})
	}

	costs := []struct {
		name       string
		s          *contract.Spec
		qty, price string
		cost       string
	}{
		{"XBTUSD to the satoshi", contract.XBTUSD(), "100", "33613", "0.00297504"},
		{"XBTUSD short", contract.XBTUSD(), "-100", "33613", "0.00297504"},
		{"XBTUSD exact", contract.XBTUSD(), "15000", "750", "20"},
		{"XBTUSDT to the USDt", contract.XBTUSDT(), "1000", "65432.5", "65.4325"},
		// 3/7 BTC, unrounded: Bybit has no minor unit here.
		{"no minor unit", contract.BybitBTCUSD(), "3", "7", "0.4285714285714285714285714285714"},
		{"BTCUSDT", contract.BTCUSDT(), "0.001", "60000.1", "60.0001"},
	}
	for _, tt := range costs {
		t.Run(tt.name, func(t *testing.T) {
			var z apd.Decimal
			checkErr(t, "Cost", tt.s.Cost(ctx, &z, d(tt.qty), d(tt.price)), nil)
			checkNum(t, "Cost", &z, tt.cost)
		})
	}

	s := contract.XBTUSD()
	errs := []struct {
		name             string
		qty, price, rate *apd.Decimal
		want             error
	}{
		{"rate 1", d("100"), d("750"), d("1"), derivmath.ErrFeeRate},
		{"rate -1.5", d("100"), d("750"), d("-1.5"), derivmath.ErrFeeRate},
		{"NaN rate", d("100"), d("750"), &apd.Decimal{Form: apd.NaN}, derivmath.ErrNaN},
		{"zero price", d("100"), d("0"), d("0.001"), derivmath.ErrPrice},
		{"negative zero qty", d("-0"), d("750"), d("0.001"), derivmath.ErrNegativeZero},
	}
	for _, tt := range errs {
		var z apd.Decimal
		checkErr(t, "Fee: "+tt.name, s.Fee(ctx, &z, tt.qty, tt.price, tt.rate), tt.want)
	}
	// A minor unit so small that the value has more units than 19 digits.
	tiny := mustNew(t, contract.Params{Kind: contract.Linear, Multiplier: "1", Tick: "1", Lot: "1", Minor: "1E-30"})
	var z apd.Decimal
	checkErr(t, "Cost(tiny minor)", tiny.Cost(ctx, &z, d("3"), d("7")), derivmath.ErrRange)
}

// step is a fill and the position it leaves, by hand.
type step struct {
	qty, price string
	maker      bool
	want       [4]string // Qty, Entry, Realised, Fees
}

func runSteps(t *testing.T, s *contract.Spec, steps []step) {
	t.Helper()
	var p contract.Position
	for i, st := range steps {
		f := &contract.Fill{Maker: st.maker}
		f.Qty.Set(d(st.qty))
		f.Price.Set(d(st.price))
		if err := s.Apply(ctx, &p, f); err != nil {
			t.Fatalf("step %d: Apply(%s @ %s): %v", i, st.qty, st.price, err)
		}
		var want contract.Position
		want.Qty.Set(rounded(t, st.want[0]))
		want.Entry.Set(rounded(t, st.want[1]))
		want.Realised.Set(rounded(t, st.want[2]))
		want.Fees.Set(rounded(t, st.want[3]))
		if diff := cmp.Diff(&want, &p); diff != "" {
			t.Errorf("step %d: after %s @ %s (-want +got):\n%s", i, st.qty, st.price, diff)
		}
		if p.Qty.IsZero() && p.Qty.Negative {
			t.Errorf("step %d: quantity -0", i)
		}
	}
}

func TestApplyLinear(t *testing.T) {
	s := mustNew(t, contract.Params{
		Kind: contract.Linear, Multiplier: "1", Tick: "0.5", Lot: "1",
		Maker: "-0.0005", Taker: "0.001",
	})
	runSteps(t, s, []step{
		{"2", "100", false, [4]string{"2", "100", "0", "0.2"}},                                // open: fee 0.001*200
		{"2", "110", false, [4]string{"4", "105", "0", "0.42"}},                               // add: (200+220)/4
		{"-1", "120", true, [4]string{"3", "105", "15", "0.36"}},                              // reduce: 1*(120-105); rebate 0.06
		{"-3", "100", false, [4]string{"0", "0", "0", "0.66"}},                                // close: 3*(100-105)
		{"-2", "90", false, [4]string{"-2", "90", "0", "0.84"}},                               // open short from flat
		{"-1", "93", false, [4]string{"-3", "91", "0", "0.933"}},                              // add: (180+93)/3
		{"5", "80", false, [4]string{"2", "80", "33", "1.333"}},                               // flip: -3*(80-91); rest at 80
		{"1", "80.5", false, [4]string{"3", "80.16666666666666666666666667", "33", "1.4135"}}, // add: 240.5/3
	})
}

func TestApplyInverse(t *testing.T) {
	runSteps(t, contract.XBTUSD(), []step{
		// The perpetual guide: 15000 at 750, out at 800 for 1.25 XBT;
		// fees 0.00075*20 in, a rebate of 0.00025*18.75 out.
		{"15000", "750", false, [4]string{"15000", "750", "0", "0.015"}},
		{"-15000", "800", true, [4]string{"0", "0", "1.25", "0.0103125"}},
		// Harmonic average: 200 contracts at 40000 and 60000 enter at
		// 2/(1/40000 + 1/60000) = 48000, not 50000.
		{"100", "40000", true, [4]string{"100", "40000", "1.25", "0.01031187"}}, // rebate 0.000000625 -> 0.00000063
		{"100", "60000", true, [4]string{"200", "48000", "1.25", "0.01031145"}}, // rebate 0.000000416.. -> 0.00000042
		// Reduce at 50000: 100*(1/48000 - 1/50000) = 0.0000833333..,
		// rounded half-up to the satoshi; fee 0.00075*0.002 = 0.0000015.
		{"-100", "50000", false, [4]string{"100", "48000", "1.25008333", "0.01031295"}},
		// Flip at 47000: closes 100 for 100*(1/48000 - 1/47000) =
		// -0.0000443262.. -> -0.00004433; opens 200 short at 47000; fee
		// 0.00075*300/47000 = 0.00000478723.. -> 0.00000479.
		{"-300", "47000", false, [4]string{"-200", "47000", "1.250039", "0.01031774"}},
	})
}

func TestApplyMinorUnits(t *testing.T) {
	// 100 XBTUSD at 33613 (the execution-cost vector) and out half a
	// tick higher: each amount is rounded to the satoshi where it is made.
	runSteps(t, contract.XBTUSD(), []step{
		// fee 0.00075*0.002975039419.. = 0.00000223127.. -> 0.00000223
		{"100", "33613", false, [4]string{"100", "33613", "0", "0.00000223"}},
		// realised 100*(1/33613 - 1/33613.5) = 0.0000000442536.. ->
		// 0.00000004; fee 0.00075*0.0029749951.. = 0.0000022312.. ->
		// 0.00000223
		{"-100", "33613.5", false, [4]string{"0", "0", "0.00000004", "0.00000446"}},
	})
	// Without a minor unit the same amounts keep every digit: 15000 at
	// 750 then out at 800 (fees 0.015 and a rebate of 0.0046875).
	exact := contract.XBTUSD()
	exact.Minor.SetInt64(0)
	runSteps(t, exact, []step{
		{"15000", "750", false, [4]string{"15000", "750", "0", "0.015"}},
		{"-100", "800", true, [4]string{"14900", "750", "0.008333333333333333333333333333333333333333", "0.01496875"}},
	})
}

func TestApplyErrors(t *testing.T) {
	s := contract.XBTUSD() // tick 0.5, lot 100
	fill := func(qty, price string) *contract.Fill {
		f := new(contract.Fill)
		f.Qty.Set(d(qty))
		f.Price.Set(d(price))
		return f
	}
	open := func() *contract.Position {
		p := position("-300", "65000")
		p.Realised.Set(d("0.12345678"))
		p.Fees.Set(d("0.00001"))
		return p
	}
	// with returns x after f has changed it: a NaN or an infinity.
	with := func(x *apd.Decimal, form apd.Form) {
		x.Form = form
	}
	nanPrice := fill("100", "65000")
	with(&nanPrice.Price, apd.NaN)
	infQty := fill("100", "65000")
	with(&infQty.Qty, apd.Infinite)
	nanFees, infRealised, nanQty := open(), open(), open()
	with(&nanFees.Fees, apd.NaN)
	with(&infRealised.Realised, apd.Infinite)
	with(&nanQty.Qty, apd.NaN)
	// A flat position's entry is not read, but it is a field of p: a
	// malformed one is refused, as the doc's error list says.
	nanFlatEntry, negZeroFlatEntry := &contract.Position{}, &contract.Position{}
	with(&nanFlatEntry.Entry, apd.NaN)
	negZeroFlatEntry.Entry.Negative = true
	tests := []struct {
		name string
		p    *contract.Position
		f    *contract.Fill
		want error
	}{
		{"zero fill", open(), fill("0", "65000"), derivmath.ErrZeroQty},
		{"zero fill into flat", &contract.Position{}, fill("0", "65000"), derivmath.ErrZeroQty},
		{"zero price", open(), fill("100", "0"), derivmath.ErrPrice},
		{"negative price", open(), fill("100", "-65000"), derivmath.ErrPrice},
		{"off tick", open(), fill("100", "65000.3"), contract.ErrOffTick},
		{"off lot", open(), fill("150", "65000"), contract.ErrOffLot},
		{"off lot flip", open(), fill("450", "65000"), contract.ErrOffLot},
		{"NaN price", open(), nanPrice, derivmath.ErrNaN},
		{"infinite qty", open(), infQty, derivmath.ErrInfinite},
		{"negative zero qty", open(), fill("-0", "65000"), derivmath.ErrNegativeZero},
		{"wide qty", open(), fill("123456789012345678901234567890123456789012345678900", "65000"), derivmath.ErrRange},
		{"open at zero entry", position("100", "0"), fill("100", "65000"), derivmath.ErrPrice},
		{"NaN fees", nanFees, fill("100", "65000"), derivmath.ErrNaN},
		{"infinite realised", infRealised, fill("100", "65000"), derivmath.ErrInfinite},
		{"NaN qty", nanQty, fill("100", "65000"), derivmath.ErrNaN},
		{"NaN entry of a flat position", nanFlatEntry, fill("100", "65000"), derivmath.ErrNaN},
		{"negative zero entry of a flat position", negZeroFlatEntry, fill("100", "65000"), derivmath.ErrNegativeZero},
		{"price beyond the tick's range", open(), fill("100", "1E+30"), derivmath.ErrRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before contract.Position
			before.Set(tt.p)
			checkErr(t, "Apply", s.Apply(ctx, tt.p, tt.f), tt.want)
			// Unchanged to the representation: CmpTotal also tells 2.5
			// from 2.50, and a NaN from a number.
			got := [...]*apd.Decimal{&tt.p.Qty, &tt.p.Entry, &tt.p.Realised, &tt.p.Fees}
			want := [...]*apd.Decimal{&before.Qty, &before.Entry, &before.Realised, &before.Fees}
			for i := range got {
				if got[i].CmpTotal(want[i]) != 0 {
					t.Errorf("field %d of the position is %s after the error, was %s", i, got[i], want[i])
				}
			}
		})
	}
}

func TestAvgEntry(t *testing.T) {
	linear := mustNew(t, contract.Params{Kind: contract.Linear, Multiplier: "1", Tick: "0.5", Lot: "1"})
	fills := func(qp ...string) []contract.Fill {
		fs := make([]contract.Fill, len(qp)/2)
		for i := range fs {
			fs[i].Qty.Set(d(qp[2*i]))
			fs[i].Price.Set(d(qp[2*i+1]))
		}
		return fs
	}
	tests := []struct {
		name  string
		s     *contract.Spec
		fills []contract.Fill
		want  string // by hand
	}{
		{"linear", linear, fills("2", "100", "2", "110"), "105"},
		{"linear weighted", linear, fills("1", "100", "3", "110", "2", "90"), "101.6666666666666666666666666666666666667"},
		{"linear one", linear, fills("7", "123.5"), "123.5"},
		{"inverse harmonic", contract.XBTUSD(), fills("100", "40000", "100", "60000"), "48000"},
		{"inverse sides ignored", contract.XBTUSD(), fills("-100", "40000", "-100", "60000"), "48000"},
		{"inverse with a zero fill", contract.XBTUSD(), fills("100", "40000", "0", "1", "100", "60000"), "48000"},
		// 300/(100/30000 + 200/45000) = 300/(1/300 + 1/225) = 38571.428..
		{"inverse weighted", contract.XBTUSD(), fills("100", "30000", "200", "45000"), "38571.42857142857142857142857142857142857"},
		{"quanto", contract.ETHUSD(), fills("10", "500", "30", "520"), "515"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var z apd.Decimal
			checkErr(t, "AvgEntry", tt.s.AvgEntry(ctx, &z, tt.fills), nil)
			if !dectest.ULPs(&z, d(tt.want), derivmath.Precision, 1) {
				t.Errorf("AvgEntry = %s, want %s", &z, tt.want)
			}
		})
	}
	errs := []struct {
		name  string
		fills []contract.Fill
		want  error
	}{
		{"none", nil, derivmath.ErrZeroQty},
		{"all zero", fills("0", "100", "0", "200"), derivmath.ErrZeroQty},
		{"zero price", fills("1", "100", "1", "0"), derivmath.ErrPrice},
		{"NaN qty", []contract.Fill{{Qty: apd.Decimal{Form: apd.NaN}, Price: *d("1")}}, derivmath.ErrNaN},
		{"wide price", fills("1", "1E+101"), derivmath.ErrRange},
	}
	for _, tt := range errs {
		var z apd.Decimal
		checkErr(t, "AvgEntry: "+tt.name, contract.XBTUSD().AvgEntry(ctx, &z, tt.fills), tt.want)
	}
}

// TestAvgEntryChecksSpec: like every computation of the package (checked
// here too), AvgEntry checks the kind and the multiplier, so that a Spec filled in by hand and
// never validated fails rather than averaging as another contract (a zero
// Kind took the arithmetic mean of a Linear contract).
func TestAvgEntryChecksSpec(t *testing.T) {
	fills := make([]contract.Fill, 2)
	fills[0].Qty.Set(d("1"))
	fills[0].Price.Set(d("100"))
	fills[1].Qty.Set(d("1"))
	fills[1].Price.Set(d("200"))
	noKind := &contract.Spec{}
	noKind.Multiplier.Set(d("1"))
	badKind := contract.XBTUSD()
	badKind.Kind = 4
	noMultiplier := contract.XBTUSD()
	noMultiplier.Multiplier.Set(d("0"))
	tests := []struct {
		name string
		s    *contract.Spec
		want error
	}{
		{"zero kind", noKind, contract.ErrKind},
		{"kind 4", badKind, contract.ErrKind},
		{"zero multiplier", noMultiplier, contract.ErrMultiplier},
	}
	for _, tt := range tests {
		z := d("-42.5")
		checkErr(t, "AvgEntry: "+tt.name, tt.s.AvgEntry(ctx, z, fills), tt.want)
		if z.Cmp(d("-42.5")) != 0 {
			t.Errorf("AvgEntry: %s: z = %s after an error, want it unchanged", tt.name, z)
		}
		// The other computations that write a decimal, each on inputs of
		// the small fast path (Value and PnL skip LoadMultiplier for a
		// small multiplier, and must check the kind themselves).
		p := &contract.Position{}
		p.Qty.Set(d("1"))
		p.Entry.Set(d("100"))
		for _, c := range []struct {
			name string
			fn   func(z *apd.Decimal) error
		}{
			{"Value", func(z *apd.Decimal) error { return tt.s.Value(ctx, z, d("1"), d("100")) }},
			{"Price", func(z *apd.Decimal) error { return tt.s.Price(ctx, z, d("1"), d("100")) }},
			{"PnL", func(z *apd.Decimal) error { return tt.s.PnL(ctx, z, d("1"), d("100"), d("110")) }},
			{"Unrealised", func(z *apd.Decimal) error { return tt.s.Unrealised(ctx, z, p, d("110")) }},
			{"ROE", func(z *apd.Decimal) error { return tt.s.ROE(ctx, z, p, d("110"), d("10")) }},
			{"BreakEven", func(z *apd.Decimal) error { return tt.s.BreakEven(ctx, z, p, d("0.001"), d("0.001")) }},
			{"Fee", func(z *apd.Decimal) error { return tt.s.Fee(ctx, z, d("1"), d("100"), d("0.001")) }},
		} {
			z := d("-42.5")
			checkErr(t, c.name+": "+tt.name, c.fn(z), tt.want)
			if z.Cmp(d("-42.5")) != 0 {
				t.Errorf("%s: %s: z = %s after an error, want it unchanged", c.name, tt.name, z)
			}
		}
	}
}

func TestNew(t *testing.T) {
	valid := contract.Params{
		Symbol: "TEST", Kind: contract.Inverse, Settle: "XBT",
		Multiplier: "1", Tick: "0.5", Lot: "100",
		Maker: "-0.00025", Taker: "0.00075", Minor: "0.00000001", Source: "a test",
	}
	s, err := contract.New(valid)
	if err != nil {
		t.Fatalf("New(valid): %v", err)
	}
	want := &contract.Spec{Symbol: "TEST", Kind: contract.Inverse, Settle: "XBT", Source: "a test"}
	want.Multiplier.Set(d("1"))
	want.Tick.Set(d("0.5"))
	want.Lot.Set(d("100"))
	want.Maker.Set(d("-0.00025"))
	want.Taker.Set(d("0.00075"))
	want.Minor.Set(d("0.00000001"))
	if diff := cmp.Diff(want, s, dectest.Comparer()); diff != "" {
		t.Errorf("New (-want +got):\n%s", diff)
	}

	// Empty fees and minor unit mean zero.
	s, err = contract.New(contract.Params{Kind: contract.Linear, Multiplier: "1", Tick: "0.1", Lot: "0.001"})
	if err != nil {
		t.Fatalf("New(no fees): %v", err)
	}
	for _, x := range []*apd.Decimal{&s.Maker, &s.Taker, &s.Minor} {
		if !x.IsZero() {
			t.Errorf("empty field parsed as %s, want 0", x)
		}
	}

	with := func(f func(*contract.Params)) contract.Params {
		p := valid
		f(&p)
		return p
	}
	tests := []struct {
		name string
		p    contract.Params
		want error
	}{
		{"zero kind", with(func(p *contract.Params) { p.Kind = 0 }), contract.ErrKind},
		{"kind 4", with(func(p *contract.Params) { p.Kind = 4 }), contract.ErrKind},
		{"no multiplier", with(func(p *contract.Params) { p.Multiplier = "" }), contract.ErrMultiplier},
		{"zero multiplier", with(func(p *contract.Params) { p.Multiplier = "0" }), contract.ErrMultiplier},
		{"negative multiplier", with(func(p *contract.Params) { p.Multiplier = "-100000000" }), contract.ErrMultiplier},
		{"NaN multiplier", with(func(p *contract.Params) { p.Multiplier = "NaN" }), derivmath.ErrNaN},
		{"infinite multiplier", with(func(p *contract.Params) { p.Multiplier = "Infinity" }), derivmath.ErrInfinite},
		{"negative zero multiplier", with(func(p *contract.Params) { p.Multiplier = "-0" }), derivmath.ErrNegativeZero},
		{"tiny multiplier", with(func(p *contract.Params) { p.Multiplier = "1E-101" }), derivmath.ErrRange},
		{"BitMEX's negative multiplier", with(func(p *contract.Params) { p.Multiplier = "-100000000" }), contract.ErrMultiplier},
		{"zero tick", with(func(p *contract.Params) { p.Tick = "0" }), contract.ErrTickSize},
		{"negative tick", with(func(p *contract.Params) { p.Tick = "-0.5" }), contract.ErrTickSize},
		{"no lot", with(func(p *contract.Params) { p.Lot = "" }), contract.ErrLotSize},
		{"negative lot", with(func(p *contract.Params) { p.Lot = "-1" }), contract.ErrLotSize},
		{"lot of 51 digits", with(func(p *contract.Params) { p.Lot = "123456789012345678901234567890123456789012345678901" }), derivmath.ErrRange},
		{"maker 1", with(func(p *contract.Params) { p.Maker = "1" }), derivmath.ErrFeeRate},
		{"taker -1", with(func(p *contract.Params) { p.Taker = "-1" }), derivmath.ErrFeeRate},
		{"NaN taker", with(func(p *contract.Params) { p.Taker = "sNaN" }), derivmath.ErrNaN},
		{"negative minor", with(func(p *contract.Params) { p.Minor = "-0.00000001" }), contract.ErrMinorUnit},
		{"infinite minor", with(func(p *contract.Params) { p.Minor = "-Inf" }), derivmath.ErrInfinite},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := contract.New(tt.p)
			checkErr(t, "New", err, tt.want)
			if s != nil {
				t.Errorf("New returned a Spec with error %v", err)
			}
		})
	}

	parse := []struct {
		field string
		p     contract.Params
	}{
		{"multiplier", with(func(p *contract.Params) { p.Multiplier = "one" })},
		{"tick", with(func(p *contract.Params) { p.Tick = "0.5.0" })},
		{"lot", with(func(p *contract.Params) { p.Lot = "1e" })},
		{"maker", with(func(p *contract.Params) { p.Maker = "-" })},
		{"taker", with(func(p *contract.Params) { p.Taker = " 0.001" })},
		{"minor", with(func(p *contract.Params) { p.Minor = "1/100000000" })},
	}
	for _, tt := range parse {
		s, err := contract.New(tt.p)
		var pe *contract.ParseError
		if !errors.As(err, &pe) {
			t.Errorf("New with a bad %s: %v, want a *ParseError", tt.field, err)
			continue
		}
		if pe.Field != tt.field || pe.Unwrap() == nil || !errors.Is(errors.Unwrap(err), pe.Err) || s != nil {
			t.Errorf("New with a bad %s: ParseError{Field: %q, Text: %q, Err: %v}, Spec %v", tt.field, pe.Field, pe.Text, pe.Err, s)
		}
	}
}

func TestValidate(t *testing.T) {
	var zero contract.Spec
	checkErr(t, "zero Spec", zero.Validate(), contract.ErrKind)

	// A Spec filled in by hand, then broken one field at a time.
	good := func() *contract.Spec {
		s := &contract.Spec{Kind: contract.Quanto}
		s.Multiplier.Set(d("0.000001"))
		s.Tick.Set(d("0.05"))
		s.Lot.Set(d("1"))
		return s
	}
	checkErr(t, "good Spec", good().Validate(), nil)
	tests := []struct {
		name    string
		breakIt func(s *contract.Spec)
		want    error
	}{
		{"kind", func(s *contract.Spec) { s.Kind = -1 }, contract.ErrKind},
		{"multiplier", func(s *contract.Spec) { s.Multiplier.SetInt64(0) }, contract.ErrMultiplier},
		{"NaN multiplier", func(s *contract.Spec) { s.Multiplier.Form = apd.NaN }, derivmath.ErrNaN},
		{"tick", func(s *contract.Spec) { s.Tick.SetInt64(-1) }, contract.ErrTickSize},
		{"lot", func(s *contract.Spec) { s.Lot.SetInt64(0) }, contract.ErrLotSize},
		{"infinite lot", func(s *contract.Spec) { s.Lot.Form = apd.Infinite }, derivmath.ErrInfinite},
		{"maker", func(s *contract.Spec) { s.Maker.SetInt64(2) }, derivmath.ErrFeeRate},
		{"taker", func(s *contract.Spec) { s.Taker.SetInt64(-1) }, derivmath.ErrFeeRate},
		{"negative zero taker", func(s *contract.Spec) { s.Taker.Negative = true }, derivmath.ErrNegativeZero},
		{"minor", func(s *contract.Spec) { s.Minor.SetFinite(-1, -8) }, contract.ErrMinorUnit},
		{"minor exponent", func(s *contract.Spec) { s.Minor.SetFinite(1, -101) }, derivmath.ErrRange},
	}
	for _, tt := range tests {
		s := good()
		tt.breakIt(s)
		checkErr(t, "Validate: "+tt.name, s.Validate(), tt.want)
	}
}

func TestPresets(t *testing.T) {
	presets := []struct {
		fn             func() *contract.Spec
		symbol, settle string
		kind           contract.Kind
		multiplier     string
		minor          string
	}{
		{contract.XBTUSD, "XBTUSD", "XBT", contract.Inverse, "1", "0.00000001"},
		{contract.ETHUSD, "ETHUSD", "XBT", contract.Quanto, "0.000001", "0.00000001"},
		{contract.XBTUSDT, "XBTUSDT", "USDT", contract.Linear, "0.000001", "0.000001"},
		{contract.BTCUSDT, "BTCUSDT", "USDT", contract.Linear, "1", "0"},
		{contract.BTCUSDPerp, "BTCUSD_PERP", "BTC", contract.Inverse, "100", "0"},
		{contract.BybitBTCUSD, "BTCUSD", "BTC", contract.Inverse, "1", "0"},
	}
	for _, tt := range presets {
		t.Run(tt.symbol, func(t *testing.T) {
			s := tt.fn()
			checkErr(t, "Validate", s.Validate(), nil)
			if s.Symbol != tt.symbol || s.Settle != tt.settle || s.Kind != tt.kind {
				t.Errorf("got %s %s %v, want %s %s %v", s.Symbol, s.Settle, s.Kind, tt.symbol, tt.settle, tt.kind)
			}
			if diff := cmp.Diff(d(tt.multiplier), &s.Multiplier, dectest.Comparer()); diff != "" {
				t.Errorf("multiplier (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(d(tt.minor), &s.Minor, dectest.Comparer()); diff != "" {
				t.Errorf("minor unit (-want +got):\n%s", diff)
			}
			if !strings.Contains(s.Source, "2026-11-24") {
				t.Errorf("Source %q does not say when the parameters were checked", s.Source)
			}
			// Each call is a new Spec: changing one changes no other.
			s.Taker.SetInt64(0)
			s.Multiplier.SetInt64(7)
			if again := tt.fn(); again.Taker.IsZero() || again.Multiplier.Cmp(d(tt.multiplier)) != 0 {
				t.Error("a preset shares its decimals between calls")
			}
		})
	}
}

func TestPositionSetEqual(t *testing.T) {
	var p contract.Position
	p.Qty.Set(d("123456789012345678901234567890")) // wider than apd's inline words
	p.Entry.Set(d("65432.5"))
	p.Realised.Set(d("-0.1"))
	p.Fees.Set(d("0.00075"))
	var q contract.Position
	if q.Set(&p) != &q {
		t.Error("Set does not return its receiver")
	}
	if !q.Equal(&p) || !p.Equal(&q) {
		t.Fatal("a position does not equal its copy")
	}
	// The copy is deep: changing it in place leaves p alone.
	if _, err := dectest.Oracle().Add(&q.Qty, &q.Qty, d("1")); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(d("123456789012345678901234567890"), &p.Qty, dectest.Comparer()); diff != "" {
		t.Errorf("Set shares the coefficient (-want +got):\n%s", diff)
	}
	if q.Equal(&p) {
		t.Error("positions of different quantities are equal")
	}
	// Equal is numeric, field by field.
	var r contract.Position
	r.Set(&p)
	r.Entry.Set(d("65432.50"))
	r.Realised.Set(d("-1E-1"))
	if !r.Equal(&p) {
		t.Error("65432.50 and 65432.5 differ")
	}
	fields := []func(*contract.Position) *apd.Decimal{
		func(x *contract.Position) *apd.Decimal { return &x.Qty },
		func(x *contract.Position) *apd.Decimal { return &x.Entry },
		func(x *contract.Position) *apd.Decimal { return &x.Realised },
		func(x *contract.Position) *apd.Decimal { return &x.Fees },
	}
	for i, f := range fields {
		r.Set(&p)
		f(&r).Neg(f(&r))
		if r.Equal(&p) {
			t.Errorf("field %d: negated, still equal", i)
		}
	}
}

// TestApplyTinyAmounts: what Apply leaves in a position is valid input for
// the next Apply, even amounts below 10^-MaxScale, which it rounds
// half-even to MaxScale places. (Regression: a zero fee rate written
// "0.000000" times a value of 10^-13 made Fees 0E-37, and a realised PnL of
// 10^-19 had 19 digits down to 10^-37; the next Apply failed with ErrRange,
// for good.)
func TestApplyTinyAmounts(t *testing.T) {
	for _, taker := range []string{"0.000000", "0.000001"} {
		s := mustNew(t, contract.Params{Kind: contract.Inverse, Multiplier: "0.000001", Tick: "0.0001", Lot: "0.001", Taker: taker})
		var p contract.Position
		fills := [][2]string{{"0.001", "1000.0001"}, {"0.001", "1000.0001"}, {"-0.001", "1000.0002"}, {"-0.001", "1000.0003"}}
		o := newOracle(t)
		realised, fees := new(apd.Decimal), new(apd.Decimal)
		for i, qp := range fills {
			f := new(contract.Fill)
			f.Qty.Set(d(qp[0]))
			f.Price.Set(d(qp[1]))
			if err := s.Apply(ctx, &p, f); err != nil {
				t.Fatalf("taker %s, fill %d: %v", taker, i, err)
			}
			for j, x := range []*apd.Decimal{&p.Qty, &p.Entry, &p.Realised, &p.Fees} {
				if err := derivmath.CheckDecimal(x); err != nil {
					t.Errorf("taker %s, fill %d: field %d = %s: %v", taker, i, j, x, err)
				}
			}
			fees = o.add(fees, o.mul(&s.Taker, o.value(s, &f.Qty, &f.Price)))
			if f.Qty.Negative {
				realised = o.add(realised, o.pnl(s, neg(&f.Qty), d("1000.0001"), &f.Price))
			}
		}
		// Each amount is within a few units of its 19th digit (1E-37) of
		// the oracle's.
		tol := apd.New(1, -36)
		within(t, "Realised", &p.Realised, realised, tol)
		within(t, "Fees", &p.Fees, fees, tol)
	}
}

// TestApplyBelowMaxScale: a realised PnL whose digits reach below
// 10^-MaxScale is kept to MaxScale places, not refused: closing 1.234567
// contracts of multiplier 1E-90 one tick of 0.00001 up realises
// 1.234567E-95, whose last digit is at 10^-101, and Apply keeps
// 1.23457E-95 (half-even, the context's mode).
func TestApplyBelowMaxScale(t *testing.T) {
	s := mustNew(t, contract.Params{Kind: contract.Linear, Multiplier: "1E-90", Tick: "0.00001", Lot: "0.000001"})
	p := position("1.234567", "1")
	f := &contract.Fill{}
	f.Qty.Set(d("-1.234567"))
	f.Price.Set(d("1.00001"))
	checkErr(t, "Apply", s.Apply(ctx, p, f), nil)
	checkNum(t, "Realised", &p.Realised, "1.23457E-95")
	if p.Realised.Exponent != -derivmath.MaxScale {
		t.Errorf("Realised = %s, want exponent %d", p.Realised.String(), -derivmath.MaxScale)
	}
	checkNum(t, "Qty", &p.Qty, "0")
}

// TestApplyQtyExact: a fill whose sum with the position needs more than 19
// digits is an error, not a quantity rounded away. (Regression: the sum
// was rounded, and 0.001 contracts disappeared.)
func TestApplyQtyExact(t *testing.T) {
	s := mustNew(t, contract.Params{Kind: contract.Linear, Multiplier: "1", Tick: "0.5", Lot: "0.001"})
	p := position("9999999999999999.999", "100")
	f := &contract.Fill{}
	f.Qty.Set(d("0.002"))
	f.Price.Set(d("100"))
	var before contract.Position
	before.Set(p)
	checkErr(t, "Apply", s.Apply(ctx, p, f), derivmath.ErrRange)
	if diff := cmp.Diff(&before, p); diff != "" {
		t.Errorf("Apply changed the position on error (-want +got):\n%s", diff)
	}
	// Exactly 10^16 has trailing zeros and fits.
	f.Qty.Set(d("0.001"))
	checkErr(t, "Apply", s.Apply(ctx, p, f), nil)
	checkNum(t, "Qty", &p.Qty, "10000000000000000")
}

// TestNilContext: a nil context is derivmath.ErrContext, and z is left as
// it was.
func TestNilContext(t *testing.T) {
	z := d("7")
	if err := contract.XBTUSD().Value(nil, z, d("100"), d("10000")); !errors.Is(err, derivmath.ErrContext) || z.String() != "7" {
		t.Fatalf("Value(nil context): %v, z = %s; want ErrContext and z unchanged", err, z)
	}
}

// TestValueAtSizeOf: the two steps of ValueOf, for derivmath's packages,
// give Value: SizeOf is |qty|*m, and ValueAt multiplies it by the price,
// or divides it by the price for Inverse (100 XBTUSD at 50,000: 0.002 XBT).
func TestValueAtSizeOf(t *testing.T) {
	for _, c := range []struct {
		spec       *contract.Spec
		qty, price string
		want       string
	}{
		{contract.XBTUSD(), "-100", "50000", "0.002"},
		{contract.BTCUSDPerp(), "3", "40000", "0.0075"},
		{contract.BTCUSDT(), "-0.5", "40000", "20000"},
		{contract.ETHUSD(), "10", "2000", "0.02"},
	} {
		n := num.In(ctx)
		m := c.spec.LoadMultiplier(n)
		v := c.spec.ValueAt(n, contract.SizeOf(n, m, num.Load(d(c.qty))), num.Load(d(c.price)))
		var z, want apd.Decimal
		if err := errors.Join(n.Store(&z, v), c.spec.Value(ctx, &want, d(c.qty), d(c.price))); err != nil {
			t.Fatalf("%s: %v", c.spec.Symbol, err)
		}
		checkNum(t, c.spec.Symbol+" ValueAt", &z, c.want)
		checkNum(t, c.spec.Symbol+" Value", &want, c.want)
	}
}
