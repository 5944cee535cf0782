package engine

import (
	"fmt"
	"testing"
)

// TestEnumNames checks the String methods of the engine's enumerations:
// a defined value by its name, the zero value and one past the last by
// the type and number.
func TestEnumNames(t *testing.T) {
	tests := []struct {
		v    fmt.Stringer
		want string
	}{
		{StepMark, "S1 mark"},
		{StepSocialise, "S8 socialise"},
		{Step(0), "Step(0)"},
		{Step(9), "Step(9)"},
		{Move, "Move"},
		{Reduced, "Reduced"},
		{Kind(10), "Kind(10)"},
		{Kind(-1), "Kind(-1)"},
		{Sell, "Sell"},
		{Side(3), "Side(3)"},
		{GMX, "GMX"},
		{Venue(0), "Venue(0)"},
		{MarkInput, "MarkInput"},
		{MarkRule(5), "MarkRule(5)"},
		{Fees, "Fees"},
		{Ledger(5), "Ledger(5)"},
	}
	for _, tt := range tests {
		if got := tt.v.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}
