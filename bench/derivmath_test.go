package bench

import (
	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/funding"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
)

// Every call into derivmath's kernel API is in this file (the order book's
// benchmarks have their own), so that a change of the library's API is
// adapted here alone: the benchmarks and the digit checks call the methods
// below.

// ctx is the default context of derivmath: precision 19, half-even.
var ctx = derivmath.NewContext()

// tierRows returns the tiers of margin.BTCUSDT as text (floor, MMR, cum),
// from which the peers' tier tables are built.
func tierRows() [][3]string {
	t := margin.BTCUSDT()
	rows := make([][3]string, t.Len())
	for i := range rows {
		r := t.At(i)
		rows[i] = [3]string{r.Floor.String(), r.MMR.String(), r.Cum.String()}
	}
	return rows
}

// dmSide is derivmath's side of one set of inputs: the contracts, fills,
// position and accounts built from it, with one method per kernel.
type dmSide struct {
	in              inputs[*apd.Decimal]
	btcusdt, xbtusd *contract.Spec
	tiers           *margin.Tiers
	fills           []contract.Fill
	invPos          contract.Position
	binance, bitmex *liquidation.Account
	// The same accounts compiled once: the liquidation kernels and the
	// isolated Liquidatable check run on them; the one-shot functions,
	// which validate and load the account on every call, are measured
	// beside them (impl=oneshot).
	binanceS, bitmexS *liquidation.Solver
}

func newDM(in inputs[*apd.Decimal]) *dmSide {
	d := &dmSide{
		in:      in,
		btcusdt: contract.BTCUSDT(),
		xbtusd:  contract.XBTUSD(), // with the tick of the inputs, below
		tiers:   margin.BTCUSDT(),
		fills:   make([]contract.Fill, len(in.FillQty)),
	}
	// XBTUSD's tick is 0.5; the digit check's low-price set has its own
	// (the spec is new and not yet used, so it may be changed).
	d.xbtusd.Tick.Set(in.Tick)
	for i := range d.fills {
		d.fills[i].Qty.Set(in.FillQty[i])
		d.fills[i].Price.Set(in.FillPx[i])
	}
	d.invPos.Qty.Set(in.InvQty)
	d.invPos.Entry.Set(in.InvEntry)

	// Binance isolated: the BTCUSDT long, its wallet and a fixed tier.
	d.binance = &liquidation.Account{Spec: d.btcusdt, Convention: liquidation.Binance, Legs: make([]liquidation.Leg, 1)}
	l := &d.binance.Legs[0]
	l.Qty.Set(in.LinQty)
	l.Entry.Set(in.LinEntry)
	l.MMR.Set(in.MMR)
	l.Cum.Set(in.Cum)
	d.binance.Balance.Set(in.Wallet)

	// BitMEX isolated: the XBTUSD long, its margin and fee reserve.
	d.bitmex = &liquidation.Account{Spec: d.xbtusd, Convention: liquidation.BitMEX, Legs: make([]liquidation.Leg, 1)}
	l = &d.bitmex.Legs[0]
	l.Qty.Set(in.InvQty)
	l.Entry.Set(in.InvEntry)
	l.MMR.Set(in.MMR)
	d.bitmex.Balance.Set(in.BmMargin)
	d.bitmex.FeeReserve.Set(in.BmFee)
	d.binanceS = mustCompile(d.binance)
	d.bitmexS = mustCompile(d.bitmex)
	return d
}

// mustCompile compiles a, or panics: the inputs are the benchmark's own.
func mustCompile(a *liquidation.Account) *liquidation.Solver {
	s, err := liquidation.Compile(ctx, a)
	if err != nil {
		panic(err)
	}
	return s
}

func (d *dmSide) ValueLinear(z *apd.Decimal) error {
	return d.btcusdt.Value(ctx, z, d.in.LinQty, d.in.LinPrice)
}

func (d *dmSide) ValueInverse(z *apd.Decimal) error {
	return d.xbtusd.Value(ctx, z, d.in.InvQty, d.in.InvPrice)
}

func (d *dmSide) PnLLinear(z *apd.Decimal) error {
	return d.btcusdt.PnL(ctx, z, d.in.LinQty, d.in.LinEntry, d.in.LinExit)
}

func (d *dmSide) PnLInverse(z *apd.Decimal) error {
	return d.xbtusd.PnL(ctx, z, d.in.InvQty, d.in.InvEntry, d.in.InvExit)
}

func (d *dmSide) AvgEntryInverse(z *apd.Decimal) error {
	return d.xbtusd.AvgEntry(ctx, z, d.fills)
}

func (d *dmSide) InitialMargin(z *apd.Decimal) error {
	return margin.Initial(ctx, z, d.in.Value, d.in.Leverage)
}

