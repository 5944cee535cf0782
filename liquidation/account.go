package liquidation

import (
	"strconv"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/contract"
	"github.com/derivmath/derivmath/margin"
)

// Convention selects how an exchange computes maintenance margin, which is
// what separates one exchange's liquidation price from another's.
type Convention int8

// The conventions. The zero Convention is invalid ([ErrConvention]).
const (
	// Binance computes each leg's maintenance on its notional at the
	// solved price, MMR*value(P) - Cum, with MMR and Cum from the tier of
	// that notional, re-evaluated until the tier is stable (Binance USD-M
	// and COIN-M liquidation FAQ). The fee reserve counts only toward
	// bankruptcy. Gate and OKX use the same shape with the taker rate added
	// to MMR.
	Binance Convention = 1 + iota
	// BitMEX fixes each leg's maintenance on its entry value (posCost),
	// ceil(MMR*|posCost|) rounded up to the spec's minor unit when it has
	// one, and adds the fee reserve (posComm) to it: posMaint =
	// ceil(MMR*|posCost|) + posComm. Bankruptcy keeps the fee reserve
	// (BitMEX API position fields; see FORMULAS.md section 4).
	BitMEX
	// Bybit fixes each leg's maintenance on its entry value, MMR*value(EP)
	// - Cum (Bybit's "deduction"), and adds the fee to close (the fee
	// reserve). Bankruptcy keeps the fee reserve (Bybit help: USDT and
	// inverse contract liquidation price).
	Bybit
)

var conventionNames = [...]string{"invalid", "Binance", "BitMEX", "Bybit"}

// String returns the name of the convention, such as "BitMEX".
func (c Convention) String() string {
	if c < Binance || c > Bybit {
		return "Convention(" + strconv.Itoa(int(c)) + ")"
	}
	return conventionNames[c]
}

// atEntry reports whether c fixes maintenance on the entry value.
func (c Convention) atEntry() bool { return c == BitMEX || c == Bybit }

// A Leg is a position on the account's contract: it gains or loses as the
// one price being solved for moves. One-way mode has one leg; Binance's
// hedge mode has a long and a short leg on the same symbol.
//
// A Leg holds decimals: pass it by pointer (or in a slice) and do not copy
// it after first use.
type Leg struct {
	// Qty is the signed quantity in contracts: long > 0, short < 0.
	Qty apd.Decimal
	// Entry is the average entry price.
	Entry apd.Decimal
	// Cost, when not zero, is the value at entry to use instead of
	// value(Entry): BitMEX's posCost (its magnitude), which the exchange
	// rounded to the satoshi when the position was opened.
	Cost apd.Decimal
	// Tiers, when not nil, gives MMR and Cum from the tier of the leg's
	// notional (at the solved price for Binance, at entry otherwise), and
	// MMR and Cum below are ignored.
	Tiers *margin.Tiers
	// MMR is the maintenance margin rate, in [0, 1).
	MMR apd.Decimal
	// Cum is Binance's maintenance amount, Bybit's deduction; usually 0.
	Cum apd.Decimal
}

// An Account is what backs the legs: the margin that can be lost, and, for
// cross margin, the other positions' PnL and maintenance.
//
//   - Isolated: Balance is the position margin (initial margin plus added
//     margin, less realised losses); see [IsolatedMargin]. Other* are 0.
//   - Cross: Balance is the wallet balance; OtherPnL and OtherMM are the
//     unrealised PnL and maintenance margin of the account's positions on
//     other contracts, at their marks (Binance's UPNL1 and TMM1).
//
// An Account holds decimals: pass it by pointer and do not copy it after
// first use.
type Account struct {
	// Spec is the contract of the legs.
	Spec *contract.Spec
	// Convention is the exchange's maintenance rule.
	Convention Convention
	// Legs are the positions on Spec.
	Legs []Leg
	// Balance is the margin that backs the legs, in the settlement
	// currency.
	Balance apd.Decimal
	// OtherPnL is the unrealised PnL of other positions (cross only).
	OtherPnL apd.Decimal
	// OtherMM is the maintenance margin of other positions (cross only).
	OtherMM apd.Decimal
	// FeeReserve is the fee to close the position (BitMEX posComm, Bybit's
	// fee to close): kept back from the balance at bankruptcy, and part of
	// maintenance for BitMEX and Bybit.
	FeeReserve apd.Decimal
	// ExtraMM is any further fixed maintenance, such as BitMEX's funding
	// reserve (unconfirmed rule: the exchange adds ceil(F*|posCost|) when
	// the position will pay the next funding).
	ExtraMM apd.Decimal
}

