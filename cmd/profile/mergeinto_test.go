package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
)

// threePackages is a Go module whose test packages each make a syscall the
// others do not.
var threePackages = map[string]string{
	"go.mod": "module example.com/three\n\ngo 1.22\n",
	"prio/prio_test.go": `package prio

import (
	"syscall"
	"testing"
)

func TestPriority(t *testing.T) {
	if _, err := syscall.Getpriority(syscall.PRIO_PROCESS, 0); err != nil {
		t.Fatal(err)
	}
}
`,
	"sched/sched_test.go": `package sched

import (
	"syscall"
	"testing"
)

func TestScheduler(t *testing.T) {
	if _, _, e := syscall.RawSyscall(syscall.SYS_SCHED_GETSCHEDULER, 0, 0, 0); e != 0 {
		t.Fatal(e)
	}
}
`,
	"uname/uname_test.go": `package uname

import (
	"syscall"
	"testing"
)

func TestUname(t *testing.T) {
	var u syscall.Utsname
	if err := syscall.Uname(&u); err != nil {
		t.Fatal(err)
	}
}
`,
}

// goCmd runs the go command in dir with cgo off (static test binaries, as
// the probe is built) and returns its combined output.
func goCmd(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestMergeIntoGoTestExec profiles a test suite through go test -exec with
// three test binaries running at once, and compares the result with
// recording each test binary alone and merging the three profiles.
//
// The two must mean the same (profiles.Diff finds no change either way),
// and have the same canonical bytes once two things timing decides are
// left out: the call counts, and the "inferred" notes. The generaliser adds
// the calls whose presence depends on scheduling (sched_yield, nanosleep,
// getpid, gettid, tgkill with SIGURG) to every profile, noted as inferred
// when a run did not happen to make them and plain when it did; so one
// recording may list sched_yield among the observed names and another as an
// inferred rule, the same permission in other words.
//
// Both sides run the test binaries with the flags go test gives them: with
// -test.timeout the testing package arms a timer, and the Go runtime then
// starts its network poller (epoll_create1, eventfd2, epoll_ctl,
// epoll_pwait), which a run without it never does.
func TestMergeIntoGoTestExec(t *testing.T) {
	dir := t.TempDir()
	for name, text := range threePackages {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// go test runs -exec in each package's directory: the profile's path
	// must be absolute.
	app := filepath.Join(dir, "app.yaml")
	out := goCmd(t, dir, "test", "-count=1", "-p", "3", "-exec", profileBin+" record --merge-into "+app+" --", "./...")
	if strings.Count(out, "ok ") != 3 {
		t.Fatalf("go test did not pass three packages:\n%s", out)
	}
	if _, err := os.Stat(app + ".lock"); err != nil {
		t.Errorf("no lock file: %v", err)
	}

	// The same test binaries, recorded one at a time and merged.
	var parts []string
	for _, pkg := range []string{"prio", "sched", "uname"} {
		bin := filepath.Join(dir, pkg+".test")
		goCmd(t, dir, "test", "-c", "-o", bin, "./"+pkg)
		part := filepath.Join(dir, pkg+".yaml")
		profileCmd(t, filepath.Join(dir, pkg), "record", "-o", part, "--", bin, "-test.paniconexit0", "-test.timeout=10m0s", "-test.count=1").mustSucceed(t, "record "+pkg)
		parts = append(parts, part)
	}
	merged := filepath.Join(dir, "merged.yaml")
	profileCmd(t, dir, append([]string{"merge", "-o", merged}, parts...)...).mustSucceed(t, "merge")

	got, want := mustLoad(t, app), mustLoad(t, merged)
	native := systab.Native()
	for _, name := range []string{"getpriority", "sched_getscheduler", "uname"} {
		nr, _ := native.Nr(name)
		if v := profiles.Evaluate(got, native.Audit, nr, [6]uint64{}); v != profiles.Allow {
			t.Errorf("go test -exec profile: %s -> %s, want allow (a merge was lost?)", name, v)
		}
	}
	if got.Metadata.Name != "prio.test" {
		t.Errorf("name %q, want the least of the test binaries' names", got.Metadata.Name)
	}
	for _, d := range []*profiles.Report{profiles.Diff(want, got), profiles.Diff(got, want)} {
		for _, c := range d.Changes {
			if c.Kind != profiles.Unchanged {
				t.Errorf("go test -exec profile and merged single recordings differ: %v", c)
			}
		}
	}
	g, w := timingFree(t, got), timingFree(t, want)
	if !bytes.Equal(g, w) {
		t.Errorf("go test -exec profile differs from the merged single recordings\n--- go test -exec:\n%s\n--- merged:\n%s", g, w)
	}
}

func mustLoad(t *testing.T, path string) *profiles.Profile {
	t.Helper()
	p, err := profiles.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// timingFree is a profile's canonical bytes without its call counts and
// notes of inference.
func timingFree(t *testing.T, p *profiles.Profile) []byte {
	t.Helper()
	c := p.Clone()
	c.Counts = nil
	for i := range c.Syscalls {
		c.Syscalls[i].Inferred = ""
	}
	profiles.Canonicalize(c)
	b, err := profiles.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestMergeIntoUsage: --merge-into excludes -o, and a file that is not a
// profile is refused without being replaced; the workload's status wins.
func TestMergeIntoUsage(t *testing.T) {
	dir := t.TempDir()
	r := profileCmd(t, dir, "record", "-o", "p.yaml", "--merge-into", "app.yaml", "--", probeBin)
	if r.code != 2 || !strings.Contains(r.stderr, "not both") {
		t.Errorf("-o with --merge-into: exit %d, %q", r.code, r.stderr)
	}
	bad := filepath.Join(dir, "app.yaml")
	if err := os.WriteFile(bad, []byte("not: [a profile"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = profileCmd(t, dir, "record", "--merge-into", "app.yaml", "--", probeBin)
	if r.code != 1 || !strings.Contains(r.stderr, "app.yaml") {
		t.Errorf("merge into a broken file: exit %d, %q", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(bad); string(b) != "not: [a profile" {
		t.Errorf("the broken file was replaced: %q", b)
	}
	r = profileCmd(t, dir, "record", "--merge-into", "app.yaml", "--", "sh", "-c", "exit 4")
	if r.code != 4 {
		t.Errorf("failed merge after a failed workload: exit %d, want the workload's 4\n%s", r.code, r.stderr)
	}
}
