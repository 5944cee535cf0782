package engine_test

import (
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/engine"
)

// TestNewErrorOrder pins the order of New's checks that its godoc states:
// the context, then the spec (nil, invalid, without a minor unit), then
// the preset (nil, invalid), each returning the first error it finds.
func TestNewErrorOrder(t *testing.T) {
	ctx := derivmath.NewContext()
	good, noMinor := linear(t, "0.25", "1", "0.01"), linear(t, "0.25", "1", "0")
	invalid := linear(t, "0.25", "1", "0")
	invalid.Kind = 0 // and no minor unit: Validate's error comes first
	if err := invalid.Validate(); !errors.Is(err, contract.ErrKind) {
		t.Fatalf("the invalid spec validates: %v", err)
	}
	bad := engine.PresetBinance()
	bad.Venue = -1
	if err := bad.Validate(); !errors.Is(err, engine.ErrPreset) {
		t.Fatalf("the invalid preset validates: %v", err)
	}
	for _, c := range []struct {
		name string
		ctx  *apd.Context
		s    *contract.Spec
		p    *engine.Preset
		want error
	}{
		{"nil context first", nil, nil, nil, derivmath.ErrContext},
		{"nil spec", ctx, nil, nil, engine.ErrMinor},
		{"invalid spec, nil preset", ctx, invalid, nil, contract.ErrKind},
		{"invalid spec, invalid preset", ctx, invalid, bad, contract.ErrKind},
		{"no minor unit, nil preset", ctx, noMinor, nil, engine.ErrMinor},
		{"no minor unit, invalid preset", ctx, noMinor, bad, engine.ErrMinor},
		{"nil preset", ctx, good, nil, engine.ErrPreset},
		{"invalid preset", ctx, good, bad, engine.ErrPreset},
	} {
		st, err := engine.New(c.ctx, c.s, c.p)
		if st != nil || !errors.Is(err, c.want) {
			t.Errorf("%s: %v, %v; want nil, %v", c.name, st, err, c.want)
		}
	}
}
