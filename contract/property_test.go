package contract_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// The properties run on two domains of inputs.
//
// The exchange domain: one-digit multipliers, ticks and lots
// (dectest.Multiplier, Tick, Lot), prices of up to 10^8 ticks and sizes of
// up to 10^8 lots (dectest.OnStep). There, every product of the formulas is
// exact at 19 digits and each kernel rounds once, in its one division: a
// result is within half a unit of its 19th digit of the 50-digit oracle
// (checked as 1 ulp, dectest.ULPs).
//
// The wide domain: any valid decimals of exchange-like magnitude with up to
// 12 significant digits (dectest.Price, dectest.Qty). There the products
// round too, each by at most u = 5e-19 of their value, and a kernel of k
// operations is within k*u of the oracle, relative (checked with relTol).

// u is the relative error of one rounding to 19 digits: half a unit of the
// 19th digit, relative to a value whose first digit is 1.
var u = dectest.D("5E-19")

// kindGen draws a contract kind.
func kindGen() *rapid.Generator[contract.Kind] {
	return rapid.SampledFrom([]contract.Kind{contract.Linear, contract.Inverse, contract.Quanto})
}

// exchangeSpec draws a Spec of the exchange domain: one-digit multiplier,
// tick and lot, fee rates within +-0.1% (millionths), no minor unit.
func exchangeSpec() *rapid.Generator[*contract.Spec] {
	return rapid.Custom(func(t *rapid.T) *contract.Spec {
		s := &contract.Spec{Kind: kindGen().Draw(t, "kind")}
		m, tick, lot := dectest.Multiplier().Draw(t, "m"), dectest.Tick().Draw(t, "tick"), dectest.Lot().Draw(t, "lot")
		maker, taker := dectest.Rate(1000).Draw(t, "maker"), dectest.Rate(1000).Draw(t, "taker")
		s.Multiplier.Set(&m)
		s.Tick.Set(&tick)
		s.Lot.Set(&lot)
		s.Maker.Set(&maker)
		s.Taker.Set(&taker)
		if err := s.Validate(); err != nil {
			t.Fatalf("generated an invalid spec: %v", err)
		}
		return s
	})
}

// wideSpec draws a Spec of the wide domain: a multiplier of up to three
// digits and six places.
func wideSpec() *rapid.Generator[*contract.Spec] {
	return rapid.Custom(func(t *rapid.T) *contract.Spec {
		s := &contract.Spec{Kind: kindGen().Draw(t, "kind")}
		m := dectest.Positive(999, 6).Draw(t, "m")
		s.Multiplier.Set(&m)
		s.Tick.SetFinite(1, -4)
		s.Lot.SetFinite(1, -3)
		if err := s.Validate(); err != nil {
			t.Fatalf("generated an invalid spec: %v", err)
		}
		return s
	})
}

// price draws a price on s's tick.
func price(t *rapid.T, s *contract.Spec, label string) *apd.Decimal {
	p := dectest.OnStep(&s.Tick, 100_000_000).Draw(t, label)
	return new(apd.Decimal).Set(&p)
}

// size draws a nonzero signed quantity in s's lots.
func size(t *rapid.T, s *contract.Spec, label string) *apd.Decimal {
	q := dectest.OnStep(&s.Lot, 100_000_000).Draw(t, label)
	z := new(apd.Decimal).Set(&q)
	z.Negative = rapid.Bool().Draw(t, label+"Short")
	return z
}

// draw draws from g into a new decimal.
func draw(t *rapid.T, g *rapid.Generator[apd.Decimal], label string) *apd.Decimal {
	x := g.Draw(t, label)
	return new(apd.Decimal).Set(&x)
}

// leverage draws a whole leverage from 1 to 125.
func leverage(t *rapid.T) *apd.Decimal {
	return new(apd.Decimal).SetInt64(rapid.Int64Range(1, 125).Draw(t, "lev"))
}

// tb is what the helpers need of a *testing.T or a *rapid.T.
type tb interface {
	Helper()
	Fatalf(format string, args ...any)
}

// oracle does the arithmetic of the models at 50 digits; any failure is a
// bug in the test.
type oracle struct {
	t tb
	c *apd.Context
}

func newOracle(t tb) oracle { return oracle{t, dectest.Oracle()} }

func (o oracle) do(_ apd.Condition, err error) {
	if err != nil {
		o.t.Fatalf("oracle: %v", err)
	}
}

func (o oracle) add(x, y *apd.Decimal) *apd.Decimal {
	z := new(apd.Decimal)
	o.do(o.c.Add(z, x, y))
	return z
}

func (o oracle) sub(x, y *apd.Decimal) *apd.Decimal {
	z := new(apd.Decimal)
	o.do(o.c.Sub(z, x, y))
	return z
}

func (o oracle) mul(x, y *apd.Decimal) *apd.Decimal {
	z := new(apd.Decimal)
	o.do(o.c.Mul(z, x, y))
	return z
}

func (o oracle) quo(x, y *apd.Decimal) *apd.Decimal {
	z := new(apd.Decimal)
	o.do(o.c.Quo(z, x, y))
	return z
}

func abs(x *apd.Decimal) *apd.Decimal { return new(apd.Decimal).Abs(x) }

func neg(x *apd.Decimal) *apd.Decimal { return new(apd.Decimal).Neg(x) }

var one = apd.New(1, 0)

// value is the oracle's N*m*P or N*m/P, for |qty|.
func (o oracle) value(s *contract.Spec, qty, p *apd.Decimal) *apd.Decimal {
	nm := o.mul(abs(qty), &s.Multiplier)
	if s.Kind == contract.Inverse {
		return o.quo(nm, p)
	}
	return o.mul(nm, p)
}

// pnl is the oracle's PnL as the exchanges' guides write it: q*m*(x - e)
// and, for inverse contracts, q*m*(1/e - 1/x) with two divisions (not the
// code's single one).
func (o oracle) pnl(s *contract.Spec, qty, entry, exit *apd.Decimal) *apd.Decimal {
	qm := o.mul(qty, &s.Multiplier)
	if s.Kind == contract.Inverse {
		return o.mul(qm, o.sub(o.quo(one, entry), o.quo(one, exit)))
	}
	return o.mul(qm, o.sub(exit, entry))
}

// ulp returns a unit in the 19th significant digit of x (0 for 0).
func ulp(x *apd.Decimal) *apd.Decimal {
	if x.IsZero() {
		return new(apd.Decimal)
	}
	adj := int64(x.Exponent) + x.NumDigits() - 1
	return new(apd.Decimal).SetFinite(1, int32(adj-derivmath.Precision+1))
}

// near fails t unless got is within 1 ulp (19 digits) of the oracle's want.
func near(t tb, what string, got, want *apd.Decimal) {
	t.Helper()
	if !dectest.ULPs(got, want, derivmath.Precision, 1) {
		t.Fatalf("%s = %s, want %s (50-digit oracle) within 1 ulp", what, got, want)
	}
}

