package compile

import (
	"fmt"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
)

// Helpers that build profiles in Go, so tests do not depend on the YAML
// loader.

func errno(name string) profiles.Verdict {
	e, ok := systab.ErrnoByName(name)
	if !ok {
		panic("unknown errno " + name)
	}
	return profiles.Errno(e)
}

func verdict(a profiles.Action, data uint16) profiles.Verdict {
	return profiles.Verdict{Action: a, Data: data}
}

func allow(names ...string) profiles.Rule { return profiles.Rule{Names: names} }

func rule(v profiles.Verdict, names []string, args ...profiles.ArgCond) profiles.Rule {
	return profiles.Rule{Names: names, Args: args, Action: v}
}

func on(arches []string, r profiles.Rule) profiles.Rule {
	r.Arches = arches
	return r
}

func arg(i int, m profiles.Matcher) profiles.ArgCond {
	return profiles.ArgCond{Index: i, Name: fmt.Sprintf("a%d", i), Match: m}
}

func in(vs ...uint64) profiles.Matcher { return profiles.Matcher{Op: profiles.OpIn, Values: vs} }
func bits(m uint64) profiles.Matcher   { return profiles.Matcher{Op: profiles.OpBits, Mask: m} }
func eq(v uint64) profiles.Matcher     { return profiles.Matcher{Op: profiles.OpEq, Value: v} }
func ne(v uint64) profiles.Matcher     { return profiles.Matcher{Op: profiles.OpNe, Value: v} }
func rng(lo, hi uint64) profiles.Matcher {
	return profiles.Matcher{Op: profiles.OpRange, Lo: lo, Hi: hi}
}
func masked(m, v uint64) profiles.Matcher {
	return profiles.Matcher{Op: profiles.OpMasked, Mask: m, Value: v}
}

func names(ns ...string) []string { return ns }

func profile(name string, def profiles.Verdict, arches []string, rules ...profiles.Rule) *profiles.Profile {
	return &profiles.Profile{
		Metadata:          profiles.Metadata{Name: name},
		DefaultAction:     def,
		UnknownErrno:      38, // ENOSYS
		ForeignArchAction: profiles.KillProcess,
		Architectures:     arches,
		Syscalls:          rules,
	}
}

