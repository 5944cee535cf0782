package num

import (
	"errors"
	"fmt"
)

// The sentinel errors of derivmath, re-exported by the root package as the
// same values. Messages start with "derivmath: ".
var (
	// ErrNaN reports a NaN (quiet or signalling) where a number was expected.
	ErrNaN = errors.New("derivmath: NaN")
	// ErrInfinite reports an infinite decimal.
	ErrInfinite = errors.New("derivmath: infinite decimal")
	// ErrNegativeZero reports a negative zero ("-0").
	ErrNegativeZero = errors.New("derivmath: negative zero")
	// ErrRange reports a decimal outside the accepted range, a result
	// outside it, or an exact step that needs more digits than the
	// context's precision.
	ErrRange = errors.New("derivmath: decimal out of range")
	// ErrPrice reports a price that is zero or negative.
	ErrPrice = errors.New("derivmath: price must be positive")
	// ErrZeroQty reports a zero quantity where a position is needed.
	ErrZeroQty = errors.New("derivmath: zero quantity")
	// ErrLeverage reports a leverage below 1.
	ErrLeverage = errors.New("derivmath: leverage below 1")
	// ErrFeeRate reports a fee rate whose magnitude is 1 or more.
	ErrFeeRate = errors.New("derivmath: fee rate out of range (-1, 1)")
	// ErrRate reports a rate outside the range a function accepts.
	ErrRate = errors.New("derivmath: rate out of range")
	// ErrStep reports a rounding step that is zero or negative.
	ErrStep = errors.New("derivmath: step must be positive")
	// ErrRounding reports a rounding outside the defined constants.
	ErrRounding = errors.New("derivmath: invalid rounding")
	// ErrContext reports a nil context.
	ErrContext = errors.New("derivmath: nil context")
)

// An apdError is a failure reported by apd (a trapped condition), as a
// [Ctx] records it, so that [Wrap] can tell it from a sentinel.
type apdError struct{ err error }

func (e *apdError) Error() string { return e.err.Error() }
func (e *apdError) Unwrap() error { return e.err }

// Wrap returns err unchanged when it is nil or an error recorded with
// [Ctx.Fail] (a sentinel), and a failure reported by apd as "op: err", so
// that callers see which computation failed while sentinels stay
// comparable with ==.
func Wrap(op string, err error) error {
	if e, ok := err.(*apdError); ok { //nolint:errorlint // Ctx records an *apdError itself, unwrapped
		return e.wrap(op)
	}
	return err
}

func (e *apdError) wrap(op string) error { return fmt.Errorf("%s: %w", op, e.err) }
