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

// check returns derivmath.CheckDecimal's error for the first of ds that
// is not a valid input.
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
	if ctx == nil {
		return derivmath.ErrContext
	}
	switch p.Mark {
	case MarkFair:
		return funding.FairPrice(ctx, z, &in.Index, &in.Rate, in.Until, in.Interval)
	case MarkMedian:
		return funding.MarkBinance(ctx, z, &in.Index, &in.Rate, &in.Basis, &in.Last, in.Until, in.Interval)
	case MarkDated:
		c := num.In(ctx)
		x := c.CheckPrice(&in.Index)
		r := c.Mul(c.Add(num.One, c.Check(&in.BasisRate)), x)
		c.FailIf(r.Sign() <= 0, derivmath.ErrPrice)
		return store(c, op, z, r)
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
	c := num.In(ctx)
	m, e, b := c.Check(vMark), c.Check(vEntry), c.Check(vBankrupt)
	if c.Err != nil {
		return c.Err
	}
	if e.IsZero() || m.IsZero() {
		return derivmath.ErrZeroQty
	}
	eq := c.Sub(m, b)
	if c.Err == nil && eq.Sign() <= 0 {
		return ErrBankrupt
	}
	pnl := c.Sub(m, e)
	if c.Err == nil && pnl.IsZero() {
		z.SetInt64(0)
		return nil
	}
	pnl = c.Quo(pnl, e.Abs())
	lev := c.Quo(m.Abs(), eq)
	if pnl.IsNeg() {
		pnl = c.Quo(pnl, lev)
	} else {
		pnl = c.Mul(pnl, lev)
	}
	return reduce(c, op, z, pnl)
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
	c := num.In(ctx)
	u, w, m := c.Check(upnl), c.Check(wallet), c.Check(mm)
	if c.Err != nil {
		return c.Err
	}
	eq := c.Add(w, u)
	if c.Err == nil && (u.Sign() <= 0 || eq.Sign() <= 0) {
		z.SetInt64(0)
		return nil
	}
	if floor && w.Cmp(num.One) < 0 {
		w = num.One
	}
	if c.Err == nil && w.Sign() <= 0 {
		return ErrUnbounded
	}
	return reduce(c, op, z, c.Quo(c.Mul(u, m), c.Mul(w, eq)))
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
	c := num.In(ctx)
	n, av := c.Check(notional), c.Check(accountValue)
	m, e := c.CheckPrice(mark), c.CheckPrice(entry)
	if c.Err != nil {
		return c.Err
	}
	if av.Sign() <= 0 {
		z.SetInt64(0)
		return nil
	}
	return reduce(c, op, z, c.Quo(c.Mul(m, n), c.Mul(e, av)))
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
	c := num.In(ctx)
	r, m := c.Check(roi), c.Check(marginRatio)
	if c.Err != nil {
		return c.Err
	}
	if m.Sign() <= 0 {
		return ErrPosition
	}
	if r.IsNeg() {
		return reduce(c, op, z, c.Mul(r, m))
	}
	return reduce(c, op, z, c.Quo(r, m))
}

