package emit

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"slices"
	"strings"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
)

// OCI export. A profile becomes a runtime-spec linux.seccomp object that runc
// and crun load through libseccomp, with these losses, each of which only
// ever denies more or changes how a call is refused:
//
//   - foreignArchAction has no OCI field: libseccomp answers a call through an
//     unlisted architecture with its bad-arch action, kill (thread), which
//     matches kill-process only approximately.
//   - unknownErrno has no OCI field: numbers newer than the runtime's tables
//     get the default action (runc patches its own ENOSYS stub in for some).
//   - A trace verdict keeps its data in errnoRet, as runc reads it.
//
// Argument conditions are exact. libseccomp compares all 64 bits of a
// register, while the kernel reads an int-typed argument on its low 32 bits
// only; every condition on such a narrow argument is therefore written as
// SCMP_CMP_MASKED_EQ with a mask within 0xffffffff, which ignores the upper
// half exactly as Evaluate does:
//
//	eq v, in {v..}     MASKED_EQ mask=0xffffffff datum=v (one entry per value)
//	bits m             MASKED_EQ mask=^m&0xffffffff datum=0
//	masked {m, v}      MASKED_EQ mask=m&0xffffffff datum=v&m
//	range [lo, hi]     one MASKED_EQ per aligned block of the range
//	ne v               the 32 blocks that make up every 32-bit value but v
//
// Wide arguments use EQ, NE, LE, GE and MASKED_EQ directly; a range bounded
// on both sides becomes aligned blocks too, because runc ORs the conditions
// of an entry that names one argument twice. Both block forms allow exactly
// what Evaluate allows, never more. On a 32-bit ABI libseccomp compares the
// low halves of mask and datum, as Evaluate truncates; a wide range whose
// bounds exceed 32 bits therefore means, on such an ABI, the union of its
// blocks' low halves, not the truncated range.

// OCIOptions tune OCI export.
type OCIOptions struct {
	// Runtime is "", "none", "runc" or "crun": the syscalls that runtime
	// makes after it loads the filter are allowed too, so that it can start
	// the container.
	Runtime string
}

// runtimeSyscalls are the calls each runtime makes between loading the
// container's seccomp filter and exec'ing the workload (runc: closing fds,
// the exec fifo, its epoll loop and logging; crun: closing fds and exec).
// They are allowed with any arguments.
var runtimeSyscalls = map[string][]string{
	"":     nil,
	"none": nil,
	"runc": {"close", "epoll_ctl", "execve", "fstatfs", "futex", "getdents64", "getpid", "openat", "write"},
	"crun": {"close", "execve"},
}

// ErrNotRepresentable is wrapped by export errors for profiles OCI cannot
// express.
var ErrNotRepresentable = errors.New("not representable in OCI seccomp")

// maxOCIEntries bounds the entries one rule may expand to (sets times
// blocks); beyond it a runtime would load a huge filter.
const maxOCIEntries = 4096

// OCI converts a profile to a runtime-spec seccomp section.
func OCI(p *profiles.Profile, opts OCIOptions) (*specs.LinuxSeccomp, error) {
	extra, ok := runtimeSyscalls[opts.Runtime]
	if !ok {
		return nil, fmt.Errorf("oci: runtime %q: want none, runc or crun", opts.Runtime)
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("oci: %w", err)
	}
	q := p.Clone()
	if len(extra) > 0 && q.DefaultAction != profiles.Allow {
		q.Syscalls = append(q.Syscalls, profiles.Rule{Names: knownNames(q, extra), Inferred: "runtime " + opts.Runtime})
	}
	profiles.Canonicalize(q)
	if err := checkActions(q); err != nil {
		return nil, err
	}
	out := &specs.LinuxSeccomp{}
	var err error
	if out.DefaultAction, out.DefaultErrnoRet, err = ociAction(q.DefaultAction); err != nil {
		return nil, err
	}
	for _, a := range q.Arches() {
		out.Architectures = append(out.Architectures, specs.Arch(a.OCI))
	}
	if out.Syscalls, err = ociEntries(q); err != nil {
		return nil, err
	}
	return out, nil
}

// WriteOCI writes a profile as indented OCI seccomp JSON.
func WriteOCI(w io.Writer, p *profiles.Profile, opts OCIOptions) error {
	s, err := OCI(p, opts)
	if err != nil {
		return err
	}
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("oci: %w", err)
	}
	if _, err := w.Write(append(data, '\n')); err != nil {
		return fmt.Errorf("oci: %w", err)
	}
	return nil
}

func knownNames(p *profiles.Profile, names []string) []string {
	var out []string
	for _, n := range names {
		for _, a := range p.Arches() {
			if _, ok := a.Nr(n); ok {
				out = append(out, n)
				break
			}
		}
	}
	return out
}

