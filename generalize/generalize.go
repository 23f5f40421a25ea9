package generalize

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
	"github.com/profile-dev/profile/trace"
)

// Level says how far generalisation may widen what was observed.
type Level uint8

const (
	// LevelBalanced is the default: masks for flags, sets for enums.
	LevelBalanced Level = iota
	// LevelStrict keeps exact value sets and infers nothing.
	LevelStrict
	// LevelNames allows the observed syscalls with any arguments.
	LevelNames
)

var levelNames = [...]string{LevelBalanced: "balanced", LevelStrict: "strict", LevelNames: "names"}

func (l Level) String() string {
	if int(l) < len(levelNames) {
		return levelNames[l]
	}
	return fmt.Sprintf("level(%d)", l)
}

// ParseLevel reads a level name.
func ParseLevel(s string) (Level, error) {
	for l, n := range levelNames {
		if n == s {
			return Level(l), nil
		}
	}
	return 0, fmt.Errorf("level %q: want strict, balanced or names", s)
}

// ErrNoCalls is returned for traces that hold no call at all.
var ErrNoCalls = errors.New("trace holds no calls")

// Options control generalisation.
type Options struct {
	Level Level
	// Name is the profile's metadata name.
	Name string
	// DefaultAction is what the profile does with everything else; the zero
	// value means errno(EPERM).
	DefaultAction profiles.Verdict
}

// Result is a learnt profile and what the learner could not place.
type Result struct {
	Profile *profiles.Profile
	// Unnamed lists calls whose numbers the syscall table does not know:
	// the profile cannot allow them by name. They are newer than the table,
	// and the profile answers them with UnknownErrno.
	Unnamed []trace.Call
}

// alwaysNeeded are syscalls every process may make although a short run may
// not show them: the kernel itself calls rt_sigreturn's counterpart after a
// signal handler, restart_syscall after a stopped syscall resumes, and every
// thread and process ends with exit or exit_group.
var alwaysNeeded = []string{"exit", "exit_group", "restart_syscall", "rt_sigreturn", "sigreturn"}

// timingNeeded are calls whose presence in a run depends on scheduling, not
// on what the workload does: a runtime yields (sched_yield) or naps
// (nanosleep) when a lock is contended, and Go's runtime preempts a busy
// goroutine by sending SIGURG to its thread (getpid, tgkill), so a second
// run of the same program may make them when the recorded one did not. All
// are harmless; tgkill is allowed only with SIGURG, whose default action is
// to be ignored, so the rule gives no power to kill or stop anything.
var timingNeeded = []struct {
	name string
	args []profiles.ArgCond
}{
	{name: "getpid"},
	{name: "gettid"},
	{name: "nanosleep"},
	{name: "sched_yield"},
	{name: "tgkill", args: []profiles.ArgCond{{Index: 2, Name: "sig", Match: profiles.Matcher{Op: profiles.OpIn, Values: []uint64{sigurg}}}}},
}

// sigurg is SIGURG on every architecture the tables know except the
// MIPS, SPARC and Alpha families, which they do not cover.
const sigurg = 23

