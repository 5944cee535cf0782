package liquidation_test

import (
	"fmt"
	"log"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
)

// plain formats d for output: no trailing zeros, no exponent.
func plain(d *apd.Decimal) string {
	var r apd.Decimal
	r.Reduce(d)
	return r.Text('f')
}

// setDec sets z to the decimal written s, a constant of the example.
func setDec(z *apd.Decimal, s string) {
	if _, _, err := z.SetString(s); err != nil {
		panic(err)
	}
}

// The BitMEX 25x XBTUSD long: what price liquidates me?
//
// Long 10,000 XBTUSD (inverse, 1 USD per contract, settled in XBT) at
// 50,000 with 25x leverage and a maintenance rate of 0.5%. The entry value
// is 10,000/50,000 = 0.2 XBT, the initial margin 0.2/25 = 0.008 XBT. BitMEX
// also reserves the fee to close, posComm = 0.075% of (posCost + posInit) =
// 0.00075*0.208 = 0.000156 XBT, adds it to the position margin and to the
// maintenance margin, so it cancels: the closed form
// EP/(1 + 1/L - MMR) = 50,000/1.035 = 48,309.1787... holds, and BitMEX
// rounds it up to the 0.5 tick (toward the entry).
func ExamplePrice() {
	ctx := derivmath.NewContext()
	a := &liquidation.Account{
		Spec:       contract.XBTUSD(),
		Convention: liquidation.BitMEX,
		Legs:       make([]liquidation.Leg, 1),
	}
	l := &a.Legs[0]
	setDec(&l.Qty, "10000")
	setDec(&l.Entry, "50000")
	setDec(&l.MMR, "0.005")

	var lev apd.Decimal
	setDec(&lev, "25")
	if err := liquidation.IsolatedMargin(ctx, &a.Balance, a, &lev); err != nil {
		log.Fatal(err)
	}
	setDec(&a.FeeReserve, "0.000156")
	if _, err := ctx.Add(&a.Balance, &a.Balance, &a.FeeReserve); err != nil {
		log.Fatal(err)
	}

	var exact, p apd.Decimal
	if _, err := liquidation.Price(ctx, &exact, a, liquidation.Exact); err != nil {
		log.Fatal(err)
	}
	st, err := liquidation.Price(ctx, &p, a, liquidation.TowardEntry)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("position margin:", plain(&a.Balance), "XBT")
	fmt.Println("exact:", plain(&exact))
	fmt.Println(st, "liquidation price:", plain(&p))
	// Output:
	// position margin: 0.008156 XBT
	// exact: 48309.17874396135266
	// Found liquidation price: 48309.5
}

// A Binance USD-M cross account: 10,000 USDT, long 1 BTCUSDT at 60,000 and
// short 10 ETHUSDT at 3,000 with ETH marked at 3,100. The liquidation price
// of BTCUSDT counts the ETH position's loss (UPNL1 = -1,000) and
// maintenance (TMM1 = 31,000*0.5% = 155). Binance's formula gives
//
//	LP = (WB - TMM1 + UPNL1 + cum - N*EP)/(N*MMR - N)
//	   = (10,000 - 155 - 1,000 + 50 - 60,000)/(0.005 - 1) = 51,361.809...
//
// Binance reports it unrounded.
func ExamplePrice_cross() {
	ctx := derivmath.NewContext()
	eth, err := contract.New(contract.Params{Symbol: "ETHUSDT", Kind: contract.Linear, Multiplier: "1", Tick: "0.01", Lot: "0.001"})
	if err != nil {
		log.Fatal(err)
	}
	var ethQty, ethEntry, ethMark, ethMMR, ethValue, zero apd.Decimal
	setDec(&ethQty, "-10")
	setDec(&ethEntry, "3000")
	setDec(&ethMark, "3100")
	setDec(&ethMMR, "0.005")

	a := &liquidation.Account{
		Spec:       contract.BTCUSDT(),
		Convention: liquidation.Binance,
		Legs:       make([]liquidation.Leg, 1),
	}
	l := &a.Legs[0]
	setDec(&l.Qty, "1")
	setDec(&l.Entry, "60000")
	setDec(&l.MMR, "0.005") // the bracket of a 60,000 USDT notional
	setDec(&l.Cum, "50")
	setDec(&a.Balance, "10000")
	if err := eth.PnL(ctx, &a.OtherPnL, &ethQty, &ethEntry, &ethMark); err != nil {
		log.Fatal(err)
	}
	if err := eth.Value(ctx, &ethValue, &ethQty, &ethMark); err != nil {
		log.Fatal(err)
	}
	if err := margin.Maintenance(ctx, &a.OtherMM, &ethValue, &ethMMR, &zero); err != nil {
		log.Fatal(err)
	}

	var p apd.Decimal
	st, err := liquidation.Price(ctx, &p, a, liquidation.Exact)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("UPNL1:", plain(&a.OtherPnL), "TMM1:", plain(&a.OtherMM))
	fmt.Println(st, "BTCUSDT liquidation price:", plain(&p))
	// Output:
	// UPNL1: -1000 TMM1: 155
	// Found BTCUSDT liquidation price: 51361.80904522613065
}

