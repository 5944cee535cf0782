package engine

import (
	"errors"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/funding"
	"github.com/derivmath/derivmath/internal/num"
)

// ErrUnbounded reports a result with no finite bound: a Drift liquidation
// size where the margin ratio does not exceed the liquidator's fee, so no
// quantity restores it (DriftBase), or a Binance ADL score of a profit on
// a wallet of zero or less without the wallet's floor (ScoreBinance),
// which State.ADL ranks above every finite score.
var ErrUnbounded = errors.New("engine: unbounded result")

// checkCtx is check for a formula computing in ctx: derivmath.ErrContext
// first for a nil ctx, which apd would dereference.
func checkCtx(ctx *apd.Context, ds ...*apd.Decimal) error {
	if ctx == nil {
		return derivmath.ErrContext
	}
	return check(ds...)
}

func check(ds ...*apd.Decimal) error {
	for _, d := range ds {
		if err := derivmath.CheckDecimal(d); err != nil {
			return err
		}
	}
	return nil
}

// MarkInputs are what S1 needs, per the preset's MarkRule: Index, Rate (the
// last funding rate), Until and Interval (time to the next funding and the
// funding interval) for MarkFair and MarkMedian; Basis (the moving average
// of mid - index) and Last for MarkMedian; BasisRate for MarkDated; Oracle
// for MarkInput. It holds decimals: pass it by pointer.
type MarkInputs struct {
	Index, Rate, Basis, Last, BasisRate, Oracle apd.Decimal
	Until, Interval                             time.Duration
}

// Mark sets z to the mark price by p.Mark:
//
//	MarkFair    index*(1 + F*until/interval)          BitMEX fair price (funding.FairPrice)
//	MarkMedian  median(price 1, index + basis, last)  Binance (funding.MarkBinance)
//	MarkDated   index*(1 + basisRate)                 Bybit dated futures
//	MarkInput   the oracle or mark as given           others (unconfirmed or oracle)
//
// z may alias any field of in.
//
// Errors: derivmath.ErrContext for a nil ctx; ErrPreset for an undefined
// rule; those of funding.FairPrice and funding.MarkBinance;
// derivmath.CheckPrice errors for the index, the oracle, or a dated mark that
// is not positive; derivmath.ErrRange for a result outside the result range.
func Mark(ctx *apd.Context, z *apd.Decimal, p *Preset, in *MarkInputs) error {
	const op = "engine: mark"
	if err := checkCtx(ctx); err != nil {
		return err
	}
	switch p.Mark {
	case MarkFair:
		return funding.FairPrice(ctx, z, &in.Index, &in.Rate, in.Until, in.Interval)
	case MarkMedian:
		return funding.MarkBinance(ctx, z, &in.Index, &in.Rate, &in.Basis, &in.Last, in.Until, in.Interval)
	case MarkDated:
		if err := derivmath.CheckPrice(&in.Index); err != nil {
			return err
		}
		if err := check(&in.BasisRate); err != nil {
			return err
		}
		var r apd.Decimal
		if _, err := ctx.Add(&r, decOne, &in.BasisRate); err != nil {
			return num.WrapApd(op, err)
		}
		if _, err := ctx.Mul(&r, &r, &in.Index); err != nil {
			return num.WrapApd(op, err)
		}
		if r.Sign() <= 0 {
			return derivmath.ErrPrice
		}
		return store(z, &r)
	case MarkInput:
		if err := derivmath.CheckPrice(&in.Oracle); err != nil {
			return err
		}
		z.Set(&in.Oracle)
		return nil
	}
	return ErrPreset
}

