package engine

import (
	"fmt"
	"time"

	"github.com/cockroachdb/apd/v3"
	"github.com/derivmath/derivmath"
	"github.com/derivmath/derivmath/internal/enum"
	"github.com/derivmath/derivmath/liquidation"
	"github.com/derivmath/derivmath/margin"
)

// Venue names an exchange whose rules a Preset records.
type Venue int8

// The venues. The zero Venue is invalid (ErrPreset).
const (
	BitMEX Venue = 1 + iota
	Binance
	Bybit
	OKX
	Deribit
	DYDX
	Hyperliquid
	Drift
	GMX
)

var venueNames = [...]string{"", "BitMEX", "Binance", "Bybit", "OKX", "Deribit", "dYdX", "Hyperliquid", "Drift", "GMX"}

// String returns the venue's name, such as "BitMEX".
func (v Venue) String() string { return enum.Name("Venue", venueNames[:], int(v)) }

// Equality says whether an account exactly at its maintenance margin is
// liquidatable (S2).
type Equality int8

// The trigger equalities.
const (
	// NonStrict liquidates when equity <= maintenance (BitMEX, Binance,
	// Bybit, OKX; liquidation.Liquidatable).
	NonStrict Equality = 1 + iota
	// Strict liquidates when equity < maintenance (Deribit, dYdX,
	// Hyperliquid, Drift, GMX).
	Strict
)

// String returns "NonStrict" or "Strict".
func (e Equality) String() string {
	return enum.Name("Equality", []string{"", "NonStrict", "Strict"}, int(e))
}

// Scope says which open orders S3 cancels.
type Scope int8

// The cancel scopes.
const (
	// CancelContract cancels the orders on the liquidated contract
	// (BitMEX, Bybit). The engine holds one contract, so it is CancelAll
	// here; the distinction matters to a multi-contract caller.
	CancelContract Scope = 1 + iota
	// CancelAll cancels every open order of the account (Binance).
	CancelAll
	// CancelNone leaves orders alone.
	CancelNone
)

// String returns the scope's name.
func (s Scope) String() string {
	return enum.Name("Scope", []string{"", "CancelContract", "CancelAll", "CancelNone"}, int(s))
}

// Partial selects the S4 rule: how much of a position a venue closes before
// it takes the rest over.
type Partial int8

// The partial liquidation rules.
const (
	// PartialNone goes straight to the takeover (S5).
	PartialNone Partial = 1 + iota
	// StepDown lowers the risk limit, then closes with a reduce-only FOK
	// (Binance: IOC) the quantity q_k that fits the first lower tier whose
	// maintenance the equity meets (BitMEX, Bybit; Binance's target bracket
	// by default).
	StepDown
	// TierReduce closes down to the first tier's maximum from tier 3 up,
	// and everything at tiers 1 and 2 (OKX).
	TierReduce
	// Portion closes Preset.Portion of positions above
	// Preset.PortionNotional, the whole of smaller ones (Hyperliquid).
	Portion
	// NotionalLimit closes what dYdX v4's per-block notional limits allow.
	NotionalLimit
	// Slice closes Preset.Slice contracts at a time (Deribit).
	Slice
)

// String returns the rule's name.
func (p Partial) String() string {
	return enum.Name("Partial", []string{"", "PartialNone", "StepDown", "TierReduce", "Portion", "NotionalLimit", "Slice"}, int(p))
}

// Takeover selects who holds a position the engine closes (S5).
type Takeover int8

// The takeover rules.
const (
	// FundTakes moves the position to the insurance fund at the
	// bankruptcy price; the account's margin ends at 0, its surplus to the
	// fund; the fund then works the position (BitMEX, Bybit, OKX).
	FundTakes Takeover = 1 + iota
	// AccountCloses sends the liquidation order for the account itself;
	// fees go to the fund, which covers a negative equity (Binance,
	// Deribit, dYdX, Hyperliquid, Drift).
	AccountCloses
)

// String returns the rule's name.
func (t Takeover) String() string {
	return enum.Name("Takeover", []string{"", "FundTakes", "AccountCloses"}, int(t))
}

// OrderPrice selects the limit of the liquidation order.
type OrderPrice int8

// The liquidation order prices.
const (
	// AtBankruptcy limits the order at the bankruptcy price (BitMEX,
	// Binance, Bybit).
	AtBankruptcy OrderPrice = 1 + iota
	// AtFillable limits it at dYdX v4's fillable price.
	AtFillable
	// AtMarket sends it without a limit (Hyperliquid; OKX near market,
	// unconfirmed).
	AtMarket
)

// String returns the rule's name.
func (o OrderPrice) String() string {
	return enum.Name("OrderPrice", []string{"", "AtBankruptcy", "AtFillable", "AtMarket"}, int(o))
}

// TIF is an order intent's time in force.
type TIF int8

// The times in force.
const (
	// GTC rests until filled or withdrawn (BitMEX's fund works it).
	GTC TIF = 1 + iota
	// IOC fills what it can at once; the rest is dropped.
	IOC
	// FOK fills in full at once or not at all.
	FOK
)

// String returns "GTC", "IOC" or "FOK".
func (t TIF) String() string { return enum.Name("TIF", []string{"", "GTC", "IOC", "FOK"}, int(t)) }

// Ranking selects the ADL ranking score (S7).
type Ranking int8

