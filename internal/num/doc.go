// Package num is derivmath's number layer: one decimal value type, one
// context with an accumulated error, and apd's arithmetic on machine
// integers where the context allows it.
//
// # Values
//
// A [Dec] is an immutable decimal passed by value. It stays in machine words
// (a uint64 coefficient, an int32 exponent, a sign) while its coefficient
// fits, and spills to an [apd.Decimal] beyond, so it can hold any apd value.
// [Load] and [Check] read an apd.Decimal once (Check also validates it as an
// input: finite, not -0, at most [MaxDigits] digits, an exponent within
// [-MaxScale, MaxScale]); [Dec.Store] and [Ctx.Store] write one.
//
// # Operations
//
// A [Ctx] made by [In] computes in an apd context: [Ctx.Add], [Ctx.Sub],
// [Ctx.Mul], [Ctx.Quo], [Ctx.Round] and the others give exactly what the
// same apd operation gives in that context (Form, Negative, Exponent and
// coefficient, and the same error). They run on 64-, 128- and 192-bit
// integers, without allocating, when the context has a precision of 1 to 19
// digits, any of apd's rounders, and does not trap Inexact, Rounded or
// Clamped, the operands are small and the result lies away from the
// context's exponent limits; otherwise they compute with apd on stack
// temporaries and load the result back. Declining is always correct; it
// only costs time (and allocations where apd allocates).
//
// The first error is kept in [Ctx.Err]; once it is set, operations return
// a zero Dec at once, so a formula is written as the formula and checked
// once, at [Ctx.Store], which applies the result gate ([Ctx.Result]).
//
// [Sum] adds Decs (or Decs times integer weights) exactly on 192-bit
// integers, to be rounded once by
// [Ctx.RoundSum] or divided by [Ctx.QuoSum]. [Ctx.RoundStep] rounds to a
// multiple of a step, exactly.
//
// The package holds the sentinel errors of derivmath, which the root package
// re-exports as the same values.
package num
