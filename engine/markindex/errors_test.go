package markindex_test

import (
	"errors"
	"math"
	"math/big"
	"slices"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine/markindex"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
)

func crossAccount(t *testing.T, conv liquidation.Convention) (*account.Account, *contract.Spec, *contract.Spec) {
	t.Helper()
	a, _ := account.New(derivmath.NewContext(), conv)
	btc := contract.BTCUSDT()
	eth, _ := contract.New(contract.Params{Symbol: "ETHUSDT", Kind: contract.Linear, Settle: "USDT", Multiplier: "1", Tick: "0.01", Lot: "0.001"})
	_ = a.SetMark(btc, d("60000"))
	_ = a.SetMark(eth, d("3000"))
	_ = a.SetWallet("USDT", d("1300"))
	for _, p := range []*account.Position{
		{Spec: btc, Side: account.OneWay, Mode: account.Cross},
		{Spec: eth, Side: account.OneWay, Mode: account.Cross},
	} {
		p.Qty.Set(d("1"))
		if p.Spec == eth {
			p.Qty.Set(d("10"))
		}
		a.Mark(&p.Entry, p.Spec)
		p.Leverage.SetInt64(20)
		p.MMR.Set(d("0.005"))
		if err := a.Set(p); err != nil {
			t.Fatal(err)
		}
	}
	return a, btc, eth
}

func TestCrossErrors(t *testing.T) {
	a, btc, eth := crossAccount(t, liquidation.Binance)
	bx, _ := markindex.New(&btc.Tick, markindex.Deepest)
	ex, _ := markindex.New(&eth.Tick, markindex.Deepest)
	var before, after account.Summary
	_ = a.Summary(&before, "USDT")
	for _, c := range []struct {
		name string
		tol  string
		legs []markindex.Leg
		want error
	}{
		{"zero tolerance", "0", []markindex.Leg{{Spec: btc, Index: bx}, {Spec: eth, Index: ex}}, markindex.ErrTolerance},
		{"tolerance 1", "1", []markindex.Leg{{Spec: btc, Index: bx}, {Spec: eth, Index: ex}}, markindex.ErrTolerance},
		{"missing leg", "0.01", []markindex.Leg{{Spec: btc, Index: bx}}, markindex.ErrLegs},
		{"twice", "0.01", []markindex.Leg{{Spec: btc, Index: bx}, {Spec: btc, Index: bx}}, markindex.ErrLegs},
		{"no index", "0.01", []markindex.Leg{{Spec: btc}, {Spec: eth, Index: ex}}, markindex.ErrLegs},
		{"valid", "0.01", []markindex.Leg{{Spec: btc, Index: bx}, {Spec: eth, Index: ex}}, nil},
	} {
		legs := c.legs
		for j := range legs {
			legs[j].Key = markindex.Key{Lo: 1}
		}
		err := markindex.Cross(a, "USDT", d(c.tol), legs)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
		if err != nil {
			for _, l := range legs {
				if l.Key != (markindex.Key{Lo: 1}) {
					t.Errorf("%s: key changed on error", c.name)
				}
			}
		}
		_ = a.Summary(&after, "USDT")
		if after.Equity.Cmp(&before.Equity) != 0 || after.Maintenance.Cmp(&before.Maintenance) != 0 {
			t.Errorf("%s: the account changed", c.name)
		}
	}
	if _, err := bx.Position(a, 0); !errors.Is(err, markindex.ErrMode) {
		t.Errorf("Position of a cross position: %v", err)
	}
	for _, i := range []int{-1, a.Len(), 9} {
		if _, err := bx.Position(a, i); !errors.Is(err, account.ErrIndex) {
			t.Errorf("Position %d: %v", i, err)
		}
	}
}

