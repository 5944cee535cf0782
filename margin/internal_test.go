package margin

import (
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/internal/num"
	"pgregory.net/rapid"
)

// TestCeilQuo: ceilQuo is the exact ceiling, including where the quotient
// rounded to 19 digits would land on an integer just below the true one.
func TestCeilQuo(t *testing.T) {
	ctx := derivmath.NewContext()
	for _, c := range []struct{ x, y, want string }{
		{"3000000000000000001", "3", "1000000000000000001"}, // q rounds down to 10^18
		{"3000000000000000000", "3", "1000000000000000000"},
		{"2999999999999999999", "3", "1000000000000000000"},
		{"30", "150", "1"},
		{"300", "150", "2"},
		{"300.0000000000000001", "150", "3"},
		{"1E-30", "7", "1"},
		{"9999999999999999999", "0.1", ""}, // 10^20 steps: too many
	} {
		nc := num.In(ctx)
		n := ceilQuo(nc, num.Load(dectest.D(c.x)), num.Load(dectest.D(c.y)))
		if c.want == "" {
			if !errors.Is(nc.Err, derivmath.ErrRange) {
				t.Errorf("ceil(%s/%s) = %s, %v; want ErrRange", c.x, c.y, n, nc.Err)
			}
			continue
		}
		var z apd.Decimal
		n.Store(&z)
		if nc.Err != nil || z.Cmp(dectest.D(c.want)) != 0 {
			t.Errorf("ceil(%s/%s) = %s, %v; want %s", c.x, c.y, &z, nc.Err, c.want)
		}
	}
}

// TestCeilMul: ceilMul is the exact ceiling of the product whenever it
// fits, in any rounding of the context (Margin rounds toward +infinity,
// the account half-even), including products of more digits than the
// precision; a ceiling that does not fit is derivmath.ErrRange, recorded
// in the caller's context.
func TestCeilMul(t *testing.T) {
	for _, mode := range []apd.Rounder{apd.RoundCeiling, apd.RoundHalfEven} {
		ctx := *derivmath.NewContext()
		ctx.Rounding = mode
		for _, c := range []struct{ x, y, want string }{
			{"25426", "0.005", "128"}, // 127.13
			{"25426", "1", "25426"},
			{"3", "0.3333333333333333334", "2"}, // 1.0000000000000000002: 20 digits
			{"100000000", "0.3333333333333333", "33333334"},
			{"0", "0.5", "0"},
			{"1E-25", "1", "1"},
			{"12345678901234567890", "1.5", ""}, // 18518518351851851835: 20 digits
		} {
			nc := num.In(&ctx)
			d := ceilMul(nc, num.Load(dectest.D(c.x)), num.Load(dectest.D(c.y)))
			var z apd.Decimal
			d.Store(&z)
			switch {
			case c.want == "":
				if !errors.Is(nc.Err, derivmath.ErrRange) {
					t.Errorf("%s: ceil(%s*%s) = %s, %v; want ErrRange", mode, c.x, c.y, &z, nc.Err)
				}
			case nc.Err != nil || z.Cmp(dectest.D(c.want)) != 0 || z.Exponent != 0:
				t.Errorf("%s: ceil(%s*%s) = %s, %v; want %s", mode, c.x, c.y, &z, nc.Err, c.want)
			}
		}
	}
}

// TestWhole covers whole numbers written with any exponent, within and
// beyond int64.
func TestWhole(t *testing.T) {
	for _, c := range []struct {
		x    string
		want bool
	}{
		{"25426", true},
		{"25426.000", true},
		{"-25426.000", true},
		{"0.00025426", false},
		{"1E-25", false},
		{"0E-25", true},
		{"5E+3", true},
		{"-0.5", false},
		{"123456789012345678901234567890.000", true},
		{"123456789012345678901234567890.001", false},
		{"18446744073709551615.0", true},
		{"9223372036854775808.0", true},
	} {
		d, err := num.Check(dectest.D(c.x))
		if err != nil {
			t.Fatal(err)
		}
		if got := whole(d); got != c.want {
			t.Errorf("whole(%s) = %v", c.x, got)
		}
	}
}

