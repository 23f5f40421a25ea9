//go:build linux

package recorder

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/profile-dev/profile/emit/compile"
	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/internal/testutil"
	"github.com/profile-dev/profile/trace"
)

// notifyOnly builds a filter that notifies the given native syscalls and
// allows everything else.
func notifyOnly(t *testing.T, names ...string) []bpf.RawInstruction {
	t.Helper()
	native := systab.Native()
	prog := []bpf.Instruction{
		bpf.LoadAbsolute{Off: 4, Size: 4},
		bpf.JumpIf{Cond: bpf.JumpNotEqual, Val: native.Audit, SkipTrue: uint8(len(names) + 1)},
		bpf.LoadAbsolute{Off: 0, Size: 4},
	}
	for i, n := range names {
		nr, ok := native.Nr(n)
		if !ok {
			t.Fatalf("no syscall %s", n)
		}
		prog = append(prog, bpf.JumpIf{Cond: bpf.JumpEqual, Val: nr, SkipTrue: uint8(len(names) - i)})
	}
	prog = append(prog, bpf.RetConstant{Val: compile.RetAllow}, bpf.RetConstant{Val: compile.RetUserNotif})
	raw, err := bpf.Assemble(prog)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestFilter records with filters of the caller's: the trace holds exactly
// the calls the filter notifies, exec calls included only when the filter
// notifies them (the shim's prefix notifies them anyway).
func TestFilter(t *testing.T) {
	native := systab.Native()
	cases := []struct {
		name      string
		notify    []string
		wantExecs int
	}{
		{"getpriority", []string{"getpriority"}, 0},
		{"getpriority and execve", []string{"getpriority", "execve"}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := record(t, Options{Argv: []string{self(t), helperArg, "getpriority", strconv.Itoa(helperThreads)}, Filter: notifyOnly(t, c.notify...)})
			if res.ExitStatus != 0 || !res.Trace.Complete {
				t.Fatalf("exit %d, complete %v, gaps %v", res.ExitStatus, res.Trace.Complete, res.Trace.Gaps)
			}
			var prio, execs int
			for _, call := range res.Trace.Calls {
				switch {
				case call.Arch == native.Name && call.Name == "getpriority":
					prio += int(call.Count)
				case call.Arch == native.Name && call.Name == "execve":
					execs += int(call.Count)
				default:
					t.Errorf("call the filter allows was recorded: %v", call)
				}
			}
			for i := range helperThreads {
				if !hasCall(res.Trace, native, "getpriority", uint64(threadWhoBase+i), prioUser) {
					t.Errorf("getpriority %d is missing", i)
				}
			}
			if prio != helperThreads || execs != c.wantExecs {
				t.Errorf("getpriority %d times, execve %d times; want %d and %d", prio, execs, helperThreads, c.wantExecs)
			}
			if res.Executables != nil {
				t.Errorf("executables without Options.Executables: %v", res.Executables)
			}
		})
	}
}

// TestExecutables checks that each call is attributed to the executable
// that made it, also across an exec that keeps the process id: sh execs the
// test binary, whose runtime starts on the same (main) thread.
func TestExecutables(t *testing.T) {
	sh := testutil.NeedCommand(t, "sh", exec.LookPath)
	shExe, err := filepath.EvalSymlinks(sh)
	if err != nil {
		t.Fatal(err)
	}
	me, err := filepath.EvalSymlinks(self(t))
	if err != nil {
		t.Fatal(err)
	}
	notifyAll, _ := bpf.Assemble([]bpf.Instruction{bpf.RetConstant{Val: compile.RetUserNotif}})
	res := record(t, Options{
		Argv:   []string{sh, "-c", `exec "$0" helper getppid-loop 3`, me},
		Filter: notifyAll, Executables: true,
	})
	if res.ExitStatus != 0 {
		t.Fatalf("exit %d", res.ExitStatus)
	}
	byCall := map[trace.Key]uint64{}
	for _, c := range res.Trace.Calls {
		byCall[c.Key()] = c.Count
	}
	sum := map[trace.Key]uint64{}
	paths := map[string]map[string]bool{} // syscall name -> executables
	for _, e := range res.Executables {
		sum[e.Call] += e.Count
		a, _ := systab.ArchByName(e.Call.Arch)
		name, _ := a.SyscallName(e.Call.Nr)
		if paths[name] == nil {
			paths[name] = map[string]bool{}
		}
		paths[name][e.Path] = true
	}
	for k, n := range byCall {
		if sum[k] != n {
			t.Errorf("%v: %d calls in the trace, %d in the executables", k, n, sum[k])
		}
	}
	// The runtime asks for its CPU set first thing, on the main thread,
	// whose id is the one sh had: attributing it to sh would mean the exec
	// did not drop the cache. The shim (this binary) execs sh, and sh execs
	// this binary.
	want := map[string][]string{"execve": {me, shExe}, "sched_getaffinity": {me}}
	for name, exes := range want {
		got := keys(paths[name])
		slices.Sort(got)
		slices.Sort(exes)
		if !slices.Equal(got, exes) {
			t.Errorf("%s made by %v, want %v", name, got, exes)
		}
	}
	if _, err := os.Stat(shExe); err != nil {
		t.Fatal(err)
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
