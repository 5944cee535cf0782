package bitmex

import (
	"errors"
	"fmt"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/account"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/internal/object"
)

// Payloads are the BitMEX response bodies an account is assembled from.
type Payloads struct {
	// Instruments is GET /api/v1/instrument: it must hold the instrument
	// of every open position.
	Instruments []byte
	// Positions is GET /api/v1/position. Closed rows are skipped.
	Positions []byte
	// Margins is GET /api/v1/user/margin (optional): the wallets. Without
	// it, or for a currency it lacks, the wallet is 0, and the prices of
	// cross positions are those of an empty wallet. The minor unit of a
	// row's currency code comes from [Unit], or else from an instrument of
	// Instruments that settles in it; a row in a code that neither knows
	// (currency=all lists every currency of the account) is skipped, as no
	// position of the payloads can settle in it.
	Margins []byte
}

// Options are the inputs BitMEX's payloads lack. The zero Options is
// valid.
type Options struct {
	// Funding is the funding reserve rate per symbol, when the position
	// will pay the next funding: maintenance is then ceil((maintMarginReq +
	// rate)*|posCost|) + posComm (see account.Position.Funding).
	Funding map[string]*apd.Decimal
}

// Assemble decodes p and puts the account together: a wallet per
// currency of the margins (walletBalance), a mark per instrument (the
// positions' markPrice), and every open position: currentQty at
// avgEntryPrice, crossMargin, leverage, |posCost|, maintMarginReq, posMargin
// for an isolated position, and the fee reserve posComm recomputed by
// margin.BitMEXPosition from posCost, posCross, posLoss, initMarginReq and
// the row's commission (which also becomes the Spec's Taker).
//
// It then compares derivmath's numbers with the exchange's, per position:
// liquidationPrice and bankruptPrice (derivmath's rounded toward the
// entry to the instrument's tick, as BitMEX rounds; a sentinel of the
// exchange, 100000000 or at or above maxPrice, reads as none), posInit,
// posComm, posMaint and unrealisedPnl (within 1 minor unit); and per
// margin row with positions, marginBalance and availableMargin, named by
// the currency they are in (XBT, not the row's XBt).
//
// Errors: derivmath.ErrContext for a nil ctx; the decoders' errors; a wrapped
// [*venue.FieldError] naming the position row for a missing instrument (field
// "symbol", venue.ErrMissing), a second open row on the same symbol
// (venue.ErrValue) or a currency other than its instrument's settlCurrency
// (field "currency", venue.ErrValue); the errors of [Instrument.Spec]; and a wrapped
// [*venue.FieldError] naming the position row and the field the library
// refused, whose Err is venue.ErrValue wrapping the library's error: the
// row's commission as the Spec's taker rate (contract.Spec.Validate); the
// field that margin.BitMEXPosition.Margin names with a margin.FieldError,
// the first at fault of posCost, posCross, posLoss (negative:
// margin.ErrAmount), initMarginReq, maintMarginReq and commission (out of
// range: derivmath.ErrRate); markPrice and currentQty (account.Account).
// When the row's margin fields are valid but Margin's arithmetic on them
// does not fit (derivmath.ErrRange: a sum or result longer than ctx's
// precision, or a result beyond derivmath's range), the error is no
// [*venue.FieldError], as no field of the payload is wrong; its text names
// the row. A wider context computes it unless the amounts are near
// derivmath.MaxDigits long. Other errors of account.Account are returned
// as they are.
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
	var margins []Margin
	if len(p.Margins) > 0 {
		if margins, err = DecodeMargins(p.Margins); err != nil {
			return nil, nil, err
		}
	}
	a, err := account.New(ctx, liquidation.BitMEX)
	if err != nil {
		return nil, nil, err
	}
	units := make([]unit, len(margins))
	for i := range margins {
		m, u := &margins[i], &units[i]
		if u.name, u.exp, u.ok = settlement(ins, m.Currency); !u.ok {
			continue // no instrument can settle in it
		}
		var w apd.Decimal
		scale(&w, &m.WalletBalance.Decimal, u.exp)
		if err := a.SetWallet(u.name, &w); err != nil {
			return nil, nil, fmt.Errorf("bitmex: margin %s: %w", m.Currency, err)
		}
	}
	fail := func(r *Position, field string, err error) error {
		return fmt.Errorf("bitmex: assemble: %w", &venue.FieldError{Row: r.row, Field: field, Err: object.Cause(err)})
	}
	type row struct {
		r    *Position
		in   *Instrument
		spec *contract.Spec
		bm   margin.BitMEX
		exp  int32
	}
	rows := make([]row, len(open))
	seen := make(map[string]bool)
	for i := range open {
		r := &open[i]
		if seen[r.Symbol] {
			return nil, nil, fail(r, "symbol", venue.ErrValue)
		}
		seen[r.Symbol] = true
		var in *Instrument
		for j := range ins {
			if ins[j].Symbol == r.Symbol {
				in = &ins[j]
			}
		}
		if in == nil {
			return nil, nil, fail(r, "symbol", venue.ErrMissing)
		}
		if r.Currency != in.SettlCurrency {
			return nil, nil, fail(r, "currency", venue.ErrValue)
		}
		spec, err := in.Spec()
		if err != nil {
			return nil, nil, err
		}
		spec.Taker.Set(&r.Commission.Decimal)
		if err := spec.Validate(); err != nil {
			return nil, nil, fail(r, "commission", err)
		}
		exp, _, err := in.minor()
		if err != nil {
			return nil, nil, err
		}
		x := &rows[i]
		x.r, x.in, x.spec, x.exp = r, in, spec, exp
		bp := margin.BitMEXPosition{}
		bp.Cost.Set(&r.PosCost.Decimal)
		bp.Cross.Set(&r.PosCross.Decimal)
		bp.Loss.Set(&r.PosLoss.Decimal)
		bp.InitMarginReq.Set(&r.InitMarginReq.Decimal)
		bp.MaintMarginReq.Set(&r.MaintMarginReq.Decimal)
		bp.Commission.Set(&r.Commission.Decimal)
		if err := bp.Margin(ctx, &x.bm); err != nil {
			var fe *margin.FieldError
			if !errors.As(err, &fe) {
				// No field at fault: the arithmetic does not fit.
				return nil, nil, fmt.Errorf("bitmex: assemble: %v: margin computation: %w", r.row, err)
			}
			return nil, nil, fail(r, marginField(fe), err)
		}
		if err := a.SetMark(spec, &r.MarkPrice.Decimal); err != nil {
			return nil, nil, fail(r, "markPrice", err)
		}
		ap := account.Position{Spec: spec, Side: account.OneWay, Mode: account.Isolated}
		ap.MMR.Set(&r.MaintMarginReq.Decimal)
		if r.CrossMargin {
			ap.Mode = account.Cross
		} else {
			scale(&ap.Margin, &r.PosMargin.Decimal, exp)
		}
		ap.Qty.Set(&r.CurrentQty.Decimal)
		ap.Entry.Set(&r.AvgEntryPrice.Decimal)
		ap.Leverage.Set(&r.Leverage.Decimal)
		scale(&ap.Cost, &r.PosCost.Decimal, exp)
		ap.Cost.Negative = false
		scale(&ap.Fee, &x.bm.Comm, exp)
		if f := o.Funding[r.Symbol]; f != nil {
			ap.Funding.Set(f)
		}
		if err := a.Set(&ap); err != nil {
			return nil, nil, fail(r, "currentQty", err)
		}
	}
	var cs []venue.Comparison
	for i := range rows {
		x := &rows[i]
		cs, err = compare(cs, a, x.r, x.in, &x.bm, x.exp)
		if err != nil {
			return nil, nil, err
		}
	}
	for i := range margins {
		m, u := &margins[i], &units[i]
		if !u.ok {
			continue
		}
		var s account.Summary
		if err := a.Summary(&s, u.name); err != nil {
			return nil, nil, err
		}
		if s.Maintenance.IsZero() && s.Initial.IsZero() {
			continue // no positions in this currency
		}
		minor := apd.New(1, u.exp)
		cs = venue.AppendComparison(cs, u.name, 0, "marginBalance", major(&m.MarginBalance, u.exp), set(&s.Equity), minor)
		cs = venue.AppendComparison(cs, u.name, 0, "availableMargin", major(&m.AvailableMargin, u.exp), set(&s.Available), minor)
	}
	return a, cs, nil
}

