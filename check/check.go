// Package check compares what a workload did with what a profile allows:
// which calls the profile would have denied, whether a rule denies them on
// purpose or no rule allows them, and the profile that would have allowed
// them (Fix).
//
// It is pure: it reads observations (calls with the executable that made
// them), never the kernel. `profile check` gathers the observations by
// running the workload under the profile in complain mode.
package check

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/profile-dev/profile/generalize"
	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
	"github.com/profile-dev/profile/trace"
)

// Observation is a distinct call the workload made and which executable
// made it.
type Observation struct {
	Call  trace.Key
	Exe   string
	Count uint64
}

// Denial is one line of a check's report: a call as people read it, who
// made it, and what the profile answers.
type Denial struct {
	Arch string
	// Call is the call decoded, pointers elided (DescribeCall).
	Call    string
	Exe     string
	Verdict profiles.Verdict
	// Rule is the index of the profile's rule that denies the call on
	// purpose, or -1 when no rule allows it.
	Rule  int
	Count uint64
	// Keys are the raw calls behind the line.
	Keys []trace.Key
}

// Missing reports whether the call was denied for want of a rule.
func (d *Denial) Missing() bool { return d.Rule < 0 }

func (d *Denial) String() string {
	return fmt.Sprintf("%s/%s x%d by %s -> %s", d.Arch, d.Call, d.Count, d.Exe, d.Verdict)
}

// Permits reports whether a verdict lets the call run.
func Permits(v profiles.Verdict) bool {
	return v.Action == profiles.ActAllow || v.Action == profiles.ActLog
}

// Classify turns observations into denials, sorted: missing rules first,
// then by arch, call and executable. Every observation must be a call the
// profile refuses (profiles.Evaluate): one it permits means the filter that
// observed it and the profile disagree, which is an error.
func Classify(p *profiles.Profile, obs []Observation) ([]*Denial, error) {
	lines := map[string]*Denial{}
	var out []*Denial
	for _, o := range obs {
		arch, ok := systab.ArchByName(o.Call.Arch)
		if !ok {
			return nil, fmt.Errorf("check: call through unknown ABI %q", o.Call.Arch)
		}
		v := profiles.Evaluate(p, arch.Audit, o.Call.Nr, o.Call.Args)
		if Permits(v) {
			return nil, fmt.Errorf("check: %s/%s was reported denied, but the profile allows it (%s): filter and profile disagree", arch.Name, arch.FormatNr(o.Call.Nr), v)
		}
		d := &Denial{Arch: arch.Name, Call: DescribeCall(arch, o.Call.Nr, o.Call.Args), Exe: o.Exe, Verdict: v, Rule: denyingRule(p, arch, o.Call)}
		id := strings.Join([]string{d.Arch, d.Call, d.Exe, v.String(), strconv.Itoa(d.Rule)}, "\x00")
		if have, ok := lines[id]; ok {
			d = have
		} else {
			lines[id] = d
			out = append(out, d)
		}
		d.Count += o.Count
		d.Keys = append(d.Keys, o.Call)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch {
		case a.Missing() != b.Missing():
			return a.Missing()
		case a.Arch != b.Arch:
			return a.Arch < b.Arch
		case a.Call != b.Call:
			return a.Call < b.Call
		}
		return a.Exe < b.Exe
	})
	return out, nil
}

// denyingRule returns the first refusing rule that matches the call, or -1.
func denyingRule(p *profiles.Profile, arch *systab.Arch, k trace.Key) int {
	for i := range p.Syscalls {
		r := &p.Syscalls[i]
		if !Permits(r.Action) && profiles.RuleMatches(p, r, arch.Audit, k.Nr, k.Args) {
			return i
		}
	}
	return -1
}

// DescribeCall decodes a call for people: argument names from the kernel's
// declarations, values named through the knowledge base, pointers elided
// (seccomp sees only the address, and addresses would make every call
// distinct).
func DescribeCall(a *systab.Arch, nr uint32, args [systab.MaxArgs]uint64) string {
	name, ok := a.SyscallName(nr)
	if !ok {
		parts := make([]string, len(args))
		for i, v := range args {
			parts[i] = "0x" + strconv.FormatUint(v, 16)
		}
		return a.FormatNr(nr) + "(" + strings.Join(parts, ", ") + ")"
	}
	decl := systab.Args(a, name)
	n := len(decl)
	if n == 0 && systab.ArgKindOf(a, name, 0).Kind != systab.KindUnused {
		n = systab.MaxArgs // arguments the table does not describe
	}
	parts := make([]string, n)
	for i := range n {
		label := "a" + strconv.Itoa(i)
		if i < len(decl) {
			label = decl[i].Name
		}
		parts[i] = label + "=" + describeArg(a, name, i, args[i])
	}
	return name + "(" + strings.Join(parts, ", ") + ")"
}

