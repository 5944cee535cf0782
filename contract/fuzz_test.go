package contract_test

import (
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
)

// sentinels are every error the package documents.
var sentinels = []error{
	derivmath.ErrNaN, derivmath.ErrInfinite, derivmath.ErrNegativeZero, derivmath.ErrRange,
	derivmath.ErrPrice, derivmath.ErrZeroQty, contract.ErrValue, derivmath.ErrLeverage,
	derivmath.ErrFeeRate, contract.ErrOffTick, contract.ErrOffLot, derivmath.ErrStep,
	derivmath.ErrRounding, contract.ErrKind, contract.ErrMultiplier, contract.ErrTickSize,
	contract.ErrLotSize, contract.ErrMinorUnit,
}

// checkDocumented fails unless err is nil, one of the sentinels, a
// *ParseError, or a wrapped apd failure ("contract: op: %w").
func checkDocumented(t tb, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return
		}
	}
	var pe *contract.ParseError
	if errors.As(err, &pe) || errors.Unwrap(err) != nil {
		return
	}
	t.Fatalf("%s: undocumented error %v (%T)", what, err, err)
}

// FuzzSpec builds a Spec from arbitrary text and, when it is valid, runs
// every computation over arbitrary decimals: nothing panics, every error is
// documented, and a failed Apply leaves the position as it was.
func FuzzSpec(f *testing.F) {
	f.Add(int8(contract.Inverse), "1", "0.5", "100", "-0.00025", "0.00075", "0.00000001", "15000", "750", "800", true)
	f.Add(int8(contract.Quanto), "0.000001", "0.05", "1", "-0.00025", "0.00075", "0.00000001", "10000", "500", "50", false)
	f.Add(int8(contract.Linear), "1", "0.1", "0.001", "0.0002", "0.0005", "", "-0.5", "60000", "61000.5", false)
	f.Add(int8(contract.Inverse), "100", "0.1", "1", "", "", "", "10", "40000", "50000", true)
	f.Add(int8(contract.Inverse), "0.000001", "0.0001", "0.001", "", "0.000000", "", "0.001", "1000.0001", "1000.0002", false)
	f.Add(int8(0), "1", "0.5", "100", "", "", "", "1", "1", "1", false)
	f.Add(int8(contract.Linear), "NaN", "-0", "1e-40", "1", "-1", "-1", "Inf", "-0", "sNaN", false)
	f.Add(int8(contract.Linear), "1", "1E-36", "1E-36", "0.999999", "-0.999999", "1E-36", "1234567890123456789", "1E+36", "1E-36", true)
	f.Add(int8(contract.Inverse), "9999999999999999999", "1E+36", "1E+36", "0", "0", "1E+36", "9E+36", "1E+36", "1E-36", false)
	f.Add(int8(contract.Linear), "1", "0.5", "0.001", "", "", "", "9999999999999999.999", "100", "0.002", false)
	f.Fuzz(func(t *testing.T, kind int8, mult, tick, lot, maker, taker, minor, qtyText, aText, bText string, isMaker bool) {
		s, err := contract.New(contract.Params{
			Kind: contract.Kind(kind), Multiplier: mult, Tick: tick, Lot: lot,
			Maker: maker, Taker: taker, Minor: minor,
		})
		if err != nil {
			checkDocumented(t, "New", err)
			if s != nil {
				t.Fatalf("New returned a Spec and the error %v", err)
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("New returned a Spec that does not validate: %v", err)
		}
		qty, _, err1 := apd.NewFromString(qtyText)
		a, _, err2 := apd.NewFromString(aText)
		b, _, err3 := apd.NewFromString(bText)
		if err1 != nil || err2 != nil || err3 != nil {
			return
		}
		var z apd.Decimal
		checkDocumented(t, "Value", s.Value(ctx, &z, qty, a))
		checkDocumented(t, "Price", s.Price(ctx, &z, qty, a))
		checkDocumented(t, "PnL", s.PnL(ctx, &z, qty, a, b))
		checkDocumented(t, "Cost", s.Cost(ctx, &z, qty, a))
		checkDocumented(t, "Fee", s.Fee(ctx, &z, qty, a, &s.Taker))
		checkDocumented(t, "Fee(rate b)", s.Fee(ctx, &z, qty, a, b))
		var p contract.Position
		p.Qty.Set(qty)
		p.Entry.Set(a)
		checkDocumented(t, "Unrealised", s.Unrealised(ctx, &z, &p, b))
		checkDocumented(t, "ROE", s.ROE(ctx, &z, &p, b, a))
		checkDocumented(t, "BreakEven", s.BreakEven(ctx, &z, &p, &s.Maker, &s.Taker))
		checkDocumented(t, "BreakEven(rates a, b)", s.BreakEven(ctx, &z, &p, a, b))
		_, err = s.Ticks(ctx, a)
		checkDocumented(t, "Ticks", err)
		_, err = s.Lots(ctx, qty)
		checkDocumented(t, "Lots", err)
		checkDocumented(t, "Round", derivmath.Round(ctx, &z, a, &s.Tick, derivmath.Rounding(kind)))
		fills := make([]contract.Fill, 2)
		fills[0].Qty.Set(qty)
		fills[0].Price.Set(a)
		fills[1].Qty.Set(qty)
		fills[1].Price.Set(b)
		checkDocumented(t, "AvgEntry", s.AvgEntry(ctx, &z, fills))

		// A fill, the opposite fill at the other price (a close or a
		// flip), and the first again, from flat.
		fills[1].Qty.Neg(qty)
		fills[1].Maker = isMaker
		var pos contract.Position
		for i, f := range []*contract.Fill{&fills[0], &fills[1], &fills[0], &fills[0]} {
			var before contract.Position
			before.Set(&pos)
			err := s.Apply(ctx, &pos, f)
			checkDocumented(t, "Apply", err)
			if err != nil {
				if !samePosition(&before, &pos) {
					t.Fatalf("fill %d: Apply failed with %v and changed the position from %+v to %+v", i, err, &before, &pos)
				}
				continue
			}
			// What Apply leaves is valid input again, unless an amount
			// grew beyond the range.
			for j, x := range []*apd.Decimal{&pos.Qty, &pos.Entry, &pos.Realised, &pos.Fees} {
				if err := derivmath.CheckDecimal(x); err != nil && (!errors.Is(err, derivmath.ErrRange) || x.Exponent <= derivmath.MaxScale) {
					t.Fatalf("fill %d: field %d of the position is %s: %v", i, j, x, err)
				}
			}
			if pos.Qty.IsZero() && (pos.Qty.Negative || !pos.Entry.IsZero()) {
				t.Fatalf("fill %d: flat position %s at %s", i, &pos.Qty, &pos.Entry)
			}
		}
	})
}

// samePosition compares representations, NaNs included.
func samePosition(p, q *contract.Position) bool {
	return p.Qty.CmpTotal(&q.Qty) == 0 && p.Entry.CmpTotal(&q.Entry) == 0 &&
		p.Realised.CmpTotal(&q.Realised) == 0 && p.Fees.CmpTotal(&q.Fees) == 0
}
