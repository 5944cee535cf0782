// Package bitmex decodes BitMEX's REST payloads into exact decimals and the
// library's types.
//
//   - [DecodeInstruments]: GET /api/v1/instrument (and /instrument/active)
//     into [Instrument] rows; [Instrument.Spec] gives a contract.Spec and
//     [Instrument.Steps] the stepped risk-limit schedule (margin.Steps).
//   - [DecodePositions]: GET /api/v1/position (and the websocket position
//     table) into [Position] rows, flat rows reported apart;
//     [Position.Position] gives a venue.Position.
//   - [DecodeMargins]: GET /api/v1/user/margin into [Margin] rows.
//   - [Assemble]: the three payloads into an account.Account, with the
//     exchange's liquidation, bankruptcy and margin fields beside
//     derivmath's (venue.Comparison).
//
// # Units and signs
//
// BitMEX keeps money as integers in the minor unit of the currency code:
// XBt is 0.00000001 XBT (a satoshi), USDt is 0.000001 USDT; the case
// matters. This covers posCost, posInit, posComm, posMargin, posMaint,
// markValue, the PnL and balance fields, riskLimit and riskStep. The rows
// keep these integers; [Unit] and [Major] convert them, and the conversions
// to library types ([Instrument.Spec], [Instrument.Steps],
// [Position.Position]) do it for you. Prices are in the quote currency and
// rates are fractions (initMargin 0.01 is 1%).
//
// An instrument's multiplier is signed: value = multiplier*qty/P (inverse,
// multiplier < 0: XBTUSD -100000000, so a long's value is negative) or
// multiplier*qty*P (linear XBTUSDT 1, quanto ETHUSD 100), in settlement
// minor units. The library's multiplier is positive and in major units
// (XBTUSD m = 1 USD; XBTUSDT and ETHUSD m = 0.000001); the side of a
// position is the sign of currentQty, never of posCost.
//
// # Quirks handled
//
//   - JSON numbers throughout, including integers beyond 2^53
//     (prevTotalTurnover) and float noise (101525.90000000001): read exactly.
//   - null and absent keys are the same ("no value"); newer responses omit
//     null fields.
//   - fundingInterval is a duration written as a timestamp:
//     "2000-01-01T08:00:00.000Z" is 8 hours. (BitMEX spells
//     sessionInterval the same way; it is not read.)
//   - quoteToSettleMultiplier on quanto rows is a live exchange rate (1017
//     XBt per USD in the sample), not a unit: it is decoded but not used.
//   - Closed positions (currentQty 0) have null avgEntryPrice and prices:
//     they are reported as flat, not as errors.
//   - crossMargin true: the position is cross, whatever leverage says (it
//     shows the maximum, 100).
//   - A liquidation or bankruptcy price of 0, null or at or above the
//     instrument's maxPrice (100000000 is BitMEX's "never") means none.
//   - /user/margin returns one object without ?currency= and an array with
//     currency=all: both decode.
//   - A position's maintMargin is its margin equity (posMargin +
//     unrealisedPnl), not its requirement (posMaint).
//
// # Rounding
//
// Decoding and the conversions round nothing: [Major] divides a whole
// number of minor units by a power of ten, exactly, and [Instrument.Spec]
// turns the signed multiplier into the library's exactly. [Assemble]
// rounds what BitMEX rounds: its liquidation and bankruptcy prices to the
// instrument's tick, toward the entry (liquidation.TowardEntry), and the
// integer margin fields (posInit, posComm, posMaint) up to the minor unit,
// by margin.BitMEXPosition; a comparison agrees within one unit of the
// figure's last digit (1 XBt for money).
//
// # Errors
//
// See package venue: a wrapped *venue.FieldError names the row and field,
// its Err a venue sentinel (wrapping the library's error where one refused
// the field, as [Assemble] does with margin's and contract's errors);
// [ErrCurrency] reports a currency code whose minor unit is unknown.
// [Assemble] lists the errors that name no field, among them
// derivmath.ErrRange where the margin arithmetic on valid fields does not
// fit the context.
//
// # Sources
//
// BitMEX API Explorer, https://www.bitmex.com/api/explorer/ (Instrument,
// Position, User.getMargin); the field notes of
// https://github.com/BitMEX/api-connectors (auto-generated docs
// Instrument.md, Position.md, Margin.md); BitMEX support pages
// "/instrument field definitions" and "/position field definitions",
// https://support.bitmex.com; the perpetual contracts guide,
// https://www.bitmex.com/app/perpetualContractsGuide, and the risk limits
// page, https://www.bitmex.com/app/riskLimits.
package bitmex
