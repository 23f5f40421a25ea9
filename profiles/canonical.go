package profiles

import (
	"sort"
	"strconv"
	"strings"
)

// Canonicalize puts a profile in its canonical form without changing its
// meaning: names sorted and unique within each rule, rule arches sorted,
// arguments by index, in-sets sorted and unique, rules sorted (by arches,
// action, whether they have arguments, first name, rendered arguments), and
// rules that differ only in their names merged into one.
func Canonicalize(p *Profile) {
	for i := range p.Syscalls {
		r := &p.Syscalls[i]
		r.Names = uniqueStrings(r.Names)
		r.Arches = uniqueStrings(r.Arches)
		sortArgs(r.Args)
		for j := range r.Args {
			if r.Args[j].Match.Op == OpIn {
				r.Args[j].Match.Values = sortedUnique(r.Args[j].Match.Values)
			}
		}
	}
	p.Syscalls = mergeRules(p.Syscalls)
	sort.SliceStable(p.Syscalls, func(i, j int) bool { return ruleLess(&p.Syscalls[i], &p.Syscalls[j]) })
}

func uniqueStrings(ss []string) []string {
	if len(ss) == 0 {
		return ss
	}
	sort.Strings(ss)
	out := ss[:1]
	for _, s := range ss[1:] {
		if s != out[len(out)-1] {
			out = append(out, s)
		}
	}
	return out
}

// ruleKey renders what two rules must share to be merged. The argument's
// spelling (Name) is part of it: merging flags with a2 would change how the
// rule is written, not what it means, but keeps the user's spelling intact.
func ruleKey(r *Rule) string {
	var b strings.Builder
	b.WriteString(strings.Join(r.Arches, ","))
	b.WriteString("|" + r.Action.String() + "|" + r.Inferred + "|")
	b.WriteString(argsKey(r.Args))
	return b.String()
}

func argsKey(args []ArgCond) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = strconv.Itoa(a.Index) + ":" + a.String()
	}
	return strings.Join(parts, " && ")
}

func mergeRules(rules []Rule) []Rule {
	var out []Rule
	at := map[string]int{}
	for _, r := range rules {
		k := ruleKey(&r)
		if i, ok := at[k]; ok {
			out[i].Names = uniqueStrings(append(out[i].Names, r.Names...))
			continue
		}
		at[k] = len(out)
		out = append(out, r)
	}
	return out
}

func ruleLess(a, b *Rule) bool {
	if x, y := strings.Join(a.Arches, ","), strings.Join(b.Arches, ","); x != y {
		return x < y
	}
	if a.Action != b.Action {
		return a.Action.Action < b.Action.Action || a.Action.Action == b.Action.Action && a.Action.Data < b.Action.Data
	}
	if (len(a.Args) > 0) != (len(b.Args) > 0) {
		return len(a.Args) == 0
	}
	if x, y := first(a.Names), first(b.Names); x != y {
		return x < y
	}
	if x, y := argsKey(a.Args), argsKey(b.Args); x != y {
		return x < y
	}
	return a.Inferred < b.Inferred
}

func first(ss []string) string {
	if len(ss) == 0 {
		return ""
	}
	return ss[0]
}
