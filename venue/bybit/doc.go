// Package bybit decodes Bybit v5 payloads for linear and inverse contracts
// into exact decimals and the library's types.
//
//   - [DecodeInstruments]: /v5/market/instruments-info into [Instrument]
//     rows; [Instrument.Spec] gives a contract.Spec.
//   - [DecodePositions]: /v5/position/list and the websocket position
//     topic into [Position] rows, flat rows reported apart;
//     [Position.Position] gives a venue.Position.
//   - [DecodeWalletBalance]: /v5/account/wallet-balance into [Wallet] rows.
//   - [DecodeRiskLimits]: /v5/market/risk-limit into [RiskLimit] rows;
//     [Tiers] gives one symbol's margin.Tiers.
//   - [DecodeTickers]: /v5/market/tickers into [Ticker] rows.
//   - [Assemble]: instruments-info, position/list, risk-limit and
//     wallet-balance into an account.Account, with the exchange's prices
//     and margins beside derivmath's (venue.Comparison). The margin mode
//     and the taker rate, which the payloads lack, are options.
//
// # Units and signs
//
// Linear: sizes in the base coin, money in the settle coin (USDT, USDC).
// Inverse: sizes in USD contracts, money (positionValue, positionIM,
// positionMM, unrealisedPnl, riskLimitValue) in the coin. Both convert to
// a contract.Spec with multiplier 1. A position's size is unsigned; its
// side gives the sign. Rates are fractions; account-level wallet totals
// are in USD.
//
// # Quirks handled
//
//   - The envelope {"retCode","retMsg","result":{"category","list"}}: a
//     retCode other than 0 is an [*APIError].
//   - Almost every value is a string, timestamps included; positionIdx,
//     riskId, fundingInterval (minutes), id and isLowestRisk are numbers.
//   - "" means no value (liqPrice, bustPrice, mmDeduction,
//     deliveryFeeRate, a CONTRACT account's totals): unset, not 0.
//   - side is "Buy", "Sell", "" or "None" (the last two for an empty
//     position, in UTA and classic accounts); empty positions are reported
//     as flat. positionIdx 1 must be Buy and 2 Sell when open.
//   - The websocket position topic spells avgPrice entryPrice; both are
//     read. mmrSysUpdateTime and mmrSysUpdatedTime are both ignored.
//   - tradeMode is deprecated (always 0 in UTA): the margin mode is an
//     argument of [Position.Position].
//   - A liqPrice at the instrument's minPrice ("0.0001" in 2023 responses)
//     means the position cannot be liquidated.
//   - The risk-limit documentation's example writes rates in percent; the
//     responses in fractions. [Tiers] checks initialMargin*maxLeverage = 1
//     to tell them apart.
//   - Fields are added over time (upperFundingRate, riskParameters,
//     positionIMByMp): unknown keys are ignored and missing optional ones
//     unset.
//
// # Rounding
//
// Decoding and the conversions round nothing. [Assemble] rounds the
// liquidation and bankruptcy prices as Bybit does, to the instrument's
// tick toward the entry (liquidation.TowardEntry), and a comparison agrees
// within one unit of the exchange's last displayed decimal (a tick for
// prices).
//
// # Errors
//
// See package venue: a wrapped *venue.FieldError names the row and field,
// its Err a venue sentinel (wrapping the library's error where one refused
// the field), and every decoder returns an [*APIError] for a response whose
// retCode is not 0. [Assemble] lists the errors that name no field.
//
// # Sources
//
// Bybit v5 API documentation, https://bybit-exchange.github.io/docs/v5/
// (market/instrument, position, account/wallet-balance, market/risk-limit,
// market/tickers, websocket/private/position), maintained at
// https://github.com/bybit-exchange/docs.
package bybit
