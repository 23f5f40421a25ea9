package compile

import (
	"math"
	mathbits "math/bits"
	"sort"
)

// A plan is a decision tree over a partition of the 32-bit number line into
// segments, each with a leaf (what to do with those numbers). The optimised
// compiler uses it twice: to dispatch on the syscall number, and to test an
// argument against a value set.
//
// Three kinds of node are allowed:
//
//   - split: "jge lo(m)" sends segments m.. right and the others left;
//   - chain: when every segment of a run but single numbers has the same
//     leaf C, a chain of "jeq v" picks out the single numbers (hottest
//     first) and falls to C. A single number between two runs of C then
//     costs one instruction instead of two splits.
//   - hoist: "jeq v" on a hot single number first; below it v is a
//     don't-care, so its neighbours may merge (close between open and
//     stat), and further hot numbers may be hoisted in turn.
//
// The tree minimises mean depth (weighted by each segment's share of the
// calls) plus lambda per instruction, subject to a bound on the longest
// path: a segment's depth plus its leaf's own longest path (extra) never
// exceeds the bound. The bound is the smallest one any tree meets plus a
// slack, and at least a floor.

// seg is one run of numbers [lo, hi] with one leaf.
type seg struct {
	lo, hi uint32
	leaf   int     // index of the leaf; equal leaves must not be adjacent
	w      float64 // share of the calls, any scale
	extra  int     // longest path of the leaf's own code
}

func (s seg) single() bool { return s.lo == s.hi }

// node kinds of a plan.
const (
	pLeaf  = iota // one segment
	pSplit        // jge segs[m].lo
	pChain        // jeq on each exception, then the chain's leaf
	pHoist        // jeq on one hot single number, then a tree over the rest
)

// pnode is a planned (sub)tree over segs[i..j].
type pnode struct {
	kind        int
	i, j        int
	m           int    // pSplit: first segment of the right side
	left, right *pnode // pSplit
	leaf        int    // pChain: the leaf the chain falls to
	exceptions  []int  // pChain: segment indexes tested by jeq, in order
	k           int    // pHoist: the segment tested by jeq
	rest        *pnode // pHoist: the tree over restSegs
	restSegs    []seg  // pHoist: the segments rest indexes (the same as the parent's)
}

// A hoisted number is excluded from the run below its jeq: no call with it
// gets there, so it is a don't-care and its neighbours may share a leaf.
// States of the search are (i, j, excluded, depth left); excluded is a
// bitmask over the run's hot single numbers, so several may be hoisted,
// one under the other.
const (
	hoistShare = 0.02 // the least share of the calls worth hoisting
	maxHot     = 6    // hot single numbers considered for hoisting
)

const exactPlanLimit = 96 // segments above which a greedy plan is used

// planner memoises the bounded-depth optimum over sub-runs of segs.
type planner struct {
	segs   []seg
	pre    []float64 // prefix sums of normalised weights
	lambda float64
	maxExc int // longest chain considered
	bound  int
	hoist  bool
	hotBit []uint32 // per segment: its bit in excluded masks, or 0
	hotCum []uint32 // prefix OR of hotBit: bits of segs[i..j] = hotCum[j+1] &^ hotCum[i]
	// memo holds, per state (i, j, excluded), the solutions for each depth
	// left, NaN where not yet solved: memo[i*n+j][x] where x packs the
	// bits of excluded that lie in i..j.
	memo [][][]pentry
}

// pentry is a solved state: cost and choice (-1 leaf, -2 chain, -3-k
// hoist segment k, m > 0 split at m).
type pentry struct {
	cost   float64
	choice int32
}

