package compile

import (
	"math"
	"math/rand"
	"testing"
)

// walkPlan follows t for the number v: the leaf it reaches and the tests
// taken on the way (the leaf's extra not included).
func walkPlan(t *pnode, segs []seg, v uint32) (leaf, tests int) {
	for {
		switch t.kind {
		case pLeaf:
			return segs[t.i].leaf, tests
		case pSplit:
			tests++
			if v >= segs[t.m].lo {
				t = t.right
			} else {
				t = t.left
			}
		case pChain:
			for _, k := range t.exceptions {
				tests++
				if v == segs[k].lo {
					return segs[k].leaf, tests
				}
			}
			return t.leaf, tests
		case pHoist:
			tests++
			if v == segs[t.k].lo {
				return segs[t.k].leaf, tests
			}
			segs, t = t.restSegs, t.rest
		}
	}
}

// countTests is the number of test instructions a plan emits.
func countTests(t *pnode) int {
	switch t.kind {
	case pSplit:
		return 1 + countTests(t.left) + countTests(t.right)
	case pChain:
		return len(t.exceptions)
	case pHoist:
		return 1 + countTests(t.rest)
	}
	return 0
}

// randomSegs partitions a number line into n runs with leaves from a few
// classes (neighbours differ), many of them single numbers, with skewed
// weights so that hoisting pays.
func randomSegs(r *rand.Rand, n int) []seg {
	var segs []seg
	lo := uint32(r.Intn(3))
	for len(segs) < n {
		width := uint32(1)
		if r.Intn(3) == 0 {
			width += uint32(r.Intn(20))
		}
		leaf := r.Intn(3)
		if len(segs) > 0 && leaf == segs[len(segs)-1].leaf {
			leaf = (leaf + 1) % 3
		}
		w := r.ExpFloat64()
		if r.Intn(8) == 0 {
			w *= 40
		}
		segs = append(segs, seg{lo: lo, hi: lo + width - 1, leaf: leaf, w: w, extra: 1 + r.Intn(2)})
		lo += width
	}
	total := 0.0
	for _, s := range segs {
		total += s.w
	}
	for i := range segs {
		segs[i].w /= total
	}
	return segs
}

func TestPlanTreeProperties(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	for iter := 0; iter < 300; iter++ {
		segs := randomSegs(r, 2+r.Intn(40))
		const lambda = 0.02
		slack, floor := r.Intn(3), r.Intn(8)
		tree := planTree(segs, lambda, slack, floor)

		// The bound planTree chose: the shallowest feasible without
		// hoisting, plus slack, at least floor.
		p := newPlanner(segs, lambda)
		best := -1
		for b := 0; best < 0; b++ {
			p.reset(b)
			if !math.IsInf(p.cost(0, len(segs)-1, 0, b), 1) {
				best = b
			}
		}
		bound := max(best+slack, floor)

		realised := lambda * float64(countTests(tree))
		for _, s := range segs {
			for _, v := range []uint32{s.lo, s.hi, s.lo + (s.hi-s.lo)/2} {
				leaf, tests := walkPlan(tree, segs, v)
				if leaf != s.leaf {
					t.Fatalf("iter %d: %d reaches leaf %d, want %d", iter, v, leaf, s.leaf)
				}
				if tests+s.extra > bound {
					t.Fatalf("iter %d: %d takes %d tests + %d > bound %d", iter, v, tests, s.extra, bound)
				}
			}
			_, tests := walkPlan(tree, segs, s.lo)
			realised += s.w * float64(tests)
		}

		// The tree built is the optimum the search found, and hoisting
		// never makes the optimum worse.
		withHoist := newPlanner(segs, lambda)
		withHoist.hoist = true
		withHoist.reset(bound)
		opt := withHoist.cost(0, len(segs)-1, 0, bound)
		if math.Abs(opt-realised) > 1e-9 {
			t.Fatalf("iter %d: tree realises %.6f, search found %.6f", iter, realised, opt)
		}
		without := newPlanner(segs, lambda)
		without.reset(bound)
		if plain := without.cost(0, len(segs)-1, 0, bound); opt > plain+1e-12 {
			t.Fatalf("iter %d: hoisting made the plan worse: %.6f > %.6f", iter, opt, plain)
		}
	}
}