func ociAction(v profiles.Verdict) (specs.LinuxSeccompAction, *uint, error) {
	data := uint(v.Data)
	switch v.Action {
	case profiles.ActAllow:
		return specs.ActAllow, nil, nil
	case profiles.ActLog:
		return specs.ActLog, nil, nil
	case profiles.ActTrace:
		return specs.ActTrace, &data, nil
	case profiles.ActErrno:
		return specs.ActErrno, &data, nil
	case profiles.ActTrap:
		return specs.ActTrap, nil, nil
	case profiles.ActKillThread:
		return specs.ActKillThread, nil, nil
	case profiles.ActKillProcess:
		return specs.ActKillProcess, nil, nil
	}
	return "", nil, fmt.Errorf("oci: action %v: %w", v, ErrNotRepresentable)
}

// checkActions refuses a syscall whose rules carry different actions.
// Evaluate lets the strictest matching rule win; libseccomp refuses a rule
// whose action is the default and resolves other overlaps its own way, so
// only rules that agree can be exported. Rules with the default action are
// then dropped, which changes nothing.
func checkActions(p *profiles.Profile) error {
	type use struct {
		action profiles.Verdict
		rule   int
	}
	seen := map[string]use{}
	for i, r := range p.Syscalls {
		for _, n := range r.Names {
			if u, ok := seen[n]; ok && u.action != r.Action {
				return fmt.Errorf("oci: %s has rules with actions %v (%v) and %v (%v): %w",
					n, u.action, p.Syscalls[u.rule], r.Action, r, ErrNotRepresentable)
			}
			seen[n] = use{r.Action, i}
		}
	}
	return nil
}

// entry is one OCI syscall entry being built.
type entry struct {
	action profiles.Verdict
	args   []specs.LinuxSeccompArg
	names  []string
}

func ociEntries(p *profiles.Profile) ([]specs.LinuxSyscall, error) {
	var order []string
	groups := map[string]*entry{}
	for i := range p.Syscalls {
		r := &p.Syscalls[i]
		if r.Action == p.DefaultAction {
			continue
		}
		if err := checkArches(p, r); err != nil {
			return nil, err
		}
		for _, part := range splitByWidth(p, r) {
			alts, err := ruleAlternatives(part.names, r, part.wide)
			if err != nil {
				return nil, err
			}
			for _, args := range alts {
				k := entryKey(r.Action, args)
				g, ok := groups[k]
				if !ok {
					g = &entry{action: r.Action, args: args}
					groups[k] = g
					order = append(order, k)
				}
				g.names = append(g.names, part.names...)
			}
		}
	}
	out := make([]specs.LinuxSyscall, 0, len(order))
	for _, k := range order {
		g := groups[k]
		act, errno, err := ociAction(g.action)
		if err != nil {
			return nil, err
		}
		names := slices.Compact(slices.Sorted(slices.Values(g.names)))
		out = append(out, specs.LinuxSyscall{Names: names, Action: act, ErrnoRet: errno, Args: g.args})
	}
	return out, nil
}

func entryKey(v profiles.Verdict, args []specs.LinuxSeccompArg) string {
	var b strings.Builder
	b.WriteString(v.String())
	for _, a := range args {
		fmt.Fprintf(&b, "|%d %s %#x %#x", a.Index, a.Op, a.Value, a.ValueTwo)
	}
	return b.String()
}

// checkArches accepts a rule limited to some architectures only when its
// syscalls exist nowhere else in the profile: an OCI entry applies to every
// architecture.
func checkArches(p *profiles.Profile, r *profiles.Rule) error {
	if len(r.Arches) == 0 {
		return nil
	}
	for _, a := range p.Arches() {
		if r.AppliesTo(a.Name) {
			continue
		}
		for _, n := range r.Names {
			if _, ok := a.Nr(n); ok {
				return fmt.Errorf("oci: rule %v applies to %s only, but %s exists on %s too and an OCI entry cannot be limited to some architectures: %w",
					r, strings.Join(r.Arches, ", "), n, a.Name, ErrNotRepresentable)
			}
		}
	}
	return nil
}

// widthPart is the names of a rule whose constrained arguments have the same
// widths.
type widthPart struct {
	names []string
	wide  [systab.MaxArgs]bool
}

// splitByWidth groups a rule's names by how each constrained argument must
// be compared: an argument is wide if some 64-bit architecture the rule
// applies to reads it on 64 bits. A 32-bit ABI truncates in libseccomp as in
// Evaluate, so it never forces the narrow form.
func splitByWidth(p *profiles.Profile, r *profiles.Rule) []widthPart {
	var parts []widthPart
	for _, n := range r.Names {
		var w [systab.MaxArgs]bool
		for _, c := range r.Args {
			w[c.Index] = argWide(p, r, n, c.Index)
		}
		found := false
		for i := range parts {
			if parts[i].wide == w {
				parts[i].names = append(parts[i].names, n)
				found = true
				break
			}
		}
		if !found {
			parts = append(parts, widthPart{names: []string{n}, wide: w})
		}
	}
	return parts
}

