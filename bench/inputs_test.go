package bench

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
	"github.com/shopspring/decimal"
)

// The inputs of every kernel, exchange-sized: a BTCUSDT long of 2.5 BTC
// (linear, multiplier 1) and an XBTUSD long of 12,300 contracts (inverse,
// 1 USD each), entered at 61,234.5.
var text = map[string]string{
	"linQty": "2.5", "linPrice": "65432.1", "linEntry": "61234.5", "linExit": "65432.1",
	"invQty": "12300", "invPrice": "65432.5", "invEntry": "61234.5", "invExit": "65432.5",
	"one": "1",
	// Four fills into an inverse long: the harmonic mean of their prices.
	"fillQty0": "1000", "fillQty1": "2500", "fillQty2": "700", "fillQty3": "1800",
	"fillPx0": "61234.5", "fillPx1": "60100", "fillPx2": "62000.5", "fillPx3": "59870",
	// Initial margin of a 163,580.25 USDT position at 20x.
	"value": "163580.25", "leverage": "20",
	// Maintenance margin of 2,500,000.5 USDT on Binance's BTCUSDT tiers.
	"notional": "2500000.5",
	// Funding of the XBTUSD long at a mark of 65,432.5 and 0.01%.
	"mark": "65432.5", "rate": "0.0001",
	// One premium index sample.
	"bid": "65440.2", "ask": "65445.8", "index": "65420.35",
	// Binance isolated: the BTCUSDT long at 20x (wallet = value/20), in the
	// tier of MMR 0.5% and cum 50.
	"wallet": "7654.3125", "MMR": "0.005", "cum": "50",
	// BitMEX isolated: the XBTUSD long at 25x, margin posInit + posComm
	// and fee reserve posComm in XBT.
	"bmMargin": "0.0081914", "bmFee": "0.0001567", "tick": "0.5",
}

// inputs holds the scalar inputs by name (the keys of text, capitalised),
// as T.
type inputs[T any] struct {
	LinQty, LinPrice, LinEntry, LinExit, InvQty, InvPrice, InvEntry, InvExit, One T
	Value, Leverage, Notional, Mark, Rate, Bid, Ask, Index                        T
	Wallet, MMR, Cum, BmMargin, BmFee, Tick                                       T
}

// The inputs as apd decimals for derivmath, float64s and shopspring
// decimals: package variables, so that the compiler cannot fold them.
var (
	dm inputs[*apd.Decimal]
	fl inputs[float64]
	sd inputs[decimal.Decimal]
)

var (
	tiersF []TierF
	tiersD []TierD
)

// derivmath's side of the inputs.
var (
	ctx            = derivmath.NewContext()
	btcusdt        = contract.BTCUSDT()
	xbtusd         = contract.XBTUSD()
	tiers          = margin.BTCUSDT()
	fills          = make([]contract.Fill, 4)
	invPos         contract.Position
	binanceAccount = &liquidation.Account{Spec: contract.BTCUSDT(), Convention: liquidation.Binance, Legs: make([]liquidation.Leg, 1)}
	bitmexAccount  = &liquidation.Account{Spec: contract.XBTUSD(), Convention: liquidation.BitMEX, Legs: make([]liquidation.Leg, 1)}
)

// The float64 and shopspring sides, as package variables so that the
// compiler cannot fold them into constants.
var (
	fillQtyF, fillPxF []float64
	fillQtyD, fillPxD []decimal.Decimal
)

func init() {
	vd, vf, vs := reflect.ValueOf(&dm).Elem(), reflect.ValueOf(&fl).Elem(), reflect.ValueOf(&sd).Elem()
	for i := range vd.NumField() {
		name := vd.Type().Field(i).Name
		s, ok := text[strings.ToLower(name[:1])+name[1:]]
		if !ok {
			s = text[name]
		}
		d, _, err := apd.NewFromString(s)
		if err != nil {
			panic(name + ": " + err.Error())
		}
		f, err := d.Float64()
		if err != nil {
			panic(err)
		}
		vd.Field(i).Set(reflect.ValueOf(d))
		vf.Field(i).SetFloat(f)
		vs.Field(i).Set(reflect.ValueOf(decimal.RequireFromString(s)))
	}
	// The float64 and shopspring tier tables are derivmath's
	// margin.BTCUSDT (FORMULAS.md, section 2), converted.
	for i := range tiers.Len() {
		r := tiers.At(i)
		d := [3]decimal.Decimal{}
		var f [3]float64
		for j, x := range [...]*apd.Decimal{&r.Floor, &r.MMR, &r.Cum} {
			d[j] = decimal.RequireFromString(x.String())
			f[j] = d[j].InexactFloat64()
		}
		tiersF = append(tiersF, TierF{f[0], f[1], f[2]})
		tiersD = append(tiersD, TierD{d[0], d[1], d[2]})
	}
	for i := range fills {
		q, p := text["fillQty"+strconv.Itoa(i)], text["fillPx"+strconv.Itoa(i)]
		if _, _, err := fills[i].Qty.SetString(q); err != nil {
			panic(err)
		}
		if _, _, err := fills[i].Price.SetString(p); err != nil {
			panic(err)
		}
		fillQtyD = append(fillQtyD, decimal.RequireFromString(q))
		fillPxD = append(fillPxD, decimal.RequireFromString(p))
		fillQtyF = append(fillQtyF, fillQtyD[i].InexactFloat64())
		fillPxF = append(fillPxF, fillPxD[i].InexactFloat64())
	}
	invPos.Qty.Set(dm.InvQty)
	invPos.Entry.Set(dm.InvEntry)

	l := &binanceAccount.Legs[0]
	l.Qty.Set(dm.LinQty)
	l.Entry.Set(dm.LinEntry)
	l.MMR.Set(dm.MMR)
	l.Cum.Set(dm.Cum)
	binanceAccount.Balance.Set(dm.Wallet)

	l = &bitmexAccount.Legs[0]
	l.Qty.Set(dm.InvQty)
	l.Entry.Set(dm.InvEntry)
	l.MMR.Set(dm.MMR)
	bitmexAccount.Balance.Set(dm.BmMargin)
	bitmexAccount.FeeReserve.Set(dm.BmFee)
}
