package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	specs "github.com/opencontainers/runtime-spec/specs-go"

	"github.com/profile-dev/profile/internal/testutil"
)

// TestOCIWithRunc has runc load and enforce our OCI output: the recorded
// workload runs in a container, an unrecorded syscall is denied.
func TestOCIWithRunc(t *testing.T) {
	runc := testutil.NeedCommand(t, "runc", exec.LookPath)
	if os.Getuid() != 0 {
		testutil.Skip(t, "runc needs root here")
	}
	dir := t.TempDir()
	profileCmd(t, dir, "record", "-o", "p.yaml", "--", probeBin).mustSucceed(t, "record")
	profileCmd(t, dir, "emit", "--format", "oci", "--runtime", "runc", "-o", "seccomp.json", "p.yaml").mustSucceed(t, "emit oci")
	profileCmd(t, dir, "emit", "--format", "oci", "--runtime", "none", "-o", "bare.json", "p.yaml").mustSucceed(t, "emit oci")
	var seccomp, bare specs.LinuxSeccomp
	readJSON(t, filepath.Join(dir, "seccomp.json"), &seccomp)
	readJSON(t, filepath.Join(dir, "bare.json"), &bare)

	bundle := filepath.Join(dir, "bundle")
	rootfs := filepath.Join(bundle, "rootfs")
	if err := os.MkdirAll(rootfs, 0o755); err != nil {
		t.Fatal(err)
	}
	copyFile(t, probeBin, filepath.Join(rootfs, "probe"))
	if out, err := exec.Command(runc, "spec", "--bundle", bundle).CombinedOutput(); err != nil {
		t.Fatalf("runc spec: %v\n%s", err, out)
	}
	var runs int
	run := func(seccomp *specs.LinuxSeccomp, args ...string) (string, error) {
		var spec specs.Spec
		readJSON(t, filepath.Join(bundle, "config.json"), &spec)
		spec.Process.Terminal = false
		spec.Process.Args = args
		spec.Process.NoNewPrivileges = true
		spec.Root.Readonly = true
		spec.Linux.Seccomp = seccomp
		writeJSON(t, filepath.Join(bundle, "config.json"), &spec)
		runs++
		id := fmt.Sprintf("profile-test-%d-%d", os.Getpid(), runs)
		cmd := exec.Command(runc, "--root", filepath.Join(dir, "runc-state"), "run", "--bundle", bundle, id)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		return out.String(), err
	}
	out, err := run(&seccomp, "/probe")
	if err != nil {
		t.Fatalf("recorded workload under runc: %v\n%s", err, out)
	}
	if strings.TrimSpace(out) != "ok" {
		t.Errorf("recorded workload under runc printed %q", out)
	}
	out, err = run(&seccomp, "/probe", "unseen")
	if err != nil || !strings.Contains(out, "getpriority: operation not permitted") {
		t.Errorf("unseen syscall under runc: err %v, output %q; want EPERM", err, out)
	}
	// Without the runtime's own needs, runc cannot start the workload: it
	// calls fstatfs, getdents64 and epoll_ctl after loading the filter. This
	// is what --runtime runc is for.
	out, err = run(&bare, "/probe")
	if err == nil || !strings.Contains(out, "operation not permitted") {
		t.Errorf("runc with --runtime none: err %v, output %q; want runc to fail with EPERM", err, out)
	}
}

// TestBPFWithBwrap has bubblewrap load our raw BPF output with --seccomp.
func TestBPFWithBwrap(t *testing.T) {
	bwrap := testutil.NeedCommand(t, "bwrap", exec.LookPath)
	dir := t.TempDir()
	profileCmd(t, dir, "record", "-o", "p.yaml", "--", probeBin).mustSucceed(t, "record")
	profileCmd(t, dir, "emit", "--format", "bpf", "-o", "p.bpf", "p.yaml").mustSucceed(t, "emit bpf")
	run := func(args ...string) (string, error) {
		f, err := os.Open(filepath.Join(dir, "p.bpf"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		cmd := exec.Command(bwrap, append([]string{"--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--seccomp", "3", "--"}, args...)...)
		cmd.ExtraFiles = []*os.File{f} // fd 3
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run(probeBin)
	if err != nil {
		if strings.Contains(out, "Operation not permitted") || strings.Contains(out, "No permissions") {
			testutil.Skip(t, "bwrap cannot create its sandbox here: "+out)
		}
		t.Fatalf("recorded workload under bwrap: %v\n%s", err, out)
	}
	if strings.TrimSpace(out) != "ok" {
		t.Errorf("recorded workload under bwrap printed %q", out)
	}
	out, err = run(probeBin, "unseen")
	if err != nil || !strings.Contains(out, "getpriority: operation not permitted") {
		t.Errorf("unseen syscall under bwrap: err %v, output %q; want EPERM", err, out)
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	src, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		t.Fatal(err)
	}
}
