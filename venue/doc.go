// Package venue holds what the exchange adapters share: an exact JSON
// decimal ([Decimal]), the error that names a payload's row and field
// ([FieldError]), the venue-neutral open position ([Position]) that each
// adapter converts its rows to, and the [Comparison] of a number the
// exchange reports with the one derivmath computes. Each adapter's
// Assemble function puts an account.Account together from the venue's
// payloads and returns those comparisons. The adapters themselves are its
// subpackages:
//
//   - [github.com/derivmath/derivmath/venue/bitmex]: BitMEX /instrument,
//     /position and /user/margin.
//   - [github.com/derivmath/derivmath/venue/binance]: Binance USD-M and
//     COIN-M exchangeInfo, positionRisk, leverageBracket, account,
//     premiumIndex and fundingInfo.
//   - [github.com/derivmath/derivmath/venue/bybit]: Bybit v5
//     instruments-info, position/list, wallet-balance, risk-limit and
//     tickers.
//
// # Numbers
//
// Exchanges write numbers as JSON strings ("0.003"), as JSON numbers
// (0.0065, 9.433e-5) or both in one payload. A [Decimal] reads either
// straight into an apd.Decimal, never through float64, so 0.0065 is
// exactly 0.0065 and 313.20000000000005 keeps its float noise for the
// caller to see. "No value" (null, "" or an absent key) leaves a Decimal
// unset, distinct from 0. Values beyond the library's range
// (derivmath.CheckDecimal: more than derivmath.MaxDigits significant
// digits, exponents beyond derivmath.MaxScale places) and spellings such as
// "NaN" or "Infinity" are errors, never panics.
//
// # Units and signs
//
// Decoded rows keep the exchange's own units and signs, documented on
// each field (BitMEX money in integer minor units, XBt = 0.00000001 XBT;
// Bybit sizes unsigned with a side). Conversions (an instrument's Spec, a
// position's [Position]) use the library's: quantities signed, long > 0,
// in the contracts of the instrument's contract.Spec; money in the
// settlement currency's major unit.
//
// # Rounding
//
// Decoding rounds nothing: a number is read with the digits the exchange
// wrote, and a value beyond the library's range is an error, not a
// rounded value. The conversions to the library's units are exact too
// (BitMEX's minor units divided by a power of ten, a contract size read as
// the multiplier). What derivmath computes for a [Comparison] is rounded
// as each adapter's Assemble says, as its exchange rounds it (BitMEX's and
// Bybit's prices to the tick toward the entry, Binance's left unrounded at
// the context's precision), and agrees with the exchange's figure within
// one unit of its last displayed digit ([AppendComparison]): a figure the
// exchange truncated or rounded for display still agrees, and a zero
// written without decimals is compared exactly.
//
// # Errors
//
// A decoder returns encoding/json's syntax error for malformed JSON (and
// bybit's decoders its *APIError for a response whose retCode is not 0)
// and otherwise a wrapped [*FieldError] that names the row (index and symbol)
// and the field, whose Err is [ErrMissing], [ErrType], [ErrNumber] or
// [ErrValue]. Unknown fields are ignored, so new exchange fields do not
// break a decoder. Flat position rows are not errors: each position
// decoder leaves them out and reports them as [Row] values.
//
// The conversions (an instrument's Spec, a bracket or risk-limit table's
// margin.Tiers, a row's [Position]) and each adapter's Assemble follow the
// same rule: a field the library refuses, or a hand-filled row that
// contradicts itself (a side that disagrees with the quantity's sign, a
// margin mode or position index out of range, a decimal that is not
// valid), is a wrapped [*FieldError] naming that field, whose Err is
// always one of the four sentinels, wrapping the library's own error where
// there is one (ErrNumber around derivmath's numeric sentinel, ErrValue
// around a margin, contract or account error), so that [errors.Is] finds
// both. Assemble also returns errors that belong to no field, as each
// adapter's Assemble lists them: derivmath.ErrContext for a nil context,
// the decoders' errors, account.Account's other errors as they are (a
// *margin.TierError among them), and, at bitmex, margin arithmetic on
// valid fields that does not fit the context (derivmath.ErrRange).
//
// # Sources
//
// Each adapter's documentation lists its exchange's API documents (the
// BitMEX API Explorer, Binance's derivatives API documentation, Bybit's v5
// API documentation). The payloads its tests decode, documentation
// examples and captured responses, are in its testdata/, whose README.md
// says where each file came from and what was edited.
//
// # Allocation and concurrency
//
// Decoding allocates (it parses JSON); it is not a hot path. Decoders keep
// no state: they may run concurrently, on the same payloads and in the
// same context. Decoded rows are plain values owned by the caller; their
// methods (such as bitmex's Instrument.Spec and binance's Brackets.Tiers)
// only read them, so goroutines may share a row that none modifies. A
// [Decimal]'s UnmarshalJSON is the one method that writes.
package venue