// ScoreBitMEX sets z to BitMEX's ADL ranking score of a position from its
// signed values V at the mark, at entry and at its bankruptcy price
// (V = Q*m*P linear and quanto, -Q*m/P inverse: Cost is V at entry):
//
//	PNL%   = (vMark - vEntry)/|vEntry|
//	EffLev = |vMark|/(vMark - vBankrupt)       notional over equity above bankruptcy
//	score  = PNL%*EffLev if PNL% > 0, PNL%/EffLev if PNL% < 0, 0 if PNL% = 0
//
// Source: https://www.bitmex.com/app/autoDeleveraging. z may alias any
// operand.
//
// Errors: derivmath.ErrContext for a nil ctx, derivmath.CheckDecimal errors,
// derivmath.ErrZeroQty for a zero vEntry or vMark (no position has a value of
// zero), ErrBankrupt when vMark - vBankrupt <= 0 (exclude the candidate),
// derivmath.ErrRange for a result outside the result range.
func ScoreBitMEX(ctx *apd.Context, z, vMark, vEntry, vBankrupt *apd.Decimal) error {
	const op = "engine: score bitmex"
	if err := checkCtx(ctx, vMark, vEntry, vBankrupt); err != nil {
		return err
	}
	if vEntry.IsZero() || vMark.IsZero() {
		return derivmath.ErrZeroQty
	}
	var pnl, eq, lev, abs apd.Decimal
	if _, err := ctx.Sub(&eq, vMark, vBankrupt); err != nil {
		return num.WrapApd(op, err)
	}
	if eq.Sign() <= 0 {
		return ErrBankrupt
	}
	abs.Abs(vEntry)
	if _, err := ctx.Sub(&pnl, vMark, vEntry); err != nil {
		return num.WrapApd(op, err)
	}
	if pnl.IsZero() {
		z.SetInt64(0)
		return nil
	}
	if _, err := ctx.Quo(&pnl, &pnl, &abs); err != nil {
		return num.WrapApd(op, err)
	}
	abs.Abs(vMark)
	if _, err := ctx.Quo(&lev, &abs, &eq); err != nil {
		return num.WrapApd(op, err)
	}
	var err error
	if pnl.Negative {
		_, err = ctx.Quo(&pnl, &pnl, &lev)
	} else {
		_, err = ctx.Mul(&pnl, &pnl, &lev)
	}
	return reduce(op, z, &pnl, err)
}

// ScoreBinance sets z to Binance's ADL ranking score:
//
//	score = max(0, upnl)/max(1, wallet) * mm/(wallet + upnl)
//
// with the second factor 0 when wallet + upnl <= 0, and the floor of 1 on
// the wallet only when floor is set (unconfirmed: Binance's FAQ 360033525471
// gives the words, "PnL percentage times effective leverage", a Binance
// developer forum post the form). mm is the maintenance margin;
// mm/(wallet+upnl) is the margin ratio. z may alias any operand.
//
// Without the floor, a profit (upnl > 0, wallet + upnl > 0) on a wallet of
// zero or less has no finite score: its PnL percentage, upnl over the
// wallet, grows without bound as the wallet falls to zero, and a wallet
// below zero has no percentage at all. ScoreBinance returns ErrUnbounded
// for it, and State.ADL ranks such a candidate first, above every finite
// score, as the limit says (a derived reading: Binance publishes no rule
// for a wallet of zero or less; the floor, on by default, avoids it).
//
// Errors: derivmath.ErrContext for a nil ctx; derivmath.CheckDecimal
// errors, ErrUnbounded for a profit on a wallet of zero or less without
// the floor; derivmath.ErrRange for a result outside the result range.
func ScoreBinance(ctx *apd.Context, z, upnl, wallet, mm *apd.Decimal, floor bool) error {
	const op = "engine: score binance"
	if err := checkCtx(ctx, upnl, wallet, mm); err != nil {
		return err
	}
	var eq, w, r apd.Decimal
	if _, err := ctx.Add(&eq, wallet, upnl); err != nil {
		return num.WrapApd(op, err)
	}
	if upnl.Sign() <= 0 || eq.Sign() <= 0 {
		z.SetInt64(0)
		return nil
	}
	w.Set(wallet)
	if floor && w.Cmp(decOne) < 0 {
		w.SetInt64(1)
	}
	if w.Sign() <= 0 {
		return ErrUnbounded
	}
	if _, err := ctx.Mul(&r, upnl, mm); err != nil {
		return num.WrapApd(op, err)
	}
	if _, err := ctx.Mul(&w, &w, &eq); err != nil {
		return num.WrapApd(op, err)
	}
	_, err := ctx.Quo(&r, &r, &w)
	return reduce(op, z, &r, err)
}

