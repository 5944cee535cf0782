package markindex

// InnerLevels returns how many inner nodes each level of x's trees holds,
// lo's (the keys' Lo) and hi's (their Hi), from the leaves' parents (index
// 0) up to the root; none for a tree of one leaf. TestAllocsInnerNodes
// checks with it that innerCases's rows split and merge inner nodes.
func (x *Index) InnerLevels() (lo, hi []int) { return x.lo.innerLevels(), x.hi.innerLevels() }

func (t *tree) innerLevels() []int {
	n := make([]int, t.height)
	if t.height > 0 {
		t.countInners(n, t.root, 0)
	}
	return n
}

// countInners counts inner node h, at depth d below the root, and those
// under it into n, indexed from the leaves' parents up.
func (t *tree) countInners(n []int, h int32, d int) {
	n[t.height-1-d]++
	if d+1 == t.height {
		return
	}
	x := &t.inners[h]
	for i := range x.n {
		t.countInners(n, x.kids[i], d+1)
	}
}
