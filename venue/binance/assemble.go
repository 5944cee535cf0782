package binance

import (
	"fmt"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/internal/object"
)

// Payloads are the Binance response bodies (USD-M or COIN-M, one market)
// an account is assembled from.
type Payloads struct {
	// Symbols is exchangeInfo (the whole response, its symbols, or one
	// symbol): it must hold the symbol of every open position.
	Symbols []byte
	// Positions is positionRisk (v2, v3 or COIN-M). Flat rows are skipped.
	Positions []byte
	// Brackets is leverageBracket: it must hold the brackets of every open
	// position's symbol, or of its pair (COIN-M's v1 response).
	Brackets []byte
	// Account is the account endpoint (optional): a wallet per asset
	// (walletBalance, isolated margins included). Without it the wallets
	// are 0, and the prices of cross positions are an empty wallet's.
	// Each asset's wallet backs only the positions settled in it, as in
	// single-asset mode; in multi-assets mode Binance pools the assets'
	// USD values (its totals are in USD), so there the prices of cross
	// positions and the asset comparisons differ from the exchange's.
	Account []byte
}

// Options are the inputs Binance's payloads may lack. The zero Options is
// valid.
type Options struct {
	// Mode is the margin mode per symbol, for rows that do not say
	// (positionRisk v3: /fapi/v1/symbolConfig has it); default Cross.
	Mode map[string]account.Mode
	// Leverage is the leverage per symbol for rows that do not carry it
	// (v3), for the initial margin; without it the initial margin is 0.
	Leverage map[string]*apd.Decimal
}

// Assemble decodes p and puts the account together: a wallet per asset
// of the account, a mark per symbol (the rows' markPrice), and every open
// position: positionAmt at entryPrice, its side (BOTH is one-way, LONG and
// SHORT hedge legs), its margin type and leverage (or the options'), the
// isolated wallet of an isolated position, and the symbol's brackets as
// maintenance tiers (or its pair's, as COIN-M's v1 leverageBracket keys
// them).
//
// It then compares derivmath's numbers with the exchange's, per position:
// liquidationPrice (derivmath's unrounded; "0" reads as none),
// unRealizedProfit, |notional| (USD-M), and where the row has them (v3)
// maintMargin and positionInitialMargin (the latter only with a leverage,
// from the row or the options: without one derivmath's initial margin is
// 0); and per asset of the account
// with positions, marginBalance, maintMargin, unrealizedProfit and
// availableBalance. Each agrees when the difference is below one unit of
// the exchange's last displayed decimal: Binance truncates its 8-decimal
// figures toward zero.
//
// Errors: derivmath.ErrContext for a nil ctx; the decoders' errors; a wrapped
// [*venue.FieldError] naming the symbol for a symbol or brackets missing from
// the payloads (field "symbol" or "brackets", venue.ErrMissing), a second
// open row on the same symbol and positionSide (field "positionSide",
// venue.ErrValue) or a row whose marginAsset (v3) is not its symbol's
// (field "marginAsset", venue.ErrValue); the errors of [Brackets.Tiers]; a wrapped
// [*venue.FieldError] naming the symbol and the field the library refused,
// whose Err is venue.ErrValue wrapping the library's error: symbol
// ([Symbol.Spec]), markPrice and positionAmt (account.Account:
// account.ErrSide for one-way and hedge rows of one symbol, account.ErrMode
// for isolated and cross rows). Other errors of account.Account are
// returned as they are.
func Assemble(ctx *apd.Context, p *Payloads, o *Options) (*account.Account, []venue.Comparison, error) {
	if o == nil {
		o = &Options{}
	}
	syms, err := DecodeSymbols(p.Symbols)
	if err != nil {
		return nil, nil, err
	}
	open, _, err := DecodePositionRisk(p.Positions)
	if err != nil {
		return nil, nil, err
	}
	bs, err := DecodeBrackets(p.Brackets)
	if err != nil {
		return nil, nil, err
	}
	var acct *Account
	if len(p.Account) > 0 {
		if acct, err = DecodeAccount(p.Account); err != nil {
			return nil, nil, err
		}
	}
	a, err := account.New(ctx, liquidation.Binance)
	if err != nil {
		return nil, nil, err
	}
	if acct != nil {
		for i := range acct.Assets {
			s := &acct.Assets[i]
			if err := a.SetWallet(s.Asset, &s.WalletBalance.Decimal); err != nil {
				return nil, nil, fmt.Errorf("binance: account: asset %s: %w", s.Asset, err)
			}
		}
	}
	fail := func(symbol, field string, err error) error {
		return fmt.Errorf("binance: assemble: %w", &venue.FieldError{Row: venue.Row{Index: -1, Key: symbol}, Field: field, Err: object.Cause(err)})
	}
	specs := make(map[string]*contract.Spec)
	tiers := make(map[string]*margin.Tiers)
	for i := range open {
		r := &open[i]
		spec, ok := specs[r.Symbol]
		if !ok {
			sym := symbolOf(syms, r.Symbol)
			if sym == nil {
				return nil, nil, fail(r.Symbol, "symbol", venue.ErrMissing)
			}
			if spec, err = sym.Spec(); err != nil {
				return nil, nil, fail(r.Symbol, "symbol", err)
			}
			var t *margin.Tiers
			if b := bracketsOf(bs, sym); b != nil {
				if t, err = b.Tiers(); err != nil {
					return nil, nil, err
				}
			}
			if t == nil {
				return nil, nil, fail(r.Symbol, "brackets", venue.ErrMissing)
			}
			specs[r.Symbol], tiers[r.Symbol] = spec, t
			if err := a.SetMark(spec, &r.MarkPrice.Decimal); err != nil {
				return nil, nil, fail(r.Symbol, "markPrice", err)
			}
		}
		if r.MarginAsset != "" && r.MarginAsset != spec.Settle {
			// A v3 row's own asset, not its symbol's: its amounts would
			// be read in the wrong asset.
			return nil, nil, fail(r.Symbol, "marginAsset", venue.ErrValue)
		}
		ap := account.Position{Spec: spec, Side: side(r.PositionSide), Mode: mode(r.MarginType, o.Mode[r.Symbol]), Tiers: tiers[r.Symbol]}
		ap.Qty.Set(&r.PositionAmt.Decimal)
		ap.Entry.Set(&r.EntryPrice.Decimal)
		ap.Leverage.Set(&r.Leverage.Decimal)
		if l := o.Leverage[r.Symbol]; !r.Leverage.Valid && l != nil {
			ap.Leverage.Set(l)
		}
		if ap.Mode == account.Isolated {
			// The row's wallet, whether its own marginType or the
			// options (v3) make it isolated.
			if err := r.wallet(&ap.Margin); err != nil {
				return nil, nil, err
			}
		}
		if a.Find(spec, ap.Side) >= 0 {
			return nil, nil, fail(r.Symbol, "positionSide", venue.ErrValue)
		}
		if err := a.Set(&ap); err != nil {
			return nil, nil, fail(r.Symbol, "positionAmt", err)
		}
	}
	var cs []venue.Comparison
	for i := range open {
		r := &open[i]
		j := a.Find(specs[r.Symbol], side(r.PositionSide))
		var rep account.Report
		if err := a.Report(&rep, j, liquidation.Exact); err != nil {
			return nil, nil, fmt.Errorf("binance: position %s: %w", r.Symbol, err)
		}
		vp, err := r.Position()
		if err != nil {
			return nil, nil, err
		}
		sym, sd := r.Symbol, r.PositionSide
		cs = venue.AppendComparison(cs, sym, sd, "liquidationPrice", &vp.Liquidation, found(&rep.Liquidation, rep.LiquidationStatus), nil)
		cs = venue.AppendComparison(cs, sym, sd, "unRealizedProfit", &r.UnRealizedProfit, set(&rep.Unrealised), nil)
		if r.Notional.Valid {
			cs = venue.AppendComparison(cs, sym, sd, "notional", abs(&r.Notional), set(&rep.Value), nil)
		}
		if r.MaintMargin.Valid {
			cs = venue.AppendComparison(cs, sym, sd, "maintMargin", &r.MaintMargin, set(&rep.Maintenance), nil)
		}
		if r.PositionInitialMargin.Valid && !rep.Initial.IsZero() {
			cs = venue.AppendComparison(cs, sym, sd, "positionInitialMargin", &r.PositionInitialMargin, set(&rep.Initial), nil)
		}
	}
	if acct != nil {
		for i := range acct.Assets {
			s := &acct.Assets[i]
			var sum account.Summary
			if err := a.Summary(&sum, s.Asset); err != nil {
				return nil, nil, err
			}
			if sum.Maintenance.IsZero() && sum.Initial.IsZero() {
				continue
			}
			cs = venue.AppendComparison(cs, s.Asset, 0, "marginBalance", &s.MarginBalance, set(&sum.Equity), nil)
			cs = venue.AppendComparison(cs, s.Asset, 0, "maintMargin", &s.MaintMargin, set(&sum.Maintenance), nil)
			cs = venue.AppendComparison(cs, s.Asset, 0, "unrealizedProfit", &s.UnrealizedProfit, set(&sum.Unrealised), nil)
			if s.AvailableBalance.Valid {
				cs = venue.AppendComparison(cs, s.Asset, 0, "availableBalance", &s.AvailableBalance, set(&sum.Available), nil)
			}
		}
	}
	return a, cs, nil
}

