package venue

import (
	"encoding/json"
	"fmt"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
)

// maxText bounds the length of a number's text. A valid number has at most
// derivmath.MaxDigits significant digits and an exponent within
// derivmath.MaxScale places, so its plain spelling (with a sign, a point
// and up to MaxScale zeros) is at most about 2*MaxScale + MaxDigits bytes;
// the bound keeps apd from parsing megabytes of digits.
const maxText = 2*derivmath.MaxScale + derivmath.MaxDigits + 8

// Decimal is an exact decimal read from JSON: a number (123.45) or a string
// ("123.45") goes straight into the embedded [apd.Decimal], never through
// float64, keeping the exchange's spelling ("2.50" has two places). JSON
// null and the empty string "" leave it unset: Valid is false and the value
// zero. That is how the venues write "no value" (BitMEX null, Bybit "",
// Binance "" on delivery contracts); a value of 0 is Valid.
//
// A value must be a plain decimal, with an optional minus sign, a fraction
// and an exponent (-1.5e-3); anything else ("NaN", "Infinity", "+1", "0x10",
// " 1") is [ErrNumber], and so is a number beyond the library's range (more
// than derivmath.MaxDigits significant digits, or an exponent beyond
// derivmath.MaxScale places: derivmath.CheckDecimal). A negative
// zero ("-0.0") reads as 0: a sign on zero carries nothing, and the
// library's checks refuse it.
//
// A Decimal holds an apd.Decimal: pass it by pointer and do not copy it
// after first use.
type Decimal struct {
	apd.Decimal
	// Valid reports whether the JSON held a value (not null, "" or absent).
	Valid bool
}

// UnmarshalJSON sets d from a JSON number, a JSON string holding a number,
// null or "". Errors: [ErrType] for any other JSON value, [ErrNumber] for
// text that is not a valid decimal (wrapping the library's numeric
// sentinel when the number is out of range); d is then unchanged.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	if len(b) == 0 {
		return ErrType
	}
	text := b
	switch b[0] {
	case 'n':
		if string(b) == "null" {
			d.unset()
			return nil
		}
		return ErrType
	case '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return ErrType
		}
		if s == "" {
			d.unset()
			return nil
		}
		text = []byte(s)
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
	default:
		return ErrType
	}
	var z apd.Decimal
	if err := parse(&z, text); err != nil {
		return err
	}
	d.Set(&z)
	d.Valid = true
	return nil
}

// unset makes d unset: 0 and not Valid.
func (d *Decimal) unset() {
	d.SetInt64(0)
	d.Valid = false
}

// MarshalJSON writes d as a JSON number in its own spelling (2.50, 1E-8),
// or null when unset, so that [Decimal.UnmarshalJSON] reads it back
// unchanged. Errors: [ErrNumber], wrapping derivmath's sentinel, for a
// value set by hand that is not a valid decimal (derivmath.CheckDecimal),
// as no decoded one is: NaN and infinities are not JSON, and the others
// would not read back.
func (d *Decimal) MarshalJSON() ([]byte, error) {
	if !d.Valid {
		return []byte("null"), nil
	}
	if err := check(&d.Decimal); err != nil {
		return nil, err
	}
	return []byte(d.Decimal.String()), nil
}

// Equal reports whether d and e are both unset or both set to numerically
// equal values (2.50 equals 2.5).
func (d *Decimal) Equal(e *Decimal) bool {
	if d.Valid != e.Valid {
		return false
	}
	return !d.Valid || d.Cmp(&e.Decimal) == 0
}

// String returns the value as the exchange wrote it (2.50, 9.433E-5), or
// "null" when unset.
func (d *Decimal) String() string {
	if !d.Valid {
		return "null"
	}
	return d.Decimal.String()
}

// parse sets z to the decimal in text, which must match
// -?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)? and pass the library's range check.
func parse(z *apd.Decimal, text []byte) error {
	if len(text) > maxText || !wellFormed(text) {
		return ErrNumber
	}
	if _, _, err := z.SetString(string(text)); err != nil {
		return fmt.Errorf("%w: %w", ErrNumber, err)
	}
	if z.IsZero() {
		z.Negative = false
	}
	return check(z)
}

// check is the one place this package applies the library's decimal
// checks: derivmath.CheckDecimal.
func check(z *apd.Decimal) error {
	if err := derivmath.CheckDecimal(z); err != nil {
		return fmt.Errorf("%w: %w", ErrNumber, err)
	}
	return nil
}

// wellFormed reports whether text is a plain decimal: an optional minus,
// digits, an optional fraction of one or more digits, and an optional
// exponent.
func wellFormed(text []byte) bool {
	i, n := 0, len(text)
	if i < n && text[i] == '-' {
		i++
	}
	digits := func() int {
		start := i
		for i < n && text[i] >= '0' && text[i] <= '9' {
			i++
		}
		return i - start
	}
	if digits() == 0 {
		return false
	}
	if i < n && text[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < n && (text[i] == 'e' || text[i] == 'E') {
		i++
		if i < n && (text[i] == '+' || text[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == n
}
