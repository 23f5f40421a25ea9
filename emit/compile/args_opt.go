package compile

import (
	"fmt"
)

// Tuning of value-set trees: sets are small, so length matters more than
// in the syscall dispatch; a value outside the set is the rare case.
const (
	setLambda     = 0.05
	setMissWeight = 0.1
)

// setTree: A ∈ vals → yes, else no (A loaded, vals sorted and unique), as a
// small search tree over the runs of consecutive values and the gaps
// between them.
func (e *condEmitter) setTree(vals []uint32, yes, no label, what string) {
	const in, out = 0, 1
	var segs []seg
	addSeg := func(lo, hi uint32, leaf int) {
		w := 1.0
		if leaf == out {
			w = setMissWeight
		}
		segs = append(segs, seg{lo: lo, hi: hi, leaf: leaf, w: w})
	}
	next := uint64(0) // first value not yet covered
	for i := 0; i < len(vals); {
		j := i
		for j+1 < len(vals) && vals[j+1] == vals[j]+1 {
			j++
		}
		if uint64(vals[i]) > next {
			addSeg(uint32(next), vals[i]-1, out)
		}
		addSeg(vals[i], vals[j], in)
		next = uint64(vals[j]) + 1
		i = j + 1
	}
	if next <= uint64(all32) {
		addSeg(uint32(next), all32, out)
	}
	t := planTree(segs, setLambda, 0, 0)
	e.b.emitTree(t, segs, func(leaf int) label {
		if leaf == in {
			return yes
		}
		return no
	}, func(v uint32) string { return fmt.Sprintf("%s %#x", what, v) })
}