// BankruptQuote sets z to dYdX v4's bankruptcy quote for closing a signed
// base delta of a subaccount: the quote received (negative: paid),
//
//	bankruptQuote = -dnnv - tnc*|dmmr|/tmmr
//
// with tnc and tmmr the subaccount's net collateral and maintenance at the
// oracle and dnnv, dmmr their changes if delta closed at the oracle. The
// quotient is floored to the minor unit (the quantum), so the result rounds
// toward +infinity; dnnv is taken as given, and State passes it floored to
// the minor unit, as dYdX's quote quantums are integers (a dnnv off the
// minor unit gives a result off it). Source: v4-chain@84d4664b,
// GetBankruptcyPriceInQuoteQuantums. z may alias any operand.
//
// Errors: derivmath.ErrContext for a nil ctx; derivmath.CheckDecimal errors,
// ErrPosition for a tmmr of zero or less, derivmath.ErrStep for a minor unit
// that is not positive; derivmath.ErrRange for a result outside the result
// range.
func BankruptQuote(ctx *apd.Context, z, tnc, tmmr, dnnv, dmmr, minor *apd.Decimal) error {
	const op = "engine: bankrupt quote"
	c := num.In(ctx)
	nc, mr, dn, dm := c.Check(tnc), c.Check(tmmr), c.Check(dnnv), c.Check(dmmr)
	c.Check(minor)
	if c.Err != nil {
		return c.Err
	}
	if mr.Sign() <= 0 {
		return ErrPosition
	}
	q := c.Quo(c.Mul(nc, dm.Abs()), mr)
	if q.IsZero() {
		q = q.Abs() // a negative tnc times a zero dmmr is -0, which Round refuses
	}
	q = floorTo(ctx, c, q, minor)
	return store(c, op, z, c.Add(q, dn).Neg())
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
	c := num.In(ctx)
	nv, pm, s, nc := c.Check(pnnv), c.Check(pmmr), c.Check(ps), c.Check(tnc)
	mr, adj, sm := c.Check(tmmr), c.Check(ba), c.Check(smmr)
	if c.Err != nil {
		return c.Err
	}
	if s.IsZero() || mr.Sign() <= 0 {
		return ErrPosition
	}
	abr := c.Mul(c.Sub(num.One, c.Quo(nc, mr)), adj)
	if abr.IsNeg() {
		abr = num.Dec{}
	} else if abr.Cmp(num.One) > 0 {
		abr = num.One
	}
	r := c.Quo(c.Sub(nv, c.Mul(c.Mul(abr, sm), pm)), s)
	c.FailIf(r.Sign() <= 0, derivmath.ErrPrice)
	return reduce(c, op, z, r)
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
	c := num.In(ctx)
	q, bq, f := c.Check(quote), c.Check(bankruptQuote), c.Check(maxFee)
	c.Check(minor)
	if c.Err != nil {
		return c.Err
	}
	if f.IsNeg() || f.Cmp(num.One) > 0 {
		return derivmath.ErrRate
	}
	if minor.Sign() <= 0 {
		return derivmath.ErrStep // also where the fund pays, which rounds nothing
	}
	d := c.Sub(q, bq)
	if c.Err == nil && d.Sign() > 0 {
		if capped := floorTo(ctx, c, c.Mul(q.Abs(), f), minor); capped.Cmp(d) < 0 {
			d = capped
		}
	}
	return store(c, op, z, d)
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
	c := num.In(ctx)
	s, r, lf, f := c.Check(shortage), c.Check(mr), c.Check(liqFee), c.Check(ifFee)
	p := c.CheckPrice(price)
	if c.Err != nil {
		return c.Err
	}
	d := c.Sub(c.Sub(r, lf), f)
	if c.Err == nil && d.Sign() <= 0 {
		return ErrUnbounded
	}
	return reduce(c, op, z, c.Quo(s, c.Mul(d, p)))
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
	c := num.In(ctx)
	s, b, r, lf, mx := c.Check(shortage), c.Check(base), c.Check(mr), c.Check(liqFee), c.Check(maxIfFee)
	p := c.CheckPrice(price)
	if c.Err != nil {
		return c.Err
	}
	if b.IsZero() {
		return derivmath.ErrZeroQty
	}
	if r.Cmp(lf) <= 0 {
		z.SetInt64(0)
		return nil
	}
	q := c.Quo(s, c.Mul(b, p))
	f := c.Quo(c.Mul(c.Sub(c.Sub(r, lf), q), num.New(19, 0)), num.New(20, 0))
	if f.Cmp(mx) > 0 {
		f = mx
	}
	if f.Sign() <= 0 {
		f = num.Dec{}
	}
	return reduce(c, op, z, f)
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
	c := num.In(ctx)
	a, m := c.Check(qty), c.Check(tier1Max)
	if c.Err != nil {
		return c.Err
	}
	if tier < 1 || m.IsNeg() {
		return ErrTable
	}
	if a = a.Abs(); tier >= 3 && a.Cmp(m) > 0 {
		a = c.Sub(a, m)
	}
	return store(c, op, z, a)
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
	c := num.In(ctx)
	n, dn, minN, portion, maxNotl := c.Check(notional), c.Check(done), c.Check(minNotional), c.Check(maxPortion), c.Check(maxNotional)
	c.Check(minor)
	if c.Err != nil {
		return c.Err
	}
	if minN.IsNeg() || maxNotl.IsNeg() || portion.IsNeg() || portion.Cmp(num.One) > 0 {
		return ErrPreset
	}
	if n = n.Abs(); n.Cmp(minN) < 0 {
		minN = n
	}
	maxN := floorTo(ctx, c, c.Mul(n, portion), minor)
	if maxN.Cmp(minN) < 0 {
		maxN = minN
	}
	if left := c.Sub(maxNotl, dn); left.Cmp(maxN) < 0 {
		maxN = left
	}
	if maxN.IsNeg() {
		maxN = num.Dec{}
	}
	return store(c, op, z, maxN)
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
	c := num.In(ctx)
	p, m, pool := c.Check(pnl), c.Check(pnlMax), c.Check(poolMax)
	if c.Err != nil {
		return c.Err
	}
	if pool.Sign() <= 0 {
		return ErrNegativeFund
	}
	return reduce(c, op, z, c.Quo(c.Sub(p, m), pool))
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
	c := num.In(ctx)
	l, cv, p := c.Check(loss), c.Check(cover), c.Check(profits)
	if c.Err != nil {
		return c.Err
	}
	return reduce(c, op, z, clawback(c, num.One, l, cv, p))
}

