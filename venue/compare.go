package venue

import (
	"strings"

	"github.com/cockroachdb/apd/v3"
)

// A Comparison sets a number the exchange reports in a payload beside the
// one derivmath computes for the same account, so that a bot can log "the
// exchange says X, derivmath says Y". The venue packages' Assemble
// functions return one per compared field of every position and wallet.
//
// A Comparison holds decimals: do not copy it after first use.
type Comparison struct {
	// Symbol and Side name the position (Side 0 for a wallet field, whose
	// Symbol is the currency).
	Symbol string
	Side   PositionSide
	// Field is the exchange's name of the number: "liquidationPrice",
	// "posMaint", "positionMM", "marginBalance", ...
	Field string
	// Exchange is the exchange's number, unset when it reports none (no
	// liquidation price: a sentinel such as 0 or 100000000, or ""); Ours
	// is derivmath's, unset when it finds none (liquidation.Never or
	// Always). Both are in the major unit of the settlement currency, or
	// in the quote currency for prices.
	Exchange, Ours Decimal
	// Diff is Ours - Exchange when both are set.
	Diff apd.Decimal
	// Tolerance bounds the difference that counts as agreement, exclusive
	// (|Diff| < Tolerance): one unit in the exchange's last digit as it
	// reports the number (a tick or a price's last displayed decimal, a
	// minor unit such as 1 XBt), so that Agree means "equal at the
	// precision the exchange shows". A difference of exactly one unit
	// disagrees. A Tolerance of 0 compares exactly: the default for an
	// exchange zero written without decimals ("0"), whose last digit says
	// nothing about the field's precision.
	Tolerance apd.Decimal
	// Agree reports whether both are unset, or both set and |Diff| is
	// finite and below Tolerance, or 0 when Tolerance is 0.
	Agree bool
}

// String returns "XBTUSD OneWay liquidationPrice: the exchange says
// 13370.5, derivmath says 13372 (differ by 1.5)", or "(agree)".
func (c *Comparison) String() string {
	var b strings.Builder
	b.WriteString(c.Symbol)
	if c.Side != 0 {
		b.WriteString(" " + c.Side.String())
	}
	b.WriteString(" " + c.Field + ": the exchange says " + text(&c.Exchange) + ", derivmath says " + text(&c.Ours))
	switch {
	case c.Agree:
		b.WriteString(" (agree)")
	case c.Exchange.Valid && c.Ours.Valid:
		b.WriteString(" (differ by " + c.Diff.Text('f') + ")")
	default:
		b.WriteString(" (differ)")
	}
	return b.String()
}

// text spells d plainly, or "none" when unset.
func text(d *Decimal) string {
	if !d.Valid {
		return "none"
	}
	return d.Text('f')
}

// AppendComparison appends to dst the comparison of the exchange's number
// with derivmath's (either may be unset: nil or not Valid), agreeing within
// tol (exclusive; a tol of 0 compares exactly). A nil tol is one unit in
// the last digit of exchange as written (10^exponent), except for a zero
// written with no decimals ("0", "0E+2"), which compares exactly: a bare
// "0" would otherwise let any number within 1 agree with it. A number that
// is not finite (NaN, an infinity) agrees with none, itself included. It
// is for the venue packages' Assemble functions.
func AppendComparison(dst []Comparison, symbol string, side PositionSide, field string, exchange, ours *Decimal, tol *apd.Decimal) []Comparison {
	dst = append(dst, Comparison{Symbol: symbol, Side: side, Field: field})
	c := &dst[len(dst)-1]
	if exchange != nil && exchange.Valid {
		c.Exchange.Set(&exchange.Decimal)
		c.Exchange.Valid = true
	}
	if ours != nil && ours.Valid {
		c.Ours.Set(&ours.Decimal)
		c.Ours.Valid = true
	}
	switch {
	case tol != nil:
		c.Tolerance.Set(tol)
	case c.Exchange.Valid && (!c.Exchange.IsZero() || c.Exchange.Exponent < 0):
		c.Tolerance.SetFinite(1, c.Exchange.Exponent)
	}
	switch {
	case c.Exchange.Valid && c.Ours.Valid:
		ctx := apd.BaseContext.WithPrecision(2 * 60)
		_, err := ctx.Sub(&c.Diff, &c.Ours.Decimal, &c.Exchange.Decimal)
		var abs apd.Decimal
		abs.Abs(&c.Diff)
		c.Agree = err == nil && c.Diff.Form == apd.Finite && (abs.Cmp(&c.Tolerance) < 0 || abs.IsZero())
	default:
		c.Agree = c.Exchange.Valid == c.Ours.Valid
	}
	return dst
}
