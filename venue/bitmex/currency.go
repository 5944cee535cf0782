package bitmex

import (
	"errors"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
)

// ErrCurrency reports a BitMEX currency code whose minor unit this package
// does not know (see [Unit]).
var ErrCurrency = errors.New("bitmex: unknown currency")

// currencies maps BitMEX's currency codes to the currency and the exponent
// of its minor unit.
var currencies = map[string]struct {
	name string
	exp  int32
}{
	"XBt":  {"XBT", -8}, // satoshi
	"USDt": {"USDT", -6},
}

// Unit returns the currency that a BitMEX currency code counts in and the
// minor unit of the code: "XBt" is XBT in units of 0.00000001 (satoshis),
// "USDt" is USDT in units of 0.000001. Codes are case-sensitive. Other codes
// return [ErrCurrency]; instruments in them can still be converted when
// their settle multipliers say the unit ([Instrument.Spec]).
func Unit(code string) (name string, minor *apd.Decimal, err error) {
	c, ok := currencies[code]
	if !ok {
		return "", nil, ErrCurrency
	}
	return c.name, apd.New(1, c.exp), nil
}

// Major sets z to amount, in minor units of the currency code (a whole
// number in BitMEX's payloads, though any valid decimal converts), in the
// major unit, exactly: XBt 1418963 is 0.01418963 XBT. z may alias amount.
//
// Errors: [ErrCurrency]; [derivmath.CheckDecimal]'s errors for amount,
// and [derivmath.ErrRange] for a result outside the valid range (1E-93
// XBt is 1E-101 XBT). On error z is unchanged.
func Major(z, amount *apd.Decimal, code string) error {
	c, ok := currencies[code]
	if !ok {
		return ErrCurrency
	}
	if err := derivmath.CheckDecimal(amount); err != nil {
		return err
	}
	var r apd.Decimal
	scale(&r, amount, c.exp)
	if err := derivmath.CheckDecimal(&r); err != nil {
		return err
	}
	z.Set(&r)
	return nil
}

// scale sets z to x*10^exp exactly, by moving the exponent, then drops the
// fraction's trailing zeros (200.00000000 XBT is 200). The inputs come from
// decoded payloads, whose exponents are small, so it cannot overflow.
func scale(z, x *apd.Decimal, exp int32) {
	z.Set(x)
	z.Exponent += exp
	var q, r apd.BigInt
	for z.Exponent < 0 && !z.IsZero() {
		q.QuoRem(&z.Coeff, ten, &r)
		if r.Sign() != 0 {
			break
		}
		z.Coeff.Set(&q)
		z.Exponent++
	}
	if z.IsZero() {
		z.Exponent = 0
	}
}

var ten = apd.NewBigInt(10)

// powerOfTen returns k when |x| is 10^k.
func powerOfTen(x *apd.Decimal) (int32, bool) {
	var r apd.Decimal
	r.Reduce(x)
	if r.Coeff.BitLen() != 1 || r.Coeff.Bit(0) != 1 {
		return 0, false
	}
	return r.Exponent, true
}

// whole reports whether x is an integer.
func whole(x *apd.Decimal) bool {
	if x.Exponent >= 0 {
		return true
	}
	var r apd.Decimal
	r.Reduce(x)
	return r.Exponent >= 0
}