// planTree returns a tree over segs with depth bound max(minimal+slack,
// floor). lambda is the price of one instruction in units of mean depth.
func planTree(segs []seg, lambda float64, slack, floor int) *pnode {
	if len(segs) == 0 {
		return nil
	}
	total := 0.0
	for _, s := range segs {
		total += s.w
	}
	norm := make([]seg, len(segs))
	for i, s := range segs {
		s.w = 1.0 / float64(len(segs))
		if total > 0 {
			s.w = segs[i].w / total
		}
		norm[i] = s
	}
	p := newPlanner(norm, lambda)
	if len(segs) > exactPlanLimit {
		return p.greedy(0, len(segs)-1)
	}
	n := len(segs)
	// The smallest feasible bound: every tree has depth at most n-1 plus
	// the largest extra.
	maxExtra := 0
	for _, s := range segs {
		maxExtra = max(maxExtra, s.extra)
	}
	limit := n + maxExtra + 1
	best := -1
	// Bounds are small (about log2 n + extra), so scan upwards. The scan
	// leaves hoisting out: it rarely makes the shallowest tree shallower,
	// and it is the expensive part.
	p.hoist = false
	for b := 0; b <= limit; b++ {
		p.reset(b)
		if !math.IsInf(p.cost(0, n-1, 0, b), 1) {
			best = b
			break
		}
	}
	if best < 0 {
		return p.greedy(0, n-1)
	}
	p.hoist = true
	p.reset(max(best+slack, floor))
	p.cost(0, n-1, 0, p.bound)
	return p.build(0, n-1, 0, p.bound)
}

// newPlanner plans over segs whose weights are already shares of the
// calls. The heaviest single numbers become hoisting candidates.
func newPlanner(segs []seg, lambda float64) *planner {
	p := &planner{segs: segs, lambda: lambda, maxExc: 8, hotBit: make([]uint32, len(segs))}
	p.pre = make([]float64, len(segs)+1)
	for i, s := range segs {
		p.pre[i+1] = p.pre[i] + s.w
	}
	var hot []int
	for k, s := range segs {
		if s.single() && s.w >= hoistShare && k > 0 && k < len(segs)-1 {
			hot = append(hot, k)
		}
	}
	sort.SliceStable(hot, func(a, b int) bool { return segs[hot[a]].w > segs[hot[b]].w })
	if len(hot) > maxHot {
		hot = hot[:maxHot]
	}
	for n, k := range hot {
		p.hotBit[k] = 1 << n
	}
	p.hotCum = make([]uint32, len(segs)+1)
	for k := range segs {
		p.hotCum[k+1] = p.hotCum[k] | p.hotBit[k]
	}
	return p
}

func (p *planner) reset(bound int) {
	p.bound = bound
	p.memo = make([][][]pentry, len(p.segs)*len(p.segs))
}

func (p *planner) excluded(k int, ex uint32) bool { return p.hotBit[k]&ex != 0 }

// norm trims excluded segments off both ends of segs[i..j] (they are
// don't-cares) and drops the bits of ex outside it.
func (p *planner) norm(i, j int, ex uint32) (int, int, uint32) {
	for i < j && p.excluded(i, ex) {
		i++
	}
	for j > i && p.excluded(j, ex) {
		j--
	}
	return i, j, ex & (p.hotCum[j+1] &^ p.hotCum[i])
}

// weight is the share of the calls reaching segs[i..j] with ex excluded
// (ex within i..j).
func (p *planner) weight(i, j int, ex uint32) float64 {
	w := p.pre[j+1] - p.pre[i]
	for k := i; ex != 0 && k <= j; k++ {
		if p.excluded(k, ex) {
			w -= p.segs[k].w
			ex &^= p.hotBit[k]
		}
	}
	return math.Max(w, 0)
}

// live lists the segments of segs[i..j] that can still come, as runs:
// each entry is the index of a run's first segment; runs of one leaf
// across excluded segments are one. single reports whether a run is one
// number.
func (p *planner) live(i, j int, ex uint32) (starts []int, single []bool) {
	last := -1
	for k := i; k <= j; k++ {
		if p.excluded(k, ex) {
			continue
		}
		if last >= 0 && p.segs[last].leaf == p.segs[k].leaf {
			single[len(single)-1] = false
			last = k
			continue
		}
		starts = append(starts, k)
		single = append(single, p.segs[k].single())
		last = k
	}
	return starts, single
}

