package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/profiles"
)

// profileWithout records argv and writes a profile that allows what it
// did except the named syscalls, so that the workload needs exactly those
// more than its profile names.
func profileWithout(t *testing.T, dir, out string, argv []string, drop ...string) {
	t.Helper()
	tmp := filepath.Join(dir, "recorded.yaml")
	profileCmd(t, dir, append([]string{"record", "-o", tmp, "--"}, argv...)...).mustSucceed(t, "record")
	p, err := profiles.Load(tmp)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	var kept []profiles.Rule
	for _, r := range p.Syscalls {
		n := len(r.Names)
		r.Names = slices.DeleteFunc(r.Names, func(s string) bool { return slices.Contains(drop, s) })
		found = found || len(r.Names) < n
		if len(r.Names) > 0 {
			kept = append(kept, r)
		}
	}
	if !found {
		t.Fatalf("the recording of %v made none of %v", argv, drop)
	}
	p.Syscalls = kept
	f, err := os.Create(filepath.Join(dir, out))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := profiles.Save(f, p); err != nil {
		t.Fatal(err)
	}
}

// denialLines returns the report's lines for calls no rule allows.
func denialLines(stderr string) []string {
	var out []string
	in := false
	for _, l := range strings.Split(stderr, "\n") {
		switch {
		case strings.Contains(l, "the profile would have denied:"):
			in = true
		case strings.HasPrefix(l, "  ") && in:
			out = append(out, strings.TrimSpace(l))
		default:
			in = false
		}
	}
	return out
}

var getpriorityLine = regexp.MustCompile(`^` + systab.Native().Name + `/getpriority\(which=(0x0|PRIO_PROCESS), who=0\) x1 by (.*) -> errno\(EPERM\)$`)

// TestCheck: a program that needs one syscall more than its profile gets
// exactly that syscall, with its arguments and executable, and exit 1;
// --fix writes a profile under which the next check is clean.
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	profileWithout(t, dir, "p.yaml", []string{probeBin, "unseen"}, "getpriority")

	r := profileCmd(t, dir, "check", "--profile", "p.yaml", "--", probeBin, "unseen")
	if r.code != 1 {
		t.Fatalf("check: exit %d, want 1\n%s", r.code, r.stderr)
	}
	if r.stdout != "getpriority: ok\n" {
		t.Errorf("in complain mode the call must run: workload printed %q", r.stdout)
	}
	lines := denialLines(r.stderr)
	if len(lines) != 1 {
		t.Fatalf("want exactly one denied call, got %d:\n%s", len(lines), r.stderr)
	}
	m := getpriorityLine.FindStringSubmatch(lines[0])
	if m == nil {
		t.Fatalf("denial %q does not match %v", lines[0], getpriorityLine)
	}
	if exe, _ := filepath.EvalSymlinks(probeBin); m[2] != exe {
		t.Errorf("made by %s, want %s", m[2], exe)
	}

	fixed := profileCmd(t, dir, "check", "--profile", "p.yaml", "--fix", "-o", "fixed.yaml", "--", probeBin, "unseen")
	if fixed.code != 1 {
		t.Fatalf("check --fix: exit %d, want 1 (the denial is still reported)\n%s", fixed.code, fixed.stderr)
	}
	np, err := profiles.Load(filepath.Join(dir, "fixed.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	old, err := profiles.Load(filepath.Join(dir, "p.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if d := profiles.Diff(old, np); !d.Widened() {
		t.Errorf("--fix did not widen the profile: %v", d.Changes)
	}
	clean := profileCmd(t, dir, "check", "--profile", "fixed.yaml", "--", probeBin, "unseen")
	if clean.code != 0 || len(denialLines(clean.stderr)) != 0 {
		t.Fatalf("check after --fix: exit %d\n%s", clean.code, clean.stderr)
	}
	if !strings.Contains(clean.stderr, "allows every call") {
		t.Errorf("a clean check does not say so:\n%s", clean.stderr)
	}
}

// TestCheckWorkloadFails: the workload's failure neither hides the denial
// nor changes the verdict; both are said.
func TestCheckWorkloadFails(t *testing.T) {
	dir := t.TempDir()
	profileWithout(t, dir, "p.yaml", []string{"sh", "-c", probeBin + " unseen; exit 0"}, "getpriority")
	r := profileCmd(t, dir, "check", "--profile", "p.yaml", "--", "sh", "-c", probeBin+" unseen; exit 3")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s", r.code, r.stderr)
	}
	lines := denialLines(r.stderr)
	if len(lines) != 1 || !getpriorityLine.MatchString(lines[0]) {
		t.Errorf("denials %q, want the getpriority one\n%s", lines, r.stderr)
	}
	if !strings.Contains(r.stderr, "the workload exited with status 3") {
		t.Errorf("the workload's status is not reported:\n%s", r.stderr)
	}
}

// TestCheckAsNobody checks as an ordinary user: complain mode needs no
// privilege.
func TestCheckAsNobody(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("not root; every other test checks without privileges")
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	profileWithout(t, dir, "p.yaml", []string{probeBin, "unseen"}, "getpriority")
	if err := os.Chmod(filepath.Join(dir, "p.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", profileBin, "check", "--profile", "p.yaml", "--fix", "-o", "fixed.yaml", "--", probeBin, "unseen")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("check as nobody: %v, want exit 1\n%s", err, out)
	}
	lines := denialLines(string(out))
	if len(lines) != 1 || !getpriorityLine.MatchString(lines[0]) {
		t.Errorf("denials %q, want the getpriority one\n%s", lines, out)
	}
	cmd = exec.Command("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", profileBin, "check", "--profile", "fixed.yaml", "--", probeBin, "unseen")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("check of the fixed profile as nobody: %v\n%s", err, out)
	}
}

// TestCheckUsage: bad input exits 2 before anything runs.
func TestCheckUsage(t *testing.T) {
	dir := t.TempDir()
	foreign := "apiVersion: profile/v1\nkind: SeccompProfile\ndefaultAction: errno\narchitectures: [aarch64]\nsyscalls:\n  - names: [read]\n"
	if err := os.WriteFile(filepath.Join(dir, "arm.yaml"), []byte(foreign), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte("apiVersion: profile/v1\nkind: Seccomp"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no profile", []string{"check", "--", probeBin}, "--profile is required"},
		{"no command", []string{"check", "--profile", "arm.yaml"}, "put the command after --"},
		{"fix without output", []string{"check", "--profile", "arm.yaml", "--fix", "--", probeBin}, "--fix needs -o"},
		{"output without fix", []string{"check", "--profile", "arm.yaml", "-o", "x.yaml", "--", probeBin}, "-o is the output of --fix"},
		{"missing profile", []string{"check", "--profile", "nope.yaml", "--", probeBin}, "nope.yaml"},
		{"truncated profile", []string{"check", "--profile", "bad.yaml", "--", probeBin}, "bad.yaml"},
		{"another architecture", []string{"check", "--profile", "arm.yaml", "--", probeBin}, "covers aarch64, not " + systab.Native().Name},
		{"bad level", []string{"check", "--profile", "arm.yaml", "--level", "loose", "--", probeBin}, "--level"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := profileCmd(t, dir, c.args...)
			if r.code != 2 || !strings.Contains(r.stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", r.code, r.stderr, c.want)
			}
			if r.stdout != "" {
				t.Errorf("the workload ran: %q", r.stdout)
			}
		})
	}
}
