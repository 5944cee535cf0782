package margin_test

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/margin"
	"pgregory.net/rapid"
)

// The properties of the account figures: Position, Ratio, Available and
// Order. Each is compared with its documented formula recomputed on the
// 50-digit oracle and then rounded as documented ("each operation rounds
// once to the context's precision", in the context's rounding), in the
// default context and in contexts of 10 to 19 digits with every rounding
// the kernels implement; then the identities and monotonicity the
// documentation implies.
//
// The oracle's own rounding never changes a result: its sums and products
// of the drawn inputs are exact (checked), and its quotients x/y have y
// below 10^16, so an inexact quotient lies at least 1/(2y) of a unit in
// its 19th digit from every 19-digit number and every midpoint between
// two, far more than the 10^-31 of that unit by which rounding to 50
// digits moves it.

// accountRounders are the roundings the kernels implement (num.Mode).
var accountRounders = []apd.Rounder{
	apd.RoundHalfEven, apd.RoundHalfUp, apd.RoundHalfDown, apd.RoundDown,
	apd.RoundUp, apd.RoundFloor, apd.RoundCeiling, apd.Round05Up,
}

// drawContext draws the default context, or one of 10 to 19 digits in any
// rounding.
func drawContext(t *rapid.T) *apd.Context {
	if rapid.Bool().Draw(t, "defaultCtx") {
		return derivmath.NewContext()
	}
	ctx := apd.BaseContext.WithPrecision(uint32(rapid.IntRange(10, 19).Draw(t, "precision")))
	ctx.Rounding = rapid.SampledFrom(accountRounders).Draw(t, "rounding")
	return ctx
}

// acctOracle recomputes the account figures: exact (or 50-digit) steps,
// each rounded once as ctx rounds.
type acctOracle struct {
	t   *rapid.T
	o   *apd.Context // 50 digits
	ctx *apd.Context // the context under test, for its precision and rounding
}

func newAcctOracle(t *rapid.T, ctx *apd.Context) *acctOracle {
	return &acctOracle{t: t, o: dectest.Oracle(), ctx: ctx}
}

// exact fails the test if an oracle step that must be exact was not.
func (a *acctOracle) exact(what string, cond apd.Condition, err error) {
	if err != nil {
		a.t.Fatalf("oracle %s: %v", what, err)
	}
	if cond.Inexact() {
		a.t.Fatalf("oracle %s is inexact at 50 digits: the inputs are too wide for the oracle", what)
	}
}

// round returns x rounded once to ctx's precision in ctx's rounding.
func (a *acctOracle) round(x *apd.Decimal) apd.Decimal {
	var z apd.Decimal
	r := apd.BaseContext.WithPrecision(a.ctx.Precision)
	r.Rounding = a.ctx.Rounding
	if _, err := r.Round(&z, x); err != nil {
		a.t.Fatalf("oracle round %s: %v", x, err)
	}
	return z
}

func (a *acctOracle) add(x, y *apd.Decimal) apd.Decimal {
	var z apd.Decimal
	c, err := a.o.Add(&z, x, y)
	a.exact("add", c, err)
	return a.round(&z)
}

func (a *acctOracle) sub(x, y *apd.Decimal) apd.Decimal {
	var z apd.Decimal
	c, err := a.o.Sub(&z, x, y)
	a.exact("sub", c, err)
	return a.round(&z)
}

// quo is x/y at 50 digits, rounded once (see the file comment).
func (a *acctOracle) quo(x, y *apd.Decimal) apd.Decimal {
	var z apd.Decimal
	if _, err := a.o.Quo(&z, x, y); err != nil {
		a.t.Fatalf("oracle quo: %v", err)
	}
	return a.round(&z)
}

// position: value/leverage + reserve, two roundings.
func (a *acctOracle) position(value, lev, reserve *apd.Decimal) apd.Decimal {
	q := a.quo(value, lev)
	return a.add(&q, reserve)
}

// ratio: maint/balance, one rounding.
func (a *acctOracle) ratio(maint, balance *apd.Decimal) apd.Decimal { return a.quo(maint, balance) }

// available: max(0, wallet + upnl - used), two roundings.
func (a *acctOracle) available(wallet, upnl, used *apd.Decimal) apd.Decimal {
	s := a.add(wallet, upnl)
	z := a.sub(&s, used)
	if z.Negative {
		return apd.Decimal{}
	}
	return z
}

