package markindex

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/liquidation"
)

// TestTrigger checks the key trigger gives each solve, in units of 1: one
// unit wider than Below (a long, price below the mark) or Above (a short,
// price above it), Now when the account is liquidatable at the mark, at
// every price, or at a price equal to the mark, and Now for a short whose
// widened key would have no unit left to fire at.
func TestTrigger(t *testing.T) {
	x, err := New(dectest.MustParse(t, "1"), Deepest)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		st      liquidation.Status
		p, mark string
		liq     bool
		want    Key
	}{
		{liquidation.Found, "95", "100", true, Now()},
		{liquidation.Always, "0", "100", false, Now()},
		{liquidation.Never, "0", "100", false, Key{}},
		{liquidation.Found, "95", "100", false, Key{Lo: 96}},
		{liquidation.Found, "95.5", "100", false, Key{Lo: 97}},
		{liquidation.Found, "105", "100", false, Key{Hi: 104}},
		{liquidation.Found, "104.5", "100", false, Key{Hi: 103}},
		// The price is the mark, not liquidatable there (a strict
		// comparison): the next move either way may liquidate.
		{liquidation.Found, "100", "100", false, Now()},
		// A short's price in [2, 3) units keeps one unit; in [1, 2), where
		// Hi would be 0 (never), it fires at once.
		{liquidation.Found, "2.5", "0.5", false, Key{Hi: 1}},
		{liquidation.Found, "2", "0.5", false, Key{Hi: 1}},
		{liquidation.Found, "1.5", "0.5", false, Now()},
		{liquidation.Found, "1", "0.5", false, Now()},
	} {
		var p apd.Decimal
		if c.st == liquidation.Found {
			p.Set(dectest.MustParse(t, c.p))
		}
		k, err := x.trigger(c.st, &p, dectest.MustParse(t, c.mark), c.liq)
		if err != nil || k != c.want {
			t.Errorf("%v %s at mark %s, liquidatable %v: %+v, %v; want %+v", c.st, c.p, c.mark, c.liq, k, err, c.want)
		}
	}
}

// TestUpsertStored checks the keys the Index stores: a key that fires at
// every mark (Lo at least Hi) is stored as Now, and an Upsert of the zero
// Key removes the entry from the count and the lookup as well as the trees.
func TestUpsertStored(t *testing.T) {
	x, err := New(dectest.MustParse(t, "1"), Deepest)
	if err != nil {
		t.Fatal(err)
	}
	x.Upsert(1, Key{Lo: 5, Hi: 5})
	if k, ok := x.Key(1); !ok || k != Now() {
		t.Errorf("Lo = Hi = 5 stored as %+v, %v; want Now", k, ok)
	}
	if k := (Key{Lo: 5}).Or(Key{Hi: 5}); k != Now() {
		t.Errorf("Or of Lo 5 and Hi 5: %+v, want Now", k)
	}
	x.Upsert(2, Key{Lo: 3})
	x.Upsert(2, Key{})
	if k, ok := x.Key(2); ok || x.Len() != 1 {
		t.Errorf("after Upsert of the zero Key: Key %+v, %v, Len %d; want absent, 1", k, ok, x.Len())
	}
	if hits := x.TickUnits(1, nil); len(hits) != 1 || hits[0] != 1 {
		t.Errorf("tick at 1 unit: %v, want [1]", hits)
	}
}
