package liquidation

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/internal/fastdec"
)

// arith runs apd operations in ctx, through fastdec's integer kernels when
// ctx is the default context (results identical to apd's, a tenth of the
// time) and through apd otherwise. Errors are wrapped with op.
type arith struct {
	ctx  *apd.Context
	fast bool
}

func newArith(ctx *apd.Context) arith {
	return arith{ctx: ctx, fast: fastdec.Default(ctx)}
}

func (a arith) add(z, x, y *apd.Decimal, op string) error {
	if a.fast && fastdec.Add(z, x, y) {
		return nil
	}
	_, err := a.ctx.Add(z, x, y)
	return wrap(op, err)
}

func (a arith) sub(z, x, y *apd.Decimal, op string) error {
	if a.fast && fastdec.Sub(z, x, y) {
		return nil
	}
	_, err := a.ctx.Sub(z, x, y)
	return wrap(op, err)
}

func (a arith) mul(z, x, y *apd.Decimal, op string) error {
	if a.fast && fastdec.Mul(z, x, y) {
		return nil
	}
	_, err := a.ctx.Mul(z, x, y)
	return wrap(op, err)
}

func (a arith) quo(z, x, y *apd.Decimal, op string) error {
	if a.fast && fastdec.Quo(z, x, y) {
		return nil
	}
	_, err := a.ctx.Quo(z, x, y)
	return wrap(op, err)
}
