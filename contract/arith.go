package contract

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/internal/fastdec"
)

// The kernels' arithmetic: apd's operations in ctx, computed by
// internal/fastdec's integer kernels when ctx is the default context
// ([NewContext]), and by apd otherwise. fastdec's results are identical to
// apd's, coefficient and exponent alike; it allocates nothing where apd
// would (an addition whose aligned operands pass 64 bits, a division of a
// 19-digit entry price) and takes a few nanoseconds instead of 80 to 300.

func add(ctx *apd.Context, z, x, y *apd.Decimal) error { return fastdec.In(ctx).Add(z, x, y) }
func sub(ctx *apd.Context, z, x, y *apd.Decimal) error { return fastdec.In(ctx).Sub(z, x, y) }
func mul(ctx *apd.Context, z, x, y *apd.Decimal) error { return fastdec.In(ctx).Mul(z, x, y) }
func quo(ctx *apd.Context, z, x, y *apd.Decimal) error { return fastdec.In(ctx).Quo(z, x, y) }
