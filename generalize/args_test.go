package generalize

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
	"github.com/profile-dev/profile/trace"
)

// realistic are argument values real programs pass, per syscall: flags with
// and without sign extension, AT_FDCWD both ways, namespaces, ioctls.
var realistic = []struct {
	name string
	args [][]uint64
}{
	{"openat", [][]uint64{{0xffffff9c, 1, 0x80000}, {0xffffffffffffff9c, 1, 0x80241, 0o644}, {3, 1, 0x90800}, {0xffffff9c, 1, 0x2}}},
	{"open", [][]uint64{{1, 0x80000}, {1, 0x241, 0o600}}},
	{"mmap", [][]uint64{{0, 4096, 3, 0x22, 0xffffffffffffffff, 0}, {0, 8192, 5, 0x802, 3, 0}, {0, 8192, 1, 0x812, 3, 0x1000}, {0, 4096, 0, 0x22, 0xffffffff, 0}}},
	{"mprotect", [][]uint64{{0x7f0000, 4096, 1}, {0x7f0000, 4096, 0}, {0x7f0000, 4096, 3}}},
	{"clone", [][]uint64{{0x1200011, 0, 0, 0x7f00, 0}, {0x3d0f00, 0x7f0000, 0x7f10, 0x7f10, 0x7f20}}},
	{"unshare", [][]uint64{{0x20000}}},
	{"socket", [][]uint64{{1, 0x80001, 0}, {2, 2, 0}, {10, 0x80801, 6}, {16, 3, 0}}},
	{"ioctl", [][]uint64{{0, 0x5401, 0x7ffc}, {1, 0x5413, 0x7ffc}, {3, 0x5451, 0}, {0xffffffff, 0x541b, 0}}},
	{"fcntl", [][]uint64{{3, 1}, {3, 2, 1}, {3, 1030, 0}, {4, 4, 0x800}}},
	{"futex", [][]uint64{{0x7f00, 0x80, 2, 0}, {0x7f00, 0x81, 1}, {0x7f00, 0x189, 0, 0, 0, 0xffffffff}}},
	{"rt_sigprocmask", [][]uint64{{0, 0x7f00, 0, 8}, {2, 0x7f00, 0x7f10, 8}}},
	{"rt_sigaction", [][]uint64{{17, 0x7f00, 0, 8}, {23, 0x7f00, 0, 8}, {0xffffffff00000002, 0, 0x7f, 8}}},
	{"prctl", [][]uint64{{15, 0x7f00}, {38, 1, 0, 0, 0}}},
	{"newfstatat", [][]uint64{{0xffffff9c, 0x7f, 0x7f, 0}, {3, 0x7f, 0x7f, 0x1000}, {0xffffff9c, 0x7f, 0x7f, 0x100}}},
	{"wait4", [][]uint64{{0xffffffffffffffff, 0x7f, 0, 0}, {1234, 0, 1, 0}}},
	{"getrandom", [][]uint64{{0x7f, 16, 1}, {0x7f, 16, 0}}},
	{"madvise", [][]uint64{{0x7f0000, 4096, 4}, {0x7f0000, 4096, 14}}},
	{"clock_gettime", [][]uint64{{1, 0x7f}, {0, 0x7f}}},
	{"arch_prctl", [][]uint64{{0x1002, 0x7f00}, {0x3001, 0x7f}}},
	{"read", [][]uint64{{0, 0x7f, 4096}, {3, 0x7f, 1}}},
	{"pipe2", [][]uint64{{0x7f, 0x80000}}},
	{"dup2", [][]uint64{{3, 1}}},
	{"poll", [][]uint64{{0x7f, 1, 0xffffffff}}},
	{"kill", [][]uint64{{1234, 15}, {0, 0}}},
	{"setsockopt", [][]uint64{{3, 1, 2, 0x7f, 4}, {3, 6, 1, 0x7f, 4}}},
}

// realisticTrace draws a trace of realistic calls on x86-64 and i386, some
// with arguments missing, plus random noise.
func realisticTrace(r *rand.Rand) *trace.Trace {
	arches := []*systab.Arch{systab.X86_64, systab.X86_64, systab.I386, systab.X32}
	tr := &trace.Trace{Version: trace.Version, Complete: true}
	for range 1 + r.IntN(40) {
		a := arches[r.IntN(len(arches))]
		s := realistic[r.IntN(len(realistic))]
		nr, ok := a.Nr(s.name)
		if !ok {
			continue
		}
		c := trace.Call{Arch: a.Name, Nr: nr, ArgMask: trace.AllArgs, Count: 1}
		copy(c.Args[:], s.args[r.IntN(len(s.args))])
		if r.IntN(10) == 0 {
			c.ArgMask &^= 1 << r.IntN(systab.MaxArgs) // a capture gap
		}
		if r.IntN(8) == 0 {
			c.Args[r.IntN(systab.MaxArgs)] ^= 1 << r.IntN(64) // an unusual value
		}
		tr.Calls = append(tr.Calls, c)
	}
	return tr
}

