package enginetest

import (
	"errors"
	"slices"

	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine"
	"github.com/derivmath/derivmath/internal/dectest"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
)

// The groups of sentinels the engine's godoc names by reference.
var (
	// CheckDecimal is derivmath.CheckDecimal's errors.
	CheckDecimal = slices.Clip(dectest.CheckDecimalErrs)
	// CheckPrice is derivmath.CheckPrice's: CheckDecimal's and ErrPrice.
	CheckPrice = append(slices.Clip(CheckDecimal), derivmath.ErrPrice)
	// Validate is contract.Spec.Validate's.
	Validate = append(slices.Clip(CheckDecimal), contract.ErrKind, contract.ErrMultiplier,
		contract.ErrTickSize, contract.ErrLotSize, derivmath.ErrFeeRate, contract.ErrMinorUnit)
	// Arithmetic is the "arithmetic errors" of the steps: derivmath.ErrRange
	// for a result outside the result range, ErrInexact for a ledger
	// movement, and a condition the context traps (see dectest.Trapped).
	Arithmetic = []error{derivmath.ErrRange, engine.ErrInexact}
	// Solver is the "solver" and "liquidation's" errors: those of
	// liquidation.Solver.Compile, Price and Liquidatable (and a
	// *margin.TierError, which [Documented] accepts).
	Solver = append(slices.Clip(CheckPrice), derivmath.ErrContext, liquidation.ErrNoSpec,
		liquidation.ErrConvention, liquidation.ErrNoLegs, contract.ErrKind, contract.ErrMultiplier,
		contract.ErrTickSize, contract.ErrMinorUnit, derivmath.ErrRate, liquidation.ErrNegative,
		liquidation.ErrSettle, derivmath.ErrZeroQty, liquidation.ErrRounding, liquidation.ErrNoConvergence)
)

// Errors lists, for each exported method of package engine that returns an
// error and New and Preset.Validate (the formulas' lists are the engine
// tests' formulaErrors), the sentinels its godoc names, with the
// references resolved to the groups above.
var Errors = map[string][]error{
	"New": slices.Concat([]error{derivmath.ErrContext, engine.ErrMinor, engine.ErrPreset, engine.ErrTable, engine.ErrInconsistent},
		Validate),
	"Preset.Validate": append(slices.Clip(CheckDecimal), engine.ErrPreset, engine.ErrTable, engine.ErrInconsistent),
	"SetMark":         CheckPrice,
	"SetFund":         append(slices.Clip(CheckDecimal), engine.ErrNegativeFund, engine.ErrInexact),
	"Add": append(slices.Clip(CheckPrice), account.ErrMode, engine.ErrInexact, engine.ErrPosition,
		derivmath.ErrRate, engine.ErrTable, derivmath.ErrZeroQty),
	"Equity":   slices.Concat([]error{engine.ErrTrader}, CheckPrice, Arithmetic),
	"Total":    {derivmath.ErrRange},
	"NetQty":   {derivmath.ErrRange},
	"Trigger":  slices.Concat([]error{engine.ErrTrader}, CheckPrice, Solver),
	"Cancel":   {engine.ErrTrader, engine.ErrNotLiquidatable},
	"StepDown": slices.Concat([]error{engine.ErrTrader, engine.ErrNotLiquidatable, engine.ErrIntentOpen}, Arithmetic, Solver),
	"Takeover": slices.Concat([]error{engine.ErrTrader, engine.ErrNotLiquidatable, engine.ErrIntentOpen, engine.ErrPosition}, Arithmetic, Solver),
	"Execute": slices.Concat([]error{
		engine.ErrUnknownIntent, engine.ErrOverfill, engine.ErrLimit, engine.ErrMaker,
		engine.ErrNegativeFund, engine.ErrPosition, engine.ErrInexact,
	}, CheckPrice, Arithmetic, Solver),
	"Reprice":  append(slices.Clip(CheckPrice), engine.ErrUnknownIntent),
	"Withdraw": {engine.ErrUnknownIntent},
	"MustADL":  slices.Concat([]error{engine.ErrTrader, engine.ErrNegativeFund}, CheckPrice, Arithmetic),
	"ADL": slices.Concat([]error{engine.ErrTrader, engine.ErrOverfill, engine.ErrNoCounterparty, engine.ErrPosition},
		Arithmetic, Solver),
	"Socialise":      Arithmetic,
	"AppendADLQueue": append([]error{engine.ErrTrader}, Arithmetic...),
}

// solving lists the methods whose godoc names solver or liquidation's
// errors, so a *margin.TierError.
var solving = []string{"Trigger", "StepDown", "Takeover", "Execute", "ADL"}

// arithmetic lists the methods whose godoc names arithmetic errors, so a
// trapped condition.
var arithmetic = []string{"Equity", "StepDown", "Takeover", "Execute", "MustADL", "ADL", "Socialise", "AppendADLQueue"}

// Fataler is what Documented needs of a *testing.T or a *rapid.T.
type Fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

// Documented fails t unless err is nil or documented for the method what
// (a key of Errors): one of its sentinels, a *margin.TierError where it
// names solver errors, a trapped condition where it names arithmetic or
// solver ones.
func Documented(t Fataler, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	list, ok := Errors[what]
	if !ok {
		t.Fatalf("no documented errors for %s", what)
	}
	if slices.ContainsFunc(list, func(s error) bool { return errors.Is(err, s) }) {
		return
	}
	var tier *margin.TierError
	if slices.Contains(solving, what) && errors.As(err, &tier) {
		return
	}
	// The solver's errors include its wrapped apd conditions.
	if (slices.Contains(arithmetic, what) || slices.Contains(solving, what)) && dectest.Trapped(err) {
		return
	}
	t.Fatalf("%s: undocumented error %v (%T)", what, err, err)
}
