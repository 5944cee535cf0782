package venue_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/derivmath/derivmath"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath/venue"
)

func TestDecimalUnmarshal(t *testing.T) {
	for _, c := range []struct {
		in    string
		want  string // apd's String of the value; "" when unset
		err   error
		extra error // a second sentinel the error must match
	}{
		{in: `"123.45"`, want: "123.45"},
		{in: `123.45`, want: "123.45"},
		{in: `"2.50"`, want: "2.50"},
		{in: `1.50`, want: "1.50"},
		{in: `0.0`, want: "0.0"},
		{in: `9.433e-5`, want: "0.00009433"},
		{in: `-100000000`, want: "-100000000"},
		{in: `37678305826089141`, want: "37678305826089141"},
		{in: `"313.20000000000005"`, want: "313.20000000000005"},
		{in: `101525.90000000001`, want: "101525.90000000001"},
		{in: `"-0.025"`, want: "-0.025"},
		{in: `"-0"`, want: "0"},
		{in: `-0.0`, want: "0.0"},
		{in: `"\u0031.5"`, want: "1.5"},
		{in: `1E+2`, want: "1E+2"},
		{in: `null`},
		{in: `""`},
		{in: `"NaN"`, err: venue.ErrNumber},
		{in: `"nan"`, err: venue.ErrNumber},
		{in: `"Infinity"`, err: venue.ErrNumber},
		{in: `"-Inf"`, err: venue.ErrNumber},
		{in: `"+1"`, err: venue.ErrNumber},
		{in: `".5"`, err: venue.ErrNumber},
		{in: `"5."`, err: venue.ErrNumber},
		{in: `"0x10"`, err: venue.ErrNumber},
		{in: `" 1"`, err: venue.ErrNumber},
		{in: `"1 "`, err: venue.ErrNumber},
		{in: `"1,000"`, err: venue.ErrNumber},
		{in: `"1e"`, err: venue.ErrNumber},
		{in: `"abc"`, err: venue.ErrNumber},
		{in: `"123456789012345678901234567890123456789012345678901"`, err: venue.ErrNumber, extra: derivmath.ErrRange},
		{in: `1e999`, err: venue.ErrNumber, extra: derivmath.ErrRange},
		{in: `1e-101`, err: venue.ErrNumber, extra: derivmath.ErrRange},
		{in: `1e99999999999999999999`, err: venue.ErrNumber},
		{in: `"` + string(make([]byte, 100)) + `"`, err: venue.ErrType}, // control bytes: invalid JSON string
		{in: `"1000000000000000000000000000000000000000000000000000000000000000000"`, err: venue.ErrNumber},
		{in: `true`, err: venue.ErrType},
		{in: `{}`, err: venue.ErrType},
		{in: `[1]`, err: venue.ErrType},
		{in: `nul`, err: venue.ErrType},
		{in: ``, err: venue.ErrType},
	} {
		var d venue.Decimal
		d.SetInt64(7) // a previous value must not survive a success
		d.Valid = true
		err := d.UnmarshalJSON([]byte(c.in))
		switch {
		case c.err != nil:
			if !errors.Is(err, c.err) || (c.extra != nil && !errors.Is(err, c.extra)) {
				t.Errorf("%s: got error %v, want %v and %v", c.in, err, c.err, c.extra)
			}
			if !d.Valid || d.Cmp(apd.New(7, 0)) != 0 {
				t.Errorf("%s: %s valid %v after an error, want 7 unchanged", c.in, d.Decimal.String(), d.Valid)
			}
		case err != nil:
			t.Errorf("%s: %v", c.in, err)
		case c.want == "":
			if d.Valid || !d.IsZero() {
				t.Errorf("%s: got %v valid %v, want unset", c.in, d.Decimal.String(), d.Valid)
			}
		default:
			if !d.Valid || d.Decimal.String() != c.want {
				t.Errorf("%s: got %s valid %v, want %s", c.in, d.Decimal.String(), d.Valid, c.want)
			}
			if d.Negative && d.IsZero() {
				t.Errorf("%s: negative zero", c.in)
			}
		}
	}
}

// TestDecimalUnmarshalErrorUnchanged: a failed UnmarshalJSON leaves the
// Decimal as it was, value and validity, as every failed call does.
func TestDecimalUnmarshalErrorUnchanged(t *testing.T) {
	for _, in := range []string{`"NaN"`, `"abc"`, `1e999`, `true`, `{}`, `nul`, ``} {
		var d venue.Decimal
		d.SetFinite(250, -2)
		d.Valid = true
		if err := d.UnmarshalJSON([]byte(in)); err == nil {
			t.Fatalf("%s: no error", in)
		}
		if !d.Valid || d.Decimal.String() != "2.50" {
			t.Errorf("%s: after the error %s valid %v, want 2.50 valid", in, d.Decimal.String(), d.Valid)
		}
	}
}

