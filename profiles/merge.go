package profiles

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/profile-dev/profile/internal/systab"
)

// Errors Merge returns.
var (
	// ErrMerge is wrapped by every error Merge returns.
	ErrMerge = errors.New("cannot merge profiles")
	// ErrIncompatible means the inputs disagree on what happens to calls no
	// rule names (default, unknown-syscall or foreign-arch action): a union
	// would have to pick one, so Merge refuses.
	ErrIncompatible = fmt.Errorf("%w: incompatible defaults", ErrMerge)
	// ErrConflict means two inputs answer the same syscall with different
	// non-allow rules (such as errno(ENOSYS) in one, nothing or another
	// action in the other); the union of such rules cannot be written as
	// rules, since a matching denial always overrides an allow.
	ErrConflict = fmt.Errorf("%w: conflicting denials", ErrMerge)
)

// MergeMode says how far Merge may combine argument conditions.
type MergeMode uint8

const (
	// MergeBalanced combines allowed-bit masks of otherwise equal rules by
	// OR-ing them, as the generaliser's balanced level does: bits [A] and
	// bits [B] become bits [A, B], which also allows A|B although no input
	// did. Everything else is exact.
	MergeBalanced MergeMode = iota
	// MergeExact never widens: masks are kept as alternatives (a mask
	// contained in another is dropped).
	MergeExact
)

// Merge returns the union of profiles, in the balanced mode (see
// MergeWith).
func Merge(ps ...*Profile) (*Profile, error) { return MergeWith(MergeBalanced, ps...) }

// MergeWith returns a profile that allows exactly the calls some input
// allows (in MergeBalanced, also what OR-ed bit masks add). The inputs must
// agree on the default, unknown-syscall and foreign-arch actions.
//
// The result covers the union of the inputs' architectures. Each input's
// rules stay confined to the architectures that input covers, so adding an
// architecture never widens another input's rules. Per syscall and
// architecture: if any input allows it with any arguments, so does the
// result; otherwise the inputs' rules are kept as alternatives, and rules
// whose conditions differ only in their last argument are combined: in-sets
// unioned (exact), masks OR-ed (MergeBalanced only). Non-allow rules must be
// the same in every input that names the syscall on that architecture
// (ErrConflict otherwise). Counts add up.
//
// The result is canonical (Canonicalize), and Merge is associative and
// commutative: any grouping and order of the same inputs gives the same
// profile.
func MergeWith(mode MergeMode, ps ...*Profile) (*Profile, error) {
	if len(ps) == 0 {
		return nil, fmt.Errorf("%w: no profiles", ErrMerge)
	}
	for i, p := range ps {
		if p == nil {
			return nil, fmt.Errorf("%w: input %d is nil", ErrMerge, i+1)
		}
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("merge: input %d: %w", i+1, err)
		}
	}
	if err := sameDefaults(ps); err != nil {
		return nil, err
	}
	out := &Profile{
		Metadata:          mergeMetadata(ps),
		DefaultAction:     ps[0].DefaultAction,
		UnknownErrno:      ps[0].UnknownErrno,
		ForeignArchAction: ps[0].ForeignArchAction,
		Architectures:     unionArches(ps),
		Counts:            addCounts(ps),
	}
	perInput := make([]map[site]siteRules, len(ps))
	for i, p := range ps {
		perInput[i] = sites(p)
	}
	merged := map[site]siteRules{}
	for _, s := range sortedSites(perInput...) {
		rs, err := mergeSite(mode, s, ps, perInput)
		if err != nil {
			return nil, err
		}
		merged[s] = rs
	}
	out.Syscalls = regroup(merged, out.Architectures)
	Canonicalize(out)
	if err := out.Validate(); err != nil {
		// A bug, not bad input: every input was valid.
		return nil, fmt.Errorf("merge: result: %w", err)
	}
	return out, nil
}

func describeInput(ps []*Profile, i int) string {
	if n := ps[i].Metadata.Name; n != "" {
		return fmt.Sprintf("input %d (%s)", i+1, n)
	}
	return fmt.Sprintf("input %d", i+1)
}

