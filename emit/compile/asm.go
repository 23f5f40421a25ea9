package compile

import (
	"fmt"

	"golang.org/x/net/bpf"
)

// label names a position in the code being emitted. Jumps target labels;
// resolve turns them into offsets once the layout is known.
type label int

// opKind is the small instruction set the compiler emits.
type opKind uint8

const (
	opLd  opKind = iota // A = 32-bit word of seccomp_data at k
	opAnd               // A &= k
	opJmp               // if A <cond> k goto jt else goto jf
	opJa                // goto jt
	opRet               // return k
)

// insn is one instruction with symbolic jump targets.
type insn struct {
	op      opKind
	cond    bpf.JumpTest // opJmp only: JumpEqual, JumpGreaterThan, JumpGreaterOrEqual, JumpBitsSet
	k       uint32
	jt, jf  label
	comment string
}

// builder accumulates instructions and labels in emission order. Every jump
// must go forward: a label is placed after the jumps that name it.
type builder struct {
	code    []insn
	labelAt []int    // label -> index in code of the instruction it precedes; -1 until placed
	names   []string // label -> name for the disassembly, "" for internal ones
	// block records, per instruction, which part of the program emitted it,
	// so ErrTooLarge can say what made a program large.
	block   []string
	current string
}

func (b *builder) newLabel(name string) label {
	b.labelAt = append(b.labelAt, -1)
	b.names = append(b.names, name)
	return label(len(b.labelAt) - 1)
}

// place binds l to the next instruction emitted.
func (b *builder) place(l label) {
	if b.labelAt[l] != -1 {
		panic(fmt.Sprintf("compile: label %d (%s) placed twice", l, b.names[l]))
	}
	b.labelAt[l] = len(b.code)
}

func (b *builder) emit(i insn) {
	b.code = append(b.code, i)
	b.block = append(b.block, b.current)
}

func (b *builder) ld(off uint32, comment string) {
	b.emit(insn{op: opLd, k: off, comment: comment})
}

func (b *builder) and(mask uint32, comment string) {
	b.emit(insn{op: opAnd, k: mask, comment: comment})
}

func (b *builder) jmp(cond bpf.JumpTest, k uint32, jt, jf label, comment string) {
	b.emit(insn{op: opJmp, cond: cond, k: k, jt: jt, jf: jf, comment: comment})
}

func (b *builder) ja(to label, comment string) {
	b.emit(insn{op: opJa, jt: to, comment: comment})
}

func (b *builder) ret(k uint32, comment string) {
	b.emit(insn{op: opRet, k: k, comment: comment})
}

// maxJump is the farthest a conditional jump reaches (an 8-bit offset).
const maxJump = 255

// layout is the resolved program: instructions with offsets, and what the
// disassembly shows next to them.
type layout struct {
	ins      []bpf.Instruction
	comments []string
	labels   []string // name of the label at each position, "" if none
	targets  []targetPair
	blocks   []string // which part emitted each instruction (a trampoline counts for its jump's)
}

// targetPair keeps each jump's absolute targets for the disassembly.
type targetPair struct{ t, f int }

// resolve lays out the code, adding a trampoline after every conditional
// jump whose target is more than maxJump instructions away. Inserting a
// trampoline only moves code down, which can only lengthen other jumps, so
// the loop marks branches until nothing changes; each branch is marked at
// most once, so it ends.
func (b *builder) resolve() layout {
	n := len(b.code)
	for _, in := range b.code {
		var used []label
		switch in.op {
		case opJmp:
			used = []label{in.jt, in.jf}
		case opJa:
			used = []label{in.jt}
		}
		for _, l := range used {
			if at := b.labelAt[l]; at < 0 || at >= n {
				panic(fmt.Sprintf("compile: label %d (%s) not placed before an instruction", l, b.names[l]))
			}
		}
	}
	trampT := make([]bool, n)
	trampF := make([]bool, n)
	pos := make([]int, n+1)
	for {
		p := 0
		for i := range b.code {
			pos[i] = p
			p++
			if trampT[i] {
				p++
			}
			if trampF[i] {
				p++
			}
		}
		pos[n] = p
		changed := false
		for i, in := range b.code {
			if in.op != opJmp {
				continue
			}
			after := pos[i] + 1 // offsets count from the instruction after the jump
			if !trampT[i] && pos[b.labelAt[in.jt]]-after > maxJump {
				trampT[i], changed = true, true
			}
			if !trampF[i] && pos[b.labelAt[in.jf]]-after > maxJump {
				trampF[i], changed = true, true
			}
		}
		if !changed {
			break
		}
	}
	return b.materialise(pos, trampT, trampF)
}

