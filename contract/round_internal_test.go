package contract

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"pgregory.net/rapid"
)

// TestRoundFastIsApd checks that the integer path of Round gives what the
// apd path gives, coefficient and exponent, for every mode.
func TestRoundFastIsApd(t *testing.T) {
	ctx := NewContext()
	rapid.Check(t, func(t *rapid.T) {
		var x, step apd.Decimal
		x.SetFinite(rapid.Int64().Draw(t, "x"), -rapid.Int32Range(-3, 24).Draw(t, "xs"))
		step.SetFinite(rapid.Int64Range(1, 1_000_000).Draw(t, "step"), -rapid.Int32Range(-3, 12).Draw(t, "ss"))
		r := rapid.SampledFrom([]Rounding{Down, Up, Floor, Ceiling, HalfUp, HalfEven}).Draw(t, "mode")
		var fast apd.Decimal
		if !roundFast(ctx, &fast, &x, &step, r) {
			t.Skip("outside the integer path")
		}
		// The apd path, as round runs it when roundFast declines.
		var q, rem, want apd.Decimal
		if err := quoRem(ctx, &q, &rem, &x, &step); err != nil {
			t.Fatalf("apd path failed where the integer path ran: %v", err)
		}
		if !rem.IsZero() && away(&q, &rem, &step, r) {
			q.Coeff.Add(&q.Coeff, bigOne)
		}
		if err := mulExact(ctx, &want, &q, &step); err != nil {
			t.Fatalf("apd path failed where the integer path ran: %v", err)
		}
		if want.IsZero() {
			want.Negative = false
		}
		if fast.String() != want.String() || fast.Negative != want.Negative {
			t.Fatalf("Round(%s, %s, %v) = %s, apd path %s", x.String(), step.String(), r, fast.String(), want.String())
		}
	})
}
