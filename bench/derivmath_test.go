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
	return d
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

func (d *dmSide) LiquidationBinance(z *apd.Decimal) error {
	_, err := liquidation.Price(ctx, z, d.binance, liquidation.Exact)
	return err
}

func (d *dmSide) LiquidationBitMEX(z *apd.Decimal) error {
	_, err := liquidation.Price(ctx, z, d.bitmex, liquidation.TowardEntry)
	return err
}

// Liquidatable reports whether the Binance isolated account is
// liquidatable at mark. With the compiled solver: compile d.binance once
// in newDM and call the compiled form's Liquidatable(mark) here.
func (d *dmSide) Liquidatable(mark *apd.Decimal) (bool, error) {
	return liquidation.Liquidatable(ctx, d.binance, mark)
}

// dmCross is the cross account of crossText in derivmath. Today an Account
// holds the legs on one contract: the watched BTCUSDT long is the leg, and
// the other nine positions enter as OtherPnL and OtherMM, computed at
// their marks on every call, as a bot does now. With the compiled solver
// the account lists its ten positions, is compiled once, and a mark change
// updates the marks.
type dmCross struct {
	a      *liquidation.Account
	spec   *contract.Spec // every position is linear of multiplier 1
	tiers  *margin.Tiers
	others []contract.Position
}

func newDMCross(wallet *apd.Decimal, pos []crossPos[*apd.Decimal]) *dmCross {
	c := &dmCross{spec: contract.BTCUSDT(), tiers: margin.BTCUSDT()}
	c.a = &liquidation.Account{Spec: c.spec, Convention: liquidation.Binance, Legs: make([]liquidation.Leg, 1)}
	c.a.Balance.Set(wallet)
	l := &c.a.Legs[0]
	l.Qty.Set(pos[0].Qty)
	l.Entry.Set(pos[0].Entry)
	l.Tiers = c.tiers
	c.others = make([]contract.Position, len(pos)-1)
	for i := range c.others {
		c.others[i].Qty.Set(pos[i+1].Qty)
		c.others[i].Entry.Set(pos[i+1].Entry)
	}
	return c
}

// others sets OtherPnL and OtherMM from the other positions at marks[1:].
func (c *dmCross) setOthers(marks []*apd.Decimal) error {
	c.a.OtherPnL.SetInt64(0)
	c.a.OtherMM.SetInt64(0)
	var x apd.Decimal
	for i := range c.others {
		p, mark := &c.others[i], marks[i+1]
		if err := c.spec.Unrealised(ctx, &x, p, mark); err != nil {
			return err
		}
		if _, err := ctx.Add(&c.a.OtherPnL, &c.a.OtherPnL, &x); err != nil {
			return err
		}
		if err := c.spec.Value(ctx, &x, &p.Qty, mark); err != nil {
			return err
		}
		if err := c.tiers.Maintenance(ctx, &x, &x); err != nil {
			return err
		}
		if _, err := ctx.Add(&c.a.OtherMM, &c.a.OtherMM, &x); err != nil {
			return err
		}
	}
	return nil
}

// Liquidatable reports whether the account is liquidatable with position i
// at marks[i].
func (c *dmCross) Liquidatable(marks []*apd.Decimal) (bool, error) {
	if err := c.setOthers(marks); err != nil {
		return false, err
	}
	return liquidation.Liquidatable(ctx, c.a, marks[0])
}

// Price sets z to the liquidation price of position 0 with the others at
// marks[1:].
func (c *dmCross) Price(z *apd.Decimal, marks []*apd.Decimal) error {
	if err := c.setOthers(marks); err != nil {
		return err
	}
	_, err := liquidation.Price(ctx, z, c.a, liquidation.Exact)
	return err
}