// An inverse short gains in coin as the price falls and loses at most its
// entry value as the price rises to infinity: at 1x it never goes bankrupt.
// At 2x it goes bankrupt when the price doubles, EP*L/(L-1) = 2*EP.
func ExampleBankruptcy() {
	ctx := derivmath.NewContext()
	a := &liquidation.Account{
		Spec:       contract.XBTUSD(),
		Convention: liquidation.BitMEX,
		Legs:       make([]liquidation.Leg, 1),
	}
	setDec(&a.Legs[0].Qty, "-10000")
	setDec(&a.Legs[0].Entry, "50000")
	for _, leverage := range []string{"1", "2"} {
		var lev, p apd.Decimal
		setDec(&lev, leverage)
		if err := liquidation.IsolatedMargin(ctx, &a.Balance, a, &lev); err != nil {
			log.Fatal(err)
		}
		st, err := liquidation.Bankruptcy(ctx, &p, a, liquidation.TowardEntry)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%sx: %v %s\n", leverage, st, plain(&p))
	}
	// Output:
	// 1x: Never 0
	// 2x: Found 100000
}

// A real Binance isolated DOGEUSDT short: wallet 0.88304001 USDT, 32 DOGE
// at 0.16395, MMR 0.5%. Its liquidation price is
// (0.88304001 + 32*0.16395)/(32*1.005) = 0.19059204...: the position is
// liquidatable at 0.1906, not at 0.1905.
func ExampleLiquidatable() {
	ctx := derivmath.NewContext()
	a := dogeShort()
	for _, mark := range []string{"0.18", "0.1905", "0.1906"} {
		var m apd.Decimal
		setDec(&m, mark)
		ok, err := liquidation.Liquidatable(ctx, a, &m)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(mark, ok)
	}
	// Output:
	// 0.18 false
	// 0.1905 false
	// 0.1906 true
}

// dogeShort returns the Binance DOGEUSDT short of the examples.
func dogeShort() *liquidation.Account {
	s, err := contract.New(contract.Params{Symbol: "DOGEUSDT", Kind: contract.Linear, Multiplier: "1", Tick: "0.00001", Lot: "1"})
	if err != nil {
		log.Fatal(err)
	}
	a := &liquidation.Account{Spec: s, Convention: liquidation.Binance, Legs: make([]liquidation.Leg, 1)}
	setDec(&a.Legs[0].Qty, "-32")
	setDec(&a.Legs[0].Entry, "0.16395")
	setDec(&a.Legs[0].MMR, "0.005")
	setDec(&a.Balance, "0.88304001")
	return a
}

