package fastdec

import "github.com/cockroachdb/apd/v3"

// Ctx runs apd's arithmetic in a context: through this package's kernels
// when the context is the default one ([Default]), and through apd when a
// kernel declines or the context is another. Results are apd's either way.
// The computing packages do all their hot-path arithmetic through it.
type Ctx struct {
	apd  *apd.Context
	fast bool
}

// In returns a Ctx for ctx. It checks [Default] once.
func In(ctx *apd.Context) Ctx {
	return Ctx{apd: ctx, fast: Default(ctx)}
}

// Context returns the apd context c computes in.
func (c Ctx) Context() *apd.Context { return c.apd }

// Add sets z = x + y and returns apd's error, if any.
func (c Ctx) Add(z, x, y *apd.Decimal) error {
	if c.fast && Add(z, x, y) {
		return nil
	}
	_, err := c.apd.Add(z, x, y)
	return err
}

// Sub sets z = x - y and returns apd's error, if any.
func (c Ctx) Sub(z, x, y *apd.Decimal) error {
	if c.fast && Sub(z, x, y) {
		return nil
	}
	_, err := c.apd.Sub(z, x, y)
	return err
}

// Mul sets z = x * y and returns apd's error, if any.
func (c Ctx) Mul(z, x, y *apd.Decimal) error {
	if c.fast && Mul(z, x, y) {
		return nil
	}
	_, err := c.apd.Mul(z, x, y)
	return err
}

// Quo sets z = x / y and returns apd's error, if any.
func (c Ctx) Quo(z, x, y *apd.Decimal) error {
	if c.fast && Quo(z, x, y) {
		return nil
	}
	_, err := c.apd.Quo(z, x, y)
	return err
}
