package binance_test

import (
	"testing"

	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/margin"
	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/binance"
	pt "github.com/derivmath/derivmath/venue/internal/payloadtest"
)

// TestErrorsDocumented returns, for each exported function and method of
// the package that returns an error, each error its godoc names from one
// input: a *json.SyntaxError for malformed JSON, a *venue.FieldError whose
// Err matches the sentinel (and, as FieldError documents, one of the venue
// sentinels), or a sentinel of another package. The decoders' lists are
// "a *json.SyntaxError, otherwise a wrapped *venue.FieldError": one
// FieldError case each here, TestDecodeErrors has each venue sentinel.
// Assemble's "decoders' errors" and "errors of Brackets.Tiers" are one
// case each; Symbol.Spec's "those of contract.New" one (contract's
// ErrTickSize).
func TestErrorsDocumented(t *testing.T) {
	ctx := derivmath.NewContext()
	bracket := func(path, value string) func() error {
		return func() error {
			bs, err := binance.DecodeBrackets(pt.Edit(t, []byte(btcusdt), path, value))
			if err != nil {
				t.Fatal(err)
			}
			_, err = bs[0].Tiers()
			return err
		}
	}
	position := func(change func(p *binance.PositionRisk)) func() error {
		return func() error {
			open, _, err := binance.DecodePositionRisk(pt.Load(t, "testdata/usdm/positionRisk.json"))
			if err != nil {
				t.Fatal(err)
			}
			change(&open[0])
			_, err = open[0].Position()
			return err
		}
	}
	assemble := func(change func(p *binance.Payloads)) func() error {
		return func() error {
			p := botPayloads(t)
			change(p)
			_, _, err := binance.Assemble(ctx, p, nil)
			return err
		}
	}
	pt.CheckCases(t, []pt.Case{
		{Fn: "DecodeSymbols", Field: false, Want: pt.ErrSyntax, Call: func() error { _, err := binance.DecodeSymbols([]byte(`{"symbols":[`)); return err }},
		{Fn: "DecodeSymbols", Field: true, Want: venue.ErrType, Call: func() error { _, err := binance.DecodeSymbols([]byte(`{"symbols":[1]}`)); return err }},
		{Fn: "DecodePositionRisk", Field: false, Want: pt.ErrSyntax, Call: func() error { _, _, err := binance.DecodePositionRisk([]byte(`[{]`)); return err }},
		{Fn: "DecodePositionRisk", Field: true, Want: venue.ErrValue, Call: func() error {
			_, _, err := binance.DecodePositionRisk(pt.Edit(t, pt.Load(t, "testdata/usdm/positionRisk.json"), "2.positionSide", `"UP"`))
			return err
		}},
		{Fn: "DecodeBrackets", Field: false, Want: pt.ErrSyntax, Call: func() error { _, err := binance.DecodeBrackets([]byte(`[`)); return err }},
		{Fn: "DecodeBrackets", Field: true, Want: venue.ErrMissing, Call: func() error {
			_, err := binance.DecodeBrackets(pt.Edit(t, []byte(btcusdt), "0.brackets.0.cum", pt.Delete))
			return err
		}},
		{Fn: "DecodeAccount", Field: false, Want: pt.ErrSyntax, Call: func() error { _, err := binance.DecodeAccount([]byte(`{"assets":`)); return err }},
		{Fn: "DecodeAccount", Field: true, Want: venue.ErrType, Call: func() error { _, err := binance.DecodeAccount([]byte(`[]`)); return err }},
		{Fn: "DecodePremiumIndex", Field: false, Want: pt.ErrSyntax, Call: func() error { _, err := binance.DecodePremiumIndex([]byte(`[1,`)); return err }},
		{Fn: "DecodePremiumIndex", Field: true, Want: venue.ErrNumber, Call: func() error {
			_, err := binance.DecodePremiumIndex(pt.Edit(t, pt.Load(t, "testdata/coinm/premiumIndex.json"), "0.markPrice", `"abc"`))
			return err
		}},
		{Fn: "DecodeFundingInfo", Field: false, Want: pt.ErrSyntax, Call: func() error { _, err := binance.DecodeFundingInfo([]byte(`}`)); return err }},
		{Fn: "DecodeFundingInfo", Field: true, Want: venue.ErrMissing, Call: func() error {
			_, err := binance.DecodeFundingInfo(pt.Edit(t, pt.Load(t, "testdata/usdm/fundingInfo.json"), "0.symbol", pt.Delete))
			return err
		}},
		{Fn: "Brackets.Tiers", Field: true, Want: venue.ErrValue, Call: bracket("0.brackets.1.notionalFloor", "60000")},
		{Fn: "Brackets.Tiers", Field: true, Want: margin.ErrCum, Call: bracket("0.brackets.1.cum", "75")},
		{Fn: "Brackets.Tiers", Field: true, Want: margin.ErrTierRate, Call: bracket("0.brackets.3.maintMarginRatio", "0.006")},
		{Fn: "PositionRisk.Position", Field: true, Want: venue.ErrMissing, Call: position(func(p *binance.PositionRisk) {
			p.MarginType = venue.Isolated
			p.IsolatedMargin.Valid, p.IsolatedWallet.Valid = false, false
		})},
		{Fn: "PositionRisk.Position", Field: true, Want: venue.ErrNumber, Call: position(func(p *binance.PositionRisk) { p.EntryPrice.Form = 2 })},
		{Fn: "PositionRisk.Position", Field: true, Want: venue.ErrValue, Call: position(func(p *binance.PositionRisk) { p.PositionSide = 9 })},
		{Fn: "Symbol.Spec", Field: false, Want: contract.ErrTickSize, Call: func() error {
			syms, err := binance.DecodeSymbols(pt.Load(t, "testdata/usdm/exchangeInfo-symbol.json"))
			if err != nil {
				t.Fatal(err)
			}
			syms[0].TickSize.SetInt64(0)
			_, err = syms[0].Spec()
			return err
		}},
		{Fn: "Assemble", Field: false, Want: derivmath.ErrContext, Call: func() error { _, _, err := binance.Assemble(nil, botPayloads(t), nil); return err }},
		{Fn: "Assemble", Field: false, Want: pt.ErrSyntax, Call: assemble(func(p *binance.Payloads) { p.Positions = []byte(`[`) })},
		{Fn: "Assemble", Field: true, Want: venue.ErrMissing, Call: assemble(func(p *binance.Payloads) {
			p.Brackets = pt.Load(t, "testdata/usdm/leverageBracket.json") // ETHUSDT only
		})},
		{Fn: "Assemble", Field: true, Want: margin.ErrCum, Call: assemble(func(p *binance.Payloads) {
			p.Brackets = pt.Edit(t, p.Brackets, "0.brackets.1.cum", "12345")
		})},
	})
}
