package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/profile-dev/profile/profiles"
)

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestMergeCommand(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a.yaml"), valid("  - names: [ioctl]\n    args:\n      cmd: {in: [0x5401]}\n"))
	writeFile(t, filepath.Join(dir, "b.yaml"), valid("  - names: [ioctl]\n    args:\n      cmd: {in: [0x5413]}\n"))
	writeFile(t, filepath.Join(dir, "kill.yaml"), strings.Replace(valid(""), "defaultAction: errno\ndefaultErrno: EPERM", "defaultAction: kill-process", 1))
	traceJSON := `{"version": 1, "provenance": {"exitStatus": 0}, "complete": true, "calls": [{"arch": "x86_64", "nr": %s, "args": [null, null, null, null, null, null], "count": 1}]}`
	writeFile(t, filepath.Join(dir, "t1.json"), strings.Replace(traceJSON, "%s", "0", 1))
	writeFile(t, filepath.Join(dir, "t2.json"), strings.Replace(traceJSON, "%s", "1", 1))

	profileCmd(t, dir, "merge", "-o", "ab.yaml", "a.yaml", "b.yaml").mustSucceed(t, "merge profiles")
	p, err := profiles.Load(filepath.Join(dir, "ab.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []uint64{0x5401, 0x5413} {
		if v := profiles.Evaluate(p, 0xc000003e, 16, [6]uint64{0, cmd}); v != profiles.Allow {
			t.Errorf("merged profile answers ioctl %#x with %v", cmd, v)
		}
	}
	// The merge is the same in the other order.
	profileCmd(t, dir, "merge", "-o", "ba.yaml", "b.yaml", "a.yaml").mustSucceed(t, "merge profiles")
	ab, _ := os.ReadFile(filepath.Join(dir, "ab.yaml"))
	ba, _ := os.ReadFile(filepath.Join(dir, "ba.yaml"))
	if string(ab) != string(ba) {
		t.Errorf("merge depends on the order:\n%s\n---\n%s", ab, ba)
	}
	if r := profileCmd(t, dir, "diff", "a.yaml", "ab.yaml"); r.code != 1 || !strings.Contains(r.stdout, "cmd gains TIOCGWINSZ") {
		t.Errorf("diff a ab: exit %d\n%s", r.code, r.stdout)
	}
	if r := profileCmd(t, dir, "diff", "ab.yaml", "a.yaml"); r.code != 0 {
		t.Errorf("diff ab a: exit %d, want 0 (narrowed)\n%s", r.code, r.stdout)
	}

	profileCmd(t, dir, "merge", "-o", "t.yaml", "t1.json", "t2.json").mustSucceed(t, "merge traces")
	tp, err := profiles.Load(filepath.Join(dir, "t.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, nr := range []uint32{0, 1} {
		if v := profiles.Evaluate(tp, 0xc000003e, nr, [6]uint64{}); v != profiles.Allow {
			t.Errorf("profile learnt from merged traces answers syscall %d with %v", nr, v)
		}
	}

	errs := []struct {
		name string
		args []string
		want string
	}{
		{"mixed", []string{"merge", "-o", "x.yaml", "a.yaml", "t1.json"}, "not both"},
		{"incompatible", []string{"merge", "-o", "x.yaml", "a.yaml", "kill.yaml"}, "defaultAction"},
		{"no-output", []string{"merge", "a.yaml"}, "-o"},
		{"missing", []string{"merge", "-o", "x.yaml", "a.yaml", "nope.yaml"}, "nope.yaml"},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) {
			r := profileCmd(t, dir, tc.args...)
			if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", r.code, r.stderr, tc.want)
			}
			if _, err := os.Stat(filepath.Join(dir, "x.yaml")); err == nil {
				t.Errorf("wrote x.yaml despite the error")
			}
		})
	}
}

func TestLearnAudit(t *testing.T) {
	dir := t.TempDir()
	logs, err := filepath.Abs(filepath.Join("..", "..", "auditlog", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	r := profileCmd(t, dir, "learn", "--audit", "-o", "p.yaml", filepath.Join(logs, "i386-journal.log"), filepath.Join(logs, "x86_64-audit.log"))
	r.mustSucceed(t, "learn --audit")
	for _, w := range []string{"i386-journal.log:6: arch=deadbeef", "i386-journal.log:7:", "x86_64-audit.log:5: arch=zz", "may be missing records"} {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
		}
	}
	p, err := profiles.Load(filepath.Join(dir, "p.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		audit, nr uint32
	}{{0x40000003, 5}, {0x40000003, 102}, {0xc000003e, 257}, {0xc000003e, 42}} {
		if v := profiles.Evaluate(p, c.audit, c.nr, [6]uint64{1, 2, 3, 4, 5, 6}); v != profiles.Allow {
			t.Errorf("audit-learnt profile answers %#x/%d with %v", c.audit, c.nr, v)
		}
	}
	writeFile(t, filepath.Join(dir, "empty.log"), "nothing here\n")
	if r := profileCmd(t, dir, "learn", "--audit", "-o", "q.yaml", "empty.log"); r.code != 2 || !strings.Contains(r.stderr, "no seccomp audit records") {
		t.Errorf("empty log: exit %d, stderr %q", r.code, r.stderr)
	}
}
