package account_test

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
)

// TestFeeToCloseIsMargins checks that the fee to close an account reserves
// for an isolated Bybit position given no fee is margin.FeeToClose of it,
// to the last digit: with an entry of many digits the products round, and
// a formula written in another order would round them differently.
func TestFeeToCloseIsMargins(t *testing.T) {
	ctx := derivmath.NewContext()
	lin, err := contract.New(contract.Params{Symbol: "LIN", Kind: contract.Linear, Settle: "USDT", Multiplier: "1", Tick: "0.000000000001", Lot: "1", Taker: "0.00055"})
	noErr(t, err)
	inv, err := contract.New(contract.Params{Symbol: "INV", Kind: contract.Inverse, Settle: "BTC", Multiplier: "1", Tick: "0.000000000001", Lot: "1", Taker: "0.00055"})
	noErr(t, err)
	for _, tt := range []struct {
		spec       *contract.Spec
		qty, entry string
	}{
		{lin, "1", "1234567.891234567891"},
		{lin, "-1", "1234567.891234567891"},
		{lin, "7", "98765.43219876543219"},
		{inv, "1000000", "0.7654321987654321"},
		{inv, "-1000000", "0.7654321987654321"},
	} {
		a, err := account.New(ctx, liquidation.Bybit)
		noErr(t, err)
		noErr(t, a.SetWallet(tt.spec.Settle, d("1000000000")))
		noErr(t, a.SetMark(tt.spec, d(tt.entry)))
		p := &account.Position{Spec: tt.spec, Side: account.OneWay, Mode: account.Isolated}
		p.Qty.Set(d(tt.qty))
		p.Entry.Set(d(tt.entry))
		p.Leverage.SetInt64(10)
		p.Margin.Set(d("1000000"))
		p.MMR.Set(d("0.01"))
		noErr(t, a.Set(p))
		var r account.Report
		noErr(t, a.Report(&r, 0, liquidation.Exact))
		var want apd.Decimal
		noErr(t, margin.FeeToClose(ctx, &want, tt.spec, &p.Qty, &p.Entry, &p.Leverage, &tt.spec.Taker))
		if r.Fee.Cmp(&want) != 0 {
			t.Errorf("%s %s at %s: the account reserves %s, margin.FeeToClose gives %s", tt.spec.Symbol, tt.qty, tt.entry, &r.Fee, &want)
		}
	}
}