func describeArg(a *systab.Arch, name string, i int, v uint64) string {
	info := systab.ArgKindOf(a, name, i)
	wide := systab.ArgWide(a, name, i)
	if !wide {
		v = uint64(uint32(v))
	}
	switch info.Kind {
	case systab.KindPointer:
		return "*"
	case systab.KindMode:
		return "0o" + strconv.FormatUint(v, 8)
	}
	if info.Family != "" {
		if f, ok := systab.FamilyByName(a, info.Family); ok {
			if s, ok := f.Spell(v); ok {
				return s
			}
		}
	}
	switch {
	case info.Kind == systab.KindFlags || info.Kind == systab.KindEnum:
		return "0x" + strconv.FormatUint(v, 16)
	case !wide:
		return strconv.FormatInt(int64(int32(v)), 10)
	case int64(v) < 0 && int64(v) > -1<<16:
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatUint(v, 10)
}

// Fix returns p plus what it lacked: a profile learnt (at level lvl) from
// the calls of t behind the missing denials, merged into p, canonical, with
// p's metadata. Unfixed lists the calls the result still refuses (numbers
// the syscall table does not know cannot be allowed by name).
func Fix(p *profiles.Profile, t *trace.Trace, ds []*Denial, lvl generalize.Level) (fixed *profiles.Profile, unfixed []trace.Call, err error) {
	want := map[trace.Key]bool{}
	for _, d := range ds {
		if d.Missing() {
			for _, k := range d.Keys {
				want[k] = true
			}
		}
	}
	fixed = p.Clone()
	if len(want) > 0 {
		learnt, err := learnMissing(p, t, want, lvl)
		if err != nil {
			return nil, nil, err
		}
		if fixed, err = profiles.Merge(p, learnt); err != nil {
			return nil, nil, fmt.Errorf("check: fix: %w", err)
		}
		fixed.Metadata = p.Clone().Metadata
	}
	profiles.Canonicalize(fixed)
	for _, c := range t.Calls {
		a, ok := systab.ArchByName(c.Arch)
		if ok && want[c.Key()] && !Permits(profiles.Evaluate(fixed, a.Audit, c.Nr, c.Args)) {
			unfixed = append(unfixed, c)
		}
	}
	return fixed, unfixed, nil
}

// learnMissing learns a profile from the trace's calls in want, with the
// old profile's defaults so that the two merge. Refusing rules the learner
// adds for syscalls the old profile already names (clone3 -> ENOSYS) are
// left out: the old profile's own answer stands.
func learnMissing(p *profiles.Profile, t *trace.Trace, want map[trace.Key]bool, lvl generalize.Level) (*profiles.Profile, error) {
	sub := *t
	sub.Calls = nil
	for _, c := range t.Calls {
		if want[c.Key()] {
			sub.Calls = append(sub.Calls, c)
		}
	}
	res, err := generalize.Generalize([]*trace.Trace{&sub}, generalize.Options{Level: lvl, Name: p.Metadata.Name, DefaultAction: p.DefaultAction})
	if err != nil {
		return nil, fmt.Errorf("check: fix: %w", err)
	}
	learnt := res.Profile
	learnt.UnknownErrno, learnt.ForeignArchAction = p.UnknownErrno, p.ForeignArchAction
	named := map[string]bool{}
	for _, r := range p.Syscalls {
		for _, n := range r.Names {
			named[n] = true
		}
	}
	kept := learnt.Syscalls[:0]
	for _, r := range learnt.Syscalls {
		if !Permits(r.Action) && anyNamed(r.Names, named) {
			continue
		}
		kept = append(kept, r)
	}
	learnt.Syscalls = kept
	return learnt, nil
}

func anyNamed(names []string, named map[string]bool) bool {
	for _, n := range names {
		if named[n] {
			return true
		}
	}
	return false
}
