package binance

import (
	"bytes"
	"fmt"
	"time"

	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/internal/object"
)

// An Account is the response of GET /fapi/v2/account or /fapi/v3/account
// (USD-M) or GET /dapi/v1/account (COIN-M). Every amount is a decimal
// string.
//
// The totals exist on USD-M only (unset on COIN-M). They are in USDT in
// single-asset mode and in USD in multi-assets mode, where they cover
// every asset, including ones a trimmed response leaves out of Assets.
//
// An Account holds decimals: pass it by pointer and do not copy it after
// first use.
type Account struct {
	TotalInitialMargin, TotalMaintMargin, TotalWalletBalance, TotalUnrealizedProfit venue.Decimal
	TotalMarginBalance, TotalPositionInitialMargin, TotalOpenOrderInitialMargin     venue.Decimal
	TotalCrossWalletBalance, TotalCrossUnPnl, AvailableBalance, MaxWithdrawAmount   venue.Decimal

	Assets []Asset
	// Positions are the open positions; Flat lists the rows of positions[]
	// with positionAmt 0, which are left out (Index is the row's index in
	// positions[]).
	Positions []AccountPosition
	Flat      []venue.Row
}

// An Asset is an element of an account's assets[]: the balances in one
// margin asset, in that asset.
type Asset struct {
	Asset                                          string
	WalletBalance, UnrealizedProfit, MarginBalance venue.Decimal
	MaintMargin, InitialMargin                     venue.Decimal
	PositionInitialMargin, OpenOrderInitialMargin  venue.Decimal
	CrossWalletBalance, CrossUnPnl                 venue.Decimal
	AvailableBalance, MaxWithdrawAmount            venue.Decimal
	UpdateTime                                     time.Time
}

// An AccountPosition is an element of an account's positions[]: a
// position's margins as Binance computes them. PositionAmt and Notional are
// signed; v2 rows also carry entryPrice and leverage.
type AccountPosition struct {
	Symbol                                        string
	PositionSide                                  venue.PositionSide
	PositionAmt, EntryPrice, Leverage             venue.Decimal
	UnrealizedProfit, Notional                    venue.Decimal
	IsolatedMargin, IsolatedWallet                venue.Decimal
	InitialMargin, MaintMargin                    venue.Decimal
	PositionInitialMargin, OpenOrderInitialMargin venue.Decimal
	UpdateTime                                    time.Time
}

// DecodeAccount decodes an account response, a JSON object. Unknown fields
// are ignored;
// positions with positionAmt 0 are left out and listed in Account.Flat.
//
// Required: assets; in each asset: asset, walletBalance, unrealizedProfit,
// marginBalance, initialMargin and maintMargin; in each position: symbol,
// positionSide and positionAmt, and when open, unrealizedProfit and
// maintMargin. The totals are optional (COIN-M has none).
//
// Errors: encoding/json's *json.SyntaxError for malformed JSON, otherwise a
// wrapped [*venue.FieldError] naming the field ("assets[0].walletBalance").
func DecodeAccount(data []byte) (*Account, error) {
	rows, err := object.Rows(data)
	if err != nil {
		return nil, fmt.Errorf("binance: account: %w", err)
	}
	if len(rows) != 1 || bytes.TrimLeft(data, " \t\r\n")[0] != '{' {
		return nil, fmt.Errorf("binance: account: %w", &venue.FieldError{Err: venue.ErrType})
	}
	o := object.New(rows[0], venue.Row{})
	a := &Account{}
	a.decode(o)
	if err := o.Err(); err != nil {
		return nil, fmt.Errorf("binance: account: %w", err)
	}
	return a, nil
}

