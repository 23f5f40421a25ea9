package generalize

import (
	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
)

// siblingGroup is a set of syscalls that give a workload the same
// capability: a program allowed one may, on another libc, kernel or code
// path, use another for the same job. roles maps each member to the
// positions of the arguments that mean the same thing in every member (-1:
// the member has no such argument), so an inferred sibling inherits the
// observed member's argument rule.
type siblingGroup struct {
	names []string
	roles map[string][]int
	// triggers imply the group without being members: a workload that
	// registers fds in an epoll instance will wait on it, and which wait a
	// run makes (or whether it blocks at all) is a matter of timing.
	triggers []string
}

// siblings is the data-driven list docs/arguments.md justifies. openat2 is
// not open's sibling: its flags sit in a struct seccomp cannot read.
var siblings = []siblingGroup{
	{names: []string{"open", "openat"}, roles: map[string][]int{"open": {1, 2}, "openat": {2, 3}}},
	{names: []string{"stat", "lstat", "fstat", "newfstatat", "statx", "stat64", "lstat64", "fstat64", "fstatat64"},
		roles: map[string][]int{"stat": {-1}, "lstat": {-1}, "fstat": {-1}, "newfstatat": {3}, "statx": {2}, "stat64": {-1}, "lstat64": {-1}, "fstat64": {-1}, "fstatat64": {3}}},
	{names: []string{"dup2", "dup3"}},
	{names: []string{"pipe", "pipe2"}, roles: map[string][]int{"pipe": {-1}, "pipe2": {1}}},
	{names: []string{"poll", "ppoll", "ppoll_time64"}},
	{names: []string{"select", "_newselect", "pselect6", "pselect6_time64"}},
	{names: []string{"epoll_wait", "epoll_pwait", "epoll_pwait2"}, triggers: []string{"epoll_ctl"}},
	{names: []string{"getdents", "getdents64"}},
	// The vDSO answers these without a syscall; the kernel falls back to the
	// real call when the vDSO cannot (a clock without vDSO support, a
	// virtualised TSC), which a recording on another machine may not show.
	{names: []string{"clock_gettime", "clock_gettime64", "gettimeofday", "time", "getcpu"},
		roles: map[string][]int{"clock_gettime": {0}, "clock_gettime64": {0}, "gettimeofday": {-1}, "time": {-1}, "getcpu": {-1}}},
}

// siblingRules infers, per ABI, the unobserved members of each group that
// has an observed member, with the observed member's argument rules mapped
// through the roles. The first observed member in group order is the source.
func siblingRules(arch *systab.Arch, seen map[string]bool, learnt map[string][][]profiles.ArgCond) []entry {
	var out []entry
	for _, g := range siblings {
		src := ""
		for _, n := range append(append([]string(nil), g.names...), g.triggers...) {
			if seen[n] {
				src = n
				break
			}
		}
		if src == "" {
			continue
		}
		for _, n := range g.names {
			if _, exists := arch.Nr(n); !exists || seen[n] {
				continue
			}
			why := "sibling of " + src
			if !contains(g.names, src) {
				why = "implied by " + src
			}
			for _, alt := range learnt[src] {
				out = append(out, entry{arch: arch.Name, name: n, conds: mapRoles(arch, g, src, n, alt), inferred: why, class: classSibling})
			}
		}
	}
	return out
}

// mapRoles moves the source's conditions to the target's positions; a
// condition on an argument the target lacks is dropped, and a target
// argument the source lacks stays unconstrained.
func mapRoles(arch *systab.Arch, g siblingGroup, src, dst string, conds []profiles.ArgCond) []profiles.ArgCond {
	var out []profiles.ArgCond
	for _, c := range conds {
		for r, si := range g.roles[src] {
			if si != c.Index || r >= len(g.roles[dst]) || g.roles[dst][r] < 0 {
				continue
			}
			di := g.roles[dst][r]
			m := c.Match
			m.Values = append([]uint64(nil), m.Values...)
			out = append(out, profiles.ArgCond{Index: di, Name: argName(arch, dst, di), Match: m})
		}
	}
	sortConds(out)
	return out
}

// clone3Rule answers clone3 with ENOSYS where clone was observed and clone3
// was not: clone3's flags sit in a struct seccomp cannot read, and on ENOSYS
// glibc and musl fall back to clone, whose flags the profile checks.
func clone3Rule(arch *systab.Arch, seen map[string]bool) []entry {
	if _, ok := arch.Nr("clone3"); !ok || !seen["clone"] || seen["clone3"] {
		return nil
	}
	return []entry{{arch: arch.Name, name: "clone3", action: profiles.Errno(errno("ENOSYS")),
		inferred: "clone3's flags cannot be checked; ENOSYS makes libc fall back to clone", class: classSibling}}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
