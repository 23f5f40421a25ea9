package compile

import (
	"fmt"
	mathbits "math/bits"
	"sort"
	"strings"

	"golang.org/x/net/bpf"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
)

// Tuning of the optimised dispatch. lambda prices one instruction in mean
// instructions executed; uncachedWeight scales the calls the kernel's
// action cache cannot answer (they run the filter on every call, so their
// depth matters more); depthSlack lets the tree go that many levels deeper
// than the shallowest possible one to favour hot syscalls.
const (
	lambda         = 0.02
	uncachedWeight = 1.5
	depthSlack     = 1
	// coldWeight is the share of one call given to a syscall the profile
	// has no count for, relative to the least-called counted syscall.
	coldWeight = 0.01
)

// dleaf is what the dispatch does with a segment of numbers: decide a class
// (RET or argument checks), or, for the numbers above the native table on
// x86-64, split on the x32 bit.
type dleaf struct {
	cl         *class
	x32, nox32 *class // split leaf: jset X32SyscallBit ? x32 : nox32
	extra      int
	splitOnX32 bool
}

// auditOpt emits the optimised code for one audit value: load nr and one
// weighted, depth-bounded search over every number the audit value can
// carry (on x86-64 both the native and the x32 numbers), then the argument
// checks of each class and the RETs.
func (c *compiler) auditOpt(au uint32, as []*systab.Arch) {
	name := sectionName(as)
	c.b.current, c.part = name, name
	c.b.ld(offNr, "nr")
	segs, leaves := c.segments(au, as)
	blocks := map[*class]label{}
	var order []*class
	target := func(cl *class) label {
		if cl.always {
			return c.ret(cl.verdict)
		}
		if l, ok := blocks[cl]; ok {
			return l
		}
		l := c.b.newLabel(name + "." + cl.names[0])
		blocks[cl] = l
		order = append(order, cl)
		return l
	}
	var splits []int
	splitLabel := map[int]label{}
	leafLabel := func(i int) label {
		lf := leaves[i]
		if !lf.splitOnX32 {
			return target(lf.cl)
		}
		if l, ok := splitLabel[i]; ok {
			return l
		}
		l := c.b.newLabel("")
		splitLabel[i] = l
		splits = append(splits, i)
		return l
	}
	// The bound is on whole paths, a leaf's own code included: one level
	// over the shallowest tree keeps the worst path short, and the tree
	// may still go as deep as a balanced search over the table's numbers
	// (9 for the 472 of x86-64) followed by the longest leaf (a RET, or
	// the longest argument check), where a level costs only the rare
	// calls that take it. So the dispatch never makes the worst path
	// longer than a balanced tree's.
	tableBits := mathbits.Len32(as[0].MaxNr() &^ as[0].NrBase)
	longest := 1
	for _, lf := range leaves {
		if !lf.splitOnX32 {
			longest = max(longest, lf.extra)
		}
	}
	tree := planTree(segs, lambda, depthSlack+c.deeperBy, tableBits+longest+c.deeperBy)
	c.b.emitTree(tree, segs, leafLabel, func(nr uint32) string { return describeNr(as, nr) })
	for _, i := range splits {
		c.b.place(splitLabel[i])
		lf := leaves[i]
		c.b.jmp(bpf.JumpBitsSet, systab.X32SyscallBit, target(lf.x32), target(lf.nox32), "x32 bit, above the table")
	}
	for _, cl := range order {
		c.b.current = name + " argument checks of " + strings.Join(cl.names, ",")
		c.b.place(blocks[cl])
		c.checks(archFor(as, cl), cl, true)
	}
	c.b.current = name
	c.flushRets()
}

// archFor finds the ABI a class's syscalls belong to.
func archFor(as []*systab.Arch, cl *class) *systab.Arch {
	for _, a := range as {
		if cl.arch == a {
			return a
		}
	}
	return as[0]
}

func describeNr(as []*systab.Arch, nr uint32) string {
	for _, a := range as {
		if a.Audit == systab.AuditArchX86_64 && (nr&systab.X32SyscallBit != 0) != (a.NrBase != 0) {
			continue
		}
		if n, ok := a.SyscallName(nr); ok {
			if a.NrBase != 0 {
				return a.Name + " " + n
			}
			return n
		}
	}
	return fmt.Sprintf("%#x", nr)
}