// TestCrossBand checks that a move of one contract's mark past its band
// fires the account on that contract, so that its other keys are redone.
func TestCrossBand(t *testing.T) {
	a, btc, eth := crossAccount(t, liquidation.BitMEX)
	bx, _ := markindex.New(&btc.Tick, markindex.Deepest)
	ex, _ := markindex.New(&eth.Tick, markindex.Deepest)
	legs := []markindex.Leg{{Spec: btc, Index: bx}, {Spec: eth, Index: ex}}
	if err := markindex.Cross(a, "USDT", d("0.01"), legs); err != nil {
		t.Fatal(err)
	}
	bx.Upsert(1, legs[0].Key)
	ex.Upsert(1, legs[1].Key)
	for _, c := range []struct {
		mark string
		want int
	}{{"60500", 0}, {"60600", 1}, {"60700", 1}} {
		hits, _ := bx.Tick(d(c.mark), nil)
		if len(hits) != c.want {
			t.Errorf("BTC at %s: hits %v, want %d", c.mark, hits, c.want)
		}
	}
}

func TestTwoSided(t *testing.T) {
	for _, conv := range []liquidation.Convention{liquidation.Binance, liquidation.BitMEX, liquidation.Bybit} {
		for _, tiered := range []account.Side{account.Long, account.Short, account.OneWay} {
			twoSided(t, conv, tiered)
		}
	}
}

// twoSided checks Cross on a hedged BTCUSDT account under conv, the leg on
// side tiered with tiers (OneWay: both legs): ErrTwoSided under the Binance
// convention only, whichever leg has tiers.
func twoSided(t *testing.T, conv liquidation.Convention, tiered account.Side) {
	t.Helper()
	a, _ := account.New(derivmath.NewContext(), conv)
	btc := contract.BTCUSDT()
	_ = a.SetMark(btc, d("60000"))
	_ = a.SetWallet("USDT", d("5000"))
	for _, side := range []account.Side{account.Long, account.Short} {
		p := &account.Position{Spec: btc, Side: side, Mode: account.Cross}
		if tiered == side || tiered == account.OneWay {
			p.Tiers = margin.BTCUSDT()
		} else {
			p.MMR.Set(d("0.005"))
		}
		p.Qty.Set(d("1"))
		if side == account.Short {
			p.Qty.Set(d("-0.9"))
		}
		p.Entry.Set(d("60000"))
		p.Leverage.SetInt64(20)
		if err := a.Set(p); err != nil {
			t.Fatal(err)
		}
	}
	x, _ := markindex.New(&btc.Tick, markindex.Deepest)
	err := markindex.Cross(a, "USDT", d("0.01"), []markindex.Leg{{Spec: btc, Index: x}})
	want := error(nil)
	if conv == liquidation.Binance {
		want = markindex.ErrTwoSided
	}
	if !errors.Is(err, want) {
		t.Errorf("hedged, %v with tiers, under %v: %v, want %v", tiered, conv, err, want)
	}
}

func TestBadInput(t *testing.T) {
	if _, err := markindex.New(d("0"), markindex.Deepest); !errors.Is(err, derivmath.ErrPrice) {
		t.Errorf("unit 0: %v", err)
	}
	if _, err := markindex.New(d("1.00000000000000000000000000001"), markindex.Deepest); !errors.Is(err, markindex.ErrRange) {
		t.Errorf("unit of 30 digits: %v", err)
	}
	x, _ := markindex.New(d("0.00000001"), markindex.Deepest)
	if _, err := x.Tick(d("1e30"), nil); !errors.Is(err, markindex.ErrRange) {
		t.Errorf("mark 1e30: %v", err)
	}
	if _, err := x.Below(d("NaN")); err == nil {
		t.Errorf("NaN: no error")
	}
}