func sameDefaults(ps []*Profile) error {
	for i, p := range ps[1:] {
		q := ps[0]
		var what, a, b string
		switch {
		case p.DefaultAction != q.DefaultAction:
			what, a, b = "defaultAction", q.DefaultAction.String(), p.DefaultAction.String()
		case p.UnknownErrno != q.UnknownErrno:
			what, a, b = "unknownErrno", errnoOrNone(q.UnknownErrno), errnoOrNone(p.UnknownErrno)
		case p.ForeignArchAction != q.ForeignArchAction:
			what, a, b = "foreignArchAction", q.ForeignArchAction.String(), p.ForeignArchAction.String()
		default:
			continue
		}
		return fmt.Errorf("%w: %s is %s in %s but %s in %s", ErrIncompatible, what, a, describeInput(ps, 0), b, describeInput(ps, i+1))
	}
	return nil
}

func errnoOrNone(e uint16) string {
	if e == 0 {
		return "unset"
	}
	return systab.ErrnoName(e)
}

// unionArches lists every input's architectures in the tables' order.
func unionArches(ps []*Profile) []string {
	var out []string
	for _, a := range systab.Arches {
		for _, p := range ps {
			if p.HasArch(a.Name) {
				out = append(out, a.Name)
				break
			}
		}
	}
	return out
}

func addCounts(ps []*Profile) map[string]uint64 {
	var out map[string]uint64
	for _, p := range ps {
		for k, v := range p.Counts {
			if out == nil {
				out = map[string]uint64{}
			}
			out[k] += v
		}
	}
	return out
}

// mixed stands for provenance fields on which the inputs disagree.
const mixed = "mixed"

// mergeMetadata keeps what all inputs agree on. Every step is associative
// and commutative, so Merge is: the name is the least non-empty one, a
// differing backend or kernel becomes "mixed", a differing command is
// dropped for [mixed], and the result is complete only if every recorded
// input is. Inputs without provenance do not count.
func mergeMetadata(ps []*Profile) Metadata {
	var md Metadata
	for _, p := range ps {
		if n := p.Metadata.Name; n != "" && (md.Name == "" || n < md.Name) {
			md.Name = n
		}
		r := p.Metadata.Recorded
		if r == nil {
			continue
		}
		if md.Recorded == nil {
			c := *r
			c.Command = append([]string(nil), r.Command...)
			md.Recorded = &c
			continue
		}
		m := md.Recorded
		if strings.Join(m.Command, "\x00") != strings.Join(r.Command, "\x00") {
			m.Command = []string{mixed}
		}
		if m.Backend != r.Backend {
			m.Backend = mixed
		}
		if m.Kernel != r.Kernel {
			m.Kernel = mixed
		}
		m.Complete = m.Complete && r.Complete
	}
	return md
}

// mergeSite computes the result's rules for one site.
func mergeSite(mode MergeMode, s site, ps []*Profile, perInput []map[site]siteRules) (siteRules, error) {
	var all siteRules
	denyFrom := -1
	for i, m := range perInput {
		rs, ok := m[s]
		if !ok {
			continue
		}
		if denyFrom < 0 {
			denyFrom = i
		} else if a, b := perInput[denyFrom][s].denials().keys(), rs.denials().keys(); a != b {
			return nil, fmt.Errorf("%w: %s on %s: %s has %s, %s has %s; make them agree first",
				ErrConflict, s.Name, s.Arch, describeInput(ps, denyFrom), orNone(a), describeInput(ps, i), orNone(b))
		}
		all = append(all, rs...)
	}
	out := all.denials()
	out = dedupe(out)
	if all.allowAny() {
		// One unconditional allow covers every other allow; keep the
		// observed one over an inferred one, so the reason survives.
		best := ""
		first := true
		for _, r := range all {
			if r.allows() && len(r.Args) == 0 && (first || r.Inferred < best) {
				best, first = r.Inferred, false
			}
		}
		return append(out, siteRule{Action: Allow, Inferred: best}), nil
	}
	var allows siteRules
	for _, r := range all {
		if r.allows() {
			allows = append(allows, r)
		}
	}
	return append(out, combine(mode, allows)...), nil
}

func orNone(s string) string {
	if s == "" {
		return "no denial"
	}
	return s
}

func dedupe(rs siteRules) siteRules {
	rs.sort()
	var out siteRules
	for i, r := range rs {
		if i > 0 && r.key() == rs[i-1].key() {
			continue
		}
		out = append(out, r)
	}
	return out
}

