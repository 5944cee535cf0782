package binance_test

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/venue/binance"
	pt "github.com/derivmath/derivmath/venue/internal/payloadtest"
)

// TestAssembleAnyContext: the bot's payloads assemble in every context of
// 1 to 50 digits, any rounding, Inexact trapped or not, or fail with
// ErrRange or the trapped Inexact; the accounts report
// (payloadtest.AnyContext).
func TestAssembleAnyContext(t *testing.T) {
	p := botPayloads(t)
	pt.AnyContext(t, func(ctx *apd.Context) (*account.Account, error) {
		a, _, err := binance.Assemble(ctx, p, nil)
		return a, err
	})
}