// ScoreHyperliquid sets z to Hyperliquid's ADL ranking score of a
// profitable position, (mark/entry)*(notional/accountValue); 0 for an
// account value of zero or less. Source: Hyperliquid docs, Auto-deleveraging
// (printed once for both sides; the short variant is unconfirmed: under
// Preset.ShortRatio ShortEntryOverMark the engine passes a short's entry
// as mark and its mark as entry, the ratio mirrored). z may alias any
// operand.
//
// Errors: derivmath.ErrContext for a nil ctx; derivmath.CheckDecimal and
// CheckPrice errors; derivmath.ErrRange for a result outside the result
// range.
func ScoreHyperliquid(ctx *apd.Context, z, mark, entry, notional, accountValue *apd.Decimal) error {
	const op = "engine: score hyperliquid"
	if err := checkCtx(ctx, notional, accountValue); err != nil {
		return err
	}
	if err := derivmath.CheckPrice(mark); err != nil {
		return err
	}
	if err := derivmath.CheckPrice(entry); err != nil {
		return err
	}
	if accountValue.Sign() <= 0 {
		z.SetInt64(0)
		return nil
	}
	var a, b apd.Decimal
	if _, err := ctx.Mul(&a, mark, notional); err != nil {
		return num.WrapApd(op, err)
	}
	if _, err := ctx.Mul(&b, entry, accountValue); err != nil {
		return num.WrapApd(op, err)
	}
	_, err := ctx.Quo(&a, &a, &b)
	return reduce(op, z, &a, err)
}

// ScoreOKX sets z to OKX's ADL ranking score, roi/marginRatio for a profit
// and roi*marginRatio for a loss (the loss branch is unconfirmed), with roi
// = s*(mark - entry)/entry. Third-party source: unconfirmed. z may alias any
// operand.
//
// Errors: derivmath.ErrContext for a nil ctx; derivmath.CheckDecimal errors,
// ErrPosition for a margin ratio of zero or less; derivmath.ErrRange for a
// result outside the result range.
func ScoreOKX(ctx *apd.Context, z, roi, marginRatio *apd.Decimal) error {
	const op = "engine: score okx"
	if err := checkCtx(ctx, roi, marginRatio); err != nil {
		return err
	}
	if marginRatio.Sign() <= 0 {
		return ErrPosition
	}
	var r apd.Decimal
	var err error
	if roi.Negative {
		_, err = ctx.Mul(&r, roi, marginRatio)
	} else {
		_, err = ctx.Quo(&r, roi, marginRatio)
	}
	return reduce(op, z, &r, err)
}

// BankruptQuote sets z to dYdX v4's bankruptcy quote for closing a signed
// base delta of a subaccount: the quote received (negative: paid),
//
//	bankruptQuote = -dnnv - tnc*|dmmr|/tmmr
//
// with tnc and tmmr the subaccount's net collateral and maintenance at the
// oracle and dnnv, dmmr their changes if delta closed at the oracle. The
// quotient is floored to the minor unit (the quantum), so the result rounds
// toward +infinity. Source: v4-chain@84d4664b, GetBankruptcyPriceInQuoteQuantums.
// z may alias any operand.
//
// Errors: derivmath.ErrContext for a nil ctx; derivmath.CheckDecimal errors,
// ErrPosition for a tmmr of zero or less, derivmath.ErrStep for a minor unit
// that is not positive; derivmath.ErrRange for a result outside the result
// range.
func BankruptQuote(ctx *apd.Context, z, tnc, tmmr, dnnv, dmmr, minor *apd.Decimal) error {
	const op = "engine: bankrupt quote"
	if err := checkCtx(ctx, tnc, tmmr, dnnv, dmmr, minor); err != nil {
		return err
	}
	if tmmr.Sign() <= 0 {
		return ErrPosition
	}
	var q, a apd.Decimal
	a.Abs(dmmr)
	if _, err := ctx.Mul(&q, tnc, &a); err != nil {
		return num.WrapApd(op, err)
	}
	if _, err := ctx.Quo(&q, &q, tmmr); err != nil {
		return num.WrapApd(op, err)
	}
	if q.IsZero() {
		q.Negative = false // a negative tnc times a zero dmmr is -0, which Round refuses
	}
	if err := derivmath.Round(ctx, &q, &q, minor, derivmath.Floor); err != nil {
		return err
	}
	if _, err := ctx.Add(&q, &q, dnnv); err != nil {
		return num.WrapApd(op, err)
	}
	q.Neg(&q)
	return store(z, &q)
}

