package contract

// Presets for well-known instruments. Each call returns a new Spec, so a
// caller may change a preset's fees (to its own fee tier, say) without
// affecting anyone else. Each Spec's Source names the exchange's documents
// the multiplier and kind come from and when they were checked; tick sizes,
// lot sizes and fee rates are long-standing defaults, not re-checked
// against a live instrument endpoint: override them from it when it
// matters.

const (
	checked   = ", checked 2026-11-24"
	unchecked = "; tick, lot and fees are defaults not re-checked live"
)

// mustNew builds a preset from constant text; a failure is a bug in this
// file, caught by the tests of every preset.
func mustNew(p Params) *Spec {
	s, err := New(p)
	if err != nil {
		panic(err)
	}
	return s
}

// XBTUSD returns BitMEX's inverse bitcoin perpetual: 1 USD per contract,
// settled in XBT with money in satoshis (XBt, 0.00000001 XBT), tick 0.5,
// lot 100, taker 0.075%, maker -0.025%.
func XBTUSD() *Spec {
	return mustNew(Params{
		Symbol: "XBTUSD", Kind: Inverse, Settle: "XBT",
		Multiplier: "1", Tick: "0.5", Lot: "100",
		Maker: "-0.00025", Taker: "0.00075", Minor: "0.00000001",
		Source: "BitMEX perpetual contracts guide, XBTUSD contract specifications" + checked + unchecked,
	})
}

// ETHUSD returns BitMEX's quanto ether perpetual: 0.000001 XBT per USD of
// price per contract (the guide's header; its own worked example uses 0.0001
// but is consistent with 0.000001), settled in XBT, tick 0.05, lot 1, taker
// 0.075%, maker -0.025%.
func ETHUSD() *Spec {
	return mustNew(Params{
		Symbol: "ETHUSD", Kind: Quanto, Settle: "XBT",
		Multiplier: "0.000001", Tick: "0.05", Lot: "1",
		Maker: "-0.00025", Taker: "0.00075", Minor: "0.00000001",
		Source: "BitMEX ETHUSD contract specifications, BitMEX blog on quanto contracts" + checked + unchecked,
	})
}

// XBTUSDT returns BitMEX's linear bitcoin perpetual settled in USDT: one
// contract is 0.000001 XBT, money in USDt (0.000001 USDT), tick 0.5, lot
// 1000, taker 0.075%, maker -0.025%.
func XBTUSDT() *Spec {
	return mustNew(Params{
		Symbol: "XBTUSDT", Kind: Linear, Settle: "USDT",
		Multiplier: "0.000001", Tick: "0.5", Lot: "1000",
		Maker: "-0.00025", Taker: "0.00075", Minor: "0.000001",
		Source: "BitMEX XBTUSDT contract specifications" + checked + unchecked,
	})
}

// BTCUSDT returns Binance's USD-M bitcoin perpetual: quantity in BTC (m =
// 1), settled in USDT, tick 0.1, lot 0.001, taker 0.05%, maker 0.02%
// (regular user tier).
func BTCUSDT() *Spec {
	return mustNew(Params{
		Symbol: "BTCUSDT", Kind: Linear, Settle: "USDT",
		Multiplier: "1", Tick: "0.1", Lot: "0.001",
		Maker: "0.0002", Taker: "0.0005",
		Source: "Binance USD-M futures contract specifications" + checked + unchecked,
	})
}

// BTCUSDPerp returns Binance's COIN-M bitcoin perpetual BTCUSD_PERP: 100 USD
// per contract, settled in BTC, tick 0.1, lot 1, taker 0.05%, maker 0.02%
// (regular user tier).
func BTCUSDPerp() *Spec {
	return mustNew(Params{
		Symbol: "BTCUSD_PERP", Kind: Inverse, Settle: "BTC",
		Multiplier: "100", Tick: "0.1", Lot: "1",
		Maker: "0.0002", Taker: "0.0005",
		Source: "Binance COIN-M futures contract specifications" + checked + unchecked,
	})
}

// BybitBTCUSD returns Bybit's inverse bitcoin perpetual BTCUSD: 1 USD per
// contract, settled in BTC, tick 0.5, lot 1, taker 0.055%, maker 0.02%
// (non-VIP tier).
func BybitBTCUSD() *Spec {
	return mustNew(Params{
		Symbol: "BTCUSD", Kind: Inverse, Settle: "BTC",
		Multiplier: "1", Tick: "0.5", Lot: "1",
		Maker: "0.0002", Taker: "0.00055",
		Source: "Bybit inverse perpetual contract specifications" + checked + unchecked,
	})
}