// The ADL rankings.
const (
	// RankBitMEX: PnL% x effective leverage for winners, PnL% / effective
	// leverage for losers (ScoreBitMEX). Bybit's default (its formula is
	// cut off: unconfirmed).
	RankBitMEX Ranking = 1 + iota
	// RankBinance: max(0, uPnL)/max(1, WB) x MM/(WB + uPnL)
	// (ScoreBinance).
	RankBinance
	// RankHyperliquid: (mark/entry) x (notional/account value), profitable
	// positions only (ScoreHyperliquid); a short's ratio per
	// Preset.ShortRatio.
	RankHyperliquid
	// RankOKX: ROI / margin ratio (ScoreOKX; unconfirmed, third-party),
	// the margin ratio being equity / maintenance at the mark. Where that
	// ratio is undefined or not positive (a maintenance or an equity of 0
	// or less), the score is the ROI alone: derivmath's choice, which no
	// source covers.
	RankOKX
	// RankCyclic: no score; opposite-side accounts in index order from a
	// pseudorandom offset drawn from the caller's seed (dYdX v4). No two
	// share a place, so Preset.ADLTie does not apply.
	RankCyclic
	// RankIndex: no score; the caller's order, the traders' index order
	// (GMX), whatever Preset.ADLTie.
	RankIndex
)

// String returns the ranking's name.
func (r Ranking) String() string {
	return enum.Name("Ranking", []string{"", "RankBitMEX", "RankBinance", "RankHyperliquid", "RankOKX", "RankCyclic", "RankIndex"}, int(r))
}

// ShortRatio selects the price ratio of a short's Hyperliquid ADL score
// (RankHyperliquid). Hyperliquid's docs print one score,
// (mark/entry) x (notional/account value), for both sides; for a short in
// profit the mark is below the entry, so as printed a short ranks lower
// the more it gains. Whether Hyperliquid mirrors the ratio for shorts is
// unconfirmed: a parameter, default as printed.
type ShortRatio int8

// The short ratios.
const (
	// ShortMarkOverEntry scores a short with mark/entry, as the docs
	// print the score for both sides (the default).
	ShortMarkOverEntry ShortRatio = 1 + iota
	// ShortEntryOverMark scores a short with entry/mark, the long's ratio
	// mirrored: a short ranks higher the more it gains, as a long does
	// (unconfirmed variant).
	ShortEntryOverMark
)

// String returns the rule's name.
func (r ShortRatio) String() string {
	return enum.Name("ShortRatio", []string{"", "ShortMarkOverEntry", "ShortEntryOverMark"}, int(r))
}

// ADLTie selects which of two ADL candidates of equal score State.ADL
// closes first. No venue publishes its tie rule: a parameter, default
// TieLowerIndex. It orders the scored rankings (RankBitMEX, RankBinance,
// RankHyperliquid, RankOKX), including RankBinance's unbounded scores
// among themselves; RankCyclic and RankIndex have no score, hence no
// ties: they take the candidates in index order (RankCyclic from its
// offset) whatever the rule.
type ADLTie int8

// The ADL tie rules.
const (
	// TieLowerIndex closes the candidate with the lower trader index (the
	// one added first) first: the default, unconfirmed.
	TieLowerIndex ADLTie = 1 + iota
	// TieHigherIndex closes the candidate with the higher trader index
	// (the one added last) first (unconfirmed variant).
	TieHigherIndex
)

// String returns the rule's name.
func (t ADLTie) String() string {
	return enum.Name("ADLTie", []string{"", "TieLowerIndex", "TieHigherIndex"}, int(t))
}

// ADLPrice selects the price at which ADL closes both sides.
type ADLPrice int8

// The ADL prices.
const (
	// ADLBankruptcy closes at the bankrupt position's bankruptcy price
	// (BitMEX, Binance, Bybit).
	ADLBankruptcy ADLPrice = 1 + iota
	// ADLMark closes at the mark (OKX; Hyperliquid's previous mark, GMX's
	// oracle: the caller sets the mark it means).
	ADLMark
)

// String returns the rule's name.
func (a ADLPrice) String() string {
	return enum.Name("ADLPrice", []string{"", "ADLBankruptcy", "ADLMark"}, int(a))
}

// ADLTrigger selects when S7 must run for a position the close left over
// (State.MustADL). In every rule a fund at or below zero starts ADL.
type ADLTrigger int8

// The ADL triggers.
const (
	// ADLUnfilled: the fund's inventory is left unfilled and the mark has
	// reached its bankruptcy price, the fund's entry (BitMEX). For
	// inventory taken over at several prices, its unrealised PnL at the
	// mark is zero or less (derived reading).
	ADLUnfilled ADLTrigger = 1 + iota
	// ADLDrawdown: the fund's drawdown from its peak, (balance -
	// peak)/peak by Drawdown, is below Preset.ADLRatio while the fund is
	// above Preset.ADLThreshold; once ADL runs, it stops when the ratio
	// rises above Preset.ADLStop (Bybit; OKX's 30% drop).
	ADLDrawdown
	// ADLNetNotional: the fund's net notional at the mark, with the
	// holder's remainder added, would exceed its balance (Binance).
	ADLNetNotional
	// ADLDeficit: the holder's equity at the mark is below zero (dYdX v4:
	// TNC < 0 after the IOC filled nothing; Hyperliquid: account value
	// below zero).
	ADLDeficit
	// ADLRemainder: whatever the close left is deleveraged at once
	// (Deribit, Drift, GMX: the venue's rule is unconfirmed or depends on
	// a pool the engine does not hold).
	ADLRemainder
)