// emitTree emits a planned tree; A holds the number being tested.
func (b *builder) emitTree(t *pnode, segs []seg, leaf func(int) label, describe func(uint32) string) {
	switch t.kind {
	case pLeaf:
		b.ja(leaf(segs[t.i].leaf), "")
	case pSplit:
		b.split(t, segs, leaf, describe)
	case pChain:
		b.chainCode(t, segs, leaf, describe)
	case pHoist:
		v := segs[t.k].lo
		rest := b.newLabel("")
		b.jmp(bpf.JumpEqual, v, leaf(segs[t.k].leaf), rest, "== "+describe(v))
		b.place(rest)
		b.emitTree(t.rest, t.restSegs, leaf, describe)
	}
}

// split emits "jge" and both sides; a side that is a single segment jumps
// straight to its leaf.
func (b *builder) split(t *pnode, segs []seg, leaf func(int) label, describe func(uint32) string) {
	side := func(s *pnode) (label, bool) {
		if s.kind == pLeaf {
			return leaf(segs[s.i].leaf), false
		}
		return b.newLabel(""), true
	}
	lr, emitR := side(t.right)
	ll, emitL := side(t.left)
	lo := segs[t.m].lo
	b.jmp(bpf.JumpGreaterOrEqual, lo, lr, ll, ">= "+describe(lo))
	if emitL {
		b.place(ll)
		b.emitTree(t.left, segs, leaf, describe)
	}
	if emitR {
		b.place(lr)
		b.emitTree(t.right, segs, leaf, describe)
	}
}

func (b *builder) chainCode(t *pnode, segs []seg, leaf func(int) label, describe func(uint32) string) {
	for n, k := range t.exceptions {
		no := leaf(t.leaf)
		if n < len(t.exceptions)-1 {
			no = b.newLabel("")
		}
		v := segs[k].lo
		b.jmp(bpf.JumpEqual, v, leaf(segs[k].leaf), no, "== "+describe(v))
		if n < len(t.exceptions)-1 {
			b.place(no)
		}
	}
}