// relTol returns k roundings' worth of relative error in scale: k*u*|scale|,
// with room for the second-order terms.
func relTol(o oracle, k int64, scale *apd.Decimal) *apd.Decimal {
	return o.mul(o.mul(apd.New(k*1_000_001, -6), u), abs(scale))
}

// within fails t unless |got - want| <= tol.
func within(t tb, what string, got, want, tol *apd.Decimal) {
	t.Helper()
	if !dectest.Within(got, want, tol) {
		var diff apd.Decimal
		_, _ = dectest.Oracle().Sub(&diff, got, want)
		t.Fatalf("%s = %s, want %s within %s (off by %s)", what, got, want, tol, &diff)
	}
}

func must(t tb, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func TestPropPnLAtEntryIsZero(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := wideSpec().Draw(t, "spec")
		qty, entry := draw(t, dectest.Qty(), "qty"), draw(t, dectest.Price(), "entry")
		var z apd.Decimal
		must(t, "PnL", s.PnL(ctx, &z, qty, entry, entry))
		if !z.IsZero() {
			t.Fatalf("PnL(%s, %s -> %s) = %s, want 0", qty, entry, entry, &z)
		}
		var p contract.Position
		p.Qty.Set(qty)
		p.Entry.Set(entry)
		must(t, "Unrealised", s.Unrealised(ctx, &z, &p, entry))
		if !z.IsZero() {
			t.Fatalf("Unrealised at the entry = %s, want 0", &z)
		}
		must(t, "ROE", s.ROE(ctx, &z, &p, entry, leverage(t)))
		if !z.IsZero() {
			t.Fatalf("ROE at the entry = %s, want 0", &z)
		}
	})
}

func TestPropLongShortOpposite(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := wideSpec().Draw(t, "spec")
		qty := draw(t, dectest.Qty(), "qty")
		entry, exit := draw(t, dectest.Price(), "entry"), draw(t, dectest.Price(), "exit")
		lev := leverage(t)
		short := neg(qty)
		var long, sh apd.Decimal
		must(t, "PnL", s.PnL(ctx, &long, qty, entry, exit))
		must(t, "PnL", s.PnL(ctx, &sh, short, entry, exit))
		// Rounding half-even is symmetric, so the sides are exact
		// opposites, not merely close.
		if diff := cmp.Diff(neg(&long), &sh, dectest.Comparer()); diff != "" {
			t.Fatalf("PnL of the short is not minus the long's (-want +got):\n%s", diff)
		}
		var pl, ps contract.Position
		pl.Qty.Set(qty)
		pl.Entry.Set(entry)
		ps.Qty.Set(short)
		ps.Entry.Set(entry)
		must(t, "ROE", s.ROE(ctx, &long, &pl, exit, lev))
		must(t, "ROE", s.ROE(ctx, &sh, &ps, exit, lev))
		if diff := cmp.Diff(neg(&long), &sh, dectest.Comparer()); diff != "" {
			t.Fatalf("ROE of the short is not minus the long's (-want +got):\n%s", diff)
		}
		must(t, "Value", s.Value(ctx, &long, qty, exit))
		must(t, "Value", s.Value(ctx, &sh, short, exit))
		if diff := cmp.Diff(&long, &sh, dectest.Comparer()); diff != "" || long.Sign() < 0 {
			t.Fatalf("Value of the short %s, of the long %s: want equal and not negative", &sh, &long)
		}
	})
}

// TestPropPnLAdditive: PnL(e1 -> e2) + PnL(e2 -> e3) = PnL(e1 -> e3). For
// linear and quanto contracts in the exchange domain every step is exact,
// and so is the identity. For inverse contracts each leg is rounded once:
// the two-leg sum is within one unit of the last place of the exact direct
// PnL (half a unit per leg), and within half a unit per result of the
// computed one.
func TestPropPnLAdditive(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := exchangeSpec().Draw(t, "spec")
		qty := size(t, s, "qty")
		e1, e2, e3 := price(t, s, "e1"), price(t, s, "e2"), price(t, s, "e3")
		var a, b, c apd.Decimal
		must(t, "PnL", s.PnL(ctx, &a, qty, e1, e2))
		must(t, "PnL", s.PnL(ctx, &b, qty, e2, e3))
		must(t, "PnL", s.PnL(ctx, &c, qty, e1, e3))
		o := newOracle(t)
		sum := o.add(&a, &b)
		if s.Kind != contract.Inverse {
			if diff := cmp.Diff(&c, sum, dectest.Comparer()); diff != "" {
				t.Fatalf("%s + %s != %s (-want +got):\n%s", &a, &b, &c, diff)
			}
			return
		}
		half := apd.New(5, -1)
		legs := o.mul(half, o.add(ulp(&a), ulp(&b)))
		within(t, "PnL(e1->e2) + PnL(e2->e3)", sum, o.pnl(s, qty, e1, e3), legs)
		within(t, "PnL(e1->e2) + PnL(e2->e3)", sum, &c, o.add(legs, o.mul(half, ulp(&c))))
	})
}

// TestPropInverseIsLinearAtReciprocal: an inverse contract is a linear one
// on the reciprocal price, with the side reversed:
// q*m*(1/e - 1/x) = (-q)*m*(1/x - 1/e).
func TestPropInverseIsLinearAtReciprocal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := exchangeSpec().Draw(t, "spec")
		s.Kind = contract.Inverse
		lin := exchangeSpec().Draw(t, "linear")
		lin.Kind = contract.Linear
		lin.Multiplier.Set(&s.Multiplier)
		qty := size(t, s, "qty")
		e, x := price(t, s, "entry"), price(t, s, "exit")
		var re, rx, inv, got apd.Decimal
		must(t, "1/e", errOf(ctx.Quo(&re, one, e)))
		must(t, "1/x", errOf(ctx.Quo(&rx, one, x)))
		must(t, "inverse PnL", s.PnL(ctx, &inv, qty, e, x))
		must(t, "linear PnL", lin.PnL(ctx, &got, neg(qty), &re, &rx))
		// Each reciprocal is off by at most u of itself; the linear
		// kernel then rounds three times and the inverse one once.
		o := newOracle(t)
		scale := o.mul(o.mul(abs(qty), &s.Multiplier), o.add(&re, &rx))
		tol := o.add(relTol(o, 1, scale), relTol(o, 4, &inv))
		within(t, "linear PnL at 1/e -> 1/x", &got, &inv, tol)
	})
}

func errOf(_ apd.Condition, err error) error { return err }