// TestSoundArgs is the soundness property on argument-level traces: every
// observed call evaluates to allow, at every level.
func TestSoundArgs(t *testing.T) {
	for _, level := range []Level{LevelStrict, LevelBalanced, LevelNames} {
		t.Run(level.String(), func(t *testing.T) {
			r := rand.New(rand.NewPCG(11, uint64(level)))
			for i := range 400 {
				assertSound(t, i, realisticTrace(r), level)
			}
		})
	}
}

func TestDeterministicArgs(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	tr := realisticTrace(r)
	for len(tr.Calls) < 20 {
		tr.Calls = append(tr.Calls, realisticTrace(r).Calls...)
	}
	first, err := Generalize([]*trace.Trace{tr}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := profiles.Marshal(first.Profile)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		r.Shuffle(len(tr.Calls), func(i, j int) { tr.Calls[i], tr.Calls[j] = tr.Calls[j], tr.Calls[i] })
		again, err := Generalize([]*trace.Trace{tr}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := profiles.Marshal(again.Profile)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Fatalf("profiles differ:\n%s\n%s", want, got)
		}
	}
}

// learn generalises calls made on x86-64 at a level.
func learn(t *testing.T, level Level, calls ...trace.Call) *profiles.Profile {
	t.Helper()
	res, err := Generalize([]*trace.Trace{{Version: trace.Version, Complete: true, Calls: calls}}, Options{Level: level})
	if err != nil {
		t.Fatal(err)
	}
	return res.Profile
}

func eval(p *profiles.Profile, arch *systab.Arch, name string, args ...uint64) profiles.Verdict {
	nr, _ := arch.Nr(name)
	var a [6]uint64
	copy(a[:], args)
	return profiles.Evaluate(p, arch.Audit, nr, a)
}