// testProfiles cover every matcher on narrow and wide arguments, every
// action, several rules per syscall with different actions, rules limited
// to some ABIs, multi-ABI profiles and big-endian s390x.
func testProfiles() map[string]*profiles.Profile {
	const neg = ^uint64(0) // -1
	ps := map[string]*profiles.Profile{}
	ps["basic"] = profile("basic", errno("EPERM"), names("x86_64"),
		allow("read", "write", "close", "exit_group", "fstat", "futex"),
		rule(profiles.Allow, names("openat"), arg(2, bits(0x80000|0x10000|0x800))),
		rule(profiles.Allow, names("ioctl"), arg(1, in(0x5401, 0x5413))),
		rule(profiles.Allow, names("mmap", "mprotect"), arg(2, bits(3))),
		rule(errno("ENOSYS"), names("clone3")),
	)
	ps["matchers-narrow"] = profile("matchers-narrow", errno("EPERM"), names("x86_64"),
		rule(profiles.Allow, names("openat"), arg(0, eq(neg)), arg(2, bits(0x80800)), arg(3, ne(0o777))),
		rule(profiles.Allow, names("getpriority"), arg(0, rng(1, 2)), arg(1, in(0, 5, 0xffffffff, 0x1_0000_0005))),
		rule(profiles.Allow, names("fcntl"), arg(1, masked(0xf0, 0x30)), arg(0, rng(0, 100))),
		rule(profiles.Allow, names("dup"), arg(0, rng(0xfffffff0, neg))),
		rule(profiles.Allow, names("personality"), arg(0, rng(5, 3))), // empty range
		rule(profiles.Allow, names("ioctl"), arg(1, eq(0xffffffff_00005401))),
	)
	ps["matchers-wide"] = profile("matchers-wide", errno("EACCES"), names("x86_64"),
		rule(profiles.Allow, names("lseek"), arg(1, rng(0x1_0000_0000, 0x2_ffff_ffff))),
		rule(profiles.Allow, names("madvise"), arg(0, in(0, 1, 0x1_0000_0000, 0x1_0000_0001, 0xffffffff_ffffffff, 0x7fff_0000_1000)), arg(1, ne(0x1000)), arg(2, eq(4))),
		rule(profiles.Allow, names("mmap"), arg(2, bits(0x1_0000_0003)), arg(3, masked(0xff00_0000_00ff, 0x1200_0000_0022)), arg(4, eq(neg))),
		rule(profiles.Allow, names("prctl"), arg(1, rng(0x1_8000_0000, 0x3_0000_0005)), arg(2, rng(7, neg)), arg(3, rng(0, 0x5_ffff_ffff))),
		rule(profiles.Allow, names("fcntl"), arg(2, rng(0x1_0000_0000, 0x1_0000_0000))),
		rule(profiles.Allow, names("ioctl"), arg(2, masked(neg, 0)), arg(1, masked(0, 5))),
		rule(profiles.Allow, names("mprotect"), arg(2, bits(neg)), arg(0, rng(0x2_0000_0000, 0x1_0000_0000))),
	)
	ps["actions"] = profile("actions", profiles.Allow, names("x86_64"),
		rule(profiles.KillProcess, names("ptrace")),
		rule(verdict(profiles.ActKillThread, 0), names("kexec_load")),
		rule(verdict(profiles.ActTrap, 3), names("reboot")),
		rule(verdict(profiles.ActTrace, 77), names("mount")),
		rule(verdict(profiles.ActLog, 0), names("umount2")),
		rule(errno("EPERM"), names("setuid")),
		// Several rules for one syscall with different actions.
		rule(errno("EACCES"), names("prctl"), arg(0, eq(22))),
		rule(profiles.KillProcess, names("prctl"), arg(0, eq(22)), arg(1, eq(2))),
		rule(verdict(profiles.ActLog, 0), names("prctl"), arg(0, in(22, 38))),
		rule(verdict(profiles.ActTrap, 1), names("prctl"), arg(1, rng(100, 200))),
		rule(errno("EINVAL"), names("prctl"), arg(1, eq(150))),
		// An unconditional rule with a stricter conditional one.
		rule(errno("ENOENT"), names("openat")),
		rule(profiles.KillProcess, names("openat"), arg(2, masked(0x3, 0x3))),
		rule(profiles.Allow, names("openat"), arg(2, eq(0))), // never decides: openat is errno at least
	)
	ps["multi-arch"] = &profiles.Profile{
		Metadata:          profiles.Metadata{Name: "multi-arch"},
		DefaultAction:     errno("EPERM"),
		ForeignArchAction: verdict(profiles.ActTrap, 0),
		Architectures:     names("x86_64", "i386", "x32"),
		Syscalls: []profiles.Rule{
			allow("read", "write", "close", "exit_group", "rt_sigreturn", "socketcall", "mmap2"),
			on(names("i386"), allow("getppid")),
			on(names("x32"), allow("getpid", "ioctl")),
			on(names("x86_64", "x32"), rule(profiles.Allow, names("openat"), arg(2, bits(0x80800)))),
			rule(profiles.Allow, names("mmap"), arg(3, in(0x22, 0x1_0000_0022))),
			rule(errno("ENOSYS"), names("clone3")),
		},
	}
	ps["x32-only"] = profile("x32-only", errno("EPERM"), names("x32"),
		allow("read", "write", "exit_group"),
		rule(profiles.Allow, names("lseek"), arg(1, rng(1, 0x1_0000_0000))),
	)
	ps["aarch64"] = profile("aarch64", errno("EPERM"), names("aarch64", "arm"),
		allow("read", "write", "close", "exit_group"),
		rule(profiles.Allow, names("openat"), arg(2, bits(0x88000))),
		rule(profiles.Allow, names("mmap"), arg(2, bits(3)), arg(1, rng(0x1000, 0x1_0000_0000))),
		on(names("arm"), rule(profiles.Allow, names("mmap2"), arg(5, eq(0x1_0000_0001)))),
	)
	ps["s390x"] = profile("s390x", errno("EPERM"), names("s390x", "ppc64le", "riscv64"),
		allow("read", "write", "exit_group"),
		rule(profiles.Allow, names("lseek"), arg(1, rng(0x1_0000_0005, 0x2_0000_0000)), arg(2, in(0, 1))),
		rule(profiles.Allow, names("mmap"), arg(2, bits(0x1_0000_0003)), arg(3, masked(0xff00_0000_00ff, 0x1200_0000_0022))),
	)
	ps["no-unknown-errno"] = &profiles.Profile{
		Metadata:          profiles.Metadata{Name: "no-unknown-errno"},
		DefaultAction:     verdict(profiles.ActLog, 0),
		ForeignArchAction: errno("EPERM"),
		Architectures:     names("i386"),
		Syscalls:          []profiles.Rule{allow("read"), rule(profiles.KillProcess, names("write"), arg(0, eq(1)))},
	}
	ps["empty"] = &profiles.Profile{Metadata: profiles.Metadata{Name: "empty"}, DefaultAction: profiles.KillProcess}
	ps["long-jumps"] = longJumps(300)
	ps["alternating"] = alternating()
	// Counts on numbers between refused ones make the planner hoist them.
	counted := ps["basic"].Clone()
	counted.Metadata.Name = "basic-counted"
	counted.Architectures = names("x86_64", "i386", "x32")
	counted.Counts = map[string]uint64{"close": 500, "fstat": 300, "openat": 400, "futex": 200, "mmap": 100, "ioctl": 50, "read": 10}
	ps["basic-counted"] = counted
	return ps
}

// alternating allows every third x86-64 syscall, with counts on some: a
// dispatch over more segments than the planner optimises exactly, so the
// greedy plan runs too.
func alternating() *profiles.Profile {
	var allowed []string
	counts := map[string]uint64{}
	for i, n := range systab.X86_64.Names() {
		if i%3 == 0 {
			allowed = append(allowed, n)
			if i%9 == 0 {
				counts[n] = uint64(1000 + i)
			}
		}
	}
	p := profile("alternating", errno("EPERM"), names("x86_64", "i386"),
		allow(allowed...),
		rule(errno("EACCES"), names("ioctl"), arg(1, in(1, 2, 3, 10, 20))))
	p.Counts = counts
	return p
}

// longJumps makes a profile whose argument checks are long enough that jumps
// past them need trampolines.
func longJumps(n int) *profiles.Profile {
	var cmds []uint64
	for i := range n {
		cmds = append(cmds, 0x5400+uint64(i)*3)
	}
	return profile("long-jumps", errno("EPERM"), names("x86_64", "i386"),
		allow("read", "write"),
		rule(profiles.Allow, names("ioctl"), arg(1, in(cmds...))),
		rule(profiles.Allow, names("fcntl"), arg(2, in(append(cmds, 0x1_0000_5400)...))),
		rule(errno("EACCES"), names("openat"), arg(2, bits(0x80800))),
		rule(profiles.Allow, names("lseek"), arg(1, rng(100, 0x1_0000_0000))),
	)
}

type profilesT = profiles.Profile

func profilesErrno(e uint16) profiles.Verdict { return profiles.Errno(e) }

type profilesVerdict = profiles.Verdict