// Fillable sets z to dYdX v4's fillable price, the limit of a liquidation
// order (unrounded; round it to the tick, up when closing a long and down
// when closing a short):
//
//	ABR      = clamp(ba*(1 - tnc/tmmr), 0, 1)
//	fillable = (pnnv - ABR*smmr*pmmr)/ps
//
// with pnnv and pmmr the position's net notional and maintenance at the
// oracle, ps its signed size in base units, tnc and tmmr the subaccount's.
// For one position, fillable = oracle*(1 - s*smmr*MMF*ABR). Source:
// v4-chain@84d4664b GetFillablePrice. z may alias any operand.
//
// Errors: derivmath.ErrContext for a nil ctx; derivmath.CheckDecimal errors,
// ErrPosition for a zero ps or a tmmr of zero or less, derivmath.ErrPrice
// when the result is not positive; derivmath.ErrRange for a result outside
// the result range.
func Fillable(ctx *apd.Context, z, pnnv, pmmr, ps, tnc, tmmr, ba, smmr *apd.Decimal) error {
	const op = "engine: fillable"
	if err := checkCtx(ctx, pnnv, pmmr, ps, tnc, tmmr, ba, smmr); err != nil {
		return err
	}
	if ps.IsZero() || tmmr.Sign() <= 0 {
		return ErrPosition
	}
	var abr, r apd.Decimal
	if _, err := ctx.Quo(&abr, tnc, tmmr); err != nil {
		return num.WrapApd(op, err)
	}
	if _, err := ctx.Sub(&abr, decOne, &abr); err != nil {
		return num.WrapApd(op, err)
	}
	if _, err := ctx.Mul(&abr, &abr, ba); err != nil {
		return num.WrapApd(op, err)
	}
	if abr.Negative {
		abr.SetInt64(0)
	} else if abr.Cmp(decOne) > 0 {
		abr.SetInt64(1)
	}
	if _, err := ctx.Mul(&r, &abr, smmr); err != nil {
		return num.WrapApd(op, err)
	}
	if _, err := ctx.Mul(&r, &r, pmmr); err != nil {
		return num.WrapApd(op, err)
	}
	if _, err := ctx.Sub(&r, pnnv, &r); err != nil {
		return num.WrapApd(op, err)
	}
	if _, err := ctx.Quo(&r, &r, ps); err != nil {
		return num.WrapApd(op, err)
	}
	if r.Sign() <= 0 {
		return derivmath.ErrPrice
	}
	return reduce(op, z, &r, nil)
}

// InsuranceDelta sets z to dYdX v4's insurance fund delta for a liquidation
// fill that received quote (negative: paid) where the bankruptcy quote was
// bankruptQuote:
//
//	d  = quote - bankruptQuote
//	ΔIF = d                                         d <= 0: the fund pays
//	    = min(floor(|quote|*maxFee to the minor unit), d)   d > 0: capped; the account keeps the rest
//
// Source: v4-chain@84d4664b GetLiquidationInsuranceFundDelta. z may alias
// any operand.
//
// Errors: derivmath.ErrContext for a nil ctx; derivmath.CheckDecimal errors,
// derivmath.ErrRate for a maxFee outside [0, 1], derivmath.ErrStep for a
// minor unit that is not positive; derivmath.ErrRange for a result outside
// the result range.
func InsuranceDelta(ctx *apd.Context, z, quote, bankruptQuote, maxFee, minor *apd.Decimal) error {
	const op = "engine: insurance delta"
	if err := checkCtx(ctx, quote, bankruptQuote, maxFee, minor); err != nil {
		return err
	}
	if maxFee.Negative || maxFee.Cmp(decOne) > 0 {
		return derivmath.ErrRate
	}
	if minor.Sign() <= 0 {
		return derivmath.ErrStep // also where the fund pays, which rounds nothing
	}
	var d, c apd.Decimal
	if _, err := ctx.Sub(&d, quote, bankruptQuote); err != nil {
		return num.WrapApd(op, err)
	}
	if d.Sign() <= 0 {
		return store(z, &d)
	}
	c.Abs(quote)
	if _, err := ctx.Mul(&c, &c, maxFee); err != nil {
		return num.WrapApd(op, err)
	}
	if err := derivmath.Round(ctx, &c, &c, minor, derivmath.Floor); err != nil {
		return err
	}
	if c.Cmp(&d) < 0 {
		return store(z, &c)
	}
	return store(z, &d)
}

