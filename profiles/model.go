package profiles

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/profile-dev/profile/internal/systab"
)

// APIVersion and Kind head every profile.
const (
	APIVersion = "profile/v1"
	Kind       = "SeccompProfile"
)

// Action is what a filter does with a call. The order is the kernel's
// precedence: a higher Action wins when several apply.
type Action uint8

const (
	ActAllow Action = iota
	ActLog
	ActTrace
	ActErrno
	ActTrap
	ActKillThread
	ActKillProcess
)

var actionNames = [...]string{
	ActAllow:       "allow",
	ActLog:         "log",
	ActTrace:       "trace",
	ActErrno:       "errno",
	ActTrap:        "trap",
	ActKillThread:  "kill-thread",
	ActKillProcess: "kill-process",
}

func (a Action) String() string {
	if int(a) < len(actionNames) {
		return actionNames[a]
	}
	return "action(" + strconv.Itoa(int(a)) + ")"
}

// ParseAction reads an action name. "kill" is kill-process.
func ParseAction(s string) (Action, error) {
	if s == "kill" {
		return ActKillProcess, nil
	}
	for a, n := range actionNames {
		if n == s {
			return Action(a), nil
		}
	}
	return 0, fmt.Errorf("action %q: want one of %s", s, strings.Join(actionNames[:], ", "))
}

// Verdict is an action with its data: the errno for ActErrno, the message
// for ActTrace.
type Verdict struct {
	Action Action
	Data   uint16
}

// Common verdicts.
var (
	Allow       = Verdict{Action: ActAllow}
	KillProcess = Verdict{Action: ActKillProcess}
)

// Errno returns the verdict that fails a call with errno e.
func Errno(e uint16) Verdict { return Verdict{Action: ActErrno, Data: e} }

// Stricter reports whether v takes precedence over w.
func (v Verdict) Stricter(w Verdict) bool {
	if v.Action != w.Action {
		return v.Action > w.Action
	}
	return v.Data < w.Data
}

func (v Verdict) String() string {
	switch v.Action {
	case ActErrno:
		return "errno(" + systab.ErrnoName(v.Data) + ")"
	case ActTrace:
		return "trace(" + strconv.Itoa(int(v.Data)) + ")"
	}
	return v.Action.String()
}

// Profile is a seccomp policy.
type Profile struct {
	Metadata Metadata
	// DefaultAction applies to known syscalls no rule allows.
	DefaultAction Verdict
	// UnknownErrno, if not zero, is returned for numbers above the table's
	// highest known syscall.
	UnknownErrno uint16
	// ForeignArchAction applies to calls through an ABI not listed.
	ForeignArchAction Verdict
	// Architectures lists the ABIs the profile covers (systab names).
	Architectures []string
	// Syscalls are the rules.
	Syscalls []Rule
	// Counts are observed call counts per syscall name: hints that order the
	// compiled dispatch so hot syscalls are decided first.
	Counts map[string]uint64
}

// Metadata names a profile and records where it came from.
type Metadata struct {
	Name     string
	Recorded *Recorded
}

// Recorded is the provenance of a learnt profile.
type Recorded struct {
	Command  []string
	Backend  string
	Kernel   string
	Complete bool
}

// Rule allows (or, with another Action, denies) the syscalls it names when
// every argument condition holds.
type Rule struct {
	Names []string
	// Arches, if not empty, limits the rule to these ABIs.
	Arches []string
	// Args are ANDed; at most one per argument index.
	Args []ArgCond
	// Action is what a matching call gets; the zero Verdict allows.
	Action Verdict
	// Inferred, if not empty, says the rule was not observed but derived,
	// and from what.
	Inferred string
}

// ArgCond constrains one argument.
type ArgCond struct {
	// Index is the argument position, 0 to 5.
	Index int
	// Name is how the profile spells the argument (kernel name or "aN").
	Name  string
	Match Matcher
}

// MatchOp is the kind of a Matcher.
type MatchOp uint8

const (
	// OpIn holds when the argument is one of Values.
	OpIn MatchOp = iota + 1
	// OpBits holds when the argument sets no bit outside Mask.
	OpBits
	// OpEq holds when the argument equals Value.
	OpEq
	// OpNe holds when the argument differs from Value.
	OpNe
	// OpRange holds when Lo <= argument <= Hi (unsigned).
	OpRange
	// OpMasked holds when argument & Mask == Value.
	OpMasked
)

var opNames = [...]string{OpIn: "in", OpBits: "bits", OpEq: "eq", OpNe: "ne", OpRange: "range", OpMasked: "masked"}

func (o MatchOp) String() string {
	if int(o) < len(opNames) && opNames[o] != "" {
		return opNames[o]
	}
	return "op(" + strconv.Itoa(int(o)) + ")"
}

