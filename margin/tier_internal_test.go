package margin

import (
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/internal/dectest"
	"pgregory.net/rapid"
)

// TestTiersLoadedMatchGeneral: a table's lookups and maintenance on its
// loaded values give what the general path gives on the decimals, for
// notionals on, between and around the floors, at and past the limit, and
// invalid ones: the same tier, the same result to the representation, the
// same error.
func TestTiersLoadedMatchGeneral(t *testing.T) {
	rows := [...][3]string{
		{"0", "0.004", "0"},
		{"50000", "0.005", "50"},
		{"600000", "0.0065", "950"},
		{"3000000", "0.01", "11450"},
		{"12000000", "0.02", "131450"},
	}
	tiers := make([]Tier, len(rows))
	for i, r := range rows {
		tiers[i].Floor.Set(dectest.D(r[0]))
		tiers[i].MMR.Set(dectest.D(r[1]))
		tiers[i].Cum.Set(dectest.D(r[2]))
		tiers[i].MaxLeverage.Set(dectest.D("20"))
	}
	ctx := derivmath.NewContext()
	slow := derivmath.NewContext()
	slow.MaxExponent-- // not the default: apd does the arithmetic
	tables := func(t fataler, limited bool) (fast, general *Tiers) {
		var limit *apd.Decimal
		if limited {
			limit = dectest.D("20000000")
		}
		fast, err := NewTiers(tiers, limit)
		if err != nil {
			t.Fatal(err)
		}
		g := *fast
		g.loaded = nil // the general path
		return fast, &g
	}
	check := func(t fataler, fast, general *Tiers, x *apd.Decimal) {
		i, errF := fast.index(x)
		j, errG := general.index(x)
		if i != j || !sameErr(errF, errG) {
			t.Fatalf("index(%s) = %d, %v; general %d, %v", x, i, errF, j, errG)
		}
		var zf, zg apd.Decimal
		errF = fast.Maintenance(ctx, &zf, x)
		errG = general.Maintenance(slow, &zg, x)
		if !sameErr(errF, errG) || errF == nil && zf.String() != zg.String() {
			t.Fatalf("Maintenance(%s) = %s, %v; general %s, %v", x, &zf, errF, &zg, errG)
		}
	}
	// Every edge, exactly.
	for _, limited := range []bool{false, true} {
		fast, general := tables(t, limited)
		for _, s := range []string{"0", "49999.99", "50000", "50000.00", "600000", "19999999.9", "20000000", "20000000.0", "-1"} {
			check(t, fast, general, dectest.D(s))
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		fast, general := tables(t, rapid.Bool().Draw(t, "limited"))
		var x apd.Decimal
		switch rapid.IntRange(0, 3).Draw(t, "shape") {
		case 0: // a floor or the limit, written with trailing zeros, +-1 ulp
			f := rapid.SampledFrom([]string{"0", "50000", "600000", "3000000", "12000000", "20000000"}).Draw(t, "edge")
			k := int32(rapid.IntRange(0, 4).Draw(t, "zeros"))
			d := dectest.D(f)
			var c apd.BigInt
			c.Mul(&d.Coeff, apd.NewBigInt(int64(pow10[k])))
			c.Add(&c, apd.NewBigInt(rapid.Int64Range(-1, 1).Draw(t, "ulp")))
			x.Coeff.Set(&c)
			x.Exponent = -k
			x.Negative = x.Coeff.Sign() < 0
			x.Coeff.Abs(&x.Coeff)
		case 1:
			x = dectest.Positive(100_000_000_000, 4).Draw(t, "notional")
		case 2:
			x = dectest.Positive(100_000_000_000, 4).Draw(t, "notional")
			x.Negative = true
		default: // invalid: too many digits, out of range, negative zero
			x = *dectest.D(rapid.SampledFrom([]string{"12345678901234567890", "1E+37", "-0", "1E-40"}).Draw(t, "bad"))
		}
		check(t, fast, general, &x)
	})
}

// TestInitialLoadedMatchesGeneral: Initial on loaded values (the default
// context) gives what the general path gives, result and error, for
// leverages at and around 1 and values of either sign.
func TestInitialLoadedMatchesGeneral(t *testing.T) {
	ctx := derivmath.NewContext()
	slow := derivmath.NewContext()
	slow.MaxExponent-- // not the default: apd does the arithmetic
	rapid.Check(t, func(t *rapid.T) {
		v := dectest.Positive(100_000_000_000, 8).Draw(t, "value")
		v.Negative = rapid.Bool().Draw(t, "negative")
		l := *dectest.D(rapid.SampledFrom([]string{"1", "1.0", "0.999", "0", "-2", "125", "1E+37", "-0"}).Draw(t, "edge"))
		if rapid.Bool().Draw(t, "drawn") {
			l = dectest.Positive(1_000_000, 3).Draw(t, "leverage")
		}
		var zf, zg apd.Decimal
		errF := Initial(ctx, &zf, &v, &l)
		errG := Initial(slow, &zg, &v, &l)
		if !sameErr(errF, errG) || errF == nil && zf.String() != zg.String() {
			t.Fatalf("Initial(%s, %s) = %s, %v; general %s, %v", &v, &l, &zf, errF, &zg, errG)
		}
	})
}

// fataler is what the checks need of *testing.T and *rapid.T.
type fataler interface {
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

// sameErr reports whether a and b are both nil or match each other.
func sameErr(a, b error) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	var ta, tb *TierError
	if errors.As(a, &ta) || errors.As(b, &tb) {
		return errors.As(a, &ta) && errors.As(b, &tb) && a.Error() == b.Error()
	}
	return errors.Is(a, b) || a.Error() == b.Error()
}
