package num

import "github.com/cockroachdb/apd/v3"

// A Mode is one of apd's rounding rules, as the kernels apply them: which
// way a value between two neighbours goes, the neighbours being numbers of
// the context's precision (apd's Rounder) or multiples of a step
// ([Ctx.RoundStep]).
type Mode uint8

// The modes, one per apd Rounder. apd rounds half-up when a context's
// Rounding is empty or unknown, and so does [ModeOf]. The first six have
// the values of derivmath.Rounding's constants, so that Mode(r) converts
// one; the zero Mode is not a mode (it never rounds away from zero).
const (
	Down     Mode = 1 + iota // toward zero (apd.RoundDown)
	Up                       // away from zero (apd.RoundUp)
	Floor                    // toward negative infinity (apd.RoundFloor)
	Ceiling                  // toward positive infinity (apd.RoundCeiling)
	HalfUp                   // to nearest, ties away from zero (apd.RoundHalfUp, "" and unknown)
	HalfEven                 // to nearest, ties to even (apd.RoundHalfEven)
	HalfDown                 // to nearest, ties toward zero (apd.RoundHalfDown)
	Up05                     // away from zero if the kept last digit is 0 or 5 (apd.Round05Up)
	numModes
)

// ModeOf returns the mode in which apd rounds with r.
func ModeOf(r apd.Rounder) Mode {
	// The usual rounders first, each in a compare or two: derivmath's
	// default context rounds half-even, apd's half-up ("").
	switch {
	case r == apd.RoundHalfEven:
		return HalfEven
	case r == "" || r == apd.RoundHalfUp:
		return HalfUp
	}
	switch r {
	case apd.RoundHalfDown:
		return HalfDown
	case apd.RoundDown:
		return Down
	case apd.RoundUp:
		return Up
	case apd.RoundFloor:
		return Floor
	case apd.RoundCeiling:
		return Ceiling
	case apd.Round05Up:
		return Up05
	}
	return HalfUp
}

// awayTable holds, for each mode but Up05, a bit per (half, odd, neg):
// whether a magnitude q whose discarded part (nonzero) compares with half
// a unit as half (-1, 0, +1), q odd or even, the value negative or not,
// rounds away from zero, to q+1. Bit index: (half+1)<<2 | odd<<1 | neg.
var awayTable = func() (t [16]uint16) {
	for m := range numModes {
		for half := -1; half <= 1; half++ {
			for odd := range 2 {
				for neg := range 2 {
					var away bool
					switch m {
					case HalfUp:
						away = half >= 0
					case HalfEven:
						away = half > 0 || half == 0 && odd == 1
					case HalfDown:
						away = half > 0
					case Up:
						away = true
					case Floor:
						away = neg == 1
					case Ceiling:
						away = neg == 0
					}
					if away {
						t[m] |= 1 << ((half+1)<<2 | odd<<1 | neg)
					}
				}
			}
		}
	}
	return t
}()

// away reports whether a magnitude q, of sign neg, whose discarded part is
// nonzero and compares with half a unit as half, rounds away from zero in
// mode m: apd's Rounder.ShouldAddOne. Rounding to a step ([Ctx.RoundStep])
// asks the same question, with q the number of whole steps.
func (m Mode) away(q uint64, neg bool, half int) bool {
	if m == Up05 {
		return q%5 == 0
	}
	i := uint(half+1)<<2 | uint(q&1)<<1
	if neg {
		i |= 1
	}
	return awayTable[m&15]>>(i&15)&1 != 0
}
