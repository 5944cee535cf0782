package num

import (
	"errors"
	"fmt"
)

// The sentinel errors of derivmath, re-exported and documented by the root
// package as the same values.
var (
	ErrNaN          = errors.New("derivmath: NaN")
	ErrInfinite     = errors.New("derivmath: infinite decimal")
	ErrNegativeZero = errors.New("derivmath: negative zero")
	ErrRange        = errors.New("derivmath: decimal out of range")
	ErrPrice        = errors.New("derivmath: price must be positive")
	ErrZeroQty      = errors.New("derivmath: zero quantity")
	ErrLeverage     = errors.New("derivmath: leverage below 1")
	ErrFeeRate      = errors.New("derivmath: fee rate out of range (-1, 1)")
	ErrRate         = errors.New("derivmath: rate out of range")
	ErrStep         = errors.New("derivmath: step must be positive")
	ErrRounding     = errors.New("derivmath: invalid rounding")
	ErrContext      = errors.New("derivmath: nil context")
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

func (e *apdError) wrap(op string) error { return WrapApd(op, e.err) }

// WrapApd returns err, a condition that apd trapped in an operation that a
// caller ran on apd directly rather than with a [Ctx], as "op: err", the
// form [Wrap] gives a failure a Ctx recorded. It runs only on the error
// path.
func WrapApd(op string, err error) error { return fmt.Errorf("%s: %w", op, err) }
