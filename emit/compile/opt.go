package compile

import (
	"fmt"
	"strings"

	"golang.org/x/net/bpf"
)

// The optimisation passes work on prog, a program whose every instruction
// names its successors by index (loads and ANDs too, so code can be shared
// without caring about fall-through). Successors always lie after their
// instruction: the program is a DAG in index order, as classic BPF requires.
// Each pass is a small func(prog) (prog, bool) reporting whether it changed
// anything; optimize runs them until none does.

type pins struct {
	op     opKind
	cond   bpf.JumpTest
	k      uint32
	jt, jf int // opJmp: both targets; opJa, opLd, opAnd: jt is the successor
	name   string
	note   string // comment
	block  string
}

type prog []pins

func (p prog) succs(i int) []int {
	switch p[i].op {
	case opJmp:
		return []int{p[i].jt, p[i].jf}
	case opJa, opLd, opAnd:
		return []int{p[i].jt}
	}
	return nil
}

// fromBuilder turns emitted code into a prog.
func fromBuilder(b *builder) prog {
	p := make(prog, len(b.code))
	names := make([]string, len(b.code))
	for l, at := range b.labelAt {
		if at >= 0 && at < len(b.code) && names[at] == "" {
			names[at] = b.names[l]
		}
	}
	for i, in := range b.code {
		n := pins{op: in.op, cond: in.cond, k: in.k, note: in.comment, name: names[i], block: b.block[i]}
		switch in.op {
		case opJmp:
			n.jt, n.jf = b.labelAt[in.jt], b.labelAt[in.jf]
		case opJa:
			n.jt = b.labelAt[in.jt]
		case opLd, opAnd:
			n.jt = i + 1
		}
		p[i] = n
	}
	return p
}

// toBuilder lays a prog out again for resolve: instructions in index
// order, with a JA after a load or AND whose successor is not next.
func toBuilder(p prog) *builder {
	b := &builder{}
	labels := make([]label, len(p))
	for i := range p {
		labels[i] = b.newLabel(p[i].name)
	}
	for i, n := range p {
		b.place(labels[i])
		b.current = n.block
		switch n.op {
		case opLd:
			b.ld(n.k, n.note)
		case opAnd:
			b.and(n.k, n.note)
		case opRet:
			b.ret(n.k, n.note)
		case opJa:
			b.ja(labels[n.jt], n.note)
		case opJmp:
			b.jmp(n.cond, n.k, labels[n.jt], labels[n.jf], n.note)
		}
		if (n.op == opLd || n.op == opAnd) && n.jt != i+1 {
			b.ja(labels[n.jt], "")
		}
	}
	return b
}

// check verifies the DAG invariant; a violation is a compiler bug.
func (p prog) check() error {
	for i := range p {
		for _, s := range p.succs(i) {
			if s <= i || s >= len(p) {
				return fmt.Errorf("compile: instruction %d jumps to %d of %d", i, s, len(p))
			}
		}
		if p[i].op != opRet && len(p.succs(i)) == 0 {
			return fmt.Errorf("compile: instruction %d has no successor", i)
		}
	}
	if len(p) > 0 && p[len(p)-1].op != opRet && p[len(p)-1].op != opJa {
		return fmt.Errorf("compile: program does not end in a RET")
	}
	return nil
}

// passes run in this order, repeatedly.
var passes = []struct {
	name string
	run  func(prog) (prog, bool)
}{
	{"thread jumps", threadJumps},
	{"redundant loads", redundantLoads},
	{"merge tails", mergeTails},
	{"dead code", deadCode},
}

// optimize runs the passes to a fixed point.
func optimize(p prog) (prog, error) {
	for round := 0; ; round++ {
		changed := false
		for _, ps := range passes {
			var c bool
			p, c = ps.run(p)
			if err := p.check(); err != nil {
				return nil, fmt.Errorf("%s: %w", ps.name, err)
			}
			changed = changed || c
		}
		if !changed {
			nameRets(p)
			return p, nil
		}
		if round > 100 {
			return nil, fmt.Errorf("compile: optimisation does not converge")
		}
	}
}

