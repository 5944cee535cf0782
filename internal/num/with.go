package num

import "github.com/cockroachdb/apd/v3"

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

// WithMode returns a copy of c that rounds in mode m (the zero Mode, which
// is not a mode, rounds half-up, as apd does with an unknown rounder): a
// directed rounding for some steps of a formula, such as the ends of a
// window rounded inward. The copy starts with c's error; it does not
// record its own into c, so the caller passes it on with c.Fail. Keep the
// copy in a local variable: like the Ctx of [In], it then stays on the
// stack.
func (c *Ctx) WithMode(m Mode) Ctx {
	if m == 0 || m >= numModes {
		m = HalfUp
	}
	d := *c
	d.mode = m
	return d
}
