package compile

import (
	"fmt"
	"sort"

	"golang.org/x/net/bpf"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
)

// checks emits a class's rules, strictest first: each rule's conditions in
// turn, the first failing one skipping to the next rule, the last rule
// failing to the class's fallback verdict. opt selects the optimised
// condition forms (value-set trees, single-JSET masks).
func (c *compiler) checks(arch *systab.Arch, cl *class, opt bool) {
	halves := halvesOf(arch)
	for i, chk := range cl.checks {
		var fail label
		last := i == len(cl.checks)-1
		if last {
			fail = c.ret(cl.fallback)
		} else {
			fail = c.b.newLabel("")
		}
		for j, cd := range chk.conds {
			var pass label
			final := j == len(chk.conds)-1
			if final {
				pass = c.ret(chk.verdict)
			} else {
				pass = c.b.newLabel("")
			}
			e := condEmitter{b: &c.b, opt: opt, h: halves.of(cd.index), name: argName(cd), pass: pass, fail: fail}
			if fell := e.emit(cd); fell && final {
				c.b.ja(pass, "")
			}
			if !final {
				c.b.place(pass)
			}
		}
		if !last {
			c.b.place(fail)
		}
	}
}

func argName(cd cond) string {
	n := fmt.Sprintf("a%d", cd.index)
	if cd.name != "" && cd.name != n {
		n = cd.name + " (" + n + ")"
	}
	return n
}

// halfOffsets says where the 32-bit halves of each argument sit in
// seccomp_data for one ABI: args are u64 in the ABI's byte order, so the low
// half is at the lower offset on little-endian ABIs and at the higher one on
// big-endian ones (s390x).
type halfOffsets struct{ le bool }

func halvesOf(arch *systab.Arch) halfOffsets { return halfOffsets{le: arch.Audit&auditArchLE != 0} }

type argHalves struct{ lo, hi uint32 }

func (h halfOffsets) of(i int) argHalves {
	base := uint32(offArgs + 8*i)
	if h.le {
		return argHalves{lo: base, hi: base + 4}
	}
	return argHalves{lo: base + 4, hi: base}
}

// condEmitter emits one condition: control leaves through a jump to pass or
// fail, or (when emit reports it) falls through meaning pass.
type condEmitter struct {
	b          *builder
	opt        bool // optimised forms: set trees, single jset for masks
	h          argHalves
	name       string
	pass, fail label
}

func (e *condEmitter) next() label { return e.b.newLabel("") }

func (e *condEmitter) ldLo() { e.b.ld(e.h.lo, e.name+" low") }
func (e *condEmitter) ldHi() { e.b.ld(e.h.hi, e.name+" high") }

// emit compiles cd and reports whether it emitted no jump to pass because
// the condition always holds (control falls through).
func (e *condEmitter) emit(cd cond) bool {
	m := cd.m
	if !cd.wide {
		return e.narrow(m)
	}
	switch m.Op {
	case profiles.OpIn:
		e.in64(m.Values)
	case profiles.OpBits:
		return e.bits64(m.Mask)
	case profiles.OpEq:
		e.eq64(m.Value, e.pass, e.fail)
	case profiles.OpNe:
		e.eq64(m.Value, e.fail, e.pass)
	case profiles.OpRange:
		return e.range64(m.Lo, m.Hi)
	case profiles.OpMasked:
		return e.masked64(m.Mask, m.Value)
	}
	return false
}

const all32 = ^uint32(0)

func lo32(v uint64) uint32 { return uint32(v) }
func hi32(v uint64) uint32 { return uint32(v >> 32) }