func (b *builder) materialise(pos []int, trampT, trampF []bool) layout {
	total := pos[len(b.code)]
	out := layout{
		ins:      make([]bpf.Instruction, 0, total),
		comments: make([]string, 0, total),
		labels:   make([]string, total),
		targets:  make([]targetPair, 0, total),
		blocks:   make([]string, 0, total),
	}
	for l, at := range b.labelAt {
		if at < 0 || at >= len(b.code) {
			continue // never placed, or placed at the end: no jump uses it
		}
		p := pos[at]
		if out.labels[p] == "" && b.names[l] != "" {
			out.labels[p] = b.names[l]
		}
	}
	at := func(l label) int { return pos[b.labelAt[l]] }
	block := ""
	add := func(ins bpf.Instruction, comment string, t, f int) {
		out.blocks = append(out.blocks, block)
		out.ins = append(out.ins, ins)
		out.comments = append(out.comments, comment)
		out.targets = append(out.targets, targetPair{t, f})
	}
	// trampoline reaches l from position p: a copy of the RET it would jump
	// to costs nothing extra at run time, anything else takes a JA.
	trampoline := func(l label, p int) {
		target := b.code[b.labelAt[l]]
		if target.op == opRet {
			add(bpf.RetConstant{Val: target.k}, target.comment, -1, -1)
			return
		}
		add(bpf.Jump{Skip: uint32(at(l) - p - 1)}, "trampoline", at(l), -1)
	}
	for i, in := range b.code {
		p := pos[i]
		block = b.block[i]
		switch in.op {
		case opLd:
			add(bpf.LoadAbsolute{Off: in.k, Size: 4}, in.comment, -1, -1)
		case opAnd:
			add(bpf.ALUOpConstant{Op: bpf.ALUOpAnd, Val: in.k}, in.comment, -1, -1)
		case opRet:
			add(bpf.RetConstant{Val: in.k}, in.comment, -1, -1)
		case opJa:
			d := at(in.jt) - p - 1
			if d < 0 {
				panic(fmt.Sprintf("compile: backward jump to %s", b.names[in.jt]))
			}
			add(bpf.Jump{Skip: uint32(d)}, in.comment, at(in.jt), -1)
		case opJmp:
			t, f := at(in.jt), at(in.jf)
			st, sf := t-p-1, f-p-1
			next := p + 1
			if trampT[i] {
				st, t = next-p-1, next
				next++
			}
			if trampF[i] {
				sf, f = next-p-1, next
			}
			if st < 0 || sf < 0 {
				panic(fmt.Sprintf("compile: backward jump at %d", i))
			}
			add(bpf.JumpIf{Cond: in.cond, Val: in.k, SkipTrue: uint8(st), SkipFalse: uint8(sf)}, in.comment, t, f)
			if trampT[i] {
				trampoline(in.jt, len(out.ins))
			}
			if trampF[i] {
				trampoline(in.jf, len(out.ins))
			}
		}
	}
	return out
}

// longestPath is the most instructions a run through the code emitted so
// far executes (every jump goes forward), counting a JA as one.
func (b *builder) longestPath() int {
	depth := make([]int, len(b.code)+1)
	at := func(l label) int { return depth[b.labelAt[l]] }
	for i := len(b.code) - 1; i >= 0; i-- {
		in := b.code[i]
		switch in.op {
		case opRet:
			depth[i] = 1
		case opJa:
			depth[i] = 1 + at(in.jt)
		case opJmp:
			depth[i] = 1 + max(at(in.jt), at(in.jf))
		default:
			depth[i] = 1 + depth[i+1]
		}
	}
	if len(b.code) == 0 {
		return 0
	}
	return depth[0]
}