// segments partitions the numbers an audit value carries into runs with
// one leaf each, weighted by the profile's counts.
func (c *compiler) segments(au uint32, as []*systab.Arch) ([]seg, []*dleaf) {
	p := c.p
	var native, x32 *systab.Arch
	for _, a := range as {
		if a.NrBase != 0 {
			x32 = a
		} else {
			native = a
		}
	}
	foreign := alwaysClass(p.ForeignArchAction)
	byKey := map[string]*class{}
	intern := func(cl *class, arch *systab.Arch, name string) *class {
		if have, ok := byKey[cl.key]; ok {
			cl = have
		} else {
			byKey[cl.key] = cl
			cl.arch = arch
		}
		if name != "" {
			cl.names = append(cl.names, name)
		}
		return cl
	}
	foreign = intern(foreign, nil, "")
	unknownOf := func() *class {
		if p.UnknownErrno != 0 {
			return intern(alwaysClass(profiles.Errno(p.UnknownErrno)), nil, "")
		}
		return intern(alwaysClass(p.DefaultAction), nil, "")
	}
	// Weights: the counts per name, uncached calls weighing more; without
	// counts, every syscall a rule names weighs one call.
	var minCount uint64
	for _, n := range sortedKeys(p.Counts) {
		if v := p.Counts[n]; v > 0 && (minCount == 0 || v < minCount) {
			minCount = v
		}
	}
	named := map[string]bool{}
	for _, r := range p.Syscalls {
		for _, n := range r.Names {
			named[n] = true
		}
	}
	weightOf := func(name string, cl *class) float64 {
		unit := 1.0
		if len(p.Counts) > 0 {
			unit = float64(max(minCount, 1))
		}
		var w float64
		switch {
		case p.Counts[name] > 0:
			w = float64(p.Counts[name])
		case named[name] && len(p.Counts) > 0:
			w = coldWeight * unit
		case named[name]:
			w = unit
		default:
			// Neither counted nor named: the default action; such calls
			// are rare in a profiled program.
			return coldWeight * coldWeight * unit
		}
		if !(cl.always && cl.verdict == profiles.Allow) {
			w *= uncachedWeight
		}
		return w
	}

	type run struct {
		lo, hi uint32
		cl     *class
		w      float64
	}
	var runs []run
	add := func(nr uint32, cl *class, w float64) {
		if n := len(runs); n > 0 && runs[n-1].cl == cl && runs[n-1].hi+1 == nr {
			runs[n-1].hi = nr
			runs[n-1].w += w
			return
		}
		runs = append(runs, run{lo: nr, hi: nr, cl: cl, w: w})
	}
	addSpan := func(lo, hi uint32, cl *class) {
		if lo > hi {
			return
		}
		if n := len(runs); n > 0 && runs[n-1].cl == cl && runs[n-1].hi+1 == lo {
			runs[n-1].hi = hi
			return
		}
		runs = append(runs, run{lo: lo, hi: hi, cl: cl})
	}
	table := func(a *systab.Arch, lo uint32) {
		// lo..a.MaxNr(): the table; unknown gaps get the default action.
		for nr := lo; ; nr++ {
			if name, ok := a.SyscallName(nr); ok {
				cl := intern(classify(p, a, name), a, name)
				add(nr, cl, weightOf(name, cl))
			} else {
				add(nr, intern(alwaysClass(p.DefaultAction), a, ""), 0)
			}
			if nr == a.MaxNr() {
				break
			}
		}
	}
	if au != systab.AuditArchX86_64 {
		a := as[0]
		table(a, 0)
		if a.MaxNr() != ^uint32(0) {
			addSpan(a.MaxNr()+1, ^uint32(0), unknownOf())
		}
	} else {
		// Native numbers have the x32 bit clear, x32 ones set.
		nativeMax := systab.X86_64.MaxNr()
		if native != nil {
			table(native, 0)
		} else {
			addSpan(0, nativeMax, foreign)
		}
		nUnknown := foreign
		if native != nil {
			nUnknown = unknownOf()
		}
		addSpan(nativeMax+1, systab.X32SyscallBit-1, nUnknown)
		xUnknown := foreign
		if x32 != nil {
			table(x32, systab.X32SyscallBit)
			xUnknown = unknownOf()
			addSpan(x32.MaxNr()+1, 2*systab.X32SyscallBit-1, xUnknown)
		} else {
			addSpan(systab.X32SyscallBit, 2*systab.X32SyscallBit-1, foreign)
		}
		addSpan(2*systab.X32SyscallBit, 3*systab.X32SyscallBit-1, nUnknown)
		addSpan(3*systab.X32SyscallBit, ^uint32(0), xUnknown)
	}

	// Leaves, one per class, plus the x32 split for the numbers above the
	// native table when x32 is not listed: there the classes alternate on
	// the x32 bit, and one jset decides what four ranges would.
	leafOf := map[*class]int{}
	var leaves []*dleaf
	classLeaf := func(cl *class) int {
		if i, ok := leafOf[cl]; ok {
			return i
		}
		leafOf[cl] = len(leaves)
		// The bound is on whole paths: a leaf costs its RET, or the
		// longest path through its argument checks, so the dispatch may
		// place a RET as deep as the worst argument-checked path
		// already goes.
		leaves = append(leaves, &dleaf{cl: cl, extra: c.checkDepth(archFor(as, cl), cl)})
		return len(leaves) - 1
	}
	var segs []seg
	cut := len(runs)
	if au == systab.AuditArchX86_64 && x32 == nil && len(runs) >= 4 {
		n := len(runs)
		tail := runs[n-4:]
		if tail[0].hi == systab.X32SyscallBit-1 && tail[1].lo == systab.X32SyscallBit && tail[1].hi == 2*systab.X32SyscallBit-1 &&
			tail[2].lo == 2*systab.X32SyscallBit && tail[2].hi == 3*systab.X32SyscallBit-1 && tail[3].lo == 3*systab.X32SyscallBit &&
			tail[0].cl == tail[2].cl && tail[1].cl == tail[3].cl {
			cut = n - 4
		}
	}
	for _, r := range runs[:cut] {
		li := classLeaf(r.cl)
		segs = append(segs, seg{lo: r.lo, hi: r.hi, leaf: li, w: r.w, extra: leaves[li].extra})
	}
	if cut < len(runs) {
		tail := runs[cut:]
		leaves = append(leaves, &dleaf{splitOnX32: true, x32: tail[1].cl, nox32: tail[0].cl, extra: 2})
		li := len(leaves) - 1
		segs = append(segs, seg{lo: tail[0].lo, hi: ^uint32(0), leaf: li, extra: 2})
	}
	return segs, leaves
}

func sortedKeys[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// checkDepth is the longest path through a class's code, its RET
// included: 1 for a RET, else the argument checks' longest path, measured
// by emitting them on their own.
func (c *compiler) checkDepth(arch *systab.Arch, cl *class) int {
	if cl.always {
		return 1
	}
	scratch := &compiler{p: c.p, rets: map[profiles.Verdict]label{}, part: "depth", opt: true}
	scratch.checks(arch, cl, true)
	scratch.flushRets()
	return scratch.b.longestPath()
}