// order is Order's margin from its documented rules, written out: the
// margin price by side, the opening quantity, value(opening, price)
// rounded once (N*m is exact here), over leverage rounded once.
func (a *acctOracle) order(s *contract.Spec, position, qty, limit, best, lev *apd.Decimal) apd.Decimal {
	sell := qty.Negative
	price := limit
	if !best.IsZero() {
		// A sell is margined at max(limit, best bid), a buy at
		// min(limit, best ask), whatever the contract's kind.
		if sell == (best.Cmp(limit) > 0) {
			price = best
		}
	}
	var open apd.Decimal
	open.Abs(qty)
	if !position.IsZero() && position.Negative != sell {
		var held apd.Decimal
		held.Abs(position)
		c, err := a.o.Sub(&open, &open, &held)
		a.exact("opening", c, err)
	}
	if open.Sign() <= 0 {
		return apd.Decimal{}
	}
	var v apd.Decimal
	c, err := a.o.Mul(&v, &open, &s.Multiplier)
	a.exact("N*m", c, err)
	if v.NumDigits() > int64(a.ctx.Precision) {
		a.t.Fatalf("N*m = %s is not exact at %d digits: the generator is too wide", &v, a.ctx.Precision)
	}
	if s.Kind == contract.Inverse {
		_, err = a.o.Quo(&v, &v, price)
	} else {
		c, err = a.o.Mul(&v, &v, price)
		a.exact("N*m*P", c, err)
	}
	if err != nil {
		a.t.Fatal(err)
	}
	v = a.round(&v)
	return a.quo(&v, lev)
}

// amount draws a decimal in [0, 10^15] with up to 8 decimal places (15
// digits at most), zero now and then.
func amount(t *rapid.T, label string) apd.Decimal {
	var x apd.Decimal
	x.SetFinite(rapid.Int64Range(0, 1_000_000_000_000_000).Draw(t, label), -rapid.Int32Range(0, 8).Draw(t, label+"Scale"))
	return x
}

// signedAmount draws an amount of either sign.
func signedAmount(t *rapid.T, label string) apd.Decimal {
	x := amount(t, label)
	x.Negative = !x.IsZero() && rapid.Bool().Draw(t, label+"Neg")
	return x
}

// positiveAmount draws an amount above zero.
func positiveAmount(t *rapid.T, label string) apd.Decimal {
	var x apd.Decimal
	x.SetFinite(rapid.Int64Range(1, 1_000_000_000_000_000).Draw(t, label), -rapid.Int32Range(0, 8).Draw(t, label+"Scale"))
	return x
}

// plus returns x + y on the oracle, exactly.
func plus(t *rapid.T, x, y *apd.Decimal) apd.Decimal {
	var z apd.Decimal
	c, err := dectest.Oracle().Add(&z, x, y)
	if err != nil || c.Inexact() {
		t.Fatalf("%s + %s: %v %v", x, y, c, err)
	}
	return z
}

// TestPositionProperties: Position is value/leverage + reserve as the
// oracle rounds it; with no reserve it is Initial; it never decreases with
// value or reserve nor increases with leverage.
func TestPositionProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := drawContext(t)
		a := newAcctOracle(t, ctx)
		value, reserve := amount(t, "value"), amount(t, "reserve")
		lev := leverage(t)
		var got apd.Decimal
		if err := margin.Position(ctx, &got, &value, &lev, &reserve); err != nil {
			t.Fatal(err)
		}
		if want := a.position(&value, &lev, &reserve); got.Cmp(&want) != 0 {
			t.Fatalf("Position(%s, %s, %s) = %s, oracle %s (precision %d, %s)", &value, &lev, &reserve, &got, &want, ctx.Precision, ctx.Rounding)
		}
		if got.Negative {
			t.Fatalf("Position = %s < 0", &got)
		}

		var init, bare apd.Decimal
		if err := margin.Initial(ctx, &init, &value, &lev); err != nil {
			t.Fatal(err)
		}
		if err := margin.Position(ctx, &bare, &value, &lev, dectest.D("0")); err != nil {
			t.Fatal(err)
		}
		if bare.Cmp(&init) != 0 {
			t.Fatalf("Position with no reserve = %s, Initial = %s", &bare, &init)
		}

		dv, dr := amount(t, "moreValue"), amount(t, "moreReserve")
		value2, reserve2 := plus(t, &value, &dv), plus(t, &reserve, &dr)
		var lev2 apd.Decimal
		lev2.SetFinite(rapid.Int64Range(0, 10_000).Draw(t, "moreLev"), -2)
		lev2 = plus(t, &lev, &lev2)
		var bigger, lower apd.Decimal
		if err := margin.Position(ctx, &bigger, &value2, &lev, &reserve2); err != nil {
			t.Fatal(err)
		}
		if err := margin.Position(ctx, &lower, &value, &lev2, &reserve); err != nil {
			t.Fatal(err)
		}
		if bigger.Cmp(&got) < 0 {
			t.Fatalf("Position falls from %s to %s as value and reserve grow to %s, %s", &got, &bigger, &value2, &reserve2)
		}
		if lower.Cmp(&got) > 0 {
			t.Fatalf("Position rises from %s to %s as leverage grows from %s to %s", &got, &lower, &lev, &lev2)
		}
	})
}