// DriftBase sets z to the base amount a Drift liquidator takes to restore
// an account short of its margin requirement by shortage, at price:
//
//	base = shortage/(price*(mr - liqFee) - price*ifFee)
//
// mr the margin requirement ratio. Source: protocol-v2@0ae3e3b1
// math/liquidation.rs. z may alias any operand.
//
// Errors: derivmath.ErrContext for a nil ctx; derivmath.CheckDecimal and
// CheckPrice errors, ErrUnbounded when mr - liqFee - ifFee <= 0;
// derivmath.ErrRange for a result outside the result range.
func DriftBase(ctx *apd.Context, z, shortage, price, mr, liqFee, ifFee *apd.Decimal) error {
	const op = "engine: drift base"
	if err := checkCtx(ctx, shortage, mr, liqFee, ifFee); err != nil {
		return err
	}
	if err := derivmath.CheckPrice(price); err != nil {
		return err
	}
	var d apd.Decimal
	if _, err := ctx.Sub(&d, mr, liqFee); err != nil {
		return num.WrapApd(op, err)
	}
	if _, err := ctx.Sub(&d, &d, ifFee); err != nil {
		return num.WrapApd(op, err)
	}
	if d.Sign() <= 0 {
		return ErrUnbounded
	}
	if _, err := ctx.Mul(&d, &d, price); err != nil {
		return num.WrapApd(op, err)
	}
	_, err := ctx.Quo(&d, shortage, &d)
	return reduce(op, z, &d, err)
}

// DriftIfFee sets z to the insurance fund fee rate of a Drift liquidation
// of base at price for a shortage:
//
//	implied = (mr - liqFee - shortage/(base*price))*19/20
//	ifFee   = max(0, min(maxIfFee, implied)),   0 if mr <= liqFee
//
// Source: protocol-v2@0ae3e3b1 math/liquidation.rs. z may alias any operand.
//
// Errors: derivmath.ErrContext for a nil ctx; derivmath.CheckDecimal and
// CheckPrice errors, derivmath.ErrZeroQty for a zero base; derivmath.ErrRange
// for a result outside the result range.
func DriftIfFee(ctx *apd.Context, z, shortage, base, price, mr, liqFee, maxIfFee *apd.Decimal) error {
	const op = "engine: drift if fee"
	if err := checkCtx(ctx, shortage, base, mr, liqFee, maxIfFee); err != nil {
		return err
	}
	if err := derivmath.CheckPrice(price); err != nil {
		return err
	}
	if base.IsZero() {
		return derivmath.ErrZeroQty
	}
	if mr.Cmp(liqFee) <= 0 {
		z.SetInt64(0)
		return nil
	}
	var r, q apd.Decimal
	if _, err := ctx.Mul(&q, base, price); err != nil {
		return num.WrapApd(op, err)
	}
	if _, err := ctx.Quo(&q, shortage, &q); err != nil {
		return num.WrapApd(op, err)
	}
	if _, err := ctx.Sub(&r, mr, liqFee); err != nil {
		return num.WrapApd(op, err)
	}
	if _, err := ctx.Sub(&r, &r, &q); err != nil {
		return num.WrapApd(op, err)
	}
	if _, err := ctx.Mul(&r, &r, apd.New(19, 0)); err != nil {
		return num.WrapApd(op, err)
	}
	if _, err := ctx.Quo(&r, &r, apd.New(20, 0)); err != nil {
		return num.WrapApd(op, err)
	}
	if r.Cmp(maxIfFee) > 0 {
		r.Set(maxIfFee)
	}
	if r.Sign() <= 0 {
		r.SetInt64(0)
	}
	return reduce(op, z, &r, nil)
}

