package bybit

import (
	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/internal/object"
)

// A Wallet is a row of GET /v5/account/wallet-balance: one account's
// balances. The account-level totals are in USD and unset ("") where Bybit
// does not compute them (every total of a classic CONTRACT account;
// portfolio-margin IM and MM). AccountIMRate and AccountMMRate are
// fractions.
//
// A Wallet holds decimals: pass it by pointer and do not copy it after
// first use.
type Wallet struct {
	// AccountType is "UNIFIED" or "CONTRACT".
	AccountType                                                                string
	TotalEquity, TotalWalletBalance, TotalMarginBalance, TotalAvailableBalance venue.Decimal
	TotalPerpUPL, TotalInitialMargin, TotalMaintenanceMargin                   venue.Decimal
	AccountIMRate, AccountMMRate, AccountLTV                                   venue.Decimal
	Coins                                                                      []Coin
}

// A Coin is an element of a wallet's coin[]: the balances in one coin, in
// that coin (UsdValue in USD). Fields Bybit leaves "" are unset.
type Coin struct {
	Coin                                           string
	Equity, WalletBalance, UsdValue, UnrealisedPnl venue.Decimal
	CumRealisedPnl, Locked, Bonus                  venue.Decimal
	TotalOrderIM, TotalPositionIM, TotalPositionMM venue.Decimal
	BorrowAmount, AccruedInterest                  venue.Decimal
	// AvailableToWithdraw is deprecated by Bybit.
	AvailableToWithdraw venue.Decimal
	// MarginCollateral and CollateralSwitch: whether the coin may be
	// collateral, and whether the user enabled it.
	MarginCollateral, CollateralSwitch bool
}

// DecodeWalletBalance decodes a GET /v5/account/wallet-balance response.
// Unknown fields are ignored.
//
// Required: the envelope's retCode and result.list; in every row
// accountType and coin; in every coin, coin, equity and walletBalance.
//
// Errors: [*APIError] when retCode is not 0, encoding/json's
// *json.SyntaxError for malformed JSON, otherwise a wrapped
// [*venue.FieldError] naming the row and the field ("coin[0].equity").
func DecodeWalletBalance(data []byte) ([]Wallet, error) {
	_, rows, err := result(data, false)
	if err != nil {
		return nil, wrap("wallet-balance", err)
	}
	const req, opt = object.Required, object.Optional
	out := make([]Wallet, len(rows))
	for i, raw := range rows {
		o := object.New(raw, venue.Row{Index: i})
		w := &out[i]
		w.AccountType = o.String("accountType", req)
		o.SetKey(w.AccountType)
		for _, f := range [...]field{
			{name: "totalEquity", d: &w.TotalEquity},
			{name: "totalWalletBalance", d: &w.TotalWalletBalance},
			{name: "totalMarginBalance", d: &w.TotalMarginBalance},
			{name: "totalAvailableBalance", d: &w.TotalAvailableBalance},
			{name: "totalPerpUPL", d: &w.TotalPerpUPL},
			{name: "totalInitialMargin", d: &w.TotalInitialMargin},
			{name: "totalMaintenanceMargin", d: &w.TotalMaintenanceMargin},
			{name: "accountIMRate", d: &w.AccountIMRate},
			{name: "accountMMRate", d: &w.AccountMMRate},
			{name: "accountLTV", d: &w.AccountLTV},
		} {
			o.Decimal(f.name, f.d, opt)
		}
		coins := o.Array("coin", req)
		w.Coins = make([]Coin, len(coins))
		for j, r := range coins {
			c := &w.Coins[j]
			c.Coin = r.String("coin", req)
			for _, f := range [...]struct {
				name string
				d    *venue.Decimal
				need object.Need
			}{
				{"equity", &c.Equity, req},
				{"walletBalance", &c.WalletBalance, req},
				{"usdValue", &c.UsdValue, opt},
				{"unrealisedPnl", &c.UnrealisedPnl, opt},
				{"cumRealisedPnl", &c.CumRealisedPnl, opt},
				{"locked", &c.Locked, opt},
				{"bonus", &c.Bonus, opt},
				{"totalOrderIM", &c.TotalOrderIM, opt},
				{"totalPositionIM", &c.TotalPositionIM, opt},
				{"totalPositionMM", &c.TotalPositionMM, opt},
				{"borrowAmount", &c.BorrowAmount, opt},
				{"accruedInterest", &c.AccruedInterest, opt},
				{"availableToWithdraw", &c.AvailableToWithdraw, opt},
			} {
				r.Decimal(f.name, f.d, f.need)
			}
			c.MarginCollateral, _ = r.Bool("marginCollateral", opt)
			c.CollateralSwitch, _ = r.Bool("collateralSwitch", opt)
		}
		if err := o.Err(); err != nil {
			return nil, wrap("wallet-balance", err)
		}
	}
	return out, nil
}
