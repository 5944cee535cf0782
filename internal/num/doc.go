// Package num is derivmath's number layer: one decimal value type, one
// context with an accumulated error, and apd's arithmetic on machine
// integers where the context allows it.
//
// A [Dec] is an immutable decimal passed by value: machine words while its
// coefficient fits a uint64, an [apd.Decimal] beyond. [Load] and [Check]
// read an apd.Decimal once (Check also validates it as an input: finite,
// not -0, at most [MaxDigits] digits, an exponent within [-MaxScale,
// MaxScale]); [Dec.Store] and [Ctx.Store] write one.
//
// A [Ctx] made by [In] computes in an apd context, keeping the first error
// in [Ctx.Err] in the style of apd.ErrDecimal: once it is set, operations
// return a zero Dec at once, so a formula reads as the formula and checks
// one error at the end, at [Ctx.Store], which applies the result gate
// ([Ctx.Result]):
//
//	c := num.In(ctx)
//	d := c.Quo(c.Mul(c.Mul(c.Sub(exit, entry), q), m), c.Mul(entry, exit))
//	return c.Store(z, d)
//
// # Exactness
//
// Every operation gives exactly what the same apd operation gives in the
// context: Form, Negative, Exponent and coefficient, and the same error.
// The operations run on 64-, 128- and 192-bit integers, without
// allocating, when the context has a precision of 1 to 19 digits (any
// rounder) and does not trap Inexact, Rounded or Clamped, the operands fit
// a word, and the exponents lie away from the context's limits (where
// apd's subnormal, clamping and overflow rules could apply); otherwise
// they compute with apd on stack temporaries and load the result back.
// Declining is always correct; it only costs time, and allocations where
// apd allocates. The differential tests and FuzzOps check the contract
// against apd over random contexts.
//
// [Sum] adds Decs (or Decs times integer weights) exactly, to be divided
// once by [Ctx.QuoSum]; [Ctx.RoundStep] rounds to a multiple of a step,
// exactly. The package holds the sentinel errors of derivmath, which the
// root package re-exports as the same values.
package num
