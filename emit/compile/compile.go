package compile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"strings"

	"golang.org/x/net/bpf"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
)

// MaxInstructions is the kernel's limit on a classic BPF program
// (BPF_MAXINSNS).
const MaxInstructions = 4096

// ErrTooLarge is returned when a profile compiles to more instructions than
// the kernel accepts. The wrapping error says which parts are largest.
var ErrTooLarge = errors.New("program above BPF_MAXINSNS (4096 instructions)")

// seccomp_data offsets.
const (
	offNr   = 0
	offArch = 4
	offArgs = 16
)

// auditArchLE is __AUDIT_ARCH_LE: set in the audit value of little-endian ABIs.
const auditArchLE = 0x40000000

// Options tunes compilation. The zero value optimises.
type Options struct {
	// Unoptimized compiles the plain layout: a balanced search over number
	// ranges with the x32 bit tested first, conditions in their simplest
	// form, no optimisation passes. Tests compare it with the optimised
	// program and with profiles.Evaluate.
	Unoptimized bool
	// DeeperBy lets the optimised dispatch go this many levels deeper than
	// its default bound (a balanced tree's worst path), trading a longer
	// worst path for fewer instructions on the hot calls. Zero is the
	// default; bench/compiler shows the trade.
	DeeperBy int
}

// Program is a compiled seccomp filter.
type Program struct {
	// Instructions is the program as golang.org/x/net/bpf models it.
	Instructions []bpf.Instruction

	comments []string
	labels   []string
	targets  []targetPair
}

// Len is the number of instructions.
func (p *Program) Len() int { return len(p.Instructions) }

// Raw assembles the program for the kernel.
func (p *Program) Raw() ([]bpf.RawInstruction, error) {
	raw, err := bpf.Assemble(p.Instructions)
	if err != nil {
		return nil, fmt.Errorf("assemble: %w", err)
	}
	return raw, nil
}

// Bytes is the program as an array of struct sock_filter in the byte order
// of the machine running this code: u16 code, u8 jt, u8 jf, u32 k.
func (p *Program) Bytes() ([]byte, error) {
	raw, err := p.Raw()
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, 8*len(raw))
	for _, r := range raw {
		out = binary.NativeEndian.AppendUint16(out, r.Op)
		out = append(out, r.Jt, r.Jf)
		out = binary.NativeEndian.AppendUint32(out, r.K)
	}
	return out, nil
}

// Compile translates a profile into a seccomp filter with the meaning of
// profiles.Evaluate.
func Compile(p *profiles.Profile, opts Options) (*Program, error) {
	if p == nil {
		return nil, errors.New("compile: nil profile")
	}
	arches, err := resolveArches(p)
	if err != nil {
		return nil, err
	}
	if err := checkProfile(p); err != nil {
		return nil, err
	}
	c := &compiler{p: p, rets: map[profiles.Verdict]label{}, opt: !opts.Unoptimized, deeperBy: max(opts.DeeperBy, 0)}
	if err := c.program(arches); err != nil {
		return nil, err
	}
	b := &c.b
	if c.opt {
		code, err := optimize(fromBuilder(b))
		if err != nil {
			return nil, err
		}
		b = toBuilder(code)
	}
	if len(b.code) > MaxInstructions {
		return nil, tooLarge(b.block)
	}
	l := b.resolve()
	if len(l.ins) > MaxInstructions {
		return nil, tooLarge(l.blocks)
	}
	return &Program{Instructions: l.ins, comments: l.comments, labels: l.labels, targets: l.targets}, nil
}

// resolveArches maps the profile's architecture names to tables, in profile
// order without repeats. Evaluate compares names exactly, so only systab
// names (not OCI names) are accepted.
func resolveArches(p *profiles.Profile) ([]*systab.Arch, error) {
	var out []*systab.Arch
	seen := map[string]bool{}
	for _, n := range p.Architectures {
		a, ok := systab.ArchByName(n)
		if !ok || a.Name != n {
			return nil, fmt.Errorf("architecture %q: not a known ABI name", n)
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, a)
		}
	}
	return out, nil
}