// TestRatioProperties: Ratio is maint/balance correctly rounded; it rises
// with maint and falls with balance; it is 0 with no maint and 1 at
// maint = balance; and in the default context it reaches 1 exactly when
// the maintenance margin of a position (Maintenance) reaches its balance
// (Position's margin plus uPnL), the documented liquidation point.
func TestRatioProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := drawContext(t)
		a := newAcctOracle(t, ctx)
		maint, balance := amount(t, "maint"), positiveAmount(t, "balance")
		var got apd.Decimal
		if err := margin.Ratio(ctx, &got, &maint, &balance); err != nil {
			t.Fatal(err)
		}
		if want := a.ratio(&maint, &balance); got.Cmp(&want) != 0 {
			t.Fatalf("Ratio(%s, %s) = %s, oracle %s (precision %d, %s)", &maint, &balance, &got, &want, ctx.Precision, ctx.Rounding)
		}
		if got.Negative {
			t.Fatalf("Ratio = %s < 0", &got)
		}

		dm, db := amount(t, "moreMaint"), amount(t, "moreBalance")
		maint2, balance2 := plus(t, &maint, &dm), plus(t, &balance, &db)
		var up, down, one, zero apd.Decimal
		if err := margin.Ratio(ctx, &up, &maint2, &balance); err != nil {
			t.Fatal(err)
		}
		if err := margin.Ratio(ctx, &down, &maint, &balance2); err != nil {
			t.Fatal(err)
		}
		if up.Cmp(&got) < 0 || down.Cmp(&got) > 0 {
			t.Fatalf("Ratio(%s, %s) = %s, but Ratio(%s, ...) = %s and Ratio(..., %s) = %s", &maint, &balance, &got, &maint2, &up, &balance2, &down)
		}
		if err := margin.Ratio(ctx, &one, &balance, &balance); err != nil {
			t.Fatal(err)
		}
		if err := margin.Ratio(ctx, &zero, dectest.D("0"), &balance); err != nil {
			t.Fatal(err)
		}
		if one.Cmp(dectest.D("1")) != 0 || !zero.IsZero() || zero.Negative {
			t.Fatalf("Ratio(b, b) = %s, Ratio(0, b) = %s", &one, &zero)
		}

		// An isolated position: balance = position margin + uPnL, maint =
		// value*MMR. Ratio >= 1 iff maint >= balance.
		def := derivmath.NewContext()
		value := amount(t, "value")
		lev := leverage(t)
		var mmr apd.Decimal
		mmr.SetFinite(rapid.Int64Range(0, 99_999).Draw(t, "mmr"), -5)
		reserve := amount(t, "reserve")
		upnl := signedAmount(t, "upnl")
		var pm, mm, bal, r apd.Decimal
		if err := margin.Position(def, &pm, &value, &lev, &reserve); err != nil {
			t.Fatal(err)
		}
		if err := margin.Maintenance(def, &mm, &value, &mmr, dectest.D("0")); err != nil {
			t.Fatal(err)
		}
		bal = plus(t, &pm, &upnl)
		err := margin.Ratio(def, &r, &mm, &bal)
		if bal.Sign() <= 0 {
			if err == nil {
				t.Fatalf("Ratio with balance %s: no error", &bal)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if bal.NumDigits() > 15 {
			return // the threshold below needs a balance of at most 15 digits
		}
		if liq := r.Cmp(dectest.D("1")) >= 0; liq != (mm.Cmp(&bal) >= 0) {
			t.Fatalf("maint %s, balance %s: ratio %s", &mm, &bal, &r)
		}
	})
}

// small draws a decimal of either sign (or, if nonNeg, not negative) with
// up to 14 digits and 2 decimal places: sums of three are exact at 19.
func small(t *rapid.T, label string, nonNeg bool) apd.Decimal {
	var x apd.Decimal
	x.SetFinite(rapid.Int64Range(0, 100_000_000_000_000).Draw(t, label), -rapid.Int32Range(0, 2).Draw(t, label+"Scale"))
	x.Negative = !nonNeg && !x.IsZero() && rapid.Bool().Draw(t, label+"Neg")
	return x
}

