package num

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
)

// FuzzOps compares every operation with apd over arbitrary operands (a
// uint64 coefficient, any exponent, a sign) and contexts (precision,
// rounder, exponent limits, traps).
func FuzzOps(f *testing.F) {
	f.Add(uint64(65432), int32(-1), false, uint64(3), int32(0), true, uint8(3), uint8(19), uint8(2), int32(-100000), int32(100000), uint32(apd.DefaultTraps))
	f.Add(uint64(9999999999999999999), int32(0), false, uint64(1), int32(0), false, uint8(0), uint8(19), uint8(2), int32(-100000), int32(100000), uint32(apd.DefaultTraps))
	f.Add(uint64(1), int32(60), false, uint64(1), int32(0), true, uint8(1), uint8(5), uint8(0), int32(-10), int32(100), uint32(0))
	f.Add(uint64(199), int32(0), false, uint64(2), int32(0), false, uint8(3), uint8(2), uint8(6), int32(-3), int32(3), uint32(apd.DefaultTraps|apd.Inexact))
	f.Fuzz(func(t *testing.T, xc uint64, xe int32, xneg bool, yc uint64, ye int32, yneg bool,
		op, prec, rounding uint8, minE, maxE int32, traps uint32,
	) {
		ctx := apd.BaseContext
		ctx.Precision = uint32(prec % 60)
		ctx.Rounding = rounders[int(rounding)%len(rounders)]
		ctx.MinExponent, ctx.MaxExponent = minE, maxE
		ctx.Traps = apd.Condition(traps) & (apd.Clamped<<1 - 1)
		var x, y apd.Decimal
		x.Coeff.SetUint64(xc)
		x.Exponent, x.Negative = xe, xneg
		y.Coeff.SetUint64(yc)
		y.Exponent, y.Negative = ye, yneg
		if ctx.Precision == 0 {
			return // apd rounds nothing and may build enormous numbers
		}
		if d := int64(xe) - int64(ye); d > 10_000 || d < -10_000 {
			return // apd aligns on a 10^|d| integer: slow, not wrong
		}
		compare(t, &ctx, ops[int(op)%len(ops)], &x, &y)
	})
}

// FuzzStep compares RoundStep and QuoInt on their integer path with their
// apd path (RoundStep with no window, QuoInt against quoRemApd) over
// arbitrary finite operands, modes and contexts: FuzzOps covers neither.
func FuzzStep(f *testing.F) {
	// Seeds: a step 20 places above x (divInt's wide-step case), a tie,
	// and a step wider than a word.
	f.Add(uint64(5), int32(-20), false, uint64(1), int32(0), uint8(4), uint8(19), int32(-100000), int32(100000), uint32(apd.DefaultTraps))
	f.Add(uint64(25), int32(-1), true, uint64(5), int32(0), uint8(5), uint8(19), int32(-100000), int32(100000), uint32(apd.DefaultTraps))
	f.Add(uint64(9999999999999999999), int32(0), false, uint64(9999999999999999999), int32(-3), uint8(2), uint8(30), int32(-10), int32(10), uint32(0))
	f.Fuzz(func(t *testing.T, xc uint64, xe int32, xneg bool, sc uint64, se int32,
		mode, prec uint8, minE, maxE int32, traps uint32,
	) {
		ctx := apd.BaseContext
		ctx.Precision = uint32(prec % 60)
		ctx.MinExponent, ctx.MaxExponent = minE, maxE
		ctx.Traps = apd.Condition(traps) & (apd.Clamped<<1 - 1)
		if ctx.Precision == 0 {
			return // apd rounds nothing and may build enormous numbers
		}
		if d := int64(xe) - int64(se); d > 10_000 || d < -10_000 {
			return // apd aligns on a 10^|d| integer: slow, not wrong
		}
		var xa, sa apd.Decimal
		xa.Coeff.SetUint64(xc)
		xa.Exponent, xa.Negative = xe, xneg
		sa.Coeff.SetUint64(sc)
		sa.Exponent = se
		x, step := Load(&xa), Load(&sa)
		m := Mode(1 + int(mode)%(int(numModes)-1))

		checkRoundStep(t, &ctx, x, step, m)
		checkQuoInt(t, &ctx, x, step)
	})
}
