package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/profile-dev/profile/internal/testutil"
	"github.com/profile-dev/profile/profiles"
	"github.com/profile-dev/profile/recorder"
	"github.com/profile-dev/profile/trace"
)

// recordEBPF runs profile record --backend ebpf, skipping (failing in CI)
// only when the kernel refused the program.
func recordEBPF(t *testing.T, dir string, args ...string) result {
	t.Helper()
	r := profileCmd(t, dir, append([]string{"record", "--backend", "ebpf"}, args...)...)
	if r.code == exitUsage && strings.Contains(r.stderr, "not supported") {
		testutil.SkipIfNotPermitted(t, errUnsupported(r.stderr))
	}
	return r
}

type errUnsupported string

func (e errUnsupported) Error() string { return string(e) }
func (e errUnsupported) Is(target error) bool {
	return target == os.ErrPermission || strings.Contains(target.Error(), "unsupported")
}

// rules is what a profile allows, one line per (syscall, conditions,
// action), sorted: its meaning without provenance, counts, or the reason a
// rule was inferred. A syscall that timing alone decides (sched_yield, say)
// is observed in one run and inferred in another; it is allowed either way.
func rules(t *testing.T, path string) string {
	t.Helper()
	p, err := profiles.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, r := range p.Syscalls {
		r.Inferred = ""
		for _, name := range r.Names {
			one := r
			one.Names = []string{name}
			q := &profiles.Profile{DefaultAction: p.DefaultAction, Architectures: p.Architectures, Syscalls: []profiles.Rule{one}}
			var b strings.Builder
			if err := profiles.Save(&b, q); err != nil {
				t.Fatal(err)
			}
			_, body, _ := strings.Cut(b.String(), "syscalls:")
			lines = append(lines, strings.Join(strings.Fields(body), " "))
		}
	}
	sort.Strings(lines)
	return fmt.Sprintf("defaultAction %v, architectures %v\n%s", p.DefaultAction, p.Architectures, strings.Join(lines, "\n"))
}