// narrow compiles a condition on an argument the kernel truncates to 32
// bits: only the low half is loaded and every constant is truncated the
// same way, so garbage in the high half never matters.
func (e *condEmitter) narrow(m profiles.Matcher) bool {
	switch m.Op {
	case profiles.OpIn:
		// lo ∈ {v1..vn}: jeq v1 → pass; …; jeq vn → pass else fail.
		set := map[uint32]bool{}
		var vals []uint32
		for _, v := range m.Values {
			if !set[lo32(v)] {
				set[lo32(v)] = true
				vals = append(vals, lo32(v))
			}
		}
		sort.Slice(vals, func(i, j int) bool { return vals[i] < vals[j] })
		if len(vals) == 0 {
			e.b.ja(e.fail, e.name+" in {}")
			return false
		}
		e.ldLo()
		if e.opt {
			e.setTree(vals, e.pass, e.fail, e.name)
		} else {
			e.oneOf(vals, e.pass, e.fail, e.name)
		}
	case profiles.OpBits:
		// lo & ^mask == 0: jset ^mask → fail.
		inv := ^lo32(m.Mask)
		if inv == 0 {
			return true
		}
		e.ldLo()
		e.b.jmp(bpf.JumpBitsSet, inv, e.fail, e.pass, fmt.Sprintf("%s & %#x != 0", e.name, inv))
	case profiles.OpEq:
		e.ldLo()
		e.b.jmp(bpf.JumpEqual, lo32(m.Value), e.pass, e.fail, fmt.Sprintf("%s == %#x", e.name, lo32(m.Value)))
	case profiles.OpNe:
		e.ldLo()
		e.b.jmp(bpf.JumpEqual, lo32(m.Value), e.fail, e.pass, fmt.Sprintf("%s != %#x", e.name, lo32(m.Value)))
	case profiles.OpRange:
		return e.range32(lo32(m.Lo), lo32(m.Hi))
	case profiles.OpMasked:
		// lo & mask == value & mask.
		mask := lo32(m.Mask)
		if mask == 0 {
			return true
		}
		e.ldLo()
		e.maskedHalf(mask, lo32(m.Value)&mask, e.pass, e.name)
	}
	return false
}

// oneOf: A ∈ vals → yes, else no (A already loaded).
func (e *condEmitter) oneOf(vals []uint32, yes, no label, what string) {
	for i, v := range vals {
		if i == len(vals)-1 {
			e.b.jmp(bpf.JumpEqual, v, yes, no, fmt.Sprintf("%s == %#x", what, v))
			return
		}
		n := e.next()
		e.b.jmp(bpf.JumpEqual, v, yes, n, fmt.Sprintf("%s == %#x", what, v))
		e.b.place(n)
	}
}

// maskedHalf: A & mask == want → yes, else fail (A already loaded).
func (e *condEmitter) maskedHalf(mask, want uint32, yes label, what string) {
	if e.opt && want == 0 {
		// A & mask == 0: no bit of mask set.
		e.b.jmp(bpf.JumpBitsSet, mask, e.fail, yes, fmt.Sprintf("%s & %#x != 0", what, mask))
		return
	}
	if e.opt && want == mask && mask&(mask-1) == 0 {
		// A single bit that must be set.
		e.b.jmp(bpf.JumpBitsSet, mask, yes, e.fail, fmt.Sprintf("%s & %#x", what, mask))
		return
	}
	if mask != all32 {
		e.b.and(mask, fmt.Sprintf("%s & %#x", what, mask))
	}
	e.b.jmp(bpf.JumpEqual, want, yes, e.fail, fmt.Sprintf("%s & %#x == %#x", what, mask, want))
}

// range32: lo <= A <= hi, unsigned, with
// jge lo else fail; jgt hi → fail else pass. Bounds at the ends of the
// domain need no test.
func (e *condEmitter) range32(lo, hi uint32) bool {
	if lo > hi {
		e.b.ja(e.fail, fmt.Sprintf("%s in empty range", e.name))
		return false
	}
	if lo == 0 && hi == all32 {
		return true
	}
	e.ldLo()
	if lo > 0 {
		yes := e.pass
		if hi != all32 {
			yes = e.next()
		}
		e.b.jmp(bpf.JumpGreaterOrEqual, lo, yes, e.fail, fmt.Sprintf("%s >= %#x", e.name, lo))
		if hi == all32 {
			return false
		}
		e.b.place(yes)
	}
	e.b.jmp(bpf.JumpGreaterThan, hi, e.fail, e.pass, fmt.Sprintf("%s > %#x", e.name, hi))
	return false
}

