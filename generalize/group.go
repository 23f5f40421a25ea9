package generalize

import (
	"sort"
	"strconv"
	"strings"

	"github.com/profile-dev/profile/profiles"
)

// Rule classes, in the order the profile lists them.
const (
	classObserved = iota
	classNeeded
	classSibling
)

// entry is one learnt rule for one syscall on one ABI, before rules with
// equal conditions are merged across syscalls and ABIs.
type entry struct {
	arch, name string
	conds      []profiles.ArgCond
	action     profiles.Verdict
	inferred   string
	class      int
}

// key renders what two entries must share to become one rule.
func (e *entry) key() string {
	parts := make([]string, len(e.conds))
	for i, c := range e.conds {
		parts[i] = strconv.Itoa(c.Index) + ":" + c.String()
	}
	return strconv.Itoa(e.class) + "|" + e.action.String() + "|" + e.inferred + "|" + strings.Join(parts, " && ")
}

// group merges entries into rules: entries with equal conditions, action and
// reason share a rule, and names allowed on the same set of ABIs share its
// name list. Rules come by class, those without arguments first, then by
// conditions; the order is a function of the entries' set alone.
func group(entries []entry, all []string) []profiles.Rule {
	byKey := map[string][]entry{}
	for _, e := range entries {
		k := e.key()
		byKey[k] = append(byKey[k], e)
	}
	keys := sortedKeys(byKey)
	sort.SliceStable(keys, func(i, j int) bool {
		a, b := byKey[keys[i]][0], byKey[keys[j]][0]
		if a.class != b.class {
			return a.class < b.class
		}
		return (len(a.conds) > 0) != (len(b.conds) > 0) && len(a.conds) == 0
	})
	var rules []profiles.Rule
	for _, k := range keys {
		es := byKey[k]
		perArch := map[string]map[string]bool{}
		for _, e := range es {
			if perArch[e.arch] == nil {
				perArch[e.arch] = map[string]bool{}
			}
			perArch[e.arch][e.name] = true
		}
		for _, r := range byArchSet(perArch, all, es[0].inferred) {
			r.Args = cloneConds(es[0].conds)
			r.Action = es[0].action
			rules = append(rules, r)
		}
	}
	return rules
}

func cloneConds(cs []profiles.ArgCond) []profiles.ArgCond {
	if len(cs) == 0 {
		return nil
	}
	out := make([]profiles.ArgCond, len(cs))
	for i, c := range cs {
		c.Match.Values = append([]uint64(nil), c.Match.Values...)
		out[i] = c
	}
	return out
}

func sortConds(cs []profiles.ArgCond) {
	sort.Slice(cs, func(i, j int) bool { return cs[i].Index < cs[j].Index })
}
