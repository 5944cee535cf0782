// Package bench compares derivmath's kernels with the same formulas written
// in float64 and in three Go decimal libraries, derivmath's liquidation
// checks with the same checks in float64, and derivmath's order book with
// the usual Go design of one (decimal prices, a sorted slice of price
// levels, container/list queues) and with a flat-array book on int64
// ticks (flat.go: levels indexed by price over a fixed window, a Go map
// from ID to order).
//
// It is a separate module so that derivmath's own go.mod requires nothing
// but apd: the peers below are required here only.
//
// # Implementations
//
// Each kernel (kernels.go) is written once per implementation, in the same
// shape: the same operations in the same order, one division where
// derivmath has one, and BitMEX's ceilings to the satoshi and to the tick.
// The peers are the formulas as a careful programmer would write them
// directly: no validation, no special cases beyond what the formula needs,
// each library's errors returned and checked. derivmath validates every
// input and reports errors, and still has to be fast.
//
//   - derivmath: the library's exported functions at its default context,
//     19 significant digits, every operation rounded half-even (apd's
//     arithmetic, on machine words where it fits). The liquidation kernels
//     and the account checks run on liquidation's compiled Solver: the
//     account is compiled once (validated and loaded) before the timer
//     starts, as a bot holds it, and each iteration asks it again. An
//     isolated account (no tiers, no legs on other contracts) keeps the
//     liquidation price the first call solves: every later Price only
//     stores it (Binance) or rounds it up to the tick (BitMEX), and
//     Liquidatable compares the mark with it, where the peers evaluate
//     the whole formula on every call. Those rows set a kept answer
//     beside a computed one; the one-shot rows, which solve on every call
//     (and validate and load the account too), are the like-for-like
//     comparison with the peers.
//   - oneshot: for those, derivmath's one-shot functions (liquidation.Price
//     and liquidation.Liquidatable), which validate and load the account on
//     every call.
//   - float64: 53-bit binary floating point, about 16 significant digits
//     per operation; inputs are rounded to binary too.
//   - github.com/shopspring/decimal v1.6.0: arbitrary precision (big.Int):
//     +, - and * are exact, a quotient is rounded half away from zero to 16
//     decimal places (DivisionPrecision). Allocates on every operation.
//   - github.com/quagmt/udecimal v1.11.1: fixed point with a 128-bit
//     coefficient (big.Int beyond it) and at most 19 decimal places:
//     addition is exact, * and / truncate to 19 places. Results at or above 1
//     keep 20 or more significant digits; results below 1 keep fewer than
//     19 (1.2e-11 keeps 9).
//   - github.com/govalues/decimal v0.1.36 (the newest version the module
//     proxy serves): a 64-bit coefficient of at most 19 digits and at most
//     19 decimal places, every operation rounded half-even to 19
//     significant digits or to 19 places, whichever keeps fewer; an
//     inexact division goes through big.Int (pooled, no allocation).
//
// # Digit check
//
// agree_test.go evaluates each kernel's formula at 50 digits (the oracle,
// oracle_test.go) on the benchmarks' inputs and on sets of 19-digit
// operands and of inverse contracts at low and high prices, and requires
// each implementation's result to lie within the error that its documented
// precision allows for that formula (the bound of one operation, carried
// through the formula). derivmath must in addition be, digit for digit,
// the formula evaluated step by step in apd at 19 digits, within 1e-18
// relative of the oracle. go test -v -run TestKernelsAgree prints every
// result that differs from the oracle and how many significant digits
// agree. TestLiquidatableAgree checks that derivmath's and float64's
// account checks answer alike, TestOneShotAgrees that the one-shot
// functions answer digit for digit as the compiled solver, and
// TestBooksAgree and TestFlatAgrees that the baseline book and the
// flat-array book trade exactly as derivmath's, on every operation the
// benchmarks replay (the first 20,000 with -short).
//
// # Account checks
//
// BenchmarkLiquidatable (an isolated Binance BTCUSDT long),
// BenchmarkLiquidatableCross10 (a 10-position cross account, tiered) and
// BenchmarkCrossReprice10 (that account re-solved on a change of marks)
// compare derivmath's liquidation solver with the same checks in float64
// (cross.go), and report ns/position. On the isolated account derivmath
// compares the mark with the price it keeps, where float64 evaluates
// equity and maintenance at the mark; the cross account is tiered, so
// derivmath solves it again on every call, as float64 does. The cross
// account lists its ten positions, nine of them as legs on their own
// contracts; a change of marks is Solver.SetMark on those nine, then the
// check or the solve. derivmath_test.go holds every call into derivmath's
// kernel and solver API, so that an API change is adapted there alone.
//
// # Running
//
// From this directory:
//
//	go test ./...                                   # the digit and agreement checks
//	go test -run '^$' -bench . -benchtime 1x ./...  # every benchmark once, as CI does
//	./run.sh                                        # COUNT=10 BENCHTIME=200ms: about 3 1/2 minutes
//
// run.sh prints benchstat's output (-col /impl) and the tables of
// internal/benchtable: per kernel, derivmath's median, each peer's median
// and allocs/op, derivmath over the fastest of udecimal and govalues, and
// derivmath over float64; the account checks against issue 10's targets;
// the one-shot functions beside the compiled solver; the order book.
// RESULTS.md holds one run. The machine is a shared 2-core VM: only
// ratios from one run compare.
package bench
