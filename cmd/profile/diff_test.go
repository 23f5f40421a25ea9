package main

import (
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/profile-dev/profile/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with a golden file, or rewrites it under -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	testutil.Golden(t, path, []byte(got), *update)
}

// TestDiffGolden runs profile diff on hand-made pairs that between them
// show every kind of change, in every format, and checks the exit codes.
func TestDiffGolden(t *testing.T) {
	cases := []struct {
		dir      string
		old, new string
		code     int // with the default --fail-on widen
		anyCode  int // with --fail-on any
	}{
		{dir: "kinds", old: "old.yaml", new: "new.yaml", code: 1, anyCode: 1},
		{dir: "profile-level", old: "old.yaml", new: "new.yaml", code: 1, anyCode: 1},
		{dir: "narrowed", old: "old.yaml", new: "new.yaml", code: 0, anyCode: 1},
		{dir: "same-oci", old: "old.yaml", new: "new.json", code: 0, anyCode: 1},
		{dir: "same-oci", old: "old.yaml", new: "old.yaml", code: 0, anyCode: 0},
	}
	for _, tc := range cases {
		t.Run(tc.dir+"/"+tc.new, func(t *testing.T) {
			dir := filepath.Join("testdata", "diff", tc.dir)
			for _, format := range []string{"text", "json", "markdown"} {
				r := profileCmd(t, dir, "diff", "--format", format, tc.old, tc.new)
				if r.code != tc.code {
					t.Errorf("%s: exit %d, want %d\nstderr: %s", format, r.code, tc.code, r.stderr)
				}
				if r.stderr != "" {
					t.Errorf("%s: stderr %q", format, r.stderr)
				}
				if tc.old != tc.new {
					golden(t, filepath.Join(dir, format+".golden"), r.stdout)
				} else if !strings.Contains(r.stdout, "no change") && !strings.Contains(r.stdout, `"changes": []`) {
					t.Errorf("%s: a profile against itself: %s", format, r.stdout)
				}
			}
			if r := profileCmd(t, dir, "diff", "--fail-on", "any", tc.old, tc.new); r.code != tc.anyCode {
				t.Errorf("--fail-on any: exit %d, want %d", r.code, tc.anyCode)
			}
			if r := profileCmd(t, dir, "diff", "--fail-on", "none", tc.old, tc.new); r.code != 0 {
				t.Errorf("--fail-on none: exit %d, want 0", r.code)
			}
		})
	}
}

func TestDiffErrors(t *testing.T) {
	kinds := filepath.Join("testdata", "diff", "kinds")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"one-profile", []string{"diff", "old.yaml"}, "exactly two"},
		{"missing", []string{"diff", "old.yaml", "nope.yaml"}, "nope.yaml"},
		{"format", []string{"diff", "--format", "html", "old.yaml", "new.yaml"}, "html"},
		{"fail-on", []string{"diff", "--fail-on", "often", "old.yaml", "new.yaml"}, "often"},
		{"truncated", []string{"diff", "old.yaml", "../../diff-bad/truncated.yaml"}, "truncated.yaml"},
		{"trace-not-profile", []string{"diff", "old.yaml", "../../diff-bad/trace.json"}, "trace.json"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := profileCmd(t, kinds, tc.args...)
			if r.code != 2 || !strings.Contains(r.stderr, tc.want) || !strings.HasPrefix(r.stderr, "profile: ") {
				t.Errorf("exit %d, stderr %q; want 2 and a message with %q", r.code, r.stderr, tc.want)
			}
		})
	}
}