func argWide(p *profiles.Profile, r *profiles.Rule, name string, i int) bool {
	for _, a := range p.Arches() {
		if a.Bits != 64 || !r.AppliesTo(a.Name) {
			continue
		}
		if _, ok := a.Nr(name); ok && systab.ArgWide(a, name, i) {
			return true
		}
	}
	return false
}

// ruleAlternatives returns the argument lists whose OR is the rule's
// condition: the cross product of each argument's alternatives.
func ruleAlternatives(names []string, r *profiles.Rule, wide [systab.MaxArgs]bool) ([][]specs.LinuxSeccompArg, error) {
	alts := [][]specs.LinuxSeccompArg{nil}
	for _, c := range r.Args {
		conds, always := matcherConds(uint(c.Index), c.Match, wide[c.Index])
		if always {
			continue
		}
		if len(conds) == 0 { // never holds: the rule matches nothing
			return nil, nil
		}
		if len(alts)*len(conds) > maxOCIEntries {
			return nil, fmt.Errorf("oci: rule for %s expands to more than %d entries: %w", strings.Join(names, ","), maxOCIEntries, ErrNotRepresentable)
		}
		next := make([][]specs.LinuxSeccompArg, 0, len(alts)*len(conds))
		for _, a := range alts {
			for _, cond := range conds {
				next = append(next, append(slices.Clone(a), cond))
			}
		}
		alts = next
	}
	return alts, nil
}

// matcherConds returns the conditions on one argument whose OR is exactly m
// (each condition alone in its entry), or always when m holds for every
// value. No conditions and not always means m never holds.
func matcherConds(idx uint, m profiles.Matcher, wide bool) (conds []specs.LinuxSeccompArg, always bool) {
	all := uint64(0xffffffff)
	if wide {
		all = ^uint64(0)
	}
	masked := func(mask, v uint64) specs.LinuxSeccompArg {
		return specs.LinuxSeccompArg{Index: idx, Op: specs.OpMaskedEqual, Value: mask & all, ValueTwo: v & mask & all}
	}
	eq := func(v uint64) specs.LinuxSeccompArg {
		if wide {
			return specs.LinuxSeccompArg{Index: idx, Op: specs.OpEqualTo, Value: v}
		}
		return masked(all, v)
	}
	var out []specs.LinuxSeccompArg
	switch m.Op {
	case profiles.OpIn:
		seen := map[uint64]bool{}
		for _, v := range m.Values {
			if !seen[v&all] {
				seen[v&all] = true
				out = append(out, eq(v))
			}
		}
	case profiles.OpEq:
		out = append(out, eq(m.Value))
	case profiles.OpNe:
		if wide {
			return []specs.LinuxSeccompArg{{Index: idx, Op: specs.OpNotEqual, Value: m.Value}}, false
		}
		for k := 0; k < 32; k++ {
			mask := all << k & all
			out = append(out, masked(mask, (m.Value^1<<k)&mask))
		}
	case profiles.OpBits:
		if ^m.Mask&all == 0 {
			return nil, true
		}
		out = append(out, masked(^m.Mask, 0))
	case profiles.OpMasked:
		if m.Mask&all == 0 {
			return nil, true
		}
		out = append(out, masked(m.Mask, m.Value))
	case profiles.OpRange:
		return rangeConds(idx, m.Lo&all, m.Hi&all, all, wide)
	}
	return out, false
}

// rangeConds covers [lo, hi]: always for the full range, LE or GE for a
// wide one-sided range, else its aligned power-of-two blocks, each a
// MASKED_EQ of the block's fixed high bits. A range that is empty once
// truncated to a narrow argument (a rule whose other syscalls read the
// argument on 64 bits may hold such bounds) never holds.
func rangeConds(idx uint, lo, hi, all uint64, wide bool) ([]specs.LinuxSeccompArg, bool) {
	switch {
	case lo > hi:
		return nil, false
	case lo == 0 && hi == all:
		return nil, true
	case wide && lo == 0:
		return []specs.LinuxSeccompArg{{Index: idx, Op: specs.OpLessEqual, Value: hi}}, false
	case wide && hi == all:
		return []specs.LinuxSeccompArg{{Index: idx, Op: specs.OpGreaterEqual, Value: lo}}, false
	}
	var out []specs.LinuxSeccompArg
	for {
		// The largest block starting at lo: aligned at lo and within hi.
		k := bits.TrailingZeros64(lo)
		if lo == 0 {
			k = 64
		}
		for k > 0 && (k >= 64 || lo+(uint64(1)<<k)-1 > hi || lo+(uint64(1)<<k)-1 < lo) {
			k--
		}
		size := uint64(1) << k
		mask := all &^ (size - 1)
		out = append(out, specs.LinuxSeccompArg{Index: idx, Op: specs.OpMaskedEqual, Value: mask, ValueTwo: lo})
		end := lo + size - 1
		if end >= hi {
			return out, false
		}
		lo = end + 1
	}
}
