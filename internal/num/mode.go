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
// one.
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

// modeRounders maps each Mode to the apd Rounder with the same rule.
var modeRounders = [numModes]apd.Rounder{
	Down:     apd.RoundDown,
	Up:       apd.RoundUp,
	Floor:    apd.RoundFloor,
	Ceiling:  apd.RoundCeiling,
	HalfUp:   apd.RoundHalfUp,
	HalfEven: apd.RoundHalfEven,
	HalfDown: apd.RoundHalfDown,
	Up05:     apd.Round05Up,
}

// ModeOf returns the mode in which apd rounds with r.
func ModeOf(r apd.Rounder) Mode {
	// The usual rounders first, a compare or two each: derivmath's default
	// context rounds half-even, apd's half-up ("").
	if r == apd.RoundHalfEven {
		return HalfEven
	}
	if r == "" || r == apd.RoundHalfUp {
		return HalfUp
	}
	for m := Down; m < numModes; m++ {
		if r == modeRounders[m] {
			return m
		}
	}
	return HalfUp
}

// away reports whether a magnitude q, of sign neg, whose discarded part is
// nonzero and compares with half a unit as half (-1, 0, +1), rounds away
// from zero in mode m: apd's Rounder.ShouldAddOne. Rounding to a step
// ([Ctx.RoundStep]) asks the same question, with q the number of whole
// steps.
func (m Mode) away(q uint64, neg bool, half int) bool {
	switch m {
	case Down:
		return false
	case Up:
		return true
	case Floor:
		return neg
	case Ceiling:
		return !neg
	case HalfEven:
		return half > 0 || half == 0 && q&1 == 1
	case HalfDown:
		return half > 0
	case Up05:
		return q%5 == 0
	}
	return half >= 0
}

// WithMode returns a copy of c that rounds in mode m (any other m rounds
// half-up, as apd does with an unknown rounder): a directed rounding for
// some steps of a formula, such as the ends of a window rounded inward.
// The copy starts with c's error; it does not record its own into c, so
// the caller passes it on with c.Fail. Keep the copy in a local variable:
// like the Ctx of [In], it then stays on the stack.
func (c *Ctx) WithMode(m Mode) Ctx {
	if m == 0 || m >= numModes {
		m = HalfUp
	}
	d := *c
	d.mode = m
	return d
}
