// Package binance decodes Binance USDⓈ-M (fapi) and COIN-M (dapi) futures
// payloads into exact decimals and the library's types.
//
//   - [DecodeSymbols]: exchangeInfo (the whole response, its symbols, or
//     one symbol) into [Symbol] rows; [Symbol.Spec] gives a contract.Spec.
//   - [DecodePositionRisk]: positionRisk (USD-M v2 and v3, COIN-M) into
//     [PositionRisk] rows, flat rows reported apart;
//     [PositionRisk.Position] gives a venue.Position.
//   - [DecodeBrackets]: leverageBracket into [Brackets];
//     [Brackets.Tiers] gives a margin.Tiers.
//   - [DecodeAccount]: the account endpoint into an [Account].
//   - [DecodePremiumIndex]: premiumIndex (mark, index, funding rate).
//   - [DecodeFundingInfo]: fundingInfo (funding interval hours, caps).
//   - [Assemble]: exchangeInfo, positionRisk, leverageBracket and account
//     into an account.Account, with the exchange's liquidation prices, PnL
//     and margins beside derivmath's (venue.Comparison). Margin mode and
//     leverage that positionRisk v3 lacks are options.
//
// # Units and signs
//
// USD-M contracts are linear: quantities in the base asset (multiplier 1),
// money in the margin asset (USDT, USDC). COIN-M contracts are inverse:
// quantities in contracts of contractSize USD (100 for BTCUSD_PERP), money
// in the coin. positionAmt and notional are signed (short < 0) in one-way
// and hedge mode alike. Rates are fractions, except exchangeInfo's
// maintMarginPercent and requiredMarginPercent, which are percent and
// which Binance says to ignore.
//
// # Quirks handled
//
//   - Amounts are JSON strings, but every value in leverageBracket, and
//     contractSize, timestamps and small integers, are JSON numbers: both
//     read exactly. cum may be float-spelled (0.0, 50.0).
//   - "No value" is "0", "0.0" or "0.00000" (liquidationPrice "0" is none,
//     entryPrice "0.0" flat) and, on COIN-M delivery contracts in
//     premiumIndex, "" (unset).
//   - Every real positionRisk holds flat rows: reported, not errors.
//   - Hedge mode: positionSide BOTH, LONG, SHORT; a SHORT row's positionAmt
//     is negative, and a leg whose sign contradicts its side is an error.
//     COIN-M returns BOTH rows beside LONG and SHORT.
//   - positionRisk v3 has no leverage or marginType (they moved to
//     /fapi/v1/symbolConfig): the position's mode is then unknown (0).
//   - isAutoAddMargin is the string "false" in v2 and a boolean elsewhere;
//     marginType is "isolated"/"cross" in REST and "ISOLATED"/"CROSSED" in
//     the user data stream; the undocumented "isolated" boolean, when
//     present, must agree with it.
//   - COIN-M: the status key is contractStatus; brackets are bounded by
//     qtyFloor/qtyCap in the coin (the documentation spells qtylFloor; both
//     are read), v1 keys them by pair (Assemble looks a symbol's brackets
//     up by its pair when none are keyed by the symbol).
//   - exchangeInfo filters are read by filterType in any key order;
//     MIN_NOTIONAL's key is notional. Use PRICE_FILTER.tickSize and
//     LOT_SIZE.stepSize, not the precisions.
//   - deliveryDate 4133404800000 (2100-12-25) marks a perpetual.
//   - A COIN-M cross position has been seen with liquidationPrice "0"
//     while open: "0" does not always mean "never" there.
//
// # Rounding
//
// Decoding and the conversions round nothing. Binance reports its figures
// with 8 decimals, truncated toward zero; [Assemble] computes derivmath's
// unrounded (liquidation.Exact, at the context's precision) and counts
// them as agreeing when they differ by less than one unit of the
// exchange's last displayed decimal, so that 55380.72289156 agrees with
// 55380.72289156626506.
//
// # Errors
//
// See package venue: a wrapped *venue.FieldError names the row and field,
// its Err a venue sentinel (wrapping the library's error where one refused
// the field: [Brackets.Tiers]' margin error, [Assemble]'s account error).
// [Assemble] lists the errors that name no field.
//
// # Sources
//
// Binance derivatives API documentation,
// https://developers.binance.com/docs/derivatives/usds-margined-futures/
// (Exchange Information, Position Information V2 and V3, Notional and
// Leverage Brackets, Account Information V2 and V3, Mark Price, Get
// Funding Rate Info) and
// https://developers.binance.com/docs/derivatives/coin-margined-futures/
// (Exchange Information, Position Information, Notional Bracket for
// Symbol, Account Information, Index Price and Mark Price).
package binance