// TestTiersIndexMatchesScan: the one tier lookup agrees with a linear scan
// of the rows by apd's Cmp, and Tiers.Maintenance with apd's Mul and Sub
// in the same context (digit for digit and exponent for exponent), for
// notionals on, between and around the floors, at and past the limit,
// negative, and in three contexts; invalid notionals give the same error
// as validation.
func TestTiersIndexMatchesScan(t *testing.T) {
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
	limit := dectest.D("20000000")
	contexts := []*apd.Context{derivmath.NewContext(), apd.BaseContext.WithPrecision(16), apd.BaseContext.WithPrecision(50)}
	check := func(t fataler, limited bool, ctx *apd.Context, x *apd.Decimal) {
		var lim *apd.Decimal
		if limited {
			lim = limit
		}
		tt, err := NewTiers(tiers, lim)
		if err != nil {
			t.Fatal(err)
		}
		// The expected tier and error, from the decimals.
		wantErr := derivmath.CheckDecimal(x)
		want := -1
		switch {
		case wantErr != nil:
		case x.Sign() < 0:
			wantErr = ErrNotional
		case limited && x.Cmp(limit) >= 0:
			wantErr = &TierError{}
		default:
			for i := range tiers {
				if tiers[i].Floor.Cmp(x) <= 0 {
					want = i
				}
			}
		}
		got, err := tt.Lookup(x)
		if !sameErr(err, wantErr) || err == nil && got != tt.At(want) {
			t.Fatalf("Lookup(%s) = %v, %v; want tier %d, %v", x, got, err, want, wantErr)
		}
		// TierNear finds the same tier from any hint, valid or not.
		if d, err := num.Check(x); err == nil {
			for hint := -2; hint <= len(tiers)+1; hint++ {
				i, err := tt.TierNear(hint, d)
				if !sameErr(err, wantErr) || err == nil && i != want {
					t.Fatalf("TierNear(%d, %s) = %d, %v; want tier %d, %v", hint, x, i, err, want, wantErr)
				}
			}
		}
		var z apd.Decimal
		err = tt.Maintenance(ctx, &z, x)
		if !sameErr(err, wantErr) {
			t.Fatalf("Maintenance(%s) = %v, want %v", x, err, wantErr)
		}
		if err != nil {
			return
		}
		var mm apd.Decimal
		if _, err := ctx.Mul(&mm, x, &tiers[want].MMR); err != nil {
			t.Fatal(err)
		}
		if _, err := ctx.Sub(&mm, &mm, &tiers[want].Cum); err != nil {
			t.Fatal(err)
		}
		if mm.IsZero() {
			mm.Negative = false
		}
		if z.String() != mm.String() {
			t.Fatalf("Maintenance(%s) = %s, apd %s", x, &z, &mm)
		}
	}
	for _, limited := range []bool{false, true} {
		for _, s := range []string{"0", "49999.99", "50000", "50000.00", "600000", "19999999.9", "20000000", "20000000.0", "-1", "-0", "1E+101"} {
			check(t, limited, contexts[0], dectest.D(s))
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		var x apd.Decimal
		switch rapid.IntRange(0, 3).Draw(t, "shape") {
		case 0: // a floor or the limit, written with trailing zeros, +-1 ulp
			f := rapid.SampledFrom([]string{"0", "50000", "600000", "3000000", "12000000", "20000000"}).Draw(t, "edge")
			k := int32(rapid.IntRange(0, 4).Draw(t, "zeros"))
			var c apd.BigInt
			c.Mul(&dectest.D(f).Coeff, apd.NewBigInt([]int64{1, 10, 100, 1000, 10000}[k]))
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
		default: // long, or invalid: 51 digits, out of range, negative zero
			x = *dectest.D(rapid.SampledFrom([]string{"12345678901234567890.123", "1E+101", "-0", "1E-101", "123456789012345678901234567890123456789012345678901"}).Draw(t, "bad"))
		}
		check(t, rapid.Bool().Draw(t, "limited"), rapid.SampledFrom(contexts).Draw(t, "ctx"), &x)
	})
}

// TestInitialMatchesApd: Initial is apd's value/leverage in the context,
// digit for digit, and its errors are validation's, for leverages at and
// around 1, values of either sign, in three contexts.
func TestInitialMatchesApd(t *testing.T) {
	contexts := []*apd.Context{derivmath.NewContext(), apd.BaseContext.WithPrecision(19), apd.BaseContext.WithPrecision(16)}
	rapid.Check(t, func(t *rapid.T) {
		ctx := rapid.SampledFrom(contexts).Draw(t, "ctx")
		v := dectest.Positive(100_000_000_000, 8).Draw(t, "value")
		v.Negative = rapid.Bool().Draw(t, "negative")
		l := *dectest.D(rapid.SampledFrom([]string{"1", "1.0", "0.999", "0", "-2", "125", "1E+101", "-0", "3"}).Draw(t, "edge"))
		if rapid.Bool().Draw(t, "drawn") {
			l = dectest.Positive(1_000_000, 3).Draw(t, "leverage")
		}
		var z apd.Decimal
		err := Initial(ctx, &z, &v, &l)
		var wantErr error
		switch {
		case v.Negative:
			wantErr = ErrNotional
		default:
			wantErr = derivmath.CheckLeverage(&l)
		}
		if !sameErr(err, wantErr) {
			t.Fatalf("Initial(%s, %s): %v, want %v", &v, &l, err, wantErr)
		}
		if err != nil {
			return
		}
		var want apd.Decimal
		if _, err := ctx.Quo(&want, &v, &l); err != nil {
			t.Fatal(err)
		}
		if z.String() != want.String() {
			t.Fatalf("Initial(%s, %s) = %s, apd %s", &v, &l, &z, &want)
		}
	})
}