// String returns the trigger's name.
func (a ADLTrigger) String() string {
	return enum.Name("ADLTrigger", []string{"", "ADLUnfilled", "ADLDrawdown", "ADLNetNotional", "ADLDeficit", "ADLRemainder"}, int(a))
}

// FundScope says which contracts share a venue's insurance fund (S6). A
// State holds one fund; the scope tells a caller running several contracts
// which States' funds are one ledger.
type FundScope int8

// The fund scopes.
const (
	// FundContract: a fund per contract (Binance BTCUSDT and ETHUSDT in
	// 2019; today unconfirmed). The default where the venue publishes no
	// scope (unconfirmed).
	FundContract FundScope = 1 + iota
	// FundShared: one fund for the venue's other contracts (Binance in
	// 2019).
	FundShared
	// FundUnderlying: a fund per business line, underlying and settlement
	// currency (OKX).
	FundUnderlying
	// FundGrouped: contracts grouped into pools, regrouped daily (Bybit).
	FundGrouped
	// FundCrossIsolated: one fund for the cross markets plus one per
	// isolated market (dYdX v4, x/perpetuals/keeper/perpetual.go).
	FundCrossIsolated
)

// String returns the scope's name.
func (f FundScope) String() string {
	return enum.Name("FundScope", []string{"", "FundContract", "FundShared", "FundUnderlying", "FundGrouped", "FundCrossIsolated"}, int(f))
}

// Socialise selects how a loss the fund cannot cover is shared (S8).
type Socialise int8

// The socialised-loss rules.
const (
	// SocialiseNone leaves the fund negative (ADL is expected to prevent
	// it).
	SocialiseNone Socialise = 1 + iota
	// Clawback charges the traders with unrealised profit, sharing the
	// loss per Preset.Split: the same rate of it by default (OKEx to
	// 2018-19; Deribit's split, unconfirmed, default pro rata).
	Clawback
	// DriftFunding charges every open position, long or short, the same
	// amount per unit of base, rounded up to the minor unit (Drift). It
	// needs AccountCloses: Drift's insurance payment (Preset.CapInsurance)
	// is applied where a closed account's bankruptcy is settled, and a
	// fund that takes positions over has no such step (Preset.Validate:
	// ErrInconsistent).
	DriftFunding
)

// String returns the rule's name.
func (s Socialise) String() string {
	return enum.Name("Socialise", []string{"", "SocialiseNone", "Clawback", "DriftFunding"}, int(s))
}

// LossSplit selects how a clawback (Clawback) shares the loss among the
// traders in profit.
type LossSplit int8

// The clawback splits.
const (
	// SplitProRata charges every winner the same rate of its profit,
	// min(loss, Σp)/Σp (OKEx's clawback; the default, also Deribit's,
	// whose split is unconfirmed).
	SplitProRata LossSplit = 1 + iota
	// SplitEqual charges every winner the same amount, at most its
	// profit: min(p, λ), the level λ such that the charges sum to
	// min(loss, Σp), what a small winner cannot pay shared equally by the
	// larger ones (an unconfirmed reading of Deribit's "shared by the
	// day's winners").
	SplitEqual
)

// String returns the rule's name.
func (l LossSplit) String() string {
	return enum.Name("LossSplit", []string{"", "SplitProRata", "SplitEqual"}, int(l))
}

// MarkRule selects how S1 computes the mark price (Mark).
type MarkRule int8

// The mark rules.
const (
	// MarkFair is BitMEX's fair price: index x (1 + F x t/T).
	MarkFair MarkRule = 1 + iota
	// MarkMedian is Binance's median of price 1, price 2 and last.
	MarkMedian
	// MarkDated is Bybit's dated futures mark: index x (1 + basis rate).
	MarkDated
	// MarkInput takes the mark (or oracle) as given: the venue's rule is
	// unconfirmed (Bybit perpetual, OKX, Hyperliquid, Deribit) or an oracle
	// (dYdX, Drift, GMX).
	MarkInput
)

// String returns the rule's name.
func (m MarkRule) String() string {
	return enum.Name("MarkRule", []string{"", "MarkFair", "MarkMedian", "MarkDated", "MarkInput"}, int(m))
}

// A RiskLimit is one step of a risk-limit table for the step-down (S4):
// positions worth up to Limit (at the mark) need maintenance rate MMR, less
// the maintenance amount Cum (Binance's cum, which keeps the maintenance
// continuous from one bracket to the next; 0 where the venue has none):
// maintenance = value x MMR - Cum, never below zero (Trader.MMR). Lowering
// a trader's tier sets its MMR and Cum from its step.
//
// Under Binance's rules the table is also Binance's leverage brackets,
// which give the maintenance of every trader with a Tier at its notional
// at the mark (Binance FAQ 360033525271; Trader.MMR, State.Brackets):
// bracket k holds the notionals from the previous step's Limit (0 for
// the first), included, up to its own, excluded (margin.Tiers's floors:
// a notional at a Limit is in the bracket above, also for StepDown's
// lowered tier), the last every notional above, and the Cums
// must follow Binance's recurrence, cum_k = cum_(k-1) + Limit_(k-1) x
// (MMR_k - MMR_(k-1)) from 0 (Preset.Validate; margin.NewTiers). At a
// Limit itself the two brackets give the same maintenance. It holds
// decimals: pass it by pointer.
type RiskLimit struct {
	Limit apd.Decimal
	MMR   apd.Decimal
	Cum   apd.Decimal
}

