//go:build linux

package compile

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/internal/testutil"
	"github.com/profile-dev/profile/internal/unix"
	"github.com/profile-dev/profile/profiles"
)

// probe is one raw syscall the child makes under the filter.
type probe struct {
	name string
	args [systab.MaxArgs]uint64
	// natural is the errno the call returns when the filter lets it through.
	natural syscall.Errno
}

// kernelCase is a profile for the native ABI and the probes to run under it.
type kernelCase struct {
	profile *profiles.Profile
	probes  []probe
}

// runtimeSyscalls are what the Go runtime may do on the child's thread
// between installing the filter and exiting.
var runtimeSyscalls = []string{
	"read", "write", "close", "mmap", "munmap", "madvise", "mprotect", "brk", "futex", "sched_yield",
	"nanosleep", "clock_nanosleep", "clock_gettime", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn",
	"sigaltstack", "gettid", "getpid", "tgkill", "exit", "exit_group", "epoll_pwait", "epoll_wait",
	"epoll_ctl", "fcntl", "getrandom", "restart_syscall",
}

const badFd = 0xffffffff // -1 as an unsigned int: EBADF

// kernelCases builds the cases; only the named one, or all when only is
// "", because finding the largest program takes a few compilations.
func kernelCases(opts Options, only string) map[string]kernelCase {
	native := systab.Native().Name
	cs := map[string]kernelCase{}
	cs["errno-default"] = kernelCase{
		profile: profile("errno-default", errno("EPERM"), names(native),
			allow(runtimeSyscalls...),
			allow("getppid"),
			rule(errno("ENOTSUP"), names("uname")),
			rule(profiles.Allow, names("getpriority"), arg(0, eq(0)), arg(1, in(0))),
			rule(profiles.Allow, names("lseek"), arg(1, rng(0x1_0000_0000, 0x1_ffff_ffff))),
			allow("dup"),
			rule(errno("EMLINK"), names("dup"), arg(0, eq(12345))),
		),
		probes: []probe{
			{name: "getppid"},
			{name: "getuid"}, // not listed: default
			{name: "uname"},
			{name: "getpriority", args: [6]uint64{0, 0}},
			{name: "getpriority", args: [6]uint64{0xdeadbeef_00000000, 0xffffffff_00000000}}, // narrow: high halves ignored
			{name: "getpriority", args: [6]uint64{1, 0}},
			{name: "lseek", args: [6]uint64{badFd, 0x1_0000_0005, 0}, natural: syscall.EBADF},
			{name: "lseek", args: [6]uint64{badFd, 5, 0}, natural: syscall.EBADF},
			{name: "lseek", args: [6]uint64{badFd, 0x2_0000_0000, 0}, natural: syscall.EBADF},
			{name: "dup", args: [6]uint64{12345}, natural: syscall.EBADF},
			{name: "dup", args: [6]uint64{99999}, natural: syscall.EBADF},
		},
	}
	cs["kill-process"] = kernelCase{
		profile: profile("kill-process", profiles.Allow, names(native),
			rule(profiles.KillProcess, names("getpgid"), arg(0, eq(4242)))),
		probes: []probe{
			{name: "getpgid", args: [6]uint64{0}},
			{name: "getpgid", args: [6]uint64{4242}},
			{name: "getppid"}, // never reached
		},
	}
	cs["trap"] = kernelCase{
		profile: profile("trap", profiles.Allow, names(native),
			rule(verdict(profiles.ActTrap, 0), names("getpgid"), arg(0, eq(4243)))),
		probes: []probe{
			{name: "getpgid", args: [6]uint64{0}},
			{name: "getpgid", args: [6]uint64{4243}},
			{name: "getppid"},
		},
	}
	// The largest program that fits, with the runtime's syscalls allowed.
	sized := func(n int) *profiles.Profile {
		p := sizedProfile(n)
		p.Syscalls[0].Names = append(p.Syscalls[0].Names, runtimeSyscalls...)
		return p
	}
	if only != "" && only != "largest" {
		return cs
	}
	n := largestN
	if n == 0 {
		n = largestFitting(sized, opts)
	}
	largest := sized(n)
	cs["largest"] = kernelCase{
		profile: largest,
		probes: []probe{
			{name: "ioctl", args: [6]uint64{badFd, sizedValue(0)}, natural: syscall.EBADF},
			{name: "ioctl", args: [6]uint64{badFd, sizedValue(n - 20)}, natural: syscall.EBADF},
			{name: "ioctl", args: [6]uint64{badFd, sizedValue(n-20) + 1}, natural: syscall.EBADF},
			{name: "ioctl", args: [6]uint64{badFd, 0xffff}, natural: syscall.EBADF},
			{name: "getppid"},
		},
	}
	return cs
}

// runChild is the child's side: lock the thread, install the filter, make
// each probe and print "probe <i> <errno>". It must allocate as little as
// possible once the filter is on.
func runChild(arg string) int {
	mode, name, _ := strings.Cut(arg, "/")
	// The parent passes the size it found for "largest" (largest=N), so
	// the child need not search again.
	if base, n, ok := strings.Cut(name, "="); ok {
		largestN, _ = strconv.Atoi(n)
		name = base
	}
	return runCase(mode, name)
}

// largestN, when not zero, is the size of the "largest" case.
var largestN int