// TestPropOracleExchange: in the exchange domain each kernel rounds once and
// is within 1 ulp of the 50-digit oracle.
func TestPropOracleExchange(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := exchangeSpec().Draw(t, "spec")
		o := newOracle(t)
		qty := size(t, s, "qty")
		entry, mark := price(t, s, "entry"), price(t, s, "mark")
		lev := leverage(t)
		var p contract.Position
		p.Qty.Set(qty)
		p.Entry.Set(entry)
		var z apd.Decimal

		must(t, "Value", s.Value(ctx, &z, qty, mark))
		near(t, "Value", &z, o.value(s, qty, mark))
		must(t, "Cost", s.Cost(ctx, &z, qty, mark))
		near(t, "Cost", &z, o.value(s, qty, mark))

		// Price from a value of the exchange domain (on the tick).
		v := price(t, s, "value")
		must(t, "Price", s.Price(ctx, &z, qty, v))
		nm := o.mul(abs(qty), &s.Multiplier)
		if s.Kind == contract.Inverse {
			near(t, "Price", &z, o.quo(nm, v))
		} else {
			near(t, "Price", &z, o.quo(v, nm))
		}

		pnl := o.pnl(s, qty, entry, mark)
		must(t, "PnL", s.PnL(ctx, &z, qty, entry, mark))
		near(t, "PnL", &z, pnl)
		must(t, "Unrealised", s.Unrealised(ctx, &z, &p, mark))
		near(t, "Unrealised", &z, pnl)

		// ROE by its definition: PnL over the initial margin
		// value(entry)/leverage.
		must(t, "ROE", s.ROE(ctx, &z, &p, mark, lev))
		near(t, "ROE", &z, o.quo(pnl, o.quo(o.value(s, qty, entry), lev)))

		// Linear fees round once (the value is exact); inverse ones
		// twice: the value, then its product with the rate.
		rate := draw(t, dectest.Rate(1000), "rate")
		fee := o.mul(rate, o.value(s, qty, mark))
		must(t, "Fee", s.Fee(ctx, &z, qty, mark, rate))
		if s.Kind == contract.Inverse {
			within(t, "Fee", &z, fee, relTol(o, 2, fee))
		} else {
			near(t, "Fee", &z, fee)
		}
	})
}

// TestPropOracleWide: in the wide domain the products round too, and each
// kernel is within its count of roundings of the oracle.
func TestPropOracleWide(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := wideSpec().Draw(t, "spec")
		o := newOracle(t)
		qty := draw(t, dectest.Qty(), "qty")
		entry, mark := draw(t, dectest.Price(), "entry"), draw(t, dectest.Price(), "mark")
		lev := draw(t, dectest.Positive(1_000_000, 3), "lev")
		if lev.Cmp(one) < 0 {
			lev.Set(one)
		}
		var p contract.Position
		p.Qty.Set(qty)
		p.Entry.Set(entry)
		var z apd.Decimal
		inverse := s.Kind == contract.Inverse

		value := o.value(s, qty, mark)
		must(t, "Value", s.Value(ctx, &z, qty, mark))
		within(t, "Value", &z, value, relTol(o, 2, value))

		var v19 apd.Decimal // the value to 19 digits, an input if in range
		must(t, "round", errOf(ctx.Round(&v19, value)))
		if derivmath.CheckDecimal(&v19) == nil {
			must(t, "Price", s.Price(ctx, &z, qty, &v19))
			within(t, "Price", &z, mark, relTol(o, 3, mark))
		}

		pnl := o.pnl(s, qty, entry, mark)
		k := int64(3) // sub, mul, mul
		if inverse {
			k = 5 // and mul, quo
		}
		must(t, "PnL", s.PnL(ctx, &z, qty, entry, mark))
		within(t, "PnL", &z, pnl, relTol(o, k, pnl))
		must(t, "Unrealised", s.Unrealised(ctx, &z, &p, mark))
		within(t, "Unrealised", &z, pnl, relTol(o, k, pnl))

		roe := o.quo(pnl, o.quo(o.value(s, qty, entry), lev))
		must(t, "ROE", s.ROE(ctx, &z, &p, mark, lev))
		within(t, "ROE", &z, roe, relTol(o, 3, roe))

		rate := draw(t, dectest.Rate(999_999), "rate")
		fee := o.mul(rate, value)
		must(t, "Fee", s.Fee(ctx, &z, qty, mark, rate))
		within(t, "Fee", &z, fee, relTol(o, 3, fee))
	})
}

// TestPropMinorUnit: with a minor unit, a fee or a cost is a whole number
// of minor units, half a unit or less from the oracle's amount (plus the
// roundings before it).
func TestPropMinorUnit(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := exchangeSpec().Draw(t, "spec")
		minor := dectest.Positive(1, 8).Draw(t, "minor") // 1, 0.1 .. 0.00000001
		s.Minor.Set(&minor)
		o := newOracle(t)
		qty, mark := size(t, s, "qty"), price(t, s, "mark")
		rate := draw(t, dectest.Rate(1000), "rate")
		half := o.mul(apd.New(5, -1), &minor)
		check := func(what string, err error, got, want *apd.Decimal) {
			t.Helper()
			// An amount of 10^19 minor units or more does not fit in
			// 19 digits: that is ErrRange, and only that.
			units := o.quo(abs(want), &minor)
			switch {
			case units.Cmp(apd.New(1, 19)) >= 0:
				if !errors.Is(err, derivmath.ErrRange) {
					t.Fatalf("%s of %s minor units: %v, want ErrRange", what, units, err)
				}
				return
			case units.Cmp(apd.New(99, 17)) >= 0:
				return // at the edge, either
			}
			must(t, what, err)
			within(t, what, got, want, o.add(half, relTol(o, 2, want)))
			var q, r apd.Decimal
			o.do(o.c.QuoInteger(&q, got, &minor))
			o.do(o.c.Rem(&r, got, &minor))
			if !r.IsZero() {
				t.Fatalf("%s = %s, not a whole number of %s", what, got, &minor)
			}
		}
		var z apd.Decimal
		err := s.Cost(ctx, &z, qty, mark)
		check("Cost", err, &z, o.value(s, qty, mark))
		err = s.Fee(ctx, &z, qty, mark, rate)
		check("Fee", err, &z, o.mul(rate, o.value(s, qty, mark)))
	})
}

// TestPropValuePriceRoundTrip: Price undoes Value. In the exchange domain a
// linear value is exact, so the price comes back exactly; an inverse value
// is rounded once, and the price twice.
func TestPropValuePriceRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := exchangeSpec().Draw(t, "spec")
		qty, p := size(t, s, "qty"), price(t, s, "price")
		var v, back apd.Decimal
		must(t, "Value", s.Value(ctx, &v, qty, p))
		must(t, "Price", s.Price(ctx, &back, qty, &v))
		if s.Kind != contract.Inverse {
			if diff := cmp.Diff(p, &back, dectest.Comparer()); diff != "" {
				t.Fatalf("Price(Value(%s)) (-want +got):\n%s", p, diff)
			}
			return
		}
		within(t, "Price(Value(p))", &back, p, relTol(newOracle(t), 2, p))
	})
}

// sameSideFills draws 1 to 10 fills on one side.
func sameSideFills(t *rapid.T, s *contract.Spec) []contract.Fill {
	n := rapid.IntRange(1, 10).Draw(t, "fills")
	short := rapid.Bool().Draw(t, "short")
	fills := make([]contract.Fill, n)
	for i := range fills {
		fills[i].Qty.Set(size(t, s, "qty"))
		fills[i].Qty.Negative = short
		fills[i].Price.Set(price(t, s, "price"))
	}
	return fills
}