// combine joins conditional allow rules that differ only in their last
// condition (the one with the highest index): in-sets are unioned; masks are
// OR-ed in MergeBalanced, and in MergeExact a mask inside another is dropped.
// Grouping only ever looks at one fixed position, so the result is a
// function of the set of rules, whatever order they came in: that is what
// makes Merge associative. Combining along several positions would depend
// on which pair was taken first.
func combine(mode MergeMode, rs siteRules) siteRules {
	type group struct {
		rule  siteRule
		masks []uint64 // MergeExact: the maximal masks
	}
	groups := map[string]*group{}
	var order []string
	var out siteRules
	for _, r := range rs {
		n := len(r.Args)
		last := r.Args[n-1]
		if last.Match.Op != OpIn && last.Match.Op != OpBits {
			out = append(out, r)
			continue
		}
		k := argsKey(r.Args[:n-1]) + "|" + last.Match.Op.String() + "@" + fmt.Sprint(last.Index) + "|" + r.Inferred
		g, ok := groups[k]
		if !ok {
			c := r
			c.Args = append([]ArgCond(nil), r.Args...)
			g = &group{rule: c}
			groups[k] = g
			order = append(order, k)
			if last.Match.Op == OpBits && mode == MergeExact {
				g.masks = []uint64{last.Match.Mask}
			}
			continue
		}
		gl := &g.rule.Args[n-1].Match
		switch {
		case last.Match.Op == OpIn:
			gl.Values = sortedUnique(append(append([]uint64(nil), gl.Values...), last.Match.Values...))
		case mode == MergeBalanced:
			gl.Mask |= last.Match.Mask
		default:
			g.masks = maximalMasks(append(g.masks, last.Match.Mask))
		}
	}
	sort.Strings(order)
	for _, k := range order {
		g := groups[k]
		if g.masks == nil {
			out = append(out, g.rule)
			continue
		}
		for _, m := range g.masks {
			r := g.rule
			r.Args = append([]ArgCond(nil), g.rule.Args...)
			r.Args[len(r.Args)-1].Match = Matcher{Op: OpBits, Mask: m}
			out = append(out, r)
		}
	}
	return dedupe(out)
}

// maximalMasks drops masks contained in another and sorts the rest.
func maximalMasks(ms []uint64) []uint64 {
	ms = sortedUnique(ms)
	var out []uint64
	for i, m := range ms {
		inside := false
		for j, o := range ms {
			if i != j && m&^o == 0 {
				inside = true
				break
			}
		}
		if !inside {
			out = append(out, m)
		}
	}
	return out
}

// regroup turns per-site rules back into profile rules: one rule per
// syscall and distinct condition, limited to the architectures where it
// applies unless that is all of them. Canonicalize then joins the names of
// rules that are otherwise equal.
func regroup(m map[site]siteRules, all []string) []Rule {
	type sig struct{ name, key string }
	arches := map[sig][]string{}
	rules := map[sig]siteRule{}
	var order []sig
	for _, s := range sortedSites(m) {
		for _, r := range m[s] {
			k := sig{s.Name, r.key()}
			if _, ok := rules[k]; !ok {
				rules[k] = r
				order = append(order, k)
			}
			arches[k] = append(arches[k], s.Arch)
		}
	}
	out := make([]Rule, 0, len(order))
	for _, k := range order {
		r := rules[k]
		rule := Rule{Names: []string{k.name}, Args: r.Args, Action: r.Action, Inferred: r.Inferred}
		if as := arches[k]; !sameSet(as, archesWith(k.name, all)) {
			rule.Arches = uniqueStrings(as)
		}
		out = append(out, rule)
	}
	return out
}

// archesWith lists the architectures among all whose table has the syscall.
func archesWith(name string, all []string) []string {
	var out []string
	for _, n := range all {
		if a, ok := systab.ArchByName(n); ok {
			if _, ok := a.Nr(name); ok {
				out = append(out, n)
			}
		}
	}
	return out
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	x := uniqueStrings(append([]string(nil), a...))
	y := uniqueStrings(append([]string(nil), b...))
	return strings.Join(x, ",") == strings.Join(y, ",")
}