// A Preset is a venue's liquidation sequence as data: which steps run and
// with which rule and parameter. Fields marked unconfirmed hold a named
// default that the venue has not confirmed (a cut-off page, a third-party
// copy or an ambiguity); set them when you know better.
//
// Build one with a preset function (PresetBitMEX and the others) and change
// what you need; Preset.Validate checks it. A Preset holds decimals: pass it
// by pointer and do not copy it after first use. The engine only reads it.
type Preset struct {
	// Name and Venue identify the rules; Since is the first day they
	// apply (zero: undated). Source names the documents.
	Name   string
	Venue  Venue
	Since  time.Time
	Source string

	// Convention is the maintenance rule of the liquidation solver.
	// With Venue Binance, liquidation.Binance also takes each tiered
	// trader's MMR and Cum from the bracket of its notional at the mark
	// (Binance FAQ 360033525271; Trader.MMR).
	Convention liquidation.Convention
	// Mark is the S1 rule.
	Mark MarkRule
	// Trigger: liquidatable at equity = maintenance or only below.
	// Binance's two texts differ (unconfirmed; default NonStrict).
	Trigger Equality
	// Cancel is the S3 scope (unconfirmed for OKX, Deribit, dYdX,
	// Hyperliquid, Drift: a parameter, default CancelAll; dYdX CancelNone).
	Cancel Scope
	// Partial is the S4 rule; RiskLimits the step-down table (StepDown).
	Partial    Partial
	RiskLimits []RiskLimit
	// Slippage is the step-down order's assumed price offset from the
	// mark, as a fraction (unconfirmed size model; default 0: fill at the
	// mark). Slice is Deribit's slice in contracts (unconfirmed: was 10,
	// then 200). Portion and PortionNotional are Hyperliquid's 20% above
	// 100,000 USDC (10,000 on testnet).
	Slippage        apd.Decimal
	Slice           apd.Decimal
	Portion         apd.Decimal
	PortionNotional apd.Decimal
	// Takeover, OrderPrice and TIF shape the liquidation order (S5).
	Takeover   Takeover
	OrderPrice OrderPrice
	TIF        TIF
	// PriceRounding rounds the bankruptcy price (TowardEntry where the
	// venue rounds to the tick: BitMEX, Bybit).
	PriceRounding liquidation.Rounding
	// ClearanceFee is the fee rate on the liquidated notional, paid to the
	// fund (Binance r_liq, exchangeInfo liquidationFee; Deribit 0.75% BTC).
	// Zero where the fund takes the position over. For dYdX it is the cap
	// MaxLiquidationFeePpm/1e6 on the fund's share of the surplus.
	ClearanceFee apd.Decimal
	// FeeAtMark prices the clearance fee at the mark instead of the fill
	// (unconfirmed: Binance's P_base; default false, the fill).
	FeeAtMark bool
	// FundRounding rounds the clearance fee, and the taker fee the
	// step-down's size model assumes, to the minor unit (unconfirmed;
	// default derivmath.Ceiling, the fund's favour for what it receives).
	// dYdX's capped share is not rounded here: InsuranceDelta floors its
	// cap, as dYdX's code does (PresetDYDX sets Floor to match). The
	// fund's gain or loss on closing a position it took over is not
	// rounded here either: it is the difference of two trade values, each
	// rounded half-up (see the package documentation).
	FundRounding derivmath.Rounding
	// LeftoverShare is the share of the collateral left after the close
	// that moves to the fund (Binance; unconfirmed, default 0).
	LeftoverShare apd.Decimal
	// dYdX v4: BankruptcyAdjustment (BA, >= 1) and SpreadToMaintenance
	// (SMMR, >= 0) of the fillable price; MinNotional, MaxPortion and
	// MaxNotional the per-block limits of the partial close. SMMR has no
	// upper bound: dYdX's is its ppm type's, and it runs at 1.5 (its help
	// center's example and testing genesis) with maintenance fractions up
	// to its initial ones, up to 1. A spread SMMR*MMF*ABR of the whole
	// oracle price or more puts the fillable price of closing a long at
	// zero or below, and the sell is then limited at one tick, as dYdX
	// bounds the order's price below by one tick.
	BankruptcyAdjustment apd.Decimal
	SpreadToMaintenance  apd.Decimal
	MinNotional          apd.Decimal
	MaxPortion           apd.Decimal
	MaxNotional          apd.Decimal
	// ADL is the ranking, ADLPrice the price both sides close at, ADLTie
	// the order of candidates of equal score (unconfirmed: no venue
	// publishes its tie rule; default TieLowerIndex, the lower trader
	// index first). BinanceFloor applies Binance's
	// max(1, WB) (unconfirmed; default true); without it a profitable
	// candidate whose wallet is zero or less ranks first (ScoreBinance's
	// ErrUnbounded: its PnL over its wallet has no bound).
	ADL          Ranking
	ADLPrice     ADLPrice
	ADLTie       ADLTie
	BinanceFloor bool
	// ShortRatio is the price ratio of a short's score under
	// RankHyperliquid: mark/entry as Hyperliquid's docs print it for
	// both sides (ShortMarkOverEntry, the default) or entry/mark
	// (ShortEntryOverMark); the short variant is unconfirmed (Hyperliquid
	// docs, Auto-deleveraging).
	ShortRatio ShortRatio
	// ADLValidity skips a counterparty the deleveraging would leave
	// under-collateralised with a lower collateral ratio (dYdX v4,
	// x/subaccounts/lib/updates.go).
	ADLValidity bool
	// ADLTrigger says when ADL must run (State.MustADL). ADLRatio,
	// ADLStop and ADLThreshold are ADLDrawdown's start ratio, stop ratio
	// and minimum fund balance: Bybit's insurancePnlRatio (-0.3),
	// adlStopRatio (-0.25) and adlTriggerThreshold (10,000), the values
	// seen in its API's example, set per symbol (unconfirmed defaults);
	// OKX's 30% drop (third-party copies differ: unconfirmed).
	ADLTrigger   ADLTrigger
	ADLRatio     apd.Decimal
	ADLStop      apd.Decimal
	ADLThreshold apd.Decimal
	// Socialise is the S8 rule; Split how Clawback shares the loss among
	// the traders in profit. Deribit shares a residual loss among the
	// day's winners (documented, never used) but does not say how: Split
	// is unconfirmed, default SplitProRata, one rate of profit for all,
	// as OKEx's clawback (Deribit support article 25944769313309).
	Socialise Socialise
	Split     LossSplit
	// CapInsurance and MaxInsurance bound what the fund pays toward a
	// bankruptcy under DriftFunding, Drift's resolve_perp_bankruptcy
	// (protocol-v2@0ae3e3b1 controller/liquidation.rs):
	//
	//	ifPay = min(|loss|, vault - 1, maxInsurance - settledInsurance)
	//
	// the vault the fund's balance before the loss and 1 its minor unit
	// (documented: the engine always applies it under DriftFunding), and
	// MaxInsurance Drift's quote_max_insurance less quote_settled_insurance
	// when the State starts, the most the fund may pay toward all the
	// bankruptcies it covers (down to the minor unit where it lies off
	// one), applied only with CapInsurance. The cap is set
	// per market (unconfirmed: default false, no cap). What the fund covers
	// beyond ifPay, Socialise charges (State.Unsocialised).
	CapInsurance bool
	MaxInsurance apd.Decimal
	// Fund is the insurance fund's scope (FundContract where the venue
	// publishes none: unconfirmed).
	Fund FundScope
}