// nameRets labels each RET by its verdict alone: after merging, one RET
// serves every section.
func nameRets(p prog) {
	used := map[string]uint32{}
	for i := range p {
		n := &p[i]
		if n.op != opRet {
			continue
		}
		name := "ret." + strings.NewReplacer("(", "_", ")", "").Replace(n.note)
		if k, ok := used[name]; ok && k != n.k {
			name = fmt.Sprintf("%s_%#x", name, n.k)
		}
		used[name] = n.k
		n.name = name
	}
}

// fact is what a conditional jump's edge says about A.
type fact struct {
	cond bpf.JumpTest
	k    uint32
	res  bool
}

// implies decides "A <cond> k" from f, when f settles it.
func (f fact) implies(cond bpf.JumpTest, k uint32) (res, ok bool) {
	// The set of values f allows, as an interval when it is one.
	lo, hi := uint32(0), all32
	interval := true
	switch {
	case f.cond == bpf.JumpEqual && f.res:
		lo, hi = f.k, f.k
	case f.cond == bpf.JumpGreaterOrEqual && f.res:
		lo = f.k
	case f.cond == bpf.JumpGreaterOrEqual && !f.res:
		if f.k == 0 {
			return false, false // unreachable edge: say nothing
		}
		hi = f.k - 1
	case f.cond == bpf.JumpGreaterThan && f.res:
		if f.k == all32 {
			return false, false
		}
		lo = f.k + 1
	case f.cond == bpf.JumpGreaterThan && !f.res:
		hi = f.k
	default:
		interval = false
	}
	if interval {
		switch cond {
		case bpf.JumpEqual:
			if lo == hi {
				return lo == k, true
			}
			if k < lo || k > hi {
				return false, true
			}
		case bpf.JumpGreaterOrEqual:
			if lo >= k {
				return true, true
			}
			if hi < k {
				return false, true
			}
		case bpf.JumpGreaterThan:
			if lo > k {
				return true, true
			}
			if hi <= k {
				return false, true
			}
		case bpf.JumpBitsSet:
			if lo == hi {
				return lo&k != 0, true
			}
			if k != 0 && hi < k&-k {
				return false, true // every value is below k's lowest bit
			}
		}
		return false, false
	}
	switch {
	case f.cond == bpf.JumpEqual && !f.res:
		if cond == bpf.JumpEqual && k == f.k {
			return false, true
		}
	case f.cond == bpf.JumpBitsSet && !f.res:
		// A & f.k == 0.
		if cond == bpf.JumpBitsSet && k&^f.k == 0 {
			return false, true
		}
		if cond == bpf.JumpEqual && k&f.k != 0 {
			return false, true
		}
	case f.cond == bpf.JumpBitsSet && f.res:
		// A & f.k != 0.
		if cond == bpf.JumpBitsSet && f.k&^k == 0 {
			return true, true
		}
		if cond == bpf.JumpEqual && k&f.k == 0 {
			return false, true
		}
	}
	return false, false
}

// threadJumps makes every edge skip what it can: JAs, and conditional jumps
// whose outcome the edge already decides (A is unchanged between them). A
// JA to a RET becomes that RET; a conditional jump with both targets equal
// becomes a JA.
func threadJumps(p prog) (prog, bool) {
	p = append(prog(nil), p...)
	changed := false
	follow := func(s int, f *fact) int {
		for {
			switch n := p[s]; n.op {
			case opJa:
				s = n.jt
				continue
			case opJmp:
				if f != nil {
					if res, ok := f.implies(n.cond, n.k); ok {
						if res {
							s = n.jt
						} else {
							s = n.jf
						}
						continue
					}
				}
			}
			return s
		}
	}
	for i := range p {
		n := &p[i]
		switch n.op {
		case opJmp:
			jt := follow(n.jt, &fact{n.cond, n.k, true})
			jf := follow(n.jf, &fact{n.cond, n.k, false})
			if jt != n.jt || jf != n.jf {
				n.jt, n.jf, changed = jt, jf, true
			}
			if n.jt == n.jf {
				n.op, changed = opJa, true
			}
		case opJa, opLd, opAnd:
			if s := follow(n.jt, nil); s != n.jt {
				n.jt, changed = s, true
			}
			if n.op == opJa && p[n.jt].op == opRet {
				keepName := n.name
				*n = p[n.jt]
				n.name = keepName
				changed = true
			}
		}
	}
	return p, changed
}

