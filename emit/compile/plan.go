package compile

import (
	"math"
	"sort"
)

// A plan is a decision tree over a partition of the 32-bit number line into
// segments, each with a leaf (what to do with those numbers). The optimised
// compiler uses it twice: to dispatch on the syscall number, and to test an
// argument against a value set.
//
// Two kinds of node are allowed:
//
//   - split: "jge lo(m)" sends segments m.. right and the others left;
//   - chain: when every segment of a run but single numbers has the same
//     leaf C, a chain of "jeq v" picks out the single numbers (hottest
//     first) and falls to C. A single number between two runs of C then
//     costs one instruction instead of two splits.
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
	restSegs    []seg  // pHoist: segs[i..j] without k, its neighbours merged
}

// planner memoises the bounded-depth optimum over sub-runs of segs.
type planner struct {
	segs   []seg
	pre    []float64 // prefix sums of normalised weights
	lambda float64
	maxExc int // longest chain considered
	bound  int
	memo   []float64
	choice []int32 // -1 leaf, -2 chain, -3-h hoist h, m>0 split at m; memo NaN unset
	// hoist enables pHoist in runs of at most hoistSpan segments; the
	// plans of the rest are planners of their own, which do not hoist.
	hoist  bool
	hoists map[[3]int]*hoisted
}

// hoisted is the rest of a run once one single number is tested first.
type hoisted struct {
	segs []seg
	sub  *planner
}

const (
	hoistSpan  = 24   // longest run a hot number is hoisted from
	hoistTries = 2    // how many of a run's heaviest single numbers are tried
	hoistShare = 0.02 // the least share of the calls worth hoisting
)

const exactPlanLimit = 96 // segments above which a greedy plan is used

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
	p := newPlanner(norm, lambda, true)
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
	// Binary search would need a fresh memo per bound anyway; bounds are
	// small (about log2 n + extra), so scan upwards.
	// The scan leaves hoisting out: it rarely makes the shallowest tree
	// shallower, and it is the expensive part.
	p.hoist = false
	for b := 0; b <= limit; b++ {
		p.reset(b)
		if !math.IsInf(p.cost(0, n-1, b), 1) {
			best = b
			break
		}
	}
	p.hoist = true
	if best < 0 {
		return p.greedy(0, n-1)
	}
	p.reset(max(best+slack, floor))
	p.cost(0, n-1, p.bound)
	return p.build(0, n-1, p.bound)
}

// newPlanner plans over segs whose weights are already shares of the
// calls.
func newPlanner(segs []seg, lambda float64, hoist bool) *planner {
	p := &planner{segs: segs, lambda: lambda, maxExc: 8, hoist: hoist, hoists: map[[3]int]*hoisted{}}
	p.pre = make([]float64, len(segs)+1)
	for i, s := range segs {
		p.pre[i+1] = p.pre[i] + s.w
	}
	return p
}

func (p *planner) reset(bound int) {
	n := len(p.segs)
	p.bound = bound
	size := n * n * (bound + 1)
	p.memo = make([]float64, size)
	p.choice = make([]int32, size)
	p.hoists = map[[3]int]*hoisted{}
	for i := range p.memo {
		p.memo[i] = math.NaN()
	}
}

func (p *planner) idx(i, j, d int) int { return (i*len(p.segs)+j)*(p.bound+1) + d }

func (p *planner) weight(i, j int) float64 { return p.pre[j+1] - p.pre[i] }

// cost is the optimum over segs[i..j] with d levels left.
func (p *planner) cost(i, j, d int) float64 {
	if d < 0 {
		return math.Inf(1)
	}
	k := p.idx(i, j, d)
	if !math.IsNaN(p.memo[k]) {
		return p.memo[k]
	}
	best, choice := math.Inf(1), int32(-1)
	if i == j {
		if p.segs[i].extra <= d {
			best = 0
		}
	} else {
		if c, ok := p.chainCost(i, j, d); ok {
			best, choice = c, -2
		}
		if d > 0 && p.hoist && j-i+1 <= hoistSpan {
			for h, k := range p.hoistCandidates(i, j) {
				if p.segs[k].extra+1 > d {
					continue
				}
				hs := p.hoisted(i, j, k)
				c := p.weight(i, j) + p.lambda + hs.sub.cost(0, len(hs.segs)-1, d-1)
				if c < best-1e-12 {
					best, choice = c, int32(-3-h)
				}
			}
		}
		if d > 0 {
			w := p.weight(i, j) + p.lambda
			for m := i + 1; m <= j; m++ {
				l := p.cost(i, m-1, d-1)
				if math.IsInf(l, 1) {
					continue
				}
				c := w + l + p.cost(m, j, d-1)
				if c < best-1e-12 {
					best, choice = c, int32(m)
				}
			}
		}
	}
	p.memo[k], p.choice[k] = best, choice
	return best
}

