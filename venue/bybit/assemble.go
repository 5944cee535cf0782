package bybit

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/internal/object"
)

// Payloads are the Bybit v5 response bodies an account is assembled from.
type Payloads struct {
	// Instruments is /v5/market/instruments-info: it must hold the
	// instrument of every open position.
	Instruments []byte
	// Positions is /v5/position/list (or a websocket position message).
	// Empty rows are skipped.
	Positions []byte
	// RiskLimits is /v5/market/risk-limit: it must hold the tiers of every
	// open position's symbol.
	RiskLimits []byte
	// Wallet is /v5/account/wallet-balance (optional): a wallet per coin
	// (walletBalance). Without it the wallets are 0.
	Wallet []byte
}

// Options are the inputs Bybit's payloads lack. The zero Options is
// valid, but without Taker the fee to close is 0.
type Options struct {
	// Mode is the account's margin mode (GET /v5/account/info: marginMode
	// ISOLATED_MARGIN is Isolated, REGULAR_MARGIN and PORTFOLIO_MARGIN are
	// Cross). Zero takes it from each row's deprecated tradeMode (1
	// isolated, otherwise cross), right for classic accounts only.
	Mode account.Mode
	// Taker is the taker fee rate per symbol (GET /v5/account/fee-rate),
	// for the fee to close.
	Taker map[string]*apd.Decimal
}

