package bybit_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/venue"
	"github.com/derivmath/derivmath/venue/bybit"
	pt "github.com/derivmath/derivmath/venue/internal/payloadtest"
)

// TestAssemblePayloads assembles the open positions of the sample
// position payloads, logs every comparison, and asserts agreement where
// the payload is self-consistent. Disagreements and their causes:
//
//   - position-list-linear-2023.json, XRPUSDT long 100 at 0.3615, 10x
//     (documentation, historical): positionIM, positionMM (with the fee to
//     close at taker 0.06%) and unrealisedPnl agree. liqPrice "0.0001" is
//     the instrument's minimum price, "none": the account's wallet is not
//     in the payload, so derivmath's (for an empty wallet) differs.
//   - position-list.json, BTCUSD inverse short (documentation): stitched
//     together (breakEvenPrice 93556.73 against avgPrice 27464.50): the
//     prices and margins are logged only; unrealisedPnl, at the row's own
//     avgPrice and markPrice, agrees.
//   - position-ws-hedge.json, BTCUSDT hedge Buy leg at 1x (testnet
//     websocket): positionMM 0.00001 and positionIM 1% at leverage 1 are
//     not Bybit's formulas at any tier: logged only; unrealisedPnl agrees.
func TestAssemblePayloads(t *testing.T) {
	ctx := derivmath.NewContext()
	taker := map[string]*apd.Decimal{"XRPUSDT": pt.D("0.0006"), "BTCUSD": pt.D("0.0006"), "BTCUSDT": pt.D("0.00055")}
	for _, c := range []struct {
		name                   string
		ins, positions, limits string
		check                  map[string]bool
	}{
		{
			"XRPUSDT", "assemble/instruments-xrpusdt.json", "position-list-linear-2023.json", "assemble/risk-limit-xrpusdt.json",
			map[string]bool{"positionIM": true, "positionMM": true, "unrealisedPnl": true},
		},
		{
			"BTCUSD", "instruments-info-inverse.json", "position-list.json", "risk-limit-inverse-captured.json",
			map[string]bool{"unrealisedPnl": true},
		},
		{
			"BTCUSDT hedge", "instruments-info-linear-2023.json", "position-ws-hedge.json", "risk-limit-linear-captured.json",
			map[string]bool{"unrealisedPnl": true},
		},
	} {
		p := &bybit.Payloads{
			Instruments: pt.Load(t, "testdata/"+c.ins),
			Positions:   pt.Load(t, "testdata/"+c.positions),
			RiskLimits:  pt.Load(t, "testdata/"+c.limits),
		}
		_, cs, err := bybit.Assemble(ctx, p, &bybit.Options{Taker: taker})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(cs) == 0 {
			t.Errorf("%s: no comparisons", c.name)
		}
		for i := range cs {
			t.Logf("%s: %s", c.name, cs[i].String())
			if c.check[cs[i].Field] && !cs[i].Agree {
				t.Errorf("%s: %s", c.name, cs[i].String())
			}
		}
	}
}

func TestAssembleErrors(t *testing.T) {
	ctx := derivmath.NewContext()
	p := &bybit.Payloads{
		Instruments: pt.Load(t, "testdata/instruments-info-linear.json"),
		Positions:   pt.Load(t, "testdata/position-list-linear-2023.json"),
		RiskLimits:  pt.Load(t, "testdata/risk-limit-linear-captured.json"),
	}
	_, _, err := bybit.Assemble(ctx, p, nil)
	var fe *venue.FieldError
	if !errors.As(err, &fe) || fe.Row.Key != "XRPUSDT" || fe.Field != "symbol" || !errors.Is(err, venue.ErrMissing) {
		t.Errorf("missing instrument: %v", err)
	}
	// A second open row on one symbol and positionIdx names positionIdx.
	one := pt.Load(t, "testdata/position-list-linear-2023.json")
	p.Positions = pt.Edit(t, one, "result.list", "["+string(first(t, one))+","+string(first(t, one))+"]")
	p.Instruments = pt.Load(t, "testdata/assemble/instruments-xrpusdt.json")
	p.RiskLimits = pt.Load(t, "testdata/assemble/risk-limit-xrpusdt.json")
	_, _, err = bybit.Assemble(ctx, p, nil)
	pt.FieldError(t, err, -1, "XRPUSDT", "positionIdx", venue.ErrValue)
	p.Positions = one
	// A taker rate the contract refuses names the symbol and taker, and
	// matches venue.ErrValue beside the contract's error (its Err was the
	// contract's error alone, none of the venue sentinels).
	p.Instruments = pt.Load(t, "testdata/assemble/instruments-xrpusdt.json")
	p.RiskLimits = pt.Load(t, "testdata/assemble/risk-limit-xrpusdt.json")
	_, _, err = bybit.Assemble(ctx, p, &bybit.Options{Taker: map[string]*apd.Decimal{"XRPUSDT": pt.D("1.5")}})
	pt.FieldError(t, err, -1, "XRPUSDT", "taker", venue.ErrValue)
	if !errors.Is(err, derivmath.ErrFeeRate) {
		t.Errorf("taker 1.5: %v, want errors.Is derivmath.ErrFeeRate", err)
	}
}

// TestAssembleNilContext: a nil context is derivmath.ErrContext.
func TestAssembleNilContext(t *testing.T) {
	p := &bybit.Payloads{
		Instruments: pt.Load(t, "testdata/instruments-info-linear.json"),
		Positions:   pt.Load(t, "testdata/position-list-linear-2023.json"),
		RiskLimits:  pt.Load(t, "testdata/risk-limit-linear-captured.json"),
	}
	if _, _, err := bybit.Assemble(nil, p, nil); !errors.Is(err, derivmath.ErrContext) {
		t.Fatalf("Assemble(nil context): %v, want ErrContext", err)
	}
}

// first returns the first row of the list of the Bybit response data.
func first(t testing.TB, data []byte) []byte {
	t.Helper()
	var r struct {
		Result struct {
			List []json.RawMessage `json:"list"`
		} `json:"result"`
	}
	if err := json.Unmarshal(data, &r); err != nil || len(r.Result.List) == 0 {
		t.Fatalf("no row: %v", err)
	}
	return r.Result.List[0]
}