// How far is the DOGEUSDT short from liquidation with DOGE at 0.18? The
// liquidation price is 0.19059204...: 0.01059204 USDT away, 5.88% of the
// mark.
func ExampleDistance() {
	ctx := derivmath.NewContext()
	a := dogeShort()
	var mark, abs, pct apd.Decimal
	setDec(&mark, "0.18")
	st, err := liquidation.Distance(ctx, &abs, &pct, a, &mark, liquidation.Exact)
	if err != nil {
		log.Fatal(err)
	}
	// Rounded for display: 8 places as Binance shows prices, and percent.
	if _, err := ctx.Quantize(&abs, &abs, -8); err != nil {
		log.Fatal(err)
	}
	if _, err := ctx.Mul(&pct, &pct, apd.New(100, 0)); err != nil {
		log.Fatal(err)
	}
	if _, err := ctx.Quantize(&pct, &pct, -2); err != nil {
		log.Fatal(err)
	}
	fmt.Println(st, plain(&abs), "USDT away,", plain(&pct)+"%")
	// Output:
	// Found 0.01059204 USDT away, 5.88%
}

// Bybit's USDT isolated example: long 1 BTC at 10,000 with 50x. The
// initial margin is 10,000/50 = 200 USDT; with MMR 0.5% the maintenance
// margin is 50, and the liquidation price EP - (IM - MM)/size = 9,850.
func ExampleIsolatedMargin() {
	ctx := derivmath.NewContext()
	s, err := contract.New(contract.Params{Symbol: "BTCUSDT", Kind: contract.Linear, Multiplier: "1", Tick: "0.5", Lot: "0.001"})
	if err != nil {
		log.Fatal(err)
	}
	a := &liquidation.Account{Spec: s, Convention: liquidation.Bybit, Legs: make([]liquidation.Leg, 1)}
	setDec(&a.Legs[0].Qty, "1")
	setDec(&a.Legs[0].Entry, "10000")
	setDec(&a.Legs[0].MMR, "0.005")
	var lev, p apd.Decimal
	setDec(&lev, "50")
	if err := liquidation.IsolatedMargin(ctx, &a.Balance, a, &lev); err != nil {
		log.Fatal(err)
	}
	if _, err := liquidation.Price(ctx, &p, a, liquidation.TowardEntry); err != nil {
		log.Fatal(err)
	}
	fmt.Println("initial margin:", plain(&a.Balance))
	fmt.Println("liquidation price:", plain(&p))
	// Output:
	// initial margin: 200
	// liquidation price: 9850
}

// The same position, long 1 BTC at 10,000 with 200 USDT of margin and MMR
// 0.5%, under each convention. Bybit and BitMEX fix maintenance on the
// entry value (50 USDT): 10,000 - 150 = 9,850. Binance measures it on the
// notional at the price: 9,800/(1 - 0.005) = 9,849.246...
func ExampleConvention() {
	ctx := derivmath.NewContext()
	for _, c := range []liquidation.Convention{liquidation.Binance, liquidation.BitMEX, liquidation.Bybit} {
		a := &liquidation.Account{Spec: contract.BTCUSDT(), Convention: c, Legs: make([]liquidation.Leg, 1)}
		setDec(&a.Legs[0].Qty, "1")
		setDec(&a.Legs[0].Entry, "10000")
		setDec(&a.Legs[0].MMR, "0.005")
		setDec(&a.Balance, "200")
		var p apd.Decimal
		if _, err := liquidation.Price(ctx, &p, a, liquidation.Exact); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-7v %s\n", c, plain(&p))
	}
	// Output:
	// Binance 9849.246231155778894
	// BitMEX  9850
	// Bybit   9850
}

func ExampleConvention_String() {
	fmt.Println(liquidation.BitMEX, liquidation.Convention(0))
	// Output:
	// BitMEX Convention(0)
}

