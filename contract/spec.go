package contract

import (
	"strconv"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/internal/enum"
	"github.com/derivmath/derivmath/internal/num"
)

// Kind is the payoff of a contract: how its value depends on the price.
type Kind int8

// The contract kinds. The zero Kind is invalid ([ErrKind]).
const (
	// Linear contracts are worth N*m*P in the quote currency, which is also
	// the settlement currency (Binance BTCUSDT, BitMEX XBTUSDT).
	Linear Kind = 1 + iota
	// Inverse contracts are worth N*m/P in the base currency, which is the
	// settlement currency (BitMEX XBTUSD, Binance COIN-M BTCUSD).
	Inverse
	// Quanto contracts are worth N*m*P in a third currency: m converts one
	// unit of price into the settlement currency at a fixed rate (BitMEX
	// ETHUSD, m = 0.000001 XBT per USD).
	Quanto
)

var kindNames = [...]string{"invalid", "Linear", "Inverse", "Quanto"}

// String returns the name of the kind, such as "Inverse".
func (k Kind) String() string { return enum.Name("Kind", kindNames[:], int(k)) }

// valid reports whether k is Linear, Inverse or Quanto: one unsigned
// compare, on every computation's path.
func (k Kind) valid() bool { return uint8(k-Linear) <= uint8(Quanto-Linear) }

// A Spec describes a contract: its payoff kind, its multiplier, the
// currency it settles in, its tick and lot sizes and its fee rates.
//
// Build a Spec with [New] or a preset such as [XBTUSD]; a Spec filled in by
// hand must pass [Spec.Validate] before use. The methods of a valid Spec
// never modify it, so one Spec may be shared by many goroutines.
type Spec struct {
	// Symbol names the instrument, such as "XBTUSD". Informational.
	Symbol string
	// Kind is the payoff: Linear, Inverse or Quanto.
	Kind Kind
	// Settle is the settlement currency, such as "XBT". Informational.
	Settle string
	// Multiplier m: for Linear and Quanto, the settlement-currency value of one
	// contract per unit of price; for Inverse, the quote-currency face value of
	// one contract. Always positive (see [Spec.Validate]).
	Multiplier apd.Decimal
	// Tick is the price increment. A price must be a whole number of ticks
	// in [Spec.Ticks] and in fills ([Spec.Apply]).
	Tick apd.Decimal
	// Lot is the quantity increment, in contracts.
	Lot apd.Decimal
	// Maker and Taker are the fee rates charged on the value of a fill. A
	// negative rate is a rebate.
	Maker, Taker apd.Decimal
	// Minor is the exchange's minor unit of the settlement currency (BitMEX
	// XBt: 0.00000001 XBT; USDt: 0.000001 USDT). When it is not zero, trade
	// costs, fees and realised PnL are rounded to it half-up, as BitMEX's
	// integer accounting does. Zero means exact decimals.
	Minor apd.Decimal
	// Source says where the parameters come from and when they were
	// checked. Informational.
	Source string
}

// Params holds the parameters of a contract as text, the way they arrive
// from configuration or an exchange's instrument endpoint. The fields mean
// what the fields of [Spec] of the same name mean. Multiplier, Tick and Lot
// are required; an empty Maker, Taker or Minor means zero.
type Params struct {
	Symbol     string
	Kind       Kind
	Settle     string
	Multiplier string
	Tick       string
	Lot        string
	Maker      string
	Taker      string
	Minor      string
	Source     string
}

// New parses p and returns a valid Spec.
//
// Errors: a parse failure of a decimal field (a [*ParseError]), then those
// of [Spec.Validate].
func New(p Params) (*Spec, error) {
	s := &Spec{Symbol: p.Symbol, Kind: p.Kind, Settle: p.Settle, Source: p.Source}
	fields := [...]struct {
		name, text string
		dst        *apd.Decimal
	}{
		{"multiplier", p.Multiplier, &s.Multiplier},
		{"tick", p.Tick, &s.Tick},
		{"lot", p.Lot, &s.Lot},
		{"maker", p.Maker, &s.Maker},
		{"taker", p.Taker, &s.Taker},
		{"minor", p.Minor, &s.Minor},
	}
	for _, f := range fields {
		if f.text == "" {
			continue // zero, which Validate rejects where it matters
		}
		if _, _, err := f.dst.SetString(f.text); err != nil {
			return nil, &ParseError{Field: f.name, Text: f.text, Err: err}
		}
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// ParseError reports a decimal field of [Params] that does not parse.
type ParseError struct {
	Field string // "multiplier", "tick", "lot", "maker", "taker" or "minor"
	Text  string // the text that failed
	Err   error  // apd's error
}

func (e *ParseError) Error() string {
	return "contract: parse " + e.Field + " " + strconv.Quote(e.Text) + ": " + e.Err.Error()
}

func (e *ParseError) Unwrap() error { return e.Err }

// Validate reports whether s is usable: a defined Kind, a positive
// Multiplier, Tick and Lot, fee rates in (-1, 1), a Minor unit of zero or
// more, and every decimal valid for derivmath.CheckDecimal.
//
// The multiplier is always positive: the side of a position is the sign of
// its quantity. BitMEX's instrument endpoint reports XBTUSD's multiplier as
// -100000000 (satoshis, negative to mark an inverse contract whose value
// falls as the price rises); that convention is not accepted here, and such
// a multiplier is [ErrMultiplier]. Describe XBTUSD as Kind Inverse with
// Multiplier 1 (one USD per contract), money in XBT, and Minor 0.00000001
// for BitMEX's integer satoshis, as [XBTUSD] does.
//
// Errors: [ErrKind], [ErrMultiplier], [ErrTickSize], [ErrLotSize],
// derivmath.ErrFeeRate, [ErrMinorUnit], or a derivmath.CheckDecimal error.
func (s *Spec) Validate() error {
	c := num.In(&apd.BaseContext)
	s.LoadMultiplier(c)
	c.CheckPositive(&s.Tick, ErrTickSize)
	c.CheckPositive(&s.Lot, ErrLotSize)
	c.CheckFeeRate(&s.Maker)
	c.CheckFeeRate(&s.Taker)
	c.FailIf(c.Check(&s.Minor).IsNeg(), ErrMinorUnit)
	return c.Err
}

// LoadMultiplier checks what every computation of s reads, the kind and
// the multiplier, recording [ErrKind] or [ErrMultiplier] in c, and returns
// the multiplier loaded, for [Spec.ValueOf]: a Spec filled in by hand and
// never validated fails rather than computing as another contract. For
// derivmath's packages, as ValueOf is.
func (s *Spec) LoadMultiplier(c *num.Ctx) num.Dec {
	if !s.Kind.valid() {
		c.Fail(ErrKind)
	}
	return c.CheckPositive(&s.Multiplier, ErrMultiplier)
}
