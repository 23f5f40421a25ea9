package profiles

import (
	"sort"
	"strings"

	"github.com/profile-dev/profile/internal/systab"
)

// A site is one syscall on one ABI: the unit Merge and Diff reason about.
// Rules name several syscalls and may cover several ABIs; splitting them
// into sites lets two profiles be compared without caring how each grouped
// its rules.
type site struct {
	Arch string
	Name string
}

func (s site) String() string { return s.Arch + "/" + s.Name }

func siteLess(a, b site) bool {
	if a.Arch != b.Arch {
		return a.Arch < b.Arch
	}
	return a.Name < b.Name
}

// siteRule is a rule reduced to one site. Its arguments are normalised so
// that rules meaning the same thing look the same: sorted by index, the
// spelling of the argument dropped, constants of a 32-bit argument truncated
// to the 32 bits the comparison uses (Matcher.Match does the same), eq
// written as a one-value in-set, and masked values reduced to their mask.
type siteRule struct {
	Args     []ArgCond
	Action   Verdict
	Inferred string
}

func (r *siteRule) allows() bool { return r.Action == Allow }

// key renders the rule for sorting and deduplication.
func (r *siteRule) key() string {
	return argsKey(r.Args) + "|" + r.Action.String() + "|" + r.Inferred
}

// match reports whether the rule's conditions hold for args on arch.
func (r *siteRule) match(arch *systab.Arch, name string, args [systab.MaxArgs]uint64) bool {
	for _, c := range r.Args {
		if !c.Match.Match(args[c.Index], systab.ArgWide(arch, name, c.Index)) {
			return false
		}
	}
	return true
}

// siteRules are the rules of one profile at one site.
type siteRules []siteRule

// allowAny reports whether some allow rule has no conditions.
func (rs siteRules) allowAny() bool {
	for i := range rs {
		if rs[i].allows() && len(rs[i].Args) == 0 {
			return true
		}
	}
	return false
}

// denials returns the rules with an action other than allow, sorted.
func (rs siteRules) denials() siteRules {
	var out siteRules
	for _, r := range rs {
		if !r.allows() {
			out = append(out, r)
		}
	}
	out.sort()
	return out
}

func (rs siteRules) sort() {
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].key() < rs[j].key() })
}

func (rs siteRules) keys() string {
	parts := make([]string, len(rs))
	for i := range rs {
		parts[i] = rs[i].key()
	}
	return strings.Join(parts, "; ")
}

// verdict is what Evaluate answers for a call at this site, given the
// profile's default action.
func (rs siteRules) verdict(arch *systab.Arch, name string, args [systab.MaxArgs]uint64, def Verdict) Verdict {
	matched := false
	var best Verdict
	for i := range rs {
		if !rs[i].match(arch, name, args) {
			continue
		}
		if !matched || rs[i].Action.Stricter(best) {
			best = rs[i].Action
		}
		matched = true
	}
	if !matched {
		return def
	}
	return best
}

// sites splits a profile's rules by site. Rules naming a syscall an ABI
// lacks are left out for that ABI, as Evaluate never reaches them.
func sites(p *Profile) map[site]siteRules {
	out := map[site]siteRules{}
	for i := range p.Syscalls {
		r := &p.Syscalls[i]
		for _, arch := range p.scope(r) {
			for _, name := range r.Names {
				if _, ok := arch.Nr(name); !ok {
					continue
				}
				args, ok := normalArgs(arch, name, r.Args)
				if !ok {
					continue
				}
				s := site{arch.Name, name}
				out[s] = append(out[s], siteRule{Args: args, Action: r.Action, Inferred: r.Inferred})
			}
		}
	}
	return out
}

// normalArgs returns a normalised copy of a rule's conditions for one
// syscall on one ABI (see siteRule), or false when they can never hold
// there: a range whose bounds cross once truncated to 32 bits, which a rule
// covering both a long and an int argument may carry.
func normalArgs(arch *systab.Arch, name string, args []ArgCond) ([]ArgCond, bool) {
	var out []ArgCond
	for _, a := range args {
		wide := systab.ArgWide(arch, name, a.Index)
		m := normalMatcher(a.Match, wide)
		if m.Op == OpRange && m.Lo > m.Hi {
			return nil, false
		}
		out = append(out, ArgCond{Index: a.Index, Match: m})
	}
	sortArgs(out)
	return out, true
}

func normalMatcher(m Matcher, wide bool) Matcher {
	t := func(x uint64) uint64 { return x }
	if !wide {
		t = func(x uint64) uint64 { return x & 0xffffffff }
	}
	switch m.Op {
	case OpIn:
		vs := make([]uint64, len(m.Values))
		for i, v := range m.Values {
			vs[i] = t(v)
		}
		return Matcher{Op: OpIn, Values: sortedUnique(vs)}
	case OpEq:
		return Matcher{Op: OpIn, Values: []uint64{t(m.Value)}}
	case OpBits:
		return Matcher{Op: OpBits, Mask: t(m.Mask)}
	case OpNe:
		return Matcher{Op: OpNe, Value: t(m.Value)}
	case OpRange:
		return Matcher{Op: OpRange, Lo: t(m.Lo), Hi: t(m.Hi)}
	case OpMasked:
		return Matcher{Op: OpMasked, Mask: t(m.Mask), Value: t(m.Value) & t(m.Mask)}
	}
	return m
}

// sortedSites returns the union of the sites of several maps, sorted.
func sortedSites(ms ...map[site]siteRules) []site {
	seen := map[site]bool{}
	var out []site
	for _, m := range ms {
		for s := range m {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return siteLess(out[i], out[j]) })
	return out
}
