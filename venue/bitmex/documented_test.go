package bitmex_test

import (
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/margin"
	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/bitmex"
	pt "github.com/derivmath/derivmath/venue/internal/payloadtest"
)

// TestErrorsDocumented returns, for each exported function and method of
// the package that returns an error, each error its godoc names from one
// input (payloadtest.CheckCases: a *venue.FieldError among them must wrap
// a venue sentinel, as FieldError documents). The decoders' lists are "a
// *json.SyntaxError, otherwise a wrapped *venue.FieldError": one
// FieldError case each here, TestDecodeErrors has each venue sentinel.
// Instrument.Spec's "errors of contract.New" are one case (contract's
// ErrTickSize), Steps' "errors of margin.Steps.Validate" one
// (margin.ErrRiskLimit), Margin.Wallet's "Major's" one, Assemble's
// references one each.
func TestErrorsDocumented(t *testing.T) {
	ctx := derivmath.NewContext()
	var z apd.Decimal
	instrument := func(path, value string, call func(in *bitmex.Instrument) error) func() error {
		return func() error {
			ins, err := bitmex.DecodeInstruments(pt.Edit(t, pt.Load(t, "testdata/instrument.json"), path, value))
			if err != nil {
				t.Fatal(err)
			}
			return call(&ins[0])
		}
	}
	spec := func(in *bitmex.Instrument) error { _, err := in.Spec(); return err }
	steps := func(in *bitmex.Instrument) error { _, err := in.Steps(); return err }
	wallet := func(change func(m *bitmex.Margin)) func() error {
		return func() error {
			ms, err := bitmex.DecodeMargins(pt.Load(t, "testdata/margin.json"))
			if err != nil {
				t.Fatal(err)
			}
			change(&ms[0])
			_, err = ms[0].Wallet(&z)
			return err
		}
	}
	position := func(change func(p *bitmex.Position), in *bitmex.Instrument) func() error {
		return func() error {
			open, _, err := bitmex.DecodePositions(pt.Load(t, "testdata/position.json"))
			if err != nil {
				t.Fatal(err)
			}
			change(&open[0])
			_, err = open[0].Position(in)
			return err
		}
	}
	assemble := func(change func(p *bitmex.Payloads)) func() error {
		return func() error {
			p := &bitmex.Payloads{Instruments: pt.Load(t, "testdata/instrument-2019.json"), Positions: pt.Rows(t, pt.Load(t, "testdata/position.json"), 0)}
			change(p)
			_, _, err := bitmex.Assemble(ctx, p, nil)
			return err
		}
	}
	pt.CheckCases(t, []pt.Case{
		{Fn: "Unit", Want: bitmex.ErrCurrency, Call: func() error { _, _, err := bitmex.Unit("xbt"); return err }},
		{Fn: "Major", Want: bitmex.ErrCurrency, Call: func() error { return bitmex.Major(&z, pt.D("1"), "Gwei") }},
		{Fn: "Major", Want: derivmath.ErrNaN, Call: func() error { return bitmex.Major(&z, pt.D("NaN"), "XBt") }},
		{Fn: "Major", Want: derivmath.ErrRange, Call: func() error { return bitmex.Major(&z, pt.D("1E-93"), "XBt") }},
		{Fn: "DecodeInstruments", Want: pt.ErrSyntax, Call: func() error { _, err := bitmex.DecodeInstruments([]byte(`[`)); return err }},
		{Fn: "DecodeInstruments", Field: true, Want: venue.ErrMissing, Call: func() error {
			_, err := bitmex.DecodeInstruments(pt.Edit(t, pt.Load(t, "testdata/instrument.json"), "0.symbol", pt.Delete))
			return err
		}},
		{Fn: "DecodeMargins", Want: pt.ErrSyntax, Call: func() error { _, err := bitmex.DecodeMargins([]byte(`{"`)); return err }},
		{Fn: "DecodeMargins", Field: true, Want: venue.ErrNumber, Call: func() error {
			_, err := bitmex.DecodeMargins(pt.Edit(t, pt.Load(t, "testdata/margin.json"), "0.walletBalance", `"x"`))
			return err
		}},
		{Fn: "DecodePositions", Want: pt.ErrSyntax, Call: func() error { _, _, err := bitmex.DecodePositions([]byte(`]`)); return err }},
		{Fn: "DecodePositions", Field: true, Want: venue.ErrType, Call: func() error { _, _, err := bitmex.DecodePositions([]byte(`[1]`)); return err }},
		{Fn: "Instrument.Spec", Field: true, Want: venue.ErrValue, Call: instrument("0.multiplier", "100000000", spec)},
		{Fn: "Instrument.Spec", Field: true, Want: venue.ErrMissing, Call: instrument("0.takerFee", "null", spec)},
		{Fn: "Instrument.Spec", Want: contract.ErrTickSize, Call: instrument("0.symbol", `"XBTUSD"`, func(in *bitmex.Instrument) error {
			in.TickSize.SetInt64(0) // the decoder refuses it
			return spec(in)
		})},
		{Fn: "Instrument.Steps", Field: true, Want: venue.ErrMissing, Call: instrument("0.riskStep", "null", steps)},
		{Fn: "Instrument.Steps", Want: margin.ErrRiskLimit, Call: instrument("0.riskStep", "0", steps)},
		// The settlement unit, as Spec reads it: the godoc listed only a
		// missing field.
		{Fn: "Instrument.Steps", Field: true, Want: venue.ErrValue, Call: instrument("0.underlyingToSettleMultiplier", "-1000000", steps)},
		{Fn: "Margin.Wallet", Want: bitmex.ErrCurrency, Call: wallet(func(m *bitmex.Margin) { m.Currency = "Gwei" })},
		{Fn: "Margin.Wallet", Want: derivmath.ErrNaN, Call: wallet(func(m *bitmex.Margin) { m.WalletBalance.Form = apd.NaN })},
		{Fn: "Position.Position", Field: true, Want: venue.ErrValue, Call: position(func(p *bitmex.Position) { p.Symbol = "OTHER" }, &instruments(t)[0])},
		{Fn: "Position.Position", Field: true, Want: bitmex.ErrCurrency, Call: position(func(p *bitmex.Position) { p.Currency = "Gwei" }, nil)},
		{Fn: "Position.Position", Field: true, Want: venue.ErrNumber, Call: position(func(p *bitmex.Position) { p.AvgEntryPrice.Form = apd.NaN }, nil)},
		{Fn: "Assemble", Want: derivmath.ErrContext, Call: func() error {
			_, _, err := bitmex.Assemble(nil, &bitmex.Payloads{Instruments: pt.Load(t, "testdata/instrument-2019.json"), Positions: pt.Load(t, "testdata/position.json")}, nil)
			return err
		}},
		{Fn: "Assemble", Want: pt.ErrSyntax, Call: assemble(func(p *bitmex.Payloads) { p.Positions = []byte(`[`) })},
		{Fn: "Assemble", Field: true, Want: venue.ErrMissing, Call: assemble(func(p *bitmex.Payloads) { p.Instruments = []byte(`[]`) })},
		{Fn: "Assemble", Field: true, Want: venue.ErrValue, Call: assemble(func(p *bitmex.Payloads) {
			p.Instruments = pt.Edit(t, p.Instruments, "0.multiplier", "100000000")
		})},
	})
}
