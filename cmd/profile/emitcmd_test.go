package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

const emitTestProfile = `apiVersion: profile/v1
kind: SeccompProfile
metadata:
  name: emit-test
defaultAction: errno
defaultErrno: EPERM
unknownErrno: ENOSYS
architectures: [x86_64]
syscalls:
  - names: [close, exit_group, read, write]
  - names: [openat]
    args:
      flags: {bits: [0x80000]}
counts: {read: 90, openat: 10}
`

func TestEmitFormatsAndStats(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "p.yaml"), []byte(emitTestProfile), 0o644); err != nil {
		t.Fatal(err)
	}
	profileCmd(t, dir, "emit", "--format", "c", "-o", "p.h", "p.yaml").mustSucceed(t, "emit c")
	h, err := os.ReadFile(filepath.Join(dir, "p.h"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"struct sock_filter emit_test_filter[", "struct sock_fprog emit_test_fprog", "#include <linux/filter.h>"} {
		if !strings.Contains(string(h), want) {
			t.Errorf("C header lacks %q:\n%s", want, h)
		}
	}

	profileCmd(t, dir, "emit", "--format", "crd", "-o", "p.crd.yaml", "p.yaml").mustSucceed(t, "emit crd")
	data, err := os.ReadFile(filepath.Join(dir, "p.crd.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		APIVersion string `yaml:"apiVersion"`
		Kind       string `yaml:"kind"`
		Metadata   struct{ Name string }
		Spec       struct {
			DefaultAction string   `yaml:"defaultAction"`
			Architectures []string `yaml:"architectures"`
		}
	}
	if err := yaml.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	if res.APIVersion != "security-profiles-operator.x-k8s.io/v1beta1" || res.Kind != "SeccompProfile" || res.Metadata.Name != "emit-test" ||
		res.Spec.DefaultAction != "SCMP_ACT_ERRNO" || len(res.Spec.Architectures) != 1 || res.Spec.Architectures[0] != "SCMP_ARCH_X86_64" {
		t.Errorf("resource:\n%s", data)
	}

	r := profileCmd(t, dir, "emit", "--stats", "p.yaml").mustSucceed(t, "emit --stats")
	for _, want := range []string{"program length:", "cacheable syscalls:  4 (x86_64)", "weighted by the profile's counts", "worst path:"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stats lack %q:\n%s", want, r.stdout)
		}
	}
	r = profileCmd(t, dir, "emit", "--format", "asm", "--stats", "p.yaml").mustSucceed(t, "emit asm --stats")
	if !strings.Contains(r.stdout, "ret #0x7fff0000") || !strings.Contains(r.stderr, "program length:") {
		t.Errorf("asm with --stats: stdout\n%s\nstderr\n%s", r.stdout, r.stderr)
	}
	if r := profileCmd(t, dir, "emit", "p.yaml"); r.code != exitUsage {
		t.Errorf("emit without --format or --stats: exit %d, want %d", r.code, exitUsage)
	}
}