// Validate reports whether p is usable: every rule a defined constant, every
// rate in range, the risk-limit table in order (under Binance's rules, with
// the cums of Binance's recurrence: RiskLimit), and the rules consistent
// (among others: an insurance cap only under DriftFunding, and DriftFunding
// only where the account closes its own position, AccountCloses).
//
// Errors: ErrPreset, ErrTable (under Binance's rules wrapping
// margin.NewTiers's error, such as margin.ErrCum for a cum off the
// recurrence), ErrInconsistent, derivmath.CheckDecimal errors.
func (p *Preset) Validate() error {
	switch {
	case p.Venue < BitMEX || p.Venue > GMX,
		p.Convention < liquidation.Binance || p.Convention > liquidation.Bybit,
		p.Mark < MarkFair || p.Mark > MarkInput,
		p.Trigger < NonStrict || p.Trigger > Strict,
		p.Cancel < CancelContract || p.Cancel > CancelNone,
		p.Partial < PartialNone || p.Partial > Slice,
		p.Takeover < FundTakes || p.Takeover > AccountCloses,
		p.OrderPrice < AtBankruptcy || p.OrderPrice > AtMarket,
		p.TIF < GTC || p.TIF > FOK,
		p.PriceRounding < liquidation.Exact || p.PriceRounding > liquidation.Nearest,
		p.FundRounding < derivmath.Down || p.FundRounding > derivmath.HalfEven,
		p.ADL < RankBitMEX || p.ADL > RankIndex,
		p.ADLPrice < ADLBankruptcy || p.ADLPrice > ADLMark,
		p.ADLTie < TieLowerIndex || p.ADLTie > TieHigherIndex,
		p.ShortRatio < ShortMarkOverEntry || p.ShortRatio > ShortEntryOverMark,
		p.ADLTrigger < ADLUnfilled || p.ADLTrigger > ADLRemainder,
		p.Socialise < SocialiseNone || p.Socialise > DriftFunding,
		p.Split < SplitProRata || p.Split > SplitEqual,
		p.Fund < FundContract || p.Fund > FundCrossIsolated:
		return fmt.Errorf("%w: %s: a rule outside its constants", ErrPreset, p.Name)
	}
	for _, d := range []*apd.Decimal{
		&p.Slippage, &p.Slice, &p.Portion, &p.PortionNotional, &p.ClearanceFee,
		&p.LeftoverShare, &p.BankruptcyAdjustment, &p.SpreadToMaintenance, &p.MinNotional, &p.MaxPortion, &p.MaxNotional,
		&p.MaxInsurance,
	} {
		if err := derivmath.CheckDecimal(d); err != nil {
			return err
		}
		if d.Negative {
			return fmt.Errorf("%w: %s: negative parameter", ErrPreset, p.Name)
		}
	}
	for _, d := range []*apd.Decimal{&p.ADLRatio, &p.ADLStop, &p.ADLThreshold} {
		if err := derivmath.CheckDecimal(d); err != nil {
			return err
		}
	}
	if p.ADLThreshold.Negative || p.ADLRatio.Sign() > 0 || p.ADLStop.Sign() > 0 || p.ADLStop.Cmp(&p.ADLRatio) < 0 {
		return fmt.Errorf("%w: %s: ADL ratios must be at most 0, the stop at or above the start", ErrPreset, p.Name)
	}
	one := apd.New(1, 0)
	if p.ClearanceFee.Cmp(one) >= 0 || p.LeftoverShare.Cmp(one) > 0 || p.Slippage.Cmp(one) >= 0 || p.Portion.Cmp(one) > 0 || p.MaxPortion.Cmp(one) > 0 {
		return fmt.Errorf("%w: %s: a rate outside [0, 1)", ErrPreset, p.Name)
	}
	if p.OrderPrice == AtFillable && p.BankruptcyAdjustment.Cmp(one) < 0 {
		return fmt.Errorf("%w: %s: bankruptcy adjustment below 1", ErrPreset, p.Name)
	}
	for i := range p.RiskLimits {
		r := &p.RiskLimits[i]
		if err := derivmath.CheckDecimal(&r.Limit); err != nil {
			return err
		}
		if err := derivmath.CheckDecimal(&r.MMR); err != nil {
			return err
		}
		if err := derivmath.CheckDecimal(&r.Cum); err != nil {
			return err
		}
		if r.Limit.Sign() <= 0 || r.MMR.Sign() <= 0 || r.MMR.Cmp(one) >= 0 || r.Cum.Negative {
			return fmt.Errorf("%w: %s: tier %d", ErrTable, p.Name, i)
		}
		if i > 0 && (r.Limit.Cmp(&p.RiskLimits[i-1].Limit) <= 0 || r.MMR.Cmp(&p.RiskLimits[i-1].MMR) < 0 || r.Cum.Cmp(&p.RiskLimits[i-1].Cum) < 0) {
			return fmt.Errorf("%w: %s: tier %d out of order", ErrTable, p.Name, i)
		}
	}
	if _, err := p.brackets(); err != nil {
		return err
	}
	switch {
	case p.Takeover == FundTakes && !p.ClearanceFee.IsZero():
		return fmt.Errorf("%w: %s: a clearance fee where the fund takes the position (it keeps the surplus)", ErrInconsistent, p.Name)
	case p.Partial == StepDown && len(p.RiskLimits) == 0:
		return fmt.Errorf("%w: %s: step-down without a risk-limit table", ErrInconsistent, p.Name)
	case p.Partial == Slice && p.Slice.Sign() == 0:
		return fmt.Errorf("%w: %s: slice rule with a zero slice", ErrInconsistent, p.Name)
	case p.Partial == Portion && p.Portion.Sign() == 0:
		return fmt.Errorf("%w: %s: portion rule with a zero portion", ErrInconsistent, p.Name)
	case p.Partial == NotionalLimit && p.MaxPortion.Sign() == 0:
		return fmt.Errorf("%w: %s: notional-limit rule with a zero portion", ErrInconsistent, p.Name)
	case p.CapInsurance && p.Socialise != DriftFunding:
		return fmt.Errorf("%w: %s: an insurance cap is Drift's (DriftFunding)", ErrInconsistent, p.Name)
	case p.Socialise == DriftFunding && p.Takeover != AccountCloses:
		return fmt.Errorf("%w: %s: Drift's insurance rule (DriftFunding) where the fund takes the position over (Drift's accounts close themselves)", ErrInconsistent, p.Name)
	case p.OrderPrice == AtFillable && p.Venue != DYDX:
		return fmt.Errorf("%w: %s: the fillable price is dYdX's", ErrInconsistent, p.Name)
	case p.OrderPrice == AtBankruptcy && p.TIF == FOK && p.Venue == Binance:
		return fmt.Errorf("%w: %s: Binance sends IOC, never FOK", ErrInconsistent, p.Name)
	}
	return nil
}