// The BitMEX 25x long of [ExamplePrice], rounded each way: TowardEntry
// rounds up for a long (the price is reached before the exact one),
// Nearest to the nearest 0.5 tick.
func ExampleRounding() {
	ctx := derivmath.NewContext()
	a := &liquidation.Account{Spec: contract.XBTUSD(), Convention: liquidation.BitMEX, Legs: make([]liquidation.Leg, 1)}
	setDec(&a.Legs[0].Qty, "10000")
	setDec(&a.Legs[0].Entry, "50000")
	setDec(&a.Legs[0].MMR, "0.005")
	setDec(&a.Balance, "0.008")
	for _, r := range []liquidation.Rounding{liquidation.Exact, liquidation.TowardEntry, liquidation.Nearest} {
		var p apd.Decimal
		if _, err := liquidation.Price(ctx, &p, a, r); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-11v %s\n", r, plain(&p))
	}
	// Liquidatable compares the mark with the exact price, not the
	// rounded one BitMEX shows.
	for _, mark := range []string{"48309.5", "48309"} {
		var m apd.Decimal
		setDec(&m, mark)
		ok, err := liquidation.Liquidatable(ctx, a, &m)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("liquidatable at", mark, ok)
	}
	// Output:
	// Exact       48309.17874396135266
	// TowardEntry 48309.5
	// Nearest     48309
	// liquidatable at 48309.5 false
	// liquidatable at 48309 true
}

func ExampleRounding_String() {
	fmt.Println(liquidation.TowardEntry, liquidation.Rounding(0))
	// Output:
	// TowardEntry Rounding(0)
}

// A linear long backed by its whole entry value (1x) with no maintenance
// cannot be liquidated by price: its solution is P = 0. A short whose
// balance is below minus its entry value (losses elsewhere on a cross
// account) is liquidatable at every price, even 0.
func ExampleStatus() {
	ctx := derivmath.NewContext()
	for _, c := range []struct{ qty, balance string }{{"1", "60000"}, {"-1", "-70000"}, {"1", "3000"}} {
		a := &liquidation.Account{Spec: contract.BTCUSDT(), Convention: liquidation.Binance, Legs: make([]liquidation.Leg, 1)}
		setDec(&a.Legs[0].Qty, c.qty)
		setDec(&a.Legs[0].Entry, "60000")
		setDec(&a.Balance, c.balance)
		var p apd.Decimal
		st, err := liquidation.Price(ctx, &p, a, liquidation.Exact)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("qty %2s, balance %6s: %v %s\n", c.qty, c.balance, st, plain(&p))
	}
	// An XBTUSD short at 1x is never bankrupt, but with a maintenance
	// rate its liquidation price exists.
	for _, mmr := range []string{"0", "0.005"} {
		a := &liquidation.Account{Spec: contract.XBTUSD(), Convention: liquidation.BitMEX, Legs: make([]liquidation.Leg, 1)}
		setDec(&a.Legs[0].Qty, "-10000")
		setDec(&a.Legs[0].Entry, "50000")
		setDec(&a.Legs[0].MMR, mmr)
		setDec(&a.Balance, "0.2")
		var b, p apd.Decimal
		bst, err := liquidation.Bankruptcy(ctx, &b, a, liquidation.Exact)
		if err != nil {
			log.Fatal(err)
		}
		st, err := liquidation.Price(ctx, &p, a, liquidation.Exact)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("short at 1x, MMR %s: bankruptcy %v, liquidation %v %s\n", mmr, bst, st, plain(&p))
	}
	// Output:
	// qty  1, balance  60000: Never 0
	// qty -1, balance -70000: Always 0
	// qty  1, balance   3000: Found 57000
	// short at 1x, MMR 0: bankruptcy Never, liquidation Never 0
	// short at 1x, MMR 0.005: bankruptcy Never, liquidation Found 10000000
}

func ExampleStatus_String() {
	fmt.Println(liquidation.Found, liquidation.Never, liquidation.Always)
	// Output:
	// Found Never Always
}