// chain finds the leaf C and the exceptions of a chain over segs[i..j]:
// every segment whose leaf is not C must be a single number.
func (p *planner) chain(i, j int) (leaf int, exc []int, ok bool) {
	leaf = -1
	for k := i; k <= j; k++ {
		if !p.segs[k].single() {
			if leaf >= 0 && leaf != p.segs[k].leaf {
				return 0, nil, false
			}
			leaf = p.segs[k].leaf
		}
	}
	if leaf < 0 {
		// Only single numbers: fall to the heaviest leaf.
		wt := map[int]float64{}
		for k := i; k <= j; k++ {
			wt[p.segs[k].leaf] += p.weight(k, k)
		}
		for k := i; k <= j; k++ {
			l := p.segs[k].leaf
			if leaf < 0 || wt[l] > wt[leaf] || (wt[l] == wt[leaf] && l < leaf) {
				leaf = l
			}
		}
	}
	for k := i; k <= j; k++ {
		if p.segs[k].leaf != leaf {
			exc = append(exc, k)
		}
	}
	if len(exc) > p.maxExc {
		return 0, nil, false
	}
	sort.SliceStable(exc, func(a, b int) bool { return p.weight(exc[a], exc[a]) > p.weight(exc[b], exc[b]) })
	return leaf, exc, true
}

func (p *planner) chainCost(i, j, d int) (float64, bool) {
	leaf, exc, ok := p.chain(i, j)
	if !ok {
		return 0, false
	}
	c := p.lambda * float64(len(exc))
	rest := p.weight(i, j)
	for n, k := range exc {
		if n+1+p.segs[k].extra > d {
			return 0, false
		}
		c += float64(n+1) * p.weight(k, k)
		rest -= p.weight(k, k)
	}
	for k := i; k <= j; k++ {
		if p.segs[k].leaf == leaf && len(exc)+p.segs[k].extra > d {
			return 0, false
		}
	}
	return c + float64(len(exc))*math.Max(rest, 0), true
}

func (p *planner) build(i, j, d int) *pnode {
	if i == j {
		return &pnode{kind: pLeaf, i: i, j: j}
	}
	p.cost(i, j, d)
	switch ch := p.choice[p.idx(i, j, d)]; {
	case ch == -2:
		leaf, exc, _ := p.chain(i, j)
		return &pnode{kind: pChain, i: i, j: j, leaf: leaf, exceptions: exc}
	case ch > 0:
		m := int(ch)
		return &pnode{kind: pSplit, i: i, j: j, m: m, left: p.build(i, m-1, d-1), right: p.build(m, j, d-1)}
	case ch <= -3:
		k := p.hoistCandidates(i, j)[-3-int(ch)]
		hs := p.hoisted(i, j, k)
		return &pnode{kind: pHoist, i: i, j: j, k: k, restSegs: hs.segs, rest: hs.sub.build(0, len(hs.segs)-1, d-1)}
	}
	// Unreachable for a feasible plan; fall back to something correct.
	return p.greedy(i, j)
}

// greedy splits at the weighted median, for runs too long to optimise
// exactly; short runs still end in chains.
func (p *planner) greedy(i, j int) *pnode {
	if i == j {
		return &pnode{kind: pLeaf, i: i, j: j}
	}
	if j-i < 4 {
		if leaf, exc, ok := p.chain(i, j); ok && len(exc) <= 2 {
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
		diff := math.Abs(p.weight(i, c-1) - p.weight(c, j))
		if diff < bestDiff {
			bestDiff, m = diff, c
		}
	}
	return &pnode{kind: pSplit, i: i, j: j, m: m, left: p.greedy(i, m-1), right: p.greedy(m, j)}
}

// hoistCandidates are the heaviest single numbers of segs[i..j] (not at
// its ends, where a split is as good) that take a real share of the calls,
// heaviest first.
func (p *planner) hoistCandidates(i, j int) []int {
	var out []int
	for k := i + 1; k < j; k++ {
		if p.segs[k].single() && p.weight(k, k) >= hoistShare {
			out = append(out, k)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return p.weight(out[a], out[a]) > p.weight(out[b], out[b]) })
	if len(out) > hoistTries {
		out = out[:hoistTries]
	}
	return out
}

// hoisted plans segs[i..j] once segment k has been tested: k's number can
// no longer come, so its neighbours join when they have the same leaf,
// and otherwise the left one covers it.
func (p *planner) hoisted(i, j, k int) *hoisted {
	key := [3]int{i, j, k}
	if h, ok := p.hoists[key]; ok {
		return h
	}
	var rest []seg
	for n := i; n <= j; n++ {
		if n == k {
			continue
		}
		s := p.segs[n]
		if n == k+1 && len(rest) > 0 {
			last := &rest[len(rest)-1]
			if last.leaf == s.leaf {
				last.hi, last.w, last.extra = s.hi, last.w+s.w, max(last.extra, s.extra)
				continue
			}
			s.lo = p.segs[k].lo
		}
		rest = append(rest, s)
	}
	sub := newPlanner(rest, p.lambda, false)
	sub.reset(p.bound)
	h := &hoisted{segs: rest, sub: sub}
	p.hoists[key] = h
	return h
}