// TestAvailableProperties: Available is max(0, wallet + upnl - used) as
// the oracle rounds it; it is never negative (nor -0); it never falls as
// wallet or upnl grow nor rises as used grows; and, where the arithmetic
// is exact, holding used1 + used2 leaves what holding used2 leaves out of
// the balance available after used1.
func TestAvailableProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := drawContext(t)
		a := newAcctOracle(t, ctx)
		wallet, upnl, used := signedAmount(t, "wallet"), signedAmount(t, "upnl"), amount(t, "used")
		var got apd.Decimal
		if err := margin.Available(ctx, &got, &wallet, &upnl, &used); err != nil {
			t.Fatal(err)
		}
		if want := a.available(&wallet, &upnl, &used); got.Cmp(&want) != 0 {
			t.Fatalf("Available(%s, %s, %s) = %s, oracle %s (precision %d, %s)", &wallet, &upnl, &used, &got, &want, ctx.Precision, ctx.Rounding)
		}
		if got.Negative {
			t.Fatalf("Available = %s: negative", &got)
		}

		dw, du, dh := amount(t, "moreWallet"), amount(t, "moreUpnl"), amount(t, "moreUsed")
		wallet2, upnl2, used2 := plus(t, &wallet, &dw), plus(t, &upnl, &du), plus(t, &used, &dh)
		var more, less apd.Decimal
		if err := margin.Available(ctx, &more, &wallet2, &upnl2, &used); err != nil {
			t.Fatal(err)
		}
		if err := margin.Available(ctx, &less, &wallet, &upnl, &used2); err != nil {
			t.Fatal(err)
		}
		if more.Cmp(&got) < 0 || less.Cmp(&got) > 0 {
			t.Fatalf("Available(%s, %s, %s) = %s, but %s with more wallet and upnl, %s with more used", &wallet, &upnl, &used, &got, &more, &less)
		}

		def := derivmath.NewContext()
		w, u := small(t, "w", false), small(t, "u", false)
		h1, h2 := small(t, "h1", true), small(t, "h2", true)
		h := plus(t, &h1, &h2)
		var all, first, then apd.Decimal
		if err := margin.Available(def, &all, &w, &u, &h); err != nil {
			t.Fatal(err)
		}
		if err := margin.Available(def, &first, &w, &u, &h1); err != nil {
			t.Fatal(err)
		}
		if err := margin.Available(def, &then, &first, dectest.D("0"), &h2); err != nil {
			t.Fatal(err)
		}
		if all.Cmp(&then) != 0 {
			t.Fatalf("Available(%s, %s, %s + %s) = %s, but %s after %s, then %s", &w, &u, &h1, &h2, &all, &first, &h1, &then)
		}
	})
}

// drawOrder draws Order's inputs: a position (flat half the time), an
// order, a limit, a touch (none a quarter of the time) and a leverage.
func drawOrder(t *rapid.T, s *contract.Spec) (position, qty, limit, best, lev apd.Decimal) {
	if rapid.Bool().Draw(t, "held") {
		position = lotQty(t, s, "position")
	}
	qty = lotQty(t, s, "qty")
	limit = dectest.Price().Draw(t, "limit")
	if rapid.IntRange(0, 3).Draw(t, "touch") > 0 {
		best = dectest.Price().Draw(t, "best")
		if rapid.IntRange(0, 4).Draw(t, "atLimit") == 0 {
			best.Set(&limit)
		}
	}
	return position, qty, limit, best, leverage(t)
}

