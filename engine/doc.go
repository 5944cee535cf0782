// Package engine models what happens after a position's liquidation
// trigger, as deterministic steps over the accounts holding one contract:
//
//	S1 mark -> S2 trigger -> S3 cancel orders -> S4 step-down / partial ->
//	S5 takeover + liquidation order -> S6 insurance fund -> S7 ADL ->
//	S8 socialised loss
//
// Each venue's sequence is data, a [Preset] (PresetBitMEX, PresetBinance,
// PresetBybit, PresetOKX, PresetDeribit, PresetDYDX, PresetHyperliquid,
// PresetDrift, PresetGMX; [Presets] returns them all, [Preset.Validate]
// checks one filled in by hand): which rule each step applies and with which
// parameters. Rules a venue has not confirmed are preset fields with named
// defaults, never constants; their documentation says so.
//
// # Steps, intents and fills
//
// A [State] holds the traders (wallet, isolated margin, position, maintenance
// rate, risk tier, open orders), the insurance fund (balance and the
// inventory it took over), the fee ledger, the mark and the open order
// intents. Steps are methods: [State.Trigger] (S2), [State.Cancel] (S3),
// [State.StepDown] (S4), [State.Takeover] (S5), [State.Execute] (fills and
// S6), [State.ADL] (S7, when [State.MustADL] says so) and
// [State.Socialise] (S8). Each appends Events to the caller's slice and
// returns it. Time is not read: what depends on time (the mark's time to
// funding) is an argument; the only randomness, dYdX's deleveraging
// offset, comes from the caller's seed. The same state, preset, inputs and
// seed give the same events.
//
// [New] makes an empty State for one contract.Spec and Preset; [State.Add]
// adds a [Trader] (its open orders, [Order], included), [State.SetMark] and
// [State.SetFund] set the mark and the fund, and [State.Clone] copies the
// whole. [State.Trader], [State.Equity], [State.Total], [State.NetQty],
// [State.FundBalance] and [State.FeeBalance] read it. [State.AppendADLQueue]
// lists, as [Candidate] values with their scores, the queue [State.ADL] would
// close a holder's position against, in its order (ties per
// Preset.ADLTie). The formulas the steps apply are exported for callers
// who compute one alone: [Mark], the ADL scores ([ScoreBitMEX],
// [ScoreBinance], [ScoreOKX], [ScoreHyperliquid]), [BankruptQuote],
// [Fillable], [InsuranceDelta], [NotionalDYDX], [PartialOKX], [DriftBase],
// [DriftIfFee], [Drawdown] and [ClawbackRate].
//
// A step that trades does not trade: it returns an [Intent] (holder, side,
// quantity, limit or none, GTC/IOC/FOK, reduce-only) that the caller executes
// wherever it likes, on an orderbook.Book (package engine/drive does that) or
// elsewhere, and passes the fills back with [State.Execute] as [Fill] values;
// [State.Intent] reads an open intent, [State.Reprice] moves its limit and
// [State.Withdraw] gives it up. [State.ADL] fits the open intents of the
// traders it deleverages, and of the holder, to their positions: it cuts
// one that asks for more than is left (a Reduced event) and closes one
// whose holder is flat (Closed); a step-down toward a target (the
// StepDown and TierReduce rules) it cuts to what still lies above the
// target, and closes once ADL reached it, so that its fill leaves the
// position at the target, not below. The engine never imports the order
// book.
//
// # Ledger, units and signs
//
// Quantities are signed contracts (long > 0; a Fill's quantity is
// positive, its side the intent's), prices in the quote currency, money in
// the contract's settlement currency, rates as fractions (0.005 is 0.5%).
// A position is a quantity and a cost, BitMEX's posCost: the signed value
// at entry V(EP), V(P) = Q*m*P for linear and quanto contracts and -Q*m/P
// for inverse ones, so that the unrealised PnL at P is V(P) - Cost for
// every kind.
//
// Every money movement is an [Event] of kind Move or Trade: one amount,
// a whole number of the contract's minor unit (contract.Spec.Minor, which
// must be set), debited from one [Party] (a trader's Wallet, Margin or
// Position cost account, the fund's Wallet, the Fees ledger) and credited to
// another. A Trade moves the trade's value, V(q, price) rounded half-up to
// the minor unit as BitMEX rounds execCost, between the two positions' cost
// accounts; realised PnL moves from a position's cost account to its wallet
// or margin. So the sum of all ledgers, [State.Total], which equals
// Σ wallets + Σ uPnL(P) + fund + fees at every price P while the quantities
// sum to zero, is conserved exactly, to the minor unit, by every step.
// A movement that would not be exact at the context's precision fails with
// ErrInexact.
//
// # Maintenance
//
// A trader's maintenance is MMR x |V(Q, mark)| - Cum, never below zero
// ([Trader]'s MMR and Cum, per the preset's liquidation.Convention; at
// entry for BitMEX and Bybit). Under Binance's rules it is Binance's
// maintenance margin, notional x MMR - maintenance amount, with the rate
// and amount of the leverage bracket the notional at the mark falls in
// (Binance FAQ 360033525271, "Liquidation"): the preset's risk limits are
// the brackets, and a trader with a Tier takes its rate and amount from
// them wherever the engine reads a maintenance (the trigger, the
// liquidation price, the step-down, the ADL score), so that a mark move
// or a partial close into another bracket changes them
// ([State.Brackets]); its own MMR and Cum are a record of its bracket at
// entry or at the last step-down.
//
// # Rounding
//
// Trade values and realised PnL round half-up to the minor unit, trade by
// trade, as BitMEX books execCost; so the fund's gain on closing a position
// it took over (ΔIF: the value at the fill less the value at the bankruptcy
// price) is the difference of two rounded values: never negative for a fill
// at or better than bankruptcy, never positive for a worse one, but 0 for a
// fill better by less than about a minor unit of value, where rounding ΔIF
// itself up, in the fund's favour (a derived rule no venue confirms), would
// give the fund one. That holds for a close in one fill. A close in several
// fills books each fill's value, and the fund's realised PnL against its
// share of the takeover's value, each rounded half-up, so each fill's gain
// may be off its exact value by about a minor unit either way, and near the
// bankruptcy price even of the other sign (TestFundGainSign); the totals
// stay exact. Clearance fees round per Preset.FundRounding (default up, in
// the fund's favour; unconfirmed), then are capped at the margin left above
// bankruptcy rounded down (a fee never makes an account bankrupt);
// bankruptcy prices per Preset.PriceRounding (toward the entry at BitMEX
// and Bybit); dYdX's bankruptcy quote floors its quotient (the quote rounds
// up) and its fund share floors the fee cap, as its code does; clawback
// charges, profit*loss/Σ profits multiplied before dividing, round up once
// (the fund ends whole; the excess stays with it), Drift's per-contract
// charge up (the excess goes to the fund), and a fee reserve scaled to a
// trader's new quantity up, as BitMEX's posComm is ([Trader]'s FeeReserve).
//
// # Unconfirmed rules
//
// These preset fields hold a default that the venue has not confirmed (a
// cut-off page, a third-party copy, or two texts that disagree); set them
// when you know better:
//
//   - Trigger: Binance's equality (default NonStrict, E <= MM).
//   - Cancel for OKX, Deribit, dYdX, Hyperliquid and Drift (default
//     CancelAll; dYdX CancelNone).
//   - Slippage, the step-down order's size model (default 0: fill at the
//     mark); the step-down target of Binance (the same walk as BitMEX's);
//     RiskLimits: BitMEX's and Bybit's tables are copies (load the live ones).
//   - CapInsurance and MaxInsurance, Drift's per-market cap on what its
//     fund pays toward bankruptcies (default false: no cap; the fund's
//     last minor unit is always kept, as documented).
//   - Slice, Deribit's slice (default 200, was 10); Split, how Deribit's
//     clawback shares a residual loss among the winners (default
//     SplitProRata, one rate of profit for all, as OKEx's).
//   - OrderPrice for OKX (AtMarket: the offset is unknown).
//   - FeeAtMark, Binance's fee base (default false: the fill);
//     FundRounding (default Ceiling, the fund's favour; dYdX Floor, as its
//     code does); LeftoverShare, Binance's share of what is left (default 0).
//   - ADL for Bybit (RankBitMEX: Bybit's formula is cut off) and OKX
//     (RankOKX, third-party); BinanceFloor, Binance's max(1, WB) (default
//     true); ADLPrice for Hyperliquid (ADLMark: the previous mark or oracle,
//     which the caller sets); ShortRatio, the price ratio of a short's
//     Hyperliquid score (default ShortMarkOverEntry, mark/entry as printed
//     for both sides); ADLTie, the order of candidates of equal score
//     (default TieLowerIndex, the lower trader index first).
//   - Mark for Bybit's perpetuals, OKX, Deribit and Hyperliquid (MarkInput:
//     the caller's mark).
//   - Fund, the fund's scope, where the venue publishes none (BitMEX,
//     Deribit, Hyperliquid, Drift, GMX: FundContract) and Binance's
//     per-contract funds (2019).
//   - ADLTrigger's ratios: Bybit's ADLRatio -0.3, ADLStop -0.25 and
//     ADLThreshold 10,000 are its API example's per-symbol values; OKX's
//     30% drop has third-party variants; Deribit, Drift and GMX deleverage
//     any remainder (ADLRemainder).
//
// # Not modelled
//
// The engine is one contract's sequence, one step at a time. It does not
// model, and a caller who needs them must add:
//
//   - dYdX's per-block caps: MinNotional, MaxPortion and MaxNotional
//     bound each StepDown call, but there are no blocks, so nothing stops a
//     caller from calling again in the same block; nor is the fund's
//     loss capped per subaccount and block (MaxQuantumsInsuranceLost,
//     x/clob/flags/flags.go): a fill is refused only when the fund cannot
//     pay. (Its deleveraging validity rule is modelled:
//     Preset.ADLValidity.)
//   - dYdX's per-block counts: at most 50 liquidations from a pseudorandom
//     offset, 10 deleveragings and 500 subaccounts examined per block.
//   - Hyperliquid's backstop: below 2/3 of maintenance the liquidator vault
//     takes the positions and margin; here the account closes at market.
//     Nor its 30-second cooldown after a 20% partial (Portion), during which
//     further orders may close the whole position: each StepDown call
//     sizes its close alone.
//   - OKX's liquidation fee in its trigger: a third-party copy gives E /
//     value <= MMR + f_liq (a fee rate such as 0.05%); the engine triggers
//     on E <= MM for OKX as for the others, with no f_liq term. A caller
//     who wants it adds f_liq to the traders' MMR.
//   - ADL indicators: BitMEX's five lights (20% steps by rank) and
//     Binance's adlQuantile (0 to 4 per side, every 30 seconds).
//     [State.AppendADLQueue] gives the queue State.ADL would close, ranked
//     by the preset's score and tie rule; turning a rank into a bucket,
//     and the buckets' own tie rule, is the caller's.
//   - Drift's liquidator: DriftBase and DriftIfFee compute the liquidator's
//     size and the fund's fee, but the steps book neither the liquidator's
//     fee nor a transfer to a liquidator account.
//   - Fund scopes, in part: Preset.Fund names each venue's scope (OKX by
//     business line and underlying, Bybit's grouped pools, dYdX's cross
//     fund plus one per isolated market), but a State holds one fund; a
//     caller running several contracts that share a fund must keep one
//     ledger across their States.
//   - ADL triggers, in part: [State.MustADL] answers "must ADL run now?"
//     by the preset's ADLTrigger (a fund at or below zero, BitMEX's
//     unfilled inventory once the mark reaches its bankruptcy price,
//     Bybit's and OKX's drawdown, Binance's net-notional cap, dYdX's and
//     Hyperliquid's negative equity), but the fund's 8-hour peak and
//     whether ADL is already running are the caller's inputs
//     ([ADLInputs]); a Binance remainder the fund could hold stays with
//     the account (no fund takeover where the account closes); GMX's
//     pnlToPoolFactor is not modelled (ADLRemainder).
//   - Trading fees: the Fees ledger exists but no step charges a taker or
//     maker fee; the clearance fee goes to the fund. Its price base is the
//     fill or, with Preset.FeeAtMark, the mark; the bankruptcy price, a
//     third reading of Binance's unconfirmed P_base, is not offered.
//   - Binance's Price2-only mark fallback, and the fund's net-notional limit.
//
// # Errors
//
// Bad input is data: sentinels in errors.go (ErrPreset, ErrTable,
// ErrInconsistent, ErrNegativeFund, ErrUnknownIntent, ErrIntentOpen, ErrLimit, ErrOverfill,
// ErrMaker, ErrNoCounterparty, ...), derivmath's numeric sentinels and the
// contract and liquidation packages'. A condition that the context traps
// in a formula of formula.go is returned as apd reports it, wrapped with
// the function's name ("engine: score okx: inexact"), or with
// derivmath.Round's ("derivmath: round: inexact") where BankruptQuote,
// InsuranceDelta and NotionalDYDX round to the minor unit; sentinels are
// not wrapped, and Mark's funding rules return funding's errors as they
// are. Where a method's Errors name "arithmetic errors", they are
// derivmath.ErrRange (a result, or an amount the step needs exactly,
// beyond the context's precision or derivmath's range), ErrInexact (a
// ledger movement not exact at the context's precision) and a condition
// the context traps, as apd reports it.
// A step that fails changes nothing: every value its movements overwrote
// is restored as it was, in form too (1, not an equal 1.0000000), and dst
// is returned as it was. Nothing panics on data; the
// preset constructors panic only if their own constants were wrong.
//
// # Allocation
//
// At the default precision (derivmath.NewContext) and in the steady state,
// nothing on the liquidation path allocates: the formulas (Mark, the
// scores, BankruptQuote, Fillable, InsuranceDelta, the Drift, OKX and dYdX
// sizes, Drawdown, ClawbackRate), State.SetMark, Equity, Total, NetQty
// and MustADL, and the steps Trigger, Cancel, StepDown, Takeover, Execute, ADL and
// Socialise when dst has room for the events they append, and
// AppendADLQueue when dst has room for the queue, under every ranking:
// the formulas and every quotient of the steps compute on internal/num,
// which divides without allocating where a quotient does not terminate
// (for values whose coefficients fit 64 bits; wider ones, up to
// derivmath's 50 digits, are computed by apd, which may allocate). The
// steady state
// is a State whose internal slices have grown to their working size: New
// makes room for four open intents and for the values a step of a few
// fills overwrites (kept until the step ends, so that a failure can
// restore them; a longer step grows that room once), ADL's ranking grows
// to the number of candidates on its first call and is reused after, and
// Clone keeps the capacities of its source. What allocates: New, Add (the
// trader and its orders are copied), Clone, Event.String and the String
// methods, and a dst without room. alloc_test.go enforces this, counting
// every allocation of each row's runs (not testing.AllocsPerRun's
// rounded-down average); bench_test.go measures the steps. Medians of
// benchstat over 6 runs (-benchtime 200ms) on a 2-core AMD EPYC,
// 2026-12-05 at 1bd85b8, the test
// binary of ceca08a run in turn with it: Trigger 0.21 to 0.37 us (dYdX's
// the most), Takeover 0.46 to 1.5 us, Execute of two fills 1.9 us (BitMEX)
// and 3.9 us (Binance, with its clearance fee), an ADL against four
// candidates 4.7 us, Total of six traders 0.95 us. Against ceca08a,
// Takeover is 6 to 22% slower (BitMEX's the most) and Binance's Execute
// 16% (not profiled; since then a failed step restores the values it
// wrote from a log, and Binance's maintenance takes the bracket at the
// mark); the rest is unchanged within the noise.
//
// # Concurrency
//
// There is no package-level mutable state. A State is not safe for
// concurrent use. Presets and Specs are only read and may be shared.
//
// # Sources
//
// BitMEX: Liquidation (https://www.bitmex.com/app/liquidation),
// Auto-Deleveraging (https://www.bitmex.com/app/autoDeleveraging), Fair Price
// Marking (https://www.bitmex.com/app/fairPriceMarking). Binance: liquidation
// FAQ 360033525271, ADL FAQ 360033525471, mark price FAQ and the announcement
// of 2025-09-16 (30 s basis window from 2025-09-18). Bybit: help 900000167723,
// API v5 ADL alert (https://bybit-exchange.github.io/docs/v5/market/adl-alert).
// OKX: help 360020411711 (forced partial or full liquidation). Deribit:
// support article 25944769313309 (Liquidations). dYdX v4: v4-chain@84d4664b,
// x/clob/keeper/liquidations.go, deleveraging.go. Hyperliquid: docs,
// Liquidations. Drift: protocol-v2@0ae3e3b1, math/liquidation.rs and
// controller/liquidation.rs. GMX v2: gmx-synthetics contracts/adl/AdlUtils.sol.
package engine