// cost is the optimum over segs[i..j] without the numbers in ex, with d
// levels left.
func (p *planner) cost(i, j int, ex uint32, d int) float64 {
	if d < 0 {
		return math.Inf(1)
	}
	i, j, ex = p.norm(i, j, ex)
	row := p.row(i, j, ex)
	if !math.IsNaN(row[d].cost) {
		return row[d].cost
	}
	best, choice := math.Inf(1), int32(-1)
	if p.oneRun(i, j, ex) {
		if p.maxExtra(i, j, ex) <= d {
			best = 0
		}
	} else {
		if c, ok := p.chainCost(i, j, ex, d); ok {
			best, choice = c, -2
		}
		w := p.weight(i, j, ex) + p.lambda
		if d > 0 && p.hoist {
			for hot := ex ^ (p.hotCum[j] &^ p.hotCum[i+1]); hot != 0; hot &= hot - 1 {
				k := p.hotSeg(hot & -hot)
				if p.segs[k].extra+1 > d {
					continue
				}
				c := w + p.cost(i, j, ex|p.hotBit[k], d-1)
				if c < best-1e-12 {
					best, choice = c, int32(-3-k)
				}
			}
		}
		if d > 0 {
			// Split at the start of each live run but the first.
			prev := -1
			for m := i; m <= j; m++ {
				if p.excluded(m, ex) {
					continue
				}
				if prev < 0 || p.segs[prev].leaf == p.segs[m].leaf {
					prev = m
					continue
				}
				prev = m
				l := p.cost(i, m-1, ex, d-1)
				if math.IsInf(l, 1) || w+l >= best {
					continue
				}
				c := w + l + p.cost(m, j, ex, d-1)
				if c < best-1e-12 {
					best, choice = c, int32(m)
				}
			}
		}
	}
	row[d] = pentry{best, choice}
	return best
}

// row is the memo of state (i, j, ex), normalised.
func (p *planner) row(i, j int, ex uint32) []pentry {
	in := p.hotCum[j+1] &^ p.hotCum[i]
	rows := p.memo[i*len(p.segs)+j]
	if rows == nil {
		rows = make([][]pentry, 1<<mathbits.OnesCount32(in))
		p.memo[i*len(p.segs)+j] = rows
	}
	// Pack ex's bits among in's.
	x, n := 0, 0
	for b := in; b != 0; b &= b - 1 {
		if ex&(b&-b) != 0 {
			x |= 1 << n
		}
		n++
	}
	if rows[x] == nil {
		row := make([]pentry, p.bound+1)
		for d := range row {
			row[d].cost = math.NaN()
		}
		rows[x] = row
	}
	return rows[x]
}

// oneRun reports whether the live segments of segs[i..j] all have one
// leaf.
func (p *planner) oneRun(i, j int, ex uint32) bool {
	leaf := -1
	for k := i; k <= j; k++ {
		if p.excluded(k, ex) {
			continue
		}
		if leaf >= 0 && p.segs[k].leaf != leaf {
			return false
		}
		leaf = p.segs[k].leaf
	}
	return true
}

// hotSeg finds the segment of a hot bit.
func (p *planner) hotSeg(bit uint32) int {
	// hotCum is monotone: the first k with the bit in hotCum[k+1].
	return sort.Search(len(p.segs), func(k int) bool { return p.hotCum[k+1]&bit != 0 })
}

func (p *planner) maxExtra(i, j int, ex uint32) int {
	e := 0
	for k := i; k <= j; k++ {
		if !p.excluded(k, ex) {
			e = max(e, p.segs[k].extra)
		}
	}
	return e
}

// chain finds the leaf C and the exceptions of a chain over segs[i..j]
// without ex: every live run whose leaf is not C must be a single number.
func (p *planner) chain(i, j int, ex uint32) (leaf int, exc []int, ok bool) {
	starts, single := p.live(i, j, ex)
	leaf = -1
	for n, k := range starts {
		if !single[n] {
			if leaf >= 0 && leaf != p.segs[k].leaf {
				return 0, nil, false
			}
			leaf = p.segs[k].leaf
		}
	}
	if leaf < 0 {
		// Only single numbers: fall to the heaviest leaf.
		wt := map[int]float64{}
		for _, k := range starts {
			wt[p.segs[k].leaf] += p.segs[k].w
		}
		for _, k := range starts {
			l := p.segs[k].leaf
			if leaf < 0 || wt[l] > wt[leaf] || (wt[l] == wt[leaf] && l < leaf) {
				leaf = l
			}
		}
	}
	for _, k := range starts {
		if p.segs[k].leaf != leaf {
			exc = append(exc, k)
		}
	}
	if len(exc) > p.maxExc {
		return 0, nil, false
	}
	sort.SliceStable(exc, func(a, b int) bool { return p.segs[exc[a]].w > p.segs[exc[b]].w })
	return leaf, exc, true
}

