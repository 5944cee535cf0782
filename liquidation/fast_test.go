package liquidation

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/fastdec"
	"github.com/derivmath/derivmath/margin"
	"pgregory.net/rapid"
)

// TestRoundStepMatchesRound checks the fast path's rounding against
// derivmath.Round, which the general path calls: where roundStep answers,
// the answer is derivmath.Round's, digit for digit; where derivmath.Round
// fails, roundStep declines. Values are drawn near multiples of the step,
// on them and on exact halves, so that every mode's edge is reached.
func TestRoundStepMatchesRound(t *testing.T) {
	ctx := derivmath.NewContext()
	type mode struct {
		contract derivmath.Rounding
		fastdec  fastdec.Rounding
	}
	modes := []mode{
		{derivmath.Ceiling, fastdec.Ceiling},
		{derivmath.Floor, fastdec.Floor},
		{derivmath.HalfEven, fastdec.HalfEven},
	}
	rapid.Check(t, func(t *rapid.T) {
		step := fastdec.Dec{
			C: rapid.SampledFrom([]uint64{1, 5, 25, 1_000, rapid.Uint64Range(1, 1<<20).Draw(t, "c")}).Draw(t, "step"),
			E: int32(rapid.IntRange(-10, 2).Draw(t, "step exp")),
		}
		// x = k*step + off/2 steps, shifted by up to 3 places, signed.
		k := rapid.Uint64Range(0, 1e12).Draw(t, "k")
		off := rapid.IntRange(-2, 2).Draw(t, "half steps")
		var x fastdec.Dec
		c := k * 2 * step.C
		switch {
		case off < 0:
			c -= min(c, uint64(-off)*step.C)
		default:
			c += uint64(off) * step.C
		}
		x = fastdec.Dec{C: c * 5, E: step.E - 1} // c/2 steps, exact
		if sh := rapid.IntRange(0, 3).Draw(t, "shift"); sh > 0 {
			x.C = x.C*pow10(sh) + rapid.Uint64Range(0, pow10(sh)-1).Draw(t, "noise")
			x.E -= int32(sh)
		}
		x.Neg = rapid.Bool().Draw(t, "neg") && x.C != 0
		mode := rapid.SampledFrom(modes).Draw(t, "mode")

		var xd, sd, want apd.Decimal
		x.Store(&xd)
		step.Store(&sd)
		err := derivmath.Round(ctx, &want, &xd, &sd, mode.contract)
		got, ok := roundStep(x, step, mode.fastdec)
		if err != nil {
			if ok {
				t.Fatalf("Round(%s, %s, %v): error %v, roundStep gave %v", &xd, &sd, mode.contract, err, got)
			}
			return
		}
		if !ok {
			return // declined: the general path answers
		}
		var gd apd.Decimal
		got.Store(&gd)
		if gd.String() != want.String() || gd.Negative != want.Negative {
			t.Fatalf("Round(%s, %s, %v) = %s, roundStep = %s", &xd, &sd, mode.contract, &want, &gd)
		}
	})
}

func pow10(n int) uint64 {
	p := uint64(1)
	for range n {
		p *= 10
	}
	return p
}

// TestSolveFastTakesCommonAccounts checks that the fast path answers, not
// declines, for the accounts bots solve most: declining is always correct
// (the general path answers), so TestDefaultContextMatchesAPD cannot see a
// fast path that stopped taking them.
func TestSolveFastTakesCommonAccounts(t *testing.T) {
	d := func(s string) apd.Decimal {
		x, _, err := apd.NewFromString(s)
		if err != nil {
			t.Fatal(err)
		}
		return *x
	}
	rows := [][3]string{{"0", "0.004", "0"}, {"50000", "0.005", "50"}, {"600000", "0.0065", "950"}}
	tiers := make([]margin.Tier, len(rows))
	for i, r := range rows {
		tiers[i] = margin.Tier{Floor: d(r[0]), MMR: d(r[1]), Cum: d(r[2]), MaxLeverage: d("20")}
	}
	tt, err := margin.NewTiers(tiers, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		a    Account
		r    Rounding
	}{
		{
			"isolated linear",
			Account{
				Spec: contract.BTCUSDT(), Convention: Binance, Balance: d("1500"),
				Legs: []Leg{{Qty: d("0.5"), Entry: d("60000"), MMR: d("0.004")}},
			},
			Exact,
		},
		// Entry notional 600,000 is in the third tier, the answer in the
		// second: two passes.
		{
			"tiers across an edge",
			Account{
				Spec: contract.BTCUSDT(), Convention: Binance, Balance: d("30000"),
				Legs: []Leg{{Qty: d("10"), Entry: d("60000"), Tiers: tt}},
			},
			Exact,
		},
		{
			"hedge",
			Account{
				Spec: contract.BTCUSDT(), Convention: Binance, Balance: d("5000"),
				Legs: []Leg{
					{Qty: d("1"), Entry: d("60000"), MMR: d("0.005"), Cum: d("50")},
					{Qty: d("-0.5"), Entry: d("62000"), MMR: d("0.005"), Cum: d("50")},
				},
			},
			TowardEntry,
		},
		{
			"bitmex inverse",
			Account{
				Spec: contract.XBTUSD(), Convention: BitMEX, Balance: d("0.008"), FeeReserve: d("0.000156"),
				Legs: []Leg{{Qty: d("10000"), Entry: d("50000"), MMR: d("0.005")}},
			},
			TowardEntry,
		},
	} {
		for _, liq := range []bool{true, false} {
			_, st, ok := solveFast(derivmath.NewContext(), &tc.a, liq, tc.r)
			if !ok || st != Found {
				t.Errorf("%s (liq %v): solveFast = %v, %v; want Found, true", tc.name, liq, st, ok)
			}
		}
	}
}
