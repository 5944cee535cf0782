package bitmex

import (
	"fmt"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/internal/object"
)

// A Margin is a row of GET /api/v1/user/margin: an account's balances in
// one currency, every amount an integer in minor units of Currency (XBt,
// USDt). The identities BitMEX keeps:
//
//	walletBalance   = amount + realisedPnl
//	marginBalance   = walletBalance + unrealisedPnl
//	availableMargin = marginBalance - initMargin - maintMargin
//
// where InitMargin is the margin held by open orders and MaintMargin the
// sum of the positions' margin equity (their posMargin + unrealisedPnl).
// Fields of the older schema that the 2024 schema dropped (commission,
// state, ...) are not read; fields it added (foreignMarginBalance,
// foreignRequirement) are unset on older rows.
//
// A Margin holds decimals: pass it by pointer and do not copy it after
// first use.
type Margin struct {
	Account  int64
	Currency string
	// RiskLimit is the account's risk limit in minor units.
	RiskLimit venue.Decimal
	Amount    venue.Decimal
	// WalletBalance, MarginBalance and the other money fields, in minor
	// units.
	WalletBalance, MarginBalance, RealisedPnl, UnrealisedPnl venue.Decimal
	InitMargin, MaintMargin, RiskValue                       venue.Decimal
	ExcessMargin, AvailableMargin, WithdrawableMargin        venue.Decimal
	GrossComm, GrossOpenCost, GrossMarkValue                 venue.Decimal
	ForeignMarginBalance, ForeignRequirement                 venue.Decimal
	// MarginLeverage is a ratio (a JSON float), not money.
	MarginLeverage venue.Decimal
	Timestamp      time.Time
}

// DecodeMargins decodes the response of GET /api/v1/user/margin: a single
// object (without the currency parameter, XBt) or an array of them
// (currency=all). Unknown fields are ignored.
//
// Required: currency, amount, walletBalance, marginBalance, realisedPnl,
// unrealisedPnl, initMargin, maintMargin and availableMargin. Every money
// field must be a whole number of minor units.
//
// Errors: encoding/json's *json.SyntaxError for malformed JSON, otherwise a
// wrapped [*venue.FieldError] naming the row and the field.
func DecodeMargins(data []byte) ([]Margin, error) {
	rows, err := object.Rows(data)
	if err != nil {
		return nil, fmt.Errorf("bitmex: margins: %w", err)
	}
	out := make([]Margin, len(rows))
	for i, raw := range rows {
		o := object.New(raw, venue.Row{Index: i})
		out[i].decode(o)
		if err := o.Err(); err != nil {
			return nil, fmt.Errorf("bitmex: margins: %w", err)
		}
	}
	return out, nil
}

func (m *Margin) decode(o *object.Object) {
	const req, opt = object.Required, object.Optional
	m.Currency = o.String("currency", req)
	o.SetKey(m.Currency)
	m.Account, _ = o.Int("account", opt)
	m.Timestamp = o.Time("timestamp", opt)
	o.Decimal("marginLeverage", &m.MarginLeverage, opt)
	for _, f := range [...]struct {
		name string
		d    *venue.Decimal
		need object.Need
	}{
		{"riskLimit", &m.RiskLimit, opt},
		{"amount", &m.Amount, req},
		{"walletBalance", &m.WalletBalance, req},
		{"marginBalance", &m.MarginBalance, req},
		{"realisedPnl", &m.RealisedPnl, req},
		{"unrealisedPnl", &m.UnrealisedPnl, req},
		{"initMargin", &m.InitMargin, req},
		{"maintMargin", &m.MaintMargin, req},
		{"riskValue", &m.RiskValue, opt},
		{"excessMargin", &m.ExcessMargin, opt},
		{"availableMargin", &m.AvailableMargin, req},
		{"withdrawableMargin", &m.WithdrawableMargin, opt},
		{"grossComm", &m.GrossComm, opt},
		{"grossOpenCost", &m.GrossOpenCost, opt},
		{"grossMarkValue", &m.GrossMarkValue, opt},
		{"foreignMarginBalance", &m.ForeignMarginBalance, opt},
		{"foreignRequirement", &m.ForeignRequirement, opt},
	} {
		o.Decimal(f.name, f.d, f.need)
		if f.d.Valid && !whole(&f.d.Decimal) {
			o.Fail(f.name, venue.ErrValue)
		}
	}
}

// Wallet sets z to the wallet balance in the currency's major unit
// (walletBalance XBt 1418963 is 0.01418963 XBT) and returns the currency's
// name ("XBT").
//
// Errors: [ErrCurrency] for a currency code that [Unit] does not know;
// [Major]'s for a balance that is not a valid decimal (a Margin filled by
// hand rather than decoded).
func (m *Margin) Wallet(z *apd.Decimal) (string, error) {
	name, _, err := Unit(m.Currency)
	if err != nil {
		return "", fmt.Errorf("bitmex: margin %q: %w", m.Currency, err)
	}
	return name, Major(z, &m.WalletBalance.Decimal, m.Currency)
}
