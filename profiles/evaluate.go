package profiles

import "github.com/profile-dev/profile/internal/systab"

// Evaluate is the reference meaning of a profile: the verdict a correct
// filter returns for a call through the ABI with audit value audit, raw
// syscall number nr and argument registers args. See the package
// documentation for the rules.
func Evaluate(p *Profile, audit, nr uint32, args [systab.MaxArgs]uint64) Verdict {
	arch, ok := systab.ArchOf(audit, nr)
	if !ok || !p.HasArch(arch.Name) {
		return p.ForeignArchAction
	}
	name, ok := arch.SyscallName(nr)
	if !ok {
		if nr > arch.MaxNr() && p.UnknownErrno != 0 {
			return Errno(p.UnknownErrno)
		}
		return p.DefaultAction
	}
	matched := false
	var best Verdict
	for i := range p.Syscalls {
		r := &p.Syscalls[i]
		if !r.names(name) || !r.AppliesTo(arch.Name) || !r.argsMatch(arch, name, args) {
			continue
		}
		if !matched || r.Action.Stricter(best) {
			best = r.Action
		}
		matched = true
	}
	if !matched {
		return p.DefaultAction
	}
	return best
}

func (r *Rule) names(name string) bool {
	for _, n := range r.Names {
		if n == name {
			return true
		}
	}
	return false
}

func (r *Rule) argsMatch(arch *systab.Arch, name string, args [systab.MaxArgs]uint64) bool {
	for _, c := range r.Args {
		if !c.Match.Match(args[c.Index], systab.ArgWide(arch, name, c.Index)) {
			return false
		}
	}
	return true
}

// RuleMatches reports whether rule r of p matches a call: the call's ABI is
// one the profile lists and r applies to, r names the syscall, and every
// argument condition of r holds. It is the per-rule step of Evaluate, for
// tools that say which rule decided a call.
func RuleMatches(p *Profile, r *Rule, audit, nr uint32, args [systab.MaxArgs]uint64) bool {
	arch, ok := systab.ArchOf(audit, nr)
	if !ok || !p.HasArch(arch.Name) || !r.AppliesTo(arch.Name) {
		return false
	}
	name, ok := arch.SyscallName(nr)
	return ok && r.names(name) && r.argsMatch(arch, name, args)
}
