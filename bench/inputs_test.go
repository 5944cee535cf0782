package bench

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/cockroachdb/apd/v3"
	govalues "github.com/govalues/decimal"
	"github.com/quagmt/udecimal"
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
	// A mark at which the Binance isolated long (liquidation price 58,445)
	// is not liquidatable.
	"liqMark": "59000.5",
}

// inputs holds the scalar inputs by name (the keys of text, capitalised;
// FillQty[i] is fillQty<i>), as T.
type inputs[T any] struct {
	LinQty, LinPrice, LinEntry, LinExit, InvQty, InvPrice, InvEntry, InvExit, One T
	Value, Leverage, Notional, Mark, Rate, Bid, Ask, Index                        T
	Wallet, MMR, Cum, BmMargin, BmFee, Tick, LiqMark                              T
	FillQty, FillPx                                                               [4]T
}

// load parses every input of text with parse.
func load[T any](text map[string]string, parse func(string) T) inputs[T] {
	var in inputs[T]
	v := reflect.ValueOf(&in).Elem()
	for i := range v.NumField() {
		f, name := v.Field(i), v.Type().Field(i).Name
		get := func(key string) string {
			s, ok := text[strings.ToLower(key[:1])+key[1:]]
			if !ok {
				s, ok = text[key]
			}
			if !ok {
				panic("no input " + key)
			}
			return s
		}
		if f.Kind() == reflect.Array {
			for j := range f.Len() {
				f.Index(j).Set(reflect.ValueOf(parse(get(name + strconv.Itoa(j)))))
			}
			continue
		}
		f.Set(reflect.ValueOf(parse(get(name))))
	}
	return in
}

// with returns text with the given keys replaced.
func with(kv ...string) map[string]string {
	m := make(map[string]string, len(text))
	for k, v := range text {
		m[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if _, ok := m[kv[i]]; !ok {
			panic("no input " + kv[i])
		}
		m[kv[i]] = kv[i+1]
	}
	return m
}

// The parsers. Each peer must hold every input exactly: a parser panics
// on an input its library would round.

func parseDM(s string) *apd.Decimal {
	d, _, err := apd.NewFromString(s)
	if err != nil {
		panic(s + ": " + err.Error())
	}
	return d
}

func parseF(s string) float64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		panic(err)
	}
	return f
}

func parseS(s string) decimal.Decimal { return exact(s, decimal.RequireFromString(s)) }

func parseU(s string) udecimal.Decimal { return exact(s, udecimal.MustParse(s)) }

func parseG(s string) govalues.Decimal { return exact(s, govalues.MustParse(s)) }

// exact returns d, after checking that it is the number s.
func exact[T fmt.Stringer](s string, d T) T {
	if parseDM(d.String()).Cmp(parseDM(s)) != 0 {
		panic(fmt.Sprintf("%T holds %s as %s", d, s, d))
	}
	return d
}

// tiersOf returns margin.BTCUSDT as a table of T.
func tiersOf[T any](parse func(string) T) []Tier[T] {
	var t []Tier[T]
	for _, r := range tierRows() {
		t = append(t, Tier[T]{parse(r[0]), parse(r[1]), parse(r[2])})
	}
	return t
}

// The benchmarks' inputs in each implementation's own type, converted
// before any timer starts: package variables, so that the compiler cannot
// fold them.
var (
	dm = newDM(load(text, parseDM))
	fl = load(text, parseF)
	sd = load(text, parseS)
	ud = load(text, parseU)
	gv = load(text, parseG)

	tiersF = tiersOf(parseF)
	tiersD = tiersOf(parseS)
	tiersU = tiersOf(parseU)
	tiersG = tiersOf(parseG)
)

// The cross account: a Binance USD-M wallet of 20,000 USDT with ten
// positions on linear contracts of multiplier 1, each on the BTCUSDT
// brackets: the watched BTCUSDT long first (it is solved for), then nine
// others, longs and shorts. Each has two marks, before and after a tick,
// and a third set has BTC fallen through its liquidation price.
const crossWallet = "20000"

var crossText = [...][5]string{
	// symbol, qty, entry, mark, mark after the tick
	{"BTCUSDT", "1", "60000", "61000.5", "60950.1"},
	{"ETHUSDT", "10", "3000", "3050.25", "3053.3"},
	{"SOLUSDT", "-200", "150.125", "148.5", "148.352"},
	{"BNBUSDT", "15", "600.5", "590", "590.59"},
	{"XRPUSDT", "-20000", "0.6123", "0.6011", "0.6017"},
	{"DOGEUSDT", "50000", "0.16395", "0.15871", "0.15887"},
	{"ADAUSDT", "-10000", "0.4512", "0.4633", "0.4628"},
	{"LINKUSDT", "300", "14.823", "15.101", "15.116"},
	{"AVAXUSDT", "-150", "35.12", "34.007", "33.973"},
	{"LTCUSDT", "40", "82.37", "80.12", "80.2"},
}

// crossPos is one position of the cross account.
type crossPos[T any] struct{ Qty, Entry T }

// crossOf returns the positions and the two sets of marks as T.
func crossOf[T any](parse func(string) T) (pos []crossPos[T], marks [2][]T) {
	for _, r := range crossText {
		pos = append(pos, crossPos[T]{parse(r[1]), parse(r[2])})
		marks[0] = append(marks[0], parse(r[3]))
		marks[1] = append(marks[1], parse(r[4]))
	}
	return pos, marks
}

var (
	crossDM      *dmCross
	crossMarksDM [2][]*apd.Decimal
	crossFl      CrossF
	crossMarksF  [2][]float64
)

func init() {
	var pos []crossPos[*apd.Decimal]
	pos, crossMarksDM = crossOf(parseDM)
	crossDM = newDMCross(parseDM(crossWallet), pos)
	posF, marksF := crossOf(parseF)
	crossMarksF = marksF
	crossFl = CrossF{Wallet: parseF(crossWallet), Tiers: tiersF}
	for _, p := range posF {
		crossFl.Pos = append(crossFl.Pos, PositionF(p))
	}
}
