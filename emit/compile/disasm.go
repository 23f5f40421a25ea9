package compile

import (
	"fmt"
	"strings"

	"golang.org/x/net/bpf"
)

// Disassemble renders the program in bpf_asm-like syntax: one instruction a
// line with its index, jump targets as labels, and a comment saying what
// each instruction tests (syscall names, argument halves, verdicts).
func (p *Program) Disassemble() string {
	name := p.names()
	var b strings.Builder
	for i, ins := range p.Instructions {
		if name[i] != "" {
			fmt.Fprintf(&b, "%s:\n", name[i])
		}
		text := p.text(i, ins, name)
		if c := p.comments[i]; c != "" {
			fmt.Fprintf(&b, "%5d  %-40s ; %s\n", i, text, c)
		} else {
			fmt.Fprintf(&b, "%5d  %s\n", i, text)
		}
	}
	return b.String()
}

// Listing is the disassembly of each instruction on its own, jump targets
// as absolute indexes: "jeq #0x3, 7, 9 ; == close".
func (p *Program) Listing() []string {
	name := make([]string, len(p.Instructions))
	for i := range name {
		name[i] = fmt.Sprint(i)
	}
	out := make([]string, len(p.Instructions))
	for i, ins := range p.Instructions {
		out[i] = p.text(i, ins, name)
		if c := p.comments[i]; c != "" {
			out[i] += " ; " + c
		}
	}
	return out
}

// names gives every jump target a label.
func (p *Program) names() []string {
	name := make([]string, len(p.Instructions))
	for i := range p.Instructions {
		name[i] = p.labels[i]
	}
	for _, t := range p.targets {
		for _, at := range []int{t.t, t.f} {
			if at >= 0 && at < len(name) && name[at] == "" {
				name[at] = fmt.Sprintf("L%d", at)
			}
		}
	}
	return name
}

func (p *Program) text(i int, ins bpf.Instruction, name []string) string {
	t := p.targets[i]
	switch ins := ins.(type) {
	case bpf.LoadAbsolute:
		return fmt.Sprintf("ld [%d]", ins.Off)
	case bpf.ALUOpConstant:
		return fmt.Sprintf("and #%#x", ins.Val)
	case bpf.RetConstant:
		return fmt.Sprintf("ret #%#x", ins.Val)
	case bpf.Jump:
		return "ja " + name[t.t]
	case bpf.JumpIf:
		op := map[bpf.JumpTest]string{
			bpf.JumpEqual: "jeq", bpf.JumpGreaterThan: "jgt",
			bpf.JumpGreaterOrEqual: "jge", bpf.JumpBitsSet: "jset",
		}[ins.Cond]
		return fmt.Sprintf("%s #%#x, %s, %s", op, ins.Val, name[t.t], name[t.f])
	}
	return fmt.Sprint(ins)
}