// TestLattice checks what each level allows beyond what was seen.
func TestLattice(t *testing.T) {
	x := systab.X86_64
	calls := []trace.Call{
		call(t, x, "openat", 0xffffff9c, 1, 0x80000),         // O_RDONLY|O_CLOEXEC
		call(t, x, "openat", 0xffffff9c, 1, 0x90800),         // |O_DIRECTORY|O_NONBLOCK
		call(t, x, "mmap", 0, 4096, 3, 0x22, 0xffffffff, 0),  // RW anonymous
		call(t, x, "mmap", 0, 4096, 5, 0x802, 3, 0),          // RX file (a library)
		call(t, x, "mprotect", 0x7f00, 4096, 1),              // R
		call(t, x, "clone", 0x1200011, 0, 0, 0x7f00, 0),      // fork
		call(t, x, "socket", 1, 0x80001, 0),                  // AF_UNIX stream
		call(t, x, "ioctl", 1, 0x5401, 0x7f),                 // TCGETS
		call(t, x, "kill", 1234, 15),                         // SIGTERM
		call(t, x, "fchmod", 3, 0o644),                       // a mode
		call(t, x, "read", 3, 0x7f, 10),                      // nothing to constrain
		call(t, x, "gettimeofday", 0x7f, 0),                  // vDSO fallback
		call(t, x, "pipe", 0x7f),                             // pipe2's sibling
		call(t, x, "openat", 0xffffffffffffff9c, 1, 0x80000), // AT_FDCWD sign-extended
	}
	type check struct {
		name string
		args []uint64
		want [3]bool // allowed at strict, balanced, names
	}
	all, none := [3]bool{true, true, true}, [3]bool{false, false, true}
	for _, c := range []check{
		{"openat", []uint64{5, 1, 0x80000}, all},                                     // fds are never constrained
		{"openat", []uint64{5, 1, 0x10000}, [3]bool{false, true, true}},              // a subset of the seen bits
		{"openat", []uint64{5, 1, 1<<32 | 0x80000}, all},                             // int: the high half is ignored
		{"openat", []uint64{5, 1, 0x80001}, none},                                    // O_WRONLY never seen
		{"open", []uint64{1, 0x80000}, [3]bool{false, true, true}},                   // sibling of openat
		{"open", []uint64{1, 0x80041}, [3]bool{false, false, true}},                  // with the sibling's rule
		{"mmap", []uint64{0, 1 << 20, 3, 0x22, 0xffffffff, 0}, all},                  // lengths never constrained
		{"mmap", []uint64{0, 4096, 7, 0x22, 0xffffffff, 0}, none},                    // W|X: never
		{"mmap", []uint64{0, 4096, 4, 0x802, 3, 0}, [3]bool{false, true, true}},      // X alone: a subset of RX
		{"mprotect", []uint64{0x7f00, 4096, 4}, none},                                // W^X: no exec seen in mprotect
		{"clone", []uint64{0x1200011 | 0x10000000, 0, 0, 0, 0}, none},                // CLONE_NEWUSER
		{"clone3", []uint64{0x7f, 88}, [3]bool{false, false, false}},                 // ENOSYS, never allow
		{"socket", []uint64{2, 1, 0}, none},                                          // AF_INET never seen
		{"socket", []uint64{1, 0x80001, 0}, all},                                     // seen
		{"ioctl", []uint64{1, 0x5413, 0}, none},                                      // TIOCGWINSZ never seen
		{"ioctl", []uint64{7, 0x5401, 0}, all},                                       // TCGETS on another fd
		{"kill", []uint64{99, 9}, none},                                              // SIGKILL never seen
		{"kill", []uint64{99, 15}, all},                                              // pids never constrained
		{"fchmod", []uint64{3, 0o777}, [3]bool{false, true, true}},                   // modes only at strict
		{"clock_gettime", []uint64{1, 0x7f}, [3]bool{false, true, true}},             // vDSO sibling
		{"pipe2", []uint64{0x7f, 0x80000}, [3]bool{false, true, true}},               // pipe's sibling
		{"openat2", []uint64{0xffffff9c, 1, 0x7f, 24}, [3]bool{false, false, false}}, // not a sibling
	} {
		for li, level := range []Level{LevelStrict, LevelBalanced, LevelNames} {
			p := learn(t, level, calls...)
			got := eval(p, x, c.name, c.args...) == profiles.Allow
			if got != c.want[li] {
				t.Errorf("%s %s%#x: allowed = %t, want %t", level, c.name, c.args, got, c.want[li])
			}
		}
	}
	p := learn(t, LevelBalanced, calls...)
	if v := eval(p, x, "clone3", 0x7f, 88); v != profiles.Errno(38) {
		t.Errorf("clone3 = %v, want errno(ENOSYS)", v)
	}
	for _, r := range p.Syscalls {
		for _, n := range r.Names {
			if (n == "open" || n == "clone3" || n == "pipe2") && r.Inferred == "" {
				t.Errorf("rule %v is not marked inferred", r)
			}
		}
	}
	if v := eval(learn(t, LevelStrict, calls...), x, "clone3", 0x7f, 88); v != profiles.Errno(1) {
		t.Errorf("strict clone3 = %v, want the default errno(EPERM)", v)
	}
}

// TestMissingArg checks that an argument a recorder did not capture is never
// read as an observed zero: the argument stays unconstrained.
func TestMissingArg(t *testing.T) {
	c := call(t, systab.X86_64, "socket", 1, 1, 0)
	c.ArgMask &^= 1 << 0
	p := learn(t, LevelBalanced, c)
	if v := eval(p, systab.X86_64, "socket", 2, 1, 0); v != profiles.Allow {
		t.Errorf("socket with an uncaptured family: AF_INET = %v, want allow", v)
	}
	if v := eval(p, systab.X86_64, "socket", 2, 3, 0); v == profiles.Allow {
		t.Errorf("socket type was captured: SOCK_RAW allowed")
	}
}

// TestNarrow32 checks 32-bit ABIs: every argument compares on 32 bits, and
// i386's old mmap (a struct pointer) is not constrained.
func TestNarrow32(t *testing.T) {
	i := systab.I386
	p := learn(t, LevelBalanced,
		call(t, i, "mmap", 0x7f00),
		call(t, i, "mmap2", 0, 4096, 3, 0x22, 0xffffffff, 0),
		call(t, i, "openat", 0xffffff9c, 1, 0x8000))
	if v := eval(p, i, "mmap", 0x1234); v != profiles.Allow {
		t.Errorf("i386 old mmap constrained: %v", v)
	}
	if v := eval(p, i, "mmap2", 0, 4096, 7, 0x22, 0xffffffff, 0); v == profiles.Allow {
		t.Errorf("i386 mmap2 PROT_EXEC allowed")
	}
	if v := eval(p, i, "openat", 0xffffffffffffff9c, 1, 0xffffffff00008000); v != profiles.Allow {
		t.Errorf("i386 openat with high halves set = %v, want allow (32-bit ABI)", v)
	}
}

