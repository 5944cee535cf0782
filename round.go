package derivmath

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/internal/enum"
	"github.com/derivmath/derivmath/internal/num"
)

// Rounding selects how [Round] rounds a value to a multiple of a step.
type Rounding int8

// The roundings. The zero Rounding is invalid, so a forgotten mode is an
// error ([ErrRounding]) rather than a silent choice.
const (
	Down     Rounding = 1 + iota // toward zero
	Up                           // away from zero
	Floor                        // toward negative infinity
	Ceiling                      // toward positive infinity
	HalfUp                       // to nearest, ties away from zero
	HalfEven                     // to nearest, ties to the even multiple
)

var roundingNames = [...]string{"invalid", "Down", "Up", "Floor", "Ceiling", "HalfUp", "HalfEven"}

// String returns the name of the rounding, such as "HalfEven".
func (r Rounding) String() string { return enum.Name("Rounding", roundingNames[:], int(r)) }

// Round sets z to x rounded to a whole multiple of step (a tick, a lot or a
// minor unit) in mode r, with step's exponent, and returns an error if it
// cannot.
//
// The rounding is exact, whatever the step: Round never rounds twice, so
// HalfEven to a tick of 0.5 breaks ties on the multiple of 0.5, not on the
// digits of x/0.5. A zero result is 0, never -0. z may alias x or step.
//
// Errors: [ErrContext] for a nil ctx, [ErrRounding] for an undefined mode,
// those of [CheckDecimal] for x and step, [ErrStep] for a step that is not
// positive, and [ErrRange] when the number of steps or the result needs more
// than ctx.Precision digits.
func Round(ctx *apd.Context, z, x, step *apd.Decimal, r Rounding) error {
	if r < Down || r > HalfEven {
		return ErrRounding
	}
	c := num.In(ctx)
	d := c.RoundStep(c.Check(x), c.Check(step), num.Mode(r))
	return num.Wrap("derivmath: round", c.Store(z, d))
}
