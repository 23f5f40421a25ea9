// Package explain says why each rule of a profile exists: which recorded
// calls it allows, or what it was inferred from, and what it constrains.
package explain

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
	"github.com/profile-dev/profile/trace"
)

// Write says, one paragraph per rule, why each rule of p exists: observed
// (with the calls of t it matches, when t is not nil, else the profile's
// counts) or inferred, and what it constrains; then the risky rules.
func Write(w io.Writer, p *profiles.Profile, t *trace.Trace) {
	fmt.Fprintf(w, "%s: default %s, %d rules on %s\n", name(p), p.DefaultAction, len(p.Syscalls), strings.Join(p.Architectures, ","))
	if r := p.Metadata.Recorded; r != nil {
		fmt.Fprintf(w, "recorded from: %s (backend %s, kernel %s, complete %t)\n", strings.Join(r.Command, " "), r.Backend, r.Kernel, r.Complete)
	}
	for i := range p.Syscalls {
		r := &p.Syscalls[i]
		fmt.Fprintf(w, "\nrule %d: %s", i+1, strings.Join(r.Names, ", "))
		if len(r.Arches) > 0 {
			fmt.Fprintf(w, " [%s]", strings.Join(r.Arches, ","))
		}
		fmt.Fprintf(w, " -> %s\n", r.Action)
		if len(r.Args) == 0 {
			fmt.Fprintln(w, "  arguments: any")
		}
		for _, c := range r.Args {
			fmt.Fprintf(w, "  constrains %s\n", p.FormatArg(r, c))
		}
		if r.Inferred != "" {
			fmt.Fprintf(w, "  inferred: %s\n", r.Inferred)
			continue
		}
		if t != nil {
			observed(w, p, r, t)
			continue
		}
		var parts []string
		for _, n := range r.Names {
			if c, ok := p.Counts[n]; ok {
				parts = append(parts, fmt.Sprintf("%s %d", n, c))
			}
		}
		if len(parts) > 0 {
			fmt.Fprintf(w, "  observed: %s calls in the recording (all arguments together)\n", strings.Join(parts, ", "))
		} else {
			fmt.Fprintln(w, "  observed (no counts in the profile; give --trace for details)")
		}
	}
	fmt.Fprintln(w)
	if n := RiskyRules(w, p, ""); n == 0 {
		fmt.Fprintln(w, "risky rules: none at high or critical risk")
	}
}

// RiskyRules lists the rules that permit something the risk table rates
// high or critical, one line each with the reasons, after a heading; it
// prints nothing when there are none, and returns how many it listed.
// Every line starts with prefix.
func RiskyRules(w io.Writer, p *profiles.Profile, prefix string) int {
	n := 0
	for i := range p.Syscalls {
		r := &p.Syscalls[i]
		risk := profiles.RateRule(p, r)
		if risk.Level < profiles.RiskHigh {
			continue
		}
		if n == 0 {
			fmt.Fprintf(w, "%srisky rules (high or critical risk):\n", prefix)
		}
		n++
		fmt.Fprintf(w, "%s  rule %d (%s): %s\n", prefix, i+1, strings.Join(r.Names, ", "), risk)
	}
	return n
}

func name(p *profiles.Profile) string {
	if p.Metadata.Name != "" {
		return "profile " + p.Metadata.Name
	}
	return "profile"
}

// observed counts the trace's calls the rule matches, per syscall,
// with the distinct values of each constrained argument.
func observed(w io.Writer, p *profiles.Profile, r *profiles.Rule, t *trace.Trace) {
	counts := map[string]uint64{}
	distinct := map[string]int{}
	values := map[int]map[uint64]bool{}
	for _, c := range t.Calls {
		a, ok := systab.ArchByName(c.Arch)
		if !ok || !profiles.RuleMatches(p, r, a.Audit, c.Nr, c.Args) {
			continue
		}
		n, _ := a.SyscallName(c.Nr)
		counts[n] += c.Count
		distinct[n]++
		for _, cond := range r.Args {
			if values[cond.Index] == nil {
				values[cond.Index] = map[uint64]bool{}
			}
			v := c.Args[cond.Index]
			if !systab.ArgWide(a, n, cond.Index) {
				v &= 0xffffffff
			}
			values[cond.Index][v] = true
		}
	}
	if len(counts) == 0 {
		fmt.Fprintln(w, "  observed: no call of the given trace matches this rule")
		return
	}
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)
	var parts []string
	for _, n := range names {
		parts = append(parts, fmt.Sprintf("%s %d calls (%d distinct)", n, counts[n], distinct[n]))
	}
	fmt.Fprintf(w, "  observed: %s, by %s\n", strings.Join(parts, ", "), strings.Join(t.Provenance.Command, " "))
	for _, cond := range r.Args {
		vs := make([]uint64, 0, len(values[cond.Index]))
		for v := range values[cond.Index] {
			vs = append(vs, v)
		}
		sort.Slice(vs, func(i, j int) bool { return vs[i] < vs[j] })
		seen := profiles.ArgCond{Index: cond.Index, Name: cond.Name, Match: profiles.Matcher{Op: profiles.OpIn, Values: vs}}
		fmt.Fprintf(w, "  seen %s\n", p.FormatArg(r, seen))
	}
}