// PartialOKX sets z to the quantity OKX closes of a position of qty
// contracts in risk tier tier (1-based): from tier 3 up, down to the first
// tier's maximum tier1Max; at tiers 1 and 2, everything. Source: OKX help
// 360020411711 ("Forced Partial or Full Liquidation"). z may alias any
// operand.
//
// Errors: derivmath.ErrContext for a nil ctx; derivmath.CheckDecimal errors,
// ErrTable for a tier below 1 or a negative tier1Max; derivmath.ErrRange for
// a result outside the result range.
func PartialOKX(ctx *apd.Context, z, qty *apd.Decimal, tier int, tier1Max *apd.Decimal) error {
	const op = "engine: partial okx"
	if err := checkCtx(ctx, qty, tier1Max); err != nil {
		return err
	}
	if tier < 1 || tier1Max.Negative {
		return ErrTable
	}
	var a apd.Decimal
	a.Abs(qty)
	if tier >= 3 && a.Cmp(tier1Max) > 0 {
		if _, err := ctx.Sub(&a, &a, tier1Max); err != nil {
			return num.WrapApd(op, err)
		}
	}
	return store(z, &a)
}

// NotionalDYDX sets z to the notional dYdX v4 may liquidate of a position
// of notional |notional| this block, given what was already liquidated
// (done):
//
//	minN  = min(minNotional, |notional|)
//	maxN  = max(minN, floor(|notional|*maxPortion))   floor to the minor unit
//	limit = min(maxN, maxNotional - done)
//
// and 0 where that is negative (done past maxNotional). The whole position
// closes when |notional| <= limit. Source:
// v4-chain@84d4664b x/clob/keeper/liquidations.go. z may alias any operand.
//
// Errors: derivmath.ErrContext for a nil ctx; derivmath.CheckDecimal errors,
// ErrPreset for a negative minNotional, maxNotional or maxPortion or a
// maxPortion above 1 (which Preset.Validate refuses), derivmath.ErrStep for a
// minor unit that is not positive; derivmath.ErrRange for a result outside
// the result range.
func NotionalDYDX(ctx *apd.Context, z, notional, done, minNotional, maxPortion, maxNotional, minor *apd.Decimal) error {
	const op = "engine: notional dydx"
	if err := checkCtx(ctx, notional, done, minNotional, maxPortion, maxNotional, minor); err != nil {
		return err
	}
	if minNotional.Negative || maxNotional.Negative || maxPortion.Negative || maxPortion.Cmp(decOne) > 0 {
		return ErrPreset
	}
	var n, minN, maxN, left apd.Decimal
	n.Abs(notional)
	minN.Set(minNotional)
	if n.Cmp(&minN) < 0 {
		minN.Set(&n)
	}
	if _, err := ctx.Mul(&maxN, &n, maxPortion); err != nil {
		return num.WrapApd(op, err)
	}
	if err := derivmath.Round(ctx, &maxN, &maxN, minor, derivmath.Floor); err != nil {
		return err
	}
	if maxN.Cmp(&minN) < 0 {
		maxN.Set(&minN)
	}
	if _, err := ctx.Sub(&left, maxNotional, done); err != nil {
		return num.WrapApd(op, err)
	}
	if left.Cmp(&maxN) < 0 {
		maxN.Set(&left)
	}
	if maxN.Negative {
		maxN.SetInt64(0)
	}
	return store(z, &maxN)
}

// Drawdown sets z to Bybit's insurance pool drawdown ratio,
//
//	pnlRatio = (pnl - pnlMax8h)/poolMax8h
//
// which starts ADL below insurancePnlRatio (seen -0.3) when the pool is
// above adlTriggerThreshold, and stops it above adlStopRatio (seen -0.25).
// Source: https://bybit-exchange.github.io/docs/v5/market/adl-alert. z may
// alias any operand.
//
// Errors: derivmath.ErrContext for a nil ctx; derivmath.CheckDecimal errors,
// ErrNegativeFund for a pool of zero or less; derivmath.ErrRange for a result
// outside the result range.
func Drawdown(ctx *apd.Context, z, pnl, pnlMax, poolMax *apd.Decimal) error {
	const op = "engine: drawdown"
	if err := checkCtx(ctx, pnl, pnlMax, poolMax); err != nil {
		return err
	}
	if poolMax.Sign() <= 0 {
		return ErrNegativeFund
	}
	var d apd.Decimal
	if _, err := ctx.Sub(&d, pnl, pnlMax); err != nil {
		return num.WrapApd(op, err)
	}
	_, err := ctx.Quo(&d, &d, poolMax)
	return reduce(op, z, &d, err)
}