// eq64: v == x ⇔ hi(v) == hi(x) ∧ lo(v) == lo(x):
// ld hi; jeq hi(x) else no; ld lo; jeq lo(x) → yes else no.
// With yes and no swapped it is ne.
func (e *condEmitter) eq64(x uint64, yes, no label) {
	e.ldHi()
	n := e.next()
	e.b.jmp(bpf.JumpEqual, hi32(x), n, no, fmt.Sprintf("%s high == %#x", e.name, hi32(x)))
	e.b.place(n)
	e.ldLo()
	e.b.jmp(bpf.JumpEqual, lo32(x), yes, no, fmt.Sprintf("%s low == %#x", e.name, lo32(x)))
}

// in64: v ∈ S ⇔ ∃ x ∈ S: hi(v) == hi(x) ∧ lo(v) == lo(x). The values are
// grouped by high half: one jeq per distinct high half picks a group, then
// the group tests its low halves.
func (e *condEmitter) in64(values []uint64) {
	vals := append([]uint64(nil), values...)
	sort.Slice(vals, func(i, j int) bool { return vals[i] < vals[j] })
	type group struct {
		hi  uint32
		los []uint32
		l   label
	}
	var groups []*group
	for i, v := range vals {
		if i > 0 && v == vals[i-1] {
			continue
		}
		if n := len(groups); n == 0 || groups[n-1].hi != hi32(v) {
			groups = append(groups, &group{hi: hi32(v), l: e.next()})
		}
		g := groups[len(groups)-1]
		g.los = append(g.los, lo32(v))
	}
	if len(groups) == 0 {
		e.b.ja(e.fail, e.name+" in {}")
		return
	}
	e.ldHi()
	for i, g := range groups {
		no := e.fail
		if i < len(groups)-1 {
			no = e.next()
		}
		e.b.jmp(bpf.JumpEqual, g.hi, g.l, no, fmt.Sprintf("%s high == %#x", e.name, g.hi))
		if no != e.fail {
			e.b.place(no)
		}
	}
	for _, g := range groups {
		e.b.place(g.l)
		e.ldLo()
		if e.opt {
			e.setTree(g.los, e.pass, e.fail, e.name+" low")
		} else {
			e.oneOf(g.los, e.pass, e.fail, e.name+" low")
		}
	}
}

// bits64: v & ^mask == 0 ⇔ hi(v) & ^hi(mask) == 0 ∧ lo(v) & ^lo(mask) == 0:
// ld hi; jset ^hi(mask) → fail; ld lo; jset ^lo(mask) → fail else pass.
// A half whose mask is all ones needs no test.
func (e *condEmitter) bits64(mask uint64) bool {
	ih, il := ^hi32(mask), ^lo32(mask)
	if ih == 0 && il == 0 {
		return true
	}
	if ih != 0 {
		e.ldHi()
		yes := e.pass
		if il != 0 {
			yes = e.next()
		}
		e.b.jmp(bpf.JumpBitsSet, ih, e.fail, yes, fmt.Sprintf("%s high & %#x != 0", e.name, ih))
		if il == 0 {
			return false
		}
		e.b.place(yes)
	}
	e.ldLo()
	e.b.jmp(bpf.JumpBitsSet, il, e.fail, e.pass, fmt.Sprintf("%s low & %#x != 0", e.name, il))
	return false
}