// TestOrderProperties: Order is the documented margin, recomputed: the
// price max(limit, bid) for a sell and min(limit, ask) for a buy, on every
// kind of contract, the limit with no touch; the opening part of the
// order; value over leverage, each rounded once. With a flat position and
// no touch it is Initial of the order's Value. It never falls as the order
// grows on its side, never rises with leverage or with a larger position
// on the other side; it does not depend on a position on its own side; a
// touch of 0 is a touch at the limit; and a higher limit never lowers a
// linear or quanto margin nor raises an inverse one.
func TestOrderProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := drawContext(t)
		a := newAcctOracle(t, ctx)
		s := drawSpec(t)
		position, qty, limit, best, lev := drawOrder(t, s)
		order := func(position, qty, limit, best, lev *apd.Decimal) apd.Decimal {
			var z apd.Decimal
			if err := margin.Order(ctx, &z, s, position, qty, limit, best, lev); err != nil {
				t.Fatalf("Order(%s, %s, %s, %s, %s) on %s: %v", position, qty, limit, best, lev, s.Symbol, err)
			}
			if z.Negative {
				t.Fatalf("Order = %s < 0", &z)
			}
			return z
		}
		var zero apd.Decimal
		got := order(&position, &qty, &limit, &best, &lev)
		if want := a.order(s, &position, &qty, &limit, &best, &lev); got.Cmp(&want) != 0 {
			t.Fatalf("Order(pos %s, qty %s, limit %s, best %s, lev %s) on %s = %s, oracle %s (precision %d, %s)",
				&position, &qty, &limit, &best, &lev, s.Symbol, &got, &want, ctx.Precision, ctx.Rounding)
		}

		if position.IsZero() && best.IsZero() {
			var v, init apd.Decimal
			if err := s.Value(ctx, &v, &qty, &limit); err != nil {
				t.Fatal(err)
			}
			if err := margin.Initial(ctx, &init, &v, &lev); err != nil {
				t.Fatal(err)
			}
			if got.Cmp(&init) != 0 {
				t.Fatalf("flat, no touch: Order = %s, Initial(Value) = %s", &got, &init)
			}
		}
		if best.IsZero() {
			if atLimit := order(&position, &qty, &limit, &limit, &lev); atLimit.Cmp(&got) != 0 {
				t.Fatalf("Order with no touch = %s, with the touch at the limit %s", &got, &atLimit)
			}
		} else {
			// The touch only chooses the price: max(limit, bid) for a
			// sell, min(limit, ask) for a buy, on every kind.
			price := &limit
			if qty.Negative == (best.Cmp(&limit) > 0) {
				price = &best
			}
			if at := order(&position, &qty, price, &zero, &lev); at.Cmp(&got) != 0 {
				t.Fatalf("%s (%s) qty %s, limit %s, touch %s: Order = %s, but %s at a limit of %s with no touch",
					s.Symbol, s.Kind, &qty, &limit, &best, &got, &at, price)
			}
		}

		// Larger on its own side, or more leverage.
		extra := lotQty(t, s, "extra")
		extra.Negative = qty.Negative
		qty2 := plus(t, &qty, &extra)
		var dl apd.Decimal
		dl.SetFinite(rapid.Int64Range(0, 10_000).Draw(t, "moreLev"), -2)
		lev2 := plus(t, &lev, &dl)
		if bigger := order(&position, &qty2, &limit, &best, &lev); bigger.Cmp(&got) < 0 {
			t.Fatalf("Order falls from %s to %s as qty grows from %s to %s", &got, &bigger, &qty, &qty2)
		}
		if lower := order(&position, &qty, &limit, &best, &lev2); lower.Cmp(&got) > 0 {
			t.Fatalf("Order rises from %s to %s as leverage grows from %s to %s", &got, &lower, &lev, &lev2)
		}

		// The position: ignored on the order's side, a discount on the
		// other, worth exactly the order shrunk by it.
		if !position.IsZero() && position.Negative == qty.Negative {
			if flat := order(&zero, &qty, &limit, &best, &lev); flat.Cmp(&got) != 0 {
				t.Fatalf("same-side position %s changes Order from %s to %s", &position, &flat, &got)
			}
		}
		if !position.IsZero() && position.Negative != qty.Negative {
			var size, held apd.Decimal
			size.Abs(&qty)
			held.Abs(&position)
			held.Negative = true
			rest := plus(t, &size, &held)
			if rest.Sign() <= 0 {
				if !got.IsZero() {
					t.Fatalf("an order %s that only reduces %s needs %s", &qty, &position, &got)
				}
			} else {
				rest.Negative = qty.Negative
				if shrunk := order(&zero, &rest, &limit, &best, &lev); shrunk.Cmp(&got) != 0 {
					t.Fatalf("Order(%s against %s) = %s, Order(%s flat) = %s", &qty, &position, &got, &rest, &shrunk)
				}
			}
			var away apd.Decimal // extra on the position's side
			away.Neg(&extra)
			larger := plus(t, &position, &away)
			if less := order(&larger, &qty, &limit, &best, &lev); less.Cmp(&got) > 0 {
				t.Fatalf("Order rises from %s to %s as the opposite position grows from %s to %s", &got, &less, &position, &larger)
			}
		}

		// A higher limit.
		var dp apd.Decimal
		dp.SetFinite(rapid.Int64Range(0, 100_000_000_000).Draw(t, "moreLimit"), -4)
		limit2 := plus(t, &limit, &dp)
		higher := order(&position, &qty, &limit2, &best, &lev)
		if c := higher.Cmp(&got); s.Kind == contract.Inverse && c > 0 || s.Kind != contract.Inverse && c < 0 {
			t.Fatalf("%s (%s): Order %s at limit %s, %s at %s", s.Symbol, s.Kind, &got, &limit, &higher, &limit2)
		}
	})
}