// TestPropAvgEntry: the average entry of fills on one side equals the
// closed form of the BitMEX inverse guides (50-digit oracle), and so does
// the entry that Apply reaches one fill at a time.
//
// Roundings: AvgEntry's linear mean is exact but for its division; its
// harmonic mean rounds each N/P, each addition and the division (2n+1).
// Apply rounds each new entry about five times, and each rounding's error
// is averaged, not amplified, by the next fill: 6n in all.
func TestPropAvgEntry(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := exchangeSpec().Draw(t, "spec")
		s.Maker.SetInt64(0)
		s.Taker.SetInt64(0)
		fills := sameSideFills(t, s)
		n := int64(len(fills))
		o := newOracle(t)
		sumN, sumW := new(apd.Decimal), new(apd.Decimal)
		for i := range fills {
			f := &fills[i]
			sumN = o.add(sumN, abs(&f.Qty))
			if s.Kind == contract.Inverse {
				sumW = o.add(sumW, o.quo(abs(&f.Qty), &f.Price))
			} else {
				sumW = o.add(sumW, o.mul(abs(&f.Qty), &f.Price))
			}
		}
		var want *apd.Decimal
		if s.Kind == contract.Inverse {
			want = o.quo(sumN, sumW)
		} else {
			want = o.quo(sumW, sumN)
		}

		var avg apd.Decimal
		must(t, "AvgEntry", s.AvgEntry(ctx, &avg, fills))
		if s.Kind == contract.Inverse {
			within(t, "AvgEntry", &avg, want, relTol(o, 2*n+1, want))
		} else {
			near(t, "AvgEntry", &avg, want)
		}

		var p contract.Position
		for i := range fills {
			must(t, "Apply", s.Apply(ctx, &p, &fills[i]))
		}
		within(t, "Apply's entry", &p.Entry, want, relTol(o, 6*n, want))
		within(t, "Apply's entry vs AvgEntry", &p.Entry, &avg, relTol(o, 8*n+1, want))
		wantQty := sumN
		if fills[0].Qty.Negative {
			wantQty = neg(sumN)
		}
		if diff := cmp.Diff(wantQty, &p.Qty, dectest.Comparer()); diff != "" {
			t.Fatalf("Apply's quantity (-want +got):\n%s", diff)
		}
		if !p.Realised.IsZero() || !p.Fees.IsZero() {
			t.Fatalf("fills on one side without fees realised %s and paid %s", &p.Realised, &p.Fees)
		}
	})
}

// fineSpec is a Spec of any kind with a tick of 0.0001 and a lot of 0.001,
// for fills at arbitrary prices and sizes.
func fineSpec(t *rapid.T) *contract.Spec {
	s := exchangeSpec().Draw(t, "spec")
	s.Tick.SetFinite(1, -4)
	s.Lot.SetFinite(1, -3)
	return s
}

// pathFills draws 1 to 8 fills of either side: adds, reductions, closes and
// flips, at prices up to 100000.
func pathFills(t *rapid.T, s *contract.Spec) []contract.Fill {
	n := rapid.IntRange(1, 8).Draw(t, "fills")
	fills := make([]contract.Fill, n)
	for i := range fills {
		q := dectest.OnStep(&s.Lot, 10_000_000).Draw(t, "qty")
		fills[i].Qty.Set(&q)
		fills[i].Qty.Negative = rapid.Bool().Draw(t, "sell")
		p := dectest.OnStep(&s.Tick, 1_000_000_000).Draw(t, "price")
		fills[i].Price.Set(&p)
		fills[i].Maker = rapid.Bool().Draw(t, "maker")
	}
	// Now and then, close the position exactly with the last fill.
	if n > 1 && rapid.Bool().Draw(t, "close") {
		var sum apd.Decimal
		o := newOracle(t)
		for i := range fills[:n-1] {
			sum.Set(o.add(&sum, &fills[i].Qty))
		}
		if !sum.IsZero() {
			fills[n-1].Qty.Neg(&sum)
		}
	}
	return fills
}

// replay applies fills in order to a flat position and returns realised +
// unrealised PnL at mark, and the position.
func replay(t *rapid.T, s *contract.Spec, fills []contract.Fill, order []int, mark *apd.Decimal) (*apd.Decimal, *contract.Position) {
	var p contract.Position
	for _, i := range order {
		if err := s.Apply(ctx, &p, &fills[i]); err != nil {
			t.Fatalf("Apply(%s @ %s) to %s @ %s (tick %s, lot %s): %v", &fills[i].Qty, &fills[i].Price, &p.Qty, &p.Entry, &s.Tick, &s.Lot, err)
		}
	}
	var un apd.Decimal
	must(t, "Unrealised", s.Unrealised(ctx, &un, &p, mark))
	return newOracle(t).add(&p.Realised, &un), &p
}

