package bitmex_test

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/venue/bitmex"
	pt "github.com/derivmath/derivmath/venue/internal/payloadtest"
)

// TestAssembleAnyContext: the payloads of TestAssemblePayloads (rows 0 to
// 3, row 3 with its margin row) assemble in every context of 1 to 50
// digits, any rounding, Inexact trapped or not, or fail with ErrRange or
// the trapped Inexact; the accounts report (payloadtest.AnyContext).
func TestAssembleAnyContext(t *testing.T) {
	ins := pt.Load(t, "testdata/instrument-2019.json")
	pos := pt.Load(t, "testdata/position.json")
	for row := range 4 {
		p := &bitmex.Payloads{Instruments: ins, Positions: pt.Rows(t, pos, row)}
		if row == 3 {
			p.Margins = pt.Load(t, "testdata/margin-with-position.json")
		}
		pt.AnyContext(t, func(ctx *apd.Context) (*account.Account, error) {
			a, _, err := bitmex.Assemble(ctx, p, nil)
			return a, err
		})
	}
}