func dec(s string) apd.Decimal {
	var d apd.Decimal
	if _, _, err := d.SetString(s); err != nil {
		panic("engine: bad constant " + s)
	}
	return d
}

// brackets returns p's risk limits as Binance's leverage brackets, the
// table a trader's maintenance rate and amount come from at its notional
// at the mark (see Trader), or nil when p's rule is not Binance's (another
// venue or convention, or no table): bracket k holds the notionals from
// the limit of bracket k-1 (0 for the first), included, up to its own,
// excluded, with its MMR
// and Cum, which must follow Binance's recurrence (margin.NewTiers), and
// the last bracket every notional above. No leverage is checked: the
// brackets' maximum leverage is 1.
//
// Errors: ErrTable, wrapping margin.NewTiers's error.
func (p *Preset) brackets() (*margin.Tiers, error) {
	if p.Venue != Binance || p.Convention != liquidation.Binance || len(p.RiskLimits) == 0 {
		return nil, nil
	}
	rows := make([]margin.Tier, len(p.RiskLimits))
	for k := range rows {
		if k > 0 {
			rows[k].Floor.Set(&p.RiskLimits[k-1].Limit)
		}
		rows[k].MMR.Set(&p.RiskLimits[k].MMR)
		rows[k].Cum.Set(&p.RiskLimits[k].Cum)
		rows[k].MaxLeverage.SetInt64(1)
	}
	t, err := margin.NewTiers(rows, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: Binance's brackets: %w", ErrTable, p.Name, err)
	}
	return t, nil
}

