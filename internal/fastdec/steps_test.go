package fastdec

import (
	"math/big"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"pgregory.net/rapid"
)

// TestSteps checks Steps against big.Rat: q = trunc(|x|/step), and
// r*10^e = |x| - q*step, s*10^e = step, with e the smaller exponent.
func TestSteps(t *testing.T) {
	for _, c := range []struct {
		x, step string
		q, r, s uint64
	}{
		{"1971.531", "0.5", 3943, 31, 500},
		{"-6968.86", "0.5", 13937, 36, 50},
		{"3", "0.5", 6, 0, 5},
		{"0", "0.5", 0, 0, 5},
		{"0.00297503941927230536", "0.00000001", 297503, 941927230536, 1000000000000},
	} {
		q, r, s, ok := Steps(dec(c.x), dec(c.step))
		if !ok || q != c.q || r != c.r || s != c.s {
			t.Errorf("Steps(%s, %s) = %d, %d, %d, %v; want %d, %d, %d, true", c.x, c.step, q, r, s, ok, c.q, c.r, c.s)
		}
	}
	for _, c := range [][2]string{{"1", "0"}, {"1", "-0.5"}, {"NaN", "1"}, {"1E+30", "1E-30"}, {"123456789012345678901", "1"}} {
		if _, _, _, ok := Steps(dec(c[0]), dec(c[1])); ok {
			t.Errorf("Steps(%s, %s) ran, want false", c[0], c[1])
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		var x, step apd.Decimal
		x.SetFinite(rapid.Int64().Draw(t, "x"), -rapid.Int32Range(-5, 20).Draw(t, "xs"))
		step.SetFinite(rapid.Int64Range(1, 1e12).Draw(t, "step"), -rapid.Int32Range(-5, 20).Draw(t, "ss"))
		q, r, s, ok := Steps(&x, &step)
		if !ok {
			t.Skip("outside the fast path")
		}
		rx, rs := rat(&x), rat(&step)
		rx.Abs(rx)
		quo := new(big.Rat).Quo(rx, rs)
		wantQ := new(big.Int).Quo(quo.Num(), quo.Denom())
		if !wantQ.IsUint64() || wantQ.Uint64() != q {
			t.Fatalf("q = %d, want %s", q, wantQ)
		}
		// r/s == |x|/step - q.
		frac := new(big.Rat).Sub(quo, new(big.Rat).SetInt(wantQ))
		if got := new(big.Rat).SetFrac(new(big.Int).SetUint64(r), new(big.Int).SetUint64(s)); got.Cmp(frac) != 0 {
			t.Fatalf("r/s = %s, want %s", got, frac)
		}
	})
}

func rat(d *apd.Decimal) *big.Rat {
	r, ok := new(big.Rat).SetString(d.Text('f'))
	if !ok {
		panic(d.String())
	}
	return r
}