// TestPropPathIndependence: realised plus unrealised PnL at a mark is the
// sum over the fills of each fill's PnL from its price to the mark,
// whatever the order of the fills and however they are split, through
// reductions, closes and flips. Fees go to Fees alone, and add up to the
// sum of each fill's fee (a split fill pays the same fee in two parts).
//
// The tolerance is in units of S, the sum over the fills of
// |q|*m*(P + mark) (linear) or |q|*m*(1/P + 1/mark) (inverse), which bounds
// every amount in the computation: each Apply rounds the entry and the
// realised PnL a few times (about 16 u*S per fill in all).
func TestPropPathIndependence(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := fineSpec(t)
		fills := pathFills(t, s)
		mark := dectest.OnStep(&s.Tick, 1_000_000_000).Draw(t, "mark")
		n := len(fills)
		o := newOracle(t)

		want, scale, fees, feeScale, qty := new(apd.Decimal), new(apd.Decimal), new(apd.Decimal), new(apd.Decimal), new(apd.Decimal)
		for i := range fills {
			f := &fills[i]
			want = o.add(want, o.pnl(s, &f.Qty, &f.Price, &mark))
			if s.Kind == contract.Inverse {
				scale = o.add(scale, o.mul(o.mul(abs(&f.Qty), &s.Multiplier), o.add(o.quo(one, &f.Price), o.quo(one, &mark))))
			} else {
				scale = o.add(scale, o.mul(o.mul(abs(&f.Qty), &s.Multiplier), o.add(&f.Price, &mark)))
			}
			rate := &s.Taker
			if f.Maker {
				rate = &s.Maker
			}
			fee := o.mul(rate, o.value(s, &f.Qty, &f.Price))
			fees = o.add(fees, fee)
			feeScale = o.add(feeScale, abs(fee))
			qty = o.add(qty, &f.Qty)
		}
		// Apply keeps amounts to MaxScale places: half a unit of the
		// 36th place per fill, on realised PnL and on fees.
		clamp := o.mul(apd.New(int64(n+1), 0), apd.New(5, -derivmath.MaxScale-1))
		tol := o.add(relTol(o, int64(16*n+16), scale), clamp)

		inOrder := make([]int, n)
		for i := range inOrder {
			inOrder[i] = i
		}
		shuffled := rapid.Permutation(inOrder).Draw(t, "order")

		// Split one fill into two of the same side.
		split := make([]contract.Fill, 0, n+1)
		k := rapid.IntRange(0, n-1).Draw(t, "split")
		for i := range fills {
			f := &fills[i]
			lots, err := s.Lots(ctx, &f.Qty)
			must(t, "Lots", err)
			if i != k || lots == 1 || lots == -1 {
				split = append(split, contract.Fill{Maker: f.Maker})
				split[len(split)-1].Qty.Set(&f.Qty)
				split[len(split)-1].Price.Set(&f.Price)
				continue
			}
			first := rapid.Int64Range(1, max(lots, -lots)-1).Draw(t, "first")
			if lots < 0 {
				first = -first
			}
			for _, part := range []int64{first, lots - first} {
				split = append(split, contract.Fill{Maker: f.Maker})
				g := &split[len(split)-1]
				must(t, "FromLots", s.FromLots(ctx, &g.Qty, part))
				g.Price.Set(&f.Price)
			}
		}
		splitOrder := make([]int, len(split))
		for i := range splitOrder {
			splitOrder[i] = i
		}

		for _, run := range []struct {
			name  string
			fills []contract.Fill
			order []int
		}{
			{"in order", fills, inOrder},
			{"shuffled", fills, shuffled},
			{"split", split, splitOrder},
		} {
			got, p := replay(t, s, run.fills, run.order, &mark)
			within(t, run.name+": realised + unrealised", got, want, tol)
			if p.Qty.Cmp(qty) != 0 {
				t.Fatalf("%s: quantity %s, want %s", run.name, &p.Qty, qty)
			}
			if p.Qty.IsZero() && !p.Entry.IsZero() {
				t.Fatalf("%s: flat with entry %s", run.name, &p.Entry)
			}
			// Each fee rounds twice or thrice, each sum once, relative
			// to the sum of the fees' sizes.
			within(t, run.name+": fees", &p.Fees, fees, o.add(relTol(o, int64(4*n+4), feeScale), clamp))
		}
	})
}

// TestPropBreakEven: at the break-even price the PnL pays exactly the fees
// on the entry value and the exit value. The residual, computed by the
// oracle, is within what a half-ulp change of the price moves it.
func TestPropBreakEven(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := exchangeSpec().Draw(t, "spec")
		qty, entry := size(t, s, "qty"), price(t, s, "entry")
		fe, fx := draw(t, dectest.Rate(5000), "entryFee"), draw(t, dectest.Rate(5000), "exitFee")
		var p contract.Position
		p.Qty.Set(qty)
		p.Entry.Set(entry)
		var be apd.Decimal
		must(t, "BreakEven", s.BreakEven(ctx, &be, &p, fe, fx))
		o := newOracle(t)
		residual := o.sub(o.sub(o.pnl(s, qty, entry, &be), o.mul(fe, o.value(s, qty, entry))), o.mul(fx, o.value(s, qty, &be)))
		// d(residual)/d(price) is |q|*m*(1 +- fx), divided by price^2
		// for inverse contracts: at most 2|q|*m(/price^2).
		slope := o.mul(o.mul(apd.New(2, 0), abs(qty)), &s.Multiplier)
		if s.Kind == contract.Inverse {
			slope = o.quo(slope, o.mul(&be, &be))
		}
		within(t, "PnL at break-even minus fees", residual, new(apd.Decimal), o.mul(slope, ulp(&be)))
		// With no fees, break-even is the entry.
		must(t, "BreakEven", s.BreakEven(ctx, &be, &p, new(apd.Decimal), new(apd.Decimal)))
		if be.Cmp(entry) != 0 {
			t.Fatalf("BreakEven without fees = %s, want the entry %s", &be, entry)
		}
	})
}

// TestPropROEIdentity: ROE times the initial margin value(entry)/leverage
// is the unrealised PnL, for every size (ROE does not depend on it).
func TestPropROEIdentity(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := exchangeSpec().Draw(t, "spec")
		qty, entry, mark := size(t, s, "qty"), price(t, s, "entry"), price(t, s, "mark")
		lev := leverage(t)
		var p contract.Position
		p.Qty.Set(qty)
		p.Entry.Set(entry)
		var roe, upnl, value apd.Decimal
		must(t, "ROE", s.ROE(ctx, &roe, &p, mark, lev))
		must(t, "Unrealised", s.Unrealised(ctx, &upnl, &p, mark))
		must(t, "Value", s.Value(ctx, &value, qty, entry))
		o := newOracle(t)
		got := o.quo(o.mul(&roe, &value), lev)
		within(t, "ROE*value/lev", got, &upnl, o.add(relTol(o, 2, &upnl), o.mul(o.quo(&value, lev), ulp(&roe))))

		// Twice the size, the same ROE.
		var twice, roe2 apd.Decimal
		twice.Set(o.mul(qty, apd.New(2, 0)))
		p.Qty.Set(&twice)
		must(t, "ROE", s.ROE(ctx, &roe2, &p, mark, lev))
		if roe2.Cmp(&roe) != 0 {
			t.Fatalf("ROE of %s = %s, of %s = %s", qty, &roe, &twice, &roe2)
		}
	})
}

// TestPropTicksLots: FromTicks(k) is k*tick exactly (the oracle's), Ticks
// is its inverse on the tick, and a price off the tick is an error (not a
// rounding); the same for lots.
func TestPropTicksLots(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := exchangeSpec().Draw(t, "spec")
		k := rapid.Int64Range(1, 1_000_000_000_000).Draw(t, "ticks")
		var p apd.Decimal
		must(t, "FromTicks", s.FromTicks(ctx, &p, k))
		got, err := s.Ticks(ctx, &p)
		must(t, "Ticks", err)
		if got != k {
			t.Fatalf("Ticks(FromTicks(%d) = %s) = %d", k, &p, got)
		}
		o := newOracle(t)
		if want := o.mul(apd.New(k, 0), &s.Tick); p.Cmp(want) != 0 {
			t.Fatalf("FromTicks(%d) = %s, oracle %s", k, &p, want)
		}
		// Off by a fraction of a tick.
		frac := o.mul(&s.Tick, apd.New(rapid.Int64Range(1, 99).Draw(t, "percent"), -2))
		if _, err := s.Ticks(ctx, o.add(&p, frac)); !errors.Is(err, contract.ErrOffTick) {
			t.Fatalf("Ticks(%s + %s): %v, want ErrOffTick", &p, frac, err)
		}

		n := rapid.Int64Range(-1_000_000_000_000, 1_000_000_000_000).Draw(t, "lots")
		var q apd.Decimal
		must(t, "FromLots", s.FromLots(ctx, &q, n))
		lots, err := s.Lots(ctx, &q)
		must(t, "Lots", err)
		if lots != n {
			t.Fatalf("Lots(FromLots(%d) = %s) = %d", n, &q, lots)
		}
		if want := o.mul(apd.New(n, 0), &s.Lot); q.Cmp(want) != 0 {
			t.Fatalf("FromLots(%d) = %s, oracle %s", n, &q, want)
		}
		frac = o.mul(&s.Lot, apd.New(rapid.Int64Range(1, 99).Draw(t, "lotPercent"), -2))
		if _, err := s.Lots(ctx, o.add(&q, frac)); !errors.Is(err, contract.ErrOffLot) {
			t.Fatalf("Lots(%s + %s): %v, want ErrOffLot", &q, frac, err)
		}
	})
}

