package num

import (
	"math"
	"math/bits"
	"unsafe"

	"github.com/cockroachdb/apd/v3"
)

// A Cut is a Dec prepared for comparisons with prices of one exponent by
// word operations alone, in a call that inlines: [CutAt] makes it once,
// [Cut.CmpPrice] compares each price (a bot's "is the mark past the
// threshold", where the threshold is held and the mark changes, and its
// exponent is the feed's). [Cut.Within] narrows the prices it answers
// for to one side of another Dec. The zero Cut declines every price.
type Cut struct {
	// A price c*10^e is below the Dec when c < lo, above it when c > hi,
	// and equal to it otherwise: lo and hi are the ceiling and floor of
	// the Dec / 10^e. The Cut answers for c in [from, from+span] (from is
	// 1 but after Within: a zero price is not valid).
	lo, hi     uint64
	from, span uint64
	e          int32
	ok         bool
}

// CutAt returns p prepared for prices of exponent e; a Cut that declines
// every price when p is not small, e is not a valid input's exponent, or
// p / 10^e does not fit a word.
func CutAt(p Dec, e int32) Cut {
	t := Cut{from: 1, span: math.MaxUint64 - 1, e: e, ok: true}
	switch s := p.e - e; {
	case p.big != nil || uint32(e+MaxScale) > 2*MaxScale || !inlineLayout:
		return Cut{}
	case p.neg || p.c == 0:
		// Every price is above.
	case s <= -20:
		// p < 10^(p.e+20) <= 10^e (a word has at most 20 digits).
		t.lo, t.hi = 1, 0
	case s < 0:
		q, r := bits.Div64(0, p.c, pow10[-s])
		t.lo, t.hi = q+min(r, 1), q
	default:
		hi, lo := bits.Mul64(p.c, pow10pad[s&31])
		if s >= 20 || hi != 0 {
			return Cut{}
		}
		t.lo, t.hi = lo, lo
	}
	return t
}

// Within narrows the prices t answers for to those at or above g (above)
// or at or below it: t declines the others, and every price when g / 10^e
// does not fit a word at t's exponent e (see CutAt).
func (t *Cut) Within(g Dec, above bool) {
	b := CutAt(g, t.e)
	lo, hi := t.from, t.from+t.span
	if above {
		lo = max(lo, b.lo)
	} else {
		hi = min(hi, b.hi)
	}
	if !b.ok || hi < lo {
		*t = Cut{}
		return
	}
	t.from, t.span = lo, hi-lo
}

// CmpPrice is [Ctx.CheckPrice] of x, then x.Cmp(d) for the Dec d of t, in one
// pass: when x is a valid price held in a word at t's exponent, among
// those t answers for (see [Cut.Within]), it returns the comparison and
// true; otherwise false, and the caller takes the general path (which also
// reports x's error).
func (t *Cut) CmpPrice(x *apd.Decimal) (int, bool) {
	// t.ok implies inlineLayout.
	w := (*bigIntLayout)(unsafe.Pointer(&x.Coeff))
	xc := uint64(w.inline[0])
	if w.inner != nil || w.inline[1] != 0 || x.Form != apd.Finite || x.Negative || x.Exponent != t.e || xc-t.from > t.span || !t.ok {
		return 0, false
	}
	r := 0
	if xc > t.hi {
		r = 1
	}
	if xc < t.lo {
		r = -1
	}
	return r, true
}
