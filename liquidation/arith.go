package liquidation

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/internal/fastdec"
)

// arith is the solver's arithmetic: fastdec's (integer kernels at the
// default context, results identical to apd's, apd otherwise), with
// failures wrapped with the operation's name.
type arith struct{ fastdec.Ctx }

func newArith(ctx *apd.Context) arith { return arith{fastdec.In(ctx)} }

func (a arith) add(z, x, y *apd.Decimal, op string) error { return wrap(op, a.Add(z, x, y)) }
func (a arith) sub(z, x, y *apd.Decimal, op string) error { return wrap(op, a.Sub(z, x, y)) }
func (a arith) mul(z, x, y *apd.Decimal, op string) error { return wrap(op, a.Mul(z, x, y)) }
func (a arith) quo(z, x, y *apd.Decimal, op string) error { return wrap(op, a.Quo(z, x, y)) }