// An aliasCase is a z-first function under the aliasing test, in the style
// of math/big's alias_test.go. bind stores vals in fresh memory and returns
// the addresses of the operands and a call computing into a given z; with
// share, every operand is the same decimal (vals must then be equal, and
// valid for every operand at once). Operands that live in a Position are
// its fields, so that z may be &p.Qty.
type aliasCase struct {
	name string
	vals func(t *rapid.T, s *contract.Spec) []*apd.Decimal
	same *rapid.Generator[apd.Decimal] // a value valid as every operand, or nil
	bind func(s *contract.Spec, vals []*apd.Decimal, share bool) ([]*apd.Decimal, func(z *apd.Decimal) error)
}

// bindFree binds a function whose operands are free decimals.
func bindFree(f func(s *contract.Spec, z *apd.Decimal, ops []*apd.Decimal) error) func(*contract.Spec, []*apd.Decimal, bool) ([]*apd.Decimal, func(*apd.Decimal) error) {
	return func(s *contract.Spec, vals []*apd.Decimal, share bool) ([]*apd.Decimal, func(*apd.Decimal) error) {
		ops := make([]*apd.Decimal, len(vals))
		for i, v := range vals {
			if share && i > 0 {
				ops[i] = ops[0]
				continue
			}
			ops[i] = new(apd.Decimal).Set(v)
		}
		return ops, func(z *apd.Decimal) error { return f(s, z, ops) }
	}
}

// bindPosition binds a function of a position (vals[0] is its Qty,
// vals[1] its Entry) and free operands. Shared, the free operands are
// &p.Qty, and the entry holds the same value.
func bindPosition(f func(s *contract.Spec, z *apd.Decimal, p *contract.Position, ops []*apd.Decimal) error) func(*contract.Spec, []*apd.Decimal, bool) ([]*apd.Decimal, func(*apd.Decimal) error) {
	return func(s *contract.Spec, vals []*apd.Decimal, share bool) ([]*apd.Decimal, func(*apd.Decimal) error) {
		p := new(contract.Position)
		p.Qty.Set(vals[0])
		p.Entry.Set(vals[1])
		ops := []*apd.Decimal{&p.Qty, &p.Entry}
		for _, v := range vals[2:] {
			if share {
				ops = append(ops, &p.Qty)
				continue
			}
			ops = append(ops, new(apd.Decimal).Set(v))
		}
		return ops, func(z *apd.Decimal) error { return f(s, z, p, ops[2:]) }
	}
}

// bindFills binds AvgEntry over two fills: vals are Qty, Price, Qty, Price.
func bindFills(s *contract.Spec, vals []*apd.Decimal, share bool) ([]*apd.Decimal, func(*apd.Decimal) error) {
	fills := make([]contract.Fill, 2)
	for i := range fills {
		fills[i].Qty.Set(vals[2*i])
		fills[i].Price.Set(vals[2*i+1])
	}
	ops := []*apd.Decimal{&fills[0].Qty, &fills[0].Price, &fills[1].Qty, &fills[1].Price}
	if share {
		ops = ops[:1] // a fill's fields are distinct memory: share z only
	}
	return ops, func(z *apd.Decimal) error { return s.AvgEntry(ctx, z, fills) }
}

func aliasCases() []aliasCase {
	qp := func(t *rapid.T, s *contract.Spec) []*apd.Decimal {
		return []*apd.Decimal{size(t, s, "qty"), price(t, s, "price")}
	}
	qpp := func(t *rapid.T, s *contract.Spec) []*apd.Decimal {
		return []*apd.Decimal{size(t, s, "qty"), price(t, s, "entry"), price(t, s, "exit")}
	}
	positive := dectest.Positive(1_000_000, 3)
	// A value in (0, 1) is at once a fee rate, a price and a size.
	rate := rapid.Custom(func(t *rapid.T) apd.Decimal {
		var d apd.Decimal
		d.SetFinite(rapid.Int64Range(1, 999).Draw(t, "thousandths"), -3)
		return d
	})
	return []aliasCase{
		{"Value", qp, positive, bindFree(func(s *contract.Spec, z *apd.Decimal, o []*apd.Decimal) error {
			return s.Value(ctx, z, o[0], o[1])
		})},
		{"Price", qp, positive, bindFree(func(s *contract.Spec, z *apd.Decimal, o []*apd.Decimal) error {
			return s.Price(ctx, z, o[0], o[1])
		})},
		{"PnL", qpp, positive, bindFree(func(s *contract.Spec, z *apd.Decimal, o []*apd.Decimal) error {
			return s.PnL(ctx, z, o[0], o[1], o[2])
		})},
		{"Cost", qp, positive, bindFree(func(s *contract.Spec, z *apd.Decimal, o []*apd.Decimal) error {
			return s.Cost(ctx, z, o[0], o[1])
		})},
		{"Fee", func(t *rapid.T, s *contract.Spec) []*apd.Decimal {
			return append(qp(t, s), draw(t, dectest.Rate(1000), "rate"))
		}, rate, bindFree(func(s *contract.Spec, z *apd.Decimal, o []*apd.Decimal) error {
			return s.Fee(ctx, z, o[0], o[1], o[2])
		})},
		{"Unrealised", qpp, positive, bindPosition(func(s *contract.Spec, z *apd.Decimal, p *contract.Position, o []*apd.Decimal) error {
			return s.Unrealised(ctx, z, p, o[0])
		})},
		{"ROE", func(t *rapid.T, s *contract.Spec) []*apd.Decimal {
			return append(qpp(t, s), leverage(t))
		}, dectest.Positive(1_000_000, 0), bindPosition(func(s *contract.Spec, z *apd.Decimal, p *contract.Position, o []*apd.Decimal) error {
			return s.ROE(ctx, z, p, o[0], o[1])
		})},
		{"BreakEven", func(t *rapid.T, s *contract.Spec) []*apd.Decimal {
			return append(qp(t, s), draw(t, dectest.Rate(1000), "entryFee"), draw(t, dectest.Rate(1000), "exitFee"))
		}, rate, bindPosition(func(s *contract.Spec, z *apd.Decimal, p *contract.Position, o []*apd.Decimal) error {
			return s.BreakEven(ctx, z, p, o[0], o[1])
		})},
		{"AvgEntry", func(t *rapid.T, s *contract.Spec) []*apd.Decimal {
			return append(qp(t, s), qp(t, s)...)
		}, positive, bindFills},
	}
}