// unitAt returns a unit u with ceil(p/u) = math.MaxInt64, so that p is the
// last price the Index can key, or nil if no u = su*10^eu whose division
// Index does on 128 bits (p's coefficient times at most 10^19) gives it.
func unitAt(p *apd.Decimal) *apd.Decimal {
	m := new(big.Int).SetInt64(math.MaxInt64)
	c := new(big.Int).Set(p.Coeff.MathBigInt())
	for d := int32(0); d < 20; d++ {
		n := new(big.Int).Mul(c, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d)), nil))
		su0 := new(big.Int).Quo(n, m)
		for j := int64(-2); j <= 2; j++ {
			su := new(big.Int).Add(su0, big.NewInt(j))
			if su.Sign() <= 0 || !su.IsUint64() {
				continue
			}
			u := apd.NewWithBigInt(new(apd.BigInt).SetMathBigInt(su), p.Exponent-d)
			x, err := markindex.New(u, markindex.Deepest)
			if err != nil {
				continue
			}
			if k, err := x.Below(p); err == nil && k.Lo == math.MaxInt64 {
				return u
			}
		}
	}
	return nil
}

// TestKeyAtInt64Limit keys positions whose liquidation price is at the last
// unit an int64 counts (ceil(p/unit) = math.MaxInt64), below the mark for a
// long and above it for a short, isolated and cross (one leg): each key
// must fire when the mark reaches the liquidation price, where the account
// is liquidatable, or the key must be refused with ErrRange.
func TestKeyAtInt64Limit(t *testing.T) {
	btc := contract.BTCUSDT()
	for _, c := range []struct {
		name string
		mode account.Mode
		qty  string
	}{
		{"isolated long", account.Isolated, "1"},
		{"isolated short", account.Isolated, "-1"},
		{"cross long", account.Cross, "1"},
		{"cross short", account.Cross, "-1"},
	} {
		// Margins in steps of 0.01 until the liquidation price has a unit
		// that puts it at math.MaxInt64 units.
		var a *account.Account
		var r account.Report
		var unit *apd.Decimal
		for i := int64(0); unit == nil; i++ {
			if i == 1000 {
				t.Fatalf("%s: no liquidation price at math.MaxInt64 units", c.name)
			}
			var amt apd.Decimal
			amt.SetFinite(150000+i, -2)
			a, _ = account.New(derivmath.NewContext(), liquidation.Binance)
			_ = a.SetMark(btc, d("15000"))
			_ = a.SetWallet("USDT", &amt)
			p := &account.Position{Spec: btc, Side: account.OneWay, Mode: c.mode}
			p.Qty.Set(d(c.qty))
			p.Entry.Set(d("15000"))
			p.Leverage.SetInt64(10)
			p.MMR.Set(d("0.005"))
			if c.mode == account.Isolated {
				p.Margin.Set(&amt)
			}
			if err := a.Set(p); err != nil {
				t.Fatal(err)
			}
			if err := a.Report(&r, 0, liquidation.Exact); err != nil || r.LiquidationStatus != liquidation.Found {
				t.Fatalf("%s: %v %v", c.name, r.LiquidationStatus, err)
			}
			unit = unitAt(&r.Liquidation)
		}
		liq := &r.Liquidation
		x, _ := markindex.New(unit, markindex.Deepest)
		var k markindex.Key
		var err error
		if c.mode == account.Isolated {
			k, err = x.Position(a, 0)
		} else {
			legs := []markindex.Leg{{Spec: btc, Index: x}}
			err = markindex.Cross(a, "USDT", d("0.01"), legs)
			k = legs[0].Key
		}
		if err != nil {
			// Refusing the key is an answer; a key that does not fire is not.
			if !errors.Is(err, markindex.ErrRange) {
				t.Errorf("%s at %s: %v", c.name, liq.String(), err)
			}
			continue
		}
		x.Upsert(1, k)
		// The first mark, from the liquidation price (rounded to 19 digits)
		// outward in steps of its last digit, at which the account is
		// liquidatable; a key fires there, or Tick refuses the mark.
		var mark, step apd.Decimal
		mark.Set(liq)
		step.SetFinite(1, liq.Exponent)
		if c.qty[0] != '-' {
			step.Neg(&step)
		}
		for j := 0; ; j++ {
			if err := a.SetMark(btc, &mark); err != nil || j == 100 {
				t.Fatalf("%s: no liquidatable mark near %s: %v", c.name, liq.String(), err)
			}
			if a.Liquidatable() {
				break
			}
			_, _ = derivmath.NewContext().Add(&mark, &mark, &step)
		}
		hits, err := x.Tick(&mark, nil)
		if errors.Is(err, markindex.ErrRange) {
			t.Logf("%s: mark %s refused", c.name, mark.String())
			continue
		}
		if err != nil || len(hits) != 1 {
			t.Errorf("%s: unit %s, key %v; at the mark %s, where it is liquidatable, Tick gives %v, %v; want [1]", c.name, unit.String(), k, mark.String(), hits, err)
		}
	}
}