func runCase(mode, name string) int {
	opts, ok := modeOptions(mode)
	if !ok {
		fmt.Fprintf(os.Stderr, "no mode %q\n", mode)
		return 2
	}
	kc, ok := kernelCases(opts, name)[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "no kernel case %q\n", name)
		return 2
	}
	prog, err := Compile(kc.profile, opts)
	if err != nil {
		fmt.Fprintf(os.Stderr, "compile: %v\n", err)
		return 2
	}
	raw, err := prog.Raw()
	if err != nil {
		fmt.Fprintf(os.Stderr, "assemble: %v\n", err)
		return 2
	}
	nrs := make([]uintptr, len(kc.probes))
	for i, p := range kc.probes {
		nr, ok := systab.Native().Nr(p.name)
		if !ok {
			fmt.Fprintf(os.Stderr, "no syscall %s\n", p.name)
			return 2
		}
		nrs[i] = uintptr(nr)
	}
	// Keep a crash from writing a core file.
	_ = syscall.Setrlimit(syscall.RLIMIT_CORE, &syscall.Rlimit{})
	runtime.LockOSThread()
	if err := unix.SetNoNewPrivs(); err != nil {
		fmt.Printf("install-error %d %v\n", errnoOf(err), err)
		return 3
	}
	if _, err := unix.InstallFilter(raw, 0); err != nil {
		fmt.Printf("install-error %d %v\n", errnoOf(err), err)
		return 3
	}
	for i, p := range kc.probes {
		a := p.args
		_, _, e := syscall.RawSyscall6(nrs[i], uintptr(a[0]), uintptr(a[1]), uintptr(a[2]), uintptr(a[3]), uintptr(a[4]), uintptr(a[5]))
		fmt.Printf("probe %d %d\n", i, int(e))
	}
	return 0
}

func errnoOf(err error) int {
	var e syscall.Errno
	if errors.As(err, &e) {
		return int(e)
	}
	return -1
}

// TestKernel runs each case's filter in a child process and compares what
// every probe returned with what Evaluate says the filter should do.
func TestKernel(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) { testKernel(t, m.name, m.opts) })
	}
}

func modeOptions(name string) (Options, bool) {
	for _, m := range modes {
		if m.name == name {
			return m.opts, true
		}
	}
	return Options{}, false
}

func testKernel(t *testing.T, mode string, opts Options) {
	cases := kernelCases(opts, "")
	for _, name := range sortedNames(cases) {
		kc := cases[name]
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			arg := mode + "/" + name
			if name == "largest" {
				arg += fmt.Sprintf("=%d", len(kc.profile.Syscalls[1].Args[0].Match.Values))
			}
			cmd.Env = append(os.Environ(), childEnv+"="+arg, "GOGC=off", "GODEBUG=asyncpreemptoff=1")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			runErr := cmd.Run()
			got := parseProbes(t, stdout.String())
			native := systab.Native()
			prog, err := Compile(kc.profile, opts)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d instructions", prog.Len())
			for i, p := range kc.probes {
				nr, _ := native.Nr(p.name)
				v := profiles.Evaluate(kc.profile, native.Audit, nr, p.args)
				desc := fmt.Sprintf("probe %d: %s%#x -> %s", i, p.name, p.args[:3], v)
				switch v.Action {
				case profiles.ActAllow, profiles.ActLog:
					expectErrno(t, got, i, p.natural, desc)
				case profiles.ActErrno:
					expectErrno(t, got, i, syscall.Errno(v.Data), desc)
				case profiles.ActKillProcess:
					expectDeath(t, got, i, runErr, desc, func() bool {
						var ee *exec.ExitError
						if !errors.As(runErr, &ee) {
							return false
						}
						ws, ok := ee.Sys().(syscall.WaitStatus)
						return ok && ws.Signaled() && ws.Signal() == syscall.SIGSYS
					})
					return
				case profiles.ActTrap:
					// The Go runtime treats SIGSYS as fatal and says so.
					expectDeath(t, got, i, runErr, desc, func() bool {
						return runErr != nil && strings.Contains(stderr.String(), "SIGSYS")
					})
					return
				default:
					t.Fatalf("%s: no expectation for this action", desc)
				}
			}
			if runErr != nil {
				t.Fatalf("child: %v\nstderr:\n%s", runErr, stderr.String())
			}
		})
	}
}

// parseProbes reads the child's report: probe index -> errno. An install
// error skips the test when the kernel refused for lack of privilege.
func parseProbes(t *testing.T, out string) map[int]syscall.Errno {
	t.Helper()
	got := map[int]syscall.Errno{}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) >= 2 && f[0] == "install-error":
			n, _ := strconv.Atoi(f[1])
			err := fmt.Errorf("install filter: %s: %w", strings.Join(f[2:], " "), syscall.Errno(n))
			testutil.SkipIfNotPermitted(t, err)
			t.Fatal(err)
		case len(f) == 3 && f[0] == "probe":
			i, _ := strconv.Atoi(f[1])
			e, _ := strconv.Atoi(f[2])
			got[i] = syscall.Errno(e)
		}
	}
	return got
}

func expectErrno(t *testing.T, got map[int]syscall.Errno, i int, want syscall.Errno, desc string) {
	t.Helper()
	e, ok := got[i]
	if !ok {
		t.Fatalf("%s: child did not report it", desc)
	}
	if e != want {
		t.Errorf("%s: kernel returned errno %d (%v), want %d (%v)", desc, int(e), e, int(want), want)
	}
}

func expectDeath(t *testing.T, got map[int]syscall.Errno, i int, runErr error, desc string, died func() bool) {
	t.Helper()
	if _, ok := got[i]; ok {
		t.Fatalf("%s: child survived the call", desc)
	}
	if !died() {
		t.Fatalf("%s: child ended with %v, not by SIGSYS", desc, runErr)
	}
}