// TestPropAliasing: for every z-first function, the result with z equal to
// each operand (and, where the operands can be equal, to all of them at
// once) equals the result with a fresh z filled with junk.
func TestPropAliasing(t *testing.T) {
	for _, c := range aliasCases() {
		t.Run(c.name, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				s := exchangeSpec().Draw(t, "spec")
				fresh := func(vals []*apd.Decimal, share bool, alias int) (*apd.Decimal, error) {
					ops, call := c.bind(s, vals, share)
					if alias >= 0 {
						err := call(ops[alias])
						return ops[alias], err
					}
					z := dectest.Scramble().Draw(t, "z")
					err := call(&z)
					return &z, err
				}
				vals := c.vals(t, s)
				want, err := fresh(vals, false, -1)
				must(t, c.name, err)
				for i := range vals {
					got, err := fresh(vals, false, i)
					must(t, c.name, err)
					if diff := cmp.Diff(want, got, dectest.Comparer()); diff != "" {
						t.Fatalf("z = operand %d (-want +got):\n%s", i, diff)
					}
				}
				if c.same == nil {
					return
				}
				v := c.same.Draw(t, "same")
				vals = make([]*apd.Decimal, len(vals))
				for i := range vals {
					vals[i] = &v
				}
				want, err = fresh(vals, false, -1)
				must(t, c.name+" with equal operands", err)
				got, err := fresh(vals, true, 0)
				must(t, c.name+" with one operand", err)
				if diff := cmp.Diff(want, got, dectest.Comparer()); diff != "" {
					t.Fatalf("z = every operand = %s (-want +got):\n%s", &v, diff)
				}
			})
		})
	}
}

// apdModel computes the kernels with apd's operations alone, in the order
// the formulas are written, and applies the result gate: what the kernels
// must give, to the representation, in any context.
type apdModel struct {
	ctx *apd.Context
	err error
}

func (m *apdModel) do(z *apd.Decimal, op func(z, x, y *apd.Decimal) (apd.Condition, error), x, y *apd.Decimal) *apd.Decimal {
	if m.err != nil {
		return z
	}
	if _, err := op(z, x, y); err != nil {
		m.err = err
	}
	return z
}

func (m *apdModel) add(x, y *apd.Decimal) *apd.Decimal {
	return m.do(new(apd.Decimal), m.ctx.Add, x, y)
}

func (m *apdModel) sub(x, y *apd.Decimal) *apd.Decimal {
	return m.do(new(apd.Decimal), m.ctx.Sub, x, y)
}

func (m *apdModel) mul(x, y *apd.Decimal) *apd.Decimal {
	return m.do(new(apd.Decimal), m.ctx.Mul, x, y)
}

func (m *apdModel) quo(x, y *apd.Decimal) *apd.Decimal {
	return m.do(new(apd.Decimal), m.ctx.Quo, x, y)
}

// round is derivmath.Round's result, through derivmath.Round: its own
// tests check it against apd and a rational model.
func (m *apdModel) round(x, step *apd.Decimal) *apd.Decimal {
	z := new(apd.Decimal)
	if m.err == nil {
		m.err = derivmath.Round(m.ctx, z, x, step, derivmath.HalfUp)
	}
	return z
}

// gate is the model's error, or the result gate applied to x.
func (m *apdModel) gate(x *apd.Decimal) (*apd.Decimal, error) {
	if m.err != nil {
		return nil, m.err
	}
	return dectest.Gate(x)
}

func (m *apdModel) value(s *contract.Spec, qty, price *apd.Decimal) *apd.Decimal {
	nm := m.mul(qty, &s.Multiplier)
	nm.Negative = false
	if s.Kind == contract.Inverse {
		return m.quo(nm, price)
	}
	return m.mul(nm, price)
}

func (m *apdModel) pnl(s *contract.Spec, qty, entry, exit *apd.Decimal) *apd.Decimal {
	d := m.mul(m.mul(m.sub(exit, entry), qty), &s.Multiplier)
	if s.Kind != contract.Inverse {
		return d
	}
	return m.quo(d, m.mul(entry, exit))
}

func (m *apdModel) toMinor(s *contract.Spec, x *apd.Decimal) *apd.Decimal {
	if s.Minor.IsZero() {
		return x
	}
	return m.round(x, &s.Minor)
}

func (m *apdModel) avgEntry(s *contract.Spec, fills []contract.Fill) *apd.Decimal {
	sumN, sumW := new(apd.Decimal), new(apd.Decimal)
	for i := range fills {
		var w *apd.Decimal
		if s.Kind == contract.Inverse {
			w = m.quo(&fills[i].Qty, &fills[i].Price)
		} else {
			w = m.mul(&fills[i].Qty, &fills[i].Price)
		}
		sumW = m.add(sumW, abs(w))
		sumN = m.add(sumN, abs(&fills[i].Qty))
	}
	if s.Kind == contract.Inverse {
		return m.quo(sumN, sumW)
	}
	return m.quo(sumW, sumN)
}

// TestPropMatchesApd: in any context, every kernel gives what the same
// sequence of apd operations gives, to the representation (CmpTotal:
// coefficient and exponent), after the result gate; and the same error.
// (Before the number layer this compared a fast path with a slow one.)
func TestPropMatchesApd(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := dectest.AnyContext(t)
		var s *contract.Spec
		var qty, entry, mark *apd.Decimal
		if rapid.Bool().Draw(t, "wideInputs") {
			s = wideSpec().Draw(t, "spec")
			qty, entry, mark = draw(t, dectest.Qty(), "qty"), draw(t, dectest.Price(), "entry"), draw(t, dectest.Price(), "mark")
		} else {
			s = exchangeSpec().Draw(t, "spec")
			qty, entry, mark = size(t, s, "qty"), price(t, s, "entry"), price(t, s, "mark")
		}
		if rapid.Bool().Draw(t, "minor") {
			s.Minor.SetFinite(1, -rapid.Int32Range(0, 8).Draw(t, "minorPlaces"))
		}
		rate := draw(t, dectest.Rate(999_999), "rate")
		fills := sameSideFills(t, s)
		kernels := []struct {
			name  string
			fn    func(z *apd.Decimal) error
			model func(m *apdModel) *apd.Decimal
		}{
			{
				"Value", func(z *apd.Decimal) error { return s.Value(ctx, z, qty, mark) },
				func(m *apdModel) *apd.Decimal { return m.value(s, qty, mark) },
			},
			{
				"PnL", func(z *apd.Decimal) error { return s.PnL(ctx, z, qty, entry, mark) },
				func(m *apdModel) *apd.Decimal { return m.pnl(s, qty, entry, mark) },
			},
			{
				"Fee", func(z *apd.Decimal) error { return s.Fee(ctx, z, qty, mark, rate) },
				func(m *apdModel) *apd.Decimal { return m.toMinor(s, m.mul(m.value(s, qty, mark), rate)) },
			},
			{
				"Cost", func(z *apd.Decimal) error { return s.Cost(ctx, z, qty, mark) },
				func(m *apdModel) *apd.Decimal { return m.toMinor(s, m.value(s, qty, mark)) },
			},
			{
				"AvgEntry", func(z *apd.Decimal) error { return s.AvgEntry(ctx, z, fills) },
				func(m *apdModel) *apd.Decimal { return m.avgEntry(s, fills) },
			},
		}
		for _, k := range kernels {
			var got apd.Decimal
			err := k.fn(&got)
			m := &apdModel{ctx: ctx}
			want, wantErr := m.gate(k.model(m))
			if !modelError(err, wantErr) {
				t.Fatalf("%s: error %v, apd %v", k.name, err, wantErr)
			}
			if err == nil && got.CmpTotal(want) != 0 {
				t.Fatalf("%s = %s, apd %s", k.name, &got, want)
			}
		}
	})
}