// TestTickUnitsNonPositive: a mark of no units or fewer reaches every entry
// with a Lo and none with only a Hi, math.MinInt64 included (whose negation
// wraps).
func TestTickUnitsNonPositive(t *testing.T) {
	for _, order := range []markindex.Order{markindex.Deepest, markindex.ByKey} {
		x, _ := markindex.New(d("1"), order)
		x.Upsert(1, markindex.Key{Lo: 1})
		x.Upsert(2, markindex.Key{Lo: 95, Hi: 120})
		x.Upsert(3, markindex.Key{Hi: 120})
		x.Upsert(4, markindex.Now())
		for _, m := range []int64{0, -1, math.MinInt64 + 1, math.MinInt64} {
			got := x.TickUnits(m, nil)
			slices.Sort(got)
			if want := []markindex.ID{1, 2, 4}; !slices.Equal(got, want) {
				t.Errorf("order %v: TickUnits(%d) = %v, want %v", order, m, got, want)
			}
		}
	}
}

// TestCrossLegs checks which positions Cross keys: an isolated position on
// a leg's contract is refused (ErrMode), a cross position settled in
// another currency is none of its business, one leg gets the liquidation
// price alone (no band), and an Index unit coarser than the band still
// gives a band of at least one unit.
func TestCrossLegs(t *testing.T) {
	a, btc, eth := crossAccount(t, liquidation.Binance)
	bx, _ := markindex.New(&btc.Tick, markindex.Deepest)
	ex, _ := markindex.New(&eth.Tick, markindex.Deepest)

	// A cross position in BTC, on a contract no leg names.
	inv := contract.BTCUSDPerp()
	_ = a.SetMark(inv, d("60000"))
	_ = a.SetWallet(inv.Settle, d("1"))
	p := &account.Position{Spec: inv, Side: account.OneWay, Mode: account.Cross}
	p.Qty.Set(d("100"))
	p.Entry.Set(d("60000"))
	p.Leverage.SetInt64(20)
	p.MMR.Set(d("0.005"))
	if err := a.Set(p); err != nil {
		t.Fatal(err)
	}
	legs := []markindex.Leg{{Spec: btc, Index: bx}, {Spec: eth, Index: ex}}
	if err := markindex.Cross(a, "USDT", d("0.01"), legs); err != nil {
		t.Errorf("beside a cross position in %s: %v", inv.Settle, err)
	}

	// An Index for ETH whose unit, 5000, is wider than the band around
	// 3000: the band's lower edge is one unit, not zero.
	coarse, _ := markindex.New(d("5000"), markindex.Deepest)
	legs = []markindex.Leg{{Spec: btc, Index: bx}, {Spec: eth, Index: coarse}}
	if err := markindex.Cross(a, "USDT", d("0.01"), legs); err != nil {
		t.Errorf("unit 5000 for ETH: %v", err)
	} else if legs[1].Key != markindex.Now() {
		t.Errorf("unit 5000 for ETH: key %+v, want Now (a band of one unit)", legs[1].Key)
	}

	// A well-funded account, liquidated far from the marks: a BTC mark
	// below its band (59400 at 1%) fires, as one above it does.
	_ = a.SetWallet("USDT", d("1000000"))
	legs = []markindex.Leg{{Spec: btc, Index: bx}, {Spec: eth, Index: ex}}
	if err := markindex.Cross(a, "USDT", d("0.01"), legs); err != nil {
		t.Fatal(err)
	}
	bx.Upsert(1, legs[0].Key)
	for _, c := range []struct {
		mark string
		want int
	}{{"59300", 1}, {"59500", 0}, {"60500", 0}, {"60700", 1}} {
		if hits, _ := bx.Tick(d(c.mark), nil); len(hits) != c.want {
			t.Errorf("rich account, BTC at %s: hits %v, want %d", c.mark, hits, c.want)
		}
	}

	// One leg: a long's key has no upper band.
	one, _ := account.New(derivmath.NewContext(), liquidation.Binance)
	_ = one.SetMark(btc, d("60000"))
	_ = one.SetMark(eth, d("3000"))
	_ = one.SetWallet("USDT", d("10000"))
	q := &account.Position{Spec: btc, Side: account.OneWay, Mode: account.Cross}
	q.Qty.Set(d("1"))
	q.Entry.Set(d("60000"))
	q.Leverage.SetInt64(20)
	q.MMR.Set(d("0.005"))
	if err := one.Set(q); err != nil {
		t.Fatal(err)
	}
	legs = []markindex.Leg{{Spec: btc, Index: bx}}
	if err := markindex.Cross(one, "USDT", d("0.01"), legs); err != nil {
		t.Fatal(err)
	}
	if k := legs[0].Key; k.Lo <= 0 || k.Hi != 0 {
		t.Errorf("one leg, a long: key %+v, want a Lo only", k)
	}

	// An isolated position on a leg's contract.
	q.Spec, q.Mode = eth, account.Isolated
	if err := one.Set(q); err != nil {
		t.Fatal(err)
	}
	legs = []markindex.Leg{{Spec: btc, Index: bx}, {Spec: eth, Index: ex}}
	if err := markindex.Cross(one, "USDT", d("0.01"), legs); !errors.Is(err, markindex.ErrMode) {
		t.Errorf("isolated position on a leg's contract: %v, want ErrMode", err)
	}
}