// fataler is what the checks need of *testing.T and *rapid.T.
type fataler interface {
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

// sameErr reports whether a and b are both nil, both a *TierError, or
// match each other.
func sameErr(a, b error) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	var ta, tb *TierError
	if errors.As(a, &ta) || errors.As(b, &tb) {
		return errors.As(a, &ta) && errors.As(b, &tb)
	}
	return errors.Is(a, b)
}

// TestDecAccessors: the accessors for derivmath's packages give the tiers
// that Lookup, At and Limit give, loaded.
func TestDecAccessors(t *testing.T) {
	rows := BTCUSDT().tiers
	tt, err := NewTiers(rows, dectest.D("2000000000"))
	if err != nil {
		t.Fatal(err)
	}
	same := func(d num.Dec, x *apd.Decimal) bool {
		var z apd.Decimal
		d.Store(&z)
		return z.Cmp(x) == 0 && z.Exponent == x.Exponent
	}
	for i := range tt.Len() {
		f, m, c := tt.TierDec(i)
		if r := tt.At(i); !same(f, &r.Floor) || !same(m, &r.MMR) || !same(c, &r.Cum) {
			t.Errorf("TierDec(%d) = %s, %s, %s; At gives %s, %s, %s", i, f, m, c, &r.Floor, &r.MMR, &r.Cum)
		}
	}
	if lim, ok := tt.LimitDec(); !ok || !same(lim, tt.Limit()) {
		t.Errorf("LimitDec = %s, %v", lim, ok)
	}
	if _, ok := BTCUSDT().LimitDec(); ok {
		t.Error("LimitDec of a table without a limit reports one")
	}
	var nilTiers *Tiers
	if _, ok := nilTiers.LimitDec(); ok {
		t.Error("LimitDec of a nil table reports one")
	}
	if _, err := nilTiers.TierNear(-1, num.New(1, 0)); !errors.Is(err, ErrNoTiers) {
		t.Errorf("TierNear on a nil table: %v", err)
	}
	for _, s := range []string{"0", "49999.99", "50000", "3456789.12", "1999999999.9", "2000000000", "-1"} {
		x := dectest.D(s)
		want, wantErr := tt.Lookup(x)
		i, err := tt.TierNear(-1, num.Load(x))
		if !sameErr(err, wantErr) {
			t.Fatalf("TierNear(%s): %v, Lookup: %v", s, err, wantErr)
		}
		if err != nil {
			continue
		}
		if _, m, c := tt.TierDec(i); tt.At(i) != want || !same(m, &want.MMR) || !same(c, &want.Cum) {
			t.Errorf("TierNear(%s) = %d, with %s, %s; Lookup gives %s, %s", s, i, m, c, &want.MMR, &want.Cum)
		}
	}
}

// TestFeeToCloseDecBelow1x: at a leverage of 1 or less the fee to close
// of a position with no positive bankruptcy price (a linear long, an
// inverse short) is 0; the others keep taker*v*(lev + 1)/lev.
func TestFeeToCloseDecBelow1x(t *testing.T) {
	for _, c := range []struct {
		lev          string
		neg, inverse bool
		want         string
	}{
		{"0.5", false, false, "0"},
		{"1", false, false, "0"},
		{"0.5", true, true, "0"},
		{"0.5", true, false, "0.18"}, // 0.0006*100*1.5/0.5
		{"0.5", false, true, "0.18"},
		{"2", false, false, "0.03"}, // 0.0006*100*1/2
	} {
		nc := num.In(derivmath.NewContext())
		d := FeeToCloseDec(nc, num.Load(dectest.D("100")), num.Load(dectest.D(c.lev)), num.Load(dectest.D("0.0006")), c.neg, c.inverse)
		var z apd.Decimal
		d.Store(&z)
		if nc.Err != nil || z.Cmp(dectest.D(c.want)) != 0 || z.Sign() < 0 {
			t.Errorf("FeeToCloseDec(100, lev %s, short %v, inverse %v) = %s, %v; want %s", c.lev, c.neg, c.inverse, &z, nc.Err, c.want)
		}
	}
}