// ClawbackRate sets z to the clawback rate of a loss the fund covers only
// in part,
//
//	rate = (loss - cover)/profits
//
// charged on each winner's net profit, capped at 1 (a winner loses at most
// its profit), 0 when nothing is left to cover. Source: OKEx's clawback
// rule (2018-19; the third-party formula prints the sign wrongly). The
// difference and the quotient are rounded per ctx. z may alias any
// operand.
//
// It is the rate [State.Socialise] applies under Clawback with
// SplitProRata: loss - cover is the fund's deficit, profits the sum of the
// winners' profits at the mark, each rounded down to the minor unit (what
// a clawback can charge) and summed exactly. The engine never rounds the
// rate itself: it charges a winner of profit p
//
//	min(p, p*(loss - cover)/profits)
//
// the product taken before the quotient, rounded up to the minor unit once
// (under a context rounding up, beyond its precision too), so that the
// charges cover the deficit, the excess (under a minor unit per winner)
// staying with the fund, and none exceeds its profit. That is p*rate
// rounded up to the minor unit, for the rate exact, or rounded down (ctx
// rounding toward zero) to enough digits that p times its error stays
// below the charge's distance to the minor unit below: a rate rounded up
// would charge a share that falls on the minor unit one unit more.
//
// Errors: derivmath.ErrContext for a nil ctx; derivmath.CheckDecimal errors,
// ErrPosition for profits of zero or less while a loss remains;
// derivmath.ErrRange for a result outside the result range.
func ClawbackRate(ctx *apd.Context, z, loss, cover, profits *apd.Decimal) error {
	const op = "engine: clawback rate"
	if err := checkCtx(ctx, loss, cover, profits); err != nil {
		return err
	}
	var r apd.Decimal
	err := clawback(ctx, &r, decOne, loss, cover, profits)
	if errors.Is(err, ErrPosition) {
		return err
	}
	return reduce(op, z, &r, err)
}

// clawback sets z to the clawback charge of a profit p,
// min(p, p*(loss - cover)/profits), 0 when nothing is left to cover: the
// product taken before the quotient, each rounded per ctx. ClawbackRate is
// the charge of a profit of 1; State.Socialise charges each winner's
// profit under a context rounding up. z may alias any operand.
//
// Errors: ErrPosition for profits of zero or less while a loss remains,
// apd's errors unwrapped.
func clawback(ctx *apd.Context, z, p, loss, cover, profits *apd.Decimal) error {
	var r apd.Decimal
	if _, err := ctx.Sub(&r, loss, cover); err != nil {
		return err
	}
	if r.Sign() <= 0 {
		z.SetInt64(0)
		return nil
	}
	if profits.Sign() <= 0 {
		return ErrPosition
	}
	if _, err := ctx.Mul(&r, &r, p); err != nil {
		return err
	}
	if _, err := ctx.Quo(&r, &r, profits); err != nil {
		return err
	}
	if r.Cmp(p) > 0 {
		r.Set(p)
	}
	z.Set(&r)
	return nil
}

// reduce writes r to z without its trailing zeros (its value unchanged),
// as the library writes amounts, through the result gate of [store]; an
// error of the apd operation that computed r is returned wrapped with op
// (num.WrapApd), and z is not written.
func reduce(op string, z, r *apd.Decimal, err error) error {
	if err != nil {
		return num.WrapApd(op, err)
	}
	r.Reduce(r)
	return store(z, r)
}

// store writes r to z by derivmath's result gate (num.StoreResult), a zero
// as 0, never -0 nor with an exponent, as the engine writes zeros: a result
// that fails derivmath.CheckDecimal first loses its trailing zeros (its
// value unchanged); if it still fails, store returns derivmath.ErrRange and
// z is not written. r is computed apart from z so that a formula that
// fails leaves z as it was, and z may alias any operand.
func store(z, r *apd.Decimal) error {
	if r.IsZero() {
		r.SetInt64(0)
	}
	return num.StoreResult(z, r)
}