// A unit is the currency a margin row's code counts in and the exponent
// of its minor unit; ok is false when neither [Unit] nor an instrument
// says it.
type unit struct {
	name string
	exp  int32
	ok   bool
}

// settlement returns the currency that the code counts in and the exponent
// of its minor unit, from [Unit] or else from an instrument of ins that
// settles in code (its settle multipliers, [Instrument.Spec]); ok is false
// when neither says it.
func settlement(ins []Instrument, code string) (name string, exp int32, ok bool) {
	if c, known := currencies[code]; known {
		return c.name, c.exp, true
	}
	for i := range ins {
		if ins[i].SettlCurrency != code {
			continue
		}
		if exp, name, err := ins[i].minor(); err == nil {
			return name, exp, true
		}
	}
	return "", 0, false
}

// compare appends the comparisons of position r's fields.
func compare(cs []venue.Comparison, a *account.Account, r *Position, in *Instrument, bm *margin.BitMEX, exp int32) ([]venue.Comparison, error) {
	i := -1
	for j := 0; j < a.Len(); j++ {
		if a.Position(j).Spec.Symbol == r.Symbol {
			i = j
		}
	}
	var rep account.Report
	if err := a.Report(&rep, i, liquidation.TowardEntry); err != nil {
		return nil, fmt.Errorf("bitmex: position %s: %w", r.Symbol, err)
	}
	vp, err := r.Position(in)
	if err != nil {
		return nil, err
	}
	minor := apd.New(1, exp)
	tick := &in.TickSize.Decimal
	side := venue.OneWay
	cs = venue.AppendComparison(cs, r.Symbol, side, "liquidationPrice", &vp.Liquidation, found(&rep.Liquidation, rep.LiquidationStatus), tick)
	cs = venue.AppendComparison(cs, r.Symbol, side, "bankruptPrice", &vp.Bankruptcy, found(&rep.Bankruptcy, rep.BankruptcyStatus), tick)
	var init venue.Decimal
	scale(&init.Decimal, &bm.Init, exp)
	init.Valid = true
	cs = venue.AppendComparison(cs, r.Symbol, side, "posInit", major(&r.PosInit, exp), &init, minor)
	cs = venue.AppendComparison(cs, r.Symbol, side, "posComm", major(&r.PosComm, exp), set(&rep.Fee), minor)
	cs = venue.AppendComparison(cs, r.Symbol, side, "posMaint", major(&r.PosMaint, exp), set(&rep.Maintenance), minor)
	cs = venue.AppendComparison(cs, r.Symbol, side, "unrealisedPnl", major(&r.UnrealisedPnl, exp), set(&rep.Unrealised), minor)
	return cs, nil
}

// marginField names the payload field of the margin.BitMEXPosition field
// that its Margin refused with fe: posCost for Cost.
func marginField(fe *margin.FieldError) string {
	switch fe.Field {
	case "Cross":
		return "posCross"
	case "Loss":
		return "posLoss"
	case "InitMarginReq":
		return "initMarginReq"
	case "MaintMarginReq":
		return "maintMarginReq"
	case "Commission":
		return "commission"
	}
	return "posCost"
}

// major returns x, in minor units, in the major unit, or nil when unset.
func major(x *venue.Decimal, exp int32) *venue.Decimal {
	if !x.Valid {
		return nil
	}
	z := new(venue.Decimal)
	scale(&z.Decimal, &x.Decimal, exp)
	z.Valid = true
	return z
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
