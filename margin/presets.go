package margin

import "github.com/cockroachdb/apd/v3"

// Presets: published schedules, from the documents each names, not
// re-checked against a live endpoint: where it matters, load the live one
// (Binance's leverage bracket endpoint, Deribit's instrument data) with
// [NewTiers] or a struct literal. Each call returns a new value.

// btcusdt is Binance's BTCUSDT bracket table: floor, MMR, max leverage, cum.
var btcusdt = [...][4]string{
	{"0", "0.004", "125", "0"},
	{"50000", "0.005", "100", "50"},
	{"600000", "0.0065", "75", "950"},
	{"3000000", "0.01", "50", "11450"},
	{"12000000", "0.02", "25", "131450"},
	{"70000000", "0.025", "20", "481450"},
	{"100000000", "0.05", "10", "2981450"},
	{"230000000", "0.1", "5", "14481450"},
	{"480000000", "0.125", "4", "26481450"},
	{"600000000", "0.15", "3", "41481450"},
	{"800000000", "0.25", "2", "121481450"},
	{"1200000000", "0.5", "1", "421481450"},
}

// BTCUSDT returns the leverage brackets Binance publishes for its USD-M
// BTCUSDT perpetual: twelve tiers from 0.4% maintenance
// and 125x below 50,000 USDT of notional to 50% and 1x from 1.2 billion,
// with the maintenance amounts (cum) Binance publishes, which satisfy the
// recurrence [NewTiers] checks. The table has no upper limit.
//
// BTCUSDT panics only if the constants above are wrong, which the tests
// rule out.
func BTCUSDT() *Tiers {
	rows := make([]Tier, len(btcusdt))
	for i, r := range btcusdt {
		for j, d := range [...]*apd.Decimal{&rows[i].Floor, &rows[i].MMR, &rows[i].MaxLeverage, &rows[i].Cum} {
			if _, _, err := d.SetString(r[j]); err != nil {
				panic("margin: BTCUSDT preset: " + err.Error())
			}
		}
	}
	t, err := NewTiers(rows, nil)
	if err != nil {
		panic("margin: BTCUSDT preset: " + err.Error())
	}
	return t
}

// DeribitBTC returns Deribit's size-linear schedule for BTC linear
// perpetuals as its linear perpetual article gives it: IMR = 2% +
// size*0.005%, MMR = 1% + size*0.005%, size in BTC.
func DeribitBTC() *SizeLinear {
	s := &SizeLinear{}
	s.BaseIM.SetFinite(2, -2)
	s.BaseMM.SetFinite(1, -2)
	s.IMSlope.SetFinite(5, -5)
	s.MMSlope.SetFinite(5, -5)
	return s
}
