package num

import (
	"math/bits"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"pgregory.net/rapid"
)

// TestCutMatchesApd checks Cut against CheckPrice and apd's Cmp: over
// random thresholds (small, wide, of any sign, at any exponent) and marks
// (many digits, other exponents, wide, zero, negative, -0, NaN, infinite,
// and the threshold itself written at another exponent), a Cut answers
// only for a valid price at its exponent, then as apd's Cmp does; and it
// answers whenever it can.
func TestCutMatchesApd(t *testing.T) {
	var answered int
	rapid.Check(t, func(t *rapid.T) {
		base := int32(rapid.IntRange(-30, 30).Draw(t, "base"))
		pa := genOperand(t, "p", base)
		if pa.Form != apd.Finite {
			pa.Form = apd.Finite // a threshold is a number
		}
		if rapid.IntRange(0, 3).Draw(t, "keepSign") != 0 {
			pa.Negative = false // mostly a price
		}
		p := Load(pa)
		var x *apd.Decimal
		switch rapid.IntRange(0, 2).Draw(t, "markKind") {
		case 0, 1:
			// The threshold itself, written with k more digits, or
			// truncated to -k fewer.
			x = new(apd.Decimal).Set(pa)
			x.Negative = false
			k := rapid.IntRange(-25, 19).Draw(t, "k")
			if k > 0 {
				x.Coeff.Mul(&x.Coeff, apd.NewBigInt(int64(pow10[k])))
			} else if k < 0 {
				d := new(apd.BigInt).Exp(apd.NewBigInt(10), apd.NewBigInt(int64(-k)), nil)
				x.Coeff.Quo(&x.Coeff, d)
			}
			x.Exponent -= int32(k)
			// One unit of the last place more or less, sometimes.
			switch rapid.IntRange(0, 2).Draw(t, "nudge") {
			case 1:
				x.Coeff.Add(&x.Coeff, apd.NewBigInt(1))
			case 2:
				if x.Coeff.Sign() > 0 {
					x.Coeff.Sub(&x.Coeff, apd.NewBigInt(1))
				}
			}
		default:
			x = genOperand(t, "x", p.Exponent()+int32(rapid.IntRange(-25, 25).Draw(t, "shift")))
		}
		e := x.Exponent
		if rapid.IntRange(0, 4).Draw(t, "otherExp") == 0 {
			e = int32(rapid.IntRange(-110, 110).Draw(t, "e"))
		}
		cut := CutAt(p, e)
		got, ok := cut.CmpPrice(x)

		_, err := checkPrice(x)
		if ok {
			answered++
			if err != nil || x.Exponent != e {
				t.Fatalf("CutAt(%s, %d).CmpPrice(%s) answered; CheckPrice: %v", pa, e, x, err)
			}
			if want := x.Cmp(pa); got != want {
				t.Fatalf("CutAt(%s, %d).CmpPrice(%s) = %d, want %d", pa, e, x, got, want)
			}
			return
		}
		// It declines only a mark that is not a valid price in a word at
		// e, or a threshold that is wide or whose value at e is more than
		// a word.
		if _, inl := inlineWord(x); err != nil || !inl || x.Exponent != e || p.big != nil || p.neg || p.c == 0 {
			return
		}
		if s := p.e - e; s >= 0 {
			if hi, _ := bits.Mul64(p.c, pow10pad[s&31]); s >= 20 || hi != 0 {
				return
			}
		}
		t.Fatalf("CutAt(%s, %d).CmpPrice(%s) declined", pa, e, x)
	})
	if answered == 0 {
		t.Error("no Cut answered")
	}
}

// TestCutWithin checks Cut.Within: a Cut narrowed to one side of g
// answers as it did for the prices on that side and declines the others;
// it declines every price only where g has no Cut at its exponent.
func TestCutWithin(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		e := int32(rapid.IntRange(-12, 4).Draw(t, "e"))
		word := func(label string, lo uint64) Dec {
			return Dec{c: rapid.Uint64Range(lo, 1e12).Draw(t, label), e: e + int32(rapid.IntRange(-3, 3).Draw(t, label+"Shift"))}
		}
		p, g := word("p", 1), word("g", 0)
		above := rapid.Bool().Draw(t, "above")
		x := apd.New(int64(rapid.Uint64Range(0, 2e12).Draw(t, "x")), e)
		whole := CutAt(p, e)
		cut := whole
		cut.Within(g, above)
		want, wok := whole.CmpPrice(x)
		side := x.Cmp(g.apd(new(apd.Decimal)))
		if !above {
			side = -side
		}
		got, ok := cut.CmpPrice(x)
		switch {
		case ok && (!wok || got != want || side < 0):
			t.Fatalf("CutAt(%s, %d) within %s (above %v): CmpPrice(%s) = %d, %v; whole Cut %d, %v", p, e, g, above, x, got, ok, want, wok)
		case !ok && wok && side >= 0 && CutAt(g, e).ok:
			t.Fatalf("CutAt(%s, %d) within %s (above %v) declined %s", p, e, g, above, x)
		}
	})
}

// TestCutWithinEdges checks Cut.Within at its edges, which draws seldom
// reach: the price at g itself, a side of one price, a g between two
// prices, and a g with no Cut at the exponent, where every price is
// declined.
func TestCutWithinEdges(t *testing.T) {
	tests := []struct {
		g     Dec
		above bool
		x     int64
		ok    bool
	}{
		{New(25, 0), true, 24, false},
		{New(25, 0), true, 25, true},
		{New(25, 0), false, 25, true},
		{New(25, 0), false, 26, false},
		{New(1, 0), false, 1, true},
		{New(1, 0), false, 2, false},
		{New(25, -1), true, 2, false},
		{New(25, -1), true, 3, true},
		{New(25, -1), false, 2, true},
		{New(25, -1), false, 3, false},
		{New(1, 25), true, 7, false},
		{New(1, 25), false, 7, false},
	}
	for _, tt := range tests {
		cut := CutAt(New(5, 0), 0)
		cut.Within(tt.g, tt.above)
		x := apd.New(tt.x, 0)
		got, ok := cut.CmpPrice(x)
		if ok != tt.ok || ok && got != x.Cmp(apd.New(5, 0)) {
			t.Errorf("CutAt(5, 0) within %s (above %v): CmpPrice(%s) = %d, %v; want ok %v", tt.g, tt.above, x, got, ok, tt.ok)
		}
	}
}

// TestCutZero checks that the zero Cut declines.
func TestCutZero(t *testing.T) {
	var cut Cut
	x := apd.New(1, 0)
	if _, ok := cut.CmpPrice(x); ok {
		t.Error("the zero Cut answered")
	}
}