// symbolOf returns the first of syms named symbol, or nil.
func symbolOf(syms []Symbol, symbol string) *Symbol {
	for i := range syms {
		if syms[i].Symbol == symbol {
			return &syms[i]
		}
	}
	return nil
}

// bracketsOf returns the brackets of sym: those keyed by its symbol, or
// else by its pair (COIN-M's v1 response keys them by pair, "BTCUSD", for
// every contract on it), or nil. Where several elements match, the last
// wins.
func bracketsOf(bs []Brackets, sym *Symbol) *Brackets {
	pair := sym.Pair
	var byPair *Brackets
	for j := len(bs) - 1; j >= 0; j-- {
		switch bs[j].Symbol {
		case sym.Symbol:
			return &bs[j]
		case pair:
			if byPair == nil && pair != "" {
				byPair = &bs[j]
			}
		}
	}
	return byPair
}

// side converts a position side.
func side(s venue.PositionSide) account.Side {
	switch s {
	case venue.Long:
		return account.Long
	case venue.Short:
		return account.Short
	}
	return account.OneWay
}

// mode returns the row's margin mode, else the option's, else Cross.
func mode(m venue.MarginMode, opt account.Mode) account.Mode {
	switch {
	case m == venue.Isolated:
		return account.Isolated
	case m == venue.Cross:
		return account.Cross
	case opt != 0:
		return opt
	}
	return account.Cross
}

// set returns x as a set venue.Decimal.
func set(x *apd.Decimal) *venue.Decimal {
	z := new(venue.Decimal)
	z.Set(x)
	z.Valid = true
	return z
}

// abs returns |x|.
func abs(x *venue.Decimal) *venue.Decimal {
	z := new(venue.Decimal)
	z.Abs(&x.Decimal)
	z.Valid = x.Valid
	return z
}

// found returns x when st is Found, else nil (none).
func found(x *apd.Decimal, st liquidation.Status) *venue.Decimal {
	if st != liquidation.Found {
		return nil
	}
	return set(x)
}
