package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadInput checks that every kind of bad input gives one clear line
// naming what is wrong, the right exit code, and no output file.
func TestBadInput(t *testing.T) {
	cases := []struct {
		name    string
		profile string   // content of in.yaml, if the case uses it
		args    []string // after "profile"
		code    int
		want    []string // substrings of stderr
	}{
		{name: "malformed-yaml", profile: "apiVersion: profile/v1\nkind: SeccompProfile\nsyscalls: [\n",
			args: []string{"emit", "--format", "bpf", "-o", "out.bpf", "in.yaml"}, code: 2, want: []string{"in.yaml:4:"}},
		{name: "malformed-json", profile: `{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [}`,
			args: []string{"emit", "--format", "bpf", "-o", "out.bpf", "in.yaml"}, code: 2, want: []string{"in.yaml:1:"}},
		{name: "unknown-syscall", profile: valid("  - names: [read, opnat]\n"),
			args: []string{"emit", "--format", "bpf", "-o", "out.bpf", "in.yaml"}, code: 2, want: []string{"in.yaml:", "opnat"}},
		{name: "unknown-arch", profile: strings.Replace(valid(""), "[x86_64]", "[x86_65]", 1),
			args: []string{"emit", "--format", "oci", "-o", "out.json", "in.yaml"}, code: 2, want: []string{"in.yaml:", "x86_65"}},
		{name: "bad-action", profile: strings.Replace(valid(""), "defaultAction: errno", "defaultAction: explode", 1),
			args: []string{"emit", "--format", "oci", "-o", "out.json", "in.yaml"}, code: 2, want: []string{"in.yaml:", "explode"}},
		{name: "arg-index-above-5", profile: valid("  - names: [openat]\n    args:\n      a6: {eq: 1}\n"),
			args: []string{"emit", "--format", "bpf", "-o", "out.bpf", "in.yaml"}, code: 2, want: []string{"in.yaml:", "a6"}},
		{name: "empty-profile", profile: "",
			args: []string{"emit", "--format", "bpf", "-o", "out.bpf", "in.yaml"}, code: 2, want: []string{"in.yaml", "empty"}},
		{name: "missing-profile-file", args: []string{"emit", "--format", "bpf", "-o", "out.bpf", "nope.yaml"}, code: 2, want: []string{"nope.yaml"}},
		{name: "missing-dash", args: []string{"record", "-o", "out.yaml", "true"}, code: 2, want: []string{"--"}},
		{name: "run-missing-dash", profile: valid(""), args: []string{"run", "--profile", "in.yaml", "true"}, code: 2, want: []string{"--"}},
		{name: "unknown-format", profile: valid(""), args: []string{"emit", "--format", "pdf", "-o", "out.pdf", "in.yaml"}, code: 2, want: []string{"pdf"}},
		{name: "unknown-flag", args: []string{"record", "--frobnicate", "--", "true"}, code: 2, want: []string{"frobnicate"}},
		{name: "command-not-found", args: []string{"record", "-o", "out.yaml", "--", "/no/such/command"}, code: 127, want: []string{"/no/such/command"}},
		{name: "run-command-not-found", profile: valid(""), args: []string{"run", "--profile", "in.yaml", "--", "no-such-command-xyz"}, code: 127, want: []string{"no-such-command-xyz"}},
		{name: "run-foreign-arch-profile", profile: strings.Replace(valid(""), "[x86_64]", "[aarch64]", 1),
			args: []string{"run", "--profile", "in.yaml", "--", "true"}, code: 2, want: []string{"aarch64", "x86_64"}},
		{name: "unwritable-output", args: []string{"record", "-o", "missing/dir/out.yaml", "--", "true"}, code: 2, want: []string{"missing/dir/out.yaml"}},
		{name: "learn-bad-trace", profile: `{"version": 1, "calls": [{"arch": "x86_64", "nr": "x"}]}`,
			args: []string{"learn", "-o", "out.yaml", "in.yaml"}, code: 2, want: []string{"in.yaml", "line"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.profile != "" || strings.Contains(strings.Join(tc.args, " "), "in.yaml") {
				if err := os.WriteFile(filepath.Join(dir, "in.yaml"), []byte(tc.profile), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			r := profileCmd(t, dir, tc.args...)
			if r.code != tc.code {
				t.Errorf("exit %d, want %d\nstderr: %s", r.code, tc.code, r.stderr)
			}
			lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "profile: ") {
				t.Errorf("stderr is not one 'profile: ...' line:\n%s", r.stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr %q lacks %q", r.stderr, w)
				}
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if e.Name() != "in.yaml" {
					t.Errorf("left %s behind", e.Name())
				}
			}
		})
	}
}

// valid returns a small valid profile with extra rule lines appended.
func valid(extraRules string) string {
	return "apiVersion: profile/v1\nkind: SeccompProfile\nmetadata:\n  name: t\ndefaultAction: errno\ndefaultErrno: EPERM\narchitectures: [x86_64]\nsyscalls:\n  - names: [read, write, exit_group]\n" + extraRules
}