// Hedge mode on Binance: a long and a short leg on BTCUSDT, 5,000 USDT of
// wallet, MMR 0.4% on each. Equity is 5,000 + 0.2*(P - 60,000) +
// 0.1*(62,000 - P) = 0.1*P - 800 and maintenance 0.004*0.3*P, so the
// account is liquidated at 800/0.0988 = 8,097.17 (up to the tick for the net
// long) and bankrupt at 8,000.
func ExampleAccount() {
	ctx := derivmath.NewContext()
	a := &liquidation.Account{
		Spec:       contract.BTCUSDT(),
		Convention: liquidation.Binance,
		Legs:       make([]liquidation.Leg, 2),
	}
	for i, l := range [][2]string{{"0.2", "60000"}, {"-0.1", "62000"}} {
		setDec(&a.Legs[i].Qty, l[0])
		setDec(&a.Legs[i].Entry, l[1])
		setDec(&a.Legs[i].MMR, "0.004")
	}
	setDec(&a.Balance, "5000")
	var liq, bank apd.Decimal
	if _, err := liquidation.Price(ctx, &liq, a, liquidation.TowardEntry); err != nil {
		log.Fatal(err)
	}
	if _, err := liquidation.Bankruptcy(ctx, &bank, a, liquidation.TowardEntry); err != nil {
		log.Fatal(err)
	}
	fmt.Println("liquidation:", plain(&liq))
	fmt.Println("bankruptcy:", plain(&bank))
	// Output:
	// liquidation: 8097.2
	// bankruptcy: 8000
}

// A real BitMEX position, read from its API fields: long 1 XBTUSD at 3,933
// at 1x. Cost is posCost (25,426 XBt, as the exchange rounded it), Balance
// posMargin (25,465 XBt), FeeReserve posComm (39 XBt). Maintenance is
// ceil(0.5% of 25,426) = 128 XBt plus posComm, plus 2 XBt of funding
// reserve: posMaint = 169. So value(P_L) = 25,426 + 25,465 - 169 = 50,722
// XBt, P_L = 1e8/50,722 = 1,971.53, shown by BitMEX as 1,972; value(P_B) =
// 25,426 + 25,465 - 39 = 50,852 XBt, P_B = 1,966.49, shown as 1,966.5.
func ExampleLeg() {
	ctx := derivmath.NewContext()
	a := &liquidation.Account{
		Spec:       contract.XBTUSD(),
		Convention: liquidation.BitMEX,
		Legs:       make([]liquidation.Leg, 1),
	}
	l := &a.Legs[0]
	setDec(&l.Qty, "1")
	setDec(&l.Entry, "3933")
	setDec(&l.Cost, "0.00025426")
	setDec(&l.MMR, "0.005")
	setDec(&a.Balance, "0.00025465")
	setDec(&a.FeeReserve, "0.00000039")
	setDec(&a.ExtraMM, "0.00000002")
	var liq, bank apd.Decimal
	if _, err := liquidation.Price(ctx, &liq, a, liquidation.TowardEntry); err != nil {
		log.Fatal(err)
	}
	if _, err := liquidation.Bankruptcy(ctx, &bank, a, liquidation.TowardEntry); err != nil {
		log.Fatal(err)
	}
	fmt.Println("liquidation:", plain(&liq))
	fmt.Println("bankruptcy:", plain(&bank))
	// Output:
	// liquidation: 1972
	// bankruptcy: 1966.5
}

// The cross account of [ExamplePrice_cross], with the ETH short listed as a
// leg on its own contract, held at its mark, instead of its PnL and
// maintenance computed by hand: the solver takes its uPnL at the mark and,
// under the Binance convention, its maintenance on its notional there.
func ExampleAccount_cross() {
	ctx := derivmath.NewContext()
	eth, err := contract.New(contract.Params{Symbol: "ETHUSDT", Kind: contract.Linear, Settle: "USDT", Multiplier: "1", Tick: "0.01", Lot: "0.001"})
	if err != nil {
		log.Fatal(err)
	}
	a := &liquidation.Account{
		Spec:       contract.BTCUSDT(),
		Convention: liquidation.Binance,
		Legs:       make([]liquidation.Leg, 2),
	}
	btc := &a.Legs[0] // on the account's contract: its price is solved for
	setDec(&btc.Qty, "1")
	setDec(&btc.Entry, "60000")
	setDec(&btc.MMR, "0.005")
	setDec(&btc.Cum, "50")
	short := &a.Legs[1] // on another contract, at its mark
	short.Spec = eth
	setDec(&short.Qty, "-10")
	setDec(&short.Entry, "3000")
	setDec(&short.Mark, "3100")
	setDec(&short.MMR, "0.005")
	setDec(&a.Balance, "10000")

	var p apd.Decimal
	st, err := liquidation.Price(ctx, &p, a, liquidation.Exact)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st, "BTCUSDT liquidation price:", plain(&p))
	// Output:
	// Found BTCUSDT liquidation price: 51361.80904522613065
}