// span is what is known of a word: lo <= word <= hi.
type span struct{ lo, hi uint32 }

// spanOf is the set of values for which "A cond k" is res, when it is an
// interval.
func spanOf(cond bpf.JumpTest, k uint32, res bool) (span, bool) {
	switch {
	case cond == bpf.JumpEqual && res:
		return span{k, k}, true
	case cond == bpf.JumpGreaterOrEqual && res:
		return span{k, all32}, true
	case cond == bpf.JumpGreaterOrEqual && !res && k > 0:
		return span{0, k - 1}, true
	case cond == bpf.JumpGreaterThan && res && k < all32:
		return span{k + 1, all32}, true
	case cond == bpf.JumpGreaterThan && !res:
		return span{0, k}, true
	}
	return span{}, false
}

// decide says whether "A cond k" holds for every value in s, or for none.
func (s span) decide(cond bpf.JumpTest, k uint32) (res, ok bool) {
	switch cond {
	case bpf.JumpEqual:
		if s.lo == s.hi {
			return s.lo == k, true
		}
		if k < s.lo || k > s.hi {
			return false, true
		}
	case bpf.JumpGreaterOrEqual:
		if s.lo >= k {
			return true, true
		}
		if s.hi < k {
			return false, true
		}
	case bpf.JumpGreaterThan:
		if s.lo > k {
			return true, true
		}
		if s.hi <= k {
			return false, true
		}
	case bpf.JumpBitsSet:
		if s.lo == s.hi {
			return s.lo&k != 0, true
		}
		if k != 0 && s.hi < k&-k {
			return false, true
		}
	}
	return false, false
}

// state is what holds on entry to an instruction on every path to it:
// which word A holds (-1 unknown), and bounds on words tested before.
type state struct {
	a     int64
	known map[uint32]span
}

// meet combines the states of two paths into one.
func meet(x, y state) state {
	out := state{a: x.a, known: map[uint32]span{}}
	if x.a != y.a {
		out.a = -1
	}
	for off, sx := range x.known {
		if sy, ok := y.known[off]; ok {
			out.known[off] = span{min(sx.lo, sy.lo), max(sx.hi, sy.hi)}
		}
	}
	return out
}

// redundantLoads follows what each path knows about the words of
// seccomp_data: a load of the word A already holds goes, a test that what
// is known of its word decides becomes a jump, and a load whose value
// nothing reads (the next instruction loads again or returns) goes. So a
// high half tested once is not tested again on the same path.
func redundantLoads(p prog) (prog, bool) {
	in := make([]*state, len(p))
	if len(p) > 0 {
		in[0] = &state{a: -1, known: map[uint32]span{}}
	}
	flow := func(s int, st state) {
		if in[s] == nil {
			in[s] = &st
			return
		}
		m := meet(*in[s], st)
		in[s] = &m
	}
	q := append(prog(nil), p...)
	changed := false
	for i, n := range p {
		if in[i] == nil {
			continue // unreachable
		}
		st := *in[i]
		switch n.op {
		case opLd:
			if st.a == int64(n.k) {
				q[i].op, q[i].note, changed = opJa, "", true
			} else if nx := p[n.jt].op; nx == opLd || nx == opRet {
				q[i].op, q[i].note, changed = opJa, "", true
			}
			flow(n.jt, state{a: int64(n.k), known: st.known})
		case opAnd:
			flow(n.jt, state{a: -1, known: st.known})
		case opJa:
			flow(n.jt, st)
		case opJmp:
			if st.a >= 0 {
				if sp, ok := st.known[uint32(st.a)]; ok {
					if res, ok := sp.decide(n.cond, n.k); ok {
						to := n.jf
						if res {
							to = n.jt
						}
						q[i].op, q[i].jt, changed = opJa, to, true
						flow(to, st)
						continue
					}
				}
			}
			for _, e := range []struct {
				to  int
				res bool
			}{{n.jt, true}, {n.jf, false}} {
				next := state{a: st.a, known: st.known}
				if st.a >= 0 {
					if sp, ok := spanOf(n.cond, n.k, e.res); ok {
						cur, have := st.known[uint32(st.a)]
						if !have {
							cur = span{0, all32}
						}
						lo, hi := max(cur.lo, sp.lo), min(cur.hi, sp.hi)
						if lo <= hi {
							next.known = make(map[uint32]span, len(st.known)+1)
							for k, v := range st.known {
								next.known[k] = v
							}
							next.known[uint32(st.a)] = span{lo, hi}
						}
					}
				}
				flow(e.to, next)
			}
		}
	}
	return q, changed
}