// Generalize learns one profile from traces (merged first).
func Generalize(traces []*trace.Trace, opts Options) (*Result, error) {
	t := trace.Merge(traces...)
	if len(t.Calls) == 0 {
		return nil, ErrNoCalls
	}
	res := &Result{}
	// observed[arch][name] holds the calls seen through that ABI.
	observed := map[string]map[string][]argCall{}
	counts := map[string]uint64{}
	for _, c := range t.Calls {
		arch, ok := systab.ArchByName(c.Arch)
		if !ok {
			return nil, fmt.Errorf("generalize: call %s: unknown arch", c)
		}
		name, ok := arch.SyscallName(c.Nr)
		if !ok {
			res.Unnamed = append(res.Unnamed, c)
			continue
		}
		if observed[arch.Name] == nil {
			observed[arch.Name] = map[string][]argCall{}
		}
		observed[arch.Name][name] = append(observed[arch.Name][name], argCall{args: c.Args, mask: c.ArgMask})
		counts[name] += c.Count
	}
	if len(observed) == 0 {
		return nil, fmt.Errorf("generalize: %w: only unknown syscall numbers", ErrNoCalls)
	}
	seen := map[string]map[string]bool{}
	for a, byName := range observed {
		seen[a] = map[string]bool{}
		for n := range byName {
			seen[a][n] = true
		}
	}
	p := &profiles.Profile{
		Metadata:          profiles.Metadata{Name: opts.Name, Recorded: recorded(t)},
		DefaultAction:     opts.DefaultAction,
		UnknownErrno:      errno("ENOSYS"),
		ForeignArchAction: profiles.KillProcess,
		Architectures:     sortedKeys(observed),
		Counts:            counts,
	}
	if p.DefaultAction == (profiles.Verdict{}) {
		p.DefaultAction = profiles.Errno(errno("EPERM"))
	}
	var entries []entry
	for _, archName := range p.Architectures {
		arch, _ := systab.ArchByName(archName)
		learnt := map[string][][]profiles.ArgCond{}
		for _, name := range sortedKeys(observed[archName]) {
			learnt[name] = learnArgs(arch, name, observed[archName][name], opts.Level)
			for _, alt := range learnt[name] {
				entries = append(entries, entry{arch: archName, name: name, conds: alt, class: classObserved})
			}
		}
		if opts.Level != LevelStrict {
			entries = append(entries, siblingRules(arch, seen[archName], learnt)...)
			entries = append(entries, clone3Rule(arch, seen[archName])...)
		}
	}
	entries = append(entries, inferred(seen, p.Architectures)...)
	p.Syscalls = group(entries, p.Architectures)
	if opts.Level != LevelStrict {
		p.Syscalls = append(p.Syscalls, timingRules(seen, p.Architectures)...)
	}
	res.Profile = p
	return res, nil
}

// inferred returns the always-needed syscalls that were not seen.
func inferred(seen map[string]map[string]bool, all []string) []entry {
	var out []entry
	for _, archName := range all {
		arch, _ := systab.ArchByName(archName)
		for _, n := range alwaysNeeded {
			if _, exists := arch.Nr(n); exists && !seen[archName][n] {
				out = append(out, entry{arch: archName, name: n, inferred: "every process may need it", class: classNeeded})
			}
		}
	}
	return out
}

// timingRules allows the timing-dependent calls the traces did not show.
// A call already observed keeps its observed rule, which is at least as wide.
func timingRules(observed map[string]map[string]bool, all []string) []profiles.Rule {
	const why = "timing decides whether a run makes it"
	var rules []profiles.Rule
	plain := map[string]map[string]bool{}
	for _, t := range timingNeeded {
		perArch := map[string]map[string]bool{}
		for _, archName := range all {
			arch, _ := systab.ArchByName(archName)
			if _, exists := arch.Nr(t.name); !exists || observed[archName][t.name] {
				continue
			}
			if perArch[archName] == nil {
				perArch[archName] = map[string]bool{}
			}
			perArch[archName][t.name] = true
		}
		if t.args == nil {
			for a, names := range perArch {
				if plain[a] == nil {
					plain[a] = map[string]bool{}
				}
				for n := range names {
					plain[a][n] = true
				}
			}
			continue
		}
		for _, r := range byArchSet(perArch, all, why) {
			r.Args = t.args
			rules = append(rules, r)
		}
	}
	return append(byArchSet(plain, all, why), rules...)
}

// byArchSet groups names by the set of ABIs they are allowed on and emits one
// rule per group; a group covering every ABI of the profile needs no arches.
func byArchSet(perArch map[string]map[string]bool, all []string, why string) []profiles.Rule {
	archesOf := map[string][]string{}
	for _, a := range sortedKeys(perArch) {
		for n := range perArch[a] {
			archesOf[n] = append(archesOf[n], a)
		}
	}
	groups := map[string][]string{}
	for n, as := range archesOf {
		sort.Strings(as)
		key := strings.Join(as, ",")
		if len(as) == len(all) {
			key = ""
		}
		groups[key] = append(groups[key], n)
	}
	var rules []profiles.Rule
	for _, key := range sortedKeys(groups) {
		names := groups[key]
		sort.Strings(names)
		r := profiles.Rule{Names: names, Inferred: why}
		if key != "" {
			r.Arches = strings.Split(key, ",")
		}
		rules = append(rules, r)
	}
	return rules
}

func recorded(t *trace.Trace) *profiles.Recorded {
	return &profiles.Recorded{
		Command:  t.Provenance.Command,
		Backend:  t.Provenance.Backend,
		Kernel:   t.Provenance.Kernel,
		Complete: t.Complete,
	}
}

func errno(name string) uint16 {
	v, ok := systab.ErrnoByName(name)
	if !ok {
		panic("generalize: errno table lacks " + name)
	}
	return v
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