// TestPropApplyAnyContext: in any context, Apply along a path of fills
// either fails and leaves the position as it was, or leaves four valid
// inputs.
func TestPropApplyAnyContext(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := dectest.AnyContext(t)
		s := exchangeSpec().Draw(t, "spec")
		s.Tick.SetFinite(1, -4)
		s.Lot.SetFinite(1, -3)
		path := pathFills(t, s)
		var p contract.Position
		for i := range path {
			var before contract.Position
			before.Set(&p)
			err := s.Apply(ctx, &p, &path[i])
			if err != nil {
				if !samePosition(&before, &p) {
					t.Fatalf("Apply %d failed (%v) and changed the position", i, err)
				}
				continue
			}
			for j, x := range []*apd.Decimal{&p.Qty, &p.Entry, &p.Realised, &p.Fees} {
				if err := derivmath.CheckDecimal(x); err != nil {
					t.Fatalf("Apply %d: field %d = %s: %v", i, j, x, err)
				}
			}
		}
	})
}

// modelError reports whether err is the model's error: nil, the same
// sentinel, or apd's failure wrapped with the operation's name.
func modelError(err, model error) bool {
	if err == nil || model == nil {
		return err == nil && model == nil
	}
	for _, s := range sentinels {
		if errors.Is(model, s) {
			return errors.Is(err, s) && errors.Unwrap(err) == nil
		}
	}
	u := errors.Unwrap(err)
	return u != nil && u.Error() == model.Error()
}

// sgn is x's sign, as an int.
func sgn(x *apd.Decimal) int { return x.Sign() }

// monotone gives, for each case of aliasCases, the direction of its
// result in each operand for spec s at operands v: +1 never falls as
// the operand grows, -1 never rises, 0 no order. A direction that depends
// on the operands (the side, the kind, which of entry and exit is higher)
// is computed from them.
var monotone = map[string]func(s *contract.Spec, v []*apd.Decimal) []int{
	// |qty|*m*P or |qty|*m/P.
	"Value": func(s *contract.Spec, v []*apd.Decimal) []int { return []int{sgn(v[0]), byKind(s, +1)} },
	"Cost":  func(s *contract.Spec, v []*apd.Decimal) []int { return []int{sgn(v[0]), byKind(s, +1)} },
	// The price of a value: value/(|qty|*m) or |qty|*m/value.
	"Price": func(s *contract.Spec, v []*apd.Decimal) []int {
		return []int{-sgn(v[0]) * byKind(s, +1), byKind(s, +1)}
	},
	// qty*m*(exit - entry) or qty*m*(1/entry - 1/exit).
	"PnL":        func(_ *contract.Spec, v []*apd.Decimal) []int { return pnlOrder(v) },
	"Unrealised": func(_ *contract.Spec, v []*apd.Decimal) []int { return pnlOrder(v) },
	// rate*value(price).
	"Fee": func(s *contract.Spec, v []*apd.Decimal) []int {
		return []int{sgn(v[0]) * sgn(v[2]), sgn(v[2]) * byKind(s, +1), +1}
	},
	// s*lev*(mark - entry)/entry or /mark: not in the size.
	"ROE": func(_ *contract.Spec, v []*apd.Decimal) []int {
		d := new(apd.Decimal)
		_, _ = dectest.Oracle().Sub(d, v[2], v[1])
		return []int{0, -sgn(v[0]), sgn(v[0]), sgn(v[0]) * d.Sign()}
	},
	// entry*(1 + s*f1)/(1 - s*f2) (inverse: the fees swapped): rising in
	// the entry, and in both fees for a long, falling for a short.
	"BreakEven": func(_ *contract.Spec, v []*apd.Decimal) []int {
		return []int{0, +1, sgn(v[0]), sgn(v[0])}
	},
	// The mean (linear) or harmonic mean (inverse) of fills on one side:
	// rising in each price.
	"AvgEntry": func(_ *contract.Spec, v []*apd.Decimal) []int {
		if sgn(v[0]) != sgn(v[2]) {
			return []int{0, 0, 0, 0}
		}
		return []int{0, +1, 0, +1}
	},
}

// byKind is dir for linear and quanto contracts, -dir for inverse ones.
func byKind(s *contract.Spec, dir int) int {
	if s.Kind == contract.Inverse {
		return -dir
	}
	return dir
}

// pnlOrder is the order of PnL(qty, entry, exit): in qty as exit - entry,
// against entry and with exit on the position's side.
func pnlOrder(v []*apd.Decimal) []int {
	return []int{v[2].Cmp(v[1]), -sgn(v[0]), sgn(v[0])}
}

// TestPropMonotone: each z-first function of aliasCases is ordered in each
// operand as monotone says. Two operand lists are drawn; the second's
// operand i replaces the first's, and where the direction is the same at
// both lists, the results keep the operands' order.
func TestPropMonotone(t *testing.T) {
	for _, c := range aliasCases() {
		dirs, ok := monotone[c.name]
		if !ok {
			t.Fatalf("%s: no directions in monotone", c.name)
		}
		t.Run(c.name, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				s := exchangeSpec().Draw(t, "spec")
				a, b := c.vals(t, s), c.vals(t, s)
				i := rapid.IntRange(0, len(a)-1).Draw(t, "operand")
				b2 := slices.Clone(a)
				b2[i] = b[i]
				dir := dirs(s, a)[i]
				if dir != dirs(s, b2)[i] {
					dir = 0 // the order changes between the two: none
				}
				result := func(vals []*apd.Decimal) *apd.Decimal {
					_, call := c.bind(s, vals, false)
					var z apd.Decimal
					must(t, c.name, call(&z))
					return &z
				}
				za, zb := result(a), result(b2)
				if cx, cz := a[i].Cmp(b2[i]), za.Cmp(zb); dir != 0 && cz != 0 && cz != cx*dir {
					t.Fatalf("%s operand %d: %s gives %s, %s gives %s (direction %+d)", s.Kind, i, a[i], za, b2[i], zb, dir)
				}
			})
		})
	}
}