func TestDecimalInStruct(t *testing.T) {
	var v struct {
		Rate venue.Decimal `json:"rate"`
		Cum  venue.Decimal `json:"cum"`
		Liq  venue.Decimal `json:"liq"`
		None venue.Decimal `json:"none"`
	}
	if err := json.Unmarshal([]byte(`{"rate":0.0065,"cum":"50.0","liq":""}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.Rate.Cmp(apd.New(65, -4)) != 0 || v.Rate.Exponent != -4 {
		t.Errorf("rate = %s, want exactly 0.0065", v.Rate.String())
	}
	if v.Cum.Decimal.String() != "50.0" || v.Liq.Valid || v.None.Valid {
		t.Errorf("got cum %s liq %s none %s", v.Cum.String(), v.Liq.String(), v.None.String())
	}
	if err := json.Unmarshal([]byte(`{"rate":"NaN"}`), &v); !errors.Is(err, venue.ErrNumber) {
		t.Errorf("NaN: got %v", err)
	}
}

func TestDecimalMarshal(t *testing.T) {
	for _, in := range []string{`null`, `2.50`, `1E-8`, `-100000000`, `0.00009433`, `1E+2`} {
		var d, e venue.Decimal
		if err := json.Unmarshal([]byte(in), &d); err != nil {
			t.Fatal(err)
		}
		out, err := json.Marshal(&d)
		if err != nil || string(out) != in {
			t.Errorf("%s marshals as %s, %v", in, out, err)
		}
		if err := json.Unmarshal(out, &e); err != nil || !e.Equal(&d) || e.Exponent != d.Exponent {
			t.Errorf("%s reads back as %s, %v", in, e.String(), err)
		}
	}
}

func TestDecimalEqualString(t *testing.T) {
	var a, b, unset venue.Decimal
	_ = a.UnmarshalJSON([]byte(`2.50`))
	_ = b.UnmarshalJSON([]byte(`"2.5"`))
	if !a.Equal(&b) || a.Equal(&unset) || !unset.Equal(&venue.Decimal{}) {
		t.Error("Equal")
	}
	if a.String() != "2.50" || unset.String() != "null" {
		t.Errorf("String: %q %q", a.String(), unset.String())
	}
}

func TestFieldError(t *testing.T) {
	err := error(&venue.FieldError{Row: venue.Row{Index: 2, Key: "XBTUSD"}, Field: "avgEntryPrice", Err: venue.ErrMissing})
	if got, want := err.Error(), "venue: row 2 (XBTUSD): avgEntryPrice: venue: missing field"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if !errors.Is(err, venue.ErrMissing) {
		t.Error("Unwrap")
	}
	for _, c := range []struct {
		row  venue.Row
		want string
	}{
		{venue.Row{Index: 0}, "row 0"},
		{venue.Row{Index: 3, Key: "USDt"}, "row 3 (USDt)"},
		{venue.Row{Index: -1, Key: "BTCUSDT"}, "BTCUSDT"},
	} {
		if got := c.row.String(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
	row := &venue.FieldError{Row: venue.Row{Index: 1}, Err: venue.ErrType}
	if got, want := row.Error(), "venue: row 1: venue: wrong JSON type"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestEnums(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{venue.Isolated.String(), "Isolated"},
		{venue.Cross.String(), "Cross"},
		{venue.MarginMode(0).String(), "MarginMode(0)"},
		{venue.OneWay.String(), "OneWay"},
		{venue.Long.String(), "Long"},
		{venue.Short.String(), "Short"},
		{venue.PositionSide(9).String(), "PositionSide(9)"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestPositionEqual(t *testing.T) {
	p := &venue.Position{Symbol: "XBTUSD", Side: venue.OneWay, Mode: venue.Cross}
	p.Qty.SetInt64(-2000)
	q := &venue.Position{Symbol: "XBTUSD", Side: venue.OneWay, Mode: venue.Cross}
	q.Qty.SetFinite(-20000, -1)
	if !p.Equal(q) {
		t.Error("numerically equal positions differ")
	}
	q.Liquidation.Valid = true
	if p.Equal(q) {
		t.Error("a reported liquidation price is ignored")
	}
}

// TestComparisonToleranceExclusive: a difference of exactly the tolerance
// disagrees, as Comparison documents; one below it agrees.
func TestComparisonToleranceExclusive(t *testing.T) {
	var ex, at, below venue.Decimal
	for _, c := range []struct {
		d *venue.Decimal
		s string
	}{{&ex, `"100.5"`}, {&at, `"101.0"`}, {&below, `"100.95"`}} {
		if err := c.d.UnmarshalJSON([]byte(c.s)); err != nil {
			t.Fatal(err)
		}
	}
	tick := apd.New(5, -1)
	cs := venue.AppendComparison(nil, "X", venue.OneWay, "f", &ex, &at, tick)
	cs = venue.AppendComparison(cs, "X", venue.OneWay, "f", &ex, &below, tick)
	if cs[0].Agree || !cs[1].Agree {
		t.Errorf("diff 0.5 agree %v (want false), diff 0.45 agree %v (want true)", cs[0].Agree, cs[1].Agree)
	}
}

// TestComparisonBareZero: an exchange "0" compares exactly, so that 0.5
// no longer agrees with it, while "0.00000000" keeps its last digit's
// tolerance (10^-8, exclusive) and "0" still agrees with 0.
func TestComparisonBareZero(t *testing.T) {
	dec := func(s string) *venue.Decimal {
		var d venue.Decimal
		if err := d.UnmarshalJSON([]byte(s)); err != nil {
			t.Fatal(err)
		}
		return &d
	}
	for _, c := range []struct {
		exchange, ours string
		want           bool
	}{
		{`"0"`, `"0.5"`, false},
		{`"0"`, `"0.00000001"`, false},
		{`"0"`, `"0.000"`, true},
		{`"0"`, `"0"`, true},
		{`"0.00000000"`, `"0.00000001"`, false},
		{`"0.00000000"`, `"0.000000009"`, true},
		{`"5"`, `"5.9"`, true},
	} {
		cs := venue.AppendComparison(nil, "X", venue.OneWay, "f", dec(c.exchange), dec(c.ours), nil)
		if cs[0].Agree != c.want {
			t.Errorf("exchange %s, ours %s: agree %v, want %v (tolerance %s)", c.exchange, c.ours, cs[0].Agree, c.want, cs[0].Tolerance.String())
		}
	}
}
