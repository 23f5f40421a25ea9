package emit

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/profile-dev/profile/internal/systab"
	"github.com/profile-dev/profile/internal/testutil"
	"github.com/profile-dev/profile/profiles"
)

func TestCHeaderGolden(t *testing.T) {
	p, err := profiles.Load("testdata/oci/basic.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := Write(&b, FormatC, p, Options{}); err != nil {
		t.Fatal(err)
	}
	testutil.Golden(t, filepath.Join("testdata", "c", "basic.h"), b.Bytes(), *updateOCI)
}

// cProbe is what the C program below does under the filter: a raw
// syscall with two arguments.
type cProbe struct {
	name string
	a0   uint64
	a1   uint64
}

// TestCHeaderEnforces compiles a C program with the emitted header, runs
// it (it installs the filter on itself, so it is the child), and compares
// what each syscall returned with Evaluate.
func TestCHeaderEnforces(t *testing.T) {
	if runtime.GOOS != "linux" || systab.Native() != systab.X86_64 {
		t.Skip("the probes are x86-64 syscalls")
	}
	cc := testutil.NeedCommand(t, "gcc", exec.LookPath)
	p := &profiles.Profile{
		Metadata:          profiles.Metadata{Name: "c-test"},
		DefaultAction:     profiles.Allow,
		UnknownErrno:      38,
		ForeignArchAction: profiles.KillProcess,
		Architectures:     []string{"x86_64"},
		Syscalls: []profiles.Rule{
			{Names: []string{"getppid"}, Action: profiles.Errno(1)},
			{Names: []string{"getpriority"}, Action: profiles.Errno(13), Args: []profiles.ArgCond{{Index: 1, Match: profiles.Matcher{Op: profiles.OpIn, Values: []uint64{4242, 4343}}}}},
		},
	}
	probes := []cProbe{{"getppid", 0, 0}, {"getpid", 0, 0}, {"getpriority", 0, 4242}, {"getpriority", 0, 4343}, {"getpriority", 0, 0}, {"getpriority", 0, 1 << 32}, {"getpriority", 0, 1<<32 | 4242}}
	dir := t.TempDir()
	var h bytes.Buffer
	if err := WriteC(&h, p, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "filter.h"), h.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var src strings.Builder
	src.WriteString(`#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/seccomp.h>
#include "filter.h"

int main(void) {
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) { printf("install-error %d\n", errno); return 3; }
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &c_test_fprog) != 0) { printf("install-error %d\n", errno); return 3; }
	long r;
`)
	for i, pr := range probes {
		nr, _ := systab.X86_64.Nr(pr.name)
		fmt.Fprintf(&src, "\terrno = 0; r = syscall(%d, %#xUL, %#xUL); printf(\"probe %d %%d\\n\", r < 0 ? errno : 0);\n", nr, pr.a0, pr.a1, i)
	}
	src.WriteString("\treturn 0;\n}\n")
	if err := os.WriteFile(filepath.Join(dir, "main.c"), []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "probe")
	if out, err := exec.Command(cc, "-Wall", "-Werror", "-o", bin, filepath.Join(dir, "main.c")).CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s\n%s", err, out, h.String())
	}
	out, err := exec.Command(bin).Output()
	got := string(out)
	if strings.HasPrefix(got, "install-error ") {
		var e int
		fmt.Sscanf(got, "install-error %d", &e)
		testutil.SkipIfNotPermitted(t, fmt.Errorf("install filter: %w", syscall.Errno(e)))
	}
	if err != nil {
		t.Fatalf("probe: %v\n%s", err, got)
	}
	for i, pr := range probes {
		nr, _ := systab.X86_64.Nr(pr.name)
		v := profiles.Evaluate(p, systab.X86_64.Audit, nr, [6]uint64{pr.a0, pr.a1})
		want := 0
		if v.Action == profiles.ActErrno {
			want = int(v.Data)
		}
		line := fmt.Sprintf("probe %d %d\n", i, want)
		if !strings.Contains(got, line) {
			t.Errorf("%s(%d, %d): want errno %d (%s); program said:\n%s", pr.name, pr.a0, pr.a1, want, v, got)
		}
	}
}