func (a *Account) decode(o *object.Object) {
	const req, opt = object.Required, object.Optional
	for _, f := range [...]field{
		{"totalInitialMargin", &a.TotalInitialMargin, false},
		{"totalMaintMargin", &a.TotalMaintMargin, false},
		{"totalWalletBalance", &a.TotalWalletBalance, false},
		{"totalUnrealizedProfit", &a.TotalUnrealizedProfit, false},
		{"totalMarginBalance", &a.TotalMarginBalance, false},
		{"totalPositionInitialMargin", &a.TotalPositionInitialMargin, false},
		{"totalOpenOrderInitialMargin", &a.TotalOpenOrderInitialMargin, false},
		{"totalCrossWalletBalance", &a.TotalCrossWalletBalance, false},
		{"totalCrossUnPnl", &a.TotalCrossUnPnl, false},
		{"availableBalance", &a.AvailableBalance, false},
		{"maxWithdrawAmount", &a.MaxWithdrawAmount, false},
	} {
		o.Decimal(f.name, f.d, opt)
	}
	assets := o.Array("assets", req)
	a.Assets = make([]Asset, len(assets))
	for i, r := range assets {
		s := &a.Assets[i]
		s.Asset = r.String("asset", req)
		for _, f := range [...]struct {
			name string
			d    *venue.Decimal
			need object.Need
		}{
			{"walletBalance", &s.WalletBalance, req},
			{"unrealizedProfit", &s.UnrealizedProfit, req},
			{"marginBalance", &s.MarginBalance, req},
			{"maintMargin", &s.MaintMargin, req},
			{"initialMargin", &s.InitialMargin, req},
			{"positionInitialMargin", &s.PositionInitialMargin, opt},
			{"openOrderInitialMargin", &s.OpenOrderInitialMargin, opt},
			{"crossWalletBalance", &s.CrossWalletBalance, opt},
			{"crossUnPnl", &s.CrossUnPnl, opt},
			{"availableBalance", &s.AvailableBalance, opt},
			{"maxWithdrawAmount", &s.MaxWithdrawAmount, opt},
		} {
			r.Decimal(f.name, f.d, f.need)
		}
		s.UpdateTime = r.Millis("updateTime", opt)
	}
	for i, r := range o.Array("positions", opt) {
		var p AccountPosition
		p.Symbol = r.String("symbol", req)
		p.PositionSide = positionSide(r, "positionSide", req)
		fields := p.decimals()
		for _, f := range fields {
			r.Decimal(f.name, f.d, object.Need(f.name == "positionAmt"))
		}
		p.UpdateTime = r.Millis("updateTime", opt)
		if o.Err() != nil {
			return
		}
		if p.PositionAmt.IsZero() {
			a.Flat = append(a.Flat, venue.Row{Index: i, Key: p.Symbol})
			continue
		}
		for _, f := range fields {
			if f.open {
				r.Need(f.name, f.d.Valid)
			}
		}
		sideSign(r, p.PositionSide, &p.PositionAmt)
		a.Positions = append(a.Positions, AccountPosition{})
		a.Positions[len(a.Positions)-1].set(&p)
	}
}

func (p *AccountPosition) decimals() []field {
	return []field{
		{"positionAmt", &p.PositionAmt, false},
		{"entryPrice", &p.EntryPrice, false},
		{"leverage", &p.Leverage, false},
		{"unrealizedProfit", &p.UnrealizedProfit, true},
		{"notional", &p.Notional, false},
		{"isolatedMargin", &p.IsolatedMargin, false},
		{"isolatedWallet", &p.IsolatedWallet, false},
		{"initialMargin", &p.InitialMargin, false},
		{"maintMargin", &p.MaintMargin, true},
		{"positionInitialMargin", &p.PositionInitialMargin, false},
		{"openOrderInitialMargin", &p.OpenOrderInitialMargin, false},
	}
}

// set copies p into q field by field.
func (q *AccountPosition) set(p *AccountPosition) {
	q.Symbol, q.PositionSide, q.UpdateTime = p.Symbol, p.PositionSide, p.UpdateTime
	qd, pd := q.decimals(), p.decimals()
	for i := range qd {
		qd[i].d.Set(&pd[i].d.Decimal)
		qd[i].d.Valid = pd[i].d.Valid
	}
}