// Sentinel groups the package's godoc names by reference.
var (
	// checkDecimal: derivmath.CheckDecimal's errors.
	checkDecimal = slices.Clip(dectest.CheckDecimalErrs)
	// checkPrice: derivmath.CheckPrice's, CheckDecimal's and ErrPrice.
	checkPrice = append(slices.Clip(checkDecimal), derivmath.ErrPrice)
	// compile: the Solver's own errors, liquidation.Solver.Compile's list
	// (a *margin.TierError besides, which dectest.Documented accepts).
	compile = append(slices.Clip(checkPrice), derivmath.ErrContext, liquidation.ErrNoSpec,
		liquidation.ErrConvention, liquidation.ErrNoLegs, contract.ErrKind, contract.ErrMultiplier,
		contract.ErrTickSize, contract.ErrMinorUnit, derivmath.ErrRate, liquidation.ErrNegative,
		liquidation.ErrSettle, derivmath.ErrZeroQty)
	// solve: liquidation.Solver.Price's and Liquidatable's, the Solver's
	// own included (a *margin.TierError besides).
	solve = append(slices.Clip(compile), liquidation.ErrRounding, liquidation.ErrNoConvergence)
	// report: account.Account.Report's: account.ErrIndex and
	// liquidation's errors, which are solve's.
	report = append(slices.Clip(solve), account.ErrIndex)
	// setMark: account.Account.SetMark's: account.ErrNoSpec, the Spec's
	// Validate errors, CheckPrice's (a *margin.TierError besides).
	setMark = append(slices.Clip(checkPrice), account.ErrNoSpec, contract.ErrKind, contract.ErrMultiplier,
		contract.ErrTickSize, contract.ErrLotSize, derivmath.ErrFeeRate, contract.ErrMinorUnit)
)