// riskLimits makes a table from rows of limit, rate and maintenance amount.
func riskLimits(rows ...string) []RiskLimit {
	out := make([]RiskLimit, len(rows)/3)
	for i := range out {
		out[i].Limit = dec(rows[3*i])
		out[i].MMR = dec(rows[3*i+1])
		out[i].Cum = dec(rows[3*i+2])
	}
	return out
}

func base(v Venue, name, source string) *Preset {
	return &Preset{
		Name: name, Venue: v, Source: source,
		Convention: liquidation.Binance, Mark: MarkInput, Trigger: NonStrict, Cancel: CancelAll,
		Partial: PartialNone, Takeover: AccountCloses, OrderPrice: AtBankruptcy, TIF: IOC,
		PriceRounding: liquidation.Exact, FundRounding: derivmath.Ceiling,
		ADL: RankBitMEX, ADLPrice: ADLBankruptcy, ADLTie: TieLowerIndex, BinanceFloor: true, ShortRatio: ShortMarkOverEntry, ADLTrigger: ADLRemainder, Socialise: SocialiseNone, Split: SplitProRata,
		Fund: FundContract,
	}
}

// PresetBitMEX returns BitMEX's rules: fair-price mark, cancel the
// contract's orders, step down the risk limit (the FOK size model is
// unconfirmed), the fund takes the position at the bankruptcy price rounded
// toward the entry and works a GTC limit there, ranked ADL at the bankruptcy
// price. The risk limits are the 2019 copy's base 100 XBT, step 50, 0.5%
// (the live table: load it). Sources: bitmex.com/app/liquidation,
// /app/autoDeleveraging, /app/fairPriceMarking, /app/riskLimits.
func PresetBitMEX() *Preset {
	p := base(BitMEX, "BitMEX", "https://www.bitmex.com/app/liquidation; /app/autoDeleveraging; /app/fairPriceMarking")
	p.Convention, p.Mark, p.Cancel = liquidation.BitMEX, MarkFair, CancelContract
	p.Partial, p.RiskLimits = StepDown, riskLimits("100", "0.005", "0", "150", "0.01", "0", "200", "0.015", "0", "250", "0.02", "0")
	p.Takeover, p.TIF, p.PriceRounding = FundTakes, GTC, liquidation.TowardEntry
	p.ADLTrigger = ADLUnfilled
	return p
}

// PresetBinance returns Binance USD-M's rules from 2025-09-18 (mark window
// 30 s): median-of-three mark, maintenance of the leverage bracket of the
// notional at the mark (the risk limits are BTCUSDT's first four
// brackets, with their cum; Trader.MMR), cancel all orders, one IOC step
// into a lower bracket than the one at the mark (target unconfirmed: the
// step-down walk), then an IOC at the bankruptcy price with a clearance
// fee of 1.25% (BTCUSDT's liquidationFee; the API example says 1%) priced
// at the fill (unconfirmed), Binance's ADL score. Sources: Binance FAQ
// 360033525271 (liquidation), 360033525471 (ADL), announcement of
// 2025-09-16 (mark price).
func PresetBinance() *Preset {
	p := base(Binance, "Binance USD-M 2025-09-18", "https://www.binance.com/en/support/faq/360033525271")
	p.Since = time.Date(2025, 9, 18, 8, 1, 0, 0, time.UTC)
	p.Mark, p.Partial = MarkMedian, StepDown
	p.RiskLimits = riskLimits("50000", "0.004", "0", "600000", "0.005", "50", "3000000", "0.0065", "950", "12000000", "0.01", "11450")
	p.ClearanceFee = dec("0.0125")
	p.ADL, p.ADLTrigger = RankBinance, ADLNetNotional
	return p
}

// PresetBybit returns Bybit's rules: mark as input for perpetuals
// (unconfirmed; MarkDated for dated futures), cancel the contract's orders,
// step down the risk limit, the fund takes over at the bankruptcy price,
// ADL ranked by BitMEX's score (Bybit's formula is cut off: unconfirmed).
// Source: Bybit help 900000167723, API v5 adl-alert.
func PresetBybit() *Preset {
	p := base(Bybit, "Bybit", "https://help.bybit.com/hc/en-us/articles/900000167723")
	p.Convention, p.Cancel = liquidation.Bybit, CancelContract
	p.Partial, p.RiskLimits = StepDown, riskLimits("2000000", "0.005", "0", "2600000", "0.0055", "0", "3200000", "0.006", "0")
	p.Takeover, p.TIF, p.PriceRounding = FundTakes, GTC, liquidation.TowardEntry
	p.ADLTrigger, p.ADLRatio, p.ADLStop, p.ADLThreshold = ADLDrawdown, dec("-0.3"), dec("-0.25"), dec("10000")
	p.Fund = FundGrouped
	return p
}