// crossAccount returns the account of [ExampleAccount_cross].
func crossAccount() *liquidation.Account {
	eth, err := contract.New(contract.Params{Symbol: "ETHUSDT", Kind: contract.Linear, Settle: "USDT", Multiplier: "1", Tick: "0.01", Lot: "0.001"})
	if err != nil {
		log.Fatal(err)
	}
	a := &liquidation.Account{Spec: contract.BTCUSDT(), Convention: liquidation.Binance, Legs: make([]liquidation.Leg, 2)}
	setDec(&a.Legs[0].Qty, "1")
	setDec(&a.Legs[0].Entry, "60000")
	setDec(&a.Legs[0].MMR, "0.005")
	setDec(&a.Legs[0].Cum, "50")
	a.Legs[1].Spec = eth
	setDec(&a.Legs[1].Qty, "-10")
	setDec(&a.Legs[1].Entry, "3000")
	setDec(&a.Legs[1].Mark, "3100")
	setDec(&a.Legs[1].MMR, "0.005")
	setDec(&a.Balance, "10000")
	return a
}

// Compile the account once, then ask on every tick: a compiled Solver
// answers without reading the Account again.
func ExampleCompile() {
	ctx := derivmath.NewContext()
	s, err := liquidation.Compile(ctx, crossAccount())
	if err != nil {
		log.Fatal(err)
	}
	var liq, bank apd.Decimal
	if _, err := s.Price(&liq, liquidation.Exact); err != nil {
		log.Fatal(err)
	}
	if _, err := s.Bankruptcy(&bank, liquidation.Exact); err != nil {
		log.Fatal(err)
	}
	fmt.Println("liquidation:", plain(&liq))
	fmt.Println("bankruptcy:", plain(&bank))
	// Output:
	// liquidation: 51361.80904522613065
	// bankruptcy: 51000
}

// A zero Solver is ready to compile; compiling it again (for another
// account, or after the account changed) reuses its memory.
func ExampleSolver() {
	ctx := derivmath.NewContext()
	var s liquidation.Solver
	for _, balance := range []string{"10000", "12000"} {
		a := crossAccount()
		setDec(&a.Balance, balance)
		if err := s.Compile(ctx, a); err != nil {
			log.Fatal(err)
		}
		var p apd.Decimal
		if _, err := s.Price(&p, liquidation.TowardEntry); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("wallet %s: liquidation at %s\n", balance, plain(&p))
	}
	// Output:
	// wallet 10000: liquidation at 51361.9
	// wallet 12000: liquidation at 49351.8
}

func ExampleSolver_Compile() {
	ctx := derivmath.NewContext()
	a := dogeShort()
	var s liquidation.Solver
	if err := s.Compile(ctx, a); err != nil {
		log.Fatal(err)
	}
	setDec(&a.Balance, "0") // the Solver keeps what it loaded
	var p apd.Decimal
	if _, err := s.Price(&p, liquidation.Exact); err != nil {
		log.Fatal(err)
	}
	fmt.Println(plain(&p))

	// A failed Compile leaves a Solver that returns its error.
	setDec(&a.OtherMM, "-1")
	fmt.Println(s.Compile(ctx, a))
	_, err := s.Price(&p, liquidation.Exact)
	fmt.Println(err)
	// Output:
	// 0.1905920401119402985
	// liquidation: negative margin amount
	// liquidation: negative margin amount
}

// The BitMEX 25x long of [ExamplePrice], compiled: each rounding of the
// same solve.
func ExampleSolver_Price() {
	ctx := derivmath.NewContext()
	a := &liquidation.Account{Spec: contract.XBTUSD(), Convention: liquidation.BitMEX, Legs: make([]liquidation.Leg, 1)}
	setDec(&a.Legs[0].Qty, "10000")
	setDec(&a.Legs[0].Entry, "50000")
	setDec(&a.Legs[0].MMR, "0.005")
	setDec(&a.Balance, "0.008")
	s, err := liquidation.Compile(ctx, a)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range []liquidation.Rounding{liquidation.Exact, liquidation.TowardEntry, liquidation.Nearest} {
		var p apd.Decimal
		if _, err := s.Price(&p, r); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-11v %s\n", r, plain(&p))
	}
	// Output:
	// Exact       48309.17874396135266
	// TowardEntry 48309.5
	// Nearest     48309
}