// Assemble decodes p and puts the account together: a wallet per coin, a
// mark per symbol (the rows' markPrice), and every open position: size
// signed by side at avgPrice, positionIdx (0 one-way, 1 and 2 the hedge
// legs), leverage, the margin mode, positionBalance (or positionIM) as an
// isolated position's margin, the symbol's risk limits as tiers, and the
// taker rate of the options.
//
// It then compares derivmath's numbers with the exchange's, per position:
// liqPrice, and bustPrice when the row has one (Bybit deprecated it and
// sends ""), derivmath's rounded toward the entry to the tick, as Bybit
// rounds (a liqPrice of "", or a price at or beyond the instrument's
// price bounds, reads as none); and positionIM, positionMM and
// unrealisedPnl where the row has them. (For inverse positions of classic
// and UTA1.0 accounts Bybit says to ignore positionIM and positionMM and
// read positionBalance: their comparisons then say nothing.) Each agrees when the difference
// is below one unit of the exchange's last displayed decimal (a tick for
// prices).
//
// Errors: derivmath.ErrContext for a nil ctx; the decoders' errors; a wrapped
// [*venue.FieldError] naming the symbol for an instrument or risk limits
// missing from the payloads, or a second row on the same symbol and
// positionIdx; the errors of [Instrument.Spec] and [Tiers]; a wrapped
// [*venue.FieldError] naming the symbol and the field the library refused,
// whose Err is venue.ErrValue wrapping the library's error: taker (the
// Options' rate, contract.Spec.Validate), markPrice and size
// (account.Account); other errors of account.Account as they are;
// venue.ErrValue, wrapped, for an Options.Mode other than 0, account.Isolated
// and account.Cross (with a position row to read).
func Assemble(ctx *apd.Context, p *Payloads, o *Options) (*account.Account, []venue.Comparison, error) {
	if o == nil {
		o = &Options{}
	}
	ins, err := DecodeInstruments(p.Instruments)
	if err != nil {
		return nil, nil, err
	}
	open, _, err := DecodePositions(p.Positions)
	if err != nil {
		return nil, nil, err
	}
	limits, err := DecodeRiskLimits(p.RiskLimits)
	if err != nil {
		return nil, nil, err
	}
	a, err := account.New(ctx, liquidation.Bybit)
	if err != nil {
		return nil, nil, err
	}
	if len(p.Wallet) > 0 {
		ws, err := DecodeWalletBalance(p.Wallet)
		if err != nil {
			return nil, nil, err
		}
		for i := range ws {
			for j := range ws[i].Coins {
				c := &ws[i].Coins[j]
				if err := a.SetWallet(c.Coin, &c.WalletBalance.Decimal); err != nil {
					return nil, nil, wrap("wallet-balance "+c.Coin, err)
				}
			}
		}
	}
	fail := func(symbol, field string, err error) error {
		return wrap("assemble", &venue.FieldError{Row: venue.Row{Index: -1, Key: symbol}, Field: field, Err: object.Cause(err)})
	}
	specs := make(map[string]*contract.Spec)
	insts := make(map[string]*Instrument)
	for i := range open {
		r := &open[i]
		spec, ok := specs[r.Symbol]
		if !ok {
			for j := range ins {
				if ins[j].Symbol == r.Symbol {
					insts[r.Symbol] = &ins[j]
				}
			}
			in := insts[r.Symbol]
			if in == nil {
				return nil, nil, fail(r.Symbol, "symbol", venue.ErrMissing)
			}
			if spec, err = in.Spec(); err != nil {
				return nil, nil, err
			}
			if t := o.Taker[r.Symbol]; t != nil {
				spec.Taker.Set(t)
				if err := spec.Validate(); err != nil {
					return nil, nil, fail(r.Symbol, "taker", err)
				}
			}
			specs[r.Symbol] = spec
			if err := a.SetMark(spec, &r.MarkPrice.Decimal); err != nil {
				return nil, nil, fail(r.Symbol, "markPrice", err)
			}
		}
		var tiers *margin.Tiers
		if tiers, err = Tiers(limits, r.Symbol); err != nil {
			return nil, nil, err
		}
		vp, err := r.Position(insts[r.Symbol], venue.MarginMode(o.Mode))
		if err != nil {
			return nil, nil, err
		}
		ap := account.Position{Spec: spec, Side: side(vp.Side), Mode: account.Cross, Tiers: tiers}
		if vp.Mode == venue.Isolated {
			ap.Mode = account.Isolated
			ap.Margin.Set(&vp.Margin)
		}
		ap.Qty.Set(&vp.Qty)
		ap.Entry.Set(&vp.Entry)
		ap.Leverage.Set(&vp.Leverage)
		if a.Find(spec, ap.Side) >= 0 {
			return nil, nil, fail(r.Symbol, "positionIdx", venue.ErrValue)
		}
		if err := a.Set(&ap); err != nil {
			return nil, nil, fail(r.Symbol, "size", err)
		}
	}
	var cs []venue.Comparison
	for i := range open {
		r := &open[i]
		in := insts[r.Symbol]
		vp, err := r.Position(in, venue.MarginMode(o.Mode))
		if err != nil {
			return nil, nil, err
		}
		var rep account.Report
		if err := a.Report(&rep, a.Find(specs[r.Symbol], side(vp.Side)), liquidation.TowardEntry); err != nil {
			return nil, nil, wrap("position "+r.Symbol, err)
		}
		sym, sd, tick := r.Symbol, vp.Side, &in.TickSize.Decimal
		cs = venue.AppendComparison(cs, sym, sd, "liqPrice", &vp.Liquidation, found(&rep.Liquidation, rep.LiquidationStatus), tick)
		if r.BustPrice.Valid {
			cs = venue.AppendComparison(cs, sym, sd, "bustPrice", &vp.Bankruptcy, found(&rep.Bankruptcy, rep.BankruptcyStatus), tick)
		}
		for _, f := range [...]struct {
			name string
			x    *venue.Decimal
			ours *apd.Decimal
		}{{"positionIM", &r.PositionIM, &rep.Initial}, {"positionMM", &r.PositionMM, &rep.Maintenance}, {"unrealisedPnl", &r.UnrealisedPnl, &rep.Unrealised}} {
			if f.x.Valid {
				cs = venue.AppendComparison(cs, sym, sd, f.name, f.x, set(f.ours), nil)
			}
		}
	}
	return a, cs, nil
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

// set returns x as a set venue.Decimal.
func set(x *apd.Decimal) *venue.Decimal {
	z := new(venue.Decimal)
	z.Set(x)
	z.Valid = true
	return z
}

// found returns x when st is Found, else nil (none).
func found(x *apd.Decimal, st liquidation.Status) *venue.Decimal {
	if st != liquidation.Found {
		return nil
	}
	return set(x)
}