// TestBackendsAgree records the round-trip programs with both backends:
// they must learn the same profile.
func TestBackendsAgree(t *testing.T) {
	python := testutil.NeedCommand(t, "python3", exec.LookPath)
	git := testutil.NeedCommand(t, "git", exec.LookPath)
	cases := []struct{ name, workload string }{
		{"shell-pipeline", "ls / | sort | head -n 3"},
		{"python", python + ` -c 'import hashlib, json, os; print("sum", hashlib.sha256(json.dumps(sorted(os.listdir("/"))).encode()).hexdigest()[:8])'`},
		{"git", "rm -rf repo && " + git + " init -q repo && cd repo && " + git + " -c user.name=t -c user.email=t@example.com commit -q --allow-empty -m first && " + git + " log --format=%s"},
		{"go-threads", probeBin + " threads 8"},
		{"chain", probeBin + " chain 3"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// Each backend in a directory of its own: git finds it as it was.
			dir := t.TempDir()
			for _, sub := range []string{"e", "t"} {
				if err := os.Mkdir(filepath.Join(dir, sub), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			e := recordEBPF(t, filepath.Join(dir, "e"), "-o", "../ebpf.yaml", "--trace", "../ebpf.json", "--", "sh", "-c", tc.workload).mustSucceed(t, "record --backend ebpf")
			tr := profileCmd(t, filepath.Join(dir, "t"), "record", "--backend", "trace", "-o", "../trace.yaml", "--trace", "../trace.json", "--", "sh", "-c", tc.workload).mustSucceed(t, "record --backend trace")
			if e.stdout != tr.stdout {
				t.Errorf("the workload printed\n%s\nunder ebpf and\n%s\nunder trace", e.stdout, tr.stdout)
			}
			if got, want := rules(t, filepath.Join(dir, "ebpf.yaml")), rules(t, filepath.Join(dir, "trace.yaml")); got != want {
				t.Errorf("the backends learnt different profiles:\nebpf:\n%s\ntrace:\n%s\ntraces in %s", got, want, keep(t, dir))
			}
		})
	}
}

// keep copies a failed test's traces where a person can read them.
func keep(t *testing.T, dir string) string {
	out, err := os.MkdirTemp("", "profile-agree-")
	if err != nil {
		return dir
	}
	for _, f := range []string{"ebpf.json", "trace.json", "ebpf.yaml", "trace.yaml"} {
		if b, err := os.ReadFile(filepath.Join(dir, f)); err == nil {
			os.WriteFile(filepath.Join(out, f), b, 0o644)
		}
	}
	return out
}

// TestRecordPID attaches the CLI to a running shell that forks after the
// attach; the recording ends when the tree is gone.
func TestRecordPID(t *testing.T) {
	dir := t.TempDir()
	sh := exec.Command("sh", "-c", `sleep 1; `+probeBin+` chain 2`)
	if err := sh.Start(); err != nil {
		t.Fatal(err)
	}
	defer sh.Wait()
	defer sh.Process.Kill()
	// Between fork and exec, /proc shows no command line yet.
	for start := time.Now(); time.Since(start) < 10*time.Second; time.Sleep(time.Millisecond) {
		if b, _ := os.ReadFile("/proc/" + strconv.Itoa(sh.Process.Pid) + "/cmdline"); strings.HasPrefix(string(b), "sh\x00") {
			break
		}
	}
	r := recordEBPF(t, dir, "-v", "--pid", strconv.Itoa(sh.Process.Pid), "-o", "p.yaml", "--trace", "t.json").mustSucceed(t, "record --pid")
	if !strings.Contains(r.stderr, "attached to process") || !strings.Contains(r.stderr, "backend ebpf") {
		t.Errorf("stderr does not say what was attached:\n%s", r.stderr)
	}
	f, err := os.Open(filepath.Join(dir, "t.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr, err := trace.Read(f, "t.json")
	if err != nil {
		t.Fatal(err)
	}
	if !tr.Complete || tr.Provenance.Backend != "ebpf" || tr.Provenance.Command[0] != "sh" {
		t.Errorf("trace: complete %v, provenance %+v", tr.Complete, tr.Provenance)
	}
	profile, _ := os.ReadFile(filepath.Join(dir, "p.yaml"))
	if !strings.Contains(string(profile), "sched_getscheduler") {
		t.Errorf("the grandchild's sched_getscheduler is not in the profile:\n%s", profile)
	}
}

// TestRecordDuration ends a --pid recording of a process that outlives it.
func TestRecordDuration(t *testing.T) {
	dir := t.TempDir()
	sh := exec.Command("sh", "-c", `while :; do `+probeBin+`; sleep 0.1; done`)
	sh.Stdout = nil
	if err := sh.Start(); err != nil {
		t.Fatal(err)
	}
	defer sh.Wait()
	defer sh.Process.Kill()
	start := time.Now()
	recordEBPF(t, dir, "--pid", strconv.Itoa(sh.Process.Pid), "--duration", "1s", "-o", "p.yaml").mustSucceed(t, "record --duration")
	if d := time.Since(start); d < time.Second || d > 10*time.Second {
		t.Errorf("recording took %v, want about 1s", d)
	}
}

func TestRecordAttachUsage(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"record", "--pid", "1", "--", "true"},
		{"record", "--pid", "1", "--cgroup", "/sys/fs/cgroup"},
		{"record", "--duration", "1s", "--", "true"},
		{"record", "--pid", "-4"},
		{"record", "--backend", "trace", "--pid", "1"},
	} {
		if r := profileCmd(t, dir, args...); r.code != exitUsage {
			t.Errorf("profile %s: exit %d, want %d\n%s", strings.Join(args, " "), r.code, exitUsage, r.stderr)
		}
	}
}

func TestStatusLine(t *testing.T) {
	var b strings.Builder
	s := &statusLine{w: &b}
	s.show(recorderProgress(2500*time.Millisecond, 1234, 56, 7))
	s.clear()
	if want := "\r\033[Kprofile: recording 3s: 1234 calls, 56 distinct, 7 dropped\r\033[K"; b.String() != want {
		t.Errorf("status line %q, want %q", b.String(), want)
	}
	if s := newStatusLine(&b); s.w != nil {
		t.Errorf("a status line on a non-terminal draws")
	}
}

func recorderProgress(d time.Duration, calls uint64, distinct int, dropped uint64) recorder.Progress {
	return recorder.Progress{Elapsed: d, Calls: calls, Distinct: distinct, Dropped: dropped}
}
