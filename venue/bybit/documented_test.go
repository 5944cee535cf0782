package bybit_test

import (
	"errors"
	"testing"

	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/margin"
	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/bybit"
	pt "github.com/derivmath/derivmath/venue/internal/payloadtest"
)

// TestErrorsDocumented returns, for each exported function and method of
// the package that returns an error, each error its godoc names from one
// input (payloadtest.CheckCases: a *venue.FieldError among them must wrap
// a venue sentinel, as FieldError documents). The decoders' lists are "an
// *APIError, a *json.SyntaxError, otherwise a wrapped *venue.FieldError":
// one FieldError case each here, TestDecodeErrors has each venue sentinel.
// Assemble's references (the decoders', Instrument.Spec's and Tiers') are
// one case each; Instrument.Spec's "errors of contract.New" one
// (contract's ErrTickSize).
func TestErrorsDocumented(t *testing.T) {
	ctx := derivmath.NewContext()
	api := func(err error) bool { var e *bybit.APIError; return errors.As(err, &e) }
	failed := []byte(`{"retCode":10001,"retMsg":"params error","result":{}}`)
	limits := func(path, value string) func() error {
		return func() error {
			rs, err := bybit.DecodeRiskLimits(pt.Edit(t, pt.Load(t, "testdata/risk-limit-linear-captured.json"), path, value))
			if err != nil {
				t.Fatal(err)
			}
			_, err = bybit.Tiers(rs, "BTCUSDT")
			return err
		}
	}
	instrument := func(change func(in *bybit.Instrument)) func() error {
		return func() error {
			ins, err := bybit.DecodeInstruments(pt.Load(t, "testdata/instruments-info-linear.json"))
			if err != nil {
				t.Fatal(err)
			}
			change(&ins[0])
			_, err = ins[0].Spec()
			return err
		}
	}
	position := func(change func(p *bybit.Position, in *bybit.Instrument) venue.MarginMode) func() error {
		return func() error {
			open, _, err := bybit.DecodePositions(pt.Load(t, "testdata/position-list-linear-2023.json"))
			if err != nil {
				t.Fatal(err)
			}
			ins, err := bybit.DecodeInstruments(pt.Load(t, "testdata/assemble/instruments-xrpusdt.json"))
			if err != nil {
				t.Fatal(err)
			}
			mode := change(&open[0], &ins[0])
			_, err = open[0].Position(&ins[0], mode)
			return err
		}
	}
	payloads := func(change func(p *bybit.Payloads)) func() error {
		return func() error {
			p := &bybit.Payloads{
				Instruments: pt.Load(t, "testdata/assemble/instruments-xrpusdt.json"),
				Positions:   pt.Load(t, "testdata/position-list-linear-2023.json"),
				RiskLimits:  pt.Load(t, "testdata/assemble/risk-limit-xrpusdt.json"),
			}
			change(p)
			_, _, err := bybit.Assemble(ctx, p, nil)
			return err
		}
	}
	pt.CheckCases(t, []pt.Case{
		{Fn: "DecodeInstruments", As: api, Call: func() error { _, err := bybit.DecodeInstruments(failed); return err }},
		{Fn: "DecodeInstruments", Want: pt.ErrSyntax, Call: func() error { _, err := bybit.DecodeInstruments([]byte(`{`)); return err }},
		{Fn: "DecodeInstruments", Field: true, Want: venue.ErrMissing, Call: func() error {
			_, err := bybit.DecodeInstruments(pt.Edit(t, pt.Load(t, "testdata/instruments-info-linear.json"), "result.list.0.symbol", pt.Delete))
			return err
		}},
		{Fn: "DecodePositions", As: api, Call: func() error { _, _, err := bybit.DecodePositions(failed); return err }},
		{Fn: "DecodePositions", Want: pt.ErrSyntax, Call: func() error { _, _, err := bybit.DecodePositions([]byte(`{"a":}`)); return err }},
		{Fn: "DecodePositions", Field: true, Want: venue.ErrNumber, Call: func() error {
			_, _, err := bybit.DecodePositions(pt.Edit(t, pt.Load(t, "testdata/position-list.json"), "result.list.0.avgPrice", `"NaN"`))
			return err
		}},
		{Fn: "DecodeRiskLimits", As: api, Call: func() error { _, err := bybit.DecodeRiskLimits(failed); return err }},
		{Fn: "DecodeRiskLimits", Want: pt.ErrSyntax, Call: func() error { _, err := bybit.DecodeRiskLimits([]byte(`[`)); return err }},
		{Fn: "DecodeRiskLimits", Field: true, Want: venue.ErrType, Call: func() error {
			_, err := bybit.DecodeRiskLimits(pt.Edit(t, pt.Load(t, "testdata/risk-limit.json"), "result.list.0", "1"))
			return err
		}},
		{Fn: "DecodeTickers", As: api, Call: func() error { _, err := bybit.DecodeTickers(failed); return err }},
		{Fn: "DecodeTickers", Want: pt.ErrSyntax, Call: func() error { _, err := bybit.DecodeTickers([]byte(`x`)); return err }},
		{Fn: "DecodeTickers", Field: true, Want: venue.ErrMissing, Call: func() error {
			_, err := bybit.DecodeTickers(pt.Edit(t, pt.Load(t, "testdata/tickers.json"), "result.list.0.symbol", pt.Delete))
			return err
		}},
		{Fn: "DecodeWalletBalance", As: api, Call: func() error { _, err := bybit.DecodeWalletBalance(failed); return err }},
		{Fn: "DecodeWalletBalance", Want: pt.ErrSyntax, Call: func() error { _, err := bybit.DecodeWalletBalance([]byte(`{]`)); return err }},
		{Fn: "DecodeWalletBalance", Field: true, Want: venue.ErrNumber, Call: func() error {
			_, err := bybit.DecodeWalletBalance(pt.Edit(t, pt.Load(t, "testdata/wallet-balance.json"), "result.list.0.coin.0.equity", `"abc"`))
			return err
		}},
		{Fn: "Tiers", Field: true, Want: venue.ErrMissing, Call: func() error {
			rs, err := bybit.DecodeRiskLimits(pt.Load(t, "testdata/risk-limit-linear-captured.json"))
			if err != nil {
				t.Fatal(err)
			}
			_, err = bybit.Tiers(rs, "ETHUSDT")
			return err
		}},
		{Fn: "Tiers", Field: true, Want: venue.ErrValue, Call: limits("result.list.1.initialMargin", `"0.5"`)},
		{Fn: "Tiers", Field: true, Want: margin.ErrCum, Call: limits("result.list.1.mmDeduction", `"511"`)},
		{Fn: "Tiers", Field: true, Want: margin.ErrLimit, Call: limits("result.list.1.riskLimitValue", `"300000"`)},
		{Fn: "Instrument.Spec", Field: true, Want: venue.ErrValue, Call: instrument(func(in *bybit.Instrument) { in.ContractType = "Option" })},
		{Fn: "Instrument.Spec", Want: contract.ErrTickSize, Call: instrument(func(in *bybit.Instrument) { in.TickSize.SetInt64(0) })},
		{Fn: "Position.Position", Field: true, Want: venue.ErrValue, Call: position(func(p *bybit.Position, in *bybit.Instrument) venue.MarginMode {
			p.Symbol = "OTHER"
			return 0
		})},
		{Fn: "Position.Position", Field: true, Want: venue.ErrNumber, Call: position(func(p *bybit.Position, in *bybit.Instrument) venue.MarginMode {
			p.AvgPrice.Form = 2
			return 0
		})},
		{Fn: "Position.Position", Field: true, Want: venue.ErrMissing, Call: position(func(p *bybit.Position, in *bybit.Instrument) venue.MarginMode {
			p.PositionBalance.Valid, p.PositionIM.Valid = false, false
			return venue.Isolated
		})},
		{Fn: "Position.Position", Want: venue.ErrValue, Call: position(func(p *bybit.Position, in *bybit.Instrument) venue.MarginMode {
			return 9
		})},
		{Fn: "Assemble", Want: derivmath.ErrContext, Call: func() error {
			_, _, err := bybit.Assemble(nil, &bybit.Payloads{
				Instruments: pt.Load(t, "testdata/assemble/instruments-xrpusdt.json"),
				Positions:   pt.Load(t, "testdata/position-list-linear-2023.json"),
				RiskLimits:  pt.Load(t, "testdata/assemble/risk-limit-xrpusdt.json"),
			}, nil)
			return err
		}},
		{Fn: "Assemble", Want: pt.ErrSyntax, Call: payloads(func(p *bybit.Payloads) { p.Positions = []byte(`{`) })},
		{Fn: "Assemble", Field: true, Want: venue.ErrMissing, Call: payloads(func(p *bybit.Payloads) {
			p.RiskLimits = pt.Load(t, "testdata/risk-limit-linear-captured.json") // BTCUSDT only
		})},
		{Fn: "Assemble", Field: true, Want: margin.ErrCum, Call: payloads(func(p *bybit.Payloads) {
			p.RiskLimits = pt.Edit(t, p.RiskLimits, "result.list.0.mmDeduction", `"5"`)
		})},
	})
}