func (p *planner) chainCost(i, j int, ex uint32, d int) (float64, bool) {
	// This runs for every state, so it does not allocate.
	leaf, ok := p.chainLeaf(i, j, ex)
	if !ok {
		return 0, false
	}
	type exception struct {
		w     float64
		extra int
	}
	var buf [16]exception
	exc := buf[:0]
	rest := p.weight(i, j, ex)
	for k := i; k <= j; k++ {
		if p.excluded(k, ex) || p.segs[k].leaf == leaf {
			continue
		}
		if len(exc) == p.maxExc {
			return 0, false
		}
		exc = append(exc, exception{p.segs[k].w, p.segs[k].extra})
		rest -= p.segs[k].w
	}
	// Heaviest first, as chain orders them (stable: index order on ties).
	for a := 1; a < len(exc); a++ {
		for b := a; b > 0 && exc[b].w > exc[b-1].w; b-- {
			exc[b], exc[b-1] = exc[b-1], exc[b]
		}
	}
	c := p.lambda * float64(len(exc))
	for n, e := range exc {
		if n+1+e.extra > d {
			return 0, false
		}
		c += float64(n+1) * e.w
	}
	for k := i; k <= j; k++ {
		if !p.excluded(k, ex) && p.segs[k].leaf == leaf && len(exc)+p.segs[k].extra > d {
			return 0, false
		}
	}
	return c + float64(len(exc))*math.Max(rest, 0), true
}

// chainLeaf is the leaf a chain over the live runs of segs[i..j] falls
// to: that of the runs longer than one number (all must share it), else
// the heaviest leaf among the single numbers (the lowest on ties).
func (p *planner) chainLeaf(i, j int, ex uint32) (int, bool) {
	leaf, last := -1, -1
	for k := i; k <= j; k++ {
		if p.excluded(k, ex) {
			continue
		}
		// A run longer than one number: a segment that is, or one that
		// continues the previous live segment's leaf across an excluded one.
		if !p.segs[k].single() || (last >= 0 && p.segs[last].leaf == p.segs[k].leaf) {
			if leaf >= 0 && leaf != p.segs[k].leaf {
				return 0, false
			}
			leaf = p.segs[k].leaf
		}
		last = k
	}
	if leaf >= 0 {
		return leaf, true
	}
	l, _, ok := p.chain(i, j, ex)
	return l, ok
}

func (p *planner) build(i, j int, ex uint32, d int) *pnode {
	p.cost(i, j, ex, d)
	i, j, ex = p.norm(i, j, ex)
	e := p.row(i, j, ex)[d]
	switch ch := e.choice; {
	case ch == -1:
		starts, _ := p.live(i, j, ex)
		return &pnode{kind: pLeaf, i: starts[0], j: starts[0]}
	case ch == -2:
		leaf, exc, _ := p.chain(i, j, ex)
		return &pnode{kind: pChain, i: i, j: j, leaf: leaf, exceptions: exc}
	case ch > 0:
		m := int(ch)
		return &pnode{kind: pSplit, i: i, j: j, m: m, left: p.build(i, m-1, ex, d-1), right: p.build(m, j, ex, d-1)}
	default:
		k := -3 - int(ch)
		return &pnode{kind: pHoist, i: i, j: j, k: k, restSegs: p.segs, rest: p.build(i, j, ex|p.hotBit[k], d-1)}
	}
}

// greedy splits at the weighted median, for runs too long to optimise
// exactly; short runs still end in chains.
func (p *planner) greedy(i, j int) *pnode {
	if i == j {
		return &pnode{kind: pLeaf, i: i, j: j}
	}
	if j-i < 4 {
		if leaf, exc, ok := p.chain(i, j, 0); ok && len(exc) <= 2 {
			return &pnode{kind: pChain, i: i, j: j, leaf: leaf, exceptions: exc}
		}
	}
	// Balance the count of segments first (it bounds the depth), and the
	// weight among the middle candidates.
	mid := (i + j + 1) / 2
	m := mid
	bestDiff := math.Inf(1)
	span := max(1, (j-i+1)/8)
	for c := max(i+1, mid-span); c <= min(j, mid+span); c++ {
		diff := math.Abs(p.weight(i, c-1, 0) - p.weight(c, j, 0))
		if diff < bestDiff {
			bestDiff, m = diff, c
		}
	}
	return &pnode{kind: pSplit, i: i, j: j, m: m, left: p.greedy(i, m-1), right: p.greedy(m, j)}
}