// mergeTails shares identical code: two instructions with the same
// operation and equivalent successors are one. The earlier copy's
// predecessors are sent to the later one (jumps stay forward); a copy
// reached by falling through from a load or AND stays, because sharing it
// would cost a JA on that path.
func mergeTails(p prog) (prog, bool) {
	type key struct {
		op     opKind
		cond   bpf.JumpTest
		k      uint32
		jt, jf int
	}
	canon := make([]int, len(p))
	seen := map[key]int{}
	for i := len(p) - 1; i >= 0; i-- {
		n := p[i]
		k := key{op: n.op, cond: n.cond, k: n.k, jt: -1, jf: -1}
		switch n.op {
		case opJmp:
			k.jt, k.jf = canon[n.jt], canon[n.jf]
		case opJa, opLd, opAnd:
			k.jt = canon[n.jt]
		}
		if at, ok := seen[k]; ok {
			canon[i] = at
		} else {
			seen[k] = i
			canon[i] = i
		}
	}
	fallIn := make([]bool, len(p))
	for _, n := range p {
		if n.op == opLd || n.op == opAnd {
			fallIn[n.jt] = true
		}
	}
	// Only redirect to a copy whose own chain is kept: follow canon while
	// the target may move.
	to := func(s int) int {
		if c := canon[s]; c != s && !fallIn[s] {
			return c
		}
		return s
	}
	q := append(prog(nil), p...)
	changed := false
	for i := range q {
		n := &q[i]
		switch n.op {
		case opJmp:
			if t, f := to(n.jt), to(n.jf); t != n.jt || f != n.jf {
				n.jt, n.jf, changed = t, f, true
			}
		case opJa:
			if t := to(n.jt); t != n.jt {
				n.jt, changed = t, true
			}
		}
	}
	return q, changed
}

// deadCode drops what no path reaches, and renumbers.
func deadCode(p prog) (prog, bool) {
	if len(p) == 0 {
		return p, false
	}
	live := make([]bool, len(p))
	live[0] = true
	for i := range p {
		if !live[i] {
			continue
		}
		for _, s := range p.succs(i) {
			live[s] = true
		}
	}
	at := make([]int, len(p))
	var q prog
	for i, n := range p {
		if live[i] {
			at[i] = len(q)
			q = append(q, n)
		}
	}
	if len(q) == len(p) {
		return p, false
	}
	for i := range q {
		n := &q[i]
		switch n.op {
		case opJmp:
			n.jt, n.jf = at[n.jt], at[n.jf]
		case opJa, opLd, opAnd:
			n.jt = at[n.jt]
		}
	}
	return q, true
}

// longestPath is the most instructions any input executes, RET included.
func longestPath(p prog) int {
	depth := make([]int, len(p))
	best := 0
	for i := len(p) - 1; i >= 0; i-- {
		d := 0
		for _, s := range p.succs(i) {
			d = max(d, depth[s])
		}
		depth[i] = d + 1
	}
	if len(p) > 0 {
		best = depth[0]
	}
	return best
}