// checkProfile refuses what has no BPF meaning: bad verdicts, argument
// indexes and matcher kinds.
func checkProfile(p *profiles.Profile) error {
	for _, v := range []profiles.Verdict{p.DefaultAction, p.ForeignArchAction, profiles.Errno(p.UnknownErrno)} {
		if _, err := RetValue(v); err != nil {
			return err
		}
	}
	for i, r := range p.Syscalls {
		if _, err := RetValue(r.Action); err != nil {
			return fmt.Errorf("rule %d (%s): %w", i, r, err)
		}
		for _, a := range r.Args {
			if a.Index < 0 || a.Index >= systab.MaxArgs {
				return fmt.Errorf("rule %d (%s): argument index %d out of range", i, r, a.Index)
			}
			if a.Match.Op < profiles.OpIn || a.Match.Op > profiles.OpMasked {
				return fmt.Errorf("rule %d (%s): matcher %s unknown", i, r, a.Match.Op)
			}
		}
	}
	return nil
}

// compiler holds the state of one compilation.
type compiler struct {
	p *profiles.Profile
	b builder
	// rets maps a verdict to the RET of the current section; a section's
	// RETs sit at its end so that jumps to them stay short.
	rets     map[profiles.Verdict]label
	retOrder []profiles.Verdict
	// part names the part of the program being emitted, for labels.
	part string
	// opt selects the optimised layout (auditOpt, checks with opt).
	opt bool
	// deeperBy relaxes the dispatch's depth bound (Options.DeeperBy).
	deeperBy int
}

// ret returns the label of the current section's RET for v.
func (c *compiler) ret(v profiles.Verdict) label {
	v = normalize(v)
	if l, ok := c.rets[v]; ok {
		return l
	}
	l := c.b.newLabel(c.part + "." + retName(v))
	c.rets[v] = l
	c.retOrder = append(c.retOrder, v)
	return l
}

func retName(v profiles.Verdict) string {
	return strings.NewReplacer("(", "_", ")", "").Replace(v.String())
}

// flushRets emits the RETs the current section used.
func (c *compiler) flushRets() {
	for _, v := range c.retOrder {
		c.b.place(c.rets[v])
		k, _ := RetValue(v) // checked by checkProfile
		c.b.ret(k, v.String())
	}
	c.rets = map[profiles.Verdict]label{}
	c.retOrder = nil
}

// program emits the arch dispatch and one section per ABI.
func (c *compiler) program(arches []*systab.Arch) error {
	c.b.current, c.part = "arch dispatch", "foreign"
	c.b.ld(offArch, "arch")
	// Group ABIs by audit value: x86_64 and x32 share one.
	var audits []uint32
	byAudit := map[uint32][]*systab.Arch{}
	for _, a := range arches {
		if byAudit[a.Audit] == nil {
			audits = append(audits, a.Audit)
		}
		byAudit[a.Audit] = append(byAudit[a.Audit], a)
	}
	entries := make([]label, len(audits))
	for i, au := range audits {
		entries[i] = c.b.newLabel("audit_" + sectionName(byAudit[au]))
		next := c.b.newLabel("")
		fail := next
		if i == len(audits)-1 {
			fail = c.ret(c.p.ForeignArchAction)
		}
		c.b.jmp(bpf.JumpEqual, au, entries[i], fail, fmt.Sprintf("%#x: %s", au, sectionName(byAudit[au])))
		if fail == next {
			c.b.place(next)
		}
	}
	if len(audits) == 0 {
		c.b.ja(c.ret(c.p.ForeignArchAction), "no architecture")
	}
	c.flushRets()
	for i, au := range audits {
		c.b.place(entries[i])
		if c.opt {
			c.auditOpt(au, byAudit[au])
		} else {
			c.audit(au, byAudit[au])
		}
	}
	return nil
}

func sectionName(as []*systab.Arch) string {
	n := make([]string, len(as))
	for i, a := range as {
		n[i] = a.Name
	}
	return strings.Join(n, "+")
}

