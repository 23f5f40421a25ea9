package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/profile-dev/profile/internal/testutil"
)

var (
	argProbeOnce sync.Once
	argProbeBin  string
	argProbeErr  error
)

// argProbe builds testdata/argprobe once, next to the profile binary.
func argProbe(t *testing.T) string {
	t.Helper()
	argProbeOnce.Do(func() {
		argProbeBin = filepath.Join(filepath.Dir(profileBin), "argprobe")
		cmd := exec.Command("go", "build", "-o", argProbeBin, "./testdata/argprobe")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			argProbeErr = fmt.Errorf("build argprobe: %v\n%s", err, out)
		}
	})
	if argProbeErr != nil {
		t.Fatal(argProbeErr)
	}
	return argProbeBin
}

// argDenials are what a profile learnt from argprobe's plain run must refuse
// although it allows each syscall: only the arguments differ.
var argDenials = []struct{ mode, want string }{
	{"wx", "mprotect-exec: operation not permitted"},
	{"userns", "unshare-newuser: operation not permitted"},
	{"clonens", "clone-newns: fork/exec /proc/self/exe: operation not permitted"},
	{"ioctl", "ioctl-winsz: operation not permitted"},
}

// TestArgumentEnforcement learns a profile from a workload that never maps
// executable memory, creates namespaces or asks the window size, and checks
// under profile run that each of those fails while the workload passes.
func TestArgumentEnforcement(t *testing.T) {
	bin := argProbe(t)
	dir := t.TempDir()
	profileCmd(t, dir, "record", "-o", "p.yaml", "--trace", "t.json", "--", bin).mustSucceed(t, "record")
	for _, level := range []string{"strict", "balanced"} {
		t.Run(level, func(t *testing.T) {
			prof := level + ".yaml"
			profileCmd(t, dir, "learn", "--level", level, "-o", prof, "t.json").mustSucceed(t, "learn")
			if r := profileCmd(t, dir, "run", "--profile", prof, "--", bin).mustSucceed(t, "the workload"); r.stdout != "ok\n" {
				t.Fatalf("workload printed %q", r.stdout)
			}
			for _, d := range argDenials {
				r := profileCmd(t, dir, "run", "--profile", prof, "--", bin, d.mode)
				if !strings.Contains(r.stdout, d.want) {
					t.Errorf("%s: printed %q (exit %d, %s), want %q", d.mode, r.stdout, r.code, r.stderr, d.want)
				}
			}
		})
	}
	// At the names level the same calls are allowed: the denials above come
	// from the argument rules.
	profileCmd(t, dir, "learn", "--level", "names", "-o", "names.yaml", "t.json").mustSucceed(t, "learn")
	r := profileCmd(t, dir, "run", "--profile", "names.yaml", "--", bin, "wx")
	if !strings.Contains(r.stdout, "mprotect-exec: ok") {
		t.Errorf("names level: wx printed %q, want mprotect-exec: ok", r.stdout)
	}
}

// TestArgumentEnforcementRunc checks the same denials through runc with our
// OCI JSON: the argument rules survive the translation to SCMP_CMP_* ops.
func TestArgumentEnforcementRunc(t *testing.T) {
	runc := testutil.NeedCommand(t, "runc", exec.LookPath)
	if os.Getuid() != 0 {
		testutil.Skip(t, "runc needs root here")
	}
	bin := argProbe(t)
	dir := t.TempDir()
	profileCmd(t, dir, "record", "-o", "p.yaml", "--", bin).mustSucceed(t, "record")
	profileCmd(t, dir, "emit", "--format", "oci", "--runtime", "runc", "-o", "seccomp.json", "p.yaml").mustSucceed(t, "emit oci")
	var seccomp specs.LinuxSeccomp
	readJSON(t, filepath.Join(dir, "seccomp.json"), &seccomp)
	bundle := filepath.Join(dir, "bundle")
	if err := os.MkdirAll(filepath.Join(bundle, "rootfs"), 0o755); err != nil {
		t.Fatal(err)
	}
	copyFile(t, bin, filepath.Join(bundle, "rootfs", "argprobe"))
	if out, err := exec.Command(runc, "spec", "--bundle", bundle).CombinedOutput(); err != nil {
		t.Fatalf("runc spec: %v\n%s", err, out)
	}
	runs := 0
	run := func(args ...string) (string, error) {
		var spec specs.Spec
		readJSON(t, filepath.Join(bundle, "config.json"), &spec)
		spec.Process.Terminal = false
		spec.Process.Args = args
		spec.Process.NoNewPrivileges = true
		spec.Root.Readonly = true
		spec.Linux.Seccomp = &seccomp
		writeJSON(t, filepath.Join(bundle, "config.json"), &spec)
		runs++
		id := fmt.Sprintf("profile-args-%d-%d", os.Getpid(), runs)
		cmd := exec.Command(runc, "--root", filepath.Join(dir, "runc-state"), "run", "--bundle", bundle, id)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		return out.String(), err
	}
	if out, err := run("/argprobe"); err != nil || strings.TrimSpace(out) != "ok" {
		t.Fatalf("workload under runc: %v\n%s", err, out)
	}
	for _, d := range argDenials {
		if out, _ := run("/argprobe", d.mode); !strings.Contains(out, d.want) {
			t.Errorf("%s under runc: %q, want %q", d.mode, out, d.want)
		}
	}
}

// TestExplain checks that explain says why each rule exists.
func TestExplain(t *testing.T) {
	bin := argProbe(t)
	dir := t.TempDir()
	profileCmd(t, dir, "record", "-o", "p.yaml", "--trace", "t.json", "--", bin).mustSucceed(t, "record")
	r := profileCmd(t, dir, "explain", "p.yaml", "--trace", "t.json").mustSucceed(t, "explain")
	for _, want := range []string{
		"constrains prot: {bits: [PROT_READ]}",
		"constrains cmd: {in: [TCGETS]}",
		"seen cmd: {in: [TCGETS]}",
		"inferred: clone3's flags cannot be checked",
		"inferred: every process may need it",
		"observed: ioctl 1 calls (1 distinct), by " + bin,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("explain lacks %q:\n%s", want, r.stdout)
		}
	}
	if r := profileCmd(t, dir, "explain"); r.code != 2 {
		t.Errorf("explain without a profile: exit %d, want 2", r.code)
	}
}