// An inverse short at 1x never goes bankrupt; at 2x it does when the
// price doubles.
func ExampleSolver_Bankruptcy() {
	ctx := derivmath.NewContext()
	a := &liquidation.Account{Spec: contract.XBTUSD(), Convention: liquidation.BitMEX, Legs: make([]liquidation.Leg, 1)}
	setDec(&a.Legs[0].Qty, "-10000")
	setDec(&a.Legs[0].Entry, "50000")
	var s liquidation.Solver
	for _, balance := range []string{"0.2", "0.1"} {
		setDec(&a.Balance, balance)
		if err := s.Compile(ctx, a); err != nil {
			log.Fatal(err)
		}
		var p apd.Decimal
		st, err := s.Bankruptcy(&p, liquidation.TowardEntry)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("margin %s XBT: %v %s\n", balance, st, plain(&p))
	}
	// Output:
	// margin 0.2 XBT: Never 0
	// margin 0.1 XBT: Found 100000
}

// The DOGEUSDT short of [ExampleLiquidatable], compiled: each check is a
// comparison with the liquidation price, 0.19059204...
func ExampleSolver_Liquidatable() {
	s, err := liquidation.Compile(derivmath.NewContext(), dogeShort())
	if err != nil {
		log.Fatal(err)
	}
	for _, mark := range []string{"0.18", "0.1905", "0.1906"} {
		var m apd.Decimal
		setDec(&m, mark)
		ok, err := s.Liquidatable(&m)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(mark, ok)
	}
	// Output:
	// 0.18 false
	// 0.1905 false
	// 0.1906 true
}

func ExampleSolver_Distance() {
	s, err := liquidation.Compile(derivmath.NewContext(), dogeShort())
	if err != nil {
		log.Fatal(err)
	}
	var mark, abs, pct apd.Decimal
	setDec(&mark, "0.18")
	st, err := s.Distance(&abs, &pct, &mark, liquidation.TowardEntry)
	if err != nil {
		log.Fatal(err)
	}
	// TowardEntry rounds the short's price down to the 0.00001 tick.
	fmt.Println(st, plain(&abs), plain(&pct))
	// Output:
	// Found 0.01059 0.05883333333333333333
}

// A bot's tick on the cross account: ETH moves, the BTCUSDT liquidation
// price follows. SetMark re-keys the ETH leg (leg 1) in constant time; the
// BTCUSDT leg is on the account's contract and has no mark to set. At ETH
// 3,150 the short loses 1,500 and needs 157.5 of maintenance:
// (10,000 - 157.5 - 1,500 + 50 - 60,000)/(0.005 - 1) = 51,866.83, up to
// the tick for the long.
func ExampleSolver_SetMark() {
	ctx := derivmath.NewContext()
	s, err := liquidation.Compile(ctx, crossAccount())
	if err != nil {
		log.Fatal(err)
	}
	for _, mark := range []string{"3100", "3150", "3000"} {
		var m, p apd.Decimal
		setDec(&m, mark)
		if err := s.SetMark(1, &m); err != nil {
			log.Fatal(err)
		}
		if _, err := s.Price(&p, liquidation.TowardEntry); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("ETH at %s: BTCUSDT liquidation at %s\n", mark, plain(&p))
	}
	var m apd.Decimal
	setDec(&m, "61000")
	fmt.Println(s.SetMark(0, &m))
	// Output:
	// ETH at 3100: BTCUSDT liquidation at 51361.9
	// ETH at 3150: BTCUSDT liquidation at 51866.9
	// ETH at 3000: BTCUSDT liquidation at 50351.8
	// liquidation: no leg on another contract at that index
}