func TestNamesLevelHasNoArgs(t *testing.T) {
	p := learn(t, LevelNames, call(t, systab.X86_64, "socket", 1, 1, 0), call(t, systab.X86_64, "clone", 0x11))
	for _, r := range p.Syscalls {
		if len(r.Args) > 0 && r.Inferred == "" {
			t.Errorf("names level observed rule with arguments: %v", r)
		}
	}
	got := []string{}
	for _, r := range p.Syscalls {
		if r.Action == profiles.Allow && r.Inferred == "" {
			got = append(got, r.Names...)
		}
	}
	if !reflect.DeepEqual(got, []string{"clone", "socket"}) {
		t.Errorf("observed names = %v", got)
	}
}

// TestWiden checks the balanced level's harmless bits and value groups, and
// that strict keeps exactly what was seen.
func TestWiden(t *testing.T) {
	x := systab.X86_64
	calls := []trace.Call{
		call(t, x, "openat", 0xffffff9c, 1, 0),      // O_RDONLY
		call(t, x, "fcntl", 3, 1),                   // F_GETFD
		call(t, x, "futex", 0x7f, 0x80, 1),          // FUTEX_WAIT_PRIVATE
		call(t, x, "unlinkat", 0xffffff9c, 0x7f, 0), // lookup flags: strict only
		call(t, x, "rt_sigaction", 2, 0x7f, 0, 8),   // handler for SIGINT: strict only
		call(t, x, "prlimit64", 0, 7, 0, 0x7f),      // RLIMIT_NOFILE: strict only
		call(t, x, "ioctl", 1, 0x5401, 0x7f),        // TCGETS: never widened
	}
	for _, c := range []struct {
		name             string
		args             []uint64
		strict, balanced bool
	}{
		{"openat", []uint64{3, 1, 0x80000 | 0x100 | 0x20000 | 0x10000}, false, true}, // CLOEXEC|NOCTTY|NOFOLLOW|DIRECTORY
		{"openat", []uint64{3, 1, 0x41}, false, false},                               // O_WRONLY|O_CREAT
		{"fcntl", []uint64{3, 1030, 0}, false, true},                                 // F_DUPFD_CLOEXEC
		{"fcntl", []uint64{3, 6, 0x7f}, false, false},                                // F_SETLK: another group
		{"futex", []uint64{0x7f, 0x81, 1}, false, true},                              // FUTEX_WAKE_PRIVATE
		{"futex", []uint64{0x7f, 0x86, 1}, false, false},                             // FUTEX_LOCK_PI_PRIVATE
		{"unlinkat", []uint64{0xffffff9c, 0x7f, 0x200}, false, true},                 // AT_REMOVEDIR
		{"rt_sigaction", []uint64{15, 0x7f, 0, 8}, false, true},
		{"prlimit64", []uint64{0, 3, 0, 0x7f}, false, true},
		{"ioctl", []uint64{1, 0x5413, 0x7f}, false, false},
	} {
		for _, lv := range []struct {
			level Level
			want  bool
		}{{LevelStrict, c.strict}, {LevelBalanced, c.balanced}} {
			if got := eval(learn(t, lv.level, calls...), x, c.name, c.args...) == profiles.Allow; got != lv.want {
				t.Errorf("%s %s%#x: allowed = %t, want %t", lv.level, c.name, c.args, got, lv.want)
			}
		}
	}
}

// TestImplied checks a trigger: epoll_ctl implies the epoll waits.
func TestImplied(t *testing.T) {
	x := systab.X86_64
	p := learn(t, LevelBalanced, call(t, x, "epoll_ctl", 3, 1, 4, 0x7f))
	if v := eval(p, x, "epoll_pwait", 3, 0x7f, 128, 0xffffffff, 0, 8); v != profiles.Allow {
		t.Errorf("epoll_pwait = %v, want allow (implied by epoll_ctl)", v)
	}
	if v := eval(learn(t, LevelStrict, call(t, x, "epoll_ctl", 3, 1, 4, 0x7f)), x, "epoll_pwait"); v == profiles.Allow {
		t.Errorf("strict infers epoll_pwait")
	}
}

// TestConstrainedIsLearnable ties generalisation to what the eBPF recorder
// keeps: every argument learnt at some level must be one systab calls
// Learnable, or the recorder would drop values the profile needs.
func TestConstrainedIsLearnable(t *testing.T) {
	for _, a := range systab.Arches {
		for _, name := range a.Names() {
			for i := range systab.MaxArgs {
				info := systab.ArgKindOf(a, name, i)
				for _, level := range []Level{LevelStrict, LevelBalanced} {
					if constrained(info, level) && !info.Learnable() {
						t.Errorf("%s %s a%d (%v): learnt at %v but not Learnable", a, name, i, info.Kind, level)
					}
				}
			}
		}
	}
}