// validate checks the account's fields.
func (a *Account) validate() error {
	if a.Spec == nil {
		return ErrNoSpec
	}
	if a.Convention < Binance || a.Convention > Bybit {
		return ErrConvention
	}
	if len(a.Legs) == 0 {
		return ErrNoLegs
	}
	for _, d := range [...]*apd.Decimal{&a.Balance, &a.OtherPnL, &a.OtherMM, &a.FeeReserve, &a.ExtraMM} {
		if err := derivmath.CheckDecimal(d); err != nil {
			return err
		}
	}
	nonzero := false
	for i := range a.Legs {
		l := &a.Legs[i]
		if err := derivmath.CheckDecimal(&l.Qty); err != nil {
			return err
		}
		if l.Qty.IsZero() {
			continue
		}
		nonzero = true
		if err := derivmath.CheckPrice(&l.Entry); err != nil {
			return err
		}
		for _, d := range [...]*apd.Decimal{&l.Cost, &l.MMR, &l.Cum} {
			if err := derivmath.CheckDecimal(d); err != nil {
				return err
			}
		}
		if l.Tiers == nil && (l.MMR.Sign() < 0 || l.MMR.Cmp(&one) >= 0) {
			return ErrRate
		}
	}
	if !nonzero {
		return derivmath.ErrZeroQty
	}
	return nil
}

var one = *apd.New(1, 0) // read-only

// IsolatedMargin sets z to the initial margin of a's legs at leverage: the
// sum of their entry values divided by leverage, as BitMEX and Bybit
// assign it to an isolated position. Add any added margin to it and store
// it in a.Balance. For legs with tiers, the leverage must not exceed the
// maximum of the tier of the leg's entry value.
//
// Errors: derivmath.CheckLeverage errors, margin.ErrAboveMaxLeverage and the
// other tier lookup errors, and those of the account's fields.
func IsolatedMargin(ctx *apd.Context, z *apd.Decimal, a *Account, leverage *apd.Decimal) error {
	if err := a.validate(); err != nil {
		return err
	}
	if err := derivmath.CheckLeverage(leverage); err != nil {
		return err
	}
	ar := newArith(ctx)
	var sum, v0 apd.Decimal
	for i := range a.Legs {
		l := &a.Legs[i]
		if l.Qty.IsZero() {
			continue
		}
		if err := a.entryValue(ar, &v0, l); err != nil {
			return err
		}
		if l.Tiers != nil {
			if err := l.Tiers.CheckLeverage(&v0, leverage); err != nil {
				return err
			}
		}
		if err := ar.add(&sum, &sum, &v0, "isolated margin"); err != nil {
			return err
		}
	}
	return ar.quo(z, &sum, leverage, "isolated margin")
}

// entryValue sets z to the value of leg l at entry: |Cost|, or
// value(Entry) = N*m*EP (linear, quanto) or N*m/EP (inverse). The leg has
// been validated.
func (a *Account) entryValue(ar arith, z *apd.Decimal, l *Leg) error {
	if !l.Cost.IsZero() {
		z.Abs(&l.Cost)
		return nil
	}
	var nm apd.Decimal
	if err := ar.mul(&nm, &l.Qty, &a.Spec.Multiplier, "entry value"); err != nil {
		return err
	}
	nm.Negative = false
	if a.Spec.Kind == contract.Inverse {
		return ar.quo(z, &nm, &l.Entry, "entry value")
	}
	return ar.mul(z, &nm, &l.Entry, "entry value")
}