// audit emits the code for one audit value: on x86-64 the x32 split, then
// the ABI sections.
func (c *compiler) audit(au uint32, as []*systab.Arch) {
	c.b.current, c.part = sectionName(as), sectionName(as)
	c.b.ld(offNr, "nr")
	if au != systab.AuditArchX86_64 {
		c.section(as[0])
		return
	}
	var native, x32 *systab.Arch
	for _, a := range as {
		if a.NrBase != 0 {
			x32 = a
		} else {
			native = a
		}
	}
	// x32 calls carry the x86-64 audit value; only the number tells them
	// apart, so test its x32 bit before looking the number up.
	var lx32, lnative label
	if x32 != nil {
		lx32 = c.b.newLabel("x32")
	} else {
		lx32 = c.ret(c.p.ForeignArchAction)
	}
	if native != nil {
		lnative = c.b.newLabel(native.Name)
	} else {
		lnative = c.ret(c.p.ForeignArchAction)
	}
	c.b.jmp(bpf.JumpBitsSet, systab.X32SyscallBit, lx32, lnative, "x32 bit")
	c.flushRets()
	if native != nil {
		c.b.place(lnative)
		c.section(native)
	}
	if x32 != nil {
		c.b.place(lx32)
		c.section(x32)
	}
}

// section emits the number search and the argument checks of one ABI. A
// holds nr on entry.
func (c *compiler) section(arch *systab.Arch) {
	c.b.current, c.part = arch.Name, arch.Name
	ivs := intervals(c.p, arch)
	blocks := map[*class]label{}
	var order []*class
	leaf := func(cl *class) label {
		if cl.always {
			return c.ret(cl.verdict)
		}
		if l, ok := blocks[cl]; ok {
			return l
		}
		l := c.b.newLabel(arch.Name + "." + cl.names[0])
		blocks[cl] = l
		order = append(order, cl)
		return l
	}
	c.search(arch, ivs, leaf)
	for _, cl := range order {
		c.b.current = arch.Name + " argument checks of " + strings.Join(cl.names, ",")
		c.b.place(blocks[cl])
		c.checks(arch, cl, false)
	}
	c.b.current = arch.Name
	c.flushRets()
}

// search emits a balanced binary search over ivs (sorted, contiguous) with
// A = nr, ending in jumps to each interval's leaf label.
func (c *compiler) search(arch *systab.Arch, ivs []interval, leaf func(*class) label) {
	if len(ivs) == 1 {
		c.b.ja(leaf(ivs[0].c), "")
		return
	}
	c.node(arch, ivs, leaf)
}

// node emits the test that splits ivs in two and returns nothing: both
// halves are emitted after it (jumps only go forward). A single interval
// needs no code; its parent jumps straight to its leaf.
func (c *compiler) node(arch *systab.Arch, ivs []interval, leaf func(*class) label) {
	mid := len(ivs) / 2
	left, right := ivs[:mid], ivs[mid:]
	target := func(half []interval) (label, bool) {
		if len(half) == 1 {
			return leaf(half[0].c), false
		}
		return c.b.newLabel(""), true
	}
	lr, emitR := target(right)
	ll, emitL := target(left)
	c.b.jmp(bpf.JumpGreaterOrEqual, right[0].lo, lr, ll, describeSplit(arch, right[0].lo))
	if emitL {
		c.b.place(ll)
		c.node(arch, left, leaf)
	}
	if emitR {
		c.b.place(lr)
		c.node(arch, right, leaf)
	}
}

func describeSplit(arch *systab.Arch, nr uint32) string {
	if n, ok := arch.SyscallName(nr); ok {
		return "nr >= " + n
	}
	if nr > arch.MaxNr() {
		return "above the table"
	}
	return fmt.Sprintf("nr >= %d", nr&^arch.NrBase)
}

// tooLarge explains an oversized program: its length and the parts that
// contribute most.
func tooLarge(blocks []string) error {
	size := map[string]int{}
	var parts []string
	for _, blk := range blocks {
		if size[blk] == 0 {
			parts = append(parts, blk)
		}
		size[blk]++
	}
	sort.SliceStable(parts, func(i, j int) bool { return size[parts[i]] > size[parts[j]] })
	if len(parts) > 5 {
		parts = parts[:5]
	}
	desc := make([]string, len(parts))
	for i, pt := range parts {
		desc[i] = fmt.Sprintf("%s: %d", pt, size[pt])
	}
	return fmt.Errorf("%w: %d instructions; largest parts: %s", ErrTooLarge, len(blocks), strings.Join(desc, "; "))
}