// Matcher is one argument condition. The set is closed: each compiles
// exactly to BPF and maps to OCI's SCMP_CMP_* operators.
type Matcher struct {
	Op     MatchOp
	Values []uint64 // OpIn, sorted and unique
	Mask   uint64   // OpBits, OpMasked
	Value  uint64   // OpEq, OpNe, OpMasked
	Lo, Hi uint64   // OpRange
}

// Match reports whether v satisfies m. When wide is false only the low 32
// bits of v and of m's constants take part, as the kernel truncates
// int-typed arguments.
func (m Matcher) Match(v uint64, wide bool) bool {
	t := func(x uint64) uint64 { return x }
	if !wide {
		t = func(x uint64) uint64 { return x & 0xffffffff }
	}
	v = t(v)
	switch m.Op {
	case OpIn:
		for _, x := range m.Values {
			if t(x) == v {
				return true
			}
		}
		return false
	case OpBits:
		return v&^t(m.Mask) == 0
	case OpEq:
		return v == t(m.Value)
	case OpNe:
		return v != t(m.Value)
	case OpRange:
		return t(m.Lo) <= v && v <= t(m.Hi)
	case OpMasked:
		return v&t(m.Mask) == t(m.Value)&t(m.Mask)
	}
	panic(fmt.Sprintf("profiles: matcher with invalid op %d", m.Op))
}

func (m Matcher) String() string {
	switch m.Op {
	case OpIn:
		parts := make([]string, len(m.Values))
		for i, v := range m.Values {
			parts[i] = fmt.Sprintf("%#x", v)
		}
		return "in [" + strings.Join(parts, ", ") + "]"
	case OpBits:
		return fmt.Sprintf("bits %#x", m.Mask)
	case OpEq, OpNe:
		return fmt.Sprintf("%s %#x", m.Op, m.Value)
	case OpRange:
		return fmt.Sprintf("range [%#x, %#x]", m.Lo, m.Hi)
	case OpMasked:
		return fmt.Sprintf("masked %#x == %#x", m.Mask, m.Value)
	}
	return m.Op.String()
}

func (c ArgCond) String() string {
	name := c.Name
	if name == "" {
		name = "a" + strconv.Itoa(c.Index)
	}
	return name + " " + c.Match.String()
}

func (r Rule) String() string {
	var b strings.Builder
	b.WriteString(strings.Join(r.Names, ","))
	if len(r.Arches) > 0 {
		b.WriteString(" [" + strings.Join(r.Arches, ",") + "]")
	}
	for i, c := range r.Args {
		if i == 0 {
			b.WriteString(" if ")
		} else {
			b.WriteString(" && ")
		}
		b.WriteString(c.String())
	}
	b.WriteString(" -> " + r.Action.String())
	if r.Inferred != "" {
		b.WriteString(" (inferred: " + r.Inferred + ")")
	}
	return b.String()
}

func (p *Profile) String() string {
	return fmt.Sprintf("profile %q: %d rules on %s, default %s", p.Metadata.Name, len(p.Syscalls), strings.Join(p.Architectures, ","), p.DefaultAction)
}

// HasArch reports whether the profile covers an ABI.
func (p *Profile) HasArch(name string) bool {
	for _, a := range p.Architectures {
		if a == name {
			return true
		}
	}
	return false
}

// Arches returns the profile's architectures, resolved, in profile order.
// Names Validate would refuse are skipped.
func (p *Profile) Arches() []*systab.Arch {
	var out []*systab.Arch
	for _, n := range p.Architectures {
		if a, ok := systab.ArchByName(n); ok {
			out = append(out, a)
		}
	}
	return out
}

// AppliesTo reports whether a rule covers an ABI.
func (r *Rule) AppliesTo(arch string) bool {
	if len(r.Arches) == 0 {
		return true
	}
	for _, a := range r.Arches {
		if a == arch {
			return true
		}
	}
	return false
}

// Clone returns a deep copy.
func (p *Profile) Clone() *Profile {
	c := *p
	if p.Metadata.Recorded != nil {
		r := *p.Metadata.Recorded
		r.Command = append([]string(nil), r.Command...)
		c.Metadata.Recorded = &r
	}
	c.Architectures = append([]string(nil), p.Architectures...)
	c.Syscalls = make([]Rule, len(p.Syscalls))
	for i, r := range p.Syscalls {
		r.Names = append([]string(nil), r.Names...)
		r.Arches = append([]string(nil), r.Arches...)
		args := make([]ArgCond, len(r.Args))
		for j, a := range r.Args {
			a.Match.Values = append([]uint64(nil), a.Match.Values...)
			args[j] = a
		}
		r.Args = args
		c.Syscalls[i] = r
	}
	if p.Counts != nil {
		c.Counts = make(map[string]uint64, len(p.Counts))
		for k, v := range p.Counts {
			c.Counts[k] = v
		}
	}
	return &c
}

// sortedUnique sorts and deduplicates a value set in place.
func sortedUnique(vs []uint64) []uint64 {
	slices.Sort(vs)
	return slices.Compact(vs)
}
