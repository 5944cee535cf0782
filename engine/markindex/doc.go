// Package markindex finds, on each mark price of a contract, the positions
// and accounts whose liquidation trigger the mark may have crossed, among
// millions, without a scan: the trigger (S2 of package engine) at scale.
//
// An [Index] holds one contract's entries, each an [ID] with a [Key]: the
// entry is a candidate when the mark is at or below Key.Lo or at or above
// Key.Hi. An isolated long's liquidation price goes in Lo, a short's in Hi;
// an account liquidatable at every price (liquidation.Always) or already
// liquidatable has the Key [Now] and fires at once; one liquidatable at no
// price (liquidation.Never) has the zero Key and is not indexed. A cross
// account has a Key on each contract it holds ([Cross], one [Leg] per
// contract, each naming that contract's Index): the mark of that
// contract at which it becomes liquidatable with the other marks at the
// worst edge of a band around their present values, combined by [Key.Or]
// with that contract's own band, so that a move of any of its marks past
// its band fires it for a re-key. [Index.Tick] (or [Index.TickUnits], for
// a mark already in units) appends the candidates to a caller's slice; the
// caller confirms each one with the exact check
// (liquidation.Solver.Liquidatable, account.Account.Liquidatable) and
// re-keys the false positives ([Index.Upsert]); it re-keys an entry, too,
// on any change to its inputs (a fill, a margin transfer, a tier, funding,
// a fee reserve, a leverage), and removes a closed one ([Index.Remove]).
//
// # Units, signs, rounding and the conservative-key rule
//
// Keys are int64 counts of the Index's unit, a price fixed by [New] (the
// contract's tick, or a finer step), so that the hot path compares machine
// words. A decimal price p becomes units exactly, on integers: a long's key
// is ceil(p/unit) ([Index.Below]) and a short's floor(p/unit)
// ([Index.Above]), rounded toward firing earlier; a mark m fires Lo when
// ceil(m/unit) <= Lo and Hi when floor(m/unit) >= Hi. So a key never fires
// later than the price it was made from, and at most one unit earlier. The
// helpers [Index.Solver], [Index.Position] and [Cross] solve the exact
// liquidation price (liquidation.Exact, at the context's precision) and
// widen the key by one more unit, so that a price rounded to 19 digits on
// the wrong side of a unit boundary still fires no later than the exact
// check: keys may fire early, never late. A long whose key would pass the
// last unit an int64 counts gets [Now], which fires at every mark Tick
// accepts. Quantities are signed (long > 0), prices are in the quote
// currency, as everywhere in derivmath.
//
// A key bounds one side of the mark only, and is correct for accounts that
// are liquidatable on one side: every account but hedge mode with tiers
// under the Binance convention, whose maintenance grows faster than its net
// exposure and which may be liquidatable both below and above the mark
// ([ErrTwoSided]; the caller checks those on every tick).
//
// # Order of hits
//
// Same-tick hits come in a deterministic [Order]: [Deepest] (the key the
// mark has passed by the most units first, the most under water by price)
// or [ByKey] (each side from its farthest key); ties go to the smaller ID.
//
// # Complexity, allocation and memory
//
// Each Index holds two B+ trees of (key, ID) entries, one by Lo and one by
// Hi, with nodes in slabs recycled through free lists, and a map from ID to
// Key. Upsert and Remove are O(log n); a tick is O(1 + k) for k hits (both
// trees are walked from their ends), so O(log n + k) holds with room to
// spare. Ticks allocate nothing when dst has room and the mark's
// coefficient fits 64 bits (19 digits, as exchanges' prices do; a longer
// one, such as 50000.3 written with 24 more zeros, is validated on apd's
// path, which allocates), and re-keys allocate nothing once the Index has
// reached its size (TestAllocs). Measured on the 2-core development
// machine (go test -bench 'TickNoHit|Hit$|TickHits' -benchtime 100ms
// -count 10, benchstat medians, 2026-12-05 at c2540b9; memory from
// BenchmarkBuild the same day), with n isolated positions and n/10 cross
// accounts on one contract:
//
//	n                            10k       100k      1M
//	tick, no hit (decimal mark)  26 ns     20 ns     20 ns
//	tick per hit (100 hits)      4.2 ns    4.2 ns    4.3 ns
//	hit and its re-key           290 ns    352 ns    617 ns
//	memory per entry             72 B      66 B      80 B
//
// A re-key with [Index.Position] or [Cross] adds the cost of the solve
// (account.Account.Report; Cross also moves the account's marks, O(legs *
// positions)).
//
// # Sources
//
// No exchange publishes its index: the structure and the conservative-key
// rule are derivmath's. What a key stands for is the trigger of package
// engine (S2, with its sources) and the exact liquidation price of package
// liquidation; the tests check the index against a brute-force scan of
// every account after each action (model_test.go, a rapid state machine),
// and examples/crash checks on every tick of its crash that the index
// missed no liquidatable account.
//
// # Errors and concurrency
//
// Bad input returns a documented sentinel ([ErrOrder], [ErrRange],
// [ErrTolerance], [ErrMode], [ErrLegs], [ErrTwoSided]) or derivmath's, the
// liquidation and the account packages' errors; nothing panics on data and
// a failed call changes nothing (Cross puts the marks it moved back). An
// Index is not safe for concurrent use: one writer per contract. Its reads
// (ticks, lookups, keying a price with Below and Above) only read it, so
// goroutines may share an Index that none modifies; Position and Solver
// also use the Account or Solver they are given, which are not safe to
// share.
package markindex
