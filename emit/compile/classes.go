package compile

import (
	"fmt"
	"sort"
	"strings"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
)

// cond is one argument condition as a given ABI sees it: the matcher plus
// whether the kernel reads all 64 bits of the argument.
type cond struct {
	index int
	name  string
	wide  bool
	m     profiles.Matcher
}

// check is one rule with argument conditions: when all conds hold, verdict.
type check struct {
	verdict profiles.Verdict
	conds   []cond
}

// class is what a syscall number means on one ABI. Numbers with equal keys
// compile to the same code and share it.
type class struct {
	key string
	// always is set when the verdict does not depend on the arguments.
	always  bool
	verdict profiles.Verdict // when always
	// checks are tried in order (strictest verdict first); the first whose
	// conditions all hold decides, else fallback.
	checks   []check
	fallback profiles.Verdict
	// names are the syscalls with this class, in number order.
	names []string
	// arch is an ABI whose syscalls have this class (its byte order places
	// the argument halves).
	arch *systab.Arch
}

func alwaysClass(v profiles.Verdict) *class {
	v = normalize(v)
	return &class{key: "always " + v.String(), always: true, verdict: v}
}

// interval is a run of syscall numbers [lo, hi] with one class.
type interval struct {
	lo, hi uint32
	c      *class
}

// classify computes the class of syscall name on arch: Evaluate's "strictest
// matching rule wins" restated as an ordered list of conditional rules.
func classify(p *profiles.Profile, arch *systab.Arch, name string) *class {
	var floor *profiles.Verdict // strictest rule without conditions
	var checks []check
	for i := range p.Syscalls {
		r := &p.Syscalls[i]
		if !namesSyscall(r, name) || !r.AppliesTo(arch.Name) {
			continue
		}
		v := normalize(r.Action)
		if len(r.Args) == 0 {
			if floor == nil || v.Stricter(*floor) {
				floor = &v
			}
			continue
		}
		c := check{verdict: v}
		for _, a := range r.Args {
			c.conds = append(c.conds, cond{index: a.Index, name: a.Name, wide: systab.ArgWide(arch, name, a.Index), m: a.Match})
		}
		checks = append(checks, c)
	}
	fallback := normalize(p.DefaultAction)
	if floor != nil {
		fallback = *floor
		// A rule no stricter than an unconditional one can never decide.
		kept := checks[:0]
		for _, c := range checks {
			if c.verdict.Stricter(*floor) {
				kept = append(kept, c)
			}
		}
		checks = kept
	}
	sort.SliceStable(checks, func(i, j int) bool { return checks[i].verdict.Stricter(checks[j].verdict) })
	// Trailing rules whose verdict is the fallback decide nothing: whether
	// they match or not, the answer is the same.
	for len(checks) > 0 && checks[len(checks)-1].verdict == fallback {
		checks = checks[:len(checks)-1]
	}
	if len(checks) == 0 {
		return alwaysClass(fallback)
	}
	var key strings.Builder
	fmt.Fprintf(&key, "else %s", fallback)
	for _, c := range checks {
		fmt.Fprintf(&key, "; %s if", c.verdict)
		for _, d := range c.conds {
			fmt.Fprintf(&key, " a%d/%v %s", d.index, d.wide, d.m)
		}
	}
	return &class{key: key.String(), checks: checks, fallback: fallback}
}

func namesSyscall(r *profiles.Rule, name string) bool {
	for _, n := range r.Names {
		if n == name {
			return true
		}
	}
	return false
}

// intervals partitions [arch.NrBase, 2^32) into runs of numbers with the
// same class, sharing class values between equal keys.
func intervals(p *profiles.Profile, arch *systab.Arch) []interval {
	byKey := map[string]*class{}
	intern := func(c *class, name string) *class {
		if have, ok := byKey[c.key]; ok {
			c = have
		} else {
			byKey[c.key] = c
		}
		if name != "" {
			c.names = append(c.names, name)
		}
		return c
	}
	unknown := alwaysClass(p.DefaultAction)
	if p.UnknownErrno != 0 {
		unknown = alwaysClass(profiles.Errno(p.UnknownErrno))
	}
	var out []interval
	add := func(nr uint32, c *class) {
		if n := len(out); n > 0 && out[n-1].c == c && out[n-1].hi+1 == nr {
			out[n-1].hi = nr
			return
		}
		out = append(out, interval{lo: nr, hi: nr, c: c})
	}
	max := arch.MaxNr()
	for nr := arch.NrBase; ; nr++ {
		if name, ok := arch.SyscallName(nr); ok {
			add(nr, intern(classify(p, arch, name), name))
		} else {
			add(nr, intern(alwaysClass(p.DefaultAction), ""))
		}
		if nr == max {
			break
		}
	}
	if max != ^uint32(0) {
		out = append(out, interval{lo: max + 1, hi: ^uint32(0), c: intern(unknown, "")})
		if n := len(out); n >= 2 && out[n-2].c == out[n-1].c {
			out[n-2].hi = out[n-1].hi
			out = out[:n-1]
		}
	}
	return out
}