// PresetOKX returns OKX's rules: mark as input (unconfirmed), tier-based
// partial close (the preset holds no tier table: load OKX's into
// RiskLimits and set the traders' Tier; without one every close is
// full), the fund takes over near market (offset unconfirmed: no limit),
// ADL at the mark ranked by ROI / margin ratio (third-party:
// unconfirmed), and the 2018 clawback. Source: OKX help 360020411711.
func PresetOKX() *Preset {
	p := base(OKX, "OKX", "OKX help 360020411711 (Forced Partial or Full Liquidation)")
	p.Partial, p.Takeover, p.OrderPrice = TierReduce, FundTakes, AtMarket
	p.ADL, p.ADLPrice, p.Socialise = RankOKX, ADLMark, Clawback
	p.ADLTrigger, p.ADLRatio, p.ADLStop = ADLDrawdown, dec("-0.3"), dec("-0.3")
	p.Fund = FundUnderlying
	return p
}

// PresetDeribit returns Deribit's rules from 2022-01-11: strict trigger,
// slices of 200 contracts (unconfirmed cadence), fee 0.75% (BTC; 0.5% before)
// to the fund, residual loss shared pro rata (never used; the split is
// unconfirmed: Split). Source: Deribit
// support article 25944769313309 (Liquidations).
func PresetDeribit() *Preset {
	p := base(Deribit, "Deribit 2022-01-11", "https://support.deribit.com/hc/en-us/articles/25944769313309-Liquidations")
	p.Since = time.Date(2022, 1, 11, 0, 0, 0, 0, time.UTC)
	p.Trigger, p.Partial, p.Slice = Strict, Slice, dec("200")
	p.ClearanceFee, p.Socialise = dec("0.0075"), Clawback
	return p
}

// PresetDYDX returns dYdX v4's rules with the code defaults of
// v4-chain@84d4664b: strict trigger on the oracle (and only for a positive
// maintenance: State.Trigger), partial closes by notional
// (min notional 1,000 quantums = 0.001 USDC, max portion 100%, max notional
// 1e8 quantums = 100 USDC per block), IOC at the
// fillable price (BA 1, SMMR 10%), fund share capped at 0.5%, cyclic
// deleveraging at the bankruptcy price. Source: v4-chain@84d4664b
// protocol/x/clob/keeper/liquidations.go, x/clob/flags/flags.go.
func PresetDYDX() *Preset {
	p := base(DYDX, "dYdX v4", "v4-chain@84d4664b protocol/x/clob/keeper/liquidations.go")
	p.Trigger, p.Cancel, p.Partial = Strict, CancelNone, NotionalLimit
	p.OrderPrice = AtFillable
	p.BankruptcyAdjustment, p.SpreadToMaintenance = dec("1"), dec("0.1")
	p.MinNotional, p.MaxPortion, p.MaxNotional = dec("0.001"), dec("1"), dec("100")
	p.ClearanceFee = dec("0.005")
	p.FundRounding = derivmath.Floor
	p.ADL, p.ADLTrigger, p.ADLValidity = RankCyclic, ADLDeficit, true
	p.Fund = FundCrossIsolated
	return p
}

// PresetHyperliquid returns Hyperliquid's rules: strict trigger, market
// orders for the whole position or 20% above 100,000 USDC notional, no fee
// (third-party), ADL of profitable positions ranked by
// (mark/entry) x (notional/account value) at the mark (the previous mark or
// oracle: the caller sets it), shorts by the same mark/entry as printed
// (ShortRatio; the short variant is unconfirmed). Source:
// hyperliquid.gitbook.io/hyperliquid-docs trading/liquidations.
func PresetHyperliquid() *Preset {
	p := base(Hyperliquid, "Hyperliquid", "https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations")
	p.Trigger, p.Partial, p.Portion, p.PortionNotional = Strict, Portion, dec("0.2"), dec("100000")
	p.OrderPrice, p.ADL, p.ADLPrice, p.ADLTrigger = AtMarket, RankHyperliquid, ADLMark, ADLDeficit
	return p
}

// PresetDrift returns Drift's rules: strict trigger on the oracle, the
// account closes, the fund covers all but its last minor unit (and, with
// CapInsurance, at most MaxInsurance: unconfirmed per market, default no
// cap), and a remaining loss is socialised as a funding charge on every
// open position. Source: protocol-v2@0ae3e3b1 controller/liquidation.rs,
// math/liquidation.rs.
func PresetDrift() *Preset {
	p := base(Drift, "Drift", "protocol-v2@0ae3e3b1 programs/drift/src/controller/liquidation.rs")
	p.Trigger, p.OrderPrice, p.ADL, p.Socialise = Strict, AtMarket, RankIndex, DriftFunding
	return p
}

// PresetGMX returns GMX v2's ADL rules: strict trigger on the oracle, the
// position closes at market, ADL in the caller's order at the oracle.
// Source: gmx-synthetics contracts/adl/AdlUtils.sol, PositionUtils.sol.
func PresetGMX() *Preset {
	p := base(GMX, "GMX v2", "gmx-synthetics contracts/adl/AdlUtils.sol")
	p.Trigger, p.OrderPrice, p.ADL, p.ADLPrice = Strict, AtMarket, RankIndex, ADLMark
	return p
}

// Presets returns a fresh copy of every preset, in the order of the Venue
// constants.
func Presets() []*Preset {
	return []*Preset{
		PresetBitMEX(), PresetBinance(), PresetBybit(), PresetOKX(), PresetDeribit(),
		PresetDYDX(), PresetHyperliquid(), PresetDrift(), PresetGMX(),
	}
}