// clawback returns the clawback charge of a profit p,
// min(p, p*(loss - cover)/profits), 0 when nothing is left to cover: the
// product taken before the quotient, each rounded per c. ClawbackRate is
// the charge of a profit of 1; State.Socialise charges each winner's
// profit under a context rounding up.
//
// Errors, recorded in c: ErrPosition for profits of zero or less while a
// loss remains, and c's arithmetic errors.
func clawback(c *num.Ctx, p, loss, cover, profits num.Dec) num.Dec {
	r := c.Sub(loss, cover)
	if c.Err != nil || r.Sign() <= 0 {
		return num.Dec{}
	}
	if profits.Sign() <= 0 {
		c.Fail(ErrPosition)
		return num.Dec{}
	}
	if r = c.Quo(c.Mul(r, p), profits); r.Cmp(p) > 0 {
		return p
	}
	return r
}

// floorTo returns x, a value computed in c, floored to a multiple of
// minor (a valid input) by derivmath.Round in ctx, whose errors it records
// in c as Round returns them (a value Round refuses as an input included).
func floorTo(ctx *apd.Context, c *num.Ctx, x num.Dec, minor *apd.Decimal) num.Dec {
	if c.Err != nil {
		return num.Dec{}
	}
	var t apd.Decimal
	x.Store(&t)
	if err := derivmath.Round(ctx, &t, &t, minor, derivmath.Floor); err != nil {
		c.Fail(err)
		return num.Dec{}
	}
	return num.Load(&t)
}

// reduce writes r to z without its trailing zeros (its value unchanged),
// as the library writes amounts, through the result gate of [store].
func reduce(c *num.Ctx, op string, z *apd.Decimal, r num.Dec) error {
	return store(c, op, z, r.Reduce())
}

// store writes r to z through derivmath's result gate (num.Ctx.Store), a
// zero as 0, never -0 nor with an exponent, as the engine writes zeros,
// and returns c's error, an apd condition wrapped with op (num.Wrap), in
// which case z is not written: a formula that fails leaves z as it was,
// and z may alias any operand.
func store(c *num.Ctx, op string, z *apd.Decimal, r num.Dec) error {
	if r.IsZero() {
		r = num.Dec{}
	}
	return num.Wrap(op, c.Store(z, r))
}

// bare returns err, an error a num.Ctx recorded, as the operation gave it:
// an apd condition unwrapped, as the steps return apd's errors, and a
// sentinel as it is.
func bare(err error) error {
	if u := errors.Unwrap(err); u != nil {
		return u
	}
	return err
}