func (d *dmSide) MaintenanceTiers(z *apd.Decimal) error {
	return d.tiers.Maintenance(ctx, z, d.in.Notional)
}

func (d *dmSide) FundingPayment(z *apd.Decimal) error {
	return funding.Payment(ctx, z, d.xbtusd, &d.invPos, d.in.Mark, d.in.Rate)
}

func (d *dmSide) Premium(z *apd.Decimal) error {
	return funding.Premium(ctx, z, d.in.Bid, d.in.Ask, d.in.Index)
}

// LiquidationBinance is the Binance isolated liquidation price on the
// compiled account.
func (d *dmSide) LiquidationBinance(z *apd.Decimal) error {
	_, err := d.binanceS.Price(z, liquidation.Exact)
	return err
}

// LiquidationBitMEX is the BitMEX isolated liquidation price, rounded to
// the tick, on the compiled account.
func (d *dmSide) LiquidationBitMEX(z *apd.Decimal) error {
	_, err := d.bitmexS.Price(z, liquidation.TowardEntry)
	return err
}

// LiquidationBinanceOneShot is LiquidationBinance with the one-shot
// function: the account validated and loaded on every call.
func (d *dmSide) LiquidationBinanceOneShot(z *apd.Decimal) error {
	_, err := liquidation.Price(ctx, z, d.binance, liquidation.Exact)
	return err
}

// LiquidationBitMEXOneShot is LiquidationBitMEX with the one-shot
// function.
func (d *dmSide) LiquidationBitMEXOneShot(z *apd.Decimal) error {
	_, err := liquidation.Price(ctx, z, d.bitmex, liquidation.TowardEntry)
	return err
}

// Liquidatable reports whether the compiled Binance isolated account is
// liquidatable at mark.
func (d *dmSide) Liquidatable(mark *apd.Decimal) (bool, error) {
	return d.binanceS.Liquidatable(mark)
}

// LiquidatableOneShot is Liquidatable with the one-shot function.
func (d *dmSide) LiquidatableOneShot(mark *apd.Decimal) (bool, error) {
	return liquidation.Liquidatable(ctx, d.binance, mark)
}

// dmCross is the cross account of crossText in derivmath: an Account
// listing its ten positions, the watched BTCUSDT long on the account's
// contract and the other nine on their own contracts at their marks,
// compiled once; a change of marks is SetMark on the nine, then the solve.
type dmCross struct {
	a *liquidation.Account
	s *liquidation.Solver
}

func newDMCross(wallet *apd.Decimal, pos []crossPos[*apd.Decimal]) *dmCross {
	tiers := margin.BTCUSDT()
	c := &dmCross{a: &liquidation.Account{Spec: contract.BTCUSDT(), Convention: liquidation.Binance, Legs: make([]liquidation.Leg, len(pos))}}
	c.a.Balance.Set(wallet)
	for i := range pos {
		l := &c.a.Legs[i]
		l.Qty.Set(pos[i].Qty)
		l.Entry.Set(pos[i].Entry)
		l.Mark.Set(pos[i].Entry)
		l.Tiers = tiers
		if i > 0 {
			s, err := contract.New(contract.Params{Symbol: crossText[i][0], Kind: contract.Linear, Settle: "USDT", Multiplier: "1", Tick: "0.00001", Lot: "0.001"})
			if err != nil {
				panic(err)
			}
			l.Spec = s
		}
	}
	c.s = mustCompile(c.a)
	return c
}

// setMarks sets the marks of the other nine positions to marks[1:].
func (c *dmCross) setMarks(marks []*apd.Decimal) error {
	for i := 1; i < len(marks); i++ {
		if err := c.s.SetMark(i, marks[i]); err != nil {
			return err
		}
	}
	return nil
}

// Liquidatable reports whether the account is liquidatable with position i
// at marks[i].
func (c *dmCross) Liquidatable(marks []*apd.Decimal) (bool, error) {
	if err := c.setMarks(marks); err != nil {
		return false, err
	}
	return c.s.Liquidatable(marks[0])
}

// Price sets z to the liquidation price of position 0 with the others at
// marks[1:].
func (c *dmCross) Price(z *apd.Decimal, marks []*apd.Decimal) error {
	if err := c.setMarks(marks); err != nil {
		return err
	}
	_, err := c.s.Price(z, liquidation.Exact)
	return err
}

// PriceOneShot is Price with the one-shot function: the marks written to
// the Account's legs, which is validated and loaded on every call.
func (c *dmCross) PriceOneShot(z *apd.Decimal, marks []*apd.Decimal) error {
	for i := 1; i < len(marks); i++ {
		c.a.Legs[i].Mark.Set(marks[i])
	}
	_, err := liquidation.Price(ctx, z, c.a, liquidation.Exact)
	return err
}