// errorsOf lists, for each exported function and method of the package
// that returns an error, the sentinels its godoc names, each reference
// resolved to the group above that it names. An error of type
// *margin.TierError is also documented for Solver, Position and Cross.
var errorsOf = map[string][]error{
	"New":      append(slices.Clip(checkPrice), markindex.ErrRange, markindex.ErrOrder),
	"Tick":     append(slices.Clip(checkPrice), markindex.ErrRange),
	"Below":    append(slices.Clip(checkPrice), markindex.ErrRange),
	"Above":    append(slices.Clip(checkPrice), markindex.ErrRange),
	"Solver":   append(slices.Clip(solve), markindex.ErrRange),
	"Position": append(slices.Clip(report), markindex.ErrMode, markindex.ErrRange),
	"Cross": slices.Concat(checkDecimal, []error{
		markindex.ErrTolerance, markindex.ErrLegs, markindex.ErrMode, markindex.ErrTwoSided, markindex.ErrRange,
	}, setMark, report),
}

// TestErrorsDocumented returns, from one input each, every sentinel the
// package's functions name themselves, and one sentinel of each group they
// name by reference; each must be in the function's list.
func TestErrorsDocumented(t *testing.T) {
	x, _ := markindex.New(d("0.1"), markindex.Deepest)
	fine, _ := markindex.New(d("0.00000001"), markindex.Deepest)
	tiny, _ := markindex.New(d("1e-19"), markindex.Deepest)
	key := func(f func(*apd.Decimal) (markindex.Key, error), p string) func() error {
		return func() error { _, err := f(d(p)); return err }
	}
	tick := func(p string) func() error {
		return func() error { _, err := fine.Tick(d(p), nil); return err }
	}
	solver := func(x *markindex.Index, mark string) func() error {
		la := &liquidation.Account{Spec: contract.BTCUSDT(), Convention: liquidation.Binance, Legs: make([]liquidation.Leg, 1)}
		la.Legs[0].Qty.Set(d("1"))
		la.Legs[0].Entry.Set(d("60000"))
		la.Legs[0].MMR.Set(d("0.005"))
		la.Balance.Set(d("3000"))
		s, err := liquidation.Compile(derivmath.NewContext(), la)
		if err != nil {
			t.Fatal(err)
		}
		return func() error { _, err := x.Solver(s, d(mark)); return err }
	}
	isolated := func() *account.Account {
		a, _ := account.New(derivmath.NewContext(), liquidation.Binance)
		btc := contract.BTCUSDT()
		_ = a.SetMark(btc, d("60000"))
		p := &account.Position{Spec: btc, Side: account.OneWay, Mode: account.Isolated}
		p.Qty.Set(d("1"))
		p.Entry.Set(d("60000"))
		p.Leverage.SetInt64(20)
		p.Margin.Set(d("3000"))
		p.MMR.Set(d("0.005"))
		if err := a.Set(p); err != nil {
			t.Fatal(err)
		}
		return a
	}
	position := func(x *markindex.Index, a *account.Account, i int) func() error {
		return func() error { _, err := x.Position(a, i); return err }
	}
	cross := func(tol string, legs func(btc, eth *contract.Spec) []markindex.Leg) func() error {
		a, btc, eth := crossAccount(t, liquidation.Binance)
		return func() error { return markindex.Cross(a, "USDT", d(tol), legs(btc, eth)) }
	}
	both := func(btc, eth *contract.Spec) []markindex.Leg {
		bx, _ := markindex.New(&btc.Tick, markindex.Deepest)
		ex, _ := markindex.New(&eth.Tick, markindex.Deepest)
		return []markindex.Leg{{Spec: btc, Index: bx}, {Spec: eth, Index: ex}}
	}
	cases := []struct {
		fn   string
		want error
		call func() error
	}{
		{"New", derivmath.ErrPrice, func() error { _, err := markindex.New(d("0"), markindex.Deepest); return err }},
		{"New", derivmath.ErrNaN, func() error { _, err := markindex.New(d("NaN"), markindex.ByKey); return err }},
		{"New", markindex.ErrRange, func() error {
			_, err := markindex.New(d("1.00000000000000000000000000001"), markindex.Deepest)
			return err
		}},
		{"New", markindex.ErrOrder, func() error { _, err := markindex.New(d("1"), markindex.Order(9)); return err }},
		{"Tick", derivmath.ErrPrice, tick("-1")},
		{"Tick", derivmath.ErrInfinite, tick("Infinity")},
		{"Tick", markindex.ErrRange, tick("1e30")},
		{"Below", derivmath.ErrPrice, key(x.Below, "0")},
		{"Below", derivmath.ErrNegativeZero, key(x.Below, "-0")},
		{"Below", markindex.ErrRange, key(fine.Below, "1e30")},
		{"Above", derivmath.ErrPrice, key(x.Above, "-5")},
		{"Above", derivmath.ErrRange, key(x.Above, "1e999")},
		{"Above", markindex.ErrRange, key(fine.Above, "1e30")},
		// Solver.Liquidatable's CheckPrice errors for the mark.
		{"Solver", derivmath.ErrPrice, solver(x, "0")},
		// A liquidation price of about 57,000 is 5.7e23 units of 1e-19.
		{"Solver", markindex.ErrRange, solver(tiny, "60000")},
		{"Position", account.ErrIndex, position(x, isolated(), 1)},
		{"Position", markindex.ErrMode, func() error {
			a, btc, _ := crossAccount(t, liquidation.Binance)
			bx, _ := markindex.New(&btc.Tick, markindex.Deepest)
			_, err := bx.Position(a, 0)
			return err
		}},
		{"Position", markindex.ErrRange, position(tiny, isolated(), 0)},
		{"Cross", derivmath.ErrNaN, cross("NaN", both)},
		{"Cross", markindex.ErrTolerance, cross("1", both)},
		{"Cross", markindex.ErrLegs, cross("0.01", func(btc, eth *contract.Spec) []markindex.Leg { return both(btc, eth)[:1] })},
		// A leg on the contract of an isolated position.
		{"Cross", markindex.ErrMode, func() error {
			a := isolated()
			btc := a.Position(0).Spec
			x, _ := markindex.New(&btc.Tick, markindex.Deepest)
			return markindex.Cross(a, btc.Settle, d("0.01"), []markindex.Leg{{Spec: btc, Index: x}})
		}},
		{"Cross", markindex.ErrTwoSided, func() error {
			a, _ := account.New(derivmath.NewContext(), liquidation.Binance)
			btc := contract.BTCUSDT()
			_ = a.SetMark(btc, d("60000"))
			_ = a.SetWallet("USDT", d("5000"))
			for _, side := range []account.Side{account.Long, account.Short} {
				p := &account.Position{Spec: btc, Side: side, Mode: account.Cross, Tiers: margin.BTCUSDT()}
				p.Qty.Set(d("1"))
				if side == account.Short {
					p.Qty.Set(d("-0.9"))
				}
				p.Entry.Set(d("60000"))
				p.Leverage.SetInt64(20)
				if err := a.Set(p); err != nil {
					t.Fatal(err)
				}
			}
			x, _ := markindex.New(&btc.Tick, markindex.Deepest)
			return markindex.Cross(a, "USDT", d("0.01"), []markindex.Leg{{Spec: btc, Index: x}})
		}},
	}
	for _, c := range cases {
		if !slices.Contains(errorsOf[c.fn], c.want) {
			t.Errorf("%s: %v is not in its documented list", c.fn, c.want)
		}
		if err := c.call(); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.fn, err, c.want)
		}
	}
}