// masked64: v & mask == x & mask ⇔ for each half h: h(v) & h(mask) == h(x) & h(mask):
// ld hi; and hi(mask); jeq hi(x&mask) else fail; ld lo; and lo(mask);
// jeq lo(x&mask) → pass else fail. A half with a zero mask always holds.
func (e *condEmitter) masked64(mask, x uint64) bool {
	mh, ml := hi32(mask), lo32(mask)
	want := x & mask
	if mh == 0 && ml == 0 {
		return true
	}
	if mh != 0 {
		e.ldHi()
		yes := e.pass
		if ml != 0 {
			yes = e.next()
		}
		e.maskedHalf(mh, hi32(want), yes, e.name+" high")
		if ml == 0 {
			return false
		}
		e.b.place(yes)
	}
	e.ldLo()
	e.maskedHalf(ml, lo32(want), e.pass, e.name+" low")
	return false
}

// range64: lo <= v <= hi, unsigned 64-bit, as two tests on halves:
//
//	v >= lo ⇔ H > hi(lo) ∨ (H == hi(lo) ∧ L >= lo(lo))
//	v <= hi ⇔ H < hi(hi) ∨ (H == hi(hi) ∧ L <= lo(hi))
//
// The lower test ends with A = L, so the upper one reloads H unless it was
// reached straight from the jgt on H. A bound at the end of the domain
// needs no test.
func (e *condEmitter) range64(lo, hi uint64) bool {
	if lo > hi {
		e.b.ja(e.fail, fmt.Sprintf("%s in empty range", e.name))
		return false
	}
	hasLower, hasUpper := lo > 0, hi != ^uint64(0)
	if !hasLower && !hasUpper {
		return true
	}
	upper, reload := e.pass, e.pass // where the lower test continues with A = H, A = L
	if hasUpper {
		upper, reload = e.next(), e.next()
	}
	e.ldHi()
	if hasLower {
		n := e.next()
		e.b.jmp(bpf.JumpGreaterThan, hi32(lo), upper, n, fmt.Sprintf("%s high > %#x", e.name, hi32(lo)))
		e.b.place(n)
		if lo32(lo) == 0 {
			// H == hi(lo) ∧ L >= 0 is H == hi(lo): A still holds H.
			e.b.jmp(bpf.JumpEqual, hi32(lo), upper, e.fail, fmt.Sprintf("%s high == %#x", e.name, hi32(lo)))
		} else {
			n := e.next()
			e.b.jmp(bpf.JumpEqual, hi32(lo), n, e.fail, fmt.Sprintf("%s high == %#x", e.name, hi32(lo)))
			e.b.place(n)
			e.ldLo()
			e.b.jmp(bpf.JumpGreaterOrEqual, lo32(lo), reload, e.fail, fmt.Sprintf("%s low >= %#x", e.name, lo32(lo)))
		}
	}
	if !hasUpper {
		return false
	}
	if hasLower && lo32(lo) != 0 {
		e.b.place(reload)
		e.ldHi()
	}
	e.b.place(upper)
	if lo32(hi) == all32 {
		// H == hi(hi) ∧ L <= 0xffffffff is H == hi(hi): v <= hi ⇔ H <= hi(hi).
		e.b.jmp(bpf.JumpGreaterThan, hi32(hi), e.fail, e.pass, fmt.Sprintf("%s high > %#x", e.name, hi32(hi)))
		return false
	}
	n := e.next()
	e.b.jmp(bpf.JumpGreaterThan, hi32(hi), e.fail, n, fmt.Sprintf("%s high > %#x", e.name, hi32(hi)))
	e.b.place(n)
	n = e.next()
	e.b.jmp(bpf.JumpEqual, hi32(hi), n, e.pass, fmt.Sprintf("%s high == %#x", e.name, hi32(hi)))
	e.b.place(n)
	e.ldLo()
	e.b.jmp(bpf.JumpGreaterThan, lo32(hi), e.fail, e.pass, fmt.Sprintf("%s low > %#x", e.name, lo32(hi)))
	return false
}
