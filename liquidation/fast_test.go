package liquidation

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/internal/fastdec"
	"pgregory.net/rapid"
)

// TestRoundStepMatchesRound checks the fast path's rounding against
// contract.Round, which the general path calls: where roundStep answers,
// the answer is contract.Round's, digit for digit; where contract.Round
// fails, roundStep declines. Values are drawn near multiples of the step,
// on them and on exact halves, so that every mode's edge is reached.
func TestRoundStepMatchesRound(t *testing.T) {
	ctx := contract.NewContext()
	modes := []contract.Rounding{contract.Ceiling, contract.Floor, contract.HalfEven}
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
		err := contract.Round(ctx, &want, &xd, &sd, mode)
		got, ok := roundStep(x, step, mode)
		if err != nil {
			if ok {
				t.Fatalf("Round(%s, %s, %v): error %v, roundStep gave %v", &xd, &sd, mode, err, got)
			}
			return
		}
		if !ok {
			return // declined: the general path answers
		}
		var gd apd.Decimal
		got.Store(&gd)
		if gd.String() != want.String() || gd.Negative != want.Negative {
			t.Fatalf("Round(%s, %s, %v) = %s, roundStep = %s", &xd, &sd, mode, &want, &gd)
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
