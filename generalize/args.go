package generalize

import (
	"sort"
	"strconv"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
	"github.com/profile-dev/profile/trace"
)

// Set-size caps: an observed value set larger than this falls back to the
// next step of the lattice (exact set -> allowed-bit mask for flags, range
// for enums), so a profile stays small and compiles to a short filter.
const (
	strictCap   = 64
	balancedCap = 16
)

// argCall is one observed call's arguments as generalisation sees them.
type argCall struct {
	args [systab.MaxArgs]uint64
	mask trace.ArgMask
}

// learnArgs returns the alternatives for one syscall on one ABI: each is a
// list of conditions (ANDed) and every observed call satisfies at least one.
// A nil inner list allows any arguments.
func learnArgs(arch *systab.Arch, name string, calls []argCall, level Level) [][]profiles.ArgCond {
	if level == LevelNames {
		return [][]profiles.ArgCond{nil}
	}
	var conds []profiles.ArgCond
	split := -1 // the argument whose values divide the rule in two (prot: W^X)
	var splitValues [2][]uint64
	for i := range systab.MaxArgs {
		info := systab.ArgKindOf(arch, name, i)
		if !constrained(info, level) {
			continue
		}
		values, ok := observedValues(arch, name, i, calls)
		if !ok {
			continue
		}
		if level == LevelBalanced && info.Family == "prot" {
			if lo, hi, ok := wxSplit(arch, values); ok {
				split, splitValues = len(conds), [2][]uint64{lo, hi}
			}
		}
		if level == LevelBalanced {
			values = widen(arch, info, values)
		}
		conds = append(conds, profiles.ArgCond{Index: i, Name: argName(arch, name, i), Match: lattice(info.Kind, level, values)})
	}
	if split < 0 {
		return [][]profiles.ArgCond{conds}
	}
	var alts [][]profiles.ArgCond
	for _, vs := range splitValues {
		alt := append([]profiles.ArgCond(nil), conds...)
		alt[split].Match = lattice(systab.KindFlags, level, vs)
		alts = append(alts, alt)
	}
	return alts
}

// constrained says whether an argument of a kind is learnt at a level.
// Pointers, fds, sizes, pids and plain numbers never are: their values are
// the workload's data and differ from run to run.
func constrained(info systab.ArgInfo, level Level) bool {
	if info.Strict && level != LevelStrict {
		return false
	}
	switch info.Kind {
	case systab.KindFlags, systab.KindEnum, systab.KindSignal:
		return true
	case systab.KindMode, systab.KindID:
		return level == LevelStrict
	}
	return false
}

// observedValues returns the distinct values of argument i, truncated to 32
// bits where the kernel reads only those (so AT_FDCWD passed sign-extended or
// not is one value), sorted. It fails when any call lacks the argument: a
// missing argument is not an observed zero.
func observedValues(arch *systab.Arch, name string, i int, calls []argCall) ([]uint64, bool) {
	wide := systab.ArgWide(arch, name, i)
	seen := map[uint64]bool{}
	for _, c := range calls {
		if !c.mask.Has(i) {
			return nil, false
		}
		v := c.args[i]
		if !wide {
			v &= 0xffffffff
		}
		seen[v] = true
	}
	out := make([]uint64, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	sort.Slice(out, func(a, b int) bool { return out[a] < out[b] })
	return out, len(out) > 0
}

// lattice picks the matcher for observed values: strict keeps the exact set,
// balanced an allowed-bit mask for flags and the set for enums; a set above
// the cap widens to a mask (flags) or a range (everything else).
func lattice(k systab.ArgKind, level Level, values []uint64) profiles.Matcher {
	limit := balancedCap
	if level == LevelStrict {
		limit = strictCap
	}
	flags := k == systab.KindFlags
	switch {
	case flags && level != LevelStrict, flags && len(values) > limit:
		var m uint64
		for _, v := range values {
			m |= v
		}
		return profiles.Matcher{Op: profiles.OpBits, Mask: m}
	case len(values) > limit:
		return profiles.Matcher{Op: profiles.OpRange, Lo: values[0], Hi: values[len(values)-1]}
	}
	return profiles.Matcher{Op: profiles.OpIn, Values: append([]uint64(nil), values...)}
}

// wxSplit divides observed prot values into those without PROT_EXEC and
// those with it, when both occur and none is writable and executable at
// once: two masks then allow exactly as much as was seen of each, and never
// PROT_WRITE|PROT_EXEC, where one mask would allow both together.
func wxSplit(arch *systab.Arch, values []uint64) (noExec, exec []uint64, ok bool) {
	f, _ := systab.FamilyByName(arch, "prot")
	x, okx := f.Value("PROT_EXEC")
	w, okw := f.Value("PROT_WRITE")
	if !okx || !okw {
		return nil, nil, false
	}
	for _, v := range values {
		if v&x == 0 {
			noExec = append(noExec, v)
			continue
		}
		if v&w != 0 {
			return nil, nil, false
		}
		exec = append(exec, v)
	}
	return noExec, exec, len(noExec) > 0 && len(exec) > 0
}

// argName is the kernel's name for argument i, or aN.
func argName(arch *systab.Arch, name string, i int) string {
	if args := systab.Args(arch, name); i < len(args) {
		return args[i].Name
	}
	return "a" + strconv.Itoa(i)
}
